import type { ColumnSpec, RowOf } from './columns.js';
import { defineEndpoint, type RowOfEndpoint } from './defineEndpoint.js';

const docsBase = 'https://learn.microsoft.com/en-us/partner-center/developer';
const commercialOperators = ['eq', 'ne', 'and', 'or'] as const;
const commercialQuery = ['filter', 'groupby', 'top', 'skip', 'processedDateTime'] as const;

const processedDateTime = {
  name: 'processedDateTime',
  kind: 'timestamp',
  description: 'When the data was processed (the snapshot)',
} as const satisfies ColumnSpec;

const commercialDimensions = [
  { name: 'serviceCode', kind: 'string', description: 'Service code, e.g. o365 or crm' },
  { name: 'serviceName', kind: 'string', description: 'Service name, e.g. Microsoft Office 365' },
  { name: 'channel', kind: 'string', description: 'Sales channel, e.g. reseller' },
  { name: 'customerTenantId', kind: 'guid', description: "The customer's tenant id" },
  { name: 'customerName', kind: 'string', description: 'Customer name' },
  { name: 'productId', kind: 'guid', description: 'Product id' },
  { name: 'productName', kind: 'string', description: 'Product name, e.g. OFFICE 365 ENTERPRISE E3' },
] as const satisfies readonly ColumnSpec[];

const workloadDimensions = [
  { name: 'workloadCode', kind: 'string', description: 'Workload code, e.g. EXO, SPO, SFB' },
  { name: 'workloadName', kind: 'string', description: 'Workload name, e.g. Exchange' },
] as const satisfies readonly ColumnSpec[];

const commercialUsageColumns = [
  processedDateTime,
  ...workloadDimensions,
  ...commercialDimensions,
  {
    name: 'licensesActive',
    kind: 'count',
    aliases: ['licenseActive'],
    description: 'Active licenses of the workload',
  },
  { name: 'licensesQualified', kind: 'count', description: 'Qualified licenses of the workload' },
] as const satisfies readonly ColumnSpec[];

const commercialDeploymentColumns = [
  processedDateTime,
  ...commercialDimensions,
  { name: 'licensesDeployed', kind: 'count', description: 'Licenses deployed (assigned)' },
  { name: 'licensesSold', kind: 'count', description: 'Licenses sold' },
] as const satisfies readonly ColumnSpec[];

const usageDimensionNames = [...workloadDimensions, ...commercialDimensions].map((column) => column.name);
const deploymentDimensionNames = commercialDimensions.map((column) => column.name);

const legacyBase = [
  processedDateTime,
  { name: 'serviceName', kind: 'string', description: 'Service, as o365 or crm' },
  { name: 'channel', kind: 'string', description: 'Sales channel, e.g. reseller' },
] as const satisfies readonly ColumnSpec[];

const attributes = {
  name: 'attributes',
  kind: 'attributes',
  optional: true,
  description: 'Resource attributes: objectType (and etag)',
} as const satisfies ColumnSpec;

const legacyCustomer = [
  {
    name: 'customerId',
    kind: 'guid',
    optional: true,
    description: 'Customer id (often omitted by the service)',
  },
  { name: 'customerName', kind: 'string', description: 'Customer name' },
  { name: 'productName', kind: 'string', description: 'Product name' },
  {
    name: 'serviceCode',
    kind: 'string',
    optional: true,
    description: 'Service code (often omitted by the service)',
  },
] as const satisfies readonly ColumnSpec[];

/** E1: `GET /partner/v1/analytics/commercial/usage/license`. */
export const commercialLicenseUsage = defineEndpoint({
  id: 'commercialLicenseUsage',
  title: 'Licenses usage',
  description: 'Active and qualified licenses per customer, product and workload (Office 365 and Dynamics).',
  path: '/partner/v1/analytics/commercial/usage/license',
  alternatePaths: ['/v1/analytics/commercial/usage/license'],
  envelope: 'odata',
  columns: commercialUsageColumns,
  filterable: usageDimensionNames,
  groupable: usageDimensionNames,
  measures: ['licensesActive', 'licensesQualified'],
  filterOperators: commercialOperators,
  queryOptions: commercialQuery,
  docs: `${docsBase}/get-licenses-usage-information`,
});

/** E2: `GET /partner/v1/analytics/commercial/deployment/license`. */
export const commercialLicenseDeployment = defineEndpoint({
  id: 'commercialLicenseDeployment',
  title: 'Licenses deployment',
  description: 'Licenses sold and deployed per customer and product (Office 365 and Dynamics).',
  path: '/partner/v1/analytics/commercial/deployment/license',
  alternatePaths: ['/v1/analytics/commercial/deployment/license'],
  envelope: 'odata',
  columns: commercialDeploymentColumns,
  filterable: deploymentDimensionNames,
  groupable: deploymentDimensionNames,
  measures: ['licensesDeployed', 'licensesSold'],
  filterOperators: commercialOperators,
  queryOptions: commercialQuery,
  docs: `${docsBase}/get-licenses-deployment-information`,
});

