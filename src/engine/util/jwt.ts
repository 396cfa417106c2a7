/** Recognises JWT library calls (jsonwebtoken, jose, jwt-decode) through imports and requires. */
import { ts } from 'ts-morph';
import type { RuleContext } from '../model/rule';
import { calleeName, memberChain, nameWords, unwrap } from './ast';
import { calledFunction } from './resolve-values';

export type JwtLib = 'jsonwebtoken' | 'jose' | 'jwt-decode';

export interface JwtCall {
  lib: JwtLib;
  /** the library function: verify, sign, decode, jwtVerify, decodeJwt, jwtDecode */
  fn: string;
}

/** The JWT library function a call invokes, if it is one of jsonwebtoken's, jose's or jwt-decode's. */
export function jwtCall(ctx: RuleContext, call: ts.CallExpression): JwtCall | undefined {
  const ref = calledFunction(ctx, call);
  if (!ref) return undefined;
  if (ref.module === 'jsonwebtoken') {
    if (ref.imported === 'verify' || ref.imported === 'sign' || ref.imported === 'decode') return { lib: 'jsonwebtoken', fn: ref.imported };
    return undefined;
  }
  if (ref.module === 'jose') {
    if (ref.imported === 'jwtVerify' || ref.imported === 'decodeJwt') return { lib: 'jose', fn: ref.imported };
    return undefined;
  }
  if (ref.module === 'jwt-decode') {
    if (ref.imported === 'jwtDecode' || ref.imported === 'default' || ref.imported === '*') return { lib: 'jwt-decode', fn: 'jwtDecode' };
    return undefined;
  }
  return undefined;
}

/** `new SignJWT(…)` from jose. */
export function isJoseSignJwt(ctx: RuleContext, ne: ts.NewExpression): boolean {
  const ref = calledFunction(ctx, ne);
  return !!ref && ref.module === 'jose' && ref.imported === 'SignJWT';
}

/**
 * The method calls chained on an expression: `new SignJWT(p).setIssuedAt().sign(key)` from the `new`
 * → [{ name: 'setIssuedAt', call }, { name: 'sign', call }].
 */
export function chainedCalls(start: ts.Expression): { name: string; call: ts.CallExpression }[] {
  const out: { name: string; call: ts.CallExpression }[] = [];
  let n: ts.Node = start;
  for (;;) {
    while (n.parent && (ts.isParenthesizedExpression(n.parent) || ts.isAsExpression(n.parent) || ts.isNonNullExpression(n.parent))) n = n.parent;
    const p = n.parent;
    if (p && ts.isPropertyAccessExpression(p) && p.expression === n && p.parent && ts.isCallExpression(p.parent) && p.parent.expression === p) {
      out.push({ name: p.name.text, call: p.parent });
      n = p.parent;
      continue;
    }
    return out;
  }
}

export type KeyKind = 'secret' | 'asymmetric' | 'unknown';

/** Whether a verification key looks like a shared HMAC secret or a public key/JWKS. */
export function keyKind(ctx: RuleContext, key: ts.Expression | undefined): KeyKind {
  if (!key) return 'unknown';
  const e = unwrap(key);
  if (ts.isStringLiteralLike(e) || ts.isTemplateExpression(e)) return 'secret';
  let words: string[] = [];
  if (ts.isIdentifier(e)) words = nameWords(e.text);
  else if (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) words = (memberChain(e) ?? []).flatMap(nameWords);
  else if (ts.isCallExpression(e)) {
    const n = calleeName(e) ?? '';
    if (/readFileSync|readFile|importSPKI|importX509|createPublicKey|getSigningKey|JWKS/i.test(n)) return 'asymmetric';
    if (n === 'from' || n === 'encode' || n === 'createSecretKey') return keyKind(ctx, e.arguments[0]);
    words = nameWords(n);
  } else if (ts.isBinaryExpression(e)) {
    return keyKind(ctx, e.left);
  } else if (ts.isArrowFunction(e) || ts.isFunctionExpression(e)) return 'asymmetric';
  if (words.some((w) => w === 'public' || w === 'pub' || w === 'pem' || w === 'cert' || w === 'certificate' || w === 'jwks' || w === 'rsa' || w === 'spki' || w === 'x509')) return 'asymmetric';
  if (words.includes('get') && words.includes('key')) return 'asymmetric'; // getKey callbacks (jwks-rsa)
  // `adminToken`, `apiToken`: a shared token used as an HMAC key
  if (words.some((w) => w === 'secret' || w === 'hmac' || w === 'passphrase' || w === 'password' || w === 'token')) return 'secret';
  return 'unknown';
}
