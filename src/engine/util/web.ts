/**
 * Helpers shared by the XSS and web rules (dom-xss, react-dangerous-html, reflected-xss, open-redirect, ssrf):
 * splitting a string-building expression into ordered static/dynamic parts, judging those parts with the
 * taint analyzer, and deciding whether the leading text of a URL pins its origin.
 */
import { ts } from 'ts-morph';
import type { RuleContext } from '../model/rule';
import { textPrefilter } from './text-words';
import type { SinkKind, TaintTrace } from '../taint/taint';
import { calleeName, calleeObject, enclosingFunction, isFunctionLike, memberChain, nameWords, unwrap } from './ast';
import { returnExpressions } from '../taint/taint';

export type Part = { text: string } | { expr: ts.Expression };

/** Static text of a part list, with `\u0000` standing for each dynamic part. */
export function staticText(parts: Part[]): string {
  return parts.map((p) => ('text' in p ? p.text : '\u0000')).join('');
}

export function dynamicParts(parts: Part[]): ts.Expression[] {
  const out: ts.Expression[] = [];
  for (const p of parts) if ('expr' in p) out.push(p.expr);
  return out;
}

/** Follows `const x = …` (and `let` without reassignment) to the initializer, a few hops. */
export function resolveValue(ctx: RuleContext, expr: ts.Expression, hops = 4): ts.Expression {
  let e = unwrap(expr);
  for (let i = 0; i < hops; i++) {
    if (ts.isAwaitExpression(e)) { e = unwrap(e.expression); continue; }
    if (!ts.isIdentifier(e)) return e;
    const b = ctx.taint.scopes.resolve(e);
    if (!b || !ts.isVariableDeclaration(b) || !b.initializer || !ts.isIdentifier(b.name)) return e;
    if (!(b.parent.flags & ts.NodeFlags.Const) && hasAssignments(ctx, b)) return e;
    e = unwrap(b.initializer);
  }
  return e;
}

function hasAssignments(ctx: RuleContext, b: ts.VariableDeclaration): boolean {
  const name = (b.name as ts.Identifier).text;
  const scope = enclosingFunction(b) ?? b.getSourceFile();
  return ctx.taint.writesIn(scope).assignments.has(name);
}

/**
 * Splits a string-building expression (template literal, `+`, `.concat`, `arr.map(x => `…`).join('')`,
 * and local variables built that way, including later `+=`) into ordered parts.
 * A value that is not string building becomes a single dynamic part.
 */
export function flatten(ctx: RuleContext, expr: ts.Expression, depth = 0): Part[] {
  const e = unwrap(expr);
  if (depth > 8) return [{ expr: e }];
  if (ts.isStringLiteralLike(e)) return [{ text: e.text }];
  if (ts.isTemplateExpression(e)) {
    const out: Part[] = [{ text: e.head.text }];
    for (const s of e.templateSpans) {
      out.push(...flatten(ctx, s.expression, depth + 1));
      out.push({ text: s.literal.text });
    }
    return out;
  }
  if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    return [...flatten(ctx, e.left, depth + 1), ...flatten(ctx, e.right, depth + 1)];
  }
  if (ts.isCallExpression(e)) {
    const name = calleeName(e);
    const recv = calleeObject(e);
    if (name === 'concat' && recv && (ts.isStringLiteralLike(recv) || ts.isTemplateExpression(recv))) {
      return [...flatten(ctx, recv, depth + 1), ...e.arguments.flatMap((a) => flatten(ctx, a, depth + 1))];
    }
    // ['./', ...rest].join('?') → './', '?', rest (a spread is one dynamic part)
    if (name === 'join' && recv && ts.isArrayLiteralExpression(unwrap(recv)) && e.arguments.length <= 1) {
      const sepArg = e.arguments[0] ? unwrap(e.arguments[0]) : undefined;
      const sep = sepArg === undefined ? ',' : ts.isStringLiteralLike(sepArg) ? sepArg.text : undefined;
      if (sep !== undefined) {
        const out: Part[] = [];
        (unwrap(recv) as ts.ArrayLiteralExpression).elements.forEach((el, i) => {
          if (i > 0) out.push({ text: sep });
          out.push(...(ts.isSpreadElement(el) ? [{ expr: el.expression }] : flatten(ctx, el, depth + 1)));
        });
        return out;
      }
    }
    // items.map((x) => `<li>${x.name}</li>`).join('') → the callback's template, once
    if (name === 'join' && recv && ts.isCallExpression(recv) && (calleeName(recv) === 'map' || calleeName(recv) === 'flatMap')) {
      const fn = recv.arguments[0];
      if (fn && (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn))) {
        const rets = returnExpressions(fn);
        if (rets.length === 1) return flatten(ctx, rets[0], depth + 1);
      }
    }
    return [{ expr: e }];
  }
  if (ts.isIdentifier(e)) {
    const b = ctx.taint.scopes.resolve(e);
    if (!b || !ts.isVariableDeclaration(b) || !b.initializer || !ts.isIdentifier(b.name)) return [{ expr: e }];
    const init = unwrap(b.initializer);
    if (!isStringBuilding(init)) return [{ expr: e }];
    const out = flatten(ctx, init, depth + 1);
    if (!(b.parent.flags & ts.NodeFlags.Const)) {
      // `let html = '<ul>'; html += `<li>${x}</li>`;` — follow assignments before this use
      const scope = enclosingFunction(b) ?? b.getSourceFile();
      let reassigned = false;
      for (const n of ctx.taint.writesIn(scope).assignments.get(e.text) ?? []) {
        if (n.pos >= e.pos) continue;
        if (n.operatorToken.kind === ts.SyntaxKind.PlusEqualsToken) out.push(...flatten(ctx, n.right, depth + 1));
        else if (n.operatorToken.kind === ts.SyntaxKind.EqualsToken) reassigned = true;
      }
      if (reassigned) return [{ expr: e }];
    }
    return out;
  }
  return [{ expr: e }];
}

