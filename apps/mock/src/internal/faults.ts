import { hash2, SeededSequence } from './prng.js';

/** Fault names a `--faults` spec can give a probability to. */
export type FaultName =
  | '429'
  | '500'
  | '502'
  | '503'
  | '504'
  | 'reset'
  | 'truncate'
  | 'bom'
  | 'slow'
  | 'hang'
  | 'empty'
  | 'no-content';

/**
 * Probabilistic faults: each named fault's chance per request (their sum at most 1), plus the
 * `Retry-After` the injected 429/503 carry and how long a `slow` body takes.
 */
export type FaultSpec = { readonly [Name in FaultName]?: number } & {
  /** Seconds in the `Retry-After` of injected 429 (default 1). */
  readonly retryAfterSeconds?: number;
  /** How long a `slow` body takes to dribble out, in milliseconds (default 1500). */
  readonly slowMs?: number;
};

/** How a `truncate` fault cuts the body. */
export type TruncateMode = 'length' | 'chunked' | 'socket';

/** One fault chosen for one request. */
export interface Fault {
  /** `status` for an HTTP error status, otherwise the fault name. */
  readonly kind: 'status' | 'reset' | 'truncate' | 'bom' | 'slow' | 'hang' | 'empty' | 'no-content';
  /** The error status of a `status` fault. */
  readonly status?: number;
  readonly retryAfterSeconds?: number;
  readonly truncateMode?: TruncateMode;
  readonly slowMs?: number;
  /** `header` when the request asked for it, `spec` when drawn from the probabilities. */
  readonly source: 'header' | 'spec';
  /** The fault as one would write it in `x-pc-mock-fault` (for the journal). */
  readonly label: string;
}

/** The fault names, in the order the cumulative draw walks them. */
export const faultNames: readonly FaultName[] = [
  '429',
  '500',
  '502',
  '503',
  '504',
  'reset',
  'truncate',
  'bom',
  'slow',
  'hang',
  'empty',
  'no-content',
];
const truncateModes: readonly TruncateMode[] = ['length', 'chunked', 'socket'];
const defaultRetryAfter = 1;
const defaultSlowMs = 1500;

function isFaultName(name: string): name is FaultName {
  return (faultNames as readonly string[]).includes(name);
}

/** Parses `429=0.1,503=0.05,reset=0.02,retry-after=2,slow-ms=500` (an empty string = no faults). */
export function parseFaultSpec(text: string): FaultSpec {
  const spec: Record<string, number> = {};
  for (const part of text.split(',')) {
    const item = part.trim();
    if (item === '') continue;
    const match = /^([\w-]+)\s*=\s*([0-9.]+)$/.exec(item);
    if (match === null) throw new Error(`invalid fault '${item}': expected name=probability (e.g. 429=0.1)`);
    const name = match[1]!.toLowerCase();
    const value = Number(match[2]);
    if (!Number.isFinite(value)) throw new Error(`invalid number in fault '${item}'`);
    if (name === 'retry-after' || name === 'retryafter') spec.retryAfterSeconds = value;
    else if (name === 'slow-ms' || name === 'slowms') spec.slowMs = value;
    else if (isFaultName(name)) spec[name] = value;
    else throw new Error(`unknown fault '${name}' (known: ${faultNames.join(', ')}, retry-after, slow-ms)`);
  }
  return validateFaultSpec(spec);
}

/** Checks probabilities (each in 0..1, sum at most 1) and returns the spec. */
export function validateFaultSpec(spec: FaultSpec): FaultSpec {
  let sum = 0;
  for (const name of faultNames) {
    const probability = spec[name];
    if (probability === undefined) continue;
    if (!(probability >= 0 && probability <= 1))
      throw new Error(`fault ${name}: probability must be within 0..1`);
    sum += probability;
  }
  if (sum > 1 + 1e-9) throw new Error(`fault probabilities add up to ${sum}, more than 1`);
  if (spec.retryAfterSeconds !== undefined && !(spec.retryAfterSeconds >= 0))
    throw new Error('retry-after must be >= 0');
  if (spec.slowMs !== undefined && !(spec.slowMs >= 0)) throw new Error('slow-ms must be >= 0');
  return spec;
}

/** Prints a spec back in the `--faults` syntax. */
export function printFaultSpec(spec: FaultSpec): string {
  const parts: string[] = [];
  for (const name of faultNames) {
    const probability = spec[name];
    if (probability !== undefined && probability > 0) parts.push(`${name}=${probability}`);
  }
  if (spec.retryAfterSeconds !== undefined) parts.push(`retry-after=${spec.retryAfterSeconds}`);
  if (spec.slowMs !== undefined) parts.push(`slow-ms=${spec.slowMs}`);
  return parts.join(',');
}

