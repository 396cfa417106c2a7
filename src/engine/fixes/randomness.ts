/**
 * insecure-randomness fix: every `Math.random()` of the flagged statement is replaced by the cryptographic
 * generator.
 * - `Math.floor(Math.random() * N)` → `randomInt(N)` (Node): **safe** when N is an integer literal (same range,
 *   same uniform distribution), **suggestion** otherwise (randomInt throws for a non-integer or zero N).
 * - `Math.random().toString(36).slice(2[, k])` and similar → `randomBytes(n).toString('hex')` (same length when the
 *   code asks for one, 32 hex characters otherwise), or `crypto.randomUUID()` in browser code: **suggestion**
 *   (the characters and sometimes the length of the token change).
 * Anything else (a bare float, `Math.round`, bit tricks) gets no fix.
 */
import { ts } from 'ts-morph';
import type { RuleContext } from '../model/rule';
import type { Fix } from '../model/types';
import { calleeName, memberChain, unwrap } from '../util/ast';
import { EditSet, enclosingStatement, ensureImport, makeFix, preferredQuote } from './edits';

function isMathRandom(n: ts.Node): n is ts.CallExpression {
  if (!ts.isCallExpression(n) || n.arguments.length) return false;
  const c = memberChain(n.expression);
  return !!c && c.length === 2 && c[0] === 'Math' && c[1] === 'random';
}

/** Climbs parentheses. */
function up(n: ts.Node): ts.Node {
  let p = n.parent;
  while (p && ts.isParenthesizedExpression(p)) p = p.parent;
  return p;
}

function numberLiteral(e: ts.Expression | undefined): number | undefined {
  if (!e) return undefined;
  const u = unwrap(e);
  return ts.isNumericLiteral(u) ? Number(u.text.replace(/_/g, '')) : undefined;
}

interface Replacement { node: ts.Node; build: (names: Names) => string; safe: boolean; needs: 'randomInt' | 'randomBytes' | 'uuid' }
interface Names { randomInt: string; randomBytes: string }

/** What replaces one `Math.random()` and the expression around it. */
function plan(ctx: RuleContext, rnd: ts.CallExpression, browser: boolean): Replacement | undefined {
  const sf = ctx.sourceFile;
  const p = up(rnd);
  // Math.floor(Math.random() * N)
  if (p && ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.AsteriskToken) {
    const other = unwrap(p.left) === rnd ? p.right : unwrap(p.right) === rnd ? p.left : undefined;
    const floor = up(p);
    if (!other || !floor || !ts.isCallExpression(floor) || memberChain(floor.expression)?.join('.') !== 'Math.floor' || floor.arguments.length !== 1) return undefined;
    if (browser) return undefined;
    const n = numberLiteral(other);
    const safe = n !== undefined && Number.isInteger(n) && n >= 1 && n <= 2 ** 48;
    const text = other.getText(sf);
    return { node: floor, build: (names) => `${names.randomInt}(${text})`, safe, needs: 'randomInt' };
  }
  // Math.random().toString(36).slice(2, k)
  if (p && ts.isPropertyAccessExpression(p) && p.name.text === 'toString') {
    const toStr = up(p);
    if (!toStr || !ts.isCallExpression(toStr) || toStr.expression !== p && unwrap(toStr.expression) !== p) return undefined;
    const base = numberLiteral(toStr.arguments[0]);
    if (base === undefined || base < 16) return undefined;
    const access = up(toStr);
    const cut = access && ts.isPropertyAccessExpression(access) ? up(access) : undefined;
    let node: ts.Node = toStr;
    let length: number | undefined;
    if (access && ts.isPropertyAccessExpression(access) && cut && ts.isCallExpression(cut) && /^(slice|substring|substr)$/.test(access.name.text)) {
      const a = numberLiteral(cut.arguments[0]);
      const b = numberLiteral(cut.arguments[1]);
      if (a === undefined || a > 2) return undefined;
      if (cut.arguments[1] !== undefined && b === undefined) return undefined;
      if (b !== undefined) length = access.name.text === 'substr' ? b : b - a;
      node = cut;
    }
    if (browser) return { node, build: () => (length ? `crypto.randomUUID().replace(/-/g, '').slice(0, ${length})` : 'crypto.randomUUID()'), safe: false, needs: 'uuid' };
    const q = preferredQuote(sf);
    const bytes = length ? Math.ceil(length / 2) : 16;
    const trim = length && length % 2 ? `.slice(0, ${length})` : '';
    return { node, build: (names) => `${names.randomBytes}(${bytes}).toString(${q}hex${q})${trim}`, safe: false, needs: 'randomBytes' };
  }
  return undefined;
}

function isBrowser(ctx: RuleContext): boolean {
  if (ctx.facts.useClient) return true;
  const nodeish = [...ctx.facts.modules].some((m) => /^(node:|crypto$|fs$|express|fastify|koa|hono|next\/server|@prisma|pg$|mongoose)/.test(m)) || /\brequire\(/.test(ctx.text);
  return !nodeish && /\b(document|window|localStorage|sessionStorage)\./.test(ctx.text);
}

export function randomnessFixes(ctx: RuleContext, reported: ts.CallExpression): Fix[] | undefined {
  const sf = ctx.sourceFile;
  const stmt = enclosingStatement(reported);
  if (!stmt) return undefined;
  const browser = isBrowser(ctx);
  const calls: ts.CallExpression[] = [];
  const visit = (n: ts.Node) => { if (isMathRandom(n)) calls.push(n); ts.forEachChild(n, visit); };
  visit(stmt);
  const plans: Replacement[] = [];
  for (const c of calls) {
    const r = plan(ctx, c, browser);
    if (!r) return undefined;
    plans.push(r);
  }
  if (!plans.length) return undefined;
  const es = new EditSet(ctx.path, ctx.text);
  const names: Names = { randomInt: 'randomInt', randomBytes: 'randomBytes' };
  if (plans.some((p) => p.needs === 'randomInt')) names.randomInt = ensureImport(es, sf, ctx.facts, ctx.path, { module: 'node:crypto', aliases: ['crypto'], named: 'randomInt' });
  if (plans.some((p) => p.needs === 'randomBytes')) names.randomBytes = ensureImport(es, sf, ctx.facts, ctx.path, { module: 'node:crypto', aliases: ['crypto'], named: 'randomBytes' });
  for (const p of plans) es.replaceNode(p.node, p.build(names), sf);
  const safe = plans.every((p) => p.safe);
  const what = plans.every((p) => p.needs === 'randomInt') ? 'crypto.randomInt' : browser ? 'crypto.randomUUID' : plans.some((p) => p.needs === 'randomInt') ? 'crypto.randomInt and crypto.randomBytes' : 'crypto.randomBytes';
  return [makeFix(`Use ${what} instead of Math.random()`, safe ? 'safe' : 'suggestion', es,
    safe ? undefined : browser ? 'crypto.randomUUID() needs https or localhost; the value is now a UUID.' : 'The value is now hex characters from a cryptographic generator; check any code that expects the old format or length.')];
}

export { calleeName };
