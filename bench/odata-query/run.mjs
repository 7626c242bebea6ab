// Benchmark of @pc/odata-query against the peers named in
// /work/shared/reference/transport-and-odata-anchors.md (Part B.3), all measured in this run.
// Build first: pnpm --filter @pc/odata-query build. Run: node bench/odata-query/run.mjs
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import {
  compileFilter,
  filter,
  filterBuilder,
  parseFilter,
  printFilter,
} from '../../packages/odata-query/dist/index.js';

const require = createRequire(import.meta.url);
const { defaultParser, ODataFilter } = require('@odata/parser');
const auth0 = require('odata-parser');
const inmemory = require('odata-v4-inmemory');
const techniq = require('odata-query');
const buildTechniq = techniq.default ?? techniq.buildQuery ?? techniq;

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const ROUND_MS = 120;

// The input of the reference: 79 characters.
const TEXT = "serviceCode eq 'O365' or (channel eq 'Reseller' and customerName ne 'O''Brien')";
const AST = parseFilter(TEXT);

let sink = 0;
const consume = (value) => {
  sink = (sink + (typeof value === 'string' ? value.length : value ? 1 : 2)) | 0;
};

/**
 * Times `fn(i)` for `iterations` calls; returns ns per call. Measures this process's CPU time
 * (process.cpuUsage), not wall time: the machines are shared, and time spent descheduled is not
 * the code's cost. Set BENCH_CLOCK=wall for wall time.
 */
const useWall = process.env.BENCH_CLOCK === 'wall';
const cpuNs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) * 1e3;
};
function time(fn, iterations) {
  const start = useWall ? performance.now() * 1e6 : cpuNs();
  for (let i = 0; i < iterations; i++) consume(fn(i));
  const end = useWall ? performance.now() * 1e6 : cpuNs();
  return (end - start) / iterations;
}

/** Calibrates to ~ROUND_MS per round, runs one warm-up and ROUNDS timed rounds, returns the median ns/op. */
function measure(fn) {
  let iterations = 1;
  for (;;) {
    const ms = (time(fn, iterations) * iterations) / 1e6;
    if (ms > ROUND_MS / 4) {
      iterations = Math.max(1, Math.round((iterations * ROUND_MS) / ms));
      break;
    }
    iterations *= 4;
  }
  time(fn, iterations);
  const samples = [];
  for (let r = 0; r < ROUNDS; r++) samples.push(time(fn, iterations));
  samples.sort((a, b) => a - b);
  return {
    median: samples[Math.floor(samples.length / 2)],
    min: samples[0],
    max: samples[samples.length - 1],
  };
}

// ---------------------------------------------------------------- rows for evaluation
const codes = ['O365', 'o365', 'AZURE', 'Dynamics', 'EMS'];
const channels = ['Reseller', 'reseller', 'Direct', 'Indirect'];
const names = ["O'Brien", "o'brien", 'Contoso', 'Fabrikam', 'Northwind', 'Adatum'];
const ROWS = Array.from({ length: 10_000 }, (_, i) => ({
  serviceCode: codes[(i * 7) % codes.length],
  channel: channels[(i * 3) % channels.length],
  customerName: names[(i * 5) % names.length],
  licensesActive: i % 100,
}));
const rowMask = ROWS.length - 1 >= 0 ? ROWS.length : 1;
const compiled = compileFilter(AST);
const peerPredicate = inmemory.createFilter(TEXT);
const handWritten = (row) =>
  row.serviceCode.toLowerCase() === 'o365' ||
  (row.channel.toLowerCase() === 'reseller' && row.customerName.toLowerCase() !== "o'brien");

// ---------------------------------------------------------------- builders
const f = filterBuilder();
const name = "O'Brien";
const buildOurs = () =>
  printFilter(
    f.or(f.eq('serviceCode', 'O365'), f.and(f.eq('channel', 'Reseller'), f.ne('customerName', name))),
  );
const buildTemplate = () =>
  filter`serviceCode eq ${'O365'} or (channel eq ${'Reseller'} and customerName ne ${name})`;
const buildTechniqQuery = () =>
  buildTechniq({
    filter: { or: [{ serviceCode: 'O365' }, { channel: 'Reseller', customerName: { ne: name } }] },
  });
