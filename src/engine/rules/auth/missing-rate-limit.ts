import { ts } from 'ts-morph';
import { ALL_LANGUAGES, defineRule, sameVisitor } from '../../model/rule';
import { calleeName, calleeObject, getPropertyValue, literalText, unwrap } from '../../util/ast';
import { calledFunction } from '../../util/resolve-values';
import { TEST_PATH } from '../../secrets/context';
import { tryFixes } from '../../fixes/edits';
import { rateLimitFixes } from '../../fixes/middleware';
import type { ChainEntry } from '../../project-model/types';
import { memberCallIn } from '../../util/text';
import { textPrefilter } from '../../util/text-words';

/** the pre-filter's expression, asked only of a text that holds one of these words (util/text-words.ts) */
const WRITE_CALL_METHODS = ['post', 'put', 'patch', 'all', 'route'];
const WRITE_ROUTE_CALLS = textPrefilter(/\.(post|put|patch|all|route)\s*\(/, WRITE_CALL_METHODS.map((m) => `.${m}`), (text, found) => memberCallIn(text, WRITE_CALL_METHODS, found));

/** Paths of endpoints that take a password, a one-time code or a reset token, or create accounts. */
const AUTH_PATH = /(^|\/)(log-?in|sign-?in|sign-?up|register|signup|session|sessions|authenticate|auth\/(local|token|callback\/credentials)|token|forgot(-?password)?|reset(-?password)?|password(\/(forgot|reset))?|verify(-?(otp|code|email|phone))?|otp|2fa|mfa|magic-?link|confirm|one-?time-?code)(\/?$|\?)/i;
/** Packages that rate-limit requests. */
const LIMIT_MODULES = /^(express-rate-limit|express-slow-down|express-brute|rate-limiter-flexible|@fastify\/rate-limit|fastify-rate-limit|@upstash\/ratelimit|koa-ratelimit|koa2-ratelimit|hono-rate-limiter|@nestjs\/throttler|limiter|bottleneck|express-limiter|@arcjet\/next|@arcjet\/node|next-rate-limit|lru-cache)$/;
const WRITE_METHODS = new Set(['post', 'put', 'patch', 'all']);
/** every callee name the rule's call visitor acts on: it returns at once on any other */
const CALL_NAMES = [...WRITE_METHODS, 'route'];

type Server = 'app' | 'router' | 'unknown';

/** A handler that checks something a person can guess: a password, a PIN, a one-time code (not an unguessable token). */
const GUESSABLE_SECRET = /passw|passcode|\botp\b|\bpin\b|totp|\bcode\b|credential|\bsignIn\s*\(|\blogin\s*\(/i;

/** A chain entry that limits requests: known to (a Next.js middleware), or by its library or name. */
function limits(c: ChainEntry): boolean {
  if (c.checks) return c.checks.includes('rate-limit');
  return LIMIT_MODULES.test(c.lib ?? '') || LIMITER_NAME.test(c.name ?? c.text);
}

/** A middleware whose name says it limits requests or checks for bots. */
const LIMITER_NAME = /ratelimit|rate_limit|limiter|throttl|slowdown|slow_down|brute|captcha|turnstile/i;

/** Sign-up routes: a brute-force target only when they take a password or a code. */
const SIGNUP_PATH = /sign-?up|register|create-?account|join\b/i;
/** A handler that checks a password, a code or a token (or hands the request to an authentication library). */
const CHECKS_SECRETS = /passw|passcode|\botp\b|\bpin\b|totp|verif|compare|\bcode\b|token|authenticate|signIn|login\(|credential/i;

export default defineRule({
  meta: {
    id: 'missing-rate-limit',
    title: 'Login or reset endpoint without rate limiting',
    category: 'auth',
    severity: 'warning',
    confidence: 'medium',
    cwe: [307],
    owasp: 'A07:2021 Identification and Authentication Failures',
    description: 'Finds login, sign-up, password-reset and one-time-code endpoints (Express and Fastify `post`/`put` routes, Next.js route handlers under such paths) with no rate limiting in sight: no express-rate-limit, rate-limiter-flexible, @fastify/rate-limit, @upstash/ratelimit or a `limiter`/`rateLimit`-style middleware on the route or the app. Routes are judged as mounted across the project: a limiter mounted on the app, on the router where it is mounted in another file, or on the route counts, and a route on a router whose app is seen started is reported like a route on the app. Next.js route handlers are judged with the app\'s `middleware.ts` when the project is seen: quiet when a middleware whose matcher covers the route rate-limits (@upstash/ratelimit, Arcjet, a local rate-limit helper), medium when none does and the handler checks a password or a code; alone, and routers whose app Shipsafe does not see, they are reported at low confidence, hidden by default.',
    notReported: 'Routes with a limiter anywhere in their chain as mounted (on the app, on the router in another file, or on the route), routes in test, demo, sample, fixture and docs folders, routes on a router whose app Shipsafe does not see started (low), and routes whose names only sound like login.',
    why: 'Without a limit, anyone can try thousands of passwords per minute against an account (credential stuffing, brute force), guess six-digit reset or login codes in minutes, or flood sign-up and "forgot password" with requests that send emails and texts on your bill.',
    fix: 'Put a limiter on these routes: `const authLimiter = rateLimit({ windowMs: 15 * 60 * 1000, limit: 5 })` from express-rate-limit and `app.post(\'/login\', authLimiter, handler)`; it answers 429 with a Retry-After header. Fastify: @fastify/rate-limit with `config: { rateLimit: { max: 5, timeWindow: \'15 minutes\' } }`. Next.js: @upstash/ratelimit in the handler or in middleware.',
    bad: `import express from 'express';
const app = express();
app.use(express.json());
app.post('/login', async (req, res) => {
  const user = await login(req.body.email, req.body.password);
  res.json({ ok: !!user });
});
app.listen(3000);`,
    good: `import express from 'express';
import rateLimit from 'express-rate-limit';
const app = express();
const loginLimiter = rateLimit({ windowMs: 15 * 60 * 1000, limit: 5 });
app.post('/login', loginLimiter, async (req, res) => {
  const user = await login(req.body.email, req.body.password);
  res.json({ ok: !!user });
});
app.listen(3000);`,
    fixSafety: 'suggestion',
    languages: ALL_LANGUAGES,
    defaultEnabled: true,
    tags: ['auth', 'rate-limit', 'brute-force'],
  },
  create(ctx) {
    const path = ctx.path.replace(/\\/g, '/');
    const lowPath = ctx.facts.testFile || TEST_PATH.test(path) || /(^|\/)(demos?|samples?|fixtures?|docs?)\//.test(path);
    const nextAuthRoute = ctx.facts.nextRouteFile && AUTH_PATH.test(path.replace(/\/route\.[cm]?[jt]sx?$/, '/'));
    if (!nextAuthRoute && !WRITE_ROUTE_CALLS.test(ctx.text)) return {}; // cheap pre-filter
    for (const m of ctx.facts.modules) if (LIMIT_MODULES.test(m)) return {}; // the file sets up rate limiting
    // names the file uses for a limiter or a bot check (`app.use(limiter)`, `authLimiter`, `await ratelimit.limit(ip)`, `verifyCaptcha(…)`)
    if (LIMITER_WORDS.test(ctx.text) && namesALimiter(ctx.text)) return {};

    const servers = new Map<string, Server>();
    const serverOf = (recv: ts.Expression): Server | undefined => {
      const u = unwrap(recv);
      if (!ts.isIdentifier(u)) return undefined;
      const hit = servers.get(u.text);
      if (hit) return hit;
      const b = ctx.taint.scopes.resolve(u);
      let kind: Server | undefined;
      if (b && ts.isVariableDeclaration(b) && b.initializer) {
        let init = unwrap(b.initializer);
        if (ts.isAwaitExpression(init)) init = unwrap(init.expression);
        if (ts.isCallExpression(init) || ts.isNewExpression(init)) {
          const ref = calledFunction(ctx, init);
          const n = calleeName(init) ?? '';
          if (ref?.module === 'express' && (ref.imported === 'default' || ref.imported === '*')) kind = 'app';
          else if (ref?.module === 'express' && ref.imported === 'Router') kind = 'router';
          else if (/^(fastify|Fastify)$/.test(ref?.module ?? '') || ref?.module === 'fastify') kind = 'app';
          else if (ref?.module === 'hono' && n === 'Hono') kind = 'app';
          else if (/^(@koa\/router|koa-router)$/.test(ref?.module ?? '')) kind = 'router';
          else if (n === 'Router') kind = 'router';
        }
      }
      if (!kind && /^(app|server|fastify)$/.test(u.text) && !b) kind = 'unknown';
      if (!kind && /^(router|authRouter|auth|api|routes)$/i.test(u.text)) kind = 'router';
      if (kind) servers.set(u.text, kind);
      return kind;
    };

    const found: { node: ts.Node; route: string; confidence: 'medium' | 'low'; express?: ts.CallExpression; spamOnly?: boolean; next?: boolean }[] = [];
    const report = (node: ts.Node, route: string, confidence: 'medium' | 'low', express?: ts.CallExpression, spamOnly = false, next = false) => {
      found.push({ node, route, confidence: lowPath ? 'low' : confidence, express, spamOnly, next });
    };

    const nextHandler = (name: ts.Identifier, fn: ts.FunctionLikeDeclaration) => {
      // as the project has it: the app's middleware.ts runs first on the paths it matches
      const mounted = ctx.project?.routesIn(ctx.path).find((r) => r.framework === 'next' && r.method === name.text.toLowerCase());
      if (mounted) {
        if (mounted.chain.some(limits)) return;
        // the middleware is seen and does not limit: a handler that checks a password or a code is open to brute force
        report(name, `${name.text} ${mounted.path}`, GUESSABLE_SECRET.test(fn.getText(ctx.sourceFile)) ? 'medium' : 'low', undefined, false, true);
        return;
      }
      const route = path.replace(/^.*?(\/?app\/)/, '/').replace(/\/route\.[cm]?[jt]sx?$/, '');
      report(name, `${name.text} ${route}`, 'low', undefined, false, true);
    };

    return {
      CallExpression: sameVisitor(CALL_NAMES, (call) => {
        const name = calleeName(call);
        if (!name || !WRITE_METHODS.has(name) && name !== 'route') return;
        const recv = calleeObject(call);
        if (!recv) return;
        // fastify.route({ method: 'POST', url: '/login', config: { rateLimit } })
        if (name === 'route') {
          const opts = call.arguments[0] && unwrap(call.arguments[0]);
          if (!opts || !ts.isObjectLiteralExpression(opts)) return;
          const url = literalText(getPropertyValue(opts, 'url') ?? getPropertyValue(opts, 'path'));
          const method = literalText(getPropertyValue(opts, 'method')) ?? '';
          if (!url || !AUTH_PATH.test(url) || !/post|put|patch/i.test(method)) return;
          const config = getPropertyValue(opts, 'config');
          if (config && /rateLimit/.test(config.getText(ctx.sourceFile))) return;
          const kind = serverOf(recv);
          if (!kind) return;
          report(call, `${method.toUpperCase()} ${url}`, kind === 'app' ? 'medium' : 'low');
          return;
        }
        const route = literalText(call.arguments[0]);
        if (!route || !route.startsWith('/') || !AUTH_PATH.test(route)) return;
        // a receiver that is a function's parameter (a Fastify plugin's instance) is a server where the model has the route
        const kind = serverOf(recv) ?? (ctx.project?.routeAt(ctx.path, call.getStart(ctx.sourceFile)) ? 'router' : undefined);
        if (!kind) return;
        // a route option object (Fastify `{ config: { rateLimit } }`, `{ preHandler: limiter }`)
        for (const a of call.arguments.slice(1)) {
          const u = unwrap(a);
          if (ts.isObjectLiteralExpression(u) && /rateLimit|limit/i.test(u.getText(ctx.sourceFile))) return;
        }
        // judged by what the handler does, not by the path alone: a sign-up that takes no password or code is a
        // spam target, not a brute-force one
        const handlerText = call.arguments.slice(1).map((a) => a.getText(ctx.sourceFile)).join('\n');
        const spamOnly = SIGNUP_PATH.test(route) && !CHECKS_SECRETS.test(handlerText) && !/\b(req|request|ctx\.request)\.body\b(?!\s*\.|\s*\[)/.test(handlerText) &&
          !call.arguments.slice(1).some((a) => ts.isIdentifier(unwrap(a)));
        // the route as mounted across the project: a limiter on the app or the router in another file counts
        const mounted = ctx.project?.routeAt(ctx.path, call.getStart(ctx.sourceFile));
        if (mounted && ctx.project) {
          if (mounted.chain.some(limits)) return;
          const app = mounted.app ? ctx.project.apps().find((a) => a.id === mounted.app) : undefined;
          // the whole chain is seen: the app is started and nothing hands it (or the router) to code the model does not follow
          const whole = !!app && app.listenedIn.length > 0 && !ctx.project.passedOut(app.id);
          // the fix adds express-rate-limit: only for Express routes
          report(call, `${name.toUpperCase()} ${mounted.path}`, whole && !spamOnly ? 'medium' : kind === 'app' && !spamOnly ? 'medium' : 'low',
            mounted.framework === 'express' ? call : undefined, spamOnly);
          return;
        }
        report(call, `${name.toUpperCase()} ${route}`, kind === 'app' && !spamOnly ? 'medium' : 'low', call, spamOnly);
      }),
      FunctionDeclaration(fn) {
        // Next.js route handler: export async function POST(request) in app/api/auth/login/route.ts
        if (!nextAuthRoute || !fn.name || !/^(POST|PUT|PATCH)$/.test(fn.name.text)) return;
        if (!fn.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) return;
        nextHandler(fn.name, fn);
      },
      VariableDeclaration(d) {
        // the same written as `export const POST = async (request) => { … }`
        if (!nextAuthRoute || !ts.isIdentifier(d.name) || !/^(POST|PUT|PATCH)$/.test(d.name.text)) return;
        const st = d.parent?.parent;
        if (!st || !ts.isVariableStatement(st) || st.parent !== ctx.sourceFile || !st.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) return;
        const init = d.initializer && unwrap(d.initializer);
        if (init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init))) nextHandler(d.name, init);
      },
      onFileEnd() {
        // one limiter for every Express route of the file: after it, the file counts as rate-limited
        const routes = found.filter((f) => f.express).map((f) => f.express!);
        let fixes: ReturnType<typeof rateLimitFixes> | undefined;
        let built = false;
        for (const f of found) {
          if (f.express && !built) { fixes = tryFixes(() => rateLimitFixes(ctx, routes)); built = true; }
          ctx.report({
            node: f.node,
            confidence: f.confidence,
            message: f.spamOnly
              ? `\`${f.route}\` creates accounts or sign-ups without a rate limit, so a script can sign up in bulk (spam accounts, e-mail floods). It checks no password or code, so brute force is not the risk here. Consider a limit per IP, or a CAPTCHA.`
              : `\`${f.route}\` checks credentials or codes without a rate limit, so attackers can try passwords or codes as fast as they like (brute force, credential stuffing). Limit it, e.g. 5 attempts per 15 minutes per IP ${f.next ? 'with @upstash/ratelimit in the handler or in a middleware.ts whose matcher covers this path' : 'with express-rate-limit'}, answering 429 with a Retry-After header.`,
            fixes: f.express ? fixes : undefined,
          });
        }
      },
    };
  },
});

/**
 * A text where namesALimiter can find a keyword: its keywords, found with the other rules' words in one pass over the
 * text (util/text-words.ts), then its expression.
 */
const LIMITER_WORDS = textPrefilter(/ratelimit|limiter|throttl|slowdown|brute|captcha|turnstile/i, ['ratelimit', 'limiter', 'throttl', 'slowdown', 'brute', 'captcha', 'turnstile']);

/**
 * An identifier naming a limiter or bot check, used (`limiter.`, `authLimiter(`, `, limiter)`). Keyword by keyword,
 * then to the end of its identifier: one regex with `[\w$]*` on both sides of the keyword is quadratic on long
 * identifiers, and matching every identifier of the text first is slow on big files.
 */
function namesALimiter(text: string): boolean {
  // each keyword found in the text, then the end of the identifier around it (the keywords are letters only, so
  // each sits inside one identifier); the rest of that identifier is skipped
  const re = /ratelimit|limiter|throttl|slowdown|brute|captcha|turnstile/gi;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    let end = m.index + m[0].length;
    while (end < text.length && isWordChar(text.charCodeAt(end))) end++;
    if (/^\s*[.(,)]/.test(text.slice(end, end + 200))) return true;
    re.lastIndex = end;
  }
  return false;
}

/** `[\w$]`: A–Z, a–z, 0–9, `_`, `$`. */
function isWordChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 36;
}
