/**
 * Precision check on real applications: scans the pinned apps of bench/noise/corpus.json exactly as
 * `shipsafe scan` does (same discovery, same config, same default confidence), matches every finding with its
 * verdict in bench/noise/triage.tsv, and prints precision per rule.
 *
 *   npm run noise                      # table per rule, untriaged and stale entries
 *   npm run noise -- --check           # exit 1 on an untriaged finding or a rule with more than 5 % false
 *   npm run noise -- --append          # add untriaged findings to triage.tsv with verdict `?`, to be read and judged
 *   npm run noise -- --min-confidence low   # explore what is hidden by default (not triaged)
 *   npm run noise -- --app ghost       # one app
 *   npm run noise -- <folder>…         # explore other code (e.g. /usr/lib/python3/dist-packages/flask): findings and counts, no verdicts
 *
 * The apps are downloaded once into bench/.work/apps, ignored by git: with `npm pack` from the npm registry, or, for
 * the Python apps (`"source": "debian"`), with `apt-get download` of the pinned Debian package, unpacked by dpkg-deb.
 * triage.tsv columns: app, file (relative to the app), line, rule, verdict (true | debatable | false), reason.
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, rmSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { run } from '../cli/run';

/** `source`: the npm registry (default), or Debian's archive for Python apps (`apt-get download`, needs apt) */
interface App { id: string; package: string; version: string; paths: string[]; stack: string; source?: 'npm' | 'debian' }
interface Finding { ruleId: string; file: string; confidence: string; message: string; range: { startPos: { line: number } } }
type Verdict = 'true' | 'debatable' | 'false';
interface Entry { app: string; file: string; line: number; rule: string; verdict: Verdict | '?'; reason: string }

const root = resolve(__dirname, '..', '..');
const noiseDir = join(root, 'bench', 'noise');
const triagePath = join(noiseDir, 'triage.tsv');
const work = join(root, 'bench', '.work', 'apps');

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(name);
const option = (name: string) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
const minConfidence = option('--min-confidence') ?? 'medium';
const onlyApp = option('--app');
const exploring = minConfidence !== 'medium';

const corpus = JSON.parse(readFileSync(join(noiseDir, 'corpus.json'), 'utf8')) as { apps: App[] };
const apps = corpus.apps.filter((a) => !onlyApp || a.id === onlyApp);
if (!apps.length) { console.error(`no app named ${onlyApp} in bench/noise/corpus.json`); process.exit(2); }

/** A Debian package of the exact version, unpacked into `dir` (the archive's own layout: usr/lib/python3/…). */
function ensureDebian(app: App, dir: string): string {
  const done = join(dir, '.unpacked');
  if (existsSync(done)) return dir;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const tmp = join(work, '.debs');
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  console.error(`downloading Debian's ${app.package}=${app.version}…`);
  const download = () => execFileSync('apt-get', ['download', '-q', `${app.package}=${app.version}`], { cwd: tmp, stdio: ['ignore', 'ignore', 'pipe'] });
  try {
    download();
  } catch {
    // a fresh machine has no package lists yet
    execFileSync('apt-get', ['update', '-qq'], { stdio: ['ignore', 'ignore', 'inherit'] });
    download();
  }
  const deb = readdirSync(tmp).find((f) => f.startsWith(`${app.package}_`) && f.endsWith('.deb'));
  if (!deb) throw new Error(`apt-get download ${app.package}=${app.version} gave no .deb`);
  execFileSync('dpkg-deb', ['-x', join(tmp, deb), dir]);
  rmSync(tmp, { recursive: true, force: true });
  appendFileSync(done, `${app.package}=${app.version}\n`);
  return dir;
}

function ensure(app: App): string {
  const dir = join(work, `${app.id}@${app.version}`);
  if (app.source === 'debian') return ensureDebian(app, dir);
  if (existsSync(join(dir, 'package.json'))) return dir;
  mkdirSync(dir, { recursive: true });
  const tmp = join(work, '.tarballs');
  mkdirSync(tmp, { recursive: true });
  console.error(`downloading ${app.package}@${app.version}…`);
  const out = execFileSync('npm', ['pack', `${app.package}@${app.version}`, '--silent', '--pack-destination', tmp], { encoding: 'utf8' }).trim().split('\n').pop()!;
  execFileSync('tar', ['xzf', join(tmp, out), '-C', dir, '--strip-components=1']);
  rmSync(join(tmp, out));
  return dir;
}

function linesOf(dir: string, files: Set<string>): number {
  let n = 0;
  for (const f of files) {
    try { n += readFileSync(join(dir, f), 'utf8').split('\n').length; } catch { /* counted by the scan as skipped */ }
  }
  return n;
}

