/**
 * What the pre-deploy checklist costs on top of the scan it is built on, measured side by side in one run
 * (medians of 7, in-process, on the demo apps):
 *   scan       projectFindings (what `shipsafe scan` does)
 *   facts      gitFacts + collectProject (project files, .gitignore, Dockerfile, public folders, git)
 *   checklist  projectChecklist (scan + facts + evaluation)
 *
 *   npx tsx bench/checklist.ts [folder…]      (default: examples/vibe-express examples/vibe-next)
 */
import { join } from 'node:path';
import { projectChecklist } from '../src/cli/checklist';
import { projectFindings, projectSettings } from '../src/cli/secure-prompt';
import { collectProject } from '../src/engine/checklist';
import { gitFacts } from '../src/probe/git';

const RUNS = 7;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

async function time(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

async function main(): Promise<void> {
  const root = join(__dirname, '..');
  const folders = process.argv.slice(2).length ? process.argv.slice(2) : ['examples/vibe-express', 'examples/vibe-next'];
  for (const f of folders) {
    const dir = join(root, f);
    const settings = await projectSettings(dir);
    await projectChecklist(dir, { git: true }); // warm-up: parser, rule modules
    const scan: number[] = []; const facts: number[] = []; const checklist: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      scan.push(await time(() => projectFindings(settings)));
      facts.push(await time(async () => collectProject(dir, { git: await gitFacts(dir) })));
      checklist.push(await time(() => projectChecklist(dir, { git: true })));
    }
    const s = median(scan); const fa = median(facts); const c = median(checklist);
    console.log(`${f}: scan ${s.toFixed(0)} ms, facts ${fa.toFixed(0)} ms, checklist ${c.toFixed(0)} ms (${(c / s).toFixed(2)}× the scan)`);
  }
}

void main();
