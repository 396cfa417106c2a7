/**
 * Bundles Shipsafe with esbuild (`npm run build`):
 *   src/cli/main.ts            → dist/cli.js        (node, cjs, `#!/usr/bin/env node`, executable)
 *   src/extension/extension.ts → dist/extension.js  (node, cjs, `vscode` external)   — when the file exists
 *   src/worker/worker.ts       → dist/worker.js     (node, cjs)                      — when the file exists
 *   src/webview/main.ts        → dist/webview/checklist.js (browser, iife) + checklist.css + the codicon font
 *   + dist/web-tree-sitter.wasm and dist/tree-sitter-python.wasm (the Python parser, for all three)
 *   src/cli/scan-worker.ts     → dist/scan-worker.js (node, cjs; the CLI's analysis threads, built with the CLI)
 *   the TypeScript compiler    → dist/typescript.js  (shared by cli.js and scan-worker.js; see SHARED_TYPESCRIPT)
 *
 *   tsx src/tools/build.ts [--minify] [--production] [--outdir <dir>]
 *
 * --production: no source maps and minified (for the .vsix and the npm package); --minify alone keeps the
 * source maps. --outdir (default dist) lets tests build into a temporary folder.
 */
import { build, type BuildOptions, type Plugin } from 'esbuild';
import { chmodSync, copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '..', '..');

export interface BuildFlags {
  minify?: boolean;
  production?: boolean;
  outdir?: string;
  /** only these outputs (cli, extension, worker, webview); default: all whose entry exists */
  only?: string[];
  quiet?: boolean;
}

interface Target {
  name: string;
  entry: string;
  outfile: string;
  options: Partial<BuildOptions>;
  executable?: boolean;
}

/** The WebAssembly files the Python parser loads (src/engine/python/parser.ts looks for them next to the bundle). */
export const PYTHON_WASM_FILES = [
  { name: 'web-tree-sitter.wasm', from: 'web-tree-sitter/web-tree-sitter.wasm' },
  { name: 'tree-sitter-python.wasm', from: '@vscode/tree-sitter-wasm/wasm/tree-sitter-python.wasm' },
];

/**
 * The engine only takes `ts` (the TypeScript compiler API) from ts-morph. Bundled whole, ts-morph also brings its
 * in-memory project machinery and every lib.*.d.ts as strings (2.5 MB), and the compiler was copied into both
 * cli.js and scan-worker.js. For the CLI (the npm package), `ts-morph` resolves instead to dist/typescript.js: the
 * very compiler ts-morph ships (same version as the tests run), built once, required by both bundles.
 * The extension's bundles keep bundling ts-morph.
 */
export const SHARED_TYPESCRIPT = 'typescript.js';
const sharedTypescript: Plugin = {
  name: 'shared-typescript',
  setup(b) {
    b.onResolve({ filter: /^ts-morph$/ }, () => ({ path: `./${SHARED_TYPESCRIPT}`, external: true }));
  },
};

