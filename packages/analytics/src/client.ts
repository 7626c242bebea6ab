import type {
  CommercialLicenseDeploymentRow,
  CommercialLicenseUsageRow,
  CustomerLicenseDeploymentRow,
  CustomerLicenseUsageRow,
  EndpointDescriptor,
  PartnerLicenseDeploymentRow,
  PartnerLicenseUsageRow,
  RowOfEndpoint,
} from '@pc/models';
import type { RetryOptions, TokenProvider, Transport, TransportHooks } from '@pc/transport';
import { createTransport } from '@pc/transport';
import type { AnalyticsClient, AnalyticsModule, EndpointHandle } from './analyticsModule.js';
import type { ClientCredentials } from './credentials.js';
import { emitDeprecationWarning, warnDeprecatedOnce } from './internal/deprecation.js';
import { resolveInsightOptions } from './internal/insightOptions.js';
import { createModuleRegistry } from './internal/moduleRegistry.js';
import { type InvalidRowsEvent, type PageEvent, readPages } from './internal/pagedReader.js';
import { defaultMaxPages } from './internal/readGuards.js';
import { createReadPlan, invalidRowPolicy, positiveInteger } from './internal/readPlan.js';
import { ThrottleState } from './internal/throttleState.js';
import { tokenProviderFromOptions } from './internal/tokenProviderFromOptions.js';
import { licensesModule } from './licensesModule.js';
import {
  type AnyListOptions,
  createRowStream,
  type InvalidRowPolicy,
  type ListOptions,
  type RowStream,
} from './rowStream.js';

// The client interface lives beside the module contract (analyticsModule.ts) and the credential
// types in credentials.ts, so that neither imports this file; they are re-exported for importers.
export type {
  AnalyticsClient,
  EndpointHandle,
  InsightRunOptions,
  LicensesInsights,
} from './analyticsModule.js';
export type { ClientCredentials } from './credentials.js';

/** The Partner Center API base URL. */
export const defaultBaseUrl = 'https://api.partnercenter.microsoft.com';

/** The progress event `hooks.onPage` receives for each page a read yields. */
export type PageProgressEvent = PageEvent;

/** The rows of one page a read set aside under `invalidRows: 'report'`. */
export type InvalidRowsReport = InvalidRowsEvent;

/** Transport hooks plus the SDK's own. */
export interface ClientHooks extends TransportHooks {
  /** Warnings (superseded endpoints, app-only credentials, a read restarted by a refresh); default `process.emitWarning`. */
  onWarning?(message: string): void;
  /** After each page a read yields (progress). */
  onPage?(event: PageProgressEvent): void;
  /** Rows a read set aside as unusable, per page, under `invalidRows: 'report'`. */
  onInvalidRows?(event: InvalidRowsReport): void;
}

