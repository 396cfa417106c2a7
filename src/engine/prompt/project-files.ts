/**
 * Lists a project's files for stack detection (node file system): every file path under the root, skipping
 * dependency, build and virtual-environment folders, with the text of the manifest and config files
 * `isStackFile` selects. Never reads `.env` files. Shared by the CLI, the MCP server and the extension.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { detectStack, isStackFile, type DetectedStack, type ProjectFile } from './stack';

// the CLI's default skips (project/discover.ts, not imported: it would pull the parser into the extension bundle)
const SKIP_DIRS = new Set([
  'node_modules', '.git', 'dist', 'build', 'out', 'coverage', '.next', '.nuxt', '.svelte-kit', '.vercel', '.turbo', 'vendor',
  '.venv', 'venv', 'env', '.env', '__pycache__', '.tox', '.mypy_cache', '.pytest_cache', 'site-packages',
  '.idea', '.cache', 'tmp', '.yarn', '.pnpm-store', 'bower_components', 'target',
]);

export interface CollectOptions {
  /** stop listing after this many files (default 20,000) */
  maxFiles?: number;
  /** do not go deeper than this many folders (default 8) */
  maxDepth?: number;
  /** stack files larger than this are not read (default 512 KiB) */
  maxTextBytes?: number;
}

export async function collectProjectFiles(root: string, options: CollectOptions = {}): Promise<ProjectFile[]> {
  const maxFiles = options.maxFiles ?? 20_000;
  const maxDepth = options.maxDepth ?? 8;
  const maxText = options.maxTextBytes ?? 512 * 1024;
  const out: ProjectFile[] = [];
  const walk = async (dir: string, rel: string, depth: number): Promise<void> => {
    if (out.length >= maxFiles) return;
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (out.length >= maxFiles) return;
      const path = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (SKIP_DIRS.has(e.name) || depth >= maxDepth) continue;
        await walk(join(dir, e.name), path, depth + 1);
      } else if (e.isFile()) {
        if (/^\.env(\.|$)/.test(e.name) && !/\.(example|sample|template)$/.test(e.name)) {
          out.push({ path }); // its name tells something; its content is never read
          continue;
        }
        if (isStackFile(path)) {
          let text: string | undefined;
          try {
            const abs = join(dir, e.name);
            if ((await stat(abs)).size <= maxText) text = await readFile(abs, 'utf8');
          } catch { /* unreadable: listed without text */ }
          out.push(text === undefined ? { path } : { path, text });
        } else {
          out.push({ path });
        }
      }
    }
  };
  await walk(root, '', 0);
  return out;
}

/** Detects the stack of the project at `root` from its files. */
export async function detectProjectStack(root: string, options?: CollectOptions): Promise<DetectedStack> {
  return detectStack(await collectProjectFiles(root, options));
}
