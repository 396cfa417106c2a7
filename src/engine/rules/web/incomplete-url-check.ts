import { ts } from 'ts-morph';
import { ALL_LANGUAGES, defineRule, type RuleContext } from '../../model/rule';
import { calleeName, calleeObject, enclosingFunction, isFunctionLike, literalText, unwrap } from '../../util/ast';
import { resolveValue } from '../../util/web';

/** A host or origin: `example.com`, `https://app.example.com`, `.example.com`. */
const HOSTISH = /^(https?:\/\/)?\.?[a-z0-9-]+(\.[a-z0-9-]+)+(:\d+)?\/?$/i;
/** Names of values that hold a URL, host or origin. */
const URL_NAME = /url|uri|href|link|redirect|return|next|target|dest|callback|origin|referr?er|host|domain|site|location|continue|goto|forward/i;
/** Functions whose name says they decide whether a URL is allowed. */
const CHECKER_NAME = /allow|safe|valid|trusted|whitelist|permitted|isOwn|isInternal|isSameSite|sameOrigin|isLocal/i;
/** Calls that send the user or the server to a URL. */
const SINKS = /^(redirect|fetch|get|post|request|open|assign|replace|navigate|push|navigateByUrl|location)$/;

type Flaw = 'substring' | 'origin-prefix' | 'suffix';

function flawOf(method: string, value: string): Flaw | undefined {
  if (!HOSTISH.test(value)) return undefined;
  if (method === 'includes' || method === 'indexOf') return 'substring';
  if (method === 'startsWith') return /^https?:\/\/[^/]+$/i.test(value) ? 'origin-prefix' : undefined;
  if (method === 'endsWith') return /^[./]/.test(value) || /^https?:/i.test(value) ? undefined : 'suffix';
  return undefined;
}

/** The strings a check compares with: a literal, a constant, or the element of a constant list (`HOSTS.some((h) => url.includes(h))`). */
function comparedValues(ctx: RuleContext, arg: ts.Expression): string[] {
  const v = resolveValue(ctx, arg);
  const lit = literalText(v);
  if (lit !== undefined) return [lit];
  if (ts.isIdentifier(v)) {
    const b = ctx.taint.scopes.resolve(v);
    if (b && ts.isParameter(b) && isFunctionLike(b.parent) && b.parent.parameters[0] === b) {
      const call = b.parent.parent;
      if (call && ts.isCallExpression(call) && /^(some|find|filter|every|findIndex)$/.test(calleeName(call) ?? '')) {
        const list = resolveValue(ctx, calleeObject(call)!);
        if (ts.isArrayLiteralExpression(list)) return list.elements.map((e) => literalText(resolveValue(ctx, e))).filter((s): s is string => s !== undefined);
      }
    }
  }
  return [];
}

/** `url`, `req.query.next`, `new URL(x).hostname`, `event.origin`: the text naming the checked value, and its root identifier. */
function subjectOf(recv: ts.Expression): { text: string; root?: string } {
  let e = unwrap(recv);
  const text = e.getText();
  while (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e) || ts.isCallExpression(e) || ts.isNewExpression(e)) {
    if (ts.isCallExpression(e) || ts.isNewExpression(e)) {
      const a = e.arguments?.[0];
      if (ts.isNewExpression(e) && a) { e = unwrap(a); continue; }
      e = unwrap(e.expression);
      continue;
    }
    e = unwrap(e.expression);
  }
  return { text, root: ts.isIdentifier(e) ? e.text : undefined };
}

/** A redirect, navigation or request in `scope` whose target mentions `root`. */
function sinkUsing(scope: ts.Node, root: string): boolean {
  let found = false;
  const mentions = (n: ts.Node) => new RegExp(`(^|[^\\w$])${root.replace(/\$/g, '\\$')}([^\\w$]|$)`).test(n.getText());
  const visit = (n: ts.Node) => {
    if (found) return;
    if (ts.isCallExpression(n) && n.arguments.length) {
      const name = calleeName(n) ?? '';
      const full = n.expression.getText();
      if ((SINKS.test(name) && (name !== 'get' && name !== 'post' && name !== 'request' || /axios|got|http|ky|client|superagent/i.test(full)) && (name !== 'replace' || /location/.test(full)) && (name !== 'push' || /router/i.test(full)))
        && n.arguments.slice(0, 2).some(mentions)) { found = true; return; }
    }
    // `window.location.href = url`, `location = url`
    if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && /location(\.href)?$/.test(n.left.getText()) && mentions(n.right)) { found = true; return; }
    ts.forEachChild(n, visit);
  };
  visit(scope);
  return found;
}

