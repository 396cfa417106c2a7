/**
 * `npm run package`: builds the production bundles (minified, no source maps) and packs the VS Code
 * extension with @vscode/vsce into shipsafe-<version>.vsix.
 *
 * vsce is run in a staging folder that holds only what the extension ships (the same list as
 * .vscodeignore): vsce lists every file under the folder it packs before applying .vscodeignore, and this
 * repository also holds the integration-test cache and the benchmark corpus (hundreds of thousands of files),
 * which made packaging in place take minutes. The staged manifest drops what only matters for development
 * (scripts, dependencies: the bundles are self-contained; `bin` and `files`: the CLI and the npm package's
 * allowlist, not in the .vsix).
 *
 *   tsx src/tools/package-vsix.ts [--out <file.vsix>]
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { buildAll } from './build';

const root = resolve(__dirname, '..', '..');

/** What the .vsix holds, relative to the repository root. */
export function shippedFiles(): string[] {
  const md = (dir: string) => (existsSync(join(root, dir)) ? readdirSync(join(root, dir)).filter((f) => f.endsWith('.md')).sort().map((f) => `${dir}/${f}`) : []);
  return [
    'package.nls.json', 'README.md', 'CHANGELOG.md', 'LICENSE',
    'dist/extension.js', 'dist/worker.js', 'dist/web-tree-sitter.wasm', 'dist/tree-sitter-python.wasm',
    'dist/webview/checklist.js', 'dist/webview/checklist.css', 'dist/webview/codicon.css', 'dist/webview/codicon.ttf',
    'media/icon.png', ...md('media/walkthrough'), ...md('media/docs/rules'),
  ].filter((f) => existsSync(join(root, f)));
}

export interface PackageResult { path: string; bytes: number; files: number }

/** `shipsafe-<version>.vsix` at the repository root, the name `code --install-extension` is shown with in the README. */
export function defaultVsixPath(): string {
  const { name, version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string; version: string };
  return join(root, `${name}-${version}.vsix`);
}

export async function packageVsix(out = defaultVsixPath(), options: { quiet?: boolean } = {}): Promise<PackageResult> {
  await buildAll({ production: true, only: ['extension', 'worker', 'webview'], quiet: options.quiet });
  const stage = mkdtempSync(join(tmpdir(), 'shipsafe-vsix-'));
  try {
    const files = shippedFiles();
    for (const f of files) {
      mkdirSync(dirname(join(stage, f)), { recursive: true });
      copyFileSync(join(root, f), join(stage, f));
    }
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Record<string, unknown>;
    // `files` is the npm package's allowlist (the CLI); vsce would apply it too. The stage holds exactly the .vsix's files.
    for (const k of ['scripts', 'dependencies', 'devDependencies', 'bin', 'files']) delete manifest[k];
    writeFileSync(join(stage, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    const vsce = join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
    const target = resolve(out);
    mkdirSync(dirname(target), { recursive: true });
    const r = spawnSync(process.execPath, [vsce, 'package', '--no-dependencies', '--no-rewrite-relative-links',
      '--allow-missing-repository', '--skip-license', '--out', target], { cwd: stage, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`vsce package failed:\n${r.stdout}\n${r.stderr}`);
    if (!options.quiet) process.stdout.write(r.stdout);
    return { path: target, bytes: statSync(target).size, files: files.length + 1 };
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const out = args.includes('--out') ? args[args.indexOf('--out') + 1] : undefined;
  packageVsix(out ? resolve(out) : undefined).then((r) => {
    console.log(`${r.path}: ${(r.bytes / 1048576).toFixed(2)} MiB`);
  }).catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
