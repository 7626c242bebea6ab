import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { ColumnKind, ColumnSpec } from './columns.js';
import type { EndpointDescriptor } from './defineEndpoint.js';
import { endpoints } from './endpoints.js';
import { formatPage } from './formatPage.js';

const guid = fc.uuid().map((id) => id.toLowerCase());
const timestamp = fc
  .date({ min: new Date('2015-01-01T00:00:00Z'), max: new Date('2030-12-31T23:59:59Z'), noInvalidDate: true })
  .map((date) => date.toISOString());

/** A normalized value of each kind, as `parse` returns it. */
const normalizedValue: Record<ColumnKind, fc.Arbitrary<unknown>> = {
  string: fc.string({ maxLength: 30 }),
  guid,
  count: fc.nat({ max: 1_000_000 }),
  ratio: fc.double({ min: 0, max: 2, noNaN: true, noDefaultInfinity: true }),
  timestamp,
  attributes: fc.record({ objectType: fc.constantFrom('PartnerLicensesUsageInsights', 'Collection') }),
};

function normalizedRow(columns: readonly ColumnSpec[]): fc.Arbitrary<Record<string, unknown>> {
  const required: Record<string, fc.Arbitrary<unknown>> = {};
  const optional: string[] = [];
  for (const column of columns) {
    // Any field may be null (finding A14); attributes are the legacy resource's own, never null.
    required[column.name] =
      column.kind === 'attributes'
        ? normalizedValue[column.kind]
        : fc.option(normalizedValue[column.kind], { freq: 8, nil: null });
    if (column.optional === true) optional.push(column.name);
  }
  return fc.record(required, { requiredKeys: columns.filter((c) => c.optional !== true).map((c) => c.name) });
}

/** The same row in one of the shapes the service may send it. */
function wireVariant(
  columns: readonly ColumnSpec[],
  row: Record<string, unknown>,
): fc.Arbitrary<Record<string, unknown>> {
  const variants: Record<string, fc.Arbitrary<unknown>> = {};
  for (const column of columns) {
    const value = row[column.name];
    if (value === undefined) continue;
    if (value === null) {
      variants[column.name] = fc.constant(null);
      continue;
    }
    switch (column.kind) {
      case 'count':
        variants[column.name] = fc.constantFrom(value, String(value));
        break;
      case 'guid':
        variants[column.name] = fc.constantFrom(value, String(value).toUpperCase());
        break;
      case 'timestamp':
        variants[column.name] = fc.constantFrom(
          value,
          String(value).replace('.000Z', ''),
          String(value).replace('Z', '+00:00'),
        );
        break;
      default:
        variants[column.name] = fc.constant(value);
    }
  }
  return fc.record(variants);
}

const all: EndpointDescriptor[] = Object.values(endpoints);

describe.each(all.map((descriptor) => [descriptor.id, descriptor] as const))('%s', (_id, descriptor) => {
  it('parse(serialize(rows)) gives the rows back', () => {
    fc.assert(
      fc.property(fc.array(normalizedRow(descriptor.columns), { maxLength: 8 }), (rows) => {
        const body = JSON.parse(formatPage(descriptor, rows));
        const page = descriptor.page.parse(body);
        const expected =
          descriptor.envelope === 'legacy' && descriptor.objectType !== undefined
            ? rows.map((row) => ({ attributes: { objectType: descriptor.objectType }, ...row }))
            : rows;
        expect(page.items).toEqual(expected);
        expect(page.totalCount).toBe(rows.length);
        expect(page.nextLink).toBeNull();
      }),
      { numRuns: 150 },
    );
  });

  it('normalizes every wire variant to the same row, on the fast path and the zod path alike', () => {
    fc.assert(
      fc.property(
        normalizedRow(descriptor.columns).chain((row) =>
          fc.tuple(fc.constant(row), wireVariant(descriptor.columns, row)),
        ),
        ([row, wire]) => {
          expect(descriptor.row.parse(structuredClone(wire))).toEqual(row);
          expect(descriptor.page.parse({ items: [structuredClone(wire)] }).items[0]).toEqual(row);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('sets a row with a bad value aside, naming its JSON path, and keeps the other rows', () => {
    const bad = fc.oneof(
      fc.boolean(),
      fc.constant(-1),
      fc.constant(1.5),
      fc.constant('not a number or date'),
      fc.constant([]),
      fc.constant({ nested: true }),
    );
    fc.assert(
      fc.property(
        normalizedRow(descriptor.columns),
        fc.constantFrom(...descriptor.columns.filter((c) => c.kind !== 'string' || c.optional !== true)),
        bad,
        fc.nat({ max: 3 }),
        (row, column, value, position) => {
          const kind = column.kind;
          // Values that are valid for the kind are not a counter-example (a negative count is data).
          if (kind === 'string' && typeof value === 'string') return;
          if (kind === 'guid' && typeof value === 'string') return;
          if (kind === 'ratio' && typeof value === 'number') return;
          if (kind === 'count' && Number.isSafeInteger(value)) return;
          if (kind === 'attributes' && typeof value === 'object' && value !== null && !Array.isArray(value))
            return;
          const rows = [row, row, row, row].map((r) => ({ ...r }));
          rows[position] = { ...row, [column.name]: value };
          const itemsKey = descriptor.envelope === 'legacy' ? 'items' : 'Value';
          const page = descriptor.page.parse(JSON.parse(formatPage(descriptor, rows)));
          expect(page.items).toHaveLength(3);
          expect(page.rejected).toHaveLength(1);
          expect(page.rejected[0]).toMatchObject({
            index: position,
            path: `$.${itemsKey}[${position}].${column.name}`,
          });
          const single = descriptor.row.safeParse(rows[position]);
          expect(single.success).toBe(false);
          expect(single.error?.issues[0]?.path).toEqual([column.name]);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('never throws anything but a ZodError on arbitrary JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        try {
          descriptor.page.parse(value);
          descriptor.row.parse(value);
        } catch (error) {
          expect(error).toBeInstanceOf(z.ZodError);
        }
      }),
      { numRuns: 300 },
    );
  });
});
