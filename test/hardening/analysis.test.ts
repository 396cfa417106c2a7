/**
 * Files built to break the analysis (issue 15): deep nesting, a file that overruns the time budget, secrets that
 * a fix would copy into a report. Run through the real CLI on real files.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../src/engine/analyze';
import { allRules } from '../../src/engine/rules';
import { cleanup, cli, REDIRECT_FLAW, SQL_FLAW, tempDir, writeFiles } from '../cli/_util';

// a fixture key in Stripe's live format (the same one the rule fixtures use); it is not a real key
/** far above what the fixed code needs (milliseconds) and far below what the old code took (20 s to minutes) */
export const HANG_GUARD_MS = 10_000;

export const LIVE_KEY = 'sk_live_51ShipsafeFixtureLiveKeyHYxbfrSIwOUNCIFdawvRmWeNf8akJK9COkaz5m';

describe('deep nesting (issue 15, severe 3)', () => {
  const cases: [string, string][] = [
    ['800 nested parentheses', `${'('.repeat(800)}1${')'.repeat(800)}`],
    ['3,000 nested calls', `${'f('.repeat(3000)}1${')'.repeat(3000)}`],
    ['3,000 nested arrays', `${'['.repeat(3000)}1${']'.repeat(3000)}`],
    ['5,000 `+` terms on separate lines', Array.from({ length: 5000 }, (_, i) => `part${i}`).join(' +\n')],
  ];
  for (const [name, expr] of cases) {
    it(`${name}: the key on line 1 is still found, and the file is not called clean`, () => {
      const text = `const stripeKey = '${LIVE_KEY}';\nconst x = ${expr};\n`;
      const r = analyzeText({ path: 'deep.js', text }, { rules: allRules });
      assert.ok(r.findings.some((f) => f.ruleId === 'hardcoded-secret'), JSON.stringify(r.findings.map((f) => f.ruleId)));
      // either fully analysed, or listed as not fully analysed with the reason
      if (r.skipped) assert.match(r.skipped.detail, /only the secret scan ran/);
    });
  }

  it('the CLI reports the key, lists the file, and never prints a plain "No findings"', async () => {
    const dir = tempDir();
    try {
      writeFiles(dir, {
        'deep.js': `const stripeKey = '${LIVE_KEY}';\nconst x = ${'('.repeat(5000)}1${')'.repeat(5000)};\n`,
        'deep-clean.js': `const x = ${'('.repeat(5000)}1${')'.repeat(5000)};\n`,
      });
      const r = await cli(dir, ['scan', '.', '--no-color', '--no-progress']);
      assert.equal(r.code, 1, r.stdout + r.stderr);
      assert.match(r.stdout, /hardcoded-secret/);
      assert.match(r.stderr, /deep\.js\s+\[parse-error\] its code is nested too deeply to parse; only the secret scan ran/);
      const clean = await cli(dir, ['scan', 'deep-clean.js', '--no-color', '--no-progress']);
      assert.equal(clean.code, 0);
      assert.doesNotMatch(clean.stdout, /✔ No findings/);
      assert.match(clean.stdout, /No findings at medium confidence or above in the code that was analysed, but 1 file was not fully analysed/);
    } finally { cleanup(dir); }
  });
});

describe('per-file time budget in the CLI (issue 15)', () => {
  let dir: string;
  before(() => {
    dir = tempDir();
    // ~5 MB of ordinary route code (the config raises the size limit so it is parsed): seconds of analysis,
    // far over a 1 s budget on any machine, while the small file takes milliseconds
    const body = Array.from({ length: 40_000 }, (_, i) => `app.get('/r${i}', async (req, res) => { const row = await db.query('SELECT * FROM t WHERE id = $1', [req.params.id]); res.json({ row, n: ${i} }); });`).join('\n');
    writeFiles(dir, {
      'big.js': `const stripeKey = '${LIVE_KEY}';\n${body}\n`,
      // analysed before big.js, in the same budgeted call (batchInThisThread): its result is kept
      'a-small.js': REDIRECT_FLAW,
      'small.js': SQL_FLAW,
      '.shipsafe.json': '{ "maxFileSizeKb": 8192 }',
    });
  });
  after(() => cleanup(dir));

  it('a file over budget gets the secret scan, is listed as timed out, and the scan goes on', { timeout: 120_000 }, async () => {
    const r = await cli(dir, ['scan', '.', '--time-budget', '1000', '--format', 'json']);
    const report = JSON.parse(r.stdout);
    const skipped = report.skipped.find((s: { file: string }) => s.file === 'big.js');
    assert.equal(skipped?.reason, 'timeout', JSON.stringify(report.skipped));
    assert.match(skipped.detail, /1000 ms budget per file; only the secret scan ran/);
    const seen = report.findings.map((f: { file: string; ruleId: string }) => `${f.file}:${f.ruleId}`);
    assert.ok(seen.includes('big.js:hardcoded-secret'), JSON.stringify(seen));
    assert.ok(seen.includes('small.js:sql-injection'), JSON.stringify({ seen, skipped: report.skipped }));
    assert.ok(seen.includes('a-small.js:open-redirect'), JSON.stringify({ seen, skipped: report.skipped }));
    assert.deepEqual(report.skipped.filter((s: { reason: string }) => s.reason === 'timeout').map((s: { file: string }) => s.file), ['big.js']);
  });

  it('--time-budget is validated', async () => {
    const r = await cli(dir, ['scan', '.', '--time-budget', 'soon']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--time-budget must be a whole number of milliseconds/);
  });
});