/** Every analysable source file under a folder, as the scan would list them: for the per-1,000-lines figure. */
function sourceFiles(dir: string, sub: string, skippedFiles: Set<string>): Set<string> {
  const out = new Set<string>();
  // a folder reached twice (a symbolic link to it) is counted once, as the scan reads it once
  const seen = new Set<string>();
  const walk = (d: string) => {
    const real = realpathSync(d);
    if (seen.has(real)) return;
    seen.add(real);
    for (const f of readdirSync(d)) {
      if (f === 'node_modules' || f === '.git') continue;
      const p = join(d, f);
      let st;
      try { st = statSync(p); } catch { continue; }
      if (st.isDirectory()) walk(p);
      else if (/\.([cm]?[jt]sx?|py)$/.test(f) && !/\.d\.[cm]?ts$/.test(f)) {
        const rel = relative(dir, p).split('\\').join('/');
        if (!skippedFiles.has(rel)) out.add(rel);
      }
    }
  };
  walk(join(dir, sub));
  return out;
}

async function scan(app: App, dir: string): Promise<{ findings: Finding[]; lines: number; files: number }> {
  let json = '';
  const io = {
    cwd: dir, env: { NO_COLOR: '1' },
    stdout: { write: (s: string) => { json += s; return true; } },
    stderr: { write: () => true },
  };
  const code = await run(['scan', ...app.paths, '--format', 'json', '--fail-on', 'none', '--no-progress', '--min-confidence', minConfidence], io);
  if (code !== 0) throw new Error(`scan of ${app.id} exited ${code}`);
  const report = JSON.parse(json) as { findings: Finding[]; skipped: { file: string; reason: string }[]; summary: { filesAnalyzed: number } };
  // lines of fully analysed code (minified, vendored and generated files only get the secret scan)
  const skipped = new Set(report.skipped.map((s) => s.file));
  const files = new Set<string>();
  for (const p of app.paths) for (const f of sourceFiles(dir, p, skipped)) files.add(f);
  return { findings: report.findings, lines: linesOf(dir, files), files: report.summary.filesAnalyzed };
}

function readTriage(): Entry[] {
  if (!existsSync(triagePath)) return [];
  const out: Entry[] = [];
  for (const raw of readFileSync(triagePath, 'utf8').split('\n')) {
    if (!raw.trim() || raw.startsWith('#') || raw.startsWith('app\t')) continue;
    const [app, file, line, rule, verdict, ...reason] = raw.split('\t');
    out.push({ app, file, line: Number(line), rule, verdict: verdict as Entry['verdict'], reason: reason.join(' ') });
  }
  return out;
}

const key = (app: string, file: string, line: number, rule: string) => `${app}\u0000${file}\u0000${line}\u0000${rule}`;

/** Folders named on the command line: print what a scan finds there, for a person to read (no verdicts). */
async function explore(folders: string[]) {
  const counts = new Map<string, number>();
  for (const folder of folders) {
    let json = '';
    const io = { cwd: resolve(folder), env: { NO_COLOR: '1' }, stdout: { write: (s: string) => { json += s; return true; } }, stderr: { write: () => true } };
    await run(['scan', '.', '--format', 'json', '--fail-on', 'none', '--no-progress', '--min-confidence', minConfidence], io);
    const report = JSON.parse(json) as { findings: Finding[] };
    for (const f of report.findings) {
      counts.set(f.ruleId, (counts.get(f.ruleId) ?? 0) + 1);
      const text = (readFileSync(join(folder, f.file), 'utf8').split(/\r?\n/)[f.range.startPos.line - 1] ?? '').trim().slice(0, 160);
      console.log(`${join(folder, f.file)}:${f.range.startPos.line}\t${f.ruleId} [${f.confidence}]\n    ${text}\n    → ${f.message.slice(0, 220)}`);
    }
  }
  console.log(`\nfindings by rule: ${[...counts].map(([k, v]) => `${k}=${v}`).join(', ') || 'none'}`);
}

