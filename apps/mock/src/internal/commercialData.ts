import type { MockDataContext, MockDataGenerator, SyntheticDataset } from '@pc/models';
import {
  awkwardCustomerNames,
  channels,
  customerNameBases,
  customerNameForms,
  customerNameRegions,
  type Product,
  products,
} from './catalog.js';
import type { QuirkRates } from './profiles.js';
import { between, guidFrom, hash2, hash3, hash4, hashString, unit } from './prng.js';
import type { RealisticDataContext } from './queryEngine.js';
import { type ByteRowDataset, bytesOf, put, writeUint } from './rowBytes.js';

/** A dataset that can also say where one customer's rows are (rows of a customer are contiguous). */
export interface CustomerIndexedDataset<Row = Record<string, unknown>>
  extends SyntheticDataset<Row>,
    ByteRowDataset {
  /** The half-open row range `[start, end)` of a customer, or `undefined` when the partner has no such customer. */
  rangeOfCustomer(customerTenantId: string): { readonly start: number; readonly end: number } | undefined;
}

/** The customers of one partner tenant: derived once from `(seed, tenant, customers)`, shared by all snapshots. */
interface CustomerTable {
  readonly count: number;
  readonly salt: number;
  readonly ids: readonly string[];
  /** `null` for a customer the `nulls` quirk hit. */
  readonly names: readonly (string | null)[];
  /** Index into {@link channelNames} (the last one is `"UNKNOWN"`). */
  readonly channels: Uint8Array;
  readonly seats: Uint32Array;
  /** `productStart[c]..productStart[c + 1]` index `productIndexes`: the deployment rows of customer `c`. */
  readonly productStart: Int32Array;
  readonly productIndexes: Uint8Array;
  /** `usageStart[c]..usageStart[c + 1]`: the usage rows of customer `c`. */
  readonly usageStart: Int32Array;
  indexOf(customerTenantId: string): number;
  /** `"channel":...,"customerTenantId":...,"customerName":...` of customer `c`, as JSON bytes (cached). */
  customerBytes(c: number): Buffer;
  /** An upper bound of `customerBytes(c).length`. */
  readonly maxCustomerBytes: number;
}

const upperProductIds = products.map((product) => product.id.toUpperCase());
/** `,"productId":...,"productName":...` per product, as JSON bytes. */
const productBytes = products.map((product, p) =>
  bytesOf(`,"productId":${JSON.stringify(upperProductIds[p])},"productName":${JSON.stringify(product.name)}`),
);
const maxProductBytes = Math.max(...productBytes.map((fragment) => fragment.length));
/** Room for two count fields with their names and up to 16 digits each. */
const countsBytes = 80;

/** The channel values: the catalog's, then `"UNKNOWN"` (the `unknownValues` quirk, A14). */
const channelNames = [...channels.map((channel) => channel.name), 'UNKNOWN'];
const unknownChannel = channelNames.length - 1;

/** Whether a quirk of rate `rate` hits the draw `hash`. */
function hits(rate: number | undefined, hash: number): boolean {
  return rate !== undefined && rate > 0 && unit(hash) < rate;
}

const channelCumulative = (() => {
  const total = channels.reduce((sum, channel) => sum + channel.weight, 0);
  let running = 0;
  return channels.map((channel) => {
    running += channel.weight;
    return running / total;
  });
})();

function pickChannel(hash: number): number {
  const u = unit(hash);
  const index = channelCumulative.findIndex((limit) => u < limit);
  return index === -1 ? channels.length - 1 : index;
}

function customerName(hash: number): string {
  const base = customerNameBases[hash % customerNameBases.length]!;
  const region = customerNameRegions[(hash >>> 8) % customerNameRegions.length]!;
  const form = customerNameForms[(hash >>> 16) % customerNameForms.length]!;
  return region === '' ? `${base} ${form}` : `${base} ${region} ${form}`;
}

