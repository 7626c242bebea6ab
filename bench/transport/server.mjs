// Loopback JSON server for the transport benchmark: runs in its own process so that server and
// client do not share an event loop. Prints its port on stdout, then serves until killed.
import { createServer } from 'node:http';

function row(index) {
  return {
    customerId: `0c2b4b39-${String(index).padStart(4, '0')}-4d8c-9a51-2f8f3cbd0e5a`,
    customerName: `Customer ${index}`,
    customerMarket: 'US',
    productId: 'DZH318Z0BQ3Q',
    productName: 'Microsoft 365 E3',
    serviceCode: 'O365',
    serviceName: 'Office 365',
    channel: 'Reseller',
    licensesActive: 25 + (index % 100),
    licensesQualified: 30 + (index % 100),
    processedDateTime: '2026-11-20T00:00:00',
  };
}

function page(rows) {
  return Buffer.from(
    JSON.stringify({
      Value: Array.from({ length: rows }, (_, index) => row(index)),
      '@nextLink': null,
      TotalCount: rows,
    }),
  );
}

const bodies = { '/big': page(3500), '/small': page(4) };

const server = createServer((request, response) => {
  const path = (request.url ?? '/').split('?')[0];
  const body = bodies[path];
  if (body === undefined) {
    response.writeHead(404);
    response.end();
    return;
  }
  response.writeHead(200, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': body.length,
    'ms-requestid': request.headers['ms-requestid'] ?? 'none',
  });
  response.end(body);
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address();
  process.stdout.write(
    `${JSON.stringify({ port, big: bodies['/big'].length, small: bodies['/small'].length })}\n`,
  );
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
