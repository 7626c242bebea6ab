import { type AnalyticsClient, createClient } from '@pc/analytics';
import { startMockServer } from '@pc/mock';
import {
  commercialLicenseDeployment,
  commercialLicenseUsage,
  customerLicenseDeployment,
  customerLicenseUsage,
  type EndpointDescriptor,
} from '@pc/models';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkListFlags } from '../src/commands/listEndpoint.js';
import { UsageError } from '../src/exitCodes.js';

/**
 * The CLI, the SDK and the mock each call the one request check of `@pc/models` and only turn its
 * issues into their own error shapes. This test proves that they agree: for thousands of generated
 * requests, all three accept, or all three refuse naming the same problem at the same place. The
 * CLI leg is the function its commands call before any request; the SDK leg is a real client
 * (a refusal is thrown before anything is sent); the mock leg is a real mock over HTTP.
 */

type Mock = Awaited<ReturnType<typeof startMockServer>>;

let mock: Mock;
let token: string;
let client: AnalyticsClient;

beforeAll(async () => {
  mock = await startMockServer({ port: 0, seed: 3, customers: 20, quiet: true });
  token = mock.issueToken();
  client = createClient({ baseUrl: mock.url, accessToken: token });
});

afterAll(async () => {
  await client?.close();
  await mock?.close();
});

/** What a consumer answered: accepted, or refused with the problem as the shared issue words it. */
type Verdict = { readonly accepted: true } | { readonly accepted: false; readonly problem: string };

/** The words after the consumer's own label (`invalid --filter: `, `Invalid filter for E2: `, `Invalid filter: `). */
function problemOf(message: string): string {
  const colon = message.indexOf(': ');
  return colon === -1 ? message : message.slice(colon + 2);
}

interface GeneratedRequest {
  readonly descriptor: EndpointDescriptor;
  readonly filter?: string;
  readonly groupby?: string;
  readonly processedDateTime?: string;
  readonly customerId?: string;
}

function viaCli(request: GeneratedRequest): Verdict {
  try {
    checkListFlags(
      request.descriptor,
      {
        ...(request.filter === undefined ? {} : { filter: request.filter }),
        ...(request.groupby === undefined ? {} : { groupby: request.groupby }),
        ...(request.processedDateTime === undefined ? {} : { processedDate: request.processedDateTime }),
      },
      request.customerId === undefined
        ? undefined
        : { values: { customerId: request.customerId }, flags: { customerId: '--customer' } },
    );
    return { accepted: true };
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    return { accepted: false, problem: problemOf(error.message) };
  }
}

function viaSdk(request: GeneratedRequest): Verdict {
  try {
    // Nothing is requested until the stream is iterated; a refused request throws here.
    client.list(request.descriptor.id, {
      ...(request.filter === undefined ? {} : { filter: request.filter }),
      ...(request.groupby === undefined ? {} : { groupby: request.groupby }),
      ...(request.processedDateTime === undefined ? {} : { processedDateTime: request.processedDateTime }),
      ...(request.customerId === undefined ? {} : { pathParams: { customerId: request.customerId } }),
    });
    return { accepted: true };
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code !== 'INVALID_REQUEST') throw error;
    return { accepted: false, problem: problemOf((error as Error).message) };
  }
}

async function viaMock(request: GeneratedRequest): Promise<Verdict> {
  const query = new URLSearchParams({ top: '1' });
  if (request.filter !== undefined) query.set('filter', request.filter);
  if (request.groupby !== undefined) query.set('groupby', request.groupby);
  if (request.processedDateTime !== undefined) query.set('processedDateTime', request.processedDateTime);
  const path =
    request.customerId === undefined
      ? request.descriptor.path
      : request.descriptor.path.replace('{customerId}', encodeURIComponent(request.customerId));
  const response = await fetch(`${mock.url}${path}?${query}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const body = (await response.json()) as { description?: string };
  // 200, or 404 for a well-formed customer id the partner does not have: the request was accepted.
  if (response.status === 200 || response.status === 404) return { accepted: true };
  expect(response.status, JSON.stringify(body)).toBe(400);
  return { accepted: false, problem: problemOf(body.description ?? '') };
}

const quoted = (text: string) => `'${text.replace(/'/g, "''")}'`;

/** Operands: right ones and wrong ones (numbers, null, booleans, unquoted GUIDs, dates, fields). */
const operand = fc.oneof(
  fc.constantFrom("'o365'", "'reseller'", "'O''Brien'", "''", '1', '2.5', 'null', 'true'),
  fc.constantFrom('2026-11-20', '2026-11-20T00:00:00Z', '8d6c0d2e-3a1b-4c5d-9e8f-0a1b2c3d4e5f'),
  fc.string({ maxLength: 6 }).map(quoted),
);

