/**
 * Writes every file derived from rule metadata. With --check, writes nothing and exits 1 when a
 * generated file is stale (CI runs this). Run: `npm run generate` / `npm run generate -- --check`.
 *
 * Order matters: src/engine/rules/index.ts is generated first, from the rule files on disk. The other
 * outputs need the rules themselves; they load each rule file directly (the same files, in the same
 * order, as the index lists), so they never see a stale index — not even in --check mode, where the
 * index is not rewritten.
 */
import { readFileSync, writeFileSync, existsSync, mkdirSync, readdirSync, unlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { withPython, type Rule } from '../engine/model/rule';
import type { PythonRuleModule } from '../engine/python/rule';
import { listPythonRuleFiles, listRuleFiles, renderRulesIndex } from './rules-index';
import { renderProvidersTable } from './providers-table';
import { PROVIDERS } from '../engine/secrets/providers';
import {
  renderDocsIndex, renderPackageJson, renderReadme, renderReadmeCli, renderRuleDoc, renderSarifCatalog, rulesSettingOf,
} from './rule-docs';

const root = join(__dirname, '..', '..');
const check = process.argv.includes('--check');

export interface Output {
  path: string;
  /** the file's new text, or null when the file must not exist */
  render: () => string | null | Promise<string | null>;
  /** whether the current text is already up to date (default: equal text) */
  same?: (current: string, next: string) => boolean;
}

const DOCS_DIR = 'media/docs/rules';

/** Every rule, loaded from its own file, in index order. */
export async function loadRules(repoRoot: string, only?: (file: string) => boolean): Promise<{ rule: Rule; file: string }[]> {
  const out: { rule: Rule; file: string }[] = [];
  for (const f of listRuleFiles(repoRoot)) {
    if (only && !only(`src/engine/rules/${f}`)) continue;
    const file = `src/engine/rules/${f}`;
    const mod = (await import(pathToFileURL(join(repoRoot, file)).href)) as { default?: unknown };
    let rule = mod.default as { meta?: unknown; default?: unknown } | undefined;
    // CommonJS interop can wrap the default export once more
    if (rule && !rule.meta && rule.default) rule = rule.default as typeof rule;
    if (!rule || typeof rule !== 'object' || !rule.meta) throw new Error(`${file}: no default export made with defineRule({ meta, create })`);
    out.push({ rule: rule as Rule, file });
  }
  // the Python implementations of existing ids: their docs section and languages belong on the same pages
  const python: PythonRuleModule[] = [];
  for (const f of listPythonRuleFiles(repoRoot)) {
    const mod = (await import(pathToFileURL(join(repoRoot, 'src/engine/python/rules', f)).href)) as { default?: { default?: unknown } };
    const m = (mod.default && !(mod.default as { id?: unknown }).id && mod.default.default ? mod.default.default : mod.default) as PythonRuleModule | undefined;
    if (!m?.id) throw new Error(`src/engine/python/rules/${f}: no default export made with definePythonRule`);
    if (out.some((o) => o.rule.meta.id === m.id)) python.push(m);
  }
  const merged = withPython(out.map((o) => o.rule), python);
  return out.map((o, i) => ({ rule: merged[i], file: o.file }));
}

/** The CLI's usage text (src/cli/args.ts `USAGE`), when the CLI exists. */
export async function loadCliUsage(argsFile: string): Promise<string | undefined> {
  if (!existsSync(argsFile)) return undefined;
  const mod = (await import(pathToFileURL(argsFile).href)) as { USAGE?: string; default?: { USAGE?: string } };
  return mod.USAGE ?? mod.default?.USAGE;
}

export function derivedOutputs(
  repoRoot: string,
  loaded: { rule: Rule; file: string }[],
  read = (p: string) => readFileSync(join(repoRoot, p), 'utf8'),
  cliUsage?: string,
): Output[] {
  const rules = loaded.map((l) => l.rule);
  const outputs: Output[] = [
    {
      path: 'README.md',
      render: () => {
        const withTable = renderReadme(read('README.md'), rules);
        return cliUsage === undefined ? withTable : renderReadmeCli(withTable, cliUsage);
      },
    },
    {
      path: 'package.json',
      // re-read right before writing: other people edit package.json too
      render: () => renderPackageJson(read('package.json'), rules),
      // only the generated setting matters; the rest of the file's formatting is not ours
      same: (cur, next) => isDeepStrictEqual(rulesSettingOf(cur), rulesSettingOf(next)),
    },
    { path: 'media/sarif-rules.json', render: () => renderSarifCatalog(rules, (JSON.parse(read('package.json')) as { version: string }).version) },
    { path: `${DOCS_DIR}/README.md`, render: () => renderDocsIndex(rules) },
    ...loaded.map(({ rule, file }) => ({ path: `${DOCS_DIR}/${rule.meta.id}.md`, render: () => renderRuleDoc(rule, file) })),
    { path: 'media/docs/secret-providers.md', render: () => renderProvidersTable(PROVIDERS) },
  ];
  // docs of rules that no longer exist
  const dir = join(repoRoot, DOCS_DIR);
  const wanted = new Set(outputs.map((o) => o.path));
  if (existsSync(dir)) {
    for (const f of readdirSync(dir)) {
      const p = `${DOCS_DIR}/${f}`;
      if (f.endsWith('.md') && !wanted.has(p)) outputs.push({ path: p, render: () => null });
    }
  }
  return outputs;
}

/** Brings outputs up to date (or, with check, lists the stale ones). */
async function apply(outputs: Output[], stale: string[]) {
  for (const o of outputs) {
    const file = join(root, o.path);
    const next = await o.render();
    const cur = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
    if (next === null) {
      if (cur === undefined) continue;
      if (check) stale.push(`${o.path} (belongs to no rule)`);
      else { unlinkSync(file); console.log(`deleted ${o.path}`); }
      continue;
    }
    if (cur !== undefined && (cur === next || o.same?.(cur, next))) continue;
    if (check) stale.push(o.path);
    else {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, next);
      console.log(`wrote ${o.path}`);
    }
  }
}

async function main() {
  const stale: string[] = [];
  await apply([{ path: 'src/engine/rules/index.ts', render: () => renderRulesIndex(root) }], stale);
  const usage = await loadCliUsage(join(root, 'src/cli/args.ts'));
  await apply(derivedOutputs(root, await loadRules(root), undefined, usage), stale);
  if (check && stale.length) {
    console.error(`Generated files are stale:\n${stale.map((s) => `  ${s}`).join('\n')}\nRun \`npm run generate\` and commit the result.`);
    process.exit(1);
  }
}

if (require.main === module) main().catch((e) => { console.error(e); process.exit(1); });
