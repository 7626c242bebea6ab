import { createServer, type Server } from 'node:http';
import { type AddressInfo, connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createStaticTokenProvider, createTransport } from '../src/index.js';
import { sendJson, startServer } from './support/loopbackServer.js';

const cleanups: Array<() => Promise<void>> = [];
const savedEnv = { ...process.env };
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  for (const name of ['HTTP_PROXY', 'http_proxy', 'HTTPS_PROXY', 'https_proxy', 'NO_PROXY', 'no_proxy']) {
    if (savedEnv[name] === undefined) delete process.env[name];
    else process.env[name] = savedEnv[name];
  }
});

/** A tunnelling (CONNECT) proxy on loopback that records the targets it was asked for. */
async function startProxy(): Promise<{ url: string; targets: string[] }> {
  const targets: string[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((_request, response) => {
    response.writeHead(405);
    response.end();
  });
  server.on('connect', (request, client: Socket, head: Buffer) => {
    targets.push(request.url ?? '');
    const [host, port] = (request.url ?? '').split(':');
    const upstream = connect(Number(port), host ?? '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(client).add(upstream);
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, targets };
}

async function api() {
  const server = await startServer((_request, response) => sendJson(response, 200, { proxied: true }));
  cleanups.push(() => server.close());
  return server;
}

describe('proxies', () => {
  it('tunnels through an explicit proxy URL', async () => {
    const proxy = await startProxy();
    const server = await api();
    const transport = createTransport({
      baseUrl: server.url,
      tokenProvider: createStaticTokenProvider('t'),
      proxy: proxy.url,
    });
    cleanups.push(() => transport.close());
    expect((await transport.getJson('/x')).body).toEqual({ proxied: true });
    expect(proxy.targets).toEqual([server.url.replace('http://', '')]);
    expect(server.requests[0]?.headers.authorization).toBe('Bearer t');
  });

  it('uses HTTP_PROXY from the environment, honours NO_PROXY, and ignores it with proxy: false', async () => {
    const proxy = await startProxy();
    const server = await api();
    process.env.HTTP_PROXY = proxy.url;
    const viaEnv = createTransport({ baseUrl: server.url, tokenProvider: createStaticTokenProvider('t') });
    cleanups.push(() => viaEnv.close());
    await viaEnv.getJson('/env');
    expect(proxy.targets).toHaveLength(1);

    const direct = createTransport({
      baseUrl: server.url,
      tokenProvider: createStaticTokenProvider('t'),
      proxy: false,
    });
    cleanups.push(() => direct.close());
    await direct.getJson('/direct');
    expect(proxy.targets).toHaveLength(1);

    process.env.NO_PROXY = '127.0.0.1';
    const bypass = createTransport({ baseUrl: server.url, tokenProvider: createStaticTokenProvider('t') });
    cleanups.push(() => bypass.close());
    await bypass.getJson('/bypass');
    expect(proxy.targets).toHaveLength(1);
    expect(server.requests.map((request) => request.url)).toEqual(['/env', '/direct', '/bypass']);
  });
});