function filterArbitrary(descriptor: EndpointDescriptor): fc.Arbitrary<string> {
  const field = fc.constantFrom(
    ...descriptor.filterable,
    ...descriptor.measures,
    'processedDateTime',
    'nope',
    'servicecode',
  );
  const comparison = fc.oneof(
    { weight: 6, arbitrary: fc.tuple(field, fc.constantFrom('eq', 'ne'), operand).map((p) => p.join(' ')) },
    { weight: 2, arbitrary: fc.tuple(field, fc.constantFrom('eq', 'ne'), field).map((p) => p.join(' ')) },
    { weight: 1, arbitrary: fc.tuple(operand, fc.constantFrom('eq', 'ne'), field).map((p) => p.join(' ')) },
    { weight: 1, arbitrary: fc.tuple(field, fc.constantFrom('gt', 'le'), operand).map((p) => p.join(' ')) },
    { weight: 1, arbitrary: fc.tuple(field, operand).map(([f, o]) => `contains(${f}, ${o})`) },
    { weight: 1, arbitrary: fc.tuple(field, operand, operand).map(([f, a, b]) => `${f} in (${a}, ${b})`) },
  );
  const { expression } = fc.letrec<{ expression: string }>((tie) => ({
    expression: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      comparison,
      fc
        .tuple(tie('expression'), fc.constantFrom('and', 'or', 'nd'), tie('expression'))
        .map((p) => p.join(' ')),
      tie('expression').map((inner) => `(${inner})`),
      tie('expression').map((inner) => `not ${inner}`),
    ),
  }));
  return fc.oneof(
    { weight: 10, arbitrary: expression },
    { weight: 1, arbitrary: expression.map((text) => `${text} and`) },
    { weight: 1, arbitrary: expression.map((text) => text.replace(/'$/, '')) },
    { weight: 1, arbitrary: fc.constantFrom('', '   ') },
  );
}

function groupbyArbitrary(descriptor: EndpointDescriptor): fc.Arbitrary<string> {
  const name = fc.constantFrom(...descriptor.groupable, ...descriptor.measures, 'nope', '');
  return fc
    .tuple(fc.array(name, { minLength: 1, maxLength: 4 }), fc.constantFrom(',', ', ', ' , '))
    .map(([names, separator]) => names.join(separator));
}

const snapshotDate = fc.constantFrom(
  '2026-11-20',
  '2026-11-19',
  '2026-11-20T00:00:00Z',
  '2026-11-20T12:30:00+02:00',
  '2026-11-20T12:30',
  '2026-02-30',
  '2026-11-20T25:00:00Z',
  'yesterday',
  '20261120',
  ' ',
);

const guid = fc.uuid();
const customerId = fc.oneof(
  guid,
  guid.map((id) => id.toUpperCase()),
  guid.map((id) => `${id}x`),
  fc.stringMatching(/^[a-z0-9-]{1,12}$/),
);

async function expectAgreement(request: GeneratedRequest): Promise<void> {
  const cli = viaCli(request);
  const sdk = viaSdk(request);
  const server = await viaMock(request);
  expect(sdk, 'SDK vs CLI').toEqual(cli);
  expect(server, 'mock vs CLI').toEqual(cli);
}

describe('the CLI, the SDK and the mock agree on every request (one request check)', () => {
  it('filter, groupby and processedDateTime of the commercial endpoints', { timeout: 600_000 }, async () => {
    const sentBefore = mock.journal().length;
    let mockRequests = 0;
    let refused = 0;
    const request = fc.constantFrom(commercialLicenseDeployment, commercialLicenseUsage).chain((descriptor) =>
      fc.record(
        {
          descriptor: fc.constant(descriptor),
          filter: filterArbitrary(descriptor),
          groupby: groupbyArbitrary(descriptor),
          processedDateTime: snapshotDate,
        },
        { requiredKeys: ['descriptor'] },
      ),
    );
    await fc.assert(
      fc.asyncProperty(request, async (generated) => {
        await expectAgreement(generated);
        mockRequests++;
        if (!viaCli(generated).accepted) refused++;
      }),
      { numRuns: 2000, seed: 14 },
    );
    // Both verdicts were well represented, and the SDK never sent anything: only the mock leg did.
    expect(refused).toBeGreaterThan(400);
    expect(mockRequests - refused).toBeGreaterThan(200);
    expect(mock.journal().length - sentBefore).toBe(mockRequests);
  });

  it('the customer id of the legacy customer endpoints', { timeout: 300_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(customerLicenseDeployment, customerLicenseUsage),
        customerId,
        async (descriptor, id) => expectAgreement({ descriptor, customerId: id }),
      ),
      { numRuns: 300, seed: 14 },
    );
  });

  it('names the same problem for `channel eq 1` in all three', async () => {
    const request = { descriptor: commercialLicenseDeployment, filter: 'channel eq 1' };
    const expected = {
      accepted: false,
      problem:
        "channel takes a quoted string such as 'value', not the number 1 at offset 11:\n  channel eq 1\n             ^",
    };
    expect(viaCli(request)).toEqual(expected);
    expect(viaSdk(request)).toEqual(expected);
    expect(await viaMock(request)).toEqual(expected);
  });
});
