import { ts } from 'ts-morph';
import { ALL_LANGUAGES, defineRule, type RuleContext } from '../../model/rule';
import { calleeName, enclosingFunction, isFunctionLike, literalText, memberChain, propertyNameText, unwrap } from '../../util/ast';
import { calledFunction, moduleOfExpression, optionProperty, optionValue, resolveObject, resolveString, shortText } from '../../util/resolve-values';
import { tryFixes } from '../../fixes/edits';
import { corsOriginFixes } from '../../fixes/config';

/** How a CORS setting decides which sites may read responses. */
type OriginKind = 'wildcard' | 'reflect' | 'restricted' | 'unknown';
/** cors (Express, NestJS, socket.io), @fastify/cors, @koa/cors, hono/cors: they differ in defaults and in what `origin` may be. */
type Flavor = 'cors' | 'fastify' | 'koa' | 'hono';

const ACAO = 'access-control-allow-origin';
const ACAC = 'access-control-allow-credentials';

/** Calls that make a function's answer depend on the origin: any of these means it is checked, not waved through. */
const CHECK_CALLS = new Set(['includes', 'indexOf', 'test', 'match', 'has', 'startsWith', 'endsWith', 'some', 'find', 'every', 'exec', 'isAllowed', 'isAllowedOrigin', 'get']);

/** Whether a function `origin` option accepts every origin (reflects it) or checks it. */
function functionOrigin(ctx: RuleContext, fn: ts.FunctionLikeDeclaration, flavor: Flavor): OriginKind {
  if (!fn.body) return 'unknown';
  const originParam = flavor === 'koa' ? undefined : fn.parameters[0] && ts.isIdentifier(fn.parameters[0].name) ? fn.parameters[0].name.text : undefined;
  const cbParam = flavor === 'cors' || flavor === 'fastify' ? (fn.parameters[1] && ts.isIdentifier(fn.parameters[1].name) ? fn.parameters[1].name.text : undefined) : undefined;
  let checked = false;
  let allows = false;
  const isOriginValue = (e: ts.Expression): boolean => {
    const u = unwrap(e);
    if (ts.isIdentifier(u) && originParam && u.text === originParam) return true;
    if (flavor === 'koa') {
      // (ctx) => ctx.get('Origin') / ctx.request.header.origin
      const p0 = fn.parameters[0] && ts.isIdentifier(fn.parameters[0].name) ? fn.parameters[0].name.text : undefined;
      const t = u.getText(ctx.sourceFile);
      return !!p0 && t.startsWith(p0 + '.') && /origin/i.test(t);
    }
    return flavor === 'hono' && !!ctx.taint.taintOf(u);
  };
  const visit = (n: ts.Node) => {
    if (checked) return;
    if (ts.isIfStatement(n) || ts.isConditionalExpression(n) || ts.isSwitchStatement(n) || ts.isThrowStatement(n)) { checked = true; return; }
    if (ts.isBinaryExpression(n)) {
      const k = n.operatorToken.kind;
      if (k === ts.SyntaxKind.EqualsEqualsEqualsToken || k === ts.SyntaxKind.ExclamationEqualsEqualsToken || k === ts.SyntaxKind.EqualsEqualsToken ||
          k === ts.SyntaxKind.ExclamationEqualsToken || k === ts.SyntaxKind.AmpersandAmpersandToken) { checked = true; return; }
    }
    if (ts.isCallExpression(n)) {
      const name = calleeName(n) ?? '';
      if (CHECK_CALLS.has(name) && !(name === 'get' && (flavor === 'koa' || flavor === 'hono'))) { checked = true; return; }
      if (/allow|valid|check|trust|verify/i.test(name)) { checked = true; return; }
      // callback(null, true) / callback(null, origin)
      const callee = unwrap(n.expression);
      if (cbParam && ts.isIdentifier(callee) && callee.text === cbParam && n.arguments[1]) {
        const a = unwrap(n.arguments[1]);
        if (a.kind === ts.SyntaxKind.TrueKeyword || isOriginValue(a)) allows = true;
        else if (a.kind === ts.SyntaxKind.FalseKeyword) { checked = true; return; }
      }
    }
    if (ts.isReturnStatement(n) && n.expression && isOriginValue(n.expression)) allows = true;
    if (isFunctionLike(n) && n !== fn) return;
    ts.forEachChild(n, visit);
  };
  if (!ts.isBlock(fn.body)) {
    if (isOriginValue(fn.body)) allows = true;
    visit(fn.body);
  } else {
    ts.forEachChild(fn.body, visit);
  }
  if (checked) return 'restricted';
  return allows ? 'reflect' : 'unknown';
}

