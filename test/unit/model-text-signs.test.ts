/**
 * The module facts' two whole-text signs (project-model/text-signs.ts: serves pages, mentions sessions) read the text
 * once with an automaton of their words, and run their expression only when the words alone cannot answer. Each must
 * answer as its expression alone: on every file and line of the fixtures, test projects, examples and rules, asked in
 * turn (the words of the latest text are kept), and on texts holding each word in odd cases, inside other words,
 * next to characters outside ASCII, and with what the expression needs after the word or not.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SIGNS, textSign } from '../../src/engine/project-model/text-signs';
import { allFilesUnder } from '../helpers/fixtures';

const root = join(__dirname, '..', '..');
const names = Object.keys(SIGNS) as (keyof typeof SIGNS)[];

/** random case for each ASCII letter */
function scramble(s: string, seed: number): string {
  let x = seed;
  return s.replace(/[a-z]/gi, (c) => { x = (x * 1103515245 + 12345) & 0x7fffffff; return x & 1 ? c.toUpperCase() : c.toLowerCase(); });
}

/** The alternatives of an expression's source at its top level (none of these has a group or a class with `|`). */
function alternatives(re: RegExp): string[] {
  return re.source.split('|');
}

describe('module facts: whole-text signs', () => {
  it('name, for each alternative of the expression, a word that is all of it or that it starts with', () => {
    for (const name of names) {
      const sign = SIGNS[name];
      for (const alt of alternatives(sign.pattern)) {
        // the alternative as plain text, up to its first character that is not a literal one
        const plain = alt.replace(/\\(.)/g, '$1').toLowerCase();
        // literal characters only: an escaped punctuation mark or a character that is not special
        const literal = /^(?:\\[^A-Za-z0-9]|[^\\[\](){}*+?.^$|])*$/.test(alt);
        if (sign.whole.includes(plain)) { assert.ok(literal, `${name}: ${alt} is not a word as written`); continue; }
        assert.ok(sign.starts.some((w) => plain.startsWith(w)), `${name}: no word for the alternative ${alt}`);
      }
    }
  });

  it('answer as their expression on every file and line of the fixtures, test projects, examples and rules', () => {
    let texts = 0;
    const matched: Record<string, number> = {};
    for (const dir of ['test/fixtures', 'test/projects', 'examples', 'src/engine/rules']) {
      if (!existsSync(join(root, dir))) continue;
      for (const file of allFilesUnder(join(root, dir))) {
        const text = readFileSync(file, 'utf8');
        if (text.includes('\u0000')) continue;
        for (const t of [text, ...text.split('\n')]) {
          texts++;
          for (const name of names) {
            const want = SIGNS[name].pattern.test(t);
            if (want) matched[name] = (matched[name] ?? 0) + 1;
            assert.equal(textSign(t, name), want, `${name} on ${JSON.stringify(t.slice(0, 100))}`);
          }
        }
      }
    }
    assert.ok(texts > 10_000, `${texts} texts`);
    for (const name of names) assert.ok((matched[name] ?? 0) > 100, `${name}: ${matched[name]} matching texts`);
  });

  it('answer as their expression on texts holding each word in any case, inside words, next to other characters', () => {
    const words = names.flatMap((n) => [...SIGNS[n].whole, ...SIGNS[n].starts]);
    const after = ['', ' ', 'x', '(', '("<p>")', '( \'html\')', "(`<div>`)", '\u00e9', '.'];
    let n = 0;
    for (const [i, w] of words.entries()) {
      for (const a of after) {
        for (const t of [w + a, scramble(w, i) + a, w.toUpperCase() + a, `x${w}${a}y`, `\u212a${w}${a}`, `${w.slice(0, -1)}\u017f${a}`,
          `${w.slice(0, 1)}\u0130${w.slice(1)}${a}`, `res.${scramble(w, i + 3)}${a}`, `${'a'.repeat(i)} ${w}${a}`]) {
          for (const name of names) {
            n++;
            assert.equal(textSign(t, name), SIGNS[name].pattern.test(t), `${name} on ${JSON.stringify(t)}`);
          }
        }
      }
    }
    assert.ok(n > 1000);
  });
});
