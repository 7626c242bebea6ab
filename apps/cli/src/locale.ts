import { UsageError } from './exitCodes.js';

/**
 * Turns a locale as users write it into a BCP 47 tag: `de-CH` as is; the POSIX forms `$LANG`
 * holds (`de_CH`, `de_CH.UTF-8`, `de_CH.UTF-8@euro`) with the underscore made a hyphen and the
 * encoding and modifier dropped; `C` and `POSIX` (the portable locale) as `en-US`.
 *
 * @param value - the text from a flag, the environment or the config file.
 * @param origin - where it came from, for the message (`--locale`, `PC_LOCALE`...).
 * @throws UsageError (exit 2) when the text is not a locale this Node.js knows.
 */
export function normalizeLocale(value: string, origin: string): string {
  const text = value.trim();
  const base = text.split(/[.@]/, 1)[0] ?? '';
  if (base === 'C' || base === 'POSIX') return 'en-US';
  const candidate = base.replaceAll('_', '-');
  let tag: string | undefined;
  try {
    tag = candidate === '' ? undefined : Intl.getCanonicalLocales(candidate)[0];
  } catch {
    tag = undefined;
  }
  if (tag === undefined || Intl.NumberFormat.supportedLocalesOf(tag).length === 0) {
    throw new UsageError(
      `${origin}: unknown locale '${text.slice(0, 60)}'`,
      'use a language tag such as en-US or de-CH (POSIX forms such as de_CH.UTF-8, C and POSIX work too)',
    );
  }
  return tag;
}