function example(flaw: Flaw, value: string): string {
  const host = value.replace(/^https?:\/\//, '').replace(/\/$/, '').replace(/^\./, '');
  if (flaw === 'substring') return `\`https://evil.test/?${host}\` or \`https://${host}.evil.test\``;
  if (flaw === 'origin-prefix') return `\`${value}.evil.test\``;
  return `\`https://evil${host}\``;
}

export default defineRule({
  meta: {
    id: 'incomplete-url-check',
    title: 'URL allowlist checked by substring',
    category: 'web',
    severity: 'warning',
    confidence: 'medium',
    cwe: [20, 601],
    owasp: 'A01:2021 Broken Access Control',
    description: 'Finds URLs, hosts and origins checked against an allowed site with `includes`/`indexOf` (`url.includes(\'example.com\')`), `startsWith` an origin without the trailing slash (`startsWith(\'https://example.com\')`), or `endsWith` a domain without the leading dot (`hostname.endsWith(\'example.com\')`), where the checked value is then redirected to or fetched in the same function, or the check is a postMessage origin check or an allow-list helper. Other such checks are low.',
    notReported: 'Exact comparisons (`url.hostname === \'example.com\'`, `ALLOWED.includes(url.hostname)`), `startsWith` with the trailing slash, `endsWith` with the leading dot, and substring checks on values that are never redirected to or fetched (low).',
    why: 'A substring check passes for addresses the attacker owns: `https://evil.test/?example.com` contains `example.com`, `https://example.com.evil.test` starts with `https://example.com`, and `evilexample.com` ends with `example.com`. The allowlist then sends your users to a phishing page, hands an OAuth code to the attacker, or lets your server fetch their URL.',
    fix: 'Parse the URL with `new URL(value)` and compare its `origin` or `hostname` exactly with a list of allowed values (`ALLOWED_HOSTS.includes(u.hostname)`), or allow subdomains with `u.hostname === \'example.com\' || u.hostname.endsWith(\'.example.com\')`. For prefixes, include the trailing slash: `startsWith(\'https://example.com/\')`.',
    bad: `app.get('/login/callback', (req, res) => {
  const next = String(req.query.next || '/');
  if (!next.includes('example.com')) return res.redirect('/');
  res.redirect(next);
});`,
    good: `const ALLOWED_HOSTS = ['example.com', 'app.example.com'];

app.get('/login/callback', (req, res) => {
  const next = new URL(String(req.query.next || '/'), 'https://example.com');
  if (!ALLOWED_HOSTS.includes(next.hostname)) return res.redirect('/');
  res.redirect(next.toString());
});`,
    fixSafety: 'none',
    languages: ALL_LANGUAGES,
    defaultEnabled: true,
    tags: ['redirect', 'ssrf', 'validation'],
  },
  create(ctx) {
    const check = (call: ts.CallExpression | ts.NewExpression) => {
      if (!ts.isCallExpression(call) || call.arguments.length < 1) return;
      const method = calleeName(call)!;
      const recv = calleeObject(call);
      if (!recv) return;
      const r = unwrap(recv);
      // `ALLOWED.includes(host)`: an exact match in a list, the right way
      if (ts.isArrayLiteralExpression(resolveValue(ctx, r))) return;
      const values = comparedValues(ctx, call.arguments[0]);
      let flaw: Flaw | undefined;
      let value = '';
      for (const v of values) { const f = flawOf(method, v); if (f) { flaw = f; value = v; break; } }
      if (!flaw) return;
      const subject = subjectOf(r);
      const taint = ctx.taint.taintOf(r);
      if (!URL_NAME.test(subject.text) && !taint) return;
      // the check's function, past `.some((h) => …)` callbacks
      let fn = enclosingFunction(call);
      while (fn && fn.parent && ts.isCallExpression(fn.parent) && /^(some|find|filter|every|findIndex)$/.test(calleeName(fn.parent) ?? '')) fn = enclosingFunction(fn.parent);
      const fnName = fn && (fn.name && ts.isIdentifier(fn.name) ? fn.name.text : fn.parent && ts.isVariableDeclaration(fn.parent) && ts.isIdentifier(fn.parent.name) ? fn.parent.name.text : undefined);
      const originCheck = /\borigin\b/i.test(subject.text) && /\b(event|e|evt|message|msg|ev)\.origin\b|\.origin$/.test(subject.text);
      const used = !!fn && !!subject.root && sinkUsing(fn.body ?? fn, subject.root);
      const helper = !!fnName && CHECKER_NAME.test(fnName);
      const confidence = used && taint ? 'high' : used || originCheck || helper ? 'medium' : 'low';
      const what = flaw === 'substring' ? `\`${method}('${value}')\` checks for the text anywhere in the value` : flaw === 'origin-prefix' ? `\`startsWith('${value}')\` has no trailing slash` : `\`endsWith('${value}')\` has no leading dot`;
      const then = used ? ' before this URL is used' : originCheck ? ' as a postMessage origin check' : helper ? ` in \`${fnName}()\`` : '';
      ctx.report({
        node: call, confidence,
        message: `${what}${then}, so ${example(flaw, value)} passes too: an attacker's own address gets through the allowlist. Parse it with \`new URL()\` and compare \`hostname\` or \`origin\` exactly (or \`hostname.endsWith('.${value.replace(/^https?:\/\//, '').replace(/\/$/, '').replace(/^\./, '')}')\` for subdomains).`,
        ...(taint ? { related: [{ node: taint.source, message: `The checked value comes from the request (${taint.label}).` }] } : {}),
      });
    };
    return { calls: { includes: check, indexOf: check, startsWith: check, endsWith: check } };
  },
});
