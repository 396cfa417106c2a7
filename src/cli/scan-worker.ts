/**
 * The CLI's analysis thread (bundled to dist/scan-worker.js). Analysis is synchronous, so a file that takes too
 * long cannot be interrupted from inside: the CLI (pool.ts) terminates this thread and starts a fresh one.
 * Jobs: analyse a file from disk (as `scanFiles` does), analyse a text, or run only the text-level checks.
 */
import { parentPort } from 'node:worker_threads';
import { analyzeText } from '../engine/analyze';
import { scanFiles } from '../engine/project/scan';
import type { FileSummary } from '../engine/taint/summaries';
import { allRules } from '../engine/rules';
import { loadPythonParser } from '../engine/python/parser';
import type { WorkerJob, WorkerReply } from './pool-protocol';

const port = parentPort;
if (!port) throw new Error('the Shipsafe scan worker must run in a worker thread');

const rulesFor = (ids: readonly string[]) => { const set = new Set(ids); return allRules.filter((r) => set.has(r.meta.id)); };

port.on('message', async (job: WorkerJob) => {
  let reply: WorkerReply;
  try {
    const rules = rulesFor(job.ruleIds);
    if (job.kind === 'file') {
      const project = job.project;
      let summary: FileSummary | undefined;
      const out = await scanFiles([job.file], {
        config: job.config, rules, root: job.root, reportSyntaxErrors: job.reportSyntaxErrors, projectData: project ? () => project : undefined,
        ...(job.summarize ? { onSummary: (s: FileSummary) => { summary = s; } } : {}),
      });
      reply = { id: job.id, ok: true, out, ...(summary ? { summary } : {}) };
    } else {
      // Python needs its WebAssembly grammar loaded in this thread first (scanFiles does this for file jobs)
      if (/\.pyw?$/i.test(job.path)) await loadPythonParser();
      const r = analyzeText({ path: job.path, text: job.text }, { rules, config: job.config, textOnly: job.kind === 'text-only' });
      reply = { id: job.id, ok: true, result: r };
    }
  } catch (e) {
    reply = { id: job.id, ok: false, error: String((e as Error)?.message ?? e).split('\n')[0] };
  }
  port.postMessage(reply);
});

// ready at once: a warm-up analysis would cost every scan a second; the CLI's budget (20 s) absorbs a cold start
port.postMessage({ ready: true });
