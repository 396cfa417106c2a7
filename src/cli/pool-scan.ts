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
import { analyseSource, asReadSource, hardReadLimit, readSource, readSourceSync, relativePath, type ReadResult, type ScanOutput, type ScanProgress } from '../engine/project/scan';
import { analysisSkipReason, analyzeText, languageOf, parseForModel, sizeSkipReason, type ModelParse } from '../engine/analyze';
import { buildProjectModelWith, moduleFactsOf } from '../engine/project-model/build';
import type { ConfigFacts, ModuleFacts } from '../engine/project-model/types';
import { loadPythonParser } from '../engine/python/parser';
import { MAX_THREADS, sharedPool, type AnalysisPool } from './pool';
import type { ProjectModel } from '../engine/project-model/model';
import { projectTaintOf, summarizable, summarizeFiles } from '../engine/project/taint-prepass';
import type { FileSummary, ProjectTaint, ProjectTaintData } from '../engine/taint/summaries';
import { ModelRecorder, type ModelReads } from './model-reads';
import { analyseAhead, mayTakeFromOtherModules, passesRequestData, waitsForModel, type AheadOptions, type AnalysedAhead } from './analysis-ahead';

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
    /** `incoming`: what other modules pass into the file (inter-procedural taint, as JSON), when anything */
    get(rel: string, text: string, incoming?: string): ScanOutput | undefined;
    set(rel: string, text: string, part: ScanOutput, reads?: ModelReads | 'all', incoming?: string): void;
    /** a file's result that depends on the machine (it ran out of time): not stored */
    notStored(): void;
  };
  /** the project model (engine paths relative to `root`), sent to the threads once */
  project?: ProjectModel;
  /** follow request data into other modules (default: when there are several files); see scanFilesWithBudget */
  interprocedural?: boolean;
  /** trees already parsed for the project model (buildScanModel), used by the files' analysis */
  parsed?: ParsedForModel;
}

/**
 * What the project model's pre-pass left for the files' analysis: each file's parse, in this thread (a tree to take,
 * prepared for its analysis when it was summarised) or kept by an analysis thread (the file's analysis is sent to that
 * thread when it is free); and the files' summaries for the project's taint.
 */
export interface ParsedForModel {
  take(rel: string): ModelParse | undefined;
  threadOf(rel: string): number | undefined;
  /** the summaries of the files the pre-pass summarised (`summarize`), in the order of the files; undefined: none asked */
  summaries?: FileSummary[];
  /** the pre-pass ran out of time in this thread: its state is not trusted, the analysis goes to the pool's threads */
  interrupted?: boolean;
  /**
   * A file's text as the pre-pass read it, given once, when it is what the analysis would read (asReadSource):
   * the analysis need not read the file again. Undefined: read it.
   */
  text?(rel: string): ReadResult | undefined;
  /**
   * A file's analysis run in the pre-pass, given once (buildScanModel's `analyse`, analysis-ahead.ts); the analysis
   * takes it when it holds for the scan (same text, same facts in the model, nothing passed in by other modules).
   */
  analysed?(rel: string): AnalysedAhead | undefined;
}


/**
 * Where a scan's module facts (and files' summaries) may be cached between scans (result-cache.ts, ModelFactsCache).
 * `summary`: undefined when not computed, null for a file that could not be summarised.
 */
export interface FactsStore {
  get(rel: string, text: string): { facts: ModuleFacts | null; summary?: FileSummary | null } | undefined;
  set(rel: string, text: string, facts: ModuleFacts | null, summary?: FileSummary | null): void;
}

type PrePass = { facts: ModuleFacts | null; summary?: FileSummary | null };

/**
 * The project model of a scan, with each JavaScript/TypeScript file parsed once for it and for its analysis: a tree
 * that scanFilesWithBudget analyses in this thread is parsed here and kept; a tree analysed in the pool is parsed
 * by a thread, which returns the file's facts and keeps the tree for the file's analysis. Facts found in `cache`
 * (same path and text) cost no parse at all. The model is the one buildProjectModel makes.
 *
 * With `summarize` (the scan's configuration), the JavaScript/TypeScript files are also summarised for the project's
 * taint from the same parse (taint/summaries.ts), so that each file is analysed once, already knowing what other
 * modules pass into it; the files of the model that are not analysed too (`--staged`: the rest of the app). In this
 * thread, this pass runs under the per-file budget as the analysis does (several files to a budgeted call); after a
 * file runs out of time, the rest of it goes to the pool's threads.
 */
