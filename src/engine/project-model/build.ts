/**
 * Builds the project model from files on disk: each JavaScript/TypeScript file is parsed once for its module
 * facts (see extract.ts), tsconfig/jsconfig and package.json files for path aliases and workspace packages.
 * The CLI runs this once per scan, before the analysis; the editor's worker once per workspace folder, then
 * updates the model one file at a time.
 */
import { closeSync, fstatSync, openSync, readFileSync } from 'node:fs';
import { parse as parseJsonc } from 'jsonc-parser';
import { ts } from 'ts-morph';
import { classifyText, languageOf } from '../analyze';
import { thirdPartyReason } from '../util/third-party';
import { relativePath } from '../project/scan';
import { extractModuleFacts } from './extract';
import { ProjectModel } from './model';
import { joinPath } from './resolve';
import type { ConfigFacts, ModuleFacts } from './types';
import { OPENAPI_NAME, openApiFactsOf } from './openapi';
import { parseOptions } from '../util/ast';

/** Files larger than this are left out of the model (bundles, generated code): 512 KiB. */
export const MAX_MODEL_FILE = 512 * 1024;

const CONFIG_NAME = /(^|\/)(tsconfig(\.[\w-]+)?\.json|jsconfig\.json|package\.json)$/;

function scriptKindOf(file: string): ts.ScriptKind {
  if (/\.tsx$/i.test(file)) return ts.ScriptKind.TSX;
  if (/\.jsx$/i.test(file)) return ts.ScriptKind.JSX;
  if (/\.[cm]?ts$/i.test(file)) return ts.ScriptKind.TS;
  return ts.ScriptKind.JS;
}

/** Module facts of one file's text (`file` is the path the engine uses for it). */
export function moduleFactsOf(file: string, text: string): ModuleFacts {
  const sf = ts.createSourceFile(file, text, parseOptions(), false, scriptKindOf(file));
  return extractModuleFacts(sf, file);
}

/** Whether a file of the project feeds the model: JavaScript/TypeScript (not declarations), a config file or an OpenAPI spec. */
export function isModelFile(file: string): boolean {
  const l = languageOf(file);
  if (l) return l !== 'python';
  const norm = file.replace(/\\/g, '/');
  return CONFIG_NAME.test(norm) || OPENAPI_NAME.test(norm);
}

/** The facts of a tsconfig/jsconfig or package.json text; undefined when it is not one or does not parse. */
/**
 * Conditions of a package.json `exports` entry, in the order the model tries them: the model reads the
 * workspace's sources, so conditions that usually point at sources come first; `types` is dropped (a `.d.ts`
 * holds no code) and unknown conditions come last, in their written order.
 */
const CONDITION_ORDER = ['source', 'development', 'import', 'module', 'require', 'node', 'default'];

/** The targets of one `exports` value (a path, an array of fallbacks, or nested conditions). */
function exportTargets(v: unknown, depth = 0): string[] {
  if (typeof v === 'string') return v.startsWith('./') ? [v] : [];
  if (depth > 4 || !v || typeof v !== 'object') return [];
  if (Array.isArray(v)) return v.flatMap((x) => exportTargets(x, depth + 1));
  const keys = Object.keys(v).filter((k) => k !== 'types' && k !== 'typings');
  const rank = (k: string) => { const i = CONDITION_ORDER.indexOf(k); return i < 0 ? CONDITION_ORDER.length : i; };
  keys.sort((a, b) => rank(a) - rank(b));
  const out: string[] = [];
  for (const k of keys) for (const t of exportTargets((v as Record<string, unknown>)[k], depth + 1)) if (!out.includes(t)) out.push(t);
  return out;
}

/** package.json `exports` as subpath → targets (`"exports": "./x.js"` and bare conditions are the `.` subpath). */
function exportsOf(v: unknown): Record<string, string[]> | undefined {
  if (v === undefined || v === null) return undefined;
  const subpaths = v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).some((k) => k.startsWith('.'));
  const entries: [string, unknown][] = subpaths ? Object.entries(v as Record<string, unknown>).filter(([k]) => k.startsWith('.')) : [['.', v]];
  const out: Record<string, string[]> = {};
  for (const [k, t] of entries) { const targets = exportTargets(t); if (targets.length) out[k] = targets; }
  return Object.keys(out).length ? out : undefined;
}

