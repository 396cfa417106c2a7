/**
 * findSecrets keeps the latest text scanned with `{ textScan: true }` alone and its matches (two rules scan each
 * built bundle): asked again, in any order of texts, it must give what a fresh scan gives (`unindexed` skips the kept
 * scan), as copies that a caller may change without changing the next answer.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findSecrets, type SecretMatch } from '../../src/engine/secrets/providers';
import { allFilesUnder } from '../helpers/fixtures';

const root = join(__dirname, '..', '..');

const shape = (ms: SecretMatch[]) => ms.map((m) => `${m.provider.id} ${m.start}-${m.end} ${m.level} ${m.masked} ${m.value}`).join('\n');

describe('secrets: the latest text scan kept', () => {
  it('answers as a fresh scan on every fixture and project file, asked twice and after other texts', () => {
    const texts = [...allFilesUnder(join(root, 'test', 'fixtures')), ...allFilesUnder(join(root, 'test', 'projects'))]
      .map((f) => readFileSync(f, 'utf8')).filter((t) => !t.includes('\u0000'));
    // big texts too (over 4096 characters: the keyword automaton's path), made of the files with secrets in them
    const withSecrets = texts.filter((t) => findSecrets(t, { textScan: true, unindexed: true }).length);
    assert.ok(withSecrets.length > 20, `${withSecrets.length} files with secrets`);
    const big = [withSecrets.join('\n'), withSecrets.slice().reverse().join('\n;\n'), withSecrets.slice(0, 10).join('\n').repeat(3)];
    let found = 0;
    const all = [...texts, ...big];
    for (let i = 0; i < all.length; i++) {
      const t = all[i];
      const fresh = shape(findSecrets(t, { textScan: true, unindexed: true }));
      const first = findSecrets(t, { textScan: true });
      assert.equal(shape(first), fresh, `text ${i}`);
      found += first.length;
      // a caller changing its copy changes nothing for the next one
      for (const m of first) { m.start = -1; m.masked = 'x'; m.level = 'low'; }
      first.length = 0;
      assert.equal(shape(findSecrets(t, { textScan: true })), fresh, `text ${i}, again`);
      // and a text asked again after another one
      if (i > 0) assert.equal(shape(findSecrets(all[i - 1], { textScan: true })), shape(findSecrets(all[i - 1], { textScan: true, unindexed: true })), `text ${i - 1} after ${i}`);
      // other options are not answered from the kept scan
      assert.equal(shape(findSecrets(t, { textScan: true, first: true })), shape(findSecrets(t, { textScan: true, first: true, unindexed: true })), `text ${i}, first`);
    }
    assert.ok(found > 50, `${found} matches`);
  });
});
