// The request of a short command, without a CLI: one undici.request for one row, JSON.parse.
import { request } from 'undici';

const response = await request(
  `${process.env.BENCH_URL}/partner/v1/analytics/commercial/deployment/license?top=1`,
  { headers: { authorization: `Bearer ${process.env.BENCH_TOKEN}`, accept: 'application/json' } },
);
const body = JSON.parse(await response.body.text());
process.stdout.write(`${JSON.stringify(body.Value[0] ?? null)}\n`);
