/**
 * Bundles Shipsafe with esbuild (`npm run build`):
 *   src/cli/main.ts            → dist/cli.js        (node, cjs, `#!/usr/bin/env node`, executable)
 *   src/extension/extension.ts → dist/extension.js  (node, cjs, `vscode` external)   — when the file exists
 *   src/worker/worker.ts       → dist/worker.js     (node, cjs)                      — when the file exists
 *   src/cli/scan-worker.ts     → dist/scan-worker.js (node, cjs; the CLI's analysis threads, built with the CLI)
 *
 *   tsx src/tools/build.ts [--minify] [--production] [--outdir <dir>]
 *
 * --production: no source maps and minified (for the .vsix and the npm package); --minify alone keeps the
 * source maps. --outdir (default dist) lets tests build into a temporary folder.
 */
import { build, type BuildOptions } from 'esbuild';
import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '..', '..');

export interface BuildFlags {
  minify?: boolean;
  production?: boolean;
  outdir?: string;
  /** only these outputs (cli, extension, worker); default: all whose entry exists */
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

export async function buildAll(flags: BuildFlags = {}): Promise<string[]> {
  const outdir = resolve(root, flags.outdir ?? 'dist');
  mkdirSync(outdir, { recursive: true });
  const targets: Target[] = [
    { name: 'cli', entry: 'src/cli/main.ts', outfile: 'cli.js', options: { banner: { js: '#!/usr/bin/env node' } }, executable: true },
    { name: 'extension', entry: 'src/extension/extension.ts', outfile: 'extension.js', options: { external: ['vscode'] } },
    { name: 'worker', entry: 'src/worker/worker.ts', outfile: 'worker.js', options: {} },
    // the CLI's analysis threads (per-file time budget); built with the CLI
    { name: 'cli', entry: 'src/cli/scan-worker.ts', outfile: 'scan-worker.js', options: {} },
  ];
  const built: string[] = [];
  for (const t of targets) {
    if (flags.only && !flags.only.includes(t.name)) continue;
    const entry = join(root, t.entry);
    if (!existsSync(entry)) {
      if (!flags.quiet) console.log(`skip ${t.name}: ${t.entry} does not exist`);
      continue;
    }
    const outfile = join(outdir, t.outfile);
    await build({
      entryPoints: [entry],
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
      // jsonc-parser's UMD build requires its parts at run time, which a bundle cannot; its ESM build bundles
      alias: { 'jsonc-parser': './node_modules/jsonc-parser/lib/esm/main.js' },
      ...t.options,
    });
    if (t.executable) chmodSync(outfile, 0o755);
    built.push(outfile);
    if (!flags.quiet) console.log(`built ${t.entry} → ${outfile}`);
  }
  return built;
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
      console.error(`build: unknown argument ${a}\nusage: tsx src/tools/build.ts [--minify] [--production] [--outdir <dir>] [--only cli,extension,worker]`);
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
