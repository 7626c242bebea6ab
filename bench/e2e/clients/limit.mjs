// (1) The limit: bare undici.request + JSON.parse following @nextLink, no validation, rows discarded.
import { Agent, request } from 'undici';
import { maxRows, path, report, token, url } from './common.mjs';

const dispatcher = new Agent({ connections: 1 });
const startedAt = performance.now();
let next = `${url}${path}?top=10000`;
let rows = 0;
while (next && rows < maxRows) {
  const response = await request(next, {
    dispatcher,
    headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
  });
  const body = JSON.parse(await response.body.text());
  rows += body.Value.length;
  next = body['@nextLink'];
}
report(rows, startedAt);
await dispatcher.close();