function isStringBuilding(e: ts.Expression): boolean {
  return ts.isStringLiteralLike(e) || ts.isTemplateExpression(e) ||
    (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.PlusToken);
}

export const HTML_TAG = /<\/?[a-zA-Z!][^<>]*>?|<[a-zA-Z]/;

/**
 * Names whose values are numbers, counts or booleans in practice: harmless inside HTML. `pk` is the primary key of a
 * Django model as its serializers and `values()` give it (`data[0].pk`): an integer, or a UUID.
 */
const NUMERIC_WORDS = new Set(['pk', 'count', 'total', 'length', 'size', 'index', 'idx', 'page', 'pages', 'width', 'height',
  'price', 'amount', 'qty', 'quantity', 'percent', 'percentage', 'age', 'year', 'num', 'number', 'score', 'progress',
  'duration', 'ms', 'seconds', 'minutes', 'hours', 'days', 'level', 'step', 'limit', 'offset', 'status', 'code',
  'x', 'y', 'top', 'left', 'right', 'bottom', 'i', 'j', 'k', 'n', 'max', 'min', 'is', 'has', 'enabled', 'disabled',
  'checked', 'selected', 'rating', 'stars', 'votes', 'likes', 'views', 'rank', 'version', 'timestamp', 'elapsed']);

/** A value that, by its name or shape, is a number/boolean (`items.length`, `total.toFixed(2)`, `count`). */
export function looksNumeric(e: ts.Expression): boolean {
  const u = unwrap(e);
  if (ts.isCallExpression(u)) {
    const n = calleeName(u);
    return n === 'toFixed' || n === 'toPrecision' || n === 'getFullYear' || n === 'getTime' || n === 'toLocaleDateString' ||
      n === 'toLocaleTimeString' || (n === 'format' && !!calleeObject(u) && /(number|currency|formatter|date|fmt)/i.test(calleeObject(u)!.getText()));
  }
  let name: string | undefined;
  if (ts.isIdentifier(u)) name = u.text;
  else if (ts.isPropertyAccessExpression(u)) name = u.name.text;
  if (!name) return false;
  const words = nameWords(name);
  if (!words.length) return false;
  const last = words[words.length - 1];
  // `postcount`, `viewcount`, `subtotal`: run-together names that end in a number word
  return NUMERIC_WORDS.has(last) || /.(count|total)$/.test(last) || (words[0] === 'is' || words[0] === 'has');
}

/** `marked(x)`, `marked.parse(x)`, `md.render(x)`, `converter.makeHtml(x)`: markdown rendered to HTML (raw HTML allowed). */
export function markdownInput(ctx: RuleContext, expr: ts.Expression): ts.Expression | undefined {
  const e = resolveValue(ctx, expr);
  if (!ts.isCallExpression(e)) return undefined;
  const name = calleeName(e);
  const chain = memberChain(e.expression);
  const root = chain?.[0] ?? '';
  if (!name) return undefined;
  const isMd = (name === 'marked' && !calleeObject(e)) ||
    (/^marked$/.test(root) && (name === 'parse' || name === 'parseInline')) ||
    ((name === 'render' || name === 'renderInline') && /^(md|markdown|markdownIt|mdParser|mdRenderer|parser)$/i.test(root)) ||
    name === 'makeHtml' || name === 'micromark' || name === 'snarkdown' || name === 'markdownToHtml';
  return isMd ? (e.arguments[0] ?? e) : undefined;
}

/** Text fixed in the code: string literals, and `+` or templates of them, through constants (`const HELP = '…'`). */
function isFixedText(ctx: RuleContext, e: ts.Expression, depth = 0): boolean {
  if (depth > 8) return false;
  const u = unwrap(e);
  if (ts.isStringLiteralLike(u)) return true;
  if (ts.isBinaryExpression(u) && u.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    // a long text is a long chain of `+`, nested to the left: walked down its left side, not by depth
    let left: ts.Expression = u;
    while (ts.isBinaryExpression(left) && left.operatorToken.kind === ts.SyntaxKind.PlusToken) {
      if (!isFixedText(ctx, left.right, depth + 1)) return false;
      left = unwrap(left.left);
    }
    return isFixedText(ctx, left, depth + 1);
  }
  if (ts.isTemplateExpression(u)) return u.templateSpans.every((s) => isFixedText(ctx, s.expression, depth + 1));
  if (ts.isIdentifier(u)) {
    const v = resolveValue(ctx, u);
    return v !== u && isFixedText(ctx, v, depth + 1);
  }
  return false;
}

export interface Judged {
  kind: 'tainted' | 'dynamic' | 'safe';
  part?: ts.Expression;
  trace?: TaintTrace;
}

/**
 * The worst dynamic part for a sink: 'tainted' (request/DOM data reaches it), 'dynamic' (unknown), or 'safe'
 * when every part is constant, numeric, sanitized or numeric-looking.
 */
