/**
 * A least-recently-used map: reading a key refreshes it; the oldest keys go first once there are
 * more than `capacity` entries or, when a `weigh` function is given, their weights add up to more
 * than `maxWeight` (the newest entry always stays).
 */
export class LruCache<V> {
  private readonly map = new Map<string, { readonly value: V; readonly weight: number }>();
  private totalWeight = 0;

  constructor(
    private readonly capacity: number,
    private readonly options: { readonly weigh?: (value: V) => number; readonly maxWeight?: number } = {},
  ) {}

  get(key: string): V | undefined {
    const entry = this.map.get(key);
    if (entry === undefined) return undefined;
    this.map.delete(key);
    this.map.set(key, entry);
    return entry.value;
  }

  set(key: string, value: V): void {
    this.delete(key);
    const weight = this.options.weigh?.(value) ?? 0;
    this.map.set(key, { value, weight });
    this.totalWeight += weight;
    const maxWeight = this.options.maxWeight ?? Number.POSITIVE_INFINITY;
    while (this.map.size > 1 && (this.map.size > this.capacity || this.totalWeight > maxWeight)) {
      this.delete(this.map.keys().next().value as string);
    }
  }

  delete(key: string): void {
    const entry = this.map.get(key);
    if (entry === undefined) return;
    this.map.delete(key);
    this.totalWeight -= entry.weight;
  }

  clear(): void {
    this.map.clear();
    this.totalWeight = 0;
  }
}
