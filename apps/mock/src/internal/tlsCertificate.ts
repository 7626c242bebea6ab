import { X509Certificate } from 'node:crypto';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from 'selfsigned';

/** A certificate and key for the mock's HTTPS listener. */
export interface LoopbackCertificate {
  /** PEM certificate (self-signed: it is its own CA). */
  readonly cert: string;
  /** PEM private key. */
  readonly key: string;
  /** The file holding `cert`, to trust (`NODE_EXTRA_CA_CERTS`, `pc --ca-file`). */
  readonly certFile: string;
  /** Removes the files when they live in a temporary folder of their own. */
  dispose(): Promise<void>;
}

const reuseMarginMs = 24 * 60 * 60 * 1000;

async function readReusable(dir: string): Promise<{ cert: string; key: string } | undefined> {
  let cert: string;
  let key: string;
  try {
    [cert, key] = await Promise.all([
      readFile(join(dir, 'cert.pem'), 'utf8'),
      readFile(join(dir, 'key.pem'), 'utf8'),
    ]);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const parsed = new X509Certificate(cert);
    const fresh = Date.parse(parsed.validTo) - Date.now() > reuseMarginMs;
    return fresh && parsed.checkIP('127.0.0.1') !== undefined ? { cert, key } : undefined;
  } catch (error) {
    if (error instanceof Error) return undefined; // A damaged file: generate a new pair.
    throw error;
  }
}

/**
 * Generates a self-signed certificate for `127.0.0.1`, `::1` and `localhost` with the `selfsigned`
 * package (EC P-256, SHA-256, valid 90 days), or reuses the one in `dir` while it has more than a
 * day left. Without `dir`, the files go to a fresh temporary folder that {@link LoopbackCertificate.dispose}
 * removes.
 */
export async function loopbackCertificate(options: {
  dir: string | undefined;
}): Promise<LoopbackCertificate> {
  const owned = options.dir === undefined;
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), 'pc-mock-tls-')));
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const certFile = join(dir, 'cert.pem');
  let pair = owned ? undefined : await readReusable(dir);
  if (pair === undefined) {
    const now = new Date();
    const generated = await generate([{ name: 'commonName', value: 'pc-mock loopback' }], {
      keyType: 'ec',
      curve: 'P-256',
      algorithm: 'sha256',
      notBeforeDate: new Date(now.getTime() - 60_000),
      notAfterDate: new Date(now.getTime() + 90 * 24 * 60 * 60 * 1000),
      extensions: [
        { name: 'basicConstraints', cA: true, critical: true },
        { name: 'keyUsage', digitalSignature: true, keyCertSign: true, critical: true },
        { name: 'extKeyUsage', serverAuth: true },
        {
          name: 'subjectAltName',
          altNames: [
            { type: 7, ip: '127.0.0.1' },
            { type: 7, ip: '::1' },
            { type: 2, value: 'localhost' },
          ],
        },
      ],
    });
    pair = { cert: generated.cert, key: generated.private };
    await writeFile(join(dir, 'key.pem'), pair.key, { mode: 0o600 });
    await chmod(join(dir, 'key.pem'), 0o600);
    await writeFile(certFile, pair.cert, { mode: 0o644 });
  }
  return {
    ...pair,
    certFile,
    dispose: () => (owned ? rm(dir, { recursive: true, force: true }) : Promise.resolve()),
  };
}
