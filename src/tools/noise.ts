/**
 * Runs rules over real code and prints every finding with its line, so each can be read by a person.
 * Used to measure false alarms on well-written code (npm packages, example apps, Debian's Python web packages
 * under /usr/lib/python3/dist-packages).
 *
 *   npx tsx src/tools/noise.ts [--rule id[,id]] [--min-confidence low|medium|high] <dir-or-file>…
 *
 * Prints one block per finding and a summary by rule. Skips .d.ts, minified files, and files over 1 MiB.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeText, allRules, DEFAULT_CONFIG, languageOf, loadPythonParser, type Confidence } from '../engine';

const args = process.argv.slice(2);
let ruleIds: string[] | undefined;
let minConfidence: Confidence = 'medium';
const roots: string[] = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--rule') ruleIds = args[++i].split(',');
  else if (args[i] === '--min-confidence') minConfidence = args[++i] as Confidence;
  else roots.push(args[i]);
}
if (!roots.length) {
  console.error('usage: noise.ts [--rule id[,id]] [--min-confidence low|medium|high] <dir-or-file>…');
  process.exit(2);
}

function* files(p: string): Generator<string> {
  const st = statSync(p);
  if (st.isFile()) { yield p; return; }
  for (const f of readdirSync(p)) {
    if (f === '.git') continue;
    yield* files(join(p, f));
  }
}

const rules = ruleIds ? allRules.filter((r) => ruleIds!.includes(r.meta.id)) : allRules;
const counts = new Map<string, number>();
let nFiles = 0;
// Python files need the WebAssembly grammar, loaded once before the first one
void loadPythonParser().then(run);

function run(): void {
for (const root of roots) {
  for (const f of files(root)) {
    if (!languageOf(f) || /\.min\.js$/.test(f)) continue;
    const text = readFileSync(f, 'utf8');
    nFiles++;
    const res = analyzeText({ path: f, text }, { rules, config: { ...DEFAULT_CONFIG, minConfidence } });
    for (const e of res.ruleErrors) console.log(`RULE CRASH ${e.ruleId} in ${f}: ${e.error.split('\n')[0]}`);
    for (const x of res.findings) {
      counts.set(x.ruleId, (counts.get(x.ruleId) ?? 0) + 1);
      const line = text.split(/\r?\n/)[x.range.startPos.line - 1] ?? '';
      console.log(`${f}:${x.range.startPos.line}:${x.range.startPos.column} ${x.ruleId} [${x.confidence}]\n    ${line.trim().slice(0, 200)}\n    → ${x.message}`);
    }
  }
}
console.log(`\n${nFiles} files; findings by rule: ${[...counts].map(([k, v]) => `${k}=${v}`).join(', ') || 'none'}`);
}
