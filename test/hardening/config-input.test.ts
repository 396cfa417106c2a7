/**
 * Hostile configuration and odd files: the scanned repository's `.shipsafe.json`, `.gitignore` and the files named
 * by --config/--baseline are untrusted input. Each case here once stalled, crashed or leaked (issue 15); the
 * timeouts are hang guards far above the time the fixed code takes (milliseconds), not speed targets.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfig } from '../../src/engine/config/config';
import { compileGlob } from '../../src/engine/project/glob';
import { discover } from '../../src/engine/project/discover';
import { secretValueStrength } from '../../src/engine/secrets/providers';
import { allRules } from '../../src/engine/rules';
import { cleanup, cli, gitInit, tempDir, writeFiles } from '../cli/_util';

const ids = allRules.map((r) => r.meta.id);

describe('secret strength on bracket-heavy values (issue 15, severe 1)', () => {
  it('judges a 16,000-character `[q-W[f-S…` value at once', { timeout: 5000 }, () => {
    let v = '';
    for (let i = 0; v.length < 16_000; i++) v += `[${String.fromCharCode(97 + (i % 26))}-${String.fromCharCode(65 + (i % 26))}`;
    const t0 = performance.now();
    assert.equal(secretValueStrength(v, 'apiSecret'), 'medium');
    // a hang guard (the runner's timeout cannot interrupt synchronous code): milliseconds now, 27 s before
    assert.ok(performance.now() - t0 < 5000);
    // a real regex source is still recognised as one
    assert.equal(secretValueStrength('[A-Za-z0-9._~+/-]+=*', 'tokenPattern'), undefined);
  });
});

describe('exclude globs (issue 15, severe 2 and defect 12)', () => {
  it('matches like minimatch on the usual globs', () => {
    const cases: [string, string, boolean][] = [
      ['legacy/**', 'legacy/a.js', true], ['legacy/**', 'legacy/x/y/a.js', true], ['legacy/**', 'src/legacy/a.js', false],
      ['**/*.cjs', 'a.cjs', true], ['**/*.cjs', 'x/y/a.cjs', true], ['**/*.cjs', 'x/y/a.js', false],
      ['src/*.test.ts', 'src/a.test.ts', true], ['src/*.test.ts', 'src/x/a.test.ts', false],
      ['**/generated/**', 'a/generated/b/c.ts', true], ['**/generated/**', 'generated/c.ts', true],
      ['src/{a,b}/*.js', 'src/b/x.js', true], ['src/{a,b}/*.js', 'src/c/x.js', false],
      ['src/[ab]?.js', 'src/a1.js', true], ['src/[!ab]?.js', 'src/a1.js', false],
      ['**/.env*.js', 'x/.env.local.js', true], ['*.js', 'a/b.js', false],
    ];
    for (const [glob, path, want] of cases) assert.equal(compileGlob(glob).match(path), want, `${glob} vs ${path}`);
  });

  it('takes no time on `src/*a*a*a*a*a*b` against a 200-character name', { timeout: 5000 }, () => {
    const t0 = performance.now();
    const g = compileGlob('src/*a*a*a*a*a*a*a*a*b');
    assert.equal(g.match(`src/${'a'.repeat(200)}.js`), false);
    assert.equal(g.match(`src/${'a'.repeat(200)}b`), true);
    assert.ok(performance.now() - t0 < 5000);
  });

  it('a scan with that exclude in .shipsafe.json finishes, and a 100k-character glob is a clear config error', { timeout: 20000 }, async () => {
    const dir = tempDir();
    try {
      writeFiles(dir, {
        '.shipsafe.json': JSON.stringify({ exclude: ['src/*a*a*a*a*a*a*a*b'] }),
        [`src/${'a'.repeat(200)}.js`]: 'module.exports = 1;\n',
      });
      const t0 = performance.now();
      const r = await cli(dir, ['scan', '.', '--no-color']);
      assert.equal(r.code, 0, r.stderr);
      assert.ok(performance.now() - t0 < 15_000, 'a hang guard: minimatch took minutes here');
      writeFiles(dir, { '.shipsafe.json': JSON.stringify({ exclude: ['*'.repeat(100_000)] }) });
      const bad = await cli(dir, ['scan', '.', '--no-color']);
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /exclude\[0\] is 100000 characters long/);
      assert.doesNotMatch(bad.stderr, /internal error|\n\s+at /);
      writeFiles(dir, { '.shipsafe.json': '{}' });
      const cliGlob = await cli(dir, ['scan', '.', '--exclude', 'x'.repeat(100_000), '--no-color']);
      assert.equal(cliGlob.code, 2, cliGlob.stderr);
      assert.match(cliGlob.stderr, /--exclude: the glob is 100000 characters long/);
      assert.doesNotMatch(cliGlob.stderr, /internal error|\n\s+at /);
    } finally { cleanup(dir); }
  });

  it('a 200k-line .gitignore is applied in part, fast, and said', { timeout: 20000 }, async () => {
    const dir = tempDir();
    try {
      gitInit(dir);
      const lines = Array.from({ length: 200_000 }, (_, i) => `generated-${i}/**/*.js`);
      lines.unshift('ignored.js');
      const files: Record<string, string> = { '.gitignore': `${lines.join('\n')}\n`, 'ignored.js': '1\n' };
      for (let i = 0; i < 300; i++) files[`src/f${i}.js`] = '1\n';
      writeFiles(dir, files);
      const r = await discover(dir);
      assert.equal(r.files.length, 300);
      assert.ok(r.skipped.some((s) => s.file.endsWith('.gitignore') && /only the first/.test(s.detail)), JSON.stringify(r.skipped));
    } finally { cleanup(dir); }
  });
});

