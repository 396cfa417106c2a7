/**
 * The summary pre-pass of a scan (inter-procedural taint, see taint/summaries.ts): reads the JavaScript and
 * TypeScript files of the scan and summarises each, skipping what the analysis itself would not parse (binary,
 * minified, too large, third-party). Never throws for a bad file: a file that cannot be summarised just adds
 * nothing to the project's taint.
 */
import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ShipsafeConfig } from '../config/config';
import { analysisSkipReason, languageOf } from '../analyze';
import { ProjectTaint, relativeResolver, resolveCandidates, summarizeFile, type FileSummary, type ImportResolver } from '../taint/summaries';
import { hardReadLimit, readSource, relativePath } from './scan';

/** Files the pre-pass reads: JavaScript and TypeScript (Python has no cross-module taint yet). */
export function summarizable(file: string): boolean {
  const lang = languageOf(file);
  return !!lang && lang !== 'python';
}

/** Summaries of files from disk (absolute paths in, paths relative to `root` in the summaries). */
export async function summarizeFiles(files: readonly string[], root: string, config: ShipsafeConfig): Promise<FileSummary[]> {
  const out: FileSummary[] = [];
  const limit = hardReadLimit(config);
  for (const f of files) {
    if (!summarizable(f)) continue;
    const abs = resolve(f);
    const rel = relativePath(resolve(root), abs);
    const read = await readSource(abs, limit);
    if ('skipped' in read) continue;
    if (analysisSkipReason(rel, read.text, config)) continue;
    try { out.push(summarizeFile(rel, read.text)); } catch { /* the analysis reports the file; it adds no taint */ }
  }
  return out;
}

/** The joined summaries of a scan, with the minimal relative resolver over the scanned files (or the given one). */
export function projectTaintOf(summaries: readonly FileSummary[], files: readonly string[], root: string, resolver?: ImportResolver): ProjectTaint {
  const rels = files.map((f) => relativePath(resolve(root), resolve(f)));
  const pt = new ProjectTaint(resolver ?? relativeResolver(rels));
  for (const s of summaries) pt.set(s);
  return pt;
}

/**
 * The minimal resolver against the disk (the editor, which does not hold the list of files): relative specifiers
 * from a file to files under `root`, with the same extensions and index files as `relativeResolver`.
 */
export function diskResolver(root: string): ImportResolver {
  // no exception for a missing candidate (most candidates are missing: `db.ts`, `db.tsx` before `db.js`)
  const isFile = (rel: string) => { try { return !!statSync(join(root, rel), { throwIfNoEntry: false })?.isFile(); } catch { return false; } };
  return (from, spec) => resolveCandidates(from, spec).find(isFile);
}
