/**
 * Helpers for the integration suites. They run inside a real VS Code extension host (the offline
 * code-server driver, or @vscode/test-cli with a downloaded VS Code) against the real `vscode` API.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ShipsafeApi } from '../../src/extension/extension';

export const EXTENSION_ID = 'shipsafe.shipsafe';

export interface TestCase {
  name: string;
  timeoutMs?: number;
  run(ctx: TestContext): Promise<void>;
}

export interface TestContext {
  /** a number for the report (activation time, latencies) */
  metric(name: string, value: number): void;
  /** where a test may write files for people to look at */
  outputDir?: string;
}

export async function shipsafe(): Promise<ShipsafeApi> {
  const ext = vscode.extensions.getExtension<ShipsafeApi>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not installed`);
  return ext.isActive ? ext.exports : await ext.activate();
}

export function shipsafeDiagnostics(uri: vscode.Uri, ruleId?: string): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'Shipsafe' && (!ruleId || codeOf(d) === ruleId));
}

export function codeOf(d: vscode.Diagnostic): string | undefined {
  const c = d.code;
  if (c === undefined) return undefined;
  return typeof c === 'object' ? String(c.value) : String(c);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Polls `probe` until it returns something truthy; fails with `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => T | undefined | null | false | Promise<T | undefined | null | false>, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${(last as Error).message})` : ''}`);
    await sleep(50);
  }
}

/** Asserts that a condition holds for a while (nothing stale arrives later). */
export async function staysTrue(what: string, probe: () => boolean, forMs: number): Promise<void> {
  const end = Date.now() + forMs;
  while (Date.now() < end) {
    assert.ok(probe(), `${what} stopped holding`);
    await sleep(50);
  }
}

export function folder(name: string): vscode.WorkspaceFolder {
  const f = vscode.workspace.workspaceFolders?.find((w) => w.name === name);
  assert.ok(f, `workspace folder "${name}" is not open (folders: ${vscode.workspace.workspaceFolders?.map((w) => w.name).join(', ')})`);
  return f;
}

export function fileIn(folderName: string, rel: string): vscode.Uri {
  return vscode.Uri.joinPath(folder(folderName).uri, rel);
}

export async function show(uri: vscode.Uri): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(uri);
  return vscode.window.showTextDocument(doc, { preview: false });
}

export function isOpen(uri: vscode.Uri): boolean {
  return vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString());
}

/** Closes every editor showing `uri`, discarding unsaved changes. */
export async function closeWithoutSaving(uri: vscode.Uri): Promise<void> {
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (doc?.isDirty) {
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  }
  const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs)
    .filter((t) => t.input instanceof vscode.TabInputText && t.input.uri.toString() === uri.toString());
  if (tabs.length) await vscode.window.tabGroups.close(tabs);
}

/** The text range of the first occurrence of `from` … through the end of `through` (or of `from`). */
export function rangeOf(doc: vscode.TextDocument, from: string, through?: string): vscode.Range {
  const text = doc.getText();
  const start = text.indexOf(from);
  assert.ok(start >= 0, `"${from}" not found in ${doc.uri.path}`);
  let end = start + from.length;
  if (through !== undefined) {
    const t = text.indexOf(through, start + from.length);
    assert.ok(t >= 0, `"${through}" not found after "${from}" in ${doc.uri.path}`);
    end = t + through.length;
  }
  return new vscode.Range(doc.positionAt(start), doc.positionAt(end));
}

export function fmt(r: vscode.Range): string {
  return `${r.start.line + 1}:${r.start.character + 1}-${r.end.line + 1}:${r.end.character + 1}`;
}

type Target = vscode.ConfigurationTarget;

/** Sets a setting and returns how to put it back. */
export async function withSetting(key: string, value: unknown, scope: vscode.Uri | undefined, target: Target): Promise<() => Promise<void>> {
  const [section, ...rest] = key.split('.');
  const cfg = vscode.workspace.getConfiguration(section, scope);
  const name = rest.join('.');
  const before = cfg.inspect(name);
  const old = target === vscode.ConfigurationTarget.WorkspaceFolder ? before?.workspaceFolderValue
    : target === vscode.ConfigurationTarget.Workspace ? before?.workspaceValue : before?.globalValue;
  await cfg.update(name, value, target);
  return async () => { await vscode.workspace.getConfiguration(section, scope).update(name, old, target); };
}
