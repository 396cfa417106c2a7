import { ts } from 'ts-morph';
import { unwrap } from './ast';
import { cookEscapes } from './text';

/**
 * What a file analysed alone (no project: a project of one file, `ctx.fileProject()`) can hold, told before its
 * module facts are extracted (project-model/extract.ts), so that the rules that judge its routes can skip building
 * that project when it cannot have what they look for. Each answer may be yes where the project says no, never no
 * where it says yes (test/unit/lone-file.test.ts compares them with the project on every fixture, project and example
 * file).
 */

/**
 * The last names of the calls that can mount a route of a method that changes state (post, put, patch, delete, all)
 * in a file's module facts: those methods, koa-router's `del` (its `delete`), and Fastify's
 * `route({ method, url, handler })`.
 */
export const STATE_ROUTE_CALLS: readonly string[] = ['post', 'put', 'patch', 'delete', 'del', 'all', 'route'];

/**
 * Whether a call named one of STATE_ROUTE_CALLS can mount a route: a method called on a name, `this` or a call (its
 * receiver, or the chain `router.route('/x').post(handler)`), given a path and a handler (two arguments or more) or
 * called on a call; or Fastify's `route({…})` called on a name or `this` with one object.
 */
export function mayMountStateRoute(call: ts.CallExpression | ts.NewExpression): boolean {
  if (!ts.isCallExpression(call)) return false;
  const callee = unwrap(call.expression);
  if (!ts.isPropertyAccessExpression(callee)) return false;
  const recv = unwrap(callee.expression);
  const k = recv.kind;
  if (callee.name.text === 'route') {
    return (k === ts.SyntaxKind.Identifier || k === ts.SyntaxKind.ThisKeyword) && call.arguments.length === 1 && ts.isObjectLiteralExpression(unwrap(call.arguments[0]));
  }
  if (k === ts.SyntaxKind.CallExpression) return true;
  return (k === ts.SyntaxKind.Identifier || k === ts.SyntaxKind.ThisKeyword) && call.arguments.length >= 2;
}

/**
 * Whether a file analysed alone may create an Express or Hono app: its text (as written, or with its escapes decoded)
 * names the module in quotes (`'express'`, `"hono"`, `` `express` ``: project-model/extract.ts's FRAMEWORKS). Without
 * one, none of its routes belongs to an app.
 */
export function mayCreateExpressOrHonoApp(text: string): boolean {
  return namesExpressOrHono(text) || (text.includes('\\') && namesExpressOrHono(cookEscapes(text)));
}

/** `/['"`](?:express|hono)['"`]/.test(text)`, by a search for each name and a look at the characters around it */
export function namesExpressOrHono(text: string): boolean {
  return quoted(text, 'express') || quoted(text, 'hono');
}

function quoted(text: string, word: string): boolean {
  for (let i = text.indexOf(word); i !== -1; i = text.indexOf(word, i + 1)) {
    if (i > 0 && isQuote(text.charCodeAt(i - 1)) && isQuote(text.charCodeAt(i + word.length))) return true;
  }
  return false;
}

/** ' " ` */
const isQuote = (c: number) => c === 39 || c === 34 || c === 96;

/**
 * The last names of the calls that start an app in a file's module facts (its `listens`): `app.listen(…)`,
 * `createServer(app)`, `serve(app)` / `serve({ fetch: app.fetch })`, `handle(app)`. An app that no file starts is not
 * judged by broken-access-control.
 */
export const START_CALLS: readonly string[] = ['listen', 'createServer', 'serve', 'handle'];

/**
 * Whether a file may start an app other than by a call of START_CALLS: a fetch-style app exported for its runtime
 * (`export default app`, or a `fetch: app.fetch` in the text).
 */
export function mayStartAppWithoutCall(sf: ts.SourceFile): boolean {
  if (sf.text.includes('fetch')) return true;
  const statements = sf.statements;
  for (let i = 0; i < statements.length; i++) {
    const st = statements[i];
    if (ts.isExportAssignment(st) && !st.isExportEquals) return true;
  }
  return false;
}
