/**
 * Checks that keep src/engine free of `vscode`: the engine runs in the CLI, in a worker thread and in
 * tests, where the `vscode` module does not exist. Two independent checks:
 *  - a text scan of every engine file for imports/requires of `vscode` (catches type-only imports too);
 *  - an esbuild bundle of the engine's entry point, whose metafile lists every module the bundle would
 *    pull in (catches a dependency that imports vscode, and imports written in ways the scan misses).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Metafile } from 'esbuild';

export interface Violation { file: string; line: number; text: string }

const VSCODE_SPEC = String.raw`['"\`]vscode(?:/[^'"\`]*)?['"\`]`;
const VSCODE_IMPORT = new RegExp(
  String.raw`(?:\bfrom\s*${VSCODE_SPEC}|\bimport\s*\(?\s*${VSCODE_SPEC}|\brequire\s*\(\s*${VSCODE_SPEC}|\bimport\s+\w+\s*=\s*require\s*\(\s*${VSCODE_SPEC})`,
);

/** Every line of the given files that imports or requires `vscode`. */
export function findVscodeImports(files: readonly { path: string; text: string }[]): Violation[] {
  const out: Violation[] = [];
  for (const f of files) {
    f.text.split(/\r?\n/).forEach((text, i) => {
      if (VSCODE_IMPORT.test(text)) out.push({ file: f.path, line: i + 1, text: text.trim() });
    });
  }
  return out;
}

/** All .ts/.js sources under a folder, with paths relative to `base`. */
export function readSources(dir: string, base: string): { path: string; text: string }[] {
  const out: { path: string; text: string }[] = [];
  const walk = (d: string) => {
    for (const f of readdirSync(d).sort()) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.[cm]?[jt]sx?$/.test(f)) out.push({ path: relative(base, p).replace(/\\/g, '/'), text: readFileSync(p, 'utf8') });
    }
  };
  walk(dir);
  return out;
}

/** Inputs and imports of an esbuild metafile that are the `vscode` module (or a file inside it). */
export function vscodeInMetafile(meta: Metafile): string[] {
  const isVscode = (p: string) => p === 'vscode' || p.startsWith('vscode/') || /(^|[/\\])node_modules[/\\](@types[/\\])?vscode([/\\]|$)/.test(p);
  const out: string[] = [];
  for (const [input, info] of Object.entries(meta.inputs)) {
    if (isVscode(input)) out.push(`input ${input}`);
    for (const imp of info.imports) if (isVscode(imp.path) || (imp.original && isVscode(imp.original))) out.push(`${input} imports ${imp.original ?? imp.path}`);
  }
  return out;
}

/** Bundles an entry point (nothing written) and returns its metafile. `vscode` is kept external so a
 *  forbidden import shows up in the metafile instead of failing the build. */
export async function bundleMetafile(entry: string): Promise<Metafile> {
  const esbuild = await import('esbuild');
  const r = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    format: 'cjs',
    external: ['vscode'],
    logLevel: 'silent',
  });
  return r.metafile;
}
