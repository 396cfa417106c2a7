/**
 * Language model tools (declared in package.json `contributes.languageModelTools`), so agent modes in VS Code can
 * check their own output: `shipsafe_check` scans a workspace file (the editor's unsaved text when it is open) or
 * a snippet and returns the findings (masked) plus the secure preamble; `shipsafe_secure_prompt` returns the
 * preamble, optionally for a task. Same names, inputs and output as the MCP server (`shipsafe mcp`). Offline.
 *
 * The `vscode.lm` tool API is newer than the VS Code version this extension supports (1.90), so it is looked up
 * at run time and typed here; on older versions the tools are simply not registered.
 */
import * as vscode from 'vscode';
import type { Language } from '../engine/model/types';
import {
  CHECK_TOOL, checkResult, formatCheckResult, PROMPT_TOOL, snippetPath, type CheckResult,
} from '../engine/prompt/tool-output';
import { LANGUAGES } from './analysis';
import { folderPreamble, type StackCache } from './securePrompt';
import { settingsFor } from './settings';
import type { WorkerClient } from './workerClient';

export interface CheckInput {
  path?: string;
  code?: string;
  filename?: string;
  task?: string;
  includeRequirements?: boolean;
}

export interface PromptInput {
  task?: string;
}

interface ToolInvocationOptions<T> { input: T; toolInvocationToken?: unknown }
interface LanguageModelTool<T> {
  invoke(options: ToolInvocationOptions<T>, token: vscode.CancellationToken): Promise<unknown>;
  prepareInvocation?(options: { input: T }, token: vscode.CancellationToken): { invocationMessage?: string } | undefined;
}
interface LmApi {
  lm?: { registerTool?<T>(name: string, tool: LanguageModelTool<T>): vscode.Disposable };
  LanguageModelToolResult?: new (content: unknown[]) => unknown;
  LanguageModelTextPart?: new (value: string) => unknown;
}

class ToolInputError extends Error {}

function folderFor(uri: vscode.Uri | undefined): vscode.WorkspaceFolder | undefined {
  return (uri && vscode.workspace.getWorkspaceFolder(uri))
    ?? (vscode.window.activeTextEditor && vscode.workspace.getWorkspaceFolder(vscode.window.activeTextEditor.document.uri))
    ?? vscode.workspace.workspaceFolders?.[0];
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try { return (await vscode.workspace.fs.stat(uri)).type === vscode.FileType.File; } catch { return false; }
}

/** A workspace file named by an absolute path, a path relative to a folder, or `<folder name>/<path>`. */
async function resolveWorkspaceFile(path: string): Promise<{ uri: vscode.Uri; folder: vscode.WorkspaceFolder }> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  const clean = path.replace(/\\/g, '/');
  if (/^(\/|[a-zA-Z]:\/)/.test(clean)) {
    const uri = vscode.Uri.file(path);
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    if (!folder) throw new ToolInputError(`${path} is outside the workspace folders; only workspace files can be checked`);
    if (!await exists(uri)) throw new ToolInputError(`${path} does not exist`);
    return { uri, folder };
  }
  const parts = clean.replace(/^\.\//, '').split('/');
  if (parts.some((p) => p === '..')) throw new ToolInputError(`${path} leaves the workspace folder; give a path inside it`);
  for (const folder of folders) {
    const uri = vscode.Uri.joinPath(folder.uri, ...parts);
    if (await exists(uri)) return { uri, folder };
  }
  const byName = folders.find((f) => f.name === parts[0]);
  if (byName && parts.length > 1) {
    const uri = vscode.Uri.joinPath(byName.uri, ...parts.slice(1));
    if (await exists(uri)) return { uri, folder: byName };
  }
  throw new ToolInputError(`${path} was not found in the workspace folders`);
}