function buildCustomerTable(
  seed: number,
  partnerTenantId: string,
  count: number,
  quirks: QuirkRates,
): CustomerTable {
  const salt = hash3(seed, hashString(partnerTenantId.toLowerCase()), 0x5eed);
  const ids: string[] = new Array(count);
  const names: (string | null)[] = new Array(count);
  const channelOf = new Uint8Array(count);
  const seats = new Uint32Array(count);
  const productStart = new Int32Array(count + 1);
  const usageStart = new Int32Array(count + 1);
  const chosen: number[] = [];
  const picked: number[] = [];
  const keys = new Float64Array(products.length);
  for (let c = 0; c < count; c++) {
    const h = hash2(salt, c);
    ids[c] = guidFrom(h, hash3(salt, c, 1), hash3(salt, c, 2), hash3(salt, c, 3)).toUpperCase();
    names[c] = customerName(hash3(salt, c, 4));
    // Customer-level quirks (A14): an awkward name, a null name, an "UNKNOWN" channel.
    if (hits(quirks.nonAsciiNames, hash3(salt, c, 9)))
      names[c] = awkwardCustomerNames[hash3(salt, c, 12) % awkwardCustomerNames.length]!;
    if (hits(quirks.nulls, hash3(salt, c, 10))) names[c] = null;
    channelOf[c] = pickChannel(hash3(salt, c, 5));
    if (hits(quirks.unknownValues, hash3(salt, c, 11))) channelOf[c] = unknownChannel;
    seats[c] = 1 + Math.floor(Math.exp(unit(hash3(salt, c, 6)) * 7.5));
    const wanted = between(hash3(salt, c, 7), 4, 16);
    // Weighted sampling without replacement (Efraimidis-Spirakis): keep the largest u^(1/weight).
    for (let p = 0; p < products.length; p++) {
      keys[p] = unit(hash3(salt, c, 100 + p)) ** (1 / products[p]!.popularity);
    }
    picked.length = 0;
    for (let k = 0; k < wanted; k++) {
      let best = -1;
      for (let p = 0; p < products.length; p++)
        if (keys[p]! >= 0 && (best === -1 || keys[p]! > keys[best]!)) best = p;
      picked.push(best);
      keys[best] = -1;
    }
    picked.sort((a, b) => a - b);
    productStart[c + 1] = productStart[c]! + picked.length;
    let usage = 0;
    for (const p of picked) {
      chosen.push(p);
      usage += products[p]!.workloads.length;
    }
    usageStart[c + 1] = usageStart[c]! + usage;
  }
  let byId: Map<string, number> | undefined;
  // Every customer's JSON fragment, made once: pages then only copy bytes.
  const customerFragments: Buffer[] = new Array(count);
  for (let c = 0; c < count; c++) {
    customerFragments[c] = bytesOf(
      `"channel":${JSON.stringify(channelNames[channelOf[c]!]!)},"customerTenantId":${JSON.stringify(ids[c])},"customerName":${JSON.stringify(names[c])}`,
    );
  }
  const longestName = Math.max(0, ...names.map((name) => Buffer.byteLength(JSON.stringify(name))));
  const longestChannel = Math.max(...channelNames.map((channel) => channel.length + 2));
  return {
    count,
    salt,
    ids,
    names,
    channels: channelOf,
    seats,
    productStart,
    productIndexes: Uint8Array.from(chosen),
    usageStart,
    indexOf(customerTenantId) {
      if (byId === undefined) {
        byId = new Map();
        for (let c = 0; c < count; c++) byId.set(ids[c]!, c);
      }
      return byId.get(customerTenantId.toUpperCase()) ?? -1;
    },
    customerBytes(c) {
      return customerFragments[c]!;
    },
    maxCustomerBytes: 60 + longestChannel + 38 + longestName,
  };
}

const tables = new Map<string, CustomerTable>();
const tableCacheSize = 4;

function customerTable(context: MockDataContext): CustomerTable {
  const quirks = (context as RealisticDataContext).quirks ?? {};
  const key = `${context.seed}|${context.partnerTenantId.toLowerCase()}|${context.customers}|${quirks.nonAsciiNames ?? 0}|${quirks.nulls ?? 0}|${quirks.unknownValues ?? 0}`;
  let table = tables.get(key);
  if (table === undefined) {
    table = buildCustomerTable(context.seed, context.partnerTenantId, context.customers, quirks);
    if (tables.size >= tableCacheSize) tables.delete(tables.keys().next().value as string);
    tables.set(key, table);
  }
  return table;
}

