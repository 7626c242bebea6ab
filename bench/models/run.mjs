#!/usr/bin/env node
// Validation cost on the hot path: parsing a 10000-row page with @pc/models (validation and
// normalization) against a bare JSON.parse of the same bytes, measured in the same run.
// Usage: pnpm --filter @pc/models build && node bench/models/run.mjs
import { endpoints, formatPage } from '../../packages/models/dist/index.js';
import { median, printTable, timeIt } from '../lib/measure.mjs';

const ROWS = 10_000;
const products = [
  'OFFICE 365 E3',
  'MICROSOFT 365 BUSINESS PREMIUM',
  'DYNAMICS 365 SALES ENTERPRISE',
  'EXCHANGE ONLINE (PLAN 1)',
];
const guid = (n) =>
  `${n.toString(16).padStart(8, '0').toUpperCase()}-0000-4000-8000-${n.toString(16).padStart(12, '0').toUpperCase()}`;

function page(endpoint, makeRow) {
  const rows = Array.from({ length: ROWS }, (_, index) => makeRow(index));
  return formatPage(endpoint, rows, {
    nextLink:
      'https://api.partnercenter.microsoft.com/partner/v1/analytics/commercial/deployment/license?skip=10000',
    totalCount: 1_000_000,
  });
}

const common = (i) => ({
  processedDateTime: '2026-11-20T00:00:00',
  serviceCode: i % 5 === 0 ? 'crm' : 'o365',
  serviceName: i % 5 === 0 ? 'Microsoft Dynamics' : 'Microsoft Office 365',
  channel: i % 7 === 0 ? 'direct' : 'reseller',
  customerTenantId: guid(Math.floor(i / 10)),
  customerName: `Customer ${Math.floor(i / 10)} Ltd`,
  productId: guid(1_000_000 + (i % products.length)),
  productName: products[i % products.length],
});

const cases = [
  {
    name: 'E2 deployment page',
    endpoint: endpoints.commercialLicenseDeployment,
    text: page(endpoints.commercialLicenseDeployment, (i) => ({
      ...common(i),
      licensesDeployed: i % 40,
      licensesSold: 40 + (i % 9),
    })),
  },
  {
    name: 'E1 usage page',
    endpoint: endpoints.commercialLicenseUsage,
    text: page(endpoints.commercialLicenseUsage, (i) => ({
      ...common(i),
      workloadCode: 'EXO',
      workloadName: 'Exchange',
      licensesActive: i % 30,
      licensesQualified: 30 + (i % 5),
    })),
  },
];

const results = [];
for (const { name, endpoint, text } of cases) {
  const rounds = { parse: [], validate: [] };
  for (let round = 0; round < 7; round++) {
    rounds.parse.push(timeIt(() => JSON.parse(text), 30));
    rounds.validate.push(
      timeIt(() => {
        const body = JSON.parse(text);
        return endpoint.page.parse(body);
      }, 30),
    );
  }
  const parseMs = median(rounds.parse);
  const totalMs = median(rounds.validate);
  const validationMs = totalMs - parseMs;
  results.push({
    case: name,
    MB: (text.length / 1e6).toFixed(2),
    'JSON.parse ms': parseMs.toFixed(2),
    'parse+validate ms': totalMs.toFixed(2),
    'validation ms': validationMs.toFixed(2),
    'rows/s (parse+validate)': Math.round(ROWS / (totalMs / 1000)).toLocaleString('en-US'),
    'validation / JSON.parse': `${(validationMs / parseMs).toFixed(2)}x`,
  });
}
printTable(
  '@pc/models: 10000-row page, validation and normalization vs JSON.parse (target <= 1.00x)',
  results,
);
