import { endpoints } from '@pc/models';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MockServer } from '../src/index.js';
import { call, paths, q, readAll, startSmall } from './helpers.js';

type Row = Record<string, unknown>;

/** A filter AST of the commercial grammar, printed and evaluated by the test itself (not the mock's code). */
type Filter =
  | { readonly op: 'eq' | 'ne'; readonly field: string; readonly value: string }
  | { readonly op: 'and' | 'or'; readonly left: Filter; readonly right: Filter };

function print(filter: Filter): string {
  if ('left' in filter) return `(${print(filter.left)} ${filter.op} ${print(filter.right)})`;
  return `${filter.field} ${filter.op} '${filter.value.replace(/'/g, "''")}'`;
}

function evaluate(filter: Filter, row: Row): boolean {
  switch (filter.op) {
    case 'and':
      return evaluate(filter.left, row) && evaluate(filter.right, row);
    case 'or':
      return evaluate(filter.left, row) || evaluate(filter.right, row);
    case 'eq':
      return String(row[filter.field]).toLowerCase() === filter.value.toLowerCase();
    case 'ne':
      return String(row[filter.field]).toLowerCase() !== filter.value.toLowerCase();
  }
}

let server: MockServer;
let token: string;
let usageRows: Row[];
let deploymentRows: Row[];

beforeAll(async () => {
  server = await startSmall({ customers: 40 });
  token = server.issueToken();
  usageRows = (await readAll(server, paths.usage, token)).rows;
  deploymentRows = (await readAll(server, paths.deployment, token)).rows;
});
afterAll(() => server.close());

describe('filter', () => {
  it('matches the documented examples (values compared without regard to case)', async () => {
    const answer = await call(
      `${server.url}${paths.deployment}?filter=${q("serviceCode eq 'O365' or (channel eq 'Reseller')")}`,
      { token },
    );
    const expected = deploymentRows.filter(
      (row) =>
        String(row.serviceCode).toLowerCase() === 'o365' || String(row.channel).toLowerCase() === 'reseller',
    );
    expect(answer.json().Value).toEqual(expected);
    expect(answer.json().TotalCount).toBe(expected.length);
    const sfb = await call(`${server.url}${paths.usage}?filter=${q("workloadCode eq 'SFB'")}`, { token });
    expect(sfb.json().Value).toEqual(usageRows.filter((row) => row.workloadCode === 'SFB'));
  });

  it('compares GUIDs without regard to case and handles quotes in names', async () => {
    const row =
      deploymentRows.find((candidate) => String(candidate.customerName).includes("'")) ?? deploymentRows[0]!;
    const byId = await call(
      `${server.url}${paths.deployment}?filter=${q(`customerTenantId eq '${String(row.customerTenantId).toLowerCase()}'`)}`,
      { token },
    );
    expect(byId.json().Value).toEqual(
      deploymentRows.filter((candidate) => candidate.customerTenantId === row.customerTenantId),
    );
    const name = String(row.customerName).replace(/'/g, "''");
    const byName = await call(`${server.url}${paths.deployment}?filter=${q(`customerName eq '${name}'`)}`, {
      token,
    });
    expect(byName.json().Value).toEqual(
      deploymentRows.filter((candidate) => candidate.customerName === row.customerName),
    );
  });

  it('equals a reference evaluation over the unfiltered data (property)', async () => {
    const fields = endpoints.commercialLicenseUsage.filterable;
    const valuesOf = (field: string) => [...new Set(usageRows.map((row) => String(row[field])))].slice(0, 8);
    const leaf = fc.constantFrom(...fields).chain((field) =>
      fc.record({
        op: fc.constantFrom('eq' as const, 'ne' as const),
        field: fc.constant(field),
        value: fc.oneof(fc.constantFrom(...valuesOf(field)), fc.constant('nothing like it')),
      }),
    );
    const filter: fc.Arbitrary<Filter> = fc.letrec<{ node: Filter }>((tie) => ({
      node: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        leaf,
        fc.record({
          op: fc.constantFrom('and' as const, 'or' as const),
          left: tie('node'),
          right: tie('node'),
        }),
      ),
    })).node;
    await fc.assert(
      fc.asyncProperty(filter, async (candidate) => {
        const answer = await call(`${server.url}${paths.usage}?filter=${q(print(candidate))}`, { token });
        expect(answer.status).toBe(200);
        const expected = usageRows.filter((row) => evaluate(candidate, row));
        const body = answer.json<{ Value: Row[]; TotalCount: number }>();
        expect(body.TotalCount).toBe(expected.length);
        expect(body.Value).toEqual(expected);
      }),
      { numRuns: 25, seed: 42 },
    );
  });

  it('answers 400 naming the problem and where: unknown field, bad syntax, refused operator, measure', async () => {
    const unknown = await call(`${server.url}${paths.usage}?filter=${q("servicecode eq 'o365'")}`, { token });
    expect(unknown.status).toBe(400);
    const body = unknown.json<{
      code: number;
      description: string;
      data: { offset: number; expected: string[] }[];
      source: string;
    }>();
    expect(body.description).toMatch(/^Invalid filter: .*servicecode.*offset 0/s);
    expect(body.description).toContain('^');
    expect(body.data[0]!.offset).toBe(0);
    expect(body.data[0]!.expected).toContain('serviceCode');
    const syntax = await call(`${server.url}${paths.usage}?filter=${q("serviceCode eq 'o365' and")}`, {
      token,
    });
    expect(syntax.status).toBe(400);
    expect(syntax.json<{ data: { offset: number }[] }>().data[0]!.offset).toBe(25);
    const operator = await call(`${server.url}${paths.deployment}?filter=${q("customerName gt 'A'")}`, {
      token,
    });
    expect(operator.status).toBe(400);
    expect(operator.json<{ description: string }>().description).toContain('gt');
    const measure = await call(`${server.url}${paths.deployment}?filter=${q("licensesSold eq '1'")}`, {
      token,
    });
    expect(measure.status).toBe(400);
    const workload = await call(`${server.url}${paths.deployment}?filter=${q("workloadCode eq 'EXO'")}`, {
      token,
    });
    expect(workload.status).toBe(400);
    // The grammar is `field eq|ne 'literal'`: an unquoted GUID, number, null or boolean would otherwise match nothing.
    const id = String(usageRows[0]!.customerTenantId);
    for (const [filter, offset] of [
      [`customerTenantId eq ${id}`, 20],
      ["channel eq 'reseller' or channel eq 1", 36],
      ['serviceCode ne null', 15],
      ["'o365' eq serviceCode", 0],
      ['channel eq serviceName', 11],
    ] as const) {
      const answer = await call(`${server.url}${paths.usage}?filter=${q(filter)}`, { token });
      expect(answer.status, filter).toBe(400);
      expect(answer.json<{ data: { offset: number }[] }>().data[0]!.offset, filter).toBe(offset);
    }
    expect(
      (await call(`${server.url}${paths.usage}?filter=${q(`customerTenantId eq '${id}'`)}`, { token }))
        .status,
    ).toBe(200);
  });
});

