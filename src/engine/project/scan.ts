/**
 * Analyses a list of files from disk. Shared by the CLI and the extension: no console output, never throws
 * for a bad file. Every file ends up either analysed or in `skipped` with a reason, so nothing is silently lost:
 * binary files, unreadable files and files too large to read are skipped; minified bundles and files over
 * `maxFileSizeKb` get only the text checks (secrets) and are listed in `skipped` with that said; files with
 * syntax errors are analysed as far as the parser recovers and listed with reason `parse-error`.
 *
 * Paths in findings and in `skipped` are relative to `root` with forward slashes (what reports need).
 */
import { readFileSync, statSync } from 'node:fs';
import { leavesBase } from '../util/paths';
import { open, stat } from 'node:fs/promises';
import { relative, resolve, sep } from 'node:path';
import type { ts } from 'ts-morph';
import { analyzeText, languageOf, type PreparedTree } from '../analyze';
import { loadPythonParser } from '../python/parser';
import type { ShipsafeConfig } from '../config/config';
import type { Rule } from '../model/rule';
import type { AnalysisResult, SkippedFile } from '../model/types';
import type { ProjectModel } from '../project-model/model';
import type { ModuleFacts } from '../project-model/types';
import type { FileSummary, ProjectTaintData } from '../taint/summaries';

export interface RuleError {
  file: string;
  ruleId: string;
  error: string;
}

export interface ScanProgress {
  done: number;
  total: number;
  /** the file about to be analysed (relative) */
  file: string;
}

export interface ScanOptions {
  config: ShipsafeConfig;
  rules: readonly Rule[];
  /** paths in the output are relative to this folder */
  root: string;
  onProgress?: (progress: ScanProgress) => void;
  /** list files with syntax errors as `parse-error` in `skipped` (default true) */
  reportSyntaxErrors?: boolean;
  /** stop early (the extension cancels a workspace scan) */
  signal?: AbortSignal;
  /** the project model (engine paths, relative to `root`): rules see the app around each file */
  project?: ProjectModel;
  /** called with each analysed file's module facts (when `project` is given): the editor keeps its model current */
  onModuleFacts?: (facts: ModuleFacts) => void;
  /** what other modules pass into a file (inter-procedural taint from the summary pre-pass), by relative path */
  projectData?: (file: string) => ProjectTaintData | undefined;
  /** receives each analysed file's summary for the project's taint (asks the analysis to compute it) */
  onSummary?: (summary: FileSummary) => void;
}

export interface ScanOutput {
  /** one per file that was read (analysed fully or by the text checks only) */
  results: AnalysisResult[];
  /** every file that was not analysed fully, with the reason (relative paths) */
  skipped: SkippedFile[];
  ruleErrors: RuleError[];
  /** number of files read and analysed (fully or by text checks) */
  filesAnalyzed: number;
}

const BINARY_PROBE = 8000;

/** a `.` or `..` part of a POSIX path */
const DOT_PART = /\/\.\.?(?:\/|$)/;

/** Relative path with forward slashes; an absolute path when the file is outside `root`. */
export function relativePath(root: string, file: string): string {
  // on POSIX, a file under a root, both absolute and already in the form `resolve` gives (no `.` or `..` part, no
  // empty one, no trailing slash), is the rest of its path: `relative` resolves both paths again, and a scan asks this
  // several times per file
  if (sep === '/' && root.charCodeAt(0) === 47 && file.length > root.length + 1 && file.charCodeAt(root.length) === 47
    && file.startsWith(root) && !file.endsWith('/') && !file.includes('//') && !DOT_PART.test(file)) {
    return file.slice(root.length + 1);
  }
  const rel = relative(root, file);
  if (rel === '' || leavesBase(rel)) return file.split(sep).join('/');
  return rel.split(sep).join('/');
}

/** The largest file read at all: bigger ones are skipped unread. Files between maxFileSizeKb and this get the text checks. */
export function hardReadLimit(config: ShipsafeConfig): number {
  return Math.max(config.maxFileSizeKb * 1024 * 16, 16 * 1024 * 1024);
}

