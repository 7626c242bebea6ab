/** The package name, for diagnostics. */
export const packageName = '@pc/analytics';
