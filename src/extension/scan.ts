/**
 * "Shipsafe: Scan Workspace": every matching file of every folder (not only open ones), honouring
 * .gitignore, the exclude settings and .shipsafe.json; cancellable; results stay current afterwards
 * through a file watcher.
 */
import * as vscode from 'vscode';
import { fileKindOf } from '../engine/files/kinds';
import type { Analysis } from './analysis';
import { settingsFor } from './settings';
import type { StatusBar } from './statusBar';
import type { WorkerClient } from './workerClient';

export const SCAN_COMMAND = 'shipsafe.scanWorkspace';
/** Every file: the scan reads config, deploy, template and key files too (`.env`, Dockerfile, views/x.ejs…). */
const WATCH_GLOB = '**/*';
/** Folders whose churn (installs, git operations, builds in progress) never holds a file of the scan's own. */
const NOISY_DIR = /[\\/](node_modules|\.git|\.hg|\.svn)([\\/]|$)/;

/** Source files the engine parses (the extension host does not load the parser, so not `languageOf`). */
const CODE_FILE = /\.([cm]?[jt]sx?|pyw?)$/i;

/** Whether a created file may be one the scan reads (by its name; discovery decides on ignores and excludes). */
export function mayBeScanned(fsPath: string): boolean {
  return !NOISY_DIR.test(fsPath) && (CODE_FILE.test(fsPath) || !!fileKindOf(fsPath));
}

export interface ScanSummary { files: number; findings: number; skipped: number; cancelled: boolean; ms: number }

export class WorkspaceScanner implements vscode.Disposable {
  /** files that belong to the last scan (uri string → uri), kept current by the watcher */
  private readonly scanned = new Map<string, vscode.Uri>();
  private watcher?: vscode.FileSystemWatcher;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly pending = new Map<string, NodeJS.Timeout>();
  private rediscoverTimer?: NodeJS.Timeout;
  private running?: Promise<ScanSummary>;
  private cancelRunning?: vscode.CancellationTokenSource;

