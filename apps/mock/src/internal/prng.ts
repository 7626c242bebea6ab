/**
 * Counter-based randomness: every random value the mock uses is a pure function of a few
 * integers (the seed, the tenant, the snapshot day, a row or request number), so row `i` can be
 * derived on demand and a run can be replayed exactly.
 */

/** Mixes a 32-bit integer into a well-distributed unsigned 32-bit value (lowbias32). */
export function mix32(value: number): number {
  let x = value | 0;
  x = Math.imul(x ^ (x >>> 16), 0x7feb352d);
  x = Math.imul(x ^ (x >>> 15), 0x846ca68b);
  return (x ^ (x >>> 16)) >>> 0;
}

/** Hashes two integers. */
export function hash2(a: number, b: number): number {
  return mix32(mix32(a) ^ Math.imul(b | 0, 0x9e3779b1));
}

/** Hashes three integers. */
export function hash3(a: number, b: number, c: number): number {
  return mix32(hash2(a, b) ^ Math.imul(c | 0, 0x85ebca6b));
}

/** Hashes four integers. */
export function hash4(a: number, b: number, c: number, d: number): number {
  return mix32(hash3(a, b, c) ^ Math.imul(d | 0, 0xc2b2ae35));
}

/** FNV-1a over the UTF-16 code units of a string, mixed. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    h = Math.imul(h ^ text.charCodeAt(index), 0x01000193);
  }
  return mix32(h);
}

/** Maps a 32-bit hash to a fraction in [0, 1). */
export function unit(hash: number): number {
  return hash / 4294967296;
}

/** A uniform integer in [min, max] from a hash. */
export function between(hash: number, min: number, max: number): number {
  return min + Math.floor(unit(hash) * (max - min + 1));
}

function hex8(word: number): string {
  return (word >>> 0).toString(16).padStart(8, '0');
}

/**
 * A version-4-shaped GUID (lower case) from four hashes: the version nibble `4` starts the third
 * group and the variant bits (`8`-`b`) the fourth, as in real tenant ids, so strict UUID checks pass.
 */
export function guidFrom(a: number, b: number, c: number, d: number): string {
  const digits =
    hex8(a) + hex8((b & 0xffff0fff) | 0x00004000) + hex8((c & 0x3fffffff) | 0x80000000) + hex8(d);
  return `${digits.slice(0, 8)}-${digits.slice(8, 12)}-${digits.slice(12, 16)}-${digits.slice(16, 20)}-${digits.slice(20)}`;
}

/** A sequence of seeded values: the n-th draw is `hash2(seed, n)`, so a run can be replayed. */
export class SeededSequence {
  private counter = 0;
  constructor(private readonly seed: number) {}

  /** The next fraction in [0, 1). */
  next(): number {
    return unit(hash2(this.seed, this.counter++));
  }

  /** Starts the sequence over. */
  reset(): void {
    this.counter = 0;
  }
}
