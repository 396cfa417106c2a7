/**
 * Shipsafe for VS Code. Activation only wires listeners (no analysis, no worker start): the first open
 * document starts the analysis worker on the next tick. This is the only folder that imports `vscode`.
 */
import * as vscode from 'vscode';
import type { Checklist } from '../engine/checklist/evaluate';
import type { WebviewMessage } from '../webview/protocol';
import { Analysis, tabUris, type SkipNotice } from './analysis';
import { registerChecklist } from './checklistPanel';
import { registerCodeActions } from './codeActions';
import { registerLanguageModelTools } from './lmTools';
import { registerRuleDocs } from './ruleDocs';
import { SCAN_COMMAND, WorkspaceScanner, type ScanSummary } from './scan';
import { registerSecurePrompt, StackCache } from './securePrompt';
import { settingsFor } from './settings';
import { StatusBar } from './statusBar';
import { WorkerClient } from './workerClient';

/** What the extension exports: read-only views for other extensions and for the integration tests. */
export interface ShipsafeApi {
  /** how long activate() took, in ms of wall time (the bundle itself loads in a few ms: it holds no analysis code) */
  readonly activationMs: number;
  /** CPU time the extension host process spent during activate(): its cost, without waits for a busy machine */
  readonly activationCpuMs: number;
  statusBarText(): string;
  statusBarTooltip(): string;
  skipNotice(uri: vscode.Uri): SkipNotice | undefined;
  /** the version of an open document whose results the diagnostics show (undefined before its first result) */
  analysedVersion(uri: vscode.Uri): number | undefined;
  scanWorkspace(): Promise<ScanSummary | undefined>;
  /** the pre-deploy checklist panel: its current model, whether it is open, and its message handler */
  checklist: {
    current(): Checklist | undefined;
    isOpen(): boolean;
    /** handles a message exactly as if the panel's webview had sent it */
    message(m: WebviewMessage): Promise<void>;
    /** resolves with the next model computed */
    next(): Promise<Checklist>;
  };
}

export function activate(context: vscode.ExtensionContext): ShipsafeApi {
  const activateStart = performance.now();
  const activateCpu = process.cpuUsage();
  const log = vscode.window.createOutputChannel(vscode.l10n.t('Shipsafe'), { log: true });
  const worker = new WorkerClient(context.asAbsolutePath('dist/worker.js'), log);
  const analysis = new Analysis(worker, log);
  const status = new StatusBar(analysis);
  const scanner = new WorkspaceScanner(analysis, worker, status, log);
  context.subscriptions.push(log, worker, analysis, status, scanner);
  registerRuleDocs(context, worker);
  const stacks = new StackCache();
  registerSecurePrompt(context, { worker, scanner, log, stacks });
  registerLanguageModelTools(context, { worker, stacks, log });
  registerCodeActions(context, { worker, log });
  const checklist = registerChecklist(context, { analysis, scanner, worker, log });

  const reanalyseOpen = (affects: (doc: vscode.TextDocument) => boolean) => {
    for (const doc of analysis.liveDocuments()) {
      if (!affects(doc)) continue;
      const s = settingsFor(doc.uri);
      if (!s.enable) analysis.clear(doc.uri);
      else if (s.run !== 'off') analysis.schedule(doc, 0);
    }
  };

  // a folder's project model is built (in the background, on its first file): findings across files can change
  context.subscriptions.push(worker.onProjectReady((root) => {
    const folder = vscode.workspace.workspaceFolders?.find((f) => f.uri.fsPath === root);
    reanalyseOpen((doc) => !folder || vscode.workspace.getWorkspaceFolder(doc.uri)?.uri.toString() === folder.uri.toString());
  }));

  // .shipsafe.json and .gitignore change what is analysed and how
  let projectFileTimer: NodeJS.Timeout | undefined;
  const projectFiles = vscode.workspace.createFileSystemWatcher('**/{.shipsafe.json,.gitignore}');
  const onProjectFile = () => {
    clearTimeout(projectFileTimer);
    projectFileTimer = setTimeout(() => { analysis.invalidate(); reanalyseOpen(() => true); scanner.rescanQuietly(); }, 200);
  };

  // a file or folder that is gone: its scan results go, and it leaves the project model, so other files are no
  // longer judged with what it declared
  const gone = vscode.workspace.createFileSystemWatcher('**/*', true, true, false);

  context.subscriptions.push(
    gone,
    gone.onDidDelete((uri) => { scanner.forget(uri); void analysis.forgetPath(uri); }),
    projectFiles,
    projectFiles.onDidChange(onProjectFile),
    projectFiles.onDidCreate(onProjectFile),
    projectFiles.onDidDelete(onProjectFile),
    { dispose: () => clearTimeout(projectFileTimer) },
    vscode.workspace.onDidOpenTextDocument((doc) => analysis.onOpen(doc)),
    vscode.workspace.onDidChangeTextDocument((e) => analysis.onChange(e)),
    vscode.workspace.onDidSaveTextDocument((doc) => analysis.onSave(doc)),
    vscode.workspace.onDidCloseTextDocument((doc) => analysis.onClose(doc, scanner.has(doc.uri))),
    vscode.window.tabGroups.onDidChangeTabs((e) => {
      if (e.closed.length) analysis.onTabsClosed(tabUris(e.closed), (uri) => scanner.has(uri));
      if (e.opened.length) analysis.onTabsOpened(tabUris(e.opened));
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration('shipsafe')) return;
      analysis.invalidate();
      reanalyseOpen((doc) => e.affectsConfiguration('shipsafe', doc.uri));
      scanner.rescanQuietly();
    }),
    vscode.commands.registerCommand(SCAN_COMMAND, () => scanner.scanWithProgress()),
    vscode.commands.registerCommand('shipsafe.showOutput', () => log.show(true)),
  );

  // documents already open when the extension starts are analysed after activation returns
  const initial = setTimeout(() => { for (const doc of vscode.workspace.textDocuments) analysis.onOpen(doc); }, 0);
  // a JavaScript/TypeScript or Python workspace: start the analysis thread once the window has settled, so the
  // first file opened does not wait for it (it loads the TypeScript parser and the Python grammar: about a second)
  const prestart = setTimeout(() => worker.prestart(), 3000);
  context.subscriptions.push({ dispose: () => { clearTimeout(initial); clearTimeout(prestart); } });

  const activationMs = performance.now() - activateStart;
  const cpu = process.cpuUsage(activateCpu);
  const activationCpuMs = (cpu.user + cpu.system) / 1000;
  log.info(`activated in ${activationMs.toFixed(1)} ms, ${activationCpuMs.toFixed(1)} ms CPU (${vscode.workspace.isTrusted ? 'trusted' : 'restricted mode: analysis only reads files, so everything works'})`);

  return {
    activationMs,
    activationCpuMs,
    statusBarText: () => status.text,
    statusBarTooltip: () => status.tooltipText,
    skipNotice: (uri) => analysis.skipNotice(uri),
    analysedVersion: (uri) => analysis.analysedVersion(uri),
    scanWorkspace: () => scanner.scanWithProgress(),
    checklist: {
      current: () => checklist.current,
      isOpen: () => checklist.isOpen,
      message: (m) => checklist.handle(m),
      next: () => new Promise((resolve) => { const sub = checklist.onDidChange((c) => { sub.dispose(); resolve(c); }); }),
    },
  };
}

export function deactivate(): void {
  // everything is in context.subscriptions
}