/** Index of the customer whose range `[starts[c], starts[c + 1])` holds `row`. */
function customerOfRow(starts: Int32Array, row: number): number {
  let low = 0;
  let high = starts.length - 2;
  while (low < high) {
    const middle = (low + high + 1) >>> 1;
    if (starts[middle]! <= row) low = middle;
    else high = middle - 1;
  }
  return low;
}

/** The day number (days since 1970-01-01 UTC) of a snapshot, the unit of day-to-day change. */
function dayOf(context: MockDataContext): number {
  const time = Date.parse(context.processedDateTime);
  return Number.isNaN(time) ? 0 : Math.floor(time / 86_400_000);
}

/**
 * Licenses sold and deployed of customer `c`'s product `p` on `day`; with the `overAssignment`
 * quirk (A3) some rows deploy more than they sold.
 */
function deploymentCounts(
  table: CustomerTable,
  c: number,
  p: number,
  day: number,
  quirks: QuirkRates,
): [sold: number, deployed: number] {
  const product: Product = products[p]!;
  const [low, high] = product.seatShare;
  const share = low + (high - low) * unit(hash3(table.salt, c, p * 8 + 1));
  let sold = Math.max(1, Math.round(table.seats[c]! * share));
  let deployed = Math.floor(sold * (0.55 + 0.45 * unit(hash3(table.salt, c, p * 8 + 2))));
  const daily = hash4(table.salt, c, p, day);
  if ((daily & 1023) < 80) sold += 1 + ((daily >>> 10) % 3);
  if (((daily >>> 12) & 1023) < 100) deployed = Math.max(0, deployed - 1 - ((daily >>> 22) % 3));
  const over = hash3(table.salt, c, p * 8 + 5);
  if (hits(quirks.overAssignment, over)) return [sold, sold + 1 + ((over >>> 8) % 3)];
  return [sold, Math.min(sold, deployed)];
}

/**
 * Licenses qualified and active of workload `w` of customer `c`'s product `p` on `day`; with the
 * `overUsage` quirk (A2) some rows are active above 100 %.
 */
function usageCounts(
  table: CustomerTable,
  c: number,
  p: number,
  w: number,
  day: number,
  quirks: QuirkRates,
): [qualified: number, active: number] {
  const deployed = deploymentCounts(table, c, p, day, quirks)[1];
  const stable = hash3(table.salt, c, p * 16 + w + 4096);
  const qualified = Math.max(0, deployed - ((stable & 3) === 0 ? 1 + ((stable >>> 2) % 2) : 0));
  const [low, high] = products[p]!.workloads[w]!.activeShare;
  let share = low + (high - low) * unit(hash3(table.salt, c, p * 16 + w + 8192));
  share += (unit(hash4(table.salt, c, p * 16 + w, day)) - 0.5) * 0.06;
  share = Math.min(1, Math.max(0, share));
  const over = hash3(table.salt, c, p * 16 + w + 12288);
  if (hits(quirks.overUsage, over)) return [qualified, qualified + 1 + ((over >>> 8) % 3)];
  return [qualified, Math.min(qualified, Math.floor(qualified * share))];
}

/** `2018-10-14T00:00:00`: the commercial endpoints send timestamps without an offset. */
function commercialStamp(processedDateTime: string): string {
  return processedDateTime.slice(0, 19);
}

function rangeFinder(table: CustomerTable, starts: Int32Array) {
  return (customerTenantId: string) => {
    const c = table.indexOf(customerTenantId);
    return c === -1 ? undefined : { start: starts[c]!, end: starts[c + 1]! };
  };
}

/**
 * The day and `processedDateTime` of each product's rows: the snapshot's for every product, or,
 * with per-service dates (A1), the day and stamp of the product's service.
 */