export function configFactsOf(file: string, text: string): ConfigFacts | undefined {
  const norm = file.replace(/\\/g, '/');
  const m = CONFIG_NAME.exec(norm);
  if (!m) return OPENAPI_NAME.test(norm) ? openApiFactsOf(norm, text) : undefined;
  let json: unknown;
  try { json = parseJsonc(text, [], { allowTrailingComma: true }); } catch { return undefined; }
  if (!json || typeof json !== 'object') return undefined;
  const o = json as Record<string, unknown>;
  if (m[2] === 'package.json') {
    const deps: Record<string, string> = {};
    for (const k of ['dependencies', 'devDependencies', 'peerDependencies']) {
      const d = o[k];
      if (d && typeof d === 'object') for (const [n, v] of Object.entries(d)) if (typeof v === 'string' && !(n in deps)) deps[n] = v;
    }
    const scripts: Record<string, string> = {};
    if (o.scripts && typeof o.scripts === 'object') for (const [n, v] of Object.entries(o.scripts)) if (typeof v === 'string') scripts[n] = v;
    const bin = typeof o.bin === 'string' ? [o.bin]
      : o.bin && typeof o.bin === 'object' ? Object.values(o.bin).filter((v): v is string => typeof v === 'string') : [];
    const exports = exportsOf(o.exports);
    return {
      file: norm, kind: 'package',
      ...(typeof o.name === 'string' ? { name: o.name } : {}),
      ...(typeof o.main === 'string' ? { main: o.main } : {}),
      ...(exports ? { exports } : {}),
      ...(bin.length ? { bin } : {}),
      dependencies: deps, scripts,
    };
  }
  const co = (o.compilerOptions && typeof o.compilerOptions === 'object' ? o.compilerOptions : {}) as Record<string, unknown>;
  const baseUrl = typeof co.baseUrl === 'string' ? co.baseUrl : undefined;
  let paths: Record<string, string[]> | undefined;
  if (co.paths && typeof co.paths === 'object') {
    paths = {};
    for (const [k, v] of Object.entries(co.paths)) {
      if (!Array.isArray(v)) continue;
      // targets are relative to baseUrl when it is set, else to the config's folder: store them config-relative
      paths[k] = v.filter((t): t is string => typeof t === 'string').map((t) => (baseUrl ? joinPath('', `${baseUrl}/${t}`) ?? t : t));
    }
  }
  return {
    file: norm, kind: 'tsconfig',
    ...(baseUrl !== undefined ? { baseUrl } : {}),
    ...(paths ? { paths } : {}),
    ...(typeof o.extends === 'string' ? { extends: o.extends } : {}),
  };
}

export interface BuildStats { files: number; parsed: number; ms: number }

/**
 * The model of a set of files (absolute paths; engine paths are relative to `root`). Never throws for a bad
 * file: one that cannot be read or parsed is left out of the model.
 */
export function buildProjectModel(files: readonly string[], root: string): { model: ProjectModel; stats: BuildStats } {
  const steps = buildSteps(files, root);
  for (;;) { const r = steps.next(); if (r.done) return r.value; }
}

/**
 * The same, giving way to other work (the editor's requests) every `chunk` files: the editor's worker builds a
 * workspace's model this way, so the first edits are not held up behind it.
 */
export async function buildProjectModelAsync(files: readonly string[], root: string, chunk = 40): Promise<{ model: ProjectModel; stats: BuildStats }> {
  const steps = buildSteps(files, root, chunk);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    await new Promise((res) => setImmediate(res));
  }
}

/** One model file of a scan, read: a config file's facts, or a JavaScript/TypeScript file's text to take facts from. */
type ModelInput = { kind: 'config'; facts: ConfigFacts } | { kind: 'module'; rel: string; text: string };

/**
 * Reads the model's files in order (each path once; configs parsed here, modules only read), yielding every
 * `chunk` files; what it returns is the list in order and how many files it saw.
 */
