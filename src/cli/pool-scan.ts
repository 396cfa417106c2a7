/**
 * `scanFiles` with a per-file time budget. Same output as scanFiles, in the same order, whichever way it runs:
 *
 * - a small scan (up to `inProcessUpTo` files) is analysed in this thread: starting analysis threads costs more
 *   than such a scan. The budget still holds: each file is analysed through `vm` with a timeout, which interrupts
 *   synchronous code. After an interruption, the rest of the scan moves to the pool's fresh threads (this
 *   thread's state is not trusted to have survived it);
 * - a larger one is spread over the pool's threads (pool.ts), sized to the cores.
 *
 * A file that overruns is given the text-level secret scan alone and listed as `timeout`; the scan goes on.
 * Files are read here (so `postProcess` and the result cache see the text the analysis saw) and analysed by text.
 */
import { resolve } from 'node:path';
import vm from 'node:vm';
import type { ShipsafeConfig } from '../engine/config/config';
import type { Rule } from '../engine/model/rule';
import type { AnalysisResult } from '../engine/model/types';
import { analyseSource, hardReadLimit, readSource, relativePath, type ScanOutput, type ScanProgress } from '../engine/project/scan';
import type { ts } from 'ts-morph';
import { analyzeText, languageOf, parseForAnalysis } from '../engine/analyze';
import { buildProjectModelWith, moduleFactsOf } from '../engine/project-model/build';
import { extractModuleFacts } from '../engine/project-model/extract';
import type { ModuleFacts } from '../engine/project-model/types';
import { loadPythonParser } from '../engine/python/parser';
import { sharedPool, type AnalysisPool } from './pool';
import type { ProjectModel } from '../engine/project-model/model';
import { projectTaintOf, summarizable } from '../engine/project/taint-prepass';
import type { FileSummary, ProjectTaint, ProjectTaintData } from '../engine/taint/summaries';
import { ModelRecorder, type ModelReads } from './model-reads';

export interface BudgetScanOptions {
  config: ShipsafeConfig;
  rules: readonly Rule[];
  root: string;
  budgetMs: number;
  reportSyntaxErrors?: boolean;
  onProgress?: (p: ScanProgress) => void;
  pool?: AnalysisPool;
  /** analyse in this thread when there are at most this many files (default 0: always in the pool) */
  inProcessUpTo?: number;
  /**
   * Per file, after its analysis (in this thread): e.g. verifying fixes against the text that was analysed. Returns
   * the part to keep and whether it depends only on the file (not on timing), i.e. may be cached.
   */
  postProcess?: (part: ScanOutput, text: string, rel: string, project?: ProjectModel) => { part: ScanOutput; cacheable: boolean };
  /**
   * a content-keyed result cache (result-cache.ts): a hit skips analysis and postProcess. With a project model, each
   * result is stored with what its analysis (and postProcess, through the model it is given) asked the model
   * (model-reads.ts), and `get` gives it back only while the current model answers the same
   */
  cache?: {
    get(rel: string, text: string): ScanOutput | undefined;
    set(rel: string, text: string, part: ScanOutput, reads?: ModelReads | 'all'): void;
    /** a file's second analysis (with what other modules pass into it, `incoming` as JSON) */
    getSecond?(rel: string, text: string, incoming: string): ScanOutput | undefined;
    setSecond?(rel: string, text: string, incoming: string, part: ScanOutput, reads?: ModelReads | 'all'): void;
  };
  /** the project model (engine paths relative to `root`), sent to the threads once */
  project?: ProjectModel;
  /** follow request data into other modules (default: when there are several files); see scanFilesWithBudget */
  interprocedural?: boolean;
  /** trees already parsed for the project model (buildScanModel), used by the files' first analysis */
  parsed?: ParsedForModel;
}

/**
 * Where the project model's pre-pass left each file's parse: in this thread (a tree to take), or kept by an analysis
 * thread (the file's analysis is sent to that thread when it is free).
 */
export interface ParsedForModel {
  take(rel: string): { sourceFile: ts.SourceFile; moduleFacts: ModuleFacts } | undefined;
  threadOf(rel: string): number | undefined;
}

/** Where a scan's module facts may be cached between scans (result-cache.ts, ModelFactsCache). */
export interface FactsStore {
  get(rel: string, text: string): ModuleFacts | null | undefined;
  set(rel: string, text: string, facts: ModuleFacts | null): void;
}

/**
 * The project model of a scan, with each JavaScript/TypeScript file parsed once for it and for its analysis: a tree
 * that scanFilesWithBudget analyses in this thread is parsed here and kept; a tree analysed in the pool is parsed
 * by a thread, which returns the file's facts and keeps the tree for the file's analysis. Facts found in `cache`
 * (same path and text) cost no parse at all. The model is the one buildProjectModel makes.
 */
