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

/**
 * How `processedDateTime` varies inside one response (A1). `uniform`: one date for every row (the
 * docs' E1/E2 examples); `per-service`: crm rows lag o365 rows by `crmLagDays` days and o365
 * carries a time of day, and a snapshot advance moves one service at a time.
 */
export type ServiceDates = 'uniform' | 'per-service';

/** How the measures of a grouped row are sent (A8): numbers, or numeric strings as the sibling API. */
export type GroupedMeasures = 'number' | 'string';

/** The order of grouped rows (A8): as the groups first appear, or sorted by the group key as the sibling API. */
export type GroupedOrder = 'first-seen' | 'key';

/** What the legacy customer deployment endpoint (E6) answers (A12): its rows, or the empty collection it has sent since 2021. */
export type LegacyE6 = 'live' | 'empty';

/**
 * Whether legacy collections page (research §5.1, [S16]): `none` (one collection, the seed
 * examples), or `links.next` with a `uri` relative to `/v1` (`v1`, as Partner Center's collections
 * send it) or to the root (`root`), and `headers` carrying an `MS-ContinuationToken` that the next
 * request must send.
 */
export type LegacyNextLink = 'none' | 'v1' | 'root';

/** The 400 body of a bad query to the analytics endpoints (A9): Partner Center's `{code, description, data, source}` or the analytics API's `{code, message, innererror, ...}`. */
export type ErrorStyle = 'partner-center' | 'analytics';

/**
 * Rates (0..1) of the data quirks the real service sends, each drawn per row (or per customer for
 * names and channels) from `(seed, tenant, row)`, so a page costs no more to build.
 */
export interface QuirkRates {
  /** Usage rows with `licensesActive > licensesQualified` (A2). */
  readonly overUsage?: number;
  /** Deployment rows with `licensesDeployed > licensesSold` (A3). */
  readonly overAssignment?: number;
  /** Customers with a non-ASCII or awkward name: German, French, Japanese, Chinese, an emoji, a comma, quotes, a leading `=` (A14). */
  readonly nonAsciiNames?: number;
  /** Rows with a `null` `customerName` or `productName` (A14). */
  readonly nulls?: number;
  /** `"UNKNOWN"` in a dimension: the channel of a customer, the workload name of a usage row (A14). */
  readonly unknownValues?: number;
  /** Legacy items without their optional fields `customerId`, `serviceCode`, `workloadCode` (A14; the seed examples omit them). */
  readonly missingOptional?: number;
  /** Usage rows spelled `licenseActive`, as the only published E1 sample (A13). */
  readonly licenseActive?: number;
  /** Rows whose counts are numeric strings (`"12"`), as the sibling API's measures (A8). */
  readonly numericStrings?: number;
}

/** The quirk names as `--quirks` writes them, by option key. */
export const quirkNames: Readonly<Record<keyof QuirkRates, string>> = {
  overUsage: 'over-usage',
  overAssignment: 'over-assignment',
  nonAsciiNames: 'non-ascii-names',
  nulls: 'nulls',
  unknownValues: 'unknown',
  missingOptional: 'missing-optional',
  licenseActive: 'license-active',
  numericStrings: 'numeric-strings',
};

/** The behaviours a profile switches, each also an option of its own. */
export interface Realism {
  /** Most rows a page holds whatever `top` asks (A6/A7 analog: real services cap pages below `top`); `undefined` = `top`. */
  readonly pageCap: number | undefined;
  /** How `@nextLink` is written (A6). */
  readonly nextLinkStyle: NextLinkStyle;
  /** A UTF-8 byte-order mark before every API body (A11). */
  readonly bom: boolean;
  /** One date per response, or one per service (A1). */
  readonly serviceDates: ServiceDates;
  /** Days crm lags o365 with `per-service` dates (A1). */
  readonly crmLagDays: number;
  /** Rates of the data quirks (A2, A3, A8, A13, A14). */
  readonly quirks: QuirkRates;
  /** Grouped rows carry `processedDateTime` (A8: the docs list only the group fields and measures). */
  readonly groupedProcessedDateTime: boolean;
  /** Grouped measures as numbers or numeric strings (A8). */
  readonly groupedMeasures: GroupedMeasures;
  /** Grouped rows in first-seen or group-key order (A8). */
  readonly groupedOrder: GroupedOrder;
  /** E6 live or empty (A12). */
  readonly legacyE6: LegacyE6;
  /** Legacy paging with `links.next` and `MS-ContinuationToken` (research §5.1). */
  readonly legacyNextLink: LegacyNextLink;
  /** Items per legacy page when `legacyNextLink` is not `none`. */
  readonly legacyPageSize: number;
  /** The 400 body of a bad analytics query (A9). */
  readonly errorStyle: ErrorStyle;
}

/** The quirk rates of the realistic profile. */
export const realisticQuirks: Required<QuirkRates> = {
  overUsage: 0.03,
  overAssignment: 0.02,
  nonAsciiNames: 0.05,
  nulls: 0.01,
  unknownValues: 0.01,
  missingOptional: 0.1,
  licenseActive: 0.05,
  numericStrings: 0.03,
};