function* readModelInputs(files: readonly string[], root: string, chunk = Infinity): Generator<void, { inputs: ModelInput[]; seen: number }> {
  let sinceYield = 0;
  const inputs: ModelInput[] = [];
  const seen = new Set<string>();
  // (the size asked of the open file: a stat by path first looked the path up once more per file)
  const readSmall = (abs: string): string | undefined => {
    let fd: number | undefined;
    try {
      fd = openSync(abs, 'r');
      if (fstatSync(fd).size > MAX_MODEL_FILE) return undefined;
      return readFileSync(fd, 'utf8');
    } catch { return undefined; } finally { if (fd !== undefined) closeSync(fd); }
  };
  for (const abs of files) {
    if (!isModelFile(abs)) continue;
    const rel = relativePath(root, abs);
    if (seen.has(rel)) continue;
    if (++sinceYield >= chunk) { sinceYield = 0; yield; }
    seen.add(rel);
    const text = readSmall(abs);
    if (text === undefined) continue;
    if (CONFIG_NAME.test(rel) || OPENAPI_NAME.test(rel)) {
      const c = configFactsOf(rel, text);
      if (c) inputs.push({ kind: 'config', facts: c });
      continue;
    }
    // what the analysis does not parse (minified bundles, vendored code) is left out of the model too
    if (classifyText(text, MAX_MODEL_FILE) || thirdPartyReason(rel, text)) continue;
    inputs.push({ kind: 'module', rel, text });
  }
  // the root's package.json and tsconfig even when discovery did not list them
  for (const name of ['package.json', 'tsconfig.json', 'jsconfig.json']) {
    if (seen.has(name)) continue;
    const text = readSmall(`${root}/${name}`);
    const c = text !== undefined ? configFactsOf(name, text) : undefined;
    if (c) inputs.push({ kind: 'config', facts: c });
  }
  return { inputs, seen: seen.size };
}

function modelOf(inputs: readonly ModelInput[], facts: readonly (ModuleFacts | undefined)[], seen: number, t0: number): { model: ProjectModel; stats: BuildStats } {
  const modules: ModuleFacts[] = [];
  const configs: ConfigFacts[] = [];
  inputs.forEach((x, i) => {
    if (x.kind === 'config') configs.push(x.facts);
    else if (facts[i]) modules.push(facts[i]!);
  });
  const model = new ProjectModel({ modules, configs });
  return { model, stats: { files: seen, parsed: modules.length, ms: performance.now() - t0 } };
}

function* buildSteps(files: readonly string[], root: string, chunk = Infinity): Generator<void, { model: ProjectModel; stats: BuildStats }> {
  const t0 = performance.now();
  const { inputs, seen } = yield* readModelInputs(files, root, chunk);
  const facts = inputs.map((x) => {
    if (x.kind !== 'module') return undefined;
    try { return moduleFactsOf(x.rel, x.text); } catch { return undefined; /* a file the parser gives up on is left out */ }
  });
  return modelOf(inputs, facts, seen, t0);
}

/**
 * Where a scan's module facts come from when not parsed here one after the other: the CLI takes them from its
 * result cache, from its analysis threads, or parses here and keeps the tree for the analysis. Called once per
 * JavaScript/TypeScript file of the model, with the text as read; undefined leaves the file out (as a file the parser
 * gives up on is). Up to `concurrency` calls are in flight; the model is the same as buildProjectModel's. Only texts
 * the model keeps reach `factsOf` and `before`: classifyText (under MAX_MODEL_FILE) and thirdPartyReason (for `rel`)
 * found nothing in them (the CLI then asks the analysis's size limit alone: sizeSkipReason).
 */
export async function buildProjectModelWith(files: readonly string[], root: string,
  factsOf: (rel: string, text: string) => ModuleFacts | undefined | Promise<ModuleFacts | undefined>, concurrency = 1,
  /**
   * called once with every module read and the facts of the configuration files (those of the model), before the
   * first `factsOf` (e.g. to compute their facts in batches)
   */
  before?: (modules: readonly { rel: string; text: string }[], configs: readonly ConfigFacts[]) => void): Promise<{ model: ProjectModel; stats: BuildStats }> {
  const t0 = performance.now();
  const steps = readModelInputs(files, root);
  let r = steps.next();
  while (!r.done) r = steps.next();
  const { inputs, seen } = r.value;
  before?.(inputs.flatMap((x) => (x.kind === 'module' ? [{ rel: x.rel, text: x.text }] : [])), inputs.flatMap((x) => (x.kind === 'config' ? [x.facts] : [])));
  const facts: (ModuleFacts | undefined)[] = new Array(inputs.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, inputs.length)) }, async () => {
    while (next < inputs.length) {
      const i = next++;
      const x = inputs[i];
      if (x.kind !== 'module') continue;
      try { facts[i] = await factsOf(x.rel, x.text); } catch { facts[i] = undefined; }
    }
  }));
  return modelOf(inputs, facts, seen, t0);
}
