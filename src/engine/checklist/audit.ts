/**
 * The dependency check's result: what `npm audit --json` said (parsed here, pure), or why it could not run.
 * Running npm happens outside the engine (src/probe/npm-audit.ts), only when the user asks, only in trusted
 * workspaces. A check that could not run never passes the item.
 */

export type AuditSeverity = 'info' | 'low' | 'moderate' | 'high' | 'critical';

export type AuditResult =
  | { ok: true; counts: Record<AuditSeverity, number>; packages: { name: string; severity: AuditSeverity; title: string; url?: string }[] }
  | { ok: false; reason: string };

const SEVERITIES: readonly AuditSeverity[] = ['info', 'low', 'moderate', 'high', 'critical'];

/** Parses the JSON npm audit prints (npm 7+ format). */
export function parseNpmAudit(stdout: string): AuditResult {
  let data: Record<string, unknown>;
  try {
    data = JSON.parse(stdout) as Record<string, unknown>;
  } catch {
    return { ok: false, reason: 'npm audit printed no JSON report' };
  }
  const err = data.error as { code?: string; summary?: string; detail?: string } | undefined;
  if (err) {
    const text = `${err.code ?? ''} ${err.summary ?? ''}`.trim();
    return { ok: false, reason: `npm audit could not check (${text.split('\n')[0] || 'unknown error'})` };
  }
  const meta = (data.metadata as { vulnerabilities?: Record<string, number> } | undefined)?.vulnerabilities;
  if (!meta) return { ok: false, reason: 'npm audit gave a report without vulnerability counts' };
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, Number(meta[s] ?? 0)])) as Record<AuditSeverity, number>;
  const packages: Extract<AuditResult, { ok: true }>['packages'] = [];
  const vulns = (data.vulnerabilities ?? {}) as Record<string, { name?: string; severity?: string; via?: unknown[] }>;
  for (const [name, v] of Object.entries(vulns).sort(([a], [b]) => a.localeCompare(b))) {
    const severity = (SEVERITIES.includes(v.severity as AuditSeverity) ? v.severity : 'info') as AuditSeverity;
    const advisory = (v.via ?? []).find((x): x is { title?: string; url?: string } => typeof x === 'object' && x !== null);
    packages.push({ name: v.name ?? name, severity, title: advisory?.title ?? `through ${(v.via ?? []).filter((x) => typeof x === 'string').join(', ')}`, ...(advisory?.url ? { url: advisory.url } : {}) });
  }
  return { ok: true, counts, packages };
}
