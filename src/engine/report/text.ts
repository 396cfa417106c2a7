/**
 * Terminal output: findings grouped by file, one line each (`path:line:col  severity  message  rule-id`; the
 * position first, so terminals and editors open it on a click), then a summary line. By default a finding shows
 * the first sentence of its message (what is wrong and why); `verbose` adds the rest (how to fix it), where the
 * data comes from and the fixes. Colours only when asked (the CLI asks when
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
  /** whole messages, related locations and fixes */
  verbose?: boolean;
  /** how a report path (relative to the scan root) is shown, e.g. relative to the current folder */
  displayPath?: (file: string) => string;
  /** how long the scan took, for the summary line */
  elapsedMs?: number;
}

const ANSI = { red: 31, yellow: 33, blue: 34, gray: 90, green: 32, bold: 1, dim: 2, underline: 4 } as const;
type Style = keyof typeof ANSI;

function painter(enabled: boolean) {
  return (style: Style, s: string) => (enabled ? `\u001b[${ANSI[style]}m${s}\u001b[0m` : s);
}

/** One vocabulary: what configuration, JSON and --fail-on say (SARIF alone says `note`, its own word). */
const SEVERITY_LABEL: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'info' };
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

/**
 * The first sentence of a message (what is wrong and why it matters); the rest says how to fix it. A period
 * inside backticks (`req.query.id`) or after "e.g" does not end a sentence.
 */
export function firstSentence(message: string): string {
  let code = false;
  for (let i = 0; i < message.length - 2; i++) {
    const ch = message[i];
    if (ch === '`') { code = !code; continue; }
    if (code || (ch !== '.' && ch !== '!' && ch !== '?') || message[i + 1] !== ' ' || i < 20) continue;
    if (!/[A-Z`(]/.test(message[i + 2]) || /(?:\be\.g|\bi\.e|\betc|\bvs)$/.test(message.slice(Math.max(0, i - 4), i))) continue;
    return message.slice(0, i + 1);
  }
  return message;
}

export function formatText(report: ReportInput, options: TextOptions = {}): string {
  const c = painter(!!options.color);
  const show = (file: string) => cleanPath(options.displayPath ? options.displayPath(file) : file);
  const out: string[] = [];
  const byFile = new Map<string, Finding[]>();
  for (const f of report.findings) {
    const l = byFile.get(f.file);
    if (l) l.push(f); else byFile.set(f.file, [f]);
  }
  let shortened = false;
  const files = [...byFile.keys()].sort();
  for (const file of files) {
    const path = show(file);
    const list = byFile.get(file)!.sort((a, b) => a.range.start - b.range.start || a.ruleId.localeCompare(b.ruleId));
    const where = (f: Finding) => `${path}:${f.range.startPos.line}:${f.range.startPos.column}`;
    const width = Math.max(...list.map((f) => where(f).length));
    for (const f of list) {
      const sev = c(SEVERITY_STYLE[f.severity], SEVERITY_LABEL[f.severity].padEnd(7));
      const conf = f.confidence === 'high' ? '' : c('gray', ` (${f.confidence} confidence)`);
      const message = options.verbose ? f.message : firstSentence(f.message);
      if (message !== f.message || (!options.verbose && (f.related?.length || f.fixes?.length))) shortened = true;
      out.push(`${where(f).padEnd(width)}  ${sev}  ${clean(message)}${conf}  ${c('gray', f.ruleId)}`);
      if (!options.verbose) continue;
      for (const r of f.related ?? []) {
        const at = r.file === f.file ? `${r.range.startPos.line}:${r.range.startPos.column}` : `${show(r.file)}:${r.range.startPos.line}:${r.range.startPos.column}`;
        out.push(`    ${c('gray', `↳ ${at}`)} ${clean(r.message)}`);
      }
      for (const x of f.fixes ?? []) out.push(`    ${c('green', 'fix:')} ${clean(x.title)}${x.safety === 'suggestion' ? c('gray', ' (review before applying)') : ''}`);
    }
    out.push('');
  }
  if (shortened) out.push(c('gray', 'How to fix each, where the data comes from and the fixes on offer: add --verbose.'));
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
  const partialCount = report.skipped.filter((s) => s.reason !== 'excluded').length;
  const excludedCount = report.skipped.length - partialCount;
  if (partialCount) extra.push(`${partialCount} not fully analysed (listed above or in the report)`);
  if (excludedCount) extra.push(`${plural(excludedCount, 'file')} skipped (listed above or in the report)`);
  if (report.baseline) extra.push(`${plural(report.baseline.matched, 'finding')} already in the baseline not shown`);
  if (report.ruleErrors.length) extra.push(`${plural(report.ruleErrors.length, 'rule error')}`);
  const tail = `${extra.length ? `; ${extra.join('; ')}` : ''}${options.elapsedMs !== undefined ? ` (${(options.elapsedMs / 1000).toFixed(1)}s)` : ''}`;
  if (!report.findings.length) {
    const what = report.baseline ? 'No new findings' : 'No findings';
    const conf = options.minConfidence ? ` at ${options.minConfidence} confidence or above` : '';
    // files that were read but not analysed fully (unparsable, too deep, too large, timed out): "no findings"
    // would claim more than was checked, so the line says what it covers
    if (partialCount) {
      return `${c('yellow', '⚠')} ${what}${conf} in the code that was analysed, but ${plural(partialCount, 'file was', 'files were')} not fully analysed (listed above or in the report) — ${scanned}${tail}.`;
    }
    return `${c('green', '✔')} ${what}${conf} — ${scanned}${tail}.`;
  }
  const parts = [plural(count.error, 'error'), plural(count.warning, 'warning'), `${count.info} info`];
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

/**
 * The files not fully analysed, then the files skipped (excluded, declaration files…), each with why; for stderr in
 * text mode. At most `limit` lines per list, then a count.
 */
export function formatSkipped(skipped: readonly SkippedFile[], options: { color?: boolean; limit?: number; displayPath?: (file: string) => string } = {}): string {
  if (!skipped.length) return '';
  const c = painter(!!options.color);
  const limit = options.limit ?? 50;
  const show = (file: string) => cleanPath(options.displayPath ? options.displayPath(file) : file);
  const lines: string[] = [];
  const list = (title: string, items: readonly SkippedFile[]) => {
    if (!items.length) return;
    lines.push(c('bold', `${title} (${items.length}):`));
    for (const s of items.slice(0, limit)) lines.push(`  ${show(s.file)}  ${c('gray', `[${s.reason}]`)} ${clean(s.detail)}`);
    if (items.length > limit) lines.push(`  … and ${items.length - limit} more (use --format json to list them all)`);
  };
  list('Not fully analysed', skipped.filter((s) => s.reason !== 'excluded'));
  list('Skipped', skipped.filter((s) => s.reason === 'excluded'));
  return `${lines.join('\n')}\n`;
}