function productDates(context: MockDataContext): { days: Int32Array; stamps: string[] } {
  const services = (context as RealisticDataContext).services;
  const day = dayOf(context);
  const stamp = commercialStamp(context.processedDateTime);
  const days = new Int32Array(products.length);
  const stamps: string[] = [];
  products.forEach((product, p) => {
    const service = services?.[product.serviceCode];
    days[p] = service?.day ?? day;
    stamps.push(service?.stamp ?? stamp);
  });
  return { days, stamps };
}

/** `,"productId":...,"productName":null` per product (the `nulls` quirk). */
const productNullBytes = products.map((_, p) =>
  bytesOf(`,"productId":${JSON.stringify(upperProductIds[p])},"productName":null`),
);
const quote = 34;

/** Writes a count as a number, or as a numeric string (`"12"`) for the `numericStrings` quirk. */
function writeCount(target: Buffer, offset: number, value: number, asString: boolean): number {
  if (!asString) return writeUint(target, offset, value);
  target[offset] = quote;
  const end = writeUint(target, offset + 1, value);
  target[end] = quote;
  return end + 1;
}

/** Quirk draws of a (customer, product) pair: a null product name (A14), numeric-string counts (A8). */
function pairQuirks(table: CustomerTable, c: number, p: number, quirks: QuirkRates) {
  return {
    nullProduct: hits(quirks.nulls, hash3(table.salt, c, p * 8 + 6)),
    strings: hits(quirks.numericStrings, hash3(table.salt, c, p * 8 + 7)),
  };
}

/** E2's generator: one row per (customer, product). */
export const generateCommercialDeployment: MockDataGenerator = (context): CustomerIndexedDataset => {
  const table = customerTable(context);
  const quirks = (context as RealisticDataContext).quirks ?? {};
  const { days, stamps } = productDates(context);
  const prefixes = products.map((product, p) =>
    bytesOf(
      `{"processedDateTime":${JSON.stringify(stamps[p])},"serviceCode":${JSON.stringify(product.serviceCode)},"serviceName":${JSON.stringify(product.serviceName)},`,
    ),
  );
  const deployedLabel = bytesOf(',"licensesDeployed":');
  const soldLabel = bytesOf(',"licensesSold":');
  return {
    count: table.productStart[table.count]!,
    maxRowBytes:
      Math.max(...prefixes.map((prefix) => prefix.length)) +
      table.maxCustomerBytes +
      maxProductBytes +
      countsBytes,
    writeRow(index, target, start) {
      const c = customerOfRow(table.productStart, index);
      const p = table.productIndexes[index]!;
      const [sold, deployed] = deploymentCounts(table, c, p, days[p]!, quirks);
      const odd = pairQuirks(table, c, p, quirks);
      let offset = put(target, start, prefixes[p]!);
      offset = put(target, offset, table.customerBytes(c));
      offset = put(target, offset, odd.nullProduct ? productNullBytes[p]! : productBytes[p]!);
      offset = writeCount(target, put(target, offset, deployedLabel), deployed, odd.strings);
      offset = writeCount(target, put(target, offset, soldLabel), sold, odd.strings);
      target[offset] = 125;
      return offset + 1;
    },
    row(index) {
      const c = customerOfRow(table.productStart, index);
      const p = table.productIndexes[index]!;
      const product = products[p]!;
      const [sold, deployed] = deploymentCounts(table, c, p, days[p]!, quirks);
      const odd = pairQuirks(table, c, p, quirks);
      return {
        processedDateTime: stamps[p]!,
        serviceCode: product.serviceCode,
        serviceName: product.serviceName,
        channel: channelNames[table.channels[c]!]!,
        customerTenantId: table.ids[c]!,
        customerName: table.names[c]!,
        productId: upperProductIds[p]!,
        productName: odd.nullProduct ? null : product.name,
        licensesDeployed: odd.strings ? String(deployed) : deployed,
        licensesSold: odd.strings ? String(sold) : sold,
      };
    },
    rangeOfCustomer: rangeFinder(table, table.productStart),
  };
};

/** Quirk draws of a usage row: the `licenseActive` spelling (A13), an `"UNKNOWN"` workload name (A14). */
function usageQuirks(table: CustomerTable, c: number, p: number, w: number, quirks: QuirkRates) {
  return {
    singular: hits(quirks.licenseActive, hash3(table.salt, c, p * 16 + w + 16384)),
    unknownWorkload: hits(quirks.unknownValues, hash3(table.salt, c, p * 16 + w + 20480)),
  };
}

