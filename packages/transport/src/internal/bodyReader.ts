import { pipeline, type Readable, Transform } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';

/**
 * Reads a response body: decodes `Content-Encoding` (gzip, deflate, br; proxies and CDNs compress
 * even when the service does not) and stops at `maxBytes`, counted both as received and as
 * decoded, so neither a huge page nor a decompression bomb can grow the process without bound.
 */

/** The `Accept-Encoding` the transport sends: what {@link readBody} decodes. */
export const acceptEncoding = 'gzip, deflate, br';

/** A body as received: its chunks and their total length in bytes. */
export interface BodyChunks {
  readonly chunks: Buffer[];
  readonly length: number;
}

/** The body passed the size cap. */
export class BodyTooLargeError extends Error {
  override readonly name = 'BodyTooLargeError';
  constructor(readonly limit: number) {
    super(`the response body is larger than maxResponseBytes (${limit} bytes)`);
  }
}

/** The body is not valid in its declared `Content-Encoding`. */
export class ContentEncodingError extends Error {
  override readonly name = 'ContentEncodingError';
  readonly code = 'PC_CONTENT_ENCODING';
  constructor(
    readonly encoding: string,
    cause: unknown,
  ) {
    super(`the ${encoding} body could not be decoded`, { cause });
  }
}

function decoderFor(encoding: string): NodeJS.ReadWriteStream | undefined {
  switch (encoding) {
    case 'gzip':
    case 'x-gzip':
      return createGunzip();
    case 'deflate':
      return createInflate();
    case 'br':
      return createBrotliDecompress();
    default:
      return undefined;
  }
}

/** Unknown encodings: the body is kept as it came (the JSON parse then reports it clearly). */
function encodingsOf(header: string | undefined): string[] {
  if (header === undefined) return [];
  return header
    .split(',')
    .map((item) => item.trim().toLowerCase())
    .filter((item) => item !== '' && item !== 'identity');
}

/**
 * Reads `body` to the end, decoding each listed `Content-Encoding` (applied in order, so decoded
 * in reverse) and enforcing `maxBytes`.
 * @throws BodyTooLargeError past `maxBytes`; ContentEncodingError for a corrupt compressed body;
 * whatever the body stream fails with (reset, truncation, abort).
 */
export async function readBody(
  body: Readable,
  options: { readonly contentEncoding?: string | undefined; readonly maxBytes: number },
): Promise<BodyChunks> {
  const { maxBytes } = options;
  const encodings = encodingsOf(options.contentEncoding);
  let source: AsyncIterable<Buffer> = body;
  const decoders = [...encodings].reverse().map(decoderFor);
  if (decoders.some((decoder) => decoder !== undefined)) {
    let received = 0;
    // Count the bytes as they arrive too: a compressed body over the cap is refused early.
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        received += chunk.byteLength;
        if (received > maxBytes) callback(new BodyTooLargeError(maxBytes));
        else callback(null, chunk);
      },
    });
    const stages = decoders.filter((decoder): decoder is NodeJS.ReadWriteStream => decoder !== undefined);
    // pipeline destroys every stage on the first error; the loop below then throws it.
    source = pipeline(
      [body, counter, ...stages] as unknown as [Readable, Transform],
      () => undefined,
    ) as unknown as Readable;
  }
  const chunks: Buffer[] = [];
  let length = 0;
  try {
    for await (const chunk of source) {
      length += chunk.byteLength;
      if (length > maxBytes) throw new BodyTooLargeError(maxBytes);
      chunks.push(chunk);
    }
  } catch (error) {
    body.destroy();
    if (error instanceof BodyTooLargeError) throw error;
    const zlibCode = (error as { code?: unknown } | null)?.code;
    if (typeof zlibCode === 'string' && zlibCode.startsWith('Z_')) {
      throw new ContentEncodingError(encodings.join(', '), error);
    }
    throw error;
  }
  return { chunks, length };
}

/** Joins the chunks into one buffer (without a copy when there is one chunk). */
export function joinChunks(body: BodyChunks): Buffer {
  return body.chunks.length === 1 ? body.chunks[0]! : Buffer.concat(body.chunks, body.length);
}
