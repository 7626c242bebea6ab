import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startMockServer } from '@pc/mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, runPc, tempDir } from './helpers.js';
import { outputCases, referenceMocks } from './outputReference.js';

// The writers were rewritten for speed (issue 17); every byte they print must stay the same. The
// fixtures are the output of the CLI before the rewrite, on the same mock data
// (generateOutputReference.ts recorded them).

const fixtures = join(import.meta.dirname, 'fixtures', 'output-reference');
let mocks: Record<'ideal' | 'realistic', Awaited<ReturnType<typeof startMockServer>>>;
let configDir: string;

beforeAll(async () => {
  assertBuilt();
  mocks = {
    ideal: await startMockServer({ port: 0, ...referenceMocks.ideal }),
    realistic: await startMockServer({ port: 0, ...referenceMocks.realistic }),
  };
  configDir = await tempDir();
});

afterAll(async () => {
  await mocks?.ideal.close();
  await mocks?.realistic.close();
});

describe('output is byte-identical to the reference recorded before the hot-path rewrite', () => {
  it.each(outputCases.map((testCase) => [testCase.name, testCase] as const))(
    '%s',
    { timeout: 60_000 },
    async (_name, testCase) => {
      const mock = mocks[testCase.mock];
      const out = join(configDir, testCase.name);
      const result = await runPc(
        testCase.args.map((arg) => arg.replace('{OUT}', out)),
        { env: { PC_BASE_URL: mock.url, PC_ACCESS_TOKEN: mock.issueToken() }, configDir, timeoutMs: 50_000 },
      );
      expect(result.code, result.stderr).toBe(0);
      const outArg = testCase.args.find((arg) => arg.startsWith('{OUT}'));
      const actual =
        outArg === undefined
          ? Buffer.from(result.stdout, 'utf8')
          : await readFile(outArg.replace('{OUT}', out));
      const expected = await readFile(join(fixtures, testCase.name));
      expect(actual.length).toBeGreaterThan(0);
      // Compare as text first (a readable diff), then as bytes.
      expect(actual.toString('utf8')).toBe(expected.toString('utf8'));
      expect(actual.equals(expected)).toBe(true);
    },
  );
});
