/**
 * dist/typescript.js is TypeScript's parser only (src/tools/build.ts, parserOnlyTypeScript): the build cuts the type
 * checker, emitter, language service and server out of ts-morph's TypeScript. What the engine reads of it must be
 * exactly what the whole of TypeScript gives: every name the sources use, the same trees for every fixture file, and
 * nodes with the language service's methods (getText, getStart, getChildren), which the engine calls.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type * as TS from 'typescript';
import { ts as whole } from 'ts-morph';
import { buildAll, typescriptNamesUsed } from '../../src/tools/build';
import { sourceFilesUnder } from '../helpers/fixtures';
import { cleanup, tempDir } from './_util';

const repo = join(__dirname, '..', '..');

/** kind, range and flags of every node, with identifiers' and literals' text: two parses are equal when these are */
function shape(t: typeof TS, sf: TS.SourceFile): string {
  const out: string[] = [];
  const visit = (n: TS.Node, depth: number) => {
    const text = t.isIdentifier(n) || t.isPrivateIdentifier(n) ? n.text : t.isStringLiteralLike(n) || t.isNumericLiteral(n) ? n.text : '';
    out.push(`${depth} ${t.SyntaxKind[n.kind]} ${n.pos} ${n.end} ${n.flags} ${text}`);
    t.forEachChild(n, (c) => visit(c, depth + 1));
  };
  visit(sf, 0);
  const diagnostics = (sf as unknown as { parseDiagnostics: TS.Diagnostic[] }).parseDiagnostics
    .map((d) => `${d.start} ${d.code} ${t.flattenDiagnosticMessageText(d.messageText, '\n')}`);
  return `${out.join('\n')}\n--\n${diagnostics.join('\n')}`;
}

describe('dist/typescript.js: the parser only', () => {
  let out: string;
  let shaken: typeof TS;
  before(async () => {
    out = tempDir('shipsafe-build-');
    await buildAll({ outdir: out, only: ['cli'], quiet: true, production: true });
    shaken = createRequire(__filename)(join(out, 'typescript.js')) as typeof TS;
  });
  after(() => cleanup(out));

  it('is well under half the size of the whole of TypeScript, minified', () => {
    const size = statSync(join(out, 'typescript.js')).size;
    assert.ok(size < 1_000_000, `dist/typescript.js is ${size} bytes: the tree shaking no longer cuts the checker and services`);
  });

  it('is the parser only also when built through a node_modules reached by a symbolic link (a git worktree, pnpm)', () => {
    // a copy of what the build reads, with node_modules a link to this checkout's: esbuild gives the real path of
    // TypeScript, which the build must recognise (it once compared the linked path and shipped the whole of it)
    const dir = tempDir('shipsafe-linked-');
    try {
      cpSync(join(repo, 'src'), join(dir, 'src'), { recursive: true });
      for (const f of ['package.json', 'tsconfig.json']) cpSync(join(repo, f), join(dir, f));
      symlinkSync(join(repo, 'node_modules'), join(dir, 'node_modules'), 'dir');
      const r = spawnSync(process.execPath, ['--import', 'tsx', join(dir, 'src', 'tools', 'build.ts'), '--only', 'cli', '--production', '--outdir', join(dir, 'out')],
        { cwd: dir, encoding: 'utf8', timeout: 240_000 });
      assert.equal(r.status, 0, r.stderr);
      const size = statSync(join(dir, 'out', 'typescript.js')).size;
      assert.ok(size < 1_000_000, `built through a linked node_modules, dist/typescript.js is ${size} bytes`);
    } finally {
      cleanup(dir);
    }
  });

  it('exports every name the sources use, of the same type as the whole of TypeScript', () => {
    const names = typescriptNamesUsed(whole as unknown as Record<string, unknown>);
    assert.ok(names.includes('createSourceFile') && names.includes('forEachChild') && names.includes('SyntaxKind'));
    for (const name of names) {
      const ours = (shaken as unknown as Record<string, unknown>)[name], theirs = (whole as unknown as Record<string, unknown>)[name];
      assert.equal(typeof ours, typeof theirs, name);
      // enums (SyntaxKind, NodeFlags…): the same members and values
      if (typeof theirs === 'object' && theirs && Object.values(theirs).every((v) => typeof v === 'number' || typeof v === 'string')) assert.deepEqual(ours, theirs, name);
    }
  });

  it('parses every fixture file to the same tree, with the same syntax errors', () => {
    const files = [...sourceFilesUnder(join(repo, 'test', 'fixtures')), ...sourceFilesUnder(join(repo, 'test', 'projects')), ...sourceFilesUnder(join(repo, 'examples'))];
    assert.ok(files.length > 200, `${files.length} files`);
    const kindOf = (f: string, t: typeof TS) => (/\.tsx$/.test(f) ? t.ScriptKind.TSX : /\.[cm]?ts$/.test(f) ? t.ScriptKind.TS : /\.jsx$/.test(f) ? t.ScriptKind.JSX : t.ScriptKind.JS);
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      const a = whole.createSourceFile(f, text, whole.ScriptTarget.Latest, true, kindOf(f, whole as unknown as typeof TS));
      const b = shaken.createSourceFile(f, text, shaken.ScriptTarget.Latest, true, kindOf(f, shaken));
      assert.equal(shape(shaken, b), shape(whole as unknown as typeof TS, a as unknown as TS.SourceFile), f);
    }
  });

  it('reports the same syntax errors on broken code (each fixture file cut short at several places)', () => {
    const files = sourceFilesUnder(join(repo, 'test', 'fixtures'));
    const kind = (f: string, t: typeof TS) => (/\.tsx$/.test(f) ? t.ScriptKind.TSX : /\.[cm]?ts$/.test(f) ? t.ScriptKind.TS : t.ScriptKind.JSX);
    let errors = 0;
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      for (const cut of [0.3, 0.55, 0.8]) {
        const broken = text.slice(0, Math.floor(text.length * cut));
        const a = whole.createSourceFile(f, broken, whole.ScriptTarget.Latest, true, kind(f, whole as unknown as typeof TS));
        const b = shaken.createSourceFile(f, broken, shaken.ScriptTarget.Latest, true, kind(f, shaken));
        const sa = shape(whole as unknown as typeof TS, a as unknown as TS.SourceFile);
        assert.equal(shape(shaken, b), sa, `${f} cut at ${cut}`);
        errors += sa.slice(sa.indexOf('\n--\n')).split('\n').length - 2;
      }
    }
    assert.ok(errors > 1000, `${errors} syntax errors compared`);
  });

  it('gives nodes the language service methods the engine calls (getText, getStart, getChildren)', () => {
    const sf = shaken.createSourceFile('a.ts', 'const q = `SELECT * FROM t WHERE id = ${req.query.id}`;\n', shaken.ScriptTarget.Latest, true);
    const decl = (sf.statements[0] as TS.VariableStatement).declarationList.declarations[0];
    assert.equal(decl.initializer!.getText(), '`SELECT * FROM t WHERE id = ${req.query.id}`');
    assert.equal(decl.getStart(), 6);
    assert.equal(sf.statements[0].getChildren().length, 2);
    assert.equal(shaken.getLeadingCommentRanges('// x\ny', 0)?.length, 1);
  });
});
