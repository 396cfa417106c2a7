/**
 * The cost of the project model on real apps (the noise corpus, bench/.work/apps; run `npm run noise` once to
 * download it): per app, the pre-pass a CLI scan adds (buildProjectModel: read + parse + facts of every file) next
 * to the analysis of the same files in one thread (read + analyzeText with every rule, with the model), and the
 * per-file re-analysis cost the model adds in the editor (analyzeText with vs without the model, median per file).
 *
 *   npm run bench:model            # every app of the corpus
 *   npm run bench:model -- ghost   # apps whose folder name starts with this
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeText, allRules, languageOf } from '../src/engine';
import { discover } from '../src/engine/project/discover';
import { relativePath } from '../src/engine/project/scan';
import { buildProjectModel } from '../src/engine/project-model';

const appsDir = join(__dirname, '.work', 'apps');
const only = process.argv[2];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : 0;
}

async function main(): Promise<void> {
  if (!existsSync(appsDir)) throw new Error(`${appsDir} is missing: run npm run noise once to download the corpus`);
  console.log('| App | JS/TS files | Model pre-pass ms | Analysis ms (1 thread) | Pre-pass / analysis | Route table ms | Routes | Apps | Median per-file ms without / with model |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---|');
  let totalModel = 0, totalAnalysis = 0;
  // warm up the parser and the rules, so the first app does not pay for it
  buildProjectModel([__filename], __dirname);
  analyzeText({ path: 'warm.js', text: readFileSync(__filename, 'utf8') }, { rules: allRules });
  const without: number[] = [], withModel: number[] = [];
  for (const name of readdirSync(appsDir).sort()) {
    if (only && !name.startsWith(only)) continue;
    const root = join(appsDir, name);
    const { files } = await discover(root, { respectGitignore: true, projectRoot: root, textFiles: true });
    const code = files.filter((f) => { const l = languageOf(f); return l && l !== 'python'; });
    // read every file once first, so that neither measurement pays for a cold disk cache
    for (const f of files) { try { readFileSync(f); } catch { /* unreadable: both skip it */ } }
    const { model, stats } = buildProjectModel(files, root);
    const td = performance.now();
    model.routes();
    const deriveMs = performance.now() - td;
    const t0 = performance.now();
    const appWithout: number[] = [], appWith: number[] = [];
    for (const f of code) {
      const text = readFileSync(f, 'utf8');
      const path = relativePath(root, f);
      let t = performance.now();
      analyzeText({ path, text }, { rules: allRules });
      appWithout.push(performance.now() - t);
      t = performance.now();
      analyzeText({ path, text, project: model }, { rules: allRules });
      appWith.push(performance.now() - t);
    }
    const analysis = appWith.reduce((a, b) => a + b, 0);
    void t0;
    totalModel += stats.ms;
    totalAnalysis += analysis;
    without.push(...appWithout); withModel.push(...appWith);
    console.log(`| ${name} | ${code.length} | ${stats.ms.toFixed(0)} | ${analysis.toFixed(0)} | ${(stats.ms / analysis * 100).toFixed(1)} % | ${deriveMs.toFixed(1)} | ${model.routes().length} | ${model.apps().length} | ${median(appWithout).toFixed(2)} / ${median(appWith).toFixed(2)} |`);
  }
  console.log(`\nAll: pre-pass ${totalModel.toFixed(0)} ms, analysis ${totalAnalysis.toFixed(0)} ms (${(totalModel / totalAnalysis * 100).toFixed(1)} %); median per file ${median(without).toFixed(2)} ms without the model, ${median(withModel).toFixed(2)} ms with it.`);
}

void main();
