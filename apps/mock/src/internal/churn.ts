/**
 * Day-to-day change of the commercial data ("realistic daily churn"), as pure functions of
 * `(salt, customer, product, day)`: nothing per day is stored, so `--snapshots 400` costs what
 * `--snapshots 1` costs. The changes are stationary (the same rates on every day of any year):
 *
 * - counts hold for a span of days (15 to 60 for deployment, 30 to 90 for usage, per row) and
 *   then move: about 2 % of E2 rows and 4 % of E1 rows change from one day to the next;
 * - a quarter of the customers come and go in cycles of 60 to 400 days (present 80 % of the
 *   cycle), so some customers arrive and some leave every few days at 10^3 customers;
 * - 15 % of a customer's products come and go in cycles of 30 to 300 days (present 75 %).
 *
 * Customer 0 is always present, so that even a one-customer mock always has rows.
 */
import { hash3, hash4, unit } from './prng.js';

/** Tags that keep these hashes apart from the generator's own (which use small third arguments). */
const tag = {
  deploymentEpoch: 0x0c4a11,
  usageEpoch: 0x0c4a12,
  customer: 0x7c11,
  customerCycle: 0x7c12,
  product: 0x9c11,
  productCycle: 0x9c12,
} as const;

/** The span index a deployment row's counts hold in on `day` (changes every 15 to 60 days per row). */
export function deploymentEpoch(salt: number, c: number, p: number, day: number): number {
  const h = hash4(salt, c, p, tag.deploymentEpoch);
  const period = 15 + (h % 46);
  return Math.floor((day + ((h >>> 8) % period)) / period);
}

/** The span index a usage row's activity holds in on `day` (changes every 30 to 90 days per row). */
export function usageEpoch(salt: number, c: number, slot: number, day: number): number {
  const h = hash4(salt, c, slot, tag.usageEpoch);
  const period = 30 + (h % 61);
  return Math.floor((day + ((h >>> 8) % period)) / period);
}

function inCycle(h: number, minPeriod: number, periods: number, share: number, day: number): boolean {
  const period = minPeriod + (h % periods);
  const phase = (h >>> 12) % period;
  return (day + phase) % period < Math.ceil(period * share);
}

/** Whether customer `c` is a customer of the partner on `day`. */
export function customerPresent(salt: number, c: number, day: number): boolean {
  if (c === 0 || unit(hash3(salt, c, tag.customer)) >= 0.25) return true;
  return inCycle(hash3(salt, c, tag.customerCycle), 60, 341, 0.8, day);
}

/** Whether customer `c` holds product `p` on `day` (given that it is a customer then). */
export function productPresent(salt: number, c: number, p: number, day: number): boolean {
  if (unit(hash4(salt, c, p, tag.product)) >= 0.15) return true;
  return inCycle(hash4(salt, c, p, tag.productCycle), 30, 271, 0.75, day);
}

/** The customer table fields a day's layout is derived from. */
export interface ChurnTable {
  readonly count: number;
  readonly salt: number;
  /** `productStart[c]..productStart[c + 1]` index `productIndexes`: every product customer `c` ever holds. */
  readonly productStart: Int32Array;
  readonly productIndexes: Uint8Array;
}

/** Where the rows of one day are: customers and products absent that day have no rows. */
export interface DayLayout {
  /** `productStart[c]..productStart[c + 1]`: the E2 rows of customer `c` on the day (empty when absent). */
  readonly productStart: Int32Array;
  /** `usageStart[c]..usageStart[c + 1]`: the E1 rows of customer `c` on the day. */
  readonly usageStart: Int32Array;
  /** Per slot of `productIndexes`: 1 when the product is held on the day. */
  readonly slotPresent: Uint8Array;
  /** Whether all of customer `c`'s products are held (its slots then map one to one to rows). */
  readonly complete: Uint8Array;
}

/**
 * The layout of one day: O(customers + slots) to compute, held only as long as the dataset that
 * uses it (the mock's bounded dataset cache).
 */
export function dayLayout(table: ChurnTable, day: number, workloadCount: (p: number) => number): DayLayout {
  const slots = table.productStart[table.count]!;
  const slotPresent = new Uint8Array(slots);
  const complete = new Uint8Array(table.count);
  const productStart = new Int32Array(table.count + 1);
  const usageStart = new Int32Array(table.count + 1);
  for (let c = 0; c < table.count; c++) {
    let products = 0;
    let usage = 0;
    let all = 1;
    if (customerPresent(table.salt, c, day)) {
      for (let slot = table.productStart[c]!; slot < table.productStart[c + 1]!; slot++) {
        const p = table.productIndexes[slot]!;
        if (productPresent(table.salt, c, p, day)) {
          slotPresent[slot] = 1;
          products += 1;
          usage += workloadCount(p);
        } else all = 0;
      }
    } else all = 0;
    complete[c] = all;
    productStart[c + 1] = productStart[c]! + products;
    usageStart[c + 1] = usageStart[c]! + usage;
  }
  return { productStart, usageStart, slotPresent, complete };
}

/** The slot (index into `productIndexes`) of customer `c`'s `k`-th product held on the layout's day. */
export function slotOf(table: ChurnTable, layout: DayLayout, c: number, k: number): number {
  const first = table.productStart[c]!;
  if (layout.complete[c] === 1) return first + k;
  let remaining = k;
  for (let slot = first; ; slot++) {
    if (layout.slotPresent[slot] === 1) {
      if (remaining === 0) return slot;
      remaining -= 1;
    }
  }
}
