import type { EndpointDescriptor, MockDataContext, MockDataGenerator, SyntheticDataset } from '@pc/models';
import { compileFilter, type FilterNode } from '@pc/odata-query';
import { LruCache } from './lruCache.js';
import { type ByteRowDataset, serializeRows } from './rowBytes.js';
import type { QuirkRates } from './profiles.js';
import { type ServiceStamp, type Snapshot, snapshotKey } from './snapshots.js';

/**
 * What the built-in generators read beyond a module's `MockDataContext`: each service's day and
 * stamp (per-service dates, A1) and the quirk rates. Other generators ignore them.
 */
export interface RealisticDataContext extends MockDataContext {
  readonly services?: Readonly<Record<string, ServiceStamp>>;
  readonly quirks?: QuirkRates;
}

/** An endpoint the engine can answer: a descriptor and the generator of its rows. */
export interface ServedEndpoint {
  readonly descriptor: EndpointDescriptor;
  readonly generate: MockDataGenerator;
}

/** The rows of one (filtered, grouped) query on one snapshot, addressable by position. */
export interface QueryResult {
  readonly total: number;
  /** Rows `[start, end)` in wire form. */
  rows(start: number, end: number): Record<string, unknown>[];
  /** Memory the result holds (estimate, bytes). */
  readonly bytes?: number;
  /** `head` + rows `[start, end)` as JSON (comma-separated) + `tail`, when the dataset writes bytes itself. */
  readonly serialize?: (start: number, end: number, head: string, tail: string) => Buffer;
}

function writesBytes(dataset: SyntheticDataset): dataset is SyntheticDataset & ByteRowDataset {
  const candidate = dataset as Partial<ByteRowDataset>;
  return typeof candidate.writeRow === 'function' && typeof candidate.maxRowBytes === 'number';
}

/** What a query asks for. */
export interface QuerySpec {
  readonly endpoint: ServedEndpoint;
  readonly partnerTenantId: string;
  readonly snapshot: Snapshot;
  /** The parsed filter and its canonical text (the cache key). */
  readonly filter?: { readonly node: FilterNode; readonly key: string };
  /** Group-by fields, validated, in the order asked. */
  readonly groupby?: readonly string[];
  /** Only rows of this index range of the dataset (a customer's rows), before filtering. */
  readonly range?: { readonly start: number; readonly end: number };
}

/** How grouped rows look (evidence A8). */
export interface GroupedRowStyle {
  /** Carry `processedDateTime` (of the group's first row) besides the group fields and measures. */
  readonly processedDateTime: boolean;
  /** Measures as numbers or numeric strings. */
  readonly measures: 'number' | 'string';
  /** Groups as they first appear, or sorted by their group-field values (code-unit order, null first). */
  readonly order: 'first-seen' | 'key';
}

function compareKeys(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  const left = String(a);
  const right = String(b);
  return left < right ? -1 : left > right ? 1 : 0;
}

function measureValue(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '') {
    const parsed = Number(value);
    return Number.isFinite(parsed) ? parsed : 0;
  }
  return 0;
}

/**
 * Answers queries over synthetic datasets without rescanning them per page: the datasets, and per
 * (endpoint, tenant, snapshot, filter, groupby) the matching row indexes (an `Int32Array`) or the
 * grouped rows, are kept in LRU caches, so a page materializes only its own rows.
 */
export class QueryEngine {
  private readonly datasets = new LruCache<SyntheticDataset>(16);
  /** Results, bounded by count and by an estimate of their memory (index lists and grouped rows). */
  private readonly results = new LruCache<QueryResult>(64, {
    weigh: (result) => result.bytes ?? 0,
    maxWeight: 160 * 1024 * 1024,
  });

  constructor(
    private readonly options: {
      readonly seed: number;
      readonly customers: number;
      /** How grouped rows look (A8); default: with processedDateTime, number measures, first-seen order. */
      readonly grouped?: GroupedRowStyle;
      /** Rates of the data quirks the built-in generators apply (none by default). */
      readonly quirks?: QuirkRates;
    },
  ) {}

  /** The dataset of an endpoint for a tenant and snapshot. */
  dataset(endpoint: ServedEndpoint, partnerTenantId: string, snapshot: Snapshot): SyntheticDataset {
    const key = `${endpoint.descriptor.id}|${partnerTenantId.toLowerCase()}|${snapshotKey(snapshot)}`;
    let dataset = this.datasets.get(key);
    if (dataset === undefined) {
      const context: RealisticDataContext = {
        seed: this.options.seed,
        partnerTenantId: partnerTenantId.toLowerCase(),
        customers: this.options.customers,
        snapshotIndex: snapshot.snapshotIndex,
        processedDateTime: snapshot.processedDateTime,
        ...(snapshot.services === undefined ? {} : { services: snapshot.services }),
        ...(this.options.quirks === undefined ? {} : { quirks: this.options.quirks }),
      };
      dataset = endpoint.generate(context);
      this.datasets.set(key, dataset);
    }
    return dataset;
  }

  /** The result of a query, from the cache when it was asked before. */
  resolve(spec: QuerySpec): QueryResult {
    const key = [
      spec.endpoint.descriptor.id,
      spec.partnerTenantId.toLowerCase(),
      snapshotKey(spec.snapshot),
      spec.range === undefined ? '' : `${spec.range.start}-${spec.range.end}`,
      spec.filter?.key ?? '',
      (spec.groupby ?? []).join(','),
    ].join('|');
    let result = this.results.get(key);
    if (result === undefined) {
      result = this.compute(spec);
      this.results.set(key, result);
    }
    return result;
  }