export function judgeParts(ctx: RuleContext, parts: Part[], sink: SinkKind, opts: { numericOk?: boolean } = {}): Judged {
  let worst: Judged = { kind: 'safe' };
  for (const p of parts) {
    if (!('expr' in p)) continue;
    const md = sink === 'html' ? markdownInput(ctx, p.expr) : undefined;
    let j: Judged;
    // markdown written in the code (`marked.parse('Press **?** for help')`): the HTML is the app's own
    if (md && isFixedText(ctx, md)) continue;
    if (md) {
      const t = ctx.taint.taintOf(md);
      j = t ? { kind: 'tainted', part: p.expr, trace: t } : { kind: 'dynamic', part: p.expr };
    } else if (sink === 'html' && (isEscapeCall(p.expr) || isEscapingRenderer(ctx, p.expr) || isUrlQueryOrFragment(ctx, p.expr))) {
      continue;
    } else {
      const c = ctx.taint.classify(p.expr, sink);
      if (c.kind === 'safe') continue;
      if (c.kind === 'dynamic' && opts.numericOk && looksNumeric(p.expr)) continue;
      j = { kind: c.kind, part: p.expr, trace: c.trace };
    }
    if (worst.kind === 'safe' || (j.kind === 'tainted' && worst.kind !== 'tainted')) worst = j;
  }
  return worst;
}

/** A call to a local or library escaping helper by its name: `escapeHtmlAttr(x)`, `htmlEscapeJsonString(x)`, `sanitizeMarkup(x)`. */
function isEscapeCall(e: ts.Expression): boolean {
  const u = unwrap(e);
  if (!ts.isCallExpression(u)) return false;
  const name = calleeName(u);
  return !!name && /escape|saniti[sz]e|purify|htmlEncode|encodeHtml|encodeEntities|stripTags|strip_tags/i.test(name) && !/^unescape/i.test(name);
}

/**
 * Output of libraries that escape the text they turn into HTML: syntax highlighters (shiki, highlight.js, Prism),
 * KaTeX, React server rendering. Followed through `const` variables and React state set from them
 * (`const [html, setHtml] = useState(''); codeToHtml(code).then(setHtml)`).
 */
const ESCAPING_RENDERERS = /^(codeToHtml|renderToString|renderToStaticMarkup)$/;
const ESCAPING_RECEIVERS = /^(hljs|highlighter|Prism|katex|shiki|lowlight|QRCode|ReactDOMServer|renderer)$/;

