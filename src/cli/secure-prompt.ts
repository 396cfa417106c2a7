/**
 * The secure prompt and the check tool for a project on disk, shared by `shipsafe prompt` and `shipsafe mcp`:
 * detect the stack, scan the project the way `shipsafe scan` does (config, .gitignore, default skips), build the
 * preamble, and check one file or snippet.
 */
import { linkTemplates } from '../engine/templates/link';
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { ShipsafeConfig } from '../engine/config/config';
import type { Rule } from '../engine/model/rule';
import type { Finding } from '../engine/model/types';
import { resolveConfig } from '../engine/project/config-loader';
import { discover, findGitRoot, SYNC_FS } from '../engine/project/discover';
import { buildPreamble, type Preamble } from '../engine/prompt/build';
import { detectProjectStack } from '../engine/prompt/project-files';
import type { DetectedStack } from '../engine/prompt/stack';
import { checkResult, snippetPath, type CheckResult } from '../engine/prompt/tool-output';
import { allRules } from '../engine/rules';
import { DEFAULT_FILE_BUDGET_MS, sharedPool } from './pool';
import { buildScanModel, scanFilesWithBudget } from './pool-scan';

export interface ProjectSettings {
  root: string;
  config: ShipsafeConfig;
  configDir: string;
  rules: Rule[];
}

export async function projectSettings(root: string, configPath?: string): Promise<ProjectSettings> {
  const abs = resolve(root);
  const gitRoot = await findGitRoot(abs, SYNC_FS);
  const loaded = resolveConfig(abs, { explicitPath: configPath, stopAt: gitRoot });
  const rules = allRules.filter((r) => (loaded.config.rules[r.meta.id] ?? (r.meta.defaultEnabled ? r.meta.severity : 'off')) !== 'off');
  return { root: abs, config: loaded.config, configDir: loaded.configDir, rules };
}

/** Every finding in the project (what `shipsafe scan <root>` reports). */
export async function projectFindings(s: ProjectSettings): Promise<Finding[]> {
  const found = await discover(s.root, { exclude: s.config.exclude.map((pattern) => ({ pattern, base: s.configDir })), projectRoot: s.root, textFiles: true, fs: SYNC_FS });
  // the project model and the files' summaries from one parse, kept by the pool's threads for the analysis
  const pool = sharedPool();
  const { model, parsed } = await buildScanModel(found.files, s.root, { inProcess: false, pool, budgetMs: DEFAULT_FILE_BUDGET_MS, ...(found.files.length > 1 ? { summarize: s.config } : {}) });
  const out = await scanFilesWithBudget(found.files, { config: s.config, rules: s.rules, root: s.root, reportSyntaxErrors: false, budgetMs: DEFAULT_FILE_BUDGET_MS, project: model, parsed, pool });
  return linkTemplates(out.results).flatMap((r) => r.findings);
}

export const RULE_TITLES: Readonly<Record<string, string>> = Object.fromEntries(allRules.map((r) => [r.meta.id, r.meta.title]));

export interface ProjectPreamble {
  stack: DetectedStack;
  preamble: Preamble;
  findings: number;
}

export async function projectPreamble(s: ProjectSettings, options: { task?: string; scan?: boolean } = {}): Promise<ProjectPreamble> {
  const [stack, findings] = await Promise.all([
    detectProjectStack(s.root),
    options.scan === false ? Promise.resolve([] as Finding[]) : projectFindings(s),
  ]);
  const preamble = buildPreamble({ stack, findings, task: options.task, ruleTitles: RULE_TITLES });
  return { stack, preamble, findings: findings.length };
}

export class CheckInputError extends Error {}

/**
 * The path inside the project, relative with forward slashes; throws for paths outside it — by name (`../x`, an
 * absolute path elsewhere) or through a symbolic link (a link inside the project to a file outside it). A name
 * that merely starts with two dots (`..foo.js`) is inside.
 */
export function insideProject(root: string, path: string): { abs: string; rel: string } {
  const outside = () => new CheckInputError(`${path} is outside the project folder ${root}; only files inside it can be checked`);
  const abs = resolve(root, path);
  const rel = relative(root, abs);
  if (rel === '' || isOutside(rel)) throw outside();
  let real: string | undefined;
  try { real = realpathSync(abs); } catch { /* does not exist: reported by the caller */ }
  if (real !== undefined) {
    let rootReal: string;
    try { rootReal = realpathSync(root); } catch { rootReal = root; }
    const relReal = relative(rootReal, real);
    if (relReal === '' || isOutside(relReal)) throw outside();
  }
  return { abs, rel: rel.split(sep).join('/') };
}

function isOutside(rel: string): boolean {
  return rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel);
}

/** Time for checking one file or snippet from an assistant (the MCP server); the CLI's default per-file budget. */
export const CHECK_BUDGET_MS = DEFAULT_FILE_BUDGET_MS;

/** Checks one file of the project (read from disk, as the CLI reads it), in an analysis thread with a time budget. */
export async function checkFile(s: ProjectSettings, path: string): Promise<CheckResult> {
  const { abs, rel } = insideProject(s.root, path);
  let isFile = false;
  try { isFile = statSync(abs).isFile(); } catch { /* below */ }
  if (!isFile) throw new CheckInputError(`${rel} does not exist or is not a file`);
  const out = await scanFilesWithBudget([abs], { config: s.config, rules: s.rules, root: s.root, reportSyntaxErrors: false, budgetMs: CHECK_BUDGET_MS });
  const result = out.results[0];
  return checkResult(rel, result?.findings ?? [], { skipped: out.skipped[0] ?? result?.skipped });
}

/** Checks a snippet of code as if it were the file `filename` of the project (default `snippet.ts`), in an analysis thread. */
export async function checkSnippet(s: ProjectSettings, code: string, filename?: string): Promise<CheckResult> {
  const path = snippetPath(filename);
  const ruleIds = s.rules.map((r) => r.meta.id);
  const run = await sharedPool().run({ kind: 'text', path, text: code, config: s.config, ruleIds }, CHECK_BUDGET_MS);
  if (run.kind === 'done' && run.reply.ok && 'result' in run.reply) {
    return checkResult(path, run.reply.result.findings, { skipped: run.reply.result.skipped });
  }
  // over budget or failed: the secret scan alone, so a pasted key is still caught
  const why = run.kind === 'timeout' ? `the analysis took longer than the ${CHECK_BUDGET_MS} ms budget` : 'the analysis failed';
  const text = await sharedPool().run({ kind: 'text-only', path, text: code, config: s.config, ruleIds }, CHECK_BUDGET_MS);
  const findings = text.kind === 'done' && text.reply.ok && 'result' in text.reply ? text.reply.result.findings : [];
  return checkResult(path, findings, { skipped: { file: path, reason: run.kind === 'timeout' ? 'timeout' : 'parse-error', detail: `${why}; only the secret scan ran` } });
}

/** Reads a text file, or undefined when it does not exist. */
export function readIfExists(file: string): string | undefined {
  try { return readFileSync(file, 'utf8'); } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}
