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
import type { ProjectTaint } from '../engine/taint/summaries';

export interface BudgetScanOptions {
  config: ShipsafeConfig;
  rules: readonly Rule[];
  root: string;
  budgetMs: number;
  reportSyntaxErrors?: boolean;
  onProgress?: (p: ScanProgress) => void;
  pool?: AnalysisPool;
  /** run the summary pre-pass so request data is followed into other modules (default: when there are several files) */
  interprocedural?: boolean;
}

/** Files per summary job: enough to keep message overhead low, few enough to spread over the threads. */
const SUMMARY_BATCH = 8;

/**
 * The summary pre-pass in the pool threads (taint/summaries.ts), joined here. A batch that fails or overruns adds
 * nothing: its files are analysed without what they pass to other modules.
 */
export async function projectTaintInPool(files: readonly string[], o: BudgetScanOptions, pool: AnalysisPool): Promise<ProjectTaint> {
  const js = files.filter(summarizable).map((f) => resolve(f));
  const batches: string[][] = [];
  for (let i = 0; i < js.length; i += SUMMARY_BATCH) batches.push(js.slice(i, i + SUMMARY_BATCH));
  const ruleIds: string[] = [];
  const parts = await Promise.all(batches.map(async (b) => {
    const r = await pool.run({ kind: 'summary', files: b, root: o.root, config: o.config, ruleIds }, o.budgetMs * 2);
    return r.kind === 'done' && r.reply.ok && 'summaries' in r.reply ? r.reply.summaries : [];
  }));
  return projectTaintOf(parts.flat(), files, o.root);
}

const TEXT_SCAN_MIN_BUDGET_MS = 10_000;

type Analysed = ReturnType<typeof import('../engine/analyze').analyzeText>;

/** One file through the pool; after a timeout or a crash, the secret scan alone. */
async function scanOne(abs: string, rel: string, o: BudgetScanOptions, pool: AnalysisPool, project?: ProjectTaint): Promise<ScanOutput> {
  const ruleIds = o.rules.map((r) => r.meta.id);
  const data = project?.dataFor(rel);
  const first = await pool.run({ kind: 'file', file: abs, root: o.root, config: o.config, ruleIds, reportSyntaxErrors: o.reportSyntaxErrors, ...(data ? { project: data } : {}) }, o.budgetMs);
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
  const project = (o.interprocedural ?? files.length > 1) ? await projectTaintInPool(files, { ...o, root }, pool) : undefined;
  await Promise.all(files.map(async (f, i) => {
    const abs = resolve(f);
    const rel = relativePath(root, abs);
    parts[i] = await scanOne(abs, rel, { ...o, root }, pool, project);
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
