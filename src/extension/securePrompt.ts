/**
 * "Shipsafe: Generate Secure Prompt": asks what the user is about to build (optional), builds the preamble from
 * the folder's stack and its current Shipsafe findings (scanning the workspace first if it was never scanned),
 * then a QuickPick sends it to the clipboard, a new Markdown editor, or an assistant's instruction file (a
 * managed block; the rest of the file is kept, and regenerating with nothing changed leaves it byte-identical).
 */
import * as vscode from 'vscode';
import { buildPreamble, type FindingSummary, type Preamble } from '../engine/prompt/build';
import { collectProjectFiles } from '../engine/prompt/project-files';
import { detectStack, type DetectedStack } from '../engine/prompt/stack';
import {
  applyManagedBlock, GENERATE_PROMPT_COMMAND_ID, ManagedBlockError, PROMPT_TARGETS, promptTarget, type PromptTargetId,
} from '../engine/prompt/targets';
import { DIAGNOSTIC_SOURCE } from './diagnostics';
import type { WorkspaceScanner } from './scan';
import type { WorkerClient } from './workerClient';

export const GENERATE_PROMPT_COMMAND = GENERATE_PROMPT_COMMAND_ID;

export type PromptDestination = 'clipboard' | 'editor' | PromptTargetId;

/** Arguments for running the command without its UI (keybindings, other extensions, tests). */
export interface GeneratePromptArgs {
  folder?: vscode.Uri;
  /** '' for no task; undefined asks */
  task?: string;
  /** undefined asks */
  destination?: PromptDestination;
}

export interface GeneratePromptResult {
  destination: PromptDestination;
  markdown: string;
  /** for instruction files: the file and whether it changed */
  file?: vscode.Uri;
  changed?: boolean;
}

const enc = new TextEncoder();
const dec = new TextDecoder();

/** Shipsafe's current findings in a folder, from the diagnostics (rule id and file only). */
export function folderFindings(folder: vscode.WorkspaceFolder): FindingSummary[] {
  const out: FindingSummary[] = [];
  for (const [uri, diags] of vscode.languages.getDiagnostics()) {
    if (vscode.workspace.getWorkspaceFolder(uri)?.uri.toString() !== folder.uri.toString()) continue;
    for (const d of diags) {
      if (d.source !== DIAGNOSTIC_SOURCE) continue;
      const code = typeof d.code === 'object' ? String(d.code.value) : d.code === undefined ? '' : String(d.code);
      if (code) out.push({ ruleId: code, file: uri.toString() });
    }
  }
  return out;
}

/** The stack of a workspace folder (files on disk), cached for a few seconds. */
export class StackCache {
  private readonly cache = new Map<string, { at: number; stack: Promise<DetectedStack> }>();
  get(folder: vscode.WorkspaceFolder): Promise<DetectedStack> {
    const key = folder.uri.toString();
    const hit = this.cache.get(key);
    if (hit && Date.now() - hit.at < 10_000) return hit.stack;
    const stack = folder.uri.scheme === 'file'
      ? collectProjectFiles(folder.uri.fsPath).then(detectStack)
      : Promise.resolve(detectStack([]));
    this.cache.set(key, { at: Date.now(), stack });
    return stack;
  }
}

export async function folderPreamble(folder: vscode.WorkspaceFolder, stacks: StackCache, worker: WorkerClient, task?: string): Promise<Preamble> {
  const [stack, metas] = await Promise.all([stacks.get(folder), worker.ruleMetas().catch(() => [])]);
  const ruleTitles = Object.fromEntries(metas.map((m) => [m.id, m.title]));
  return buildPreamble({ stack, findings: folderFindings(folder), task: task || undefined, ruleTitles });
}

async function pickFolder(args: GeneratePromptArgs): Promise<vscode.WorkspaceFolder | undefined> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (args.folder) return vscode.workspace.getWorkspaceFolder(args.folder);
  if (folders.length <= 1) return folders[0];
  const active = vscode.window.activeTextEditor?.document.uri;
  const own = active && vscode.workspace.getWorkspaceFolder(active);
  if (own) return own;
  return vscode.window.showWorkspaceFolderPick({ placeHolder: vscode.l10n.t('Which project is the secure prompt for?') });
}

async function readText(uri: vscode.Uri): Promise<string | undefined> {
  try {
    return dec.decode(await vscode.workspace.fs.readFile(uri));
  } catch (e) {
    if (e instanceof vscode.FileSystemError && e.code === 'FileNotFound') return undefined;
    throw e;
  }
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try { await vscode.workspace.fs.stat(uri); return true; } catch { return false; }
}

interface DestinationItem extends vscode.QuickPickItem { destination?: PromptDestination }

