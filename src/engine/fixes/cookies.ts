/**
 * insecure-cookie fixes.
 *
 * - Only `sameSite` missing → add `sameSite: 'lax'`: **safe**. Chrome and Edge already treat a cookie without
 *   SameSite as Lax, so for most users nothing changes; elsewhere the only requests that lose the cookie are
 *   cross-site subrequests and cross-site form POSTs, which is what a session cookie must not ride on (CSRF). Same-site
 *   requests and top-level links from other sites keep it.
 * - `httpOnly` / `secure` missing or false → add them (with `sameSite: 'lax'`): **suggestion**. `httpOnly` breaks
 *   page scripts that read the cookie, `secure` stops it on plain http outside localhost.
 * - Session middleware with `secure: false` / `httpOnly: false` → `secure: process.env.NODE_ENV === 'production'` /
 *   `httpOnly: true`: **suggestion** (behind a proxy, express-session also needs `app.set('trust proxy', 1)`).
 * - Hand-written `Set-Cookie` strings → the missing `; HttpOnly; Secure; SameSite=Lax` attributes (safe when only
 *   SameSite is missing, as above).
 */
import { ts } from 'ts-morph';
import type { RuleContext } from '../model/rule';
import type { Fix } from '../model/types';
import { getProperty, unwrap } from '../util/ast';
import { addProperty, EditSet, escapeTemplateText, isTypeScript, makeFix, preferredQuote, setProperty } from './edits';

export type CookieFlag = 'httpOnly' | 'secure' | 'sameSite';

function value(flag: CookieFlag, q: string): string {
  return flag === 'sameSite' ? `${q}lax${q}` : 'true';
}

function describe(flags: CookieFlag[], q: string): string {
  const parts = flags.map((f) => `${f}: ${value(f, q)}`);
  return parts.length <= 1 ? parts.join('') : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

/**
 * `res.cookie(name, value, opts?)` and friends. `opts`: the options object (resolved), `valueArg`: the argument the
 * options follow when there are none yet, `objectForm`: `cookies().set({ name, value, … })`.
 */
export function cookieCallFixes(ctx: RuleContext, call: ts.CallExpression, opts: ts.ObjectLiteralExpression | undefined,
  valueArg: ts.Expression | undefined, missing: CookieFlag[]): Fix[] | undefined {
  const sf = ctx.sourceFile;
  const q = preferredQuote(sf);
  const flags = (['httpOnly', 'secure', 'sameSite'] as CookieFlag[]).filter((f) => missing.includes(f));
  if (!flags.length) return undefined;
  const es = new EditSet(ctx.path, ctx.text);
  if (opts) {
    if (opts.properties.some(ts.isSpreadAssignment)) return undefined;
    // an options object declared elsewhere loses the literal type of 'lax' in TypeScript: keep it
    const detached = !call.arguments.some((a) => unwrap(a) === opts) && isTypeScript(ctx.path);
    for (const f of flags) setProperty(es, opts, f, f === 'sameSite' && detached ? `${value(f, q)} as const` : value(f, q), sf);
  } else {
    if (!valueArg) return undefined;
    const i = call.arguments.indexOf(valueArg);
    if (i < 0 || i !== call.arguments.length - 1) return undefined;
    es.insert(valueArg.getEnd(), `, { ${flags.map((f) => `${f}: ${value(f, q)}`).join(', ')} }`);
  }
  const onlySameSite = flags.length === 1 && flags[0] === 'sameSite';
  return [makeFix(`Set ${describe(flags, q)} on this cookie`, onlySameSite ? 'safe' : 'suggestion', es,
    onlySameSite ? undefined : flags.includes('secure') ? 'With `secure: true` browsers send the cookie over https only (http://localhost still works).' : undefined)];
}

/** `session({ cookie: { secure: false } })`: turn the flags back on. */
export function sessionConfigFixes(ctx: RuleContext, cookie: ts.ObjectLiteralExpression, off: CookieFlag[]): Fix[] | undefined {
  const sf = ctx.sourceFile;
  const es = new EditSet(ctx.path, ctx.text);
  for (const f of off) {
    const p = getProperty(cookie, f);
    if (!p || !ts.isPropertyAssignment(p)) return undefined;
    es.replaceNode(p.initializer, f === 'secure' ? "process.env.NODE_ENV === 'production'" : 'true', sf);
  }
  if (!es.edits.length) return undefined;
  const title = off.map((f) => (f === 'secure' ? "`secure` in production" : `\`${f}\``)).join(' and ');
  return [makeFix(`Turn on ${title} for the session cookie`, 'suggestion', es,
    off.includes('secure') ? "Behind a proxy or load balancer, also call `app.set('trust proxy', 1)` so the session cookie is still set over https." : undefined)];
}

const HEADER_ATTR: Record<CookieFlag, string> = { httpOnly: 'HttpOnly', secure: 'Secure', sameSite: 'SameSite=Lax' };

/** `res.setHeader('Set-Cookie', 'token=…; Path=/')`: append the missing attributes to the string. */
export function setCookieHeaderFixes(ctx: RuleContext, header: ts.Expression, missing: CookieFlag[]): Fix[] | undefined {
  const sf = ctx.sourceFile;
  const e = unwrap(header);
  const attrs = missing.map((f) => `; ${HEADER_ATTR[f]}`).join('');
  const es = new EditSet(ctx.path, ctx.text);
  if (ts.isStringLiteral(e)) {
    const text = e.text.replace(/;\s*$/, '');
    const quote = ctx.text[e.getStart(sf)] as "'" | '"';
    es.replaceNode(e, quote + (e.getText(sf).slice(1, -1).replace(/;\s*$/, '')) + attrs + quote, sf);
    void text;
  } else if (ts.isNoSubstitutionTemplateLiteral(e) || ts.isTemplateExpression(e)) {
    const end = e.getEnd() - 1; // the closing backtick
    es.insert(end, escapeTemplateText(attrs));
  } else {
    return undefined;
  }
  const only = missing.length === 1 && missing[0] === 'sameSite';
  return [makeFix(`Add ${missing.map((f) => HEADER_ATTR[f]).join(', ')} to the Set-Cookie header`, only ? 'safe' : 'suggestion', es)];
}

export { addProperty };

/**
 * Session middleware with no `secure` at all (express-session's default is `false`) → `secure:
 * process.env.NODE_ENV === 'production'`: **suggestion** (behind a proxy, express-session also needs
 * `app.set('trust proxy', 1)`, or the cookie is never set in production).
 */
export function sessionSecureMissingFixes(ctx: RuleContext, opts: ts.ObjectLiteralExpression, cookie: ts.ObjectLiteralExpression | undefined, lib: 'express-session' | 'cookie-session'): Fix[] | undefined {
  const sf = ctx.sourceFile;
  const es = new EditSet(ctx.path, ctx.text);
  const target = lib === 'cookie-session' ? opts : cookie;
  if (target) {
    if (target.properties.some(ts.isSpreadAssignment)) return undefined;
    setProperty(es, target, 'secure', "process.env.NODE_ENV === 'production'", sf);
  } else {
    if (opts.properties.some(ts.isSpreadAssignment)) return undefined;
    addProperty(es, opts, "cookie: { secure: process.env.NODE_ENV === 'production' }", sf);
  }
  return [makeFix('Send the session cookie over https only in production', 'suggestion', es,
    "Behind a proxy or load balancer, also call `app.set('trust proxy', 1)` so the session cookie is still set over https.")];
}
