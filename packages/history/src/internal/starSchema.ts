import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { FileFormat, HistoryEngine } from './engine.js';
import { deploymentEndpoint, usageEndpoint } from './queries.js';
import { openEnd } from './sync.js';

type Column = readonly [name: string, type: 'TEXT' | 'BIGINT'];

/** One table of the star schema: its file name, its columns and the SQL that fills it. */
interface StarTable {
  readonly name: string;
  readonly columns: readonly Column[];
  readonly sql: string;
}

const dateKey = "CAST(replace(s.day, '-', '') AS BIGINT)";

/** Every stored day of a licenses endpoint, each row of that day with the version valid on it. */
const dailyRows = (endpoint: string) => `FROM pc_history_snapshots s
  JOIN pc_history_keys k ON k.endpoint = s.endpoint AND k.service = s.service
  JOIN pc_history_versions v ON v.key_id = k.key_id AND v.valid_from <= s.day AND v.valid_to >= s.day
  WHERE s.endpoint = '${endpoint}'`;

/**
 * The star schema Power BI and Fabric load as is: two fact tables (one row per stored day and
 * row of E2, of E1) and three dimensions (customer, product, date), joined on `customer_id`,
 * `product_id` and `date_key` (`YYYYMMDD`).
 */
export const starTables: readonly StarTable[] = [
  {
    name: 'fact_deployment',
    columns: [
      ['date_key', 'BIGINT'],
      ['customer_id', 'TEXT'],
      ['product_id', 'TEXT'],
      ['service_code', 'TEXT'],
      ['channel', 'TEXT'],
      ['licenses_sold', 'BIGINT'],
      ['licenses_deployed', 'BIGINT'],
    ],
    sql: `SELECT ${dateKey} AS date_key, k.customer_id, k.product_id, k.service AS service_code, k.channel,
      v.sold AS licenses_sold, v.deployed AS licenses_deployed ${dailyRows(deploymentEndpoint)}
      ORDER BY s.day, k.key_id`,
  },
  {
    name: 'fact_usage',
    columns: [
      ['date_key', 'BIGINT'],
      ['customer_id', 'TEXT'],
      ['product_id', 'TEXT'],
      ['service_code', 'TEXT'],
      ['channel', 'TEXT'],
      ['workload_code', 'TEXT'],
      ['licenses_active', 'BIGINT'],
      ['licenses_qualified', 'BIGINT'],
    ],
    sql: `SELECT ${dateKey} AS date_key, k.customer_id, k.product_id, k.service AS service_code, k.channel,
      k.workload AS workload_code, v.active AS licenses_active, v.qualified AS licenses_qualified
      ${dailyRows(usageEndpoint)}
      ORDER BY s.day, k.key_id`,
  },
  {
    name: 'dim_customer',
    columns: [
      ['customer_id', 'TEXT'],
      ['customer_name', 'TEXT'],
      ['first_seen', 'TEXT'],
      ['last_seen', 'TEXT'],
    ],
    // the name is the latest one the customer carried
    sql: `SELECT customer_id, customer_name, first_seen, last_seen FROM (
        SELECT k.customer_id, v.customer_name,
          min(v.valid_from) OVER (PARTITION BY k.customer_id) AS first_seen,
          max(CASE WHEN v.valid_to = '${openEnd}' THEN l.day ELSE v.valid_to END) OVER (PARTITION BY k.customer_id) AS last_seen,
          row_number() OVER (PARTITION BY k.customer_id ORDER BY v.valid_to DESC, k.key_id) AS latest
        FROM pc_history_keys k JOIN pc_history_versions v ON v.key_id = k.key_id
        JOIN (SELECT endpoint, service, max(day) AS day FROM pc_history_snapshots GROUP BY endpoint, service) l
          ON l.endpoint = k.endpoint AND l.service = k.service
        WHERE k.customer_id IS NOT NULL AND k.endpoint IN ('${deploymentEndpoint}', '${usageEndpoint}')) c
      WHERE latest = 1 ORDER BY customer_id`,
  },
  {
    name: 'dim_product',
    columns: [
      ['product_id', 'TEXT'],
      ['product_name', 'TEXT'],
      ['service_code', 'TEXT'],
    ],
    sql: `SELECT product_id, product_name, service_code FROM (
        SELECT k.product_id, v.product_name, k.service AS service_code,
          row_number() OVER (PARTITION BY k.product_id ORDER BY v.valid_to DESC, k.key_id) AS latest
        FROM pc_history_keys k JOIN pc_history_versions v ON v.key_id = k.key_id
        WHERE k.product_id IS NOT NULL AND k.endpoint IN ('${deploymentEndpoint}', '${usageEndpoint}')) p
      WHERE latest = 1 ORDER BY product_id`,
  },
  {
    name: 'dim_date',
    columns: [
      ['date_key', 'BIGINT'],
      ['date', 'TEXT'],
      ['year', 'BIGINT'],
      ['month', 'BIGINT'],
      ['day', 'BIGINT'],
    ],
    sql: `SELECT DISTINCT ${dateKey} AS date_key, s.day AS date,
        CAST(substr(s.day, 1, 4) AS BIGINT) AS year, CAST(substr(s.day, 6, 2) AS BIGINT) AS month,
        CAST(substr(s.day, 9, 2) AS BIGINT) AS day
      FROM pc_history_snapshots s WHERE s.endpoint IN ('${deploymentEndpoint}', '${usageEndpoint}')
      ORDER BY date_key`,
  },
];

/** One file `export` wrote. */
export interface ExportedFile {
  readonly table: string;
  readonly file: string;
  readonly rows: number;
}

/** Writes the star schema to `outDir` (created when absent), one file per table. */
export async function exportStar(
  engine: HistoryEngine,
  options: { readonly outDir: string; readonly format: FileFormat },
): Promise<ExportedFile[]> {
  await mkdir(options.outDir, { recursive: true });
  const written: ExportedFile[] = [];
  for (const table of starTables) {
    const file = join(options.outDir, `${table.name}.${options.format}`);
    const rows = await engine.writeQuery({
      sql: table.sql,
      params: [],
      file,
      format: options.format,
      columns: table.columns,
    });
    written.push({ table: table.name, file, rows });
  }
  return written;
}