/** Template engines that escape inserted values by default, and the calls that render with them. */
const TEMPLATE_RECEIVERS = /^(templates|Benchpress|benchpress|Handlebars|handlebars|Mustache|mustache|nunjucks|env|hbs|Twig|twig|Eta|eta)$/;
const TEMPLATE_RENDER = /^(parse|render|renderString|renderAsync|renderFile|parseAndTranslate|translate)$/;
const TEMPLATE_COMPILE = /^(compile|precompile|template)$/;
/** Raw-output markers: `{{{x}}}` / `{{& x}}` (Handlebars, Mustache), `|safe`/`| safe` (nunjucks), `<%-`/`<%~` (EJS, Eta). */
const RAW_TEMPLATE_OUTPUT = /\{\{\{|\{\{&|\|\s*safe\b|<%[-~]/;

/** `templates.parse('x', data, cb)`, `app.parseAndTranslate(…)`, `Handlebars.compile(src)`, `Mustache.render(t, v)`. */
function isEscapingTemplateCall(ctx: RuleContext, call: ts.CallExpression): boolean {
  const name = calleeName(call) ?? '';
  const recv = calleeObject(call);
  const chain = recv ? memberChain(recv) ?? [] : [];
  const root = chain[chain.length - 1] ?? '';
  const rawLiteral = (a: ts.Expression | undefined) => {
    if (!a) return false;
    const v = resolveValue(ctx, a);
    return (ts.isStringLiteralLike(v) || ts.isTemplateExpression(v)) && RAW_TEMPLATE_OUTPUT.test(v.getText());
  };
  if (name === 'parseAndTranslate') return true; // NodeBB: Benchpress + translator, escaped
  if (recv && TEMPLATE_RECEIVERS.test(root) && TEMPLATE_RENDER.test(name)) return !rawLiteral(call.arguments[0]);
  if (recv && TEMPLATE_RECEIVERS.test(root) && TEMPLATE_COMPILE.test(name)) return !rawLiteral(call.arguments[0]);
  return false;
}

/** A function value made by a template engine's compile: `const row = Handlebars.compile(src)`; `row(data)` escapes. */
function isCompiledTemplate(ctx: RuleContext, callee: ts.Expression): boolean {
  const v = resolveValue(ctx, callee);
  if (ts.isCallExpression(v)) return isEscapingTemplateCall(ctx, v);
  // `Handlebars.templates.row(data)` / `Handlebars.templates['row'](data)`: precompiled templates
  const chain = memberChain(v) ?? [];
  return chain.length >= 3 && /^(Handlebars|handlebars)$/.test(chain[0]) && chain[1] === 'templates';
}

/** A parameter of the callback an escaping template render calls with its output: `templates.parse('t', d, (html) => …)`. */
function isTemplateOutputParameter(ctx: RuleContext, id: ts.Identifier): boolean {
  const b = ctx.taint.scopes.resolve(id);
  if (!b || !ts.isParameter(b) || !isFunctionLike(b.parent)) return false;
  let holder: ts.Node = b.parent.parent;
  while (ts.isParenthesizedExpression(holder)) holder = holder.parent;
  if (!ts.isCallExpression(holder)) return false;
  if (isEscapingTemplateCall(ctx, holder)) return true;
  // `Benchpress.render(t, d).then((html) => …)`
  const recv = calleeObject(holder);
  return calleeName(holder) === 'then' && !!recv && ts.isCallExpression(unwrap(recv)) && isEscapingTemplateCall(ctx, unwrap(recv) as ts.CallExpression);
}

export function isEscapingRenderer(ctx: RuleContext, expr: ts.Expression, depth = 0): boolean {
  if (depth > 2) return false;
  let e = resolveValue(ctx, expr);
  if (ts.isCallExpression(e) && (isEscapingTemplateCall(ctx, e) || isCompiledTemplate(ctx, e.expression))) return true;
  if (ts.isIdentifier(e) && isTemplateOutputParameter(ctx, e)) return true;
  if (ts.isPropertyAccessExpression(e) && e.name.text === 'value') e = unwrap(e.expression); // hljs.highlight(…).value
  if (ts.isAwaitExpression(e)) e = unwrap(e.expression);
  if (ts.isCallExpression(e)) {
    const name = calleeName(e) ?? '';
    const recv = calleeObject(e);
    const root = recv ? memberChain(recv)?.[0] ?? '' : '';
    if (name === 'then' && recv) return isEscapingRenderer(ctx, recv, depth + 1);
    if (recv) return ESCAPING_RECEIVERS.test(root) && /^(highlight|highlightAuto|renderToString|toString|codeToHtml|render)$/.test(name);
    return ESCAPING_RENDERERS.test(name);
  }
  // React state: every value given to its setter is escaping-renderer output (or a constant)
  if (ts.isIdentifier(e)) {
    const b = ctx.taint.scopes.resolve(e);
    if (!b || !ts.isBindingElement(b) || !ts.isArrayBindingPattern(b.parent) || b.parent.elements.indexOf(b) !== 0) return false;
    const decl = b.parent.parent;
    if (!ts.isVariableDeclaration(decl) || !decl.initializer || !ts.isCallExpression(unwrap(decl.initializer)) || calleeName(unwrap(decl.initializer) as ts.CallExpression) !== 'useState') return false;
    const setterEl = b.parent.elements[1];
    if (!setterEl || !ts.isBindingElement(setterEl) || !ts.isIdentifier(setterEl.name)) return false;
    const setter = setterEl.name.text;
    const fn = enclosingFunction(decl);
    if (!fn) return false;
    const values: ts.Expression[] = [];
    const visit = (n: ts.Node) => {
      if (ts.isCallExpression(n)) {
        const callee = unwrap(n.expression);
        if (ts.isIdentifier(callee) && callee.text === setter && n.arguments[0]) values.push(n.arguments[0]);
        // promise.then(setHtml)
        if (calleeName(n) === 'then' && n.arguments[0] && ts.isIdentifier(unwrap(n.arguments[0])) && (unwrap(n.arguments[0]) as ts.Identifier).text === setter && calleeObject(n)) values.push(calleeObject(n)!);
      }
      ts.forEachChild(n, visit);
    };
    ts.forEachChild(fn, visit);
    // `setHtml(DOMPurify.sanitize(raw))`: cleaned when it enters the state
    return values.length > 0 && values.every((v) => ts.isStringLiteralLike(unwrap(v)) || isEscapeCall(v) || isEscapingRenderer(ctx, v, depth + 1));
  }
  return false;
}

/**
 * A browser-side source (URL of the page, `postMessage` data, React router hooks), as opposed to data of a server
 * request. Judged on the text of the trace, which the taint analyzer may have widened to the enclosing expression.
 */
export function isDomSource(trace: TaintTrace): boolean {
  if (trace.label === 'postMessage data') return true;
  const text = `${trace.label} ${trace.source.getText()}`;
  if (/(^|[^.\w$])((window|document|self|top)\.)?location\.(hash|search|href|pathname)\b|\bdocument\.(URL|documentURI|referrer)\b|\bwindow\.name\b/.test(text)) return true;
  if (/\buse(SearchParams|Params|Router)\(\)/.test(text)) return true;
  return /^(event|e|ev|evt|msg|message)\.data\b/.test(trace.source.getText());
}

/** The page's own address (`location.href`, `location.pathname`, `document.URL`) as the source. */
export function isOwnAddressSource(trace: TaintTrace): boolean {
  const text = `${trace.label} ${trace.source.getText()}`;
  return /(^|[^.\w$])((window|document|self|top)\.)?location\.(href|pathname)\b|\bdocument\.(URL|documentURI)\b/.test(text) &&
    !/location\.(hash|search)\b|searchParams|URLSearchParams/.test(text);
}

/** The file runs in a browser: a client component or code that touches the DOM. */
export function isBrowserish(ctx: RuleContext): boolean {
  if (ctx.facts.useClient) return true;
  // several rules ask about the same file: the text is scanned once
  if (ctx.text !== domText.text) domText = { text: ctx.text, dom: DOM_CODE_TEXT.test(ctx.text) };
  return domText.dom;
}
const DOM_CODE = /\b(document\.(getElementById|querySelector|querySelectorAll|createElement|body|getElementsBy\w+)|window\.(addEventListener|location|document)|addEventListener\(\s*['"](click|submit|DOMContentLoaded|load|input|change))/;
/** DOM_CODE asked only of a text holding one of the words every match holds (util/text-words.ts): most server files hold none */
const DOM_CODE_TEXT = textPrefilter(DOM_CODE, ['document.', 'window.', 'addEventListener(']);
let domText = { text: '', dom: false };

/** Root of a value is a plain parameter of the enclosing function (a helper that passes HTML through). */
export function isParameterPassthrough(ctx: RuleContext, expr: ts.Expression, depth = 0): boolean {
  let e = unwrap(expr);
  while (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) e = unwrap(e.expression);
  if (!ts.isIdentifier(e) || depth > 3) return false;
  const b = ctx.taint.scopes.resolve(e);
  if (!b) return false;
  if (ts.isParameter(b)) return true;
  if (ts.isBindingElement(b)) {
    let n: ts.Node = b;
    while (ts.isBindingElement(n) || ts.isObjectBindingPattern(n) || ts.isArrayBindingPattern(n)) n = n.parent;
    if (ts.isParameter(n)) return true;
    // `let [src, props] = param` / `const { html } = options`
    if (ts.isVariableDeclaration(n) && n.initializer) return isParameterPassthrough(ctx, n.initializer, depth + 1);
    return false;
  }
  if (ts.isVariableDeclaration(b) && b.initializer) {
    const init = unwrap(b.initializer);
    if (ts.isIdentifier(init) || ts.isPropertyAccessExpression(init) || ts.isElementAccessExpression(init)) return isParameterPassthrough(ctx, init, depth + 1);
  }
  return false;
}

/**
 * HTML the page already holds (`el.innerHTML` read back), or a class field only ever set from such reads
 * or constants (`this.rootHtml = document.documentElement.innerHTML`).
 */
export function isExistingDomHtml(ctx: RuleContext, expr: ts.Expression): boolean {
  const u = unwrap(expr);
  if (ts.isPropertyAccessExpression(u) && (u.name.text === 'innerHTML' || u.name.text === 'outerHTML')) return true;
  if (ts.isPropertyAccessExpression(u) && u.expression.kind === ts.SyntaxKind.ThisKeyword) {
    let cls: ts.Node | undefined = u.parent;
    while (cls && !ts.isClassLike(cls)) cls = cls.parent;
    if (!cls) return false;
    const field = u.name.text;
    const values: ts.Expression[] = [];
    const visit = (n: ts.Node) => {
      if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
        const l = unwrap(n.left);
        if (ts.isPropertyAccessExpression(l) && l.expression.kind === ts.SyntaxKind.ThisKeyword && l.name.text === field) values.push(n.right);
      } else if (ts.isPropertyDeclaration(n) && n.initializer && ts.isIdentifier(n.name) && n.name.text === field) {
        values.push(n.initializer);
      }
      ts.forEachChild(n, visit);
    };
    visit(cls);
    return values.length > 0 && values.every((v) => {
      const w = unwrap(v);
      return ts.isStringLiteralLike(w) || (ts.isPropertyAccessExpression(w) && (w.name.text === 'innerHTML' || w.name.text === 'outerHTML'));
    });
  }
  return false;
}

/** Root of a value is an import (static content shipped with the code: icons, translations, generated HTML). */
export function isImportedStatic(ctx: RuleContext, expr: ts.Expression): boolean {
  let e = unwrap(expr);
  while (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) e = unwrap(e.expression);
  if (!ts.isIdentifier(e)) return false;
  const b = ctx.taint.scopes.resolve(e);
  return !!b && (ts.isImportSpecifier(b) || ts.isImportClause(b) || ts.isNamespaceImport(b));
}

/** Every value a local variable is given (its initializer and later assignments), or undefined when it is not a plain local. */
export function writesOf(ctx: RuleContext, id: ts.Identifier): ts.Expression[] | undefined {
  const b = ctx.taint.scopes.resolve(id);
  if (!b || !ts.isVariableDeclaration(b) || !ts.isIdentifier(b.name)) return undefined;
  if (ts.isVariableDeclarationList(b.parent) && (ts.isForOfStatement(b.parent.parent) || ts.isForInStatement(b.parent.parent))) return undefined;
  const out: ts.Expression[] = b.initializer ? [b.initializer] : [];
  const scope = enclosingFunction(b) ?? b.getSourceFile();
  for (const a of ctx.taint.writesIn(scope).assignments.get(id.text) ?? []) {
    if (a.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return undefined;
    out.push(a.right);
  }
  return out;
}

/** `t('key')`, `i18n.t('key')`, `intl.formatMessage({ id })` with constant arguments: translations. */
export function isTranslation(ctx: RuleContext, expr: ts.Expression, depth = 0): boolean {
  const e = unwrap(expr);
  // `let content = ''; if (step) content = formatMessage({ id: … })`: every value written is a literal or a translation
  if (ts.isIdentifier(e) && depth < 2) {
    const writes = writesOf(ctx, e);
    return !!writes && writes.some((w) => !ts.isStringLiteralLike(unwrap(w))) &&
      writes.every((w) => ts.isStringLiteralLike(unwrap(w)) || isTranslation(ctx, w, depth + 1));
  }
  if (!ts.isCallExpression(e)) return false;
  const name = calleeName(e);
  if (name !== 't' && name !== 'formatMessage' && name !== 'translate' && name !== '__') return false;
  const first = e.arguments[0];
  return !!first && (ts.isStringLiteralLike(unwrap(first)) || ts.isObjectLiteralExpression(unwrap(first)));
}

/**
 * Whether the static text before the first attacker-controlled part fixes where a URL points.
 * `prefix` is the static text with `\u0000` for developer-controlled values (constants, env, request origin).
 * `/items/`, `https://api.example.com/`, `${BASE}/x?q=`, `docs/` pin the origin; ``, `/`, `https://`,
 * `https://example.com` (no separator yet: `@evil.com` or `.evil.com` could follow) do not.
 */
export function prefixPinsOrigin(prefix: string): boolean {
  if (prefix.startsWith('\u0000')) return /[/?#]/.test(prefix.slice(1));
  if (/^[a-z][a-z0-9+.-]*:\/\/[^/?#\\\u0000]+[/?#]/i.test(prefix)) return true;
  if (/^\/\/[^/?#\\\u0000]+[/?#]/.test(prefix)) return true;
  if (/^\/[^/\\\u0000]/.test(prefix)) return true;
  if (/^[?#]/.test(prefix)) return true;
  if (/^[^:/?#\\\u0000]+[/?#]/.test(prefix) && !/^(javascript|data|vbscript)/i.test(prefix)) return true;
  return false;
}

/** Parts of the request URL that the server or the deployment decides, not the link: origin, base path, locale. */
const OWN_URL_PROPS = new Set(['origin', 'basePath', 'host', 'hostname', 'protocol', 'port', 'locale', 'defaultLocale', 'buildId']);
const URL_OBJECT = /(^|\.)(nextUrl|location)$|^new URL\(\s*(req|request)\.url\s*\)$|^(url|requestUrl|reqUrl)$/;

/**
 * The request's own origin or base path (`req.nextUrl.origin`, `location.origin`, `new URL(req.url).origin`,
 * `const { origin, basePath } = req.nextUrl`): not attacker-chosen.
 */
export function isOwnOrigin(e: ts.Expression, ctx?: RuleContext): boolean {
  const u = unwrap(e);
  if (ctx && ts.isIdentifier(u)) {
    const b = ctx.taint.scopes.resolve(u);
    if (b && ts.isBindingElement(b) && b.parent.parent && ts.isVariableDeclaration(b.parent.parent) && b.parent.parent.initializer &&
        ts.isObjectBindingPattern(b.parent)) {
      const prop = b.propertyName ? (ts.isIdentifier(b.propertyName) ? b.propertyName.text : '') : u.text;
      const init = unwrap(b.parent.parent.initializer);
      return OWN_URL_PROPS.has(prop) && ((ts.isNewExpression(init) && calleeName(init) === 'URL') || URL_OBJECT.test(init.getText()));
    }
    if (b && ts.isVariableDeclaration(b) && b.initializer && (b.parent.flags & ts.NodeFlags.Const)) return isOwnOrigin(b.initializer);
    return false;
  }
  if (!ts.isPropertyAccessExpression(u)) return false;
  if (!OWN_URL_PROPS.has(u.name.text)) return false;
  return URL_OBJECT.test(unwrap(u.expression).getText());
}

/** Request headers and cookies: a link or a cross-site form cannot set them (Referer aside), so they do not make a reflected attack. */
export function isHeaderOrCookieSource(trace: TaintTrace): boolean {
  if (/^(headers|cookies|signedCookies|header)$/.test(trace.label)) return true;
  const text = trace.source.getText();
  // req.headers.x, req.cookies.x, request.headers.get('x'), cookies().get('x')
  if (/\.(headers|cookies|signedCookies)\b/.test(text) || /^(headers|cookies)\(\)/.test(text)) return true;
  // the Host header: a browser always sends the address it is really talking to
  if (/^(req|request|ctx)\.(hostname|host)\b/.test(text)) return true;
  // Express req.get('X') / req.header('X'), Koa ctx.get('X'), Hono c.req.header('X')
  return /^(c\.)?(req|request|ctx)\.(get|header)\(\s*['"`][\w-]+['"`]\s*\)$/.test(text);
}

/**
 * Text of an expression and of the local initializers it draws from (a few hops): enough to see whether a value
 * read from `location.href` went through `searchParams`/`hash` (attacker-chosen) or is the page's own address.
 */
export function flowText(ctx: RuleContext, expr: ts.Expression, depth = 0, seen = new Set<ts.Node>()): string {
  let out = expr.getText(ctx.sourceFile);
  if (depth > 3) return out;
  const visit = (n: ts.Node) => {
    if (ts.isIdentifier(n)) {
      const b = ctx.taint.scopes.resolve(n);
      const init = b && (ts.isVariableDeclaration(b) ? b.initializer : ts.isBindingElement(b) && ts.isVariableDeclaration(b.parent.parent) ? b.parent.parent.initializer : undefined);
      if (init && !seen.has(init)) { seen.add(init); out += ' ' + flowText(ctx, init, depth + 1, seen); }
    }
    ts.forEachChild(n, visit);
  };
  visit(expr);
  return out;
}

/**
 * Walks a URL's parts in order. Returns the first attacker-controlled part with the text before it
 * (`\u0000` standing for developer-controlled values: constants, env, the request's own origin, and
 * values of unknown origin), and the first unknown part with the text before it.
 */
export function urlPrefix(ctx: RuleContext, parts: Part[], sink: SinkKind): {
  tainted?: { prefix: string; part: ts.Expression; trace: TaintTrace; index: number };
  unknown?: { prefix: string; part: ts.Expression };
} {
  let prefix = '';
  let unknown: { prefix: string; part: ts.Expression } | undefined;
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i];
    if ('text' in p) { prefix += p.text; continue; }
    if (isOwnOrigin(p.expr, ctx)) { prefix += '\u0000'; continue; }
    // `encodeURIComponent(x)` cannot hold `/`, `?`, `#`, `:` or `\\`: a plain path segment, whoever chose it
    if (sink === 'url' && isComponentEncoded(p.expr)) { prefix += 'x'; continue; }
    const c = ctx.taint.classify(p.expr, sink);
    if (c.kind === 'tainted' && c.trace) return { tainted: { prefix, part: p.expr, trace: c.trace, index: i }, unknown };
    if (c.kind === 'dynamic' && !unknown) unknown = { prefix, part: p.expr };
    prefix += '\u0000';
  }
  return { unknown };
}

function isComponentEncoded(e: ts.Expression): boolean {
  const u = unwrap(e);
  return ts.isCallExpression(u) && calleeName(u) === 'encodeURIComponent' && !calleeObject(u);
}

/**
 * The query string or fragment of a parsed URL (`new URL(req.url, base).search`, `url.hash`): it starts with
 * `?`/`#`, so it cannot change where a URL points, and the URL parser has percent-encoded `<`, `>` and `"` in it.
 */
export function isUrlQueryOrFragment(ctx: RuleContext, e: ts.Expression): boolean {
  const u = unwrap(e);
  if (!ts.isPropertyAccessExpression(u) || (u.name.text !== 'search' && u.name.text !== 'hash')) return false;
  const obj = resolveValue(ctx, u.expression);
  return ts.isNewExpression(obj) && calleeName(obj) === 'URL';
}

/**
 * A value made from the incoming request's own path (`req.originalUrl.replace(…)`, `req.path.match(/\/(\d+)/)`,
 * `req.url.split('?')`): it starts with `/` on the same site; only a request for `//host/…` could make it leave.
 */
export function isRequestPathDerived(ctx: RuleContext, trace: TaintTrace, part: ts.Expression): boolean {
  if (!/^(req|request|ctx|c\.req)\.(url|originalUrl|path|baseUrl)\b/.test(trace.source.getText())) return false;
  return !/\b(query|searchParams|search|hash|URLSearchParams|get)\b/.test(flowText(ctx, part));
}

/** `let next = req.query.next; next = resolveLoginRedirect(next)` before the sink: the variable was vetted in place. */
function vettedInPlace(ctx: RuleContext, expr: ts.Expression, sink: ts.Node): boolean {
  let e = unwrap(expr);
  for (;;) {
    if (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) e = unwrap(e.expression);
    else if (ts.isCallExpression(e) && calleeObject(e)) e = unwrap(calleeObject(e)!);
    else break;
  }
  if (!ts.isIdentifier(e)) return false;
  const b = ctx.taint.scopes.resolve(e);
  if (!b || !ts.isVariableDeclaration(b)) return false;
  const scope = enclosingFunction(b) ?? b.getSourceFile();
  return (ctx.taint.writesIn(scope).assignments.get(e.text) ?? []).some((a) =>
    a.operatorToken.kind === ts.SyntaxKind.EqualsToken && a.pos < sink.pos && isVettingCall(a.right));
}

/** `new URL(a, base)` (directly or through a local constant): the `a` argument, which decides the origin. */
export function urlConstructorInput(ctx: RuleContext, expr: ts.Expression): ts.Expression | undefined {
  const e = resolveValue(ctx, expr);
  if (ts.isNewExpression(e) && calleeName(e) === 'URL' && e.arguments?.length) return e.arguments[0];
  // `new URL(x, base).toString()` / `.href`
  if ((ts.isCallExpression(e) && calleeName(e) === 'toString' && calleeObject(e)) || (ts.isPropertyAccessExpression(e) && e.name.text === 'href')) {
    const inner = ts.isCallExpression(e) ? calleeObject(e)! : e.expression;
    const u = resolveValue(ctx, inner);
    if (ts.isNewExpression(u) && calleeName(u) === 'URL' && u.arguments?.length) return u.arguments[0];
  }
  return undefined;
}

/**
 * An origin/host check in a condition before `node` in an enclosing function: `url.origin !== base.origin`,
 * `ALLOWED_HOSTS.includes(new URL(x).hostname)`, `u.host.endsWith('.example.com')`.
 */
/** `url.startsWith(siteUrl)`, `next.startsWith(config.baseUrl + '/')`, `r.startsWith(APP_ORIGIN)`: compared with the site's own address. */
const OWN_SITE_PREFIX_CHECK = /\.startsWith\(\s*[\w.$]*(site|base|app|public|frontend|client|own|root|home)_?(url|origin|uri|host)\w*\b/i;

/**
 * Whether `sink` runs only when the `if`'s check passed: inside the then-branch of a positive check
 * (`if (u.startsWith(siteUrl)) { … }`), or inside the else-branch or after a negative check whose then-branch
 * leaves (`if (!u.startsWith(siteUrl)) return …;`).
 */
function guardedBy(stmt: ts.IfStatement, sink: ts.Node): boolean {
  const inside = (container: ts.Node | undefined) => !!container && sink.pos >= container.pos && sink.end <= container.end;
  const negative = /^!|!==?/.test(stmt.expression.getText().trim());
  if (!negative) return inside(stmt.thenStatement);
  if (inside(stmt.elseStatement)) return true;
  const then = stmt.thenStatement;
  const last = ts.isBlock(then) ? then.statements[then.statements.length - 1] : then;
  return sink.pos >= stmt.end && !!last && (ts.isReturnStatement(last) || ts.isThrowStatement(last));
}

/** `if (err.redirectable)`, `if (isAllowedRedirect(u))`, `if (client.validRedirectUris.includes(u))`: a verdict on the destination. */
const REDIRECT_VALIDITY_CHECK = /redirect\w*(able|allowed|valid|safe|trusted)|(allowed|valid|safe|trusted|registered)\w*redirect/i;

export function hasHostCheckBefore(node: ts.Node): boolean {
  let fn: ts.Node | undefined = enclosingFunction(node);
  while (fn) {
    let found = false;
    const visit = (n: ts.Node) => {
      if (found || n.pos >= node.pos) return;
      let cond: ts.Expression | undefined;
      if (ts.isIfStatement(n) || ts.isWhileStatement(n)) cond = n.expression;
      else if (ts.isConditionalExpression(n)) cond = n.condition;
      else if (ts.isBinaryExpression(n) && (n.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken || n.operatorToken.kind === ts.SyntaxKind.BarBarToken)) cond = n.left;
      else if (ts.isCallExpression(n) && /^(assert|invariant)$/.test(calleeName(n) ?? '')) cond = n.arguments[0];
      if (cond && /\.(origin|host|hostname)\b/.test(cond.getText())) { found = true; return; }
      if (cond && ts.isIfStatement(n) && (OWN_SITE_PREFIX_CHECK.test(cond.getText()) || REDIRECT_VALIDITY_CHECK.test(cond.getText())) && guardedBy(n, node)) { found = true; return; }
      ts.forEachChild(n, visit);
    };
    ts.forEachChild(fn, visit);
    if (found) return true;
    fn = enclosingFunction(fn);
  }
  return false;
}

/** A call to a helper whose name says it vets the value: `safeRedirect(x)`, `getSafeUrl(x)`, `validateUrl(x)`. */
export function isVettingCall(e: ts.Expression): boolean {
  const u = unwrap(e);
  if (!ts.isCallExpression(u)) return false;
  const name = calleeName(u);
  return !!name && (/(safe|valid|saniti[sz]|allow|whitelist|trusted|verif|internal|relative|sameorigin|same_origin|local)/i.test(name) ||
    /resolve\w*redirect/i.test(name));
}

/** The parameter list of the nearest function is request-shaped or this is a handler: see TaintAnalyzer. */
export function nearestFunction(node: ts.Node): ts.FunctionLikeDeclaration | undefined {
  const fn = enclosingFunction(node);
  return fn && isFunctionLike(fn) ? fn : undefined;
}

export function truncate(text: string, max = 50): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > max ? t.slice(0, max - 1) + '…' : t;
}

export interface UrlJudgement {
  kind: 'tainted' | 'dynamic' | 'safe';
  part?: ts.Expression;
  trace?: TaintTrace;
}

/**
 * Who decides where a URL points: 'tainted' when request/DOM data sits before anything that pins the origin,
 * 'dynamic' for an unknown value there, 'safe' when the origin is fixed (constant prefix with a path separator,
 * `new URL('/path', base)`), the value is vetted by a helper, or a host/origin check guards the sink.
 */
export function judgeUrl(ctx: RuleContext, value: ts.Expression, sinkNode: ts.Node): UrlJudgement {
  if (isVettingCall(value)) return { kind: 'safe' };

  const input = urlConstructorInput(ctx, value) ?? value;
  if (isVettingCall(input)) return { kind: 'safe' };
  const parts = flatten(ctx, input);
  const { tainted, unknown } = urlPrefix(ctx, parts, 'url');
  if (tainted) {
    if (prefixPinsOrigin(tainted.prefix)) return { kind: 'safe' };
    // `/${tab}?${location.search}`: after a written `?` or `#` the value is in the query or fragment, whatever came
    // before it; only the parts before can change where the URL points
    if (/[?#]/.test(tainted.prefix)) return unknown && !prefixPinsOrigin(unknown.prefix) ? { kind: 'dynamic', part: unknown.part } : { kind: 'safe' };
    // `${API_ORIGIN}${req.url}`: the request's own path always starts with `/`, so it cannot change the host
    if (tainted.prefix !== '' && isRequestPath(ctx, parts[tainted.index])) return { kind: 'safe' };
    if (isUrlQueryOrFragment(ctx, tainted.part) && (tainted.prefix === '' || prefixPinsOrigin(tainted.prefix + '?'))) return { kind: 'safe' };
    if (hasHostCheckBefore(sinkNode)) return { kind: 'safe' };
    if (vettedInPlace(ctx, tainted.part, sinkNode)) return { kind: 'safe' };
    return { kind: 'tainted', part: tainted.part, trace: tainted.trace };
  }
  if (unknown && !prefixPinsOrigin(unknown.prefix)) return { kind: 'dynamic', part: unknown.part };
  return { kind: 'safe' };
}

/** `req.url`, `req.originalUrl`, `req.path`, `ctx.path`, `req.nextUrl.pathname`: the path of the incoming request. */
function isRequestPath(ctx: RuleContext, part: Part): boolean {
  if (!('expr' in part)) return false;
  const u = unwrap(part.expr);
  if (!ts.isPropertyAccessExpression(u)) return false;
  const name = u.name.text;
  if (name === 'pathname') return /nextUrl$/.test(u.expression.getText());
  return (name === 'url' || name === 'originalUrl' || name === 'path') && !!ctx.taint.requestKind(u.expression);
}

/** `location.pathname + '?x'`, `window.location.href`: the page's own URL, not a value an attacker picks freely. */
export function isOwnLocation(e: ts.Expression): boolean {
  const chain = memberChain(unwrap(e));
  if (!chain) return false;
  const i = chain.indexOf('location');
  return i >= 0 && i <= 2 && chain.length - i <= 2 && (i === 0 || chain[0] === 'window' || chain[0] === 'document' || chain[0] === 'self' || chain[0] === 'top');
}
