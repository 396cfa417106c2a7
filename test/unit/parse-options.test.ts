/**
 * The engine parses with JSDoc comments left unparsed (parseOptions, src/engine/util/ast.ts). That must change
 * nothing the engine sees: every node forEachChild visits, its kind, range and text, and the syntax errors, are the
 * same as with TypeScript's default (JSDoc parsed), on every fixture, test project and example file and on files
 * full of JSDoc (types, casts, imports, typedefs, broken tags). Only a flag set from JSDoc may differ.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ts } from 'ts-morph';
import { parseOptions } from '../../src/engine/util/ast';
import { listFixtureFiles, sourceFilesUnder } from '../helpers/fixtures';

const repo = join(__dirname, '..', '..');
const kindOf = (f: string) => (/\.tsx$/.test(f) ? ts.ScriptKind.TSX : /\.[cm]?ts$/.test(f) ? ts.ScriptKind.TS : /\.jsx$/.test(f) ? ts.ScriptKind.JSX : ts.ScriptKind.JS);

/** TypeScript's NodeFlags.PossiblyContainsDynamicImport, internal (not in its declarations) */
const POSSIBLY_CONTAINS_DYNAMIC_IMPORT = 1 << 22;

/**
 * what the engine can see of a tree: kind, range, flags and text of each node forEachChild visits. Not compared: the
 * file's flag that it may hold `import(…)` (a JSDoc type `import("x")` sets it); the engine reads no flag but `Const`.
 */
function seen(sf: ts.SourceFile): string {
  const out: string[] = [];
  const visit = (n: ts.Node, depth: number) => {
    const text = ts.isIdentifier(n) || ts.isPrivateIdentifier(n) ? n.text : ts.isStringLiteralLike(n) || ts.isNumericLiteral(n) ? n.text : '';
    out.push(`${depth} ${ts.SyntaxKind[n.kind]} ${n.pos} ${n.end} ${n.flags & ~POSSIBLY_CONTAINS_DYNAMIC_IMPORT} ${text}`);
    ts.forEachChild(n, (c) => visit(c, depth + 1));
  };
  visit(sf, 0);
  const diagnostics = (sf as unknown as { parseDiagnostics: ts.Diagnostic[] }).parseDiagnostics.map((d) => `${d.start} ${d.length} ${d.code}`);
  return `${out.join('\n')}\n--\n${diagnostics.join('\n')}`;
}

const same = (path: string, text: string) => {
  const mine = ts.createSourceFile(path, text, parseOptions(), false, kindOf(path));
  const byDefault = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, false, kindOf(path));
  assert.equal(seen(mine), seen(byDefault), path);
  return byDefault;
};

describe('parsing without JSDoc', () => {
  it('leaves JSDoc unparsed', () => {
    const sf = ts.createSourceFile('a.js', '/** @param {string} x */\nfunction f(x) {}\n', parseOptions(), false, ts.ScriptKind.JS);
    assert.equal((sf.statements[0] as { jsDoc?: unknown[] }).jsDoc, undefined);
    const parsed = ts.createSourceFile('a.js', '/** @param {string} x */\nfunction f(x) {}\n', ts.ScriptTarget.Latest, false, ts.ScriptKind.JS);
    assert.equal((parsed.statements[0] as { jsDoc?: unknown[] }).jsDoc?.length, 1);
  });

  it('gives the trees and syntax errors of a default parse, for every fixture, test project and example file', () => {
    const files = [...listFixtureFiles(join(repo, 'test', 'fixtures')), ...sourceFilesUnder(join(repo, 'test', 'projects')), ...sourceFilesUnder(join(repo, 'examples'))]
      .filter((f) => /\.[cm]?[jt]sx?$/.test(f) && !f.endsWith('.d.ts'));
    assert.ok(files.length > 300);
    let withJsDoc = 0;
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      same(f, text);
      // cut short: syntax errors in the middle of a comment or a statement
      same(f, text.slice(0, Math.floor(text.length / 2)));
      if (text.includes('/**')) withJsDoc++;
    }
    assert.ok(withJsDoc > 10, `${withJsDoc} files with JSDoc`);
  });

  it('gives the same trees for files full of JSDoc: types, casts, imports, typedefs, overloads, broken tags', () => {
    const js = [
      "/** @import { Request } from 'express' */",
      "/** @typedef {{ id: string, role: 'admin' | 'user' }} User */",
      '/**',
      ' * Finds a user.',
      ' * @param {import("express").Request} req the request',
      ' * @param {User} [fallback]',
      ' * @returns {Promise<User>}',
      ' * @throws {Error} never',
      ' * @see {@link https://example.com}',
      ' */',
      'async function find(req, fallback) {',
      '  const id = /** @type {string} */ (req.params.id);',
      '  const n = /** @type {number} */ (/** @type {unknown} */ (id));',
      '  /** @satisfies {Record<string, number>} */',
      '  const table = { a: 1 };',
      '  return db.query(`SELECT * FROM users WHERE id = ${id}`, [n, table]) || fallback;',
      '}',
      '/** @template T @param {T} x @returns {T} */ const same = (x) => x;',
      '/** @type {(a: number) => number} */ let inc;',
      '/** @enum {string} */ const Role = { Admin: "admin" };',
      '/** @callback Cb @param {string} e */',
      '/** @overload @param {string} a @returns {string} */',
      '/** @overload @param {number} a @returns {number} */',
      '/** @param {string | number} a */ function over(a) { return a; }',
      '/** @param {{ broken: } x */ function broken(x) { return x; }',
      '/** @type {Array<{ a: string }> */ const unclosed = [];',
      'class K { /** @private @type {number} */ #n = 1; /** @param {string} v */ set v(v) {} /** @deprecated */ m() {} }',
      'module.exports = { find, same, inc, Role, over, broken, unclosed, K };',
    ].join('\n');
    const sf = same('doc.js', js);
    assert.ok(sf.statements.some((s) => (s as { jsDoc?: unknown[] }).jsDoc?.length), 'the default parse did parse the JSDoc');
    same('doc.ts', js.replace("/** @import { Request } from 'express' */", "import type { Request } from 'express';"));
    for (let cut = 1; cut < js.length; cut += 37) same('cut.js', js.slice(0, cut));
  });
});
