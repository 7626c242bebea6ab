// Small measuring helpers shared by the benchmarks: medians of repeated rounds, printed as tables.

/** Milliseconds per call of `fn`, averaged over `iterations` calls (after one warm-up call). */
export function timeIt(fn, iterations) {
  let sink = fn();
  const start = process.hrtime.bigint();
  for (let index = 0; index < iterations; index++) sink = fn();
  const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
  if (sink === Symbol.for('never')) console.log(sink);
  return elapsed / iterations;
}

/** Nanoseconds per operation: calibrates the batch to about `targetMs`, then runs `rounds` batches. */
export function nsPerOp(fn, { targetMs = 150, rounds = 7 } = {}) {
  let batch = 1;
  for (;;) {
    const ms = timeIt(() => {
      let sink;
      for (let index = 0; index < batch; index++) sink = fn();
      return sink;
    }, 1);
    if (ms >= targetMs / 4 || batch > 1e8) break;
    batch *= 4;
  }
  const samples = [];
  for (let round = 0; round < rounds; round++) {
    const ms = timeIt(() => {
      let sink;
      for (let index = 0; index < batch; index++) sink = fn();
      return sink;
    }, 1);
    samples.push((ms * 1e6) / batch);
  }
  return median(samples);
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Prints rows (objects with the same keys) as a Markdown table and returns the text. */
export function printTable(title, rows) {
  const headers = Object.keys(rows[0] ?? {});
  const lines = [
    `### ${title}`,
    '',
    `| ${headers.join(' | ')} |`,
    `| ${headers.map(() => '---').join(' | ')} |`,
    ...rows.map((row) => `| ${headers.map((header) => String(row[header])).join(' | ')} |`),
    '',
  ];
  const text = lines.join('\n');
  console.log(text);
  return text;
}
