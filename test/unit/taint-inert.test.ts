/**
 * `isInert` (taint.ts) says an expression's evaluation finds nothing whatever the sink, the symbolic function and
 * the caches; the summary leaves out the calls whose arguments are all inert. Compared with the evaluations
 * themselves: every expression of every fixture and test project file, and of generated request handlers that mix
 * literals, callbacks and objects with request data, is evaluated without a sink, for each sink and for each
 * enclosing function's parameters; an inert one must find nothing in all of them.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ts } from 'ts-morph';
import { sourceFilesUnder } from '../helpers/fixtures';
import { languageOf, parse } from '../../src/engine/analyze';
import { collectFacts } from '../../src/engine/facts';
import { TaintAnalyzer, isInert, type SinkKind } from '../../src/engine/taint/taint';
import { enclosingFunction } from '../../src/engine/util/ast';

const root = join(__dirname, '..', '..');
const SINKS: (SinkKind | undefined)[] = [undefined, 'sql', 'nosql', 'html', 'path', 'url', 'command', 'code', 'log', 'object'];

/** Every expression of a file, in document order. */
function expressions(sf: ts.SourceFile): ts.Expression[] {
  const out: ts.Expression[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isExpression(n) && !ts.isToken(n)) out.push(n);
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

/** Checks one file; returns how many expressions were inert and how many that were not found something. */
function check(path: string, text: string): { inert: number; found: number } {
  const sf = parse(path, text, languageOf(path) as 'typescript');
  const t = new TaintAnalyzer(sf, collectFacts(sf, path), { assumeReturns: true });
  let inert = 0, found = 0;
  for (const e of expressions(sf)) {
    const isI = isInert(e);
    if (isI) inert++;
    for (const sink of SINKS) {
      const r = t.taintOf(e, sink);
      if (isI) assert.equal(r, undefined, `${path}: ${e.getText(sf).slice(0, 80)} (${sink ?? 'no sink'})`);
      else if (r && sink === undefined) found++;
    }
    const fn = enclosingFunction(e);
    if (fn && fn.parameters.length) {
      const p = t.paramFlowOf(e, fn);
      if (isI) assert.equal(p, undefined, `${path}: ${e.getText(sf).slice(0, 80)} (parameters)`);
      else if (p) found++;
    }
  }
  return { inert, found };
}

/** Handlers whose calls take literals, callbacks, objects and request data in turn (deterministic). */
function generated(seed: number): string {
  let a = seed;
  const r = () => ((a = (a * 1103515245 + 12345) % 2147483648) / 2147483648);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const leaf = () => pick(["'x'", '42', 'null', 'undefined', 'true', '() => 1', 'function () { return req.body; }', 'this',
    'req.body.name', 'name', 'id', '`t${id}`', '/re/g', 'typeof name', '!name', 'id === 1', 'obj', '[id]']);
  const expr = (d: number): string => {
    if (d > 2) return leaf();
    const x = () => expr(d + 1);
    return pick([leaf, () => `{ a: ${x()}, b: ${x()} }`, () => `[${x()}, ${x()}]`, () => `\`a\${${x()}}b\``,
      () => `${x()} + ${x()}`, () => `${x()} || ${x()}`, () => `${x()} && ${x()}`, () => `(${x()}, ${x()})`,
      () => `${x()} ? ${x()} : ${x()}`, () => `${x()} > ${x()}`, () => `{ ...${x()} }`, () => `{ name }`,
      () => `{ undefined }`, () => `{ m() { return req.query; } }`, () => `(${x()}) as any`, () => `await ${x()}`])();
  };
  const lines = ["import { save } from './db';", 'export async function handler(req, res, obj) {', '  const name = req.query.name;',
    '  const id = Number(req.params.id);'];
  for (let i = 0; i < 12; i++) lines.push(`  save(${expr(0)}, ${expr(0)});`);
  lines.push('}', 'export function helper(a, b) {');
  for (let i = 0; i < 6; i++) lines.push(`  save(${expr(1).replace(/req\.\w+(\.\w+)?|name|id/g, 'a')});`);
  lines.push('  return b;', '}');
  return lines.join('\n') + '\n';
}

describe('isInert: an inert expression\'s evaluation finds nothing', () => {
  it('on every expression of every fixture and test project file', () => {
    const files = [...sourceFilesUnder(join(root, 'test', 'fixtures')), ...sourceFilesUnder(join(root, 'test', 'projects'))]
      .filter((f) => { const l = languageOf(f); return !!l && l !== 'python'; });
    let inert = 0, found = 0;
    for (const file of files) {
      const c = check(file, readFileSync(file, 'utf8'));
      inert += c.inert; found += c.found;
    }
    assert.ok(inert > 5000 && found > 5000, `${inert} inert expressions, ${found} others with a finding`);
  });

  it('on generated handlers', () => {
    let inert = 0, found = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const c = check(`gen/${seed}.ts`, generated(seed));
      inert += c.inert; found += c.found;
    }
    assert.ok(inert > 10000 && found > 10000, `${inert} inert expressions, ${found} others with a finding`);
  });
});
