// (3) and (5): every row through @pc/analytics (validated, normalized), rows discarded as they come.
import { createClient } from '../../../packages/analytics/dist/index.js';
import { maxRows, report, token, url } from './common.mjs';

const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 1);
const client = createClient({ baseUrl: url, accessToken: token, concurrency });
const startedAt = performance.now();
let rows = 0;
const options = Number.isFinite(maxRows) ? { top: maxRows } : {};
for await (const row of client.commercial.licenses.deployment.list(options)) {
  if (row.licensesSold >= 0) rows++;
}
report(rows, startedAt);
await client.close();
