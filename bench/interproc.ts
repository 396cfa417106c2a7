/**
 * Cost of the inter-procedural taint (taint/summaries.ts). Medians measured in one run, side by side.
 *
 *   npm run bench:interproc                          # both parts
 *   npm run bench:interproc -- --quick               # fewer repetitions
 *   npm run bench:interproc -- --base <checkout>     # also time another checkout's engine (e.g. the commit before)
 *
 * 1. Per-file re-analysis in the editor on the demo apps (every JavaScript/TypeScript file of examples/): the
 *    analysis as the worker runs it now (other modules' taint passed in, the file's summary computed from the same
 *    parse) versus the analysis without either, and, with --base, the other checkout's engine. Target: the median
 *    stays within its current time (issue 13: ≤ 15 ms).
 * 2. A whole-project scan on the noise corpus (bench/.work/apps, see src/tools/noise.ts), as the CLI runs it but in
 *    one thread: analysis alone versus the CLI's way (each file parsed and summarised first, the summaries joined,
 *    then each file analysed once from that parse, with what other modules pass into it when that can change it).
 */
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { analyzeText, allRules, DEFAULT_CONFIG, languageOf } from '../src/engine';
import { analysisSkipReason, parseForAnalysis, summarizeForAnalysis } from '../src/engine/analyze';
import { discover } from '../src/engine/project/discover';
import { projectTaintOf, summarizable } from '../src/engine/project/taint-prepass';
import { ProjectTaint, relativeResolver, summarizeFile, type FileSummary } from '../src/engine/taint/summaries';
import { dependsOnOtherModules } from '../src/cli/pool-scan';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const baseDir = (() => { const i = args.indexOf('--base'); return i >= 0 ? resolve(args[i + 1]) : undefined; })();
const here = __dirname;
const rootDir = join(here, '..');

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
const fmt = (ms: number) => `${ms.toFixed(2)} ms`;

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const f of readdirSync(d)) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) { if (f !== 'node_modules' && !f.startsWith('.')) walk(p); continue; }
      const lang = languageOf(p);
      if (lang && lang !== 'python') out.push(p);
    }
  };
  walk(dir);
  return out.sort();
}

async function perFile() {
  type Analyze = typeof analyzeText;
  const base = baseDir ? (await import(join(baseDir, 'src', 'engine', 'index.ts')) as { analyzeText: Analyze; allRules: typeof allRules }) : undefined;
  const demoRoot = join(rootDir, 'examples');
  const files = sourceFiles(demoRoot);
  const rel = files.map((f) => relative(demoRoot, f));
  const texts = files.map((f) => readFileSync(f, 'utf8'));
  // the project as the editor holds it after a workspace scan
  const pt = new ProjectTaint(relativeResolver(rel));
  rel.forEach((r, i) => { try { pt.set(summarizeFile(r, texts[i])); } catch { /* skipped as the editor would */ } });
  const runs = quick ? 10 : 40;
  const now: number[] = [], plain: number[] = [], old: number[] = [];
  for (let k = 0; k < 5; k++) files.forEach((_, i) => { analyzeText({ path: rel[i], text: texts[i] }, { rules: allRules, project: pt.dataFor(rel[i]), summarize: true }); base?.analyzeText({ path: rel[i], text: texts[i] }, { rules: base.allRules }); });
  const perFileNow: number[][] = files.map(() => []), perFilePlain: number[][] = files.map(() => []), perFileOld: number[][] = files.map(() => []);
  for (let k = 0; k < runs; k++) {
    files.forEach((_, i) => {
      const input = { path: rel[i], text: texts[i] };
      let t = performance.now();
      const data = pt.dataFor(rel[i]);
      const r = analyzeText(input, { rules: allRules, project: data, summarize: true });
      if (r.summary) pt.set(r.summary);
      perFileNow[i].push(performance.now() - t);
      t = performance.now();
      analyzeText(input, { rules: allRules });
      perFilePlain[i].push(performance.now() - t);
      if (base) { t = performance.now(); base.analyzeText(input, { rules: base.allRules }); perFileOld[i].push(performance.now() - t); }
    });
  }
  files.forEach((_, i) => { now.push(median(perFileNow[i])); plain.push(median(perFilePlain[i])); if (base) old.push(median(perFileOld[i])); });
  console.log(`\n## Per-file re-analysis on the demo apps (${files.length} files, median of ${runs} runs each, then the median over files)\n`);
  console.log('| analysis | median per file | slowest file |');
  console.log('|---|---:|---:|');
  if (base) console.log(`| ${relative(rootDir, baseDir!) || baseDir} (before) | ${fmt(median(old))} | ${fmt(Math.max(...old))} |`);
  console.log(`| this engine, no project data, no summary | ${fmt(median(plain))} | ${fmt(Math.max(...plain))} |`);
  console.log(`| this engine as the editor runs it (project data in, summary out) | ${fmt(median(now))} | ${fmt(Math.max(...now))} |`);
  const ref = base ? median(old) : median(plain);
  console.log(`\nRatio editor / ${base ? 'before' : 'plain'}: ${(median(now) / ref).toFixed(2)}× — target ≤ 15 ms median: ${median(now) <= 15 ? 'MET' : 'NOT MET'}`);
}

