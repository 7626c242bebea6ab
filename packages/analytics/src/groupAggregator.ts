/** One group of a {@link GroupAggregator}: its key values and the exact sums of its measures. */
export interface AggregatedGroup {
  readonly key: Readonly<Record<string, string>>;
  readonly sums: Readonly<Record<string, number>>;
}

const separator = '\u0000';

/**
 * Hash aggregation by group: memory grows with the number of groups, never with the rows fed in.
 * Measures are summed exactly (integers, checked to stay within `Number.MAX_SAFE_INTEGER`); a
 * missing measure counts as 0, a missing key field as ''.
 */
export class GroupAggregator {
  readonly keys: readonly string[];
  readonly measures: readonly string[];
  readonly #groups = new Map<string, { key: Record<string, string>; sums: Record<string, number> }>();
  #rows = 0;

  constructor(options: { readonly keys: readonly string[]; readonly measures: readonly string[] }) {
    this.keys = options.keys;
    this.measures = options.measures;
  }

  /** Rows fed in so far. */
  get rows(): number {
    return this.#rows;
  }

  /** Number of groups so far. */
  get size(): number {
    return this.#groups.size;
  }

  /** Adds one row's measures to its group. */
  add(row: Readonly<Record<string, unknown>>): void {
    this.#rows += 1;
    let id = '';
    for (let index = 0; index < this.keys.length; index++) {
      const value = row[this.keys[index]!];
      id += (index === 0 ? '' : separator) + (value === undefined || value === null ? '' : String(value));
    }
    let group = this.#groups.get(id);
    if (group === undefined) {
      const key: Record<string, string> = {};
      const sums: Record<string, number> = {};
      for (const name of this.keys) {
        const value = row[name];
        key[name] = value === undefined || value === null ? '' : String(value);
      }
      for (const name of this.measures) sums[name] = 0;
      group = { key, sums };
      this.#groups.set(id, group);
    }
    for (const name of this.measures) {
      const value = row[name];
      if (value === undefined || value === null) continue;
      if (typeof value !== 'number' || !Number.isInteger(value)) {
        throw new TypeError(`Cannot sum ${name}=${JSON.stringify(value)}: not an integer`);
      }
      const sum = group.sums[name]! + value;
      if (!Number.isSafeInteger(sum))
        throw new RangeError(`The sum of ${name} exceeds Number.MAX_SAFE_INTEGER`);
      group.sums[name] = sum;
    }
  }

  /** The groups, in order of first appearance. */
  groups(): IterableIterator<AggregatedGroup> {
    return this.#groups.values();
  }

  /** The group with these key values, if any. */
  get(key: Readonly<Record<string, string>>): AggregatedGroup | undefined {
    return this.#groups.get(this.keys.map((name) => key[name] ?? '').join(separator));
  }
}

/** `numerator / denominator`, or null when the denominator is 0. */
export function rate(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : numerator / denominator;
}

/** Compares texts for a stable, locale-independent sort. */
export function compareText(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0;
}