export async function buildScanModel(files: readonly string[], root: string, o: { inProcess: boolean; pool?: AnalysisPool; cache?: FactsStore; budgetMs?: number }): Promise<{ model: ProjectModel; parsed: ParsedForModel }> {
  const trees = new Map<string, { sourceFile: ts.SourceFile; moduleFacts: ModuleFacts }>();
  const threadOf = new Map<string, number>();
  const pool = () => o.pool ?? sharedPool();
  const compute = async (rel: string, text: string): Promise<ModuleFacts | null> => {
    if (o.inProcess) {
      try {
        const sf = parseForAnalysis(rel, text);
        if (!sf) return null;
        const facts = extractModuleFacts(sf, rel);
        trees.set(rel, { sourceFile: sf, moduleFacts: facts });
        return facts;
      } catch { return null; }
    }
    const r = await pool().run({ kind: 'facts', path: rel, text, keep: true }, o.budgetMs ?? 20_000);
    if (r.kind === 'done' && r.reply.ok && 'facts' in r.reply) {
      threadOf.set(rel, r.slot);
      return r.reply.facts;
    }
    // a thread that failed or ran out of time on it: parsed here, as buildProjectModel would
    try { return moduleFactsOf(rel, text); } catch { return null; }
  };
  const factsOf = async (rel: string, text: string): Promise<ModuleFacts | undefined> => {
    const hit = o.cache?.get(rel, text);
    if (hit !== undefined) return hit ?? undefined;
    const facts = await compute(rel, text);
    o.cache?.set(rel, text, facts);
    return facts ?? undefined;
  };
  const { model } = await buildProjectModelWith(files, root, factsOf, o.inProcess ? 1 : Math.max(2, pool().size * 4));
  return {
    model,
    parsed: {
      take: (rel) => { const t = trees.get(rel); trees.delete(rel); return t; },
      threadOf: (rel) => threadOf.get(rel),
    },
  };
}

const TEXT_SCAN_MIN_BUDGET_MS = 10_000;

/**
 * Up to this many files the CLI analyses in its own thread: a thread costs a Node start-up and a load of the
 * bundle and of TypeScript (~0.1 s each on a quiet machine), more than such a scan takes.
 */
export const IN_PROCESS_MAX_FILES = 150;

type Analysed = ReturnType<typeof analyzeText>;
/** `why` of a crash: how the report says it (a thread that died, or an analysis that threw) */
type Attempt<T> = { kind: 'done'; value: T } | { kind: 'timeout' } | { kind: 'crashed'; why: string };

const emptyOutput = (): ScanOutput => ({ results: [], skipped: [], ruleErrors: [], filesAnalyzed: 0 });

