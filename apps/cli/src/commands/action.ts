import type { Command } from 'commander';
import type { CliContext, GlobalOptions } from '../context.js';

/** What an action handler receives. */
export interface ActionInput {
  /** Positional arguments, after commander's processing. */
  readonly args: readonly unknown[];
  /** The command's own options. */
  readonly opts: Record<string, unknown>;
  /** The root options (`-o`, `--fields`, `--out`, ...). */
  readonly globals: GlobalOptions;
  readonly command: Command;
}

/** A command handler: resolves to the exit code. */
export type ActionHandler = (ctx: CliContext, input: ActionInput) => Promise<number>;

/** Where the exit code of the action that ran is kept. */
export interface RunState {
  exitCode: number;
}

/** Binds a handler to a command; the exit code lands in `state`. */
export function bindAction(
  command: Command,
  ctx: CliContext,
  state: RunState,
  handler: ActionHandler,
): Command {
  command.action(async (...params: unknown[]) => {
    const self = params[params.length - 1] as Command;
    state.exitCode = await handler(ctx, {
      args: self.processedArgs as unknown[],
      opts: self.opts(),
      globals: self.optsWithGlobals() as unknown as GlobalOptions,
      command: self,
    });
  });
  return command;
}

/** Finds a subcommand by name (or alias). */
export function findSubcommand(parent: Command, name: string): Command | undefined {
  return parent.commands.find((command) => command.name() === name || command.aliases().includes(name));
}

/** kebab-case of a camelCase name: `customerTenantId` -> `customer-tenant-id`. */
export function kebabCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1-$2')
    .toLowerCase();
}

/** camelCase of a kebab-case name, as commander names option values. */
export function camelCase(name: string): string {
  return name.replace(/-([a-z0-9])/g, (_match, letter: string) => letter.toUpperCase());
}
