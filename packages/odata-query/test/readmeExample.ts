import assert from 'node:assert/strict';
import {
  buildQuery,
  compileFilter,
  filter,
  filterBuilder,
  isFilterSyntaxError,
  parseFilter,
  printFilter,
} from '@pc/odata-query';

// Parse, print and evaluate a filter.
const text = "serviceCode eq 'O365' or (channel eq 'Reseller' and customerName ne 'O''Brien')";
const ast = parseFilter(text);
assert.equal(
  printFilter(ast),
  "serviceCode eq 'O365' or channel eq 'Reseller' and customerName ne 'O''Brien'",
);

const matches = compileFilter(ast);
assert.equal(matches({ serviceCode: 'o365' }), true); // string eq ignores case
assert.equal(matches({ serviceCode: 'AZURE', channel: 'Reseller', customerName: "O'Brien" }), false);

// Build filters with typed fields and values: a typo or a wrong value type does not compile.
interface LicenseRow {
  serviceCode: string;
  channel: 'Reseller' | 'Direct';
  licensesActive: number;
}
const f = filterBuilder<LicenseRow>();
const built = f.and(f.eq('channel', 'Reseller'), f.gt('licensesActive', 10));
assert.equal(printFilter(built), "channel eq 'Reseller' and licensesActive gt 10");

// Or write text with every interpolation escaped.
const customer = "O'Brien & Sons";
assert.equal(filter`customerName eq ${customer}`, "customerName eq 'O''Brien & Sons'");

// Validate a user's filter against what an endpoint accepts, with a caret under the fault.
try {
  parseFilter("serviceCode eq 'O365' and licensesActive gt 5", {
    fields: ['serviceCode', 'channel'],
    operators: ['eq', 'ne', 'and', 'or'],
  });
} catch (error) {
  assert.ok(isFilterSyntaxError(error));
  assert.equal(error.offset, 26);
  console.log(error.message);
  // Unknown field "licensesActive" (allowed: serviceCode, channel) at offset 26:
  //   serviceCode eq 'O365' and licensesActive gt 5
  //                             ^
}

// Query parameters in Partner Center's dialect, as plain text (the transport encodes them once).
assert.deepEqual(buildQuery({ filter: built, groupby: ['serviceCode', 'channel'], top: 100 }), [
  ['filter', "channel eq 'Reseller' and licensesActive gt 10"],
  ['groupby', 'serviceCode,channel'],
  ['top', '100'],
]);