  /** Drops every cached dataset and result. */
  clear(): void {
    this.datasets.clear();
    this.results.clear();
  }

  private compute(spec: QuerySpec): QueryResult {
    const dataset = this.dataset(spec.endpoint, spec.partnerTenantId, spec.snapshot);
    const start = Math.max(0, spec.range?.start ?? 0);
    const end = Math.min(dataset.count, spec.range?.end ?? dataset.count);
    let indexes: Int32Array | undefined;
    if (spec.filter !== undefined) {
      const predicate = compileFilter(spec.filter.node);
      let found = new Int32Array(Math.min(Math.max(end - start, 0), 4096));
      let count = 0;
      for (let index = start; index < end; index++) {
        if (predicate(dataset.row(index))) {
          if (count === found.length) {
            const grown = new Int32Array(Math.min(end - start, found.length * 2));
            grown.set(found);
            found = grown;
          }
          found[count++] = index;
        }
      }
      indexes = count === found.length ? found : found.slice(0, count);
    }
    if (spec.groupby !== undefined && spec.groupby.length > 0) {
      return this.group(spec.endpoint.descriptor, dataset, spec.groupby, indexes ?? { start, end });
    }
    if (indexes !== undefined) {
      const matched = indexes;
      return {
        total: matched.length,
        bytes: matched.byteLength,
        rows: (from, to) => {
          const rows: Record<string, unknown>[] = [];
          for (let position = from; position < Math.min(to, matched.length); position++) {
            rows.push(dataset.row(matched[position]!));
          }
          return rows;
        },
        ...(writesBytes(dataset)
          ? {
              serialize: (from: number, to: number, head: string, tail: string) =>
                serializeRows({
                  dataset,
                  indexes: matched,
                  from,
                  to: Math.min(to, matched.length),
                  head,
                  tail,
                }),
            }
          : {}),
      };
    }
    return {
      total: Math.max(0, end - start),
      rows: (from, to) => {
        const rows: Record<string, unknown>[] = [];
        for (let index = start + from; index < Math.min(start + to, end); index++)
          rows.push(dataset.row(index));
        return rows;
      },
      ...(writesBytes(dataset)
        ? {
            serialize: (from: number, to: number, head: string, tail: string) =>
              serializeRows({
                dataset,
                indexes: undefined,
                from: start + from,
                to: Math.min(start + to, end),
                head,
                tail,
              }),
          }
        : {}),
    };
  }

  private group(
    descriptor: EndpointDescriptor,
    dataset: SyntheticDataset,
    groupby: readonly string[],
    source: Int32Array | { readonly start: number; readonly end: number },
  ): QueryResult {
    const measures = descriptor.measures;
    const style = this.options.grouped ?? {
      processedDateTime: true,
      measures: 'number',
      order: 'first-seen',
    };
    const hasProcessed = style.processedDateTime && descriptor.fields.includes('processedDateTime');
    const output = descriptor.fields.filter(
      (field) =>
        groupby.includes(field) ||
        measures.includes(field) ||
        (field === 'processedDateTime' && hasProcessed),
    );
    // A measure may come under one of its aliases on some rows (`licenseActive`, A13).
    const measureNames = measures.map((measure) => [
      measure,
      ...(descriptor.columns.find((column) => column.name === measure)?.aliases ?? []),
    ]);
    // Nested maps, one level per group field: no key strings to build, and the field values (mostly
    // the same string objects over and over) hash once.
    type Group = { readonly first: Record<string, unknown>; readonly sums: Float64Array };
    const root = new Map<unknown, unknown>();
    const groups: Group[] = [];
    const last = groupby.length - 1;
    const measureCount = measures.length;
    const visit = (row: Record<string, unknown>) => {
      let level = root;
      for (let f = 0; f < last; f++) {
        const value = row[groupby[f]!];
        let next = level.get(value) as Map<unknown, unknown> | undefined;
        if (next === undefined) {
          next = new Map();
          level.set(value, next);
        }
        level = next;
      }
      const value = row[groupby[last]!];
      let group = level.get(value) as Group | undefined;
      if (group === undefined) {
        group = { first: row, sums: new Float64Array(measureCount) };
        level.set(value, group);
        groups.push(group);
      }
      for (let m = 0; m < measureCount; m++) {
        const names = measureNames[m]!;
        let value = row[names[0]!];
        for (let a = 1; value === undefined && a < names.length; a++) value = row[names[a]!];
        group.sums[m]! += measureValue(value);
      }
    };
    if (source instanceof Int32Array) {
      for (const index of source) visit(dataset.row(index));
    } else {
      for (let index = source.start; index < source.end; index++) visit(dataset.row(index));
    }
    if (style.order === 'key') {
      groups.sort((a, b) => {
        for (const field of groupby) {
          const order = compareKeys(a.first[field], b.first[field]);
          if (order !== 0) return order;
        }
        return 0;
      });
    }
    const rows: Record<string, unknown>[] = [];
    for (const { first, sums } of groups) {
      const row: Record<string, unknown> = {};
      for (const field of output) {
        const m = measures.indexOf(field);
        row[field] = m === -1 ? first[field] : style.measures === 'string' ? String(sums[m]) : sums[m];
      }
      rows.push(row);
    }
    return {
      total: rows.length,
      bytes: rows.length * 64 * (output.length + 1),
      rows: (from, to) => rows.slice(from, to),
    };
  }
}