describe('groupby', () => {
  function localSums(rows: Row[], groupby: string[], measures: string[]) {
    const sums = new Map<string, Row>();
    for (const row of rows) {
      const key = groupby.map((field) => String(row[field])).join('|');
      const group =
        sums.get(key) ??
        Object.fromEntries([...groupby.map((field) => [field, row[field]]), ...measures.map((m) => [m, 0])]);
      for (const measure of measures) group[measure] = (group[measure] as number) + (row[measure] as number);
      sums.set(key, group);
    }
    return sums;
  }

  it('sums the measures per group, equal to local sums (E1 and E2, with and without filter)', async () => {
    const cases = [
      {
        path: paths.deployment,
        rows: () => deploymentRows,
        groupby: ['serviceCode', 'channel'],
        measures: ['licensesDeployed', 'licensesSold'],
      },
      {
        path: paths.deployment,
        rows: () => deploymentRows,
        groupby: ['productName'],
        measures: ['licensesDeployed', 'licensesSold'],
      },
      {
        path: paths.usage,
        rows: () => usageRows,
        groupby: ['workloadName', 'serviceName'],
        measures: ['licensesActive', 'licensesQualified'],
      },
      {
        path: paths.usage,
        rows: () => usageRows.filter((row) => row.serviceCode === 'o365'),
        filter: "serviceCode eq 'O365'",
        groupby: ['customerTenantId'],
        measures: ['licensesActive', 'licensesQualified'],
      },
    ];
    for (const item of cases) {
      const filter = item.filter === undefined ? '' : `&filter=${q(item.filter)}`;
      const answer = await call(`${server.url}${item.path}?groupby=${item.groupby.join(',')}${filter}`, {
        token,
      });
      expect(answer.status).toBe(200);
      const body = answer.json<{ Value: Row[]; TotalCount: number }>();
      const expected = localSums(item.rows(), item.groupby, item.measures);
      expect(body.TotalCount).toBe(expected.size);
      for (const row of body.Value) {
        expect(Object.keys(row).sort()).toEqual(
          ['processedDateTime', ...item.groupby, ...item.measures].sort(),
        );
        const key = item.groupby.map((field) => String(row[field])).join('|');
        for (const measure of item.measures) expect(row[measure]).toBe(expected.get(key)![measure]);
      }
      const descriptor =
        item.path === paths.usage ? endpoints.commercialLicenseUsage : endpoints.commercialLicenseDeployment;
      descriptor.groupedPage(item.groupby as never).parse(JSON.parse(answer.text));
    }
  });

  it('pages grouped results and accepts groupBy spelled in any case', async () => {
    const { rows, totalCount } = await readAll(
      server,
      `${paths.deployment}?groupBy=customerTenantId,productName&top=37`,
      token,
    );
    expect(rows).toHaveLength(totalCount);
    expect(totalCount).toBe(deploymentRows.length);
  });

  it('answers 400 for a field that cannot be grouped', async () => {
    const answer = await call(`${server.url}${paths.deployment}?groupby=serviceCode,licensesSold`, { token });
    expect(answer.status).toBe(400);
    expect(answer.json<{ description: string }>().description).toContain("'licensesSold'");
  });
});
