/**
 * The `shipsafe` command, as a function of its arguments and streams (main.ts wires it to the process), so
 * tests can run it in-process. Exit codes: 0 no findings at or above --fail-on, 1 findings, 2 usage,
 * configuration, baseline or output errors (and internal errors).
 */
import { mkdirSync, statSync, writeFileSync, readFileSync, type Stats } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { ConfigError, type ShipsafeConfig } from '../engine/config/config';
import type { Rule } from '../engine/model/rule';
import { SEVERITY_ORDER, type Finding, type Severity, type SkippedFile } from '../engine/model/types';
import { discover, findGitRoot, PathNotFoundError, SYNC_FS, type ExcludePattern } from '../engine/project/discover';
import { findConfigFile, loadConfig, resolveConfig } from '../engine/project/config-loader';
import { relativePath, type ScanOutput, type ScanProgress } from '../engine/project/scan';
import { leavesBase } from '../engine/util/paths';
import type { ProjectModel } from '../engine/project-model/model';
import { gitFindings } from '../engine/project/git-findings';
import { linkTemplates } from '../engine/templates/link';
import { loadPythonParser } from '../engine/python/parser';
import { AnalysisPool, DEFAULT_FILE_BUDGET_MS, sharedPool } from './pool';
import { buildScanModel, defaultThreads, scanFilesWithBudget } from './pool-scan';
import { noteCompileWork } from './compile-work';
import { Baseline, BaselineError, loadBaseline } from '../engine/report/baseline';
import { formatJson } from '../engine/report/json';
import { formatSarif } from '../engine/report/sarif';
import { formatSkipped, formatText, summaryLine } from '../engine/report/text';
import { TOOL_VERSION, type ReportInput } from '../engine/report/types';
import { allRules } from '../engine/rules';
import { parseArgs, RULES_USAGE, USAGE, UsageError, type FailOn, type ScanCommand } from './args';
import { CHECKLIST_USAGE } from './checklist';
import { MCP_USAGE } from './mcp-args';
import { PROMPT_USAGE } from './prompt';
import { HOOK_USAGE } from './hook';
import { applySafeFixes, verifiedFixesOf } from './fix';
import { cacheSalt, ContentKeys, defaultCacheDir, ModelFactsCache, ResultCache } from './result-cache';
import { metadataOf, readSnapshot, snapshotScope, writeSnapshot } from './scan-snapshot';
import { ModelCheck } from './model-reads';
import { runAssistantCommand } from './assistant-commands';
import { runChecklistCommand } from './checklist';
import { runHookCommand } from './hook';
import { gitCommonDir, MAX_CONTEXT_FILES, stagedSnapshot, type StagedSnapshot } from './staged';
import { isModelFile } from '../engine/project-model/build';

export interface OutStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface CliIO {
  cwd: string;
  env: Record<string, string | undefined>;
  stdout: OutStream;
  stderr: OutStream;
}

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

const FAIL_LEVEL: Record<Exclude<FailOn, 'none'>, number> = { error: SEVERITY_ORDER.error, warning: SEVERITY_ORDER.warning, info: SEVERITY_ORDER.info };

/** Whether a finding fails the build at this --fail-on threshold. */
export function failsAt(severity: Severity, failOn: FailOn): boolean {
  return failOn !== 'none' && SEVERITY_ORDER[severity] >= FAIL_LEVEL[failOn];
}

class OutputError extends Error {}

