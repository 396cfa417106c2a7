import { ts } from 'ts-morph';
import { ALL_LANGUAGES, defineRule, sameVisitor, type RuleContext } from '../../model/rule';
import type { Confidence, RelatedLocation } from '../../model/types';
import type { ChainEntry, ModuleFacts, RouteInfo } from '../../project-model/types';
import { authCookieName, CSRF_LIBS, nextCookieAuthLib, SESSION_LIBS, type CookieFact, type SameSite } from '../../project-model/sessions';
import { middlewareMatches } from '../../project-model/next-middleware';
import { TEST_PATH } from '../../secrets/context';
import type { ProjectModel } from '../../project-model/model';
import { decoratorsOf, NEST_METHODS, nestPath } from '../../util/nest';
import { memberCallIn } from '../../util/text';
import { textPrefilter } from '../../util/text-words';
import { mayMountStateRoute, STATE_ROUTE_CALLS } from '../../util/lone-file';

/** the pre-filter's expression, asked only of a text that holds one of these words (util/text-words.ts) */
const ROUTE_METHODS = ['post', 'put', 'patch', 'delete', 'all', 'route', 'register'];
const ROUTE_CALLS = textPrefilter(/\.(post|put|patch|delete|all|route|register)\s*\(/, ROUTE_METHODS.map((m) => `.${m}`), (text, found) => memberCallIn(text, ROUTE_METHODS, found));

/** Methods that change state. */
const STATE_METHODS = new Set(['post', 'put', 'patch', 'delete', 'all']);
/** Methods an HTML form cannot send: another site needs a CORS preflight it will not get to send them with cookies. */
const NON_FORM_METHODS = new Set(['put', 'patch', 'delete']);
/** Middleware whose name says it checks CSRF tokens, or the request's origin. */
const CSRF_NAME = /csrf|xsrf|(check|verify|validate|require|same|trusted)_?(origin|referr?er)|origin_?(check|guard)|sec-?fetch/i;
/** Body parsers that accept what a cross-site HTML form sends (urlencoded, multipart, text/plain). */
const FORM_PARSER = /urlencoded|multer|\bupload\w*\.(single|array|fields|any|none)\(|formidable|busboy|fileUpload|express-fileupload|\.text\(|koa-body|koaBody|koa-bodyparser|bodyParser\(\)|formbody|multipart|formData|co-body/i;
const FORM_LIBS = /^(multer|express-fileupload|formidable|busboy|connect-busboy|koa-body|koa-bodyparser|@koa\/bodyparser|koa-multer|@koa\/multer|@fastify\/formbody|@fastify\/multipart|fastify-formbody|fastify-multipart)$/;
/** `method-override`: a form POST can then reach PUT/PATCH/DELETE routes. */
const METHOD_OVERRIDE = /method-?override/i;
/** Authentication middleware, by name or text (for apps that keep the session in a cookie they set themselves). */
const AUTH_NAME = /auth|login|logged|passport|jwt|token|verify|protect|guard|ensure|require(d)?(User|Admin|Role|Session)|isAdmin|session|currentUser|req\.user|isAuthenticated/i;
/** Authentication that reads a header the browser never adds by itself: such routes cannot be forged. */
const BEARER_AUTH = /authenticate\(\s*['"`](jwt|bearer|oauth-bearer|oauth2-bearer|headerapikey|api-?key|basic)['"`]|bearer|apiKey|api_key/i;
const BEARER_LIBS = /^(express-jwt|express-oauth2-jwt-bearer|passport-http-bearer|passport-jwt|@fastify\/jwt|@fastify\/bearer-auth|koa-jwt|express-basic-auth|basic-auth)$/;
/** Endpoints that other servers call (signed webhooks, OAuth callbacks): not reached with the user's cookie in a way that matters. */
const MACHINE_PATH = /(^|\/)(webhooks?|hooks?|stripe|ipn|inbound|callback|oauth|health|healthz|metrics|graphql)(\/|$)/i;
/** Sign-in and sign-out endpoints: login CSRF and forced logout are real but minor. */
const LOGIN_PATH = /(^|\/)(log[-_]?in|log[-_]?out|sign[-_]?in|sign[-_]?out|sign[-_]?up|register|forgot([-_]?password)?|reset([-_]?password)?|session|sessions)(\/|$)/i;
/** Handler code that acts as the signed-in user: reads the session, the user, or the auth cookie. */
const USES_IDENTITY = /\b(req|request|ctx)\.(session|user|auth|currentUser|isAuthenticated|cookies|signedCookies|logIn|login|logOut|logout)\b|ctx\.state\.(user|auth|session)|res\.locals\.\w*(user|session|auth|account)|getSession\(|passport\.authenticate|\bsession\.|\b(c|ctx|context)\.(get\(\s*['"](session|user|jwtPayload|auth|userId|currentUser|account)['"]|var\.(session|user|jwtPayload|auth|userId|currentUser|account)\b)|\bget(Signed)?Cookie\(/i;
/**
 * Hono handlers parse the body themselves: a form (`c.req.parseBody()`, `formData()`, a `form` validator), or JSON
 * through a `json` validator, which refuses other content types. `c.req.json()` alone does not: it parses a
 * `text/plain` form post just as well, so it is no defence.
 */
const HONO_FORM_BODY = /\.req\.(parseBody|formData|text|arrayBuffer|blob|json)\(|\bvalidator\(\s*['"]form['"]|Validator\(\s*['"]form['"]/;
const HONO_JSON_BODY = /\bvalidator\(\s*['"]json['"]|Validator\(\s*['"]json['"]|\.req\.valid\(\s*['"]json['"]/;
/** Hono middleware that authenticates with a header the browser never adds by itself. */
const HONO_BEARER = /^hono\/(bearer-auth|basic-auth)$/;
/** A handler that hands the whole request to other code (which may act as the user). */
const PASSES_REQUEST = /[(,]\s*(req|request|ctx)\s*[,)]/;
/** Handler code that reads the request body. */
const READS_BODY = /\b(req|request)\.(body|files?)\b|ctx\.request\.(body|files)|\.formData\(\)/;

const WEAKEST: SameSite[] = ['none', 'unset', 'unknown', 'lax', 'strict'];
function weakest(xs: SameSite[]): SameSite | undefined {
  let best: SameSite | undefined;
  for (const x of xs) if (!best || WEAKEST.indexOf(x) < WEAKEST.indexOf(best)) best = x;
  return best;
}

const SAME_SITE_WORDS: Record<SameSite, string> = {
  none: 'the cookie is `sameSite: \'none\'`, so browsers send it with requests from any site',
  unset: 'the cookie sets no `sameSite`, so Firefox and Safari send it with form posts from any site (Chrome does too for two minutes after it is set)',
  unknown: 'Shipsafe cannot read the cookie\'s `sameSite`',
  lax: 'the cookie is `sameSite: \'lax\'`, which stops cross-site form posts in current browsers but not requests from your other subdomains or older browsers',
  strict: '',
};

export default defineRule({
  meta: {
    id: 'missing-csrf-protection',
    title: 'Cookie-session route that changes data without CSRF protection',
    category: 'auth',
    severity: 'warning',
    confidence: 'medium',
    cwe: [352],
    owasp: 'A01:2021 Broken Access Control',
    description: 'Looks at each POST/PUT/PATCH/DELETE route as it is mounted across the project (session middleware mounted in `app.js`, routes in `routes/*.js` mounted through routers, middleware on the app, the router or the route) and reports routes that run behind a cookie session (express-session, cookie-session, koa-session, @fastify/session, `passport.session()`, or an auth cookie the app sets itself with `res.cookie` / `ctx.cookies.set` and reads back) with no CSRF protection in their chain: no csurf, csrf-csrf, csrf-sync, lusca.csrf, tiny-csrf, @fastify/csrf-protection, koa-csrf, and no hand-written CSRF token or Origin/Referer check. How sure it is depends on the session cookie\'s `sameSite`, read from the session options: `\'strict\'` is protection enough (quiet); not set is medium, because only Chrome-based browsers treat a cookie without `sameSite` as Lax, and even Chrome sends it with top-level cross-site POSTs for two minutes after it is set, while Firefox and Safari send it with any cross-site form post; `\'none\'` is high; `\'lax\'` is low, since it already stops cross-site form posts in current browsers and what remains (your other subdomains, old browsers) is debatable. Routes that a cross-site form cannot reach are low too: PUT, PATCH and DELETE (forms only send GET and POST, unless method-override is mounted) and routes that read a body while only a JSON parser is mounted (a form cannot send `application/json`). Hono routes are judged the same way, with hono-sessions, session ids set with `setCookie` and read with `getCookie`, and `hono/jwt` reading its token from a cookie; `hono/csrf` protects them. NestJS: each `@Post`/`@Put`/`@Patch`/`@Delete` method of an app that boots with `app.use(session(…))` or cookie-session, when it acts as the signed-in user (a session guard on it, its controller or globally, `@Session()`, `@Req()` reading `req.user` or `req.session`, a current-user decorator); csurf or csrf-csrf mounted in main.ts or applied to every route with `consumer.apply(…)`, or a global guard that checks the Origin header, protects them. Next.js route handlers (app/…/route.ts) that change state as the user signed in by a cookie (a session cookie read with `cookies().get(…)`, iron-session, next-auth, Supabase, Clerk, Lucia, better-auth, directly or through a helper): Next.js checks the Origin of Server Actions but not of route handlers; a CSRF token or Origin check in the handler, in a helper it calls or in middleware.ts protects them, and since those libraries default to `sameSite: \'lax\'` such findings are low unless the cookie is configured otherwise.',
    notReported: 'Apps with no cookie session (APIs authenticated with an `Authorization: Bearer` header or an API key: the browser never adds those by itself), routes whose chain has CSRF middleware or an origin check, apps whose session cookie is `sameSite: \'strict\'`, routes that do not act as the signed-in user (no authentication middleware, and a handler that reads no session, user or cookie), GET routes, webhook, OAuth callback and GraphQL routes (Apollo blocks simple cross-site requests by itself), and test and demo code. Low confidence (hidden by default): `sameSite: \'lax\'` cookies, PUT/PATCH/DELETE routes, JSON-only routes, login/logout/sign-up routes, apps handed to setup code Shipsafe does not follow, handlers in another file with no authentication middleware before them, and apps where CSRF protection exists somewhere but not in this route\'s chain as mounted (unless other routes of the file list the CSRF middleware one by one: then the route without it is an omission, reported as usual). Not reported either: NestJS routes behind bearer or API-key guards (`AuthGuard(\'jwt\')`, `JwtAuthGuard`) unless they read the session themselves, NestJS controllers of apps Shipsafe does not see boot, Next.js Server Actions (Next.js checks their Origin), pages/api handlers, and handlers that read an Authorization or API-key header.',
    why: 'A browser adds your session cookie to every request it sends to your site, including requests another website makes it send: a hidden form on any page a signed-in user visits can post to your route and the route runs as that user (change their email or password, transfer money, delete data). CSRF protection makes the route check that the request came from your own pages.',
    fix: 'Add CSRF protection in front of the routes. With sessions, csrf-sync: `const { csrfSynchronisedProtection, generateToken } = csrfSync()`, `app.use(csrfSynchronisedProtection)` after the session middleware, and `generateToken(req)` in each form as a hidden `_csrf` field or sent as an `x-csrf-token` header. Without sessions, csrf-csrf (double-submit cookie); on other frameworks lusca.csrf(), @fastify/csrf-protection or koa-csrf; with Hono, `app.use(\'*\', csrf({ origin: \'https://your.site\' }))` from hono/csrf; with NestJS, csrf-csrf\'s `doubleCsrfProtection` with `app.use()` in main.ts after the session (or a global guard that checks the Origin header); in a Next.js route handler, compare `request.headers.get(\'origin\')` with your site and answer 403 (or do it in middleware.ts for every POST, PUT, PATCH and DELETE); or a middleware that rejects POSTs whose Origin header is not your site. Also set the session cookie to `sameSite: \'lax\'` (or `\'strict\'` if nothing links into your signed-in pages from other sites).',
    bad: `import express from 'express';
import session from 'express-session';
const app = express();
app.use(express.urlencoded({ extended: false }));
app.use(session({ secret: process.env.SESSION_SECRET, resave: false, saveUninitialized: false }));
app.post('/account/email', (req, res) => {
  updateEmail(req.session.userId, req.body.email);
  res.redirect('/account');
});
app.listen(3000);`,
    good: `import express from 'express';
import session from 'express-session';
import { csrfSync } from 'csrf-sync';
const app = express();
const { csrfSynchronisedProtection, generateToken } = csrfSync({ getTokenFromRequest: (req) => req.body._csrf });
app.use(express.urlencoded({ extended: false }));
app.use(session({ secret: process.env.SESSION_SECRET, resave: false, saveUninitialized: false, cookie: { sameSite: 'lax' } }));
app.use(csrfSynchronisedProtection);
app.get('/account', (req, res) => res.render('account', { csrfToken: generateToken(req) }));
app.post('/account/email', (req, res) => {
  updateEmail(req.session.userId, req.body.email);
  res.redirect('/account');
});
app.listen(3000);`,
    fixSafety: 'none',
    languages: ALL_LANGUAGES,
    defaultEnabled: true,
    tags: ['auth', 'csrf', 'session', 'cookies'],
  },
  create(ctx) {
    const path = ctx.path.replace(/\\/g, '/');
    if (ctx.facts.testFile || TEST_PATH.test(path) || /(^|\/)(demos?|samples?|docs?)\//.test(path)) return {};
    const nestFile = ctx.text.includes('@nestjs/') && /@Controller\s*\(/.test(ctx.text);
    const nextRoute = /(^|\/)app\/(.*\/)?route\.[cm]?[jt]sx?$/.test(path) && /\bexport\s+(async\s+)?(function|const|let)\s+(POST|PUT|PATCH|DELETE)\b/.test(ctx.text);
    if (!nestFile && !nextRoute && !ROUTE_CALLS.test(ctx.text)) return {}; // cheap pre-filter
    // a file analysed alone is a project of one file: it has a route that changes state only if one of its calls can
    // mount one (util/lone-file.ts), and its module facts are not extracted otherwise
    let mayRoute = !!ctx.project;
    return {
      ...(mayRoute ? {} : { calls: sameVisitor(STATE_ROUTE_CALLS, (call: ts.CallExpression | ts.NewExpression) => { if (!mayRoute) mayRoute = mayMountStateRoute(call); }) }),
      onFileEnd() {
        if (!mayRoute && !nestFile && !nextRoute) return;
        const project = ctx.fileProject();
        if (nestFile) judgeNestControllers(ctx, project);
        if (nextRoute) judgeNextRouteHandlers(ctx, project);
        const fileRoutes = project.routesIn(ctx.path);
        const routes = fileRoutes.filter((r) => STATE_METHODS.has(r.method) && r.framework !== 'next');
        if (!routes.length) return;
        const facts = projectFacts(project);
        for (const r of routes) {
          const verdict = judge(ctx.text, ctx.path, project, facts, r, fileRoutes);
          if (!verdict) continue;
          const lineEnd = ctx.text.indexOf('\n', r.start);
          ctx.report({
            range: { start: r.start, end: lineEnd > r.start && lineEnd < r.end ? lineEnd : r.end },
            confidence: verdict.confidence,
            message: verdict.message,
            ...(verdict.related ? { related: verdict.related.map((l) => ({ message: l.message, location: l })) } : {}),
          });
        }
      },
    };
  },
});

interface ProjectFacts {
  sessions: (CookieFact & { file: string })[];
  cookies: (CookieFact & { file: string })[];
  /** files with CSRF protection (a library, a token, an origin check) */
  csrf: string[];
  /** some file reads request cookies */
  readsCookies: boolean;
}

function projectFacts(project: ProjectModel): ProjectFacts {
  const out: ProjectFacts = { sessions: [], cookies: [], csrf: [], readsCookies: false };
  for (const file of project.files()) {
    const s = project.facts(file)?.session;
    if (!s) continue;
    for (const c of s.cookies ?? []) (c.kind === 'session' ? out.sessions : out.cookies).push({ ...c, file });
    if (s.csrf) out.csrf.push(file);
    if (s.readsCookies) out.readsCookies = true;
  }
  return out;
}

/** The module a chain entry's function or instance is defined in, when the model follows its name. */
function definedIn(project: ProjectModel, e: ChainEntry): ModuleFacts | undefined {
  const name = e.name && /^[\w$]+$/.test(e.name) ? e.name : undefined;
  if (!name) return /^(async\b|function\b|\(|[\w$]+\s*=>)/.test(e.text) ? project.facts(e.file) : undefined;
  const r = project.valueOfName(e.file, name);
  return r ? project.facts(r.file) : undefined;
}

function isCsrfEntry(project: ProjectModel, e: ChainEntry): boolean {
  if (e.lib && CSRF_LIBS.test(e.lib)) return true;
  if (CSRF_NAME.test(e.name ?? '') || CSRF_NAME.test(e.text)) return true;
  // a function written in a module that checks a CSRF token or the request's origin
  const m = definedIn(project, e);
  return !!m?.session?.csrf && (m.file !== e.file || /^(async\b|function\b|\(|[\w$]+\s*=>)/.test(e.text));
}

function isSessionEntry(e: ChainEntry): boolean {
  if (e.lib && SESSION_LIBS.test(e.lib)) return true;
  return e.lib === 'passport' && /\.session\(\s*\)|authenticate\(\s*['"]session['"]/.test(e.text);
}

/**
 * The `sameSite` of the session cookie behind a chain entry (its own module's session options, else the project's),
 * and the session options it was read from.
 */
function sessionSameSite(project: ProjectModel, facts: ProjectFacts, e: ChainEntry): { sameSite: SameSite; at?: CookieFact & { file: string } } {
  const m = definedIn(project, e);
  const own = facts.sessions.filter((s) => s.file === e.file && s.start >= e.start && s.end <= e.end);
  const here = own.length ? own : facts.sessions.filter((s) => s.file === (m?.file ?? e.file));
  const pick = (here.length ? here : facts.sessions).map((s) => withImportedOptions(project, s));
  const sameSite = weakest(pick.map((s) => s.sameSite));
  if (!sameSite) return { sameSite: e.lib && SESSION_LIBS.test(e.lib) ? 'unset' : 'unknown' };
  return { sameSite, at: pick.find((s) => s.sameSite === sameSite) };
}

/** A session whose options are imported from a module of the project (`config/session.js`): the sameSite they set. */
function withImportedOptions(project: ProjectModel, s: CookieFact & { file: string }): CookieFact & { file: string } {
  if (s.sameSite !== 'unknown' || !s.optsFrom) return s;
  const target = project.resolveImport(s.file, s.optsFrom.spec);
  const name = s.optsFrom.imported === '*' ? 'default' : s.optsFrom.imported;
  const v = target ? project.facts(target)?.session?.options?.[name] : undefined;
  return v ? { ...s, sameSite: v } : s;
}

/** A related location for a session or cookie fact of another (or this) file. */
function relatedAt(c: CookieFact & { file: string }, message: string): RelatedLocation {
  return {
    file: c.file, message,
    range: { start: c.start, end: c.end, startPos: { line: c.line, column: c.col }, endPos: { line: c.endLine, column: c.endCol } },
  };
}

/** An authentication middleware in the chain (the session middleware itself and body parsers are not). */
function authEntry(chain: ChainEntry[]): ChainEntry | undefined {
  return chain.find((e) => !isSessionEntry(e) && !/\.initialize\(/.test(e.text) &&
    !(e.lib && /^(express|body-parser|cors|helmet|morgan|compression|cookie-parser|express-session|cookie-session|koa-session)$/.test(e.lib)) &&
    (AUTH_NAME.test(e.name ?? '') || AUTH_NAME.test(e.text)));
}

function judge(text: string, file: string, project: ProjectModel, facts: ProjectFacts, r: RouteInfo, fileRoutes: RouteInfo[]): { confidence: Confidence; message: string; related?: RelatedLocation[] } | undefined {
  if (MACHINE_PATH.test(r.path)) return undefined;
  const chain = r.chain;
  if (chain.some((e) => isCsrfEntry(project, e))) return undefined;
  // the handler's code, when it is in this file
  let handler = r.handler && r.handler.file === file && r.handler.end > r.handler.start ? text.slice(r.handler.start, r.handler.end) : undefined;
  // a reference the model did not follow (`userController.register`, `passport.authenticate(…)`) is code elsewhere
  if (handler !== undefined && !/^(async\b|function\b|\(|[\w$]+\s*=>)/.test(handler.trimStart())) handler = undefined;
  if (handler && /csrf|xsrf|headers?\.(origin|referer)|['"](origin|referer|sec-fetch-site)['"]/i.test(handler)) return undefined;
  if (chain.some((e) => (e.lib && (BEARER_LIBS.test(e.lib) || HONO_BEARER.test(e.lib))) || BEARER_AUTH.test(e.text) ||
    (e.lib === 'hono/jwt' && !/\bcookie\s*:/.test(e.text)))) return undefined;

  // how the route knows the user: a session middleware in its chain, or an auth cookie the app sets and reads back
  const sessionEntry = chain.find(isSessionEntry);
  let sameSite: SameSite;
  let how: string;
  let cookieAt: (CookieFact & { file: string }) | undefined;
  if (sessionEntry) {
    const found = sessionSameSite(project, facts, sessionEntry);
    sameSite = found.sameSite;
    cookieAt = found.at;
    const lib = sessionEntry.lib === 'passport' ? 'passport sessions' : sessionEntry.lib ?? 'a session';
    how = `runs as the user signed in through ${lib} (set up in ${sessionEntry.file}:${sessionEntry.line})`;
  } else {
    // hono/jwt told to read the token from a cookie (`jwt({ secret, cookie: 'auth' })`)
    const jwtCookie = chain.find((e) => e.lib === 'hono/jwt' && /\bcookie\s*:/.test(e.text));
    if ((!facts.cookies.length && !jwtCookie) || !facts.readsCookies) return undefined;
    const auth = authEntry(chain);
    const cookieInHandler = !!handler && /\b(req|request|ctx)\.(signedCookies|cookies)\b|\bget(Signed)?Cookie\(/.test(handler);
    // the auth middleware is seen reading a cookie (one that reads only the Authorization header is token authentication)
    const m = auth ? definedIn(project, auth) : undefined;
    if (!cookieInHandler && !m?.session?.readsCookies && !jwtCookie) return undefined;
    const c = facts.cookies.length ? facts.cookies.find((x) => x.sameSite === weakest(facts.cookies.map((y) => y.sameSite))) : undefined;
    // a token cookie set somewhere Shipsafe does not see (another service): its sameSite is unknown
    sameSite = c?.sameSite ?? 'unknown';
    cookieAt = c;
    how = c ? `runs as the user signed in by the \`${c.name}\` cookie (set in ${c.file}:${c.line})` : `runs as the user whose token hono/jwt reads from a cookie (${jwtCookie!.file}:${jwtCookie!.line})`;
  }
  if (sameSite === 'strict') return undefined;

  // a forged request only does harm when the route acts as the signed-in user
  const body = handler?.replace(/^[^(]*\([^)]*\)/, '');
  const authMw = authEntry(chain);
  // its authentication reads the Authorization header and no cookie, and the handler does not use the session: token auth
  const authFacts = authMw ? definedIn(project, authMw)?.session : undefined;
  if (authFacts?.readsBearer && !authFacts.readsCookies && !(handler && /\b(req|request|ctx)\.session\b/.test(handler))) return undefined;
  const identity = !!authMw || (!!handler && USES_IDENTITY.test(handler));
  if (!identity && body !== undefined && !PASSES_REQUEST.test(body)) return undefined;

  const route = `${r.method === 'all' ? 'ALL' : r.method.toUpperCase()} ${r.path}`;
  let confidence: Confidence = sameSite === 'none' ? 'high' : sameSite === 'unset' ? 'medium' : 'low';
  const reasons: string[] = [];
  const override = chain.some((e) => METHOD_OVERRIDE.test(e.lib ?? '') || METHOD_OVERRIDE.test(e.text) || /methodOverride/.test(e.name ?? ''));
  if (NON_FORM_METHODS.has(r.method) && !override) {
    confidence = 'low';
    reasons.push(`HTML forms cannot send ${r.method.toUpperCase()}, so another site needs CORS to allow it`);
  }
  // Hono parses no body before the handler: the handler (or a validator in the chain) says which it accepts
  const honoJsonOnly = r.framework === 'hono' && handler !== undefined && (HONO_JSON_BODY.test(handler) || chain.some((e) => HONO_JSON_BODY.test(e.text))) &&
    !HONO_FORM_BODY.test(handler) && !chain.some((e) => HONO_FORM_BODY.test(e.text));
  const formParser = r.framework === 'hono' ? !honoJsonOnly : chain.some((e) => FORM_PARSER.test(e.text) || (!!e.lib && FORM_LIBS.test(e.lib)));
  const readsBody = handler === undefined || READS_BODY.test(handler) || honoJsonOnly;
  if (!formParser && readsBody && r.method !== 'delete') {
    confidence = 'low';
    reasons.push('only a JSON body is parsed and a cross-site form cannot send JSON');
  }
  if (!identity) {
    confidence = 'low';
    reasons.push(body === undefined ? 'no authentication middleware runs before it and its handler is in another file' : 'the handler does not look at the signed-in user itself');
  }
  if (LOGIN_PATH.test(r.path)) {
    confidence = 'low';
    reasons.push('forged sign-in or sign-out requests do little harm');
  }
  const app = r.app ? project.apps().find((a) => a.id === r.app) : undefined;
  if (app && project.passedOut(app.id)) {
    confidence = 'low';
    reasons.push('the app is handed to setup code Shipsafe does not follow, which may add protection');
  }
  // CSRF middleware listed on other routes of the same app, one by one: this route was left out of it
  const guarded = (o: RouteInfo) => o !== r && o.app === r.app && o.chain.some((e) => e.level === 'route' && isCsrfEntry(project, e));
  const siblings = fileRoutes.filter(guarded);
  const sibling = siblings.find((o) => STATE_METHODS.has(o.method)) ?? siblings[0];
  const siblingMw = sibling?.chain.find((e) => e.level === 'route' && isCsrfEntry(project, e));
  if (facts.csrf.length && !sibling) {
    confidence = 'low';
    reasons.push(`${facts.csrf[0]} has CSRF protection, but it is not in this route's chain as mounted`);
  }
  const fix = sessionEntry?.lib && /^koa/.test(sessionEntry.lib) ? 'koa-csrf' : r.framework === 'fastify' ? '@fastify/csrf-protection' : sessionEntry ? 'csrf-sync' : 'csrf-csrf';
  const missing = sibling
    ? `no CSRF protection runs before it, although other routes here check a token (\`${sibling.method.toUpperCase()} ${sibling.path}\`, line ${sibling.line})`
    : 'no CSRF protection runs before it';
  const message = `\`${route}\` ${how}, but ${missing}, and ${SAME_SITE_WORDS[sameSite]}. ` +
    'A page on any other site can make a signed-in visitor\'s browser send this request, and it runs as them. ' +
    (siblingMw ? `Add \`${siblingMw.text}\` to this route as on the others`
      : r.framework === 'hono' ? 'Put hono/csrf in front of it: `import { csrf } from \'hono/csrf\'`, then `app.use(\'*\', csrf({ origin: \'https://your.site\' }))` before the routes (it rejects form posts whose Origin header is another site)'
      : `Put CSRF protection in front of it (${fix}, or a middleware that rejects requests whose Origin header is not your site)`) +
    (sameSite === 'lax' ? '.' : ', and give the session cookie `sameSite: \'lax\'`.') +
    (reasons.length ? ` Lower confidence: ${reasons.join('; ')}.` : '');
  const related = cookieAt ? [relatedAt(cookieAt, cookieAt.kind === 'session'
    ? `the session middleware (${cookieAt.lib}): its cookie ${sameSite === 'unset' ? 'sets no sameSite' : sameSite === 'unknown' ? 'has a sameSite Shipsafe cannot read' : `is sameSite ${sameSite}`}`
    : `the \`${cookieAt.name}\` cookie is set here`)] : undefined;
  return { confidence, message, ...(related ? { related } : {}) };
}

/** A guard that authenticates with a header the browser never adds by itself (a bearer JWT, an API key, Basic auth). */
const NEST_BEARER_GUARD = /jwt|bearer|api-?key|apikey|basic|access-?token|accesstoken|\btoken|firebase|clerk|supabase|auth0|cognito|oauth2?-?bearer/i;
/** Guards that check nothing about the user (rate limits, feature flags). */
const NEST_NOT_AUTH_GUARD = /throttl|rate-?limit|ratelimit|feature|maintenance/i;
/** Decorators that turn a global guard off for a route. */
const NEST_PUBLIC = /^(Public|SkipAuth|AllowAnonymous|IsPublic|NoAuth|Anonymous|PublicRoute)$/;
/** Auth decorators apps compose with `applyDecorators` (`@Auth()`, `@Roles('admin')`): they guard with something. */
const NEST_AUTH_DECORATOR = /^(Auth\w*|Roles?|Authorized|Authenticated|RequireAuth\w*|LoggedIn|SessionAuth\w*|Permissions?|RequirePermissions?)$/;
/** Parameters that receive the signed-in user or the session. */
const NEST_USER_PARAM = /^(Session|CurrentUser|User|AuthUser|GetUser|ReqUser|SessionUser|LoggedInUser|CurrentAccount|Account|UserId|CurrentUserId)$/;
/** Guards that can only read a header (API keys, Basic auth): never a cookie. */
const NEST_HEADER_ONLY_GUARD = /api-?key|apikey|basic|headerapikey|bearer/i;
/** Libraries a strategy or guard verifies JWTs with. */
const NEST_JWT_LIBS = /^(passport-jwt|@nestjs\/jwt|jsonwebtoken|jose)$/;
/** Packages that sign users in with bearer tokens: an app with one may guard routes with them, whatever a guard is called. */
const NEST_TOKEN_DEPS = ['@nestjs/jwt', 'passport-jwt', 'passport-http-bearer', 'passport-headerapikey', 'jsonwebtoken', 'jose'];

/** The identifiers of guard or middleware classes in text as written (`new OriginGuard()`, `CsrfMiddleware`). */
function classNames(text: string): string[] {
  return [...text.matchAll(/\b([A-Z][\w$]*)/g)].map((m) => m[1]);
}

/** Whether text naming guards or middleware (written in `file`) names CSRF protection: by name, a CSRF library, or a module that checks tokens or origins. */
function nestIsCsrf(project: ProjectModel, file: string, text: string): boolean {
  if (CSRF_NAME.test(text)) return true;
  const m = project.facts(file);
  if (!m) return false;
  for (const name of [...text.matchAll(/\b([A-Za-z_$][\w$]*)/g)].map((x) => x[1])) {
    for (const imp of m.imports) {
      const imported = imp.names[name];
      if (imported === undefined) continue;
      if (CSRF_LIBS.test(imp.spec)) return true;
      const target = project.resolveImport(file, imp.spec);
      if (target && project.facts(target)?.session?.csrf) return true;
    }
  }
  return false;
}

/**
 * CSRF protection of a Nest app as a whole: `all` when it covers every route (a CSRF library or an origin check
 * in the file that boots the app, middleware applied to `'*'` in a module, a global guard that checks tokens or
 * origins), otherwise the file of some protection that may cover only some routes.
 */
function nestProtection(project: ProjectModel, facts: ProjectFacts): { all: true } | { some?: string; applied: { file: string; routes: string }[] } {
  const nest = project.nest();
  // (a file that boots the app and also declares controllers may owe its CSRF facts to a controller's own check)
  if (nest.bootFiles.some((f) => project.facts(f)?.session?.csrf && !project.facts(f)?.nest?.controllers)) return { all: true };
  const applied: { file: string; routes: string }[] = [];
  for (const a of nest.applies) {
    if (!nestIsCsrf(project, a.file, a.text)) continue;
    if (a.all) return { all: true };
    applied.push({ file: a.file, routes: a.routes ?? '' });
  }
  if (nest.globalGuards.some((g) => nestIsCsrf(project, g.file, g.text))) return { all: true };
  return { some: applied[0]?.file ?? facts.csrf.find((f) => !project.facts(f)?.nest?.boots), applied };
}

function trimSlashes(s: string): string {
  let a = 0, b = s.length;
  while (a < b && s[a] === '/') a++;
  while (b > a && s[b - 1] === '/') b--;
  return s.slice(a, b);
}

/**
 * CSRF middleware applied to a controller by name (`forRoutes(PaymentsController)`) or by its path
 * (`forRoutes('payments')`, `forRoutes({ path: 'payments/*', method: RequestMethod.ALL })`).
 */
function nestAppliedTo(applied: { routes: string }[], className: string | undefined, prefix: string): boolean {
  const path = trimSlashes(prefix);
  for (const a of applied) {
    if (className && a.routes.split(/[^\w$]+/).includes(className)) return true;
    for (const m of a.routes.matchAll(/['"`]([^'"`]*)['"`]/g)) {
      const p = trimSlashes(trimSlashes(m[1]).replace(/(\*\w*|\(\.\*\))$/, ''));
      if (p && (path === p || path.startsWith(`${p}/`))) return true;
    }
  }
  return false;
}

/**
 * NestJS controllers: each `@Post`/`@Put`/`@Patch`/`@Delete` method of an app that boots with a cookie session
 * (`app.use(session(…))`, cookie-session, `@fastify/secure-session`), and that acts as the signed-in user (a session
 * guard on it or its controller, a global guard, `@Session()`, `@Req()` reading `req.user` / `req.session`, a
 * current-user decorator), judged like an Express route: CSRF middleware applied to every route, or a global guard
 * that checks the Origin header, protects it; the session cookie's `sameSite` sets the confidence.
 */
function judgeNestControllers(ctx: RuleContext, project: ProjectModel): void {
  const nest = project.nest();
  if (!nest.boots) return;
  const facts = projectFacts(project);
  // a workspace with several Nest apps (apps/api/src/main.ts, apps/admin/src/main.ts): the sessions of the app
  // whose folder holds this controller
  const dirOf = (f: string) => f.slice(0, f.lastIndexOf('/') + 1);
  const common = (a: string, b: string) => { let i = 0; while (i < a.length && i < b.length && a[i] === b[i]) i++; return i; };
  const boot = nest.bootFiles.length > 1 ? [...nest.bootFiles].sort((a, b) => common(dirOf(b), ctx.path) - common(dirOf(a), ctx.path))[0] : undefined;
  const appDir = boot ? dirOf(dirOf(boot).replace(/\/$/, '')) : '';
  const sessions = facts.sessions.filter((s) => s.file.startsWith(appDir)).map((s) => withImportedOptions(project, s));
  // a JWT carried in a cookie the app sets (`res.cookie('access_token', …)`) and that a strategy or guard reads back
  // (`ExtractJwt.fromExtractors([(req) => req.cookies.access_token])`): its guards are cookie sign-in, not bearer tokens
  const authCookies = facts.cookies.filter((c) => c.file.startsWith(appDir));
  const jwtReader = authCookies.length ? project.files().find((f) => f.startsWith(appDir) && !!project.facts(f)?.session?.readsCookies &&
    (project.facts(f)!.imports.some((i) => i.spec === 'passport-jwt') || (/(guard|strateg)/i.test(f.slice(f.lastIndexOf('/'))) && project.facts(f)!.imports.some((i) => NEST_JWT_LIBS.test(i.spec))))) : undefined;
  if (!sessions.length && !jwtReader) return;
  const protection = nestProtection(project, facts);
  if ('all' in protection) return;
  const tokenDeps = NEST_TOKEN_DEPS.filter((d) => project.dependencyVersion(ctx.path, d) !== undefined);
  const methodOverride = project.dependencyVersion(ctx.path, 'method-override') !== undefined;
  const globalGuards = nest.globalGuards.map((g) => g.text).filter((t) => !NEST_NOT_AUTH_GUARD.test(t));
  const sf = ctx.sourceFile;
  const guardsOf = (decs: ReturnType<typeof decoratorsOf>) => decs.filter((d) => d.name === 'UseGuards' && d.call)
    .flatMap((d) => d.call!.arguments.map((a) => a.getText(sf))).filter((t) => !NEST_NOT_AUTH_GUARD.test(t));
  for (const st of sf.statements) {
    if (!ts.isClassDeclaration(st)) continue;
    const cdecs = decoratorsOf(st);
    const ctl = cdecs.find((d) => d.name === 'Controller');
    if (!ctl) continue;
    const prefix = nestPath(ctl.call);
    if (prefix === undefined) continue;
    if (nestAppliedTo(protection.applied, st.name?.text, prefix)) continue;
    const classGuards = guardsOf(cdecs);
    for (const m of st.members) {
      if (!ts.isMethodDeclaration(m) || !m.body) continue;
      const decs = decoratorsOf(m);
      const routeDec = decs.find((d) => NEST_METHODS[d.name]);
      const method = routeDec ? NEST_METHODS[routeDec.name] : undefined;
      if (!routeDec || !method || !STATE_METHODS.has(method)) continue;
      const sub = nestPath(routeDec.call);
      if (sub === undefined) continue;
      const path = '/' + [nest.prefix ?? '', prefix, sub].flatMap((x) => x.split('/')).filter(Boolean).join('/');
      if (MACHINE_PATH.test(path)) continue;
      const isPublic = [...decs, ...cdecs].some((d) => NEST_PUBLIC.test(d.name));
      const guards = [...(isPublic ? [] : globalGuards), ...classGuards, ...guardsOf(decs)];
      if (guards.some((g) => nestIsCsrf(project, ctx.path, g))) continue;
      const body = m.body.getText(sf);
      // the handler checks a token or the origin itself (in its body, or with `@Headers('origin')`)
      if (/csrf|xsrf|headers?\??\.(origin|referer)|['"](origin|referer|sec-fetch-site)['"]/i.test(body + m.parameters.map((p) => p.getText(sf)).join(','))) continue;
      // what the method receives: the session itself, the signed-in user, or the request
      const params = m.parameters.map((p) => ({ decs: decoratorsOf(p), name: ts.isIdentifier(p.name) ? p.name.text : '' }));
      const sessionParam = params.some((p) => p.decs.some((d) => d.name === 'Session'));
      const userParam = params.some((p) => p.decs.some((d) => NEST_USER_PARAM.test(d.name)));
      const reqNames = params.filter((p) => p.decs.some((d) => d.name === 'Req' || d.name === 'Request')).map((p) => p.name.replace(/\$/g, '\\$')).filter(Boolean);
      const reqIdentity = reqNames.some((n) => new RegExp(`\\b${n}\\??\\.(session|user|logIn|login|logOut|logout|isAuthenticated)\\b`).test(body) || new RegExp(`[(,]\\s*${n}\\s*[,)]`).test(body));
      const reqSession = sessionParam || reqNames.some((n) => new RegExp(`\\b${n}\\??\\.session\\b`).test(body));
      const authDecorator = [...decs, ...cdecs].find((d) => NEST_AUTH_DECORATOR.test(d.name));
      // guards that read a token: from the Authorization header the route cannot be forged (unless it uses the
      // session itself); from the app's auth cookie it can
      const bearer = guards.filter((g) => NEST_BEARER_GUARD.test(g) && !NEST_HEADER_ONLY_GUARD.test(g));
      const headerOnly = guards.some((g) => NEST_HEADER_ONLY_GUARD.test(g));
      const sessionGuards = guards.filter((g) => !NEST_BEARER_GUARD.test(g) && !NEST_HEADER_ONLY_GUARD.test(g));
      let source: 'session' | 'cookie-jwt' | undefined;
      if (reqSession && sessions.length) source = 'session';
      else if (headerOnly) source = undefined;
      else if (bearer.length) source = jwtReader ? 'cookie-jwt' : undefined;
      else if (sessionGuards.length || authDecorator || userParam || reqIdentity) source = sessions.length ? 'session' : jwtReader ? 'cookie-jwt' : undefined;
      if (!source) continue;
      const from = source === 'session' ? sessions : authCookies;
      const sameSite = weakest(from.map((c) => c.sameSite))!;
      if (sameSite === 'strict') continue;
      const cookieAt = from.find((c) => c.sameSite === sameSite)!;

      const route = `${method === 'all' ? 'ALL' : method.toUpperCase()} ${path}`;
      let confidence: Confidence = sameSite === 'none' ? 'high' : sameSite === 'unset' ? 'medium' : 'low';
      const reasons: string[] = [];
      if (NON_FORM_METHODS.has(method) && !methodOverride) {
        confidence = 'low';
        reasons.push(`HTML forms cannot send ${method.toUpperCase()}, so another site needs CORS to allow it`);
      }
      if (LOGIN_PATH.test(path)) {
        confidence = 'low';
        reasons.push('forged sign-in or sign-out requests do little harm');
      }
      // who the user is comes from a guard or decorator Shipsafe cannot see into, in an app that also signs users in with tokens
      if (source === 'session' && !reqSession && tokenDeps.length && !sessionGuards.some((g) => /session|local|cookie|logged|authenticated/i.test(g))) {
        confidence = 'low';
        reasons.push(`the app also uses ${tokenDeps[0]}, and if this route's user comes from a bearer token it cannot be forged`);
      }
      if (protection.some) {
        confidence = 'low';
        reasons.push(`${protection.some} has CSRF protection, but Shipsafe cannot tell that it covers this route`);
      }
      const lib = cookieAt.lib ?? 'a session';
      const where = `${cookieAt.file}:${cookieAt.line}`;
      const name = `${st.name?.text ?? 'controller'}.${ts.isIdentifier(m.name) ? m.name.text : 'handler'}`;
      const how = source === 'session'
        ? `runs as the user signed in through ${lib} (set up in ${where})`
        : `runs as the user whose JWT the browser sends in the \`${cookieAt.name}\` cookie (set in ${where}, read back in ${jwtReader})`;
      const advice = source === 'session'
        ? `In NestJS, add CSRF protection in main.ts after the session middleware, for every route: csrf-csrf (${lib === 'express-session' ? '`const { doubleCsrfProtection } = doubleCsrf({ getSecret: () => process.env.CSRF_SECRET, getSessionIdentifier: (req) => req.session.id })`, then ' : ''}\`app.use(doubleCsrfProtection)\`, and send the token from \`generateCsrfToken(req, res)\` with each form or request), or a global guard (\`APP_GUARD\`) that rejects POST, PUT, PATCH and DELETE requests whose Origin header is not your site`
        : 'In NestJS, add csrf-csrf in main.ts for every route (`const { doubleCsrfProtection } = doubleCsrf({ getSecret: () => process.env.CSRF_SECRET, getSessionIdentifier: (req) => req.cookies.' + (cookieAt.name ?? 'token') + ' ?? \'\' })`, then `app.use(doubleCsrfProtection)`), or a global guard (`APP_GUARD`) that rejects POST, PUT, PATCH and DELETE requests whose Origin header is not your site; or send the token in the Authorization header instead of a cookie';
      const message = `\`${route}\` (${name}) ${how}, but no CSRF protection runs before it, and ${SAME_SITE_WORDS[sameSite]}. ` +
        'A page on any other site can make a signed-in visitor\'s browser send this request, and it runs as them. ' + advice +
        (sameSite === 'lax' ? '.' : `; also give the ${source === 'session' ? 'session ' : ''}cookie \`sameSite: 'lax'\`.`) +
        (reasons.length ? ` Lower confidence: ${reasons.join('; ')}.` : '');
      const cookieWords = sameSite === 'unset' ? 'sets no sameSite' : sameSite === 'unknown' ? 'has a sameSite Shipsafe cannot read' : `is sameSite ${sameSite}`;
      const at = relatedAt(cookieAt, source === 'session' ? `the session middleware (${lib}): its cookie ${cookieWords}` : `the \`${cookieAt.name}\` cookie is set here: it ${cookieWords}`);
      ctx.report({ node: routeDec.call?.parent ?? m.name, confidence, message, related: [{ message: at.message, location: at }] });
    }
  }
}

/** What a Next.js cookie-based sign-in library sets its cookie's `sameSite` to when the app does not say. */
const NEXT_DEFAULT_SAME_SITE: Record<string, SameSite> = {
  'iron-session': 'lax', 'next-auth': 'lax', supabase: 'lax', clerk: 'lax', lucia: 'lax', 'better-auth': 'lax', auth0: 'lax', kinde: 'lax',
};
const NEXT_LIB_WORDS: Record<string, string> = {
  'iron-session': 'iron-session\'s cookie', 'next-auth': 'the next-auth session cookie', supabase: 'Supabase\'s auth cookies', clerk: 'Clerk\'s session cookie',
  lucia: 'Lucia\'s session cookie', 'better-auth': 'better-auth\'s session cookie', auth0: 'the Auth0 session cookie', kinde: 'the Kinde session cookie',
};
/** A handler that checks a CSRF token or where the request comes from. */
const NEXT_CSRF_CHECK = /csrf|xsrf|headers\s*\.\s*get\s*\(\s*['"`](origin|referer|sec-fetch-site|x-requested-with)['"`]|headers\s*\[\s*['"`](origin|referer|sec-fetch-site)['"`]|\.headers\.(origin|referer)\b/i;
/** A handler that authenticates with a header the browser never adds by itself, or a shared secret. */
const NEXT_HEADER_AUTH = /headers\s*\.\s*get\s*\(\s*['"`](authorization|x-[\w-]*(key|token|secret|signature)[\w-]*)['"`]|\bbearer\b|verifySignature|constructEvent|CRON_SECRET/i;

/** A call that finds out who is signed in (or makes a client that acts as them: Supabase's server client). */
const NEXT_IDENTITY_CALL = /^(auth|getServerSession|getServerAuthSession|getIronSession|getToken|currentUser|validateRequest|getKindeServerSession|getAuth|getSession|createServerClient|createRouteHandlerClient|createServerComponentClient|createServerActionClient|createClient|createSupabase\w*|(get|require|current|fetch|load|read|ensure|assert|verify|validate|check|with)\w*(User|Session|Auth|Account|Viewer|Member|Identity|Me))$/;

/** The cookie-based sign-in a local module uses, following its local imports a little way (`lib/session.ts` → `@/auth`). */
function nextAuthOf(project: ProjectModel, file: string, depth = 0): { lib: string; sameSite?: SameSite; file: string } | undefined {
  const m = project.facts(file);
  if (!m) return undefined;
  // a helper that requires a credential in a header (an API key, a token header): another site cannot send it
  if (m.session?.readsBearer) return undefined;
  if (m.session?.nextAuth) return { ...m.session.nextAuth, file };
  if (depth >= 2) return undefined;
  for (const imp of m.imports) {
    if (!/^(\.|@\/|~\/|#)/.test(imp.spec)) continue;
    const t = project.resolveImport(file, imp.spec);
    const found = t ? nextAuthOf(project, t, depth + 1) : undefined;
    if (found) return found;
  }
  return undefined;
}

/**
 * Next.js route handlers (app/…/route.ts) that change state as the signed-in user: a POST/PUT/PATCH/DELETE export
 * that reads a session cookie (`cookies().get('session')`) or calls a cookie-based sign-in (iron-session, next-auth,
 * Supabase with cookies, Clerk, Lucia, better-auth) directly or through a local helper. Next.js checks the Origin of
 * Server Actions, not of route handlers. A CSRF token or Origin check in the handler, in a helper it calls, or in a
 * middleware.ts that matches it protects it. Those libraries set `sameSite: 'lax'` unless told otherwise: low.
 */
function judgeNextRouteHandlers(ctx: RuleContext, project: ProjectModel): void {
  const m = project.facts(ctx.path);
  const nr = m?.nextRoute;
  if (!m || !nr || nr.pagesApi) return;
  if (MACHINE_PATH.test(nr.path)) return;
  const mw = project.nextMiddlewareFor(ctx.path);
  if (mw?.facts.csrf && middlewareMatches(mw.facts.matcher, nr.path)) return;
  const sf = ctx.sourceFile;
  const handlers = new Map<string, ts.Node>();
  for (const st of sf.statements) {
    const mods = ts.canHaveModifiers(st) ? ts.getModifiers(st) : undefined;
    if (!mods?.some((x) => x.kind === ts.SyntaxKind.ExportKeyword)) continue;
    if (ts.isFunctionDeclaration(st) && st.name) handlers.set(st.name.text, st);
    if (ts.isVariableStatement(st)) for (const d of st.declarationList.declarations) if (ts.isIdentifier(d.name)) handlers.set(d.name.text, d);
  }
  // imported names → what they are: a cookie-based sign-in library, a local module that uses one, a module that checks CSRF
  const importOf = new Map<string, string>();
  for (const imp of m.imports) for (const local of Object.keys(imp.names)) importOf.set(local, imp.spec);
  let facts: ProjectFacts | undefined;
  for (const method of nr.methods) {
    const meth = method.toLowerCase();
    if (!STATE_METHODS.has(meth)) continue;
    const node = handlers.get(method);
    if (!node) continue;
    const text = node.getText(sf);
    if (NEXT_CSRF_CHECK.test(text) || NEXT_HEADER_AUTH.test(text)) continue;
    // who the handler acts as: a session cookie it reads, or a sign-in it calls
    let how: { lib: string; sameSite?: SameSite; file: string; name?: string } | undefined;
    let csrfHelper = false;
    const cookieRead = /\bcookies\(\)\)?\.get\(\s*['"`]([^'"`]+)['"`]|\b(?:request|req)\.cookies\.get\(\s*['"`]([^'"`]+)['"`]|\bcookie(?:s|Store|Jar)\.get\(\s*['"`]([^'"`]+)['"`]/.exec(text);
    const cookieName = cookieRead ? cookieRead[1] ?? cookieRead[2] ?? cookieRead[3] : undefined;
    if (cookieName && authCookieName(cookieName)) how = { lib: 'cookie', file: ctx.path, name: cookieName };
    for (const call of text.matchAll(/\b([A-Za-z_$][\w$]*)(?:<[^<>()]*>)?\s*\(/g)) {
      const name = call[1];
      // a helper that checks the origin or a token (`verifyRequestOrigin`, `assertSameOrigin`, `validateCsrf`)
      if (/csrf|xsrf|origin|cross-?site/i.test(name)) { csrfHelper = true; break; }
      const spec = importOf.get(name);
      if (!spec) continue;
      if (CSRF_LIBS.test(spec)) { csrfHelper = true; break; }
      const t = /^(\.|@\/|~\/|#)/.test(spec) ? project.resolveImport(ctx.path, spec) : undefined;
      if (!NEXT_IDENTITY_CALL.test(name)) {
        // a function of a module that checks tokens or origins (and is not how the user is found)
        if (t && project.facts(t)?.session?.csrf && !project.facts(t)?.session?.nextAuth) { csrfHelper = true; break; }
        continue;
      }
      const lib = nextCookieAuthLib(spec);
      if (lib) { how ??= { lib, file: ctx.path, ...(m.session?.nextAuth?.sameSite ? { sameSite: m.session.nextAuth.sameSite } : {}) }; continue; }
      if (t) how ??= nextAuthOf(project, t);
    }
    if (csrfHelper || !how) continue;
    // the signed-in user's session cookie: set by the app (its sameSite as written), or by a library (its default unless configured)
    let sameSite: SameSite;
    let cookieAt: (CookieFact & { file: string }) | undefined;
    let who: string;
    if (how.lib === 'cookie') {
      facts ??= projectFacts(project);
      const named = facts.cookies.filter((c) => c.name === how!.name);
      const set = named.length ? named : facts.cookies;
      sameSite = weakest(set.map((c) => c.sameSite)) ?? 'unknown';
      cookieAt = set.find((c) => c.sameSite === sameSite);
      const name = how.name ?? cookieAt?.name;
      who = `${name ? `the \`${name}\` cookie` : 'a session cookie'}${how.file !== ctx.path ? ` (read in ${how.file})` : ''}${cookieAt ? ` (set in ${cookieAt.file}:${cookieAt.line})` : ''}`;
    } else {
      sameSite = how.sameSite ?? NEXT_DEFAULT_SAME_SITE[how.lib] ?? 'unknown';
      who = `${NEXT_LIB_WORDS[how.lib] ?? how.lib}${how.file !== ctx.path ? ` (through ${how.file})` : ''}`;
    }
    if (sameSite === 'strict') continue;
    const path = nr.path;
    const route = `${method} ${path}`;
    let confidence: Confidence = sameSite === 'none' ? 'high' : sameSite === 'unset' ? 'medium' : 'low';
    const reasons: string[] = [];
    if (NON_FORM_METHODS.has(meth)) {
      confidence = 'low';
      reasons.push(`HTML forms cannot send ${method}, so another site needs CORS to allow it`);
    }
    if (LOGIN_PATH.test(path)) {
      confidence = 'low';
      reasons.push('forged sign-in or sign-out requests do little harm');
    }
    const cookieWords = how.lib !== 'cookie' && !how.sameSite && sameSite === 'lax'
      ? `${how.lib} sets its cookie \`sameSite: 'lax'\` by default, which stops cross-site form posts in current browsers but not requests from your other subdomains or older browsers`
      : SAME_SITE_WORDS[sameSite];
    const message = `The route handler \`${route}\` runs as the user signed in by ${who}, but nothing checks that the request comes from your own pages (no CSRF token, no Origin check in the handler or in middleware.ts), and ${cookieWords}. ` +
      'Next.js checks the Origin of Server Actions, not of route handlers: a page on any other site can make a signed-in visitor\'s browser send this request, and it runs as them. ' +
      'Check the Origin header first in the handler (`if (request.headers.get(\'origin\') !== new URL(request.url).origin) return new Response(\'Forbidden\', { status: 403 })`), or in middleware.ts for every POST, PUT, PATCH and DELETE, or send the form to a Server Action instead' +
      (sameSite === 'lax' || how.lib !== 'cookie' ? '.' : '; also give the cookie `sameSite: \'lax\'`.') +
      (reasons.length ? ` Lower confidence: ${reasons.join('; ')}.` : '');
    const nameNode = (ts.isFunctionDeclaration(node) || ts.isVariableDeclaration(node)) && node.name ? node.name : node;
    const related = cookieAt ? [relatedAt(cookieAt, `the \`${cookieAt.name}\` cookie is set here`)] : [];
    ctx.report({ node: nameNode, confidence, message, ...(related.length ? { related: related.map((l) => ({ message: l.message, location: l })) } : {}) });
  }
}
