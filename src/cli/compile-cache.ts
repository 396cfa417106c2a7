/**
 * Loads the CLI's bundles (dist/cli-bundle.js, dist/typescript.js) with a V8 code cache, so that start-up does not
 * compile megabytes of JavaScript on every run. Part of the tiny launchers (dist/cli.js, dist/scan-worker.js):
 * node built-ins only, nothing else of Shipsafe.
 *
 * Node ≥ 22.1 has `module.enableCompileCache()`; Node 20 does not. There each bundle is compiled through
 * `vm.Script` with `cachedData` (the v8-compile-cache approach): when the process exits, after the functions the
 * run needed were compiled, V8 serialises them and the next run deserialises them instead of parsing. V8 itself
 * refuses a cache made by another V8 version or with other flags (`cachedDataRejected`); such a cache is rewritten,
 * and so is one written by a run that scanned far fewer files than this one (WORK_FACTOR). Any failure to read or write
 * the cache only costs the speed-up, never the run.
 *
 * Where: $SHIPSAFE_COMPILE_CACHE (a folder; `0` turns the cache off), else $XDG_CACHE_HOME/shipsafe or
 * ~/.cache/shipsafe, else the temporary folder. The folder must belong to the current user and not be writable by
 * others (a code cache is code).
 */
import { isAscii } from 'node:buffer';
import { closeSync, fsyncSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { homedir, tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import vm from 'node:vm';
import { compileWork } from './compile-work';

/** `require: false`: the bundle runs without `require` (TypeScript then skips its Node host layer, lazy-typescript.mjs) */
export interface LoadOptions { require?: boolean }
type Loader = (file: string, options?: LoadOptions) => unknown;

const LOADER_KEY = Symbol.for('shipsafe.loadBundle');

/**
 * A bundle loaded with vm.Script: `base` is its cache path without the `.full`/`.light` suffix; `work`, how many files
 * the run that wrote the cache found scanned (see WORK_FACTOR).
 */
interface Entry { file: string; script: vm.Script; base: string; found?: string; rejected: boolean; work: number }

/**
 * A cache holds the functions the run that wrote it compiled: one written by a scan of one file lacks most of what a
 * scan of a whole app compiles, which such a scan then compiles on every run. A full cache is therefore written again
 * by a run that scanned (compile-work.ts) at least WORK_FACTOR times the files of the run that wrote it, and
 * MIN_REWRITE_WORK or more: a few times at most as the scans grow, each costing one serialisation at exit.
 */
const WORK_FACTOR = 4;
const MIN_REWRITE_WORK = 64;

/**
 * A cache file is `MAGIC`, then the work of the run that wrote it (a float64, little-endian), then V8's data. A file
 * without the magic (an older format, or anything else) is as good as none: it is rewritten.
 */
const MAGIC = Buffer.from('SSCC\u0001\u0000\u0000\u0000', 'latin1');
const HEADER = MAGIC.length + 8;

/** The V8 data and work of a cache file's bytes, or undefined when they are not a cache of ours. */
function readCacheFile(bytes: Buffer): { data: Buffer; work: number } | undefined {
  if (bytes.length <= HEADER || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
  const work = bytes.readDoubleLE(MAGIC.length);
  return { data: bytes.subarray(HEADER), work: Number.isFinite(work) && work >= 0 ? work : 0 };
}

function cacheFileBytes(data: Buffer, work: number): Buffer {
  const header = Buffer.alloc(HEADER);
  MAGIC.copy(header, 0);
  header.writeDoubleLE(work, MAGIC.length);
  return Buffer.concat([header, data]);
}

const pending: Entry[] = [];
let folder: string | null | undefined;

function ownedPrivateDir(dir: string): boolean {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const st = lstatSync(dir);
    if (!st.isDirectory()) return false;
    const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
    if (uid !== undefined && st.uid !== uid) return false;
    return process.platform === 'win32' || (st.mode & 0o022) === 0;
  } catch {
    return false;
  }
}

function cacheFolder(): string | null {
  if (folder !== undefined) return folder;
  const env = process.env.SHIPSAFE_COMPILE_CACHE;
  if (env === '0' || env === 'off' || env === 'false') return (folder = null);
  const candidates = env ? [env] : [
    join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'shipsafe', 'compile-cache'),
    join(tmpdir(), `shipsafe-compile-cache-${typeof process.getuid === 'function' ? process.getuid() : 'user'}`),
  ];
  for (const c of candidates) if (ownedPrivateDir(c)) return (folder = c);
  return (folder = null);
}

/**
 * 12 hex digits naming a cache file (two 32-bit FNV-1a hashes, from different seeds): names only, the cache's
 * validity is V8's to check. Not node:crypto, whose loading (with the streams it needs) costs milliseconds at start-up.
 */
function short(s: string): string {
  let a = 0x811c9dc5, b = 0x9747b28c;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x01000193);
  }
  return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0').slice(0, 4);
}

/**
 * The cache files of a bundle: named after the bundle's path, and its size, time, the Node version and arch, then
 * `.full.v8cache` when written by a run that analysed code (TypeScript was loaded) or `.light.v8cache` otherwise
 * (`--version`, an empty folder): a light cache lacks what a scan compiles, so a scan replaces it once.
 */
function cacheBaseFor(file: string, dir: string): string {
  const st = statSync(file);
  return join(dir, `${basename(file)}-${short(file)}-${short(`${st.size}:${st.mtimeMs}:${process.version}:${process.arch}`)}`);
}

