/**
 * What the assistant-facing tools return (the MCP server's and VS Code's language model tools share it): findings
 * as plain data with positions and messages only — never source text — run once more through the secret catalog
 * so that no key can leave even if a message quoted one, plus the project's secure preamble.
 */
import type { Finding, SkippedFile } from '../model/types';
import { findSecrets } from '../secrets/providers';

/** Tool names, the same in the MCP server and in VS Code (`contributes.languageModelTools`). */
export const CHECK_TOOL = 'shipsafe_check';
export const PROMPT_TOOL = 'shipsafe_secure_prompt';

export const CHECK_TOOL_DESCRIPTION = 'Scans a JavaScript, TypeScript or Python file of this project, or a code snippet, for security problems (injection, leaked secrets, weak auth, risky configuration) and returns the findings with line numbers and how to fix each, plus the project\'s security requirements. Call it on code you wrote before saying you are done. Runs locally; secret values are never returned.';
export const PROMPT_TOOL_DESCRIPTION = 'Returns the security requirements to follow while writing code in this project, tailored to its stack (framework, database, auth, hosting) and to the kinds of problems already found in it; give `task` (e.g. "file upload endpoint", "login", "Stripe checkout") to add that task\'s controls. Read it before writing security-relevant code. Runs locally.';

export interface ToolFinding {
  ruleId: string;
  severity: Finding['severity'];
  confidence: Finding['confidence'];
  /** what is wrong, why, how to fix (secrets masked) */
  message: string;
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** where request data entered, etc. */
  related: { file: string; line: number; message: string }[];
}

export interface CheckResult {
  file: string;
  findings: ToolFinding[];
  /** why the file was not (fully) analysed */
  skipped?: string;
  preamble?: string;
}

/** Replaces anything that looks like a provider secret with its masked form. */
export function scrubSecrets(text: string): string {
  const hits = findSecrets(text, { textScan: true });
  if (!hits.length) return text;
  let out = '';
  let at = 0;
  for (const h of hits) {
    if (h.start < at) continue;
    out += text.slice(at, h.start) + h.masked;
    at = h.end;
  }
  return out + text.slice(at);
}

export function toToolFinding(f: Finding): ToolFinding {
  return {
    ruleId: f.ruleId,
    severity: f.severity,
    confidence: f.confidence,
    message: scrubSecrets(f.message),
    file: f.file,
    line: f.range.startPos.line,
    column: f.range.startPos.column,
    endLine: f.range.endPos.line,
    endColumn: f.range.endPos.column,
    related: (f.related ?? []).map((r) => ({ file: r.file, line: r.range.startPos.line, message: scrubSecrets(r.message) })),
  };
}

export function checkResult(file: string, findings: readonly Finding[], options: { skipped?: SkippedFile; preamble?: string } = {}): CheckResult {
  const sorted = [...findings].sort((a, b) => a.range.start - b.range.start || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0));
  return {
    file,
    findings: sorted.map(toToolFinding),
    ...(options.skipped ? { skipped: scrubSecrets(options.skipped.detail) } : {}),
    ...(options.preamble ? { preamble: options.preamble } : {}),
  };
}

/** The result as Markdown for the model to read. */
export function formatCheckResult(r: CheckResult): string {
  const lines: string[] = [];
  if (r.skipped) lines.push(`Shipsafe could not fully analyse ${r.file}: ${r.skipped}`, '');
  if (!r.findings.length) {
    lines.push(`Shipsafe found no security problems in ${r.file} (at the configured confidence).`);
  } else {
    lines.push(`Shipsafe found ${r.findings.length} security problem${r.findings.length === 1 ? '' : 's'} in ${r.file}. Fix each before finishing:`, '');
    for (const f of r.findings) {
      lines.push(`- ${r.file}:${f.line}:${f.column} ${f.severity} \`${f.ruleId}\` (${f.confidence} confidence): ${f.message}`);
      for (const rel of f.related) lines.push(`  - ${rel.file === r.file ? '' : `${rel.file}:`}line ${rel.line}: ${rel.message}`);
    }
  }
  if (r.preamble) lines.push('', '---', '', r.preamble.trimEnd());
  return `${lines.join('\n')}\n`;
}

/** A snippet's file name: the given one if it is a plain relative JS/TS name, else `snippet.ts`. */
export function snippetPath(filename: string | undefined): string {
  if (!filename) return 'snippet.ts';
  const clean = filename.replace(/\\/g, '/').replace(/^\.?\//, '');
  if (clean.split('/').some((p) => p === '..' || p === '') || /^[a-zA-Z]:/.test(clean)) return 'snippet.ts';
  return /\.(c|m)?(j|t)sx?$/.test(clean) ? clean : 'snippet.ts';
}
