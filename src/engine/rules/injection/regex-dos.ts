import { ts } from 'ts-morph';
import { RegExpParser } from '@eslint-community/regexpp';
import { analyse } from 'scslre';
import { ALL_LANGUAGES, defineRule, sameVisitor, type RuleContext } from '../../model/rule';
import type { TaintTrace } from '../../taint/taint';
import { calleeName, calleeObject, literalText, memberChain, unwrap } from '../../util/ast';
import { resolveValue } from '../../util/web';
import { ownCopy } from '../../util/text';

/** String methods that run a regex given as their first argument over the receiver. */
const STRING_METHODS = new Set(['match', 'matchAll', 'replace', 'replaceAll', 'split', 'search']);
/** RegExp methods that run the receiver over their first argument. */
const REGEX_METHODS = new Set(['test', 'exec']);
/** every name the rule's call visitor is asked for: the methods above and `RegExp(…)` */
const CALL_NAMES = [...STRING_METHODS, ...REGEX_METHODS, 'RegExp'];
/** Helpers that escape text for use in a RegExp: the pattern is then a literal string. */
const ESCAPERS = /^(escapeRegExp|escapeRegex|escapeRegexp|escapeStringRegexp|escapeStringRegExp|regexEscape|escapeRe|quotemeta|escapeForRegex|escapeRegExpChars|escapeRegExpString|_\.escapeRegExp|lodash\.escapeRegExp|RegExp\.escape)$/i;
/** Longest source worth analysing: the checker works on an automaton, and huge generated patterns are not hand-written. */
const MAX_SOURCE = 2000;

/**
 * Whether two offsets of a text are on one line as TypeScript counts lines (getLineAndCharacterOfPosition: a line
 * ends at LF, CR, CRLF, U+2028 or U+2029), read from the text between them instead of the file's table of lines.
 */
export function onOneLine(text: string, a: number, b: number): boolean {
  const lo = Math.min(a, b), hi = Math.max(a, b);
  for (let i = lo; i < hi; i++) {
    const c = text.charCodeAt(i);
    // (the CR of a CRLF is not where the line ends: its LF is)
    if (c === 10 || c === 0x2028 || c === 0x2029 || (c === 13 && text.charCodeAt(i + 1) !== 10)) return false;
  }
  return true;
}

interface Verdict { kind: 'exponential' | 'polynomial'; attack?: string }

const cache = new Map<string, Verdict | null>();

/**
 * Whether a pattern's source can hold an unbounded quantifier (`*`, `+`, `{n,}`). Every report of the analysis is
 * about such a quantifier (scslre looks only at quantifiers whose maximum is infinite), so a source without one is
 * linear and needs no parse. Escaped `\*` or `[+]` also answer true: they are only analysed for nothing.
 */
export function mayBacktrack(source: string): boolean {
  return source.includes('*') || source.includes('+') || /\{\d+,\}/.test(source);
}

/** Characters of a pattern's atom, for telling two atoms apart: ASCII as bits, the rest as one flag (maybe some). */
interface Chars { ascii: Uint32Array; other: boolean }
const charsOf = (codes: number[], other: boolean): Chars => {
  const ascii = new Uint32Array(4);
  for (const c of codes) ascii[c >>> 5] |= 1 << (c & 31);
  return { ascii, other };
};
const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i);
const DIGITS = range(48, 57);
const WORD = [...DIGITS, ...range(65, 90), ...range(97, 122), 95];
const SPACES = [...range(9, 13), 32];
const complement = (codes: number[]) => range(0, 127).filter((c) => !codes.includes(c));
const CLASS_ESCAPES: Record<string, Chars> = {
  d: charsOf(DIGITS, false), D: charsOf(complement(DIGITS), true), w: charsOf(WORD, false), W: charsOf(complement(WORD), true),
  s: charsOf(SPACES, true), S: charsOf(complement(SPACES), true),
};
const CONTROL_ESCAPES: Record<string, number> = { n: 10, r: 13, t: 9, f: 12, v: 11 };
function union(a: Chars, b: Chars): Chars {
  const ascii = new Uint32Array(4);
  for (let i = 0; i < 4; i++) ascii[i] = a.ascii[i] | b.ascii[i];
  return { ascii, other: a.other || b.other };
}
function disjoint(a: Chars | undefined, b: Chars | undefined): boolean {
  if (!a || !b || (a.other && b.other)) return false;
  for (let i = 0; i < 4; i++) if (a.ascii[i] & b.ascii[i]) return false;
  return true;
}
/** with the `i` flag: each ASCII letter with its other case (outside the `u` and `v` modes, case folding keeps ASCII to ASCII) */
function bothCases(c: Chars): Chars {
  const ascii = c.ascii.slice();
  for (let code = 65; code <= 90; code++) {
    const lower = code + 32;
    if (c.ascii[code >>> 5] & (1 << (code & 31)) || c.ascii[lower >>> 5] & (1 << (lower & 31))) {
      ascii[code >>> 5] |= 1 << (code & 31);
      ascii[lower >>> 5] |= 1 << (lower & 31);
    }
  }
  return { ascii, other: c.other };
}

