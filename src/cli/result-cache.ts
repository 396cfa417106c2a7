/**
 * `shipsafe scan --cache`: per-file results kept between scans, keyed by what decides them, so a file that did not
 * change costs a read and a hash. A file's result depends on its path, its text, the rules, the configuration, the
 * project model (what other files export, the routes and middleware they declare) and what other modules pass into
 * it (inter-procedural taint); fixes are verified against the same text and model. So:
 *
 * - the whole cache is bound to a *salt*: Shipsafe's version and build, the Node major version, the effective
 *   configuration (rule settings, min-confidence, size limits, …), the rules that run, the root paths in results are
 *   relative to (the repository's root for `--staged`, not the temporary copy of the index) and the report options
 *   that change a result. Any change starts an empty cache;
 * - each entry is bound to the SHA-256 of the file's path and text, and to what its analysis asked the project
 *   model (model-reads.ts): it is reused only while the current model gives every one of those answers again (a
 *   file that asked nothing of the model, nothing; one whose questions cannot be asked again, the whole model);
 * - a file analysed with what other modules pass into it (inter-procedural taint) has its entry also bound to that
 *   incoming data: when it changes, the file is analysed again (and counted as unchanged but analysed again).
 *
 * Results that depend on time (a file that ran out of its budget, fixes left unverified when the verification
 * budget ran out) are never stored. A cache file that is unreadable, corrupt or not ours is ignored with a note
 * and replaced; writing is atomic (temporary file + rename); a failure to write costs only the speed-up.
 *
 * Default place: node_modules/.cache/shipsafe (when the project has node_modules) or .shipsafe-cache, which gets a
 * `.gitignore` of its own so it is never committed; either way it is left out of the scan. `--staged` (the
 * pre-commit hook) without node_modules: git's own folder (.git/shipsafe-cache), outside the work tree.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ShipsafeConfig } from '../engine/config/config';
import type { Rule } from '../engine/model/rule';
import type { ScanOutput } from '../engine/project/scan';
import { TOOL_VERSION } from '../engine/report/types';
import type { ModuleFacts } from '../engine/project-model/types';
import type { FileSummary } from '../engine/taint/summaries';
import { ModelCheck, type ModelDep, type ModelReads } from './model-reads';

declare const __SHIPSAFE_BUILD_ID__: string | undefined;

/** Changes with every build of the bundle (src/tools/build.ts defines it); from source, the version alone. */
export const BUILD_ID: string = typeof __SHIPSAFE_BUILD_ID__ === 'string' ? __SHIPSAFE_BUILD_ID__ : `source-${TOOL_VERSION}`;

const FORMAT = 'shipsafe-result-cache';
const FORMAT_VERSION = 4;
export const CACHE_FILE = 'results.json';

/**
 * `d`: what the result depends on in the project model (model-reads.ts); `m`: the digest of the last whole model it
 * was known to hold for (the same model again: no need to ask it every stored question)
 */
interface Entry { h: string; out: ScanOutput; d: ModelDep; m?: string; i?: string }
/** `i` of an entry: the SHA-256 of what other modules pass into the file (inter-procedural taint), when anything */
interface CacheFile { format: string; version: number; salt: string; entries: Record<string, Entry> }

// node:crypto is loaded on first use (--cache), not at every start of the CLI. Several parts are hashed one after the
// other: the hash of their concatenation, without making that string (for a file's text, that cost as much as hashing)
export const sha256 = (...parts: string[]): string => {
  const h = (require('node:crypto') as typeof import('node:crypto')).createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest('hex');
};

/**
 * The key of a file's entry in both caches of a scan (facts, results): the SHA-256 of its path and text, computed
 * once per file and text instead of once per lookup and store (two to four times a file). A file's text is held
 * until its result is looked up or stored (up to a bound: past it, keys are computed each time).
 */
export class ContentKeys {
  private readonly keys = new Map<string, { text: string; h: string }>();
  private chars = 0;

  constructor(private readonly maxChars = 64 * 1024 * 1024) {}

  of(rel: string, text: string): string {
    const k = this.keys.get(rel);
    if (k !== undefined && k.text === text) return k.h;
    const h = sha256(rel, '\u0000', text);
    if (k !== undefined) { this.chars -= k.text.length; this.keys.delete(rel); }
    if (this.chars + text.length <= this.maxChars) { this.keys.set(rel, { text, h }); this.chars += text.length; }
    return h;
  }

