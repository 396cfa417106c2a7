/**
 * The summary pass (taint/summaries.ts) reads what it can from tables made once per tree: the analysis walk's nodes
 * for the checks written in a scope (util/validation.ts `checksIn`), a function's return expressions and a call's
 * target kept in the file's FileFunctions. With the walk's nodes and without them, the answers must be the same:
 * the CLI's pre-pass has the nodes, the standalone summariser and the editor's summary do not.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sourceFilesUnder } from '../helpers/fixtures';
import { ts } from 'ts-morph';
import { languageOf, parse, parseForAnalysis, summarizeForAnalysis } from '../../src/engine/analyze';
import { DEFAULT_CONFIG } from '../../src/engine/config/config';
import { summarizeFile } from '../../src/engine/taint/summaries';
import { ScopeResolver } from '../../src/engine/taint/scope';
import { checksIn } from '../../src/engine/util/validation';
import { isFunctionLike } from '../../src/engine/util/ast';

const root = join(__dirname, '..', '..');

function functionsOf(sf: ts.SourceFile): ts.FunctionLikeDeclaration[] {
  const out: ts.FunctionLikeDeclaration[] = [];
  const visit = (n: ts.Node): void => { if (isFunctionLike(n)) out.push(n); ts.forEachChild(n, visit); };
  visit(sf);
  return out;
}

/** A scope's checks as plain data, in an order that does not depend on how they were found. */
function plain(c: ReturnType<typeof checksIn>) {
  return {
    whole: [...c.whole].map(([k, v]) => [k, v ? [...v].sort() : null]).sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    field: [...c.field].sort(),
    trusted: !!c.trusted,
  };
}

const files = [...sourceFilesUnder(join(root, 'test', 'fixtures')), ...sourceFilesUnder(join(root, 'test', 'projects'))]
  .filter((f) => { const l = languageOf(f); return !!l && l !== 'python'; });

describe('summary tables: the same answers with the analysis walk\'s nodes as without', () => {
  it('finds the same checks in every function of every fixture and test project file', () => {
    let fast = 0;
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      // two trees: the scope checks are kept per scope node
      const walked = parseForAnalysis(file, text)!;
      const prepared = summarizeForAnalysis(walked, text, DEFAULT_CONFIG)?.prepared;
      if (!prepared) continue;
      const plainTree = parse(file, text, languageOf(file) as 'javascript');
      const withNodes = { sourceFile: walked, taint: { scopes: prepared.scopes, nodes: prepared.nodes } };
      const withoutNodes = { sourceFile: plainTree, taint: { scopes: new ScopeResolver() } };
      const a = functionsOf(walked), b = functionsOf(plainTree);
      assert.equal(a.length, b.length, file);
      for (let i = 0; i < a.length; i++) {
        const typeofAt = text.indexOf('typeof', a[i].pos);
        if (typeofAt < 0 || typeofAt >= a[i].end) fast++;
        assert.deepEqual(plain(checksIn(withNodes, a[i])), plain(checksIn(withoutNodes, b[i])), `${file}: function ${i} at ${a[i].pos}`);
      }
    }
    assert.ok(fast > 500, `${fast} scopes read from the walk's nodes`);
  });

  it('summarises every fixture and test project file in the pre-pass as the standalone summariser does', () => {
    let n = 0;
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      const pre = summarizeForAnalysis(parseForAnalysis(file, text)!, text, DEFAULT_CONFIG);
      if (!pre) continue;
      assert.deepEqual(pre.summary, summarizeFile(file, text), file);
      n++;
    }
    assert.ok(n > 100, `${n} files`);
  });
});
