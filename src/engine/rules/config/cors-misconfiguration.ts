import { ts } from 'ts-morph';
import { ALL_LANGUAGES, defineRule, type ReportDescriptor, type RuleContext } from '../../model/rule';
import type { Resolved } from '../../project-model/model';
import type { Span, ValueFact } from '../../project-model/types';
import { calleeName, enclosingFunction, literalText, memberChain, propertyNameText, unwrap } from '../../util/ast';
import { calledFunction, moduleOfExpression, optionProperty, optionValue, resolveObject, resolveString, shortText } from '../../util/resolve-values';
import { tryFixes } from '../../fixes/edits';
import { corsOriginFixes } from '../../fixes/config';
import { originFunctionKind } from '../../util/cors-origin';
import { textPrefilter } from '../../util/text-words';

/** the pre-filter's expression, asked only of a text that holds one of these words (util/text-words.ts) */
const CORS_CODE = textPrefilter(/cors|access-control-allow/i, ['cors', 'access-control-allow']);

/** How a CORS setting decides which sites may read responses. */
type OriginKind = 'wildcard' | 'reflect' | 'restricted' | 'unknown';
/** cors (Express, NestJS, socket.io), @fastify/cors, @koa/cors, hono/cors: they differ in defaults and in what `origin` may be. */
type Flavor = 'cors' | 'fastify' | 'koa' | 'hono';

const ACAO = 'access-control-allow-origin';
const ACAC = 'access-control-allow-credentials';

/** Whether a function `origin` option accepts every origin (reflects it) or checks it. */
function functionOrigin(ctx: RuleContext, fn: ts.FunctionLikeDeclaration, flavor: Flavor): OriginKind {
  const originParam = flavor === 'koa' ? undefined : fn.parameters[0] && ts.isIdentifier(fn.parameters[0].name) ? fn.parameters[0].name.text : undefined;
  const cbParam = flavor === 'cors' || flavor === 'fastify' ? (fn.parameters[1] && ts.isIdentifier(fn.parameters[1].name) ? fn.parameters[1].name.text : undefined) : undefined;
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
  return originFunctionKind(fn, { ...(cbParam ? { cbParam } : {}), isOriginValue, getReadsOrigin: flavor === 'koa' || flavor === 'hono' });
}

/** `require('./x')` or `require('./x').y`: a binding the project model follows into the other module. */
function requireCall(e: ts.Expression): boolean {
  let u = unwrap(e);
  if (ts.isPropertyAccessExpression(u)) u = unwrap(u.expression);
  return ts.isCallExpression(u) && ts.isIdentifier(u.expression) && u.expression.text === 'require';
}

type Related = NonNullable<ReportDescriptor['related']>[number];

/** A related location in another file, from a span the project model kept. */
function relatedAt(file: string, at: Span, message: string): Related {
  const startPos = { line: at.line, column: at.col ?? 1 };
  const endPos = { line: at.endLine ?? at.line, column: at.endCol ?? at.col ?? 1 };
  return { message, location: { file, range: { start: at.start, end: at.end, startPos, endPos }, message } };
}

/** What the project model knows of a name the file imports (`corsOptions`, `config.cors`): its value where it is written. */
function modelValueOf(ctx: RuleContext, expr: ts.Expression): Resolved | undefined {
  const project = ctx.project;
  if (!project) return undefined;
  const u = unwrap(expr);
  if (ts.isIdentifier(u)) {
    // only names the file imports: a local name is read from the syntax tree, which knows its scopes
    if (!ctx.project.facts(ctx.path)?.imports.some((i) => u.text in i.names)) return undefined;
    // …and not a parameter or a local variable of the same name
    const b = ctx.taint.scopes.resolve(u);
    if (b && (ts.isParameter(b) || (ts.isVariableDeclaration(b) && !(b.initializer && requireCall(b.initializer))))) return undefined;
    return project.valueOfName(ctx.path, u.text);
  }
  if (ts.isPropertyAccessExpression(u) && ts.isIdentifier(unwrap(u.expression))) {
    const base = modelValueOf(ctx, u.expression);
    const p = base?.value.k === 'object' ? base.value.props[u.name.text] : undefined;
    return base && p ? project.resolveValue(base.file, p) : undefined;
  }
  return undefined;
}

