#!/usr/bin/env node
// pc-mock at partner scale: start time and peak RSS of the real binary with --customers 100000
// (about 10^6 deployment rows and 3x10^6 usage rows per snapshot), and how fast it serves 10000-row
// pages compared with a bare JSON.stringify of the same rows, measured in the same run.
// Runs once per profile (PC_MOCK_BENCH_PROFILES, default "ideal,realistic"); the realistic run lifts the
// page cap (--page-cap 0) so both serve the same 10000-row pages, and strips the BOM before parsing.
// Usage: pnpm --filter @pc/models --filter @pc/odata-query --filter @pc/mock build && node bench/mock/run.mjs
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mockDefaults } from '../../apps/mock/dist/index.js';
import { median, printTable, timeIt } from '../lib/measure.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const bin = join(here, '../../apps/mock/bin/pc-mock.js');
const CUSTOMERS = Number(process.env.PC_MOCK_BENCH_CUSTOMERS ?? 100_000);
const PAGE = 10_000;
const PAGES = 12;
const PROFILES = (process.env.PC_MOCK_BENCH_PROFILES ?? 'ideal,realistic').split(',');
let agent = new Agent({ keepAlive: true, maxSockets: 1 });

/** The JSON of a body, without a leading UTF-8 BOM (the realistic profile sends one). */
function json(body) {
  const start = body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf ? 3 : 0;
  return JSON.parse(body.subarray(start).toString('utf8'));
}

/** One request; a GET retries once when the server had already closed an idle keep-alive socket. */
async function get(url, headers = {}, method = 'GET', body) {
  try {
    return await once(url, headers, method, body);
  } catch (error) {
    if (method !== 'GET' || error.code !== 'ECONNRESET') throw error;
    return once(url, headers, method, body);
  }
}

function once(url, headers, method, body) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const req = request(url, { method, headers, agent }, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode,
          body: Buffer.concat(chunks),
          ms: Number(process.hrtime.bigint() - started) / 1e6,
        }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

