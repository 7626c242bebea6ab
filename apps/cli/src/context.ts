import { SecretRedactor } from '@pc/transport';
import type { AnalyticsModule } from '@pc/analytics';
import {
  type ConfigFile,
  type Environment,
  resolveSettings,
  type SettingFlags,
  type Settings,
  secretsOf,
} from './config.js';
import type { NetworkOptions } from './networkOptions.js';
import type { OutputFormat } from './output/format.js';

/** The streams and process facts a run works with (tests pass their own). */
export interface CliIo {
  readonly stdout: NodeJS.WritableStream & { readonly isTTY?: boolean; readonly columns?: number };
  readonly stderr: NodeJS.WritableStream & { readonly isTTY?: boolean };
  readonly stdin: NodeJS.ReadableStream & { readonly isTTY?: boolean };
  readonly env: Environment;
  readonly cwd: string;
}

/** The options every command accepts (declared on the root command). */
export interface GlobalOptions {
  readonly output?: OutputFormat;
  readonly fields?: string;
  readonly out?: string;
  readonly locale?: string;
  readonly apiLocale?: string;
  readonly baseUrl?: string;
  /** `false` with `--no-progress`. */
  readonly progress: boolean;
  readonly quiet?: boolean;
  readonly debug?: boolean;
  /** `false` with `--no-color`. */
  readonly color: boolean;
  /** `--timeout <duration>`. */
  readonly timeout?: string;
  /** `--deadline <duration>`. */
  readonly deadline?: string;
  readonly allowInsecureHttp?: boolean;
  /** `--max-response-mb <n>`. */
  readonly maxResponseMb?: string;
  /** `--bom`: a UTF-8 byte order mark before csv/tsv. */
  readonly bom?: boolean;
  /** `--delimiter`: the csv field delimiter (default from the display locale). */
  readonly delimiter?: string;
  /** `false` with `--no-escape-formulas`. */
  readonly escapeFormulas?: boolean;
  /** `--profile`: which stored login to use (also `PC_PROFILE`). */
  readonly profile?: string;
  /** `--ca-file`: a PEM file of extra certificates to trust (also `PC_CA_FILE`). */
  readonly caFile?: string;
}

/**
 * Replaces every known secret in a text, in every encoding (`@pc/transport`'s `SecretRedactor`:
 * raw, percent- and form-encoded, JSON-escaped, base64), plus bearer tokens and JWTs, known or not.
 */
export class Redactor {
  private readonly inner = new SecretRedactor();

  /** Remembers a secret (values shorter than 4 characters are ignored: they would mask too much). */
  add(secret: string | undefined): void {
    this.inner.add(secret);
  }

  /** `text` without any secret. */
  redact(text: string): string {
    return this.inner.redact(text);
  }
}

/** Everything a command needs: streams, config, settings, cancellation, modules. */
export interface CliContext {
  readonly io: CliIo;
  readonly configPath: string;
  /** The settings of this run's profile, with the global ones (a flat view of the config file). */
  readonly config: ConfigFile;
  /** The whole config file, every profile in it. */
  readonly fullConfig: ConfigFile;
  /** The profile of this run (`--profile`, `PC_PROFILE`, `pc auth switch`, else `default`). */
  readonly profile: string;
  readonly modules: readonly AnalyticsModule[];
  readonly signal: AbortSignal;
  readonly redactor: Redactor;
  /** True once SIGINT was received. */
  interrupted(): boolean;
  /** Writes to stderr, secrets redacted. */
  err(text: string): void;
  /** Resolves the settings for these flags (flags > env > config > defaults), registering secrets. */
  settings(flags: SettingFlags): Settings;
  /** Timeouts, the insecure-http opt-in and the body cap (set from the global flags before a command runs). */
  network(): NetworkOptions;
  /** Sets what {@link CliContext.network} returns. */
  setNetwork(options: NetworkOptions): void;
}

/** Builds a context. */
export function createContext(input: {
  io: CliIo;
  configPath: string;
  config: ConfigFile;
  fullConfig?: ConfigFile;
  profile?: string;
  modules: readonly AnalyticsModule[];
  signal: AbortSignal;
  interrupted: () => boolean;
}): CliContext {
  const redactor = new Redactor();
  let network: NetworkOptions = { allowInsecureHttp: false };
  redactor.add(input.config.clientSecret);
  redactor.add(input.config.refreshToken);
  redactor.add(input.io.env.PC_CLIENT_SECRET);
  redactor.add(input.io.env.PC_REFRESH_TOKEN);
  redactor.add(input.io.env.PC_ACCESS_TOKEN);
  redactor.add(input.io.env.AZURE_CLIENT_SECRET);
  for (const profile of Object.values(input.fullConfig?.profiles ?? {})) {
    redactor.add(profile.clientSecret);
    redactor.add(profile.refreshToken);
  }
  return {
    io: input.io,
    configPath: input.configPath,
    config: input.config,
    fullConfig: input.fullConfig ?? input.config,
    profile: input.profile ?? 'default',
    modules: input.modules,
    signal: input.signal,
    redactor,
    interrupted: input.interrupted,
    err(text) {
      input.io.stderr.write(redactor.redact(text));
    },
    network: () => network,
    setNetwork(options) {
      network = options;
    },
    settings(flags) {
      const settings = resolveSettings({ flags, env: input.io.env, config: input.config });
      for (const secret of secretsOf(settings)) redactor.add(secret);
      return settings;
    },
  };
}