async function pickDestination(folder: vscode.WorkspaceFolder, preamble: Preamble): Promise<PromptDestination | undefined> {
  const t = vscode.l10n.t;
  const items: DestinationItem[] = [
    { label: `$(copy) ${t('Copy to clipboard')}`, detail: t('Paste it at the start of a chat with your AI assistant.'), destination: 'clipboard' },
    { label: `$(markdown) ${t('Open in a new Markdown editor')}`, detail: t('Read and edit it before you use it.'), destination: 'editor' },
    { label: t('Write into an assistant\'s instruction file'), kind: vscode.QuickPickItemKind.Separator },
  ];
  for (const target of PROMPT_TARGETS) {
    const present = await exists(vscode.Uri.joinPath(folder.uri, ...target.file.split('/')));
    items.push({
      label: `$(file) ${target.file}`,
      description: target.assistant,
      detail: present ? t('Exists: Shipsafe updates its own block and keeps the rest of the file.') : t('Will be created.'),
      destination: target.id,
    });
  }
  const pick = await vscode.window.showQuickPick(items, {
    title: t('Shipsafe: Generate Secure Prompt (2/2)'),
    placeHolder: t('Where should the {0} requirements for {1} go?', preamble.requirements.length, preamble.stackLine || t('this project')),
    matchOnDescription: true,
    matchOnDetail: false,
    ignoreFocusOut: true,
  });
  return pick?.destination;
}

export async function deliverPreamble(folder: vscode.WorkspaceFolder, preamble: Preamble, destination: PromptDestination): Promise<GeneratePromptResult> {
  const t = vscode.l10n.t;
  const markdown = preamble.markdown;
  const summary = t('{0} requirements for {1}', preamble.requirements.length, preamble.stackLine || t('this project'));
  if (destination === 'clipboard') {
    await vscode.env.clipboard.writeText(markdown);
    void vscode.window.showInformationMessage(t('Secure prompt copied ({0}). Paste it at the start of your request to the assistant.', summary));
    return { destination, markdown };
  }
  if (destination === 'editor') {
    const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: markdown });
    await vscode.window.showTextDocument(doc, { preview: false });
    return { destination, markdown };
  }
  const target = promptTarget(destination);
  if (!target) throw new Error(`unknown destination ${destination}`);
  const file = vscode.Uri.joinPath(folder.uri, ...target.file.split('/'));
  const existing = await readText(file);
  let next: string;
  try {
    next = applyManagedBlock(existing, markdown, target);
  } catch (e) {
    if (e instanceof ManagedBlockError) {
      void vscode.window.showErrorMessage(t('Shipsafe did not change {0}: {1}', target.file, e.message));
      return { destination, markdown, file, changed: false };
    }
    throw e;
  }
  if (next === existing) {
    void vscode.window.showInformationMessage(t('{0} is already up to date ({1}).', target.file, summary));
    return { destination, markdown, file, changed: false };
  }
  await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(file, '..'));
  await vscode.workspace.fs.writeFile(file, enc.encode(next));
  const open = t('Open');
  void vscode.window.showInformationMessage(t('Secure prompt written to {0} for {1} ({2}).', target.file, target.assistant, summary), open)
    .then(async (choice) => { if (choice === open) await vscode.window.showTextDocument(file); });
  return { destination, markdown, file, changed: true };
}

export function registerSecurePrompt(
  context: vscode.ExtensionContext,
  deps: { worker: WorkerClient; scanner: WorkspaceScanner; log: vscode.LogOutputChannel; stacks: StackCache },
): void {
  const t = vscode.l10n.t;
  context.subscriptions.push(vscode.commands.registerCommand(GENERATE_PROMPT_COMMAND, async (raw?: unknown): Promise<GeneratePromptResult | undefined> => {
    const args: GeneratePromptArgs = raw && typeof raw === 'object' && !(raw instanceof vscode.Uri) ? raw as GeneratePromptArgs : raw instanceof vscode.Uri ? { folder: raw } : {};
    const folder = await pickFolder(args);
    if (!folder) {
      void vscode.window.showInformationMessage(t('Open a folder to generate a secure prompt for its project.'));
      return undefined;
    }
    let task = args.task;
    if (task === undefined) {
      task = await vscode.window.showInputBox({
        title: t('Shipsafe: Generate Secure Prompt (1/2)'),
        prompt: t('What are you about to ask your AI assistant to build? Leave empty for the general requirements.'),
        placeHolder: t('e.g. file upload endpoint, login, Stripe checkout, admin dashboard, AI chat endpoint'),
        ignoreFocusOut: true,
      });
      if (task === undefined) return undefined;
    }
    // findings come from the diagnostics: scan the workspace once if that never happened
    if (!deps.scanner.hasScanned && folder.uri.scheme === 'file') {
      try { await deps.scanner.scanWithProgress(); } catch (e) { deps.log.warn(`secure prompt: the workspace scan failed (${(e as Error).message}); using the findings of open files`); }
    }
    const preamble = await folderPreamble(folder, deps.stacks, deps.worker, task);
    deps.log.info(`secure prompt for ${folder.name}: ${preamble.requirements.length} requirements (${preamble.requirements.map((r) => r.id).join(', ')}), ${preamble.findings.length} finding kinds, task ${preamble.task ? preamble.task.matched.join('+') || 'unmatched' : 'none'}`);
    const destination = args.destination ?? await pickDestination(folder, preamble);
    if (!destination) return undefined;
    return deliverPreamble(folder, preamble, destination);
  }));
}
