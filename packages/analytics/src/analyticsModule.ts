import type {
  CommercialLicenseDeploymentRow,
  CommercialLicenseUsageRow,
  CustomerLicenseDeploymentRow,
  CustomerLicenseUsageRow,
  EndpointDescriptor,
  MockDataGenerator,
  PartnerLicenseDeploymentRow,
  PartnerLicenseUsageRow,
  RowOfEndpoint,
} from '@pc/models';
import type { ListOptions, RowStream } from './rowStream.js';

/*
 * The module contract and the client interface it hands to insights live together here: an insight
 * runs against an `AnalyticsClient`, and the client lists its `AnalyticsModule`s, so the two types
 * refer to each other. `client.ts` implements the interface; nothing here imports it.
 */

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

/** The typed list method of one endpoint. */
export interface EndpointHandle<Row> {
  readonly descriptor: EndpointDescriptor<string, Row & object>;
  /** Streams the endpoint's normalized rows (see {@link ListOptions}). */
  list(options?: ListOptions<Row>): RowStream<Row>;
}

/** Options every insight accepts: its declared options (as a record) and a signal. */
export type InsightRunOptions = Readonly<Record<string, unknown>> & { readonly signal?: AbortSignal };

/** The built-in insights of the licenses module. */
export interface LicensesInsights {
  /** Per customer and product: sold minus deployed, deployment rate, largest waste first. */
  unusedLicenses(options?: InsightRunOptions): Promise<InsightResult>;
  /** Per customer and workload: active / qualified, lowest first. */
  adoption(options?: InsightRunOptions): Promise<InsightResult>;
  /** Totals by service and channel from the commercial endpoints. */
  summary(options?: InsightRunOptions): Promise<InsightResult>;
  /** The change per group between two processing snapshots. */
  trend(options?: InsightRunOptions): Promise<InsightResult>;
  /**
   * Per customer and product (option `by`: customer, product, service, channel): sold, deployed and
   * active licenses, unused, inactive, deployed % and active %, flagged rows (E2 joined with E1).
   */
  utilization(options?: InsightRunOptions): Promise<InsightResult>;
}

/** The licenses-analytics client: fluent endpoints, generic access to every module, insights. */
export interface AnalyticsClient {
  /** E1, E2: the commercial endpoints (filter, groupby, top, skip, processedDateTime). */
  readonly commercial: {
    readonly licenses: {
      readonly usage: EndpointHandle<CommercialLicenseUsageRow>;
      readonly deployment: EndpointHandle<CommercialLicenseDeploymentRow>;
    };
  };
  /** E3, E4: partner-wide legacy endpoints (superseded). */
  readonly analytics: {
    readonly licenses: {
      readonly usage: EndpointHandle<PartnerLicenseUsageRow>;
      readonly deployment: EndpointHandle<PartnerLicenseDeploymentRow>;
    };
  };
  /** E5, E6: one customer's legacy endpoints (superseded). */
  readonly customers: {
    byId(customerId: string): {
      readonly analytics: {
        readonly licenses: {
          readonly usage: EndpointHandle<CustomerLicenseUsageRow>;
          readonly deployment: EndpointHandle<CustomerLicenseDeploymentRow>;
        };
      };
    };
  };
  /** Streams any registered endpoint's rows, modules' included. */
  list(
    endpointId: string,
    options?: ListOptions<Record<string, unknown>>,
  ): RowStream<Record<string, unknown>>;
  /** A typed handle on a registered module endpoint: `client.handle(subscriptionAnalytics).list()`. */
  handle<D extends EndpointDescriptor<string, object>>(descriptor: D): EndpointHandle<RowOfEndpoint<D>>;
  /** The built-in module first, then the registered ones. */
  readonly modules: readonly AnalyticsModule[];
  /** @throws Error listing the known ids when `id` is not registered. */
  endpoint(id: string): EndpointDescriptor;
  readonly insights: LicensesInsights;
  /** Runs an insight by its kebab-case name (`unused-licenses`, or a module's); options are checked and coerced. */
  runInsight(name: string, options?: InsightRunOptions): Promise<InsightResult>;
  /** Closes the transport the client created. */
  close(): Promise<void>;
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