  /** the file's text is no longer needed here */
  forget(rel: string): void {
    const k = this.keys.get(rel);
    if (k !== undefined) { this.chars -= k.text.length; this.keys.delete(rel); }
  }
}

/**
 * The folder the cache goes in by default, for a project at `projectDir`: node_modules/.cache/shipsafe when there is
 * node_modules, else `gitDir`/shipsafe-cache when given (`--staged`: git's own folder, so a commit leaves nothing in
 * the work tree), else .shipsafe-cache.
 */
export function defaultCacheDir(projectDir: string, gitDir?: string): string {
  if (existsSync(join(projectDir, 'node_modules'))) return join(projectDir, 'node_modules', '.cache', 'shipsafe');
  return gitDir ? join(gitDir, 'shipsafe-cache') : join(projectDir, '.shipsafe-cache');
}

export interface SaltInput {
  config: ShipsafeConfig;
  rules: readonly Rule[];
  root: string;
  /** anything else that changes a file's result (e.g. whether syntax errors are reported) */
  extra?: unknown;
}

export function cacheSalt(s: SaltInput): string {
  return sha256(JSON.stringify({
    build: BUILD_ID, version: TOOL_VERSION, node: process.versions.node.split('.')[0],
    config: s.config, rules: s.rules.map((r) => r.meta.id), root: resolve(s.root), extra: s.extra ?? null,
  }));
}

export class ResultCache {
  private readonly entries = new Map<string, Entry>();
  private readonly seen = new Set<string>();
  /** files whose result came from the cache */
  hits = 0;
  /** files analysed: not in the cache, or changed */
  misses = 0;
  /**
   * of the misses, files whose text was unchanged but whose answers from the project model were not, or what other
   * modules pass into them
   */
  stale = 0;
  /** files whose result this scan could not store (it depends on the machine: a file that ran out of time) */
  unstored = 0;
  private dirty = false;

  private constructor(readonly dir: string, private readonly salt: string, private readonly root: string, private readonly check: ModelCheck,
    private readonly keys: ContentKeys) {}

