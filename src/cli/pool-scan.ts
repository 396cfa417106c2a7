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
import type { ProjectModel } from '../engine/project-model/model';

export interface BudgetScanOptions {
  config: ShipsafeConfig;
  rules: readonly Rule[];
  root: string;
  budgetMs: number;
  reportSyntaxErrors?: boolean;
  onProgress?: (p: ScanProgress) => void;
  pool?: AnalysisPool;
  /** the project model (engine paths relative to `root`), sent to the threads once */
  project?: ProjectModel;
}

const TEXT_SCAN_MIN_BUDGET_MS = 10_000;

type Analysed = ReturnType<typeof import('../engine/analyze').analyzeText>;

/** One file through the pool; after a timeout or a crash, the secret scan alone. */
async function scanOne(abs: string, rel: string, o: BudgetScanOptions, pool: AnalysisPool, projectId: number | undefined): Promise<ScanOutput> {
  const ruleIds = o.rules.map((r) => r.meta.id);
  const first = await pool.run({ kind: 'file', file: abs, root: o.root, config: o.config, ruleIds, reportSyntaxErrors: o.reportSyntaxErrors, ...(projectId !== undefined ? { projectId } : {}) }, o.budgetMs);
  if (first.kind === 'done' && first.reply.ok && 'out' in first.reply) return first.reply.out;
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
    const { ruleErrors, syntaxErrors: _s, moduleFacts: _m, ...analysis } = second.reply.result as Analysed;
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
  const projectId = o.project ? pool.addProject(o.project.toData()) : undefined;
  let done = 0;
  o.onProgress?.({ done: 0, total: files.length, file: files.length ? relativePath(root, resolve(files[0])) : '' });
  await Promise.all(files.map(async (f, i) => {
    const abs = resolve(f);
    const rel = relativePath(root, abs);
    parts[i] = await scanOne(abs, rel, { ...o, root }, pool, projectId);
    done++;
    o.onProgress?.({ done, total: files.length, file: rel });
  }));
  const out: ScanOutput = { results: [], skipped: [], ruleErrors: [], filesAnalyzed: 0 };
  for (const p of parts) {
    out.results.push(...p.results);
    out.skipped.push(...p.skipped);
    out.ruleErrors.push(...p.ruleErrors);
    out.filesAnalyzed += p.filesAnalyzed;
  }
  return out;
}
