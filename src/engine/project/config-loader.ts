/**
 * Finds and loads `.shipsafe.json`. Shared by the CLI and the extension: no console output.
 * The config's `exclude` globs are relative to the folder the config file is in (`configDir`).
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { CONFIG_FILE_NAME, ConfigError, DEFAULT_CONFIG, MAX_CONFIG_BYTES, parseConfig, type ShipsafeConfig } from '../config/config';
import { readSmallTextFile, ReadFileError } from './read-file';
import { allRules } from '../rules';

export interface LoadedConfig {
  config: ShipsafeConfig;
  /** absolute path of the file the config came from; undefined when none was found (defaults) */
  configPath?: string;
  /** the folder `exclude` globs are relative to */
  configDir: string;
}

/**
 * The nearest `.shipsafe.json` at or above `from` (a file or a folder), not going above `stopAt`
 * (e.g. the workspace folder or the git work tree; default: the file system root).
 */
export function findConfigFile(from: string, stopAt?: string): string | undefined {
  let dir = resolve(from);
  try {
    if (!statSync(dir).isDirectory()) dir = dirname(dir);
  } catch {
    dir = dirname(dir);
  }
  const stop = stopAt ? resolve(stopAt) : undefined;
  for (;;) {
    const candidate = join(dir, CONFIG_FILE_NAME);
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch { /* not here */ }
    if (stop && dir === stop) return undefined;
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

/** Reads and validates a config file. Throws ConfigError with every problem listed. */
export function loadConfig(path: string, knownRuleIds: readonly string[] = allRules.map((r) => r.meta.id)): LoadedConfig {
  const file = resolve(path);
  let text: string;
  try {
    text = readSmallTextFile(file, MAX_CONFIG_BYTES);
  } catch (e) {
    if (!(e instanceof ReadFileError)) throw e;
    const problem = e.code === 'EISDIR' ? 'this is a folder; pass the path of a .shipsafe.json file' : e.message;
    const err = new ConfigError(path, [problem]);
    err.message = `${path}: cannot load the Shipsafe configuration: ${problem}`;
    throw err;
  }
  const config = parseConfig(text, path, knownRuleIds);
  return { config, configPath: file, configDir: dirname(file) };
}

/**
 * The configuration for a scan starting at `from`: `explicitPath` when given (it must exist), else the nearest
 * `.shipsafe.json` at or above `from` (up to `stopAt`), else the defaults with `configDir` = `from`'s folder.
 */
export function resolveConfig(from: string, options: { explicitPath?: string; stopAt?: string; knownRuleIds?: readonly string[] } = {}): LoadedConfig {
  if (options.explicitPath) return loadConfig(options.explicitPath, options.knownRuleIds);
  const found = findConfigFile(from, options.stopAt);
  if (found) return loadConfig(found, options.knownRuleIds);
  let dir = resolve(from);
  if (existsSync(dir) && !statSync(dir).isDirectory()) dir = dirname(dir);
  return { config: { ...DEFAULT_CONFIG, rules: {}, exclude: [] }, configDir: dir };
}
