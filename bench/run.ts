/**
 * Shipsafe benchmark. Prints medians and ratios measured in one run (machines here are shared and noisy,
 * so absolute numbers drift; ratios measured side by side are what the targets are about).
 *
 *   npm run bench                          # every benchmark
 *   npm run bench -- --quick               # fewer repetitions (CI smoke)
 *   npm run bench -- --only startup,apps   # some of them: startup, perfile, tree, apps
 *   npm run bench -- --apps nodebb,ghost   # which real apps (bench/.work/apps) section 4 uses
 *   npm run bench -- --rounds 9            # rounds per app in section 4 (default 3): on a loaded machine, three
 *                                          # rounds cannot tell two builds or a ratio near its target apart
 *   npm run bench -- --baseline /tmp/main-dist/cli.js   # sections 3 and 4 also run another build (e.g. main's,
 *                                          # built with `tsx src/tools/build.ts --production --outdir …`), interleaved
 *
 * 1. Per file: full analysis (parse with parent pointers + facts + one walk + every rule) versus
 *    TypeScript's bare parse of the same text. Target: ≤ 1.5× the bare parse. Also prints the time of
 *    each stage and of each rule, so a slow rule is visible by name. bench/perfile.ts, built as the shipped engine
 *    is (TypeScript's exports as plain properties) and run in a process of its own.
 * 2. Whole tree: Shipsafe versus ESLint 9 with eslint-plugin-security + @microsoft/eslint-plugin-sdl
 *    on the same real JavaScript files (sources of well-known npm packages). Target: ≥ 3× faster.
 *
 * 3. Start-up of the built CLI (production build, as shipped): `--version`, a scan of an empty folder and of one small
 *    file, against `node -e 0` (Node's own start-up). Target: ≤ 100 ms for a small scan.
 * 4. The built CLI on real application trees of ≥ 300 files (the noise corpus in bench/.work/apps; copy it from a
 *    checkout that has it), against ESLint + the two plugins on the same files, each in a process of its own:
 *    time without and with a warm --cache (no file changed since the cache's last scan: the default strategy gives
 *    that scan's report after a stat of each file; and with --cache-strategy content, which reads and hashes every
 *    file, as after a fresh checkout), and peak memory (RSS, all threads). Targets: ≥ 5× faster cold, ≥ 20×
 *    warm, lower peak memory (issue 17); ≥ 3× faster cold on an app of 1,000 files or more (issue 13): by default
 *    NodeBB (565 files), Directus's built API (816), Ghost (2,032, of which 313 are built or minified assets that
 *    get only the secret scan) and Strapi's admin (1,036), the two apps of the corpus with over 1,000 JS files.
 *
 * The corpus is installed on first use into bench/.work/corpus (ignored by git) from bench/corpus-package.json.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { buildAll, bundleLikeEngine } from '../src/tools/build';
import { analyzeText, allRules, classifyText, DEFAULT_CONFIG } from '../src/engine';

const quick = process.argv.includes('--quick');
const argValue = (name: string) => { const i = process.argv.indexOf(name); return i > 0 ? process.argv[i + 1] : undefined; };
const only = argValue('--only')?.split(',');
/** rounds per app in section 4 */
const appRounds = argValue('--rounds') !== undefined ? Number(argValue('--rounds')) : quick ? 1 : 3;
if (!Number.isInteger(appRounds) || appRounds < 1) throw new Error(`--rounds: a whole number of 1 or more, not ${argValue('--rounds')}`);
/** another build of the CLI measured in the same rounds (before/after a change) */
const baselineCli = argValue('--baseline') ? resolve(argValue('--baseline')!) : undefined;
const wanted = (section: string) => !only || only.includes(section);
const here = __dirname;
const corpus = join(here, '.work', 'corpus');
const nm = join(corpus, 'node_modules');