/**
 * One escape at `source[i]` (the character after a backslash) outside or inside a class: its characters, how many
 * characters of the source it takes, and whether it is an assertion (`\b`, `\B`); undefined for a back-reference or
 * an escape read here as something else than one character or class (the caller gives up).
 */
function escapeAt(source: string, i: number, inClass: boolean): { chars: Chars; length: number } | 'assertion' | undefined {
  const e = source[i];
  if (e === undefined) return undefined;
  if (CLASS_ESCAPES[e]) return { chars: CLASS_ESCAPES[e], length: 1 };
  if (e === 'b' || e === 'B') return inClass ? (e === 'b' ? { chars: charsOf([8], false), length: 1 } : undefined) : 'assertion';
  if (CONTROL_ESCAPES[e] !== undefined) return { chars: charsOf([CONTROL_ESCAPES[e]], false), length: 1 };
  if (e === 'x' && /^[0-9a-fA-F]{2}$/.test(source.slice(i + 1, i + 3))) return { chars: code(parseInt(source.slice(i + 1, i + 3), 16)), length: 3 };
  if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(source.slice(i + 1, i + 5))) return { chars: code(parseInt(source.slice(i + 1, i + 5), 16)), length: 5 };
  // back-references, octal and `\0`, control letters, named references, property escapes: not read here
  if (/[0-9cpPkKuxq]/.test(e)) return undefined;
  // an identity escape: the character itself
  return { chars: code(e.charCodeAt(0)), length: 1 };
}
const code = (c: number): Chars => (c < 128 ? charsOf([c], false) : charsOf([], true));

/** A class `[…]` from `source[i]` (just after its `[`): its characters (undefined when not read here) and where it ends. */
function classAt(source: string, i: number): { chars: Chars | undefined; end: number } | undefined {
  const negated = source[i] === '^';
  if (negated) i++;
  let chars: Chars | undefined = charsOf([], false);
  for (; i < source.length && source[i] !== ']'; ) {
    let item: Chars | undefined;
    let single: number | undefined;
    if (source[i] === '\\') {
      const e = escapeAt(source, i + 1, true);
      if (e === undefined || e === 'assertion') return undefined;
      item = e.chars;
      i += 1 + e.length;
    } else {
      single = source.charCodeAt(i);
      item = code(single);
      i++;
    }
    // a range `a-z` (both ends single characters; otherwise the `-` is a character of its own)
    if (single !== undefined && source[i] === '-' && source[i + 1] !== undefined && source[i + 1] !== ']') {
      if (source[i + 1] === '\\') return undefined; // (a range to an escape: not read here)
      const to = source.charCodeAt(i + 1);
      if (to < single) return undefined;
      item = to < 128 ? charsOf(range(single, to), false) : charsOf(single < 128 ? range(single, 127) : [], true);
      i += 2;
    }
    chars = chars && item ? union(chars, item) : undefined;
  }
  if (source[i] !== ']') return undefined;
  if (negated) chars = chars && charsOf(range(0, 127).filter((c) => !(chars!.ascii[c >>> 5] & (1 << (c & 31)))), true);
  return { chars, end: i + 1 };
}

