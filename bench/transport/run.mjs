// Benchmark: @pc/transport against bare `undici.request` + `JSON.parse`, on loopback. Ratios are
// medians of per-round ratios to that baseline (> 1 means faster); "client CPU" is the client
// process's CPU time per request, which the other load on the machine disturbs less than wall time.
// Build first: pnpm --filter @pc/transport build. Run: node bench/transport/run.mjs
// The server runs in a child process; variants alternate over several rounds; medians are printed.
// BENCH_TRANSPORT_BASELINE=/path/to/other/packages/transport/dist/index.js adds that build as a
// fourth variant (e.g. the commit before a change, built in a scratch worktree), so a change's
// cost is read as the ratio of the two builds in one run.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Agent, request } from 'undici';
import { createStaticTokenProvider, createTransport } from '../../packages/transport/dist/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const scenarios = [
  { name: '~1 MB JSON page', path: '/big', requests: 100, concurrency: 2, warmup: 10 },
  { name: '~1.2 KB JSON body', path: '/small', requests: 3000, concurrency: 8, warmup: 300 },
];

const child = spawn(process.execPath, [join(here, 'server.mjs')], { stdio: ['ignore', 'pipe', 'inherit'] });
const [line] = await once(child.stdout, 'data');
const info = JSON.parse(String(line));
const baseUrl = `http://127.0.0.1:${info.port}`;
const sizes = { '/big': info.big, '/small': info.small };

function bareVariant(concurrency) {
  const dispatcher = new Agent({ connections: concurrency, keepAliveTimeout: 30_000 });
  return {
    name: 'undici.request + JSON.parse',
    async call(path) {
      const { body } = await request(`${baseUrl}${path}`, {
        dispatcher,
        headers: { accept: 'application/json', authorization: 'Bearer bench-token' },
      });
      const parsed = JSON.parse(await body.text());
      if (!Array.isArray(parsed.Value)) throw new Error('bad body');
    },
    close: () => dispatcher.close(),
  };
}

// Reference only: the lower-level call the transport itself makes (no URL parsing per request).
function dispatcherVariant(concurrency) {
  const dispatcher = new Agent({ connections: concurrency, keepAliveTimeout: 30_000 });
  return {
    name: 'Agent.request + JSON.parse',
    async call(path) {
      const { body } = await dispatcher.request({
        origin: baseUrl,
        path,
        method: 'GET',
        headers: { accept: 'application/json', authorization: 'Bearer bench-token' },
      });
      const parsed = JSON.parse(await body.text());
      if (!Array.isArray(parsed.Value)) throw new Error('bad body');
    },
    close: () => dispatcher.close(),
  };
}

const baselinePath = process.env.BENCH_TRANSPORT_BASELINE;
const baselineBuild = baselinePath === undefined ? undefined : await import(baselinePath);

function baselineVariant(concurrency) {
  const transport = baselineBuild.createTransport({
    baseUrl,
    tokenProvider: baselineBuild.createStaticTokenProvider('bench-token'),
    connections: concurrency,
    proxy: false,
  });
  return {
    name: '@pc/transport (baseline build)',
    async call(path) {
      const response = await transport.getJson(path);
      if (!Array.isArray(response.body.Value)) throw new Error('bad body');
    },
    close: () => transport.close(),
  };
}

function transportVariant(concurrency) {
  const transport = createTransport({
    baseUrl,
    tokenProvider: createStaticTokenProvider('bench-token'),
    connections: concurrency,
    proxy: false,
  });
  return {
    name: '@pc/transport getJson',
    async call(path) {
      const response = await transport.getJson(path);
      if (!Array.isArray(response.body.Value)) throw new Error('bad body');
    },
    close: () => transport.close(),
  };
}

async function drive(variant, path, total, concurrency) {
  let next = 0;
  const worker = async () => {
    while (next < total) {
      next++;
      await variant.call(path);
    }
  };
  const cpuBefore = process.cpuUsage();
  const started = process.hrtime.bigint();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpuBefore);
  return { seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

const started = Date.now();
console.log(`node ${process.version}, ${rounds} rounds, server in a child process (pid ${child.pid})`);
const bareName = 'undici.request + JSON.parse';
for (const scenario of scenarios) {
  const factories = [bareVariant, transportVariant, dispatcherVariant];
  if (baselineBuild !== undefined) factories.push(baselineVariant);
  const runs = new Map();
  for (let round = 0; round < rounds; round++) {
    // Alternate the order every round so neither variant always runs first.
    const order = round % 2 === 0 ? factories : [...factories].reverse();
    for (const factory of order) {
      const variant = factory(scenario.concurrency);
      await drive(variant, scenario.path, scenario.warmup, scenario.concurrency);
      const { seconds, cpuSeconds } = await drive(
        variant,
        scenario.path,
        scenario.requests,
        scenario.concurrency,
      );
      await variant.close();
      const list = runs.get(variant.name) ?? [];
      list.push({ rate: scenario.requests / seconds, cpuMicros: (cpuSeconds / scenario.requests) * 1e6 });
      runs.set(variant.name, list);
    }
  }
  const bytes = sizes[scenario.path];
  console.log(
    `\n${scenario.name} (${bytes} bytes, ${scenario.requests} requests x ${rounds} rounds, concurrency ${scenario.concurrency})`,
  );
  const bare = runs.get(bareName);
  for (const [name, list] of runs) {
    const rates = list.map((run) => run.rate);
    const rate = median(rates);
    const mbps = (rate * bytes) / 1e6;
    const range = `[${Math.round(Math.min(...rates))}-${Math.round(Math.max(...rates))}]`;
    // Paired per round: the two variants of one round ran back to back under the same load.
    const pairedRatio = median(list.map((run, index) => run.rate / bare[index].rate));
    const cpu = median(list.map((run) => run.cpuMicros));
    const cpuRatio = median(bare.map((run) => run.cpuMicros)) / cpu;
    console.log(
      `  ${name.padEnd(30)} ${rate.toFixed(0).padStart(6)} req/s ${range.padEnd(13)} ${mbps.toFixed(1).padStart(6)} MB/s` +
        `  ratio ${pairedRatio.toFixed(3)}  client CPU ${cpu.toFixed(0).padStart(5)} us/req (ratio ${cpuRatio.toFixed(3)})`,
    );
  }
}
console.log(`\ndone in ${((Date.now() - started) / 1000).toFixed(1)} s`);
child.kill('SIGTERM');
