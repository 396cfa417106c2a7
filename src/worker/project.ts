/**
 * Configuration for the worker, resolved the way the CLI resolves it when it scans a workspace folder:
 * the nearest `.shipsafe.json` at or above the folder (not above the git work tree), its `exclude` globs
 * relative to the file's folder; the editor's settings on top (`exclude` relative to the workspace folder,
 * like the CLI's `--exclude` relative to the current folder). Files are given to the engine by their path
 * relative to the workspace folder, as the CLI does, so path-based facts (Next.js routes…) agree.
 */
import { statSync } from 'node:fs';
import { ConfigError, DEFAULT_CONFIG, languageOf, type ShipsafeConfig } from '../engine';
import { fileKindOf } from '../engine/files/kinds';
import { findConfigFile, loadConfig } from '../engine/project/config-loader';
import { discover, excludedFile, findGitRootSync, type ExcludePattern } from '../engine/project/discover';
import { relativePath } from '../engine/project/scan';
import type { EditorOverrides } from './protocol';

interface CachedConfig { stamp: string; config: ShipsafeConfig; configDir: string; error?: string }

export interface FolderSettings {
  config: ShipsafeConfig;
  exclude: ExcludePattern[];
  error?: string;
}

export class ProjectConfigs {
  private readonly cache = new Map<string, CachedConfig>();

  constructor(private readonly ruleIds: readonly string[]) {}

  /**
   * `.shipsafe.json` for a workspace folder; re-read only when the file changed. Never throws. Asked before every
   * analysis (each pause in typing), so it looks with synchronous calls: a few `stat`s of cached directory
   * entries, where an asynchronous look-up paid one thread-pool round trip per folder level (milliseconds each
   * on a busy machine, for the same answer).
   */
  private load(root: string): CachedConfig {
    const gitRoot = findGitRootSync(root);
    const file = findConfigFile(root, gitRoot);
    if (!file) return { stamp: '', config: DEFAULT_CONFIG, configDir: root };
    let stamp = file;
    try { const st = statSync(file); stamp = `${file}:${st.mtimeMs}:${st.size}`; } catch { /* read below reports it */ }
    const hit = this.cache.get(root);
    if (hit && hit.stamp === stamp) return hit;
    let loaded: CachedConfig;
    try {
      const l = loadConfig(file, this.ruleIds);
      loaded = { stamp, config: l.config, configDir: l.configDir };
    } catch (e) {
      const error = e instanceof ConfigError ? e.message : `${file}: ${(e as Error).message}`;
      loaded = { stamp, config: DEFAULT_CONFIG, configDir: root, error };
    }
    this.cache.set(root, loaded);
    return loaded;
  }

  async forFolder(root: string | undefined, overrides: EditorOverrides): Promise<FolderSettings> {
    const base = root ? this.load(root) : { config: DEFAULT_CONFIG, configDir: '', error: undefined };
    const config: ShipsafeConfig = {
      rules: { ...base.config.rules, ...overrides.rules },
      exclude: [...base.config.exclude, ...overrides.exclude],
      minConfidence: overrides.minConfidence ?? base.config.minConfidence,
      maxFileSizeKb: overrides.maxFileSizeKb ?? base.config.maxFileSizeKb,
    };
    const exclude: ExcludePattern[] = root ? [
      ...base.config.exclude.map((pattern) => ({ pattern, base: base.configDir })),
      ...overrides.exclude.map((pattern) => ({ pattern, base: root })),
    ] : [];
    return { config, exclude, ...(base.error ? { error: base.error } : {}) };
  }

  /**
   * Whether an exclude glob matches this file (as for a file named on the CLI's command line). Synchronous for
   * the same reason as `load`: one `stat` and a pattern test.
   */
  async isExcluded(path: string, exclude: ExcludePattern[]): Promise<boolean> {
    if (!exclude.length || (!languageOf(path) && !fileKindOf(path))) return false;
    let isDirectory: boolean;
    try {
      isDirectory = statSync(path).isDirectory();
    } catch {
      return false; // not on disk (deleted while open): nothing excludes it
    }
    if (!isDirectory) return excludedFile(path, exclude);
    try {
      const r = await discover(path, { exclude, respectGitignore: false, textFiles: true });
      return r.files.length === 0 && r.skipped.some((s) => s.reason === 'excluded');
    } catch {
      return false;
    }
  }

  async discover(root: string, overrides: EditorOverrides, respectGitignore: boolean, trusted = false): Promise<{ files: string[]; error?: string }> {
    const s = await this.forFolder(root, overrides);
    const r = await discover(root, { exclude: s.exclude, respectGitignore, projectRoot: root, textFiles: true, git: trusted });
    return { files: r.files, ...(s.error ? { error: s.error } : {}) };
  }
}

/** The path the engine sees: relative to the workspace folder with forward slashes, as in CLI reports. */
export function enginePath(root: string | undefined, abs: string): string {
  return root ? relativePath(root, abs) : abs;
}
