/**
 * `shipsafe scan --fix`: applies the fixes marked safe (they cannot change behaviour for legitimate input), one
 * at a time with re-analysis in between, and writes the files that changed. Suggestions and fixes that touch other
 * files (move a secret to .env) are never applied in bulk; the editor offers them one by one.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { ShipsafeConfig } from '../engine/config/config';
import { fixAll, prepareFixes } from '../engine/fixes';
import type { AnalysisResult } from '../engine/model/types';
import type { Rule } from '../engine/model/rule';
import { relativePath } from '../engine/project/scan';
import { languageOf } from '../engine/analyze';
import { scrubFindings } from '../engine/report/scrub';

export function applySafeFixes(files: readonly string[], root: string, config: ShipsafeConfig, rules: readonly Rule[]): { files: number; fixes: number } {
  let nFiles = 0;
  let nFixes = 0;
  for (const file of files) {
    if (!languageOf(file)) continue;
    let text: string;
    try { text = readFileSync(file, 'utf8'); } catch { continue; }
    if (text.length > config.maxFileSizeKb * 1024 || text.includes('\u0000')) continue;
    const r = fixAll({ path: relativePath(root, file), text }, { rules, config });
    if (!r.applied.length || r.text === text) continue;
    writeFileSync(file, r.text);
    nFiles++;
    nFixes += r.applied.length;
  }
  return { files: nFiles, fixes: nFixes };
}

/**
 * The fixes a report shows are the ones the editor would offer: each one re-checked by `verifyFix` (the file
 * still parses and the finding is gone). Only files with fixes are re-read; findings are rare.
 */
export function verifiedFixes(results: readonly AnalysisResult[], root: string, config: ShipsafeConfig, rules: readonly Rule[], options: { budgetMs?: number } = {}): AnalysisResult[] {
  return results.map((r) => {
    if (!r.findings.some((f) => f.fixes?.length)) return { ...r, findings: scrubFindings(r.findings, undefined) };
    let text: string;
    try { text = readFileSync(isAbsolute(r.file) ? r.file : join(root, r.file), 'utf8'); } catch { return { ...r, findings: scrubFindings(r.findings.map(({ fixes: _f, ...rest }) => rest), undefined) }; }
    return { ...r, findings: scrubFindings(prepareFixes({ path: r.file, text }, r.findings, { rules, config, budgetMs: options.budgetMs ?? VERIFY_BUDGET_MS }), text) };
  });
}

/** Time for verifying the fixes of one file in a report (each verification re-analyses the file). */
export const VERIFY_BUDGET_MS = 3000;
