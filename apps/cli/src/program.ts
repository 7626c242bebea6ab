import { Command, CommanderError, Option } from 'commander';
import { bindAction, findSubcommand, type RunState } from './commands/action.js';
import { authCommands } from './commands/auth.js';
import { demoCommand } from './commands/demo.js';
import { historyCommand } from './commands/history.js';
import { addModuleEndpointCommands, licensesCommands } from './commands/endpoints.js';
import { insightsCommand } from './commands/insights.js';
import { mockCommand } from './commands/mock.js';
import { reportCommand } from './commands/report.js';
import { modulesCommand } from './commands/modules.js';
import { completionScript, completionShells, type CompletionShell } from './completion.js';
import type { CliContext, GlobalOptions } from './context.js';
import { networkOptions } from './networkOptions.js';
import { UsageError } from './exitCodes.js';
import { helpTopics } from './helpTopics.js';
import { outputFormats } from './output/format.js';
import { resolveOutTarget } from './output/outTarget.js';

/** The CLI's version, written into the bundle at build time. */
declare const __PC_CLI_VERSION__: string | undefined;
const version = typeof __PC_CLI_VERSION__ === 'string' ? __PC_CLI_VERSION__ : '0.0.0-dev';

function completionCommand(ctx: CliContext, state: RunState, root: Command): Command {
  const command = new Command('completion')
    .summary('print a shell completion script (bash, zsh, fish)')
    .description(
      'Print a completion script for a shell to stdout. Load it with:\n' +
        '  bash:  source <(pc completion bash)\n' +
        '  zsh:   source <(pc completion zsh)\n' +
        '  fish:  pc completion fish | source',
    )
    .argument('<shell>', `one of ${completionShells.join(', ')}`);
  return bindAction(command, ctx, state, async (context, action) => {
    const shell = String(action.args[0]);
    if (!(completionShells as readonly string[]).includes(shell)) {
      throw new UsageError(`unknown shell '${shell}'`, `expected one of ${completionShells.join(', ')}`);
    }
    context.io.stdout.write(completionScript(shell as CompletionShell, 'pc', root));
    return 0;
  });
}

function helpCommand(ctx: CliContext, state: RunState, root: Command): Command {
  const topicList = Object.entries(helpTopics)
    .map(([name, topic]) => `  ${name.padEnd(12)} ${topic.summary}`)
    .join('\n');
  const command = new Command('help')
    .summary('help on a command or a topic (environment, exit-codes, output, filters, sign-in)')
    .description(`Help on a command (pc help licenses deployment) or a topic:\n${topicList}`)
    .argument('[topic...]', 'a topic or a command path');
  return bindAction(command, ctx, state, async (context, action) => {
    const words = (action.args[0] as string[] | undefined) ?? [];
    if (words.length === 0) {
      root.outputHelp();
      return 0;
    }
    const topic = helpTopics[words.join(' ')];
    if (topic !== undefined) {
      context.io.stdout.write(topic.text);
      return 0;
    }
    let target: Command = root;
    for (const word of words) {
      const next = findSubcommand(target, word);
      if (next === undefined) {
        throw new UsageError(
          `no help topic or command '${words.join(' ')}'`,
          `topics: ${Object.keys(helpTopics).join(', ')}; commands: ${root.commands.map((c) => c.name()).join(', ')}`,
        );
      }
      target = next;
    }
    target.outputHelp();
    return 0;
  });
}

function configureErrors(command: Command, ctx: CliContext): void {
  command.exitOverride();
  command.configureOutput({
    writeOut: (text) => ctx.io.stdout.write(text),
    writeErr: (text) => ctx.err(text),
    outputError: (text, write) =>
      write(text.startsWith('error:') ? `pc: ${text.slice('error: '.length)}` : text),
  });
  command.showHelpAfterError('(add --help for usage)');
  command.configureHelp({ showGlobalOptions: true, sortSubcommands: false });
  for (const sub of command.commands) configureErrors(sub, ctx);
}

