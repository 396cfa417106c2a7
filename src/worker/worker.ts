/**
 * The analysis thread for the editor. Owns parsing and analysis so the extension host's thread never
 * blocks on it; imports only the engine. One message in, one message out, in order.
 */
import { parentPort } from 'node:worker_threads';
import { allRules, analyzeText, loadPythonParser } from '../engine';
import { scanFiles } from '../engine/project/scan';
import { diskResolver, summarizable } from '../engine/project/taint-prepass';
import { ProjectTaint, type FileSummary } from '../engine/taint/summaries';
import { join } from 'node:path';
import { computeFixes } from './fixes';
import { enginePath, ProjectConfigs } from './project';
import { buildProjectModelAsync, configFactsOf, isModelFile, MAX_MODEL_FILE } from '../engine/project-model/build';
import { isHandlerModule } from '../engine/project-model/openapi';
import { languageOf } from '../engine/analyze';
import { readFileSync, statSync } from 'node:fs';
import type { ProjectModel } from '../engine/project-model/model';
import type { ModuleFacts } from '../engine/project-model/types';
import type { AnalyzeRequest, AnalyzeResponse, DiscoverRequest, DiscoverResponse, ForgetRequest, ForgottenResponse, WorkerRequest, WorkerResponse } from './protocol';

const port = parentPort;
if (!port) throw new Error('the Shipsafe worker must run in a worker thread');

const configs = new ProjectConfigs(allRules.map((r) => r.meta.id));

/**
 * The project model of each workspace folder: built from the folder's files the first time one of its files is
 * analysed, then kept current one file at a time (every analysis of a file's text updates that file's facts).
 */
const projects = new Map<string, { model?: ProjectModel }>();
/** The folder's model when it is built; the first call starts building it (in steps, between requests). */
function projectFor(req: AnalyzeRequest): ProjectModel | undefined {
  const root = req.root;
  if (!root) return undefined;
  let entry = projects.get(root);
  if (!entry) {
    const e: { model?: ProjectModel } = {};
    entry = e;
    projects.set(root, e);
    void (async () => {
      try {
        const { files } = await configs.discover(root, req.overrides, true, false);
        const built = await buildProjectModelAsync(files.slice(0, MAX_MODEL_FILES), root);
        e.model = built.model;
        port?.postMessage({ type: 'projectReady', root, files: built.stats.parsed, ms: Math.round(built.stats.ms) } satisfies WorkerResponse);
      } catch {
        // a folder we cannot list: its files are analysed alone
      }
    })();
  }
  return entry.model;
}
/** A workspace larger than this is modelled by its first files only (discovery order), to bound the first analysis. */
const MAX_MODEL_FILES = 5000;
/**
 * Inter-procedural taint per workspace folder: the summary of every file analysed so far (open files and the
 * workspace scan), updated with each analysis. A file whose calls into other modules changed names those modules
 * in `dependents`, so the editor re-checks them (they receive its request data, or no longer do).
 */
const taints = new Map<string, ProjectTaint>();
function taintFor(root: string): ProjectTaint {
  let p = taints.get(root);
  if (!p) { p = new ProjectTaint(diskResolver(root)); taints.set(root, p); }
  return p;
}
const callsKey = (s: FileSummary | undefined) => JSON.stringify(s?.calls.map((c) => [c.target, c.args.map((a) => [a.index, a.source?.label, a.param])]) ?? []);
function updateSummary(root: string, project: ProjectTaint, path: string, summary: FileSummary | undefined): string[] | undefined {
  const before = project.get(path);
  const oldDeps = project.dependentsOf(path);
  if (summary) project.set(summary); else project.delete(path);
  if (callsKey(before) === callsKey(summary)) return undefined;
  const deps = new Set([...oldDeps, ...project.dependentsOf(path)]);
  return deps.size ? [...deps].map((d) => join(root, d)) : undefined;
}

/**
 * CPU time of this thread in ms (Node 23.9 and later: VS Code's extension host on current versions), to tell the
 * analysis's own cost from waiting for a core on a busy machine; undefined where Node cannot say.
 */
