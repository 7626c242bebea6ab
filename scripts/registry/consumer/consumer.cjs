// CommonJS consumer, run by scripts/test-registry.mjs in a throwaway project that installed the
// published @pc packages from the local registry. Exit codes: 0 ok, 1 wrong result, 3 API missing.
const analytics = require('@pc/analytics');
const mock = require('@pc/mock');

async function main() {
  const resolved = require.resolve('@pc/analytics');
  if (!resolved.endsWith('/dist/index.cjs')) {
    process.stderr.write(`CJS consumer: @pc/analytics resolved to ${resolved}, not its CJS build\n`);
    return 1;
  }
  process.stdout.write('CJS consumer: @pc/analytics resolves to dist/index.cjs\n');
  const missing = [
    typeof analytics.createClient === 'function' ? null : '@pc/analytics createClient',
    typeof mock.startMockServer === 'function' ? null : '@pc/mock startMockServer',
  ].filter(Boolean);
  if (missing.length > 0) {
    process.stderr.write(
      `CJS consumer: the published packages do not export ${missing.join(' and ')} yet ` +
        `(exports seen: @pc/analytics {${Object.keys(analytics).join(', ')}}, @pc/mock {${Object.keys(mock).join(', ')}})\n`,
    );
    return 3;
  }
  const server = await mock.startMockServer({ port: 0, seed: 1, customers: 20 });
  const client = analytics.createClient({ baseUrl: server.url, accessToken: server.issueToken() });
  try {
    const rows = await client.commercial.licenses.deployment.list({ top: 50 }).toArray();
    if (rows.length !== 50) throw new Error(`expected 50 rows, got ${rows.length}`);
    if (typeof rows[0].licensesSold !== 'number') throw new Error('rows[0].licensesSold is not a number');
    process.stdout.write(`CJS consumer: listed ${rows.length} license rows from the published mock\n`);
    return 0;
  } finally {
    await client.close();
    await server.close();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(
      `CJS consumer: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 1;
  },
);
