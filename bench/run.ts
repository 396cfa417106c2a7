/**
 * Shipsafe benchmark. Prints medians and ratios measured in one run (machines here are shared and noisy,
 * so absolute numbers drift; ratios measured side by side are what the targets are about).
 *
 *   npm run bench                # both benchmarks
 *   npm run bench -- --quick     # fewer repetitions (CI smoke)
 *
 * 1. Per file: full analysis (parse with parent pointers + facts + one walk + every rule) versus
 *    TypeScript's bare parse of the same text. Target: ≤ 1.5× the bare parse. Also prints the time of
 *    each stage and of each rule, so a slow rule is visible by name.
 * 2. Whole tree: Shipsafe versus ESLint 9 with eslint-plugin-security + @microsoft/eslint-plugin-sdl
 *    on the same real JavaScript files (sources of well-known npm packages). Target: ≥ 3× faster.
 *
 * The corpus is installed on first use into bench/.work/corpus (ignored by git) from bench/corpus-package.json.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ts } from 'ts-morph';
import { analyzeText, allRules, classifyText, DEFAULT_CONFIG, languageOf, type Language } from '../src/engine';

const quick = process.argv.includes('--quick');
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

function scriptKind(lang: Language): ts.ScriptKind {
  return lang === 'typescript' ? ts.ScriptKind.TS : lang === 'typescriptreact' ? ts.ScriptKind.TSX :
    lang === 'javascriptreact' ? ts.ScriptKind.JSX : ts.ScriptKind.JS;
}

const fmt = (ms: number) => `${ms.toFixed(2)} ms`;

// ------------------------------------------------------------------------------------------------
function perFile() {
  const candidates = [
    'express/lib/response.js',
    'express/lib/router/index.js',
    'mongoose/lib/model.js',
    'mongoose/lib/query.js',
    'knex/lib/query/querybuilder.js',
    'sequelize/lib/model.js',
    'fastify/lib/reply.js',
    'axios/lib/core/Axios.js',
    'nodemailer/lib/smtp-connection/index.js',
    'next-auth/core/lib/oauth/callback.js',
  ].map((p) => join(nm, p)).filter((p) => existsSync(p));
  const demo = ['examples/vibe-express/routes/auth.js', 'examples/vibe-next/app/api/notes/route.ts']
    .map((p) => join(here, '..', p)).filter((p) => existsSync(p));
  const files = [...candidates, ...demo];
  const runs = quick ? 8 : 40;
  console.log(`\n## Per file: analysis vs bare TypeScript parse (median of ${runs} runs each, ${allRules.length} rules)\n`);
  console.log('| file | lines | bare parse | analysis | ratio |');
  console.log('|---|---:|---:|---:|---:|');
  const ratios: number[] = [];
  const stage = { parse: [] as number[], facts: [] as number[], walk: [] as number[] };
  const ruleTotals = new Map<string, number>();
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    const lang = languageOf(f)!;
    const lines = text.split('\n').length;
    // warm up both paths (JIT) before measuring
    for (let i = 0; i < 5; i++) {
      ts.createSourceFile(f, text, ts.ScriptTarget.Latest, false, scriptKind(lang));
      analyzeText({ path: f, text }, { rules: allRules });
    }
    const bare: number[] = [];
    const full: number[] = [];
    for (let i = 0; i < runs; i++) {
      // interleave so that load on the machine hits both alike
      let t = performance.now();
      ts.createSourceFile(f, text, ts.ScriptTarget.Latest, false, scriptKind(lang));
      bare.push(performance.now() - t);
      t = performance.now();
      analyzeText({ path: f, text }, { rules: allRules });
      full.push(performance.now() - t);
    }
    const mb = median(bare);
    const mf = median(full);
    ratios.push(mf / mb);
    console.log(`| ${relative(join(here, '..'), f).replace(/^bench\/\.work\/corpus\/node_modules\//, '')} | ${lines} | ${fmt(mb)} | ${fmt(mf)} | ${(mf / mb).toFixed(2)}× |`);
    // stage and per-rule breakdown (separate runs: the instrumentation itself costs time)
    const timed = Array.from({ length: Math.max(5, runs >> 2) }, () => analyzeText({ path: f, text }, { rules: allRules, timings: true }).timings!);
    stage.parse.push(median(timed.map((x) => x.parseMs)));
    stage.facts.push(median(timed.map((x) => x.factsMs)));
    stage.walk.push(median(timed.map((x) => x.walkMs)));
    for (const id of Object.keys(timed[0].rulesMs)) {
      ruleTotals.set(id, (ruleTotals.get(id) ?? 0) + median(timed.map((x) => x.rulesMs[id] ?? 0)));
    }
  }
  const mr = median(ratios);
  console.log(`\nMedian ratio analysis / bare parse: ${mr.toFixed(2)}× (target ≤ 1.5×) — ${mr <= 1.5 ? 'MET' : 'NOT MET'}`);
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  console.log(`Stages summed over the files (medians): parse with parent pointers ${fmt(sum(stage.parse))}, facts ${fmt(sum(stage.facts))}, walk + rules ${fmt(sum(stage.walk))}`);
  console.log('Slowest rules (summed medians over the files):');
  for (const [id, ms] of [...ruleTotals].sort((a, b) => b[1] - a[1]).slice(0, 8)) console.log(`  ${id.padEnd(28)} ${fmt(ms)}`);
  return mr;
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

async function main() {
  ensureCorpus();
  const r1 = perFile();
  const r2 = await wholeTree();
  console.log(`\nSUMMARY per-file ratio ${r1.toFixed(2)}× (≤ 1.5× wanted), whole-tree speed-up ${r2.toFixed(2)}× vs ESLint (≥ 3× wanted)`);
}

main().catch((e) => { console.error(e); process.exit(1); });