function peakRssMb(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /VmHWM:\s+(\d+) kB/.exec(status);
    return match ? Number(match[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

for (const profile of PROFILES) {
  agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const spawnedAt = process.hrtime.bigint();
  const profileArgs =
    profile === 'realistic' ? ['--profile', 'realistic', '--page-cap', '0'] : ['--profile', profile];
  const child = spawn(
    process.execPath,
    [bin, '--port', '0', '--quiet', '--customers', String(CUSTOMERS), ...profileArgs],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const url = await new Promise((resolve, reject) => {
    let buffer = '';
    child.stdout.on('data', (chunk) => {
      buffer += chunk;
      const match = /^pc-mock listening on (\S+)\n/.exec(buffer);
      if (match) resolve(match[1]);
    });
    child.on('exit', (code) => reject(new Error(`pc-mock exited with ${code}`)));
  });
  const startMs = Number(process.hrtime.bigint() - spawnedAt) / 1e6;

  try {
    const tokenAnswer = await get(
      `${url}/common/oauth2/token`,
      { 'content-type': 'application/x-www-form-urlencoded' },
      'POST',
      new URLSearchParams({
        grant_type: 'refresh_token',
        client_id: mockDefaults.clientId,
        client_secret: mockDefaults.clientSecret,
        refresh_token: mockDefaults.refreshToken,
      }).toString(),
    );
    const token = json(tokenAnswer.body).access_token;
    const auth = { authorization: `Bearer ${token}` };
    // The listening line comes before the customer table is built (that happens right after, in the
    // background), so "started" is also measured as the first data page served.
    const firstData = await get(`${url}/partner/v1/analytics/commercial/deployment/license?top=1`, auth);
    if (firstData.status !== 200) throw new Error(`first page: HTTP ${firstData.status}`);
    const readyMs = Number(process.hrtime.bigint() - spawnedAt) / 1e6;
    const results = [];
    const detail = [];

    for (const [name, path] of [
      ['E2 deployment', '/partner/v1/analytics/commercial/deployment/license'],
      ['E1 usage', '/partner/v1/analytics/commercial/usage/license'],
    ]) {
      const first = await get(`${url}${path}?top=${PAGE}`, auth);
      const total = json(first.body).TotalCount;
      // Random access: pages spread over the data, requested back to back (no read-ahead can help).
      const randomMs = [];
      const bodies = [];
      for (let page = 0; page < PAGES; page++) {
        const skip = Math.floor(((page + 1) * (total - PAGE)) / (PAGES + 1)) + 7;
        const answer = await get(`${url}${path}?top=${PAGE}&skip=${skip}`, auth);
        if (answer.status !== 200) throw new Error(`${path}: HTTP ${answer.status}`);
        randomMs.push(answer.ms);
        bodies.push(answer.body);
      }
      // Sequential: follow @nextLink from the middle of the data, back to back, as the SDK does.
      const sequentialMs = [];
      let next = `${url}${path}?top=${PAGE}&skip=${Math.floor(total / 2)}`;
      for (let page = 0; page < PAGES && next; page++) {
        const answer = await get(next, auth);
        if (answer.status !== 200) throw new Error(`${path}: HTTP ${answer.status}`);
        sequentialMs.push(answer.ms);
        bodies.push(answer.body);
        const link = json(answer.body)['@nextLink'];
        // Resolved against the page's URL: the realistic profile writes relative links.
        next = link ? new URL(link, next).href : null;
      }
      const stringifyMs = [];
      for (const body of bodies) {
        const rows = json(body).Value;
        if (rows.length !== PAGE) throw new Error(`${path}: ${rows.length} rows`);
        globalThis.gc?.();
        stringifyMs.push(timeIt(() => JSON.stringify(rows), 3));
      }
      const stringify = median(stringifyMs);
      for (const [mode, samples] of [
        ['random skip', randomMs],
        ['following @nextLink', sequentialMs],
      ]) {
        const serve = median(samples);
        results.push({
          endpoint: name,
          access: mode,
          'rows (TotalCount)': total.toLocaleString('en-US'),
          'first page ms': mode === 'random skip' ? first.ms.toFixed(0) : '',
          'page ms (median)': serve.toFixed(1),
          'JSON.stringify ms (same rows)': stringify.toFixed(1),
          'speed vs stringify': `${((stringify / serve) * 100).toFixed(0)}%`,
          'goal >= 50%': stringify / serve >= 0.5 ? 'yes' : 'NO',
          'page KB': (bodies[0].length / 1024).toFixed(0),
        });
      }
    }

    const filter = encodeURIComponent("serviceCode eq 'crm' or channel eq 'direct'");
    const filterPath = `/partner/v1/analytics/commercial/deployment/license?filter=${filter}&top=${PAGE}`;
    const scan = await get(`${url}${filterPath}`, auth);
    const filteredTotal = json(scan.body).TotalCount;
    const cached = [];
    for (let page = 1; page <= 5 && page * PAGE < filteredTotal; page++) {
      cached.push((await get(`${url}${filterPath}&skip=${page * PAGE}`, auth)).ms);
    }
    const grouped = await get(
      `${url}/partner/v1/analytics/commercial/usage/license?groupby=productName,workloadName`,
      auth,
    );
    const groupedAgain = await get(
      `${url}/partner/v1/analytics/commercial/usage/license?groupby=productName,workloadName`,
      auth,
    );
    const legacy = await get(`${url}/v1/analytics/licenses/usage`, auth);
    detail.push(
      {
        query: `E2 filter (${filteredTotal.toLocaleString('en-US')} rows): first page, scans all rows`,
        ms: scan.ms.toFixed(0),
      },
      { query: 'E2 filter: later pages (cached index list, median)', ms: median(cached).toFixed(1) },
      { query: 'E1 groupby productName,workloadName: first (scans ~3M rows)', ms: grouped.ms.toFixed(0) },
      { query: 'E1 groupby: again (cached)', ms: groupedAgain.ms.toFixed(1) },
      { query: 'E3 legacy partner usage (aggregate of E1)', ms: legacy.ms.toFixed(1) },
    );

    const rss = peakRssMb(child.pid);
    printTable(
      `pc-mock --profile ${profile} --customers ${CUSTOMERS.toLocaleString('en-US')}: start and memory`,
      [
        {
          'start to listening line (ms)': startMs.toFixed(0),
          'start to first data page (ms)': readyMs.toFixed(0),
          'goal < 5000 ms (first data page)': readyMs < 5000 ? 'yes' : 'NO',
          'peak RSS (MB, VmHWM)': Number.isNaN(rss) ? 'n/a' : rss.toFixed(0),
          'goal < 500 MB': Number.isNaN(rss) ? 'n/a' : rss < 500 ? 'yes' : 'NO',
        },
      ],
    );
    printTable(
      `${profile}: 10000-row pages, served over loopback HTTP vs JSON.stringify of the same rows`,
      results,
    );
    printTable(`${profile}: filtered and grouped queries (cached per query and snapshot)`, detail);
  } finally {
    child.kill('SIGTERM');
    agent.destroy();
    await new Promise((resolve) => child.once('exit', resolve));
  }
}
