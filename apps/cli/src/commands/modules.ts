import type { AnalyticsModule } from '@pc/analytics';
import { Command } from 'commander';
import type { CliContext } from '../context.js';
import { chooseFormat, openOutput, selectColumns } from '../output/destination.js';
import type { OutputColumn } from '../output/format.js';
import { bindAction, type RunState } from './action.js';
import { endpointCommandPath } from './endpoints.js';

/** The command path of a built-in endpoint. */
const builtInCommands: Record<string, string> = {
  commercialLicenseUsage: 'licenses usage',
  commercialLicenseDeployment: 'licenses deployment',
  partnerLicenseUsage: 'licenses usage --legacy',
  partnerLicenseDeployment: 'licenses deployment --legacy',
  customerLicenseUsage: 'licenses usage --legacy --customer <id>',
  customerLicenseDeployment: 'licenses deployment --legacy --customer <id>',
};

/** One row of `pc modules`: an endpoint or an insight of a module. */
export function moduleRows(modules: readonly AnalyticsModule[]): Record<string, string>[] {
  const rows: Record<string, string>[] = [];
  for (const module of modules) {
    for (const endpoint of module.endpoints) {
      const { descriptor } = endpoint;
      rows.push({
        module: module.name,
        kind: 'endpoint',
        name: descriptor.id,
        command: `pc ${builtInCommands[descriptor.id] ?? endpointCommandPath(endpoint).join(' ')}`,
        title: descriptor.title,
        path: descriptor.path,
        filterable: descriptor.filterable.join(','),
        groupable: descriptor.groupable.join(','),
        measures: descriptor.measures.join(','),
        deprecated: descriptor.deprecated ? `superseded by ${descriptor.supersededBy ?? '?'}` : '',
      });
    }
    for (const insight of module.insights) {
      rows.push({
        module: module.name,
        kind: 'insight',
        name: insight.name,
        command: `pc insights ${insight.name}`,
        title: insight.title,
        path: '',
        filterable: '',
        groupable: '',
        measures: '',
        deprecated: '',
      });
    }
  }
  return rows;
}

const columns: OutputColumn[] = [
  'module',
  'kind',
  'name',
  'command',
  'title',
  'path',
  'filterable',
  'groupable',
  'measures',
  'deprecated',
].map((name) => ({ name, display: 'string' }));

/** The human listing of `pc modules` on a terminal. */
export function describeModules(modules: readonly AnalyticsModule[]): string {
  const lines: string[] = [];
  for (const module of modules) {
    lines.push(`${module.name}: ${module.description}`);
    for (const endpoint of module.endpoints) {
      const { descriptor } = endpoint;
      const command = builtInCommands[descriptor.id] ?? endpointCommandPath(endpoint).join(' ');
      lines.push(`  pc ${command}`);
      lines.push(
        `    ${descriptor.title} (${descriptor.id}, GET ${descriptor.path})${descriptor.deprecated ? ' [superseded]' : ''}`,
      );
      if (descriptor.filterable.length > 0) {
        lines.push(
          `    filterable: ${descriptor.filterable.join(', ')} (${descriptor.filterOperators.join(' ')})`,
        );
      }
      if (descriptor.groupable.length > 0) lines.push(`    groupable:  ${descriptor.groupable.join(', ')}`);
      if (descriptor.measures.length > 0) lines.push(`    measures:   ${descriptor.measures.join(', ')}`);
    }
    for (const insight of module.insights) {
      const options = insight.options.map(
        (option) => `--${option.name.replace(/([A-Z])/g, '-$1').toLowerCase()}`,
      );
      lines.push(`  pc insights ${insight.name}${options.length > 0 ? ` [${options.join(' ')}]` : ''}`);
      lines.push(`    ${insight.title}`);
    }
    lines.push('');
  }
  return lines.join('\n');
}

/** `pc modules`. */
export function modulesCommand(ctx: CliContext, state: RunState): Command {
  const command = new Command('modules')
    .summary('list modules, their endpoints, filterable and groupable fields, and insights')
    .description(
      'List the analytics modules: the built-in licenses module and the packages named in PC_MODULES\n' +
        'or the config file\'s "modules" list (resolved from the current directory).',
    );
  return bindAction(command, ctx, state, async (context, action) => {
    const { globals } = action;
    const settings = context.settings({ output: globals.output, locale: globals.locale });
    const format = chooseFormat({
      configured: settings.output.value,
      outFile: globals.out,
      stdoutIsTTY: context.io.stdout.isTTY === true,
    });
    if (format === 'table' && globals.fields === undefined && globals.out === undefined) {
      context.io.stdout.write(describeModules(context.modules));
      return 0;
    }
    const selection = selectColumns(columns, globals.fields);
    const output = await openOutput(context, { globals, format, selection, locale: settings.locale.value });
    try {
      for (const row of moduleRows(context.modules)) output.writer.write(row);
      await output.finish();
    } catch (error) {
      await output.fail();
      throw error;
    }
    return 0;
  });
}
