/**
 * "Check running app": what to request from a running app, and what its answers mean for the checklist. Pure:
 * the requests themselves are made outside the engine (src/probe/running-app.ts) and handed back here as plain
 * data. Headers, cookies and exposed files are often set by the host or a proxy, not the code, so this is
 * evidence the code scan cannot give.
 */

export interface AppResponse {
  /** the full URL requested (GET, redirects not followed) */
  url: string;
  /** why it was requested, in plain words */
  purpose: string;
  status?: number;
  /** lower-case header names */
  headers: Record<string, string>;
  setCookie: string[];
  /** the start of the body (text responses only) */
  body?: string;
  /** set when the request failed (connection refused, timeout, cancelled) */
  error?: string;
}

export interface AppCheckResult {
  /** the URL the user gave (normalized, no credentials) */
  base: string;
  responses: AppResponse[];
  /** the check was cancelled or timed out before every request was made */
  incomplete?: string;
}

export interface AppEvidence {
  url: string;
  message: string;
}

export interface AppFindings {
  fail: Record<string, AppEvidence[]>;
  pass: Record<string, AppEvidence[]>;
}

/** A path no app serves, for the 404 page (fixed, so reports are reproducible). */
export const NOT_FOUND_PATH = '/shipsafe-check-404-this-page-does-not-exist';

/** The first requests, relative to the base URL. Script maps are added from the page (see `scriptMapPaths`). */
export const PROBE_PATHS: readonly { path: string; purpose: string }[] = [
  { path: '', purpose: 'the page: headers and cookies' },
  { path: '/.env', purpose: 'an exposed .env file' },
  { path: '/.git/config', purpose: 'an exposed git repository' },
  { path: NOT_FOUND_PATH, purpose: 'the 404 page: error details' },
];

/** Whether a URL may be checked: http(s) only, no user name or password in it. Returns the normalized URL or a reason. */
export function checkableUrl(raw: string): { url: string } | { error: string } {
  let u: URL;
  try { u = new URL(raw.trim()); } catch { return { error: `"${raw}" is not a URL (example: http://localhost:3000)` }; }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return { error: `only http and https URLs can be checked, not ${u.protocol}` };
  if (u.username || u.password) return { error: 'leave the user name and password out of the URL' };
  u.hash = '';
  return { url: u.toString().replace(/\/$/, '') };
}

export function isLoopback(url: string): boolean {
  try {
    const h = new URL(url).hostname.replace(/^\[|\]$/g, '');
    return h === 'localhost' || h.endsWith('.localhost') || /^127(\.\d{1,3}){3}$/.test(h) || h === '::1';
  } catch {
    return false;
  }
}