export async function buildAll(flags: BuildFlags = {}): Promise<string[]> {
  const outdir = resolve(root, flags.outdir ?? 'dist');
  mkdirSync(outdir, { recursive: true });
  const targets: Target[] = [
    { name: 'cli', entry: 'src/cli/main.ts', outfile: 'cli.js', options: { banner: { js: '#!/usr/bin/env node' }, plugins: [sharedTypescript], external: ['tsx/cjs'] /* from source only */ }, executable: true },
    { name: 'extension', entry: 'src/extension/extension.ts', outfile: 'extension.js', options: { external: ['vscode'] } },
    { name: 'worker', entry: 'src/worker/worker.ts', outfile: 'worker.js', options: {} },
    // the CLI's analysis threads (per-file time budget); built with the CLI
    { name: 'cli', entry: 'src/cli/scan-worker.ts', outfile: 'scan-worker.js', options: { plugins: [sharedTypescript] } },
    // what `ts-morph` means in the two bundles above: `{ ts }`, the compiler ts-morph itself loads
    { name: 'cli', entry: 'ts-morph:ts', outfile: SHARED_TYPESCRIPT, options: {} },
  ];
  const built: string[] = [];
  for (const t of targets) {
    if (flags.only && !flags.only.includes(t.name)) continue;
    const shim = t.entry === 'ts-morph:ts';
    const entry = join(root, t.entry);
    if (!shim && !existsSync(entry)) {
      if (!flags.quiet) console.log(`skip ${t.name}: ${t.entry} does not exist`);
      continue;
    }
    const outfile = join(outdir, t.outfile);
    await build({
      ...(shim
        ? { stdin: { contents: `module.exports = { ts: require('@ts-morph/common/dist/typescript.js') };`, resolveDir: root, loader: 'js' as const, sourcefile: 'typescript-shim.js' } }
        : { entryPoints: [entry] }),
      outfile,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      minify: !!(flags.minify || flags.production),
      sourcemap: flags.production ? false : 'linked',
      sourcesContent: false,
      legalComments: 'none',
      logLevel: 'warning',
      absWorkingDir: root,
      alias: {
        // jsonc-parser's CommonJS build loads its parts with a dynamic require esbuild cannot follow: bundle its ES build
        'jsonc-parser': './node_modules/jsonc-parser/lib/esm/main.js',
        // the CommonJS build of web-tree-sitter: its ES module build locates its .wasm through import.meta.url,
        // which a CommonJS bundle does not have
        'web-tree-sitter': './node_modules/web-tree-sitter/web-tree-sitter.cjs',
      },
      ...t.options,
    });
    if (t.executable) chmodSync(outfile, 0o755);
    built.push(outfile);
    if (!flags.quiet) console.log(`built ${t.entry} → ${outfile}`);
  }
  // the Python parser: web-tree-sitter's runtime and the Python grammar, loaded from next to the bundles
  if (built.length) {
    for (const wasm of PYTHON_WASM_FILES) {
      const to = join(outdir, wasm.name);
      copyFileSync(require.resolve(wasm.from), to);
      built.push(to);
    }
  }
  if (!flags.only || flags.only.includes('webview')) built.push(...await buildWebview(outdir, flags));
  return built;
}

/** The checklist panel's browser code, its stylesheet and the codicon font (offline: from node_modules). */
export async function buildWebview(outdir: string, flags: BuildFlags = {}): Promise<string[]> {
  const dir = join(outdir, 'webview');
  mkdirSync(dir, { recursive: true });
  const script = join(dir, 'checklist.js');
  await build({
    entryPoints: [join(root, 'src/webview/main.ts')],
    outfile: script,
    bundle: true,
    platform: 'browser',
    target: 'chrome114',
    format: 'iife',
    minify: !!(flags.minify || flags.production),
    sourcemap: flags.production ? false : 'linked',
    sourcesContent: false,
    legalComments: 'none',
    logLevel: 'warning',
    absWorkingDir: root,
  });
  const copies: [string, string][] = [
    [join(root, 'src/webview/checklist.css'), join(dir, 'checklist.css')],
    [join(root, 'node_modules/@vscode/codicons/dist/codicon.css'), join(dir, 'codicon.css')],
    [join(root, 'node_modules/@vscode/codicons/dist/codicon.ttf'), join(dir, 'codicon.ttf')],
  ];
  for (const [from, to] of copies) copyFileSync(from, to);
  if (!flags.quiet) console.log(`built src/webview/main.ts → ${script} (+ checklist.css, codicons)`);
  return [script, ...copies.map(([, to]) => to)];
}

function parseFlags(argv: readonly string[]): BuildFlags {
  const flags: BuildFlags = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--minify') flags.minify = true;
    else if (a === '--production') flags.production = true;
    else if (a === '--outdir') flags.outdir = argv[++i];
    else if (a.startsWith('--outdir=')) flags.outdir = a.slice(9);
    else if (a === '--only') flags.only = (argv[++i] ?? '').split(',');
    else if (a === '--quiet') flags.quiet = true;
    else {
      console.error(`build: unknown argument ${a}\nusage: tsx src/tools/build.ts [--minify] [--production] [--outdir <dir>] [--only cli,extension,worker,webview]`);
      process.exit(2);
    }
  }
  return flags;
}

if (require.main === module) {
  buildAll(parseFlags(process.argv.slice(2))).catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