  /**
   * Opens (or starts) the cache in `dir`. `note` receives one line when an existing cache file is not usable.
   * `check`: the current scan's project model, which stored results are checked against.
   */
  static open(dir: string, salt: string, root: string, note: (line: string) => void, check: ModelCheck = new ModelCheck(undefined),
    keys: ContentKeys = new ContentKeys(0)): ResultCache {
    const c = new ResultCache(resolve(dir), salt, resolve(root), check, keys);
    const file = join(c.dir, CACHE_FILE);
    let raw: string;
    try {
      raw = readFileSync(file, 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') note(`the result cache ${file} cannot be read (${code}); scanning without it`);
      return c;
    }
    let data: CacheFile | undefined;
    try { data = JSON.parse(raw) as CacheFile; } catch { /* below */ }
    if (!data || typeof data !== 'object' || data.format !== FORMAT || typeof data.entries !== 'object' || data.entries === null) {
      note(`ignored ${file}: not a Shipsafe result cache (or a damaged one); it will be replaced`);
      c.dirty = true;
      return c;
    }
    if (data.version !== FORMAT_VERSION || data.salt !== salt) {
      // another version, configuration or rule set: every result may differ
      c.dirty = true;
      return c;
    }
    for (const [rel, e] of Object.entries(data.entries)) {
      if (e && typeof e.h === 'string' && isScanOutput(e.out) && isDep(e.d) && (e.i === undefined || typeof e.i === 'string')) c.entries.set(rel, e);
      else c.dirty = true;
    }
    return c;
  }

  private key(rel: string, text: string): string {
    return this.keys.of(rel, text);
  }

  /** `incoming`: what other modules pass into the file (inter-procedural taint, as JSON), when anything */
  get(rel: string, text: string, incoming?: string): ScanOutput | undefined {
    this.seen.add(rel);
    const e = this.entries.get(rel);
    if (e && e.h === this.key(rel, text)) {
      if (e.i === (incoming === undefined ? undefined : sha256(incoming)) && this.holds(e)) { this.hits++; this.keys.forget(rel); return e.out; }
      this.stale++;
    }
    this.misses++;
    return undefined;
  }

  /** A file's result that depends on the machine (it ran out of time), so not stored: counted in `unstored`. */
  notStored(): void {
    this.unstored++;
  }

  /** `reads`: what the analysis asked the project model (undefined when it was not recorded: the whole model counts) */
  set(rel: string, text: string, out: ScanOutput, reads?: ModelReads | 'all', incoming?: string): void {
    this.seen.add(rel);
    // a copy: the report must not be able to change what is stored
    this.entries.set(rel, {
      h: this.key(rel, text), out: structuredClone(out), d: this.check.depOf(reads), m: this.check.wholeDigest(),
      ...(incoming !== undefined ? { i: sha256(incoming) } : {}),
    });
    this.keys.forget(rel);
    this.dirty = true;
  }

  /**
   * Whether an entry's result holds for this scan's model: at once when the whole model is the one it last held for
   * (a scan where no file's facts changed), else when the model answers every stored question the same (then it is
   * marked as holding for this model too).
   */
  private holds(e: Entry): boolean {
    if (e.m !== undefined && e.m === this.check.wholeDigest()) return true;
    if (!this.check.holds(e.d)) return false;
    e.m = this.check.wholeDigest();
    this.dirty = true;
    return true;
  }

  /** Writes the cache when it changed: this scan's files, and earlier entries whose file still exists. Never throws. */
  save(note: (line: string) => void): void {
    for (const rel of [...this.entries.keys()]) {
      if (!this.seen.has(rel) && !existsSync(resolve(this.root, rel))) { this.entries.delete(rel); this.dirty = true; }
    }
    if (!this.dirty) return;
    const file = join(this.dir, CACHE_FILE);
    const tmp = `${file}.${process.pid}.tmp`;
    try {
      const created = !existsSync(this.dir);
      mkdirSync(this.dir, { recursive: true });
      // a cache folder of our own is never committed (node_modules is ignored anyway)
      if (created && !existsSync(join(this.dir, '.gitignore'))) writeFileSync(join(this.dir, '.gitignore'), '# written by shipsafe scan --cache\n*\n');
      const data: CacheFile = { format: FORMAT, version: FORMAT_VERSION, salt: this.salt, entries: Object.fromEntries(this.entries) };
      writeFileSync(tmp, JSON.stringify(data));
      renameSync(tmp, file);
      this.dirty = false;
    } catch (e) {
      try { unlinkSync(tmp); } catch { /* not written */ }
      note(`could not write the result cache to ${file} (${(e as NodeJS.ErrnoException).code ?? String(e)}); the next scan will not be faster`);
    }
  }
}

function isDep(d: unknown): d is ModelDep {
  if (!d || typeof d !== 'object') return false;
  const x = d as Record<string, unknown>;
  return x.none === true || typeof x.all === 'string' || (Array.isArray(x.reads) && Array.isArray(x.scopes));
}

export function isScanOutput(o: unknown): o is ScanOutput {
  const x = o as ScanOutput;
  return !!x && typeof x === 'object' && Array.isArray(x.results) && Array.isArray(x.skipped) && Array.isArray(x.ruleErrors) && typeof x.filesAnalyzed === 'number';
}

const FACTS_FORMAT = 'shipsafe-model-facts';
export const FACTS_FILE = 'model-facts.json';

/** `summary`: the file's summary for the project's taint (null: it cannot be summarised; absent: not computed) */
interface FactsEntry { h: string; facts: ModuleFacts | null; summary?: FileSummary | null }

/**
 * The project model's facts per file (`scan --cache`), beside the results: a file that did not change gives its
 * facts without a parse, so a warm scan builds the model from the cache. A file's facts depend only on its path and
 * text (and on the build that computed them), not on the configuration: the cache is bound to the build, the Node
 * major version and the scan root, each entry to the SHA-256 of the file's path and text. Each cached result holds
 * what its analysis asked the model built from these facts, and is recomputed when an answer changes.
 */
export class ModelFactsCache {
  private readonly entries = new Map<string, FactsEntry>();
  private readonly seen = new Set<string>();
  /** the files whose entry is for the text this scan read (found, or stored) */
  private readonly current = new Set<string>();
  private dirty = false;
  hits = 0;

  private constructor(readonly dir: string, private readonly salt: string, private readonly root: string, private readonly keys: ContentKeys) {}

