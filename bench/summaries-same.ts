/**
 * Checks that a change to the summary pass (src/engine/taint/summaries.ts) changes no summary: summarises every
 * JavaScript/TypeScript file of the fixtures, the test projects and the noise corpus (bench/.work/apps) the way the
 * CLI's pre-pass does (parseForAnalysis + summarizeForAnalysis) and the way the standalone summariser does
 * (summarizeFile), writes one JSON line per file, and compares them with the lines of another checkout.
 *
 *   npx tsx bench/summaries-same.ts --out /tmp/summaries-base.jsonl                  # before the change
 *   npx tsx bench/summaries-same.ts --out /tmp/summaries-new.jsonl --against /tmp/summaries-base.jsonl
 *   … --only fixtures                                                                  # fixtures and test projects only
 *
 * The script bundles itself as the engine ships (bundleLikeEngine) and runs the bundle, unless `--bundled`. Exit code
 * 1 when a summary differs (the first differing files are printed).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';

const argValue = (name: string) => { const i = process.argv.indexOf(name); return i > 0 ? process.argv[i + 1] : undefined; };
const root = resolve(__dirname, '..');
const JS = /\.(m|c)?[jt]sx?$/;

function sources(dir: string, out: string[] = []): string[] {
  if (!existsSync(dir)) return out;
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (e.name === 'node_modules' || e.name === '.git') continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) sources(p, out);
    else if (e.isSymbolicLink()) { try { if (statSync(p).isDirectory()) sources(p, out); else if (JS.test(e.name)) out.push(p); } catch { /* dangling */ } }
    else if (e.isFile() && JS.test(e.name) && !e.name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

async function main(): Promise<void> {
  const out = argValue('--out');
  if (!out) throw new Error('--out <file.jsonl>');
  if (!process.argv.includes('--bundled')) {
    // (a path the bundler does not follow: the bundle needs no build tool)
    const { bundleLikeEngine } = await import(join(root, 'src', 'tools', 'build.ts')) as typeof import('../src/tools/build');
    const bundle = join(tmpdir(), `summaries-same-${process.pid}.js`);
    await bundleLikeEngine(join(root, 'bench', 'summaries-same.ts'), bundle);
    const r = spawnSync(process.execPath, [bundle, ...process.argv.slice(2), '--bundled', '--root', root], { stdio: 'inherit' });
    process.exit(r.status ?? 1);
  }
  const base = argValue('--root') ?? root;
  const { parseForAnalysis, summarizeForAnalysis } = await import('../src/engine/analyze');
  const { summarizeFile } = await import('../src/engine/taint/summaries');
  const { DEFAULT_CONFIG } = await import('../src/engine/config/config');
  const dirs = [join(base, 'test', 'fixtures'), join(base, 'test', 'projects')];
  if (argValue('--only') !== 'fixtures') {
    const apps = join(base, 'bench', '.work', 'apps');
    if (existsSync(apps)) for (const a of readdirSync(apps).sort()) dirs.push(join(apps, a));
  }
  const lines: string[] = [];
  let summarised = 0;
  const t0 = performance.now();
  for (const dir of dirs) {
    for (const file of sources(dir)) {
      const rel = relative(base, file);
      let text: string;
      try { text = readFileSync(file, 'utf8'); } catch { continue; }
      // as the CLI's pre-pass
      let prepass: unknown;
      try {
        const sf = parseForAnalysis(rel, text);
        prepass = sf ? summarizeForAnalysis(sf, text, DEFAULT_CONFIG)?.summary ?? null : null;
      } catch (e) { prepass = { error: String(e) }; }
      // the standalone summariser (skipped for files the analysis skips: minified, too large)
      let alone: unknown = null;
      if (prepass) { try { alone = summarizeFile(rel, text); } catch (e) { alone = { error: String(e) }; } }
      if (prepass) summarised++;
      lines.push(JSON.stringify({ file: rel, prepass, alone }));
    }
  }
  writeFileSync(out, lines.join('\n') + '\n');
  console.log(`${lines.length} files, ${summarised} summarised, ${((performance.now() - t0) / 1000).toFixed(1)} s -> ${out}`);
  const against = argValue('--against');
  if (!against) return;
  const ref = new Map(readFileSync(against, 'utf8').split('\n').filter(Boolean).map((l) => [JSON.parse(l).file as string, l]));
  const mine = new Map(lines.map((l) => [JSON.parse(l).file as string, l]));
  let diffs = 0;
  for (const [file, l] of mine) {
    if (ref.get(file) === l) continue;
    if (++diffs <= 10) console.log(`differs: ${file}\n  - ${String(ref.get(file)).slice(0, 400)}\n  + ${l.slice(0, 400)}`);
  }
  for (const file of ref.keys()) if (!mine.has(file) && ++diffs <= 10) console.log(`missing: ${file}`);
  console.log(diffs ? `${diffs} files differ` : `all ${mine.size} files the same as ${against}`);
  if (diffs) process.exitCode = 1;
}

main().catch((e) => { console.error(e); process.exit(1); });
