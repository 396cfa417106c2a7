/**
 * The runtime guard for fixes: a fix is offered only when applying its edits to this file, in memory, leaves a
 * file that still parses (no new syntax errors) and on which the rule no longer reports the finding (its count
 * of findings drops, and no new one appears). The editor and the CLI call this before offering a fix.
 */
import { analyzeText, languageOf, syntaxErrorCount, type AnalyzeInput } from '../analyze';
import type { ShipsafeConfig } from '../config/config';
import { DEFAULT_CONFIG } from '../config/config';
import type { Rule } from '../model/rule';
import type { Finding, Fix } from '../model/types';
import { applyTextEdits } from './edits';
import { templateEngineOf, templateOutputs } from '../templates/scan';

export type FixVerdict = { ok: true; text: string } | { ok: false; reason: string };

/** The edits of a fix that target the analysed file itself. */
export function sameFileEdits(fix: Fix, path: string) {
  return fix.edits.filter((e) => e.file === path && !e.create).flatMap((e) => e.textEdits);
}

/** The file's text after a fix's same-file edits. */
export function applyFixToText(text: string, path: string, fix: Fix): string {
  return applyTextEdits(text, sameFileEdits(fix, path));
}

/**
 * Every finding of the rule, whatever its confidence (a fix must not trade a finding for a hidden one), and the
 * syntax errors the parser recovered from — from the analysis's own parse, so the text is parsed once.
 */
function ruleRun(input: AnalyzeInput, ruleId: string, rules: readonly Rule[], config: ShipsafeConfig): { count: number; syntaxErrors: number } {
  const cfg: ShipsafeConfig = { ...config, minConfidence: 'low', rules: { ...config.rules, [ruleId]: config.rules[ruleId] === 'off' ? 'warning' : config.rules[ruleId] ?? 'warning' } };
  const r = analyzeText(input, { rules, config: cfg, only: [ruleId] });
  const lang = input.language ?? languageOf(input.path);
  // a file too large or minified to analyse was not parsed by the analysis: parse it here for the syntax check
  const syntaxErrors = r.skipped && lang ? syntaxErrorCount(input.path, input.text, lang) : r.syntaxErrors?.count ?? 0;
  return { count: r.findings.filter((f) => f.ruleId === ruleId).length, syntaxErrors };
}

function ruleCount(input: AnalyzeInput, ruleId: string, rules: readonly Rule[], config: ShipsafeConfig): number {
  return ruleRun(input, ruleId, rules, config).count;
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
  const config = ctx.config ?? DEFAULT_CONFIG;
  if (!lang) {
    // a server template: the fix must keep every output tag a tag (same count, none swallowed) and remove the finding
    const engine = templateEngineOf(input.path, input.text);
    if (!engine || templateEngineOf(input.path, after) !== engine) return { ok: false, reason: 'not a JavaScript, TypeScript, Python or template file' };
    if (templateOutputs(after, engine).length !== templateOutputs(input.text, engine).length) return { ok: false, reason: 'the fix changes the template\'s tags' };
    const before = ctx.before ?? ruleCount(input, finding.ruleId, ctx.rules, config);
    const now = ruleCount({ ...input, text: after }, finding.ruleId, ctx.rules, config);
    if (now >= before) return { ok: false, reason: `${finding.ruleId} still reports ${now} finding(s) after the fix (before: ${before})` };
    return { ok: true, text: after };
  }
  const afterRun = ruleRun({ ...input, text: after }, finding.ruleId, ctx.rules, config);
  const beforeRun = ctx.before === undefined ? ruleRun(input, finding.ruleId, ctx.rules, config) : undefined;
  const errorsBefore = beforeRun ? beforeRun.syntaxErrors : syntaxErrorCount(input.path, input.text, lang);
  const errorsAfter = afterRun.syntaxErrors;
  if (errorsAfter > errorsBefore) return { ok: false, reason: `the fixed file has ${errorsAfter - errorsBefore} new syntax error(s)` };
  const before = ctx.before ?? beforeRun!.count;
  const now = afterRun.count;
  if (now >= before) return { ok: false, reason: `${finding.ruleId} still reports ${now} finding(s) after the fix (before: ${before})` };
  return { ok: true, text: after };
}

export { ruleCount as countRuleFindings };