export type ReadResult = { text: string } | { skipped: SkippedFile['reason']; detail: string };

export async function readSource(file: string, limit: number): Promise<ReadResult> {
  let handle;
  try {
    const st = await stat(file);
    if (!st.isFile()) return { skipped: 'unreadable', detail: 'not a regular file' };
    if (st.size > limit) return tooLarge(st.size, limit);
    handle = await open(file, 'r');
    return decodeSource(await handle.readFile());
  } catch (e) {
    return unreadable(e);
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/**
 * `readSource` without waiting on the event loop: for a thread that analyses file after file and has nothing else to
 * do meanwhile (the CLI's in-thread scan), where each awaited read would leave the core idle.
 */
export function readSourceSync(file: string, limit: number): ReadResult {
  try {
    // stat before opening: opening a FIFO or a device would block
    const st = statSync(file);
    if (!st.isFile()) return { skipped: 'unreadable', detail: 'not a regular file' };
    if (st.size > limit) return tooLarge(st.size, limit);
    return decodeSource(readFileSync(file));
  } catch (e) {
    return unreadable(e);
  }
}

const tooLarge = (size: number, limit: number): ReadResult => ({
  skipped: 'too-large', detail: `the file is ${(size / 1048576).toFixed(1)} MiB, over the ${Math.round(limit / 1048576)} MiB read limit; it was not read (raise maxFileSizeKb to include it)`,
});

const unreadable = (e: unknown): ReadResult => ({ skipped: 'unreadable', detail: `cannot read the file (${(e as NodeJS.ErrnoException).code ?? 'error'})` });

function decodeSource(buf: Buffer): ReadResult {
  // UTF-16 with a byte order mark (Windows editors save it): NUL bytes are part of the encoding, not binary
  if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(buf.subarray(2)) };
  if (buf.length >= 2 && buf[0] === 0xfe && buf[1] === 0xff) return { text: new TextDecoder('utf-16be').decode(buf.subarray(2)) };
  const probe = buf.subarray(0, Math.min(buf.length, BINARY_PROBE));
  if (probe.includes(0)) return { skipped: 'binary', detail: 'the file holds binary data (a NUL byte near the start); it was not analysed' };
  return { text: utf8.decode(buf) };
}

const utf8 = new TextDecoder('utf-8');

/**
 * A text another pass already read with `readFileSync(file, 'utf8')` (the project model's), as readSourceSync would
 * give it, so the file need not be read again; undefined when the two could differ: a byte order mark (decodeSource
 * drops a UTF-8 one and reads UTF-16 by theirs), a NUL byte in the binary probe (a character's index is never past
 * its byte's), a replacement character (bytes that are not UTF-8: two decoders need not replace them alike).
 */
export function asReadSource(text: string): ReadResult | undefined {
  if (text.charCodeAt(0) === 0xfeff || text.lastIndexOf('\0', BINARY_PROBE) !== -1 || text.includes('\ufffd')) return undefined;
  return { text };
}

/** Reads and analyses files one by one. `files` are absolute paths (e.g. from `discoverFiles`). */
export async function scanFiles(files: readonly string[], options: ScanOptions): Promise<ScanOutput> {
  const root = resolve(options.root);
  const limit = hardReadLimit(options.config);
  const out: ScanOutput = { results: [], skipped: [], ruleErrors: [], filesAnalyzed: 0 };
  const checkSyntax = options.reportSyntaxErrors ?? true;
  if (files.some((f) => languageOf(f) === 'python')) await loadPythonParser();
  for (let i = 0; i < files.length; i++) {
    if (options.signal?.aborted) break;
    const abs = resolve(files[i]);
    const rel = relativePath(root, abs);
    options.onProgress?.({ done: i, total: files.length, file: rel });
    const read = await readSource(abs, limit);
    if ('skipped' in read) {
      out.skipped.push({ file: rel, reason: read.skipped, detail: read.detail });
      continue;
    }
    addAnalysis(out, rel, read.text, options, checkSyntax);
  }
  options.onProgress?.({ done: files.length, total: files.length, file: '' });
  return out;
}

/**
 * One file's text analysed into its own part of the output, with the cross-file inputs: the project model and what
 * other modules pass into it (`taint`, inter-procedural taint), from the tree the project model's pass parsed when
 * it is given (`sourceFile`, `moduleFacts`, `prepared`: parseForModel). The CLI runs it in its own thread and in the
 * analysis threads alike.
 */
export function analyseSource(rel: string, text: string, o: Pick<ScanOptions, 'rules' | 'config' | 'project'> & { taint?: ProjectTaintData; sourceFile?: ts.SourceFile; moduleFacts?: ModuleFacts; prepared?: PreparedTree }, checkSyntax: boolean): ScanOutput {
  const out: ScanOutput = { results: [], skipped: [], ruleErrors: [], filesAnalyzed: 0 };
  const taint = o.taint;
  addAnalysis(out, rel, text, {
    rules: o.rules, config: o.config, ...(o.project ? { project: o.project } : {}), ...(taint ? { projectData: () => taint } : {}),
    ...(o.sourceFile ? { sourceFile: o.sourceFile, ...(o.moduleFacts ? { moduleFacts: o.moduleFacts } : {}), ...(o.prepared ? { prepared: o.prepared } : {}) } : {}),
  }, checkSyntax);
  return out;
}

/**
 * Analyses one file's text (read by `readSource`) into `out`, as `scanFiles` does: synchronous, so the CLI can run
 * it under a time budget. Never throws for a bad file.
 */
export function addAnalysis(out: ScanOutput, rel: string, text: string, options: Pick<ScanOptions, 'rules' | 'config' | 'project' | 'onModuleFacts' | 'projectData' | 'onSummary'> & { sourceFile?: ts.SourceFile; moduleFacts?: ModuleFacts; prepared?: PreparedTree }, checkSyntax: boolean): void {
  let result;
  try {
    result = analyzeText({ path: rel, text, ...(options.project ? { project: options.project } : {}), ...(options.sourceFile ? { sourceFile: options.sourceFile, ...(options.moduleFacts ? { moduleFacts: options.moduleFacts } : {}), ...(options.prepared ? { prepared: options.prepared } : {}) } : {}) }, { rules: options.rules, config: options.config, project: options.projectData?.(rel), summarize: !!options.onSummary });
    if (result.summary) options.onSummary?.(result.summary);
  } catch (e) {
    // analyzeText is not supposed to throw; if it does, the file is reported, not lost
    out.skipped.push({ file: rel, reason: 'parse-error', detail: `the analysis failed: ${String((e as Error)?.message ?? e).split('\n')[0]}` });
    return;
  }
  out.filesAnalyzed++;
  if (result.moduleFacts) options.onModuleFacts?.(result.moduleFacts);
  for (const err of result.ruleErrors) out.ruleErrors.push({ file: rel, ruleId: err.ruleId, error: err.error });
  const { ruleErrors: _ignored, syntaxErrors: _syntax, moduleFacts: _facts, summary: _summary, ...analysis } = result;
  void _ignored; void _syntax; void _facts; void _summary;
  if (analysis.skipped) {
    out.skipped.push({ ...analysis.skipped, file: rel });
  } else if (checkSyntax && result.syntaxErrors) {
    // listed with the skipped files so the user knows; the findings the recovered tree gave are kept
    const e = result.syntaxErrors;
    out.skipped.push({
      file: rel, reason: 'parse-error',
      detail: `${e.count} syntax error${e.count === 1 ? '' : 's'} (first at ${e.line}:${e.column}: ${e.message}); the file was analysed as far as the parser could recover, so findings in it may be incomplete`,
    });
  }
  out.results.push(analysis);
}
