/**
 * A request handler that lets in only callers holding a server-side secret: it reads the `Authorization` header
 * (or an `x-…-key`/`token`/`secret` header) and compares it with a secret from the environment, answering 401 or
 * 403 otherwise. Such endpoints serve the app's own services (a NextAuth adapter, a cron job, an internal worker),
 * so what they receive is not input from the public.
 */
const HEADER_READ = /headers\.get\(\s*['"]([\w-]{1,60})['"]\s*\)|\.headers\[\s*['"]([\w-]{1,60})['"]\s*\]|\.header\(\s*['"]([\w-]{1,60})['"]\s*\)|\.headers\.(authorization)\b/gi;
const SECRET_HEADER_NAME = /^(authorization|x-.*(key|token|secret))$/i;
const ENV_READ = /\b(?:process\.env|[A-Za-z_$][\w$]*[eE]nv|config|settings)\.([A-Z][A-Z0-9_]{1,60})\b/g;
const SECRET_NAME = /SECRET|KEY|TOKEN/;
const DENIED = /\b(401|403)\b|unauthori[sz]ed|forbidden/i;

export function checksServerSecret(text: string): boolean {
  if (!DENIED.test(text)) return false;
  let header = false;
  for (const m of text.matchAll(HEADER_READ)) if (SECRET_HEADER_NAME.test(m[1] ?? m[2] ?? m[3] ?? m[4] ?? '')) { header = true; break; }
  if (!header) return false;
  // the secret is compared with what the caller sent (`header !== \`Bearer ${process.env.X_SECRET}\``,
  // `timingSafeEqual(…)`), not used to verify a user's token (`jwt.verify(token, process.env.JWT_SECRET)`)
  for (const m of text.matchAll(ENV_READ)) {
    if (!SECRET_NAME.test(m[1])) continue;
    const at = m.index ?? 0;
    const before = text.slice(Math.max(0, at - 40), at);
    const call = text.slice(Math.max(0, at - 160), at);
    const after = text.slice(at + m[0].length, at + m[0].length + 12);
    if (/[!=]==?/.test(before) || /(timingSafeEqual|safeCompare|secureCompare)\(/.test(call) || /^\W{0,3}\s*[!=]==?/.test(after)) return true;
  }
  return false;
}
