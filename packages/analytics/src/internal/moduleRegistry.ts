import type { EndpointDescriptor } from '@pc/models';
import type { AnalyticsModule, InsightDefinition, ModuleEndpoint } from '../analyticsModule.js';

/** The endpoints and insights of a client's modules, by id and name. */
export interface ModuleRegistry {
  readonly modules: readonly AnalyticsModule[];
  /** @throws Error naming the known ids when `id` is not registered. */
  endpoint(id: string): ModuleEndpoint;
  hasEndpoint(descriptor: EndpointDescriptor): boolean;
  /** @throws Error naming the known insights when `name` is not registered. */
  insight(name: string): InsightDefinition;
  readonly endpointIds: readonly string[];
  readonly insightNames: readonly string[];
}

/**
 * Indexes modules; the first one is normally the built-in licenses module.
 *
 * @throws TypeError when two modules declare the same endpoint id, insight name or CLI command.
 */
export function createModuleRegistry(modules: readonly AnalyticsModule[]): ModuleRegistry {
  const endpoints = new Map<string, { endpoint: ModuleEndpoint; module: string }>();
  const insights = new Map<string, { insight: InsightDefinition; module: string }>();
  const commands = new Map<string, string>();
  const moduleNames = new Set<string>();
  for (const module of modules) {
    if (moduleNames.has(module.name)) throw new TypeError(`Module '${module.name}' is registered twice`);
    moduleNames.add(module.name);
    for (const endpoint of module.endpoints) {
      const { id } = endpoint.descriptor;
      const existing = endpoints.get(id);
      if (existing !== undefined) {
        throw new TypeError(
          `Endpoint '${id}' of module '${module.name}' is already registered by '${existing.module}'`,
        );
      }
      endpoints.set(id, { endpoint, module: module.name });
      if (endpoint.command !== undefined) {
        const key = endpoint.command.join(' ');
        const owner = commands.get(key);
        if (owner !== undefined) {
          throw new TypeError(
            `Command '${key}' of module '${module.name}' is already registered by '${owner}'`,
          );
        }
        commands.set(key, module.name);
      }
    }
    for (const insight of module.insights) {
      const existing = insights.get(insight.name);
      if (existing !== undefined) {
        throw new TypeError(
          `Insight '${insight.name}' of module '${module.name}' is already registered by '${existing.module}'`,
        );
      }
      insights.set(insight.name, { insight, module: module.name });
    }
  }
  const endpointIds = [...endpoints.keys()];
  const insightNames = [...insights.keys()];
  return {
    modules,
    endpointIds,
    insightNames,
    endpoint(id) {
      const entry = endpoints.get(id);
      if (entry === undefined) {
        throw new Error(`Unknown endpoint '${id}'. Known endpoints: ${endpointIds.join(', ')}`);
      }
      return entry.endpoint;
    },
    hasEndpoint(descriptor) {
      return endpoints.get(descriptor.id)?.endpoint.descriptor === descriptor;
    },
    insight(name) {
      const entry = insights.get(name);
      if (entry === undefined) {
        throw new Error(`Unknown insight '${name}'. Known insights: ${insightNames.join(', ')}`);
      }
      return entry.insight;
    },
  };
}
