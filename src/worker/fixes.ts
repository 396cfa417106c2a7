/**
 * Fixes for the editor, computed in the analysis worker: the findings of one document with their fixes resolved
 * (move a secret to .env reads the project's files; git state only when the workspace is trusted), each one
 * verified by re-analysis, plus "Ignore with reason"; or the text after every safe fix (source.fixAll.shipsafe).
 */
import type { AnalyzeInput, Finding, ShipsafeConfig } from '../engine';
import { allRules } from '../engine';
import { fixAll, prepareFixes } from '../engine/fixes';
import { nodeFixHost } from '../engine/project/fix-host';

export interface FixesOptions {
  /** add "Ignore with reason" to every finding */
  ignore?: boolean;
  /** git may run (trusted workspace): fixes can say whether .env is tracked or in history */
  git?: boolean;
  /** instead of per-finding fixes: the text after applying every safe fix */
  fixAll?: boolean;
}

export interface FixesResult {
  findings: Finding[];
  fixAll?: { text: string; applied: { ruleId: string; line: number; title: string }[] };
}

export function computeFixes(input: AnalyzeInput, absPath: string, root: string | undefined, findings: Finding[], config: ShipsafeConfig, opts: FixesOptions): FixesResult {
  if (opts.fixAll) {
    const r = fixAll(input, { rules: allRules, config });
    return { findings, fixAll: { text: r.text, applied: r.applied } };
  }
  // project fixes (.env next to package.json) only for files inside a workspace folder: never for untitled
  // documents or loose files, whose "project" could be any folder above them
  const prepared = prepareFixes(input, findings, {
    rules: allRules, config, ignore: opts.ignore,
    ...(root ? { host: nodeFixHost({ git: !!opts.git }), project: { absPath, root } } : {}),
  });
  return { findings: prepared };
}