function parameterMap(parts: readonly string[]): Map<string, string> {
  const parameters = new Map<string, string>();
  for (const part of parts) {
    const [key, ...rest] = part.split('=');
    if (key !== undefined && key.trim() !== '')
      parameters.set(key.trim().toLowerCase(), rest.join('=').trim());
  }
  return parameters;
}

function numberParameter(parameters: Map<string, string>, ...names: string[]): number | undefined {
  for (const name of names) {
    const value = parameters.get(name);
    if (value !== undefined && value !== '' && Number.isFinite(Number(value))) return Number(value);
  }
  return undefined;
}

/**
 * Parses an `x-pc-mock-fault` header: `429;retry-after=2`, `503`, `reset`, `truncate;mode=chunked`,
 * `bom`, `slow;ms=500`, `hang`, `empty`, or any status 400-599.
 * @throws Error with a message naming the problem.
 */
export function parseFaultHeader(value: string): Fault {
  const [head = '', ...rest] = value.split(';');
  const name = head.trim().toLowerCase();
  const parameters = parameterMap(rest);
  const label = value.trim();
  if (/^\d{3}$/.test(name)) {
    const status = Number(name);
    if (status < 400 || status > 599) throw new Error(`fault status ${status} must be within 400..599`);
    const retryAfterSeconds =
      numberParameter(parameters, 'retry-after', 'retryafter') ??
      (status === 429 ? defaultRetryAfter : undefined);
    return retryAfterSeconds === undefined
      ? { kind: 'status', status, source: 'header', label }
      : { kind: 'status', status, retryAfterSeconds, source: 'header', label };
  }
  switch (name) {
    case 'reset':
    case 'bom':
    case 'hang':
    case 'empty':
    case 'no-content':
      return { kind: name, source: 'header', label };
    case 'truncate': {
      const mode = (parameters.get('mode') ?? 'chunked').toLowerCase();
      if (!(truncateModes as readonly string[]).includes(mode)) {
        throw new Error(`truncate mode '${mode}' is not one of ${truncateModes.join(', ')}`);
      }
      return { kind: 'truncate', truncateMode: mode as TruncateMode, source: 'header', label };
    }
    case 'slow':
      return {
        kind: 'slow',
        slowMs: numberParameter(parameters, 'ms') ?? defaultSlowMs,
        source: 'header',
        label,
      };
    default:
      throw new Error(
        `unknown fault '${name}' (known: a status 400-599 such as 429;retry-after=2, reset, truncate;mode=length|chunked|socket, bom, slow;ms=N, hang, empty, no-content)`,
      );
  }
}

/** Draws the probabilistic faults from a seeded sequence: the n-th request's fault is reproducible. */
export class FaultInjector {
  private spec: FaultSpec;
  private readonly sequence: SeededSequence;

  constructor(options: { readonly spec: FaultSpec; readonly seed: number }) {
    this.spec = options.spec;
    this.sequence = new SeededSequence(hash2(options.seed, 0xfa017));
  }

  /** The current probabilities. */
  current(): FaultSpec {
    return this.spec;
  }

  /** Replaces the probabilities. */
  set(spec: FaultSpec): void {
    this.spec = validateFaultSpec(spec);
  }

  /** Starts the draw sequence over (same seed, same schedule). */
  restart(): void {
    this.sequence.reset();
  }

  /** The fault of the next request, or `undefined`; one draw per request whatever the spec. */
  draw(): Fault | undefined {
    const u = this.sequence.next();
    const variant = this.sequence.next();
    let cumulative = 0;
    for (const name of faultNames) {
      const probability = this.spec[name] ?? 0;
      if (probability <= 0) continue;
      cumulative += probability;
      if (u < cumulative) return this.make(name, variant);
    }
    return undefined;
  }

  private make(name: FaultName, variant: number): Fault {
    const label = name;
    if (/^\d{3}$/.test(name)) {
      const status = Number(name);
      const retryAfterSeconds =
        status === 429 || status === 503 ? (this.spec.retryAfterSeconds ?? defaultRetryAfter) : undefined;
      return retryAfterSeconds === undefined
        ? { kind: 'status', status, source: 'spec', label }
        : {
            kind: 'status',
            status,
            retryAfterSeconds,
            source: 'spec',
            label: `${label};retry-after=${retryAfterSeconds}`,
          };
    }
    if (name === 'truncate') {
      const truncateMode = truncateModes[Math.floor(variant * truncateModes.length)]!;
      return { kind: 'truncate', truncateMode, source: 'spec', label: `truncate;mode=${truncateMode}` };
    }
    if (name === 'slow') {
      const slowMs = this.spec.slowMs ?? defaultSlowMs;
      return { kind: 'slow', slowMs, source: 'spec', label: `slow;ms=${slowMs}` };
    }
    return { kind: name as Exclude<Fault['kind'], 'status' | 'truncate' | 'slow'>, source: 'spec', label };
  }
}
