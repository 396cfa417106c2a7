/**
 * Configuration fixes.
 * - tls-verification-disabled: remove `rejectUnauthorized: false` (and `strictSSL: false`, MongoDB
 *   `tlsAllowInvalidCertificates`/`tlsInsecure`, `checkServerIdentity` stubs, `NODE_TLS_REJECT_UNAUTHORIZED = '0'`):
 *   **suggestion** — connections to servers with self-signed certificates fail until their CA is trusted (`ca`).
 * - weak-tls-version: raise `minVersion` to 'TLSv1.2': **suggestion** (very old clients cannot connect).
 * - cors-misconfiguration: replace an allow-everyone `origin` with the list in the ALLOWED_ORIGINS environment
 *   variable: **suggestion** (until the variable is set, no other site may call the API with credentials).
 */
import { ts } from 'ts-morph';
import type { RuleContext } from '../model/rule';
import type { Fix } from '../model/types';
import { getProperty } from '../util/ast';
import { EditSet, enclosingStatement, eolOf, lineEndOf, lineStartOf, makeFix, preferredQuote, removeProperty, setProperty } from './edits';

/** Removes the property or the statement that turns certificate checks off. */
export function tlsFixes(ctx: RuleContext, node: ts.Node, key: string): Fix[] | undefined {
  const sf = ctx.sourceFile;
  const es = new EditSet(ctx.path, ctx.text);
  if (ts.isPropertyAssignment(node) && ts.isObjectLiteralExpression(node.parent)) {
    removeProperty(es, node.parent, node, sf);
  } else if (ts.isBinaryExpression(node)) {
    // `process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';` / `agent.options.rejectUnauthorized = false;`: drop the statement
    const stmt = enclosingStatement(node);
    if (!stmt || !ts.isExpressionStatement(stmt) || stmt.expression !== node) return undefined;
    const start = lineStartOf(ctx.text, stmt.getStart(sf));
    const end = lineEndOf(ctx.text, stmt.getEnd());
    if (ctx.text.slice(start, stmt.getStart(sf)).trim() || ctx.text.slice(stmt.getEnd(), end).trim()) {
      es.remove(stmt.getStart(sf), stmt.getEnd());
    } else {
      const eol = ctx.text.startsWith('\r\n', end) ? 2 : ctx.text[end] === '\n' ? 1 : 0;
      es.remove(start, end + eol);
    }
  } else {
    return undefined;
  }
  const what = key === 'NODE_TLS_REJECT_UNAUTHORIZED' ? 'Stop turning off certificate checks for the whole process'
    : key === 'checkServerIdentity' ? 'Remove the host-name check override'
    : `Remove \`${key}\` (verify certificates again)`;
  return [makeFix(what, 'suggestion', es, "If the server uses a private or self-signed certificate, trust it with the `ca` option (or NODE_EXTRA_CA_CERTS) instead.")];
}

/** `minVersion: 'TLSv1'` → `'TLSv1.2'`. */
export function tlsVersionFixes(ctx: RuleContext, prop: ts.Node): Fix[] | undefined {
  const sf = ctx.sourceFile;
  if (!ts.isPropertyAssignment(prop)) return undefined;
  const key = prop.name.getText(sf).replace(/['"]/g, '');
  if (key !== 'minVersion') return undefined;
  const q = preferredQuote(sf);
  const es = new EditSet(ctx.path, ctx.text);
  es.replaceNode(prop.initializer, `${q}TLSv1.2${q}`, sf);
  return [makeFix('Require TLS 1.2 or newer', 'suggestion', es, 'Clients that only speak TLS 1.0/1.1 (very old browsers and systems) can no longer connect.')];
}

/**
 * CORS options: `origin: true` / `'*'` / a callback that allows everyone / no origin at all → the comma-separated
 * list in ALLOWED_ORIGINS. `flavor` says which library reads the option (the array form works for cors,
 * @fastify/cors, hono/cors, NestJS and socket.io; @koa/cors takes no array, so it gets no fix).
 */
export function corsOriginFixes(ctx: RuleContext, opts: ts.ObjectLiteralExpression | undefined, optsArg: ts.Expression | undefined,
  call: ts.Node, flavor: string): Fix[] | undefined {
  if (flavor === 'koa') return undefined;
  const sf = ctx.sourceFile;
  const q = preferredQuote(sf);
  const list = `(process.env.ALLOWED_ORIGINS ?? ${q}${q}).split(${q},${q}).map((o) => o.trim()).filter(Boolean)`;
  const es = new EditSet(ctx.path, ctx.text);
  if (opts) {
    if (opts.properties.some(ts.isSpreadAssignment) && !getProperty(opts, 'origin')) return undefined;
    setProperty(es, opts, 'origin', list, sf);
  } else if (!optsArg && ts.isCallExpression(call) && call.arguments.length === 0) {
    // cors() → cors({ origin: … })
    es.insert(call.getEnd() - 1, `{ origin: ${list} }`);
  } else if (optsArg && optsArg.kind === ts.SyntaxKind.TrueKeyword) {
    // `cors: true` (NestJS, socket.io)
    es.replaceNode(optsArg, `{ origin: ${list} }`, sf);
  } else {
    return undefined;
  }
  return [makeFix('Allow only the origins listed in ALLOWED_ORIGINS', 'suggestion', es,
    `Set ALLOWED_ORIGINS to your front-end origins, comma-separated (e.g. ALLOWED_ORIGINS=https://app.example.com); until it is set, browsers block cross-site calls.`)];
}
