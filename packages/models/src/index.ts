/**
 * @pc/models: zod schemas and one descriptor per Partner Center licenses-analytics endpoint.
 * @packageDocumentation
 */
export { columnKinds, columnSchema } from './columns.js';
export type {
  ColumnDisplayKind,
  ColumnKind,
  ColumnKindFacts,
  ColumnSpec,
  ColumnValue,
  FilterLiteralType,
  ResourceAttributes,
  RowOf,
} from './columns.js';
export { defineEndpoint, queryOptionNames } from './defineEndpoint.js';
export type {
  EndpointDescriptor,
  EndpointSpec,
  EnvelopeKind,
  FilterOperatorName,
  Page,
  ParseSchema,
  QueryOptionName,
  RowOfEndpoint,
} from './defineEndpoint.js';
export {
  commercialLicenseDeployment,
  commercialLicenseUsage,
  customerLicenseDeployment,
  customerLicenseUsage,
  endpoints,
  partnerLicenseDeployment,
  partnerLicenseUsage,
} from './endpoints.js';
export type {
  CommercialLicenseDeploymentRow,
  CommercialLicenseUsageRow,
  CustomerLicenseDeploymentRow,
  CustomerLicenseUsageRow,
  EndpointId,
  PartnerLicenseDeploymentRow,
  PartnerLicenseUsageRow,
} from './endpoints.js';
export { entraErrorBodySchema, partnerCenterErrorBodySchema, throttleErrorBodySchema } from './errors.js';
export type { EntraErrorBody, PartnerCenterErrorBody, ThrottleErrorBody } from './errors.js';
export { formatPage } from './formatPage.js';
export { checkListRequest, formatListRequestIssue, parseSnapshotDate } from './listRequest.js';
export type {
  CheckedListRequest,
  CheckListRequestOptions,
  ListRequestCheck,
  ListRequestInput,
  ListRequestIssue,
  ListRequestIssueCode,
} from './listRequest.js';
export type { FormatPageOptions } from './formatPage.js';
export { tokenResponseSchema } from './token.js';
export type { TokenResponse } from './token.js';
export type { MockDataContext, MockDataGenerator, SyntheticDataset } from './synthetic.js';