/** Builds the command tree (the built-in commands and those of the external modules). */
export function buildProgram(ctx: CliContext, state: RunState): Command {
  const program = new Command('pc')
    .description(
      'The Partner Center licenses analytics command line.\n\n' +
        'Start with `pc demo` (a report from the embedded mock, no credentials needed),\n' +
        'then `pc login` and `pc licenses deployment --groupby serviceCode`.',
    )
    .version(version, '-V, --version', 'print the version')
    .addOption(
      new Option('-o, --output <format>', 'output format (default: table on a TTY, else json)').choices(
        outputFormats,
      ),
    )
    .option('--fields <list>', 'columns to print, in order (comma-separated)')
    .option('--out <file>', 'write the output to a file, atomically')
    .option(
      '--locale <locale>',
      'number and date format of tables and progress (default en-US; de_CH.UTF-8 works)',
    )
    .option('--api-locale <locale>', 'X-Locale sent to the API (default en-US), separate from --locale')
    .option('--bom', 'start csv/tsv output with a UTF-8 byte order mark (for Excel)')
    .option('--delimiter <char>', "csv delimiter (default ';' where --locale uses a decimal comma, else ',')")
    .option('--no-escape-formulas', "do not prefix csv/xlsx text starting with = + - @ tab CR with '")
    .option('--base-url <url>', 'API base URL (default https://api.partnercenter.microsoft.com)')
    .option(
      '--profile <name>',
      'the stored login to use (or PC_PROFILE; default: pc auth switch, else default)',
    )
    .option('--ca-file <pem>', 'extra certificates to trust, e.g. pc-mock --tls (or PC_CA_FILE)')
    .option('--no-progress', 'no progress display on stderr')
    .option('-q, --quiet', 'no progress, warnings or notes on stderr (errors still)')
    .option('--debug', 'trace requests on stderr and show stack traces (secrets stay hidden)')
    .option('--timeout <duration>', 'timeout of one request attempt, every phase (default 180s; PC_TIMEOUT)')
    .option('--deadline <duration>', 'deadline of one request, retries included (default 15m; PC_DEADLINE)')
    .option(
      '--allow-insecure-http',
      'allow plain http to a host that is not this machine: tokens and secrets travel in clear (PC_ALLOW_INSECURE_HTTP=1)',
    )
    .option('--max-response-mb <n>', 'largest response body accepted, in MB (default 64; PC_MAX_RESPONSE_MB)')
    .option('--no-color', 'no colour')
    .helpCommand(false)
    .addHelpText(
      'after',
      '\nHelp topics: pc help environment | exit-codes | output | filters | sign-in\n' +
        'Examples:\n' +
        '  pc demo\n' +
        '  pc licenses deployment --filter "serviceCode eq \'o365\'" -o csv --out deployment.csv\n' +
        '  pc licenses usage --groupby workloadCode,channel -o json\n' +
        '  pc insights unused-licenses --top 20\n' +
        '  pc report --out report.html\n',
    );
  const allModules = ctx.modules;
  program.addCommand(licensesCommands(ctx, state));
  program.addCommand(insightsCommand(ctx, state, allModules));
  program.addCommand(historyCommand(ctx, state));
  program.addCommand(reportCommand(ctx, state));
  program.addCommand(modulesCommand(ctx, state));
  for (const command of authCommands(ctx, state)) program.addCommand(command);
  program.addCommand(mockCommand(ctx, state));
  program.addCommand(demoCommand(ctx, state));
  addModuleEndpointCommands(program, ctx, state, allModules);
  program.addCommand(completionCommand(ctx, state, program));
  program.addCommand(helpCommand(ctx, state, program));
  configureErrors(program, ctx);
  // `--out` and the network flags are checked before any command runs, so a folder, an unwritable
  // path or a bad duration fails at once (exit 2), not after a whole download.
  program.hook('preAction', async (_root, actionCommand) => {
    const globals = actionCommand.optsWithGlobals() as GlobalOptions;
    ctx.setNetwork(networkOptions(globals, ctx.io.env));
    if (globals.out !== undefined) await resolveOutTarget(globals.out);
  });
  return program;
}

/** Maps a commander error to an exit code: 0 for help and version, 2 for every parse error. */
export function commanderExitCode(error: CommanderError): number {
  if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return 0;
  return 2;
}

export { CommanderError };
