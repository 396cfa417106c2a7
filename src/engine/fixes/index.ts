/**
 * Fixes, as the editor and the CLI get them: the rule's own same-file fixes plus fixes that need the project
 * (move a secret to .env), each one verified by re-analysis before it is offered, plus "Ignore with reason".
 */
import { analyzeText, type AnalyzeInput } from '../analyze';
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
  /**
   * Time for verifying this file's fixes. Each verification re-analyses the file, so 500 findings with a fix
   * each would take minutes; past the budget the remaining fixes are not offered (never offered unverified).
   */
  budgetMs?: number;
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
  const deadline = opts.budgetMs === undefined ? Infinity : performance.now() + opts.budgetMs;
  return findings.map((f) => {
    let candidates: Fix[] = [...(f.fixes ?? [])];
    if (f.fixData && opts.host && opts.project) {
      let resolved: Fix[] = [];
      try { resolved = resolveProjectFixes(f, input.text, opts.host, opts.project); } catch { /* a project we cannot read: no project fix */ }
      // the project fix is the rule's inline fallback plus the .env files: it takes that fix's place
      if (f.fixData.inlineFallback && resolved.some((x) => !x.disabled)) candidates = [...resolved, ...candidates.slice(1)];
      else candidates.push(...resolved);
    }
    const kept: Fix[] = [];
    for (const fix of candidates) {
      if (fix.disabled) { kept.push(fix); continue; }
      if (performance.now() > deadline) { opts.onRejected?.(f, fix, 'the time budget for verifying fixes in this file ran out'); continue; }
      const v = verifyFix(input, f, fix, { rules: opts.rules, config: opts.config, before: countBefore(f.ruleId) });
      if (v.ok) kept.push(fix);
      else opts.onRejected?.(f, fix, v.reason);
    }
    if (opts.ignore && performance.now() <= deadline) {
      const s = suppressionFix(f, input.text, input.path);
      if (s && verifyFix(input, f, s, { rules: opts.rules, config: opts.config, before: countBefore(f.ruleId) }).ok) kept.push(s);
    }
    const { fixes: _old, ...rest } = f;
    return kept.length ? { ...rest, fixes: kept } : rest;
  });
}

export interface FixAllOptions {
  rules: readonly Rule[];
  config?: ShipsafeConfig;
  /** which fixes to apply (default: safe ones) */
  accept?: (fix: Fix, finding: Finding) => boolean;
  /** at most this many fixes (a guard against a fix that keeps coming back) */
  max?: number;
  /** stop trying more fixes after this long (the ones verified so far are kept) */
  budgetMs?: number;
}

export interface FixAllResult {
  text: string;
  applied: { ruleId: string; line: number; title: string; safety: Fix['safety'] }[];
}

/**
 * Applies fixes to one file's text, one at a time, re-analysing after each (so two fixes that add the same import
 * add it once), keeping only fixes that pass `verifyFix`. Default: the safe fixes — what "Fix all" and
 * `shipsafe scan --fix` do. Same-file edits only; project fixes are never applied in bulk.
 */
export function fixAll(input: AnalyzeInput, opts: FixAllOptions): FixAllResult {
  const accept = opts.accept ?? ((fix: Fix) => fix.safety === 'safe');
  const applied: FixAllResult['applied'] = [];
  const tried = new Set<string>();
  let text = input.text;
  const deadline = opts.budgetMs === undefined ? Infinity : performance.now() + opts.budgetMs;
  for (let round = 0; round < (opts.max ?? 200) && performance.now() <= deadline; round++) {
    const r = analyzeText({ ...input, text }, { rules: opts.rules, config: opts.config });
    let next: { finding: Finding; fix: Fix } | undefined;
    for (const f of r.findings) {
      for (const fix of f.fixes ?? []) {
        const key = `${f.fingerprint}\u0000${fix.title}`;
        if (tried.has(key) || fix.disabled || !accept(fix, f)) continue;
        if (fix.edits.some((e) => e.file !== input.path || e.create)) continue;
        next = { finding: f, fix };
        tried.add(key);
        break;
      }
      if (next) break;
    }
    if (!next) break;
    const v = verifyFix({ ...input, text }, next.finding, next.fix, { rules: opts.rules, config: opts.config });
    if (!v.ok) continue;
    applied.push({ ruleId: next.finding.ruleId, line: next.finding.range.startPos.line, title: next.fix.title, safety: next.fix.safety });
    text = v.text;
  }
  return { text, applied };
}
