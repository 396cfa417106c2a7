/**
 * Shipsafe's JSON report. The shape is stable: a consumer checks `version` (bumped only on an incompatible
 * change). A JSON report also serves as a baseline file (see baseline.ts).
 *
 * {
 *   "version": 1,
 *   "tool": { "name": "Shipsafe", "version": "0.1.0" },
 *   "summary": { "filesAnalyzed", "findings", "bySeverity": { "error", "warning", "info" }, "skipped", "ruleErrors",
 *                "baseline"?: { "file", "matchedFindings" } },
 *   "findings": [Finding…]   // engine Finding objects; `file` relative to the scan root, forward slashes
 *   "skipped": [{ "file", "reason", "detail" }…],
 *   "ruleErrors": [{ "file", "ruleId", "error" }…]
 * }
 * No source text is included (secret values are never in a report; messages mask them).
 */
import type { Finding, SkippedFile } from '../model/types';
import type { RuleError } from '../project/scan';
import { TOOL_NAME, TOOL_VERSION, type ReportInput } from './types';

export const JSON_REPORT_VERSION = 1;

export interface JsonReport {
  version: typeof JSON_REPORT_VERSION;
  tool: { name: string; version: string };
  summary: {
    filesAnalyzed: number;
    findings: number;
    bySeverity: { error: number; warning: number; info: number };
    skipped: number;
    ruleErrors: number;
    baseline?: { file: string; matchedFindings: number };
  };
  findings: Finding[];
  skipped: SkippedFile[];
  ruleErrors: RuleError[];
}

export function toJsonReport(report: ReportInput): JsonReport {
  const bySeverity = { error: 0, warning: 0, info: 0 };
  for (const f of report.findings) bySeverity[f.severity]++;
  return {
    version: JSON_REPORT_VERSION,
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    summary: {
      filesAnalyzed: report.filesAnalyzed,
      findings: report.findings.length,
      bySeverity,
      skipped: report.skipped.length,
      ruleErrors: report.ruleErrors.length,
      ...(report.baseline ? { baseline: { file: report.baseline.file, matchedFindings: report.baseline.matched } } : {}),
    },
    findings: report.findings,
    skipped: report.skipped,
    ruleErrors: report.ruleErrors,
  };
}

export function formatJson(report: ReportInput): string {
  return `${JSON.stringify(toJsonReport(report), null, 2)}\n`;
}
