import { parseSnapshotDate } from '@pc/models';
import { PartnerCenterError } from '@pc/transport';
import type { InsightDefinition, InsightOption } from '../analyticsModule.js';

function invalid(message: string): PartnerCenterError {
  return new PartnerCenterError({ code: 'INVALID_REQUEST', message, retryable: false });
}

function coerce(insight: string, option: InsightOption, value: unknown): unknown {
  const where = `${insight}: option '${option.name}'`;
  switch (option.type) {
    case 'number': {
      const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
      if (typeof number !== 'number' || !Number.isFinite(number)) {
        throw invalid(`${where} must be a number, got ${JSON.stringify(value)}`);
      }
      return number;
    }
    case 'boolean': {
      if (typeof value === 'boolean') return value;
      const text = String(value).trim().toLowerCase();
      if (['true', '1', 'yes'].includes(text)) return true;
      if (['false', '0', 'no'].includes(text)) return false;
      throw invalid(`${where} must be true or false, got ${JSON.stringify(value)}`);
    }
    case 'date': {
      if (value instanceof Date) {
        if (Number.isNaN(value.getTime())) throw invalid(`${where} is an invalid Date`);
        return value.toISOString();
      }
      const text = String(value).trim();
      if (parseSnapshotDate(text) === undefined) {
        throw invalid(
          `${where} must be a date such as 2026-11-20 or an ISO date-time, got ${JSON.stringify(value)}`,
        );
      }
      return text;
    }
    case 'string':
      if (typeof value !== 'string' && typeof value !== 'number') {
        throw invalid(`${where} must be text, got ${JSON.stringify(value)}`);
      }
      return String(value);
  }
}

/**
 * Checks a `runInsight` call's options against the insight's declared options: unknown names are
 * refused, values are coerced to the declared type (the CLI passes text), defaults filled in.
 * `signal` passes through.
 *
 * @throws PartnerCenterError with code `INVALID_REQUEST`.
 */
export function resolveInsightOptions(
  definition: InsightDefinition,
  options: Readonly<Record<string, unknown>> | undefined,
): Record<string, unknown> & { signal?: AbortSignal } {
  const declared = new Map(definition.options.map((option) => [option.name, option]));
  const resolved: Record<string, unknown> & { signal?: AbortSignal } = {};
  for (const [name, value] of Object.entries(options ?? {})) {
    if (value === undefined) continue;
    if (name === 'signal') {
      if (!(value instanceof AbortSignal))
        throw invalid(`${definition.name}: 'signal' must be an AbortSignal`);
      resolved.signal = value;
      continue;
    }
    const option = declared.get(name);
    if (option === undefined) {
      const known = definition.options.map((entry) => entry.name).join(', ') || '(none)';
      throw invalid(`${definition.name} has no option '${name}' (options: ${known})`);
    }
    resolved[name] = coerce(definition.name, option, value);
  }
  for (const option of definition.options) {
    if (resolved[option.name] === undefined && option.default !== undefined)
      resolved[option.name] = option.default;
  }
  return resolved;
}
