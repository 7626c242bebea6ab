import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the server received for one request. */
export interface ReceivedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

/** A request handler; `index` counts requests from 0. */
export type Handler = (
  request: IncomingMessage,
  response: ServerResponse,
  context: { index: number; body: string },
) => void | Promise<void>;

/** A real `node:http` server on 127.0.0.1, port 0, that records every request. */
export interface LoopbackServer {
  readonly url: string;
  readonly requests: ReceivedRequest[];
  close(): Promise<void>;
}

/** Starts a loopback server; close it in `afterEach`. */
export async function startServer(handler: Handler): Promise<LoopbackServer> {
  const requests: ReceivedRequest[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const index = requests.length;
      requests.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, body });
      Promise.resolve(handler(request, response, { index, body })).catch((error: unknown) => {
        response.destroy(error instanceof Error ? error : new Error(String(error)));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Sends a JSON reply. */
export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  response.end(text);
}

/** A token endpoint that issues `tok-1`, `tok-2`, ... and records the forms it got. */
export function tokenHandler(
  options: { version?: 'v1' | 'v2'; rotate?: boolean; delayMs?: number } = {},
): Handler {
  let issued = 0;
  return async (_request, response) => {
    issued++;
    const number = issued;
    if (options.delayMs) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
    const expiresIn = options.version === 'v2' ? 3600 : '3600';
    sendJson(response, 200, {
      token_type: 'Bearer',
      expires_in: expiresIn,
      access_token: `tok-${number}`,
      ...(options.rotate ? { refresh_token: `refresh-${number}` } : {}),
    });
  };
}