function ensureCorpus() {
  if (existsSync(join(nm, 'express', 'package.json'))) return;
  mkdirSync(corpus, { recursive: true });
  copyFileSync(join(here, 'corpus-package.json'), join(corpus, 'package.json'));
  console.log('installing the benchmark corpus (npm packages, once)…');
  execFileSync('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: corpus, stdio: 'inherit' });
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}


// ------------------------------------------------------------------------------------------------
/** Section 1 (bench/perfile.ts), built as the shipped engine is and run in a process of its own. */
async function perFile(): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'shipsafe-perfile-'));
  try {
    const out = join(dir, 'perfile.js');
    await bundleLikeEngine(join(here, 'perfile.ts'), out);
    const r = spawnSync(process.execPath, [out, nm, join(here, '..'), ...(quick ? ['--quick'] : [])], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'inherit'] });
    const lines = (r.stdout ?? '').trimEnd().split('\n');
    const last = /^RATIO (\S+)$/.exec(lines[lines.length - 1] ?? '');
    console.log(lines.slice(0, last ? -1 : undefined).join('\n'));
    if (r.status !== 0 || !last) throw new Error(`the per-file benchmark failed (exit ${r.status})`);
    return Number(last[1]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ------------------------------------------------------------------------------------------------
const TREE = ['express', 'koa', '@koa/router', 'fastify/lib', 'jsonwebtoken', 'passport', 'passport-local', 'express-session',
  'cors', 'helmet', 'multer', 'mongoose/lib', 'knex/lib', 'sequelize/lib', 'axios/lib', 'nodemailer/lib', 'body-parser',
  'cookie-parser', 'socket.io/dist', 'next-auth/core', 'next-auth/react', 'ws/lib', 'pg/lib', 'mysql2/lib', 'stripe/cjs'];

function treeFiles(): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const f of readdirSync(d)) {
      const p = join(d, f);
      const st = statSync(p);
      if (st.isDirectory()) { if (f !== 'node_modules' && f !== 'test' && f !== 'tests') walk(p); continue; }
      if (!/\.(c|m)?js$/.test(f) || /\.min\.js$/.test(f) || st.size > 1_000_000) continue;
      out.push(p);
    }
  };
  for (const t of TREE) if (existsSync(join(nm, t))) walk(join(nm, t));
  return out.sort();
}

async function wholeTree() {
  const files = treeFiles();
  const totalLines = files.reduce((n, f) => n + readFileSync(f, 'utf8').split('\n').length, 0);
  console.log(`\n## Whole tree: ${files.length} JavaScript files, ${totalLines} lines from ${TREE.length} npm packages\n`);

  const runShipsafe = () => {
    const t = performance.now();
    let findings = 0;
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      if (classifyText(text, DEFAULT_CONFIG.maxFileSizeKb * 1024) === 'binary') continue;
      findings += analyzeText({ path: f, text }, { rules: allRules }).findings.length;
    }
    return { ms: performance.now() - t, findings };
  };

  const { ESLint } = await import('eslint');
  const security = (await import('eslint-plugin-security')).default as { configs: { recommended: unknown } };
  const sdl = (await import('@microsoft/eslint-plugin-sdl')).default as { configs: Record<string, unknown[]> };
  // parse each file the way it is written: CommonJS by default, ES modules where the file uses import/export
  const esm = files.filter((f) => f.endsWith('.mjs') || /^\s*(import\s|export\s)/m.test(readFileSync(f, 'utf8'))).map((f) => relative(corpus, f));
  const globalsConfig = [
    { languageOptions: { ecmaVersion: 'latest', sourceType: 'commonjs' }, linterOptions: { reportUnusedDisableDirectives: 'off' } },
    { files: esm, languageOptions: { sourceType: 'module' } },
  ];
  const runEslint = async () => {
    const eslint = new ESLint({
      cwd: corpus,
      overrideConfigFile: true,
      // the corpus lives in node_modules, which ESLint skips by default
      ignorePatterns: ['!**/node_modules/'],
      overrideConfig: [...globalsConfig, ...sdl.configs.required, security.configs.recommended] as never,
    });
    const t = performance.now();
    const results = await eslint.lintFiles(files);
    const fatal = results.filter((r) => r.messages.some((m) => m.fatal));
    if (fatal.length) console.log(`  (ESLint could not lint ${fatal.length} files: ${fatal[0].messages[0]?.message})`);
    const findings = results.reduce((n, r) => n + r.messages.length, 0);
    return { ms: performance.now() - t, findings };
  };

  const rounds = quick ? 1 : 3;
  const ours: number[] = [];
  const theirs: number[] = [];
  let last = { ours: 0, theirs: 0 };
  for (let i = 0; i < rounds; i++) {
    const a = runShipsafe();
    const b = await runEslint();
    ours.push(a.ms);
    theirs.push(b.ms);
    last = { ours: a.findings, theirs: b.findings };
  }
  const mo = median(ours);
  const me = median(theirs);
  console.log('| tool | median time | findings |');
  console.log('|---|---:|---:|');
  console.log(`| Shipsafe (${allRules.length} rules, one thread) | ${(mo / 1000).toFixed(2)} s | ${last.ours} |`);
  console.log(`| ESLint 9 + eslint-plugin-security + @microsoft/eslint-plugin-sdl | ${(me / 1000).toFixed(2)} s | ${last.theirs} |`);
  console.log(`\nShipsafe is ${(me / mo).toFixed(2)}× faster than ESLint on this tree (target ≥ 3×) — ${me / mo >= 3 ? 'MET' : 'NOT MET'} (${rounds} round${rounds > 1 ? 's' : ''}, medians)`);
  const mem = process.memoryUsage();
  console.log(`Memory after both: rss ${(mem.rss / 1048576).toFixed(0)} MiB, heap used ${(mem.heapUsed / 1048576).toFixed(0)} MiB`);
  return me / mo;
}

