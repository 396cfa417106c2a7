import { ts } from 'ts-morph';
import { ALL_LANGUAGES, defineRule, sameVisitor, type RuleContext } from '../../model/rule';
import type { ChainEntry, RouteInfo } from '../../project-model/types';
import { TEST_PATH } from '../../secrets/context';
import { decoratorsOf, NEST_METHODS, nestPath } from '../../util/nest';
import type { ProjectModel } from '../../project-model/model';
import { middlewareProtects } from '../../project-model/next-middleware';
import { memberCallIn } from '../../util/text';
import { isFunctionLike, unwrap } from '../../util/ast';
import { textPrefilter } from '../../util/text-words';
import { mayCreateExpressOrHonoApp, mayStartAppWithoutCall, START_CALLS } from '../../util/lone-file';

/** the pre-filters' expressions, each asked only of a text that holds one of its words (util/text-words.ts) */
const NEST_CONTROLLER = textPrefilter(/@Controller\s*\(/, ['@Controller']);
const ROUTE_METHODS = ['get', 'post', 'put', 'patch', 'delete', 'all', 'route', 'use'];
const ROUTE_CALLS = textPrefilter(/\.(get|post|put|patch|delete|all|route|use)\s*\(/, ROUTE_METHODS.map((m) => `.${m}`), (text, found) => memberCallIn(text, ROUTE_METHODS, found));
const SERVER_ACTIONS = textPrefilter(/['"]use server['"]/, ['use server']);

/** A middleware that authenticates or authorizes, by its name, its source text or its library. */
const AUTH_NAME = /auth|login|logged|passport|jwt|token|verify|protect|guard|ensure|(validate|check)_?session|require(d)?(User|Admin|Role|Session)|isAdmin|admin[A-Z_]|role|permission|can[A-Z]|acl|clerk|keycloak|firebase|session\.user|req\.user|isAuthenticated/i;
const AUTH_LIBS = /^(passport|express-jwt|express-openid-connect|@clerk\/|express-oauth2-jwt-bearer|connect-ensure-login|keycloak-connect|@auth0\/|express-basic-auth|basic-auth|express-jwt-authz|casl|@casl\/|accesscontrol)/;
/** Middleware that is never an access check, whatever its name says (`express-session` stores a session, it checks nothing). */
const NOT_AUTH_LIBS = /^(express-session|cookie-session|cookie-parser|express|body-parser|cors|helmet|morgan|compression|express-rate-limit|multer)$/;
/** Handler code that looks at who is signed in, or checks ownership or a role. */
const SCOPED = /req\.(user|auth|session|currentUser|userId)|\bc\.(get\(\s*['"](user|session|jwtPayload|auth|userId)['"]|var\.(user|session|jwtPayload|auth|userId))|request\.(user|auth|session)|res\.locals\.(user|auth|session|currentUser)|session\.user|currentUser|ownerId|owner_id|userId|user_id|authorId|author_id|createdBy|created_by|isAdmin|\brole\b|permission|authorize|getServerSession|verifyToken|jwt\.verify|isAuthenticated/;
/** Handler code that changes or deletes records. */
const WRITES = /\.(update\w*|findByIdAndUpdate|findByIdAndDelete|findByIdAndRemove|findOneAndUpdate|findOneAndDelete|delete\w*|destroy|remove|save|upsert|increment|decrement)\s*\(|\b(UPDATE|DELETE\s+FROM|INSERT\s+INTO)\b/;
/** Handler code that reads a record by the route's id. */
const READS = /\.(findById|findByPk|findOne|findUnique|findFirst|findUniqueOrThrow|get|query|execute|select|where|doc|collection)\s*\(|\bSELECT\b/;
/** Admin, debug and monitoring endpoints. */
const ADMIN_PATH = /(^|\/)(admin|_admin|administrator|debug|_debug|internal|metrics|actuator|console|manage|management|superuser|staff)(\/|$)/i;
const WEAK_ADMIN_PATH = /(^|\/)(metrics|internal)(\/|$)/i;
/** An id-like route parameter: `/:id`, `/:userId`, `/:orderId`. */
const ID_PARAM = /\/:(\w*id|\w*Id|\w*_id|uuid|slug)\b/;

function isAuth(c: ChainEntry): boolean {
  if (c.checks) return c.checks.includes('auth');
  if (c.lib && NOT_AUTH_LIBS.test(c.lib)) return false;
  if (c.lib && AUTH_LIBS.test(c.lib)) return true;
  return AUTH_NAME.test(c.name ?? '') || AUTH_NAME.test(c.text);
}

export default defineRule({
  meta: {
    id: 'broken-access-control',
    title: 'Route that changes records or exposes admin tools without an access check',
    category: 'auth',
    severity: 'error',
    confidence: 'medium',
    cwe: [862, 639, 284],
    owasp: 'A01:2021 Broken Access Control',
    description: 'Looks at each Express and Hono route as it is mounted across the project (app-level `app.use`, routers and sub-apps mounted from other files, middleware on the route) and finds routes with an id parameter (`/:id`) that change or delete a record while no authentication middleware is in their chain and the handler never looks at the signed-in user; admin, debug and monitoring routes (`/admin`, `/debug`, `/metrics`) reachable with no authentication middleware and no check in the handler; Next.js route handlers (app/…/route.ts, pages/api) under such paths or with an `[id]` segment that they change, with no sign-in check in a `middleware.ts` whose matcher covers them (next-auth, Clerk `auth.protect()`, Supabase `getUser()` with a redirect…) and none in the handler; NestJS controller methods judged the same way when neither the method nor its controller has a guard and the app registers no global guard; and Next.js server actions (`\'use server\'`) that change or delete the record an id argument or form field names without asking who is calling (`auth()`, `getServerSession`, `currentUser()`…), judged with the middleware.ts of the pages that use them: an action runs on a POST to a page that imports it (directly or through a client component), after the middleware that matches that page, so it is reported when no middleware checks sign-in or when a page that uses it is outside what the middleware protects.',
    notReported: 'Routes with any authentication middleware in their chain (`requireAuth`, `passport.authenticate(…)`, `express-jwt`, a check of `req.user` on the app), handlers that look at the signed-in user, an owner or a role, routes that only read by id (public pages are normal), routes of apps Shipsafe does not see started or that are handed to setup code it does not follow, server actions that call any session or user lookup (even one that does not scope the write: that is judged from the route side only), server actions used only from pages where the middleware.ts requires sign-in (low: signed-in users can still send others\' ids) or from no page the project model finds while a middleware.ts checks sign-in on some paths (low: cannot tell), server actions declared inside components, NestJS apps with a global guard (`APP_GUARD`, `useGlobalGuards`) or controllers with any auth decorator (`@UseGuards`, `@Roles`, `@Public`…), and test, demo and example code. Reads by id without any check, `/metrics` and `/internal` routes, admin GET routes whose handler only answers yes or no (`res.json(ownerCount > 0)`, which a sign-in page may need before anyone has signed in), and apps that have no authentication anywhere are low confidence.',
    why: 'If a route changes a record chosen by an id in the URL and never asks who is calling, anyone who can guess or enumerate ids can edit or delete other people\'s data. Admin and debug endpoints without a check hand anyone the keys to the app: user lists, config, stack traces, or switches that change production data.',
    fix: 'Put your authentication middleware in front of the route (`router.delete(\'/:id\', requireAuth, …)` or `router.use(requireAuth)` before it), and scope the query to the signed-in user: `Order.deleteOne({ _id: req.params.id, userId: req.user.id })`. For admin routes, also check the role: `app.use(\'/admin\', requireAuth, requireRole(\'admin\'), adminRouter)`.',
    bad: `import express from 'express';
const app = express();
app.get('/api/me', requireAuth, (req, res) => res.json(req.user));
app.delete('/api/orders/:id', async (req, res) => {
  await Order.findByIdAndDelete(req.params.id);
  res.sendStatus(204);
});
app.listen(3000);`,
    good: `import express from 'express';
const app = express();
app.get('/api/me', requireAuth, (req, res) => res.json(req.user));
app.delete('/api/orders/:id', requireAuth, async (req, res) => {
  await Order.deleteOne({ _id: req.params.id, userId: req.user.id });
  res.sendStatus(204);
});
app.listen(3000);`,
    fixSafety: 'none',
    languages: ALL_LANGUAGES,
    defaultEnabled: true,
    tags: ['auth', 'access-control', 'idor'],
  },
  create(ctx) {
    const path = ctx.path.replace(/\\/g, '/');
    if (ctx.facts.testFile || TEST_PATH.test(path) || /(^|\/)(demos?|samples?|fixtures?|docs?)\//.test(path)) return {};
    const actions = SERVER_ACTIONS.test(ctx.text);
    const routed = ROUTE_CALLS.test(ctx.text);
    // a Next.js route handler or page, judged only within its project (its middleware.ts may check sign-in)
    const nextRoute = ctx.project?.facts(ctx.path)?.nextRoute;
    const nextPage = ctx.project?.facts(ctx.path)?.nextPage;
    const adminPage = !!nextPage && !nextPage.layout && !nextPage.client && !nextPage.checksUser && ADMIN_PATH.test(nextPage.path);
    const nest = NEST_CONTROLLER.test(ctx.text) && ctx.text.includes('@nestjs/');
    if (!actions && !routed && !nextRoute && !adminPage && !nest) return {}; // cheap pre-filter: no routes, controllers or server actions here
    // a file analysed alone: whether one of its calls can start an app (util/lone-file.ts)
    let startCall = false;
    return {
      ...(!ctx.project && routed ? { calls: sameVisitor(START_CALLS, () => { startCall = true; }) } : {}),
      onFileEnd() {
        if (actions) judgeServerActions(ctx);
        if (nest) judgeNestControllers(ctx);
        if (nextRoute && ctx.project) judgeNextRoutes(ctx, ctx.project);
        if (adminPage && ctx.project) judgeNextAdminPage(ctx, ctx.project);
        if (!routed) return;
        // judged on the app as mounted; a file analysed alone is a project of one file (a router alone has no app:
        // quiet), whose routes belong to no Express or Hono app unless it creates one, and are judged only in an app it
        // starts (util/lone-file.ts)
        if (!ctx.project && !((startCall || mayStartAppWithoutCall(ctx.sourceFile)) && mayCreateExpressOrHonoApp(ctx.text))) return;
        const project = ctx.fileProject();
        const routes = project.routesIn(ctx.path).filter((r) => (r.framework === 'express' || r.framework === 'hono') && r.app);
        if (!routes.length) return;
        const apps = new Map(project.apps().map((a) => [a.id, a]));
        // whether an app has any authentication at all (then a route without it is an omission, not a public app)
        const appHasAuth = new Map<string, boolean>();
        const hasAuth = (appId: string) => {
          let v = appHasAuth.get(appId);
          if (v === undefined) { v = project.routes().some((r) => r.app === appId && r.chain.some(isAuth)); appHasAuth.set(appId, v); }
          return v;
        };
        for (const r of routes) {
          const app = apps.get(r.app!);
          if (!app || !app.listenedIn.length || project.passedOut(app.id)) continue;
          if (r.chain.some(isAuth)) continue;
          // the handler's code, when it is in this file (a controller elsewhere is not read here)
          const handler = r.handler && r.handler.file === ctx.path && r.handler.end > r.handler.start
            ? ctx.text.slice(r.handler.start, r.handler.end) : undefined;
          if (handler === undefined || SCOPED.test(handler)) continue;
          // Hono reads the id with `c.req.param('id')`
          const verdict = judge(r, handler, hasAuth(app.id), 'express', /params|\.req\.param\(/.test(handler));
          if (!verdict) continue;
          // `GET /admin/owner-created` answering `res.json(count > 0)`: a yes or no that a sign-in page may need (a GET
          // only: a POST that answers `true` may have reset or restarted something on the way)
          if ((r.method === 'get' || r.method === 'head') && ADMIN_PATH.test(r.path) && !WRITES.test(handler) && answersYesOrNoOnly(nodeAt(ctx.sourceFile, r.handler!.start, r.handler!.end))) {
            verdict.confidence = 'low';
          }
          const lineEnd = ctx.text.indexOf('\n', r.start);
          ctx.report({
            range: { start: r.start, end: lineEnd > r.start && lineEnd < r.end ? lineEnd : r.end },
            confidence: verdict.confidence,
            message: verdict.message,
          });
        }
      },
    };
  },
});

/** The node of a file that spans exactly from `start` to `end` (its text, without leading trivia). */
function nodeAt(sf: ts.SourceFile, start: number, end: number): ts.Node | undefined {
  let found: ts.Node | undefined;
  const visit = (n: ts.Node) => {
    if (found || n.end < end || n.pos > start) return;
    if (n.end === end && n.getStart(sf) === start) { found = n; return; }
    ts.forEachChild(n, visit);
  };
  ts.forEachChild(sf, visit);
  return found;
}

/** The comparison operators (made on first use: nothing of TypeScript is read when the module loads) */
let comparisons: Set<ts.SyntaxKind> | undefined;

/** Members that send a response's body: `res.json(…)`, `res.status(500).send(…)`, Hono's `c.json(…)`. */
const SEND_MEMBERS = new Set(['json', 'send', 'jsonp', 'end', 'write', 'render', 'sendFile', 'download', 'redirect', 'text', 'html', 'body']);

/**
 * Whether a handler answers only yes or no: every body it sends is a comparison, a negation, `Boolean(…)`, `true` or
 * `false`, or (for its errors) an object or text of literals; and it sends at least one such yes or no. It then
 * tells nothing but a fact such as "an owner account exists", which a sign-in page may have to ask before anyone
 * has signed in.
 */
function answersYesOrNoOnly(fn: ts.Node | undefined): boolean {
  if (!fn || !isFunctionLike(fn)) return false;
  let yesNo = 0;
  let other = false;
  const isYesNo = (e: ts.Expression): boolean => {
    const u = unwrap(e);
    if (u.kind === ts.SyntaxKind.TrueKeyword || u.kind === ts.SyntaxKind.FalseKeyword) return true;
    if (ts.isPrefixUnaryExpression(u) && u.operator === ts.SyntaxKind.ExclamationToken) return true;
    if (ts.isCallExpression(u) && ts.isIdentifier(u.expression) && u.expression.text === 'Boolean') return true;
    if (ts.isBinaryExpression(u)) {
      comparisons ??= new Set([ts.SyntaxKind.LessThanToken, ts.SyntaxKind.GreaterThanToken, ts.SyntaxKind.LessThanEqualsToken,
        ts.SyntaxKind.GreaterThanEqualsToken, ts.SyntaxKind.EqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsToken,
        ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsEqualsToken]);
      return comparisons.has(u.operatorToken.kind);
    }
    return false;
  };
  const isLiteralOnly = (e: ts.Expression): boolean => {
    const u = unwrap(e);
    if (ts.isStringLiteralLike(u) || ts.isNumericLiteral(u)) return true;
    return ts.isObjectLiteralExpression(u) && u.properties.every((p) => ts.isPropertyAssignment(p) && (ts.isStringLiteralLike(unwrap(p.initializer)) || ts.isNumericLiteral(unwrap(p.initializer))));
  };
  const visit = (n: ts.Node) => {
    if (other) return;
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && SEND_MEMBERS.has(n.expression.name.text)) {
      const arg = n.arguments[0];
      if (!arg) { if (n.expression.name.text !== 'end') other = true; return; }
      if (n.arguments.length === 1 && isYesNo(arg)) yesNo++;
      else if (!(n.arguments.length <= 2 && isLiteralOnly(arg))) other = true;
      return;
    }
    ts.forEachChild(n, visit);
  };
  ts.forEachChild(fn, visit);
  return !other && yesNo > 0;
}

/** How a framework's routes get an access check, for the messages. */
const ADVICE = {
  express: {
    none: 'no authentication middleware runs before it (as mounted)',
    admin: 'Put your auth middleware and a role check in front of it (`app.use(\'/admin\', requireAuth, requireRole(\'admin\'), …)`).',
    write: 'Add your auth middleware to the route and scope the query to the user (`{ _id: req.params.id, userId: req.user.id }`).',
    read: 'add your auth middleware and scope the query to the user',
  },
  nest: {
    none: 'no guard protects it (none on the method or its controller, and no global guard)',
    admin: 'Put a guard and a role check on the controller (`@UseGuards(JwtAuthGuard, RolesGuard)` with `@Roles(\'admin\')`), or register your auth guard globally (`APP_GUARD`).',
    write: 'Put your auth guard on the method or controller (`@UseGuards(JwtAuthGuard)`) and pass the signed-in user to the service so it only changes that user\'s records (`this.orders.remove(id, user.id)`).',
    read: 'put your auth guard on it and scope the lookup to the signed-in user',
  },
};

function judge(r: Pick<RouteInfo, 'method' | 'path'>, handler: string, appHasAuth: boolean, style: keyof typeof ADVICE = 'express', usesParams = /params/.test(handler)): { confidence: 'medium' | 'low'; message: string } | undefined {
  const route = `${r.method.toUpperCase()} ${r.path}`;
  const a = ADVICE[style];
  if (ADMIN_PATH.test(r.path)) {
    return {
      confidence: WEAK_ADMIN_PATH.test(r.path) && !/admin|debug/i.test(r.path) ? 'low' : 'medium',
      message: `\`${route}\` looks like an admin, debug or monitoring endpoint, but ${a.none} and the handler checks no user or role: anyone who finds the URL can use it. ${a.admin}`,
    };
  }
  if (!ID_PARAM.test(r.path)) return undefined;
  const writes = r.method !== 'get' && r.method !== 'head' && r.method !== 'options' && WRITES.test(handler);
  const reads = READS.test(handler) && usesParams;
  if (!writes && !reads) return undefined;
  if (!usesParams) return undefined;
  if (writes) {
    return {
      confidence: appHasAuth ? 'medium' : 'low',
      message: `\`${route}\` changes the record chosen by the id in the URL, but ${a.none} and the handler never looks at the signed-in user, so anyone can change or delete anyone's records by trying ids. ${a.write}`,
    };
  }
  return {
    confidence: 'low',
    message: `\`${route}\` loads the record chosen by the id in the URL, but ${a.none} and nothing checks the signed-in user. That is fine for public data; if these records belong to users, ${a.read}.`,
  };
}

/**
 * A decorator that guards or names who may call: `@UseGuards(…)`, and the auth decorators apps compose with
 * `applyDecorators` (`@Auth()`, `@Roles('admin')`, `@Authorized()`); `@Public()` / `@SkipAuth()` mark an exception
 * to a global guard, so the app has one even if the model did not see it registered.
 */
const NEST_GUARD = /^(UseGuards|Auth\w*|Roles?|Authorized|Authenticated|RequireAuth\w*|Permissions?|RequirePermissions?|Policies|CheckPolicies|Scopes|Public|SkipAuth|AllowAnonymous|ApiBearerAuth|ApiSecurity|ApiCookieAuth|ApiOAuth2)$/;
/** A handler parameter that receives the signed-in user or the request (`@CurrentUser() user`, `@Req() req`). */
const NEST_USER_PARAM = /^(CurrentUser|User|AuthUser|GetUser|ReqUser|SessionUser|Session)$/;

/**
 * NestJS controllers: a method routed with `@Put(':id')`/`@Delete(':id')`… whose class and method have no guard,
 * in an app that registers no global guard, judged like an Express route. Only when the project boots a Nest app
 * the model sees (a controller alone may be guarded where it is used).
 */
function judgeNestControllers(ctx: RuleContext): void {
  const nest = ctx.project?.nest();
  if (!nest?.boots || nest.globalGuard) return;
  const sf = ctx.sourceFile;
  for (const st of sf.statements) {
    if (!ts.isClassDeclaration(st)) continue;
    const cdecs = decoratorsOf(st);
    const ctl = cdecs.find((d) => d.name === 'Controller');
    if (!ctl || cdecs.some((d) => NEST_GUARD.test(d.name))) continue;
    const prefix = nestPath(ctl.call);
    if (prefix === undefined) continue;
    // the file's other controllers or methods are guarded: this app has auth, a missing guard is an omission
    const appHasAuth = nest.guards || /@(UseGuards|Auth\w*|Roles?)\s*\(/.test(ctx.text);
    for (const m of st.members) {
      if (!ts.isMethodDeclaration(m) || !m.body) continue;
      const decs = decoratorsOf(m);
      if (decs.some((d) => NEST_GUARD.test(d.name))) continue;
      const route = decs.find((d) => NEST_METHODS[d.name]);
      if (!route) continue;
      const sub = nestPath(route.call);
      if (sub === undefined) continue;
      if (m.parameters.some((p) => decoratorsOf(p).some((d) => NEST_USER_PARAM.test(d.name)))) continue;
      const body = m.body.getText(sf);
      if (SCOPED.test(body)) continue;
      const path = '/' + [nest.prefix ?? '', prefix, sub].flatMap((x) => x.split('/')).filter(Boolean).join('/');
      const usesParams = m.parameters.some((p) => decoratorsOf(p).some((d) => d.name === 'Param'));
      const verdict = judge({ method: NEST_METHODS[route.name], path }, body, appHasAuth, 'nest', usesParams);
      if (!verdict) continue;
      ctx.report({ node: route.call?.parent ?? m.name, confidence: verdict.confidence, message: verdict.message });
    }
  }
}

/** A parameter or form field that names a record: `id`, `postId`, `order_id`, `slug`. */
const ID_NAME = /^(id|\w+Id|\w+_id|\w+ID|uuid|slug)$/;
/**
 * Code in a server action that finds out who is calling: `auth()`, `getServerSession(…)`, `currentUser()`,
 * `getUserOrThrow()`, `requireSession()`, Supabase's `auth.getUser()`, Clerk, Kinde, Lucia's `validateRequest()`.
 */
const ACTION_AUTH = /\b(auth|getServerSession|getServerAuthSession|getSession|currentUser|validateRequest|getKindeServerSession|getAuth|withAuth)\s*\(|\.auth\.(getUser|getSession)\s*\(|\b(get|require|current|fetch|load|check|assert|ensure|verify|validate|read)\w*(User|Session|Auth|Account|Viewer|Member|Owner|Admin|Role|Permission)\w*\s*\(|\bsession\b|\bclerk/i;

/**
 * Next.js server actions (`'use server'`) are POST endpoints anyone can call with any arguments, whatever page
 * they are used from. An exported action that changes or deletes the record an id argument names, and never asks
 * who is calling, lets anyone change anyone's records.
 */
function judgeServerActions(ctx: RuleContext): void {
  const sf = ctx.sourceFile;
  const directive = (stmts: readonly ts.Statement[]) => {
    for (const st of stmts) {
      if (!ts.isExpressionStatement(st) || !ts.isStringLiteral(st.expression)) return false;
      if (st.expression.text === 'use server') return true;
    }
    return false;
  };
  const fileLevel = directive(sf.statements);
  const exported = (st: ts.Statement) => !!(ts.canHaveModifiers(st) && ts.getModifiers(st)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword));
  const found: { name: ts.Identifier; fn: ts.FunctionLikeDeclaration }[] = [];
  for (const st of sf.statements) {
    if (ts.isFunctionDeclaration(st) && st.name && st.body && (fileLevel ? exported(st) : directive(st.body.statements))) found.push({ name: st.name, fn: st });
    if (ts.isVariableStatement(st) && (!fileLevel || exported(st))) {
      for (const d of st.declarationList.declarations) {
        const init = d.initializer;
        if (!ts.isIdentifier(d.name) || !init || !(ts.isArrowFunction(init) || ts.isFunctionExpression(init)) || !ts.isBlock(init.body)) continue;
        if (fileLevel || directive(init.body.statements)) found.push({ name: d.name, fn: init });
      }
    }
  }
  for (const { name, fn } of found) {
    const body = fn.body?.getText(sf) ?? '';
    if (!WRITES.test(body) || ACTION_AUTH.test(body) || SCOPED.test(body)) continue;
    // the record is chosen by the caller: an id argument, an id in the arguments' fields, or an id form field
    const ids: string[] = [];
    for (const p of fn.parameters) {
      if (ts.isIdentifier(p.name) && ID_NAME.test(p.name.text)) ids.push(p.name.text);
      if (ts.isObjectBindingPattern(p.name)) for (const el of p.name.elements) if (ts.isIdentifier(el.name) && ID_NAME.test(el.name.text)) ids.push(el.name.text);
    }
    const form = /\bformData\.get\(\s*['"](\w+)['"]\s*\)/g;
    const fromForm = new Set<string>();
    for (let m = form.exec(body); m; m = form.exec(body)) if (ID_NAME.test(m[1])) fromForm.add(m[1]);
    const id = ids.find((i) => new RegExp(`\\b${i}\\b`).test(body)) ?? [...fromForm][0];
    if (!id) continue;
    const verdict = actionVerdict(ctx, name.text, id);
    ctx.report({ node: name, confidence: verdict.confidence, message: verdict.message });
  }
}

/**
 * How far a middleware.ts protects a server action. Next.js runs an action on a POST to a page whose module graph
 * holds it, after the middleware that matches that page's path (a layout's check does not run first), so:
 * no middleware that checks sign-in → anyone can call it (medium); the pages that use it are known and one of them
 * is outside what the middleware protects → anyone can call it there (medium); every such page is protected → only
 * signed-in users can, and the missing ownership check remains (low); no page found → cannot tell (low). Without a
 * project model (a file analysed alone) nothing is known about a middleware: judged as unprotected.
 */
function actionVerdict(ctx: RuleContext, action: string, id: string): { confidence: 'medium' | 'low'; message: string } {
  const scope = `(\`where: { id, authorId: session.user.id }\`)`;
  const anyone = (why: string) => ({
    confidence: 'medium' as const,
    message: `The server action \`${action}\` changes or deletes the record chosen by \`${id}\`, but never checks who is calling${why}. Next.js exposes every server action as a POST endpoint that anyone can call with any arguments, even if your pages only show the button to the owner, so anyone can change or delete other people's records by sending other ids. Check the session at the top (\`const session = await auth(); if (!session) throw new Error('Unauthorized')\`) and scope the write to the signed-in user ${scope}.`,
  });
  const mw = ctx.project?.nextMiddlewareFor(ctx.path);
  if (!ctx.project || !mw?.facts.auth) return anyone(mw ? ', and your middleware.ts does not check sign-in' : '');
  const pages = ctx.project.nextPagesUsing(ctx.path);
  // `app/[locale]/settings/page.tsx` is served at `/en/settings`, and apps that rewrite in the middleware
  // (`/settings` → `/[variants]/settings`) are matched on the public path: a leading dynamic segment may be absent
  const signedIn = (r: RouteInfo) => {
    if (middlewareProtects(mw.facts, r.path)) return true;
    const bare = r.path.replace(/^(\/\[[^\]/]+\])+/, '');
    return bare !== r.path && middlewareProtects(mw.facts, bare || '/');
  };
  const open = pages.filter((r) => !signedIn(r));
  if (open.length) {
    const shown = [...new Set(open.map((r) => `\`${r.path}\``))];
    const list = shown.slice(0, 3).join(', ') + (shown.length > 3 ? ` and ${shown.length - 3} more` : '');
    // a layout that asks who is signed in runs when the page renders, after the action has run
    const layout = open.some((r) => r.chain.some((c) => c.name === 'layout')) ? ' (a sign-in check in a layout does not run before an action)' : '';
    return anyone(`, and it is used from ${shown.length === 1 ? 'the page' : 'the pages'} ${list}, where your middleware.ts (${mw.facts.auth}) does not require sign-in${layout}: the action runs on a POST to ${shown.length === 1 ? 'that page' : 'those pages'} without it`);
  }
  if (pages.length) {
    const shown = [...new Set(pages.map((r) => `\`${r.path}\``))];
    const list = shown.slice(0, 3).join(', ') + (shown.length > 3 ? ` and ${shown.length - 3} more` : '');
    return {
      confidence: 'low',
      message: `The server action \`${action}\` changes or deletes the record chosen by \`${id}\` without checking whether the record belongs to the caller. Your middleware.ts requires sign-in (${mw.facts.auth}) on the pages that use it (${list}), so only signed-in users can call it, but any of them can send other people's ids. Get the session in the action (\`const session = await auth()\`) and scope the write to that user ${scope}.`,
    };
  }
  return {
    confidence: 'low',
    message: `The server action \`${action}\` changes or deletes the record chosen by \`${id}\` without checking who is calling. Your middleware.ts requires sign-in (${mw.facts.auth}) on the paths it matches, but no page that uses this action was found, so whether it runs behind that check cannot be told; and even then, any signed-in user could send other people's ids. Get the session in the action (\`const session = await auth()\`) and scope the write to that user ${scope}.`,
  };
}

/** A handler that checks a shared secret or API key (cron jobs, webhooks, internal tools): `Authorization`, `x-api-key`, `CRON_SECRET`. */
const KEY_CHECK = /headers\.get\(\s*['"](authorization|x-[\w-]*(key|token|secret|signature)[\w-]*)['"]|\.headers\[\s*['"](authorization|x-[\w-]*(key|token|secret|signature)[\w-]*)['"]|\.headers\.(authorization|cookie)\b|process\.env\.\w*(SECRET|KEY|TOKEN|PASSWORD)\w*|\bbearer\b|verifySignature|constructEvent/i;

/** A dynamic segment that names a record: `[id]`, `[postId]`, `[order_id]`, `[slug]`. */
const NEXT_ID_SEGMENT = /\[(\w*id|\w*Id|\w*_id|uuid|slug)\]/;
/** Authentication libraries of Next.js apps: an app that depends on one signs users in somewhere. */
const NEXT_AUTH_DEPS = ['next-auth', '@auth/core', '@clerk/nextjs', '@supabase/ssr', '@supabase/auth-helpers-nextjs', 'lucia', 'better-auth', '@kinde-oss/kinde-auth-nextjs', 'iron-session', '@auth0/nextjs-auth0'];

/**
 * Next.js route handlers (app/…/route.ts, pages/api) as the project has them: the app's middleware.ts is the chain.
 * An admin-looking route, or one that changes the record its `[id]` names, with no sign-in check in a middleware
 * that matches it and none in the handler's file, is reported like the Express routes.
 */
function judgeNextRoutes(ctx: RuleContext, project: ProjectModel): void {
  const routes = project.routesIn(ctx.path).filter((r) => r.framework === 'next');
  if (!routes.length) return;
  // the file asks who is calling (a session, the user, a role, a shared secret or API key): judged from the handler, not here
  if (ACTION_AUTH.test(ctx.text) || SCOPED.test(ctx.text) || KEY_CHECK.test(ctx.text)) return;
  const sf = ctx.sourceFile;
  const handlers = new Map<string, ts.Node>();
  for (const st of sf.statements) {
    const mods = ts.canHaveModifiers(st) ? ts.getModifiers(st) : undefined;
    if (!mods?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) continue;
    const isDefault = mods.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);
    if (ts.isFunctionDeclaration(st)) handlers.set(isDefault ? 'ALL' : st.name?.text ?? '', st);
    if (ts.isVariableStatement(st)) for (const d of st.declarationList.declarations) if (ts.isIdentifier(d.name)) handlers.set(d.name.text, d);
  }
  for (const st of sf.statements) if (ts.isExportAssignment(st) && !handlers.has('ALL')) handlers.set('ALL', st);
  const appHasAuth = NEXT_AUTH_DEPS.some((d) => project.dependencyVersion(ctx.path, d) !== undefined) || !!project.nextMiddlewareFor(ctx.path)?.facts.auth;
  for (const r of routes) {
    if (r.chain.some(isAuth)) continue;
    const node = handlers.get(r.method.toUpperCase());
    if (!node) continue;
    const body = node.getText(sf);
    const route = `${r.method === 'all' ? 'Any method on' : r.method.toUpperCase()} ${r.path}`;
    const nameNode = (ts.isFunctionDeclaration(node) || ts.isVariableDeclaration(node)) && node.name ? node.name : node;
    const middleware = r.chain.length ? 'your middleware.ts runs on it without checking sign-in' : 'no middleware.ts that checks sign-in covers it';
    if (ADMIN_PATH.test(r.path)) {
      ctx.report({
        node: nameNode,
        confidence: WEAK_ADMIN_PATH.test(r.path) && !/admin|debug/i.test(r.path) ? 'low' : 'medium',
        message: `\`${route}\` looks like an admin, debug or monitoring endpoint, but ${middleware} and the handler never checks who is calling: anyone who finds the URL can use it. Check the session and the role at the top of the handler (\`const session = await auth(); if (session?.user.role !== 'admin') return new Response(null, { status: 403 })\`), or add the path to a middleware that requires sign-in.`,
      });
      continue;
    }
    if (!NEXT_ID_SEGMENT.test(r.path) || r.method === 'get' || r.method === 'head' || r.method === 'options') continue;
    if (!WRITES.test(body) || !/\b(params|query)\b/.test(body)) continue;
    ctx.report({
      node: nameNode,
      confidence: appHasAuth ? 'medium' : 'low',
      message: `\`${route}\` changes the record chosen by the id in the URL, but ${middleware} and the handler never checks who is calling, so anyone can change or delete anyone's records by trying ids. Get the session in the handler (\`const session = await auth()\`) and scope the write to that user (\`where: { id, authorId: session.user.id }\`).`,
    });
  }
}

/** Server-side data access in a page: an ORM or database call, Supabase's `from()`, SQL. */
const PAGE_LOADS = /\b(prisma|db|drizzle|knex|sql|pool|supabase|mongoose|client)\s*\.\s*\w+|\.(findMany|findUnique|findFirst|findAll|findById|query|execute|select|from)\s*\(|\bSELECT\b/;

/**
 * A Next.js server-component page under an admin or debug path (app/admin/users/page.tsx) that loads data on the
 * server, with no middleware.ts sign-in check matching it, no layout above it that asks who is signed in, and no
 * check in the page: anyone who opens the URL gets the rendered data.
 */
function judgeNextAdminPage(ctx: RuleContext, project: ProjectModel): void {
  const route = project.routesIn(ctx.path).find((r) => r.framework === 'next' && r.page);
  if (!route || route.chain.some(isAuth)) return;
  if (ACTION_AUTH.test(ctx.text) || SCOPED.test(ctx.text) || KEY_CHECK.test(ctx.text) || !PAGE_LOADS.test(ctx.text)) return;
  const sf = ctx.sourceFile;
  let at: ts.Node | undefined;
  for (const st of sf.statements) {
    const mods = ts.canHaveModifiers(st) ? ts.getModifiers(st) : undefined;
    if (ts.isFunctionDeclaration(st) && mods?.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword)) at = st.name ?? st;
    else if (ts.isExportAssignment(st)) at = st;
  }
  if (!at) return;
  const middleware = route.chain.length ? 'your middleware.ts runs on it without checking sign-in' : 'no middleware.ts that checks sign-in matches it';
  ctx.report({
    node: at,
    confidence: WEAK_ADMIN_PATH.test(route.path) && !/admin|debug/i.test(route.path) ? 'low' : 'medium',
    message: `The page \`${route.path}\` looks like an admin or debug page and loads data on the server, but ${middleware}, no layout above it asks who is signed in, and the page does not either: anyone who opens the URL sees what it renders. Check the session and the role at the top of the page (\`const session = await auth(); if (session?.user.role !== 'admin') notFound()\`), in app/admin/layout.tsx, or add the path to a middleware that requires sign-in.`,
  });
}
