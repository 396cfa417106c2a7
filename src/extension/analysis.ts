/**
 * Turns documents and files into diagnostics: open documents on open / on type (debounced) / on save, one
 * version at a time per document with stale results dropped; files on disk for "Scan Workspace" and the
 * file-watcher updates after it. Owns the diagnostic collection and the "skipped" notices.
 */
import * as vscode from 'vscode';
import type { Language } from '../engine';
// the file kinds only (a small pure module): the engine itself runs in the worker
import { fileKindOf } from '../engine/files/kinds';
import { DIAGNOSTIC_SOURCE, toDiagnostics } from './diagnostics';
import { settingsFor, type ResourceSettings } from './settings';
import type { AnalyzeOutcome, Priority, WorkerClient } from './workerClient';

export const LANGUAGES: readonly Language[] = ['javascript', 'typescript', 'javascriptreact', 'typescriptreact', 'python'];
const SCHEMES = new Set(['file', 'untitled']);
const UNTITLED_EXTENSION: Record<Language, string> = {
  javascript: '.js', typescript: '.ts', javascriptreact: '.jsx', typescriptreact: '.tsx', python: '.py',
};
export const TYPING_DEBOUNCE_MS = 300;

export interface SkipNotice {
  reason: 'too-large' | 'binary' | 'minified' | 'third-party' | 'parse-error' | 'timeout' | 'unreadable' | 'excluded';
  /** plain words for the user; never contains file content */
  detail: string;
}

interface DocState {
  timer?: NodeJS.Timeout;
  /** the version being analysed right now */
  inFlight?: number;
  /** another analysis was asked for while one was in flight */
  again?: boolean;
  /** the document overran its time budget at this version: no on-type retries until it is saved */
  timedOutVersion?: number;
  /** the version whose results are shown (set when a result is applied) */
  analysedVersion?: number;
}

/** Every document URI an editor tab shows (text editors and both sides of diff editors). */
export function urisInTabs(): Set<string> {
  const out = new Set<string>();
  for (const g of vscode.window.tabGroups.all) {
    for (const t of g.tabs) {
      if (t.input instanceof vscode.TabInputText) out.add(t.input.uri.toString());
      else if (t.input instanceof vscode.TabInputTextDiff) { out.add(t.input.modified.toString()); out.add(t.input.original.toString()); }
    }
  }
  return out;
}

export function tabUris(tabs: readonly vscode.Tab[]): vscode.Uri[] {
  const out: vscode.Uri[] = [];
  for (const t of tabs) {
    if (t.input instanceof vscode.TabInputText) out.push(t.input.uri);
    else if (t.input instanceof vscode.TabInputTextDiff) out.push(t.input.modified, t.input.original);
  }
  return out;
}

/** Editor languages of the config, deploy and text files the secret checks read (besides the file kinds by name). */
export const FILE_LANGUAGES: readonly string[] = [
  'dotenv', 'properties', 'ini', 'yaml', 'json', 'jsonc', 'toml', 'dockerfile', 'dockercompose', 'shellscript', 'xml',
  'plaintext', 'markdown', 'powershell', 'bat',
];

export function isCandidate(doc: vscode.TextDocument): boolean {
  if (!SCHEMES.has(doc.uri.scheme)) return false;
  if ((LANGUAGES as readonly string[]).includes(doc.languageId)) return true;
  // a file on disk is read by its name (`.env`, `Dockerfile`, `id_rsa`), whatever language the editor gave it
  if (doc.uri.scheme === 'file') return !!fileKindOf(doc.uri.fsPath);
  return FILE_LANGUAGES.includes(doc.languageId);
}

