import type { ColumnDisplay } from './format.js';

/** Formats values for people: numbers with the locale's grouping, percentages, dates. */
export interface ValueFormatter {
  format(value: unknown, display: ColumnDisplay): string;
}

const midnight = /T00:00:00(?:\.0+)?Z$/;

/** A formatter for one locale (falls back to `en-US` when the locale is not valid). */
export function createValueFormatter(locale: string): ValueFormatter {
  let tag = 'en-US';
  try {
    tag = Intl.getCanonicalLocales(locale)[0] ?? 'en-US';
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
  }
  const number = new Intl.NumberFormat(tag, { maximumFractionDigits: 2 });
  const percent = new Intl.NumberFormat(tag, { style: 'percent', maximumFractionDigits: 1 });
  const day = new Intl.DateTimeFormat(tag, { dateStyle: 'medium', timeZone: 'UTC' });
  const dayTime = new Intl.DateTimeFormat(tag, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });
  return {
    format(value, display) {
      if (value === null || value === undefined) return '';
      switch (display) {
        case 'number':
          return typeof value === 'number' && Number.isFinite(value) ? number.format(value) : String(value);
        case 'percent':
          return typeof value === 'number' && Number.isFinite(value)
            ? percent.format(value / 100)
            : String(value);
        case 'ratio':
          return typeof value === 'number' && Number.isFinite(value) ? percent.format(value) : String(value);
        case 'date': {
          if (typeof value !== 'string') return String(value);
          const time = Date.parse(value);
          if (Number.isNaN(time)) return value;
          return (midnight.test(value) ? day : dayTime).format(time);
        }
        case 'json':
          return typeof value === 'string' ? value : JSON.stringify(value);
        case 'string':
          return typeof value === 'string'
            ? value
            : typeof value === 'object'
              ? JSON.stringify(value)
              : String(value);
      }
    },
  };
}

/**
 * Plain values, for `table` on a pipe: numbers as JavaScript prints them (`1234567`, `0.25`),
 * timestamps as the ISO text the API sent, nested values as JSON. Nothing depends on a locale.
 */
export const plainValueFormatter: ValueFormatter = {
  format(value) {
    if (value === null || value === undefined) return '';
    if (typeof value === 'string') return value;
    if (typeof value === 'object') return JSON.stringify(value);
    return String(value);
  },
};
