/**
 * SARIF `reportingDescriptor`s built from rule metadata: the CLI's SARIF writer puts them in
 * `runs[0].tool.driver.rules`, and `npm run generate` writes the whole catalog to media/sarif-rules.json.
 * Pure functions of the metadata: no file system, no clock, so the output is stable.
 *
 * GitHub code scanning reads these fields:
 * - `help.markdown` is what the alert page shows as the rule's help, so it carries the whole doc
 *   (why, fix, examples) and nobody needs to follow a link.
 * - `helpUri`: the rule's doc inside the Shipsafe package, `media/docs/rules/<id>.md`. It is a relative
 *   reference on purpose: the same file ships in the repo, the npm package and the .vsix, it works offline,
 *   and Shipsafe has no web site to point at. GitHub's upload action accepts it (URIs that are not absolute
 *   only produce a log line). A caller that knows a public home for the docs passes `docsBaseUri`
 *   (e.g. "https://github.com/<owner>/<repo>/blob/v1.2.3/") and gets an absolute URI instead.
 * - `properties.tags`: `security` marks the alert as a security alert (not for category "meta"); `external/cwe/cwe-<n>` adds the CWE;
 *   `owasp-2021/A0x` the OWASP Top 10 2021 category; then the rule's own tags.
 * - `properties.precision`: GitHub knows very-high | high | medium | low; we map the rule's default
 *   confidence one to one (high → high, medium → medium, low → low) and never claim very-high.
 * - `properties['security-severity']`: a CVSS-like score as a string; GitHub buckets it as
 *   critical ≥ 9.0, high 7.0–8.9, medium 4.0–6.9, low 0.1–3.9. See SECURITY_SEVERITY below.
 */
import type { ReportingDescriptor } from 'sarif';
import type { Confidence, RuleMeta, Severity } from '../model/types';

/** SARIF result/rule level for each Shipsafe severity. */
export const SARIF_LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  error: 'error',
  warning: 'warning',
  info: 'note',
};

/**
 * `security-severity` by severity and default confidence. Errors land in GitHub's "high" bucket
 * (7.0–8.9), warnings in "medium" (4.0–6.9), info in "low" (0.1–3.9); within a bucket a more
 * certain rule scores higher. Nothing is "critical": a static pattern alone does not prove that.
 */
export const SECURITY_SEVERITY: Record<Severity, Record<Confidence, string>> = {
  error: { high: '8.8', medium: '7.5', low: '7.0' },
  warning: { high: '6.5', medium: '5.5', low: '4.5' },
  info: { high: '3.5', medium: '2.5', low: '1.5' },
};

/** GitHub's `precision` for each default confidence. */
export const SARIF_PRECISION: Record<Confidence, 'high' | 'medium' | 'low'> = {
  high: 'high',
  medium: 'medium',
  low: 'low',
};

/** The rule's doc inside the repo / npm package / .vsix. */
export function ruleDocPath(id: string): string {
  return `media/docs/rules/${id}.md`;
}

/** `sql-injection` → `SqlInjection` (SARIF `name`, GitHub shows it next to the id). */
export function pascalCase(id: string): string {
  return id.split(/[^A-Za-z0-9]+/).filter(Boolean).map((w) => w[0].toUpperCase() + w.slice(1)).join('');
}

/** `A03:2021 Injection` → `A03`, or undefined when there is none. */
export function owaspCode(owasp: string): string | undefined {
  return /^(A(?:0[1-9]|10)):2021\b/.exec(owasp.trim())?.[1];
}

