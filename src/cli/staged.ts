/**
 * `shipsafe scan --staged`: what is about to be committed, not what is in the working tree. The staged version
 * of each added, copied, modified or renamed file (`git checkout-index`, the same bytes as `git show :path`) is
 * written under a temporary folder with the repository's layout and scanned there; findings keep their
 * repository-relative paths. Only staged files are scanned, so a commit that touches three files costs three files'
 * analysis. Honours GIT_INDEX_FILE, which git sets for `git commit -a` and `git commit <paths>` while hooks run.
 *
 * The rest of the app is still there for the project model: a route is judged as mounted, with the middleware that
 * `app.js` puts in front of it, even when only the route's file is staged. The other tracked JavaScript/TypeScript
 * files and package/tsconfig files (`context`) are placed beside the staged ones, as the index has them: hard-linked
 * from the work tree when it has the same content (no unstaged change), else written from the index.
 */
import { copyFileSync, linkSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import { runGit } from '../engine/project/git';
import { CONFIG_FILE_NAME } from '../engine/config/config';
import { DEFAULT_SKIP_DIRS } from '../engine/project/discover';
import { isModelFile } from '../engine/project-model/build';

/** Past this many other tracked source files, the project model is built from the staged files alone. */
export const MAX_CONTEXT_FILES = 20_000;

export interface StagedSnapshot {
  /** the temporary folder that mirrors the work tree (staged files only) */
  dir: string;
  /** the staged files, as absolute paths under `dir` */
  files: string[];
  /** repository-relative paths, forward slashes */
  paths: string[];
  /**
   * `.shipsafe.json` files as they are in the index (staged or not), also written under `dir` but not scanned:
   * the commit is checked with the configuration it records, not with an unstaged edit of it
   */
  configs: string[];
  /**
   * the other tracked source and package/tsconfig files, as absolute paths under `dir`, for the project model only
   * (not scanned); empty when there are more than MAX_CONTEXT_FILES (`contextOmitted` says how many)
   */
  context: string[];
  contextOmitted?: number;
  dispose(): void;
}

const GITLINK = '160000';

/**
 * The staged files under `within` (absolute paths inside the work tree; default all), written to a temporary
 * folder. Deleted files are not included: there is nothing left to scan in them.
 */
export async function stagedSnapshot(gitRoot: string, within: readonly string[] = []): Promise<StagedSnapshot> {
  const pathspec = within.map((p) => relative(gitRoot, p).split(sep).join('/') || '.');
  // against HEAD; before the first commit (no HEAD yet) git lists every staged file
  const raw = await runGit(gitRoot, ['diff', '--cached', '--raw', '-z', '--no-renames', '--diff-filter=ACMR', '--', ...(pathspec.length ? pathspec : ['.'])]);
  if (raw === undefined) throw new Error('git could not list the staged files');
  // records: ":<old mode> <new mode> <old sha> <new sha> <status>\0<path>\0"
  const parts = raw.split('\0');
  const paths: string[] = [];
  for (let i = 0; i + 1 < parts.length; i += 2) {
    const meta = parts[i].split(' ');
    if (meta[1] === GITLINK) continue; // a submodule: its files are another repository's
    paths.push(parts[i + 1]);
  }
  // the configuration files the index holds, wherever they are (an untracked one is not part of the commit)
  const listed = await runGit(gitRoot, ['ls-files', '-z', '--cached', '--', `:(glob)**/${CONFIG_FILE_NAME}`]);
  const configs = (listed ?? '').split('\0').filter((p) => p && !paths.includes(p));
  // the rest of the app, for the project model: the other tracked source files (not in a folder scans skip)
  const taken = new Set([...paths, ...configs]);
  const tracked = paths.length ? await runGit(gitRoot, ['ls-files', '-z', '--cached', '-s']) : '';
  if (tracked === undefined) throw new Error('git could not list the tracked files');
  let context: string[] = [];
  for (const rec of tracked.split('\0')) {
    // "<mode> <object> <stage>\t<path>"
    const tab = rec.indexOf('\t');
    // regular files only (not submodules, not symbolic links)
    if (tab < 0 || !rec.startsWith('100')) continue;
    const path = rec.slice(tab + 1);
    if (taken.has(path) || !isModelFile(path) || path.split('/').some((part) => DEFAULT_SKIP_DIRS.includes(part))) continue;
    taken.add(path);
    context.push(path);
  }
  let contextOmitted: number | undefined;
  if (context.length > MAX_CONTEXT_FILES) { contextOmitted = context.length; context = []; }
  const dir = mkdtempSync(join(tmpdir(), 'shipsafe-staged-'));
  const dispose = () => rmSync(dir, { recursive: true, force: true });
  try {
    // context files with an unstaged change: the index's content; the others: the work tree's file, which is the same
    const unstaged = new Set(context.length ? (await runGit(gitRoot, ['diff-files', '-z', '--name-only']) ?? '').split('\0') : []);
    const fromIndex = [...paths, ...configs, ...context.filter((p) => unstaged.has(p))];
    if (fromIndex.length) await checkoutIndex(gitRoot, dir, fromIndex);
    for (const p of context) if (!unstaged.has(p)) placeFromWorkTree(gitRoot, dir, p);
  } catch (e) {
    dispose();
    throw e;
  }
  const all = [...paths, ...configs].filter((p) => p === CONFIG_FILE_NAME || p.endsWith(`/${CONFIG_FILE_NAME}`));
  const under = (p: string) => resolve(dir, ...p.split('/'));
  return {
    dir, paths, files: paths.map(under), configs: all.map(under), context: context.map(under),
    ...(contextOmitted !== undefined ? { contextOmitted } : {}), dispose,
  };
}

/** A work-tree file under `dir`: a hard link (no copy), else a copy; a file that is gone is left out. */
function placeFromWorkTree(gitRoot: string, dir: string, path: string): void {
  const from = resolve(gitRoot, ...path.split('/'));
  const to = resolve(dir, ...path.split('/'));
  mkdirSync(resolve(to, '..'), { recursive: true });
  try {
    linkSync(from, to);
  } catch {
    try { copyFileSync(from, to); } catch { /* deleted since: the model goes without it */ }
  }
}

/** The repository's own folder shared by its worktrees (`git rev-parse --git-common-dir`), absolute. */
export async function gitCommonDir(gitRoot: string): Promise<string | undefined> {
  const out = (await runGit(gitRoot, ['rev-parse', '--git-common-dir']))?.trim();
  return out ? resolve(gitRoot, out) : undefined;
}

/** `git checkout-index --prefix=<dir>/ -z --stdin`: the staged bytes of each path, written under `dir`. */
function checkoutIndex(gitRoot: string, dir: string, paths: readonly string[]): Promise<void> {
  return new Promise((done, fail) => {
    // node:child_process is loaded on first use, not at every start of the CLI
    const child = (require('node:child_process') as typeof import('node:child_process')).execFile('git', ['-c', 'core.fsmonitor=false', '-c', 'core.hooksPath=/dev/null', 'checkout-index', `--prefix=${dir}${sep}`, '-z', '--stdin'],
      { cwd: gitRoot, windowsHide: true, maxBuffer: 16 * 1024 * 1024 },
      (err, _out, stderr) => (err ? fail(new Error(`git checkout-index failed: ${String(stderr).trim() || err.message}`)) : done()));
    child.stdin?.end(paths.map((p) => `${p}\0`).join(''));
  });
}
