import { HistoryError } from '../errors.js';
import type { HistoryEngine, SqlRow } from './engine.js';
import { decodePayload } from './rowCodec.js';
import { openEnd } from './sync.js';

/** The licenses endpoints whose measures `trend`, `timeline` and `export` read. */
export const deploymentEndpoint = 'commercialLicenseDeployment';
export const usageEndpoint = 'commercialLicenseUsage';

const datePattern = /^\d{4}-\d{2}-\d{2}$/;

/** Checks a `YYYY-MM-DD` argument. @throws HistoryError `invalid-date` naming the argument. */
export function checkDate(name: string, value: unknown): string {
  const text = typeof value === 'string' ? value.trim().slice(0, 10) : '';
  const time = Date.parse(`${text}T00:00:00Z`);
  if (!datePattern.test(text) || Number.isNaN(time) || new Date(time).toISOString().slice(0, 10) !== text) {
    throw new HistoryError(
      'invalid-date',
      `${name}: expected a date as YYYY-MM-DD, got ${JSON.stringify(value)}`,
    );
  }
  return text;
}

/** One stored snapshot, as `list` returns it. */
export interface StoredSnapshot {
  readonly endpoint: string;
  readonly service: string;
  /** `YYYY-MM-DD`. */
  readonly date: string;
  /** The `processedDateTime` the rows carried. */
  readonly processedDateTime: string;
  readonly rows: number;
  /** The sync run that stored it. */
  readonly runId: number;
}

export async function listSnapshots(engine: HistoryEngine): Promise<StoredSnapshot[]> {
  const rows = await engine.query(
    'SELECT endpoint, service, day, stamp, row_count, run_id FROM pc_history_snapshots ORDER BY day, endpoint, service',
  );
  return rows.map((row) => ({
    endpoint: String(row.endpoint),
    service: String(row.service),
    date: String(row.day),
    processedDateTime: String(row.stamp),
    rows: Number(row.row_count),
    runId: Number(row.run_id),
  }));
}

/** @throws HistoryError `invalid-date` when no snapshot of `endpoint` is stored on `date`. */
async function requireStored(
  engine: HistoryEngine,
  endpoints: readonly string[],
  date: string,
): Promise<void> {
  const placeholders = endpoints.map((_, index) => `$${index + 2}`).join(', ');
  const found = await engine.query(
    `SELECT count(*) AS n FROM pc_history_snapshots WHERE day = $1 AND endpoint IN (${placeholders})`,
    [date, ...endpoints],
  );
  if (Number(found[0]?.n ?? 0) > 0) return;
  const days = await engine.query(
    `SELECT DISTINCT day FROM pc_history_snapshots WHERE endpoint IN (${endpoints.map((_, i) => `$${i + 1}`).join(', ')}) ORDER BY day`,
    [...endpoints],
  );
  const held = days.map((row) => String(row.day));
  const shown = held.length > 6 ? [...held.slice(0, 3), '...', ...held.slice(-3)] : held;
  throw new HistoryError(
    'invalid-date',
    `the history holds no ${endpoints.join(' or ')} snapshot of ${date}; stored days: ${shown.length === 0 ? 'none (run pc history sync)' : shown.join(', ')}`,
  );
}

/**
 * The rows of one stored day, in the order they were downloaded: the order runs of the read that
 * stored each (service, day), expanded, joined to the version valid on that day.
 */
export async function* snapshotRows(
  engine: HistoryEngine,
  options: { readonly endpoint: string; readonly date: string; readonly batchRows?: number },
): AsyncIterable<Record<string, unknown>[]> {
  await requireStored(engine, [options.endpoint], options.date);
  const sql = `SELECT v.payload AS payload, s.stamp AS stamp
    FROM pc_history_snapshots s
    JOIN pc_history_order o ON o.read_id = s.read_id
    CROSS JOIN LATERAL generate_series(0, o.length - 1) AS g(i)
    JOIN pc_history_keys k ON k.key_id = o.first_key + g.i AND k.service = s.service
    JOIN pc_history_versions v ON v.key_id = k.key_id AND v.valid_from <= s.day AND v.valid_to >= s.day
    WHERE s.endpoint = $1 AND s.day = $2
    ORDER BY s.read_id, o.start_pos + g.i`;
  for await (const batch of engine.stream(
    sql,
    [options.endpoint, options.date],
    options.batchRows ?? 10_000,
  )) {
    yield batch.map((row) => decodePayload(String(row.payload), String(row.stamp)));
  }
}

/** The groupings of `trend`. */
export type TrendGrouping = 'customer' | 'product' | 'service' | 'channel';

export const trendGroupings: readonly TrendGrouping[] = ['customer', 'product', 'service', 'channel'];

const groupColumns: Record<
  TrendGrouping,
  { key: string; label: string | null; keyName: string; labelName: string | null }
> = {
  customer: {
    key: 'k.customer_id',
    label: 'v.customer_name',
    keyName: 'customerTenantId',
    labelName: 'customerName',
  },
  product: { key: 'k.product_id', label: 'v.product_name', keyName: 'productId', labelName: 'productName' },
  service: { key: 'k.service', label: null, keyName: 'serviceCode', labelName: null },
  channel: { key: 'k.channel', label: null, keyName: 'channel', labelName: null },
};

/** The four measures, as `trend` names them. */
export const trendMeasures = [
  ['sold', 'licensesSold'],
  ['deployed', 'licensesDeployed'],
  ['active', 'licensesActive'],
  ['qualified', 'licensesQualified'],
] as const;

/** One group of `trend`: its key and label, and each measure on both days with the change. */
export type TrendRow = Record<string, string | number | null>;

