/**
 * Line and column of positions in a parsed file, as `sf.getLineAndCharacterOfPosition` gives them (TypeScript's line
 * starts of the file: `\r\n`, `\r`, `\n`, U+2028 and U+2029 end a line), by a plain binary search: TypeScript's goes
 * through generic callbacks, and the module facts ask for a line at every function, options object and route of
 * every file (test/unit/model-lines.test.ts compares both at every node of every fixture).
 */
import { ts } from 'ts-morph';

export class FileLines {
  private readonly starts: readonly number[];

  constructor(sf: ts.SourceFile) {
    // TypeScript's own when it has them; else made here, without keeping them on the tree (TypeScript makes them
    // reading the text a character at a time, where most files have only `\n` to find: `indexOf` finds those)
    this.starts = (sf as { lineMap?: readonly number[] }).lineMap ?? lineStarts(sf.text);
  }

  /** the 0-based line of a position (`getLineAndCharacterOfPosition(pos).line`) */
  line(pos: number): number {
    const starts = this.starts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= pos) lo = mid; else hi = mid - 1;
    }
    return lo;
  }

  /** the 0-based column of a position on its 0-based line (`getLineAndCharacterOfPosition(pos).character`) */
  character(pos: number, line: number): number {
    return pos - this.starts[line];
  }
}

/** The positions where lines start, as TypeScript's `computeLineStarts` gives them. */
export function lineStarts(text: string): number[] {
  const starts = [0];
  if (text.indexOf('\r') < 0 && text.indexOf('\u2028') < 0 && text.indexOf('\u2029') < 0) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    return starts;
  }
  for (let pos = 0; pos < text.length;) {
    const ch = text.charCodeAt(pos++);
    if (ch === 13) {
      if (text.charCodeAt(pos) === 10) pos++;
      starts.push(pos);
    } else if (ch === 10 || ch === 0x2028 || ch === 0x2029) starts.push(pos);
  }
  return starts;
}

/** /\s/ for one character outside ASCII (the few spaces and line ends there) */
const SPACE = /\s/;

/**
 * `text.slice(start, end)` with each run of whitespace read as one space, cut to 77 characters and `…` when that is
 * longer than 80: what the facts keep of an argument or a member chain as written. Reads only as far as the cut
 * (an argument can be a route handler of hundreds of lines), where replacing every run in the whole slice made a
 * copy of it.
 */
export function shortText(text: string, start: number, end: number): string {
  let out = '';
  let seg = start;
  let i = start;
  while (i < end && out.length + (i - seg) <= 80) {
    if (isSpace(text, i)) {
      out += `${text.slice(seg, i)} `;
      i++;
      while (i < end && isSpace(text, i)) i++;
      seg = i;
    } else i++;
  }
  out += text.slice(seg, i);
  return out.length > 80 ? `${out.slice(0, 77)}…` : out;
}

function isSpace(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c < 128) return c === 32 || (c >= 9 && c <= 13);
  return SPACE.test(text[i]);
}