const threadCpuUsage = (process as { threadCpuUsage?: () => { user: number; system: number } }).threadCpuUsage;
function threadCpuMs(): number | undefined {
  if (!threadCpuUsage) return undefined;
  const u = threadCpuUsage.call(process);
  return (u.user + u.system) / 1000;
}

async function analyze(req: AnalyzeRequest): Promise<AnalyzeResponse> {
  const cpu0 = req.timings ? threadCpuMs() : undefined;
  const r = await analyzeTimed(req);
  if (cpu0 !== undefined && r.type === 'analyzed') r.cpuMs = threadCpuMs()! - cpu0;
  return r;
}

async function analyzeTimed(req: AnalyzeRequest): Promise<AnalyzeResponse> {
  const t0 = performance.now();
  const settings = await configs.forFolder(req.root, req.overrides);
  const path = enginePath(req.root, req.path);
  const project = projectFor(req);
  const base = {
    type: 'analyzed' as const, id: req.id, path: req.path, enginePath: path,
    ...(req.root && !project ? { projectPending: true } : {}),
    ...(settings.error ? { configError: settings.error } : {}),
  };
  if (req.root && await configs.isExcluded(req.path, settings.exclude)) {
    return { ...base, findings: [], excluded: true, ruleErrors: [], ms: performance.now() - t0 };
  }
  const taint = req.root && summarizable(req.path) ? taintFor(req.root) : undefined;
  let summary: FileSummary | undefined;
  // a configuration file of the model (package.json, tsconfig, an OpenAPI spec): the model takes its new facts
  const configDeps = project && req.root ? updateConfig(req.root, project, path, req.text ?? readConfig(req.path)) : undefined;
  if (req.text === undefined) {
    // a file on disk: read and analysed exactly as the CLI does (size limits, binary check)
    const out = await scanFiles([req.path], {
      config: settings.config, rules: allRules, root: req.root ?? '/', reportSyntaxErrors: false,
      ...(project ? { project, onModuleFacts: (f: ModuleFacts) => project.update(f) } : {}),
      ...(taint ? { projectData: (f: string) => taint.dataFor(f), onSummary: (x: FileSummary) => { summary = x; } } : {}),
    });
    const dependents = merge(taint ? updateSummary(req.root!, taint, path, summary) : undefined, configDeps);
    const result = out.results[0];
    const skipped = out.skipped[0];
    return {
      ...base,
      findings: result?.findings ?? [],
      ...(skipped ? { skipped: { ...skipped, file: req.path } } : {}),
      ruleErrors: out.ruleErrors.map((e) => ({ ruleId: e.ruleId, error: e.error })),
      ...(dependents ? { dependents } : {}),
      ms: performance.now() - t0,
    };
  }
  const result = analyzeText(
    { path, text: req.text, ...(req.language ? { language: req.language } : {}), ...(project ? { project } : {}) },
    { rules: allRules, config: settings.config, timings: req.timings, ...(taint ? { project: taint.dataFor(path), summarize: true } : {}) },
  );
  if (project && result.moduleFacts) project.update(result.moduleFacts);
  const dependents = merge(taint && !result.skipped ? updateSummary(req.root!, taint, path, result.summary) : undefined, configDeps);
  const fixed = req.fixes && !result.skipped
    ? computeFixes({ path, text: req.text, ...(req.language ? { language: req.language } : {}), ...(project ? { project } : {}) }, req.path, req.root, result.findings, settings.config, req.fixes)
    : undefined;
  return {
    ...base,
    findings: fixed?.findings ?? result.findings,
    ...(fixed?.fixAll ? { fixAll: fixed.fixAll } : {}),
    ...(result.skipped ? { skipped: result.skipped } : {}),
    ...(result.timings ? { timings: result.timings } : {}),
    ruleErrors: result.ruleErrors,
    ...(dependents ? { dependents } : {}),
    ms: performance.now() - t0,
  };
}

const merge = (a: string[] | undefined, b: string[] | undefined): string[] | undefined => (a && b ? [...new Set([...a, ...b])] : a ?? b);