/** Options of {@link createClient}. Give one credential: `accessToken`, `tokenProvider` or `credentials`. */
export interface ClientOptions {
  /** Default `https://api.partnercenter.microsoft.com`. */
  readonly baseUrl?: string | undefined;
  /** A static bearer token (e.g. from the mock's `issueToken`). */
  readonly accessToken?: string | undefined;
  readonly tokenProvider?: TokenProvider | undefined;
  readonly credentials?: ClientCredentials | undefined;
  /** `X-Locale`, default `en-US`. */
  readonly locale?: string | undefined;
  /** `MS-CorrelationId` of every request. */
  readonly correlationId?: string | undefined;
  /** `MS-PartnerCenter-Application`. */
  readonly applicationName?: string | undefined;
  /** Page requests in flight per read after the first page; default 4. */
  readonly concurrency?: number | undefined;
  /** Rows per request; default 10000 (capped by each endpoint's `maxPageSize`). */
  readonly pageSize?: number | undefined;
  /**
   * What a read does with a row it cannot use (a count that is not a number): `'throw'` (the
   * default) stops with an `INVALID_ROW` error naming the page and JSON path; `'skip'` leaves it
   * out; `'report'` leaves it out and calls `hooks.onInvalidRows`. Nulls, missing fields and
   * out-of-range counts are data, never invalid.
   */
  readonly invalidRows?: InvalidRowPolicy | undefined;
  /** The most pages one read may take before it stops with a `PAGING` error; default 10000. */
  readonly maxPages?: number | undefined;
  readonly retry?: RetryOptions | undefined;
  /** Timeout of one attempt, default 3 minutes. */
  readonly attemptTimeoutMs?: number | undefined;
  /** Deadline of one request, retries included. */
  readonly deadlineMs?: number | undefined;
  /**
   * Allow plain `http://` to a host that is not loopback, for the API and the Entra authority.
   * Off by default: tokens and secrets would travel in clear (see `@pc/transport`).
   */
  readonly allowInsecureHttp?: boolean | undefined;
  /** The largest response body accepted, in bytes, after decompression; default 64 MiB. */
  readonly maxResponseBytes?: number | undefined;
  readonly hooks?: ClientHooks | undefined;
  /** Extra modules, in addition to the built-in licenses module. */
  readonly modules?: readonly AnalyticsModule[] | undefined;
  /** Use this transport (tests); the client does not close it, and sees no retry events from it. */
  readonly transport?: Transport | undefined;
  /** Extra PEM certificate(s) to trust besides Node's roots (a private CA, `pc-mock --tls`). */
  readonly ca?: string | undefined;
}

const defaultWarning = (message: string): void => {
  process.emitWarning(message);
};

/**
 * Creates the analytics client.
 *
 * @example
 * ```ts
 * const client = createClient({ baseUrl: mock.url, accessToken: mock.issueToken() });
 * for await (const row of client.commercial.licenses.deployment.list({ filter: "serviceCode eq 'o365'" })) {
 *   console.log(row.customerName, row.licensesSold - row.licensesDeployed);
 * }
 * ```
 */