/** Every switch's value in each profile. */
export const profileDefaults: Readonly<Record<MockProfile, Realism>> = {
  ideal: {
    pageCap: undefined,
    nextLinkStyle: 'absolute',
    bom: false,
    serviceDates: 'uniform',
    crmLagDays: 2,
    quirks: {},
    groupedProcessedDateTime: true,
    groupedMeasures: 'number',
    groupedOrder: 'first-seen',
    legacyE6: 'live',
    legacyNextLink: 'none',
    legacyPageSize: 20,
    errorStyle: 'partner-center',
  },
  realistic: {
    pageCap: 2000,
    nextLinkStyle: 'relative-raw',
    bom: true,
    serviceDates: 'per-service',
    crmLagDays: 2,
    quirks: realisticQuirks,
    groupedProcessedDateTime: false,
    groupedMeasures: 'string',
    groupedOrder: 'key',
    legacyE6: 'empty',
    legacyNextLink: 'v1',
    legacyPageSize: 20,
    errorStyle: 'analytics',
  },
};

/** How a switch's flag value is read before the option check. */
type FlagKind = 'text' | 'integer' | 'on-off';

/** One switch: its option, flag, evidence row and meaning, and how its value is checked. */
export interface SwitchDoc {
  /** The `startMockServer` option. */
  readonly option: keyof Realism;
  /** The `pc-mock` flag with its value placeholder. */
  readonly flag: string;
  /** The rows of `reference/fidelity-findings.md` (or the research section) it follows. */
  readonly evidence: string;
  /** What it does, in one line. */
  readonly meaning: string;
  /** How the flag's text becomes the option's value. */
  readonly flagKind: FlagKind;
  /** Checks an option value and gives the switch's value. @throws Error naming the option. */
  readonly check: (value: unknown) => unknown;
}

function oneOf<const T extends string>(option: string, values: readonly T[]) {
  return (value: unknown): T => {
    if (typeof value === 'string' && (values as readonly string[]).includes(value)) return value as T;
    throw new Error(`${option} must be one of ${values.join(', ')}, got '${String(value)}'`);
  };
}

function integerIn(option: string, min: number, max: number) {
  return (value: unknown): number => {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
      throw new Error(`${option} must be an integer from ${min} to ${max}, got '${String(value)}'`);
    return value;
  };
}

function boolean(option: string) {
  return (value: unknown): boolean => {
    if (typeof value !== 'boolean')
      throw new Error(`${option} must be true or false, got '${String(value)}'`);
    return value;
  };
}

/** Parses `over-usage=0.03,license-active=0.05` (`none` or `''` = no quirks) or checks a rates object. */
export function parseQuirks(value: unknown): QuirkRates {
  const rates: Record<string, number> = {};
  const byName = new Map(Object.entries(quirkNames).map(([key, name]) => [name, key]));
  if (typeof value === 'string') {
    const text = value.trim();
    if (text === '' || text === 'none') return {};
    for (const part of text.split(',')) {
      const item = part.trim();
      if (item === '') continue;
      const match = /^([\w-]+)\s*=\s*([0-9.]+)$/.exec(item);
      const key = match === null ? undefined : byName.get(match[1]!.toLowerCase());
      if (match === null || key === undefined)
        throw new Error(
          `quirks: invalid '${item}': expected name=rate with a name of ${Object.values(quirkNames).join(', ')}`,
        );
      rates[key] = Number(match[2]);
    }
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, rate] of Object.entries(value)) {
      if (!(key in quirkNames))
        throw new Error(`quirks: unknown quirk '${key}' (known: ${Object.keys(quirkNames).join(', ')})`);
      rates[key] = rate as number;
    }
  } else {
    throw new Error('quirks must be a spec such as over-usage=0.03,nulls=0.01 or an object of rates');
  }
  for (const [key, rate] of Object.entries(rates)) {
    if (typeof rate !== 'number' || !(rate >= 0 && rate <= 1))
      throw new Error(`quirks: ${quirkNames[key as keyof QuirkRates]} must be a rate from 0 to 1`);
  }
  return rates;
}

