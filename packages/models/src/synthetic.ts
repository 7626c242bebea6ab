/**
 * The contract between an endpoint's synthetic data and the mock server: row `i` of a snapshot is
 * derived from `(seed, snapshot, i)`, so a million rows cost no memory to hold. Analytics modules
 * ship one of these next to their descriptor so that `@pc/mock` can serve their endpoint.
 */
export interface MockDataContext {
  /** The mock's data seed. */
  readonly seed: number;
  /** The partner tenant whose data is asked for (a token sees only its own tenant's data). */
  readonly partnerTenantId: string;
  /** Customers the partner has. */
  readonly customers: number;
  /** The processing snapshot: 0 is the latest, 1 the day before, and so on. */
  readonly snapshotIndex: number;
  /** The snapshot's processing time, in `toISOString()` form (midnight UTC of its day). */
  readonly processedDateTime: string;
}

/** Rows of one snapshot, addressable by index. */
export interface SyntheticDataset<Row = Record<string, unknown>> {
  readonly count: number;
  /** Row `index` (0 <= index < count) in wire form, as the service would send it. */
  row(index: number): Row;
}

/** Makes the dataset of one snapshot. Must be deterministic: the same context gives the same rows. */
export type MockDataGenerator<Row = Record<string, unknown>> = (
  context: MockDataContext,
) => SyntheticDataset<Row>;
