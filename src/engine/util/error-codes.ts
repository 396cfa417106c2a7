import { ts } from 'ts-morph';
import { isFunctionLike, propertyNameText, unwrap } from './ast';
import { findReturns } from '../taint/calls';

/**
 * Functions that answer with error codes: `return { error: 'invalid-password' }`. A caller that sends such an `error`
 * to the client (`res.status(500).send({ reason: error })`) sends a code the function wrote, not an error object
 * with a database's or a library's internals (verbose-error).
 */

/** `x`, `await x`, `(await x) || {}`, `x ?? {}`: the call whose result a destructuring or a return takes. */
export function resultCall(init: ts.Expression): ts.CallExpression | undefined {
  let e = unwrap(init);
  for (;;) {
    if (ts.isAwaitExpression(e)) e = unwrap(e.expression);
    else if (ts.isBinaryExpression(e) && (e.operatorToken.kind === ts.SyntaxKind.BarBarToken || e.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken)) {
      const r = unwrap(e.right);
      if (!ts.isObjectLiteralExpression(r) || r.properties.length) return undefined;
      e = unwrap(e.left);
    } else break;
  }
  return ts.isCallExpression(e) ? e : undefined;
}

const isErrorKey = (name: string | undefined) => name === 'error' || name === 'err';

/**
 * When every `error` (or `err`) a function returns is a code written in it, or one it passes on from another call's
 * result (`const { error } = await bootstrap(…); if (error) return { error }`, or `return other(…)`): the calls it
 * passes on from, whose functions must answer with codes too (an empty list when there are none). Undefined when it
 * may return anything else as `error`, or returns a value whose `error` cannot be told.
 *
 * A returned `{ error }` is matched with the destructurings `const { error } = …` of the function (not with scopes:
 * the model's extraction has none); all of them must take a call's result.
 */
export function errorCodeSources(fn: ts.Node): ts.CallExpression[] | undefined {
  if (!isFunctionLike(fn) || !fn.body) return undefined;
  const sources: ts.CallExpression[] = [];
  let forwards = false;
  for (const r of findReturns(fn)) {
    const u = unwrap(r);
    if (!ts.isObjectLiteralExpression(u)) {
      // `return other(…)`: its answer is ours
      const call = resultCall(u);
      if (!call) return undefined;
      sources.push(call);
      continue;
    }
    for (const p of u.properties) {
      if (ts.isSpreadAssignment(p)) return undefined;
      const name = p.name && propertyNameText(p.name);
      if (!isErrorKey(name)) continue;
      if (ts.isPropertyAssignment(p)) {
        if (!ts.isStringLiteralLike(unwrap(p.initializer))) return undefined;
      } else if (ts.isShorthandPropertyAssignment(p)) {
        forwards = true;
      } else return undefined;
    }
  }
  if (!forwards) return sources;
  // `return { error }`: the function's destructurings `const { error } = …`, each of which must take a call's result
  const destructured = errorDestructurings(fn);
  if (!destructured?.length) return undefined;
  for (const d of destructured) {
    const call = resultCall(d);
    if (!call) return undefined;
    sources.push(call);
  }
  return sources;
}

/**
 * The initializers of a function's destructurings of `error` (or `err`), outside its nested functions: `const { error }
 * = await bootstrap(…)`. Undefined when one of them cannot be followed (a rest element, a pattern, no initializer).
 */
function errorDestructurings(fn: ts.FunctionLikeDeclaration): ts.Expression[] | undefined {
  const found: ts.Expression[] = [];
  let opaque = false;
  const visit = (n: ts.Node) => {
    if (opaque || isFunctionLike(n) || ts.isClassLike(n)) return;
    if (ts.isVariableDeclaration(n) && ts.isObjectBindingPattern(n.name)) {
      for (const el of n.name.elements) {
        if (!isErrorKey(el.propertyName ? propertyNameText(el.propertyName) : ts.isIdentifier(el.name) ? el.name.text : undefined)) continue;
        if (el.dotDotDotToken || !ts.isIdentifier(el.name) || !n.initializer) opaque = true;
        else found.push(n.initializer);
      }
    }
    ts.forEachChild(n, visit);
  };
  if (fn.body) ts.forEachChild(fn.body, visit);
  return opaque ? undefined : found;
}
