/**
 * "Shipsafe: Open Pre-Deploy Checklist": a webview panel showing the engine's checklist model for a workspace
 * folder, computed from Shipsafe's diagnostics (the workspace is scanned first if it never was), the project's
 * files (and git, in trusted workspaces only), the answers file, and the checks the user ran (running app,
 * npm audit). It updates live as findings, project files and answers change; a status bar item shows the
 * summary and opens the panel. The same model gives the exported Markdown.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { ANSWERS_FILE, AnswersFileError, parseAnswers, updateAnswers, type Answers } from '../engine/checklist/answers';
import { checkableUrl, isLoopback, type AppCheckResult } from '../engine/checklist/app';
import type { AuditResult } from '../engine/checklist/audit';
import { evaluateChecklist, type Checklist, type ChecklistFinding } from '../engine/checklist/evaluate';
import { collectProject, type ProjectFacts } from '../engine/checklist/facts';
import { checklistMarkdown } from '../engine/checklist/report';
import { parseConfig } from '../engine/config/config';
import type { DetectedStack } from '../engine/prompt/stack';
import { gitFacts } from '../probe/git';
import { runNpmAudit } from '../probe/npm-audit';
import { probeRunningApp } from '../probe/running-app';
import { checklistHtml } from '../webview/html';
import type { HostMessage, PanelContext, WebviewMessage } from '../webview/protocol';
import type { Analysis } from './analysis';
import { DIAGNOSTIC_SOURCE } from './diagnostics';
import type { WorkspaceScanner } from './scan';
import { settingsFor } from './settings';
import type { WorkerClient } from './workerClient';

export const OPEN_CHECKLIST_COMMAND = 'shipsafe.openChecklist';
export const EXPORT_CHECKLIST_COMMAND = 'shipsafe.exportChecklist';
export const CHECK_APP_COMMAND = 'shipsafe.checkRunningApp';
export const AUDIT_COMMAND = 'shipsafe.checkDependencies';
export const DEFAULT_APP_URL = 'http://localhost:3000';

const enc = new TextEncoder();
const dec = new TextDecoder();
const SEVERITY: Record<number, ChecklistFinding['severity']> = {
  [vscode.DiagnosticSeverity.Error]: 'error', [vscode.DiagnosticSeverity.Warning]: 'warning',
  [vscode.DiagnosticSeverity.Information]: 'info', [vscode.DiagnosticSeverity.Hint]: 'info',
};
/** Project files whose change can change a checklist fact. */
const FACT_FILES = '**/{package.json,package-lock.json,npm-shrinkwrap.json,yarn.lock,pnpm-lock.yaml,bun.lock,bun.lockb,.gitignore,Dockerfile*,*.Dockerfile,.env*,next.config.*,vite.config.*,webpack*.config.*,vercel.json,netlify.toml,middleware.*,.shipsafe.json,.shipsafe-checklist.txt}';

/** Shipsafe's diagnostics in a folder, as checklist findings (paths relative to the folder). */
export function folderChecklistFindings(folder: vscode.WorkspaceFolder): ChecklistFinding[] {
  const out: ChecklistFinding[] = [];
  const root = folder.uri.path.replace(/\/$/, '');
  for (const [uri, diags] of vscode.languages.getDiagnostics()) {
    if (vscode.workspace.getWorkspaceFolder(uri)?.uri.toString() !== folder.uri.toString()) continue;
    const file = uri.path.startsWith(`${root}/`) ? uri.path.slice(root.length + 1) : uri.path;
    for (const d of diags) {
      if (d.source !== DIAGNOSTIC_SOURCE) continue;
      const code = typeof d.code === 'object' ? String(d.code.value) : d.code === undefined ? '' : String(d.code);
      if (!code) continue;
      out.push({ ruleId: code, file, line: d.range.start.line + 1, column: d.range.start.character + 1, message: d.message, severity: SEVERITY[d.severity] ?? 'warning' });
    }
  }
  return out;
}

export interface ChecklistDeps {
  analysis: Analysis;
  scanner: WorkspaceScanner;
  worker: WorkerClient;
  log: vscode.LogOutputChannel;
}