// ------------------------------------------------------------------------------------------------
const work = join(here, '.work');

/** The CLI as shipped (production build) in bench/.work/cli-<pid>; its code cache in bench/.work/compile-cache-<pid>. */
async function builtCli(): Promise<string> {
  // a folder of this run's own: bench/.work may be shared by several checkouts benchmarking at once
  const out = join(work, `cli-${process.pid}`);
  const [cli] = await buildAll({ outdir: out, only: ['cli'], production: true, quiet: true });
  return cli;
}

interface Usage { ms: number; cpuMs: number; maxRssMb: number; stdout: string; code: number | null }

/** Runs `node <args>` in a process of its own, with bench/peak-rss.cjs reporting its CPU time and peak memory. */
function measure(args: string[], cwd: string, env: Record<string, string> = {}): Usage {
  const usageFile = join(work, `usage-${process.pid}.json`);
  rmSync(usageFile, { force: true });
  const t = performance.now();
  const r = spawnSync(process.execPath, ['--require', join(here, 'peak-rss.cjs'), ...args], {
    cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', SHIPSAFE_COMPILE_CACHE: join(work, `compile-cache-${process.pid}`), BENCH_USAGE_FILE: usageFile, ...env },
  });
  const ms = performance.now() - t;
  if (r.status !== 0 && r.status !== 1) throw new Error(`node ${args.slice(0, 3).join(' ')}… exited ${r.status}: ${r.stderr.slice(0, 500)}`);
  const u = JSON.parse(readFileSync(usageFile, 'utf8')) as { maxRssKb: number; cpuMs: number };
  return { ms, cpuMs: u.cpuMs, maxRssMb: u.maxRssKb / 1024, stdout: r.stdout, code: r.status };
}

function machine(): string {
  const c = cpus();
  return `${c[0]?.model ?? 'unknown CPU'}, ${availableParallelism()} cores available, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}, ${process.platform}/${process.arch}, load average ${loadavg().map((x) => x.toFixed(1)).join(' ')} (1, 5, 15 min) at the start`;
}

