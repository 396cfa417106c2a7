/**
 * No report carries a secret value (issue 15): a fix's title, note or replacement text can quote source code
 * (the SQL of "Parameterize the query" may hold a hard-coded `sk_live_…`). Before findings leave the process
 * (JSON, SARIF, text, tool results), every fix text is checked against the secrets of its file — the provider
 * formats found anywhere in the file, and the literals the secret rules flagged — and against the provider
 * formats in general. Titles, notes and messages get the secret masked; a fix whose edits would write a secret
 * value is dropped from the report (the editor, which has the file open anyway, still offers it).
 */
import type { Finding, Fix } from '../model/types';
import { findSecrets } from '../secrets/providers';
import { maskSecret } from '../util/text';

const SECRET_RULES = new Set(['hardcoded-secret', 'hardcoded-session-secret', 'client-exposed-secret']);
/** shorter flagged literals are dev passwords at low confidence; masking every `admin1` in prose helps nobody */
const MIN_SECRET_LENGTH = 6;

/** The secret values of one file: provider-format keys anywhere in it, and the literals the secret rules flagged. */
export function secretValuesOf(text: string, findings: readonly Finding[]): string[] {
  const values = new Set<string>();
  for (const h of findSecrets(text, { textScan: true })) values.add(h.value);
  for (const f of findings) {
    if (!SECRET_RULES.has(f.ruleId)) continue;
    let v = text.slice(f.range.start, f.range.end);
    const lit = /^(['"`])([\s\S]*)\1$/.exec(v);
    if (lit) v = lit[2];
    else {
      // a finding on a declaration or property: the string literal inside it
      const inner = /(['"`])([^'"`\n]{6,4096})\1/.exec(v);
      if (!inner) continue;
      v = inner[2];
    }
    if (v.length >= MIN_SECRET_LENGTH) values.add(v);
  }
  return [...values].sort((a, b) => b.length - a.length);
}

function maskIn(s: string, values: readonly string[]): string {
  let out = s;
  for (const v of values) if (out.includes(v)) out = out.split(v).join(maskSecret(v));
  const hits = findSecrets(out, { textScan: true });
  if (!hits.length) return out;
  let r = '';
  let at = 0;
  for (const h of hits) {
    if (h.start < at) continue;
    r += out.slice(at, h.start) + h.masked;
    at = h.end;
  }
  return r + out.slice(at);
}

function holdsSecret(s: string, values: readonly string[]): boolean {
  return values.some((v) => s.includes(v)) || findSecrets(s, { textScan: true }).length > 0;
}

function scrubFix(fix: Fix, values: readonly string[]): Fix | undefined {
  if (fix.edits.some((e) => e.textEdits.some((t) => holdsSecret(t.newText, values)))) return undefined;
  return {
    ...fix,
    title: maskIn(fix.title, values),
    ...(fix.note !== undefined ? { note: maskIn(fix.note, values) } : {}),
    ...(fix.disabled !== undefined ? { disabled: maskIn(fix.disabled, values) } : {}),
  };
}

/** The findings of one file made safe to print: secrets masked in every text, fixes that would write one dropped. */
export function scrubFindings(findings: readonly Finding[], fileText: string | undefined): Finding[] {
  const values = fileText === undefined ? [] : secretValuesOf(fileText, findings);
  return findings.map((f) => {
    const fixes = f.fixes?.map((x) => scrubFix(x, values)).filter((x): x is Fix => !!x);
    const { fixes: _old, ...rest } = f;
    return {
      ...rest,
      message: maskIn(f.message, values),
      ...(f.related ? { related: f.related.map((r) => ({ ...r, message: maskIn(r.message, values) })) } : {}),
      ...(fixes && fixes.length ? { fixes } : {}),
    };
  });
}