export class ChecklistPanel implements vscode.Disposable {
  private panel?: vscode.WebviewPanel;
  private folder?: vscode.WorkspaceFolder;
  private project?: { facts: ProjectFacts; stack: DetectedStack };
  private answers: Answers = {};
  private answersError?: string;
  private app?: AppCheckResult;
  private audit?: AuditResult;
  private model?: Checklist;
  private context: PanelContext = { folder: '', trusted: vscode.workspace.isTrusted };
  private readonly status = vscode.window.createStatusBarItem('shipsafe.checklist', vscode.StatusBarAlignment.Right, 99);
  private readonly disposables: vscode.Disposable[] = [];
  private findingsTimer?: NodeJS.Timeout;
  private factsTimer?: NodeJS.Timeout;
  private readonly changed = new vscode.EventEmitter<Checklist>();
  /** fires with every new model (tests wait on it) */
  readonly onDidChange = this.changed.event;

  constructor(private readonly extensionUri: vscode.Uri, private readonly deps: ChecklistDeps) {
    this.status.name = vscode.l10n.t('Shipsafe pre-deploy checklist');
    this.status.command = { command: OPEN_CHECKLIST_COMMAND, title: vscode.l10n.t('Open the pre-deploy checklist') };
    const watcher = vscode.workspace.createFileSystemWatcher(FACT_FILES);
    const publicWatcher = vscode.workspace.createFileSystemWatcher('**/{public,static,www}/**');
    const onFacts = () => this.scheduleFacts();
    this.disposables.push(
      this.status, this.changed, watcher, publicWatcher,
      watcher.onDidChange(onFacts), watcher.onDidCreate(onFacts), watcher.onDidDelete(onFacts),
      publicWatcher.onDidCreate(onFacts), publicWatcher.onDidDelete(onFacts),
      deps.analysis.onDidChange(() => this.scheduleFindings()),
      vscode.workspace.onDidGrantWorkspaceTrust(() => { this.context.trusted = true; this.scheduleFacts(); }),
    );
  }

  dispose(): void {
    clearTimeout(this.findingsTimer);
    clearTimeout(this.factsTimer);
    this.panel?.dispose();
    for (const d of this.disposables) d.dispose();
  }

  get current(): Checklist | undefined {
    return this.model;
  }

  get isOpen(): boolean {
    return !!this.panel;
  }

