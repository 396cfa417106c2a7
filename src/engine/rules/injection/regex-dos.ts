import { ts } from 'ts-morph';
import { RegExpParser } from '@eslint-community/regexpp';
import { analyse } from 'scslre';
import { ALL_LANGUAGES, defineRule, sameVisitor, type RuleContext } from '../../model/rule';
import type { TaintTrace } from '../../taint/taint';
import { calleeName, calleeObject, literalText, unwrap } from '../../util/ast';
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

/** scslre (the analysis behind eslint-plugin-regexp's no-super-linear-backtracking) on one regex. */
function superLinear(source: string, flags: string): Verdict | undefined {
  const key = `/${source}/${flags}`;
  if (cache.has(key)) return cache.get(key) ?? undefined;
  let v: Verdict | null = null;
  if (source.length <= MAX_SOURCE && mayBacktrack(source)) {
    try {
      const literal = `/${source.replace(/(^|[^\\])\//g, '$1\\/')}/${flags.replace(/[^dgimsuyv]/g, '')}`;
      const ast = new RegExpParser({ ecmaVersion: 2024 }).parseLiteral(literal);
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
    notReported: 'Linear regexes; patterns built from request text passed through an escaper (`escapeRegExp`, `escape-string-regexp`); regexes inside MongoDB filters (reported by `nosql-injection`); super-linear regexes run only on the app\'s own data (low); polynomial regexes run on values of unknown origin.',
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
      const pattern = `/${re.source.length > 40 ? re.source.slice(0, 39) + '…' : re.source}/`;
      const how = v.kind === 'exponential' ? 'exponential' : 'polynomial (quadratic or worse)';
      const sameLine = re.node.getSourceFile() === ctx.sourceFile && onOneLine(ctx.text, re.node.getStart(ctx.sourceFile), at.getStart(ctx.sourceFile));
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
      ctx.report({
        node: arg, confidence: 'high',
        message: `The pattern of this regular expression comes from the request (\`${t.label}\`): a client can send one that backtracks for minutes (\`(a+)+$\`) and stall the server, or one that matches everything. Escape the text first (\`escape-string-regexp\`, \`_.escapeRegExp\`), or search with \`includes\`.`,
        related: [{ node: t.source, message: `Request data enters here (${t.label}).` }],
      });
    };
    return { calls: sameVisitor(CALL_NAMES, (node) => (calleeName(node) === 'RegExp' ? regexInjection(node) : onCall(node))) };
  },
});