async function main() {
  const folders = args.filter((a, i) => !a.startsWith('--') && !['--min-confidence', '--app'].includes(args[i - 1]));
  if (folders.length) return explore(folders);
  const triage = readTriage();
  const byKey = new Map(triage.map((e) => [key(e.app, e.file, e.line, e.rule), e]));
  const seen = new Set<string>();
  const perRule = new Map<string, Record<Verdict | '?', number>>();
  const untriaged: { app: string; f: Finding; text: string }[] = [];
  let totalLines = 0;
  let totalFiles = 0;
  const perApp: string[] = [];

  for (const app of apps) {
    const dir = ensure(app);
    const { findings, lines, files } = await scan(app, dir);
    totalLines += lines;
    totalFiles += files;
    const pinned = app.source === 'debian' ? `Debian ${app.package}=${app.version}` : `${app.package}@${app.version}`;
    perApp.push(`  ${app.id.padEnd(24)} ${String(files).padStart(5)} files ${String(lines).padStart(8)} lines ${String(findings.length).padStart(4)} findings  (${pinned}: ${app.stack})`);
    for (const f of findings) {
      const line = f.range.startPos.line;
      const k = key(app.id, f.file, line, f.ruleId);
      const e = exploring ? undefined : byKey.get(k);
      seen.add(k);
      const counts = perRule.get(f.ruleId) ?? { true: 0, debatable: 0, false: 0, '?': 0 };
      counts[e?.verdict ?? '?']++;
      perRule.set(f.ruleId, counts);
      if (!e || e.verdict === '?') {
        const text = (readFileSync(join(dir, f.file), 'utf8').split(/\r?\n/)[line - 1] ?? '').trim().slice(0, 160);
        untriaged.push({ app: app.id, f, text });
      }
    }
  }

  console.log(`Precision on real applications at ${minConfidence} confidence and above (bench/noise/corpus.json)\n`);
  console.log(perApp.join('\n'));
  console.log(`\n| Rule | Findings | True | Debatable | False | Untriaged | % true | % false | Meets bar (≥ 80 % true, ≤ 5 % false) |`);
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---|');
  let all = { true: 0, debatable: 0, false: 0, '?': 0 };
  let tooFalse = false;
  for (const [rule, c] of [...perRule].sort((a, b) => a[0].localeCompare(b[0]))) {
    const n = c.true + c.debatable + c.false + c['?'];
    const judged = n - c['?'];
    const pt = judged ? (100 * c.true) / judged : 0;
    const pf = judged ? (100 * c.false) / judged : 0;
    if (pf > 5) tooFalse = true;
    const meets = c['?'] ? 'not yet triaged' : pt >= 80 && pf <= 5 ? 'yes' : 'no';
    console.log(`| \`${rule}\` | ${n} | ${c.true} | ${c.debatable} | ${c.false} | ${c['?']} | ${judged ? pt.toFixed(0) : '–'} | ${judged ? pf.toFixed(0) : '–'} | ${meets} |`);
    all = { true: all.true + c.true, debatable: all.debatable + c.debatable, false: all.false + c.false, '?': all['?'] + c['?'] };
  }
  const n = all.true + all.debatable + all.false + all['?'];
  const judged = n - all['?'];
  console.log(`| **all** | ${n} | ${all.true} | ${all.debatable} | ${all.false} | ${all['?']} | ${judged ? ((100 * all.true) / judged).toFixed(0) : '–'} | ${judged ? ((100 * all.false) / judged).toFixed(0) : '–'} | |`);
  console.log(`\n${totalFiles} files, ${totalLines.toLocaleString('en')} lines of fully analysed code: ${((1000 * n) / Math.max(1, totalLines)).toFixed(2)} findings per 1,000 lines.`);

  const stale = exploring ? [] : triage.filter((e) => apps.some((a) => a.id === e.app) && !seen.has(key(e.app, e.file, e.line, e.rule)));
  if (stale.length) {
    console.log(`\n${stale.length} triage entr${stale.length === 1 ? 'y is' : 'ies are'} no longer reported (a rule changed: check the change was meant, then delete the line):`);
    for (const e of stale) console.log(`  ${e.app}\t${e.file}:${e.line}\t${e.rule}\t${e.verdict}\t${e.reason}`);
  }
  if (untriaged.length) {
    console.log(`\n${untriaged.length} finding${untriaged.length === 1 ? '' : 's'} without a verdict (read each and record it in bench/noise/triage.tsv):`);
    for (const u of untriaged) {
      console.log(`  ${u.app}\t${u.f.file}:${u.f.range.startPos.line}\t${u.f.ruleId} [${u.f.confidence}]\n      ${u.text}\n      → ${u.f.message.slice(0, 220)}`);
    }
    if (flag('--append') && !exploring) {
      for (const u of untriaged) appendFileSync(triagePath, `${u.app}\t${u.f.file}\t${u.f.range.startPos.line}\t${u.f.ruleId}\t?\t\n`);
      console.log(`\nappended ${untriaged.length} line(s) with verdict ? to bench/noise/triage.tsv`);
    }
  }
  if (flag('--check')) {
    const problems: string[] = [];
    if (untriaged.length) problems.push(`${untriaged.length} untriaged finding(s)`);
    if (tooFalse) problems.push('a rule has more than 5 % false findings');
    if (problems.length) { console.log(`\nnoise check failed: ${problems.join('; ')}`); process.exit(1); }
    console.log('\nnoise check passed: every finding has a verdict and no rule is over 5 % false.');
  }
}

main().catch((e) => { console.error(e); process.exit(2); });
