/**
 * `@pc/analytics`: the Partner Center licenses-analytics SDK. Start with {@link createClient};
 * extend it with {@link defineAnalyticsModule}.
 * @packageDocumentation
 */
export { createClient, defaultBaseUrl } from './client.js';
export { defineAnalyticsModule } from './analyticsModule.js';
export { licensesModule } from './licensesModule.js';
export { adoptionInsight, adoptionKeys, computeAdoption } from './insights/adoption.js';
export { computeSummary, summaryInsight, summaryKeys } from './insights/summary.js';
export { computeTrend, trendInsight } from './insights/trend.js';
export {
  computeUnusedLicenses,
  unusedLicensesInsight,
  unusedLicensesKeys,
} from './insights/unusedLicenses.js';
export {
  compareUtilizationRows,
  computeUtilization,
  parseUtilizationLevel,
  utilizationActiveRule,
  utilizationDeploymentKeys,
  utilizationInsight,
  utilizationLevels,
  utilizationMeasureColumns,
  utilizationUsageKeys,
} from './insights/utilization.js';
export { buildReport } from './report/buildReport.js';
export { GroupAggregator } from './groupAggregator.js';

export type { ClientHooks, ClientOptions, InvalidRowsReport, PageProgressEvent } from './client.js';
export type { ClientCredentials } from './credentials.js';
export type {
  AnalyticsClient,
  EndpointHandle,
  InsightRunOptions,
  LicensesInsights,
  AnalyticsModule,
  AnalyticsModuleSpec,
  InsightColumn,
  InsightDefinition,
  InsightOption,
  InsightResult,
  ModuleEndpoint,
} from './analyticsModule.js';
export type { ListOptions, RowPage, RowStream } from './rowStream.js';
export type { InvalidRowPolicy } from './rowStream.js';
export type { AggregatedGroup } from './groupAggregator.js';
export type { SummaryCrossCheck, SummaryUsageCrossCheck } from './insights/summary.js';
export type { TrendOptions } from './insights/trend.js';
export type { UnusedLicensesOptions } from './insights/unusedLicenses.js';
export type {
  BuildReportOptions,
  LicensesReport,
  ReportChart,
  ReportHeadline,
  ReportRow,
  ReportSection,
  ReportTrend,
} from './report/buildReport.js';
export type {
  UtilizationFlag,
  UtilizationLevel,
  UtilizationOptions,
  UtilizationRow,
  UtilizationTable,
  UtilizationTotals,
} from './insights/utilization.js';
