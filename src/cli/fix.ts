/**
 * `shipsafe scan --fix`: applies the fixes marked safe (they cannot change behaviour for legitimate input), one
 * at a time with re-analysis in between, and writes the files that changed. Suggestions and fixes that touch other
 * files (move a secret to .env) are never applied in bulk; the editor offers them one by one.
 */
import { readFileSync, realpathSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import type { ShipsafeConfig } from '../engine/config/config';
import { fixAll, prepareFixes } from '../engine/fixes';
import type { AnalysisResult } from '../engine/model/types';
import type { Rule } from '../engine/model/rule';
import { relativePath } from '../engine/project/scan';
import { leavesBase } from '../engine/util/paths';
import { languageOf } from '../engine/analyze';
import { scrubFindings } from '../engine/report/scrub';
import type { ProjectModel } from '../engine/project-model/model';

export interface FixFailure {
  file: string;
  reason: string;
}

export interface FixOutcome {
  files: number;
  fixes: number;
  /** files that could not be fixed or written, with why; the other files were still fixed */
  failures: FixFailure[];
}

/**
 * `--fix` in two phases: first every file's fixed text is computed in memory (nothing written yet), then each
 * changed file is written atomically (a temporary file beside it, renamed over it), so a failure leaves every
 * file either as it was or fully fixed. A file that cannot be read, fixed or written is reported and skipped;
 * the others go on. Files whose real path is outside `root` (through a symlink) and read-only files are not
 * changed.
 */
export function applySafeFixes(files: readonly string[], root: string, config: ShipsafeConfig, rules: readonly Rule[], options: { budgetMs?: number; project?: ProjectModel } = {}): FixOutcome {
  const failures: FixFailure[] = [];
  const plan: { file: string; real: string; mode: number; text: string; fixes: number }[] = [];
  let rootReal: string;
  try { rootReal = realpathSync(root); } catch { rootReal = resolve(root); }
  for (const file of files) {
    if (!languageOf(file)) continue;
    const rel = relativePath(root, file);
    try {
      const real = realpathSync(file);
      const inside = relative(rootReal, real);
      if (leavesBase(inside)) { failures.push({ file: rel, reason: 'it is a symbolic link to a file outside the project; not changed' }); continue; }
      const st = statSync(real);
      if (!st.isFile()) continue;
      if (st.size > config.maxFileSizeKb * 1024) continue;
      const text = readFileSync(real, 'utf8');
      if (text.includes('\u0000')) continue;
      const r = fixAll({ path: rel, text, ...(options.project ? { project: options.project } : {}) }, { rules, config, budgetMs: options.budgetMs ?? FIX_BUDGET_MS });
      if (!r.applied.length || r.text === text) continue;
      if ((st.mode & 0o222) === 0) { failures.push({ file: rel, reason: `the file is read-only; ${r.applied.length} safe fix${r.applied.length === 1 ? '' : 'es'} not applied` }); continue; }
      plan.push({ file: rel, real, mode: st.mode & 0o7777, text: r.text, fixes: r.applied.length });
    } catch (e) {
      failures.push({ file: rel, reason: `could not be fixed (${describeError(e)})` });
    }
  }
  let nFiles = 0;
  let nFixes = 0;
  for (const p of plan) {
    try {
      writeAtomically(p.real, p.text, p.mode);
      nFiles++;
      nFixes += p.fixes;
    } catch (e) {
      failures.push({ file: p.file, reason: `could not be written (${describeError(e)}); left unchanged` });
    }
  }
  return { files: nFiles, fixes: nFixes, failures };
}

/** Time for fixing one file with --fix: past it, the fixes verified so far are kept and no more are tried. */
export const FIX_BUDGET_MS = 10_000;

function describeError(e: unknown): string {
  const code = (e as NodeJS.ErrnoException)?.code;
  if (code) return code;
  if (e instanceof RangeError) return 'its code is nested too deeply';
  return String((e as Error)?.message ?? e).split('\n')[0].slice(0, 200);
}

/** Writes a file through a temporary file in the same folder and a rename: readers never see half a file. */
function writeAtomically(file: string, text: string, mode: number): void {
  const tmp = join(dirname(file), `.${basename(file)}.shipsafe-${process.pid}-${Date.now()}.tmp`);
  try {
    writeFileSync(tmp, text, { mode, flag: 'wx' });
    renameSync(tmp, file);
  } catch (e) {
    try { unlinkSync(tmp); } catch { /* not created */ }
    throw e;
  }
}

/**
 * The fixes a report shows are the ones the editor would offer: each one re-checked by `verifyFix` (the file still
 * parses and the finding is gone), against the text that was analysed. Only files with fixes cost anything;
 * findings are rare. `complete` is false when the verification budget ran out, so the outcome depends on the
 * machine's speed (such a result is not cached).
 */
export function verifiedFixesOf(result: AnalysisResult, text: string, config: ShipsafeConfig, rules: readonly Rule[], options: { budgetMs?: number; project?: ProjectModel } = {}): { result: AnalysisResult; complete: boolean } {
  if (!result.findings.some((f) => f.fixes?.length)) return { result: { ...result, findings: scrubFindings(result.findings, undefined) }, complete: true };
  let complete = true;
  const findings = prepareFixes({ path: result.file, text, ...(options.project ? { project: options.project } : {}) }, result.findings, {
    rules, config, budgetMs: options.budgetMs ?? VERIFY_BUDGET_MS,
    onRejected: (_f, _fix, reason) => { if (/time budget/.test(reason)) complete = false; },
  });
  return { result: { ...result, findings: scrubFindings(findings, text) }, complete };
}

/** Time for verifying the fixes of one file in a report (each verification re-analyses the file). */
export const VERIFY_BUDGET_MS = 3000;
