/**
 * The CLI's analysis thread (dist/scan-worker.js starts it from dist/cli-bundle.js). Analysis is synchronous, so a
 * file that takes too long cannot be interrupted from inside: the CLI (pool.ts) terminates this thread and starts a fresh one.
 * Jobs: analyse a file's text as the CLI read it (with the scan's project model and inter-procedural taint), analyse a text, or run only the text-level checks.
 */
import { analyzeText, languageOf, parseForModel, type ModelParse } from '../engine/analyze';
import type { ShipsafeConfig } from '../engine/config/config';
import type { FileSummary } from '../engine/taint/summaries';
import type { ModuleFacts } from '../engine/project-model/types';
import { analyseSource } from '../engine/project/scan';
import { allRules } from '../engine/rules';
import { loadPythonParser } from '../engine/python/parser';
import type { ProjectMessage, WorkerJob, WorkerReply } from './pool-protocol';
import { ProjectModel } from '../engine/project-model/model';
import { ModelRecorder } from './model-reads';

const rulesFor = (ids: readonly string[]) => { const set = new Set(ids); return allRules.filter((r) => set.has(r.meta.id)); };

/**
 * Trees parsed for the model's facts, kept for the files' analysis (which the CLI sends to the same thread): at most
 * KEEP_CHARS characters of source in all, so a huge tree does not hold every file's tree in memory at once (the
 * analysis takes them in the order they were parsed, so the first ones kept are the first ones used).
 */
const KEEP_CHARS = 16 * 1024 * 1024;
const kept = {
  trees: new Map<string, Kept>(),
  chars: 0,
  put(path: string, t: Kept): boolean {
    const { sourceFile } = t;
    if (this.chars + sourceFile.text.length > KEEP_CHARS) return false;
    this.take(path);
    this.trees.set(path, t);
    this.chars += sourceFile.text.length;
    return true;
  },
  take(path: string): Kept | undefined {
    const t = this.trees.get(path);
    if (t) { this.trees.delete(path); this.chars -= t.sourceFile.text.length; }
    return t;
  },
};

type Kept = ModelParse;

/**
 * A file's module facts (null when the parser gives up on it: it is left out of the model, as buildProjectModel
 * does), and with `summarize` its summary for the project's taint (null when it cannot be summarised).
 */
function factsOf(path: string, text: string, keep: boolean, summarize?: ShipsafeConfig): { facts: ModuleFacts | null; summary?: FileSummary | null } {
  const none = { facts: null, ...(summarize ? { summary: null } : {}) };
  try {
    const r = parseForModel(path, text, summarize);
    if (!r) return none;
    if (keep) kept.put(path, r.parse);
    return { facts: r.parse.moduleFacts, ...(summarize ? { summary: r.summary ?? null } : {}) };
  } catch {
    return none;
  }
}

/** Answers jobs from pool.ts; `onFirstJob` runs once, after the first reply (the launcher writes its code cache then). */
export function startScanWorker(onFirstJob?: () => void): void {
  // node:worker_threads is loaded here, in the thread: the CLI bundle holding this function need not load it at start-up
  const port = (require('node:worker_threads') as typeof import('node:worker_threads')).parentPort;
  if (!port) throw new Error('the Shipsafe scan worker must run in a worker thread');
  let first = true;
  /** the latest scan's project model (a message of its own, before that scan's first job here) */
  let project: { id: number; model: ProjectModel } | undefined;
  port.on('message', async (job: WorkerJob | ProjectMessage) => {
    if (job.kind === 'project') { project = { id: job.projectId, model: new ProjectModel(job.data) }; return; }
    const model = job.projectId !== undefined && project?.id === job.projectId ? project.model : undefined;
    let reply: WorkerReply;
    try {
      if (job.kind === 'facts') {
        reply = { id: job.id, ok: true, ...factsOf(job.path, job.text, !!job.keep, job.summarize) };
      } else if (job.kind === 'source') {
        const rules = rulesFor(job.ruleIds);
        if (languageOf(job.path) === 'python') await loadPythonParser();
        // the tree this thread parsed for the model's facts, when it kept it (used only if the text is the same)
        const parsed = kept.take(job.path);
        // --cache: what the analysis asks the model goes back with the result (checked against the CLI's model later)
        const rec = job.recordReads && model ? new ModelRecorder() : undefined;
        const project = model && rec ? rec.wrap(model) : model;
        const out = analyseSource(job.path, job.text, { rules, config: job.config, ...(project ? { project } : {}), taint: job.taint, ...parsed }, job.reportSyntaxErrors);
        reply = { id: job.id, ok: true, out, ...(rec ? { reads: rec.result() } : {}) };
      } else {
        const rules = rulesFor(job.ruleIds);
        // Python needs its WebAssembly grammar loaded in this thread first
        if (/\.pyw?$/i.test(job.path)) await loadPythonParser();
        const r = analyzeText({ path: job.path, text: job.text, ...(model ? { project: model } : {}) }, { rules, config: job.config, textOnly: job.kind === 'text-only' });
        reply = { id: job.id, ok: true, result: r };
      }
    } catch (e) {
      reply = { id: job.id, ok: false, error: String((e as Error)?.message ?? e).split('\n')[0] };
    }
    port.postMessage(reply);
    if (first) { first = false; onFirstJob?.(); }
  });

  // ready at once: a warm-up analysis would cost every scan a second; the CLI's budget (20 s) absorbs a cold start
  port.postMessage({ ready: true });
}
