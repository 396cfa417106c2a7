/**
 * Next.js `middleware.ts`: which paths it runs on (`export const config = { matcher }`) and what it does there —
 * whether it checks the signed-in user and turns others away (next-auth's `auth`/`withAuth`/`getToken`, Clerk's
 * `clerkMiddleware` with `auth.protect()`, Supabase's `getUser()` with a redirect, a verified token or session
 * cookie with a redirect) and whether it rate-limits (@upstash/ratelimit, Arcjet, a local rate-limit helper).
 * Facts from one file's text (see extract.ts); the model joins them with the Next routes they match.
 */
import { ts } from 'ts-morph';
import { literalText, propertyNameText, unwrap } from '../util/ast';
import type { ImportFact, NextMiddlewareFacts, Span } from './types';
import { CSRF_LIBS } from './sessions';
import { FileLines } from './lines';

/** `middleware.ts`, and `proxy.ts`, its name since Next.js 16 */
const MIDDLEWARE_FILE = /(^|\/)(middleware|proxy)\.[cm]?[jt]sx?$/;

/** Turns a user away: a redirect (to sign-in), a 401/403 answer, Clerk's `protect()`. */
const DENIES = /\bredirect\s*\(|redirectToSignIn\s*\(|\.protect\s*\(|\bprotect\s*\(|status\s*:\s*40[13]\b|\b40[13]\s*\)|unauthori[sz]ed|forbidden/i;
/** Packages whose import alone makes the middleware an authentication gate for what it matches. */
const AUTH_GATES: [RegExp, string][] = [
  [/^next-auth\/middleware$/, 'next-auth'],
  [/^@auth0\/nextjs-auth0(\/edge)?$/, 'auth0'],
  [/^@kinde-oss\/kinde-auth-nextjs\/(middleware|server)$/, 'kinde'],
];
const LIMITER_SPEC = /^(@upstash\/ratelimit|@arcjet\/next|next-rate-limit|rate-limiter-flexible|@unkey\/ratelimit|limiter)$|rate-?limit|limiter|throttl/i;

export function isMiddlewareFile(file: string): boolean { return MIDDLEWARE_FILE.test(file); }

/** The facts of a middleware.ts file, or undefined for other files. */
export function nextMiddlewareOf(file: string, sf: ts.SourceFile, imports: ImportFact[]): NextMiddlewareFacts | undefined {
  if (!MIDDLEWARE_FILE.test(file)) return undefined;
  const text = sf.text;
  const specOf = (local: string) => imports.find((i) => local in i.names);
  let auth: string | undefined;
  for (const imp of imports) for (const [re, what] of AUTH_GATES) if (!auth && re.test(imp.spec) && (what !== 'auth0' || /withMiddlewareAuthRequired/.test(text)) && (what !== 'kinde' || /withAuth/.test(text))) auth = what;
  const local = (spec: string) => spec.startsWith('.') || spec.startsWith('@/') || spec.startsWith('~/') || spec.startsWith('/');
  // next-auth v5: `export { auth as middleware } from '@/auth'`, `export default auth((req) => …)`, `NextAuth(config).auth`
  if (!auth && (/export\s*\{\s*auth\s+as\s+(middleware|proxy|default)\s*\}/.test(text) || /export\s+default\s+(auth\b|NextAuth\s*\()/.test(text) ||
      /export\s+(const|async\s+function|function)\s+(middleware|proxy)\s*(?:=\s*)?auth\s*\(/.test(text) || /NextAuth\s*\([^)]*\)\s*\.auth/.test(text))) {
    const a = specOf('auth');
    if (!a || local(a.spec) || /^next-auth/.test(a.spec) || /NextAuth/.test(text)) auth = 'next-auth';
  }
  const clerk = imports.some((i) => /^@clerk\/nextjs(\/server)?$/.test(i.spec));
  if (!auth && clerk && (/\bauthMiddleware\s*\(/.test(text) || (/\bclerkMiddleware\s*\(/.test(text) && /\.protect\s*\(|redirectToSignIn\s*\(/.test(text)))) auth = 'clerk';
  if (!auth && DENIES.test(text)) {
    if (/\.auth\s*\.\s*(getUser|getSession|getClaims)\s*\(/.test(text)) auth = 'supabase';
    else if (/\bgetToken\s*\(/.test(text)) auth = 'next-auth';
    else if (/\b(getServerSession|getSession|auth)\s*\(/.test(text) && specOf('auth') !== undefined) auth = 'session';
    else if (/\b(jwtVerify|verify|verifyToken|verifySession|decrypt|unsealData|getIronSession)\s*\(/.test(text)) auth = 'token';
    else if (/cookies\s*\.\s*(get|has)\s*\(/.test(text) && /log-?in|sign-?in|auth/i.test(text)) auth = 'cookie';
  }
  // CSRF protection: a CSRF library (@edge-csrf/nextjs), or an Origin / Sec-Fetch-Site check that refuses the request
  const csrfImport = imports.find((i) => CSRF_LIBS.test(i.spec));
  const csrf = csrfImport?.spec ?? (/headers\s*\.\s*get\s*\(\s*['"`](origin|sec-fetch-site|referer)['"`]/i.test(text) && /\b403\b|forbidden/i.test(text) ? 'origin check' : undefined);
  const limiterImport = imports.find((i) => LIMITER_SPEC.test(i.spec) || Object.keys(i.names).some((n) => /ratelimit|rate_limit|limiter/i.test(n)));
  const limiter = limiterImport?.spec ?? (/\b\w*(ratelimit|limiter)\w*\s*\.\s*limit\s*\(/i.test(text) ? 'rate limiter' : undefined);

  // Clerk's createRouteMatcher lists, by the name they are given
  let protects: string[] | undefined;
  let publicPaths: string[] | undefined;
  let matcher: string[] | 'unknown' | undefined;
  let at: Span | undefined;
  const spanOf = (n: ts.Node): Span => {
    const start = n.getStart(sf);
    const end = n.getEnd();
    const lines = new FileLines(sf);
    const a = lines.line(start);
    const b = lines.line(end);
    return { start, end, line: a + 1, col: lines.character(start, a) + 1, endLine: b + 1, endCol: lines.character(end, b) + 1 };
  };
  for (const st of sf.statements) {
    const exported = ts.canHaveModifiers(st) && ts.getModifiers(st)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    if (ts.isFunctionDeclaration(st) && exported && (st.name?.text === 'middleware' || st.name?.text === 'proxy' || ts.getModifiers(st)?.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword))) at ??= spanOf(st.name ?? st);
    if (ts.isExportAssignment(st)) at ??= spanOf(st);
    if (!ts.isVariableStatement(st)) continue;
    for (const d of st.declarationList.declarations) {
      if (!ts.isIdentifier(d.name) || !d.initializer) continue;
      const init = unwrap(d.initializer);
      if (exported && (d.name.text === 'middleware' || d.name.text === 'proxy')) at ??= spanOf(d.name);
      if (ts.isCallExpression(init) && ts.isIdentifier(init.expression) && init.expression.text === 'createRouteMatcher') {
        const list = stringList(init.arguments[0]);
        if (list && list !== 'unknown') {
          if (/public|ignored|open|unprotected/i.test(d.name.text)) publicPaths = list;
          else protects = [...(protects ?? []), ...list];
        }
      }
      if (exported && d.name.text === 'config' && ts.isObjectLiteralExpression(init)) {
        const p = init.properties.find((q) => ts.isPropertyAssignment(q) && propertyNameText(q.name) === 'matcher');
        if (p) matcher = ts.isPropertyAssignment(p) ? stringList(p.initializer) ?? 'unknown' : 'unknown';
      }
    }
  }
  at ??= sf.statements.length ? spanOf(sf.statements[0]) : { start: 0, end: 0, line: 1, col: 1, endLine: 1, endCol: 1 };
  const calls = imports.filter((i) => local(i.spec) && Object.keys(i.names).some((n) => new RegExp(`\\b${n.replace(/\$/g, '\\$')}\\s*\\(`).test(text))).map((i) => i.spec);
  return {
    ...(matcher !== undefined ? { matcher } : {}),
    ...(auth ? { auth } : {}),
    ...(protects && auth === 'clerk' ? { protects } : {}),
    ...(publicPaths && auth === 'clerk' ? { publicPaths } : {}),
    ...(limiter ? { limiter } : {}),
    ...(csrf ? { csrf } : {}),
    ...(calls.length ? { calls } : {}),
    at,
  };
}

/** A string literal, or an array of string literals / `{ source: '…' }` objects; 'unknown' when any part is computed. */
function stringList(e: ts.Expression | undefined): string[] | 'unknown' | undefined {
  if (!e) return undefined;
  const u = unwrap(e);
  const one = literalText(u);
  if (one !== undefined) return [one];
  if (!ts.isArrayLiteralExpression(u)) return 'unknown';
  const out: string[] = [];
  for (const el of u.elements) {
    const v = unwrap(el as ts.Expression);
    const t = literalText(v);
    if (t !== undefined) { out.push(t); continue; }
    if (ts.isObjectLiteralExpression(v)) {
      const src = v.properties.find((q) => ts.isPropertyAssignment(q) && propertyNameText(q.name) === 'source');
      const st = src && ts.isPropertyAssignment(src) ? literalText(src.initializer) : undefined;
      if (st !== undefined) { out.push(st); continue; }
    }
    return 'unknown';
  }
  return out;
}

/**
 * A Next.js matcher source (path-to-regexp: `/admin/:path*`, `/api/:slug+`, `/((?!_next|favicon.ico).*)`) as a
 * regular expression over paths; undefined when it cannot be read.
 */
export function matcherRegExp(source: string): RegExp | undefined {
  let out = '';
  let i = 0;
  const s = source;
  while (i < s.length) {
    const c = s[i];
    if (c === '/' && s[i + 1] === ':') {
      // `/:name`, with an optional `(regex)` and modifier: the slash belongs to the parameter
      let j = i + 2;
      while (j < s.length && /[\w$]/.test(s[j])) j++;
      let seg = '[^/]+';
      if (s[j] === '(') { const k = closing(s, j); if (k < 0) return undefined; seg = s.slice(j + 1, k); j = k + 1; }
      const mod = s[j];
      if (mod === '*') { out += `(?:/${seg})*`; j++; }
      else if (mod === '+') { out += `(?:/${seg})+`; j++; }
      else if (mod === '?') { out += `(?:/${seg})?`; j++; }
      else out += `/${seg}`;
      i = j;
      continue;
    }
    if (c === '(') {
      const k = closing(s, i);
      if (k < 0) return undefined;
      out += `(?:${s.slice(i + 1, k)})`;
      i = k + 1;
      if (s[i] === '*' || s[i] === '+' || s[i] === '?') out += s[i++];
      continue;
    }
    if (c === '*') { out += '.*'; i++; continue; }
    out += /[\w/-]/.test(c) ? c : `\\${c}`;
    i++;
  }
  try { return new RegExp(`^${out}/?$`); } catch { return undefined; }
}

function closing(s: string, open: number): number {
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    if (s[i] === '\\') { i++; continue; }
    if (s[i] === '(') depth++;
    else if (s[i] === ')' && --depth === 0) return i;
  }
  return -1;
}

/** A Next.js route path (`/api/users/[id]`, `/docs/[...slug]`) as a concrete path the matcher is tried on. */
export function samplePath(routePath: string): string {
  return routePath.replace(/\[\[?\.\.\.[^\]]+\]\]?/g, 'a/b').replace(/\[[^\][]+\]/g, 'x') || '/';
}

/** Whether a middleware's matcher (absent: every path; unreadable: assumed to match) runs it on a route path. */
export function middlewareMatches(matcher: NextMiddlewareFacts['matcher'], routePath: string): boolean {
  if (matcher === undefined || matcher === 'unknown') return true;
  const p = samplePath(routePath);
  return matcher.some((m) => { const re = matcherRegExp(m); return !re || re.test(p); });
}

/**
 * Whether a middleware requires sign-in on a route path: it checks sign-in, its matcher runs it there, and (Clerk's
 * route matchers) the path is among those it protects, or not among its public ones.
 */
export function middlewareProtects(facts: NextMiddlewareFacts, routePath: string): boolean {
  if (!facts.auth || !middlewareMatches(facts.matcher, routePath)) return false;
  if (facts.protects) return facts.protects.some((p) => middlewareMatches([p], routePath));
  if (facts.publicPaths) return !facts.publicPaths.some((p) => middlewareMatches([p], routePath));
  return true;
}

/** Code that asks who is signed in (a server component, a layout): `auth()`, `getServerSession`, Supabase, Clerk, Kinde… */
const CHECKS_USER = /\b(auth|getServerSession|getServerAuthSession|currentUser|validateRequest|getKindeServerSession|getAuth|getSession|getUser|getCurrentUser|requireUser|requireAdmin|requireAuth|requireSession|withPageAuthRequired|getIronSession)\s*\(|\.auth\s*\.\s*(getUser|getSession|getClaims)\s*\(|redirectToSignIn|\.protect\s*\(/;

/** The page or layout facts of a file of a Next.js `app/` folder (`app/(admin)/admin/users/page.tsx` → `/admin/users`). */
export function nextPageOf(file: string, text: string): { path: string; layout?: true; checksUser?: true; client?: true } | undefined {
  // (most files are neither: their name is read before their path is split)
  const baseAt = file.lastIndexOf('/') + 1;
  if (!file.startsWith('page.', baseAt) && !file.startsWith('layout.', baseAt)) return undefined;
  const parts = file.split('/');
  const m = /^(page|layout)\.[cm]?[jt]sx?$/.exec(parts[parts.length - 1]);
  const appIdx = parts.lastIndexOf('app');
  if (!m || appIdx < 0) return undefined;
  const segs = parts.slice(appIdx + 1, -1).filter((s) => !/^\(.*\)$/.test(s) && !s.startsWith('@'));
  return {
    path: `/${segs.join('/')}`,
    ...(m[1] === 'layout' ? { layout: true as const } : {}),
    ...(CHECKS_USER.test(text) ? { checksUser: true as const } : {}),
    ...(/^\s*(\/\/[^\n]*\n\s*|\/\*[\s\S]*?\*\/\s*)*['"]use client['"]/.test(text) ? { client: true as const } : {}),
  };
}