function classifyOption(ctx: RuleContext, v: ts.Expression | undefined, flavor: Flavor): OriginKind {
  if (!v) return 'wildcard'; // every library defaults to '*'
  const u = unwrap(v);
  const s = resolveString(ctx, u);
  if (s !== undefined) return s.trim() === '*' ? 'wildcard' : 'restricted';
  if (u.kind === ts.SyntaxKind.TrueKeyword) return flavor === 'cors' || flavor === 'fastify' ? 'reflect' : 'unknown';
  if (u.kind === ts.SyntaxKind.FalseKeyword) return 'restricted';
  if (ts.isRegularExpressionLiteral(u)) return /^\/\^?\.\*\$?\/[a-z]*$/.test(u.text) ? 'reflect' : 'restricted';
  if (ts.isArrayLiteralExpression(u)) {
    if (u.elements.some((e) => ts.isRegularExpressionLiteral(unwrap(e)) && /^\/\^?\.\*\$?\//.test(unwrap(e).getText(ctx.sourceFile)))) return 'reflect';
    return 'restricted';
  }
  if (ts.isArrowFunction(u) || ts.isFunctionExpression(u)) return functionOrigin(ctx, u, flavor);
  if (ts.isIdentifier(u)) {
    const b = ctx.taint.scopes.resolve(u);
    if (b && ts.isFunctionDeclaration(b)) return functionOrigin(ctx, b, flavor);
    if (b && ts.isVariableDeclaration(b) && b.initializer) {
      const init = unwrap(b.initializer);
      if (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) return functionOrigin(ctx, init, flavor);
      if (b.parent.flags & ts.NodeFlags.Const) return classifyOption(ctx, init, flavor);
    }
    return 'unknown';
  }
  return 'unknown';
}

/** 'yes' for literal true / 'true', 'no' when absent or false, 'maybe' for a computed value. */
function credentialsOf(v: ts.Expression | 'unknown' | undefined): 'yes' | 'no' | 'maybe' {
  if (v === undefined) return 'no';
  if (v === 'unknown') return 'maybe';
  const u = unwrap(v);
  if (u.kind === ts.SyntaxKind.TrueKeyword || literalText(u) === 'true') return 'yes';
  if (u.kind === ts.SyntaxKind.FalseKeyword || literalText(u) === 'false') return 'no';
  return 'maybe';
}

interface HeaderSet { node: ts.Node; value: ts.Expression }

export default defineRule({
  meta: {
    id: 'cors-misconfiguration',
    title: 'CORS lets any website make logged-in requests',
    category: 'config',
    severity: 'error',
    confidence: 'high',
    cwe: [942],
    owasp: 'A05:2021 Security Misconfiguration',
    description: 'Finds CORS setups that combine credentials (cookies, auth headers) with an origin that matches every site: `*`, `origin: true`, an origin callback that always says yes, or the request\'s own `Origin` header echoed back. Covers the `cors` package, `@fastify/cors`, `@koa/cors`, `hono/cors`, NestJS `enableCors`, and hand-set `Access-Control-Allow-Origin` headers (Express, Next.js route handlers and `next.config.js` headers). A plain `*` without credentials is reported at low confidence only.',
    notReported: 'A plain `*` without credentials (low confidence: it is right for public APIs), allowlists, origin callbacks that check a list, and development-only settings.',
    why: 'CORS decides which other websites may read your API\'s responses from a visitor\'s browser. If every origin is allowed together with credentials, any site the user visits can call your API as that user, with their cookies, and read the answer: their profile, messages, API keys, or perform actions. Echoing the `Origin` header back is the same as allowing everyone.',
    fix: 'List the exact sites that need access: `cors({ origin: [\'https://app.example.com\'], credentials: true })`, or check the `Origin` header against an allowlist before echoing it. Public, cookie-less APIs may use `*`, but then leave `credentials` off.',
    bad: `import cors from 'cors';
app.use(cors({ origin: true, credentials: true }));`,
    good: `import cors from 'cors';
app.use(cors({ origin: ['https://app.example.com'], credentials: true }));`,
    fixSafety: 'suggestion',
    languages: ALL_LANGUAGES,
    defaultEnabled: true,
    tags: ['cors', 'config', 'headers'],
  },
  create(ctx) {
    if (!/cors|access-control-allow/i.test(ctx.text)) return {}; // cheap pre-filter: no CORS code in this file
    const originHeaders = new Map<ts.Node, HeaderSet[]>();
    const credHeaders = new Map<ts.Node, ts.Expression[]>();
    // headers set by the same function (a handler, a middleware, a `headers()` config) belong together
    const groupOf = (n: ts.Node): ts.Node => enclosingFunction(n) ?? ctx.sourceFile;
    const addHeader = (name: string, at: ts.Node, value: ts.Expression) => {
      const key = name.toLowerCase();
      const g = groupOf(at);
      if (key === ACAO) { const l = originHeaders.get(g) ?? []; l.push({ node: at, value }); originHeaders.set(g, l); }
      else if (key === ACAC) { const l = credHeaders.get(g) ?? []; l.push(value); credHeaders.set(g, l); }
    };

    const checkOptions = (call: ts.Node, optsExpr: ts.Expression | undefined, flavor: Flavor, lib: string) => {
      let opts: ts.ObjectLiteralExpression | undefined;
      if (optsExpr) {
        const u = unwrap(optsExpr);
        // cors((req, cb) => cb(null, {...})): per-request options, not analysed
        if (ts.isArrowFunction(u) || ts.isFunctionExpression(u)) return;
        if (u.kind === ts.SyntaxKind.TrueKeyword) { opts = undefined; } // NestFactory / socket.io `cors: true`
        else {
          opts = resolveObject(ctx, optsExpr);
          if (!opts) return;
        }
      }
      const originV = opts ? optionValue(ctx, opts, 'origin') : undefined;
      if (originV === 'unknown') return;
      let kind = classifyOption(ctx, originV, flavor);
      const creds = credentialsOf(opts ? optionValue(ctx, opts, 'credentials') : undefined);
      // @koa/cors answers a credentialed request with the caller's own origin when origin is '*' or left out
      if (flavor === 'koa' && kind === 'wildcard' && creds !== 'no') kind = 'reflect';
      const at = (opts && optionProperty(opts, 'origin')) ?? call;
      const originText = originV ? shortText(ctx, originV, 40) : 'the default `*`';
      if (creds !== 'no' && (kind === 'reflect' || kind === 'wildcard')) {
        const how = kind === 'reflect'
          ? (originV ? `accepts every origin (\`origin: ${originText}\`)` : 'accepts every origin (with no `origin` set, @koa/cors answers with the caller\'s own origin)')
          : `uses \`origin: ${originV ? originText : "'*'"}\``;
        ctx.report({
          node: at,
          confidence: creds === 'yes' ? 'high' : 'medium',
          message: kind === 'reflect'
            ? `${lib} ${how} together with \`credentials: true\`, so any website a logged-in user visits can call this API with their cookies and read the answers. Allow only your own front-ends: \`origin: ['https://app.example.com']\`.`
            : `${lib} ${how} together with \`credentials: true\`: browsers refuse that pair, and the usual workaround (echoing the caller's origin) lets any website read logged-in responses. List the exact origins that may send cookies: \`origin: ['https://app.example.com']\`.`,
          fixes: tryFixes(() => corsOriginFixes(ctx, opts, optsExpr, call, flavor)),
        });
        return;
      }
      if (kind === 'reflect' || kind === 'wildcard') {
        ctx.report({
          node: at,
          severity: 'info',
          confidence: 'low',
          message: `${lib} allows every origin (${originV ? `\`origin: ${originText}\`` : originText}) without credentials. That is fine for a public API that uses no cookies; if this API serves logged-in users, restrict \`origin\` to your own sites.`,
        });
      }
    };

    return {
      CallExpression(call) {
        const name = calleeName(call);
        const args = call.arguments;
        if (!name) return;
        // manual headers: res.setHeader / res.header / res.set / ctx.set / reply.header / headers.set / headers.append
        if ((name === 'setHeader' || name === 'header' || name === 'set' || name === 'append') && args.length >= 2) {
          const h = resolveString(ctx, args[0]);
          if (h && (h.toLowerCase() === ACAO || h.toLowerCase() === ACAC)) addHeader(h, call, args[1]);
          return;
        }
        if (name === 'register' && args.length >= 1) {
          const plugin = moduleOfExpression(ctx, args[0]);
          if (plugin && (plugin.module === '@fastify/cors' || plugin.module === 'fastify-cors')) checkOptions(call, args[1], 'fastify', '@fastify/cors');
          return;
        }
        if (name === 'enableCors') {
          checkOptions(call, args[0], 'cors', 'CORS');
          return;
        }
        const ref = calledFunction(ctx, call);
        if (!ref) return;
        if (ref.module === 'cors') checkOptions(call, args[0], 'cors', 'CORS');
        else if (ref.module === '@koa/cors' || ref.module === 'kcors' || ref.module === 'koa2-cors') checkOptions(call, args[0], 'koa', '@koa/cors');
        else if (ref.module === 'hono/cors' && ref.imported === 'cors') checkOptions(call, args[0], 'hono', 'hono/cors');
      },
      PropertyAssignment(p) {
        const key = propertyNameText(p.name);
        if (!key) return;
        const k = key.toLowerCase();
        if (k === ACAO || k === ACAC) { addHeader(key, p, p.initializer); return; }
        // NestFactory.create(AppModule, { cors: {...} }) / new Server(http, { cors: {...} }) (socket.io)
        if (key === 'cors' && p.parent.parent && (ts.isCallExpression(p.parent.parent) || ts.isNewExpression(p.parent.parent))) {
          const outer = p.parent.parent;
          const chain = memberChain(outer.expression)?.join('.') ?? '';
          const ref = calledFunction(ctx, outer);
          if (chain === 'NestFactory.create' || ref?.module === 'socket.io' || ref?.module === '@nestjs/core') {
            checkOptions(p, p.initializer, 'cors', 'CORS');
          }
        }
      },
      ObjectLiteralExpression(obj) {
        // next.config.js headers(): { key: 'Access-Control-Allow-Origin', value: '*' }
        const keyV = optionValue(ctx, obj, 'key');
        const valV = optionValue(ctx, obj, 'value');
        if (!keyV || keyV === 'unknown' || !valV || valV === 'unknown') return;
        const h = resolveString(ctx, keyV);
        if (h && (h.toLowerCase() === ACAO || h.toLowerCase() === ACAC)) addHeader(h, obj, valV);
      },
      onFileEnd() {
        for (const [g, sets] of originHeaders) {
          const creds = (credHeaders.get(g) ?? []).map((v) => credentialsOf(v));
          const cred = creds.includes('yes') ? 'yes' : creds.includes('maybe') ? 'maybe' : 'no';
          for (const s of sets) {
            const lit = resolveString(ctx, s.value);
            let kind: OriginKind;
            let label = '';
            if (lit !== undefined) kind = lit.trim() === '*' ? 'wildcard' : 'restricted';
            else {
              const t = ctx.taint.taintOf(s.value, 'code');
              if (t && !insideCheckOf(s.node, s.value)) { kind = 'reflect'; label = t.label; }
              else kind = 'unknown';
            }
            if (kind === 'restricted' || kind === 'unknown') continue;
            if (cred !== 'no') {
              ctx.report({
                node: s.node,
                confidence: cred === 'yes' ? 'high' : 'medium',
                message: kind === 'reflect'
                  ? `\`Access-Control-Allow-Origin\` echoes the request's own origin (\`${label}\`) while \`Access-Control-Allow-Credentials\` is true, so any website can call this API with the user's cookies and read the answers. Compare the origin with an allowlist and only echo it when it matches.`
                  : '`Access-Control-Allow-Origin: *` is sent with `Access-Control-Allow-Credentials: true`: browsers refuse that pair, and the usual workaround (echoing the caller\'s origin) lets any website read logged-in responses. Send only origins from an allowlist.',
              });
            } else {
              ctx.report({
                node: s.node,
                severity: 'info',
                confidence: 'low',
                message: `\`Access-Control-Allow-Origin\` is ${kind === 'reflect' ? `echoed from \`${label}\`` : '`*`'} without credentials, so any site may read these responses. That is fine for public data; if it serves logged-in users, allow only your own origins.`,
              });
            }
          }
        }
      },
    };
  },
});

/**
 * Whether an `if`/ternary that looks at the echoed value (an origin check: allowlist, suffix match, early return)
 * runs before or around the header set.
 */
function insideCheckOf(at: ts.Node, value: ts.Expression): boolean {
  const v = unwrap(value);
  const name = ts.isIdentifier(v) ? v.text : undefined;
  const mentions = (cond: ts.Expression) => {
    const t = cond.getText();
    return name ? new RegExp(`\\b${name}\\b`).test(t) && !/^!?\s*\w+$/.test(t.trim()) : /origin/i.test(t);
  };
  const scope = enclosingFunction(at) ?? at.getSourceFile();
  let hit = false;
  const visit = (n: ts.Node) => {
    if (hit || n.pos > at.end) return;
    if ((ts.isIfStatement(n) && mentions(n.expression)) || (ts.isConditionalExpression(n) && mentions(n.condition))) { hit = true; return; }
    ts.forEachChild(n, visit);
  };
  ts.forEachChild(scope, visit);
  return hit;
}
