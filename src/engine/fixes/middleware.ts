/**
 * Fixes that add middleware (never running npm: the note says which package to install).
 * - missing-security-headers: `app.use(helmet())` right after `express()`: **suggestion** (helmet's default
 *   Content-Security-Policy blocks inline scripts and other-origin resources in pages that use them).
 * - missing-rate-limit: an express-rate-limit limiter, 5 attempts per 15 minutes per IP, answering 429 with
 *   Retry-After (`standardHeaders: 'draft-7'`), on every login/reset route of the file: **suggestion**. It is put on
 *   the routes themselves, in the file that declares them (routes/auth.js, whichever app mounts that router): that
 *   limits exactly those routes wherever they are mounted, and the fix is proven in the file it edits.
 */
import { ts } from 'ts-morph';
import type { RuleContext } from '../model/rule';
import type { Fix } from '../model/types';
import { calleeObject } from '../util/ast';
import { EditSet, enclosingStatement, ensureImport, eolOf, indentAt, lineEndOf, lineStartOf, makeFix, preferredQuote } from './edits';

export function helmetFixes(ctx: RuleContext, created: ts.CallExpression, appName: string): Fix[] | undefined {
  const sf = ctx.sourceFile;
  const stmt = enclosingStatement(created);
  if (!stmt) return undefined;
  const es = new EditSet(ctx.path, ctx.text);
  const helmet = ensureImport(es, sf, ctx.facts, ctx.path, { module: 'helmet', defaultName: 'helmet' });
  es.insert(lineEndOf(ctx.text, stmt.getEnd()), `${eolOf(ctx.text)}${indentAt(ctx.text, stmt.getStart(sf))}${appName}.use(${helmet}());`);
  return [makeFix('Add security headers with helmet()', 'suggestion', es,
    "Adds the helmet package: run `npm install helmet`. Its default Content-Security-Policy blocks inline scripts and resources from other origins; if pages break, configure it (helmet({ contentSecurityPolicy: { directives: … } })) rather than turning it off.")];
}

/** The top-level statement that holds a node. */
function topLevelStatement(node: ts.Node): ts.Statement | undefined {
  let n: ts.Node = node;
  while (n.parent && !ts.isSourceFile(n.parent)) n = n.parent;
  return n.parent && ts.isStatement(n) ? n : undefined;
}

/**
 * Where the limiter goes: right after the statement that creates the routes' app or router in this file
 * (`const router = express.Router();` in routes/auth.js, whatever app mounts it), when that is a top-level
 * statement before every route; otherwise above the first route's statement and its comments.
 */
function limiterAnchor(ctx: RuleContext, routes: ts.CallExpression[], first: ts.CallExpression): { at: number; after: boolean } | undefined {
  const sf = ctx.sourceFile;
  const recv = calleeObject(first);
  const b = recv && ts.isIdentifier(recv) ? ctx.taint.scopes.resolve(recv) : undefined;
  const created = b && ts.isVariableDeclaration(b) && b.initializer ? b.parent.parent : undefined;
  if (created && ts.isVariableStatement(created) && ts.isSourceFile(created.parent) && routes.every((r) => r.getStart(sf) >= created.getEnd())) {
    return { at: lineEndOf(ctx.text, created.getEnd()), after: true };
  }
  const top = topLevelStatement(first);
  if (!top) return undefined;
  const comments = ts.getLeadingCommentRanges(ctx.text, top.getFullStart()) ?? [];
  return { at: lineStartOf(ctx.text, comments.length ? comments[0].pos : top.getStart(sf)), after: false };
}

/** Adds one limiter for the file's auth routes and puts it on each of them. */
export function rateLimitFixes(ctx: RuleContext, routes: ts.CallExpression[]): Fix[] | undefined {
  const sf = ctx.sourceFile;
  if (!routes.length || routes.some((r) => r.arguments.length < 2)) return undefined;
  const first = [...routes].sort((a, b) => a.pos - b.pos)[0];
  const anchor = limiterAnchor(ctx, routes, first);
  if (!anchor) return undefined;
  const es = new EditSet(ctx.path, ctx.text);
  const rateLimit = ensureImport(es, sf, ctx.facts, ctx.path, { module: 'express-rate-limit', defaultName: 'rateLimit' });
  const name = /\bauthLimiter\b/.test(ctx.text) ? 'authRateLimiter' : 'authLimiter';
  const q = preferredQuote(sf);
  const eol = eolOf(ctx.text);
  const limiter = [
    `// at most 5 attempts per 15 minutes per IP; then 429 Too Many Requests with a Retry-After header`,
    `const ${name} = ${rateLimit}({ windowMs: 15 * 60 * 1000, limit: 5, standardHeaders: ${q}draft-7${q}, legacyHeaders: false });`,
  ].join(eol);
  // after the creation: a blank line on both sides (one more when the next line is code)
  const nextIsCode = !/^\r?\n[ \t]*(\r?\n|$)/.test(ctx.text.slice(anchor.at));
  es.insert(anchor.at, anchor.after ? `${eol}${eol}${limiter}${nextIsCode ? eol : ''}` : `${limiter}${eol}${eol}`);
  for (const r of routes) es.insert(r.arguments[1].getStart(sf), `${name}, `);
  return [makeFix(routes.length > 1 ? `Rate-limit the ${routes.length} login and reset routes (5 attempts per 15 minutes)` : 'Rate-limit this route (5 attempts per 15 minutes)', 'suggestion', es,
    "Adds the express-rate-limit package: run `npm install express-rate-limit`. Behind a proxy or load balancer, also call `app.set('trust proxy', 1)` so each client is counted by its own IP.")];
}