async function startup(cli: string) {
  const empty = mkdtempSync(join(tmpdir(), 'shipsafe-bench-empty-'));
  const one = mkdtempSync(join(tmpdir(), 'shipsafe-bench-one-'));
  writeFileSync(join(one, 'server.js'), "const express = require('express');\nconst app = express();\napp.get('/hi', (req, res) => res.json({ hi: req.query.name }));\napp.listen(3000);\n");
  const cases: { name: string; args: string[]; cwd: string }[] = [
    { name: '`node -e 0` (Node alone)', args: ['-e', '0'], cwd: empty },
    { name: '`shipsafe --version`', args: [cli, '--version'], cwd: empty },
    { name: '`shipsafe scan` (empty folder)', args: [cli, 'scan', '.'], cwd: empty },
    { name: '`shipsafe scan` (one small file)', args: [cli, 'scan', '.'], cwd: one },
    ...(baselineCli ? [
      { name: 'baseline `shipsafe --version`', args: [baselineCli, '--version'], cwd: empty },
      { name: 'baseline `shipsafe scan` (empty folder)', args: [baselineCli, 'scan', '.'], cwd: empty },
      { name: 'baseline `shipsafe scan` (one small file)', args: [baselineCli, 'scan', '.'], cwd: one },
    ] : []),
  ];
  const runs = quick ? 5 : 15;
  // the first run writes the code cache
  for (const c of cases) measure(c.args, c.cwd);
  const times = cases.map(() => ({ ms: [] as number[], cpu: [] as number[], rss: [] as number[] }));
  for (let i = 0; i < runs; i++) {
    cases.forEach((c, k) => { const u = measure(c.args, c.cwd); times[k].ms.push(u.ms); times[k].cpu.push(u.cpuMs); times[k].rss.push(u.maxRssMb); });
  }
  rmSync(empty, { recursive: true, force: true });
  rmSync(one, { recursive: true, force: true });
  console.log(`\n## Start-up of the built CLI (production build, code cache warm; median of ${runs} runs, interleaved)\n`);
  console.log('| command | wall | CPU (user+sys) | peak RSS | wall minus Node alone |');
  console.log('|---|---:|---:|---:|---:|');
  const base = median(times[0].ms);
  cases.forEach((c, k) => {
    const m = median(times[k].ms);
    console.log(`| ${c.name} | ${m.toFixed(0)} ms | ${median(times[k].cpu).toFixed(0)} ms | ${median(times[k].rss).toFixed(0)} MB | ${k ? `${(m - base).toFixed(0)} ms` : '—'} |`);
  });
  const small = median(times[3].ms);
  console.log(`\nSmall scan (one file): ${small.toFixed(0)} ms wall (target ≤ 100 ms) — ${small <= 100 ? 'MET' : 'NOT MET'}`);
  return small;
}

const DEFAULT_APPS = ['nodebb', 'directus-api', 'ghost', 'strapi-admin'];

function appFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) { if (e.name !== 'node_modules' && e.name !== '.git') walk(p); continue; }
      if (!e.isFile() || !/\.(c|m)?jsx?$/.test(e.name) || /\.min\.js$/.test(e.name) || statSync(p).size > 1_000_000) continue;
      out.push(p);
    }
  };
  walk(dir);
  return out.sort();
}