export async function run(argv: readonly string[], io: CliIO): Promise<number> {
  const err = (s: string) => io.stderr.write(s);
  if (argv[0] === 'checklist') return runChecklistCommand(argv.slice(1), io);
  if (argv[0] === 'hook') return runHookCommand(argv.slice(1), io);
  const assistant = await runAssistantCommand(argv, io); // `prompt` and `mcp` (assistant-commands.ts)
  if (assistant !== undefined) return assistant;
  let cmd;
  try {
    cmd = parseArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      err(`shipsafe: ${e.message}\nRun \`shipsafe --help\` for usage.\n`);
      return EXIT_USAGE;
    }
    throw e;
  }
  switch (cmd.command) {
    case 'help':
      return help(cmd.topic, io);
    case 'version':
      io.stdout.write(`${TOOL_VERSION}\n`);
      return EXIT_OK;
    case 'rules':
      io.stdout.write(cmd.format === 'json' ? `${JSON.stringify(allRules.map((r) => r.meta), null, 2)}\n` : rulesTable(allRules));
      return EXIT_OK;
    case 'scan':
      try {
        return await scan(cmd, io, argv);
      } catch (e) {
        if (e instanceof UsageError || e instanceof PathNotFoundError || e instanceof OutputError) {
          err(`shipsafe: ${e.message}\n`);
          return EXIT_USAGE;
        }
        if (e instanceof ConfigError || e instanceof BaselineError) {
          err(`shipsafe: ${e.message}\n`);
          return EXIT_USAGE;
        }
        throw e;
      }
  }
}

/**
 * The deepest folder holding every path. `stats`: the caller's own stat of each path (a path it does not
 * know is stat'ed here). A scan given its files one by one (a pre-commit hook, an editor's list) may pass thousands.
 */
function commonDir(paths: readonly string[], stats?: ReadonlyMap<string, Stats>): string {
  const dirs = paths.map((p) => {
    const known = stats?.get(p);
    if (known) return known.isDirectory() ? p : dirname(p);
    try { return statSync(p).isDirectory() ? p : dirname(p); } catch { return dirname(p); }
  });
  let common = dirs[0];
  for (const d of dirs.slice(1)) {
    // most paths are inside the folder found so far: a prefix test answers without path.relative
    if (d === common || (d.startsWith(common) && (common.endsWith(sep) || d.charCodeAt(common.length) === sep.charCodeAt(0)))) continue;
    while (leavesBase(relative(common, d))) {
      const up = dirname(common);
      if (up === common) break;
      common = up;
    }
  }
  return common;
}

function isInside(parent: string, child: string): boolean {
  const r = relative(parent, child);
  return r === '' || !leavesBase(r);
}

/**
 * isInside(parent, ·) for many paths, all absolute and resolved (as `resolve` and discovery give them), as is
 * `parent`: on POSIX, a prefix test (a scan of 1,000 files named one by one called `relative` twice per file, which
 * resolves both paths: a tenth of a scan whose results all came from the cache). On Windows, where case may differ,
 * isInside decides.
 */
function insideOf(parent: string): (child: string) => boolean {
  if (sep !== '/') return (child) => isInside(parent, child);
  const prefix = parent.endsWith('/') ? parent : `${parent}/`;
  return (child) => child === parent || child.startsWith(prefix);
}

/** `scan --staged`: the staged content of the staged files (staged.ts), else the paths as they are on disk. */
async function scan(cmd: ScanCommand, io: CliIO, argv: readonly string[]): Promise<number> {
  if (!cmd.staged) return scanPaths(cmd, io, argv);
  if (cmd.fix) throw new UsageError('--fix cannot be combined with --staged: fixes are written to the working tree, --staged scans the index');
  const cwd = resolve(io.cwd);
  const gitRoot = await findGitRoot(cwd, SYNC_FS);
  if (!gitRoot) throw new UsageError('--staged scans what git is about to commit: run it inside a git repository');
  const within: string[] = [];
  for (const p of cmd.paths) {
    const abs = resolve(cwd, p);
    if (!isInside(gitRoot, abs)) throw new UsageError(`--staged: ${p} is outside the repository ${gitRoot}`);
    within.push(abs);
  }
  const snapshot = await stagedSnapshot(gitRoot, within);
  try {
    return await scanPaths(cmd, io, argv, { snapshot, gitRoot });
  } finally {
    snapshot.dispose();
  }
}

