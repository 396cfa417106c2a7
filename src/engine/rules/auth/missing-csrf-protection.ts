import { ALL_LANGUAGES, defineRule } from '../../model/rule';
import type { Confidence, RelatedLocation } from '../../model/types';
import type { ChainEntry, ModuleFacts, RouteInfo } from '../../project-model/types';
import { CSRF_LIBS, SESSION_LIBS, type CookieFact, type SameSite } from '../../project-model/sessions';
import { TEST_PATH } from '../../secrets/context';
import type { ProjectModel } from '../../project-model/model';

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
const LOGIN_PATH = /(^|\/)(log-?in|log-?out|sign-?in|sign-?out|sign-?up|register|forgot(-?password)?|reset(-?password)?|session|sessions)(\/|$)/i;
/** Handler code that acts as the signed-in user: reads the session, the user, or the auth cookie. */
const USES_IDENTITY = /\b(req|request|ctx)\.(session|user|auth|currentUser|isAuthenticated|cookies|signedCookies|logIn|login|logOut|logout)\b|ctx\.state\.(user|auth|session)|res\.locals\.\w*(user|session|auth|account)|getSession\(|passport\.authenticate|\bsession\./i;
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
    description: 'Looks at each POST/PUT/PATCH/DELETE route as it is mounted across the project (session middleware mounted in `app.js`, routes in `routes/*.js` mounted through routers, middleware on the app, the router or the route) and reports routes that run behind a cookie session (express-session, cookie-session, koa-session, @fastify/session, `passport.session()`, or an auth cookie the app sets itself with `res.cookie` / `ctx.cookies.set` and reads back) with no CSRF protection in their chain: no csurf, csrf-csrf, csrf-sync, lusca.csrf, tiny-csrf, @fastify/csrf-protection, koa-csrf, and no hand-written CSRF token or Origin/Referer check. How sure it is depends on the session cookie\'s `sameSite`, read from the session options: `\'strict\'` is protection enough (quiet); not set is medium, because only Chrome-based browsers treat a cookie without `sameSite` as Lax, and even Chrome sends it with top-level cross-site POSTs for two minutes after it is set, while Firefox and Safari send it with any cross-site form post; `\'none\'` is high; `\'lax\'` is low, since it already stops cross-site form posts in current browsers and what remains (your other subdomains, old browsers) is debatable. Routes that a cross-site form cannot reach are low too: PUT, PATCH and DELETE (forms only send GET and POST, unless method-override is mounted) and routes that read a body while only a JSON parser is mounted (a form cannot send `application/json`).',
    notReported: 'Apps with no cookie session (APIs authenticated with an `Authorization: Bearer` header or an API key: the browser never adds those by itself), routes whose chain has CSRF middleware or an origin check, apps whose session cookie is `sameSite: \'strict\'`, routes that do not act as the signed-in user (no authentication middleware, and a handler that reads no session, user or cookie), GET routes, webhook, OAuth callback and GraphQL routes (Apollo blocks simple cross-site requests by itself), and test and demo code. Low confidence (hidden by default): `sameSite: \'lax\'` cookies, PUT/PATCH/DELETE routes, JSON-only routes, login/logout/sign-up routes, apps handed to setup code Shipsafe does not follow, handlers in another file with no authentication middleware before them, and apps where CSRF protection exists somewhere but not in this route\'s chain as mounted (unless other routes of the file list the CSRF middleware one by one: then the route without it is an omission, reported as usual).',
    why: 'A browser adds your session cookie to every request it sends to your site, including requests another website makes it send: a hidden form on any page a signed-in user visits can post to your route and the route runs as that user (change their email or password, transfer money, delete data). CSRF protection makes the route check that the request came from your own pages.',
    fix: 'Add CSRF protection in front of the routes. With sessions, csrf-sync: `const { csrfSynchronisedProtection, generateToken } = csrfSync()`, `app.use(csrfSynchronisedProtection)` after the session middleware, and `generateToken(req)` in each form as a hidden `_csrf` field or sent as an `x-csrf-token` header. Without sessions, csrf-csrf (double-submit cookie); on other frameworks lusca.csrf(), @fastify/csrf-protection or koa-csrf; or a middleware that rejects POSTs whose Origin header is not your site. Also set the session cookie to `sameSite: \'lax\'` (or `\'strict\'` if nothing links into your signed-in pages from other sites).',
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
    if (!/\.(post|put|patch|delete|all|route|register)\s*\(/.test(ctx.text)) return {}; // cheap pre-filter
    return {
      onFileEnd() {
        const project = ctx.fileProject();
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
  const pick = (here.length ? here : facts.sessions).map((s) => {
    // options imported from a module of the project (`config/session.js`): the sameSite they set
    if (s.sameSite !== 'unknown' || !s.optsFrom) return s;
    const target = project.resolveImport(s.file, s.optsFrom.spec);
    const name = s.optsFrom.imported === '*' ? 'default' : s.optsFrom.imported;
    const v = target ? project.facts(target)?.session?.options?.[name] : undefined;
    return v ? { ...s, sameSite: v } : s;
  });
  const sameSite = weakest(pick.map((s) => s.sameSite));
  if (!sameSite) return { sameSite: e.lib && SESSION_LIBS.test(e.lib) ? 'unset' : 'unknown' };
  return { sameSite, at: pick.find((s) => s.sameSite === sameSite) };
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
  if (chain.some((e) => (e.lib && BEARER_LIBS.test(e.lib)) || BEARER_AUTH.test(e.text))) return undefined;

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
    if (!facts.cookies.length || !facts.readsCookies) return undefined;
    const auth = authEntry(chain);
    const cookieInHandler = !!handler && /\b(req|request|ctx)\.(signedCookies|cookies)\b/.test(handler);
    // the auth middleware is seen reading a cookie (one that reads only the Authorization header is token authentication)
    const m = auth ? definedIn(project, auth) : undefined;
    if (!cookieInHandler && !m?.session?.readsCookies) return undefined;
    sameSite = weakest(facts.cookies.map((c) => c.sameSite))!;
    const c = facts.cookies.find((x) => x.sameSite === sameSite)!;
    cookieAt = c;
    how = `runs as the user signed in by the \`${c.name}\` cookie (set in ${c.file}:${c.line})`;
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
  const formParser = chain.some((e) => FORM_PARSER.test(e.text) || (!!e.lib && FORM_LIBS.test(e.lib)));
  const readsBody = handler === undefined || READS_BODY.test(handler);
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
    (siblingMw ? `Add \`${siblingMw.text}\` to this route as on the others` : `Put CSRF protection in front of it (${fix}, or a middleware that rejects requests whose Origin header is not your site)`) +
    (sameSite === 'lax' ? '.' : ', and give the session cookie `sameSite: \'lax\'`.') +
    (reasons.length ? ` Lower confidence: ${reasons.join('; ')}.` : '');
  const related = cookieAt ? [relatedAt(cookieAt, cookieAt.kind === 'session'
    ? `the session middleware (${cookieAt.lib}): its cookie ${sameSite === 'unset' ? 'sets no sameSite' : sameSite === 'unknown' ? 'has a sameSite Shipsafe cannot read' : `is sameSite ${sameSite}`}`
    : `the \`${cookieAt.name}\` cookie is set here`)] : undefined;
  return { confidence, message, ...(related ? { related } : {}) };
}
