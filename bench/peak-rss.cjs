'use strict';
/**
 * Preloaded into a benchmarked process (`node --require bench/peak-rss.cjs …`): when it exits, writes its peak
 * resident memory (all threads: getrusage) and its CPU time to the file named by BENCH_USAGE_FILE.
 */
const file = process.env.BENCH_USAGE_FILE;
if (file) {
  process.once('exit', () => {
    const u = process.resourceUsage();
    require('node:fs').writeFileSync(file, JSON.stringify({ maxRssKb: u.maxRSS, cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000 }));
  });
}
