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
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import vm from 'node:vm';
import type { ShipsafeConfig } from '../engine/config/config';
import type { Rule } from '../engine/model/rule';
import type { AnalysisResult } from '../engine/model/types';
import { analyseSource, hardReadLimit, readSource, readSourceSync, relativePath, type ReadResult, type ScanOutput, type ScanProgress } from '../engine/project/scan';
import type { ts } from 'ts-morph';
import { analyzeText, languageOf, parseForAnalysis } from '../engine/analyze';
import { buildProjectModelWith, moduleFactsOf } from '../engine/project-model/build';
import { extractModuleFacts } from '../engine/project-model/extract';
import type { ModuleFacts } from '../engine/project-model/types';
import { loadPythonParser } from '../engine/python/parser';
import { MAX_THREADS, sharedPool, type AnalysisPool } from './pool';
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
export async function buildScanModel(files: readonly string[], root: string, o: {
  inProcess: boolean; pool?: AnalysisPool; cache?: FactsStore; budgetMs?: number;
  /** which files' trees to keep for their analysis (default all): the others are in the model only */
  keep?: (rel: string) => boolean;
}): Promise<{ model: ProjectModel; parsed: ParsedForModel }> {
  const trees = new Map<string, { sourceFile: ts.SourceFile; moduleFacts: ModuleFacts }>();
  let keptChars = 0;
  const threadOf = new Map<string, number>();
  const pool = () => o.pool ?? sharedPool();
  const compute = async (rel: string, text: string): Promise<ModuleFacts | null> => {
    if (o.inProcess) {
      try {
        const sf = parseForAnalysis(rel, text);
        if (!sf) return null;
        const facts = extractModuleFacts(sf, rel);
        if (keptChars + text.length <= KEPT_TREES_MAX_CHARS && (o.keep?.(rel) ?? true)) {
          keptChars += text.length;
          trees.set(rel, { sourceFile: sf, moduleFacts: facts });
        }
        return facts;
      } catch { return null; }
    }
    const r = await pool().run({ kind: 'facts', path: rel, text, keep: o.keep?.(rel) ?? true }, o.budgetMs ?? 20_000);
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

/** files read ahead and analysed together in this thread (their texts are held meanwhile) */
const HERE_CHUNK = 64;

/**
 * Up to this many files the CLI analyses in its own thread: a thread costs a Node start-up, a load of the bundle and
 * of TypeScript (~0.1 s each on a quiet machine) and, above all, warming up the JIT again (compiling the parser and
 * the rules to fast code), more than such a scan takes.
 */
export const IN_PROCESS_MAX_FILES = 150;

/**
 * How many analysis threads a scan of `files` files uses by default (0: the CLI's own thread). On one or two cores,
 * none: the threads' start-up and JIT warm-up are never paid back there (measured on nodebb, 565 files, 2 cores:
 * 5.9 s CPU and 347 MB with two threads against 3.9 s and 216 MB in the CLI's thread, and no faster).
 */
export function defaultThreads(files: number, cores = availableParallelism()): number {
  if (files <= IN_PROCESS_MAX_FILES || cores <= 2) return 0;
  return Math.min(MAX_THREADS, cores);
}

/**
 * The trees the model's pre-pass keeps for the analysis in this thread, by total text length: past that, a file's
 * tree is dropped and the analysis parses it again (a tree takes several times its text in memory).
 */
const KEPT_TREES_MAX_CHARS = 48 * 1024 * 1024;

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

/**
 * In this thread, files are analysed several to a vm call: each call with a timeout starts a watchdog thread, which
 * costs more than many a small file's analysis. A call starts another file only while it has run for at most
 * `slack` ms, and its timeout is the budget plus that slack, so every file still gets its whole budget.
 * Returns an attempt per job, in order, up to the first that ran out of time (the caller moves the rest elsewhere).
 */
function batchInThisThread<T>(jobs: readonly (() => T)[], ms: number): Attempt<T>[] {
  const slack = Math.min(50, Math.max(1, ms / 10));
  const attempts: Attempt<T>[] = [];
  while (attempts.length < jobs.length) {
    const from = attempts.length;
    const r = inThisThread(() => {
      const t0 = performance.now();
      for (let k = from; k < jobs.length; k++) {
        if (k > from && performance.now() - t0 > slack) return;
        try {
          attempts.push({ kind: 'done', value: jobs[k]() });
        } catch (e) {
          attempts.push({ kind: 'crashed', why: `the analysis failed (${String((e as Error)?.message ?? e).split('\n')[0]})` });
        }
      }
    }, ms + slack);
    if (r.kind === 'timeout') { attempts.push({ kind: 'timeout' }); break; }
    // the loop catches what a job throws: a failure here is the batch's own
    if (r.kind === 'crashed') attempts.push(r);
  }
  return attempts;
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

/** A file's analysis in this thread, to run under a budget. */
function jobHere(rel: string, text: string, o: BudgetScanOptions, ip?: Interproc, rec?: ModelRecorder): () => Part {
  // the tree parsed for the project model, on the file's first analysis (taken once: a second pass parses again)
  const parsed = ip?.taint ? undefined : o.parsed?.take(rel);
  const project = rec && o.project ? rec.wrap(o.project) : o.project;
  return () => analyseSource(rel, text, { ...o, project, ...ip, ...parsed }, o.reportSyntaxErrors ?? true);
}

const threadRunner: Runner = {
  async analyse(rel, text, o, ip, rec) {
    return inThisThread(jobHere(rel, text, o, ip, rec), o.budgetMs);
  },
  async textOnly(rel, text, o, ms) {
    return inThisThread(() => analyzeText({ path: rel, text }, { rules: o.rules, config: o.config, textOnly: true }), ms);
  },
};

/** One read file: analysis, or after a timeout or a crash, the secret scan alone. */
async function scanText(rel: string, text: string, o: BudgetScanOptions, run: Runner, onTimeout: () => Runner, ip?: Interproc): Promise<Settled> {
  const rec = recorderFor(o);
  return settle(await run.analyse(rel, text, o, ip, rec), rel, text, o, run, onTimeout, rec);
}

type Settled = { part: Part; cacheable: boolean; reads?: ModelReads | 'all' };

/** with a cache and a model: what the analysis and postProcess ask the model is stored with the result */
const recorderFor = (o: BudgetScanOptions) => (o.cache && o.project ? new ModelRecorder() : undefined);

/** A file's part from its analysis attempt: post-processed when it ran, else the secret scan alone. */
async function settle(first: Attempt<Part>, rel: string, text: string, o: BudgetScanOptions, run: Runner, onTimeout: () => Runner, rec?: ModelRecorder): Promise<Settled> {
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
  /** a file still to analyse */
  type Todo = { i: number; rel: string; text: string; summarize: boolean };
  /** the part of a file that needs no analysis (unreadable, or cached), else what to analyse */
  const prepare = (i: number, rel: string, read: ReadResult, summarize: boolean): Todo | undefined => {
    if ('skipped' in read) {
      parts[i] = { ...emptyOutput(), skipped: [{ file: rel, reason: read.skipped, detail: read.detail }] };
      return undefined;
    }
    const hit: Part | undefined = o.cache?.get(rel, read.text);
    // a result cached without its summary (a scan that did not follow other modules) is analysed again
    if (hit && (!summarize || hit.summary || !hit.results.length || hit.results.some((r) => r.skipped))) { parts[i] = hit; return undefined; }
    return { i, rel, text: read.text, summarize };
  };
  const finish = (t: Todo, r: Settled) => {
    parts[t.i] = r.part;
    if (r.cacheable) o.cache?.set(t.rel, t.text, r.part, r.reads);
  };
  const after = (i: number, rel: string, summarize: boolean) => {
    const sum = (parts[i] as Part | undefined)?.summary;
    if (summarize && sum) summaries.push(sum);
    done++;
    o.onProgress?.({ done, total: files.length, file: rel });
  };
  /**
   * Files analysed in this thread, several to a budgeted call (batchInThisThread); after a file runs out of time,
   * the rest go to the pool's threads, one by one.
   */
  const analyseHere = async (todo: readonly Todo[], ipOf: (t: Todo) => Interproc | undefined): Promise<Settled[]> => {
    const recs = todo.map(() => recorderFor(opts));
    const attempts = runner === threadRunner ? batchInThisThread(todo.map((t, j) => jobHere(t.rel, t.text, opts, ipOf(t), recs[j])), o.budgetMs) : [];
    const results: Settled[] = [];
    for (let j = 0; j < todo.length; j++) {
      const t = todo[j];
      results.push(j < attempts.length
        ? await settle(attempts[j], t.rel, t.text, opts, threadRunner, switchToPool, recs[j])
        : await scanText(t.rel, t.text, opts, runner, switchToPool, ipOf(t)));
    }
    return results;
  };
  /**
   * Each item read, turned into what to analyse (or settled without analysis), analysed, and its result applied;
   * `after` once per item, when it is done. In this thread: read without waiting on the event loop (nothing else runs
   * meanwhile) and analysed a chunk at a time; with the pool: a few files in flight per thread (not every text at once).
   */
  const forEachFile = async <X extends { abs: string }, T extends Todo>(items: readonly X[], o2: {
    todo: (x: X, read: ReadResult) => T | undefined; ip: (t: T) => Interproc | undefined; apply: (t: T, r: Settled) => void; after?: (x: X) => void;
  }) => {
    if (inProcess) {
      for (let c = 0; c < items.length; c += HERE_CHUNK) {
        const chunk = items.slice(c, c + HERE_CHUNK);
        const todo = chunk.map((x) => o2.todo(x, readSourceSync(x.abs, limit))).filter((t): t is T => !!t);
        const results = await analyseHere(todo, (t) => o2.ip(t as T));
        todo.forEach((t, j) => o2.apply(t, results[j]));
        for (const x of chunk) o2.after?.(x);
      }
      return;
    }
    const lanes = Math.max(2, pool().size * 2);
    let next = 0;
    await Promise.all(Array.from({ length: Math.min(lanes, items.length) }, async () => {
      while (next < items.length) {
        const x = items[next++];
        const t = o2.todo(x, await readSource(x.abs, limit));
        if (t) o2.apply(t, await scanText(t.rel, t.text, opts, runner, switchToPool, o2.ip(t)));
        o2.after?.(x);
      }
    }));
  };

  await forEachFile(files.map((f, i) => {
    const abs = resolve(f);
    return { i, abs, rel: relativePath(root, abs), summarize: interprocedural && summarizable(abs) };
  }), {
    todo: (x, read) => prepare(x.i, x.rel, read, x.summarize),
    ip: (t) => (t.summarize ? { summarize: true } : undefined),
    apply: finish,
    after: (x) => after(x.i, x.rel, x.summarize),
  });
  if (interprocedural && summaries.length) {
    // the project model's resolver when there is one (tsconfig paths, workspaces), else the relative one
    const model = o.project;
    const project = projectTaintOf(summaries, files, root, model ? (from, spec) => model.resolveImport(from, spec) ?? undefined : undefined);
    const again = files.map((f, i) => ({ i, abs: resolve(f), rel: relativePath(root, resolve(f)) })).filter((x) => needsSecondPass(project, x.rel));
    /** the second analysis of a read file, with what other modules pass into it (cached apart on both) */
    type Again = Todo & { taint: ProjectTaintData | undefined; incoming: string };
    const second = (x: { i: number; rel: string }, read: ReadResult): Again | undefined => {
      if ('skipped' in read) return undefined;
      const taint = project.dataFor(x.rel);
      // the same text with the same incoming data gives the same result: cached (--cache) on both
      const incoming = o.cache?.getSecond ? JSON.stringify(taint ?? null) : '';
      const hit = o.cache?.getSecond?.(x.rel, read.text, incoming);
      if (hit) { parts[x.i] = hit; return undefined; }
      return { i: x.i, rel: x.rel, text: read.text, summarize: false, taint, incoming };
    };
    const keep = (t: Again, r: Settled) => {
      // a file that fails the second time keeps its first result
      if (r.part.results.length && !r.part.results.some((x) => x.skipped && !parts[t.i].results.some((p) => p.skipped))) {
        parts[t.i] = r.part;
        if (r.cacheable) o.cache?.setSecond?.(t.rel, t.text, t.incoming, r.part, r.reads);
      }
    };
    await forEachFile(again, { todo: second, ip: (t) => ({ taint: t.taint }), apply: keep });
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
