import type { InsightResult } from '@pc/analytics';
import type { OutputColumn } from '../output/format.js';

/** Output columns of an insight result (`percent` values are fractions). */
export function insightColumns(result: InsightResult): OutputColumn[] {
  return result.columns.map((column) => ({
    name: column.name,
    label: column.label,
    display: column.kind === 'percent' ? 'ratio' : column.kind === 'number' ? 'number' : 'string',
  }));
}
