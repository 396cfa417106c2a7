/**
 * JWT fixes.
 * - jwt-missing-algorithms: pin `algorithms: ['…']` on `jwt.verify` / jose `jwtVerify` — the algorithm this file
 *   signs with when it signs tokens, else HS256 for a shared secret and RS256 for a public key: **suggestion**
 *   (tokens signed with anything else stop verifying). Removing `'none'` from a list that names real algorithms is
 *   **safe**: a legitimate token is never unsigned.
 * - jwt-no-expiry: add `expiresIn` to `jwt.sign` options, or `.setExpirationTime()` to a jose `SignJWT` chain:
 *   **suggestion** (sessions end after that time).
 */
import { ts } from 'ts-morph';
import type { RuleContext } from '../model/rule';
import type { Fix } from '../model/types';
import { literalText, unwrap } from '../util/ast';
import { jwtCall, keyKind } from '../util/jwt';
import { optionValue, resolveObject, resolveString } from '../util/resolve-values';
import { addProperty, appendArgument, EditSet, eolOf, indentAt, lineStartOf, makeFix, preferredQuote, removeProperty } from './edits';

function isFn(e: ts.Expression | undefined): boolean {
  if (!e) return false;
  const u = unwrap(e);
  return ts.isArrowFunction(u) || ts.isFunctionExpression(u);
}

