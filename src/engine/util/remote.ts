/**
 * Browser-side data that comes from outside the page's own code: answers of the network (fetch, XHR, jQuery
 * ajax, axios, socket events), browser storage and form fields. dom-xss and react-dangerous-html report a value
 * of unknown content at the default confidence only when it is traced to one of these: HTML built from the
 * page's own constants, translations, computed numbers or markup read back from the DOM is not worth a warning.
 */
import { ts } from 'ts-morph';
import type { RuleContext } from '../model/rule';
import { calleeName, calleeObject, isFunctionLike, memberChain, unwrap } from './ast';
import { isEscapingRenderer } from './web';

export interface RemoteOrigin {
  /** where the outside data enters: the call or read */
  node: ts.Node;
  /** plain words for the message: "a fetch response", "a socket.io event" */
  label: string;
}

const FETCHERS = /^(fetch|axios|ky|got|ofetch|\$fetch|superagent|request)$/;
const HTTP_METHODS = /^(get|post|put|patch|delete|head|request|getJSON|ajax|load)$/;
const JQUERY = /^(\$|jQuery)$/;
const STATIC_FILE_URL = /\.(json|svg|html?|md|txt|xml)(\?[^'"`]*)?['"`]$/;
const CALLBACK_KEYS = new Set(['success', 'done', 'complete', 'onSuccess', 'onload']);

/** `fetch(u)`, `axios.get(u)`, `$.getJSON(u)`, `http.get(u)`, `api.get(u)`, `$.ajax({…})`: a call that asks the network. */
function networkCall(call: ts.CallExpression): string | undefined {
  // a static file shipped with the site: `$.getJSON(base + '/templates/index.json')`, `fetch('/icons/x.svg')`
  const first = call.arguments[0];
  if (first && STATIC_FILE_URL.test(first.getText())) return undefined;
  const callee = unwrap(call.expression);
  if (ts.isIdentifier(callee) && FETCHERS.test(callee.text)) return `a ${callee.text} response`;
  const name = calleeName(call);
  const recv = calleeObject(call);
  if (!name || !recv) return undefined;
  const chain = memberChain(recv) ?? [];
  const root = chain[0] ?? '';
  if (JQUERY.test(root) && HTTP_METHODS.test(name)) return `a jQuery \`$.${name}\` response`;
  if (FETCHERS.test(root) && HTTP_METHODS.test(name)) return `an ${root} response`;
  if (/^(api|http|client|apiClient|httpClient|\$http|fetcher)$/i.test(root) && HTTP_METHODS.test(name) && call.arguments.length > 0) {
    return 'an API response';
  }
  return undefined;
}

/** `res.json()`, `res.text()`, `(await axios.get(u)).data`: the body of a response. */
function isBodyRead(name: string | undefined): boolean {
  return name === 'json' || name === 'text' || name === 'blob';
}

/**
 * The outside origin of a browser value, if the file shows one. Follows `const` bindings, destructuring,
 * property reads, awaits, `JSON.parse`, string building, `.map`/`.forEach`/`for…of` over remote lists and
 * parameters of callbacks that network and socket APIs call with their answers.
 */
export function remoteOrigin(ctx: RuleContext, expr: ts.Expression, depth = 0, seen = new Set<ts.Node>()): RemoteOrigin | undefined {
  if (depth > 12) return undefined;
  const e = unwrap(expr);
  if (seen.has(e)) return undefined;
  seen.add(e);
  const next = (x: ts.Expression | undefined) => (x ? remoteOrigin(ctx, x, depth + 1, seen) : undefined);

  if (ts.isAwaitExpression(e)) return next(e.expression);
  if (ts.isPropertyAccessExpression(e)) {
    const n = e.name.text;
    if (n === 'responseText' || n === 'response' || n === 'responseXML') return { node: e, label: 'an XMLHttpRequest response' };
    if (n === 'value' && /\b(input|textarea|field|editor)\b|Input$|Field$/i.test(e.expression.getText())) return undefined;
    return next(e.expression);
  }
  if (ts.isElementAccessExpression(e)) return next(e.expression);
  if (ts.isConditionalExpression(e)) return next(e.whenTrue) ?? next(e.whenFalse);
  if (ts.isBinaryExpression(e)) {
    const op = e.operatorToken.kind;
    if (op === ts.SyntaxKind.PlusToken || op === ts.SyntaxKind.BarBarToken || op === ts.SyntaxKind.QuestionQuestionToken) return next(e.left) ?? next(e.right);
    return undefined;
  }
  if (ts.isTemplateExpression(e)) {
    for (const s of e.templateSpans) { const r = next(s.expression); if (r) return r; }
    return undefined;
  }
  if (ts.isCallExpression(e)) {
    const net = networkCall(e);
    if (net) return { node: e, label: net };
    const name = calleeName(e);
    const recv = calleeObject(e);
    if (name === 'getItem' && recv && /(localStorage|sessionStorage)$/.test(recv.getText())) return { node: e, label: 'browser storage' };
    if (recv && (isBodyRead(name) || name === 'then' || name === 'parse' || name === 'map' || name === 'filter' ||
      name === 'join' || name === 'slice' || name === 'concat' || name === 'trim' || name === 'replace' || name === 'toString' ||
      name === 'flat' || name === 'flatMap' || name === 'find' || name === 'reverse' || name === 'sort')) {
      const r = next(recv);
      if (r) return r;
    }
    if (name === 'parse' && recv && recv.getText() === 'JSON') return next(e.arguments[0]);
    // a template engine that escapes what it inserts (Handlebars, Mustache, Benchpress, …)
    if (isEscapingRenderer(ctx, e)) return undefined;
    // an unknown function given remote data returns something built from it
    for (const a of e.arguments) {
      if (isFunctionLike(unwrap(a))) continue;
      const r = next(a);
      if (r) return r;
    }
    return undefined;
  }
  if (ts.isArrayLiteralExpression(e)) {
    for (const el of e.elements) { const r = next(el as ts.Expression); if (r) return r; }
    return undefined;
  }
  if (!ts.isIdentifier(e)) return undefined;

  const b = ctx.taint.scopes.resolve(e);
  if (!b) return undefined;
  if (ts.isVariableDeclaration(b)) {
    // `for (const item of items)`
    if (ts.isVariableDeclarationList(b.parent) && (ts.isForOfStatement(b.parent.parent) || ts.isForInStatement(b.parent.parent))) {
      return next(b.parent.parent.expression);
    }
    const r = next(b.initializer);
    if (r) return r;
    // `let html = ''; html += …` / `data = await res.json()` later in the scope
    const scope = b.parent.parent?.parent ?? b.getSourceFile();
    for (const w of ctx.taint.writesIn(scope).assignments.get(e.text) ?? []) {
      const r2 = next(w.right);
      if (r2) return r2;
    }
    return undefined;
  }
  if (ts.isBindingElement(b)) {
    let n: ts.Node = b;
    while (ts.isBindingElement(n) || ts.isObjectBindingPattern(n) || ts.isArrayBindingPattern(n)) n = n.parent;
    if (ts.isVariableDeclaration(n)) {
      if (ts.isVariableDeclarationList(n.parent) && ts.isForOfStatement(n.parent.parent)) return next(n.parent.parent.expression);
      return next(n.initializer);
    }
    if (ts.isParameter(n)) return parameterOrigin(ctx, n, depth, seen);
    return undefined;
  }
  if (ts.isParameter(b)) return parameterOrigin(ctx, b, depth, seen);
  return undefined;
}

/** A callback parameter filled with outside data: `.then((data) => …)` on a request, `socket.on('msg', (m) => …)`. */
function parameterOrigin(ctx: RuleContext, p: ts.ParameterDeclaration, depth: number, seen: Set<ts.Node>): RemoteOrigin | undefined {
  const fn = p.parent;
  if (!isFunctionLike(fn)) return undefined;
  let holder: ts.Node = fn.parent;
  while (ts.isParenthesizedExpression(holder)) holder = holder.parent;
  // `$.ajax({ success: (data) => … })`
  if (ts.isPropertyAssignment(holder) && ts.isIdentifier(holder.name) && CALLBACK_KEYS.has(holder.name.text)) {
    const obj = holder.parent;
    const call = obj.parent;
    if (ts.isCallExpression(call) && (networkCall(call) || /ajax/i.test(calleeName(call) ?? ''))) return { node: call, label: networkCall(call) ?? 'an ajax response' };
    return undefined;
  }
  // `xhr.onload = function () { … this.responseText }` is handled by the property read
  if (!ts.isCallExpression(holder) || !holder.arguments.includes(fn as ts.Expression)) return undefined;
  const call = holder;
  const name = calleeName(call);
  const recv = calleeObject(call);
  const idx = fn.parameters.indexOf(p);
  // promise continuations: `fetch(u).then((r) => r.json()).then((data) => …)`, `$.get(u).done((data) => …)`
  if ((name === 'then' || name === 'done' || name === 'success') && recv && idx === 0) {
    return remoteOrigin(ctx, recv, depth + 1, seen);
  }
  // array callbacks over remote lists
  // `$.each(list, (i, item) => …)`; `$(sel).each((i, el) => …)` walks the page's own elements
  if (name === 'each' && recv) {
    return JQUERY.test(recv.getText()) && idx === 1 && call.arguments[0] ? remoteOrigin(ctx, call.arguments[0], depth + 1, seen) : undefined;
  }
  if ((name === 'map' || name === 'forEach' || name === 'flatMap' || name === 'filter' || name === 'reduce') && recv) {
    return idx === (name === 'reduce' ? 1 : 0) ? remoteOrigin(ctx, recv, depth + 1, seen) : undefined;
  }
  // `$.get(url, (data) => …)`, `$.getJSON(url, params, (data) => …)`
  const net = networkCall(call);
  if (net && idx === 0) return { node: call, label: net };
  // socket.io / WebSocket-like: `socket.on('event', (data) => …)`, `socket.emit('event', payload, (err, data) => …)`
  if (recv && /socket|io|ws|channel|conn(ection)?$/i.test(memberChain(recv)?.slice(-1)[0] ?? '')) {
    if (name === 'on' || name === 'once' || name === 'addEventListener') return { node: call, label: 'a socket event from the server' };
    // `socket.emit('x', payload, (err, data) => …)`: a remote procedure call answered by the app's own server
    // with view data it prepared (often escaped already); not counted as outside data
  }
  return undefined;
}