async function prepass() {
  const apps = join(rootDir, 'bench', '.work', 'apps');
  if (!existsSync(apps)) { console.log('\n(no noise corpus in bench/.work/apps: run `npm run noise` once)'); return; }
  console.log(`\n## Whole-project cost on the noise corpus (one thread; median of ${quick ? 1 : 3} rounds per app)\n`);
  console.log('The CLI parses and summarises each file first (the project model\'s pass), joins the summaries, then analyses each file once from that parse, with what other modules pass into it for the files that receive request data from another module (or rely on one\'s return value).\n');
  console.log('| app | JS/TS files | analysis alone | summaries first, join, one analysis each | overhead | files analysed with incoming request data | parameters with incoming request data |');
  console.log('|---|---:|---:|---:|---:|---:|---:|');
  const overheads: number[] = [];
  let totalPlain = 0, totalIp = 0;
  const corpus = JSON.parse(readFileSync(join(rootDir, 'bench', 'noise', 'corpus.json'), 'utf8')) as { apps: { id: string; version: string; paths: string[] }[] };
  for (const { id, version, paths } of corpus.apps) {
    const dir = join(apps, `${id}@${version}`);
    if (!existsSync(dir)) continue;
    // the folders the noise run scans (`paths`), discovered as `shipsafe scan <paths>` does from the app folder
    const files: string[] = [];
    for (const p of paths) files.push(...(await discover(join(dir, p), { projectRoot: dir })).files);
    const inputs: { rel: string; text: string }[] = [];
    for (const f of files.filter(summarizable)) {
      const rel = relative(dir, f).split('\\').join('/');
      const text = readFileSync(f, 'utf8');
      if (analysisSkipReason(rel, text, DEFAULT_CONFIG)) continue;
      inputs.push({ rel, text });
    }
    const rounds = quick ? 1 : 3;
    const plain: number[] = [], ip: number[] = [];
    let stats = { twice: 0, params: 0 };
    for (let k = 0; k < rounds; k++) {
      let t = performance.now();
      for (const x of inputs) analyzeText({ path: x.rel, text: x.text }, { rules: allRules });
      plain.push(performance.now() - t);
      t = performance.now();
      const sums: FileSummary[] = [];
      const trees = inputs.map((x) => {
        const sf = parseForAnalysis(x.rel, x.text);
        const s = sf && summarizeForAnalysis(sf, x.text, DEFAULT_CONFIG);
        if (s) sums.push(s.summary);
        return { sf, prepared: s?.prepared };
      });
      const pt = projectTaintOf(sums, inputs.map((x) => join(dir, x.rel)), dir);
      let twice = 0, params = 0;
      inputs.forEach((x, i) => {
        const d = dependsOnOtherModules(pt, x.rel) ? pt.dataFor(x.rel) : undefined;
        if (d) { twice++; for (const byParam of Object.values(d.incoming)) params += Object.keys(byParam).length; }
        const { sf, prepared } = trees[i];
        analyzeText({ path: x.rel, text: x.text, ...(sf ? { sourceFile: sf, ...(prepared ? { prepared } : {}) } : {}) }, { rules: allRules, ...(d ? { project: d } : {}) });
      });
      ip.push(performance.now() - t);
      stats = { twice, params };
    }
    const mp = median(plain), mi = median(ip);
    totalPlain += mp; totalIp += mi;
    overheads.push(mi / mp - 1);
    console.log(`| ${id} | ${inputs.length} | ${(mp / 1000).toFixed(2)} s | ${(mi / 1000).toFixed(2)} s | ${((mi / mp - 1) * 100).toFixed(0)} % | ${stats.twice} | ${stats.params} |`);
  }
  console.log(`\nMedian overhead per app: ${(median(overheads) * 100).toFixed(0)} %; whole corpus ${(totalPlain / 1000).toFixed(1)} s → ${(totalIp / 1000).toFixed(1)} s (${((totalIp / totalPlain - 1) * 100).toFixed(0)} %)`);
}

async function main() {
  await perFile();
  if (!args.includes('--per-file')) await prepass();
}
void main();
