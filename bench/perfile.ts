/**
 * Section 1 of `npm run bench` (bench/run.ts): per file, full analysis (parse with parent pointers + facts + one walk
 * + every rule) versus TypeScript's bare parse of the same text. Target: ≤ 1.5× the bare parse. Also prints the
 * time of each stage and of each rule, so a slow rule is visible by name.
 *
 * bench/run.ts builds this file as the CLI and the editor's worker are built (src/tools/build.ts, bundleLikeEngine:
 * TypeScript's exports bound as plain properties) and runs it with node: run from source (tsx), every `ts.X` the
 * engine reads goes through one of the getters of TypeScript's CommonJS exports, a cost no shipped build pays.
 *
 *   node <built>/perfile.js <corpus node_modules> <repository root> [--quick]
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ts } from 'ts-morph';
import { analyzeText, languageOf } from '../src/engine/analyze';
import { allRules } from '../src/engine/rules';
import { parseOptions } from '../src/engine/util/ast';
import type { Language } from '../src/engine/model/types';

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

export function perFile(nm: string, repo: string, quick: boolean): number {
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
    .map((p) => join(repo, p)).filter((p) => existsSync(p));
  const files = [...candidates, ...demo];
  const runs = quick ? 8 : 40;
  console.log(`\n## Per file: analysis vs bare TypeScript parse (median of ${runs} runs each, ${allRules.length} rules)\n`);
  // the bare parse is TypeScript's default (JSDoc parsed), as issue 17 set the target; the engine parses without
  // JSDoc (parseOptions), so the ratio to a bare parse without JSDoc is printed too
  console.log('| file | lines | bare parse | bare parse, no JSDoc | analysis | ratio | ratio to the parse without JSDoc |');
  console.log('|---|---:|---:|---:|---:|---:|---:|');
  const ratios: number[] = [];
  const ratiosNoDoc: number[] = [];
  const stage = { parse: [] as number[], facts: [] as number[], walk: [] as number[] };
  const ruleTotals = new Map<string, number>();
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    const lang = languageOf(f)!;
    const lines = text.split('\n').length;
    // warm up both paths (JIT) before measuring
    for (let i = 0; i < 5; i++) {
      ts.createSourceFile(f, text, ts.ScriptTarget.Latest, false, scriptKind(lang));
      ts.createSourceFile(f, text, parseOptions(), false, scriptKind(lang));
      analyzeText({ path: f, text }, { rules: allRules });
    }
    const bare: number[] = [];
    const bareNoDoc: number[] = [];
    const full: number[] = [];
    for (let i = 0; i < runs; i++) {
      // interleave so that load on the machine hits both alike
      let t = performance.now();
      ts.createSourceFile(f, text, ts.ScriptTarget.Latest, false, scriptKind(lang));
      bare.push(performance.now() - t);
      t = performance.now();
      ts.createSourceFile(f, text, parseOptions(), false, scriptKind(lang));
      bareNoDoc.push(performance.now() - t);
      t = performance.now();
      analyzeText({ path: f, text }, { rules: allRules });
      full.push(performance.now() - t);
    }
    const mb = median(bare);
    const mn = median(bareNoDoc);
    const mf = median(full);
    ratios.push(mf / mb);
    ratiosNoDoc.push(mf / mn);
    console.log(`| ${relative(repo, f).replace(/^bench\/\.work\/corpus\/node_modules\//, '')} | ${lines} | ${fmt(mb)} | ${fmt(mn)} | ${fmt(mf)} | ${(mf / mb).toFixed(2)}× | ${(mf / mn).toFixed(2)}× |`);
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
  console.log(`\nMedian ratio analysis / bare parse: ${mr.toFixed(2)}× (target ≤ 1.5×) — ${mr <= 1.5 ? 'MET' : 'NOT MET'}; to a bare parse without JSDoc, as the engine parses: ${median(ratiosNoDoc).toFixed(2)}×`);
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  console.log(`Stages summed over the files (medians): parse with parent pointers ${fmt(sum(stage.parse))}, facts ${fmt(sum(stage.facts))}, walk + rules ${fmt(sum(stage.walk))}`);
  console.log('Slowest rules (summed medians over the files):');
  for (const [id, ms] of [...ruleTotals].sort((a, b) => b[1] - a[1]).slice(0, 8)) console.log(`  ${id.padEnd(28)} ${fmt(ms)}`);
  return mr;
}


if (require.main === module) {
  const [nm, repo] = process.argv.slice(2);
  const ratio = perFile(nm, repo, process.argv.includes('--quick'));
  // the last line, read by bench/run.ts
  console.log(`RATIO ${ratio}`);
}
