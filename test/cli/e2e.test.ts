/** The real bundled CLI (esbuild → cli.js, built once into a temp folder) run as a child process. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { buildAll } from '../../src/tools/build';
import { cleanup, git, gitInit, REDIRECT_FLAW, SQL_FLAW, tempDir, writeFiles, CLEAN } from './_util';

describe('dist/cli.js (built bundle, spawned)', () => {
  let out: string;
  let cliJs: string;
  let repo: string;
  const sh = (args: string[], cwd = repo, direct = false) => {
    const r = direct
      ? spawnSync(cliJs, args, { cwd, encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } })
      : spawnSync(process.execPath, [cliJs, ...args], { cwd, encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };

  before(async () => {
    out = tempDir('shipsafe-build-');
    [cliJs] = await buildAll({ outdir: out, only: ['cli'], quiet: true });
    repo = tempDir();
    gitInit(repo);
    writeFiles(repo, {
      '.gitignore': 'tmp/\n',
      'server.js': SQL_FLAW,
      'routes/login.js': REDIRECT_FLAW,
      'routes/clean.js': CLEAN,
      'tmp/copy.js': SQL_FLAW,
      'node_modules/dep/index.js': SQL_FLAW,
    });
    git(repo, 'add', '.');
  });
  after(() => { cleanup(out); cleanup(repo); });

  it('is an executable node script with a shebang', () => {
    assert.ok(readFileSync(cliJs, 'utf8').startsWith('#!/usr/bin/env node\n'));
    assert.ok(statSync(cliJs).mode & 0o100, 'executable bit');
    const v = sh(['--version'], repo, true);
    assert.equal(v.code, 0, v.stderr);
    assert.match(v.stdout, /^\d+\.\d+\.\d+\n$/);
  });

  it('exit 1 with findings, 0 with --fail-on none; .gitignore and node_modules respected; no progress off a TTY', () => {
    const r = sh(['scan']);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /server\.js:8:\d+ +error/);
    assert.doesNotMatch(r.stdout, /tmp\/copy\.js|node_modules/, '.gitignore and node_modules respected');
    assert.doesNotMatch(r.stderr, /Scanning|\u001b/, 'no progress or colours when stderr is not a TTY');
    assert.equal(sh(['scan', '--fail-on', 'none']).code, 0);
  });

  it('exit 2 for bad arguments and bad config, with the reason on stderr', () => {
    const a = sh(['scan', '--format', 'xml']);
    assert.equal(a.code, 2);
    assert.match(a.stderr, /--format must be one of text, json, sarif/);
    assert.equal(a.stdout, '');
    const cfgDir = tempDir();
    try {
      writeFiles(cfgDir, { '.shipsafe.json': '{ "minConfidence": "maybe" }', 'a.js': CLEAN });
      const c = sh(['scan'], cfgDir);
      assert.equal(c.code, 2);
      assert.match(c.stderr, /"minConfidence" must be "low", "medium" or "high"/);
    } finally { cleanup(cfgDir); }
  });

  it('SARIF report to a file; baseline from a JSON report: known findings pass, a new one fails alone', () => {
    const s = sh(['scan', '--format', 'sarif', '--output', 'out/report.sarif']);
    assert.equal(s.code, 1, s.stderr);
    assert.match(s.stderr, /Report written to out\/report\.sarif/);
    const log = JSON.parse(readFileSync(join(repo, 'out/report.sarif'), 'utf8'));
    assert.equal(log.runs[0].tool.driver.name, 'Shipsafe');
    assert.ok(log.runs[0].results.length >= 1);
    assert.ok(log.runs[0].results.every((r: { locations: { physicalLocation: { artifactLocation: { uriBaseId: string } } }[] }) => r.locations[0].physicalLocation.artifactLocation.uriBaseId === '%SRCROOT%'));

    assert.equal(sh(['scan', '--format', 'json', '--output', '.shipsafe-baseline.json', '--fail-on', 'none']).code, 0);
    writeFiles(repo, { 'routes/new.js': SQL_FLAW });
    const r = sh(['scan', '--baseline', '.shipsafe-baseline.json', '--format', 'json']);
    assert.equal(r.code, 1, r.stderr);
    const files = JSON.parse(r.stdout).findings.map((f: { file: string }) => f.file);
    assert.deepEqual([...new Set(files)], ['routes/new.js']);
  });
});
