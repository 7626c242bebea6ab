import type { Environment } from './config.js';
import { UsageError } from './exitCodes.js';

/** How the CLI talks to the network, from the global flags and the environment. */
export interface NetworkOptions {
  /** Timeout of one attempt, every phase (`--timeout`, `PC_TIMEOUT`). */
  readonly attemptTimeoutMs?: number;
  /** Deadline of one request, retries and waits included (`--deadline`, `PC_DEADLINE`). */
  readonly deadlineMs?: number;
  /** Plain http to a host that is not loopback (`--allow-insecure-http`, `PC_ALLOW_INSECURE_HTTP=1`). */
  readonly allowInsecureHttp: boolean;
  /** The largest response body, in bytes (`--max-response-mb`, `PC_MAX_RESPONSE_MB`). */
  readonly maxResponseBytes?: number;
}

/** The global flags {@link networkOptions} reads. */
export interface NetworkFlags {
  readonly timeout?: string | undefined;
  readonly deadline?: string | undefined;
  readonly allowInsecureHttp?: boolean | undefined;
  readonly maxResponseMb?: string | undefined;
}

const units: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * Parses a duration: a number of seconds (`30`, `2.5`) or a number with a unit (`500ms`, `30s`,
 * `5m`, `1h`). `origin` names the flag or variable in the usage error.
 */
export function parseDuration(value: string, origin: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/i.exec(value);
  if (match === null) {
    throw new UsageError(
      `${origin} must be a duration such as 30, 30s, 500ms or 5m, got '${value.slice(0, 40)}'`,
    );
  }
  const ms = Math.round(Number(match[1]) * (units[(match[2] ?? 's').toLowerCase()] ?? 1000));
  if (ms < 1) throw new UsageError(`${origin} must be more than 0, got '${value}'`);
  return ms;
}

function truthy(value: string | undefined): boolean {
  return value !== undefined && /^(1|true|yes|on)$/i.test(value.trim());
}

/** Flags over environment; every value is checked here, before any request (exit 2). */
export function networkOptions(flags: NetworkFlags, env: Environment): NetworkOptions {
  const pick = (flag: string | undefined, flagName: string, variable: string) => {
    if (flag !== undefined) return { value: flag, origin: flagName };
    const fromEnv = env[variable];
    return fromEnv !== undefined && fromEnv !== '' ? { value: fromEnv, origin: variable } : undefined;
  };
  const timeout = pick(flags.timeout, '--timeout', 'PC_TIMEOUT');
  const deadline = pick(flags.deadline, '--deadline', 'PC_DEADLINE');
  const maxMb = pick(flags.maxResponseMb, '--max-response-mb', 'PC_MAX_RESPONSE_MB');
  let maxResponseBytes: number | undefined;
  if (maxMb !== undefined) {
    if (!/^\s*\d+\s*$/.test(maxMb.value) || Number(maxMb.value) < 1) {
      throw new UsageError(
        `${maxMb.origin} must be a whole number of MB (at least 1), got '${maxMb.value.slice(0, 40)}'`,
      );
    }
    maxResponseBytes = Number(maxMb.value) * 1024 * 1024;
  }
  return {
    ...(timeout !== undefined ? { attemptTimeoutMs: parseDuration(timeout.value, timeout.origin) } : {}),
    ...(deadline !== undefined ? { deadlineMs: parseDuration(deadline.value, deadline.origin) } : {}),
    allowInsecureHttp: flags.allowInsecureHttp === true || truthy(env.PC_ALLOW_INSECURE_HTTP),
    ...(maxResponseBytes !== undefined ? { maxResponseBytes } : {}),
  };
}
