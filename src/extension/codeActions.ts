/**
 * Quick fixes for Shipsafe diagnostics, computed by the analysis worker for the exact document version they
 * apply to (and dropped if the document changed meanwhile):
 *   - each finding's fixes, already verified by re-analysis in the worker; fixes that touch several files (move a
 *     secret to .env) are one WorkspaceEdit, so one undo reverts all of them;
 *   - "Ignore with reason" on every finding (the reason is selected so it can be typed over);
 *   - `source.fixAll.shipsafe`: every fix marked safe, nothing else (behaviour-changing fixes stay suggestions).
 * Fixes that do not apply here (a key in browser code) are listed greyed out with the reason.
 */
import * as vscode from 'vscode';
import type { Finding, Fix, FileEdit, Language } from '../engine';
import { LANGUAGES } from './analysis';
import { DIAGNOSTIC_SOURCE, toRange } from './diagnostics';
import { settingsFor } from './settings';
import type { AnalyzeResponse } from '../worker/protocol';
import type { WorkerClient } from './workerClient';

export const FIX_ALL_KIND = vscode.CodeActionKind.SourceFixAll.append('shipsafe');
export const FIX_APPLIED_COMMAND = 'shipsafe.fixApplied';
/** Kept in step with REASON_PLACEHOLDER in src/engine/fixes/suppress.ts (the extension bundle holds no engine code). */
const REASON_PLACEHOLDER = 'explain why this is safe';

const UNTITLED_EXTENSION: Record<Language, string> = { javascript: '.js', typescript: '.ts', javascriptreact: '.jsx', typescriptreact: '.tsx', python: '.py' };

interface Computed { version: number; response?: AnalyzeResponse }

function codeOf(d: vscode.Diagnostic): string | undefined {
  const c = d.code;
  if (c === undefined) return undefined;
  return typeof c === 'object' ? String(c.value) : String(c);
}

/** Escapes text for a snippet (`$`, `}` and `\` are snippet syntax). */
function snippetText(s: string): string {
  return s.replace(/[\\$}]/g, (c) => `\\${c}`);
}

