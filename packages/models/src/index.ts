export const packageName = '@pc/models';