/** Runs `fn` in this thread, interrupted after `ms` (vm's watchdog terminates the running code). */
const JOB = Symbol.for('shipsafe.budgetedJob');
let runner: vm.Script | undefined;
function inThisThread<T>(fn: () => T, ms: number): Attempt<T> {
  runner ??= new vm.Script(`globalThis[Symbol.for('shipsafe.budgetedJob')]()`, { filename: 'shipsafe-budget.js' });
  const g = globalThis as unknown as Record<symbol, unknown>;
  g[JOB] = fn;
  try {
    return { kind: 'done', value: runner.runInThisContext({ timeout: Math.max(1, Math.round(ms)), breakOnSigint: false }) as T };
  } catch (e) {
    if ((e as NodeJS.ErrnoException)?.code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') return { kind: 'timeout' };
    return { kind: 'crashed', why: `the analysis failed (${String((e as Error)?.message ?? e).split('\n')[0]})` };
  } finally {
    delete g[JOB];
  }
}

/** a file's part of the output, with its summary for the project's taint when one was asked for (cached with it) */
type Part = ScanOutput & { summary?: FileSummary };
/** inter-procedural taint: what other modules pass into the file, and whether to summarise it */
interface Interproc { taint?: ProjectTaintData; summarize?: boolean }

interface Runner {
  /** analysis of a read file into a ScanOutput part; `rec`: records what it asks the project model (for the cache) */
  analyse(rel: string, text: string, o: BudgetScanOptions, ip?: Interproc, rec?: ModelRecorder): Promise<Attempt<Part>>;
  textOnly(rel: string, text: string, o: BudgetScanOptions, ms: number): Promise<Attempt<Analysed>>;
}

const poolRunner = (pool: () => AnalysisPool, projectId: () => number | undefined): Runner => ({
  async analyse(rel, text, o, ip, rec) {
    const pid = projectId();
    // the first analysis goes to the thread that kept the file's tree from the model's pre-pass, when it is free
    const r = await pool().run({
      kind: 'source', path: rel, text, config: o.config, ruleIds: o.rules.map((x) => x.meta.id), reportSyntaxErrors: o.reportSyntaxErrors ?? true,
      ...(pid !== undefined ? { projectId: pid } : {}), ...(ip?.taint ? { taint: ip.taint } : {}), ...(ip?.summarize ? { summarize: true } : {}),
      ...(rec && pid !== undefined ? { recordReads: true } : {}),
    }, o.budgetMs, ip?.taint ? undefined : o.parsed?.threadOf(rel));
    if (r.kind !== 'done') return r.kind === 'timeout' ? { kind: 'timeout' } : { kind: 'crashed', why: `the analysis thread failed (${r.error})` };
    if (r.reply.ok && 'out' in r.reply) {
      // the thread's model is a copy of this one (as data): its reads are checked against this one
      if (rec && pid !== undefined) rec.merge(r.reply.reads ?? 'all');
      return { kind: 'done', value: r.reply.summary ? { ...r.reply.out, summary: r.reply.summary } : r.reply.out };
    }
    return { kind: 'crashed', why: `the analysis failed (${!r.reply.ok ? r.reply.error : 'no result'})` };
  },
  async textOnly(rel, text, o, ms) {
    const pid = projectId();
    const r = await pool().run({ kind: 'text-only', path: rel, text, config: o.config, ruleIds: o.rules.map((x) => x.meta.id), ...(pid !== undefined ? { projectId: pid } : {}) }, ms);
    if (r.kind !== 'done') return r.kind === 'timeout' ? { kind: 'timeout' } : { kind: 'crashed', why: `the analysis thread failed (${r.error})` };
    if (r.reply.ok && 'result' in r.reply) return { kind: 'done', value: r.reply.result };
    return { kind: 'crashed', why: `the analysis failed (${!r.reply.ok ? r.reply.error : 'no result'})` };
  },
});

const threadRunner: Runner = {
  async analyse(rel, text, o, ip, rec) {
    // the tree parsed for the project model, on the file's first analysis (taken once: a second pass parses again)
    const parsed = ip?.taint ? undefined : o.parsed?.take(rel);
    const project = rec && o.project ? rec.wrap(o.project) : o.project;
    return inThisThread(() => analyseSource(rel, text, { ...o, project, ...ip, ...parsed }, o.reportSyntaxErrors ?? true), o.budgetMs);
  },
  async textOnly(rel, text, o, ms) {
    return inThisThread(() => analyzeText({ path: rel, text }, { rules: o.rules, config: o.config, textOnly: true }), ms);
  },
};

/** One read file: analysis, or after a timeout or a crash, the secret scan alone. */
async function scanText(rel: string, text: string, o: BudgetScanOptions, run: Runner, onTimeout: () => Runner, ip?: Interproc): Promise<{ part: Part; cacheable: boolean; reads?: ModelReads | 'all' }> {
  // with a cache and a model: what the analysis and postProcess ask the model is stored with the result
  const rec = o.cache && o.project ? new ModelRecorder() : undefined;
  const first = await run.analyse(rel, text, o, ip, rec);
  if (first.kind === 'done') {
    if (!o.postProcess) return { part: first.value, cacheable: true, reads: rec?.result() };
    const done = o.postProcess(first.value, text, rel, rec && o.project ? rec.wrap(o.project) : o.project);
    return { part: first.value.summary ? { ...done.part, summary: first.value.summary } : done.part, cacheable: done.cacheable, reads: rec?.result() };
  }
  // after an interruption in this thread, its fresh replacement is the pool
  const next = first.kind === 'timeout' ? onTimeout() : run;
  const why = first.kind === 'timeout' ? `the analysis took longer than the ${o.budgetMs} ms budget per file` : first.why;
  const out = emptyOutput();
  // the secret scan alone is linear and much cheaper than the analysis; it gets a floor of its own
  const second = await next.textOnly(rel, text, o, Math.max(o.budgetMs, TEXT_SCAN_MIN_BUDGET_MS));
  const reason = first.kind === 'timeout' ? 'timeout' as const : 'parse-error' as const;
  if (second.kind === 'done') {
    const { ruleErrors, syntaxErrors: _s, moduleFacts: _m, ...analysis } = second.value;
    const result: AnalysisResult = { ...analysis, file: rel, skipped: { file: rel, reason, detail: `${why}; only the secret scan ran` } };
    out.results.push(result);
    out.skipped.push(result.skipped!);
    for (const e of ruleErrors) out.ruleErrors.push({ file: rel, ruleId: e.ruleId, error: e.error });
    out.filesAnalyzed = 1;
  } else {
    out.skipped.push({ file: rel, reason, detail: `${why}, and so did the secret scan: nothing in this file was checked` });
  }
  const done = o.postProcess ? o.postProcess(out, text, rel) : { part: out };
  // what ran out of time depends on the machine: never cached
  return { part: done.part, cacheable: false };
}

export async function scanFilesWithBudget(files: readonly string[], o: BudgetScanOptions): Promise<ScanOutput> {
  const root = resolve(o.root);
  const limit = hardReadLimit(o.config);
  const opts = { ...o, root };
  const inProcess = !o.pool && files.length <= (o.inProcessUpTo ?? 0);
  const pool = () => o.pool ?? sharedPool();
  // the project model goes to the threads once, as data, the first time a thread is used
  let pid: number | undefined;
  const projectId = () => (o.project ? (pid ??= pool().addProject(o.project.toData())) : undefined);
  let runner: Runner = inProcess ? threadRunner : poolRunner(pool, projectId);
  if (inProcess && files.some((f) => languageOf(f) === 'python')) await loadPythonParser();
  const switchToPool = () => (runner = poolRunner(pool, projectId));

  const parts: ScanOutput[] = new Array(files.length);
  let done = 0;
  o.onProgress?.({ done: 0, total: files.length, file: files.length ? relativePath(root, resolve(files[0])) : '' });
  // Each file is analysed once and summarised from the same parse (what it exports, what its functions return, the
  // request data it passes to other modules); the summaries are joined, and only the files that then receive request
  // data from another module, or rely on another module's return value, are analysed again with it (cached apart,
  // bound to the file's text and to that incoming data: their result depends on other files).
  const interprocedural = o.interprocedural ?? files.length > 1;
  const summaries: FileSummary[] = [];
  const one = async (i: number) => {
    const abs = resolve(files[i]);
    const rel = relativePath(root, abs);
    const read = await readSource(abs, limit);
    const summarize = interprocedural && summarizable(abs);
    if ('skipped' in read) {
      parts[i] = { ...emptyOutput(), skipped: [{ file: rel, reason: read.skipped, detail: read.detail }] };
    } else {
      const hit: Part | undefined = o.cache?.get(rel, read.text);
      // a result cached without its summary (a scan that did not follow other modules) is analysed again
      if (hit && (!summarize || hit.summary || !hit.results.length || hit.results.some((r) => r.skipped))) parts[i] = hit;
      else {
        const r = await scanText(rel, read.text, opts, runner, switchToPool, summarize ? { summarize: true } : undefined);
        parts[i] = r.part;
        if (r.cacheable) o.cache?.set(rel, read.text, r.part, r.reads);
      }
      const sum = (parts[i] as Part).summary;
      if (summarize && sum) summaries.push(sum);
    }
    done++;
    o.onProgress?.({ done, total: files.length, file: rel });
  };
  // in this thread one file at a time; with the pool, a few files in flight per thread (not every file's text at once)
  const lanes = inProcess ? 1 : Math.max(2, pool().size * 2);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(lanes, files.length) }, async () => {
    while (next < files.length) await one(next++);
  }));
  if (interprocedural && summaries.length) {
    // the project model's resolver when there is one (tsconfig paths, workspaces), else the relative one
    const model = o.project;
    const project = projectTaintOf(summaries, files, root, model ? (from, spec) => model.resolveImport(from, spec) ?? undefined : undefined);
    const again = files.map((f, i) => ({ i, abs: resolve(f), rel: relativePath(root, resolve(f)) })).filter((x) => needsSecondPass(project, x.rel));
    let k = 0;
    await Promise.all(Array.from({ length: Math.min(lanes, again.length) }, async () => {
      while (k < again.length) {
        const { i, abs, rel } = again[k++];
        const read = await readSource(abs, limit);
        if ('skipped' in read) continue;
        const taint = project.dataFor(rel);
        // the same text with the same incoming data gives the same result: cached (--cache) on both
        const incoming = o.cache?.getSecond ? JSON.stringify(taint ?? null) : '';
        const hit = o.cache?.getSecond?.(rel, read.text, incoming);
        if (hit) { parts[i] = hit; continue; }
        const r = await scanText(rel, read.text, opts, runner, switchToPool, { taint });
        // a file that fails the second time keeps its first result
        if (r.part.results.length && !r.part.results.some((x) => x.skipped && !parts[i].results.some((p) => p.skipped))) {
          parts[i] = r.part;
          if (r.cacheable) o.cache?.setSecond?.(rel, read.text, incoming, r.part, r.reads);
        }
      }
    }));
  }

  const out = emptyOutput();
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
