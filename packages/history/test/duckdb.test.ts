import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { describeHistorySuite, type SuiteContext, startSuiteMock } from './fixtures/historySuite.js';

let context: SuiteContext | undefined;
afterAll(async () => {
  await context?.client.close();
  await context?.mock.close();
});

describeHistorySuite('duckdb', async () => {
  context = await startSuiteMock();
  const dir = mkdtempSync(join(tmpdir(), 'pc-history-duckdb-'));
  return { url: join(dir, 'history.duckdb'), context };
});
