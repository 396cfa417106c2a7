/**
 * `FileFunctions.returnsOf` answers from the analysis walk's `return` statements when it has the walk's nodes,
 * instead of walking the function's body (findReturns). Both must give the same expressions in the same order, for
 * every function: compared on every fixture, test project and example file, on the noise corpus's Strapi admin
 * files when present (built React components with callbacks nested in callbacks), and on generated code that nests
 * arrows, function expressions, methods, accessors, classes and returns inside loops, switches and `try`.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ts } from 'ts-morph';
import { corpusSources, noiseCorpusList, noiseCorpusSample, seededPick } from '../helpers/fixtures';
import { parseForAnalysis, summarizeForAnalysis } from '../../src/engine/analyze';
import { DEFAULT_CONFIG } from '../../src/engine/config/config';
import { FileFunctions, findReturns } from '../../src/engine/taint/calls';
import { isFunctionLike } from '../../src/engine/util/ast';


/** Compares the two ways on every function of a file; returns how many functions and returns were compared. */
function compare(file: string, text: string): { fns: number; returns: number } {
  const sf = parseForAnalysis(file, text);
  const s = sf && summarizeForAnalysis(sf, text, DEFAULT_CONFIG);
  if (!s) return { fns: 0, returns: 0 };
  const { sourceFile, nodes, scopes } = s.prepared;
  const fromWalk = new FileFunctions(sourceFile, scopes, nodes);
  let fns = 0, returns = 0;
  const visit = (n: ts.Node): void => {
    if (isFunctionLike(n)) {
      const want = findReturns(n);
      const got = fromWalk.returnsOf(n);
      assert.equal(got.length, want.length, `${file}: function at ${n.pos}`);
      for (let i = 0; i < want.length; i++) assert.equal(got[i], want[i], `${file}: function at ${n.pos}, return ${i}`);
      fns++;
      returns += want.length;
    }
    ts.forEachChild(n, visit);
  };
  visit(sourceFile);
  return { fns, returns };
}

/** A small deterministic generator. */
function generated(seed: number): string {
  const pick = seededPick(seed);
  const stmt = (d: number): string => {
    if (d > 3) return pick(['return x;', 'return;', 'f(x);', 'return g(x) + 1;']);
    const s = () => stmt(d + 1);
    return pick([
      () => `return ${pick(['x', 'null', '[x]', '{ a: x }'])};`,
      () => `if (x) { ${s()} } else ${s()}`,
      () => `for (const y of xs) { ${s()} ${s()} }`,
      () => `switch (x) { case 1: ${s()} default: ${s()} }`,
      () => `try { ${s()} } catch (e) { ${s()} } finally { f(); }`,
      () => `const h = (y) => { ${s()} ${s()} };`,
      () => `const k = (y) => y + ${d};`,
      () => `xs.map(function (y) { ${s()} });`,
      () => `const o = { m() { ${s()} }, get p() { ${s()} }, set q(v) { f(v); }, n: () => x };`,
      () => `class C { constructor() { ${s()} } run() { ${s()} } static s = () => { ${s()} }; }`,
      () => `return (function () { ${s()} })();`,
      () => `return xs.filter((y) => { ${s()} });`,
      () => `label: while (x) { ${s()} break label; }`,
    ])();
  };
  const lines: string[] = [];
  for (let i = 0; i < 6; i++) lines.push(`export function f${i}(x, xs) { ${stmt(0)} ${stmt(0)} ${stmt(1)} }`);
  lines.push(`export const arrow = (x) => (xs) => { ${stmt(0)} };`);
  return lines.join('\n') + '\n';
}

describe('returnsOf from the walk: the returns findReturns finds', () => {
  it('on every fixture, test project and example file', () => {
    let fns = 0, returns = 0, files = 0;
    for (const { file, text } of corpusSources()) {
      const c = compare(file, text);
      fns += c.fns; returns += c.returns; files++;
    }
    assert.ok(files > 500 && fns > 2000 && returns > 1000, `${files} files, ${fns} functions, ${returns} returns`);
  });

  it('on the Strapi admin files of the noise corpus (when present)', { skip: !noiseCorpusList('strapi-admin@5.54.0') }, () => {
    let fns = 0;
    for (const { file, text } of noiseCorpusSample('strapi-admin@5.54.0', 5)) fns += compare(file, text).fns;
    assert.ok(fns > 1000, `${fns} functions`);
  });

  it('on generated nested functions', () => {
    let fns = 0, returns = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const c = compare(`gen/${seed}.ts`, generated(seed));
      fns += c.fns; returns += c.returns;
    }
    assert.ok(fns > 3000 && returns > 3000, `${fns} functions, ${returns} returns`);
  });
});