/** Same-origin scripts of a page whose `.map` is worth asking for (at most `max`). */
export function scriptMapUrls(pageUrl: string, html: string, max = 3): string[] {
  const out: string[] = [];
  const origin = new URL(pageUrl).origin;
  for (const m of html.matchAll(/<script\b[^>]*\bsrc\s*=\s*["']([^"']+\.m?js)(?:\?[^"']*)?["']/gi)) {
    let u: URL;
    try { u = new URL(m[1], pageUrl); } catch { continue; }
    if (u.origin !== origin) continue;
    const map = `${u.origin}${u.pathname}.map`;
    if (!out.includes(map)) out.push(map);
    if (out.length >= max) break;
  }
  return out;
}

/**
 * A stack trace in a response body: a Node frame (`    at fn (/srv/app.js:12:5)`, `    at file:///srv/app.mjs:3:9`)
 * or Python's header. Frames are matched line by line (one regex over the whole body backtracks on long lines).
 */
const NODE_FRAME_START = /^[ \t]+at [^\n(]*\(?(?:\/|[A-Za-z]:\\|file:|node:|webpack:)/;
const FRAME_POSITION = /:\d+:\d+/;
function hasStackTrace(body: string): boolean {
  if (body.includes('Traceback (most recent call last)')) return true;
  const lines = body.split('\n');
  for (let i = 1; i < lines.length; i++) {
    const l = lines[i].length > 2000 ? lines[i].slice(0, 2000) : lines[i];
    if (NODE_FRAME_START.test(l) && FRAME_POSITION.test(l)) return true;
  }
  return false;
}

function add(map: Record<string, AppEvidence[]>, id: string, e: AppEvidence): void {
  (map[id] ??= []).push(e);
}

/** Turns the responses into evidence for checklist items (by item id). */
export function appFindings(result: AppCheckResult): AppFindings {
  const fail: Record<string, AppEvidence[]> = {};
  const pass: Record<string, AppEvidence[]> = {};
  const page = result.responses[0];
  const https = result.base.startsWith('https:');
  if (page && page.status !== undefined) {
    const h = page.headers;
    const url = page.url;
    const csp = h['content-security-policy'];
    if (csp) add(pass, 'security-headers', { url, message: 'Content-Security-Policy is sent' });
    else add(fail, 'security-headers', { url, message: 'no Content-Security-Policy header' });
    if (h['x-frame-options'] || /frame-ancestors/i.test(csp ?? '')) add(pass, 'security-headers', { url, message: 'framing is restricted (X-Frame-Options or frame-ancestors)' });
    else add(fail, 'security-headers', { url, message: 'no X-Frame-Options header or CSP frame-ancestors: the page can be framed (clickjacking)' });
    if ((h['x-content-type-options'] ?? '').toLowerCase() === 'nosniff') add(pass, 'security-headers', { url, message: 'X-Content-Type-Options: nosniff is sent' });
    else add(fail, 'security-headers', { url, message: 'no X-Content-Type-Options: nosniff header' });
    if (h['referrer-policy']) add(pass, 'security-headers', { url, message: `Referrer-Policy: ${h['referrer-policy']}` });
    else add(fail, 'security-headers', { url, message: 'no Referrer-Policy header' });
    if (h['x-powered-by']) add(fail, 'security-headers', { url, message: `X-Powered-By: ${h['x-powered-by']} tells attackers what the server runs` });
    if (https) {
      if (h['strict-transport-security']) add(pass, 'https-hsts', { url, message: `Strict-Transport-Security: ${h['strict-transport-security']}` });
      else add(fail, 'https-hsts', { url, message: 'no Strict-Transport-Security header on the https page' });
    }
    for (const c of page.setCookie) {
      const name = c.split('=')[0].trim();
      const attrs = c.split(';').slice(1).map((a) => a.trim().toLowerCase());
      const missing = [
        attrs.includes('httponly') ? '' : 'HttpOnly',
        !https || attrs.includes('secure') ? '' : 'Secure',
        attrs.some((a) => a.startsWith('samesite=')) ? '' : 'SameSite',
      ].filter(Boolean);
      if (missing.length) add(fail, 'cookies-flagged', { url, message: `cookie ${name} is set without ${missing.join(', ')}` });
      else add(pass, 'cookies-flagged', { url, message: `cookie ${name} has HttpOnly${https ? ', Secure' : ''} and SameSite` });
    }
    if (page.body && /<title>\s*Index of \/|<h1>\s*(Index of|Directory listing for) \//i.test(page.body)) {
      add(fail, 'no-public-leftovers', { url, message: 'the server lists the folder\'s files (directory listing)' });
    }
  }
  for (const r of result.responses.slice(1)) {
    if (r.status === undefined) continue;
    const ok = r.status >= 200 && r.status < 300;
    const body = r.body ?? '';
    const html = /text\/html/i.test(r.headers['content-type'] ?? '') || /^\s*<(!doctype|html)/i.test(body);
    if (r.url.endsWith('/.env') && ok && !html && /^[ \t]*[A-Z_][A-Z0-9_]*[ \t]*=/m.test(body)) {
      add(fail, 'no-public-leftovers', { url: r.url, message: `/.env is served (${r.status}) with variables in it` });
    } else if (r.url.endsWith('/.git/config') && ok && /\[core\]/.test(body)) {
      add(fail, 'no-public-leftovers', { url: r.url, message: `/.git/config is served (${r.status}): the repository can be downloaded` });
    } else if (r.url.endsWith('.map') && ok && /"mappings"\s*:/.test(body)) {
      add(fail, 'production-debug-off', { url: r.url, message: 'a source map is served next to the script' });
    } else if (r.url.endsWith(NOT_FOUND_PATH)) {
      if (hasStackTrace(body)) add(fail, 'no-stack-traces', { url: r.url, message: `the ${r.status} page shows a stack trace` });
      else add(pass, 'no-stack-traces', { url: r.url, message: `the ${r.status} page shows no stack trace` });
    }
  }
  if (page?.body && hasStackTrace(page.body)) add(fail, 'no-stack-traces', { url: page.url, message: 'the page shows a stack trace' });
  return { fail, pass };
}
