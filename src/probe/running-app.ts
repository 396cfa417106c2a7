/**
 * "Check running app": GETs the page and a few well-known paths of a running app, without following
 * redirects, and hands the answers to the engine (engine/checklist/app.ts) to turn into evidence. Network
 * code lives here, outside the engine. It requests only the URL it is given (the default is loopback; any
 * other URL must be one the user typed) and same-origin script maps found on that page. Time-boxed and
 * cancellable; every request made is listed in the result.
 */
import { checkableUrl, PROBE_PATHS, scriptMapUrls, type AppCheckResult, type AppResponse } from '../engine/checklist/app';

export interface ProbeOptions {
  /** the whole check (default 10 s) */
  timeoutMs?: number;
  /** each request (default 4 s) */
  requestTimeoutMs?: number;
  signal?: AbortSignal;
  /** called before each request (for a progress message) */
  onRequest?: (url: string) => void;
}

const MAX_BODY = 256 * 1024;

async function readBody(res: Response): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done || !value) break;
    chunks.push(value);
    size += value.length;
    if (size >= MAX_BODY) { await reader.cancel().catch(() => undefined); break; }
  }
  const all = new Uint8Array(Math.min(size, MAX_BODY));
  let at = 0;
  for (const c of chunks) { const part = c.subarray(0, Math.min(c.length, all.length - at)); all.set(part, at); at += part.length; if (at >= all.length) break; }
  return new TextDecoder('utf-8', { fatal: false }).decode(all);
}

async function get(url: string, purpose: string, signal: AbortSignal): Promise<AppResponse> {
  try {
    const res = await fetch(url, { method: 'GET', redirect: 'manual', signal, headers: { 'user-agent': 'Shipsafe running-app check', accept: 'text/html,*/*' } });
    const headers: Record<string, string> = {};
    res.headers.forEach((v, k) => { if (k !== 'set-cookie') headers[k] = v; });
    const setCookie = typeof res.headers.getSetCookie === 'function' ? res.headers.getSetCookie() : [];
    const type = headers['content-type'] ?? '';
    const text = !type || /text|json|javascript|xml|octet-stream/i.test(type);
    const body = text ? await readBody(res) : (await res.body?.cancel().catch(() => undefined), undefined);
    return { url, purpose, status: res.status, headers, setCookie, ...(body !== undefined ? { body } : {}) };
  } catch (e) {
    const err = e as Error & { cause?: { code?: string } };
    const reason = signal.aborted ? (signal.reason instanceof Error ? signal.reason.message : 'cancelled') : err.cause?.code ?? err.message;
    return { url, purpose, headers: {}, setCookie: [], error: String(reason) };
  }
}

export async function probeRunningApp(rawUrl: string, options: ProbeOptions = {}): Promise<AppCheckResult> {
  const checked = checkableUrl(rawUrl);
  if ('error' in checked) throw new Error(checked.error);
  const base = checked.url;
  const overall = AbortSignal.timeout(options.timeoutMs ?? 10_000);
  const signals = [overall, ...(options.signal ? [options.signal] : [])];
  const responses: AppResponse[] = [];
  let incomplete: string | undefined;
  const origin = new URL(base).origin;
  const plan = PROBE_PATHS.map((p) => ({ url: p.path ? `${origin}${p.path}` : base, purpose: p.purpose }));
  for (let i = 0; i < plan.length; i++) {
    const stop = signals.find((s) => s.aborted);
    if (stop) { incomplete = stop === overall ? 'the time limit was reached' : 'cancelled'; break; }
    options.onRequest?.(plan[i].url);
    const signal = AbortSignal.any([...signals, AbortSignal.timeout(options.requestTimeoutMs ?? 4_000)]);
    const r = await get(plan[i].url, plan[i].purpose, signal);
    responses.push(r);
    if (i === 0) {
      if (r.error) { incomplete = `the app did not answer at ${base} (${r.error})`; break; }
      if (r.body && /html/i.test(r.headers['content-type'] ?? '')) {
        for (const map of scriptMapUrls(base, r.body)) plan.push({ url: map, purpose: 'a source map next to a served script' });
      }
    }
  }
  return { base, responses, ...(incomplete ? { incomplete } : {}) };
}
