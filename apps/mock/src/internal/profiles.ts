/**
 * The two worlds of the mock. `ideal` serves the docs' examples as written (every page `top` rows,
 * absolute encoded links, one date, tidy data); `realistic` serves what the evidence in
 * `reference/fidelity-findings.md` (rows A1-A22) shows the real service sends. Each behaviour is a
 * separate switch, so a test can turn on exactly one; a profile is only a set of defaults for them.
 */

/** A profile name: `ideal` (today's behaviour) or `realistic` (the evidence). */
export type MockProfile = 'ideal' | 'realistic';

/** The profile names, in the order `--help` lists them. */
export const mockProfiles: readonly MockProfile[] = ['ideal', 'realistic'];

/**
 * How `@nextLink` is written (A6). `absolute`: origin, path and the query as the caller encoded it;
 * `relative`: path and query, no origin; `relative-raw`: relative, with the query's printable ASCII
 * decoded (literal spaces and quotes, as the analog Store analytics API sends), only `% & = # +`
 * kept encoded so that the query still splits the same way.
 */
export type NextLinkStyle = 'absolute' | 'relative' | 'relative-raw';

/** The next-link styles. */
export const nextLinkStyles: readonly NextLinkStyle[] = ['absolute', 'relative', 'relative-raw'];

/** The behaviours a profile switches, each also an option of its own. */
export interface Realism {
  /** Most rows a page holds whatever `top` asks (A6/A7 analog: real services cap pages below `top`); `undefined` = `top`. */
  readonly pageCap: number | undefined;
  /** How `@nextLink` is written (A6). */
  readonly nextLinkStyle: NextLinkStyle;
  /** A UTF-8 byte-order mark before every API body (A11). */
  readonly bom: boolean;
}

/** Every switch's value in each profile. */
export const profileDefaults: Readonly<Record<MockProfile, Realism>> = {
  ideal: { pageCap: undefined, nextLinkStyle: 'absolute', bom: false },
  realistic: { pageCap: 2000, nextLinkStyle: 'relative-raw', bom: true },
};

/** How one switch is documented: its option, flag, evidence row and meaning (for `--help`, `/openapi.json`). */
export interface SwitchDoc {
  /** The `startMockServer` option. */
  readonly option: keyof Realism;
  /** The `pc-mock` flag with its value placeholder. */
  readonly flag: string;
  /** The rows of `reference/fidelity-findings.md` it follows. */
  readonly evidence: string;
  /** What it does, in one line. */
  readonly meaning: string;
}

/** Every switch, in the order `--help` lists them. */
export const switchDocs: readonly SwitchDoc[] = [
  {
    option: 'pageCap',
    flag: '--page-cap <n>',
    evidence: 'A6, A7',
    meaning: 'at most n rows a page whatever top asks (0 = none); @nextLink stays while rows remain',
  },
  {
    option: 'nextLinkStyle',
    flag: '--next-link-style <s>',
    evidence: 'A6',
    meaning: 'absolute | relative (path and query) | relative-raw (literal spaces and quotes)',
  },
  {
    option: 'bom',
    flag: '--bom <on|off>',
    evidence: 'A11',
    meaning: 'a UTF-8 BOM before every API body',
  },
];

/** A switch's value as `--help` and `/openapi.json` print it. */
export function formatSwitchValue(value: unknown): string {
  if (value === undefined) return 'none';
  if (typeof value === 'boolean') return value ? 'on' : 'off';
  if (typeof value === 'object' && value !== null)
    return Object.entries(value)
      .map(([name, item]) => `${name}=${formatSwitchValue(item)}`)
      .join(',');
  return String(value);
}

/** The `--help` lines of the switches: flag, meaning, each profile's value and the evidence rows. */
export function switchHelp(): string {
  return switchDocs
    .map((doc) => {
      const values = mockProfiles
        .map((profile) => `${profile} ${formatSwitchValue(profileDefaults[profile][doc.option])}`)
        .join(', ');
      return `  ${doc.flag.padEnd(24)}${doc.meaning}\n${' '.repeat(26)}(${values}) [${doc.evidence}]`;
    })
    .join('\n');
}

/** Checks a profile name. @throws Error naming the known profiles. */
export function parseProfile(value: string): MockProfile {
  if ((mockProfiles as readonly string[]).includes(value)) return value as MockProfile;
  throw new Error(`profile must be one of ${mockProfiles.join(', ')}, got '${value}'`);
}

/** Checks a next-link style. @throws Error naming the known styles. */
export function parseNextLinkStyle(value: string): NextLinkStyle {
  if ((nextLinkStyles as readonly string[]).includes(value)) return value as NextLinkStyle;
  throw new Error(`nextLinkStyle must be one of ${nextLinkStyles.join(', ')}, got '${value}'`);
}

/** Reads an on/off switch value (`on|off|true|false|yes|no|1|0`). @throws Error naming the switch. */
export function parseOnOff(name: string, value: string): boolean {
  const text = value.trim().toLowerCase();
  if (['on', 'true', 'yes', '1'].includes(text)) return true;
  if (['off', 'false', 'no', '0'].includes(text)) return false;
  throw new Error(`${name} must be on or off, got '${value}'`);
}

// Kept encoded in a raw link: they would change how the query splits into names and values.
const structural = new Set(['%', '&', '=', '#', '+']);

/**
 * Decodes the printable ASCII of a query string except `% & = # +` (a raw link's query). Invalid
 * escapes and non-ASCII bytes stay as sent.
 */
export function rawQuery(query: string): string {
  return query.replace(/%([0-9a-fA-F]{2})/g, (sequence, hex: string) => {
    const code = Number.parseInt(hex, 16);
    if (code < 0x20 || code > 0x7e) return sequence;
    const character = String.fromCharCode(code);
    return structural.has(character) ? sequence : character;
  });
}
