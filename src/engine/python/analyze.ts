/**
 * Python analysis: one parse (tree-sitter, incremental per path), one pre-pass for imports, one walk that hands
 * each node to the rules that asked for its type or, for calls, for the callee's last name. Reports come back
 * as offsets, like every other finding; the caller applies configuration and suppressions.
 */
import { Query, type Language, type Node, type TreeCursor } from 'web-tree-sitter';
import type { ReportDescriptor, Rule } from '../model/rule';
import { calleeLastName } from './ast';
import { collectPyFacts } from './facts';
import { parsePython } from './parser';
import type { PyReport, PyRuleContext } from './rule';
import { PyTaint } from './taint';
import { pythonRenderFacts } from './renders';
import type { RenderDraft } from '../templates/link';

const queries = new Map<string, Query>();
/** `[(call) (assignment) …] @n`, compiled once per set of node types. */
function queryFor(language: Language, types: Set<string>): Query {
  const key = [...types].sort().join(' ');
  let q = queries.get(key);
  if (!q) {
    q = new Query(language, `[${[...types].sort().map((t) => `(${t})`).join(' ')}] @n`);
    queries.set(key, q);
  }
  return q;
}

export interface PySyntaxErrors { count: number; line: number; column: number; message: string }

export interface PyRunResult {
  syntaxErrors?: PySyntaxErrors;
}

function toDescriptor(d: PyReport): ReportDescriptor {
  const range = d.node ? { start: d.node.startIndex, end: d.node.endIndex } : d.range!;
  return {
    range, message: d.message,
    ...(d.confidence ? { confidence: d.confidence } : {}),
    ...(d.severity ? { severity: d.severity } : {}),
    ...(d.related ? { related: d.related.map((r) => ({ range: r.node ? { start: r.node.startIndex, end: r.node.endIndex } : r.range!, message: r.message })) } : {}),
    ...(d.fixes ? { fixes: d.fixes } : {}),
    ...(d.fixData ? { fixData: d.fixData } : {}),
  };
}

/**
 * A report whose request data reached the finding through calls of helpers of the file: each call it went through,
 * after the place the data entered, as a related location (`Passed to find_user() here.`).
 */
function withHops(d: PyReport, taint: PyTaint): PyReport {
  if (!d.related?.length) return d;
  const at = d.node ? { start: d.node.startIndex, end: d.node.endIndex } : d.range;
  if (!at) return d;
  let changed = false;
  const related: NonNullable<PyReport['related']> = [];
  for (const r of d.related) {
    related.push(r);
    if (!r.node) continue;
    for (const h of taint.hopsTo(r.node, at)) {
      related.push({ node: h.call, message: `Passed to \`${h.name}()\` here.` });
      changed = true;
    }
  }
  return changed ? { ...d, related } : d;
}

export function runPythonRules(
  path: string, text: string, rules: readonly Rule[],
  report: (rule: Rule, d: ReportDescriptor) => void,
  ruleErrors: { ruleId: string; error: string }[],
  timings?: { parseMs: number; factsMs: number; walkMs: number; rulesMs: Record<string, number> },
  renders?: RenderDraft[],
): PyRunResult {
  let t0 = performance.now();
  const tree = parsePython(path, text);
  const root = tree.rootNode;
  if (timings) timings.parseMs = performance.now() - t0;
  t0 = performance.now();
  const facts = collectPyFacts(root);
  const taint = new PyTaint(root, facts);
  if (timings) timings.factsMs = performance.now() - t0;

  const byType = new Map<string, ((n: Node) => void)[]>();
  const byCallee = new Map<string, ((n: Node) => void)[]>();
  const enders: (() => void)[] = [];
  const guard = (rule: Rule, fn: (n: Node) => void) => {
    let failed = false;
    const id = rule.meta.id;
    if (timings) timings.rulesMs[id] ??= 0;
    return (n: Node) => {
      if (failed) return;
      const t = timings ? performance.now() : 0;
      try { fn(n); } catch (e) { failed = true; ruleErrors.push({ ruleId: id, error: String((e as Error)?.stack ?? e) }); }
      if (timings) timings.rulesMs[id] += performance.now() - t;
    };
  };
  for (const rule of rules) {
    if (!rule.python) continue;
    const ctx: PyRuleContext = { path, text, root, facts, taint, report: (d) => report(rule, toDescriptor(withHops(d, taint))) };
    let v;
    try { v = rule.python.create(ctx); } catch (e) { ruleErrors.push({ ruleId: rule.meta.id, error: String((e as Error)?.stack ?? e) }); continue; }
    for (const [name, fn] of Object.entries(v.calls ?? {})) { const l = byCallee.get(name) ?? []; l.push(guard(rule, fn)); byCallee.set(name, l); }
    for (const [type, fn] of Object.entries(v.nodes ?? {})) { const l = byType.get(type) ?? []; l.push(guard(rule, fn)); byType.set(type, l); }
    if (v.onFileEnd) { const end = v.onFileEnd; enders.push(() => guard(rule, () => end())(root)); }
  }

  // one query for the node types the rules asked for: tree-sitter finds them inside WebAssembly, and only those
  // nodes become JavaScript objects (walking every node from JavaScript costs several times the parse)
  const hasError = root.hasError;
  t0 = performance.now();
  const types = new Set(byType.keys());
  if (byCallee.size) types.add('call');
  if (types.size) {
    for (const { node } of queryFor(tree.language, types).captures(root)) {
      const type = node.type;
      const hs = byType.get(type);
      if (hs) for (const h of hs) h(node);
      if (type === 'call' && byCallee.size) {
        const name = calleeLastName(node);
        const named = name !== undefined ? byCallee.get(name) : undefined;
        if (named) for (const h of named) h(node);
      }
    }
  }
  let errors = 0;
  let firstError: Node | undefined;
  if (hasError) {
    const cursor: TreeCursor = tree.walk();
    for (;;) {
      if (cursor.nodeType === 'ERROR' || cursor.currentNode.isMissing) { errors++; firstError ??= cursor.currentNode; }
      if (cursor.gotoFirstChild()) continue;
      if (cursor.gotoNextSibling()) continue;
      let done = false;
      for (;;) {
        if (!cursor.gotoParent()) { done = true; break; }
        if (cursor.gotoNextSibling()) break;
      }
      if (done) break;
    }
    cursor.delete();
  }
  for (const end of enders) end();
  // the views this file renders with request data, for the link with the templates' raw outputs
  if (renders) {
    try { renders.push(...pythonRenderFacts(root, facts, taint)); } catch (e) { ruleErrors.push({ ruleId: 'template-unescaped-output', error: String((e as Error)?.stack ?? e) }); }
  }
  if (timings) timings.walkMs = performance.now() - t0;
  if (!errors || !firstError) return {};
  return {
    syntaxErrors: {
      count: errors, line: firstError.startPosition.row + 1, column: firstError.startPosition.column + 1,
      message: firstError.isMissing ? `missing ${firstError.type}` : 'invalid syntax',
    },
  };
}
