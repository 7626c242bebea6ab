// Shared by the benchmark's client processes: what to read, and how to report.
export const url = process.env.BENCH_URL;
export const token = process.env.BENCH_TOKEN;
export const maxRows = Number(process.env.BENCH_MAX_ROWS ?? Number.POSITIVE_INFINITY);
export const path = '/partner/v1/analytics/commercial/deployment/license';

/** Prints the one JSON line the orchestrator reads: rows, wall milliseconds, peak RSS in MB. */
export function report(rows, startedAt) {
  const ms = performance.now() - startedAt;
  const rssMB = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(`${JSON.stringify({ rows, ms, rssMB })}\n`);
}
