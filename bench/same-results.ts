/**
 * Checks that a speed change changes no result: runs a built CLI over real apps (bench/.work/apps, `npm run noise`
 * downloads them) with `scan . --format json`, writes each report to a folder, and compares them byte for byte with
 * the reports of another build written the same way. Every finding is compared (`--min-confidence low`).
 *
 *   npx tsx bench/same-results.ts --cli /tmp/base/cli.js --out /tmp/reports-base
 *   npx tsx bench/same-results.ts --out /tmp/reports-new --against /tmp/reports-base   # builds this checkout
 *   … --apps mongo-express,thelounge                      # which apps (default: six, in-thread and threaded)
 *   … --cache                                             # also a cold and a warm --cache scan, each equal to the plain one
 *
 * Without --cli the CLI is built from this checkout (production build) into a temporary folder. Exit code 1 when a
 * report differs (the first differing line is printed).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildAll } from '../src/tools/build';

const argValue = (name: string) => { const i = process.argv.indexOf(name); return i > 0 ? process.argv[i + 1] : undefined; };
const DEFAULT_APPS = ['mongo-express', 'thelounge', 'create-t3-app', 'etherpad', 'nodebb', 'directus-api'];

/** what is scanned in an app: its folder, or the build output when that is all the package ships */
const TARGET: Record<string, string> = { 'directus-api': 'dist', 'strapi-admin': 'dist' };

function scan(cli: string, dir: string, extra: string[]): string {
  const target = TARGET[Object.keys(TARGET).find((k) => dir.includes(`/${k}@`)) ?? ''] ?? '.';
  // every finding (low confidence too): more output to compare
  const r = spawnSync(process.execPath, [cli, 'scan', target, '--format', 'json', '--min-confidence', 'low', '--fail-on', 'none', '--no-progress', ...extra], {
    cwd: dir, encoding: 'utf8', maxBuffer: 512 * 1024 * 1024, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
  });
  if (r.status !== 0) throw new Error(`${dir}: exited ${r.status}: ${r.stderr.slice(0, 1000)}`);
  return r.stdout;
}

function firstDifference(a: string, b: string): string {
  const la = a.split('\n'), lb = b.split('\n');
  for (let i = 0; i < Math.max(la.length, lb.length); i++) {
    if (la[i] !== lb[i]) return `line ${i + 1}:\n  - ${String(la[i]).slice(0, 300)}\n  + ${String(lb[i]).slice(0, 300)}`;
  }
  return 'same';
}

async function main() {
  const root = join(__dirname, '.work', 'apps');
  const out = resolve(argValue('--out') ?? mkdtempSync(join(tmpdir(), 'shipsafe-reports-')));
  const against = argValue('--against') ? resolve(argValue('--against')!) : undefined;
  let cli = argValue('--cli') ? resolve(argValue('--cli')!) : undefined;
  if (!cli) {
    const dir = mkdtempSync(join(tmpdir(), 'shipsafe-cli-'));
    [cli] = await buildAll({ outdir: dir, only: ['cli'], production: true, quiet: true });
  }
  mkdirSync(out, { recursive: true });
  const names = argValue('--apps')?.split(',') ?? DEFAULT_APPS;
  let failed = 0;
  for (const name of names) {
    const app = readdirSync(root).find((d) => d === name || d.startsWith(`${name}@`));
    if (!app) { console.log(`${name}: not in bench/.work/apps (run npm run noise)`); failed++; continue; }
    const t = performance.now();
    const report = scan(cli, join(root, app), []);
    const ms = performance.now() - t;
    writeFileSync(join(out, `${app}.json`), report);
    const findings = (JSON.parse(report) as { findings: unknown[] }).findings.length;
    let verdict = '';
    if (process.argv.includes('--cache')) {
      const cacheDir = mkdtempSync(join(tmpdir(), 'shipsafe-cache-'));
      const cold = scan(cli, join(root, app), ['--cache-location', cacheDir]);
      const warm = scan(cli, join(root, app), ['--cache-location', cacheDir]);
      rmSync(cacheDir, { recursive: true, force: true });
      if (cold !== report || warm !== report) { failed++; verdict += ` CACHE DIFFERS (${cold !== report ? 'cold' : 'warm'}: ${firstDifference(report, cold !== report ? cold : warm)})`; }
      else verdict += ' cache cold = warm = plain';
    }
    if (against) {
      const ref = join(against, `${app}.json`);
      if (!existsSync(ref)) verdict += ' (no reference report)';
      else {
        const before = readFileSync(ref, 'utf8');
        if (before === report) verdict += ' identical to the reference';
        else { failed++; verdict += ` DIFFERS from the reference: ${firstDifference(before, report)}`; }
      }
    }
    console.log(`${app}: ${findings} findings, ${report.length} bytes, ${(ms / 1000).toFixed(1)} s;${verdict}`);
  }
  console.log(failed ? `${failed} app(s) differ` : `all ${names.length} reports as expected (reports in ${out})`);
  process.exit(failed ? 1 : 0);
}

main().catch((e) => { console.error(e); process.exit(2); });
