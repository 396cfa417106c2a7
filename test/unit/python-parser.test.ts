/**
 * The Python parser: loads once, and an incremental re-parse after an edit gives exactly the tree a fresh parse
 * gives (node types and positions), including edits with non-ASCII text before them (tree-sitter counts UTF-16
 * code units here, like JavaScript strings). Also: Python files are analysed only once the parser is loaded.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { before, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Node } from 'web-tree-sitter';
import { analyzeText, allRules } from '../../src/engine';
import { loadPythonParser, parsePython, pythonParserReady } from '../../src/engine/python/parser';

function dump(n: Node): string {
  const kids = n.children.filter((c): c is Node => !!c).map(dump).join(' ');
  return `(${n.type} ${n.startIndex}-${n.endIndex} ${n.startPosition.row}:${n.startPosition.column}${kids ? ' ' + kids : ''})`;
}

it('a Python file analysed before the parser is loaded is skipped with a reason, not lost (fresh process)', () => {
  const script = "const { analyzeText, allRules } = require('./src/engine'); const r = analyzeText({ path: 'app.py', text: 'x = 1\\n' }, { rules: allRules }); process.stdout.write(JSON.stringify(r.skipped));";
  const out = execFileSync(process.execPath, ['--import', 'tsx', '-e', script], { cwd: join(__dirname, '..', '..'), encoding: 'utf8' });
  const skipped = JSON.parse(out) as { reason: string; detail: string };
  assert.equal(skipped.reason, 'parse-error');
  assert.match(skipped.detail, /Python parser is not loaded/);
});

before(() => loadPythonParser());

it('loads once: later calls share the same promise', async () => {
  assert.equal(loadPythonParser(), loadPythonParser());
  await loadPythonParser();
  assert.ok(pythonParserReady());
});

it('an incremental re-parse equals a fresh parse, edit after edit', () => {
  let text = '# café ☕ naïve\nfrom flask import request\n\n\ndef view():\n    q = request.args.get("q")\n    return f"<p>{q}</p>"\n';
  parsePython('inc.py', text);
  const edits: [number, number, string][] = [
    [text.indexOf('view'), text.indexOf('view') + 4, 'search_view'],
    [0, 0, '"""Ünïcödé docstring"""\n'],
    [text.length, text.length, '\n\nclass A:\n    x = 1\n'],
    [10, 14, ''],
    [text.indexOf('return'), text.indexOf('return'), 'db.execute(f"SELECT {q}")\n    '],
  ];
  for (const [start, end, insert] of edits) {
    const s = Math.min(start, text.length), e = Math.min(end, text.length);
    text = text.slice(0, s) + insert + text.slice(e);
    const incremental = dump(parsePython('inc.py', text).rootNode);
    const fresh = dump(parsePython(`fresh-${s}-${insert.length}.py`, text).rootNode);
    assert.equal(incremental, fresh, `after inserting ${JSON.stringify(insert)} at ${s}`);
  }
});

it('findings on the same path follow the edits (the cached tree is not reused for a different text)', () => {
  const rules = allRules.filter((r) => r.meta.id === 'sql-injection');
  const bad = 'from flask import request\n\n@app.get("/x")\ndef x():\n    return db.execute(f"SELECT * FROM t WHERE a = {request.args[\'a\']}")\n';
  const good = bad.replace('f"SELECT * FROM t WHERE a = {request.args[\'a\']}"', '"SELECT * FROM t WHERE a = ?", (request.args["a"],)');
  assert.equal(analyzeText({ path: 'edit.py', text: bad }, { rules }).findings.length, 1);
  assert.equal(analyzeText({ path: 'edit.py', text: good }, { rules }).findings.length, 0);
  assert.equal(analyzeText({ path: 'edit.py', text: bad }, { rules }).findings.length, 1);
});
