/**
 * Start-up of the built CLI (issue 17): the launcher loads the bundle with a V8 code cache (compile-cache.ts),
 * TypeScript is loaded only when code is parsed, and a cache that is missing, foreign or corrupt changes nothing
 * but speed. Also: a scan large enough for the analysis threads gives the same report as one in this thread.
 * Times are not asserted here (bench/ measures them).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildAll } from '../../src/tools/build';
import { IN_PROCESS_MAX_FILES } from '../../src/cli/pool-scan';
import { cleanup, REDIRECT_FLAW, SQL_FLAW, tempDir, writeFiles, CLEAN } from './_util';

describe('dist/cli.js start-up: code cache and lazy TypeScript', () => {
  let out: string;
  let cliJs: string;
  let project: string;
  let cacheDir: string;
  const sh = (args: string[], cache: string, env: Record<string, string> = {}) => {
    const r = spawnSync(process.execPath, [cliJs, ...args], {
      cwd: project, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', SHIPSAFE_COMPILE_CACHE: cache, ...env },
    });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  const caches = () => (existsSync(cacheDir) ? readdirSync(cacheDir).filter((f) => f.endsWith('.v8cache')).sort() : []);

  before(async () => {
    out = tempDir('shipsafe-build-');
    [cliJs] = await buildAll({ outdir: out, only: ['cli'], quiet: true });
    project = tempDir();
    cacheDir = join(tempDir('shipsafe-cc-'), 'cache');
    writeFiles(project, { 'server.js': SQL_FLAW, 'routes/login.js': REDIRECT_FLAW, 'routes/clean.js': CLEAN, 'config/.env.production': 'DB_PASSWORD=hunter2hunter2\n' });
  });
  after(() => { cleanup(out); cleanup(project); cleanup(join(cacheDir, '..')); });

  it('ships a small launcher, the bundle, TypeScript apart, and an all-ASCII bundle', () => {
    assert.ok(readFileSync(cliJs, 'utf8').length < 64 * 1024, 'dist/cli.js is a launcher');
    for (const f of ['cli-bundle.js', 'typescript.js', 'regex-analysis.js', 'mcp-sdk.js', 'scan-worker.js']) assert.ok(existsSync(join(out, f)), f);
    assert.doesNotMatch(readFileSync(join(out, 'cli-bundle.js'), 'latin1'), /class RegExpParser\b/, 'the regex analysis is a bundle of its own');
    assert.ok(readFileSync(join(out, 'scan-worker.js'), 'utf8').length < 64 * 1024, 'the worker script is small');
    assert.ok(!/[^\x00-\x7f]/.test(readFileSync(join(out, 'cli-bundle.js'), 'utf8')), 'cli-bundle.js is ASCII');
    assert.doesNotMatch(readFileSync(join(out, 'cli-bundle.js'), 'latin1'), /ts-morph\/dist/, 'ts-morph itself is not bundled');
  });

  it('--version loads nothing (the launcher answers it); `rules` loads the bundle but not TypeScript; a scan does; the caches say which run wrote them', () => {
    const v = sh(['--version'], cacheDir);
    assert.equal(v.code, 0, v.stderr);
    assert.match(v.stdout, /^\d+\.\d+\.\d+\n$/);
    assert.equal(v.stdout, `${JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')).version}\n`);
    assert.deepEqual(caches(), [], 'the bundle was not loaded');
    const r = sh(['rules'], cacheDir);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(caches().map((f) => f.replace(/-[0-9a-f]{12}-[0-9a-f]{12}/, '')), ['cli-bundle.js.light.v8cache']);
    const s = sh(['scan', '.', '--format', 'json'], cacheDir);
    assert.equal(s.code, 1, s.stderr);
    assert.deepEqual(caches().map((f) => f.replace(/-[0-9a-f]{12}-[0-9a-f]{12}/, '')), ['cli-bundle.js.full.v8cache', 'typescript.js.full.v8cache']);
  });

  it('the regex analysis bundle loads on first use: regex-dos finds what it finds from source', () => {
    const dir = tempDir();
    try {
      writeFiles(dir, { 'signup.js': "export function check(email) {\n  return /^([a-zA-Z0-9]+)*@example\\.com$/.test(email);\n}\n" });
      const r = spawnSync(process.execPath, [cliJs, 'scan', '.', '--format', 'json', '--min-confidence', 'low'], { cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', SHIPSAFE_COMPILE_CACHE: '0' } });
      const report = JSON.parse(r.stdout);
      assert.deepEqual(report.ruleErrors, []);
      assert.ok(report.findings.some((f: { ruleId: string }) => f.ruleId === 'regex-dos'), r.stdout);
    } finally {
      cleanup(dir);
    }
  });

  it('the same report with the cache, without it, and with corrupt cache files (rewritten)', () => {
    const args = ['scan', '.', '--format', 'json'];
    const none = sh(args, '0');
    const warm = sh(args, cacheDir);
    assert.equal(none.code, 1, none.stderr);
    assert.equal(warm.stdout, none.stdout);
    const files = caches();
    for (const f of files) writeFileSync(join(cacheDir, f), Buffer.from('not a V8 code cache at all'.repeat(40)));
    const corrupt = sh(args, cacheDir);
    assert.equal(corrupt.code, 1, corrupt.stderr);
    assert.equal(corrupt.stdout, none.stdout);
    assert.doesNotMatch(corrupt.stderr, /cache|internal error/i, 'nothing said about the cache');
    for (const f of caches()) assert.doesNotMatch(readFileSync(join(cacheDir, f), 'latin1'), /not a V8 code cache/, `${f} rewritten`);
  });

  it('a full cache written by a small scan is written again, once, by a scan of many more files', () => {
    const dir = join(tempDir('shipsafe-cc-'), 'cache');
    const small = tempDir();
    const big = tempDir();
    try {
      writeFiles(small, { 'server.js': SQL_FLAW });
      const many: Record<string, string> = {};
      for (let i = 0; i < 80; i++) many[`src/m${i}.js`] = `export function f${i}(a) { return a + ${i}; }\n`;
      writeFiles(big, many);
      const scan = (cwd: string) => {
        const r = spawnSync(process.execPath, [cliJs, 'scan', '.', '--format', 'json'], { cwd, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', SHIPSAFE_COMPILE_CACHE: dir } });
        assert.ok(r.status === 0 || r.status === 1, r.stderr);
      };
      // each cache file: the magic, then the work of the run that wrote it, then V8's data
      const state = () => readdirSync(dir).filter((f) => f.endsWith('.full.v8cache')).sort().map((f) => {
        const b = readFileSync(join(dir, f));
        assert.equal(b.subarray(0, 8).toString('latin1'), 'SSCC\u0001\u0000\u0000\u0000', f);
        return { f, work: b.readDoubleLE(8), mtime: statSync(join(dir, f)).mtimeMs };
      });
      scan(small);
      const first = state();
      assert.deepEqual(first.map((x) => x.work), [1, 1], 'written by the one-file scan');
      scan(big);
      const second = state();
      assert.deepEqual(second.map((x) => x.work), [80, 80], 'written again by the scan of 80 files');
      scan(big);
      scan(small);
      assert.deepEqual(state(), second, 'not again by the same scan, nor by a smaller one');
    } finally {
      cleanup(join(dir, '..')); cleanup(small); cleanup(big);
    }
  });

  it('a cache folder that cannot be created only costs the speed-up', () => {
    const blocker = join(project, 'config', '.env.production');
    const r = sh(['scan', '.', '--format', 'json'], join(blocker, 'sub'));
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.stdout, sh(['scan', '.', '--format', 'json'], '0').stdout);
  });

  it('a tree analysed in threads (--threads 2, and the default for its size) gives the report one thread gives', { timeout: 300_000 }, () => {
    const big = tempDir();
    try {
      const files: Record<string, string> = {};
      for (let i = 0; i <= IN_PROCESS_MAX_FILES + 10; i++) files[`src/m${String(i).padStart(3, '0')}.js`] = [SQL_FLAW, REDIRECT_FLAW, CLEAN][i % 3];
      writeFiles(big, files);
      const run = (extra: string[], names: string[] = ['.']) => spawnSync(process.execPath, [cliJs, 'scan', ...names, '--format', 'json', ...extra], { cwd: big, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', SHIPSAFE_COMPILE_CACHE: cacheDir } });
      const threads = run(['--threads', '2']);
      assert.equal(threads.status, 1, threads.stderr);
      const report = JSON.parse(threads.stdout);
      assert.ok(report.findings.length > 100, `${report.findings.length} findings`);
      // the whole tree in this thread, and by default (threads or not, by the machine's cores): the same report
      assert.equal(run(['--threads', '0']).stdout, threads.stdout);
      assert.equal(run([]).stdout, threads.stdout);
      // the same files in slices, merged: the same findings, in the same order
      const names = Object.keys(files).sort();
      const findings: unknown[] = [];
      for (let i = 0; i < names.length; i += 60) findings.push(...JSON.parse(run(['--threads', '1'], names.slice(i, i + 60)).stdout).findings);
      assert.deepEqual(report.findings, findings);
    } finally {
      cleanup(big);
    }
  });
});
