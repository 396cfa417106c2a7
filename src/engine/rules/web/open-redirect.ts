import { ts } from 'ts-morph';
import { textPrefilter } from '../../util/text-words';
import { ALL_LANGUAGES, defineRule, sameVisitor, type RuleContext } from '../../model/rule';
import {
  calleeName, calleeObject, enclosingFunction, getPropertyValue, isFunctionLike, literalText, memberChain, propertyNameText,
  rootIdentifier, unwrap,
} from '../../util/ast';
import {
  flatten, flowText, isHeaderOrCookieSource, isRequestPathDerived, isOwnAddressSource, isOwnLocation, judgeUrl, resolveValue, truncate, urlConstructorInput,
} from '../../util/web';

/** the operators of the assignments the rule's visitor of binary expressions acts on: it returns at once on any other */
const OPERATORS = ['='];

/** the router hooks named in the text (`includes`, asked only when the shared pass of util/text-words found the word) */
const ROUTER_HOOK = textPrefilter(['useRouter'], ['useRouter']);
const NAVIGATE_HOOK = textPrefilter(['useNavigate'], ['useNavigate']);
/** the classes the rule's `new` visitor acts on: it returns at once on any other */
const RESPONSE_CLASSES = ['Response', 'NextResponse'];
/** the callees the rule's call visitor acts on in a file without `useNavigate` (whose hook is called by any name) */
const REDIRECT_CALLS = ['redirect', 'permanentRedirect', 'assign', 'replace', 'push', 'setHeader', 'set', 'header', 'writeHead'];
/** Modules whose bare `redirect(url)` sends the browser elsewhere. */
const REDIRECT_MODULES = /^(next\/navigation|next\/dist\/|@remix-run\/|react-router|@sveltejs\/kit|@solidjs\/router|@tanstack\/)/;

const LOCATION_TARGETS = new Set(['location', 'location.href', 'window.location', 'window.location.href', 'document.location',
  'document.location.href', 'top.location', 'top.location.href', 'window.top.location', 'window.top.location.href', 'self.location']);

const RESPONSE_NAMES = /^(res|response|resp|reply|rep)$/;

/** `res`/`reply`/`ctx`/`c` of a request handler at the root of `res.status(302).redirect(…)`. */
function isResponseLike(ctx: RuleContext, recv: ts.Expression): boolean {
  const kind = ctx.taint.requestKind(recv);
  if (kind === 'koa' || kind === 'hono') return true;
  const root = rootIdentifier(recv);
  if (!root) return false;
  if (ctx.taint.requestKind(root) === 'koa' || ctx.taint.requestKind(root) === 'hono') return true;
  const b = ctx.taint.scopes.resolve(root);
  if (!b || !ts.isParameter(b) || !ts.isIdentifier(b.name)) return false;
  const fn = b.parent;
  if (!isFunctionLike(fn)) return false;
  const idx = fn.parameters.indexOf(b);
  const first = fn.parameters[0];
  if (idx > 0 && first && ts.isIdentifier(first.name) && ctx.taint.requestKind(first.name) === 'http') return true;
  // a named helper that takes the response first (`function backTo(res, url)`): callers pass it in; a callback's
  // first parameter named `res` is usually something else (`fetch(…).then((res) => …)`)
  const callback = !!fn.parent && (ts.isCallExpression(fn.parent) || ts.isNewExpression(fn.parent)) && fn.parent.expression !== fn;
  return (idx > 0 || !callback) && RESPONSE_NAMES.test(b.name.text);
}

/** The URL argument of `redirect([status,] url)` / `redirect(url, [status])`. */
function urlArgument(args: ts.NodeArray<ts.Expression>): ts.Expression | undefined {
  for (const a of args) {
    const u = unwrap(a);
    if (ts.isNumericLiteral(u)) continue;
    if (ts.isIdentifier(u) && /^(status|code|statusCode|httpStatus)$/i.test(u.text)) continue;
    if (ts.isPropertyAccessExpression(u) && /status|code|^[A-Z_]+$/i.test(u.name.text) && /^[A-Z]/.test(u.name.text)) continue;
    return a;
  }
  return undefined;
}