  /** Opens (or reveals) the panel for a folder; resolves with the first model. */
  async open(folder?: vscode.WorkspaceFolder): Promise<Checklist | undefined> {
    const target = folder ?? await pickFolder();
    if (!target) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Open a folder to see its pre-deploy checklist.'));
      return undefined;
    }
    if (this.folder?.uri.toString() !== target.uri.toString()) {
      this.folder = target;
      this.project = undefined;
      this.app = undefined;
      this.audit = undefined;
    }
    this.context = { folder: target.name, trusted: vscode.workspace.isTrusted };
    if (this.panel) this.panel.reveal(undefined, false);
    else this.createPanel();
    if (!this.deps.scanner.hasScanned && target.uri.scheme === 'file') {
      this.context.busy = vscode.l10n.t('Scanning the workspace…');
      this.post();
      try { await this.deps.scanner.scanWithProgress(); } catch (e) { this.deps.log.warn(`checklist: the workspace scan failed (${(e as Error).message})`); }
      this.context.busy = undefined;
    }
    return this.refresh();
  }

  private createPanel(): void {
    const root = vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview');
    const panel = vscode.window.createWebviewPanel('shipsafe.checklist', vscode.l10n.t('Pre-Deploy Checklist'), vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: [root],
    });
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'icon.png');
    const w = panel.webview;
    panel.webview.html = checklistHtml({
      cspSource: w.cspSource,
      nonce: randomBytes(18).toString('base64'),
      scriptUri: w.asWebviewUri(vscode.Uri.joinPath(root, 'checklist.js')).toString(),
      styleUri: w.asWebviewUri(vscode.Uri.joinPath(root, 'checklist.css')).toString(),
      codiconUri: w.asWebviewUri(vscode.Uri.joinPath(root, 'codicon.css')).toString(),
      title: vscode.l10n.t('Pre-Deploy Checklist'),
    });
    const subs = [
      w.onDidReceiveMessage((m: WebviewMessage) => { void this.handle(m); }),
      // a hidden webview is torn down; when shown again it asks for the model with 'ready' and restores its own state
      panel.onDidDispose(() => { for (const s of subs) s.dispose(); this.panel = undefined; }),
    ];
    this.panel = panel;
  }

  /** A message from the webview (the tests send the same messages through the extension's API). */
  async handle(m: WebviewMessage): Promise<void> {
    const folder = this.folder;
    if (!folder) return;
    switch (m.type) {
      case 'ready': this.post(); return;
      case 'refresh':
        this.project = undefined;
        if (folder.uri.scheme === 'file') {
          this.context.busy = vscode.l10n.t('Scanning the workspace…');
          this.post();
          try { await this.deps.scanner.scanWithProgress(); } finally { this.context.busy = undefined; }
        }
        await this.refresh();
        return;
      case 'open': await this.openEvidence(folder, m.file, m.line, m.column); return;
      case 'answer': await this.setAnswer(folder, m.id, { value: m.value, ...(m.note ? { note: m.note } : {}) }); return;
      case 'export': await this.export(); return;
      case 'checkApp': await this.checkRunningApp(); return;
      case 'audit': await this.checkDependencies(); return;
      default:
    }
  }

  /** Recomputes facts (when stale), answers and the model, and sends it to the webview. */
  async refresh(): Promise<Checklist | undefined> {
    const folder = this.folder;
    if (!folder) return undefined;
    if (folder.uri.scheme !== 'file') {
      this.context.error = vscode.l10n.t('The checklist needs the folder on disk.');
      this.post();
      return undefined;
    }
    if (!this.project) {
      const trusted = vscode.workspace.isTrusted;
      const git = trusted
        ? await gitFacts(folder.uri.fsPath)
        : { checked: false as const, reason: 'git is not run in Restricted Mode (trust the workspace to check the git history)' };
      this.project = await collectProject(folder.uri.fsPath, { git });
    }
    await this.readAnswers(folder);
    return this.recompute();
  }

  private async recompute(): Promise<Checklist | undefined> {
    const folder = this.folder;
    if (!folder || !this.project) return undefined;
    const notes: string[] = [];
    if (this.answersError) notes.push(this.answersError);
    const rulesRun = this.deps.scanner.hasScanned ? await this.rulesRun(folder) : undefined;
    const model = evaluateChecklist({
      project: this.project.facts.packageJson?.name ?? folder.name,
      findings: folderChecklistFindings(folder),
      ...(rulesRun ? { rulesRun } : {}),
      facts: this.project.facts,
      stack: this.project.stack,
      answers: this.answers,
      ...(this.app ? { app: this.app } : {}),
      ...(this.audit ? { audit: this.audit } : {}),
      notes,
    });
    this.model = model;
    this.post();
    this.updateStatus(model);
    this.changed.fire(model);
    return model;
  }

  /** The rules the analysis runs in this folder: defaults, then .shipsafe.json, then the editor settings. */
  private async rulesRun(folder: vscode.WorkspaceFolder): Promise<string[]> {
    const metas = await this.deps.worker.ruleMetas().catch(() => []);
    const ids = metas.map((m) => m.id);
    let fileRules: Record<string, string> = {};
    try {
      const text = dec.decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(folder.uri, '.shipsafe.json')));
      fileRules = parseConfig(text, '.shipsafe.json', ids).rules as Record<string, string>;
    } catch { /* none, or invalid (the analysis reports that) */ }
    const editor = settingsFor(folder.uri).overrides.rules as Record<string, string>;
    return metas.filter((m) => (editor[m.id] ?? fileRules[m.id] ?? (m.defaultEnabled ? m.severity : 'off')) !== 'off').map((m) => m.id);
  }

  private post(): void {
    if (!this.panel || !this.model) return;
    const msg: HostMessage = { type: 'update', checklist: this.model, context: { ...this.context, ...(this.answersError ? { error: this.answersError } : {}) } };
    void this.panel.webview.postMessage(msg);
  }

  private updateStatus(model: Checklist): void {
    const s = model.summary;
    this.status.text = `$(checklist) ${s.pass}/${s.total}${s.fail ? ` $(error) ${s.fail}` : ''}`;
    this.status.tooltip = vscode.l10n.t('Pre-deploy checklist ({0}): {1}. Click to open it.', this.folder?.name ?? '', s.line);
    this.status.accessibilityInformation = { label: vscode.l10n.t('Pre-deploy checklist: {0}', s.line), role: 'button' };
    this.status.show();
  }

  private scheduleFindings(): void {
    if (!this.model) return;
    clearTimeout(this.findingsTimer);
    this.findingsTimer = setTimeout(() => { void this.recompute(); }, 400);
  }

  private scheduleFacts(): void {
    if (!this.model) return;
    clearTimeout(this.factsTimer);
    this.factsTimer = setTimeout(() => { this.project = undefined; void this.refresh(); }, 500);
  }

  private answersUri(folder: vscode.WorkspaceFolder): vscode.Uri {
    return vscode.Uri.joinPath(folder.uri, ANSWERS_FILE);
  }

  private async readAnswersText(folder: vscode.WorkspaceFolder): Promise<string | undefined> {
    try {
      return dec.decode(await vscode.workspace.fs.readFile(this.answersUri(folder)));
    } catch (e) {
      if (e instanceof vscode.FileSystemError && e.code === 'FileNotFound') return undefined;
      throw e;
    }
  }

  private async readAnswers(folder: vscode.WorkspaceFolder): Promise<void> {
    let text: string | undefined;
    try { text = await this.readAnswersText(folder); } catch (e) {
      this.answersError = vscode.l10n.t('Cannot read {0}: {1}', ANSWERS_FILE, (e as Error).message);
      return;
    }
    const parsed = parseAnswers(text ?? '');
    this.answers = parsed.answers;
    const bad = parsed.errors[0];
    this.answersError = bad ? vscode.l10n.t('{0} line {1}: {2}', ANSWERS_FILE, bad.line, bad.message) : undefined;
  }

  private async setAnswer(folder: vscode.WorkspaceFolder, id: string, answer: { value: 'done' | 'n/a' | 'open'; note?: string }): Promise<void> {
    try {
      const current = await this.readAnswersText(folder);
      const next = updateAnswers(current, id, answer);
      if (next !== current) await vscode.workspace.fs.writeFile(this.answersUri(folder), enc.encode(next));
      this.deps.log.info(`checklist: ${id} answered ${answer.value}${answer.note ? ' with a note' : ''} in ${ANSWERS_FILE}`);
    } catch (e) {
      const message = e instanceof AnswersFileError ? e.message : vscode.l10n.t('Cannot save the answer to {0}: {1}', ANSWERS_FILE, (e as Error).message);
      this.answersError = message;
      void vscode.window.showErrorMessage(message);
      this.post();
      return;
    }
    await this.readAnswers(folder);
    await this.recompute();
  }

  private async openEvidence(folder: vscode.WorkspaceFolder, file: string, line?: number, column?: number): Promise<void> {
    const parts = file.split('/');
    if (!file || parts.some((p) => p === '..' || p === '') || file.startsWith('/')) return; // only files inside the folder
    const uri = vscode.Uri.joinPath(folder.uri, ...parts);
    const pos = new vscode.Position(Math.max(0, (line ?? 1) - 1), Math.max(0, (column ?? 1) - 1));
    try {
      await vscode.window.showTextDocument(uri, { selection: new vscode.Range(pos, pos), viewColumn: vscode.ViewColumn.Beside, preview: true });
    } catch (e) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Cannot open {0}: {1}', file, (e as Error).message));
    }
  }

  /** Writes the Markdown report; asks where unless `target` is given. Returns the file written. */
  async export(target?: vscode.Uri): Promise<vscode.Uri | undefined> {
    const model = this.model ?? await this.open();
    if (!model || !this.folder) return undefined;
    const uri = target ?? await vscode.window.showSaveDialog({
      defaultUri: vscode.Uri.joinPath(this.folder.uri, 'shipsafe-checklist.md'),
      filters: { Markdown: ['md'] },
      title: vscode.l10n.t('Export the pre-deploy checklist'),
    });
    if (!uri) return undefined;
    await vscode.workspace.fs.writeFile(uri, enc.encode(checklistMarkdown(model)));
    if (!target) {
      const open = vscode.l10n.t('Open');
      void vscode.window.showInformationMessage(vscode.l10n.t('Checklist exported to {0} ({1}).', vscode.workspace.asRelativePath(uri), model.summary.line), open)
        .then((c) => { if (c === open) void vscode.window.showTextDocument(uri); });
    }
    return uri;
  }

  /** "Check running app": the URL the user types (default loopback), trusted workspaces only, time-boxed, cancellable. */
  async checkRunningApp(url?: string): Promise<AppCheckResult | undefined> {
    const t = vscode.l10n.t;
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage(t('Checking the running app is only available in trusted workspaces.'));
      return undefined;
    }
    if (!this.model) await this.open();
    const raw = url ?? await vscode.window.showInputBox({
      title: t('Shipsafe: Check Running App'),
      prompt: t('The URL of your running app. Shipsafe requests the page, /.env, /.git/config, a 404 page and the source maps of its scripts (GET only, redirects not followed, 10 seconds at most).'),
      value: DEFAULT_APP_URL,
      ignoreFocusOut: true,
      validateInput: (v) => { const c = checkableUrl(v); return 'error' in c ? c.error : undefined; },
    });
    if (!raw) return undefined;
    const checked = checkableUrl(raw);
    if ('error' in checked) { void vscode.window.showErrorMessage(checked.error); return undefined; }
    this.deps.log.info(`checklist: checking the running app at ${checked.url}${isLoopback(checked.url) ? '' : ' (typed by the user)'}`);
    const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: t('Shipsafe: checking {0}', checked.url), cancellable: true }, async (progress, token) => {
      const ac = new AbortController();
      const sub = token.onCancellationRequested(() => ac.abort(new Error('cancelled')));
      try {
        return await probeRunningApp(checked.url, { signal: ac.signal, onRequest: (u) => { progress.report({ message: `GET ${u}` }); this.deps.log.info(`checklist: GET ${u}`); } });
      } finally { sub.dispose(); }
    });
    this.app = result;
    await this.recompute();
    const requested = result.responses.map((r) => `GET ${r.url} → ${r.status ?? r.error}`);
    void vscode.window.showInformationMessage(t('Shipsafe requested {0} URL(s) from {1}{2}: {3}', result.responses.length, result.base, result.incomplete ? ` (${result.incomplete})` : '', requested.join('; ')));
    return result;
  }

  /** "Dependency check": npm audit on request, trusted workspaces only; offline it says it could not check. */
  async checkDependencies(): Promise<AuditResult | undefined> {
    const t = vscode.l10n.t;
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage(t('The dependency check runs npm, so it is only available in trusted workspaces.'));
      return undefined;
    }
    if (!this.model) await this.open();
    const folder = this.folder;
    if (!folder || folder.uri.scheme !== 'file') return undefined;
    const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: t('Shipsafe: running npm audit in {0}', folder.name), cancellable: true }, async (_p, token) => {
      const ac = new AbortController();
      const sub = token.onCancellationRequested(() => ac.abort());
      try { return await runNpmAudit(folder.uri.fsPath, { signal: ac.signal }); } finally { sub.dispose(); }
    });
    this.audit = result;
    this.deps.log.info(`checklist: npm audit ${result.ok ? `found ${JSON.stringify(result.counts)}` : `could not check: ${result.reason}`}`);
    await this.recompute();
    if (!result.ok) void vscode.window.showWarningMessage(t('Shipsafe could not check the dependencies: {0}', result.reason));
    return result;
  }
}