async function scanPaths(cmd: ScanCommand, io: CliIO, argv: readonly string[], staged?: { snapshot: StagedSnapshot; gitRoot: string }): Promise<number> {
  const cwd = resolve(io.cwd);
  const started = Date.now();
  const colorOk = (stream: OutStream) => cmd.color ?? (!!stream.isTTY && !io.env.NO_COLOR && io.env.TERM !== 'dumb');

  // 1. paths
  const targets: string[] = staged ? [...staged.snapshot.files] : [];
  // each path's stat, for its discovery (which would make it again) and the scanned paths' common folder
  const stats = new Map<string, Stats>();
  for (const p of staged ? [] : cmd.paths) {
    const abs = resolve(cwd, p);
    try {
      stats.set(abs, statSync(abs));
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new UsageError(code === 'ENOENT' ? `path not found: ${p}` : `cannot read ${p} (${code})`);
    }
    targets.push(abs);
  }
  // paths in reports are relative to the current folder, or to the scanned paths' common folder when outside it
  // (--staged: the snapshot folder stands for the work tree; paths are relative to the repository's root)
  const inCwd = insideOf(cwd);
  const root = staged ? staged.snapshot.dir : targets.every(inCwd) ? cwd : commonDir(targets, stats);
  const start = staged ? staged.snapshot.dir : commonDir(targets, stats);

  // 2. configuration (--staged: the one the index holds, as the commit will record it; else the working tree's,
  // for a configuration git does not track)
  const gitRoot = staged ? staged.gitRoot : await findGitRoot(start, SYNC_FS);
  // a folder of the work tree, as seen in the scan (the snapshot's copy of it with --staged)
  const scanned = (dir: string) => (staged && isInside(staged.gitRoot, dir) ? join(staged.snapshot.dir, relative(staged.gitRoot, dir)) : dir);
  const stagedConfig = staged && !cmd.config && staged.snapshot.configs.length ? findConfigFile(scanned(cwd), staged.snapshot.dir) : undefined;
  const loaded = stagedConfig ? loadConfig(stagedConfig) : resolveConfig(staged ? cwd : start, { explicitPath: cmd.config ? resolve(cwd, cmd.config) : undefined, stopAt: gitRoot });
  const config: ShipsafeConfig = { ...loaded.config, ...(cmd.minConfidence ? { minConfidence: cmd.minConfidence } : {}) };
  const rules: Rule[] = allRules.filter((r) => (config.rules[r.meta.id] ?? (r.meta.defaultEnabled ? r.meta.severity : 'off')) !== 'off');

  // 3. baseline (read before scanning, so a bad one fails fast)
  let baseline: Baseline | undefined;
  if (cmd.baseline) baseline = loadBaseline(resolve(cwd, cmd.baseline), root);

  // the output file must be writable before minutes of scanning
  const outputPath = cmd.output ? resolve(cwd, cmd.output) : undefined;
  if (outputPath) {
    try {
      if (statSync(outputPath, { throwIfNoEntry: false })?.isDirectory()) throw new OutputError(`--output ${cmd.output} is a folder; give a file path`);
    } catch (e) {
      if (e instanceof OutputError) throw e;
    }
  }

  // 4. files
  const exclude: (string | ExcludePattern)[] = [
    ...config.exclude.map((pattern) => ({ pattern, base: scanned(loaded.configDir) })),
    ...cmd.exclude.map((pattern) => ({ pattern, base: scanned(cwd) })),
  ];
  const showProgress = cmd.progress !== false && !!io.stderr.isTTY;
  const progress = showProgress ? progressLine(io.stderr) : undefined;
  progress?.update('Finding files…');
  const fileSet = new Set<string>();
  const skipped: SkippedFile[] = [];
  for (const t of targets) {
    const found = await discover(t, { exclude, respectGitignore: cmd.gitignore, projectRoot: root, textFiles: true, git: true, listDeclarationFiles: true, fs: SYNC_FS, rootStat: stats.get(t) });
    for (const f of found.files) fileSet.add(f);
    for (const s of found.skipped) {
      const file = relativePath(root, s.file);
      if (!skipped.some((x) => x.file === file && x.reason === s.reason)) skipped.push({ ...s, file });
    }
  }
  // 4a. the result cache (--cache): its own folder is never scanned. --staged: the repository's cache (its
  // node_modules/.cache, else git's own folder), keyed on the repository's paths, not on the temporary copy
  const cacheDir = cmd.cache
    ? (cmd.cacheLocation ? resolve(cwd, cmd.cacheLocation) : staged ? defaultCacheDir(staged.gitRoot, await gitCommonDir(staged.gitRoot)) : defaultCacheDir(gitRoot ?? start))
    : undefined;
  const cacheRoot = staged ? staged.gitRoot : root;
  const inCache = cacheDir ? insideOf(cacheDir) : undefined;
  const files = [...fileSet].filter((f) => !inCache?.(f)).sort();
  const note = (line: string) => io.stderr.write(`shipsafe: note: ${line}\n`);
  // fixes are verified (applied, re-parsed, checked again) only for reports that show them: JSON, SARIF, --verbose
  const showFixes = cmd.format !== 'text' || !!cmd.verbose;
  // the content cache's salt: what, besides the files, decides every result
  const salt = cacheDir ? cacheSalt({ config, rules, root: cacheRoot, extra: { verifiedFixes: showFixes } }) : undefined;
  // the history checks (git-findings.ts) start with the analysis, after --fix wrote its fixes: their git processes run
  // while the files are analysed. Awaited below, where their findings join the report; the no-op catch only keeps a
  // failure from being reported as unhandled before then (the await below still throws it)
  let fromGit: ReturnType<typeof gitFindings> | undefined;
  const startGit = () => {
    fromGit = gitRoot && !staged && targets.some((t) => resolve(t) === gitRoot)
      ? gitFindings(gitRoot, (abs) => relativePath(root, abs), { rules, config })
      : undefined;
    fromGit?.catch(() => undefined);
  };
  // 4a. --cache on a tree where no file changed since the last scan (same size, inode and times): that scan's report,
  // without reading any file (scan-snapshot.ts). Not with --fix (it writes files) nor --staged (a fresh copy)
  const snapScope = cacheDir && !staged && !cmd.fix && cmd.cacheStrategy !== 'content' ? snapshotScope(salt!, cacheRoot, files) : undefined;
  const metaTakenAt = Date.now();
  const startMeta = snapScope ? metadataOf(snapScope.paths) : undefined;
  const unchanged = snapScope && startMeta ? readSnapshot(cacheDir!, snapScope, startMeta.sigs) : undefined;
  const analyseAll = async (): Promise<ScanOutput> => {
    // a large tree is analysed in threads: they start while --fix and the rest get ready; not with --cache, where a
    // warm scan may need no thread at all (each costs a load of the bundle): the first file not cached starts them
    const threads = cmd.threads ?? defaultThreads(files.length);
    // --threads n: a pool of that size for this scan (closed after it); else the process's shared one
    const ownPool = threads > 0 && cmd.threads !== undefined ? new AnalysisPool(threads) : undefined;
    const pool = threads === 0 ? undefined : ownPool ?? sharedPool();
    if (pool && !cacheDir) pool.prewarm();
    // fixes are checked (re-parsed, re-analysed) in this thread: Python files need the grammar here too
    if (files.some((f) => /\.pyw?$/i.test(f))) await loadPythonParser();

    // 4a. the project model (imports, exports, apps and routes across files): one pass, before the analysis; each file's
    // parse is kept for its analysis (in this thread, or by the analysis thread that parsed it); --cache keeps the facts
    progress?.update('Reading the project…');
    // each file's key in both caches is computed once
    const keys = cacheDir ? new ContentKeys() : undefined;
    const factsCache = cacheDir ? ModelFactsCache.open(cacheDir, cacheRoot, keys) : undefined;
    // --staged: the rest of the app (the other tracked source files, as the index has them) is in the model too, so a
    // staged route is judged as mounted; only the staged files are scanned
    let modelFiles = files;
    if (staged?.snapshot.context.length) {
      const found = await discover(staged.snapshot.dir, { exclude, respectGitignore: false, projectRoot: staged.snapshot.dir, textFiles: true, fs: SYNC_FS });
      modelFiles = [...new Set([...files, ...found.files.filter(isModelFile)])].sort();
    }
    if (staged?.snapshot.contextOmitted) note(`--staged: the repository tracks ${staged.snapshot.contextOmitted} other source files, over ${MAX_CONTEXT_FILES}; the staged files are judged without them (routes as mounted, imports)`);
    const scannedRel = modelFiles === files ? undefined : new Set(files.map((f) => relativePath(root, f)));
    // request data followed across modules when the app has several files (with --staged, the rest of the app too: a
    // staged DAO receives what an unstaged route passes it)
    const interprocedural = modelFiles.length > 1;
    const { model: project, parsed } = await buildScanModel(modelFiles, root, {
      inProcess: !pool, ...(pool ? { pool } : {}), cache: factsCache, budgetMs: cmd.timeBudgetMs ?? DEFAULT_FILE_BUDGET_MS,
      ...(scannedRel ? { keep: (rel: string) => scannedRel.has(rel) } : {}),
      // the files' summaries for it, from the same parse
      ...(interprocedural ? { summarize: config } : {}),
      // each file analysed right after its parse where that needs no other file's facts (analysis-ahead.ts): not with
      // --cache (its results record what they asked the model) nor --fix (the files change before their analysis)
      ...(!cacheDir && !cmd.fix ? { analyse: { rules, config, reportSyntaxErrors: true } } : {}),
    });
    // a file's result also depends on the other files' facts (imports, exports, routes): each result is stored with
    // what its analysis asked the model, and reused only while this model gives the same answers (model-reads.ts);
    // results with unverified fixes never serve a report that shows fixes: whether they are verified is in the salt
    const cache = cacheDir ? ResultCache.open(cacheDir, salt!, cacheRoot, note, new ModelCheck(project, factsCache?.identity(project.configFacts())), keys) : undefined;

    // 4b. --fix: safe fixes, written before the analysis that reports what is left
    if (cmd.fix) {
      const fixed = applySafeFixes(files, root, config, rules, { project });
      if (fixed.fixes) io.stderr.write(`Applied ${fixed.fixes} safe fix${fixed.fixes === 1 ? '' : 'es'} in ${fixed.files} file${fixed.files === 1 ? '' : 's'}.\n`);
      else io.stderr.write('No safe fixes to apply.\n');
      for (const f of fixed.failures) io.stderr.write(`shipsafe: --fix: ${f.file.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)}: ${f.reason}\n`);
    }

    // 5. analysis
    startGit();
    const out = await scanFilesWithBudget(files, {
      config, rules, root, budgetMs: cmd.timeBudgetMs ?? DEFAULT_FILE_BUDGET_MS, ...(pool ? { pool } : { inProcessUpTo: Number.MAX_SAFE_INTEGER }), project,
      // --fix may have rewritten files since the model read them: the analysis reads them again
      parsed: cmd.fix ? { ...parsed, text: undefined } : parsed,
      interprocedural,
      // the fixes a report shows are verified against the text that was analysed, file by file
      // (`model`: the project model as this file's cache entry records what is asked of it)
      // (only when the report shows them: the default text report does not; they are not offered unverified anywhere)
      ...(showFixes ? { postProcess: (part: ScanOutput, text: string, _rel: string, model: ProjectModel = project) => {
        let cacheable = true;
        const results = part.results.map((r) => {
          const v = verifiedFixesOf(r, text, config, rules, { project: model });
          cacheable &&= v.complete;
          // template candidates that a route may raise to a finding later (linkTemplates): their fixes are verified
          // here too, while the text is at hand; a fix that cannot be verified is not offered
          const cands = v.result.templateLinks?.candidates;
          if (!cands?.length) return v.result;
          const checked = verifiedFixesOf({ ...v.result, findings: cands.map((c) => c.finding) }, text, { ...config, minConfidence: 'low' }, rules, { project: model }).result.findings;
          return { ...v.result, templateLinks: { ...v.result.templateLinks, candidates: cands.map((c, i) => ({ ...c, finding: checked[i] ?? { ...c.finding, fixes: undefined } })) } };
        });
        return { part: { ...part, results }, cacheable };
      } } : {}),
      cache,
      onProgress: progress ? (p: ScanProgress) => progress.update(`Scanning ${p.done}/${p.total} ${p.file}`, p.done === 0) : undefined,
    });
    ownPool?.close();
    progress?.done();
    cache?.save(note);
    // how many files this run analysed, for the code cache the launcher writes at exit (compile-cache.ts: a cache written
    // by a much smaller scan is written again)
    noteCompileWork(cache ? cache.misses : files.length);
    factsCache?.save();
    if (cache && cmd.verbose) {
      io.stderr.write(`shipsafe: cache: ${cache.hits} of ${cache.hits + cache.misses} file${cache.hits + cache.misses === 1 ? '' : 's'} from the cache` +
        `${cache.stale ? ` (${cache.stale} unchanged but analysed again: what other files tell about ${cache.stale === 1 ? 'it' : 'them'} changed)` : ''}` +
        ` (${relativeForDisplay(cwd, cacheDir!)})\n`);
    }
    // nothing this scan reported depends on the machine: its report is the one to give while no file changes
    if (snapScope && startMeta && cache && cache.unstored === 0) writeSnapshot(cacheDir!, snapScope, startMeta, metaTakenAt, out);
    return out;
  };
  let out: ScanOutput;
  if (unchanged) {
    startGit();
    progress?.done();
    out = unchanged;
    noteCompileWork(0);
    if (cmd.verbose) io.stderr.write(`shipsafe: cache: ${files.length} of ${files.length} file${files.length === 1 ? '' : 's'} from the cache: none changed since the last scan (size, inode and times) (${relativeForDisplay(cwd, cacheDir!)})\n`);
  } else {
    out = await analyseAll();
  }
  skipped.push(...out.skipped);

  // raw template outputs whose variable a route fills from request data (the views and routes are separate files)
  const all: Finding[] = linkTemplates(out.results).flatMap((r) => r.findings);
  // 5b. the repository's history (committed .env and key files, keys removed from files but still in commits),
  // when the whole work tree is scanned; the command line runs in a folder the user trusts
  if (fromGit) all.push(...await fromGit);
  all.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.range.start - b.range.start || a.ruleId.localeCompare(b.ruleId)));
  const { fresh, known } = baseline ? baseline.split(all) : { fresh: all, known: [] as Finding[] };

  const report: ReportInput = {
    root, findings: fresh, skipped, ruleErrors: out.ruleErrors, rules, filesAnalyzed: out.filesAnalyzed,
    ...(baseline ? { baseline: { file: cmd.baseline!, matched: known.length } } : {}),
  };

  // 6. report; text shows paths relative to the current folder (clickable from where the command ran)
  const pathsFrom = staged ? staged.gitRoot : root;
  const displayPath = (file: string) => displayRelative(cwd, resolve(pathsFrom, file));
  const toStdout = !outputPath;
  let text: string;
  if (cmd.format === 'json') text = formatJson(report);
  else if (cmd.format === 'sarif') {
    text = formatSarif(report, {
      readText: (file) => { try { return readFileSync(resolve(root, file), 'utf8').replace(/^\uFEFF/, ''); } catch { return undefined; } },
      commandLine: ['shipsafe', ...argv].map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : JSON.stringify(a))).join(' '),
      markNew: !!baseline,
    });
  } else {
    text = formatText(report, { color: toStdout && colorOk(io.stdout), minConfidence: config.minConfidence, failOn: cmd.failOn, verbose: cmd.verbose, displayPath, elapsedMs: Date.now() - started });
  }

  if (cmd.format === 'text' && skipped.length) io.stderr.write(formatSkipped(skipped, { color: colorOk(io.stderr), displayPath }));
  for (const e of dedupeRuleErrors(out.ruleErrors)) io.stderr.write(`shipsafe: warning: the rule ${e.ruleId} crashed on ${e.files} file${e.files === 1 ? '' : 's'} (first: ${e.file}): ${e.error.split('\n')[0]}\n`);

  if (outputPath) {
    try {
      mkdirSync(dirname(outputPath), { recursive: true });
      writeFileSync(outputPath, text);
    } catch (e) {
      throw new OutputError(`cannot write --output ${cmd.output} (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
    }
  } else {
    io.stdout.write(text);
  }

  const failing = fresh.filter((f) => failsAt(f.severity, cmd.failOn)).length;
  if (!toStdout || cmd.format !== 'text') {
    const where = outputPath ? ` Report written to ${relativeForDisplay(cwd, outputPath)}.` : '';
    io.stderr.write(`${summaryLine(report, { color: colorOk(io.stderr), minConfidence: config.minConfidence, failOn: cmd.failOn })}${where} (${((Date.now() - started) / 1000).toFixed(1)}s)\n`);
  }
  return failing ? EXIT_FINDINGS : EXIT_OK;
}

/** `p` relative to `cwd` (with `../` when outside it), forward slashes; absolute only on another drive. */
function displayRelative(cwd: string, p: string): string {
  const r = relative(cwd, p);
  return r === '' ? '.' : isAbsolute(r) ? p : r.split(sep).join('/');
}

const HELP_TOPICS: Record<string, string> = {
  scan: USAGE, rules: RULES_USAGE, hook: HOOK_USAGE, prompt: PROMPT_USAGE, mcp: MCP_USAGE, checklist: CHECKLIST_USAGE, help: USAGE,
};

/** `shipsafe help [command]`. */
function help(topic: string | undefined, io: CliIO): number {
  if (!topic) { io.stdout.write(USAGE); return EXIT_OK; }
  const text = HELP_TOPICS[topic];
  if (text) { io.stdout.write(text); return EXIT_OK; }
  const names = Object.keys(HELP_TOPICS);
  const hint = names.find((n) => n.startsWith(topic.slice(0, 3)));
  io.stderr.write(`shipsafe: no help for "${topic}"${hint ? ` (did you mean "${hint}"?)` : ''}; commands: ${names.filter((n) => n !== 'help').join(', ')}\n`);
  return EXIT_USAGE;
}

/** `shipsafe rules`: one row per rule, by category. */
export function rulesTable(rules: readonly Rule[]): string {
  const sorted = [...rules].sort((a, b) => a.meta.category.localeCompare(b.meta.category) || a.meta.id.localeCompare(b.meta.id));
  const rows = sorted.map((r) => [
    r.meta.category, r.meta.id, r.meta.severity, r.meta.confidence,
    r.meta.fixSafety === 'safe' ? 'safe fix' : r.meta.fixSafety === 'suggestion' ? 'suggestion' : '—',
    `${r.meta.title}${r.meta.defaultEnabled ? '' : ' (off by default)'}`,
  ]);
  const head = ['CATEGORY', 'RULE', 'SEVERITY', 'CONFIDENCE', 'FIX', 'FINDS'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i]))).join('  ');
  return `${[line(head), ...rows.map(line)].join('\n')}\n\n${rules.length} rules; \`shipsafe rules --format json\` for the details, media/docs/rules/<id>.md for each rule's page.\n`;
}

function relativeForDisplay(cwd: string, p: string): string {
  const r = relative(cwd, p);
  return r && !leavesBase(r) ? r.split(sep).join('/') : p;
}

function dedupeRuleErrors(errors: readonly { file: string; ruleId: string; error: string }[]) {
  const by = new Map<string, { ruleId: string; file: string; error: string; files: number }>();
  for (const e of errors) {
    const cur = by.get(e.ruleId);
    if (cur) cur.files++;
    else by.set(e.ruleId, { ...e, files: 1 });
  }
  return [...by.values()];
}

/** A single status line on a terminal, redrawn at most ten times a second. */
function progressLine(stream: OutStream) {
  let last = 0;
  let shown = false;
  return {
    update(text: string, force = false) {
      const now = Date.now();
      if (shown && !force && now - last < 100) return;
      last = now;
      shown = true;
      const width = Math.max(20, (stream.columns ?? 80) - 1);
      const line = text.length > width ? `${text.slice(0, width - 1)}…` : text;
      stream.write(`\r\u001b[2K${line}`);
    },
    done() {
      if (shown) stream.write('\r\u001b[2K');
    },
  };
}