describe('inputs that made regexes quadratic (issue 15, defect 5)', () => {
  // a hang guard, not a speed target: the fixed code takes milliseconds, the old one 20 s to minutes. The test
  // runner's own timeout cannot interrupt synchronous code, so the time is checked after the call.
  const analyse = (path: string, text: string) => {
    const t0 = performance.now();
    const r = analyzeText({ path, text }, { rules: allRules });
    const ms = performance.now() - t0;
    assert.ok(ms < HANG_GUARD_MS, `took ${Math.round(ms)} ms`);
    return r;
  };

  it('a 300,000-character expiresIn value', { timeout: 20_000 }, () => {
    const text = `const jwt = require('jsonwebtoken');\nconst t = jwt.sign({ sub: 1 }, process.env.JWT_SECRET, { expiresIn: '1${' '.repeat(300_000)}!' });\n`;
    analyse('token.js', text);
  });

  it('a suppression comment ending in 160,000 tabs', { timeout: 20_000 }, () => {
    // with a finding in the file (suppressions are only read when there is one)
    // (and enough short lines that the file is not taken for a minified bundle)
    const text = `${SQL_FLAW}// shipsafe-ignore-next-line sql-injection -- fixed list}${'\t'.repeat(160_000)}x\nconst a = 1;\n${'// filler\n'.repeat(400)}`;
    const r = analyse('s.js', text);
    assert.equal(r.ruleErrors.length, 0);
    assert.ok(r.findings.some((f) => f.ruleId === 'sql-injection'));
  });

  it('a bundle of 200,000 `eyJa-` runs (the JWT pattern)', { timeout: 20_000 }, () => {
    analyse('dist/app.js', `var a="${'eyJa-'.repeat(200_000)}";`);
  });

  it('a bundle with 60,000 placeholder keys', { timeout: 20_000 }, () => {
    const keys = Array.from({ length: 60_000 }, (_, i) => `"sk_test_${'x'.repeat(24)}${i}"`).join(',');
    analyse('dist/keys.js', `var k=[${keys}];`);
  });

  it('a .env with a 200,000-character line (dotenv parsing)', { timeout: 20_000 }, async () => {
    const { parseDotenv } = await import('../../src/engine/fixes/env');
    const t0 = performance.now();
    const m = parseDotenv(`A=${' x'.repeat(100_000)}\nB='${'\\\''.repeat(50_000)}\nC=3\n`);
    assert.ok(performance.now() - t0 < HANG_GUARD_MS);
    assert.equal(m.get('C'), '3');
  });
});

describe('fix verification has a budget (issue 15, defect 6)', () => {
  it('500 `jwt.verify(t, k)` lines: the report is ready in seconds, each fix offered is verified', { timeout: 120_000 }, async () => {
    const dir = tempDir();
    try {
      const lines = Array.from({ length: 500 }, (_, i) => `  const p${i} = jwt.verify(t, key);`).join('\n');
      writeFiles(dir, { 'verify.js': `const jwt = require('jsonwebtoken');\nfunction check(t, key) {\n${lines}\n}\nmodule.exports = check;\n` });
      const t0 = performance.now();
      const r = await cli(dir, ['scan', '.', '--format', 'json', '--fail-on', 'none']);
      assert.equal(r.code, 0, r.stderr);
      // the verification budget is 3 s per file; the old code took almost 5 minutes here
      assert.ok(performance.now() - t0 < 60_000, `took ${Math.round(performance.now() - t0)} ms`);
      const report = JSON.parse(r.stdout);
      assert.equal(report.findings.filter((f: { ruleId: string }) => f.ruleId === 'jwt-missing-algorithms').length, 500);
    } finally { cleanup(dir); }
  });
});
