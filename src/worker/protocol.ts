/**
 * Messages between the extension host (src/extension) and the analysis worker (src/worker).
 * Plain, structured-clone-able data only: findings and rule metadata are already plain.
 */
import type { Confidence, Finding, Language, RuleMeta, RuleSetting, SkippedFile } from '../engine';

/** What the editor adds on top of `.shipsafe.json` for one resource (VS Code settings win, as in `mergeConfig`). */
export interface EditorOverrides {
  rules: Record<string, RuleSetting>;
  /** minimatch globs relative to the workspace folder */
  exclude: string[];
  /** only when the user set it explicitly; otherwise `.shipsafe.json` or the default applies */
  maxFileSizeKb?: number;
  minConfidence?: Confidence;
}

export interface AnalyzeRequest {
  type: 'analyze';
  id: number;
  /** absolute path (the path the engine sees and the path findings carry) */
  path: string;
  /** the editor's text; when absent the worker reads `path` from disk */
  text?: string;
  /** the editor's language for the text; by default the path's extension decides */
  language?: Language;
  /** the workspace folder whose `.shipsafe.json` applies; absent for files outside any folder */
  root?: string;
  overrides: EditorOverrides;
  /** measure parse/walk/rule timings for the debug log */
  timings: boolean;
  /** also resolve and verify the findings' fixes (code actions), or apply every safe fix (fix all); see worker/fixes.ts */
  fixes?: import('./fixes').FixesOptions;
}

export interface DiscoverRequest {
  type: 'discover';
  id: number;
  root: string;
  overrides: EditorOverrides;
  respectGitignore: boolean;
  /** the workspace is trusted: discovery may run `git` (tracked files that .gitignore ignores still count) */
  trusted?: boolean;
}

/**
 * A file or folder is gone from a workspace folder (deleted, or renamed away): what the worker knows of the files at
 * or under `path` (their facts in the project model, their summaries for the project's taint) is dropped.
 */
export interface ForgetRequest {
  type: 'forget';
  id: number;
  /** absolute path of the file or folder that is gone */
  path: string;
  /** its workspace folder */
  root: string;
}

export type WorkerRequest = AnalyzeRequest | DiscoverRequest | ForgetRequest;

export interface ReadyMessage {
  type: 'ready';
  rules: RuleMeta[];
}

export interface AnalyzeResponse {
  type: 'analyzed';
  id: number;
  /** the request's path */
  path: string;
  /** the path the engine saw (relative to the workspace folder); findings and related locations use it */
  enginePath: string;
  findings: Finding[];
  /** the file was not analysed, or only partly (too large, minified, binary, unreadable) */
  skipped?: SkippedFile;
  /** the file matches an exclude glob (settings or `.shipsafe.json`): no findings */
  excluded?: boolean;
  /** `.shipsafe.json` could not be used; defaults applied. The text never contains file content. */
  configError?: string;
  /** wall time spent in the worker on this file */
  ms: number;
  /** with `timings`: CPU time the worker's thread spent on it, where Node can measure it (wall time minus waiting for a core) */
  cpuMs?: number;
  /** the workspace folder's project model was still being built: findings that need it may change (ask again) */
  projectPending?: boolean;
  timings?: { parseMs: number; factsMs: number; walkMs: number; rulesMs: Record<string, number> };
  ruleErrors: { ruleId: string; error: string }[];
  /**
   * absolute paths of files whose findings may have changed because this file's calls into them changed (they
   * receive its request data, or no longer do): the editor re-checks them
   */
  dependents?: string[];
  /** with `fixes.fixAll`: the document's text after every safe fix, and what was applied */
  fixAll?: import('./fixes').FixesResult['fixAll'];
}

export interface DiscoverResponse {
  type: 'discovered';
  id: number;
  /** absolute paths */
  files: string[];
  configError?: string;
}

export interface ErrorResponse {
  type: 'error';
  id: number;
  message: string;
}

/** The project model of a workspace folder is built: open files of that folder should be analysed again. */
export interface ProjectReadyMessage {
  type: 'projectReady';
  root: string;
  files: number;
  ms: number;
}

export interface ForgottenResponse {
  type: 'forgotten';
  id: number;
  /** how many files the worker knew at or under the path (0: nothing changed) */
  removed: number;
  /** absolute paths of files that received request data from the removed ones: their findings may change */
  dependents?: string[];
}

export type WorkerResponse = ReadyMessage | AnalyzeResponse | DiscoverResponse | ErrorResponse | ProjectReadyMessage | ForgottenResponse;
