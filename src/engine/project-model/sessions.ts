/**
 * Cookie and session facts of one file, for the project model (what `missing-csrf-protection` needs to judge a
 * route as mounted): session middleware created here and the `sameSite` of its cookie, session or auth cookies
 * set by hand (`res.cookie('token', …)`), and signs of CSRF protection (a CSRF library, a CSRF token or an
 * Origin/Referer/Sec-Fetch-Site check written by hand). Plain data from one parsed file, like the rest of the
 * module facts; kept apart from extract.ts so the session logic lives in one place.
 */
import { ts } from 'ts-morph';
import { calleeName, literalText, nameWords, propertyNameText, unwrap } from '../util/ast';
import type { ImportFact } from './types';
import { cookEscapes, textMentions } from '../util/text';
import { textPrefilter } from '../util/text-words';
import { FileLines } from './lines';
import { textSign } from './text-signs';

/**
 * A cookie's `SameSite` as written: `unset` when the option is left out (or `false`: no attribute), `unknown`
 * when it comes from something this file does not show (a variable from elsewhere, a spread).
 */
export type SameSite = 'strict' | 'lax' | 'none' | 'unset' | 'unknown';

export interface CookieFact {
  /** `session`: session middleware (the library); `cookie`: a session or auth cookie set by hand (its name) */
  kind: 'session' | 'cookie';
  lib?: string;
  name?: string;
  sameSite: SameSite;
  start: number;
  end: number;
  /** 1-based line and column of the start and end (columns in UTF-16 code units) */
  line: number;
  col: number;
  endLine: number;
  endCol: number;
  /** the options are imported (`session(sessionConfig)` with `sessionConfig` from './config/session'): where from */
  optsFrom?: { spec: string; imported: string };
}

export interface SessionFacts {
  cookies?: CookieFact[];
  /** what protects this file's code against CSRF: a library's name, `token` or `origin check` */
  csrf?: string;
  /**
   * Session options objects this file exports, by export name ('default' for `module.exports =` / `export default`),
   * with the `sameSite` they set: read when another file passes them to a session middleware.
   */
  options?: Record<string, SameSite>;
  /** the file reads request cookies (`req.cookies`, `req.signedCookies`, `ctx.cookies.get`, the Cookie header) */
  readsCookies?: true;
  /** the file reads a bearer token from the Authorization header */
  readsBearer?: true;
  /**
   * Next.js: the cookie-based sign-in this module uses (`iron-session`, `next-auth`, `supabase`, `clerk`, `lucia`,
   * `better-auth`, or `cookie` for a session cookie read with `cookies().get('session')`), and the weakest `sameSite`
   * written anywhere in it (the library's cookie options), when one is
   */
  nextAuth?: { lib: string; sameSite?: SameSite };
}

/** Packages that sign users in to a Next.js app with a cookie, and the name Shipsafe gives them. */
export const NEXT_COOKIE_AUTH: [RegExp, string][] = [
  [/^iron-session(\/edge)?$/, 'iron-session'],
  [/^next-auth(\/next|\/jwt)?$/, 'next-auth'],
  [/^@auth\/nextjs$/, 'next-auth'],
  [/^@supabase\/(ssr|auth-helpers-nextjs)$/, 'supabase'],
  [/^@clerk\/nextjs(\/server)?$/, 'clerk'],
  [/^lucia$/, 'lucia'],
  [/^better-auth(\/next-js)?$/, 'better-auth'],
  [/^@auth0\/nextjs-auth0(\/edge)?$/, 'auth0'],
  [/^@kinde-oss\/kinde-auth-nextjs\/server$/, 'kinde'],
];
export function nextCookieAuthLib(spec: string): string | undefined {
  return NEXT_COOKIE_AUTH.find(([re]) => re.test(spec))?.[1];
}