export async function runCheck(input: CheckInput, worker: WorkerClient, stacks: StackCache): Promise<CheckResult> {
  if ((input.path === undefined) === (input.code === undefined)) throw new ToolInputError('Give either `path` (a workspace file) or `code` (a snippet), not both and not neither.');
  let result: CheckResult;
  let folder: vscode.WorkspaceFolder | undefined;
  if (input.path !== undefined) {
    const resolved = await resolveWorkspaceFile(input.path);
    folder = resolved.folder;
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === resolved.uri.toString());
    const language = doc && (LANGUAGES as readonly string[]).includes(doc.languageId) ? doc.languageId as Language : undefined;
    const settings = settingsFor(resolved.uri);
    const outcome = await worker.analyze({
      path: resolved.uri.fsPath, root: folder.uri.fsPath, overrides: settings.overrides, timings: false,
      ...(doc ? { text: doc.getText() } : {}), ...(language ? { language } : {}),
    }, 'editor', Math.max(settings.timeBudgetMs, 5000));
    if (outcome.type !== 'analyzed') throw new Error(`the analysis did not finish (${outcome.type})`);
    result = checkResult(outcome.enginePath, outcome.excluded ? [] : outcome.findings, { skipped: outcome.skipped });
  } else {
    folder = folderFor(undefined);
    const rel = snippetPath(input.filename);
    const path = folder ? vscode.Uri.joinPath(folder.uri, ...rel.split('/')).fsPath : rel;
    const settings = settingsFor(folder?.uri);
    const outcome = await worker.analyze({
      path, text: input.code!, root: folder?.uri.fsPath, overrides: { ...settings.overrides, exclude: [] }, timings: false,
    }, 'editor', Math.max(settings.timeBudgetMs, 5000));
    if (outcome.type !== 'analyzed') throw new Error(`the analysis did not finish (${outcome.type})`);
    result = checkResult(rel, outcome.findings, { skipped: outcome.skipped });
  }
  if (input.includeRequirements !== false && folder) {
    result = { ...result, preamble: (await folderPreamble(folder, stacks, worker, input.task)).markdown };
  }
  return result;
}

export function registerLanguageModelTools(context: vscode.ExtensionContext, deps: { worker: WorkerClient; stacks: StackCache; log: vscode.LogOutputChannel }): boolean {
  const api = vscode as unknown as LmApi;
  const register = api.lm?.registerTool;
  const Result = api.LanguageModelToolResult;
  const Text = api.LanguageModelTextPart;
  if (!register || !Result || !Text) {
    deps.log.info('this VS Code has no language model tool API; the Shipsafe tools for AI agents are not registered');
    return false;
  }
  const reply = (text: string) => new Result([new Text(text)]);
  const t = vscode.l10n.t;

  context.subscriptions.push(register.call(api.lm, CHECK_TOOL, {
    prepareInvocation: (options: { input: CheckInput }) => ({
      invocationMessage: options.input.path ? t('Checking {0} with Shipsafe', options.input.path) : t('Checking code with Shipsafe'),
    }),
    async invoke(options: ToolInvocationOptions<CheckInput>) {
      try {
        const r = await runCheck(options.input ?? {}, deps.worker, deps.stacks);
        deps.log.info(`tool ${CHECK_TOOL}: ${r.file}, ${r.findings.length} finding(s)`);
        return reply(formatCheckResult(r));
      } catch (e) {
        if (e instanceof ToolInputError) return reply(e.message);
        throw e;
      }
    },
  } satisfies LanguageModelTool<CheckInput>));

  context.subscriptions.push(register.call(api.lm, PROMPT_TOOL, {
    prepareInvocation: () => ({ invocationMessage: t('Reading the project\'s security requirements from Shipsafe') }),
    async invoke(options: ToolInvocationOptions<PromptInput>) {
      const folder = folderFor(undefined);
      if (!folder) return reply('No folder is open, so there is no project to tailor the requirements to.');
      const p = await folderPreamble(folder, deps.stacks, deps.worker, options.input?.task);
      deps.log.info(`tool ${PROMPT_TOOL}: ${p.requirements.length} requirements`);
      return reply(p.markdown);
    },
  } satisfies LanguageModelTool<PromptInput>));
  return true;
}
