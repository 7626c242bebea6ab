// A throwaway Verdaccio for scripts/test-registry.mjs: loopback only, storage and htpasswd in the
// given folder, `@pc/*` published here and never proxied, nothing else served (no uplink: consumers
// resolve public packages from their default registry, as they do against the real private one).
import { createWriteStream, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { startDaemon } from './processes.mjs';

const require = createRequire(import.meta.url);

/** Where the pinned Verdaccio (root devDependency, catalog version) is installed, and its version. */
function verdaccioInstall() {
  const manifestPath = require.resolve('verdaccio/package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  return { bin: join(dirname(manifestPath), manifest.bin), version: manifest.version };
}

/** Asks the kernel for a free loopback port. Verdaccio takes it a moment later; `start` retries on a clash. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function configYaml({ dir, port }) {
  return `# Written by scripts/test-registry.mjs; removed with its folder.
storage: ${join(dir, 'storage')}
auth:
  htpasswd:
    file: ${join(dir, 'htpasswd')}
    max_users: 5
    # The cheapest bcrypt cost: the password is random and thrown away, and Verdaccio checks it on
    # every authenticated request (about 300 ms each at the default cost on this machine).
    rounds: 4
uplinks: {}
packages:
  '@pc/*':
    access: $all
    publish: $authenticated
    unpublish: $authenticated
  '**':
    access: $all
    publish: $authenticated
server:
  keepAliveTimeout: 60
listen: 127.0.0.1:${port}
web:
  enable: false
log:
  type: stdout
  format: pretty
  level: warn
`;
}

async function waitUntilUp(url, daemon, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  daemon.exited.then(() => {
    exited = true;
  });
  while (Date.now() < deadline && !exited) {
    try {
      const response = await fetch(new URL('-/ping', url), { signal: AbortSignal.timeout(1_000) });
      if (response.ok) return true;
    } catch (error) {
      if (error.cause?.code !== 'ECONNREFUSED' && error.name !== 'TimeoutError') throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  return false;
}

/**
 * Starts Verdaccio on 127.0.0.1 and waits until `/-/ping` answers.
 * @param {{ dir: string }} options  a throwaway folder for config, storage, htpasswd and the log
 */
export async function startVerdaccio({ dir }) {
  const { bin, version } = verdaccioInstall();
  const logPath = join(dir, 'verdaccio.log');
  const logStream = createWriteStream(logPath, { flags: 'a' });
  for (let attempt = 1; attempt <= 3; attempt += 1) {
    const port = await freePort();
    const configPath = join(dir, 'config.yaml');
    writeFileSync(configPath, configYaml({ dir, port }));
    const url = `http://127.0.0.1:${port}/`;
    const daemon = startDaemon(process.execPath, [bin, '--config', configPath], { cwd: dir, logStream });
    if (await waitUntilUp(url, daemon, 30_000)) {
      return {
        url,
        port,
        version,
        logPath,
        pid: daemon.child.pid,
        async stop() {
          await daemon.stop();
          logStream.end();
        },
      };
    }
    await daemon.stop();
  }
  logStream.end();
  throw new Error(`Verdaccio ${version} did not start; its log:\n${readFileSync(logPath, 'utf8')}`);
}

/**
 * Registers a user through the registry's CouchDB-style endpoint (what `npm adduser` calls) and
 * returns the bearer token Verdaccio issues.
 * @param {{ url: string, name: string, password: string }} options
 */
export async function addUser({ url, name, password }) {
  const response = await fetch(new URL(`-/user/org.couchdb.user:${encodeURIComponent(name)}`, url), {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ _id: `org.couchdb.user:${name}`, name, password, type: 'user', roles: [] }),
    signal: AbortSignal.timeout(30_000),
  });
  const body = await response.json();
  if (!response.ok || typeof body.token !== 'string') {
    throw new Error(`creating user ${name} failed: HTTP ${response.status} ${JSON.stringify(body)}`);
  }
  return body.token;
}

/**
 * The registry's view of the `@pc` packages: name -> { versions, latest, manifests }. Read straight
 * from Verdaccio, so it is what was really published.
 * @param {{ url: string, names: readonly string[] }} options
 */
export async function readPublished({ url, names }) {
  const published = new Map();
  for (const name of names) {
    const response = await fetch(new URL(name.replace('/', '%2f'), url), {
      signal: AbortSignal.timeout(10_000),
    });
    if (response.status === 404) continue;
    if (!response.ok) throw new Error(`GET ${name} from the registry: HTTP ${response.status}`);
    const packument = await response.json();
    published.set(name, {
      versions: Object.keys(packument.versions ?? {}),
      latest: packument['dist-tags']?.latest,
      manifests: packument.versions ?? {},
    });
  }
  return published;
}