/** E1's generator: one row per (customer, product, workload). */
export const generateCommercialUsage: MockDataGenerator = (context): CustomerIndexedDataset => {
  const table = customerTable(context);
  const quirks = (context as RealisticDataContext).quirks ?? {};
  const { days, stamps } = productDates(context);
  /** Customer, product and workload of usage row `index`. */
  const locate = (index: number): [c: number, p: number, w: number] => {
    const c = customerOfRow(table.usageStart, index);
    let local = index - table.usageStart[c]!;
    let slot = table.productStart[c]!;
    let p = table.productIndexes[slot]!;
    while (local >= products[p]!.workloads.length) {
      local -= products[p]!.workloads.length;
      slot++;
      p = table.productIndexes[slot]!;
    }
    return [c, p, local];
  };
  const prefixOf = (p: number, code: string, name: string) =>
    bytesOf(
      `{"processedDateTime":${JSON.stringify(stamps[p])},"workloadCode":${JSON.stringify(code)},"workloadName":${JSON.stringify(name)},"serviceCode":${JSON.stringify(products[p]!.serviceCode)},"serviceName":${JSON.stringify(products[p]!.serviceName)},`,
    );
  const prefixes = products.map((product, p) =>
    product.workloads.map((workload) => prefixOf(p, workload.code, workload.name)),
  );
  const unknownPrefixes = products.map((product, p) =>
    product.workloads.map((workload) => prefixOf(p, workload.code, 'UNKNOWN')),
  );
  const activeLabel = bytesOf(',"licensesActive":');
  const singularLabel = bytesOf(',"licenseActive":');
  const qualifiedLabel = bytesOf(',"licensesQualified":');
  return {
    count: table.usageStart[table.count]!,
    maxRowBytes:
      Math.max(...prefixes.flat().map((prefix) => prefix.length)) +
      table.maxCustomerBytes +
      maxProductBytes +
      countsBytes,
    writeRow(index, target, start) {
      const [c, p, w] = locate(index);
      const [qualified, active] = usageCounts(table, c, p, w, days[p]!, quirks);
      const pair = pairQuirks(table, c, p, quirks);
      const odd = usageQuirks(table, c, p, w, quirks);
      let offset = put(target, start, (odd.unknownWorkload ? unknownPrefixes : prefixes)[p]![w]!);
      offset = put(target, offset, table.customerBytes(c));
      offset = put(target, offset, pair.nullProduct ? productNullBytes[p]! : productBytes[p]!);
      offset = put(target, offset, odd.singular ? singularLabel : activeLabel);
      offset = writeCount(target, offset, active, pair.strings);
      offset = writeCount(target, put(target, offset, qualifiedLabel), qualified, pair.strings);
      target[offset] = 125;
      return offset + 1;
    },
    row(index) {
      const [c, p, local] = locate(index);
      const product = products[p]!;
      const workload = product.workloads[local]!;
      const [qualified, active] = usageCounts(table, c, p, local, days[p]!, quirks);
      const pair = pairQuirks(table, c, p, quirks);
      const odd = usageQuirks(table, c, p, local, quirks);
      const row: Record<string, unknown> = {
        processedDateTime: stamps[p]!,
        workloadCode: workload.code,
        workloadName: odd.unknownWorkload ? 'UNKNOWN' : workload.name,
        serviceCode: product.serviceCode,
        serviceName: product.serviceName,
        channel: channelNames[table.channels[c]!]!,
        customerTenantId: table.ids[c]!,
        customerName: table.names[c]!,
        productId: upperProductIds[p]!,
        productName: pair.nullProduct ? null : product.name,
      };
      row[odd.singular ? 'licenseActive' : 'licensesActive'] = pair.strings ? String(active) : active;
      row.licensesQualified = pair.strings ? String(qualified) : qualified;
      return row;
    },
    rangeOfCustomer: rangeFinder(table, table.usageStart),
  };
};
