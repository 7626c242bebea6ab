import type { AnalyticsModule } from '@pc/analytics';
import {
  commercialLicenseDeployment,
  commercialLicenseUsage,
  customerLicenseDeployment,
  customerLicenseUsage,
  type EndpointDescriptor,
  partnerLicenseDeployment,
  partnerLicenseUsage,
} from '@pc/models';
import { Command } from 'commander';
import type { CliContext } from '../context.js';
import { UsageError } from '../exitCodes.js';
import {
  type ActionInput,
  bindAction,
  camelCase,
  findSubcommand,
  kebabCase,
  type RunState,
} from './action.js';
import { addListOptions, type ListFlags, runEndpointList } from './listEndpoint.js';

function describeFields(descriptor: EndpointDescriptor): string {
  const lines = [`\n${descriptor.description}`];
  if (descriptor.deprecated) lines.push(`Superseded by ${descriptor.supersededBy ?? 'a newer endpoint'}.`);
  lines.push(`\nFields: ${descriptor.fields.join(', ')}`);
  if (descriptor.filterable.length > 0) {
    lines.push(
      `Filterable: ${descriptor.filterable.join(', ')} (operators: ${descriptor.filterOperators.join(', ')})`,
    );
  }
  if (descriptor.groupable.length > 0) lines.push(`Groupable: ${descriptor.groupable.join(', ')}`);
  if (descriptor.measures.length > 0)
    lines.push(`Measures (summed by --groupby): ${descriptor.measures.join(', ')}`);
  if (descriptor.docs !== undefined) lines.push(`Docs: ${descriptor.docs}`);
  return `${lines.join('\n')}\n`;
}

interface LicensesFlags extends ListFlags {
  readonly legacy?: boolean;
  readonly customer?: string;
}

function licensesCommand(
  ctx: CliContext,
  state: RunState,
  input: {
    name: 'deployment' | 'usage';
    commercial: EndpointDescriptor;
    partner: EndpointDescriptor;
    customer: EndpointDescriptor;
    summary: string;
    example: string;
  },
): Command {
  const command = new Command(input.name)
    .summary(input.summary)
    .description(
      `${input.summary}.\n\nBy default reads ${input.commercial.title} (${input.commercial.path}).\n` +
        `--legacy reads ${input.partner.path}; with --customer <id>, ${input.customer.path}.`,
    );
  addListOptions(command, [input.commercial]);
  command
    .option(
      '--legacy',
      `use the superseded endpoint (${input.partner.id}; with --customer, ${input.customer.id})`,
    )
    .option('--customer <id>', 'with --legacy: one customer (tenant id)');
  command.addHelpText('after', `${describeFields(input.commercial)}\nExample:\n  ${input.example}\n`);
  return bindAction(command, ctx, state, (context, action: ActionInput) => {
    const flags = action.opts as LicensesFlags;
    if (flags.customer !== undefined && flags.legacy !== true) {
      throw new UsageError(
        '--customer needs --legacy',
        `for the commercial endpoint use --filter "customerTenantId eq '${flags.customer}'"`,
      );
    }
    const descriptor =
      flags.legacy === true
        ? flags.customer !== undefined
          ? input.customer
          : input.partner
        : input.commercial;
    return runEndpointList(context, {
      descriptor,
      flags,
      globals: action.globals,
      label: `licenses ${input.name}`,
      ...(flags.customer !== undefined
        ? { pathParams: { customerId: flags.customer }, pathParamFlags: { customerId: '--customer' } }
        : {}),
    });
  });
}

/** `pc licenses deployment|usage`. */
export function licensesCommands(ctx: CliContext, state: RunState): Command {
  const licenses = new Command('licenses')
    .summary('licenses deployment and usage (E1-E6)')
    .description('Licenses analytics: deployment (sold vs deployed) and usage (qualified vs active).');
  licenses.addCommand(
    licensesCommand(ctx, state, {
      name: 'deployment',
      commercial: commercialLicenseDeployment,
      partner: partnerLicenseDeployment,
      customer: customerLicenseDeployment,
      summary: 'licenses sold and deployed per customer and product',
      example: 'pc licenses deployment --filter "serviceCode eq \'o365\'" --groupby customerName -o csv',
    }),
  );
  licenses.addCommand(
    licensesCommand(ctx, state, {
      name: 'usage',
      commercial: commercialLicenseUsage,
      partner: partnerLicenseUsage,
      customer: customerLicenseUsage,
      summary: 'active and qualified licenses per customer, product and workload',
      example: 'pc licenses usage --groupby workloadCode --filter "channel eq \'reseller\'"',
    }),
  );
  return licenses;
}

/** The CLI path of a module endpoint: its `command`, else the kebab-case of its id. */
export function endpointCommandPath(endpoint: AnalyticsModule['endpoints'][number]): string[] {
  return endpoint.command !== undefined && endpoint.command.length > 0
    ? [...endpoint.command]
    : [kebabCase(endpoint.descriptor.id)];
}

/**
 * Adds a command for every endpoint of the external modules, at its `command` path, with the
 * same list flags as the built-in ones (plus one flag per path parameter).
 */
export function addModuleEndpointCommands(
  program: Command,
  ctx: CliContext,
  state: RunState,
  modules: readonly AnalyticsModule[],
): void {
  for (const module of modules) {
    if (module.name === 'licenses') continue;
    for (const endpoint of module.endpoints) {
      const path = endpointCommandPath(endpoint);
      const leafName = path[path.length - 1]!;
      let parent = program;
      for (const part of path.slice(0, -1)) {
        let next = findSubcommand(parent, part);
        if (next === undefined) {
          next = new Command(part).summary(`${module.name} commands`);
          parent.addCommand(next);
        }
        parent = next;
      }
      if (findSubcommand(parent, leafName) !== undefined) {
        ctx.err(
          `pc: warning: module '${module.name}': command '${path.join(' ')}' already exists; skipped\n`,
        );
        continue;
      }
      const { descriptor } = endpoint;
      const command = new Command(leafName)
        .summary(`${descriptor.title} (module ${module.name})`)
        .description(`${descriptor.title} (module ${module.name}, ${descriptor.path})`);
      addListOptions(command, [descriptor]);
      const paramFlags = descriptor.pathParams.map((param) => ({ param, flag: kebabCase(param) }));
      for (const { param, flag } of paramFlags)
        command.requiredOption(`--${flag} <value>`, `path parameter ${param}`);
      command.addHelpText('after', describeFields(descriptor));
      bindAction(command, ctx, state, (context, action) => {
        const pathParams: Record<string, string> = {};
        for (const { param, flag } of paramFlags) {
          const value = action.opts[camelCase(flag)];
          if (typeof value === 'string') pathParams[param] = value;
        }
        return runEndpointList(context, {
          descriptor,
          flags: action.opts as ListFlags,
          globals: action.globals,
          label: path.join(' '),
          ...(paramFlags.length > 0
            ? {
                pathParams,
                pathParamFlags: Object.fromEntries(paramFlags.map(({ param, flag }) => [param, `--${flag}`])),
              }
            : {}),
        });
      });
      parent.addCommand(command);
    }
  }
}
