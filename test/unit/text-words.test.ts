/**
 * The rules' whole-text pre-filters run their expression only on a text that holds one of their words, found for all
 * of them in one pass (src/engine/util/text-words.ts). Each must answer as its expression alone, on every file of the
 * fixtures, test projects and examples, on every line of them, and on texts made to hold each word in odd cases and
 * inside other words; and the case-folding keyword search must find what lowercasing and `includes` find.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { allRules } from '../../src/engine/rules';
// (the analysis's own pre-filter, for the views rendered in a file, registers when its module loads)
import '../../src/engine/analyze';
import { includesAny } from '../../src/engine/util/text';
import { exactWords, keptWords, primeWords, textPrefilter, textPrefilters } from '../../src/engine/util/text-words';
import { KeywordSet } from '../../src/engine/secrets/keyword-scan';
import { corpusTexts } from '../helpers/fixtures';


const corpus = (): string[] => corpusTexts(['test/fixtures', 'test/projects', 'examples', 'src/engine/rules'], { lines: true });

const full = (pattern: RegExp | readonly string[], text: string) => pattern instanceof RegExp ? pattern.test(text) : includesAny(text, pattern);

/** random case for each ASCII letter */
function scramble(s: string, seed: number): string {
  let x = seed;
  return s.replace(/[a-z]/gi, (c) => { x = (x * 1103515245 + 12345) & 0x7fffffff; return x & 1 ? c.toUpperCase() : c.toLowerCase(); });
}

describe('rules\' whole-text pre-filters', () => {
  it('every rule module made its pre-filters (the list below is not empty)', () => {
    assert.ok(allRules.length > 0);
    assert.ok(textPrefilters.length >= 20, `${textPrefilters.length} pre-filters`);
  });

  it('answer as their expression alone on every file and line of the fixtures, projects and examples', () => {
    const texts = corpus();
    let matched = 0;
    for (const p of textPrefilters) {
      for (const text of texts) {
        const want = full(p.pattern, text);
        if (want) matched++;
        assert.equal(p.test(text), want, `${String(p.pattern)} on ${JSON.stringify(text.slice(0, 100))}`);
        assert.equal(p.other(text), want, `other: ${String(p.pattern)} on ${JSON.stringify(text.slice(0, 100))}`);
      }
    }
    assert.ok(matched > 1000, `${matched} matching texts`);
  });

  it('answer as their expression alone on texts holding the words in any case, alone, inside words, at the edges', () => {
    const words = [...new Set(textPrefilters.flatMap((p) => p.words))];
    let n = 0;
    for (const p of textPrefilters) {
      for (const [i, w] of words.entries()) {
        for (const t of [w, scramble(w, i), w.toUpperCase(), `x${w}y`, `.${w}(`, ` ${w} (`, `"${w}"`, `'${scramble(w, i + 7)}'`, `${w}\u00e9${w}`, `\u212a${w}`, `a.${w} (x)`]) {
          n++;
          assert.equal(p.test(t), full(p.pattern, t), `${String(p.pattern)} on ${JSON.stringify(t)}`);
        }
      }
    }
    assert.ok(n > 1000);
  });
});

describe('pre-filters with a test of their own in place of the expression', () => {
  it('answer as their expression on random texts of their words, word characters, white space of every kind and parentheses', () => {
    const words = [...new Set(textPrefilters.flatMap((p) => p.words))];
    const pieces = [...words, ...words.map((w) => w.replace(/(^|[^a-z])([a-z])/g, (_m, a: string, b: string) => a + b.toUpperCase())),
      'request', 'addEventListener', 'useSearchParams', 'useRouter', 'use server', '.', '(', ')', ' ', '\t', '\n', '\v', '\f', '\r',
      '\u00a0', '\u1680', '\u2000', '\u200a', '\u200b', '\u2028', '\u2029', '\u202f', '\u205f', '\u3000', '\ufeff', '\u180e',
      'x', 'Z', '_', '1', '$', '-', 'é', '\u212a'];
    let seed = 12345;
    const next = (n: number) => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % n; };
    let n = 0;
    for (let k = 0; k < 6000; k++) {
      let t = '';
      for (let j = 1 + next(6); j > 0; j--) t += pieces[next(pieces.length)];
      for (const p of textPrefilters) {
        n++;
        assert.equal(p.test(t), full(p.pattern, t), `${String(p.pattern)} on ${JSON.stringify(t)}`);
        assert.equal(p.other(t), full(p.pattern, t), `other: ${String(p.pattern)} on ${JSON.stringify(t)}`);
      }
    }
    assert.ok(n > 100_000);
  });

  it('answer as their expression on member calls with every character between the name and the parenthesis', () => {
    const between = ['', ' ', '\t', '\n', '\v', '\f', '\r', '\u00a0', '\u1680', '\u2000', '\u2005', '\u200a', '\u2028', '\u2029', '\u202f',
      '\u205f', '\u3000', '\ufeff', '\u200b', '\u180e', '\u0085', 'x', '_', '.', ')', '  \n\t'];
    const callees = ['post', 'get', 'put', 'patch', 'delete', 'all', 'route', 'register', 'use', 'posts', 'Post'];
    let n = 0;
    for (const p of textPrefilters) {
      for (const c of callees) for (const b of between) for (const t of [`app.${c}${b}(x)`, `app.${c}${b}${b}(`, `.${c}${b}`, `${c}${b}(`]) {
        n++;
        assert.equal(p.test(t), full(p.pattern, t), `${String(p.pattern)} on ${JSON.stringify(t)}`);
      }
    }
    assert.ok(n > 10_000);
  });

  it('answer as their expression on source names with every neighbour', () => {
    const around = ['', ' ', '.', '(', 'x', 'X', '_', '1', '$', '-', 'é', '\u212a', '\n'];
    let n = 0;
    for (const p of textPrefilters) {
      for (const w of ['req', 'request', 'ctx', 'context', 'location', 'addEventListener', 'useSearchParams', 'useParams', 'useRouter', 'use server', 'Req', 'require']) {
        for (const a of around) for (const b of around) {
          n++;
          assert.equal(p.test(`${a}${w}${b}`), full(p.pattern, `${a}${w}${b}`), `${String(p.pattern)} on ${JSON.stringify(a + w + b)}`);
        }
      }
    }
    assert.ok(n > 10_000);
  });
});