/** Session middleware packages whose cookie identifies the user. */
export const SESSION_LIBS = /^(express-session|cookie-session|koa-session|koa-generic-session|@fastify\/session|@fastify\/secure-session|fastify-session|fastify-secure-session|client-sessions|@hono\/session|hono-sessions|hono-session)$/;
/** Packages that protect against CSRF (tokens, double-submit cookies, origin checks). */
export const CSRF_LIBS = /^(csurf|@dr\.pogodin\/csurf|csrf|csrf-csrf|csrf-sync|tiny-csrf|lusca|@fastify\/csrf-protection|@fastify\/csrf|fastify-csrf|koa-csrf|@koa\/csrf|edge-csrf|@edge-csrf\/\w+|next-csrf|host-csrf|express-csrf-double-submit-cookie|csrf-token|xsrf|@hono\/csrf|hono\/csrf)$/;

/** Libraries whose options carry `sameSite` at the top level rather than under `cookie`. */
const TOP_LEVEL_COOKIE = /^(cookie-session|koa-session|koa-generic-session|client-sessions)$/;
/** Libraries whose options carry `sameSite` under `cookieOptions` (Hono's session middleware). */
const COOKIE_OPTIONS = /^(hono-sessions|hono-session|@hono\/session)$/;
/** Session middleware factories imported by name (`import { sessionMiddleware } from 'hono-sessions'`). */
const SESSION_FACTORY = /^(session|sessionMiddleware|useSession|cookieSession)$/;

/** Words of a cookie name that make it a session or login cookie (a refresh token alone is not sent to state-changing routes). */
const AUTH_WORDS = new Set(['session', 'sess', 'sid', 'token', 'auth', 'jwt', 'access', 'login', 'remember', 'user', 'identity', 'sso']);
const NOT_AUTH_WORDS = new Set(['csrf', 'xsrf', 'refresh', 'consent', 'theme', 'locale', 'lang', 'expires', 'expiry', 'hint', 'state', 'nonce', 'verifier', 'redirect', 'return', 'returnto', 'callback', 'flash', 'preview']);

export function authCookieName(name: string): boolean {
  const words = nameWords(name.replace(/^__(Host|Secure)-/, ''));
  if (words.some((w) => NOT_AUTH_WORDS.has(w))) return false;
  return words.some((w) => AUTH_WORDS.has(w)) || /^(sid|jwt|connect\.sid|sessionid|authtoken)$/i.test(name);
}

const VARIABLE = ts.SyntaxKind.VariableDeclaration, STRING = ts.SyntaxKind.StringLiteral, TEMPLATE = ts.SyntaxKind.NoSubstitutionTemplateLiteral;
const MEMBER = ts.SyntaxKind.PropertyAccessExpression, CALL = ts.SyntaxKind.CallExpression, PROPERTY = ts.SyntaxKind.PropertyAssignment;

/**
 * Whether the file holds the number 403, however it is spelled (a numeric literal's text is its value): `403`,
 * `403.0`, `4_03`, `4.03e2`, `0x193`, `0b110010011`, `0o623`, the legacy octal `0623`. The walk is skipped when the
 * text has none of these spellings: the digits 403 in a row, a hexadecimal, binary or octal prefix, a separator
 * between digits, an exponent, or a number starting with 0 then an octal digit.
 */
const MAY_HOLD_403 = /403|0[xXbBoO]|\d_\d|\d[eE][+-]?\d|(?:^|[^\w.$])0[0-7]/;
function has403(sf: ts.SourceFile): boolean {
  if (!MAY_HOLD_403.test(sf.text)) return false;
  const visit = (n: ts.Node): boolean | undefined => (n.kind === ts.SyntaxKind.NumericLiteral && (n as ts.NumericLiteral).text === '403') || ts.forEachChild(n, visit);
  return !!ts.forEachChild(sf, visit);
}


/**
 * An Origin/Referer/Sec-Fetch-Site header read from a request, or a custom header only same-origin scripts can
 * send without a CORS preflight (`X-Requested-With`).
 */
const ORIGIN_HEADER = /^(origin|referer|referrer|sec-fetch-site|x-requested-with)$/i;
/** A name or string that mentions a CSRF token. */
const CSRF_WORD = /csrf|xsrf/i;
/** Names that refuse a request: a NestJS guard (`canActivate` returning false is a 403) or exception. */
const REJECT_NAME = /^(ForbiddenException|FORBIDDEN|canActivate)$/;
/** The same names anywhere in a text: whether a file can hold one (REJECT_NAME is anchored, for one identifier). */
const REJECT_WORD = /ForbiddenException|FORBIDDEN|canActivate/;

