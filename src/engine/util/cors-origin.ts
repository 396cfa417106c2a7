/**
 * Whether a CORS `origin` function accepts every origin or checks it. Shared by cors-misconfiguration (which
 * reads the function in the file it analyses) and the project model (which keeps the answer for functions other
 * modules import, as a fact of the function: see `ValueFact` 'fn'). Pure syntax: it needs no parent links.
 */
import { ts } from 'ts-morph';
import { calleeName, isFunctionLike, unwrap } from './ast';

/** Calls that make a function's answer depend on the origin: any of these means it is checked, not waved through. */
const CHECK_CALLS = new Set(['includes', 'indexOf', 'test', 'match', 'has', 'startsWith', 'endsWith', 'some', 'find', 'every', 'exec', 'isAllowed', 'isAllowedOrigin', 'get']);

export interface OriginFunctionOptions {
  /** the callback parameter's name (`cors` and `@fastify/cors`: `(origin, callback)`), if the flavor has one */
  cbParam?: string;
  /** whether an expression is the request's origin (the first parameter, `ctx.get('Origin')`…) */
  isOriginValue: (e: ts.Expression) => boolean;
  /** `get(…)` reads the origin (Koa's `ctx.get('Origin')`), so it is not a check */
  getReadsOrigin?: boolean;
}

/**
 * 'restricted' when the function branches on or compares something (an allowlist, a suffix match, a `false`
 * answer), 'reflect' when it answers yes to every caller (`callback(null, true)`, returns the origin), 'unknown'
 * otherwise.
 */
export function originFunctionKind(fn: ts.FunctionLikeDeclaration, o: OriginFunctionOptions): 'restricted' | 'reflect' | 'unknown' {
  if (!fn.body) return 'unknown';
  let checked = false;
  let allows = false;
  const visit = (n: ts.Node) => {
    if (checked) return;
    if (ts.isIfStatement(n) || ts.isConditionalExpression(n) || ts.isSwitchStatement(n) || ts.isThrowStatement(n)) { checked = true; return; }
    if (ts.isBinaryExpression(n)) {
      const k = n.operatorToken.kind;
      if (k === ts.SyntaxKind.EqualsEqualsEqualsToken || k === ts.SyntaxKind.ExclamationEqualsEqualsToken || k === ts.SyntaxKind.EqualsEqualsToken ||
          k === ts.SyntaxKind.ExclamationEqualsToken || k === ts.SyntaxKind.AmpersandAmpersandToken) { checked = true; return; }
    }
    if (ts.isCallExpression(n)) {
      const name = calleeName(n) ?? '';
      if (CHECK_CALLS.has(name) && !(name === 'get' && o.getReadsOrigin)) { checked = true; return; }
      if (/allow|valid|check|trust|verify/i.test(name)) { checked = true; return; }
      // callback(null, true) / callback(null, origin)
      const callee = unwrap(n.expression);
      if (o.cbParam && ts.isIdentifier(callee) && callee.text === o.cbParam && n.arguments[1]) {
        const a = unwrap(n.arguments[1]);
        if (a.kind === ts.SyntaxKind.TrueKeyword || o.isOriginValue(a)) allows = true;
        else if (a.kind === ts.SyntaxKind.FalseKeyword) { checked = true; return; }
      }
    }
    if (ts.isReturnStatement(n) && n.expression && o.isOriginValue(n.expression)) allows = true;
    if (isFunctionLike(n) && n !== fn) return;
    ts.forEachChild(n, visit);
  };
  if (!ts.isBlock(fn.body)) {
    if (o.isOriginValue(fn.body)) allows = true;
    visit(fn.body);
  } else {
    ts.forEachChild(fn.body, visit);
  }
  if (checked) return 'restricted';
  return allows ? 'reflect' : 'unknown';
}

/** The same for the `cors` package's `(origin, callback)` signature, as the project model keeps it. */
export function corsOriginFunctionKind(fn: ts.FunctionLikeDeclaration): 'restricted' | 'reflect' | 'unknown' {
  const p0 = fn.parameters[0] && ts.isIdentifier(fn.parameters[0].name) ? fn.parameters[0].name.text : undefined;
  const p1 = fn.parameters[1] && ts.isIdentifier(fn.parameters[1].name) ? fn.parameters[1].name.text : undefined;
  return originFunctionKind(fn, {
    ...(p1 ? { cbParam: p1 } : {}),
    isOriginValue: (e) => { const u = unwrap(e); return !!p0 && ts.isIdentifier(u) && u.text === p0; },
  });
}
