import type { AnalyticsModule } from '@pc/analytics';
import type { ExtraEndpoint, MockServer, MockServerOptions } from '@pc/mock';
import { Command } from 'commander';
import { dirname, join } from 'node:path';
import { readConfig, writeConfig } from '../config.js';
import type { CliContext } from '../context.js';
import { mockProfile, tokenFilePath, withProfile } from '../profiles.js';
import { TokenStore } from '../tokenStore.js';
import { UsageError } from '../exitCodes.js';
import { bindAction, type RunState } from './action.js';

/** The mock endpoints of the external modules (those that ship a data generator). */
export function moduleMockEndpoints(modules: readonly AnalyticsModule[]): ExtraEndpoint[] {
  const extra: ExtraEndpoint[] = [];
  for (const module of modules) {
    if (module.name === 'licenses') continue;
    for (const endpoint of module.endpoints) {
      if (endpoint.mock !== undefined)
        extra.push({ descriptor: endpoint.descriptor, generate: endpoint.mock });
    }
  }
  return extra;
}

/** Resolves once SIGINT or SIGTERM arrives (or the signal aborts). */
function untilStopped(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const stop = (): void => {
      process.off('SIGTERM', stop);
      signal.removeEventListener('abort', stop);
      resolve();
    };
    process.on('SIGTERM', stop);
    if (signal.aborted) stop();
    else signal.addEventListener('abort', stop);
  });
}

/** `pc mock [pc-mock flags]`. */
export function mockCommand(ctx: CliContext, state: RunState): Command {
  const command = new Command('mock')
    .summary('run the embedded Partner Center mock (same flags as pc-mock)')
    .description(
      'Run the embedded Partner Center mock until Ctrl-C. Flags as pc-mock; `pc mock --help` lists them.',
    )
    .argument('[flags...]', 'pc-mock flags, e.g. --port 0 --seed 7 --customers 500 --faults 429=0.1')
    .allowUnknownOption()
    .allowExcessArguments()
    .helpOption(false);
  return bindAction(command, ctx, state, async (context, action) => {
    const argv = (action.args[0] as string[] | undefined) ?? [];
    // Loaded on demand: only `pc mock` and `pc demo` need the mock's code.
    const { main: mockMain, mockDefaults, parseMockFlags, startMockServer } = await import('@pc/mock');
    if (argv.includes('--help') || argv.includes('-h')) {
      return (await mockMain(['--help'])) ?? 0;
    }
    let options: MockServerOptions;
    try {
      options = parseMockFlags(argv);
    } catch (error) {
      throw new UsageError(`pc mock: ${(error as Error).message}`, 'see `pc mock --help`');
    }
    const extraEndpoints = moduleMockEndpoints(context.modules);
    let server: MockServer;
    try {
      server = await startMockServer({
        // HTTPS on a certificate kept beside the config, so that the `mock` profile survives restarts.
        tlsDir: options.tlsDir ?? join(dirname(context.configPath), 'mock-tls'),
        ...options,
        ...(extraEndpoints.length > 0 ? { extraEndpoints } : {}),
      });
    } catch (error) {
      const message = (error as Error).message;
      if (/must be|expected|invalid|unknown|add up/i.test(message))
        throw new UsageError(`pc mock: ${message}`);
      throw error;
    }
    context.io.stdout.write(`pc-mock listening on ${server.url}\n`);
    if (server.caFile !== undefined) context.io.stdout.write(`pc-mock ca ${server.caFile}\n`);
    // Log into a profile of its own: the default profile (a real login) is never touched.
    const config = await readConfig(context.configPath);
    await writeConfig(
      context.configPath,
      withProfile(config, mockProfile, {
        authMode: 'refresh-token',
        tenantId: server.partnerTenantId,
        clientId: options.clientId ?? mockDefaults.clientId,
        clientSecret: options.clientSecret ?? mockDefaults.clientSecret,
        refreshToken: options.refreshToken ?? mockDefaults.refreshToken,
        authorityUrl: server.url,
        baseUrl: server.url,
        endpointVersion: 'v2',
        ...(server.caFile !== undefined ? { caFile: server.caFile } : {}),
      }),
    );
    await new TokenStore(tokenFilePath(context.configPath, mockProfile)).remove();
    if (options.quiet !== true && action.globals.quiet !== true) {
      context.err(
        `pc mock: partner tenant ${server.partnerTenantId}; logged in as profile '${mockProfile}'. Use it with:\n` +
          `  pc --profile ${mockProfile} licenses deployment --groupby serviceCode   (or export PC_PROFILE=${mockProfile})\n` +
          `  Device-code sign-in against it: pc login --profile ${mockProfile} --device-code --client-id ${options.clientId ?? mockDefaults.clientId} --authority-url ${server.url} --base-url ${server.url}${server.caFile !== undefined ? ` --ca-file ${server.caFile}` : ''}\n`,
      );
    }
    await untilStopped(context.signal);
    await server.close();
    return 0;
  });
}
