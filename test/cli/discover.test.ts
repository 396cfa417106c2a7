/** File discovery on real folders and real git repositories. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync } from 'node:fs';
import { join, relative } from 'node:path';
import { discover, discoverFiles, PathNotFoundError } from '../../src/engine/project/discover';
import { findConfigFile, loadConfig, resolveConfig } from '../../src/engine/project/config-loader';
import { ConfigError } from '../../src/engine/config/config';
import { cleanup, git, gitInit, tempDir, writeFiles } from './_util';

const rel = (root: string, files: string[]) => files.map((f) => relative(root, f).split('\\').join('/'));

describe('discoverFiles', () => {
  let repo: string;
  before(() => {
    repo = tempDir();
    gitInit(repo);
    writeFiles(repo, {
      '.gitignore': 'generated/\n*.gen.ts\nlogs/*.js\n!logs/keep.js\n',
      'src/app.ts': 'export const a = 1;\n',
      'src/view.tsx': 'export const V = () => null;\n',
      'src/types.d.ts': 'export type T = string;\n',
      'src/util.gen.ts': 'export const g = 1;\n',
      'src/README.md': '# not code\n',
      'src/legacy/old.js': 'module.exports = 1;\n',
      'src/nested/.gitignore': 'secret-stuff.js\n!important.gen.ts\n',
      'src/nested/secret-stuff.js': 'x\n',
      'src/nested/ok.mjs': 'export default 1;\n',
      'src/nested/important.gen.ts': 'export const i = 1;\n',
      'generated/client.ts': 'export const c = 1;\n',
      'logs/drop.js': '1\n',
      'logs/keep.js': '1\n',
      'node_modules/express/index.js': 'module.exports = 1;\n',
      'packages/web/node_modules/react/index.js': '1\n',
      'dist/assets/index-1a2b.js': 'var a=1;\n',
      'build/server.js': '1\n',
      '.next/static/chunks/main.js': '1\n',
      'coverage/lcov-report/prettify.js': '1\n',
      'vendor/lib.js': '1\n',
      'scripts/seed.cjs': '1\n',
      'server.cts': 'export {};\n',
      '..weird/a.ts': 'export {};\n',
    });
  });
  after(() => cleanup(repo));

  it('lists analysable files, sorted, honouring root and nested .gitignore files and their negations', async () => {
    const files = rel(repo, await discoverFiles(repo));
    assert.deepEqual(files, [
      '..weird/a.ts',
      'logs/keep.js',
      'scripts/seed.cjs',
      'server.cts',
      'src/app.ts',
      'src/legacy/old.js',
      'src/nested/important.gen.ts',
      'src/nested/ok.mjs',
      'src/view.tsx',
    ]);
  });

  it('skips nothing git-related when respectGitignore is false, but still skips node_modules and build output', async () => {
    const files = rel(repo, await discoverFiles(repo, { respectGitignore: false }));
    assert.ok(files.includes('generated/client.ts'));
    assert.ok(files.includes('src/util.gen.ts'));
    assert.ok(files.includes('src/nested/secret-stuff.js'));
    assert.ok(!files.some((f) => f.includes('node_modules') || f.startsWith('dist/') || f.startsWith('build/') || f.startsWith('.next/') || f.startsWith('coverage/') || f.startsWith('vendor/')), files.join(', '));
  });

  it('applies exclude globs relative to their base folder', async () => {
    const files = rel(repo, await discoverFiles(repo, { exclude: ['src/legacy/**', '**/*.cjs'] }));
    assert.ok(!files.includes('src/legacy/old.js'));
    assert.ok(!files.includes('scripts/seed.cjs'));
    assert.ok(files.includes('src/app.ts'));
    // the same glob relative to another folder matches nothing here
    const other = rel(repo, await discoverFiles(repo, { exclude: [{ pattern: 'legacy/**', base: join(repo, 'src') }] }));
    assert.ok(!other.includes('src/legacy/old.js'));
    const unrelated = rel(repo, await discoverFiles(repo, { exclude: [{ pattern: 'legacy/**', base: join(repo, 'scripts') }] }));
    assert.ok(unrelated.includes('src/legacy/old.js'));
  });

  it('walks a default-skipped or git-ignored folder when it is the starting point (scanning a built bundle)', async () => {
    const bundle = rel(repo, await discoverFiles(join(repo, 'dist/assets')));
    assert.deepEqual(bundle, ['dist/assets/index-1a2b.js']);
    const next = rel(repo, await discoverFiles(join(repo, '.next/static')));
    assert.deepEqual(next, ['.next/static/chunks/main.js']);
    // git-ignored folder given explicitly
    assert.deepEqual(rel(repo, await discoverFiles(join(repo, 'generated'))), ['generated/client.ts']);
    // inside node_modules, the default skips are off (nested node_modules, dist… are the code being asked for)
    const nm = rel(repo, await discoverFiles(join(repo, 'packages/web/node_modules')));
    assert.deepEqual(nm, ['packages/web/node_modules/react/index.js']);
  });

  it('accepts a single file, even a git-ignored one, and says why a non-source file is not analysed', async () => {
    const r = await discover(join(repo, 'src/util.gen.ts'));
    assert.deepEqual(rel(repo, r.files), ['src/util.gen.ts']);
    const md = await discover(join(repo, 'src/README.md'));
    assert.deepEqual(md.files, []);
    assert.equal(md.skipped[0].reason, 'excluded');
    assert.match(md.skipped[0].detail, /not a JavaScript, TypeScript or Python file/);
  });

  it('throws PathNotFoundError only for a missing starting path', async () => {
    await assert.rejects(discover(join(repo, 'nope')), PathNotFoundError);
  });

  it('stops at maxFiles and says so', async () => {
    const r = await discover(repo, { maxFiles: 3 });
    assert.equal(r.files.length, 3);
    assert.equal(r.truncated, true);
  });

  it('uses .git/info/exclude', async () => {
    const r = tempDir();
    try {
      gitInit(r);
      writeFiles(r, { 'a.js': '1\n', 'b.js': '1\n' });
      writeFiles(r, { '.git/info/exclude': 'b.js\n' });
      assert.deepEqual(rel(r, await discoverFiles(r)), ['a.js']);
    } finally { cleanup(r); }
  });

  it('applies the repository .gitignore when starting in a subfolder', async () => {
    const files = rel(repo, await discoverFiles(join(repo, 'src')));
    assert.ok(!files.includes('src/util.gen.ts'), 'root .gitignore *.gen.ts applies below');
    assert.ok(files.includes('src/nested/important.gen.ts'), 'nested negation re-includes');
    assert.ok(!files.includes('src/nested/secret-stuff.js'));
  });

  it('survives symlink loops, duplicate links and broken links, and never opens FIFOs', async () => {
    const r = tempDir();
    try {
      writeFiles(r, { 'src/a.ts': '1\n', 'lib/b.ts': '1\n' });
      symlinkSync(join(r, 'src'), join(r, 'src', 'loop'));
      symlinkSync(join(r, 'lib'), join(r, 'lib-link'));
      symlinkSync(join(r, 'missing.ts'), join(r, 'src', 'broken.ts'));
      execFileSync('mkfifo', [join(r, 'src', 'pipe.js')]);
      const res = await discover(r);
      const files = rel(r, res.files);
      assert.deepEqual(files.filter((f) => f.endsWith('a.ts')), ['src/a.ts']);
      assert.equal(files.filter((f) => f.endsWith('b.ts')).length, 1, files.join(', '));
      assert.ok(!files.includes('src/pipe.js'));
      const reasons = res.skipped.map((s) => `${relative(r, s.file)}:${s.reason}:${s.detail}`);
      assert.ok(reasons.some((s) => s.startsWith('src/loop:excluded:symbolic link loop')), reasons.join('\n'));
      assert.ok(reasons.some((s) => s.startsWith('src/broken.ts:unreadable:broken symbolic link')), reasons.join('\n'));
    } finally { cleanup(r); }
  });

  it('reads a folder once when a symbolic link to it comes first in the walk', async () => {
    const r = tempDir();
    try {
      // Debian's layout: usr/lib/python3/dist-packages/app -> ../../../share/app ("lib" is walked before "share")
      writeFiles(r, { 'usr/share/app/views.py': 'x = 1\n', 'usr/share/app/static/app.js': 'let a = 1;\n' });
      mkdirSync(join(r, 'usr/lib/python3/dist-packages'), { recursive: true });
      symlinkSync('../../../share/app', join(r, 'usr/lib/python3/dist-packages/app'));
      const res = await discover(r);
      const files = rel(r, res.files);
      assert.deepEqual(files.filter((f) => f.endsWith('views.py')), ['usr/lib/python3/dist-packages/app/views.py']);
      assert.equal(files.filter((f) => f.endsWith('app.js')).length, 1, files.join(', '));
      const reasons = res.skipped.map((s) => `${relative(r, s.file)}:${s.reason}:${s.detail}`);
      assert.ok(reasons.some((s) => s.startsWith('usr/share/app:excluded:already scanned through a symbolic link')), reasons.join('\n'));
    } finally { cleanup(r); }
  });

  it('reports a folder it cannot read instead of failing', async (t) => {
    if (process.getuid?.() === 0) {
      // root reads everything; simulate with a folder that disappears is not reliable either
      t.skip('running as root: permissions cannot make a folder unreadable');
      return;
    }
    const r = tempDir();
    try {
      writeFiles(r, { 'ok.ts': '1\n', 'locked/x.ts': '1\n' });
      execFileSync('chmod', ['000', join(r, 'locked')]);
      const res = await discover(r);
      assert.deepEqual(rel(r, res.files), ['ok.ts']);
      assert.equal(res.skipped[0].reason, 'unreadable');
      execFileSync('chmod', ['755', join(r, 'locked')]);
    } finally { cleanup(r); }
  });
});

