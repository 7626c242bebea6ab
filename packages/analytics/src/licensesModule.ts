import {
  commercialLicenseDeployment,
  commercialLicenseUsage,
  customerLicenseDeployment,
  customerLicenseUsage,
  partnerLicenseDeployment,
  partnerLicenseUsage,
} from '@pc/models';
import { type AnalyticsModule, defineAnalyticsModule } from './analyticsModule.js';
import { adoptionInsight } from './insights/adoption.js';
import { summaryInsight } from './insights/summary.js';
import { trendInsight } from './insights/trend.js';
import { unusedLicensesInsight } from './insights/unusedLicenses.js';
import { utilizationInsight } from './insights/utilization.js';

/**
 * The built-in module: the six licenses-analytics endpoints (E1-E6) and the `unused-licenses`,
 * `adoption`, `summary`, `trend` and `utilization` insights. Every client registers it first. The mock serves
 * these endpoints itself, so no generator is attached here.
 */
export const licensesModule: AnalyticsModule = defineAnalyticsModule({
  name: 'licenses',
  description: 'Licenses usage and deployment (commercial E1/E2, legacy E3-E6) and the insights over them.',
  endpoints: [
    { descriptor: commercialLicenseUsage, command: ['usage'] },
    { descriptor: commercialLicenseDeployment, command: ['deployment'] },
    { descriptor: partnerLicenseUsage, command: ['legacy', 'usage'] },
    { descriptor: partnerLicenseDeployment, command: ['legacy', 'deployment'] },
    { descriptor: customerLicenseUsage, command: ['customer', 'usage'] },
    { descriptor: customerLicenseDeployment, command: ['customer', 'deployment'] },
  ],
  insights: [unusedLicensesInsight, adoptionInsight, summaryInsight, trendInsight, utilizationInsight],
});
