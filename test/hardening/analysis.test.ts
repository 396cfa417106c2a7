/**
 * Files built to break the analysis (issue 15): deep nesting, a file that overruns the time budget, secrets that
 * a fix would copy into a report. Run through the real CLI on real files.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../src/engine/analyze';
import { allRules } from '../../src/engine/rules';
import { cleanup, cli, SQL_FLAW, tempDir, writeFiles } from '../cli/_util';

// a fixture key in Stripe's live format (the same one the rule fixtures use); it is not a real key
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
    // ~600 KB of ordinary route code: far more than 100 ms of analysis on any machine
    const body = Array.from({ length: 6000 }, (_, i) => `app.get('/r${i}', async (req, res) => { const row = await db.query('SELECT * FROM t WHERE id = $1', [req.params.id]); res.json({ row, n: ${i} }); });`).join('\n');
    writeFiles(dir, {
      'big.js': `const stripeKey = '${LIVE_KEY}';\n${body}\n`,
      'small.js': SQL_FLAW,
    });
  });
  after(() => cleanup(dir));

  it('a file over budget gets the secret scan, is listed as timed out, and the scan goes on', { timeout: 120_000 }, async () => {
    const r = await cli(dir, ['scan', '.', '--time-budget', '100', '--format', 'json']);
    const report = JSON.parse(r.stdout);
    const skipped = report.skipped.find((s: { file: string }) => s.file === 'big.js');
    assert.equal(skipped?.reason, 'timeout', JSON.stringify(report.skipped));
    assert.match(skipped.detail, /100 ms budget per file; only the secret scan ran/);
    assert.ok(report.findings.some((f: { file: string; ruleId: string }) => f.file === 'big.js' && f.ruleId === 'hardcoded-secret'));
    assert.ok(report.findings.some((f: { file: string; ruleId: string }) => f.file === 'small.js' && f.ruleId === 'sql-injection'));
  });

  it('--time-budget is validated', async () => {
    const r = await cli(dir, ['scan', '.', '--time-budget', 'soon']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--time-budget must be a whole number of milliseconds/);
  });
});