export class Analysis implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('shipsafe');
  private readonly docs = new Map<string, DocState>();
  private readonly skipped = new Map<string, SkipNotice>();
  private readonly configErrors = new Map<string, string>();
  private readonly loggedSkips = new Set<string>();
  /**
   * Documents still loaded but shown in no editor tab. VS Code keeps a closed file's document around for a
   * while (minutes, when an extension opened it), so "closed" for the user means: its last tab closed.
   */
  private readonly hidden = new Set<string>();
  private readonly changed = new vscode.EventEmitter<void>();
  /** fires when diagnostics, notices or configuration errors change (the status bar listens) */
  readonly onDidChange = this.changed.event;
  private disposed = false;
  /** bumped when settings or .shipsafe.json change: results computed under older settings are redone */
  private generation = 0;

  constructor(private readonly worker: WorkerClient, private readonly log: vscode.LogOutputChannel) {}

  dispose(): void {
    this.disposed = true;
    for (const s of this.docs.values()) clearTimeout(s.timer);
    this.docs.clear();
    this.collection.dispose();
    this.changed.dispose();
  }

  /** Settings or project configuration changed: analyses running now are redone when they finish. */
  invalidate(): void {
    this.generation++;
  }

  skipNotice(uri: vscode.Uri): SkipNotice | undefined {
    return this.skipped.get(uri.toString());
  }

  /** The version of an open document whose results the diagnostics show (undefined before its first result). */
  analysedVersion(uri: vscode.Uri): number | undefined {
    return this.docs.get(uri.toString())?.analysedVersion;
  }

  configError(): string | undefined {
    for (const e of this.configErrors.values()) return e;
    return undefined;
  }

  // ---- open documents -------------------------------------------------------------------------

  /** Analyse after `delay` ms; a newer call for the same document replaces a pending one. */
  schedule(doc: vscode.TextDocument, delay: number): void {
    if (this.disposed || !isCandidate(doc)) return;
    const key = doc.uri.toString();
    const state = this.docs.get(key) ?? {};
    this.docs.set(key, state);
    clearTimeout(state.timer);
    state.timer = setTimeout(() => { state.timer = undefined; void this.analyzeDocument(doc); }, delay);
  }

  onOpen(doc: vscode.TextDocument): void {
    if (!isCandidate(doc)) return;
    this.hidden.delete(doc.uri.toString());
    if (settingsFor(doc.uri).run === 'off') return;
    this.schedule(doc, 0);
  }

  onChange(e: vscode.TextDocumentChangeEvent): void {
    if (!isCandidate(e.document) || e.contentChanges.length === 0 || this.hidden.has(e.document.uri.toString())) return;
    const settings = settingsFor(e.document.uri);
    if (settings.run !== 'onType') return;
    const state = this.docs.get(e.document.uri.toString());
    if (state?.timedOutVersion !== undefined) return; // retried on save
    this.schedule(e.document, TYPING_DEBOUNCE_MS);
  }

  onSave(doc: vscode.TextDocument): void {
    if (!isCandidate(doc)) return;
    const state = this.docs.get(doc.uri.toString());
    if (state) state.timedOutVersion = undefined;
    if (settingsFor(doc.uri).run === 'off') return;
    this.schedule(doc, 0);
  }

  /** A closed document's diagnostics go away; a file from a workspace scan falls back to its saved text. */
  onClose(doc: vscode.TextDocument, fallbackToDisk: boolean): void {
    const key = doc.uri.toString();
    this.hidden.delete(key);
    this.forget(doc, fallbackToDisk);
  }

  /** Tabs closed: documents no tab shows any more count as closed (their document may stay loaded). */
  onTabsClosed(uris: readonly vscode.Uri[], fallbackToDisk: (uri: vscode.Uri) => boolean): void {
    const shown = urisInTabs();
    for (const uri of uris) {
      const key = uri.toString();
      if (shown.has(key)) continue;
      const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === key);
      if (!doc || !isCandidate(doc)) continue;
      this.hidden.add(key);
      this.forget(doc, fallbackToDisk(uri));
    }
  }

  /** Tabs opened: a document that was hidden is the user's again (no open event fires for it). */
  onTabsOpened(uris: readonly vscode.Uri[]): void {
    for (const uri of uris) {
      const key = uri.toString();
      if (!this.hidden.delete(key)) continue;
      const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === key);
      if (doc && settingsFor(doc.uri).run !== 'off') this.schedule(doc, 0);
    }
  }

  /** Open documents the user has in an editor tab (or that another extension opened), not hidden ones. */
  liveDocuments(): vscode.TextDocument[] {
    return vscode.workspace.textDocuments.filter((d) => isCandidate(d) && !this.hidden.has(d.uri.toString()));
  }

  private forget(doc: vscode.TextDocument, fallbackToDisk: boolean): void {
    const key = doc.uri.toString();
    const state = this.docs.get(key);
    if (state) clearTimeout(state.timer);
    this.docs.delete(key);
    if (fallbackToDisk && doc.uri.scheme === 'file') {
      void this.analyzeFile(doc.uri, 'background');
      return;
    }
    this.clear(doc.uri);
  }

  clear(uri: vscode.Uri): void {
    this.collection.delete(uri);
    this.skipped.delete(uri.toString());
    this.changed.fire();
  }

  /** Whether the live (editor) path owns this file's diagnostics. */
  isOpen(uri: vscode.Uri): boolean {
    const key = uri.toString();
    return !this.hidden.has(key) && vscode.workspace.textDocuments.some((d) => d.uri.toString() === key);
  }

  async analyzeDocument(doc: vscode.TextDocument): Promise<void> {
    if (this.disposed || doc.isClosed || !isCandidate(doc)) return;
    const key = doc.uri.toString();
    if (this.hidden.has(key)) return;
    const state = this.docs.get(key) ?? {};
    this.docs.set(key, state);
    if (state.inFlight !== undefined) { state.again = true; return; }
    const settings = settingsFor(doc.uri);
    if (!settings.enable) { this.clear(doc.uri); return; }

    const version = doc.version;
    const folder = doc.uri.scheme === 'file' ? vscode.workspace.getWorkspaceFolder(doc.uri) : undefined;
    // JavaScript and TypeScript by the editor's language; every other file by its name
    const language = (LANGUAGES as readonly string[]).includes(doc.languageId) ? doc.languageId as Language : undefined;
    const path = doc.uri.scheme === 'file' ? doc.uri.fsPath : `${doc.uri.path}${language ? UNTITLED_EXTENSION[language] : ''}`;
    state.inFlight = version;
    const generation = this.generation;
    const t0 = performance.now();
    let outcome: AnalyzeOutcome;
    try {
      outcome = await this.worker.analyze({
        path, text: doc.getText(), language, root: folder?.uri.fsPath, overrides: settings.overrides, timings: this.wantTimings(),
      }, 'editor', settings.timeBudgetMs);
    } finally {
      state.inFlight = undefined;
    }
    if (this.disposed) return;
    if (doc.isClosed || this.docs.get(key) !== state) return; // closed meanwhile: results are stale
    const again = state.again;
    state.again = false;
    if (doc.version !== version || (again && generation !== this.generation)) {
      // an edit (or a settings change) arrived while this version was analysed: analyse the newest text
      if (!state.timer) void this.analyzeDocument(doc);
      if (doc.version !== version) {
        this.log.trace(`dropped the result for ${this.label(doc.uri)} v${version} (now v${doc.version})`);
        return;
      }
    }
    if (outcome.type === 'timeout') state.timedOutVersion = version;
    // the debug log tells a document's first analysis (cold: the worker meets the file) from a re-analysis after
    // an edit (what typing costs) and from one of the same text again (settings or project model changed)
    const before = state.analysedVersion;
    const what = before === undefined ? `v${version}` : before !== version ? `v${version} re-analysed after an edit` : `v${version} re-analysed`;
    if (outcome.type === 'analyzed') state.analysedVersion = version;
    this.apply(doc.uri, outcome, settings, what, performance.now() - t0);
  }

  // ---- files on disk (scan and watcher) ---------------------------------------------------------

  async analyzeFile(uri: vscode.Uri, priority: Priority): Promise<AnalyzeOutcome | undefined> {
    if (this.disposed || uri.scheme !== 'file') return undefined;
    const settings = settingsFor(uri);
    if (!settings.enable) { this.clear(uri); return undefined; }
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    const t0 = performance.now();
    const outcome = await this.worker.analyze({
      path: uri.fsPath, root: folder?.uri.fsPath, overrides: settings.overrides, timings: this.wantTimings(),
    }, priority, settings.timeBudgetMs);
    if (this.disposed || outcome.type === 'cancelled') return outcome;
    // the file was opened while it was analysed from disk: the editor's text wins
    if (this.isOpen(uri) && this.docs.has(uri.toString())) return outcome;
    this.apply(uri, outcome, settings, 'disk', performance.now() - t0);
    return outcome;
  }

  // ---- results -------------------------------------------------------------------------------

  private apply(uri: vscode.Uri, outcome: AnalyzeOutcome, settings: ResourceSettings, what: string, roundTripMs: number): void {
    const key = uri.toString();
    const label = this.label(uri);
    switch (outcome.type) {
      case 'cancelled':
        return;
      case 'failed':
        this.log.error(`could not analyse ${label}: ${outcome.message}`);
        return;
      case 'timeout': {
        this.collection.delete(uri);
        this.notice(uri, {
          reason: 'timeout',
          detail: vscode.l10n.t('analysis took longer than the {0} ms budget (setting shipsafe.timeBudgetMs), so this file was skipped; it is tried again when saved', settings.timeBudgetMs),
        });
        this.changed.fire();
        return;
      }
    }
    const root = vscode.workspace.getWorkspaceFolder(uri)?.uri.toString() ?? '';
    if (outcome.configError) {
      if (this.configErrors.get(root) !== outcome.configError) {
        this.configErrors.set(root, outcome.configError);
        this.log.warn(`${outcome.configError}\nShipsafe uses its defaults for this folder until the file is fixed.`);
      }
    } else if (this.configErrors.delete(root)) {
      this.log.info('.shipsafe.json is valid again');
    }
    if (outcome.excluded) {
      this.collection.delete(uri);
      this.skipped.delete(key);
      this.log.debug(`${label} ${what}: excluded by settings or .shipsafe.json`);
      this.changed.fire();
      return;
    }
    for (const e of outcome.ruleErrors) this.log.error(`rule ${e.ruleId} failed on ${label}; its findings for this file are missing:\n${e.error}`);
    this.collection.set(uri, toDiagnostics(outcome.findings, outcome.enginePath, uri, vscode.workspace.getWorkspaceFolder(uri)?.uri));
    if (outcome.skipped) {
      this.notice(uri, { reason: outcome.skipped.reason, detail: outcome.skipped.detail });
    } else {
      this.skipped.delete(key);
    }
    if (this.wantTimings()) {
      const t = outcome.timings;
      const parts: string[] = [];
      // CPU time: the analysis's own cost; the wall time above also counts waiting for a core on a busy machine
      if (outcome.cpuMs !== undefined) parts.push(`CPU ${outcome.cpuMs.toFixed(1)}`);
      if (t) {
        parts.push(`parse ${t.parseMs.toFixed(1)}`, `facts ${t.factsMs.toFixed(1)}`, `walk ${t.walkMs.toFixed(1)}`);
        const slowest = Object.entries(t.rulesMs).sort((a, b) => b[1] - a[1])[0];
        if (slowest) parts.push(`slowest rule ${slowest[0]} ${slowest[1].toFixed(1)}`);
      }
      const detail = parts.length ? ` (${parts.join(', ')})` : '';
      this.log.debug(`${label} ${what}: ${outcome.ms.toFixed(1)} ms in the worker${detail}, ${roundTripMs.toFixed(1)} ms round trip, ${outcome.findings.length} finding(s)`);
    }
    this.changed.fire();
    if (outcome.dependents) this.recheckDependents(outcome.dependents);
  }

  /**
   * A file or folder is gone from the workspace (deleted, renamed away): the worker forgets it, and the open
   * documents of its folder are checked again (a route it mounted, a helper it exported, the request data it passed
   * on no longer count), with the files it passed request data to.
   */
  async forgetPath(uri: vscode.Uri): Promise<void> {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    if (!folder || uri.scheme !== 'file') return;
    const r = await this.worker.forget({ path: uri.fsPath, root: folder.uri.fsPath });
    if (!r.removed || this.disposed) return;
    this.log.debug(`${this.label(uri)} is gone: ${r.removed} file(s) left the project; checking the open files of ${folder.name} again`);
    for (const doc of vscode.workspace.textDocuments) {
      if (!this.isOpen(doc.uri) || vscode.workspace.getWorkspaceFolder(doc.uri)?.uri.toString() !== folder.uri.toString()) continue;
      if (settingsFor(doc.uri).run !== 'off') this.schedule(doc, TYPING_DEBOUNCE_MS);
    }
    if (r.dependents) this.recheckDependents(r.dependents);
  }

  /**
   * Files this one calls into, whose findings depend on the request data it passes them: re-checked when it
   * changed what it passes. Open documents from their editor text; files with results from a workspace scan from disk.
   */
  private recheckDependents(paths: readonly string[]): void {
    for (const p of paths) {
      const uri = vscode.Uri.file(p);
      const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
      if (doc && this.isOpen(uri)) { if (settingsFor(uri).run !== 'off') this.schedule(doc, TYPING_DEBOUNCE_MS); }
      else if (this.collection.has(uri)) void this.analyzeFile(uri, 'background');
    }
  }

  private notice(uri: vscode.Uri, n: SkipNotice): void {
    const key = uri.toString();
    this.skipped.set(key, n);
    const once = `${key}\u0000${n.reason}`;
    if (!this.loggedSkips.has(once)) {
      this.loggedSkips.add(once);
      this.log.info(`skipped ${this.label(uri)}: ${n.detail}`);
    }
  }

  private wantTimings(): boolean {
    return this.log.logLevel === vscode.LogLevel.Debug || this.log.logLevel === vscode.LogLevel.Trace;
  }

  /** A workspace-relative path for the log (never file content). */
  label(uri: vscode.Uri): string {
    return uri.scheme === 'file' ? vscode.workspace.asRelativePath(uri, true) : uri.toString(true);
  }

  /** Every Shipsafe diagnostic, for tests and the status bar. */
  static isOurs(d: vscode.Diagnostic): boolean {
    return d.source === DIAGNOSTIC_SOURCE;
  }
}
