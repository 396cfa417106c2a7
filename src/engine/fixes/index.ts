/**
 * Fixes, as the editor and the CLI get them: the rule's own same-file fixes plus fixes that need the project
 * (move a secret to .env), each one verified by re-analysis before it is offered, plus "Ignore with reason".
 */
import type { AnalyzeInput } from '../analyze';
import type { ShipsafeConfig } from '../config/config';
import type { Rule } from '../model/rule';
import type { Finding, Fix } from '../model/types';
import { resolveProjectFixes, type FixHost, type ProjectContext } from './env';
import { suppressionFix } from './suppress';
import { countRuleFindings, verifyFix } from './verify';

export { applyTextEdits } from './edits';
export { applyFixToText, verifyFix, sameFileEdits, type FixVerdict } from './verify';
export { suppressionFix, REASON_PLACEHOLDER } from './suppress';
export { resolveProjectFixes, moveToEnvFix, parseDotenv, dotenvLine, cleanEnvName, type FixHost, type GitState, type ProjectContext } from './env';

export interface PrepareOptions {
  rules: readonly Rule[];
  config?: ShipsafeConfig;
  /** reads the project around the file; without it, project fixes (move to .env) are not offered */
  host?: FixHost;
  project?: ProjectContext;
  /** add "Ignore with reason" to every finding */
  ignore?: boolean;
  /** called for every fix that failed verification (for a debug log) */
  onRejected?: (finding: Finding, fix: Fix, reason: string) => void;
}

/**
 * The findings with their fixes resolved and verified: same-file fixes that do not remove their finding on
 * re-analysis (or break the syntax) are dropped; disabled fixes (an explanation without edits) are kept.
 */
export function prepareFixes(input: AnalyzeInput, findings: readonly Finding[], opts: PrepareOptions): Finding[] {
  const before = new Map<string, number>();
  const countBefore = (ruleId: string) => {
    let n = before.get(ruleId);
    if (n === undefined) {
      n = countRuleFindings(input, ruleId, opts.rules, opts.config ?? { rules: {}, exclude: [], minConfidence: 'low', maxFileSizeKb: 1024 });
      before.set(ruleId, n);
    }
    return n;
  };
  return findings.map((f) => {
    const candidates: Fix[] = [...(f.fixes ?? [])];
    if (f.fixData && opts.host && opts.project) {
      try { candidates.push(...resolveProjectFixes(f, input.text, opts.host, opts.project)); } catch { /* a project we cannot read: no project fix */ }
    }
    const kept: Fix[] = [];
    for (const fix of candidates) {
      if (fix.disabled) { kept.push(fix); continue; }
      const v = verifyFix(input, f, fix, { rules: opts.rules, config: opts.config, before: countBefore(f.ruleId) });
      if (v.ok) kept.push(fix);
      else opts.onRejected?.(f, fix, v.reason);
    }
    if (opts.ignore) {
      const s = suppressionFix(f, input.text, input.path);
      if (s && verifyFix(input, f, s, { rules: opts.rules, config: opts.config, before: countBefore(f.ruleId) }).ok) kept.push(s);
    }
    const { fixes: _old, ...rest } = f;
    return kept.length ? { ...rest, fixes: kept } : rest;
  });
}
