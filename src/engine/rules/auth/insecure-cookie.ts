import { ts } from 'ts-morph';
import { ALL_LANGUAGES, defineRule, sameVisitor, type RuleContext } from '../../model/rule';
import { calleeName, calleeObject, memberChain, nameWords, unwrap } from '../../util/ast';
import { calledFunction, moduleOfExpression, optionProperty, optionValue, resolveObject, resolveString, shortText } from '../../util/resolve-values';
import { tryFixes } from '../../fixes/edits';
import { cookieCallFixes, sessionConfigFixes, sessionSecureMissingFixes, setCookieHeaderFixes } from '../../fixes/cookies';
import { textPrefilter } from '../../util/text-words';

/** the pre-filter's expression, asked only of a text that holds one of these words (util/text-words.ts) */
const COOKIE_CODE = textPrefilter(/cookie|session/i, ['cookie', 'session']);
/** a session library named in the text (the words of its expression, in the shared pass first) */
const SESSION_LIBS = textPrefilter(/express-session|cookie-session|koa-session|iron-session|@fastify\/(session|secure-session|cookie)/, ['express-session', 'cookie-session', 'koa-session', 'iron-session', '@fastify/']);

type Flag = 'httpOnly' | 'secure' | 'sameSite';

/** the callees the rule's call visitor acts on in a file that names no session library (it returns at once on any other) */
const COOKIE_CALLS = ['cookie', 'setCookie', 'serialize', 'set', 'setHeader', 'append', 'header'];
/** Defaults of the cookie API: which flags are on when the option is left out. */
interface Api { label: string; httpOnlyDefault: boolean; secureDefault: boolean; sameSiteDefault: boolean }
const PLAIN: Api = { label: '', httpOnlyDefault: false, secureDefault: false, sameSiteDefault: false };
/** Koa (`cookies` package): httpOnly by default, `secure` follows the connection. */
const KOA: Api = { label: 'Koa', httpOnlyDefault: true, secureDefault: true, sameSiteDefault: false };

const SENSITIVE_WORDS = new Set(['session', 'sess', 'sid', 'token', 'tokens', 'auth', 'jwt', 'refresh', 'remember', 'login',
  'credential', 'credentials', 'apikey', 'bearer', 'sso', 'identity', 'impersonate', 'impersonation']);
const CSRF_WORDS = new Set(['csrf', 'xsrf']);

const WHY: Record<Flag, string> = {
  httpOnly: '`httpOnly: true` (otherwise any script on the page, e.g. one injected through XSS, can read and steal it)',
  secure: '`secure: true` (otherwise it is also sent over plain HTTP, where anyone on the same network can copy it)',
  sameSite: '`sameSite: \'lax\'` or `\'strict\'` (otherwise other sites can send requests that carry it, which enables CSRF)',
};

