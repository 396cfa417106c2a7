/** Findings (plain data from the worker) → VS Code diagnostics. */
import * as vscode from 'vscode';
import type { Finding, Range as EngineRange, Severity } from '../engine';
import { ruleDocUri } from './ruleDocs';

export const DIAGNOSTIC_SOURCE = 'Shipsafe';

const SEVERITY: Record<Severity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

export function toRange(r: EngineRange): vscode.Range {
  return new vscode.Range(r.startPos.line - 1, r.startPos.column - 1, r.endPos.line - 1, r.endPos.column - 1);
}

/**
 * @param enginePath the path the engine analysed (findings and related locations carry it)
 * @param uri the document it stands for (may be untitled)
 * @param folder the workspace folder relative paths are resolved against
 */
export function toDiagnostics(findings: readonly Finding[], enginePath: string, uri: vscode.Uri, folder: vscode.Uri | undefined): vscode.Diagnostic[] {
  return findings.map((f) => {
    const d = new vscode.Diagnostic(toRange(f.range), f.message, SEVERITY[f.severity] ?? vscode.DiagnosticSeverity.Warning);
    d.source = DIAGNOSTIC_SOURCE;
    d.code = { value: f.ruleId, target: ruleDocUri(f.ruleId) };
    if (f.related?.length) {
      d.relatedInformation = f.related.map((r) => new vscode.DiagnosticRelatedInformation(
        new vscode.Location(locate(r.file, enginePath, uri, folder), toRange(r.range)), r.message));
    }
    return d;
  });
}

function locate(file: string, enginePath: string, uri: vscode.Uri, folder: vscode.Uri | undefined): vscode.Uri {
  if (file === enginePath) return uri;
  if (/^([a-zA-Z]:)?[\\/]/.test(file)) return vscode.Uri.file(file);
  return folder ? vscode.Uri.joinPath(folder, file) : uri;
}

export interface SeverityCounts { error: number; warning: number; info: number }

export function countDiagnostics(collection: vscode.DiagnosticCollection): SeverityCounts {
  const counts: SeverityCounts = { error: 0, warning: 0, info: 0 };
  collection.forEach((_uri, diags) => {
    for (const d of diags) {
      if (d.severity === vscode.DiagnosticSeverity.Error) counts.error++;
      else if (d.severity === vscode.DiagnosticSeverity.Warning) counts.warning++;
      else counts.info++;
    }
  });
  return counts;
}
