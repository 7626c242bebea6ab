/**
 * Secret redaction in every encoding a body, a URL or a header can carry a credential in, and
 * scrubbing of whole error objects (message, cause chain, every string field).
 *
 * Why every encoding: a token endpoint or a proxy that echoes the request shows the client secret
 * form-encoded (`~` as `%7E`), a JSON error body shows it with `/` escaped, a header shows it in
 * base64 (`Basic base64(clientId:secret)`). Matching only the raw value leaks all of these.
 */

/** What a redacted value is replaced with. */
export const redactedMark = 'REDACTED';

/** Secrets shorter than this are ignored: masking them would mangle ordinary text. */
const minimumSecretLength = 4;

/** RFC 3986 `encodeURIComponent` plus the characters it leaves alone that forms encode. */
function formEncode(value: string): string {
  return new URLSearchParams({ v: value }).toString().slice(2);
}

function upperHex(text: string): string {
  return text.replace(/%[0-9a-f]{2}/gi, (match) => match.toUpperCase());
}

function lowerHex(text: string): string {
  return text.replace(/%[0-9a-f]{2}/gi, (match) => match.toLowerCase());
}

/** Every spelling of `secret` this module recognizes (longest first, duplicates dropped). */
export function secretEncodings(secret: string): string[] {
  const out = new Set<string>();
  const add = (value: string): void => {
    if (value.length >= minimumSecretLength) out.add(value);
  };
  add(secret);
  for (const encoded of [encodeURIComponent(secret), formEncode(secret)]) {
    add(upperHex(encoded));
    add(lowerHex(encoded));
    // `encodeURIComponent` leaves `~!*'()` alone; strict encoders escape them.
    add(upperHex(encoded.replace(/[~!*'()]/g, (c) => `%${c.charCodeAt(0).toString(16)}`)));
    add(lowerHex(encoded.replace(/[~!*'()]/g, (c) => `%${c.charCodeAt(0).toString(16)}`)));
  }
  const json = JSON.stringify(secret).slice(1, -1);
  add(json);
  add(json.replace(/\//g, '\\/'));
  // JSON with every non-alphanumeric character as a \u escape (some serializers do this for `+`, `<`...).
  add(secret.replace(/[^A-Za-z0-9]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
  add(JSON.stringify(formEncode(secret)).slice(1, -1));
  const bytes = Buffer.from(secret, 'utf8');
  add(bytes.toString('base64'));
  add(bytes.toString('base64').replace(/=+$/, ''));
  add(bytes.toString('base64url'));
  return [...out].sort((a, b) => b.length - a.length);
}

/** Credential-shaped text that is redacted even when the secret itself is not known. */
const credentialPatterns: readonly RegExp[] = [
  // Authorization header values: `Bearer <token>`, `Basic <base64>`.
  /\b(Bearer|Basic)(\s+|%20|\+)[A-Za-z0-9._~+/=%-]{4,}/gi,
  // Form or query fields that carry credentials, in any encoding of `=`.
  /\b(client_secret|refresh_token|access_token|id_token|client_assertion|password)(=|%3D|":\s*"|\\":\s*\\")[^&\s"\\]+/gi,
  // JWTs (three base64url parts, the first a JSON header).
  /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g,
];

/**
 * Removes secrets from text: every encoding of each known secret, and credential-shaped text
 * (`Bearer ...`, `client_secret=...`, JWTs) whether the secret is known or not. Add secrets as
 * they become known (a rotated refresh token, a new access token).
 */
export class SecretRedactor {
  readonly #secrets = new Set<string>();
  #variants: string[] = [];
  #pattern: RegExp | undefined;

  /** Builds a redactor knowing `secrets` (values shorter than 4 characters are ignored). */
  constructor(secrets: Iterable<string | undefined> = []) {
    for (const secret of secrets) this.add(secret);
  }

  /** Remembers one more secret; `undefined` and short values are ignored. */
  add(secret: string | undefined): void {
    if (secret === undefined || secret.length < minimumSecretLength || this.#secrets.has(secret)) return;
    this.#secrets.add(secret);
    this.#variants = [...new Set([...this.#variants, ...secretEncodings(secret)])].sort(
      (a, b) => b.length - a.length,
    );
    this.#pattern = new RegExp(this.#variants.map(escapeRegExp).join('|'), 'g');
  }

  #holdsSecret(decoded: string): boolean {
    for (const secret of this.#secrets) if (decoded.includes(secret)) return true;
    return false;
  }

  /** How many secrets it knows. */
  get size(): number {
    return this.#secrets.size;
  }

  /** `text` with every known secret (in every encoding) and credential-shaped text replaced. */
  redact(text: string): string {
    let out = this.#pattern === undefined ? text : text.replace(this.#pattern, redactedMark);
    if (this.#secrets.size > 0) {
      // Base64 that decodes to text holding a secret (`Basic base64(clientId:secret)`, a header dump).
      out = out.replace(base64Run, (run) => (this.#holdsSecret(decodeBase64(run)) ? redactedMark : run));
    }
    for (const pattern of credentialPatterns) {
      out = out.replace(pattern, (_match, name: string, separator: string) =>
        name === undefined ? redactedMark : `${name}${separator}${redactedMark}`,
      );
    }
    return out;
  }

  /**
   * Scrubs an error in place as far as it can: `message`, `stack`, every own string field (such
   * as `description`, `pcCode`, `url`) and the `cause` chain; a cause that cannot be changed
   * (frozen, a primitive) is replaced by a plain `Error` with the redacted text. Returns `error`.
   */
  redactError<T>(error: T): T {
    return this.#scrub(error, 0) as T;
  }

  #scrub(value: unknown, depth: number): unknown {
    if (typeof value === 'string') return this.redact(value);
    if (typeof value !== 'object' || value === null || depth > 8) return value;
    const record = value as Record<string, unknown>;
    if (value instanceof Error) {
      // V8 keeps `stack` as an accessor on some versions: pin the redacted text as a value.
      try {
        const stack = value.stack;
        if (typeof stack === 'string') {
          Object.defineProperty(value, 'stack', {
            value: this.redact(stack),
            writable: true,
            configurable: true,
            enumerable: false,
          });
        }
      } catch {
        // A non-configurable stack of a foreign error stays as it is.
      }
    }
    for (const key of Object.getOwnPropertyNames(record)) {
      if (key === 'stack') continue;
      const descriptor = Object.getOwnPropertyDescriptor(record, key);
      if (descriptor === undefined || !('value' in descriptor)) continue;
      const field = descriptor.value as unknown;
      let replaced: unknown = field;
      if (typeof field === 'string') replaced = this.redact(field);
      else if (key === 'cause' || key === 'errors' || field instanceof Error)
        replaced = this.#scrub(field, depth + 1);
      else if (Array.isArray(field)) replaced = field.map((item) => this.#scrub(item, depth + 1));
      if (replaced === field) continue;
      try {
        Object.defineProperty(record, key, { ...descriptor, value: replaced });
      } catch {
        // A frozen or non-configurable field of a foreign error cannot be changed; such errors
        // come only from the runtime (undici, node), whose messages carry no request content.
      }
    }
    return value;
  }
}

/** A run of base64 or base64url characters long enough to hide a secret. */
const base64Run = /[A-Za-z0-9+/_-]{8,}={0,2}/g;

function decodeBase64(run: string): string {
  return Buffer.from(run.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('latin1');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Redacts `text` with a one-off {@link SecretRedactor} holding `secrets`: the convenience form for
 * a message built once.
 */
export function redactText(text: string, secrets: Iterable<string | undefined>): string {
  return new SecretRedactor(secrets).redact(text);
}