describe('the shared pass handed from a file\'s pre-pass to its analysis (keptWords, primeWords)', () => {
  it('gives the same answers for the text it was kept for, and is not taken after new words were declared', () => {
    const a = 'const token = req.session.cookie; app.post("/x", h);', b = 'nothing to see here';
    const p = textPrefilters[0];
    p.test(a);
    const kept = keptWords(a)!;
    assert.ok(kept, 'kept for the latest text');
    assert.equal(keptWords(b), undefined, 'nothing kept for another text');
    p.test(b);
    primeWords(a, kept);
    for (const q of textPrefilters) assert.equal(q.test(a), full(q.pattern, a), String(q.pattern));
    // a kept answer from before a word was declared is not taken: the text is read again
    p.test(a);
    const old = keptWords(a)!;
    p.test(b);
    const late = textPrefilter(/zqxjv-test-word/, ['zqxjv-test-word']);
    primeWords(a + ' zqxjv-test-word', old);
    assert.equal(late.test(a + ' zqxjv-test-word'), true);
    textPrefilters.splice(textPrefilters.indexOf(late), 1);
  });
});

describe('pre-filters whose words are the whole test (exactWords)', () => {
  it('are the alternations of plain words with the i flag alone, each word holding an alternative', () => {
    assert.equal(exactWords(/cookie|session/i, ['cookie', 'session']), true);
    assert.equal(exactWords(/token|code|passcode/i, ['token', 'code']), true, 'passcode holds code');
    assert.equal(exactWords(/trust proxy|real-ip/i, ['trust proxy', 'real-ip']), true);
    assert.equal(exactWords(/cookie|session/, ['cookie', 'session']), false, 'case-sensitive: the automaton folds case');
    assert.equal(exactWords(/cookie|session/iu, ['cookie', 'session']), false, 'u folds characters outside ASCII');
    assert.equal(exactWords(/\bpan\b/i, ['pan']), false, 'word boundaries');
    assert.equal(exactWords(/\.session\b/i, ['.session']), false);
    assert.equal(exactWords(/cookies|session/i, ['cookie', 'session']), false, '"cookie" does not hold "cookies"');
    assert.equal(exactWords(['cookie'], ['cookie']), false, 'words given with includes are case-sensitive');
    assert.equal(exactWords(/a|b/i, []), false);
  });

  it('some rules\' pre-filters are exact, and they answer as their expression on texts with characters that fold only under u', () => {
    const exact = textPrefilters.filter((p) => p.exact);
    assert.ok(exact.length >= 5, `${exact.length} exact pre-filters`);
    const pieces = ['\u212a', '\u017f', '\u0130', '\u0131', 'K', 'k', 'S', 's', 'ı', 'é', ' ', '-', '_'];
    for (const p of exact) {
      for (const [i, w] of p.words.entries()) {
        for (let j = 0; j < 40; j++) {
          let t = scramble(w, i * 97 + j);
          // put a look-alike of a letter in place of one of the word's letters, or around it
          const at = j % (t.length + 1);
          t = j % 2 ? t.slice(0, at) + pieces[j % pieces.length] + t.slice(at + 1) : t.slice(0, at) + pieces[j % pieces.length] + t.slice(at);
          assert.equal(p.test(t), full(p.pattern, t), `${String(p.pattern)} on ${JSON.stringify(t)}`);
        }
      }
    }
  });
});

describe('KeywordSet with foldCase', () => {
  it('finds the keywords lowercasing the text and `includes` find, in texts of mixed case and characters outside ASCII', () => {
    const keywords = ['cookie', 'Session', 'child_process', '.post', 'a', 'ab', 'bab', 'trust proxy', 'DEFAULT_MIN_VERSION'];
    const set = new KeywordSet(keywords, { foldCase: true });
    const alphabet = ['a', 'B', 'b', 'A', 'cookie', 'COOKIE', 'SeSsIoN', '.', 'Post', ' ', 'trust ', 'PROXY', '\u212a', '\u0130', 'é', '_', 'CHILD_process', 'default_Min_version'];
    let x = 7;
    for (let t = 0; t < 3000; t++) {
      let text = '';
      const len = t % 40;
      for (let i = 0; i < len; i++) { x = (x * 1103515245 + 12345) & 0x7fffffff; text += alphabet[x % alphabet.length]; }
      // lowercasing only ASCII letters: what an `i` regular expression without `u` compares
      const lower = text.replace(/[A-Z]/g, (c) => c.toLowerCase());
      const want = new Set(keywords.map((k) => k.toLowerCase()).filter((k) => lower.includes(k)));
      assert.deepEqual([...set.in(text)].sort(), [...want].sort(), JSON.stringify(text));
    }
  });
});