  /** `keys`: shared with the scan's result cache, so that each file's key is computed once */
  static open(dir: string, root: string, keys: ContentKeys = new ContentKeys(0)): ModelFactsCache {
    const salt = sha256(JSON.stringify({ build: BUILD_ID, version: TOOL_VERSION, node: process.versions.node.split('.')[0], root: resolve(root) }));
    const c = new ModelFactsCache(resolve(dir), salt, resolve(root), keys);
    let data: { format?: string; salt?: string; entries?: Record<string, FactsEntry> } | undefined;
    try { data = JSON.parse(readFileSync(join(c.dir, FACTS_FILE), 'utf8')); } catch { /* none, unreadable or damaged: rebuilt */ }
    if (!data || data.format !== FACTS_FORMAT || data.salt !== salt || !data.entries || typeof data.entries !== 'object') {
      c.dirty = !!data;
      return c;
    }
    for (const [rel, e] of Object.entries(data.entries)) {
      if (e && typeof e.h === 'string' && (e.facts === null || (typeof e.facts === 'object' && typeof e.facts.file === 'string')) &&
        (e.summary === undefined || e.summary === null || (typeof e.summary === 'object' && e.summary.file === rel))) c.entries.set(rel, e);
      else c.dirty = true;
    }
    return c;
  }

  private key(rel: string, text: string): string {
    return this.keys.of(rel, text);
  }

  /** the facts (null: a file the parser gave up on) and summary, or undefined when not cached for this text */
  get(rel: string, text: string): { facts: ModuleFacts | null; summary?: FileSummary | null } | undefined {
    this.seen.add(rel);
    const e = this.entries.get(rel);
    if (e && e.h === this.key(rel, text)) { this.hits++; this.current.add(rel); return e.summary === undefined ? { facts: e.facts } : { facts: e.facts, summary: e.summary }; }
    return undefined;
  }

  /** `summary` undefined: not computed (a summary cached before for the same text is kept) */
  set(rel: string, text: string, facts: ModuleFacts | null, summary?: FileSummary | null): void {
    this.seen.add(rel);
    const h = this.key(rel, text);
    const before = this.entries.get(rel);
    const kept = summary !== undefined ? summary : before?.h === h ? before.summary : undefined;
    this.entries.set(rel, kept === undefined ? { h, facts } : { h, facts, summary: kept });
    this.current.add(rel);
    this.dirty = true;
  }

  /**
   * What identifies the project model this scan built from these facts, for ModelCheck's whole-model digest without
   * serialising the model: the key (path and text) of every module file the scan read, and the configuration
   * files' facts. A module's facts depend only on its path and text, and on the build this cache is bound to (its
   * salt, in the identity too). Two scans with the same identity have the same model; a model may come back under
   * another identity (an edit of a comment), which costs only the per-question check of each result. Undefined when a
   * file read this scan has no entry for its text (its facts were not stored: the model is digested whole).
   */
  identity(configs: unknown): string | undefined {
    const pairs: string[] = [];
    for (const rel of this.seen) {
      const e = this.entries.get(rel);
      if (!e || !this.current.has(rel)) return undefined;
      pairs.push(`${rel}\u0000${e.h}`);
    }
    pairs.sort();
    return sha256(JSON.stringify({ salt: this.salt, modules: pairs, configs }));
  }

  /** Writes the cache when it changed (this scan's files, and earlier entries whose file still exists). Never throws. */
  save(): void {
    for (const rel of [...this.entries.keys()]) {
      if (!this.seen.has(rel) && !existsSync(resolve(this.root, rel))) { this.entries.delete(rel); this.dirty = true; }
    }
    if (!this.dirty) return;
    const file = join(this.dir, FACTS_FILE);
    const tmp = `${file}.${process.pid}.tmp`;
    try {
      const created = !existsSync(this.dir);
      mkdirSync(this.dir, { recursive: true });
      if (created && !existsSync(join(this.dir, '.gitignore'))) writeFileSync(join(this.dir, '.gitignore'), '# written by shipsafe scan --cache\n*\n');
      writeFileSync(tmp, JSON.stringify({ format: FACTS_FORMAT, salt: this.salt, entries: Object.fromEntries(this.entries) }));
      renameSync(tmp, file);
      this.dirty = false;
    } catch {
      // only the speed-up of the next scan is lost (the result cache says so when it cannot write either)
      try { unlinkSync(tmp); } catch { /* not written */ }
    }
  }
}
