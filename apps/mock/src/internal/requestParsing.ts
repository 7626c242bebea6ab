import type { IncomingMessage } from 'node:http';
import { MockHttpError, partnerCenterError } from './httpError.js';

/**
 * Request parsing that answers every bad input with a 4xx in the documented body shape (Partner
 * Center's `{code, description, data, source}`, or Entra's `{error, error_description,
 * error_codes}` on the token endpoints), never a 500 or a connection reset.
 */

/** The largest request body the mock accepts (token forms and admin JSON are a few kB). */
export const maxBodyBytes = 1024 * 1024;

/**
 * Past this, the rest of an oversized body is not even drained: the connection is closed. Below
 * it the body is read to the end and thrown away, so the client gets its 413 instead of a reset
 * (closing a socket with unread data makes the kernel send RST).
 */
const maxDrainBytes = 64 * 1024 * 1024;

/** An Entra ID error answer. */
export function entraRequestError(
  status: number,
  aadsts: number,
  error: string,
  message: string,
): MockHttpError {
  return new MockHttpError({
    status,
    body: { error, error_description: `AADSTS${aadsts}: ${message}`, error_codes: [aadsts] },
  });
}

/** The 413 in the shape of the endpoint: Entra's on token endpoints, Partner Center's elsewhere. */
function tooLarge(entra: boolean): MockHttpError {
  const message = `The request body is larger than ${maxBodyBytes} bytes.`;
  return entra
    ? entraRequestError(413, 90_002, 'invalid_request', message)
    : partnerCenterError({ status: 413, code: 413, description: message });
}

/**
 * Reads a request body as UTF-8 text, at most {@link maxBodyBytes}.
 * @throws MockHttpError 413 (in Entra's shape when `entra`) for a larger body, after draining it.
 */
export function readBody(req: IncomingMessage, options: { readonly entra?: boolean } = {}): Promise<string> {
  const entra = options.entra === true;
  const declared = Number(req.headers['content-length']);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let oversized = Number.isFinite(declared) && declared > maxBodyBytes;
    if (Number.isFinite(declared) && declared > maxDrainBytes) {
      // Not worth reading: answer, then close the connection (the response says so).
      reject(tooLarge(entra));
      req.resume();
      return;
    }
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxDrainBytes) {
        req.destroy();
        return;
      }
      if (size > maxBodyBytes) oversized = true;
      if (!oversized) chunks.push(chunk);
    });
    req.on('end', () => {
      if (oversized) reject(tooLarge(entra));
      else resolve(Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', reject);
  });
}

/**
 * Decodes one percent-encoded path segment (a tenant id).
 * @throws MockHttpError 400 naming the segment when a percent-escape is malformed.
 */
export function decodeSegment(raw: string, options: { readonly entra?: boolean } = {}): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    const shown = raw.slice(0, 64).replace(/[^\x21-\x7e]/g, '?');
    const message = `The path segment '${shown}' holds a malformed percent-escape.`;
    if (options.entra === true) throw entraRequestError(400, 90_002, 'invalid_request', message);
    throw partnerCenterError({ status: 400, code: 800002, description: message });
  }
}

/**
 * The answer to an error no handler expected: a URIError (a malformed percent-escape that slipped
 * through) is the client's fault (400); anything else is the mock's own (500). Neither carries a
 * stack trace or the error's internals.
 */
export function unexpectedErrorAnswer(error: unknown, options: { readonly entra: boolean }): MockHttpError {
  if (error instanceof URIError) {
    const message = 'The request holds a malformed percent-escape.';
    return options.entra
      ? entraRequestError(400, 90_002, 'invalid_request', message)
      : partnerCenterError({ status: 400, code: 800002, description: message });
  }
  return partnerCenterError({
    status: 500,
    code: 800003,
    description: 'Unexpected service error. The mock logged the details.',
  });
}
