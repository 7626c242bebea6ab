import type { EndpointDescriptor, MockDataGenerator } from '@pc/models';
import type { AnalyticsClient } from './client.js';

/** One option of an insight, as the CLI shows it (`--threshold 0.8`). */
export interface InsightOption {
  /** camelCase name (the CLI turns it into `--kebab-case`). */
  readonly name: string;
  readonly type: 'number' | 'string' | 'boolean' | 'date';
  readonly description: string;
  readonly default?: unknown;
}

/** One column of an insight's table. */
export interface InsightColumn {
  /** Key of the value in each row. */
  readonly name: string;
  /** Header text. */
  readonly label: string;
  /** `percent` values are fractions (0.25 = 25%). */
  readonly kind: 'string' | 'number' | 'percent';
}

/** What an insight returns: an explicit table of JSON-friendly rows. */
export interface InsightResult {
  /** The insight's kebab-case name. */
  readonly insight: string;
  readonly title: string;
  readonly columns: readonly InsightColumn[];
  readonly rows: readonly Record<string, string | number | null>[];
  /** Anything else worth showing: rows read, the snapshot, cross-checks. */
  readonly meta?: Record<string, unknown>;
}

/** An insight: a streamed, locally aggregated computation over one or more endpoints. */
export interface InsightDefinition {
  /** kebab-case name, e.g. `unused-licenses` (the CLI command and `runInsight` key). */
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly options: readonly InsightOption[];
  /**
   * Runs the insight. `options` arrive checked and coerced to the declared types (a `date` as
   * `YYYY-MM-DD` or an ISO date-time text), with defaults filled in.
   */
  run(
    client: AnalyticsClient,
    options: Record<string, unknown> & { signal?: AbortSignal },
  ): Promise<InsightResult>;
}

/** One endpoint of a module. */
export interface ModuleEndpoint {
  readonly descriptor: EndpointDescriptor;
  /** Synthetic data, so that `@pc/mock` can serve the endpoint. */
  readonly mock?: MockDataGenerator;
  /** The CLI command path, e.g. `['subscriptions']`. */
  readonly command?: readonly string[];
}

/** A unit of extension: endpoints (descriptor, mock data, CLI command) and insights. */
export interface AnalyticsModule {
  /** kebab-case module name. */
  readonly name: string;
  readonly description: string;
  readonly endpoints: readonly ModuleEndpoint[];
  readonly insights: readonly InsightDefinition[];
}

/** What {@link defineAnalyticsModule} takes: `insights` may be left out. */
export interface AnalyticsModuleSpec {
  readonly name: string;
  readonly description: string;
  readonly endpoints: readonly ModuleEndpoint[];
  readonly insights?: readonly InsightDefinition[];
}

const kebabCase = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
const camelCase = /^[a-z][a-zA-Z0-9]*$/;
const optionTypes = new Set(['number', 'string', 'boolean', 'date']);
const reservedOptions = new Set(['signal']);

/**
 * Checks and freezes an analytics module. Pass the result to `createClient({ modules })` to get
 * its endpoints (`client.list(id)`, `client.handle(descriptor)`) and insights (`client.runInsight`),
 * to `@pc/mock`'s `extraEndpoints` to serve it, and to the CLI to get its commands.
 *
 * @throws TypeError when a name is malformed or an endpoint id or insight name repeats.
 */
export function defineAnalyticsModule(spec: AnalyticsModuleSpec): AnalyticsModule {
  const where = `defineAnalyticsModule(${JSON.stringify(spec.name)})`;
  if (!kebabCase.test(spec.name)) throw new TypeError(`${where}: the name must be kebab-case`);
  const ids = new Set<string>();
  for (const endpoint of spec.endpoints) {
    const { id } = endpoint.descriptor;
    if (ids.has(id)) throw new TypeError(`${where}: endpoint '${id}' is listed twice`);
    ids.add(id);
    for (const part of endpoint.command ?? []) {
      if (!kebabCase.test(part))
        throw new TypeError(`${where}: command part '${part}' of '${id}' must be kebab-case`);
    }
  }
  const names = new Set<string>();
  for (const insight of spec.insights ?? []) {
    if (!kebabCase.test(insight.name))
      throw new TypeError(`${where}: insight '${insight.name}' must be kebab-case`);
    if (names.has(insight.name)) throw new TypeError(`${where}: insight '${insight.name}' is listed twice`);
    names.add(insight.name);
    for (const option of insight.options) {
      if (!camelCase.test(option.name) || reservedOptions.has(option.name)) {
        throw new TypeError(
          `${where}: option '${option.name}' of '${insight.name}' must be a camelCase name`,
        );
      }
      if (!optionTypes.has(option.type)) {
        throw new TypeError(`${where}: option '${option.name}' of '${insight.name}' has an unknown type`);
      }
    }
  }
  return Object.freeze({
    name: spec.name,
    description: spec.description,
    endpoints: Object.freeze([...spec.endpoints]),
    insights: Object.freeze([...(spec.insights ?? [])]),
  });
}
