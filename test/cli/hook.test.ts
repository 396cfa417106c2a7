/**
 * Pre-commit: `shipsafe hook install` writes a git hook that runs `shipsafe scan --staged`; tested with real
 * `git commit`s in a real repository, with the bundled CLI (the hook runs it as a user's would). The staged
 * content is what counts: a secret staged and then removed from the working tree still blocks, a secret only in
 * the working tree does not. The pre-commit framework's .pre-commit-hooks.yaml runs the same command. Both use the
 * result cache (`--cache`), kept in git's own folder when there is no node_modules.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { buildAll } from '../../src/tools/build';
import { HOOK_MARKER } from '../../src/cli/hook';
import { CACHE_FILE } from '../../src/cli/result-cache';
import { CLEAN, cleanup, cli, git, gitInit, tempDir, writeFiles } from './_util';

const root = resolve(__dirname, '..', '..');
// a live-looking Stripe key, built at run time so this file holds no key-shaped literal
const KEY = ['sk', 'live', '4eC39HqLyjWDarjtT1zdp7dc'].join('_');
const LEAKY = `const Stripe = require('stripe');\nconst stripe = new Stripe('${KEY}');\nmodule.exports = stripe;\n`;
const SAFE = `const Stripe = require('stripe');\nconst stripe = new Stripe(process.env.STRIPE_SECRET_KEY);\nmodule.exports = stripe;\n`;

describe('pre-commit hook (shipsafe hook install, scan --staged)', () => {
  let out: string;
  let cliJs: string;
  let repo: string;
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH, HOME: process.env.HOME, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_AUTHOR_NAME: 'test', GIT_AUTHOR_EMAIL: 'test@example.com', GIT_COMMITTER_NAME: 'test', GIT_COMMITTER_EMAIL: 'test@example.com',
  };
  const run = (cmd: string, args: string[]) => {
    const r = spawnSync(cmd, args, { cwd: repo, env, encoding: 'utf8' });
    return { code: r.status, out: `${r.stdout}${r.stderr}` };
  };
  const commits = () => Number(git(repo, 'rev-list', '--count', 'HEAD').trim());

  before(async () => {
    out = tempDir('shipsafe-hook-build-');
    [cliJs] = await buildAll({ outdir: out, only: ['cli'], quiet: true });
    repo = tempDir('shipsafe-hook-repo-');
    gitInit(repo);
    writeFiles(repo, { 'server.js': CLEAN, 'billing.js': SAFE });
    git(repo, 'add', '.');
    git(repo, 'commit', '-qm', 'first');
  });
  after(() => { cleanup(out); cleanup(repo); });

  it('installs an executable hook where git looks for it', () => {
    const r = run(process.execPath, [cliJs, 'hook', 'install']);
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /Installed the Shipsafe pre-commit hook \(\.git\/hooks\/pre-commit\)/);
    const hook = join(repo, '.git', 'hooks', 'pre-commit');
    assert.ok(statSync(hook).mode & 0o100, 'executable');
    assert.ok(readFileSync(hook, 'utf8').includes(HOOK_MARKER));
    assert.match(readFileSync(hook, 'utf8'), /scan --staged --cache\b/, 'the hook uses the result cache');
    assert.equal(run(process.execPath, [cliJs, 'hook', 'install']).code, 0, 'installing again updates it');
  });

  it('blocks a commit whose staged content holds a secret, even when the working tree no longer does', () => {
    const before = commits();
    writeFileSync(join(repo, 'billing.js'), LEAKY);
    git(repo, 'add', 'billing.js');
    writeFileSync(join(repo, 'billing.js'), SAFE); // fixed in the working tree, not staged: the commit would still hold the key
    const r = run('git', ['commit', '-m', 'add billing']);
    assert.notEqual(r.code, 0, r.out);
    assert.match(r.out, /billing\.js:2:\d+/);
    assert.match(r.out, /hardcoded-secret/);
    assert.ok(!r.out.includes(KEY), 'the key is masked');
    assert.equal(commits(), before, 'no commit was made');
    // the hook's cache: the repository's, in git's own folder (no node_modules here), keyed on repository paths
    const cacheFile = join(repo, '.git', 'shipsafe-cache', CACHE_FILE);
    assert.ok(Object.keys(JSON.parse(readFileSync(cacheFile, 'utf8')).entries).includes('billing.js'));
    assert.doesNotMatch(git(repo, 'status', '--porcelain', '--untracked-files=all'), /shipsafe/);
    // the same commit tried again: the same report (but for the time), billing.js's result from the cache
    const stored = readFileSync(cacheFile, 'utf8');
    const again = run('git', ['commit', '-m', 'add billing']);
    assert.notEqual(again.code, 0);
    const untimed = (s: string) => s.replace(/\(\d+(\.\d+)?m?s\)/g, '(time)');
    assert.equal(untimed(again.out), untimed(r.out));
    assert.equal(readFileSync(cacheFile, 'utf8'), stored, 'nothing new to store: every result came from the cache');
  });

  it('lets a clean commit through; a secret only in the working tree or an untracked file does not block', () => {
    writeFileSync(join(repo, 'billing.js'), `${SAFE}// the key comes from the environment\n`);
    git(repo, 'add', 'billing.js'); // stage the fixed version
    writeFileSync(join(repo, 'server.js'), `${CLEAN}\nconst key = '${KEY}';\n`); // modified, not staged
    writeFileSync(join(repo, 'scratch.js'), LEAKY); // untracked
    const before = commits();
    const r = run('git', ['commit', '-m', 'billing from env']);
    assert.equal(r.code, 0, r.out);
    assert.equal(commits(), before + 1);
    assert.match(run('git', ['show', '--stat', 'HEAD']).out, /billing\.js/);
  });

  it('a partial commit (git commit <file>) is scanned as committed', () => {
    const r = run('git', ['commit', '-m', 'server', 'server.js']);
    assert.notEqual(r.code, 0, r.out);
    assert.match(r.out, /server\.js:\d+:\d+/);
    git(repo, 'checkout', '--', 'server.js');
  });

  it('reads the configuration the index holds, not an unstaged edit of it', async () => {
    writeFiles(repo, { '.shipsafe.json': '{ "exclude": ["legacy/**"] }\n' });
    git(repo, 'add', '.shipsafe.json');
    assert.equal(run('git', ['commit', '-qm', 'config']).code, 0);
    writeFiles(repo, { 'legacy/old-billing.js': LEAKY });
    git(repo, 'add', 'legacy/old-billing.js');
    writeFiles(repo, { '.shipsafe.json': '{}\n' }); // not staged: the commit still records the exclusion
    const r = await cli(repo, ['scan', '--staged', '--format', 'json']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(JSON.parse(r.stdout).findings.length, 0, 'legacy/ is excluded by the staged configuration');
    git(repo, 'add', '.shipsafe.json'); // now the commit would drop the exclusion
    const staged = await cli(repo, ['scan', '--staged', '--format', 'json']);
    assert.equal(staged.code, 1, staged.stderr);
    assert.match(staged.stdout, /legacy\/old-billing\.js/);
    git(repo, 'reset', '-q', 'HEAD', '--', 'legacy/old-billing.js', '.shipsafe.json');
    git(repo, 'checkout', '--', '.shipsafe.json');
  });

  it('scan --staged with nothing staged, and outside a repository', async () => {
    const r = await cli(repo, ['scan', '--staged']);
    assert.equal(r.code, 0, r.stderr);
    const outside = tempDir();
    try {
      const o = await cli(outside, ['scan', '--staged']);
      assert.equal(o.code, 2);
      assert.match(o.stderr, /--staged .*git repository/);
    } finally { cleanup(outside); }
  });

  it('never overwrites a hook it did not write; uninstall removes only its own', () => {
    const hook = join(repo, '.git', 'hooks', 'pre-commit');
    assert.equal(run(process.execPath, [cliJs, 'hook', 'uninstall']).code, 0);
    assert.ok(!existsSync(hook));
    writeFileSync(hook, '#!/bin/sh\nnpm run lint\n', { mode: 0o755 });
    const r = run(process.execPath, [cliJs, 'hook', 'install']);
    assert.equal(r.code, 2);
    assert.match(r.out, /already exists .*left as it is[^]*npx shipsafe scan --staged/);
    assert.equal(readFileSync(hook, 'utf8'), '#!/bin/sh\nnpm run lint\n');
    assert.equal(run(process.execPath, [cliJs, 'hook', 'uninstall']).code, 2);
    assert.ok(existsSync(hook));
  });

  it('.pre-commit-hooks.yaml runs the same staged scan with the package\'s command', () => {
    const hooks = parse(readFileSync(join(root, '.pre-commit-hooks.yaml'), 'utf8')) as { id: string; entry: string; language: string; pass_filenames: boolean }[];
    const hook = hooks.find((h) => h.id === 'shipsafe');
    assert.ok(hook);
    const bin = Object.keys(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).bin)[0];
    assert.match(hook.entry, new RegExp(`^${bin} scan --staged --cache\\b`));
    assert.equal(hook.language, 'node');
    assert.equal(hook.pass_filenames, false, '--staged finds the files itself, from the index');
  });
});
