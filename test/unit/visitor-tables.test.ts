/**
 * The engine keeps, across files, which of the name tables made by sameVisitor hold a name (analyze.ts,
 * NamedVisitors): the visitors a call, property or member reaches, and their order, must be those of asking every
 * table of the file, whatever mix of constant tables, plain objects and per-file sets the rules give file after file.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ts } from 'ts-morph';
import { analyzeText } from '../../src/engine/analyze';
import { ALL_LANGUAGES, NameTable, sameVisitor, type Rule } from '../../src/engine/model/rule';

type RuleMeta = Rule['meta'];
type Table = Record<string, (n: ts.Node) => void> | NameTable<(n: ts.Node) => void>;

function meta(id: string): RuleMeta {
  return {
    id, title: id, description: id, category: 'web', severity: 'warning', confidence: 'medium', cwe: [20],
    owasp: 'A01:2021 Broken Access Control', languages: ALL_LANGUAGES, defaultEnabled: true, tags: [],
  } as unknown as RuleMeta;
}

const NAMES = ['alpha', 'beta', 'gamma', 'delta', 'eps'];
const A = ['alpha', 'beta'], B = ['beta', 'gamma', 'delta'], C = ['alpha', 'delta', 'eps'], D = ['gamma'];

describe('name tables across files', () => {
  it('reach the visitors that asking every table reaches, in rule order, file after file', () => {
    let seen: string[] = [];
    let given: { id: string; table: Table }[] = [];
    /** rule i gives a table for `kind` on files whose text names `on${i}`: a different list of tables per file */
    const rule = (i: number, kind: 'calls' | 'properties' | 'members', make: (visit: (n: ts.Node) => void) => Table): Rule => ({
      meta: meta(`rule-${i}`),
      create(ctx) {
        if (!ctx.text.includes(`on${i};`)) return {};
        const table = make((n) => seen.push(`${kind} rule-${i} ${n.getText()}`));
        given.push({ id: `rule-${i}`, table });
        return { [kind]: table };
      },
    });
    const rules = [
      rule(0, 'calls', (v) => sameVisitor(A, v)),
      // a plain table whose keys (and their order) change from file to file
      rule(1, 'calls', (v) => ([{ beta: v, eps: v }, { eps: v, beta: v }, { gamma: v, alpha: v }, { gamma: v }, { beta: v, eps: v, alpha: v }] as Table[])[files % 5]),
      rule(2, 'calls', (v) => sameVisitor(B, v)),
      rule(3, 'calls', (v) => new NameTable(new Set(['gamma', 'alpha']), v)),
      rule(4, 'calls', (v) => sameVisitor(C, v)),
      rule(5, 'properties', (v) => sameVisitor(B, v)),
      rule(6, 'properties', (v) => sameVisitor(D, v)),
      rule(7, 'members', (v) => sameVisitor(C, v)),
      rule(8, 'members', (v) => ({ alpha: v })),
      rule(9, 'properties', (v): Table => (files % 3 ? { delta: v, beta: v } : { beta: v, alpha: v })),
    ];
    const body = NAMES.map((n) => `${n}(1); const o_${n} = { ${n}: 1 }; x.${n};`).join('\n');
    let files = 0;
    // every subset of the rules, in an order where lists repeat and change
    for (let mask = 0; mask < 1 << rules.length; mask += 13) {
      const on = rules.map((_, i) => (mask & (1 << i) ? `on${i};` : '')).join(' ');
      seen = []; given = [];
      analyzeText({ path: `f${mask}.js`, text: `${on}\n${body}\n` }, { rules });
      const expected: string[] = [];
      const has = (t: Table, name: string) => (t instanceof NameTable ? t.names.has(name) : Object.keys(t).includes(name));
      for (const n of NAMES) {
        for (const [kind, text, start] of [['calls', `${n}(1)`, 0], ['properties', `${n}: 1`, 5], ['members', `x.${n}`, 7]] as const) {
          for (const g of given) if (rules.findIndex((r) => r.meta.id === g.id) >= start && rules.findIndex((r) => r.meta.id === g.id) < start + (kind === 'calls' ? 5 : 2) + (kind === 'properties' && g.id === 'rule-9' ? 100 : 0) && has(g.table, n)) expected.push(`${kind} ${g.id} ${text}`);
        }
      }
      const order = (xs: string[]) => [...xs].sort((a, b) => body.indexOf(a.split(' ').slice(2).join(' ')) - body.indexOf(b.split(' ').slice(2).join(' ')));
      assert.deepEqual(seen, order(expected), `rules on: ${on}`);
      files++;
    }
    assert.ok(files > 50);
  });
});

describe('visitors of a kind given for some names (sameVisitor on a kind)', () => {
  it('run with the kind\'s other visitors, in rule order, on the names they are for only', () => {
    let seen: string[] = [];
    const rule = (i: number, names: string[] | undefined): Rule => ({
      meta: meta(`kind-${i}`),
      create(ctx) {
        if (!ctx.text.includes(`on${i};`)) return {};
        const v = (n: ts.Node) => { seen.push(`kind-${i} ${n.getText()}`); };
        return { PropertyAssignment: names ? sameVisitor(names === A ? A : names === B ? B : D, v) : v };
      },
    });
    const given: (string[] | undefined)[] = [A, undefined, B, D, undefined];
    const rules = given.map((names, i) => rule(i, names));
    const body = `const o = { ${[...NAMES, 'zeta', 'eta'].map((n) => `${n}: 1`).join(', ')} };`;
    let files = 0;
    for (let mask = 1; mask < 1 << rules.length; mask++) {
      const on = rules.map((_, i) => (mask & (1 << i) ? `on${i};` : '')).join(' ');
      seen = [];
      analyzeText({ path: `k${mask}.js`, text: `${on}\n${body}\n` }, { rules });
      const expected: string[] = [];
      for (const n of [...NAMES, 'zeta', 'eta']) {
        given.forEach((names, i) => { if (mask & (1 << i) && (!names || names.includes(n))) expected.push(`kind-${i} ${n}: 1`); });
      }
      assert.deepEqual(seen, expected, `rules on: ${on}`);
      files++;
    }
    assert.equal(files, 31);
  });
});
