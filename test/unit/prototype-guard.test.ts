/**
 * prototype-pollution asks its guard expression (GUARD) only of a function's text that holds one of the words every
 * match holds (guarded): the answer must be the expression's, on every file and line of the fixtures, projects and
 * examples, and on crafted guards.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { GUARD, guarded } from '../../src/engine/rules/injection/prototype-pollution';
import { corpusTexts } from '../helpers/fixtures';

describe('prototype-pollution guard words', () => {
  it('answer as GUARD on the corpus and on crafted guards', () => {
    const texts: string[] = [
      "if (key === '__proto__') return;", 'if (k === "constructor" || k === `prototype`) continue;', 'const o = Object.create( null );',
      'Object.create(\nnull\n)', 'if (!isSafeKey(k)) return;', 'if (UNSAFE_KEYS.has(k))', 'FORBIDDENKEYS', 'RESERVED_KEYS', 'MY_KEYS', 'KEYS',
      'Object.freeze(Object.prototype)', 'Object.freeze( Object.prototype )', 'constructor', 'prototype', 'obj[key] = value', 'isSafeKeys',
      "'constructor'", '"prototype"', 'Object.create(proto)', 'object.create(null)',
    ];
    texts.push(...corpusTexts(['test/fixtures', 'test/projects', 'examples', 'src/engine'], { lines: true }));
    let matched = 0;
    for (const t of texts) {
      const want = GUARD.test(t);
      if (want) matched++;
      assert.equal(guarded(t), want, JSON.stringify(t.slice(0, 200)));
    }
    assert.ok(matched > 20, `${matched} guarded texts`);
  });
});
