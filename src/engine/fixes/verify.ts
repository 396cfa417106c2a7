/**
 * The runtime guard for fixes: a fix is offered only when applying its edits to this file, in memory, leaves a
 * file that still parses (no new syntax errors) and on which the rule no longer reports the finding (its count
 * of findings drops, and no new one appears). The editor and the CLI call this before offering a fix.
 */
import { analyzeText, languageOf, parse, parseErrorCount, type AnalyzeInput } from '../analyze';
import type { ShipsafeConfig } from '../config/config';
import { DEFAULT_CONFIG } from '../config/config';
import type { Rule } from '../model/rule';
import type { Finding, Fix } from '../model/types';
import { applyTextEdits } from './edits';

export type FixVerdict = { ok: true; text: string } | { ok: false; reason: string };

/** The edits of a fix that target the analysed file itself. */
export function sameFileEdits(fix: Fix, path: string) {
  return fix.edits.filter((e) => e.file === path && !e.create).flatMap((e) => e.textEdits);
}

/** The file's text after a fix's same-file edits. */
export function applyFixToText(text: string, path: string, fix: Fix): string {
  return applyTextEdits(text, sameFileEdits(fix, path));
}

/** Every finding of the rule, whatever its confidence (a fix must not trade a finding for a hidden one). */
function ruleCount(input: AnalyzeInput, ruleId: string, rules: readonly Rule[], config: ShipsafeConfig): number {
  const cfg: ShipsafeConfig = { ...config, minConfidence: 'low', rules: { ...config.rules, [ruleId]: config.rules[ruleId] === 'off' ? 'warning' : config.rules[ruleId] ?? 'warning' } };
  const r = analyzeText(input, { rules, config: cfg, only: [ruleId] });
  return r.findings.filter((f) => f.ruleId === ruleId).length;
}

export interface VerifyContext {
  rules: readonly Rule[];
  config?: ShipsafeConfig;
  /** the rule's finding count on the unchanged text, when the caller already knows it */
  before?: number;
}

/**
 * Applies a fix's same-file edits in memory, re-parses and re-runs the finding's rule.
 * A fix without same-file edits (or a disabled one) is not verified here and passes as is.
 */
export function verifyFix(input: AnalyzeInput, finding: Finding, fix: Fix, ctx: VerifyContext): FixVerdict {
  if (fix.disabled) return { ok: true, text: input.text };
  const edits = sameFileEdits(fix, input.path);
  if (!edits.length) return { ok: true, text: input.text };
  let after: string;
  try {
    after = applyTextEdits(input.text, edits);
  } catch (e) {
    return { ok: false, reason: (e as Error).message };
  }
  const lang = input.language ?? languageOf(input.path);
  if (!lang) return { ok: false, reason: 'not a JavaScript or TypeScript file' };
  const errorsBefore = parseErrorCount(parse(input.path, input.text, lang));
  const errorsAfter = parseErrorCount(parse(input.path, after, lang));
  if (errorsAfter > errorsBefore) return { ok: false, reason: `the fixed file has ${errorsAfter - errorsBefore} new syntax error(s)` };
  const config = ctx.config ?? DEFAULT_CONFIG;
  const before = ctx.before ?? ruleCount(input, finding.ruleId, ctx.rules, config);
  const now = ruleCount({ ...input, text: after }, finding.ruleId, ctx.rules, config);
  if (now >= before) return { ok: false, reason: `${finding.ruleId} still reports ${now} finding(s) after the fix (before: ${before})` };
  return { ok: true, text: after };
}

export { ruleCount as countRuleFindings };