export function createClient(options: ClientOptions): AnalyticsClient {
  const registry = createModuleRegistry([licensesModule, ...(options.modules ?? [])]);
  const hooks = options.hooks ?? {};
  const warn =
    hooks.onWarning === undefined ? defaultWarning : (message: string) => hooks.onWarning?.(message);
  const deprecationSink =
    hooks.onWarning === undefined ? emitDeprecationWarning : (message: string) => hooks.onWarning?.(message);
  const defaults = {
    concurrency: positiveInteger('concurrency', options.concurrency) ?? 4,
    pageSize: positiveInteger('pageSize', options.pageSize) ?? 10_000,
    invalidRows: invalidRowPolicy(options.invalidRows) ?? 'throw',
    maxPages: positiveInteger('maxPages', options.maxPages) ?? defaultMaxPages,
  };
  const throttle = new ThrottleState();
  const ownsTransport = options.transport === undefined;
  const transport =
    options.transport ??
    createTransport({
      baseUrl: options.baseUrl ?? defaultBaseUrl,
      tokenProvider: tokenProviderFromOptions(options, warn),
      ...(options.locale === undefined ? {} : { locale: options.locale }),
      ...(options.correlationId === undefined ? {} : { correlationId: options.correlationId }),
      ...(options.applicationName === undefined ? {} : { applicationName: options.applicationName }),
      ...(options.retry === undefined ? {} : { retry: options.retry }),
      ...(options.attemptTimeoutMs === undefined ? {} : { attemptTimeoutMs: options.attemptTimeoutMs }),
      ...(options.deadlineMs === undefined ? {} : { deadlineMs: options.deadlineMs }),
      ...(options.ca === undefined ? {} : { ca: options.ca }),
      ...(options.allowInsecureHttp === true ? { allowInsecureHttp: true } : {}),
      ...(options.maxResponseBytes === undefined ? {} : { maxResponseBytes: options.maxResponseBytes }),
      hooks: {
        onRequest: (event) => hooks.onRequest?.(event),
        onResponse: (event) => hooks.onResponse?.(event),
        onAttemptError: (event) => hooks.onAttemptError?.(event),
        onRetry: (event) => {
          if (event.throttled) throttle.record();
          hooks.onRetry?.(event);
        },
      },
    });

  const listDescriptor = (
    descriptor: EndpointDescriptor,
    listOptions: AnyListOptions | undefined,
  ): RowStream<Record<string, unknown>> => {
    const plan = createReadPlan(descriptor, listOptions ?? {}, defaults);
    const replacement =
      descriptor.supersededBy === undefined ? undefined : safeEndpoint(descriptor.supersededBy)?.descriptor;
    const context = {
      transport,
      throttle,
      correlationId: listOptions?.correlationId ?? options.correlationId,
      onPage: hooks.onPage === undefined ? undefined : (event: PageEvent) => hooks.onPage?.(event),
      onInvalidRows:
        hooks.onInvalidRows === undefined
          ? undefined
          : (event: InvalidRowsEvent) => hooks.onInvalidRows?.(event),
      onWarning: warn,
      onStart: () => {
        warnDeprecatedOnce(descriptor, { replacement, sink: deprecationSink });
      },
    };
    // Each read parses fresh pages that only its consumer sees: rows can be released as handed out.
    return createRowStream(() => readPages(plan, context, listOptions?.signal), { releaseRows: true });
  };

  const safeEndpoint = (id: string) =>
    registry.endpointIds.includes(id) ? registry.endpoint(id) : undefined;

  const handleOf = <Row>(id: string, pathParams?: Record<string, string>): EndpointHandle<Row> => {
    const descriptor = registry.endpoint(id).descriptor as unknown as EndpointDescriptor<
      string,
      Row & object
    >;
    return {
      descriptor,
      list: (listOptions) => {
        const merged: ListOptions<Row> =
          pathParams === undefined
            ? (listOptions ?? {})
            : { ...listOptions, pathParams: { ...listOptions?.pathParams, ...pathParams } };
        return listDescriptor(
          descriptor as unknown as EndpointDescriptor,
          merged,
        ) as unknown as RowStream<Row>;
      },
    };
  };

  const client: AnalyticsClient = {
    commercial: {
      licenses: {
        usage: handleOf<CommercialLicenseUsageRow>('commercialLicenseUsage'),
        deployment: handleOf<CommercialLicenseDeploymentRow>('commercialLicenseDeployment'),
      },
    },
    analytics: {
      licenses: {
        usage: handleOf<PartnerLicenseUsageRow>('partnerLicenseUsage'),
        deployment: handleOf<PartnerLicenseDeploymentRow>('partnerLicenseDeployment'),
      },
    },
    customers: {
      byId(customerId) {
        return {
          analytics: {
            licenses: {
              usage: handleOf<CustomerLicenseUsageRow>('customerLicenseUsage', { customerId }),
              deployment: handleOf<CustomerLicenseDeploymentRow>('customerLicenseDeployment', { customerId }),
            },
          },
        };
      },
    },
    list: (endpointId, listOptions) => listDescriptor(registry.endpoint(endpointId).descriptor, listOptions),
    handle<D extends EndpointDescriptor<string, object>>(descriptor: D) {
      if (!registry.hasEndpoint(descriptor as unknown as EndpointDescriptor)) {
        throw new Error(
          `Endpoint '${descriptor.id}' is not registered: pass its module to createClient({ modules: [...] })`,
        );
      }
      return handleOf<RowOfEndpoint<D>>(descriptor.id);
    },
    modules: registry.modules,
    endpoint: (id) => registry.endpoint(id).descriptor,
    insights: {
      unusedLicenses: (insightOptions) => client.runInsight('unused-licenses', insightOptions),
      adoption: (insightOptions) => client.runInsight('adoption', insightOptions),
      summary: (insightOptions) => client.runInsight('summary', insightOptions),
      trend: (insightOptions) => client.runInsight('trend', insightOptions),
      utilization: (insightOptions) => client.runInsight('utilization', insightOptions),
    },
    async runInsight(name, insightOptions) {
      const definition = registry.insight(name);
      return definition.run(client, resolveInsightOptions(definition, insightOptions));
    },
    async close() {
      if (ownsTransport) await transport.close();
    },
  };
  return client;
}
