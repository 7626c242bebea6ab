/**
 * Records the expected bytes of the output byte-identity test (`output.reference.e2e.test.ts`):
 * runs the built CLI on every case of `outputReference.ts` and writes its stdout (or its `--out`
 * file) to `fixtures/output-reference/<case>`. Run only to record a deliberate change of output:
 * `pnpm build && pnpm tsx apps/cli/test/generateOutputReference.ts`.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startMockServer } from '@pc/mock';
import { runPc, tempDir } from './helpers.js';
import { outputCases, referenceMocks } from './outputReference.js';

const fixtures = join(import.meta.dirname, 'fixtures', 'output-reference');
await mkdir(fixtures, { recursive: true });
const configDir = await tempDir();
const mocks = {
  ideal: await startMockServer({ port: 0, ...referenceMocks.ideal }),
  realistic: await startMockServer({ port: 0, ...referenceMocks.realistic }),
};
try {
  for (const testCase of outputCases) {
    const mock = mocks[testCase.mock];
    const out = join(configDir, testCase.name);
    const result = await runPc(
      testCase.args.map((arg) => arg.replace('{OUT}', out)),
      { env: { PC_BASE_URL: mock.url, PC_ACCESS_TOKEN: mock.issueToken() }, configDir },
    );
    if (result.code !== 0) throw new Error(`${testCase.name}: exit ${result.code}: ${result.stderr}`);
    const outArg = testCase.args.find((arg) => arg.startsWith('{OUT}'));
    const bytes =
      outArg === undefined
        ? Buffer.from(result.stdout, 'utf8')
        : await readFile(outArg.replace('{OUT}', out));
    await writeFile(join(fixtures, testCase.name), bytes);
    console.log(`${testCase.name}: ${bytes.length} bytes`);
  }
} finally {
  await mocks.ideal.close();
  await mocks.realistic.close();
}
