/**
 * Text for the terminal that the user did not write here and now: a server's error text, or the
 * user's own input echoed in an error (a filter, a field name). Control characters could retitle,
 * clear or rewrite the terminal, and a 100 KB filter would flood it.
 */

/** C0 and C1 control characters (tab kept), DEL, and bidi overrides. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const controlCharacters = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** The longest line of an error shown, in characters. */
export const maxEchoLength = 400;

/**
 * One line made safe to print: each control character becomes `?` (one character, so a caret
 * under a filter stays aligned), and a line longer than `maxLength` is cut with a note of how much
 * was left out.
 */
export function terminalSafe(line: string, maxLength: number = maxEchoLength): string {
  const clean = line.replace(controlCharacters, '?');
  if (clean.length <= maxLength) return clean;
  return `${clean.slice(0, maxLength)}… (${clean.length - maxLength} more characters)`;
}