  constructor(
    private readonly analysis: Analysis,
    private readonly worker: WorkerClient,
    private readonly status: StatusBar,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  dispose(): void {
    this.cancelRunning?.cancel();
    clearTimeout(this.rediscoverTimer);
    for (const t of this.pending.values()) clearTimeout(t);
    this.watcher?.dispose();
    for (const d of this.disposables) d.dispose();
  }

  /** Whether a closed file should fall back to its scanned (on-disk) result instead of being cleared. */
  has(uri: vscode.Uri): boolean {
    return this.scanned.has(uri.toString());
  }

  get hasScanned(): boolean {
    return this.scanned.size > 0;
  }

  /** The command: a cancellable progress notification. */
  async scanWithProgress(): Promise<ScanSummary | undefined> {
    const t = vscode.l10n.t;
    if (this.running) {
      void vscode.window.showInformationMessage(t('Shipsafe is already scanning the workspace.'));
      return this.running;
    }
    if (!this.folders().length) {
      void vscode.window.showInformationMessage(t('Open a folder to scan it with Shipsafe.'));
      return undefined;
    }
    return vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: t('Shipsafe: scanning the workspace'), cancellable: true },
      (progress, token) => this.scan(token, (done, total) => {
        progress.report({ message: t('{0} of {1} files', done, total), increment: total ? 100 / total : 0 });
      }),
    );
  }

  /** Re-scan without a notification (settings, .shipsafe.json or .gitignore changed after a scan). */
  rescanQuietly(): void {
    if (!this.hasScanned) return;
    if (this.running) { this.cancelRunning?.cancel(); }
    void Promise.resolve(this.running).then(() => this.scan(undefined, () => undefined));
  }

  private folders(): readonly vscode.WorkspaceFolder[] {
    return (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
  }

  private scan(outer: vscode.CancellationToken | undefined, report: (done: number, total: number) => void): Promise<ScanSummary> {
    const cts = new vscode.CancellationTokenSource();
    const sub = outer?.onCancellationRequested(() => cts.cancel());
    this.cancelRunning = cts;
    const run = this.doScan(cts.token, report).finally(() => {
      sub?.dispose();
      cts.dispose();
      if (this.cancelRunning === cts) this.cancelRunning = undefined;
      this.running = undefined;
      this.status.setScanning(undefined);
    });
    this.running = run;
    return run;
  }

  private async doScan(token: vscode.CancellationToken, report: (done: number, total: number) => void): Promise<ScanSummary> {
    const t0 = performance.now();
    const cancelSub = token.onCancellationRequested(() => this.worker.cancelBackground());
    try {
      this.status.setScanning({ done: 0, total: 0 });
      const files = new Map<string, vscode.Uri>();
      for (const folder of this.folders()) {
        if (token.isCancellationRequested) break;
        const settings = settingsFor(folder.uri);
        if (!settings.enable) continue;
        let found: string[];
        try {
          found = (await this.worker.discover({ root: folder.uri.fsPath, overrides: settings.overrides, respectGitignore: true, trusted: vscode.workspace.isTrusted })).files;
        } catch (e) {
          this.log.error(`could not list the files of ${folder.name}: ${(e as Error).message}`);
          continue;
        }
        // nested folders of a multi-root workspace list some files twice: one analysis each
        for (const f of found) { const u = vscode.Uri.file(f); files.set(u.toString(), u); }
      }
      this.log.info(`scanning ${files.size} file(s) in ${this.folders().length} folder(s)`);
      const total = files.size;
      let done = 0;
      let findings = 0;
      let skipped = 0;
      report(0, total);
      this.status.setScanning({ done, total });
      const openDocs = new Map(this.analysis.liveDocuments().map((d) => [d.uri.toString(), d]));
      const jobs: Promise<void>[] = [];
      for (const [key, uri] of files) {
        const doc = openDocs.get(key);
        const job = (doc ? this.analysis.analyzeDocument(doc).then(() => undefined) : this.analysis.analyzeFile(uri, 'background'))
          .then((outcome) => {
            done++;
            if (outcome && outcome.type === 'analyzed') {
              findings += outcome.findings.length;
              if (outcome.skipped) skipped++;
            } else if (outcome && outcome.type === 'timeout') skipped++;
            if (!token.isCancellationRequested) { report(done, total); this.status.setScanning({ done, total }); }
          });
        jobs.push(job);
      }
      await Promise.all(jobs);
      const cancelled = token.isCancellationRequested;
      if (!cancelled) {
        // files of the previous scan that are gone now (deleted, newly excluded) lose their results
        for (const [key, uri] of this.scanned) {
          if (!files.has(key) && !openDocs.has(key)) this.analysis.clear(uri);
        }
        this.scanned.clear();
      }
      for (const [key, uri] of files) this.scanned.set(key, uri);
      this.ensureWatcher();
      const ms = performance.now() - t0;
      this.log.info(`scan ${cancelled ? 'cancelled' : 'finished'}: ${done} of ${total} file(s) in ${Math.round(ms)} ms, ${findings} finding(s), ${skipped} skipped`);
      return { files: done, findings, skipped, cancelled, ms };
    } finally {
      cancelSub.dispose();
    }
  }

  private ensureWatcher(): void {
    if (this.watcher) return;
    this.watcher = vscode.workspace.createFileSystemWatcher(WATCH_GLOB);
    this.disposables.push(
      this.watcher.onDidChange((uri) => this.onFileChanged(uri)),
      this.watcher.onDidCreate((uri) => this.onFileCreated(uri)),
    );
  }

  private onFileChanged(uri: vscode.Uri): void {
    const key = uri.toString();
    if (!this.scanned.has(key) || this.analysis.isOpen(uri)) return;
    clearTimeout(this.pending.get(key));
    this.pending.set(key, setTimeout(() => {
      this.pending.delete(key);
      if (this.scanned.has(key) && !this.analysis.isOpen(uri)) void this.analysis.analyzeFile(uri, 'background');
    }, 300));
  }

  /** A new file may be excluded or ignored: list the folder again (debounced) and analyse what is new. */
  private onFileCreated(uri: vscode.Uri): void {
    if (uri.scheme !== 'file' || !mayBeScanned(uri.fsPath) || !vscode.workspace.getWorkspaceFolder(uri)) return;
    clearTimeout(this.rediscoverTimer);
    this.rediscoverTimer = setTimeout(() => { void this.analyseNewFiles(); }, 1000);
  }

  private async analyseNewFiles(): Promise<void> {
    for (const folder of this.folders()) {
      const settings = settingsFor(folder.uri);
      if (!settings.enable) continue;
      let files: string[];
      try {
        files = (await this.worker.discover({ root: folder.uri.fsPath, overrides: settings.overrides, respectGitignore: true, trusted: vscode.workspace.isTrusted })).files;
      } catch { continue; }
      for (const f of files) {
        const uri = vscode.Uri.file(f);
        const key = uri.toString();
        if (this.scanned.has(key)) continue;
        this.scanned.set(key, uri);
        if (!this.analysis.isOpen(uri)) void this.analysis.analyzeFile(uri, 'background');
      }
    }
  }

  /** A scanned file is gone (the extension's one watcher of deletions calls this): its results go with it. */
  forget(uri: vscode.Uri): void {
    const key = uri.toString();
    if (!this.scanned.delete(key)) return;
    if (!this.analysis.isOpen(uri)) this.analysis.clear(uri);
  }
}
