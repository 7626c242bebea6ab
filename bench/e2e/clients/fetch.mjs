// (2) The hand-written peer most users write today: global fetch + await res.json() following
// @nextLink, every row collected in an array, then written out as one JSON document.
import { writeFileSync } from 'node:fs';
import { maxRows, path, report, token, url } from './common.mjs';

const startedAt = performance.now();
let next = `${url}${path}?top=10000`;
const rows = [];
while (next && rows.length < maxRows) {
  const response = await fetch(next, {
    headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
  });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const body = await response.json();
  rows.push(...body.Value);
  next = body['@nextLink'];
}
writeFileSync('/dev/null', JSON.stringify(rows));
report(rows.length, startedAt);