/** A variable declared from a React router hook: `const router = useRouter()`, `const navigate = useNavigate()`. */
function fromHook(ctx: RuleContext, id: ts.Expression | undefined, hooks: RegExp): boolean {
  if (!id) return false;
  const e = unwrap(id);
  if (!ts.isIdentifier(e)) return false;
  const v = resolveValue(ctx, e, 1);
  return ts.isCallExpression(v) && hooks.test(calleeName(v) ?? '');
}

/** `if (next.startsWith('/'))` with no check for `//` (`//evil.com` is another site) and no allowlist. */
function weakPrefixCheck(ctx: RuleContext, value: ts.Expression, sink: ts.Node): ts.Identifier | undefined {
  // only the leading part decides the origin: `${origin}${next}` is fine whatever `next` starts with
  const parts = flatten(ctx, urlConstructorInput(ctx, value) ?? value);
  const first = parts.find((p) => !('text' in p) || p.text !== '');
  if (first && 'expr' in first) {
    const u = unwrap(first.expr);
    if (!ts.isIdentifier(u) || !ctx.taint.taintOf(u)) return undefined;
    const fn = enclosingFunction(sink);
    if (!fn) return undefined;
    const text = fn.getText(ctx.sourceFile);
    const startsSlash = new RegExp(`\\b${u.text}\\??\\.startsWith\\(\\s*['"\`]/['"\`]\\s*\\)`).test(text);
    const doubleSlash = /['"`]\/\/|\\\/\\\/|['"`]\/\\\\|\[\/\\\\\]|new URL\(|\.includes\(|\.has\(|\b(is|validate|check)[A-Z]\w*\(/.test(text);
    if (startsSlash && !doubleSlash) return u;
  }
  return undefined;
}

export default defineRule({
  meta: {
    id: 'open-redirect',
    title: 'Redirect to a URL taken from the request',
    category: 'web',
    severity: 'warning',
    confidence: 'high',
    cwe: [601],
    owasp: 'A01:2021 Broken Access Control',
    description: 'Finds redirects whose destination comes from the request or the page URL (`?next=`, `?returnTo=`, `callbackUrl`): Express `res.redirect`, Koa `ctx.redirect`, Fastify `reply.redirect`, Next.js `redirect()`/`NextResponse.redirect()`, `Response.redirect`, `Location` headers, and `location.href`/`location.assign`/`router.push` in the browser.',
    notReported: 'Destinations the request cannot point at another site: the request\'s own path reshaped (`req.originalUrl.replace(…)`, low), a fixed path with a query string or a captured id, the query or fragment of a parsed URL, `encodeURIComponent` segments, the Host header, values checked against the site\'s own address (`startsWith(siteUrl)`, `url.origin === …`) or vetted by a helper (`safeRedirect(x)`, `resolveLoginRedirect(x)`), and `redirect_uri`s behind a redirect-validity check (`if (err.redirectable)`). A `Location` header sent with a status that is not a redirect (`res.status(201).header(\'Location\', …)` for a created resource) is not followed by browsers and is not reported.',
    why: 'A link to your own domain that bounces visitors to a look-alike site is a phisher\'s favourite tool: people trust the first hostname they see. Redirects that accept `javascript:` URLs can also run script.',
    fix: 'Only redirect to paths on your own site: accept the value if it starts with a single `/` (not `//` or `/\\`), or compare `new URL(value, base).origin` with your origin, or pick the destination from a fixed list. Otherwise fall back to a default page.',
    bad: `app.get('/login/done', (req, res) => {
  res.redirect(req.query.next);
});`,
    good: `app.get('/login/done', (req, res) => {
  const next = String(req.query.next || '');
  res.redirect(next.startsWith('/') && !next.startsWith('//') ? next : '/dashboard');
});`,
    fixSafety: 'none',
    languages: ALL_LANGUAGES,
    defaultEnabled: true,
    tags: ['redirect', 'phishing', 'validation'],
  },
  create(ctx) {
    const check = (value: ts.Expression | undefined, at: ts.Node, how: string, opts: { quietUnlessTainted?: boolean } = {}) => {
      if (!value) return;
      const weak = weakPrefixCheck(ctx, value, at);
      if (weak) {
        ctx.report({
          node: at,
          confidence: 'medium',
          message: `${how} only checks that \`${weak.text}\` starts with \`/\`, but \`//evil.example\` and \`/\\evil.example\` also start with \`/\` and lead to another site. Also reject values starting with \`//\` or \`/\\\`, or compare \`new URL(value, base).origin\` with your own.`,
        });
        return;
      }
      const j = judgeUrl(ctx, value, at);
      if (j.kind === 'safe' || !j.part) return;
      // the page's own address (`location.href`, `location.pathname`) unless read through its query or fragment
      const ownAddress = !!j.trace && isOwnAddressSource(j.trace) &&
        !/searchParams|URLSearchParams|\.hash\b|\.search\b/.test(flowText(ctx, j.part));
      const sameOrigin = isOwnLocation(j.part) || ownAddress;
      const referer = /referr?er/i.test(j.part.getText(ctx.sourceFile)) || /referr?er/i.test(j.trace?.label ?? '');
      const notFromLink = !!j.trace && isHeaderOrCookieSource(j.trace);
      // the request's own path reshaped (`req.originalUrl.replace(…)`): it starts with `/` on this site; only a
      // request for `//host/…` could make it leave, which routes rarely match
      const ownPath = !!j.trace && isRequestPathDerived(ctx, j.trace, j.part);
      if (j.kind === 'tainted' && j.trace && !sameOrigin && !referer && !notFromLink && !ownPath) {
        ctx.report({
          node: at,
          confidence: 'high',
          message: `${how} sends users to \`${j.trace.label}\`, which anyone can set in a link: your domain can be used to bounce visitors to a phishing site. Only allow paths that start with a single \`/\`, or check the origin against your own.`,
          related: [{ node: j.trace.source, message: `The destination enters here (${j.trace.label}).` }],
        });
        return;
      }
      if (opts.quietUnlessTainted) return;
      ctx.report({
        node: at,
        confidence: 'low',
        message: `${how} uses \`${truncate(j.part.getText(ctx.sourceFile), 40)}\` as its destination; if users can influence it, your site can forward visitors anywhere. Redirect only to paths on your site or to an allowlist of URLs.`,
      });
    };

    // resolving every call's callee to a hook is costly; files that never mention the hooks skip it
    const usesRouterHook = ROUTER_HOOK.test(ctx.text);
    const usesNavigateHook = NAVIGATE_HOOK.test(ctx.text);
    // redirects by name; with `useNavigate`, the hook's result is called by whatever name it was given: then every call
    const onCallExpression = (call: ts.CallExpression) => {
      const name = calleeName(call);
      if (!name) return;
      const recv = calleeObject(call);
      const callee = unwrap(call.expression);
      if (name === 'redirect' || name === 'permanentRedirect') {
        if (recv) {
          const chain = memberChain(recv)?.join('.');
          if (chain === 'NextResponse' || chain === 'Response') return check(call.arguments[0], call, `\`${chain}.redirect()\``);
          if (isResponseLike(ctx, recv)) {
            const arg = urlArgument(call.arguments);
            if (arg && literalText(arg) === 'back') return;
            return check(arg, call, `\`${truncate(call.expression.getText(ctx.sourceFile), 30)}()\``);
          }
          return;
        }
        if (ts.isIdentifier(callee)) {
          const mod = ctx.facts.imports.get(callee.text)?.module;
          if (mod && REDIRECT_MODULES.test(mod)) check(urlArgument(call.arguments), call, `\`${name}()\``);
        }
        return;
      }
      if ((name === 'assign' || name === 'replace') && recv) {
        const chain = memberChain(recv)?.join('.');
        const root = rootIdentifier(recv);
        if (chain && LOCATION_TARGETS.has(chain) && !chain.endsWith('href') && root && !ctx.taint.scopes.resolve(root)) check(call.arguments[0], call, `\`${chain}.${name}()\``);
        return;
      }
      // router.push(next) / navigate(next) in client components: only attacker data matters
      if (usesRouterHook && (name === 'push' || name === 'replace') && recv && fromHook(ctx, recv, /^useRouter$/)) {
        return check(call.arguments[0], call, `\`router.${name}()\``, { quietUnlessTainted: true });
      }
      if (usesNavigateHook && ts.isIdentifier(callee) && fromHook(ctx, callee, /^useNavigate$/)) {
        return check(call.arguments[0], call, `\`${callee.text}()\``, { quietUnlessTainted: true });
      }
      // res.setHeader('Location', x) / res.set('Location', x) / ctx.set('Location', x)
      if ((name === 'setHeader' || name === 'set' || name === 'header') && recv && call.arguments.length >= 2 &&
          /^location$/i.test(literalText(call.arguments[0]) ?? '') && isResponseLike(ctx, recv)) {
        // `res.status(201).header('Location', …)`: the address of a created resource, which browsers do not follow
        if (notRedirectStatus(chainedStatus(recv))) return;
        return check(call.arguments[1], call, 'The `Location` header');
      }
      if (name === 'writeHead' && recv) {
        if (notRedirectStatus(call.arguments[0])) return;
        for (const a of call.arguments) {
          const o = unwrap(a);
          if (ts.isObjectLiteralExpression(o)) check(locationHeader(o), call, 'The `Location` header');
        }
      }
    };
    return {
      CallExpression: usesNavigateHook ? onCallExpression : sameVisitor(REDIRECT_CALLS, onCallExpression),
      NewExpression: sameVisitor(RESPONSE_CLASSES, (ne) => {
        const name = calleeName(ne);
        if ((name !== 'Response' && name !== 'NextResponse') || !ne.arguments?.[1]) return;
        const init = resolveValue(ctx, ne.arguments[1]);
        if (!ts.isObjectLiteralExpression(init)) return;
        if (notRedirectStatus(getPropertyValue(init, 'status'))) return;
        const headers = getPropertyValue(init, 'headers');
        const h = headers && resolveValue(ctx, headers);
        if (h && ts.isObjectLiteralExpression(h)) check(locationHeader(h), ne, 'The `Location` header');
      }),
      BinaryExpression: sameVisitor(OPERATORS, (node) => {
        if (node.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return;
        // cheap name test before building the chain: only `…location` / `…href` targets matter
        const left = node.left;
        const last = ts.isPropertyAccessExpression(left) ? left.name.text : ts.isIdentifier(left) ? left.text : '';
        if (last !== 'location' && last !== 'href') return;
        const chain = memberChain(node.left)?.join('.');
        if (!chain || !LOCATION_TARGETS.has(chain)) return;
        const root = rootIdentifier(node.left);
        if (root && ctx.taint.scopes.resolve(root)) return; // a local variable named `location`
        if (ts.isObjectLiteralExpression(unwrap(node.right))) return; // a test stub: `window.location = { … }`
        check(node.right, node, `\`${chain} = …\``);
      }),
    };
  },
});

/** The status a response chain set before a header call: `res.status(201)` / `reply.code(201)` in `….header(…)`. */
function chainedStatus(recv: ts.Expression): ts.Expression | undefined {
  for (let e = unwrap(recv); ts.isCallExpression(e); ) {
    const name = calleeName(e);
    if ((name === 'status' || name === 'code') && e.arguments.length === 1) return e.arguments[0];
    const next = calleeObject(e);
    if (!next) return undefined;
    e = unwrap(next);
  }
  return undefined;
}

/**
 * A status written as a number that is not a redirect (3xx): a `Location` header sent with `201 Created` names the new
 * resource, and browsers follow `Location` only on a redirect.
 */
function notRedirectStatus(status: ts.Expression | undefined): boolean {
  const s = status && unwrap(status);
  if (!s || !ts.isNumericLiteral(s)) return false;
  const n = Number(s.text);
  return n >= 100 && n < 600 && (n < 300 || n > 399);
}

function locationHeader(obj: ts.ObjectLiteralExpression): ts.Expression | undefined {
  for (const p of obj.properties) {
    if (ts.isPropertyAssignment(p) && /^location$/i.test(propertyNameText(p.name) ?? '')) return p.initializer;
  }
  return undefined;
}