/** Imports that give facts by themselves: session and CSRF libraries, Next.js sign-in and cookies, Hono's cookie and JWT helpers. */
function specialImport(spec: string): boolean {
  return SESSION_LIBS.test(spec) || CSRF_LIBS.test(spec) || nextCookieAuthLib(spec) !== undefined || spec === 'hono/cookie' || spec === 'hono/jwt' || spec === 'next/headers';
}

/**
 * Words (any case, escapes cooked) without which the walk below finds nothing in a file that imports none of the
 * libraries above (specialImport) and mentions no CSRF word: a cookie (read, set, its options or `sameSite`), the
 * Authorization header or a bearer token (or a header read with `headers.get`); a session or CSRF library's
 * `require` handed to `register`; an Origin/Referer check, which counts only with a 403 or a refusing name.
 */
const WALK_RE = /cookie|samesite|bearer|authorization|headers/i;
const REGISTER_RE = /register/i;
const REGISTERED_RE = /session|csurf|lusca/i;
const ORIGIN_RE = /origin|referer|referrer|sec-fetch-site|x-requested-with|xhr/i;
// (exact pre-filters: on the file's text the shared pass's words alone answer; a cooked text is asked the expression,
// which is faster there than an automaton of the pre-filter's own)
const WALK = textPrefilter(WALK_RE, ['cookie', 'samesite', 'bearer', 'authorization', 'headers']);
const REGISTER = textPrefilter(REGISTER_RE, ['register']);
const REGISTERED = textPrefilter(REGISTERED_RE, ['session', 'csurf', 'lusca']);
const ORIGIN = textPrefilter(ORIGIN_RE, ['origin', 'referer', 'referrer', 'sec-fetch-site', 'x-requested-with', 'xhr']);

function walkMayFind(text: string, rejectWords: boolean): boolean {
  // an identifier's or a string's value is a substring of the cooked text; without escapes, of the text
  const rejectable = () => rejectWords || MAY_HOLD_403.test(text);
  if (text.includes('\\')) {
    const cooked = cookEscapes(text);
    return WALK_RE.test(cooked) || (REGISTER_RE.test(cooked) && REGISTERED_RE.test(cooked)) || (ORIGIN_RE.test(cooked) && rejectable());
  }
  return WALK.test(text) || (REGISTER.test(text) && REGISTERED.test(text)) || (ORIGIN.test(text) && rejectable());
}

/**
 * `nodes`: the analysis walk's nodes of `sf` (document order, parent pointers set), read instead of a walk of the tree
 * when they hold every node the facts look at: all the kinds below except identifiers (which count only in a file
 * that mentions a CSRF word or a refusing name) and numeric literals (a `403` counts only in a file that reads the
 * Origin header and has no CSRF protection otherwise: looked for then, in a walk of its own).
 */
