const help = `Usage: pc <command> [options]

The Partner Center licenses analytics command line.

Options:
  -h, --help  show this help
`;

/** Runs the CLI with the given arguments and resolves to the process exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  if (argv.length === 0 || argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(help);
    return 0;
  }
  process.stderr.write(`pc: unknown command '${argv[0]}'\n${help}`);
  return 2;
}