/** The algorithm the file signs tokens with (`jwt.sign(…, { algorithm: 'RS256' })`), if it says so. */
function signingAlgorithm(ctx: RuleContext): string | undefined {
  let found: string | undefined;
  const visit = (n: ts.Node) => {
    if (found) return;
    if (ts.isCallExpression(n)) {
      const jc = jwtCall(ctx, n);
      if (jc?.lib === 'jsonwebtoken' && jc.fn === 'sign' && n.arguments[2]) {
        const o = resolveObject(ctx, n.arguments[2]);
        const v = o ? optionValue(ctx, o, 'algorithm') : undefined;
        const s = v && v !== 'unknown' ? resolveString(ctx, v) : undefined;
        if (s && s.toLowerCase() !== 'none') found = s;
      }
      if (ts.isPropertyAccessExpression(n.expression) && n.expression.name.text === 'setProtectedHeader' && n.arguments[0] && ts.isObjectLiteralExpression(unwrap(n.arguments[0]))) {
        const v = optionValue(ctx, unwrap(n.arguments[0]) as ts.ObjectLiteralExpression, 'alg');
        const s = v && v !== 'unknown' ? resolveString(ctx, v) : undefined;
        if (s && s.toLowerCase() !== 'none') found = s;
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(ctx.sourceFile);
  return found;
}

/** `jwt.verify(token, key[, cb])` / `jwtVerify(token, key)` without an `algorithms` allowlist. */
export function pinAlgorithmsFix(ctx: RuleContext, call: ts.CallExpression): Fix[] | undefined {
  const sf = ctx.sourceFile;
  const q = preferredQuote(sf);
  const kind = keyKind(ctx, call.arguments[1]);
  const alg = signingAlgorithm(ctx) ?? (kind === 'asymmetric' ? 'RS256' : 'HS256');
  const prop = `algorithms: [${q}${alg}${q}]`;
  const es = new EditSet(ctx.path, ctx.text);
  const literal = (e: ts.Expression) => { const u = unwrap(e); return ts.isObjectLiteralExpression(u) ? u : undefined; };
  if (!addOptionsProperty(es, call, prop, sf, literal)) return undefined;
  const why = signingAlgorithm(ctx) ? `${alg} is what this file signs with.` : kind === 'asymmetric' ? `${alg} is the usual choice for an RSA key pair; use ES256 or EdDSA if that is what you sign with.` : `${alg} is what jsonwebtoken signs with by default for a shared secret.`;
  return [makeFix(`Accept only ${alg}-signed tokens`, 'suggestion', es, `${why} Tokens signed with any other algorithm will be rejected.`)];
}

/**
 * Adds `prop` to the options argument (the third) of `jwt.sign`/`jwt.verify`: as a new `{ prop }` argument, as one
 * inserted before a callback, or as a property of the options object `optionsObject` finds. False when the options
 * cannot be edited safely.
 */
function addOptionsProperty(es: EditSet, call: ts.CallExpression, prop: string, sf: ts.SourceFile,
  optionsObject: (e: ts.Expression) => ts.ObjectLiteralExpression | undefined): boolean {
  const third = call.arguments[2];
  if (!third) {
    if (call.arguments.length < 2) return false;
    appendArgument(es, call, `{ ${prop} }`, sf);
  } else if (isFn(third)) {
    es.insert(third.getStart(sf), `{ ${prop} }, `);
  } else {
    const o = optionsObject(third);
    if (!o) return false;
    addProperty(es, o, prop, sf);
  }
  return true;
}

/** `algorithms: ['HS256', 'none']` → drop `'none'`; `['none']` alone → the signing algorithm. */
export function removeNoneFix(ctx: RuleContext, list: ts.Expression): Fix[] | undefined {
  const sf = ctx.sourceFile;
  const u = unwrap(list);
  if (!ts.isArrayLiteralExpression(u)) return undefined;
  const none = u.elements.filter((e) => (literalText(e) ?? '').toLowerCase() === 'none');
  const rest = u.elements.filter((e) => !none.includes(e));
  if (!none.length) return undefined;
  const es = new EditSet(ctx.path, ctx.text);
  if (rest.length) {
    es.replaceNode(u, `[${rest.map((e) => e.getText(sf)).join(', ')}]`, sf);
    return [makeFix(`Remove 'none' from the accepted algorithms`, 'safe', es)];
  }
  const q = preferredQuote(sf);
  const alg = signingAlgorithm(ctx) ?? 'HS256';
  es.replaceNode(u, `[${q}${alg}${q}]`, sf);
  return [makeFix(`Accept only ${alg} tokens instead of unsigned ones`, 'suggestion', es, 'Check that this is the algorithm you sign with.')];
}

/** `jwt.sign(payload, secret[, opts][, cb])` without `expiresIn`. */
export function expiresInFixes(ctx: RuleContext, call: ts.CallExpression): Fix[] | undefined {
  const sf = ctx.sourceFile;
  const q = preferredQuote(sf);
  const make = (value: string, label: string): Fix | undefined => {
    const es = new EditSet(ctx.path, ctx.text);
    const prop = `expiresIn: ${q}${value}${q}`;
    const resolved = (e: ts.Expression) => { const o = resolveObject(ctx, e); return o && !o.properties.some(ts.isSpreadAssignment) ? o : undefined; };
    if (!addOptionsProperty(es, call, prop, sf, resolved)) return undefined;
    return makeFix(`Expire the token after ${label} (expiresIn: ${q}${value}${q})`, 'suggestion', es, 'Users (or clients) need a new token after that time: pair short-lived tokens with a refresh token or a session.');
  };
  return [make('15m', '15 minutes'), make('1d', '1 day')].filter((f): f is Fix => !!f);
}

/** `new SignJWT(p)…sign(key)` without `.setExpirationTime()`: insert it before `.sign(`. */
export function setExpirationFixes(ctx: RuleContext, sign: ts.CallExpression): Fix[] | undefined {
  const sf = ctx.sourceFile;
  const q = preferredQuote(sf);
  const pa = unwrap(sign.expression);
  if (!ts.isPropertyAccessExpression(pa)) return undefined;
  const before = pa.expression.getEnd();
  const dot = pa.name.getStart(sf) - 1;
  const make = (value: string, label: string) => {
    const es = new EditSet(ctx.path, ctx.text);
    const between = ctx.text.slice(before, dot);
    if (/[\r\n]/.test(between)) {
      // each call of the chain on its own line: add a line in the same style
      const indent = indentAt(ctx.text, dot);
      es.insert(lineStartOf(ctx.text, dot), `${indent}.setExpirationTime(${q}${value}${q})${eolOf(ctx.text)}`);
    } else {
      es.insert(before, `.setExpirationTime(${q}${value}${q})`);
    }
    return makeFix(`Expire the token after ${label} (.setExpirationTime(${q}${value}${q}))`, 'suggestion', es, 'Users (or clients) need a new token after that time: pair short-lived tokens with a refresh token or a session.');
  };
  return [make('15m', '15 minutes'), make('1d', '1 day')];
}

export { removeProperty };