/** Every switch, in the order `--help` lists them. */
export const switchDocs: readonly SwitchDoc[] = [
  {
    option: 'pageCap',
    flag: '--page-cap <n>',
    evidence: 'A6, A7',
    meaning: 'at most n rows a page whatever top asks (0 = none); @nextLink stays while rows remain',
    flagKind: 'integer',
    check: (value) => integerIn('pageCap', 0, 10_000)(value) || undefined,
  },
  {
    option: 'nextLinkStyle',
    flag: '--next-link-style <s>',
    evidence: 'A6',
    meaning: 'absolute | relative (path and query) | relative-raw (literal spaces and quotes)',
    flagKind: 'text',
    check: oneOf('nextLinkStyle', nextLinkStyles),
  },
  {
    option: 'bom',
    flag: '--bom <on|off>',
    evidence: 'A11',
    meaning: 'a UTF-8 BOM before every API body',
    flagKind: 'on-off',
    check: boolean('bom'),
  },
  {
    option: 'serviceDates',
    flag: '--service-dates <s>',
    evidence: 'A1',
    meaning: 'uniform | per-service (crm lags o365, o365 has a time of day; an advance moves one service)',
    flagKind: 'text',
    check: oneOf('serviceDates', ['uniform', 'per-service'] as const),
  },
  {
    option: 'crmLagDays',
    flag: '--crm-lag-days <n>',
    evidence: 'A1',
    meaning: 'days crm lags o365 with per-service dates',
    flagKind: 'integer',
    check: integerIn('crmLagDays', 0, 30),
  },
  {
    option: 'quirks',
    flag: '--quirks <spec>',
    evidence: 'A2, A3, A8, A13, A14',
    meaning: `data quirk rates, e.g. over-usage=0.03 (none = no quirks; names: ${Object.values(quirkNames).join(', ')})`,
    flagKind: 'text',
    check: parseQuirks,
  },
  {
    option: 'groupedProcessedDateTime',
    flag: '--grouped-processed-date <on|off>',
    evidence: 'A8',
    meaning: 'grouped rows carry processedDateTime besides the group fields and measures',
    flagKind: 'on-off',
    check: boolean('groupedProcessedDateTime'),
  },
  {
    option: 'groupedMeasures',
    flag: '--grouped-measures <s>',
    evidence: 'A8',
    meaning: 'number | string: how grouped measures are sent',
    flagKind: 'text',
    check: oneOf('groupedMeasures', ['number', 'string'] as const),
  },
  {
    option: 'groupedOrder',
    flag: '--grouped-order <s>',
    evidence: 'A8',
    meaning: 'first-seen | key: the order of grouped rows',
    flagKind: 'text',
    check: oneOf('groupedOrder', ['first-seen', 'key'] as const),
  },
  {
    option: 'legacyE6',
    flag: '--legacy-e6 <s>',
    evidence: 'A12',
    meaning: 'live | empty: what the customer deployment endpoint (E6) answers',
    flagKind: 'text',
    check: oneOf('legacyE6', ['live', 'empty'] as const),
  },
  {
    option: 'legacyNextLink',
    flag: '--legacy-next-link <s>',
    evidence: 'research §5.1 (S16)',
    meaning:
      'none | v1 | root: legacy pages with links.next (uri relative to /v1 or the root) and an MS-ContinuationToken the next request must send',
    flagKind: 'text',
    check: oneOf('legacyNextLink', ['none', 'v1', 'root'] as const),
  },
  {
    option: 'legacyPageSize',
    flag: '--legacy-page-size <n>',
    evidence: 'research §5.1 (S16)',
    meaning: 'items per legacy page when legacy collections page',
    flagKind: 'integer',
    check: integerIn('legacyPageSize', 1, 10_000),
  },
  {
    option: 'errorStyle',
    flag: '--error-style <s>',
    evidence: 'A9',
    meaning: 'partner-center | analytics: the 400 body of a bad analytics query',
    flagKind: 'text',
    check: oneOf('errorStyle', ['partner-center', 'analytics'] as const),
  },
];

/** The flag name of a switch (`page-cap`), without dashes and placeholder. */
export function flagName(doc: SwitchDoc): string {
  return doc.flag.slice(2).split(' ')[0]!;
}

/**
 * Reads a switch's flag text into its option value (a number, a boolean or the text).
 * @throws Error naming the flag.
 */
export function readSwitchFlag(doc: SwitchDoc, text: string): unknown {
  const name = `--${flagName(doc)}`;
  switch (doc.flagKind) {
    case 'integer':
      if (!/^-?\d+$/.test(text.trim())) throw new Error(`${name} expects an integer, got '${text}'`);
      return Number(text);
    case 'on-off':
      return parseOnOff(name, text);
    default:
      return text;
  }
}

/**
 * The switches of a profile with the options given applied (each option wins over the profile).
 * @throws Error naming the bad option.
 */
export function resolveSwitches(profile: MockProfile, options: Readonly<Record<string, unknown>>): Realism {
  const realism: Record<string, unknown> = { ...profileDefaults[profile] };
  for (const doc of switchDocs) {
    const value = options[doc.option];
    if (value !== undefined) realism[doc.option] = doc.check(value);
  }
  return realism as unknown as Realism;
}

/** A switch's value as `--help` and `/openapi.json` print it. */
export function formatSwitchValue(value: unknown): string {
  if (value === undefined) return 'none';
  if (typeof value === 'boolean') return value ? 'on' : 'off';
  if (typeof value === 'object' && value !== null && Object.keys(value).length === 0) return 'none';
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
      const flag = doc.flag.length < 24 ? doc.flag.padEnd(24) : `${doc.flag}\n${' '.repeat(26)}`;
      return `  ${flag}${doc.meaning}\n${' '.repeat(26)}(${values}) [${doc.evidence}]`;
    })
    .join('\n');
}

/** Checks a profile name. @throws Error naming the known profiles. */
export function parseProfile(value: string): MockProfile {
  if ((mockProfiles as readonly string[]).includes(value)) return value as MockProfile;
  throw new Error(`profile must be one of ${mockProfiles.join(', ')}, got '${value}'`);
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
