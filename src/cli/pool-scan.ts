/**
 * `scanFiles` with a per-file time budget: each file is analysed in a pool thread (pool.ts). A file that overruns
 * is given the text-level secret scan alone and listed as `timeout`; the scan goes on. Same output as scanFiles.
 */
import { resolve } from 'node:path';
import type { ShipsafeConfig } from '../engine/config/config';
import type { Rule } from '../engine/model/rule';
import type { AnalysisResult } from '../engine/model/types';
import { hardReadLimit, readSource, relativePath, type ScanOutput, type ScanProgress } from '../engine/project/scan';
import { sharedPool, type AnalysisPool } from './pool';
import { projectTaintOf, summarizable } from '../engine/project/taint-prepass';
import type { FileSummary, ProjectTaint, ProjectTaintData } from '../engine/taint/summaries';

export interface BudgetScanOptions {
  config: ShipsafeConfig;
  rules: readonly Rule[];
  root: string;
  budgetMs: number;
  reportSyntaxErrors?: boolean;
  onProgress?: (p: ScanProgress) => void;
  pool?: AnalysisPool;
  /** follow request data into other modules (default: when there are several files); see scanFilesWithBudget */
  interprocedural?: boolean;
}

const TEXT_SCAN_MIN_BUDGET_MS = 10_000;

type Analysed = ReturnType<typeof import('../engine/analyze').analyzeText>;

/** One file through the pool; after a timeout or a crash, the secret scan alone. */
async function scanOne(abs: string, rel: string, o: BudgetScanOptions, pool: AnalysisPool, project?: { data?: ProjectTaintData; summarize?: boolean; summaries?: FileSummary[] }): Promise<ScanOutput> {
  const ruleIds = o.rules.map((r) => r.meta.id);
  const data = project?.data;
  const first = await pool.run({ kind: 'file', file: abs, root: o.root, config: o.config, ruleIds, reportSyntaxErrors: o.reportSyntaxErrors, ...(data ? { project: data } : {}), ...(project?.summarize ? { summarize: true } : {}) }, o.budgetMs);
  if (first.kind === 'done' && first.reply.ok && 'out' in first.reply) {
    if (first.reply.summary) project?.summaries?.push(first.reply.summary);
    return first.reply.out;
  }
  const why = first.kind === 'timeout' ? `the analysis took longer than the ${o.budgetMs} ms budget per file`
    : first.kind === 'crashed' ? `the analysis thread failed (${first.error})`
    : `the analysis failed (${!first.reply.ok ? first.reply.error : 'no result'})`;
  const out: ScanOutput = { results: [], skipped: [], ruleErrors: [], filesAnalyzed: 0 };
  const read = await readSource(abs, hardReadLimit(o.config));
  if ('skipped' in read) { out.skipped.push({ file: rel, reason: read.skipped, detail: read.detail }); return out; }
  // the secret scan alone is linear and much cheaper than the analysis; it gets a floor of its own
  const second = await pool.run({ kind: 'text-only', path: rel, text: read.text, config: o.config, ruleIds }, Math.max(o.budgetMs, TEXT_SCAN_MIN_BUDGET_MS));
  const reason = first.kind === 'timeout' ? 'timeout' as const : 'parse-error' as const;
  if (second.kind === 'done' && second.reply.ok && 'result' in second.reply) {
    const { ruleErrors, syntaxErrors: _s, ...analysis } = second.reply.result as Analysed;
    const result: AnalysisResult = { ...analysis, file: rel, skipped: { file: rel, reason, detail: `${why}; only the secret scan ran` } };
    out.results.push(result);
    out.skipped.push(result.skipped!);
    for (const e of ruleErrors) out.ruleErrors.push({ file: rel, ruleId: e.ruleId, error: e.error });
    out.filesAnalyzed = 1;
  } else {
    out.skipped.push({ file: rel, reason, detail: `${why}, and so did the secret scan: nothing in this file was checked` });
  }
  return out;
}

export async function scanFilesWithBudget(files: readonly string[], o: BudgetScanOptions): Promise<ScanOutput> {
  const root = resolve(o.root);
  const pool = o.pool ?? sharedPool();
  const parts: ScanOutput[] = new Array(files.length);
  let done = 0;
  o.onProgress?.({ done: 0, total: files.length, file: files.length ? relativePath(root, resolve(files[0])) : '' });
  // Each file is analysed once and summarised from the same parse (what it exports, what its functions return, the
  // request data it passes to other modules); the summaries are joined, and only the files that then receive request
  // data from another module, or rely on another module's return value, are analysed again with it. That costs far
  // less than a summary pass over every file before the analysis (a second parse of the whole tree).
  const interprocedural = o.interprocedural ?? files.length > 1;
  const summaries: FileSummary[] = [];
  await Promise.all(files.map(async (f, i) => {
    const abs = resolve(f);
    const rel = relativePath(root, abs);
    parts[i] = await scanOne(abs, rel, { ...o, root }, pool, interprocedural && summarizable(abs) ? { summarize: true, summaries } : undefined);
    done++;
    o.onProgress?.({ done, total: files.length, file: rel });
  }));
  if (interprocedural && summaries.length) {
    const project = projectTaintOf(summaries, files, root);
    await Promise.all(files.map(async (f, i) => {
      const abs = resolve(f);
      const rel = relativePath(root, abs);
      if (!needsSecondPass(project, rel)) return;
      const data = project.dataFor(rel);
      const again = await scanOne(abs, rel, { ...o, root }, pool, { data });
      // a file that fails the second time keeps its first result
      if (again.results.length && !again.results.some((r) => r.skipped && !parts[i].results.some((p) => p.skipped))) parts[i] = again;
    }));
  }
  const out: ScanOutput = { results: [], skipped: [], ruleErrors: [], filesAnalyzed: 0 };
  for (const p of parts) {
    out.results.push(...p.results);
    out.skipped.push(...p.skipped);
    out.ruleErrors.push(...p.ruleErrors);
    out.filesAnalyzed += p.filesAnalyzed;
  }
  return out;
}

/**
 * Whether a file's findings can change with what other modules tell: request data reaches one of its functions'
 * parameters, or it passes request data to an imported function that returns it.
 */
export function needsSecondPass(project: ProjectTaint, file: string): boolean {
  const data = project.dataFor(file);
  if (!data) return false;
  if (Object.keys(data.incoming).length) return true;
  const summary = project.get(file);
  return !!summary?.calls.some((c) => c.args.some((a) => a.source && project.returnsParam(file, c.target, a.index)));
}