/** How an `origin` value the project model kept decides (the same verdicts as classifyOption). */
function factOrigin(v: ValueFact | undefined, flavor: Flavor): OriginKind {
  if (!v) return 'unknown';
  if (v.k === 'lit') {
    if (v.regex) return /^\/\^?\.\*\$?\/[a-z]*$/.test(String(v.value)) ? 'reflect' : 'restricted';
    if (typeof v.value === 'string') return v.value.trim() === '*' ? 'wildcard' : 'restricted';
    if (v.value === true) return flavor === 'cors' || flavor === 'fastify' ? 'reflect' : 'unknown';
    if (v.value === false) return 'restricted';
    return 'unknown';
  }
  if (v.k === 'array') return v.items.some((i) => i.k === 'lit' && i.regex && /^\/\^?\.\*\$?\//.test(String(i.value))) ? 'reflect' : 'restricted';
  // the model summarises origin functions with the `cors` package's `(origin, callback)` signature
  if (v.k === 'fn' && (flavor === 'cors' || flavor === 'fastify')) return v.origin === 'any' ? 'reflect' : v.origin === 'checked' ? 'restricted' : 'unknown';
  return 'unknown';
}

/** A short description of an `origin` value the project model kept, for messages. */
function factText(v: ValueFact | undefined): string | undefined {
  if (v?.k === 'lit') return v.regex ? String(v.value) : typeof v.value === 'string' ? `'${v.value}'` : String(v.value);
  if (v?.k === 'fn') return v.name ?? 'a function that accepts every origin';
  if (v?.k === 'array') return '[…]';
  return undefined;
}

function classifyOption(ctx: RuleContext, v: ts.Expression | undefined, flavor: Flavor, related?: Related[]): OriginKind {
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
    if (b && ts.isVariableDeclaration(b) && b.initializer && !requireCall(b.initializer)) {
      const init = unwrap(b.initializer);
      if (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) return functionOrigin(ctx, init, flavor);
      if (b.parent.flags & ts.NodeFlags.Const) return classifyOption(ctx, init, flavor, related);
      return 'unknown';
    }
    // an origin function another module exports (`import { corsOrigin } from './util/cors'`)
    const r = modelValueOf(ctx, u);
    if (r && r.file !== ctx.path && r.value.k === 'fn') {
      const kind = factOrigin(r.value, flavor);
      if (kind !== 'unknown' && r.value.col !== undefined) {
        related?.push(relatedAt(r.file, { start: r.value.start, end: r.value.end, line: r.value.line, col: r.value.col, endLine: r.value.endLine, endCol: r.value.endCol }, `The origin function is defined here, in ${r.file}.`));
      }
      return kind;
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
    description: 'Finds CORS setups that combine credentials (cookies, auth headers) with an origin that matches every site: `*`, `origin: true`, an origin callback that always says yes, or the request\'s own `Origin` header echoed back. Covers the `cors` package, `@fastify/cors`, `@koa/cors`, `hono/cors`, NestJS `enableCors`, and hand-set `Access-Control-Allow-Origin` headers (Express, Next.js route handlers and `next.config.js` headers). Options objects and origin functions written in another module (`app.use(cors(corsOptions))` with `corsOptions` from config/cors.js, `app.enableCors(corsOptions)`) are judged where they are used, with the module that defines them as a related location. A plain `*` without credentials is reported at low confidence only.',
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
    if (!CORS_CODE.test(ctx.text)) return {}; // cheap pre-filter: no CORS code in this file
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
          if (!opts) { checkModelOptions(call, optsExpr, flavor, lib); return; }
        }
      }
      const originV = opts ? optionValue(ctx, opts, 'origin') : undefined;
      if (originV === 'unknown') return;
      const related: Related[] = [];
      const kind = classifyOption(ctx, originV, flavor, related);
      const creds = credentialsOf(opts ? optionValue(ctx, opts, 'credentials') : undefined);
      const at = (opts && optionProperty(opts, 'origin')) ?? call;
      const originText = originV ? shortText(ctx, originV, 40) : undefined;
      judge(at, kind, creds, originText, flavor, lib, related, () => tryFixes(() => corsOriginFixes(ctx, opts, optsExpr, call, flavor)));
    };

    /**
     * Options the file imports (`app.use(cors(corsOptions))`, `app.enableCors(corsConfig)` with the object written
     * in config/cors.ts): judged from what the project model knows of that object; the finding is on the use, with
     * the options' file as a related location. No fix here: it would edit the other file.
     */
    const checkModelOptions = (call: ts.Node, optsExpr: ts.Expression, flavor: Flavor, lib: string) => {
      const project = ctx.project;
      const r = project ? modelValueOf(ctx, optsExpr) : undefined;
      // options chosen by a condition (`isDev ? { origin: true, … } : { origin: list, … }`) may be development-only
      if (!project || !r || r.file === ctx.path || r.value.k !== 'object' || r.value.alt) return;
      const obj = r.value;
      const originF = obj.props.origin;
      if (!originF && obj.spread) return;
      const related: Related[] = [];
      if (obj.at) related.push(relatedAt(r.file, obj.at, `The CORS options are defined here, in ${r.file}.`));
      const o = originF ? project.resolveValue(r.file, originF) : undefined;
      const kind = !originF ? 'wildcard' : factOrigin(o?.value, flavor);
      if (o?.value.k === 'fn' && o.file !== r.file && o.value.col !== undefined) {
        related.push(relatedAt(o.file, { start: o.value.start, end: o.value.end, line: o.value.line, col: o.value.col, endLine: o.value.endLine, endCol: o.value.endCol }, 'The origin function is defined here.'));
      }
      const credF = obj.props.credentials;
      const c = credF ? project.resolveValue(r.file, credF)?.value : undefined;
      const creds = !credF ? (obj.spread ? 'maybe' : 'no')
        : c?.k === 'lit' && (c.value === true || c.value === 'true') ? 'yes'
          : c?.k === 'lit' && (c.value === false || c.value === 'false') ? 'no' : 'maybe';
      const originText = originF ? factText(o?.value) : undefined;
      judge(optsExpr, kind, creds, originText, flavor, `${lib} (options \`${shortText(ctx, optsExpr, 30)}\` from ${r.file})`, related, () => undefined);
    };

    /** Reports an origin setting by how it decides (see classifyOption) and whether credentials are sent. */
    const judge = (at: ts.Node, kindIn: OriginKind, creds: 'yes' | 'no' | 'maybe', originText: string | undefined, flavor: Flavor, lib: string,
      related: Related[], fixes: () => ReturnType<typeof tryFixes>) => {
      let kind = kindIn;
      // @koa/cors answers a credentialed request with the caller's own origin when origin is '*' or left out
      if (flavor === 'koa' && kind === 'wildcard' && creds !== 'no') kind = 'reflect';
      const rel = related.length ? { related } : {};
      if (creds !== 'no' && (kind === 'reflect' || kind === 'wildcard')) {
        const how = kind === 'reflect'
          ? (originText ? `accepts every origin (\`origin: ${originText}\`)` : 'accepts every origin (with no `origin` set, @koa/cors answers with the caller\'s own origin)')
          : `uses \`origin: ${originText ?? "'*'"}\``;
        ctx.report({
          node: at,
          confidence: creds === 'yes' ? 'high' : 'medium',
          message: kind === 'reflect'
            ? `${lib} ${how} together with \`credentials: true\`, so any website a logged-in user visits can call this API with their cookies and read the answers. Allow only your own front-ends: \`origin: ['https://app.example.com']\`.`
            : `${lib} ${how} together with \`credentials: true\`: browsers refuse that pair, and the usual workaround (echoing the caller's origin) lets any website read logged-in responses. List the exact origins that may send cookies: \`origin: ['https://app.example.com']\`.`,
          fixes: fixes(),
          ...rel,
        });
        return;
      }
      if (kind === 'reflect' || kind === 'wildcard') {
        ctx.report({
          node: at,
          severity: 'info',
          confidence: 'low',
          message: `${lib} allows every origin (${originText ? `\`origin: ${originText}\`` : 'the default `*`'}) without credentials. That is fine for a public API that uses no cookies; if this API serves logged-in users, restrict \`origin\` to your own sites.`,
          ...rel,
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
  // the verdict of a check kept in a variable first: `const allowed = isOriginAllowed(origin, list); if (!allowed) return`
  const verdicts: string[] = [];
  const derived = (cond: ts.Expression) => {
    const t = cond.getText();
    return verdicts.some((d) => new RegExp(`\\b${d}\\b`).test(t));
  };
  let hit = false;
  const visit = (n: ts.Node) => {
    if (hit || n.pos > at.end) return;
    if (name && ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.initializer && isOriginVerdict(n.initializer, name)) verdicts.push(n.name.text);
    if ((ts.isIfStatement(n) && (mentions(n.expression) || derived(n.expression))) ||
        (ts.isConditionalExpression(n) && (mentions(n.condition) || derived(n.condition)))) { hit = true; return; }
    ts.forEachChild(n, visit);
  };
  ts.forEachChild(scope, visit);
  return hit;
}

/** Names of calls that check a value against a list or a rule: `isOriginAllowed(origin, list)`, `list.includes(origin)`. */
const CHECK_CALL = /allow|valid|check|match|trust|permit|whitelist|includes|has|test|some|indexOf/i;

/**
 * Whether an expression is a verdict on `name`: a comparison with it, or a checking call that takes it
 * (`isOriginAllowed(origin, list)`, `allowed.includes(origin)`, `/\.example\.com$/.test(origin)`), possibly awaited.
 */
function isOriginVerdict(e: ts.Expression, name: string): boolean {
  const u = unwrap(e);
  if (ts.isAwaitExpression(u)) return isOriginVerdict(u.expression, name);
  const uses = (x: ts.Node) => ts.isIdentifier(unwrap(x as ts.Expression)) && (unwrap(x as ts.Expression) as ts.Identifier).text === name;
  if (ts.isBinaryExpression(u)) {
    const k = u.operatorToken.kind;
    const comparison = k === ts.SyntaxKind.EqualsEqualsEqualsToken || k === ts.SyntaxKind.EqualsEqualsToken ||
      k === ts.SyntaxKind.ExclamationEqualsEqualsToken || k === ts.SyntaxKind.ExclamationEqualsToken;
    return comparison && (uses(u.left) || uses(u.right));
  }
  if (ts.isCallExpression(u)) {
    const callee = calleeName(u);
    return !!callee && CHECK_CALL.test(callee) && u.arguments.some(uses);
  }
  return false;
}
