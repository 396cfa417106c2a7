/**
 * A rule's visitor that throws: the error is reported once for that visitor, the visitor is not called again in
 * the file, and the rule's other visitors (other kinds, other names of its tables) and the other rules still run.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ts } from 'ts-morph';
import { analyzeText } from '../../src/engine/analyze';
import { ALL_LANGUAGES, sameVisitor, type Rule } from '../../src/engine/model/rule';

type RuleMeta = Rule['meta'];

function meta(id: string): RuleMeta {
  return {
    id, title: id, description: id, category: 'web', severity: 'warning', confidence: 'medium', cwe: [20],
    owasp: 'A01:2021 Broken Access Control', languages: ALL_LANGUAGES, defaultEnabled: true, tags: [],
  } as unknown as RuleMeta;
}

const TEXT = 'first(1);\nsecond(2);\nfirst(3);\nsecond(4);\nconst o = { a: 1, b: 2 };\no.a; o.b;\n';

describe('visitors that throw', () => {
  it('are reported once each, skipped afterwards, and leave the other visitors running', () => {
    const calls: string[] = [];
    const text = (n: ts.Node) => n.getText();
    const faulty: Rule = {
      meta: meta('faulty-rule'),
      create(ctx) {
        return {
          // every call of `first` throws: one error, then `first` is no longer visited; `second` still is
          calls: {
            first: (n) => { calls.push(`first ${text(n)}`); throw new Error('boom first'); },
            second: (n) => { calls.push(`second ${text(n)}`); ctx.report({ node: n, message: 'second' }); },
          },
          properties: { a: (n) => { calls.push(`prop ${text(n)}`); throw new Error('boom prop'); }, b: (n) => calls.push(`prop ${text(n)}`) },
          members: { b: (n) => calls.push(`member ${text(n)}`) },
          // the kind visitor throws on its first node only, and is not called again
          CallExpression: (n) => { calls.push(`kind ${text(n)}`); throw new Error('boom kind'); },
        };
      },
    };
    const other: Rule = {
      meta: meta('other-rule'),
      create() { return { calls: { first: (n) => calls.push(`other ${n.getText()}`) } }; },
    };
    const r = analyzeText({ path: 'app.js', text: TEXT }, { rules: [faulty, other] });
    assert.deepEqual(calls, [
      'kind first(1)', 'first first(1)', 'other first(1)',
      'second second(2)',
      'other first(3)',
      'second second(4)',
      'prop a: 1', 'prop b: 2',
      'member o.b',
    ]);
    assert.deepEqual(r.ruleErrors.map((e) => [e.ruleId, /boom \w+/.exec(e.error)?.[0]]), [
      ['faulty-rule', 'boom kind'], ['faulty-rule', 'boom first'], ['faulty-rule', 'boom prop'],
    ]);
    assert.deepEqual(r.findings.map((f) => [f.ruleId, f.range.startPos.line]), [['faulty-rule', 2], ['faulty-rule', 4]]);
  });

  it('with timings, are reported and skipped the same way', () => {
    let n = 0;
    const rule: Rule = {
      meta: meta('faulty-rule'),
      create() { return { calls: { first: () => { n++; throw new Error('boom'); } } }; },
    };
    const r = analyzeText({ path: 'app.js', text: TEXT }, { rules: [rule], timings: true });
    assert.equal(n, 1);
    assert.equal(r.ruleErrors.length, 1);
    assert.ok(r.timings && 'faulty-rule' in r.timings.rulesMs);
  });

  it('given for some names of a kind, run in their rule\'s place on those names only, and when they throw, are skipped for every name', () => {
    const calls: string[] = [];
    const text = (n: ts.Node) => n.getText();
    const FIRST = ['first', 'second'];
    const ASSIGN = ['=', '+='];
    const before: Rule = { meta: meta('before-rule'), create() { return { CallExpression: (n) => calls.push(`before ${text(n)}`) }; } };
    const byName: Rule = {
      meta: meta('by-name-rule'),
      create() {
        return {
          // throws on `second(2)`: reported once, then skipped on `first` and `second` alike
          CallExpression: sameVisitor(FIRST, (n) => { calls.push(`named ${text(n)}`); if (text(n) === 'second(2)') throw new Error('boom named'); }),
          BinaryExpression: sameVisitor(ASSIGN, (n) => calls.push(`op ${text(n)}`)),
          PropertyAssignment: sameVisitor(['b'], (n) => calls.push(`prop ${text(n)}`)),
          PropertyAccessExpression: sameVisitor(['a'], (n) => calls.push(`member ${text(n)}`)),
        };
      },
    };
    const after: Rule = { meta: meta('after-rule'), create() { return { CallExpression: (n) => calls.push(`after ${text(n)}`) }; } };
    const r = analyzeText({ path: 'app.js', text: 'first(1);\nthird(0);\nsecond(2);\nfirst(3);\nlet x = 1;\nx = 2; x += 3; x - 4;\nconst o = { a: 1, b: 2 };\no.a; o.b;\n' }, { rules: [before, byName, after] });
    assert.deepEqual(calls, [
      'before first(1)', 'named first(1)', 'after first(1)',
      'before third(0)', 'after third(0)',
      'before second(2)', 'named second(2)', 'after second(2)',
      'before first(3)', 'after first(3)',
      'op x = 2', 'op x += 3',
      'prop b: 2',
      'member o.a',
    ]);
    assert.deepEqual(r.ruleErrors.map((e) => [e.ruleId, /boom \w+/.exec(e.error)?.[0]]), [['by-name-rule', 'boom named']]);
  });
});
