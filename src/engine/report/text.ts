/**
 * Terminal output: findings grouped by file, one line each (`line:col  severity  message  rule-id`), related
 * locations and fix titles indented below, then a summary line. Colours only when asked (the CLI asks when
 * the stream is a TTY and NO_COLOR is unset). Never prints source code, so a secret never reaches the terminal.
 */
import { SEVERITY_ORDER, type Finding, type Severity, type SkippedFile } from '../model/types';
import type { ReportInput } from './types';

export interface TextOptions {
  color?: boolean;
  /** the --fail-on threshold, to say in the summary which findings fail the build */
  failOn?: Severity | 'none';
  /** the min confidence used, for the "no findings" line */
  minConfidence?: string;
}

const ANSI = { red: 31, yellow: 33, blue: 34, gray: 90, green: 32, bold: 1, dim: 2, underline: 4 } as const;
type Style = keyof typeof ANSI;

function painter(enabled: boolean) {
  return (style: Style, s: string) => (enabled ? `\u001b[${ANSI[style]}m${s}\u001b[0m` : s);
}

const SEVERITY_LABEL: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'note' };
const SEVERITY_STYLE: Record<Severity, Style> = { error: 'red', warning: 'yellow', info: 'blue' };

function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

/** Control characters from a message or path (a file name can hold an escape sequence) are shown escaped. */
function clean(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** A file name for one line of output: also newlines and tabs escaped (a file may be named "a\nb.js"). */
function cleanPath(s: string): string {
  return clean(s).replace(/\n/g, '\\n').replace(/\t/g, '\\t');
}

export function formatText(report: ReportInput, options: TextOptions = {}): string {
  const c = painter(!!options.color);
  const out: string[] = [];
  const byFile = new Map<string, Finding[]>();
  for (const f of report.findings) {
    const l = byFile.get(f.file);
    if (l) l.push(f); else byFile.set(f.file, [f]);
  }
  const files = [...byFile.keys()].sort();
  for (const file of files) {
    out.push(c('underline', cleanPath(file)));
    const list = byFile.get(file)!.sort((a, b) => a.range.start - b.range.start || a.ruleId.localeCompare(b.ruleId));
    const width = Math.max(...list.map((f) => `${f.range.startPos.line}:${f.range.startPos.column}`.length));
    for (const f of list) {
      const pos = `${f.range.startPos.line}:${f.range.startPos.column}`.padEnd(width);
      const sev = c(SEVERITY_STYLE[f.severity], SEVERITY_LABEL[f.severity].padEnd(7));
      const conf = f.confidence === 'high' ? '' : c('gray', ` (${f.confidence} confidence)`);
      out.push(`  ${c('dim', `${cleanPath(file)}:`)}${pos}  ${sev}  ${clean(f.message)}${conf}  ${c('gray', f.ruleId)}`);
      for (const r of f.related ?? []) {
        const where = r.file === f.file ? `${r.range.startPos.line}:${r.range.startPos.column}` : `${cleanPath(r.file)}:${r.range.startPos.line}:${r.range.startPos.column}`;
        out.push(`      ${c('gray', `↳ ${where}`)} ${clean(r.message)}`);
      }
      for (const x of f.fixes ?? []) out.push(`      ${c('green', 'fix:')} ${clean(x.title)}${x.safety === 'suggestion' ? c('gray', ' (review before applying)') : ''}`);
    }
    out.push('');
  }
  out.push(summaryLine(report, options));
  return `${out.join('\n')}\n`;
}

export function summaryLine(report: ReportInput, options: TextOptions = {}): string {
  const c = painter(!!options.color);
  const count: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const f of report.findings) count[f.severity]++;
  const nFiles = new Set(report.findings.map((f) => f.file)).size;
  const scanned = `${plural(report.filesAnalyzed, 'file')} scanned`;
  const extra: string[] = [];
  if (report.skipped.length) extra.push(`${report.skipped.length} not fully analysed (listed above or in the report)`);
  if (report.baseline) extra.push(`${plural(report.baseline.matched, 'finding')} already in the baseline not shown`);
  if (report.ruleErrors.length) extra.push(`${plural(report.ruleErrors.length, 'rule error')}`);
  const tail = extra.length ? `; ${extra.join('; ')}` : '';
  if (!report.findings.length) {
    const what = report.baseline ? 'No new findings' : 'No findings';
    const conf = options.minConfidence ? ` at ${options.minConfidence} confidence or above` : '';
    // files that were read but not analysed fully (unparsable, too deep, too large, timed out): "no findings"
    // would claim more than was checked, so the line says what it covers
    const partial = report.skipped.filter((s) => s.reason !== 'excluded').length;
    if (partial) {
      return `${c('yellow', '⚠')} ${what}${conf} in the code that was analysed, but ${plural(partial, 'file was', 'files were')} not fully analysed (listed above or in the report) — ${scanned}${tail}.`;
    }
    return `${c('green', '✔')} ${what}${conf} — ${scanned}${tail}.`;
  }
  const parts = [plural(count.error, 'error'), plural(count.warning, 'warning'), plural(count.info, 'note')];
  const head = `${report.baseline ? 'new ' : ''}${plural(report.findings.length, 'finding')}`;
  const mark = count.error ? c('red', '✖') : c('yellow', '⚠');
  let verdict = '';
  if (options.failOn === 'none') verdict = ' Not failing the build (--fail-on none).';
  else if (options.failOn) {
    const failing = report.findings.filter((f) => SEVERITY_ORDER[f.severity] >= SEVERITY_ORDER[options.failOn as Severity]).length;
    const label = SEVERITY_LABEL[options.failOn];
    verdict = failing ? ` ${plural(failing, 'finding')} at or above --fail-on ${label}.` : ` None at or above --fail-on ${label}, so the build passes.`;
  }
  return `${mark} ${c('bold', head)} (${parts.join(', ')}) in ${plural(nFiles, 'file')} — ${scanned}${tail}.${verdict}`;
}

/** The skipped files, for stderr in text mode. At most `limit` lines, then a count. */
export function formatSkipped(skipped: readonly SkippedFile[], options: { color?: boolean; limit?: number } = {}): string {
  if (!skipped.length) return '';
  const c = painter(!!options.color);
  const limit = options.limit ?? 50;
  const lines = [c('bold', `Not fully analysed (${skipped.length}):`)];
  for (const s of skipped.slice(0, limit)) lines.push(`  ${cleanPath(s.file)}  ${c('gray', `[${s.reason}]`)} ${clean(s.detail)}`);
  if (skipped.length > limit) lines.push(`  … and ${skipped.length - limit} more (use --format json to list them all)`);
  return `${lines.join('\n')}\n`;
}
