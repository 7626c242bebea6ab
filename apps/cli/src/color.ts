/**
 * Whether to use colour on a stream: `--no-color`, `NO_COLOR` (any value), `TERM=dumb` and
 * `CLICOLOR=0` turn it off; `FORCE_COLOR` (other than `0`/`false`) or `CLICOLOR_FORCE` turn it on;
 * otherwise colour only on a TTY.
 */
export function useColor(input: {
  isTTY: boolean;
  env: Readonly<Record<string, string | undefined>>;
  noColorFlag?: boolean;
}): boolean {
  const { env } = input;
  if (input.noColorFlag === true) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined) {
    if (force === '0' || force.toLowerCase() === 'false') return false;
    return true;
  }
  if (env.CLICOLOR_FORCE !== undefined && env.CLICOLOR_FORCE !== '' && env.CLICOLOR_FORCE !== '0')
    return true;
  if (env.CLICOLOR === '0') return false;
  if (env.TERM === 'dumb') return false;
  return input.isTTY;
}

/** ANSI styles that do nothing when colour is off. */
export interface Palette {
  bold(text: string): string;
  dim(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  red(text: string): string;
  cyan(text: string): string;
}

const wrap =
  (open: number, close: number) =>
  (text: string): string =>
    `\x1b[${open}m${text}\x1b[${close}m`;
const identity = (text: string): string => text;

/** The palette for a colour decision. */
export function palette(enabled: boolean): Palette {
  if (!enabled)
    return {
      bold: identity,
      dim: identity,
      green: identity,
      yellow: identity,
      red: identity,
      cyan: identity,
    };
  return {
    bold: wrap(1, 22),
    dim: wrap(2, 22),
    green: wrap(32, 39),
    yellow: wrap(33, 39),
    red: wrap(31, 39),
    cyan: wrap(36, 39),
  };
}
