/**
 * `TaintAnalyzer.writesIn(scope)` indexes the writes to plain names below a scope from the file's list of writes
 * (found once per tree, shared by the analyzers of the tree), not from a scan of every call and binary expression
 * below the scope. Compared with that scan, written out here as it was, for every function, block and the file of
 * every fixture, test project and example file, of the noise corpus's Strapi admin files when present, and of
 * generated code that assigns and pushes in nested functions and blocks; each with an analyzer that has the walk's
 * nodes and one that walks.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ts } from 'ts-morph';
import { corpusSources, noiseCorpusList, noiseCorpusSample, seededPick } from '../helpers/fixtures';
import { parseForAnalysis, summarizeForAnalysis } from '../../src/engine/analyze';
import { DEFAULT_CONFIG } from '../../src/engine/config/config';
import { collectFacts } from '../../src/engine/facts';
import { TaintAnalyzer } from '../../src/engine/taint/taint';
import { calleeName, calleeObject, isFunctionLike, unwrap } from '../../src/engine/util/ast';


/** The scan writesIn made of every call and binary expression below the scope (a walk of its subtree). */
function scanned(scope: ts.Node): { assignments: Map<string, ts.BinaryExpression[]>; values: Map<string, ts.Expression[]> } {
  const assignments = new Map<string, ts.BinaryExpression[]>();
  const values = new Map<string, ts.Expression[]>();
  const add = <T>(m: Map<string, T[]>, n: string, e: T) => { const l = m.get(n); if (l) l.push(e); else m.set(n, [e]); };
  const visit = (n: ts.Node): void => {
    if (ts.isBinaryExpression(n) && n.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && n.operatorToken.kind <= ts.SyntaxKind.LastAssignment) {
      const left = unwrap(n.left);
      if (ts.isIdentifier(left)) {
        add(assignments, left.text, n);
        if (n.operatorToken.kind === ts.SyntaxKind.EqualsToken || n.operatorToken.kind === ts.SyntaxKind.PlusEqualsToken) add(values, left.text, n.right);
      }
    } else if (ts.isCallExpression(n)) {
      const recv = calleeObject(n);
      const nm = calleeName(n);
      if (recv && ts.isIdentifier(recv) && (nm === 'push' || nm === 'unshift' || nm === 'concat' || nm === 'append' || nm === 'set')) {
        for (const a of n.arguments) add(values, recv.text, a);
      }
    }
    ts.forEachChild(n, visit);
  };
  ts.forEachChild(scope, visit);
  return { assignments, values };
}

const same = <T>(got: Map<string, T[]>, want: Map<string, T[]>, where: string) => {
  assert.deepEqual([...got.keys()], [...want.keys()], where);
  for (const [k, l] of want) {
    const g = got.get(k)!;
    assert.equal(g.length, l.length, `${where}: ${k}`);
    for (let i = 0; i < l.length; i++) assert.equal(g[i], l[i], `${where}: ${k} #${i}`);
  }
};

/** Compares both analyzers of one file with the scan; returns how many scopes and writes were compared. */
function compare(file: string, text: string): { scopes: number; writes: number } {
  const sf = parseForAnalysis(file, text);
  const s = sf && summarizeForAnalysis(sf, text, DEFAULT_CONFIG);
  if (!s) return { scopes: 0, writes: 0 };
  const { sourceFile, nodes } = s.prepared;
  const facts = collectFacts(sourceFile, file);
  // (the walking one first on odd lengths: the file's writes are found by whichever asks first)
  const withNodes = new TaintAnalyzer(sourceFile, facts, undefined, { nodes });
  const walking = new TaintAnalyzer(sourceFile, facts);
  const analyzers = text.length % 2 ? [walking, withNodes] : [withNodes, walking];
  let scopes = 0, writes = 0;
  const check = (scope: ts.Node) => {
    const want = scanned(scope);
    for (const t of analyzers) {
      const got = t.writesIn(scope);
      same(got.assignments, want.assignments, `${file}: scope at ${scope.pos} (assignments)`);
      same(got.values, want.values, `${file}: scope at ${scope.pos} (values)`);
    }
    scopes++;
    for (const l of want.values.values()) writes += l.length;
  };
  const visit = (n: ts.Node): void => {
    if (isFunctionLike(n) || ts.isBlock(n) || ts.isSourceFile(n)) check(n);
    ts.forEachChild(n, visit);
  };
  visit(sourceFile);
  return { scopes, writes };
}

/** A small deterministic generator. */
function generated(seed: number): string {
  const pick = seededPick(seed);
  const stmt = (d: number): string => {
    if (d > 3) return pick(['x = y;', 'x += 1;', 'parts.push(x, y);', 'y ||= x;', 'o.x = 1;', '(x) = y;', 'f(x = 2);']);
    const s = () => stmt(d + 1);
    return pick([
      () => 'x = y + 1;', () => 'parts.push(y);', () => 'm.set(k, x);', () => 'q = q.concat(x);', () => 'a = b = c;',
      () => 'x.y.push(1);', () => 'list.unshift(...xs);', () => 'x = (y = 3) + (z += 2);',
      () => `if (x) { ${s()} } else ${s()}`,
      () => `for (let i = 0; i < 3; i++) { ${s()} ${s()} }`,
      () => `const h = (y) => { ${s()} ${s()} };`,
      () => `const k = (y) => (x = y);`,
      () => `xs.forEach(function (y) { ${s()} });`,
      () => `const o = { m() { ${s()} }, n: () => parts.push(x) };`,
      () => `class C { run() { ${s()} } s = () => { ${s()} }; }`,
      () => `{ let x = 1; ${s()} }`,
    ])();
  };
  const lines: string[] = ['let x, y, z, q = [], parts = [];'];
  for (let i = 0; i < 5; i++) lines.push(`export function f${i}(a, b) { ${stmt(0)} ${stmt(0)} ${stmt(1)} }`, stmt(2));
  return lines.join('\n') + '\n';
}

describe('writesIn from the file\'s writes: the scan of the scope', () => {
  it('on every fixture, test project and example file', () => {
    let scopes = 0, writes = 0, files = 0;
    for (const { file, text } of corpusSources()) {
      const c = compare(file, text);
      scopes += c.scopes; writes += c.writes; files++;
    }
    assert.ok(files > 500 && scopes > 4000 && writes > 150, `${files} files, ${scopes} scopes, ${writes} writes`);
  });

  it('on the Strapi admin files of the noise corpus (when present)', { skip: !noiseCorpusList('strapi-admin@5.54.0') }, () => {
    let scopes = 0, writes = 0;
    for (const { file, text } of noiseCorpusSample('strapi-admin@5.54.0', 7)) { const c = compare(file, text); scopes += c.scopes; writes += c.writes; }
    assert.ok(scopes > 1000 && writes > 100, `${scopes} scopes, ${writes} writes`);
  });

  it('on generated writes in nested functions and blocks', () => {
    let scopes = 0, writes = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const c = compare(`gen/${seed}.ts`, generated(seed));
      scopes += c.scopes; writes += c.writes;
    }
    assert.ok(scopes > 3000 && writes > 3000, `${scopes} scopes, ${writes} writes`);
  });
});