describe('config loader', () => {
  it('finds the nearest .shipsafe.json upward, not above the stop folder', () => {
    const r = tempDir();
    try {
      writeFiles(r, { '.shipsafe.json': '{}', 'app/.shipsafe.json': '{ "minConfidence": "high" }', 'app/src/x.ts': '1' });
      mkdirSync(join(r, 'other'));
      assert.equal(findConfigFile(join(r, 'app/src/x.ts')), join(r, 'app/.shipsafe.json'));
      assert.equal(findConfigFile(join(r, 'other')), join(r, '.shipsafe.json'));
      assert.equal(findConfigFile(join(r, 'other'), join(r, 'other')), undefined);
      const loaded = resolveConfig(join(r, 'app/src'));
      assert.equal(loaded.config.minConfidence, 'high');
      assert.equal(loaded.configDir, join(r, 'app'));
    } finally { cleanup(r); }
  });

  it('explains what is wrong with a bad config', () => {
    const r = tempDir();
    try {
      writeFiles(r, {
        'bad.json': '{ "rules": { "sql-injektion": "error", "sql-injection": "loud" }, "minConfidance": "low" }',
        'broken.json': '{ "rules": ',
      });
      assert.throws(() => loadConfig(join(r, 'bad.json')), (e: unknown) => {
        assert.ok(e instanceof ConfigError);
        assert.match(e.message, /did you mean "sql-injection"/);
        assert.match(e.message, /rules\.sql-injection: expected one of/);
        assert.match(e.message, /did you mean "minConfidence"/);
        return true;
      });
      assert.throws(() => loadConfig(join(r, 'broken.json')), /not valid JSON/);
      assert.throws(() => loadConfig(join(r, 'missing.json')), /does not exist/);
    } finally { cleanup(r); }
  });

  it('a repository with a .shipsafe.json excluding a folder', async () => {
    const r = tempDir();
    try {
      gitInit(r);
      writeFiles(r, { '.shipsafe.json': '{ "exclude": ["legacy/**"] }', 'legacy/a.js': '1', 'src/b.js': '1' });
      git(r, 'add', '.');
      const { config, configDir } = resolveConfig(r);
      const files = rel(r, await discoverFiles(r, { exclude: config.exclude, excludeBase: configDir }));
      assert.deepEqual(files, ['src/b.js']);
    } finally { cleanup(r); }
  });
});

describe('built client output', () => {
  it('is listed for the secret checks when it exists, although git-ignored and skipped by default', async () => {
    const r = tempDir();
    try {
      gitInit(r);
      writeFiles(r, {
        '.gitignore': '.next/\ndist/\nnode_modules/\n',
        'app/page.tsx': 'export default function P() { return null; }\n',
        '.next/static/chunks/main-1a2b.js': '!function(){}();\n',
        '.next/server/app/page.js': 'module.exports = 1;\n',
        'dist/assets/index-9f8e.js': 'var a=1;\n',
        'node_modules/x/index.js': '1\n',
      });
      const withText = rel(r, await discoverFiles(r, { textFiles: true }));
      assert.ok(withText.includes('.next/static/chunks/main-1a2b.js'));
      assert.ok(withText.includes('dist/assets/index-9f8e.js'));
      assert.ok(!withText.some((f) => f.startsWith('.next/server/') || f.startsWith('node_modules/')), withText.join(', '));
      assert.ok(withText.includes('.gitignore'), 'text files are listed too');
      const codeOnly = rel(r, await discoverFiles(r));
      assert.deepEqual(codeOnly, ['app/page.tsx']);
    } finally {
      cleanup(r);
    }
  });
});
