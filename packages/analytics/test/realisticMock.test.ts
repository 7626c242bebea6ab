import { commercialLicenseDeployment } from '@pc/models';
import { type MockServer, startMockServer } from '@pc/mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createClient } from '../src/index.js';

/**
 * The SDK against `pc-mock --profile realistic` (page cap, relative raw links, BOM), compared with
 * a plain reference reader that follows the links one by one.
 */
let mock: MockServer;
let token: string;

beforeAll(async () => {
  // A small page cap gives many pages from a small world.
  mock = await startMockServer({
    port: 0,
    seed: 11,
    customers: 120,
    profile: 'realistic',
    pageCap: 97,
    quiet: true,
  });
  token = mock.issueToken();
});
afterAll(async () => {
  await mock?.close();
});
beforeEach(() => {
  mock.reset();
});

const path = '/partner/v1/analytics/commercial/deployment/license';

/** Follows the links as the server wrote them, one request at a time; rows normalized by the model. */
async function reference(): Promise<Record<string, unknown>[]> {
  const rows: Record<string, unknown>[] = [];
  let url: string | null = `${mock.url}${path}?top=10000`;
  let pages = 0;
  while (url !== null) {
    if (++pages > 10_000) throw new Error('the reference reader ran away');
    const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    if (!response.ok) throw new Error(`reference read failed: ${response.status}`);
    const text = (await response.text()).replace(/^\uFEFF/, '');
    const body = JSON.parse(text) as { Value: unknown[]; '@nextLink': string | null };
    for (const row of body.Value)
      rows.push(commercialLicenseDeployment.row.parse(row) as Record<string, unknown>);
    url = body['@nextLink'] === null ? null : new URL(body['@nextLink'], url).href;
  }
  return rows;
}

function sdk(concurrency: number) {
  return createClient({
    baseUrl: mock.url,
    accessToken: token,
    concurrency,
    retry: { maxAttempts: 12, baseDelayMs: 1, maxDelayMs: 10 },
    hooks: { onWarning: () => undefined },
  });
}

describe('the SDK reads pc-mock --profile realistic exactly', () => {
  it('gives the reference rows, in order, at concurrency 1, 4 and 8, with and without faults', async () => {
    const expected = await reference();
    expect(expected.length).toBeGreaterThan(500);
    for (const faults of ['', '429=0.1,503=0.1,reset=0.05,truncate=0.05,retry-after=0']) {
      for (const concurrency of [1, 4, 8]) {
        mock.setFaults(faults);
        const client = sdk(concurrency);
        try {
          const rows = await client.commercial.licenses.deployment.list().toArray();
          expect(rows).toEqual(expected);
        } finally {
          mock.setFaults('');
          await client.close();
        }
      }
    }
    // The cap held and the links were relative and raw: the client followed them, never guessed.
    expect(mock.journal().some((entry) => entry.query.skip === '97')).toBe(true);
  }, 240_000);

  it('across a snapshot advance mid-read: restarts once and gives the rows of the new snapshot', async () => {
    for (const concurrency of [1, 4, 8]) {
      mock.reset();
      const client = sdk(concurrency);
      let pages = 0;
      let restarts = 0;
      let rows: Record<string, unknown>[] = [];
      try {
        for await (const page of client.commercial.licenses.deployment.list().byPage()) {
          pages += 1;
          if (pages === 2) mock.advanceSnapshot();
          if (page.restarted) {
            restarts += 1;
            rows = [];
          }
          rows.push(...page.items);
        }
      } finally {
        await client.close();
      }
      expect(restarts).toBe(1);
      expect(rows).toEqual(await reference());
    }
  }, 240_000);
});