describe('config and baseline files (issue 15, defects 10 and 11)', () => {
  let dir: string;
  before(() => {
    dir = tempDir();
    writeFiles(dir, { 'app.js': 'module.exports = 1;\n', 'secret.txt': 'aws_access_key_id = AKIA...\nroot:*:20200:0:99999:7:::\n' });
    symlinkSync(join(dir, 'secret.txt'), join(dir, 'linked.json'));
  });
  after(() => cleanup(dir));

  it('--config /dev/zero and --baseline /dev/zero are refused at once', { timeout: 10000 }, async () => {
    const c = await cli(dir, ['scan', '.', '--config', '/dev/zero', '--no-color']);
    assert.equal(c.code, 2);
    assert.match(c.stderr, /not a regular file/);
    const b = await cli(dir, ['scan', '.', '--baseline', '/dev/zero', '--no-color']);
    assert.equal(b.code, 2);
    assert.match(b.stderr, /not a regular file/);
  });

  it('a config or baseline that is not JSON is reported without quoting its content', async () => {
    const c = await cli(dir, ['scan', '.', '--config', 'linked.json', '--no-color']);
    assert.equal(c.code, 2);
    assert.match(c.stderr, /not valid JSON/);
    assert.doesNotMatch(c.stderr, /aws_access|root:|AKIA/);
    const b = await cli(dir, ['scan', '.', '--baseline', 'linked.json', '--no-color']);
    assert.equal(b.code, 2);
    assert.match(b.stderr, /not valid JSON/);
    assert.doesNotMatch(b.stderr, /aws_access|root:|AKIA/);
  });

  it('JSONC: comments and trailing commas are allowed, commas inside strings are kept', () => {
    const cfg = parseConfig('{\n  // keep the legacy folder out\n  "exclude": ["a, ]", "b/**",],\n  /* block */ "minConfidence": "low",\n}', 'x', ids);
    assert.deepEqual(cfg.exclude, ['a, ]', 'b/**']);
    assert.equal(cfg.minConfidence, 'low');
  });
});
