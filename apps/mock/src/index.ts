const help = `Usage: pc-mock [options]

A faithful, fast and faulty-on-demand Partner Center mock.

Options:
  -h, --help  show this help
`;

/** Runs the mock's command line and resolves to the process exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(help);
    return 0;
  }
  process.stderr.write(help);
  return 2;
}