const buildSoontao = () =>
  ODataFilter.New().field('serviceCode').eq('O365').field('customerName').ne(name).build();

const groups = [
  {
    title: `parse (${TEXT.length}-char filter)`,
    target: 2000,
    ours: [['@pc/odata-query parseFilter', () => parseFilter(TEXT)]],
    peers: [
      ['@odata/parser defaultParser.filter', () => defaultParser.filter(TEXT)],
      ['odata-parser (auth0) parse', () => auth0.parse(`$filter=${TEXT}`)],
    ],
  },
  {
    title: 'print (AST -> text)',
    target: 1000,
    ours: [['@pc/odata-query printFilter', () => printFilter(AST)]],
    peers: [],
  },
  {
    title: 'build (3 comparisons, escaped)',
    target: 1000,
    ours: [
      ['@pc/odata-query filterBuilder + printFilter', buildOurs],
      ['@pc/odata-query filter`...` template', buildTemplate],
    ],
    peers: [
      ['odata-query (techniq) buildQuery', buildTechniqQuery],
      ['@odata/parser ODataFilter (2 fields, no escaping)', buildSoontao],
    ],
  },
  {
    title: 'compile (text -> predicate)',
    target: undefined,
    ours: [['@pc/odata-query compileFilter(text)', () => compileFilter(TEXT)]],
    peers: [['odata-v4-inmemory createFilter', () => inmemory.createFilter(TEXT)]],
  },
  {
    title: 'evaluate (per row, 10,000 rows)',
    target: 50,
    ours: [['@pc/odata-query compiled predicate', (i) => compiled(ROWS[i % rowMask])]],
    peers: [
      ['odata-v4-inmemory predicate', (i) => peerPredicate(ROWS[i % rowMask])],
      ['(floor) hand-written JS predicate', (i) => handWritten(ROWS[i % rowMask])],
    ],
  },
];

// Sanity: the compared things agree where they should, so the numbers compare like with like.
for (const row of ROWS.slice(0, 100)) {
  if (compiled(row) !== handWritten(row))
    throw new Error(`compiled predicate disagrees on ${JSON.stringify(row)}`);
}
if (buildOurs() !== printFilter(parseFilter(buildTemplate())))
  throw new Error('builder and template print different text');

const format = (ns) =>
  ns >= 1e6
    ? `${(ns / 1e6).toFixed(2)} ms`
    : ns >= 1e3
      ? `${(ns / 1e3).toFixed(2)} µs`
      : `${ns.toFixed(1)} ns`;
const started = performance.now();
console.log(
  `@pc/odata-query benchmark: Node ${process.version}, ${ROUNDS} rounds of ~${ROUND_MS} ms, median per op, ${useWall ? 'wall' : 'CPU'} time`,
);
for (const group of groups) {
  console.log(`\n## ${group.title}${group.target ? ` (target < ${format(group.target)})` : ''}`);
  const results = [];
  for (const [label, fn] of [...group.ours, ...group.peers]) {
    const r = measure(fn);
    results.push({ label, ours: group.ours.some(([l]) => l === label), ...r });
  }
  const realPeers = results.filter((r) => !r.ours && !r.label.startsWith('(floor)'));
  const best = realPeers.length > 0 ? Math.min(...realPeers.map((r) => r.median)) : undefined;
  console.log(`| case | median | range | vs best peer | vs target |`);
  console.log(`|---|---:|---|---:|---:|`);
  for (const r of results) {
    const ratio =
      best === undefined
        ? 'n/a'
        : r.ours
          ? `${(best / r.median).toFixed(1)}x faster`
          : `${(r.median / best).toFixed(2)}x`;
    const target =
      group.target && r.ours
        ? `${r.median < group.target ? 'met' : 'MISSED'} (${(group.target / r.median).toFixed(1)}x)`
        : '';
    console.log(
      `| ${r.label} | ${format(r.median)} | ${format(r.min)}–${format(r.max)} | ${ratio} | ${target} |`,
    );
  }
}
console.log(`\n(total ${((performance.now() - started) / 1000).toFixed(1)} s, sink ${sink})`);