/** E3: `GET /v1/analytics/licenses/usage` (superseded by E1). */
export const partnerLicenseUsage = defineEndpoint({
  id: 'partnerLicenseUsage',
  title: 'Partner licenses usage (legacy)',
  description: 'Usage of qualified licenses per service, workload and channel, across all customers.',
  path: '/v1/analytics/licenses/usage',
  envelope: 'legacy',
  objectType: 'PartnerLicensesUsageInsights',
  columns: [
    ...legacyBase,
    { name: 'workloadName', kind: 'string', description: 'Workload name, e.g. Exchange' },
    {
      name: 'proratedLicensesUsagePercent',
      kind: 'ratio',
      description: 'Active / qualified licenses, as a fraction (1.0 = 100%)',
    },
    attributes,
  ],
  supersededBy: 'commercialLicenseUsage',
  docs: `${docsBase}/get-partner-licenses-usage-information`,
});

/** E4: `GET /v1/analytics/licenses/deployment` (superseded by E2). */
export const partnerLicenseDeployment = defineEndpoint({
  id: 'partnerLicenseDeployment',
  title: 'Partner licenses deployment (legacy)',
  description: 'Licenses sold and the deployed share per service and channel, across all customers.',
  path: '/v1/analytics/licenses/deployment',
  envelope: 'legacy',
  objectType: 'PartnerLicensesDeploymentInsights',
  columns: [
    ...legacyBase,
    { name: 'licensesSold', kind: 'count', description: 'Licenses sold' },
    {
      name: 'proratedDeploymentPercent',
      kind: 'ratio',
      description: 'Deployed / sold licenses, as a fraction (1.0 = 100%)',
    },
    attributes,
  ],
  supersededBy: 'commercialLicenseDeployment',
  docs: `${docsBase}/get-partner-licenses-deployment-information`,
});

/** E5: `GET /v1/customers/{customerId}/analytics/licenses/usage` (superseded by E1). */
export const customerLicenseUsage = defineEndpoint({
  id: 'customerLicenseUsage',
  title: 'Customer licenses usage (legacy)',
  description: "One customer's active and qualified licenses per product and workload.",
  path: '/v1/customers/{customerId}/analytics/licenses/usage',
  envelope: 'legacy',
  objectType: 'CustomerLicensesUsageInsights',
  columns: [
    ...legacyBase,
    ...legacyCustomer,
    { name: 'workloadCode', kind: 'string', optional: true, description: 'Workload code (often omitted)' },
    { name: 'workloadName', kind: 'string', description: 'Workload name, e.g. Exchange' },
    { name: 'licensesActive', kind: 'count', aliases: ['licenseActive'], description: 'Active licenses' },
    { name: 'licensesQualified', kind: 'count', description: 'Qualified licenses' },
    { name: 'usagePercent', kind: 'ratio', description: 'Active / qualified, as a fraction (1.0 = 100%)' },
    attributes,
  ],
  supersededBy: 'commercialLicenseUsage',
  docs: `${docsBase}/get-customer-licenses-usage-information`,
});

/** E6: `GET /v1/customers/{customerId}/analytics/licenses/deployment` (superseded by E2). */
export const customerLicenseDeployment = defineEndpoint({
  id: 'customerLicenseDeployment',
  title: 'Customer licenses deployment (legacy)',
  description: "One customer's licenses sold and deployed per product.",
  path: '/v1/customers/{customerId}/analytics/licenses/deployment',
  envelope: 'legacy',
  objectType: 'CustomerLicensesDeploymentInsights',
  columns: [
    ...legacyBase,
    ...legacyCustomer,
    { name: 'licensesDeployed', kind: 'count', description: 'Licenses deployed' },
    { name: 'licensesSold', kind: 'count', description: 'Licenses sold' },
    { name: 'deploymentPercent', kind: 'ratio', description: 'Deployed / sold, as a fraction (1.0 = 100%)' },
    attributes,
  ],
  supersededBy: 'commercialLicenseDeployment',
  docs: `${docsBase}/get-customer-licenses-deployment-information`,
});

/** The six licenses-analytics endpoints, E1-E6, by id. */
export const endpoints = {
  commercialLicenseUsage,
  commercialLicenseDeployment,
  partnerLicenseUsage,
  partnerLicenseDeployment,
  customerLicenseUsage,
  customerLicenseDeployment,
} as const;

/** The id of a built-in endpoint. */
export type EndpointId = keyof typeof endpoints;

/** E1 row: licenses usage per customer, product and workload. */
export type CommercialLicenseUsageRow = RowOf<typeof commercialUsageColumns>;
/** E2 row: licenses deployment per customer and product. */
export type CommercialLicenseDeploymentRow = RowOf<typeof commercialDeploymentColumns>;
/** E3 row. */
export type PartnerLicenseUsageRow = RowOfEndpoint<typeof partnerLicenseUsage>;
/** E4 row. */
export type PartnerLicenseDeploymentRow = RowOfEndpoint<typeof partnerLicenseDeployment>;
/** E5 row. */
export type CustomerLicenseUsageRow = RowOfEndpoint<typeof customerLicenseUsage>;
/** E6 row. */
export type CustomerLicenseDeploymentRow = RowOfEndpoint<typeof customerLicenseDeployment>;