const isFullRun = () => pending.some((e) => basename(e.file) === 'typescript.js');

function writeAtomically(target: string, data: Buffer): void {
  const tmp = `${target}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'wx', 0o600);
    writeSync(fd, data);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, target);
  } catch {
    if (fd !== undefined) try { closeSync(fd); } catch { /* ignore */ }
    try { unlinkSync(tmp); } catch { /* ignore */ }
  }
}

/** At most MAX_FILES caches stay (bundles built elsewhere, e.g. by tests, leave theirs): the oldest go. */
const MAX_FILES = 8;
function prune(dir: string): void {
  const files = readdirSync(dir).filter((f) => f.endsWith('.v8cache')).map((f) => {
    try { return { f, t: statSync(join(dir, f)).mtimeMs }; } catch { return { f, t: 0 }; }
  });
  if (files.length <= MAX_FILES) return;
  files.sort((a, b) => b.t - a.t);
  for (const { f } of files.slice(MAX_FILES)) try { unlinkSync(join(dir, f)); } catch { /* ignore */ }
}

/**
 * Writes the caches of the bundles loaded so far that have none yet (or a rejected or light one), and a full one again
 * after a run that scanned many more files than the run that wrote it (WORK_FACTOR).
 */
export function flushCompileCache(): void {
  const full = isFullRun();
  const work = compileWork();
  for (const e of pending) {
    try {
      const target = `${e.base}.${full ? 'full' : 'light'}.v8cache`;
      const grown = full && work >= MIN_REWRITE_WORK && work >= WORK_FACTOR * e.work;
      if (e.found && !e.rejected && (e.found.endsWith('.full.v8cache') ? !grown : !full)) continue;
      writeAtomically(target, cacheFileBytes(e.script.createCachedData(), work));
      e.found = target;
      e.rejected = false;
      e.work = work;
      // older caches of the same bundle (earlier builds, other Node versions, the light one) go
      const dir = dirname(target);
      const prefix = basename(e.base).slice(0, basename(e.base).lastIndexOf('-') + 1);
      for (const f of readdirSync(dir)) {
        if (f.startsWith(prefix) && join(dir, f) !== target && f.endsWith('.v8cache')) try { unlinkSync(join(dir, f)); } catch { /* ignore */ }
      }
      prune(dir);
    } catch { /* the cache is an optimisation */ }
  }
}

/**
 * Loads a CommonJS bundle (compiled with the code cache when there is one) and returns its exports. With
 * `require: false` the bundle sees no `require` (on Node ≥ 22.1, where Node's own loader caches the compilation, it
 * gets Node's `require` all the same).
 */
export function loadBundle(file: string, options: LoadOptions = {}): unknown {
  const dir = cacheFolder();
  const nodeModule = Module as unknown as { enableCompileCache?: (dir?: string) => unknown };
  if (!dir || typeof nodeModule.enableCompileCache === 'function') {
    // Node ≥ 22.1 caches compilation itself (enableCompileCache was called by installLoader)
    return createRequire(__filename)(file);
  }
  let cached: Buffer | undefined;
  let base = '';
  let found: string | undefined;
  let foreign = false;
  let work = 0;
  try {
    base = cacheBaseFor(file, dir);
    for (const kind of ['full', 'light']) {
      let bytes: Buffer;
      try { bytes = readFileSync(`${base}.${kind}.v8cache`); } catch { continue; /* none */ }
      found = `${base}.${kind}.v8cache`;
      const c = readCacheFile(bytes);
      if (c) { cached = c.data; work = c.work; } else foreign = true;
      break;
    }
  } catch { /* no cache */ }
  const bytes = readFileSync(file);
  // an all-ASCII file (the build makes it so) becomes a one-byte string: much faster than decoding UTF-8
  const source = isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
  const importer = (vm as unknown as { constants?: { USE_MAIN_CONTEXT_DEFAULT_LOADER?: symbol } }).constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER;
  const script = new vm.Script((Module as unknown as { wrap(s: string): string }).wrap(source), {
    filename: file,
    cachedData: cached,
    ...(importer ? { importModuleDynamically: importer as never } : {}),
  });
  if (base) pending.push({ file, script, base, found, rejected: foreign || (!!cached && script.cachedDataRejected === true), work });
  const mod = new Module(file, module) as Module & { filename: string; paths: string[]; loaded: boolean };
  mod.filename = file;
  mod.paths = (Module as unknown as { _nodeModulePaths(d: string): string[] })._nodeModulePaths(dirname(file));
  const fn = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: unknown, filename: string, dirname: string) => void;
  fn.call(mod.exports, mod.exports, options.require === false ? undefined as never : createRequire(file), mod, file, dirname(file));
  mod.loaded = true;
  return mod.exports;
}

/**
 * Makes `loadBundle` the way every part of this process loads the other bundles (the lazy TypeScript loader in the
 * CLI bundle finds it on globalThis), and writes the caches when the process exits.
 */
export function installLoader(options: { writeOnExit: boolean }): void {
  const nodeModule = Module as unknown as { enableCompileCache?: (dir?: string) => unknown };
  const dir = cacheFolder();
  if (dir && typeof nodeModule.enableCompileCache === 'function') {
    try { nodeModule.enableCompileCache(dir); } catch { /* optional */ }
  }
  (globalThis as Record<symbol, Loader>)[LOADER_KEY] = loadBundle;
  if (options.writeOnExit) process.once('exit', flushCompileCache);
}