async function apps(cli: string) {
  const root = join(work, 'apps');
  if (!existsSync(root)) {
    console.log('\n## Real application trees: skipped (bench/.work/apps is missing: copy it from a checkout that has it)');
    return undefined;
  }
  const names = (argValue('--apps')?.split(',') ?? DEFAULT_APPS)
    .map((n) => readdirSync(root).find((d) => d === n || d.startsWith(`${n}@`)))
    .filter((d): d is string => !!d);
  const rounds = appRounds;
  console.log(`\n## Real application trees: the built CLI vs ESLint + eslint-plugin-security + @microsoft/eslint-plugin-sdl (median of ${rounds} rounds, interleaved)\n`);
  console.log(`Machine: ${machine()}. Each tool runs in a process of its own on the same JavaScript files.${baselineCli ? ` Baseline: ${baselineCli}.` : ''}\n`);
  console.log('| app | files | lines | Shipsafe cold | Shipsafe warm --cache | ESLint | cold speed-up | warm speed-up | peak RSS Shipsafe / ESLint | findings Shipsafe / ESLint |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  const ratios = { cold: [] as number[], warm: [] as number[], warmContent: [] as number[], rss: [] as number[] };
  for (const name of names) {
    const dir = join(root, name);
    const files = appFiles(dir);
    const lines = files.reduce((n, f) => n + readFileSync(f, 'utf8').split('\n').length, 0);
    const list = join(work, `files-${name}.txt`);
    writeFileSync(list, files.join('\n'));
    const rel = files.map((f) => relative(dir, f));
    const cacheDir = join(work, `result-cache-${name}-${process.pid}`);
    rmSync(cacheDir, { recursive: true, force: true });
    const scan = (extra: string[], with_ = cli) => measure([with_, 'scan', '--format', 'json', '--fail-on', 'none', '--no-progress', ...extra, '--', ...rel], dir);
    scan(['--cache-location', cacheDir]); // fills the result cache (and the code cache)
    const baseCache = `${cacheDir}-baseline`;
    rmSync(baseCache, { recursive: true, force: true });
    if (baselineCli) scan(['--cache-location', baseCache], baselineCli);
    const t = { cold: [] as Usage[], warm: [] as Usage[], warmContent: [] as Usage[], eslint: [] as Usage[], baseCold: [] as Usage[], baseWarm: [] as Usage[], threads: [] as Usage[], parse: [] as Usage[] };
    for (let i = 0; i < rounds; i++) {
      t.cold.push(scan([]));
      // the other way to run it: analysis threads, one per core (the default only on machines of more than two cores)
      t.threads.push(scan(['--threads', String(Math.min(8, availableParallelism()))]));
      if (baselineCli) t.baseCold.push(scan([], baselineCli));
      t.eslint.push(measure([join(here, 'eslint-child.cjs'), dir, list], dir));
      // TypeScript's parse alone, with the CLI's own copy: the floor of a cold scan
      t.parse.push(measure([join(here, 'parse-child.cjs'), join(dirname(cli), 'typescript.js'), list], dir));
      t.warm.push(scan(['--cache-location', cacheDir]));
      // every file read and hashed (as after a fresh checkout, or when one file changed): the content cache alone
      t.warmContent.push(scan(['--cache-location', cacheDir, '--cache-strategy', 'content']));
      if (baselineCli) t.baseWarm.push(scan(['--cache-location', baseCache], baselineCli));
    }
    const cold = t.cold[0].stdout;
    if (t.warm.some((w) => w.stdout !== cold)) throw new Error(`${name}: the report with a warm cache differs from the one without`);
    if (t.warmContent.some((w) => w.stdout !== cold)) throw new Error(`${name}: the report with a warm content cache differs from the one without`);
    if (t.threads.some((w) => w.stdout !== cold)) throw new Error(`${name}: the report with analysis threads differs from the one without`);
    const med = (us: Usage[], k: 'ms' | 'cpuMs' | 'maxRssMb') => median(us.map((u) => u[k]));
    const c = med(t.cold, 'ms'), w = med(t.warm, 'ms'), e = med(t.eslint, 'ms');
    const rs = med(t.cold, 'maxRssMb'), re = med(t.eslint, 'maxRssMb');
    ratios.cold.push(e / c); ratios.warm.push(e / w); ratios.rss.push(rs / re);
    const ours = (JSON.parse(cold) as { findings: unknown[] }).findings.length;
    const theirs = (JSON.parse(t.eslint[0].stdout) as { findings: number; fatal: number });
    console.log(`| ${name} | ${files.length} | ${lines} | ${(c / 1000).toFixed(2)} s | ${(w / 1000).toFixed(2)} s | ${(e / 1000).toFixed(2)} s | ${(e / c).toFixed(1)}× | ${(e / w).toFixed(1)}× | ${rs.toFixed(0)} / ${re.toFixed(0)} MB | ${ours} / ${theirs.findings}${theirs.fatal ? ` (${theirs.fatal} files ESLint could not parse)` : ''} |`);
    const cc = med(t.cold, 'cpuMs'), cw = med(t.warm, 'cpuMs'), ce = med(t.eslint, 'cpuMs');
    console.log(`| ${name}, CPU time | | | ${(cc / 1000).toFixed(2)} s | ${(cw / 1000).toFixed(2)} s | ${(ce / 1000).toFixed(2)} s | ${(ce / cc).toFixed(1)}× | ${(ce / cw).toFixed(1)}× | | |`);
    const wc = med(t.warmContent, 'ms'), wcc = med(t.warmContent, 'cpuMs');
    console.log(`| ${name}, warm with --cache-strategy content (every file read and hashed; wall; CPU) | | | | ${(wc / 1000).toFixed(2)} s; ${(wcc / 1000).toFixed(2)} s | ${(e / 1000).toFixed(2)} s | | ${(e / wc).toFixed(1)}× | | |`);
    ratios.warmContent.push(e / wc);
    const pm = med(t.parse, 'ms');
    console.log(`| ${name}, TypeScript's parse alone (fresh process, no analysis) | | | ${(pm / 1000).toFixed(2)} s | | ${(e / 1000).toFixed(2)} s | ${(e / pm).toFixed(1)}× (the most a scan that parses with TypeScript can reach) | | | |`);
    const tc = med(t.threads, 'ms'), tcc = med(t.threads, 'cpuMs'), trs = med(t.threads, 'maxRssMb');
    console.log(`| ${name}, cold with --threads ${Math.min(8, availableParallelism())} (wall; CPU) | | | ${(tc / 1000).toFixed(2)} s; ${(tcc / 1000).toFixed(2)} s | | ${(e / 1000).toFixed(2)} s | ${(e / tc).toFixed(1)}× | | ${trs.toFixed(0)} / ${re.toFixed(0)} MB | |`);
    if (baselineCli) {
      if (t.baseCold[0].stdout !== cold) console.log(`| ${name}: the baseline's report differs from this build's | | | | | | | | | |`);
      const bc = med(t.baseCold, 'ms'), bw = med(t.baseWarm, 'ms'), brs = med(t.baseCold, 'maxRssMb');
      console.log(`| ${name}, baseline | | | ${(bc / 1000).toFixed(2)} s | ${(bw / 1000).toFixed(2)} s | ${(e / 1000).toFixed(2)} s | ${(e / bc).toFixed(1)}× | ${(e / bw).toFixed(1)}× | ${brs.toFixed(0)} / ${re.toFixed(0)} MB | |`);
      const bcc = med(t.baseCold, 'cpuMs'), bcw = med(t.baseWarm, 'cpuMs');
      console.log(`| ${name}, baseline CPU time | | | ${(bcc / 1000).toFixed(2)} s | ${(bcw / 1000).toFixed(2)} s | ${(ce / 1000).toFixed(2)} s | ${(ce / bcc).toFixed(1)}× | ${(ce / bcw).toFixed(1)}× | | |`);
    }
  }
  const mc = median(ratios.cold), mw = median(ratios.warm), mwc = median(ratios.warmContent), mr = median(ratios.rss);
  console.log(`\nCold: ${mc.toFixed(1)}× faster than ESLint (target ≥ 5×) — ${mc >= 5 ? 'MET' : 'NOT MET'}; warm cache: ${mw.toFixed(1)}× (target ≥ 20×) — ${mw >= 20 ? 'MET' : 'NOT MET'} (every file read and hashed, --cache-strategy content: ${mwc.toFixed(1)}×); peak memory ${(mr * 100).toFixed(0)}% of ESLint's (target < 100%) — ${mr < 1 ? 'MET' : 'NOT MET'}`);
  return { cold: mc, warm: mw, rss: mr };
}

async function main() {
  const summary: string[] = [];
  const cli = wanted('startup') || wanted('apps') ? await builtCli() : '';
  if (wanted('startup')) summary.push(`small-scan start-up ${(await startup(cli)).toFixed(0)} ms (≤ 100 ms wanted)`);
  if (wanted('perfile') || wanted('tree')) ensureCorpus();
  if (wanted('perfile')) summary.push(`per-file ratio ${(await perFile()).toFixed(2)}× (≤ 1.5× wanted)`);
  if (wanted('tree')) summary.push(`in-process whole-tree speed-up ${(await wholeTree()).toFixed(2)}× vs ESLint (≥ 3× wanted)`);
  if (wanted('apps')) {
    const a = await apps(cli);
    if (a) summary.push(`real apps vs ESLint: cold ${a.cold.toFixed(1)}× (≥ 5×), warm cache ${a.warm.toFixed(1)}× (≥ 20×), peak RSS ${(a.rss * 100).toFixed(0)}% of ESLint's (< 100%)`);
  }
  console.log(`\nSUMMARY ${summary.join('; ')}`);
  // this run's own folders (the built CLI, its code cache, the result caches)
  for (const d of readdirSync(work)) if (d.endsWith(`-${process.pid}`) || d.endsWith(`-${process.pid}-baseline`)) rmSync(join(work, d), { recursive: true, force: true });
}

main().catch((e) => { console.error(e); process.exit(1); });
