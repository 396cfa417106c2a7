/**
 * KeywordSet (src/engine/secrets/keyword-scan.ts), the one-pass keyword search of the secret scan on big texts, must
 * find exactly the keywords a text includes: compared with `text.includes(k)` for each keyword, on every fixture,
 * test project and example file and on generated texts dense with overlapping keywords.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KeywordSet } from '../../src/engine/secrets/keyword-scan';
import { PROVIDERS } from '../../src/engine/secrets/providers';
import { sourceFilesUnder, listFixtureFiles } from '../helpers/fixtures';

const repo = join(__dirname, '..', '..');
const naive = (keywords: readonly string[], text: string) => new Set(keywords.filter((k) => text.includes(k)));
const sorted = (s: Set<string>) => [...s].sort();

describe('KeywordSet', () => {
  const catalog = [...new Set(PROVIDERS.flatMap((p) => p.keywords))];
  const set = new KeywordSet(catalog);

  it('finds what includes() finds, for the secret catalog, on every fixture, test project and example file', () => {
    const files = [...listFixtureFiles(join(repo, 'test', 'fixtures')), ...sourceFilesUnder(join(repo, 'test', 'projects')), ...sourceFilesUnder(join(repo, 'examples'))];
    assert.ok(files.length > 300);
    let withSome = 0;
    for (const f of files) {
      const text = readFileSync(f, 'utf8').toLowerCase();
      const want = naive(catalog, text);
      if (want.size) withSome++;
      assert.deepEqual(sorted(set.in(text)), sorted(want), f);
    }
    assert.ok(withSome > 100, `${withSome} files hold a keyword`);
  });

  it('finds keywords inside, overlapping and at the ends of others, across non-ASCII characters, text after text', () => {
    const words = ['pat', 'github_pat_', 'at_', 'sk-', 'sk-ant-', 'ant', 'a', 'aa', 'aaa', 'xoxb-', 'b-x', 'ghp_', 'hp_'];
    const small = new KeywordSet(words);
    let seed = 7;
    const rnd = (n: number) => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % n; };
    const alphabet = ['a', 'p', 't', '_', 's', 'k', '-', 'n', 'x', 'o', 'b', 'g', 'h', 'é', '\u2028', 'github_pat_', 'sk-ant-'];
    for (let i = 0; i < 3000; i++) {
      let text = '';
      const len = rnd(40);
      for (let j = 0; j < len; j++) text += alphabet[rnd(alphabet.length)];
      assert.deepEqual(sorted(small.in(text)), sorted(naive(words, text)), JSON.stringify(text));
    }
    assert.deepEqual(sorted(small.in('github_pat_x')), ['a', 'at_', 'github_pat_', 'pat']);
    assert.deepEqual(sorted(small.in('')), []);
  });

  it('with foldCase, finds what includes() finds in the lowercased text, for random keyword sets (deep failure links)', () => {
    let seed = 11;
    const rnd = (n: number) => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % n; };
    const letters = ['a', 'b', 'A', 'B', 'é', '_'];
    const word = (max: number, from: readonly string[]) => { let w = ''; for (let j = 1 + rnd(max); j > 0; j--) w += from[rnd(from.length)]; return w; };
    let hits = 0;
    for (let round = 0; round < 200; round++) {
      const words = [...new Set(Array.from({ length: 1 + rnd(12) }, () => word(6, ['a', 'b', '_']).toLowerCase()))];
      const folded = new KeywordSet(words.map((w) => (rnd(2) ? w.toUpperCase() : w)), { foldCase: true });
      for (let i = 0; i < 20; i++) {
        const text = word(60, letters);
        const want = naive(words, text.toLowerCase());
        hits += want.size;
        assert.deepEqual(sorted(folded.in(text)), sorted(want), `${JSON.stringify(words)} in ${JSON.stringify(text)}`);
      }
    }
    assert.ok(hits > 1000, `${hits} keywords found`);
  });

  it('refuses a keyword outside ASCII (it could never be found)', () => {
    assert.throws(() => new KeywordSet(['clé']), /outside ASCII/);
  });
});