/**
 * Sums of sold, deployed (E2), active and qualified (E1) per group on two stored days, and their
 * changes. A group absent on one day counts 0 there.
 */
export async function trendRows(
  engine: HistoryEngine,
  options: { readonly from: string; readonly to: string; readonly by: TrendGrouping },
): Promise<TrendRow[]> {
  const group = groupColumns[options.by];
  if (group === undefined) {
    throw new HistoryError(
      'invalid-argument',
      `--by: expected one of ${trendGroupings.join(', ')}, got ${JSON.stringify(options.by)}`,
    );
  }
  const endpoints = [deploymentEndpoint, usageEndpoint];
  await requireStored(engine, endpoints, options.from);
  await requireStored(engine, endpoints, options.to);
  const label = group.label === null ? 'CAST(NULL AS TEXT)' : `max(${group.label})`;
  const side = (param: string) => `SELECT ${group.key} AS g, ${label} AS label,
      sum(v.sold) AS sold, sum(v.deployed) AS deployed, sum(v.active) AS active, sum(v.qualified) AS qualified
    FROM pc_history_snapshots s
    JOIN pc_history_keys k ON k.endpoint = s.endpoint AND k.service = s.service
    JOIN pc_history_versions v ON v.key_id = k.key_id AND v.valid_from <= s.day AND v.valid_to >= s.day
    WHERE s.day = ${param} AND s.endpoint IN ($3, $4)
    GROUP BY ${group.key}`;
  const measures = trendMeasures
    .map(([column]) => `coalesce(a.${column}, 0) AS ${column}_from, coalesce(b.${column}, 0) AS ${column}_to`)
    .join(', ');
  const rows = await engine.query(
    `WITH a AS (${side('$1')}), b AS (${side('$2')})
     SELECT coalesce(b.g, a.g) AS g, coalesce(b.label, a.label) AS label, ${measures}
     FROM a FULL OUTER JOIN b ON a.g = b.g`,
    [options.from, options.to, deploymentEndpoint, usageEndpoint],
  );
  // sorted here, not in SQL: PostgreSQL's collation and DuckDB's byte order disagree on text
  return rows.sort((x, y) => compareText(x.g, y.g)).map((row) => trendRow(row, group));
}

/** Byte order of texts, nulls last: the same on both engines. */
export function compareText(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return 1;
  if (b === null || b === undefined) return -1;
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function trendRow(row: SqlRow, group: (typeof groupColumns)[TrendGrouping]): TrendRow {
  const out: TrendRow = { [group.keyName]: row.g ?? null };
  if (group.labelName !== null) out[group.labelName] = row.label ?? null;
  for (const [column, name] of trendMeasures) {
    const from = Number(row[`${column}_from`] ?? 0);
    const to = Number(row[`${column}_to`] ?? 0);
    out[`${name}From`] = from;
    out[`${name}To`] = to;
    out[`${name}Change`] = to - from;
  }
  return out;
}

/** One span of `timeline`: a product (and workload) of the customer, and the values it held. */
export interface TimelineSpan {
  readonly endpoint: string;
  readonly serviceCode: string;
  readonly productId: string | null;
  readonly productName: string | null;
  readonly workloadCode: string | null;
  readonly channel: string | null;
  /** First and last stored day (inclusive) on which the values held. */
  readonly from: string;
  readonly to: string;
  readonly licensesSold: number | null;
  readonly licensesDeployed: number | null;
  readonly licensesActive: number | null;
  readonly licensesQualified: number | null;
}

/** One customer's products over time: every span of values, by product, then endpoint and workload. */
export async function timelineSpans(engine: HistoryEngine, customerId: string): Promise<TimelineSpan[]> {
  const id = customerId.trim().toLowerCase();
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id)) {
    throw new HistoryError(
      'invalid-argument',
      `--customer: expected a customer tenant id (a GUID), got ${JSON.stringify(customerId)}`,
    );
  }
  const rows = await engine.query(
    `SELECT k.endpoint, k.service, k.product_id, v.product_name, k.workload, k.channel, v.valid_from,
            CASE WHEN v.valid_to = $4 THEN l.day ELSE v.valid_to END AS valid_to,
            v.sold, v.deployed, v.active, v.qualified
     FROM pc_history_keys k JOIN pc_history_versions v ON v.key_id = k.key_id
     JOIN (SELECT endpoint, service, max(day) AS day FROM pc_history_snapshots GROUP BY endpoint, service) l
       ON l.endpoint = k.endpoint AND l.service = k.service
     WHERE k.customer_id = $1 AND k.endpoint IN ($2, $3)`,
    [id, deploymentEndpoint, usageEndpoint, openEnd],
  );
  rows.sort(
    (x, y) =>
      compareText(x.product_id, y.product_id) ||
      compareText(x.endpoint, y.endpoint) ||
      compareText(x.workload, y.workload) ||
      compareText(x.valid_from, y.valid_from),
  );
  const nullableNumber = (value: unknown) => (value === null || value === undefined ? null : Number(value));
  const nullableText = (value: unknown) => (value === null || value === undefined ? null : String(value));
  return rows.map((row) => ({
    endpoint: String(row.endpoint),
    serviceCode: String(row.service),
    productId: nullableText(row.product_id),
    productName: nullableText(row.product_name),
    workloadCode: nullableText(row.workload),
    channel: nullableText(row.channel),
    from: String(row.valid_from),
    to: String(row.valid_to),
    licensesSold: nullableNumber(row.sold),
    licensesDeployed: nullableNumber(row.deployed),
    licensesActive: nullableNumber(row.active),
    licensesQualified: nullableNumber(row.qualified),
  }));
}
