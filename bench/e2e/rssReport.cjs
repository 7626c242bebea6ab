// Preloaded into the CLI process (NODE_OPTIONS=--require) to report its peak RSS on exit.
const { appendFileSync } = require('node:fs');

process.on('exit', () => {
  if (process.env.BENCH_RSS_FILE)
    appendFileSync(process.env.BENCH_RSS_FILE, `${process.resourceUsage().maxRSS / 1024}\n`);
});