/**
 * Whether scslre (superLinear) reports nothing on a pattern, told from its shape without parsing it: regexpp, scslre and
 * refa are a third of the CLI's code, loaded the first time a pattern is analysed, and most apps' patterns are of
 * shapes the analysis can only pass. True only for patterns (without the `u`, `v` or `m` flags) where:
 * - every unbounded quantifier (`*`, `+`, `{n,}`) is on one character, class or `.`, not in a group that can be taken
 *   more than once (a group with `?` or `{1}` can): the analysis reports a quantifier against itself (Self) only through an enclosing one, and against
 *   another (Trade) only when the characters the first one takes can start the second: any two such atoms must then
 *   have no character in common (both outside lookarounds);
 * - each top-level alternative starts with `^`, or with two plain characters (neither quantified) that have no
 *   character in common, or is one quantified atom alone: the analysis looks for a prefix a match can skip (Move)
 *   from each alternative's start while the characters read so far can all be one same character, which `^` or
 *   two different characters end before any quantifier, and after a quantified atom that nothing follows finds nothing.
 * Every other pattern is analysed (regex-dos-gate.test.ts compares this with the analysis on every pattern of the
 * fixtures, the test projects, the sources and the bench apps, and on hand-written edge cases).
 */
export function linearByShape(source: string, flags: string): boolean {
  if (/[uvm]/.test(flags)) return false;
  const caseless = flags.includes('i');
  /** one element of an alternative at the top level, for the Move test */
  type Top = { kind: 'char' | 'start' | 'group' | 'other'; chars?: Chars; quantified: boolean };
  const alternatives: Top[][] = [[]];
  /** the atoms with an unbounded quantifier, and whether they are in a lookaround */
  const unbounded: { chars: Chars | undefined; look: boolean }[] = [];
  /** open groups: whether each holds an unbounded quantifier, and whether it is a lookaround */
  const groups: { unbounded: boolean; look: boolean }[] = [];
  let looks = 0;
  /** the element a quantifier would apply to: an atom (its characters), a group just closed, or an assertion */
  let last: { kind: 'atom'; chars: Chars | undefined; top?: Top } | { kind: 'group'; unbounded: boolean; top?: Top } | { kind: 'assertion' } | undefined;
  for (let i = 0; i < source.length; ) {
    const c = source[i];
    // a quantifier
    const q = /^(?:[*+?]|\{(\d+)(,(\d*))?\})/.exec(source.slice(i, i + 24));
    if (q) {
      if (!last || last.kind === 'assertion') return false;
      const max = q[0] === '*' || q[0] === '+' || (q[2] !== undefined && q[3] === '') ? Infinity : q[0] === '?' ? 1 : q[2] === undefined ? Number(q[1]) : Number(q[3]);
      // (an optional group, or one taken once, holding an unbounded quantifier: no path comes back to that quantifier)
      if (last.kind === 'group') { if (max === Infinity || (last.unbounded && max !== 1)) return false; }
      else if (max === Infinity) {
        unbounded.push({ chars: last.chars && caseless ? bothCases(last.chars) : last.chars, look: looks > 0 });
        for (const g of groups) g.unbounded = true;
      }
      if (last.top) last.top.quantified = true;
      i += q[0].length;
      if (source[i] === '?') i++; // lazy
      last = undefined;
      continue;
    }
    if (c === '{') return false; // (a brace that is not a quantifier: not read here)
    const top = groups.length === 0;
    const push = (t: Top) => { if (top) alternatives[alternatives.length - 1].push(t); return top ? t : undefined; };
    if (c === '|') {
      if (top) alternatives.push([]);
      last = undefined;
      i++;
    } else if (c === '(') {
      const look = /^\(\?<?[=!]/.test(source.slice(i, i + 4));
      if (source[i + 1] === '?' && !look && source[i + 2] !== ':' && source[i + 2] !== '<') return false;
      push({ kind: 'group', quantified: false });
      groups.push({ unbounded: false, look });
      if (look) looks++;
      i += look ? (source[i + 2] === '<' ? 4 : 3) : source[i + 1] !== '?' ? 1 : source[i + 2] === ':' ? 3 : (() => { const end = source.indexOf('>', i); return end < 0 ? source.length : end - i + 1; })();
      if (i > source.length) return false;
      last = undefined;
    } else if (c === ')') {
      const g = groups.pop();
      if (!g) return false;
      if (g.look) looks--;
      if (g.unbounded && groups.length) groups[groups.length - 1].unbounded = true;
      const t = groups.length === 0 ? alternatives[alternatives.length - 1][alternatives[alternatives.length - 1].length - 1] : undefined;
      last = { kind: 'group', unbounded: g.unbounded, top: t };
      i++;
    } else if (c === '^' || c === '$') {
      push({ kind: c === '^' ? 'start' : 'other', quantified: false });
      last = { kind: 'assertion' };
      i++;
    } else if (c === '\\') {
      const e = escapeAt(source, i + 1, false);
      if (e === undefined) return false;
      if (e === 'assertion') { push({ kind: 'other', quantified: false }); last = { kind: 'assertion' }; i += 2; continue; }
      const t = push({ kind: 'char', chars: caseless ? bothCases(e.chars) : e.chars, quantified: false });
      last = { kind: 'atom', chars: e.chars, top: t };
      i += 1 + e.length;
    } else if (c === '[') {
      const k = classAt(source, i + 1);
      if (!k) return false;
      const t = push({ kind: 'other', quantified: false });
      last = { kind: 'atom', chars: k.chars, top: t };
      i = k.end;
    } else if (c === '.') {
      const t = push({ kind: 'other', quantified: false });
      last = { kind: 'atom', chars: charsOf(range(0, 127).filter((x) => flags.includes('s') || (x !== 10 && x !== 13)), true), top: t };
      i++;
    } else {
      const chars = code(source.charCodeAt(i));
      const t = push({ kind: 'char', chars: caseless ? bothCases(chars) : chars, quantified: false });
      last = { kind: 'atom', chars, top: t };
      i++;
    }
  }
  if (groups.length) return false;
  // Trade: any two atoms with an unbounded quantifier take no character in common
  if (unbounded.length > 1) {
    if (unbounded.some((u) => u.look)) return false;
    for (let a = 0; a < unbounded.length; a++) {
      for (let b = a + 1; b < unbounded.length; b++) if (!disjoint(unbounded[a].chars, unbounded[b].chars)) return false;
    }
  }
  // Move: each alternative's start
  for (const alt of alternatives) {
    if (!alt.length) continue;
    if (alt[0].kind === 'start') continue;
    if (alt.length >= 2 && alt[0].kind === 'char' && alt[1].kind === 'char' && !alt[0].quantified && !alt[1].quantified && disjoint(alt[0].chars, alt[1].chars)) continue;
    if (alt.length === 1 && alt[0].quantified && alt[0].kind !== 'group') continue;
    return false;
  }
  return true;
}

/** A regex as a literal for regexpp: `/` in the source escaped, flags it does not know dropped. */
function regexLiteral(source: string, flags: string): string {
  return `/${source.replace(/(^|[^\\])\//g, '$1\\/')}/${flags.replace(/[^dgimsuyv]/g, '')}`;
}

/** scslre (the analysis behind eslint-plugin-regexp's no-super-linear-backtracking) on one regex. */
function superLinear(source: string, flags: string): Verdict | undefined {
  const key = `/${source}/${flags}`;
  if (cache.has(key)) return cache.get(key) ?? undefined;
  let v: Verdict | null = null;
  // with the `s` flag a `.*$` tail cannot fail (prefixBeforeDotTail): the prefix answers for the whole regex
  const dotAllPrefix = flags.includes('s') ? prefixBeforeDotTail(source, flags) : undefined;
  if (dotAllPrefix !== undefined) v = superLinear(dotAllPrefix, flags) ?? null;
  else if (source.length <= MAX_SOURCE && mayBacktrack(source) && !linearByShape(source, flags)) {
    try {
      const ast = new RegExpParser({ ecmaVersion: 2024 }).parseLiteral(regexLiteral(source, flags));
      const reports = analyse(ast, { reportTypes: { Move: true, Self: true, Trade: true } }).reports;
      // `Move` reports need a prefix that a match can skip over; in a `test`/`match` of one value they cost
      // the same quadratic time, so every report counts
      if (reports.length) {
        const exp = reports.find((r) => r.exponential);
        const r = exp ?? reports[0];
        let attack: string | undefined;
        try { attack = r.character.literal.source; } catch { attack = undefined; }
        v = { kind: exp ? 'exponential' : 'polynomial', attack };
      }
    } catch {
      v = null; // a syntax the parser does not know: say nothing
    }
  }
  if (cache.size > 5000) cache.clear();
  cache.set(ownCopy(key), v);
  return v ?? undefined;
}

/**
 * For a regex that ends in `.*$` or `.+$` (the dot alone, or in a group of its own), the source before that tail:
 * `^Bearer\s+` of `/^Bearer\s+(.+)$/`. Past any match of that prefix, such a tail fails only at a line break (or on
 * an empty rest, for `+`, which one step back mends): so on a subject without line breaks, and on any subject with
 * the `s` flag, the regex backtracks no more than its prefix alone does. Undefined for other shapes.
 */
function prefixBeforeDotTail(source: string, flags: string): string | undefined {
  if (!source.endsWith('$') || source.length > MAX_SOURCE) return undefined;
  const key = `/${source}/${flags}`;
  if (tails.has(key)) return tails.get(key) ?? undefined;
  let prefix: string | null = null;
  try {
    const literal = regexLiteral(source, flags);
    const ast = new RegExpParser({ ecmaVersion: 2024 }).parseLiteral(literal);
    const alts = ast.pattern.alternatives;
    const els = alts.length === 1 ? alts[0].elements : [];
    const end = els[els.length - 1];
    let tail = els[els.length - 2];
    if (tail && (tail.type === 'Group' || tail.type === 'CapturingGroup') && tail.alternatives.length === 1 && tail.alternatives[0].elements.length === 1) {
      tail = tail.alternatives[0].elements[0];
    }
    const before = els.length >= 2 ? els[els.length - 2] : undefined;
    if (end?.type === 'Assertion' && end.kind === 'end' && tail?.type === 'Quantifier' && tail.max === Infinity &&
        tail.element.type === 'CharacterSet' && tail.element.kind === 'any' && before && !/\\\d|\\k</.test(literal.slice(1, before.start))) {
      prefix = literal.slice(1, before.start);
    }
  } catch {
    prefix = null;
  }
  if (tails.size > 5000) tails.clear();
  tails.set(ownCopy(key), prefix);
  return prefix ?? undefined;
}
const tails = new Map<string, string | null>();

/**
 * Whether an expression reads a request header's value (`req.headers.authorization`, `req.headers['x-id']`,
 * `req.get('Authorization')`, `request.headers.get('authorization')`, `c.req.header('authorization')`): HTTP forbids
 * line breaks in a header's value, and Node's parser and the fetch API's Headers refuse them.
 */
function readsHeader(e: ts.Expression): boolean {
  if (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) {
    const obj = unwrap(e.expression);
    return ts.isPropertyAccessExpression(obj) && obj.name.text === 'headers';
  }
  if (ts.isCallExpression(e) && e.arguments.length === 1 && ts.isStringLiteralLike(unwrap(e.arguments[0]))) {
    const name = calleeName(e);
    const recv = calleeObject(e);
    return (name === 'get' || name === 'header') && !!recv && (
      ts.isPropertyAccessExpression(unwrap(recv)) && (unwrap(recv) as ts.PropertyAccessExpression).name.text === 'headers' ||
      ts.isIdentifier(unwrap(recv)) && /^(req|request)$/.test((unwrap(recv) as ts.Identifier).text) ||
      ts.isPropertyAccessExpression(unwrap(recv)) && (unwrap(recv) as ts.PropertyAccessExpression).name.text === 'req');
  }
  return false;
}

/** String methods that cannot add a line break: a header's value stays without one through them. */
const KEEPS_LINES = new Set(['toString', 'trim', 'trimStart', 'trimEnd', 'toLowerCase', 'toUpperCase', 'valueOf']);

/**
 * Whether a regex's subject is a request header's value as read, with nothing on the way that could decode a line
 * break into it (`decodeURIComponent`, base64): through local variables, `?.toString()`, `.trim()`, `|| ''`, and the
 * calls that passed it to a parameter (the trace's hops, last first).
 */
function plainHeaderValue(ctx: RuleContext, subject: ts.Expression, t: TaintTrace): boolean {
  const hops = [...(t.after ?? [])];
  let e: ts.Expression | undefined = subject;
  for (let i = 0; e && i < 20; i++) {
    const u = unwrap(e);
    if (readsHeader(u)) return true;
    if (ts.isBinaryExpression(u) && (u.operatorToken.kind === ts.SyntaxKind.BarBarToken || u.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken) &&
        ts.isStringLiteralLike(unwrap(u.right))) { e = u.left; continue; }
    if (ts.isCallExpression(u)) {
      const name = calleeName(u);
      const recv = calleeObject(u);
      if (recv && name && KEEPS_LINES.has(name) && !u.arguments.length) { e = recv; continue; }
      if (ts.isIdentifier(u.expression) && u.expression.text === 'String' && u.arguments.length === 1) { e = u.arguments[0]; continue; }
      return false;
    }
    if (ts.isIdentifier(u)) {
      const d = ctx.taint.scopes.resolve(u);
      if (d && ts.isVariableDeclaration(d) && ts.isIdentifier(d.name) && d.initializer) { e = d.initializer; continue; }
      // a parameter: the argument of the call that passed the value in (hops in other files are not followed)
      if (d && ts.isParameter(d)) {
        const hop = hops.pop();
        e = hop && hop.node.getSourceFile() === ctx.sourceFile ? hop.node as ts.Expression : undefined;
        continue;
      }
    }
    return false;
  }
  return false;
}

/**
 * The page's own address, as the browser sources of the taint analysis read it. A regex on it runs in the visitor's
 * tab, not on a server, and an address's length is bounded (browsers and servers cut URLs at a few dozen KB).
 */
const PAGE_ADDRESS = new Set(['location.hash', 'location.search', 'location.href', 'location.pathname',
  'window.location.hash', 'window.location.search', 'window.location.href', 'window.location.pathname',
  'document.location.hash', 'document.location.search', 'document.location.href', 'document.location.pathname',
  'document.URL', 'document.documentURI']);

function isPageAddress(source: ts.Node): boolean {
  if (!ts.isPropertyAccessExpression(source) && !ts.isElementAccessExpression(source)) return false;
  const chain = memberChain(source);
  return !!chain && PAGE_ADDRESS.has(chain.join('.'));
}

/** The regex a value stands for: a literal, `new RegExp('const', 'flags')`, or a constant holding one. */
function regexOf(ctx: RuleContext, expr: ts.Expression): { node: ts.Node; source: string; flags: string } | undefined {
  const e = resolveValue(ctx, expr);
  if (ts.isRegularExpressionLiteral(e)) {
    const t = e.text;
    const end = t.lastIndexOf('/');
    return { node: e, source: t.slice(1, end), flags: t.slice(end + 1) };
  }
  if ((ts.isNewExpression(e) || ts.isCallExpression(e)) && ts.isIdentifier(unwrap(e.expression)) && (unwrap(e.expression) as ts.Identifier).text === 'RegExp') {
    const src = e.arguments?.[0] && literalText(e.arguments[0]);
    if (src === undefined) return undefined;
    return { node: e, source: src, flags: (e.arguments?.[1] && literalText(e.arguments[1])) ?? '' };
  }
  return undefined;
}

export default defineRule({
  meta: {
    id: 'regex-dos',
    title: 'Regular expression that can stall the server (ReDoS), or built from request data',
    category: 'injection',
    severity: 'warning',
    confidence: 'medium',
    cwe: [1333, 400],
    owasp: 'A05:2021 Security Misconfiguration',
    description: 'Checks the app\'s own regexes with scslre (the analysis behind eslint-plugin-regexp\'s `no-super-linear-backtracking`) where they run on request data (`re.test(req.body.email)`, `req.query.q.match(re)`, `.replace`, `.split`): a pattern with exponential or polynomial backtracking is reported at medium confidence (high for exponential). Also finds `new RegExp(…)` built from request data without escaping (regex injection, high). Super-linear regexes that no request data is seen to reach are low.',
    notReported: 'Linear regexes; patterns built from request text passed through an escaper (`escapeRegExp`, `escape-string-regexp`); regexes inside MongoDB filters (reported by `nosql-injection`); super-linear regexes run only on the app\'s own data (low); super-linear regexes in browser code on the page\'s own address (`window.location.pathname`, `location.hash`, `document.URL`), which can hang only the visitor\'s tab (low); polynomial regexes run on values of unknown origin; patterns whose only backtracking is before a `.*$` or `.+$` tail that needs a line break to fail (`/^Bearer\\s+(.+)$/`), on a request header\'s value as read (not decoded), which cannot hold one, or with the `s` flag.',
    why: 'JavaScript runs on one thread and its regex engine backtracks: a pattern like `^(\\w+\\s?)*$` takes seconds or years on a crafted string of a few dozen characters, and while it runs the server answers no one. When the pattern itself comes from the request, a client can send such a pattern directly, or one that matches everything.',
    fix: 'Rewrite the regex so no two parts can match the same characters (`^\\w+(\\s\\w+)*$` instead of `^(\\w+\\s?)*$`), limit the input length before matching, or use a linear-time engine (RE2 via the `re2` package). Escape request text before putting it in a RegExp (`escape-string-regexp`), or search with `includes`.',
    bad: `const SLUG = /^([a-z0-9]+-?)*$/;

app.post('/api/projects', (req, res) => {
  if (!SLUG.test(req.body.slug)) return res.status(400).json({ error: 'Invalid slug' });
  res.json(createProject(req.body.slug));
});`,
    good: `const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;

app.post('/api/projects', (req, res) => {
  if (!SLUG.test(req.body.slug)) return res.status(400).json({ error: 'Invalid slug' });
  res.json(createProject(req.body.slug));
});`,
    fixSafety: 'none',
    languages: ALL_LANGUAGES,
    defaultEnabled: true,
    tags: ['redos', 'regex', 'denial-of-service'],
  },
  create(ctx) {
    const reported = new Set<ts.Node>();
    const subjectTaint = (e: ts.Expression): TaintTrace | undefined => ctx.taint.taintOf(e);
    const check = (re: ReturnType<typeof regexOf>, subject: ts.Expression | undefined, at: ts.Node) => {
      if (!re || reported.has(at)) return;
      const v = superLinear(re.source, re.flags);
      if (!v) return;
      const t = subject ? subjectTaint(subject) : undefined;
      // `/^Bearer\s+(.+)$/` on a header's value: its backtracking needs a line break, which a header cannot hold (the
      // regex's shape first, kept by pattern; the subject's path after)
      if (t && subject && !re.flags.includes('m')) {
        const prefix = prefixBeforeDotTail(re.source, re.flags);
        if (prefix !== undefined && !superLinear(prefix, re.flags) && plainHeaderValue(ctx, subject, t)) return;
      }
      const pattern = `/${re.source.length > 40 ? re.source.slice(0, 39) + '…' : re.source}/`;
      const how = v.kind === 'exponential' ? 'exponential' : 'polynomial (quadratic or worse)';
      const sameLine = re.node.getSourceFile() === ctx.sourceFile && onOneLine(ctx.text, re.node.getStart(ctx.sourceFile), at.getStart(ctx.sourceFile));
      // `window.location.pathname.replace(/[^/]+$/, '')`: browser code on the page's own address. A crafted link can
      // hang at worst the visitor's own tab, on a value of bounded length: low, and nothing about a server
      if (t && isPageAddress(t.source)) {
        reported.add(at);
        ctx.report({
          node: at, confidence: 'low',
          message: `\`${pattern}\` backtracks in ${how} time on some inputs${v.attack ? ` (long runs of \`${v.attack.slice(0, 20)}\`)` : ''}, and here it runs in the browser on the page's own address (\`${t.label}\`): a crafted link could slow down at worst the visitor's own tab, and an address's length is bounded. Rewrite the pattern so its parts cannot match the same characters if the value can be long.`,
          related: [{ node: t.source, message: `The page's address is read here (${t.label}).` }],
        });
        return;
      }
      if (t) {
        reported.add(at);
        ctx.report({
          node: at, confidence: v.kind === 'exponential' ? 'high' : 'medium',
          message: `\`${pattern}\` backtracks in ${how} time on some inputs${v.attack ? ` (long runs of \`${v.attack.slice(0, 20)}\`)` : ''}, and here it runs on request data (\`${t.label}\`): one crafted value can keep the server busy for seconds or longer, answering no one. Rewrite the pattern so its parts cannot match the same characters, limit the input length first, or use RE2.`,
          related: [
            { node: t.source, message: `Request data enters here (${t.label}).` },
            ...(sameLine || re.node.getSourceFile() !== ctx.sourceFile ? [] : [{ node: re.node, message: 'The regular expression.' }]),
          ],
        });
        return;
      }
      if (v.kind !== 'exponential') return;
      reported.add(at);
      ctx.report({
        node: at, confidence: 'low',
        message: `\`${pattern}\` backtracks in exponential time on some inputs${v.attack ? ` (long runs of \`${v.attack.slice(0, 20)}\`)` : ''}: if it ever runs on user input, a short crafted string stalls the server. Rewrite it so no two parts can match the same characters.`,
      });
    };
    const onCall = (call: ts.CallExpression | ts.NewExpression) => {
      if (!ts.isCallExpression(call)) return;
      const name = calleeName(call)!;
      const recv = calleeObject(call);
      if (!recv) return;
      if (REGEX_METHODS.has(name)) {
        const re = regexOf(ctx, recv);
        if (re) check(re, call.arguments[0], call);
        return;
      }
      if (STRING_METHODS.has(name) && call.arguments[0]) {
        const re = regexOf(ctx, call.arguments[0]);
        if (re) check(re, recv, call);
      }
    };
    const regexInjection = (node: ts.CallExpression | ts.NewExpression) => {
      const callee = unwrap(node.expression);
      if (!ts.isIdentifier(callee) || callee.text !== 'RegExp' || ctx.taint.scopes.resolve(callee)) return;
      const arg = node.arguments?.[0];
      if (!arg) return;
      // inside a MongoDB filter (`{ name: new RegExp(q) }`, `$regex`): the database runs it; nosql-injection reports it
      let p: ts.Node = node.parent;
      while (p && (ts.isParenthesizedExpression(p) || ts.isAsExpression(p))) p = p.parent;
      if (p && (ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p))) return;
      if (p && ts.isVariableDeclaration(p) && ts.isIdentifier(p.name) && /filter|query|where|criteria|match|condition|selector/i.test(p.name.text)) return;
      const escaped = (e: ts.Expression): boolean => {
        const u = unwrap(e);
        if (ts.isCallExpression(u)) {
          const n = calleeName(u) ?? '';
          const full = u.expression.getText(ctx.sourceFile);
          if (ESCAPERS.test(n) || ESCAPERS.test(full)) return true;
          // a hand-written escaper: `.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')`
          if ((n === 'replace' || n === 'replaceAll') && u.arguments.length === 2) {
            const re = u.arguments[0].getText(ctx.sourceFile);
            const by = u.arguments[1].getText(ctx.sourceFile);
            if (by.includes('$&') && re.includes('*') && re.includes('+') && re.includes('?')) return true;
          }
        }
        if (ts.isIdentifier(u)) {
          const v = resolveValue(ctx, u);
          return v !== u && escaped(v);
        }
        if (ts.isTemplateExpression(u)) return u.templateSpans.every((s) => escaped(s.expression) || !ctx.taint.taintOf(s.expression));
        if (ts.isBinaryExpression(u) && u.operatorToken.kind === ts.SyntaxKind.PlusToken) return (escaped(u.left) || !ctx.taint.taintOf(u.left)) && (escaped(u.right) || !ctx.taint.taintOf(u.right));
        return false;
      };
      if (escaped(arg)) return;
      const t = ctx.taint.taintOf(arg);
      if (!t) return;
      // `try { new RegExp(pattern) } catch { … }`: built and dropped, only to check that the pattern compiles; compiling
      // does not backtrack, matching does, and that happens elsewhere if anywhere
      if (p && ts.isExpressionStatement(p)) {
        ctx.report({
          node: arg, confidence: 'low',
          message: `This checks that a pattern from the request (\`${t.label}\`) compiles, and drops the result: compiling a regex does not backtrack, matching does. If the app later matches with this pattern, a client can send one that backtracks for minutes (\`(a+)+$\`): limit what patterns are accepted there, or run them with a time limit (RE2).`,
          related: [{ node: t.source, message: `Request data enters here (${t.label}).` }],
        });
        return;
      }
      ctx.report({
        node: arg, confidence: 'high',
        message: `The pattern of this regular expression comes from the request (\`${t.label}\`): a client can send one that backtracks for minutes (\`(a+)+$\`) and stall the server, or one that matches everything. Escape the text first (\`escape-string-regexp\`, \`_.escapeRegExp\`), or search with \`includes\`.`,
        related: [{ node: t.source, message: `Request data enters here (${t.label}).` }],
      });
    };
    return { calls: sameVisitor(CALL_NAMES, (node) => (calleeName(node) === 'RegExp' ? regexInjection(node) : onCall(node))) };
  },
});