/** The text of a configuration file on disk, for a file the editor asks about without its text (undefined: not one). */
function readConfig(file: string): string | undefined {
  if (languageOf(file) || !isModelFile(file)) return undefined;
  try {
    return statSync(file).size <= MAX_MODEL_FILE ? readFileSync(file, 'utf8') : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A configuration file of the model analysed (package.json, a tsconfig, an OpenAPI spec): its facts replace those the
 * model held for it, so an edit reaches the files that depend on it without a reload. Returns the files to re-check:
 * the handler modules of the spec's operations, before and after the edit (undefined: nothing changed, or none).
 */
function updateConfig(root: string, project: ProjectModel, path: string, text: string | undefined): string[] | undefined {
  if (text === undefined || languageOf(path) || !isModelFile(path)) return undefined;
  const before = project.configFacts().find((c) => c.file === path);
  const after = configFactsOf(path, text);
  if (JSON.stringify(before) === JSON.stringify(after)) return undefined;
  project.setConfigs([...project.configFacts().filter((c) => c.file !== path), ...(after ? [after] : [])]);
  const handlers = [...(before?.operations ?? []), ...(after?.operations ?? [])].map((o) => o.handler);
  const deps = handlers.length ? project.files().filter((f) => handlers.some((h) => isHandlerModule(f, h))) : [];
  return deps.length ? deps.map((d) => join(root, d)) : undefined;
}

/**
 * A file or folder gone from the workspace: its files leave the folder's project model and the project's taint, so
 * no other file is judged with what they declared (routes they mounted, data they passed on).
 */
export function forgetFiles(req: ForgetRequest): ForgottenResponse {
  const gone = enginePath(req.root, req.path);
  const under = (f: string) => f === gone || f.startsWith(`${gone}/`);
  const model = projects.get(req.root)?.model;
  const taint = taints.get(req.root);
  const files = new Set([...(model?.files() ?? []), ...(taint?.files() ?? [])].filter(under));
  const dependents = new Set<string>();
  for (const f of files) {
    model?.remove(f);
    if (taint) for (const d of updateSummary(req.root, taint, f, undefined) ?? []) dependents.add(d);
  }
  for (const f of files) dependents.delete(join(req.root, f));
  return { type: 'forgotten', id: req.id, removed: files.size, ...(dependents.size ? { dependents: [...dependents] } : {}) };
}

async function discoverFiles(req: DiscoverRequest): Promise<DiscoverResponse> {
  const { files, error } = await configs.discover(req.root, req.overrides, req.respectGitignore, req.trusted === true);
  return { type: 'discovered', id: req.id, files, ...(error ? { configError: error } : {}) };
}

port.on('message', async (req: WorkerRequest) => {
  let msg: WorkerResponse;
  try {
    msg = req.type === 'analyze' ? await analyze(req) : req.type === 'forget' ? forgetFiles(req) : await discoverFiles(req);
  } catch (e) {
    msg = { type: 'error', id: req.id, message: String((e as Error)?.stack ?? e) };
  }
  port.postMessage(msg);
});

// Warm up before saying ready: the first analysis in a fresh thread pays for lazy initialisation and cold
// code (several times a warm one), which the per-file time budget should not count against a user's file.
const WARM_UP = `const express = require('express');
const app = express();
app.get('/items/:id', async (req, res) => {
  const rows = await db.query('SELECT * FROM items WHERE id = ' + req.params.id);
  res.json(rows);
});
`;
const WARM_UP_PY = `from flask import Flask, request
app = Flask(__name__)

@app.get("/items/<item_id>")
def item(item_id):
    return db.execute(f"SELECT * FROM items WHERE id = {item_id}").fetchall()
`;
// the Python parser is WebAssembly: compiled once per thread, before the first Python file is analysed
void loadPythonParser().then(() => {
  for (const path of ['warm-up.ts', 'warm-up.tsx']) {
    try { analyzeText({ path, text: WARM_UP }, { rules: allRules }); } catch { /* a broken rule is reported on real files */ }
  }
  try { analyzeText({ path: 'warm-up.py', text: WARM_UP_PY }, { rules: allRules }); } catch { /* as above */ }
  port.postMessage({ type: 'ready', rules: allRules.map((r) => r.meta) } satisfies WorkerResponse);
});