/** `a`, `a and b`, `a, b and c` */
function andList(xs: string[]): string {
  return xs.length <= 1 ? xs.join('') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`;
}

const HEADER_WHY: Record<Flag, string> = {
  httpOnly: '`HttpOnly` (so page scripts, including injected ones, cannot read it)',
  secure: '`Secure` (so it never travels over plain HTTP)',
  sameSite: '`SameSite=Lax` (so other sites cannot send requests that carry it)',
};

function sensitiveName(name: string | undefined): boolean {
  if (!name) return false;
  const words = nameWords(name.replace(/^__(Host|Secure)-/, ''));
  if (words.includes('csrf') || words.includes('xsrf')) return true;
  // 'expires', 'hint', 'state' cookies that sit next to a session are not the session itself
  if (words.some((w) => w === 'expiry' || w === 'expires' || w === 'exp' || w === 'hint' || w === 'present' || w === 'exists' ||
      w === 'has' || w === 'is' || w === 'logged' || w === 'count' || w === 'type')) return false;
  return words.some((w) => SENSITIVE_WORDS.has(w)) || /^(sid|jwt|connect\.sid|sessionid|authtoken)$/i.test(name);
}

function sensitiveValue(ctx: RuleContext, v: ts.Expression | undefined): boolean {
  if (!v) return false;
  const e = unwrap(v);
  const ws = (s: string) => nameWords(s).some((w) => w === 'token' || w === 'jwt' || w === 'session' || w === 'sid' || w === 'refresh');
  if (ts.isIdentifier(e)) return ws(e.text);
  if (ts.isPropertyAccessExpression(e)) return ws(e.name.text);
  if (ts.isAwaitExpression(e)) return sensitiveValue(ctx, e.expression);
  if (ts.isCallExpression(e)) {
    const n = calleeName(e) ?? '';
    if (n === 'sign' || /^(sign|create|issue|generate|encrypt|seal)/i.test(n) && ws(n)) return true;
    if (n === 'sign') return true;
    return false;
  }
  return false;
}

/** Is this cookie being cleared (empty value, maxAge 0, expiry in the past)? */
function clearing(ctx: RuleContext, value: ts.Expression | undefined, opts: ts.ObjectLiteralExpression | undefined): boolean {
  if (value && resolveString(ctx, value) === '') return true;
  if (!opts) return false;
  const maxAge = optionValue(ctx, opts, 'maxAge') ?? optionValue(ctx, opts, 'expires');
  if (!maxAge || maxAge === 'unknown') return false;
  const m = unwrap(maxAge);
  if (ts.isNumericLiteral(m) && Number(m.text) === 0) return true;
  if (ts.isPrefixUnaryExpression(m) && m.operator === ts.SyntaxKind.MinusToken) return true;
  if (ts.isNewExpression(m) && calleeName(m) === 'Date' && m.arguments?.length === 1 && ts.isNumericLiteral(unwrap(m.arguments[0])) && Number((unwrap(m.arguments[0]) as ts.NumericLiteral).text) === 0) return true;
  return false;
}

/**
 * Whether an option turns the flag on: `true`, or a non-literal expression (e.g. `process.env.NODE_ENV === 'production'`,
 * `isProd`) that is on in production. 'off' for a literal false, 'missing' when not set, 'unknown' when a spread may set it.
 */
function flagState(ctx: RuleContext, opts: ts.ObjectLiteralExpression | undefined, flag: Flag): 'on' | 'off' | 'missing' | 'unknown' {
  if (!opts) return 'missing';
  const v = optionValue(ctx, opts, flag);
  if (v === 'unknown') return 'unknown';
  if (!v) return 'missing';
  const u = unwrap(v);
  if (u.kind === ts.SyntaxKind.FalseKeyword) return 'off';
  if (flag === 'sameSite' && (resolveString(ctx, u) ?? '').toLowerCase() === 'none') return 'on';
  if (ts.isIdentifier(u) && u.text === 'undefined') return 'missing';
  return 'on';
}

/** Parses a `Set-Cookie` header string: name and which attributes its static text sets. */
function parseSetCookie(e: ts.Expression): { name?: string; flags: Set<string> } | undefined {
  const u = unwrap(e);
  let text: string;
  let head: string;
  if (ts.isStringLiteralLike(u)) { text = u.text; head = u.text; }
  else if (ts.isTemplateExpression(u)) { head = u.head.text; text = u.head.text + u.templateSpans.map((s) => ' ' + s.literal.text).join(''); }
  else return undefined;
  const m = /^\s*([^=;\s]+)=/.exec(head);
  const flags = new Set<string>();
  for (const part of text.split(';').slice(1)) {
    const k = part.trim().split('=')[0].toLowerCase();
    if (k) flags.add(k);
  }
  return { name: m?.[1], flags };
}

export default defineRule({
  meta: {
    id: 'insecure-cookie',
    title: 'Session or auth cookie without httpOnly, secure or sameSite',
    category: 'auth',
    severity: 'warning',
    confidence: 'medium',
    cwe: [614, 1004, 1275],
    owasp: 'A05:2021 Security Misconfiguration',
    description: 'Finds cookies that look like they hold a session or token (by name or value) set without `httpOnly`, `secure` or `sameSite`: Express `res.cookie`, Fastify `reply.setCookie`, Koa `ctx.cookies.set`, Next.js `cookies().set` / `response.cookies.set`, Hono `setCookie`, `cookie.serialize` and hand-written `Set-Cookie` headers, plus session middleware configured with `secure: false` or `httpOnly: false`, and express-session with no `secure` at all (it is off by default).',
    notReported: 'Cookies whose name and value do not look like a session or token (theme, locale, consent flags), and cookies whose flags come from a variable Shipsafe cannot read. Settings that only apply in development are low confidence. cookie-session and Koa sessions without `secure` are fine: they turn it on by themselves over https.',
    why: 'A session cookie is as good as a password. Without `httpOnly`, any script that runs on your page can read it; without `secure`, it travels over plain HTTP where others on the network can copy it; without `sameSite`, other websites can make the browser send it along with requests they forge (CSRF).',
    fix: 'Set all three on every session or token cookie: `{ httpOnly: true, secure: true, sameSite: \'lax\' }` (`secure: process.env.NODE_ENV === \'production\'` is fine if you develop over plain http). Cookies like theme or language do not need them.',
    bad: `app.post('/login', async (req, res) => {
  const token = await createSessionToken(req.body.email, req.body.password);
  res.cookie('session', token);
  res.redirect('/dashboard');
});`,
    good: `app.post('/login', async (req, res) => {
  const token = await createSessionToken(req.body.email, req.body.password);
  res.cookie('session', token, { httpOnly: true, secure: true, sameSite: 'lax', maxAge: 86400000 });
  res.redirect('/dashboard');
});`,
    fixSafety: 'suggestion',
    languages: ALL_LANGUAGES,
    defaultEnabled: true,
    tags: ['cookies', 'session', 'auth'],
  },
  create(ctx) {
    if (!COOKIE_CODE.test(ctx.text)) return {}; // cheap pre-filter: no cookie or session code in this file
    const check = (node: ts.Node, nameExpr: ts.Expression | undefined, value: ts.Expression | undefined, optsArg: ts.Expression | undefined, api: Api, objectForm?: ts.ObjectLiteralExpression) => {
      let opts: ts.ObjectLiteralExpression | undefined = objectForm;
      if (!opts && optsArg) {
        opts = resolveObject(ctx, optsArg);
        if (!opts) return; // options built elsewhere: cannot tell
      }
      const name = nameExpr ? resolveString(ctx, nameExpr) : undefined;
      const csrf = !!name && nameWords(name).some((w) => CSRF_WORDS.has(w));
      const sensitive = sensitiveName(name) ||
        (sensitiveValue(ctx, value) && !(name && /^(theme|locale|lang|language|consent|color|mode)/i.test(name)));
      if (!sensitive) return;
      if (clearing(ctx, value, opts)) return;
      // a constant value ('1', 'true', a fixed marker) is the same for everyone: not a session or token
      if (value) {
        const vu = unwrap(value);
        if (resolveString(ctx, vu) !== undefined || ts.isNumericLiteral(vu) || vu.kind === ts.SyntaxKind.TrueKeyword || vu.kind === ts.SyntaxKind.FalseKeyword) return;
      }
      const missing: Flag[] = [];
      const flags: Flag[] = csrf ? ['secure', 'sameSite'] : ['httpOnly', 'secure', 'sameSite'];
      for (const f of flags) {
        const s = flagState(ctx, opts, f);
        if (s === 'unknown' || s === 'on') continue;
        const dflt = f === 'httpOnly' ? api.httpOnlyDefault : f === 'secure' ? api.secureDefault : api.sameSiteDefault;
        if (s === 'off' || !dflt) missing.push(f);
      }
      if (!missing.length) return;
      const label = name ? `\`${name}\`` : `holding \`${shortText(ctx, value!, 30)}\``;
      const explicit = missing.filter((f) => flagState(ctx, opts, f) === 'off');
      const list = missing.map((f) => WHY[f]).join('; ');
      ctx.report({
        node,
        severity: missing.length === 1 && missing[0] === 'sameSite' ? 'info' : 'warning',
        confidence: ctx.facts.testFile ? 'low' : 'medium',
        message: `The cookie ${label} looks like a session or token but is set ${explicit.length ? `with ${explicit.map((f) => `\`${f}: false\``).join(' and ')}${explicit.length < missing.length ? ' and ' : ''}` : ''}${explicit.length < missing.length ? `without ${andList(missing.filter((f) => !explicit.includes(f)).map((f) => `\`${f}\``))}` : ''}. Add ${list}.`,
        fixes: ts.isCallExpression(node) ? tryFixes(() => cookieCallFixes(ctx, node, opts, value, missing)) : undefined,
      });
    };

    /** `session({ cookie: { secure: false } })`-style middleware: only explicit `false` is a finding (their defaults are safe or auto). */
    const checkSessionConfig = (node: ts.Node, cookie: ts.ObjectLiteralExpression, lib: string) => {
      const off: Flag[] = [];
      for (const f of ['httpOnly', 'secure'] as Flag[]) if (flagState(ctx, cookie, f) === 'off') off.push(f);
      if (!off.length) return;
      ctx.report({
        node: (off.length === 1 ? optionProperty(cookie, off[0]) : undefined) ?? node,
        severity: 'warning',
        confidence: ctx.facts.testFile ? 'low' : 'medium',
        message: `The ${lib} session cookie is configured with ${off.map((f) => `\`${f}: false\``).join(' and ')}. Use ${off.map((f) => WHY[f]).join('; ')}; \`secure: process.env.NODE_ENV === 'production'\` keeps local http working.`,
        fixes: tryFixes(() => sessionConfigFixes(ctx, cookie, off)),
      });
    };

    /**
     * express-session / cookie-session with no `secure` at all: both default to `false`, so the session cookie also
     * travels over plain http. Reported once per middleware; an explicit `false` is reported by checkSessionConfig.
     */
    const checkSecureMissing = (call: ts.CallExpression, opts: ts.ObjectLiteralExpression, cookie: ts.ObjectLiteralExpression | undefined, lib: 'express-session' | 'cookie-session') => {
      const target = lib === 'cookie-session' ? opts : cookie;
      const state = target ? flagState(ctx, target, 'secure') : 'missing';
      if (state !== 'missing') return;
      ctx.report({
        node: target && lib === 'express-session' ? (optionProperty(opts, 'cookie') ?? call) : call,
        severity: 'warning',
        confidence: ctx.facts.testFile ? 'low' : 'medium',
        message: `The ${lib} session cookie has no \`secure\` option, and ${lib} leaves it off by default: the session id is also sent over plain HTTP, where anyone on the same network can copy it and take over the session. Set \`${lib === 'express-session' ? 'cookie: { secure: ' : 'secure: '}process.env.NODE_ENV === 'production'${lib === 'express-session' ? ' }' : ''}\` (and \`app.set('trust proxy', 1)\` behind a proxy).`,
        fixes: tryFixes(() => sessionSecureMissingFixes(ctx, opts, cookie, lib)),
      });
    };

    const sessionLibs = SESSION_LIBS.test(ctx.text);

    // cookies set by name; with a session library, any call may configure one (calledFunction): then every call
    const onCallExpression = (call: ts.CallExpression) => {
      const name = calleeName(call);
      if (!name) return;
      const recv = calleeObject(call);
      const args = call.arguments;

      // Express res.cookie(name, value, opts) / Fastify reply.setCookie / reply.cookie
      if ((name === 'cookie' || name === 'setCookie') && recv && args.length >= 2) {
        const chain = memberChain(recv);
        const last = chain?.[chain.length - 1];
        if (last && /^(res|response|resp|reply|rep)$/.test(last)) {
          check(call, args[0], args[1], args[2], PLAIN);
          return;
        }
      }
      // Hono setCookie(c, name, value, opts); cookie.serialize(name, value, opts)
      if ((name === 'setCookie' || name === 'serialize') && args.length >= 2) {
        const ref = calledFunction(ctx, call);
        if (ref && (ref.module === 'hono/cookie' || ref.module === 'hono/helper') && ref.imported === 'setCookie') { check(call, args[1], args[2], args[3], PLAIN); return; }
        if (ref && ref.module === 'cookie' && ref.imported === 'serialize') { check(call, args[0], args[1], args[2], PLAIN); return; }
      }
      // Koa ctx.cookies.set / Next.js cookies().set / response.cookies.set
      if (name === 'set' && recv && args.length >= 1) {
        const chain = memberChain(recv);
        const rc = unwrap(recv);
        let api: Api | undefined;
        if (chain && chain.length >= 2 && chain[chain.length - 1] === 'cookies') {
          const base = chain.slice(0, -1).join('.');
          if (/^(ctx|context|this)$/.test(base)) api = KOA;
          else if (/request|^req$/i.test(base)) return; // request cookies in middleware: not sent to the browser
          else api = PLAIN;
        } else if (ts.isCallExpression(rc) || ts.isAwaitExpression(rc) || ts.isIdentifier(rc)) {
          const inner = ts.isAwaitExpression(rc) ? unwrap(rc.expression) : rc;
          let target: ts.Expression | undefined = inner;
          if (ts.isIdentifier(inner)) {
            const b = ctx.taint.scopes.resolve(inner);
            target = b && ts.isVariableDeclaration(b) && b.initializer ? unwrap(b.initializer) : undefined;
            if (target && ts.isAwaitExpression(target)) target = unwrap(target.expression);
          }
          if (target && ts.isCallExpression(target)) {
            const ref = calledFunction(ctx, target);
            if (ref && ref.module === 'next/headers' && ref.imported === 'cookies') api = PLAIN;
          }
        }
        if (!api) return;
        const first = unwrap(args[0]);
        if (ts.isObjectLiteralExpression(first) && args.length === 1) {
          const nv = optionValue(ctx, first, 'name');
          const vv = optionValue(ctx, first, 'value');
          check(call, nv === 'unknown' ? undefined : nv, vv === 'unknown' ? undefined : vv, undefined, api, first);
          return;
        }
        if (args.length >= 2) check(call, args[0], args[1], args[2], api);
        return;
      }
      // res.setHeader('Set-Cookie', 'token=…; Path=/') — hand-written cookie headers
      if ((name === 'setHeader' || name === 'append' || name === 'set' || name === 'header') && args.length >= 2 &&
          (resolveString(ctx, args[0]) ?? '').toLowerCase() === 'set-cookie') {
        const vals = ts.isArrayLiteralExpression(unwrap(args[1])) ? (unwrap(args[1]) as ts.ArrayLiteralExpression).elements : [args[1]];
        for (const v of vals) {
          const parsed = parseSetCookie(v);
          if (!parsed || !sensitiveName(parsed.name)) continue;
          if (/max-age=0\b/i.test(v.getText(ctx.sourceFile)) || /expires=thu, 01 jan 1970/i.test(v.getText(ctx.sourceFile))) continue;
          const missing: Flag[] = [];
          if (!parsed.flags.has('httponly') && !nameWords(parsed.name!).some((w) => CSRF_WORDS.has(w))) missing.push('httpOnly');
          if (!parsed.flags.has('secure')) missing.push('secure');
          if (!parsed.flags.has('samesite')) missing.push('sameSite');
          if (!missing.length) continue;
          ctx.report({
            node: v,
            severity: missing.length === 1 && missing[0] === 'sameSite' ? 'info' : 'warning',
            confidence: ctx.facts.testFile ? 'low' : 'medium',
            message: `The \`Set-Cookie\` header for \`${parsed.name}\` looks like a session or token but lacks ${andList(missing.map((f) => (f === 'httpOnly' ? '`HttpOnly`' : f === 'secure' ? '`Secure`' : '`SameSite`')))}. Add ${missing.map((f) => HEADER_WHY[f]).join('; ')}.`,
            fixes: tryFixes(() => setCookieHeaderFixes(ctx, v, missing)),
          });
        }
        return;
      }

      // session middleware: express-session / cookie-session / koa-session / @fastify/session / iron-session
      if (!sessionLibs) return;
      const ref = calledFunction(ctx, call);
      if (ref) {
        const mod = ref.module;
        if (mod === 'express-session' || mod === 'cookie-session') {
          const opts = resolveObject(ctx, args[0]);
          if (!opts) return;
          // cookie-session (the `cookies` package) turns `secure` on by itself over https: only an explicit false counts
          if (mod === 'cookie-session') { checkSessionConfig(call, opts, 'cookie-session'); return; }
          const cookie = optionValue(ctx, opts, 'cookie');
          if (cookie === 'unknown') return;
          const co = cookie ? resolveObject(ctx, cookie) : undefined;
          if (co) checkSessionConfig(call, co, 'express-session');
          if (cookie && !co) return; // cookie options built elsewhere: cannot tell
          // `const opts = {…}; opts.cookie = {…}` later on: the literal is not the whole story
          const arg = unwrap(args[0]);
          if (ts.isIdentifier(arg) && (ctx.text.includes(`${arg.text}.cookie`) || ctx.text.includes(`${arg.text}[`))) return;
          checkSecureMissing(call, opts, co, 'express-session');
          return;
        }
        if (mod === 'koa-session') {
          const opts = resolveObject(ctx, args[0]);
          if (opts) checkSessionConfig(call, opts, 'koa-session');
          return;
        }
        if (mod === 'iron-session' && (ref.imported === 'getIronSession' || ref.imported === 'withIronSessionApiRoute' || ref.imported === 'withIronSessionSsr')) {
          const opts = resolveObject(ctx, args[args.length - 1]);
          const co = opts ? optionValue(ctx, opts, 'cookieOptions') : undefined;
          const coo = co && co !== 'unknown' ? resolveObject(ctx, co) : undefined;
          if (coo) checkSessionConfig(call, coo, 'iron-session');
          return;
        }
      }
      // fastify.register(fastifySession, { cookie: { secure: false } })
      if (name === 'register' && args.length >= 2) {
        const plugin = moduleOfExpression(ctx, args[0]);
        if (plugin && (plugin.module === '@fastify/session' || plugin.module === '@fastify/secure-session' || plugin.module === '@fastify/cookie')) {
          const opts = resolveObject(ctx, args[1]);
          if (!opts) return;
          const key = plugin.module === '@fastify/cookie' ? 'parseOptions' : plugin.module === '@fastify/secure-session' ? 'cookie' : 'cookie';
          const c = optionValue(ctx, opts, key);
          const co = c && c !== 'unknown' ? resolveObject(ctx, c) : undefined;
          if (co) checkSessionConfig(call, co, plugin.module);
        }
      }
    };
    return {
      CallExpression: sessionLibs ? onCallExpression : sameVisitor(COOKIE_CALLS, onCallExpression),
    };
  },
});
