/**
 * KeywordSet makes its transition table row by row (a state's row is its failure state's, copied, with its own
 * transitions over it) where it went through the 128 characters of every state: the table, the keywords ending at
 * each state and the answers must be those of the character-by-character construction (written out below), for the
 * secret catalog, the rules' pre-filter words, the module facts' signs, and generated sets of overlapping keywords,
 * with and without case folding.
 */
import { describe, it } from 'node:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { allFilesUnder } from '../helpers/fixtures';
import assert from 'node:assert/strict';
import { KeywordSet, keywordTrie } from '../../src/engine/secrets/keyword-scan';
import { PROVIDERS } from '../../src/engine/secrets/providers';
import { allRules } from '../../src/engine/rules';
import { textPrefilters } from '../../src/engine/util/text-words';
import { SIGNS } from '../../src/engine/project-model/text-signs';

/** The construction KeywordSet used before: every state, every character, then the marks. */
function reference(keywords: Iterable<string>, foldCase: boolean): { delta: Int32Array; outputs: (readonly number[] | undefined)[] } {
  const given = [...keywords].filter((k) => k.length > 0);
  const kws = [...new Set(foldCase ? given.map((k) => k.toLowerCase()) : given)];
  // the trie is shared with KeywordSet: what changed is how the table is made from it
  const { goto, own } = keywordTrie(kws);
  const n = goto.length;
  const delta = new Int32Array(n * 128);
  const fail = new Int32Array(n);
  const outputs: (number[] | undefined)[] = new Array(n);
  outputs[0] = own[0].length ? own[0] : undefined;
  const queue: number[] = [];
  for (let c = 0; c < 128; c++) {
    const t = goto[0].get(c);
    if (t !== undefined) { delta[c] = t; fail[t] = 0; queue.push(t); }
  }
  for (let q = 0; q < queue.length; q++) {
    const s = queue[q];
    const inherited = outputs[fail[s]];
    outputs[s] = own[s].length || inherited ? [...own[s], ...(inherited ?? [])] : undefined;
    for (let c = 0; c < 128; c++) {
      const t = goto[s].get(c);
      if (t !== undefined) { fail[t] = delta[fail[s] * 128 + c]; delta[s * 128 + c] = t; queue.push(t); }
      else delta[s * 128 + c] = delta[fail[s] * 128 + c];
    }
  }
  if (foldCase) for (let s = 0; s < n; s++) for (let c = 65; c <= 90; c++) delta[s * 128 + c] = delta[s * 128 + c + 32];
  for (let k = 0; k < delta.length; k++) if (outputs[delta[k]] !== undefined) delta[k] = ~delta[k];
  return { delta, outputs };
}

function same(keywords: readonly string[], foldCase: boolean, what: string): void {
  const made = new KeywordSet(keywords, { foldCase }) as unknown as { delta: Int32Array; outputs: (readonly number[] | undefined)[] };
  const ref = reference(keywords, foldCase);
  assert.equal(made.delta.length, ref.delta.length, `${what}: states`);
  for (let k = 0; k < ref.delta.length; k++) if (made.delta[k] !== ref.delta[k]) assert.fail(`${what}: state ${k >> 7}, character ${k & 127}: ${made.delta[k]}, not ${ref.delta[k]}`);
  assert.deepEqual(made.outputs, ref.outputs, `${what}: keywords by state`);
}

describe('KeywordSet: the transition table', () => {
  it('is the one made character by character, for the catalog, the pre-filter words and the facts\' signs', () => {
    assert.ok(allRules.length > 0 && textPrefilters.length > 0);
    const catalog = PROVIDERS.flatMap((p) => p.keywords);
    const words = textPrefilters.flatMap((p) => p.words);
    const signs = Object.values(SIGNS).flatMap((s) => [...s.whole, ...s.starts]);
    for (const foldCase of [false, true]) {
      same(catalog, foldCase, `catalog (foldCase ${foldCase})`);
      same(words, foldCase, `pre-filter words (foldCase ${foldCase})`);
      same(signs, foldCase, `signs (foldCase ${foldCase})`);
    }
  });

  it('is the one made character by character, for generated sets of overlapping keywords', () => {
    const alphabet = ['a', 'b', 'ab', 'ba', 'A', 'B', '.', '(', 'aa', 'Ab', '_', '~', '\u007f', ' '];
    let x = 11;
    const rnd = (m: number) => { x = (x * 1103515245 + 12345) & 0x7fffffff; return x % m; };
    for (let t = 0; t < 300; t++) {
      const set: string[] = [];
      for (let i = 0, n = 1 + rnd(20); i < n; i++) {
        let k = '';
        for (let j = 0, len = rnd(6); j < len; j++) k += alphabet[rnd(alphabet.length)];
        set.push(k);
      }
      same(set, t % 2 === 1, JSON.stringify(set));
    }
  });

  it('gives by index (indicesIn) the keywords it gives by name (in), on every line of the fixtures and test projects', () => {
    const root = join(__dirname, '..', '..');
    const set = new KeywordSet(PROVIDERS.flatMap((p) => p.keywords));
    const out: number[] = [];
    let found = 0;
    for (const file of [...allFilesUnder(join(root, 'test', 'fixtures')), ...allFilesUnder(join(root, 'test', 'projects'))]) {
      const text = readFileSync(file, 'utf8');
      if (text.includes('\u0000')) continue;
      for (const t of [text.toLowerCase(), ...text.toLowerCase().split('\n')]) {
        set.indicesIn(t, out);
        const byIndex = [...new Set(out.map((i) => set.list()[i]))].sort();
        assert.deepEqual(byIndex, [...set.in(t)].sort(), `${file}: ${t.slice(0, 80)}`);
        found += byIndex.length;
      }
    }
    assert.ok(found > 1000, `${found} keywords found`);
  });
});
