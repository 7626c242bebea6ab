import { constants, createHash, verify, X509Certificate } from 'node:crypto';

/** A certificate registered on the mock's app (as one uploaded to an Entra app registration). */
export interface RegisteredCertificate {
  readonly certificate: X509Certificate;
  /** base64url SHA-1 of the DER (`x5t`). */
  readonly x5t: string;
  /** base64url SHA-256 of the DER (`x5t#S256`). */
  readonly x5tS256: string;
}

/** Parses PEM certificates (several may sit in one text). @throws Error naming the bad one. */
export function registerCertificates(pems: readonly string[]): RegisteredCertificate[] {
  const registered: RegisteredCertificate[] = [];
  for (const [index, pem] of pems.entries()) {
    const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
    if (blocks.length === 0) throw new Error(`clientCertificates[${index}] holds no PEM certificate`);
    for (const block of blocks) {
      const certificate = new X509Certificate(block);
      if (certificate.publicKey.asymmetricKeyType !== 'rsa')
        throw new Error(`clientCertificates[${index}]: Entra accepts RSA certificates only`);
      registered.push({
        certificate,
        x5t: createHash('sha1').update(certificate.raw).digest('base64url'),
        x5tS256: createHash('sha256').update(certificate.raw).digest('base64url'),
      });
    }
  }
  return registered;
}

/** Why an assertion was refused, with the AADSTS code Entra gives. */
export interface AssertionProblem {
  readonly aadsts: number;
  readonly message: string;
}

function decodeSegment(segment: string | undefined): Record<string, unknown> | undefined {
  if (segment === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Checks a `client_assertion` (RFC 7523, as MSAL builds it from a certificate): RS256 or PS256,
 * `x5t` or `x5t#S256` naming a registered certificate, `iss` = `sub` = the client id, an `aud`
 * naming a token endpoint, and a lifetime that has not ended. Returns `undefined` when valid.
 */
export function checkClientAssertion(input: {
  readonly assertion: string;
  readonly clientId: string;
  readonly certificates: readonly RegisteredCertificate[];
  readonly now?: number;
}): AssertionProblem | undefined {
  const parts = input.assertion.split('.');
  const header = decodeSegment(parts[0]);
  const payload = decodeSegment(parts[1]);
  if (parts.length !== 3 || header === undefined || payload === undefined) {
    return { aadsts: 50027, message: 'The client assertion is not a valid JWT.' };
  }
  const thumbprint = header['x5t#S256'] ?? header.x5t;
  const registered = input.certificates.find(
    (entry) => entry.x5tS256 === header['x5t#S256'] || entry.x5t === header.x5t,
  );
  if (registered === undefined) {
    return {
      aadsts: 700027,
      message: `The certificate with identifier '${String(thumbprint)}' is not registered on the application.`,
    };
  }
  const data = Buffer.from(`${parts[0]}.${parts[1]}`);
  const signature = Buffer.from(parts[2] ?? '', 'base64url');
  const key = registered.certificate.publicKey;
  const valid =
    header.alg === 'RS256'
      ? verify('sha256', data, key, signature)
      : header.alg === 'PS256'
        ? verify(
            'sha256',
            data,
            { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_AUTO },
            signature,
          )
        : false;
  if (!valid) return { aadsts: 700027, message: 'The client assertion signature is invalid.' };
  if (payload.iss !== input.clientId || payload.sub !== input.clientId) {
    return { aadsts: 700021, message: 'The client assertion iss and sub must be the client id.' };
  }
  if (typeof payload.aud !== 'string' || !/\/oauth2\/(v2\.0\/)?token$/.test(payload.aud)) {
    return { aadsts: 700212, message: 'The client assertion audience must be the token endpoint.' };
  }
  const seconds = (input.now ?? Date.now()) / 1000;
  if (typeof payload.exp !== 'number' || payload.exp <= seconds) {
    return { aadsts: 700024, message: 'The client assertion is expired.' };
  }
  return undefined;
}
