/**
 * Baselines: adopt Shipsafe on an existing code base without fixing everything first. A baseline is a
 * previous JSON or SARIF report; a finding already in it (same file, same rule, same fingerprint) is known and
 * does not fail the build, only new ones do. Create one with
 *
 *   shipsafe scan --format json --output .shipsafe-baseline.json --fail-on none
 *
 * (without `--fail-on none` the command still writes the file but exits 1 when there are findings), commit it,
 * and run `shipsafe scan --baseline .shipsafe-baseline.json` in CI. Fingerprints survive edits elsewhere in
 * the file; editing the flagged line itself or moving the file makes the finding new again.
 */
import { readSmallTextFile, ReadFileError } from '../project/read-file';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Finding } from '../model/types';
import { FINGERPRINT_KEY, SRCROOT } from './sarif';
import { leavesBase } from '../util/paths';

export class BaselineError extends Error {
  constructor(readonly source: string, problem: string) {
    super(`${source}: cannot use this baseline: ${problem}`);
    this.name = 'BaselineError';
  }
}

export interface BaselineEntry {
  file: string;
  ruleId: string;
  fingerprint: string;
}

const key = (file: string, ruleId: string, fingerprint: string) => `${normalize(file)}\u0000${ruleId}\u0000${fingerprint}`;

function normalize(file: string): string {
  return file.split('\\').join('/').replace(/^\.\//, '');
}

export class Baseline {
  private readonly keys = new Set<string>();
  constructor(readonly source: string, readonly entries: BaselineEntry[]) {
    for (const e of entries) this.keys.add(key(e.file, e.ruleId, e.fingerprint));
  }
  get size(): number {
    return this.keys.size;
  }
  has(f: Pick<Finding, 'file' | 'ruleId' | 'fingerprint'>): boolean {
    return this.keys.has(key(f.file, f.ruleId, f.fingerprint));
  }
  /** Splits findings into those not in the baseline (count toward --fail-on) and those already known. */
  split<T extends Pick<Finding, 'file' | 'ruleId' | 'fingerprint'>>(findings: readonly T[]): { fresh: T[]; known: T[] } {
    const fresh: T[] = [];
    const known: T[] = [];
    for (const f of findings) (this.has(f) ? known : fresh).push(f);
    return { fresh, known };
  }
}

/**
 * Reads a baseline from a Shipsafe JSON report or a SARIF log. `root` is the scan root: absolute paths in the
 * baseline are made relative to it. Throws BaselineError.
 */
export function parseBaseline(text: string, source: string, root: string): Baseline {
  let raw: unknown;
  try {
    raw = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    // the parser's message quotes the text around the error; the file may be a symlink to anything
    const at = /position (\d+)/.exec((e as Error).message);
    throw new BaselineError(source, `not valid JSON${at ? ` (syntax error at offset ${at[1]})` : ''}`);
  }
  const toRel = (file: string) => {
    if (!isAbsolute(file)) return normalize(file);
    const rel = relative(resolve(root), file);
    return leavesBase(rel) ? normalize(file) : rel.split(sep).join('/');
  };
  const obj = raw as Record<string, unknown>;
  if (obj && typeof obj === 'object' && Array.isArray(obj.findings) && typeof obj.version === 'number') {
    const entries: BaselineEntry[] = [];
    for (const f of obj.findings as Record<string, unknown>[]) {
      if (!f || typeof f.file !== 'string' || typeof f.ruleId !== 'string' || typeof f.fingerprint !== 'string') {
        throw new BaselineError(source, 'a finding lacks file, ruleId or fingerprint; regenerate the baseline with `shipsafe scan --format json --output <file>`');
      }
      entries.push({ file: toRel(f.file), ruleId: f.ruleId, fingerprint: f.fingerprint });
    }
    return new Baseline(source, entries);
  }
  if (obj && typeof obj === 'object' && Array.isArray(obj.runs)) {
    const entries: BaselineEntry[] = [];
    for (const run of obj.runs as Record<string, unknown>[]) {
      const bases = (run?.originalUriBaseIds ?? {}) as Record<string, { uri?: string }>;
      for (const r of (Array.isArray(run?.results) ? run.results : []) as Record<string, any>[]) {
        const fp = r?.partialFingerprints?.[FINGERPRINT_KEY];
        const loc = r?.locations?.[0]?.physicalLocation?.artifactLocation;
        if (typeof r?.ruleId !== 'string' || typeof fp !== 'string' || typeof loc?.uri !== 'string') continue;
        entries.push({ file: toRel(uriToPath(loc.uri, loc.uriBaseId, bases)), ruleId: r.ruleId, fingerprint: fp });
      }
    }
    return new Baseline(source, entries);
  }
  throw new BaselineError(source, 'it is neither a Shipsafe JSON report (with "version" and "findings") nor a SARIF log (with "runs"); create one with `shipsafe scan --format json --output <file> --fail-on none`');
}

function uriToPath(uri: string, baseId: string | undefined, bases: Record<string, { uri?: string }>): string {
  if (/^file:/i.test(uri)) {
    try { return fileURLToPath(uri); } catch { return uri; }
  }
  const rel = uri.split('/').map((s) => { try { return decodeURIComponent(s); } catch { return s; } }).join('/');
  // a base other than our %SRCROOT% that has its own absolute URI: resolve against it
  if (baseId && baseId !== SRCROOT && bases[baseId]?.uri && /^file:/i.test(bases[baseId].uri!)) {
    try { return fileURLToPath(new URL(uri, bases[baseId].uri)); } catch { /* fall through */ }
  }
  return rel;
}

/** Largest baseline read (a JSON report of 100,000 findings is about 60 MB). */
export const MAX_BASELINE_BYTES = 256 * 1024 * 1024;

export function loadBaseline(path: string, root: string): Baseline {
  let text: string;
  try {
    text = readSmallTextFile(path, MAX_BASELINE_BYTES);
  } catch (e) {
    if (!(e instanceof ReadFileError)) throw e;
    throw new BaselineError(path, e.code === 'ENOENT'
      ? 'the file does not exist; create it with `shipsafe scan --format json --output ' + path + ' --fail-on none`'
      : e.message);
  }
  return parseBaseline(text, path, root);
}