export function extractSessionFacts(sf: ts.SourceFile, imports: readonly ImportFact[], nodes?: readonly ts.Node[]): SessionFacts | undefined {
  const text = sf.text;
  // cheap test before the walk: files that mention none of its words have no facts here (text-signs.ts)
  if (!textSign(text, 'sessions')) return undefined;
  // local name → package, for packages whose default export (or the whole module) is imported
  const pkgOf = new Map<string, string>();
  const importOf = new Map<string, { spec: string; imported: string }>();
  let csrf: string | undefined;
  let special = false;
  for (const imp of imports) {
    if (CSRF_LIBS.test(imp.spec)) csrf ??= imp.spec;
    if (!special && specialImport(imp.spec)) special = true;
    for (const [local, imported] of Object.entries(imp.names)) {
      if (imported === 'default' || imported === '*') pkgOf.set(local, imp.spec);
      importOf.set(local, { spec: imp.spec, imported });
    }
  }
  // names tested on every identifier: skipped when the file mentions none of them (escapes cooked)
  const csrfWords = textMentions(text, CSRF_WORD);
  const rejectWords = textMentions(text, REJECT_WORD);
  if (!special && !csrfWords && !walkMayFind(text, rejectWords)) return undefined;
  // `const x = <expr>` seen so far in the file (options are written into a variable before they are used)
  const consts = new Map<string, ts.Expression>();
  const deref = (e: ts.Expression | undefined, depth = 0): ts.Expression | undefined => {
    if (!e) return undefined;
    const u = unwrap(e);
    if (ts.isIdentifier(u) && depth < 4) { const c = consts.get(u.text); return c ? deref(c, depth + 1) : u; }
    return u;
  };
  const prop = (o: ts.ObjectLiteralExpression, key: string): ts.Expression | 'spread' | undefined => {
    let spread = false;
    for (const p of o.properties) {
      if (ts.isSpreadAssignment(p)) { spread = true; continue; }
      if (ts.isPropertyAssignment(p) && propertyNameText(p.name) === key) return p.initializer;
      if (ts.isShorthandPropertyAssignment(p) && p.name.text === key) return p.name;
    }
    return spread ? 'spread' : undefined;
  };
  const WEAKEST: SameSite[] = ['none', 'unset', 'unknown', 'lax', 'strict'];
  const sameSiteValue = (e: ts.Expression | undefined, depth = 0): SameSite => {
    const u = deref(e);
    if (!u || depth > 4) return 'unknown';
    if (u.kind === ts.SyntaxKind.TrueKeyword) return 'strict';
    if (u.kind === ts.SyntaxKind.FalseKeyword || (ts.isIdentifier(u) && u.text === 'undefined') || u.kind === ts.SyntaxKind.NullKeyword) return 'unset';
    const s = literalText(u)?.toLowerCase();
    if (s === 'strict' || s === 'lax' || s === 'none') return s;
    if (ts.isConditionalExpression(u)) {
      const a = sameSiteValue(u.whenTrue, depth + 1), b = sameSiteValue(u.whenFalse, depth + 1);
      return WEAKEST.indexOf(a) < WEAKEST.indexOf(b) ? a : b;
    }
    return 'unknown';
  };
  /** `sameSite` of an options object (`cookie: { sameSite }` when `nested`). */
  const sameSiteOf = (opts: ts.Expression | undefined, nested: boolean | 'cookieOptions'): SameSite => {
    if (!opts) return 'unset';
    const o = deref(opts);
    if (!o || !ts.isObjectLiteralExpression(o)) return 'unknown';
    let target: ts.ObjectLiteralExpression = o;
    if (nested) {
      const c = prop(o, nested === 'cookieOptions' ? 'cookieOptions' : 'cookie');
      if (c === 'spread') return 'unknown';
      if (c === undefined) return 'unset';
      const co = deref(c);
      if (!co || !ts.isObjectLiteralExpression(co)) return 'unknown';
      target = co;
    }
    const v = prop(target, 'sameSite') ?? prop(target, 'samesite');
    if (v === 'spread') return 'unknown';
    return v === undefined ? 'unset' : sameSiteValue(v);
  };

  /** a cookie's name: a string, a constant holding one, or a constant named for a session (`SESSION_COOKIE_NAME`, `APP_CONFIG.SESSION_COOKIE`) */
  const cookieNameOf = (e: ts.Expression | undefined): string | undefined => {
    const u = deref(e);
    if (!u) return undefined;
    const lit = literalText(u);
    if (lit !== undefined) return lit;
    const name = ts.isIdentifier(u) ? u.text : ts.isPropertyAccessExpression(u) ? u.name.text : undefined;
    return name && /session|sid|token|auth/i.test(name) && !/csrf|xsrf|refresh/i.test(name) ? name : undefined;
  };
  const cookies: CookieFact[] = [];
  /** every `sameSite` written in the file (a Next.js auth library's cookie options) */
  const sameSites: SameSite[] = [];
  /** `cookies()` of next/headers, by local name */
  const nextCookies = new Set(imports.filter((i) => i.spec === 'next/headers').flatMap((i) => Object.entries(i.names).filter(([, v]) => v === 'cookies').map(([k]) => k)));
  let nextCookieRead = false;
  let readsCookies = false;
  let readsBearer = false;
  let originRead = false;
  let rejects = false;
  let fileLines: FileLines | undefined;
  const at = (n: ts.Node) => {
    const start = n.getStart(sf);
    const end = n.getEnd();
    const lines = (fileLines ??= new FileLines(sf));
    const a = lines.line(start);
    const b = lines.line(end);
    return { start, end, line: a + 1, col: lines.character(start, a) + 1, endLine: b + 1, endCol: lines.character(end, b) + 1 };
  };
  const visitOne = (n: ts.Node): void => {
    switch (n.kind) {
      case ts.SyntaxKind.VariableDeclaration: {
        const d = n as ts.VariableDeclaration;
        if (d.initializer && ts.isIdentifier(d.name)) consts.set(d.name.text, d.initializer);
        break;
      }
      case ts.SyntaxKind.Identifier: {
        if (!csrfWords && !rejectWords) break;
        const t = (n as ts.Identifier).text;
        if (csrf === undefined && csrfWords && CSRF_WORD.test(t)) csrf = 'token';
        // a NestJS guard (`canActivate` returning false is a 403) or exception that refuses the request
        if (!rejects && rejectWords && REJECT_NAME.test(t)) rejects = true;
        break;
      }
      case ts.SyntaxKind.StringLiteral:
      case ts.SyntaxKind.NoSubstitutionTemplateLiteral: {
        const t = (n as ts.StringLiteralLike).text;
        if (csrf === undefined && csrfWords && CSRF_WORD.test(t)) csrf = 'token';
        // each test below wants a word at the start of the string: its first letter, in either case, first
        // (`| 32` lowercases an ASCII letter; no other character becomes one)
        const c = t.charCodeAt(0) | 32;
        if (!originRead && (c === 111 || c === 114 || c === 115 || c === 120) && ORIGIN_HEADER.test(t)) originRead = true;
        if (!readsCookies && c === 99 && /^cookie$/i.test(t)) readsCookies = true;
        if (!readsBearer && ((c === 98 && /^bearer\b/i.test(t)) || (c === 97 && /^authorization$/i.test(t)))) readsBearer = true;
        break;
      }
      case ts.SyntaxKind.PropertyAccessExpression: {
        const pa = n as ts.PropertyAccessExpression;
        const name = pa.name.text;
        const base = unwrap(pa.expression);
        const baseName = ts.isPropertyAccessExpression(base) ? base.name.text : ts.isIdentifier(base) ? base.text : '';
        if ((name === 'cookies' || name === 'signedCookies') && /^(req|request|ctx|context|c)$/.test(baseName)) readsCookies = true;
        if (baseName === 'headers' && (name === 'cookie')) readsCookies = true;
        if (baseName === 'headers' && ORIGIN_HEADER.test(name)) originRead = true;
        if (baseName === 'headers' && name === 'authorization') readsBearer = true;
        if (name === 'xhr' && /^(req|request)$/.test(baseName)) originRead = true;
        break;
      }
      case ts.SyntaxKind.NumericLiteral:
        if ((n as ts.NumericLiteral).text === '403') rejects = true;
        break;
      case ts.SyntaxKind.CallExpression:
        onCall(n as ts.CallExpression);
        break;
      case ts.SyntaxKind.PropertyAssignment: {
        const pa = n as ts.PropertyAssignment;
        if (/^same_?site$/i.test(propertyNameText(pa.name) ?? '')) sameSites.push(sameSiteValue(pa.initializer));
        break;
      }
    }
  };
  const visit = (n: ts.Node): void => {
    visitOne(n);
    ts.forEachChild(n, visit);
  };
  const onCall = (call: ts.CallExpression) => {
    const callee = unwrap(call.expression);
    const name = calleeName(call) ?? '';
    // session(…), cookieSession(…), session(CONFIG, app) (koa-session), fastify.register(fastifySession, { cookie })
    let lib: string | undefined;
    let opts: ts.Expression | undefined;
    if (ts.isIdentifier(callee)) {
      lib = pkgOf.get(callee.text);
      const named = importOf.get(callee.text);
      if (!lib && named && SESSION_LIBS.test(named.spec) && SESSION_FACTORY.test(named.imported)) lib = named.spec;
      // Hono's cookie helpers: `setCookie(c, 'session_id', id, opts)`, `getCookie(c, 'session_id')`
      if (named?.spec === 'hono/cookie') {
        if (/^get(Signed)?Cookie$/.test(named.imported)) readsCookies = true;
        if (/^set(Signed)?Cookie$/.test(named.imported)) {
          const cname = cookieNameOf(call.arguments[1]);
          if (cname && authCookieName(cname)) cookies.push({ kind: 'cookie', name: cname, sameSite: sameSiteOf(call.arguments[named.imported === 'setSignedCookie' ? 4 : 3], false), ...at(call) });
          return;
        }
      }
      // hono/jwt reading the token from a cookie (`jwt({ secret, cookie: 'auth' })`) rather than the Authorization header
      if (named?.spec === 'hono/jwt' && named.imported === 'jwt') {
        const o = deref(call.arguments[0]);
        if (o && ts.isObjectLiteralExpression(o) && prop(o, 'cookie') !== undefined) readsCookies = true;
        else readsBearer = true;
      }
      if (lib && SESSION_LIBS.test(lib)) {
        // koa-session's app argument (`session(CONFIG, app)`, or `session(app, CONFIG)` in old versions) is not the options
        const args = call.arguments.filter((a) => { const u = unwrap(a); return !(ts.isIdentifier(u) && /^(app|server|koa|application)$/i.test(u.text)); });
        opts = args.find((a) => { const d = deref(a); return !!d && ts.isObjectLiteralExpression(d); }) ?? args[0];
      } else lib = undefined;
    } else if (name === 'register' && call.arguments[0]) {
      const a0 = unwrap(call.arguments[0]);
      const spec = ts.isIdentifier(a0) ? pkgOf.get(a0.text)
        : ts.isCallExpression(a0) && ts.isIdentifier(unwrap(a0.expression)) && (unwrap(a0.expression) as ts.Identifier).text === 'require' ? literalText(a0.arguments[0]) : undefined;
      if (spec && SESSION_LIBS.test(spec)) { lib = spec; opts = call.arguments[1]; }
      if (spec && CSRF_LIBS.test(spec)) csrf ??= spec;
    }
    if (lib) {
      const o = opts ? unwrap(opts) : undefined;
      const from = o && ts.isIdentifier(o) ? importOf.get(o.text) : undefined;
      cookies.push({ kind: 'session', lib, sameSite: sameSiteOf(opts, COOKIE_OPTIONS.test(lib) ? 'cookieOptions' : !TOP_LEVEL_COOKIE.test(lib)), ...at(call), ...(from && from.spec.startsWith('.') ? { optsFrom: from } : {}) });
      return;
    }
    // res.cookie('token', …, opts), reply.setCookie(…), ctx.cookies.set(…), cookies().set(…)
    if (!ts.isPropertyAccessExpression(callee)) return;
    const recv = unwrap(callee.expression);
    const recvName = ts.isIdentifier(recv) ? recv.text : ts.isPropertyAccessExpression(recv) ? recv.name.text : ts.isCallExpression(recv) ? calleeName(recv) ?? '' : '';
    // a credential read from a request header the browser never adds by itself: `headers.get('x-api-key')`,
    // `req.headers.get(AUTH_HEADER)` (a constant naming an auth or token header)
    if (name === 'get' && recvName === 'headers' && call.arguments[0]) {
      const a = unwrap(call.arguments[0]);
      const lit = literalText(a);
      if ((lit !== undefined && /^(authorization|x-[\w-]*(auth|token|key|secret|signature|session)[\w-]*)$/i.test(lit)) ||
        (ts.isIdentifier(a) && /auth|token|key|secret/i.test(a.text))) readsBearer = true;
    }
    // Next.js: `cookies().get('session')`, `(await cookies()).get('session')`, `request.cookies.get('token')`
    if (name === 'get' && (recvName === 'cookies' || (ts.isIdentifier(recv) && /^cookie(s|Store|Jar)$/.test(recv.text)) || (ts.isAwaitExpression(recv) && ts.isCallExpression(unwrap(recv.expression))))) {
      const cname = literalText(call.arguments[0]);
      const fromNext = nextCookies.size > 0 || /^(request|req)$/.test(ts.isPropertyAccessExpression(recv) && ts.isIdentifier(recv.expression) ? recv.expression.text : '');
      if (cname && authCookieName(cname) && fromNext) { nextCookieRead = true; readsCookies = true; }
    }
    const setsCookie = (name === 'cookie' && /^(res|response|reply)$/.test(recvName)) || name === 'setCookie' ||
      (name === 'set' && recvName === 'cookies');
    if (!setsCookie) return;
    const cname = cookieNameOf(call.arguments[0]);
    if (!cname || !authCookieName(cname)) return;
    cookies.push({ kind: 'cookie', name: cname, sameSite: sameSiteOf(call.arguments[2], false), ...at(call) });
  };
  if (nodes && !csrfWords && !rejectWords) {
    // the same nodes in the same order as the walk below, but identifiers (nothing to do without those words) and
    // numeric literals (their `403` is looked for below, when it can matter)
    for (let i = 0; i < nodes.length; i++) {
      const k = nodes[i].kind;
      if (k === VARIABLE || k === STRING || k === TEMPLATE || k === MEMBER || k === CALL || k === PROPERTY) visitOne(nodes[i]);
    }
    if (!csrf && originRead && !rejects) rejects = has403(sf);
  } else visit(sf);
  // exported objects that look like session options (a `cookie` object, or `sameSite` itself)
  const options: Record<string, SameSite> = {};
  const asOptions = (e: ts.Expression | undefined): SameSite | undefined => {
    const o = deref(e);
    if (!o || !ts.isObjectLiteralExpression(o)) return undefined;
    const c = prop(o, 'cookie');
    if (c && c !== 'spread') return sameSiteOf(o, true);
    const v = prop(o, 'sameSite');
    return v && v !== 'spread' ? sameSiteValue(v) : undefined;
  };
  for (const st of sf.statements) {
    if (ts.isVariableStatement(st) && st.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) {
      for (const d of st.declarationList.declarations) { const v = ts.isIdentifier(d.name) ? asOptions(d.initializer) : undefined; if (v) options[(d.name as ts.Identifier).text] = v; }
    } else if (ts.isExportAssignment(st)) {
      const v = asOptions(st.expression); if (v) options.default = v;
    } else if (ts.isExpressionStatement(st) && ts.isBinaryExpression(st.expression) && st.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      const left = unwrap(st.expression.left);
      if (ts.isPropertyAccessExpression(left) && ts.isIdentifier(left.expression) && left.expression.text === 'module' && left.name.text === 'exports') {
        const v = asOptions(st.expression.right); if (v) options.default = v;
      }
    }
  }
  // an Origin/Referer check that rejects requests (403) protects like a CSRF token
  if (!csrf && originRead && rejects) csrf = 'origin check';
  let nextLib: string | undefined;
  for (const imp of imports) { nextLib ??= nextCookieAuthLib(imp.spec); }
  if (!nextLib && nextCookieRead) nextLib = 'cookie';
  const nextSameSite = sameSites.length ? sameSites.reduce((a, b) => (WEAKEST.indexOf(a) <= WEAKEST.indexOf(b) ? a : b)) : undefined;
  const out: SessionFacts = {
    ...(cookies.length ? { cookies } : {}),
    ...(Object.keys(options).length ? { options } : {}),
    ...(csrf ? { csrf } : {}),
    ...(readsCookies ? { readsCookies: true as const } : {}),
    ...(readsBearer ? { readsBearer: true as const } : {}),
    ...(nextLib ? { nextAuth: { lib: nextLib, ...(nextSameSite ? { sameSite: nextSameSite } : {}) } } : {}),
  };
  return Object.keys(out).length ? out : undefined;
}
