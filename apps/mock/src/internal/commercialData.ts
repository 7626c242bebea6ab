import type { MockDataContext, MockDataGenerator, SyntheticDataset } from '@pc/models';
import {
  channels,
  customerNameBases,
  customerNameForms,
  customerNameRegions,
  type Product,
  products,
} from './catalog.js';
import { dayLayout, deploymentEpoch, slotOf, usageEpoch } from './churn.js';
import { between, guidFrom, hash2, hash3, hash4, hashString, unit } from './prng.js';
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
  readonly names: readonly string[];
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

function buildCustomerTable(seed: number, partnerTenantId: string, count: number): CustomerTable {
  const salt = hash3(seed, hashString(partnerTenantId.toLowerCase()), 0x5eed);
  const ids: string[] = new Array(count);
  const names: string[] = new Array(count);
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
    channelOf[c] = pickChannel(hash3(salt, c, 5));
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
      `"channel":${JSON.stringify(channels[channelOf[c]!]!.name)},"customerTenantId":${JSON.stringify(ids[c])},"customerName":${JSON.stringify(names[c])}`,
    );
  }
  const longestName = Math.max(0, ...names.map((name) => Buffer.byteLength(JSON.stringify(name))));
  const longestChannel = Math.max(...channels.map((channel) => channel.name.length + 2));
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
  const key = `${context.seed}|${context.partnerTenantId.toLowerCase()}|${context.customers}`;
  let table = tables.get(key);
  if (table === undefined) {
    table = buildCustomerTable(context.seed, context.partnerTenantId, context.customers);
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

/** Licenses sold and deployed of customer `c`'s product `p` on `day`. */
function deploymentCounts(
  table: CustomerTable,
  c: number,
  p: number,
  day: number,
): [sold: number, deployed: number] {
  const product: Product = products[p]!;
  const [low, high] = product.seatShare;
  const share = low + (high - low) * unit(hash3(table.salt, c, p * 8 + 1));
  let sold = Math.max(1, Math.round(table.seats[c]! * share));
  let deployed = Math.floor(sold * (0.55 + 0.45 * unit(hash3(table.salt, c, p * 8 + 2))));
  // the counts of a span of days (churn.ts): most spans move them a little
  const daily = hash4(table.salt, c, p, deploymentEpoch(table.salt, c, p, day));
  if ((daily & 1023) < 680) sold += 1 + ((daily >>> 10) % 3);
  if (((daily >>> 12) & 1023) < 680) deployed = Math.max(0, deployed - 1 - ((daily >>> 22) % 3));
  return [sold, Math.min(sold, deployed)];
}

/** Licenses qualified and active of workload `w` of customer `c`'s product `p` on `day`. */
function usageCounts(
  table: CustomerTable,
  c: number,
  p: number,
  w: number,
  day: number,
): [qualified: number, active: number] {
  const deployed = deploymentCounts(table, c, p, day)[1];
  const stable = hash3(table.salt, c, p * 16 + w + 4096);
  const qualified = Math.max(0, deployed - ((stable & 3) === 0 ? 1 + ((stable >>> 2) % 2) : 0));
  const [low, high] = products[p]!.workloads[w]!.activeShare;
  let share = low + (high - low) * unit(hash3(table.salt, c, p * 16 + w + 8192));
  share += (unit(hash4(table.salt, c, p * 16 + w, usageEpoch(table.salt, c, p * 16 + w, day))) - 0.5) * 0.06;
  share = Math.min(1, Math.max(0, share));
  return [qualified, Math.min(qualified, Math.floor(qualified * share))];
}

/** `2018-10-14T00:00:00`: the commercial endpoints send timestamps without an offset. */
function commercialStamp(processedDateTime: string): string {
  return processedDateTime.slice(0, 19);
}

function rangeFinder(table: CustomerTable, starts: Int32Array) {
  return (customerTenantId: string) => {
    const c = table.indexOf(customerTenantId);
    // a customer absent on the day (churn.ts) has no rows
    return c === -1 || starts[c] === starts[c + 1] ? undefined : { start: starts[c]!, end: starts[c + 1]! };
  };
}

/** Customers and products held on `day`, and where their rows are (churn.ts). */
function layoutOf(table: CustomerTable, day: number) {
  return dayLayout(table, day, (p) => products[p]!.workloads.length);
}

/** E2's generator: one row per (customer, product). */
export const generateCommercialDeployment: MockDataGenerator = (context): CustomerIndexedDataset => {
  const table = customerTable(context);
  const day = dayOf(context);
  const layout = layoutOf(table, day);
  /** Customer and product of deployment row `index`. */
  const locate = (index: number): [c: number, p: number] => {
    const c = customerOfRow(layout.productStart, index);
    return [c, table.productIndexes[slotOf(table, layout, c, index - layout.productStart[c]!)]!];
  };
  const stamp = commercialStamp(context.processedDateTime);
  const prefixes = products.map((product) =>
    bytesOf(
      `{"processedDateTime":${JSON.stringify(stamp)},"serviceCode":${JSON.stringify(product.serviceCode)},"serviceName":${JSON.stringify(product.serviceName)},`,
    ),
  );
  const deployedLabel = bytesOf(',"licensesDeployed":');
  const soldLabel = bytesOf(',"licensesSold":');
  return {
    count: layout.productStart[table.count]!,
    maxRowBytes:
      Math.max(...prefixes.map((prefix) => prefix.length)) +
      table.maxCustomerBytes +
      maxProductBytes +
      countsBytes,
    writeRow(index, target, start) {
      const [c, p] = locate(index);
      const [sold, deployed] = deploymentCounts(table, c, p, day);
      let offset = put(target, start, prefixes[p]!);
      offset = put(target, offset, table.customerBytes(c));
      offset = put(target, offset, productBytes[p]!);
      offset = writeUint(target, put(target, offset, deployedLabel), deployed);
      offset = writeUint(target, put(target, offset, soldLabel), sold);
      target[offset] = 125;
      return offset + 1;
    },
    row(index) {
      const [c, p] = locate(index);
      const product = products[p]!;
      const [sold, deployed] = deploymentCounts(table, c, p, day);
      return {
        processedDateTime: stamp,
        serviceCode: product.serviceCode,
        serviceName: product.serviceName,
        channel: channels[table.channels[c]!]!.name,
        customerTenantId: table.ids[c]!,
        customerName: table.names[c]!,
        productId: upperProductIds[p]!,
        productName: product.name,
        licensesDeployed: deployed,
        licensesSold: sold,
      };
    },
    rangeOfCustomer: rangeFinder(table, layout.productStart),
  };
};

/** E1's generator: one row per (customer, product, workload). */
export const generateCommercialUsage: MockDataGenerator = (context): CustomerIndexedDataset => {
  const table = customerTable(context);
  const day = dayOf(context);
  const layout = layoutOf(table, day);
  const stamp = commercialStamp(context.processedDateTime);
  /** Customer, product and workload of usage row `index` (only products held on the day count). */
  const locate = (index: number): [c: number, p: number, w: number] => {
    const c = customerOfRow(layout.usageStart, index);
    let local = index - layout.usageStart[c]!;
    let slot = table.productStart[c]!;
    while (layout.slotPresent[slot] !== 1) slot++;
    let p = table.productIndexes[slot]!;
    while (local >= products[p]!.workloads.length) {
      local -= products[p]!.workloads.length;
      slot++;
      while (layout.slotPresent[slot] !== 1) slot++;
      p = table.productIndexes[slot]!;
    }
    return [c, p, local];
  };
  const prefixes = products.map((product) =>
    product.workloads.map((workload) =>
      bytesOf(
        `{"processedDateTime":${JSON.stringify(stamp)},"workloadCode":${JSON.stringify(workload.code)},"workloadName":${JSON.stringify(workload.name)},"serviceCode":${JSON.stringify(product.serviceCode)},"serviceName":${JSON.stringify(product.serviceName)},`,
      ),
    ),
  );
  const activeLabel = bytesOf(',"licensesActive":');
  const qualifiedLabel = bytesOf(',"licensesQualified":');
  return {
    count: layout.usageStart[table.count]!,
    maxRowBytes:
      Math.max(...prefixes.flat().map((prefix) => prefix.length)) +
      table.maxCustomerBytes +
      maxProductBytes +
      countsBytes,
    writeRow(index, target, start) {
      const [c, p, w] = locate(index);
      const [qualified, active] = usageCounts(table, c, p, w, day);
      let offset = put(target, start, prefixes[p]![w]!);
      offset = put(target, offset, table.customerBytes(c));
      offset = put(target, offset, productBytes[p]!);
      offset = writeUint(target, put(target, offset, activeLabel), active);
      offset = writeUint(target, put(target, offset, qualifiedLabel), qualified);
      target[offset] = 125;
      return offset + 1;
    },
    row(index) {
      const [c, p, local] = locate(index);
      const product = products[p]!;
      const workload = product.workloads[local]!;
      const [qualified, active] = usageCounts(table, c, p, local, day);
      return {
        processedDateTime: stamp,
        workloadCode: workload.code,
        workloadName: workload.name,
        serviceCode: product.serviceCode,
        serviceName: product.serviceName,
        channel: channels[table.channels[c]!]!.name,
        customerTenantId: table.ids[c]!,
        customerName: table.names[c]!,
        productId: upperProductIds[p]!,
        productName: product.name,
        licensesActive: active,
        licensesQualified: qualified,
      };
    },
    rangeOfCustomer: rangeFinder(table, layout.usageStart),
  };
};
