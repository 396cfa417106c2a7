/**
 * The CLI discovers files with synchronous calls (SYNC_FS: no round trip through the thread pool), the editor's worker
 * with promises (PROMISE_FS): both must list the same files and say the same about what they skipped, on real folders
 * and real git repositories — .gitignore at several levels, git's info/exclude, symbolic links inside, outside, in a
 * loop and broken, built output, excludes, a file named explicitly, a missing path, the file limit.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { discover, findGitRoot, PathNotFoundError, PROMISE_FS, SYNC_FS, type DiscoverOptions } from '../../src/engine/project/discover';
import { cleanup, git, gitInit, tempDir, writeFiles } from './_util';

const repoRoot = join(__dirname, '..', '..');

async function both(root: string, options: DiscoverOptions = {}) {
  const run = async (fs: typeof SYNC_FS) => {
    try { return await discover(root, { ...options, fs }); } catch (e) { return { threw: e instanceof PathNotFoundError ? `PathNotFoundError ${(e as Error).message}` : String(e) }; }
  };
  const [a, b] = [await run(PROMISE_FS), await run(SYNC_FS)];
  assert.deepEqual(b, a, `${root} ${JSON.stringify(options)}`);
  return a;
}

describe('discover: synchronous and promise file systems agree', () => {
  let repo: string;
  let outside: string;
  before(() => {
    repo = tempDir();
    outside = tempDir();
    gitInit(repo);
    writeFiles(outside, { 'secret.js': 'module.exports = 1;\n' });
    writeFiles(repo, {
      '.gitignore': 'generated/\n*.gen.ts\nlogs/*.js\n!logs/keep.js\n.env\n',
      'src/app.ts': 'export const a = 1;\n',
      'src/types.d.ts': 'export type T = string;\n',
      'src/util.gen.ts': 'export const g = 1;\n',
      'src/nested/.gitignore': 'secret-stuff.js\n!important.gen.ts\n',
      'src/nested/secret-stuff.js': 'x\n',
      'src/nested/important.gen.ts': 'export const i = 1;\n',
      'generated/client.ts': 'export const c = 1;\n',
      'logs/drop.js': '1\n',
      'logs/keep.js': '1\n',
      'node_modules/express/index.js': 'module.exports = 1;\n',
      'dist/assets/index-1a2b.js': 'var a=1;\n',
      '.next/static/chunks/main.js': '1\n',
      'config/app.yml': 'port: 3000\n',
      '.env': 'API_KEY=x\n',
      'lib/helpers.js': 'module.exports = {};\n',
    });
    writeFileSync(join(repo, '.git', 'info', 'exclude'), 'lib/private.js\n');
    writeFiles(repo, { 'lib/private.js': '1\n' });
    git(repo, 'add', '-A');
    git(repo, 'add', '-f', '.env');
    git(repo, 'commit', '-qm', 'init');
    symlinkSync(join(repo, 'src'), join(repo, 'src', 'loop'));
    symlinkSync(join(repo, 'lib'), join(repo, 'lib-link'));
    symlinkSync(join(repo, 'missing.ts'), join(repo, 'src', 'broken.ts'));
    symlinkSync(outside, join(repo, 'elsewhere'));
    mkdirSync(join(repo, 'empty'));
  });
  after(() => { cleanup(repo); cleanup(outside); });

  it('on a git repository, with every option the CLI and the editor use', async () => {
    const a = await both(repo, { textFiles: true, git: true, listDeclarationFiles: true });
    assert.ok(a && 'files' in a && a.files.length >= 8 && a.skipped.length >= 3, JSON.stringify(a));
    await both(repo);
    await both(repo, { respectGitignore: false, textFiles: true });
    await both(repo, { exclude: ['src/**', 'lib/*.js'], textFiles: true });
    await both(repo, { maxFiles: 3, textFiles: true });
    await both(join(repo, 'src'), { projectRoot: repo, textFiles: true, git: true });
    await both(join(repo, 'dist', 'assets'), { projectRoot: repo, textFiles: true });
    await both(join(repo, 'src', 'app.ts'), { textFiles: true });
    await both(join(repo, 'src', 'app.ts'), { exclude: ['**/app.ts'] });
    await both(join(repo, 'no-such-folder'));
    await both(join(repo, 'empty'));
    assert.equal(await findGitRoot(join(repo, 'src', 'nested'), SYNC_FS), await findGitRoot(join(repo, 'src', 'nested')));
    assert.equal(await findGitRoot(outside, SYNC_FS), await findGitRoot(outside));
  });

  it('on the repository\'s own test projects and examples', async () => {
    await both(join(repoRoot, 'test', 'projects'), { textFiles: true, listDeclarationFiles: true });
    await both(join(repoRoot, 'examples'), { textFiles: true });
  });
});
