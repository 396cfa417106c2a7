import type { LineMap } from './util/text';

/**
 * Suppression comments, honoured the same way by the CLI and the extension:
 *   // shipsafe-ignore-next-line sql-injection -- the table name comes from a fixed list
 *   // shipsafe-ignore-file hardcoded-secret -- test fixtures with fake keys
 * Several ids may be separated by commas or spaces. The reason after `--` is required;
 * a suppression without one still suppresses, and is itself reported so it gets a reason.
 */
export interface Suppression {
  kind: 'next-line' | 'file';
  ruleIds: string[];
  reason: string | undefined;
  /** 1-based line the comment is on */
  line: number;
  /** offsets of the comment directive, for reporting problems with it */
  start: number;
  end: number;
}

const DIRECTIVE = /(?:\/\/|\/\*|#|<!--)\s*shipsafe-ignore-(next-line|file)\b([^\n\r]*)/g;

export function parseSuppressions(text: string): Suppression[] {
  if (!text.includes('shipsafe-ignore-')) return [];
  const out: Suppression[] = [];
  DIRECTIVE.lastIndex = 0;
  let m: RegExpExecArray | null;
  let line = 1;
  let scanned = 0;
  while ((m = DIRECTIVE.exec(text))) {
    for (let i = scanned; i < m.index; i++) if (text.charCodeAt(i) === 10) line++;
    scanned = m.index;
    // the directive's text up to a comment end (`*/`, `-->`), without a closing `}` (JSX); no regex with `\s*…$`,
    // which is quadratic on a comment ending in 160k tabs
    let rest = m[2];
    const close = [rest.indexOf('*/'), rest.indexOf('-->')].filter((i) => i >= 0);
    if (close.length) rest = rest.slice(0, Math.min(...close));
    rest = rest.trimEnd();
    if (rest.endsWith('}')) rest = rest.slice(0, -1);
    let reason: string | undefined;
    const sep = rest.indexOf('--');
    if (sep >= 0) {
      reason = rest.slice(sep + 2).trim() || undefined;
      rest = rest.slice(0, sep);
    }
    const ruleIds = rest.split(/[\s,]+/).map((s) => s.trim()).filter(Boolean);
    out.push({ kind: m[1] as 'next-line' | 'file', ruleIds, reason, line, start: m.index, end: m.index + m[0].length });
  }
  return out;
}

export class SuppressionIndex {
  private readonly byLine = new Map<number, Suppression[]>();
  private readonly fileLevel: Suppression[] = [];
  readonly used = new Set<Suppression>();
  /** how many `shipsafe-ignore-next-line` comments the file has */
  readonly nextLineCount: number;

  constructor(readonly all: Suppression[], private readonly lines: LineMap) {
    this.nextLineCount = all.filter((s) => s.kind === 'next-line').length;
    for (const s of all) {
      if (s.kind === 'file') { this.fileLevel.push(s); continue; }
      // the next line that is not blank and not another comment line
      let target = s.line + 1;
      while (target <= lines.lineCount) {
        const t = lines.lineText(target).trim();
        // blank lines and comment lines (`//`, `/* … */`, `{/* … */}`, Python's `# …`) between the comment and its line
        if (t !== '' && !/^(\/\/|\{?\/\*.*\*\/\}?$|#(\s|$))/.test(t)) break;
        target++;
      }
      const l = this.byLine.get(target);
      if (l) l.push(s); else this.byLine.set(target, [s]);
    }
  }

  /** The suppression that hides a finding of `ruleId` starting on `line`, if any. */
  match(ruleId: string, line: number): Suppression | undefined {
    const hit = (s: Suppression) => s.ruleIds.length === 0 || s.ruleIds.includes(ruleId) || s.ruleIds.includes('all');
    const s = this.fileLevel.find(hit) ?? this.byLine.get(line)?.find(hit);
    if (s) this.used.add(s);
    return s;
  }
}