async function pickFolder(): Promise<vscode.WorkspaceFolder | undefined> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length <= 1) return folders[0];
  const active = vscode.window.activeTextEditor?.document.uri;
  const own = active && vscode.workspace.getWorkspaceFolder(active);
  if (own) return own;
  return vscode.window.showWorkspaceFolderPick({ placeHolder: vscode.l10n.t('Which project is the checklist for?') });
}

export function registerChecklist(context: vscode.ExtensionContext, deps: ChecklistDeps): ChecklistPanel {
  const manager = new ChecklistPanel(context.extensionUri, deps);
  const folderOf = (arg: unknown) => {
    if (arg instanceof vscode.Uri) return vscode.workspace.getWorkspaceFolder(arg);
    const f = (arg as { folder?: vscode.Uri } | undefined)?.folder;
    return f ? vscode.workspace.getWorkspaceFolder(f) : undefined;
  };
  context.subscriptions.push(
    manager,
    vscode.commands.registerCommand(OPEN_CHECKLIST_COMMAND, (arg?: unknown) => manager.open(folderOf(arg))),
    vscode.commands.registerCommand(EXPORT_CHECKLIST_COMMAND, (arg?: { target?: vscode.Uri }) => manager.export(arg?.target)),
    vscode.commands.registerCommand(CHECK_APP_COMMAND, (arg?: { url?: string }) => manager.checkRunningApp(arg?.url)),
    vscode.commands.registerCommand(AUDIT_COMMAND, () => manager.checkDependencies()),
  );
  return manager;
}