/** The path an example is meant to be analysed as: `// file: <path>` on its first line, else example.tsx. */
export function exampleFile(code: string, fallback = 'example.tsx'): { path: string; code: string } {
  const m = /^\s*(?:\/\/|#)\s*file:\s*(\S+)[^\n]*\n?/.exec(code);
  return m ? { path: m[1], code: code.slice(m[0].length) } : { path: fallback, code };
}

const FENCE_LANG: Record<string, string> = {
  js: 'js', cjs: 'js', mjs: 'js', jsx: 'jsx', ts: 'ts', cts: 'ts', mts: 'ts', tsx: 'tsx', py: 'python',
  yml: 'yaml', yaml: 'yaml', json: 'json', toml: 'toml', ini: 'ini', xml: 'xml', sh: 'sh', env: 'dotenv', dockerfile: 'dockerfile',
  ejs: 'ejs', pug: 'pug', hbs: 'handlebars', handlebars: 'handlebars', njk: 'jinja', html: 'html',
};

/** A fenced Markdown code block that survives backticks inside the code. */
export function fenced(code: string, lang = 'ts'): string {
  const longest = Math.max(2, ...(code.match(/`+/g) ?? []).map((s) => s.length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${lang}\n${code.trimEnd()}\n${fence}`;
}

/** An example as a fenced block, with its `// file:` line kept (it tells the reader where the code lives). */
export function exampleBlock(code: string): string {
  const { path } = exampleFile(code);
  const ext = /(?:^|[./])([a-z]+)$/i.exec(path)?.[1]?.toLowerCase() ?? 'tsx';
  return fenced(code, FENCE_LANG[ext] ?? 'ts');
}

export interface SarifRuleOptions {
  /** absolute base for helpUri (must end with "/"); without it helpUri is the relative doc path */
  docsBaseUri?: string;
}

function helpMarkdown(meta: RuleMeta): string {
  const parts = [
    `## Why is this bad?\n\n${meta.why}`,
    `## How to fix\n\n${meta.fix}`,
    `### Example (bad)\n\n${exampleBlock(meta.bad)}`,
    `### Use instead (good)\n\n${exampleBlock(meta.good)}`,
  ];
  const refs: string[] = meta.cwe.map((n) => `[CWE-${n}](https://cwe.mitre.org/data/definitions/${n}.html)`);
  if (meta.owasp) refs.push(meta.owasp);
  if (refs.length) parts.push(`References: ${refs.join(', ')}`);
  parts.push(`Suppress one finding with \`// shipsafe-ignore-next-line ${meta.id} -- <why this is safe>\` on the line above it.`);
  return parts.join('\n\n');
}

function helpText(meta: RuleMeta): string {
  return [
    `Why is this bad? ${meta.why}`,
    `How to fix: ${meta.fix}`,
    `Example (bad):\n${meta.bad.trimEnd()}`,
    `Use instead (good):\n${meta.good.trimEnd()}`,
  ].join('\n\n');
}

/** The SARIF description of one rule. */
export function toSarifRule(meta: RuleMeta, options: SarifRuleOptions = {}): ReportingDescriptor {
  const code = owaspCode(meta.owasp);
  // rules about Shipsafe's own comments (category "meta") are not security problems: no `security` tag
  // and no score, so GitHub lists them as ordinary alerts
  const security = meta.category !== 'meta';
  const tags = [
    ...(security ? ['security'] : []),
    ...meta.cwe.map((n) => `external/cwe/cwe-${n}`),
    ...(code ? [`owasp-2021/${code}`] : []),
    ...meta.tags,
  ];
  const doc = ruleDocPath(meta.id);
  return {
    id: meta.id,
    name: pascalCase(meta.id),
    shortDescription: { text: meta.title },
    fullDescription: { text: meta.description },
    help: { text: helpText(meta), markdown: helpMarkdown(meta) },
    helpUri: options.docsBaseUri ? new URL(doc, options.docsBaseUri).href : doc,
    defaultConfiguration: { enabled: meta.defaultEnabled, level: SARIF_LEVEL[meta.severity] },
    properties: {
      tags: [...new Set(tags)],
      precision: SARIF_PRECISION[meta.confidence],
      ...(security ? { 'security-severity': SECURITY_SEVERITY[meta.severity][meta.confidence] } : {}),
      'problem.severity': meta.severity === 'info' ? 'recommendation' : meta.severity,
      category: meta.category,
      cwe: meta.cwe.map((n) => `CWE-${n}`),
      ...(meta.owasp ? { owasp: meta.owasp } : {}),
      fixSafety: meta.fixSafety,
    },
  };
}

/** Every rule's descriptor, sorted by id (stable output for the generated catalog and for SARIF logs). */
export function sarifRuleCatalog(rules: readonly { meta: RuleMeta }[], options: SarifRuleOptions = {}): ReportingDescriptor[] {
  return [...rules].sort((a, b) => (a.meta.id < b.meta.id ? -1 : a.meta.id > b.meta.id ? 1 : 0)).map((r) => toSarifRule(r.meta, options));
}
