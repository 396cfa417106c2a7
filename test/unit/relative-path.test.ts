import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isAbsolute, relative, sep } from 'node:path';
import { relativePath } from '../../src/engine/project/scan';
import { leavesBase } from '../../src/engine/util/paths';

/** relativePath as `relative` alone answers it (the shortcut for resolved POSIX paths must give the same) */
function byRelative(root: string, file: string): string {
  const rel = relative(root, file);
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return file.split(sep).join('/');
  return rel.split(sep).join('/');
}

describe('relativePath', () => {
  it('answers as `relative` does, for paths in every form (resolved or not, inside or outside the root)', () => {
    const parts = ['a', 'b', '.', '..', '', '.git', '..x', 'x..', 'a.js'];
    const paths = new Set<string>(['/', '', '.', '..', 'a', 'a/b', '/a', '/a/', '/a//b', '/a/./b', '/a/../b', '/a/b/', '/a/b/.', '/a/b/..']);
    // every path of up to three parts, absolute and relative, with and without a trailing slash
    const grow = (prefix: string[], depth: number) => {
      for (const p of parts) {
        const segs = [...prefix, p];
        paths.add(`/${segs.join('/')}`);
        paths.add(`/${segs.join('/')}/`);
        paths.add(segs.join('/'));
        if (depth < 3) grow(segs, depth + 1);
      }
    };
    grow([], 1);
    const list = [...paths];
    // roots of up to two parts (and every form of path as a file)
    const roots = list.filter((p) => p.split('/').filter(Boolean).length <= 2);
    let compared = 0;
    for (const root of roots) {
      for (const file of list) {
        // (only pairs that share a start: the others never reach the shortcut, and there are too many)
        if (!file.startsWith(root.slice(0, 2))) continue;
        const got = relativePath(root, file), want = byRelative(root, file);
        if (got !== want) assert.fail(`relativePath(${JSON.stringify(root)}, ${JSON.stringify(file)}) gave ${JSON.stringify(got)}, relative ${JSON.stringify(want)}`);
        compared++;
      }
    }
    assert.ok(compared > 50_000, `${compared} pairs compared`);
  });

  it('gives the rest of the path for a file under a resolved root', () => {
    assert.equal(relativePath('/work/app', '/work/app/src/routes/users.js'), 'src/routes/users.js');
    assert.equal(relativePath('/work/app', '/work/app.js'), '/work/app.js');
    assert.equal(relativePath('/work/app', '/work/app'), '/work/app');
  });
});

describe('leavesBase', () => {
  it('only `..`, `../…` and another root lead out; a name that starts with two dots is inside', () => {
    for (const [base, p, out] of [
      ['/a', '/a/..lib/server.js', false], ['/a', '/a/..', true], ['/a', '/a/b', false], ['/a/b', '/a', true],
      ['/a/b', '/a/c', true], ['/a/b', '/a/b/../..x', true], ['/a', '/a/x..', false], ['/a', '/a/...', false],
    ] as const) {
      const rel = relative(base, p);
      assert.equal(leavesBase(rel), out, `${base} → ${p} (${JSON.stringify(rel)})`);
    }
  });
});
