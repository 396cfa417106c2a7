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

/** A module name in quotes that creates an Express or Hono app (project-model/extract.ts's FRAMEWORKS). */
const EXPRESS_OR_HONO_SPEC = /['"`](?:express|hono)['"`]/;

/**
 * Whether a file analysed alone may create an Express or Hono app: its text (as written, or with its escapes decoded)
 * names the module in quotes. Without one, none of its routes belongs to an app.
 */
export function mayCreateExpressOrHonoApp(text: string): boolean {
  return namesExpressOrHono(text) || (text.includes('\\') && namesExpressOrHono(cookEscapes(text)));
}

/** EXPRESS_OR_HONO_SPEC's test, asked only of a text that holds one of the two names (a search faster than the expression) */
function namesExpressOrHono(text: string): boolean {
  return (text.includes('express') || text.includes('hono')) && EXPRESS_OR_HONO_SPEC.test(text);
}