export async function buildScanModel(files: readonly string[], root: string, o: {
  inProcess: boolean; pool?: AnalysisPool; cache?: FactsStore; budgetMs?: number;
  /** which files' trees to keep for their analysis (default all): the others are in the model only */
  keep?: (rel: string) => boolean;
  /** summarise the JavaScript/TypeScript files (those the analysis parses) with this configuration */
  summarize?: ShipsafeConfig;
  /**
   * analyse each file kept for its analysis in this thread right after its pre-pass, with the model it may already
   * ask (analysis-ahead.ts): its tree then need not be kept. Only for a scan without a result cache, whose analysis
   * reads the texts the model read (not after --fix) and runs with these rules and configuration.
   */
  analyse?: AheadOptions;
}): Promise<{ model: ProjectModel; parsed: ParsedForModel }> {
  const trees = new Map<string, ModelParse>();
  let keptChars = 0;
  // the texts read for the model, kept for the analysis of the same files (a tree holds its text anyway; a file
  // whose facts came from the cache costs its text until its analysis)
  const texts = new Map<string, string>();
  let keptTextChars = 0;
  const threadOf = new Map<string, number>();
  const pool = () => o.pool ?? sharedPool();
  const budgetMs = o.budgetMs ?? 20_000;
  let interrupted = false;
  const summaries = new Map<string, FileSummary>();
  const analysed = new Map<string, AnalysedAhead>();
  /** the files summarised so far, and those whose summaries pass request data to other modules (waitsForModel) */
  let summarised = 0, sourceFiles = 0;
  /** the facts of the model's configuration files, once read (buildProjectModelWith reads them before any module) */
  let configs: readonly ConfigFacts[] | undefined;
  const attempted = new Set<string>();
  // every module of the model is summarised, the files not analysed too (`--staged`: the rest of the app, so that a
  // staged DAO is judged with the request data an unstaged route passes it)
  const wants = (rel: string, text: string) => !!o.summarize && summarizable(rel) && !analysisSkipReason(rel, text, o.summarize);
  // the same for a text of the model: buildProjectModelWith hands factsOf (and computeAhead) only texts classifyText
  // and thirdPartyReason left in, so only the size limit is asked again (sizeSkipReason)
  const wantsModelText = (rel: string, text: string) => !!o.summarize && summarizable(rel) && !sizeSkipReason(text, o.summarize);
  /**
   * one file's pre-pass in this thread: parse, facts, and summary; the tree is kept for the file's analysis, unless it
   * is analysed now. `fresh`: whether a step started now still has a whole budget in the running call
   * (batchInThisThread): the analysis runs ahead only then, so that it has its own budget, as after the model
   */
  const here = (rel: string, text: string, summarize: boolean, fresh: () => boolean): PrePass => {
    // (`summarize`: wants() found that the analysis parses the file)
    const r = parseForModel(rel, text, summarize ? o.summarize : undefined, summarize);
    if (!r) return { facts: null, ...(summarize ? { summary: null } : {}) };
    const keep = o.keep?.(rel) ?? true;
    if (r.summary) {
      summarised++;
      if (passesRequestData(r.summary)) sourceFiles++;
    }
    // in an app where many files pass request data to other modules, a file that may take some waits for the model
    const wait = !!r.summary && waitsForModel(sourceFiles, summarised) && mayTakeFromOtherModules(r.summary);
    // analysed now, its tree is not kept; when that analysis asked what only the whole model knows, the file is parsed
    // again for its analysis (the tree has served two analyses already: the summary's and that one)
    const ahead = keep && o.analyse && !wait && fresh() ? analyseAhead(rel, text, r.parse, o.analyse, configs) : undefined;
    if (ahead?.ran) { if (ahead.result) analysed.set(rel, ahead.result); }
    else if (keptChars + text.length <= KEPT_TREES_MAX_CHARS && keep) {
      keptChars += text.length;
      trees.set(rel, r.parse);
    }
    return { facts: r.parse.moduleFacts, ...(summarize ? { summary: r.summary ?? null } : {}) };
  };
  /** in a thread of the pool (after this thread ran out of time, or with threads); facts alone if that fails too */
  const inPool = async (rel: string, text: string, summarize: boolean): Promise<PrePass | undefined> => {
    const r = await pool().run({ kind: 'facts', path: rel, text, keep: o.keep?.(rel) ?? true, ...(summarize ? { summarize: o.summarize } : {}) }, budgetMs);
    if (r.kind === 'done' && r.reply.ok && 'facts' in r.reply) {
      threadOf.set(rel, r.slot);
      return { facts: r.reply.facts, ...(summarize ? { summary: r.reply.summary ?? null } : {}) };
    }
    // a thread that failed or ran out of time on it: parsed here, as buildProjectModel would (no summary: the file
    // adds no taint, and the result is not cached: it depends on the machine)
    try { return { facts: moduleFactsOf(rel, text) }; } catch { return { facts: null }; }
  };
  /** one file's pass where the scan runs: in this thread under the budget (until a file ran out of it), else the pool's */
  const one = async (rel: string, text: string, summarize: boolean): Promise<PrePass | undefined> => {
    if (!o.inProcess || interrupted) return inPool(rel, text, summarize);
    const a = batchInThisThread([(fresh) => here(rel, text, summarize, fresh)], budgetMs)[0];
    if (a?.kind === 'done') return a.value;
    if (a?.kind === 'crashed') return { facts: null, ...(summarize ? { summary: null } : {}) };
    interrupted = true;
    return inPool(rel, text, summarize);
  };
  /** what this thread computed ahead (several files to a budgeted call) */
  const ahead = new Map<string, PrePass>();
  /** whether to summarise a file, and what the cache holds for it (once per file) */
  const looked = new Map<string, { summarize: boolean; hit?: PrePass }>();
  const lookup = (rel: string, text: string) => {
    let l = looked.get(rel);
    if (!l) {
      const summarize = wantsModelText(rel, text);
      const hit = o.cache?.get(rel, text);
      l = { summarize, ...(hit && (!summarize || hit.summary !== undefined) ? { hit } : {}) };
      looked.set(rel, l);
    }
    return l;
  };
  const computeAhead = (items: readonly { rel: string; text: string }[], configFacts: readonly ConfigFacts[]) => {
    configs = configFacts;
    const todo = items.flatMap((x) => { const l = lookup(x.rel, x.text); return l.hit ? [] : [{ ...x, summarize: l.summarize }]; });
    for (let c = 0; c < todo.length && !interrupted; c += HERE_CHUNK) {
      const chunk = todo.slice(c, c + HERE_CHUNK);
      const attempts = batchInThisThread(chunk.map((x) => (fresh: () => boolean) => here(x.rel, x.text, x.summarize, fresh)), budgetMs);
      attempts.forEach((a, j) => {
        if (a.kind === 'done') ahead.set(chunk[j].rel, a.value);
        else if (a.kind === 'crashed') ahead.set(chunk[j].rel, { facts: null, ...(chunk[j].summarize ? { summary: null } : {}) });
      });
      if (attempts.some((a) => a.kind === 'timeout')) interrupted = true;
    }
  };
  const factsOf = async (rel: string, text: string): Promise<ModuleFacts | undefined> => {
    if (keptTextChars + text.length <= KEPT_TREES_MAX_CHARS && (o.keep?.(rel) ?? true)) {
      keptTextChars += text.length;
      texts.set(rel, text);
    }
    const { summarize, hit } = lookup(rel, text);
    looked.delete(rel);
    if (summarize) attempted.add(rel);
    let got: PrePass | undefined = hit;
    let cacheable = true;
    if (!got) {
      got = ahead.get(rel);
      ahead.delete(rel);
      if (!got) {
        got = await one(rel, text, summarize);
        cacheable = !summarize || got?.summary !== undefined;
      }
      if (got && cacheable) o.cache?.set(rel, text, got.facts, got.summary);
    }
    if (got?.summary) summaries.set(rel, got.summary);
    return got?.facts ?? undefined;
  };
  const { model } = await buildProjectModelWith(files, root, factsOf, o.inProcess ? 1 : Math.max(2, pool().size * 4),
    o.inProcess ? computeAhead : undefined);
  // each file's path as the engine sees it (the root resolved once)
  const absRoot = resolve(root);
  const relOf = o.summarize ? files.map((f) => relativePath(absRoot, resolve(f))) : [];
  // files to analyse that the model leaves out (over its size limit) are summarised all the same
  if (o.summarize) {
    const limit = hardReadLimit(o.summarize);
    for (let i = 0; i < files.length; i++) {
      const f = files[i];
      const rel = relOf[i];
      if (attempted.has(rel) || !summarizable(rel) || !(o.keep?.(rel) ?? true)) continue;
      const read = readSourceSync(resolve(f), limit);
      if ('skipped' in read || !wants(rel, read.text)) continue;
      const got = await one(rel, read.text, true);
      if (got?.summary) summaries.set(rel, got.summary);
    }
  }
  const ordered = o.summarize ? relOf.flatMap((rel) => summaries.get(rel) ?? []) : undefined;
  return {
    model,
    parsed: {
      take: (rel) => { const t = trees.get(rel); trees.delete(rel); return t; },
      text: (rel) => { const t = texts.get(rel); if (t === undefined) return undefined; texts.delete(rel); return asReadSource(t); },
      threadOf: (rel) => threadOf.get(rel),
      ...(o.analyse ? { analysed: (rel: string) => { const a = analysed.get(rel); analysed.delete(rel); return a; } } : {}),
      ...(ordered ? { summaries: ordered } : {}),
      ...(interrupted ? { interrupted } : {}),
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
 * `slack` ms, and its timeout is the budget plus that slack, so every file still gets its whole budget. A job is
 * given `fresh`, which tells whether a step it starts now would too (the call has run for at most `slack` ms): a job
 * of two steps (a file's pre-pass, then its analysis run ahead) starts the second only then.
 * Returns an attempt per job, in order, up to the first that ran out of time (the caller moves the rest elsewhere).
 */
export function batchInThisThread<T>(jobs: readonly ((fresh: () => boolean) => T)[], ms: number): Attempt<T>[] {
  // (up to 1 s: the watchdog's start and join cost the main thread 1 ms or more a call on a busy machine — a scan of
  // 800 files made some 80 calls with 50 ms — and with 200 ms a profile of a 1,000-file scan still showed ~30 ms more
  // in runInContext than with 2 s; the progress line moves at least once a second)
  const slack = Math.min(1000, Math.max(1, ms / 10));
  const attempts: Attempt<T>[] = [];
  while (attempts.length < jobs.length) {
    const from = attempts.length;
    const r = inThisThread(() => {
      const t0 = performance.now();
      // (a job told this may start a step of its own: the call's timeout leaves it the whole budget too)
      const fresh = () => performance.now() - t0 <= slack;
      for (let k = from; k < jobs.length; k++) {
        if (k > from && !fresh()) return;
        try {
          attempts.push({ kind: 'done', value: jobs[k](fresh) });
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

/** inter-procedural taint: what other modules pass into the file */
interface Interproc { taint?: ProjectTaintData }

interface Runner {
  /** analysis of a read file into a ScanOutput part; `rec`: records what it asks the project model (for the cache) */
  analyse(rel: string, text: string, o: BudgetScanOptions, ip?: Interproc, rec?: ModelRecorder): Promise<Attempt<ScanOutput>>;
  textOnly(rel: string, text: string, o: BudgetScanOptions, ms: number): Promise<Attempt<Analysed>>;
}

const poolRunner = (pool: () => AnalysisPool, projectId: () => number | undefined): Runner => ({
  async analyse(rel, text, o, ip, rec) {
    const pid = projectId();
    // the analysis goes to the thread that kept the file's tree from the model's pre-pass, when it is free
    const r = await pool().run({
      kind: 'source', path: rel, text, config: o.config, ruleIds: o.rules.map((x) => x.meta.id), reportSyntaxErrors: o.reportSyntaxErrors ?? true,
      ...(pid !== undefined ? { projectId: pid } : {}), ...(ip?.taint ? { taint: ip.taint } : {}),
      ...(rec && pid !== undefined ? { recordReads: true } : {}),
    }, o.budgetMs, o.parsed?.threadOf(rel));
    if (r.kind !== 'done') return r.kind === 'timeout' ? { kind: 'timeout' } : { kind: 'crashed', why: `the analysis thread failed (${r.error})` };
    if (r.reply.ok && 'out' in r.reply) {
      // the thread's model is a copy of this one (as data): its reads are checked against this one
      if (rec && pid !== undefined) rec.merge(r.reply.reads ?? 'all');
      return { kind: 'done', value: r.reply.out };
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
function jobHere(rel: string, text: string, o: BudgetScanOptions, ip?: Interproc, rec?: ModelRecorder): () => ScanOutput {
  // the tree parsed for the project model (taken once: an analysis tried again parses again)
  const parsed = o.parsed?.take(rel);
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

type Settled = { part: ScanOutput; cacheable: boolean; reads?: ModelReads | 'all' };

/** with a cache and a model: what the analysis and postProcess ask the model is stored with the result */
const recorderFor = (o: BudgetScanOptions) => (o.cache && o.project ? new ModelRecorder() : undefined);

/** A file's part from its analysis attempt: post-processed when it ran, else the secret scan alone. */
async function settle(first: Attempt<ScanOutput>, rel: string, text: string, o: BudgetScanOptions, run: Runner, onTimeout: () => Runner, rec?: ModelRecorder): Promise<Settled> {
  if (first.kind === 'done') {
    if (!o.postProcess) return { part: first.value, cacheable: true, reads: rec?.result() };
    const done = o.postProcess(first.value, text, rel, rec && o.project ? rec.wrap(o.project) : o.project);
    return { part: done.part, cacheable: done.cacheable, reads: rec?.result() };
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
  // after the model's pre-pass ran out of time in this thread, the analysis does not trust it either
  const inProcess = !o.pool && files.length <= (o.inProcessUpTo ?? 0) && !o.parsed?.interrupted;
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
  // Inter-procedural taint: the files' summaries (what they export, what their functions return, the request data
  // they pass to other modules), made by the model's pre-pass from the same parse, are joined before the analysis;
  // each file is then analysed once, with what other modules pass into it when that can change its findings (its
  // result is then cached bound to its text and to that incoming data: it depends on other files).
  const interprocedural = o.interprocedural ?? files.length > 1;
  const summaries = interprocedural ? o.parsed?.summaries ?? await summarizeFiles(files, root, o.config) : [];
  // the project model's resolver when there is one (tsconfig paths, workspaces), else the relative one
  const model = o.project;
  const project = summaries.length ? projectTaintOf(summaries, files, root, model ? (from, spec) => model.resolveImport(from, spec) ?? undefined : undefined) : undefined;
  /** a file still to analyse; `incoming`: what other modules pass into it, as the cache key has it */
  type Todo = { i: number; rel: string; text: string; taint?: ProjectTaintData; incoming?: string; ahead?: ScanOutput };
  /** the part of a file that needs no analysis (unreadable, or cached), else what to analyse */
  const prepare = (i: number, rel: string, read: ReadResult): Todo | undefined => {
    if ('skipped' in read) {
      parts[i] = { ...emptyOutput(), skipped: [{ file: rel, reason: read.skipped, detail: read.detail }] };
      return undefined;
    }
    const taint = project && dependsOnOtherModules(project, rel) ? project.dataFor(rel) : undefined;
    // the analysis the model's pre-pass ran ahead, when it holds for this scan (analysis-ahead.ts); never with a
    // result cache (whose entries record what the analysis asked the model)
    const ahead = o.parsed?.analysed?.(rel);
    if (ahead && !taint && !o.cache && ahead.text === read.text && model?.facts(rel) === ahead.facts && ahead.options.rules === o.rules
      && ahead.options.config === o.config && ahead.options.reportSyntaxErrors === (o.reportSyntaxErrors ?? true)) return { i, rel, text: read.text, ahead: ahead.out };
    // the same text with the same incoming data gives the same result: cached (--cache) bound to both
    const incoming = taint && o.cache ? JSON.stringify(taint) : undefined;
    const hit = o.cache?.get(rel, read.text, incoming);
    if (hit) { parts[i] = hit; return undefined; }
    return { i, rel, text: read.text, ...(taint ? { taint } : {}), ...(incoming !== undefined ? { incoming } : {}) };
  };
  const finish = (t: Todo, r: Settled) => {
    parts[t.i] = r.part;
    if (r.cacheable) o.cache?.set(t.rel, t.text, r.part, r.reads, t.incoming);
    else o.cache?.notStored();
  };
  const ipOf = (t: Todo): Interproc | undefined => (t.taint ? { taint: t.taint } : undefined);
  /**
   * Files analysed in this thread, several to a budgeted call (batchInThisThread); after a file runs out of time,
   * the rest go to the pool's threads, one by one.
   */
  const analyseHere = async (todo: readonly Todo[]): Promise<Settled[]> => {
    const recs = todo.map(() => recorderFor(opts));
    // (the files analysed ahead are settled as they are)
    const run = todo.flatMap((t, j) => (t.ahead ? [] : [j]));
    const attempts = runner === threadRunner ? batchInThisThread(run.map((j) => jobHere(todo[j].rel, todo[j].text, opts, ipOf(todo[j]), recs[j])), o.budgetMs) : [];
    const results: Settled[] = [];
    let k = 0;
    for (let j = 0; j < todo.length; j++) {
      const t = todo[j];
      if (t.ahead) { results.push(await settle({ kind: 'done', value: t.ahead }, t.rel, t.text, opts, threadRunner, switchToPool, recs[j])); continue; }
      const a = k < attempts.length ? attempts[k] : undefined;
      k++;
      results.push(a
        ? await settle(a, t.rel, t.text, opts, threadRunner, switchToPool, recs[j])
        : await scanText(t.rel, t.text, opts, runner, switchToPool, ipOf(t)));
    }
    return results;
  };
  const items = files.map((f, i) => { const abs = resolve(f); return { i, abs, rel: relativePath(root, abs) }; });
  const after = (x: { rel: string }) => {
    done++;
    o.onProgress?.({ done, total: files.length, file: x.rel });
  };
  // In this thread: read without waiting on the event loop (nothing else runs meanwhile) and analysed a chunk at a
  // time; with the pool: a few files in flight per thread (not every text at once)
  if (inProcess) {
    for (let c = 0; c < items.length; c += HERE_CHUNK) {
      const chunk = items.slice(c, c + HERE_CHUNK);
      const todo = chunk.map((x) => prepare(x.i, x.rel, o.parsed?.text?.(x.rel) ?? readSourceSync(x.abs, limit))).filter((t): t is Todo => !!t);
      const results = await analyseHere(todo);
      todo.forEach((t, j) => finish(t, results[j]));
      for (const x of chunk) after(x);
    }
  } else {
    const lanes = Math.max(2, pool().size * 2);
    let next = 0;
    await Promise.all(Array.from({ length: Math.min(lanes, items.length) }, async () => {
      while (next < items.length) {
        const x = items[next++];
        const t = prepare(x.i, x.rel, o.parsed?.text?.(x.rel) ?? await readSource(x.abs, limit));
        if (t) finish(t, t.ahead ? await settle({ kind: 'done', value: t.ahead }, t.rel, t.text, opts, runner, switchToPool) : await scanText(t.rel, t.text, opts, runner, switchToPool, ipOf(t)));
        after(x);
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
export function dependsOnOtherModules(project: ProjectTaint, file: string): boolean {
  // (not from dataFor, which also lists every module the file imports, with their exports and returns: most files
  // depend on nothing, and without that list, no call resolves to a summary, so returnsParam says no to each)
  if (project.hasIncoming(file)) return true;
  const summary = project.get(file);
  return !!summary?.calls.some((c) => c.args.some((a) => a.source && project.returnsParam(file, c.target, a.index)));
}
