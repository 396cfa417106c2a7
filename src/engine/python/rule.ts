/**
 * The Python side of a rule. A rule's metadata stays in one place: a Python implementation of a flaw that the
 * JavaScript rules already cover uses the same id (and its metadata, extended with `python` and the Python
 * docs section); a flaw only Python has is a rule of its own under src/engine/rules/<category>/ whose
 * `languages` are `['python']`.
 */
import type { Node } from 'web-tree-sitter';
import type { Fix, FixData, Confidence, Severity, PythonDocs } from '../model/types';
import type { PyFacts } from './facts';
import type { PyTaint } from './taint';

export type PyNode = Node;

export interface PyReport {
  node?: Node;
  range?: { start: number; end: number };
  message: string;
  confidence?: Confidence;
  severity?: Severity;
  related?: { node?: Node; range?: { start: number; end: number }; message: string }[];
  fixes?: Fix[];
  fixData?: FixData;
}

export interface PyRuleContext {
  readonly path: string;
  readonly text: string;
  readonly root: Node;
  readonly facts: PyFacts;
  readonly taint: PyTaint;
  report(d: PyReport): void;
}

export interface PyVisitors {
  /** calls by the callee's last name (`cursor.execute(…)` → 'execute', `eval(…)` → 'eval') */
  calls?: Record<string, (call: Node) => void>;
  /** nodes by tree-sitter type ('assignment', 'keyword_argument', 'string', …) */
  nodes?: Record<string, (node: Node) => void>;
  onFileEnd?: () => void;
}

export interface PythonRuleImpl {
  create(ctx: PyRuleContext): PyVisitors;
}

/** A Python implementation of an existing rule id (src/engine/python/rules/<id>.ts). */
export interface PythonRuleModule extends PythonRuleImpl {
  id: string;
  /** the Python part of the rule's docs */
  docs: PythonDocs;
}

export function definePythonRule(m: PythonRuleModule): PythonRuleModule {
  return m;
}