export class ShipsafeCodeActions implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = {
    providedCodeActionKinds: [vscode.CodeActionKind.QuickFix, FIX_ALL_KIND],
  };
  private readonly cache = new Map<string, { version: number; kind: 'fixes' | 'fixAll'; promise: Promise<Computed> }>();

  constructor(private readonly worker: WorkerClient, private readonly log: vscode.LogOutputChannel) {}

  private request(doc: vscode.TextDocument, kind: 'fixes' | 'fixAll'): Promise<Computed> {
    const key = `${kind}\u0000${doc.uri.toString()}`;
    const hit = this.cache.get(key);
    if (hit && hit.version === doc.version) return hit.promise;
    const version = doc.version;
    const settings = settingsFor(doc.uri);
    const folder = doc.uri.scheme === 'file' ? vscode.workspace.getWorkspaceFolder(doc.uri) : undefined;
    const language = doc.languageId as Language;
    const path = doc.uri.scheme === 'file' ? doc.uri.fsPath : `${doc.uri.path}${UNTITLED_EXTENSION[language]}`;
    const promise = this.worker.analyze({
      path, text: doc.getText(), language, root: folder?.uri.fsPath, overrides: settings.overrides, timings: false,
      fixes: kind === 'fixAll' ? { fixAll: true } : { ignore: true, git: vscode.workspace.isTrusted && doc.uri.scheme === 'file' },
    }, 'editor', settings.timeBudgetMs * 4).then((outcome): Computed => {
      if (outcome.type !== 'analyzed') {
        this.log.debug(`no fixes for ${vscode.workspace.asRelativePath(doc.uri)}: ${outcome.type}`);
        return { version };
      }
      // fixes that need the project model (a pool from another file) are missing until it is built: ask again then
      if (outcome.projectPending) queueMicrotask(() => { if (this.cache.get(key)?.promise === promise) this.cache.delete(key); });
      return { version, response: outcome };
    });
    this.cache.set(key, { version, kind, promise });
    // keep the cache small: only the latest request per document and kind
    if (this.cache.size > 20) this.cache.delete(this.cache.keys().next().value as string);
    return promise;
  }

  async provideCodeActions(doc: vscode.TextDocument, _range: vscode.Range | vscode.Selection, context: vscode.CodeActionContext, token: vscode.CancellationToken): Promise<vscode.CodeAction[]> {
    if (!(LANGUAGES as readonly string[]).includes(doc.languageId) || !settingsFor(doc.uri).enable) return [];
    const only = context.only;
    const wantFixAll = !!only && (FIX_ALL_KIND.contains(only) || only.contains(FIX_ALL_KIND)) && !only.contains(vscode.CodeActionKind.QuickFix);
    if (wantFixAll) return this.fixAll(doc, token);
    if (only && !only.contains(vscode.CodeActionKind.QuickFix) && !vscode.CodeActionKind.QuickFix.contains(only)) return [];
    const ours = context.diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE);
    if (!ours.length) return [];
    const computed = await this.request(doc, 'fixes');
    if (token.isCancellationRequested || doc.version !== computed.version || !computed.response) return [];
    const res = computed.response;
    const actions: vscode.CodeAction[] = [];
    for (const d of ours) {
      const f = res.findings.find((x) => x.ruleId === codeOf(d) && toRange(x.range).isEqual(d.range));
      if (!f?.fixes) continue;
      for (const fix of f.fixes) {
        const action = await this.toAction(doc, f, fix, res.enginePath, d);
        if (action) actions.push(action);
      }
    }
    // the document may have changed while the edits were built
    return doc.version === computed.version ? actions : [];
  }

  private async fixAll(doc: vscode.TextDocument, token: vscode.CancellationToken): Promise<vscode.CodeAction[]> {
    const computed = await this.request(doc, 'fixAll');
    const result = computed.response?.fixAll;
    if (token.isCancellationRequested || doc.version !== computed.version || !result || !result.applied.length) return [];
    const before = doc.getText();
    const after = result.text;
    // one edit over the changed span
    let start = 0;
    while (start < before.length && start < after.length && before[start] === after[start]) start++;
    let end = 0;
    while (end < before.length - start && end < after.length - start && before[before.length - 1 - end] === after[after.length - 1 - end]) end++;
    const edit = new vscode.WorkspaceEdit();
    edit.replace(doc.uri, new vscode.Range(doc.positionAt(start), doc.positionAt(before.length - end)), after.slice(start, after.length - end));
    const action = new vscode.CodeAction(vscode.l10n.t('Shipsafe: apply {0} safe fix(es)', result.applied.length), FIX_ALL_KIND);
    action.edit = edit;
    return [action];
  }

  private async toAction(doc: vscode.TextDocument, finding: Finding, fix: Fix, enginePath: string, d: vscode.Diagnostic): Promise<vscode.CodeAction | undefined> {
    const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
    action.diagnostics = [d];
    if (fix.disabled) {
      action.disabled = { reason: fix.disabled };
      return action;
    }
    const edit = new vscode.WorkspaceEdit();
    const others: vscode.Uri[] = [];
    for (const fe of fix.edits) {
      if (fe.file === enginePath && !fe.create) {
        const ignore = fix.edits.length === 1 && fe.textEdits.length === 1 && fe.textEdits[0].newText.includes(`shipsafe-ignore-next-line ${finding.ruleId} -- ${REASON_PLACEHOLDER}`);
        if (ignore) {
          const te = fe.textEdits[0];
          const i = te.newText.indexOf(REASON_PLACEHOLDER);
          const snippet = new vscode.SnippetString(snippetText(te.newText.slice(0, i)) + `\${1:${REASON_PLACEHOLDER}}` + snippetText(te.newText.slice(i + REASON_PLACEHOLDER.length)));
          edit.set(doc.uri, [new vscode.SnippetTextEdit(new vscode.Range(doc.positionAt(te.start), doc.positionAt(te.end)), snippet)]);
        } else {
          for (const te of fe.textEdits) edit.replace(doc.uri, new vscode.Range(doc.positionAt(te.start), doc.positionAt(te.end)), te.newText);
        }
        continue;
      }
      const uri = vscode.Uri.file(fe.file);
      others.push(uri);
      if (!await this.addProjectFileEdit(edit, uri, fe)) return undefined; // the file changed since the fix was computed
    }
    if (fix.safety === 'safe') action.isPreferred = true;
    action.edit = edit;
    if (fix.note || others.length) {
      action.command = { command: FIX_APPLIED_COMMAND, title: fix.title, arguments: [fix.note ?? '', others.map((u) => u.toString())] };
    }
    return action;
  }

  /** Another file: created with its content, or its appends placed at the end of its current text. */
  private async addProjectFileEdit(edit: vscode.WorkspaceEdit, uri: vscode.Uri, fe: FileEdit): Promise<boolean> {
    if (fe.create) {
      let content = '';
      for (const te of [...fe.textEdits].sort((a, b) => b.start - a.start)) content = content.slice(0, te.start) + te.newText + content.slice(te.end);
      try {
        await vscode.workspace.fs.stat(uri);
        return false; // it exists now: never overwrite
      } catch { /* missing: create it */ }
      // create, then insert: a file created with `contents` cannot cross to every workbench (code-server)
      edit.createFile(uri, { ignoreIfExists: false, overwrite: false });
      edit.insert(uri, new vscode.Position(0, 0), content);
      return true;
    }
    let doc: vscode.TextDocument;
    try { doc = await vscode.workspace.openTextDocument(uri); } catch { return false; }
    const text = doc.getText();
    for (const te of fe.textEdits) {
      // the engine only appends to project files: the text must still end where it did
      if (te.start !== te.end || te.start !== text.length) return false;
      edit.insert(uri, doc.positionAt(te.start), te.newText);
    }
    return true;
  }
}

export function registerCodeActions(context: vscode.ExtensionContext, deps: { worker: WorkerClient; log: vscode.LogOutputChannel }): void {
  const selector: vscode.DocumentSelector = LANGUAGES.flatMap((language) => [{ language, scheme: 'file' }, { language, scheme: 'untitled' }]);
  context.subscriptions.push(
    vscode.languages.registerCodeActionsProvider(selector, new ShipsafeCodeActions(deps.worker, deps.log), ShipsafeCodeActions.metadata),
    vscode.commands.registerCommand(FIX_APPLIED_COMMAND, (note: string, files: string[]) => {
      if (files?.length) deps.log.info(`fix applied; it also changed ${files.map((f) => vscode.workspace.asRelativePath(vscode.Uri.parse(f))).join(', ')}`);
      if (note) void vscode.window.showInformationMessage(`Shipsafe: ${note}`);
    }),
  );
}
