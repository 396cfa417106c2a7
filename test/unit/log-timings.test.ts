/**
 * The integration run's timing metrics (test/integration/log-timings.ts) read the lines the extension writes at
 * the debug level (src/extension/analysis.ts): first analyses, re-analyses after an edit, files from disk.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { coldAnalyses, quantile, timedAnalyses } from '../integration/log-timings';

const LOG = `2026-12-06 21:40:01.120 [info] Shipsafe activated in 3.1 ms
2026-12-06 21:40:02.310 [debug] app/src/routes/users.js v1: 41.3 ms in the worker (CPU 30.2, parse 3.1, facts 2.0, walk 9.9, slowest rule sql-injection 2.1), 44.0 ms round trip, 1 finding(s)
2026-12-06 21:40:05.002 [debug] app/src/routes/products.js disk: 12.5 ms in the worker, 13.1 ms round trip, 1 finding(s)
2026-12-06 21:40:07.450 [debug] app/src/routes/account.js v9 re-analysed after an edit: 6.4 ms in the worker (CPU 5.9, parse 0.6, facts 0.5, walk 2.4), 8.0 ms round trip, 5 finding(s)
2026-12-06 21:40:08.000 [debug] app/src/routes/account.js v9 re-analysed: 7 ms in the worker, 9.0 ms round trip, 5 finding(s)
2026-12-06 21:40:08.100 [debug] my app/src/a b.ts v2 re-analysed after an edit: 3.5 ms in the worker (parse 0.6, facts 0.5, walk 2.4), 4.0 ms round trip, 0 finding(s)
2026-12-06 21:40:09.000 [trace] dropped the result for app/src/routes/account.js v10 (now v11)`;

describe('integration log timings', () => {
  it('tells first analyses, re-analyses after an edit and the same text again apart', () => {
    assert.deepEqual(timedAnalyses(LOG), [
      { label: 'app/src/routes/users.js', kind: 'first', ms: 41.3, cpuMs: 30.2 },
      { label: 'app/src/routes/products.js', kind: 'first', ms: 12.5 },
      { label: 'app/src/routes/account.js', kind: 'edit', ms: 6.4, cpuMs: 5.9 },
      { label: 'app/src/routes/account.js', kind: 'again', ms: 7 },
      { label: 'my app/src/a b.ts', kind: 'edit', ms: 3.5 },
    ]);
  });

  it('counts as cold the first analysis of each source file, from the editor or from disk', () => {
    const more = `${LOG}\n2026-12-06 21:40:10.000 [debug] app/src/routes/products.js disk: 2.5 ms in the worker, 3.1 ms round trip, 1 finding(s)
2026-12-06 21:40:10.000 [debug] app/package.json v1: 0.9 ms in the worker (CPU 0.5), 1.1 ms round trip, 0 finding(s)`;
    assert.deepEqual(coldAnalyses(timedAnalyses(more)).map((t) => `${t.label} ${t.ms}`),
      ['app/src/routes/users.js 41.3', 'app/src/routes/products.js 12.5', 'app/src/routes/account.js 6.4', 'my app/src/a b.ts 3.5']);
  });

  it('takes medians and p90 the way the run summary always has', () => {
    assert.equal(quantile([1, 2, 3, 4], 0.5), 3);
    assert.equal(quantile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9), 10);
    assert.ok(Number.isNaN(quantile([], 0.5)));
  });
});
