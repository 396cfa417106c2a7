/**
 * `shipsafe scan --staged`: what is about to be committed, not what is in the working tree. The staged version
 * of each added, copied, modified or renamed file (`git checkout-index`, the same bytes as `git show :path`) is
 * written under a temporary folder with the repository's layout and scanned there; findings keep their
 * repository-relative paths. Only staged files are read, so a commit that touches three files costs three files.
 * Honours GIT_INDEX_FILE, which git sets for `git commit -a` and `git commit <paths>` while hooks run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import { runGit } from '../engine/project/git';
import { CONFIG_FILE_NAME } from '../engine/config/config';

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
  const dir = mkdtempSync(join(tmpdir(), 'shipsafe-staged-'));
  const dispose = () => rmSync(dir, { recursive: true, force: true });
  try {
    if (paths.length || configs.length) await checkoutIndex(gitRoot, dir, [...paths, ...configs]);
  } catch (e) {
    dispose();
    throw e;
  }
  const all = [...paths, ...configs].filter((p) => p === CONFIG_FILE_NAME || p.endsWith(`/${CONFIG_FILE_NAME}`));
  return { dir, paths, files: paths.map((p) => resolve(dir, ...p.split('/'))), configs: all.map((p) => resolve(dir, ...p.split('/'))), dispose };
}

/** The repository's own folder shared by its worktrees (`git rev-parse --git-common-dir`), absolute. */
export async function gitCommonDir(gitRoot: string): Promise<string | undefined> {
  const out = (await runGit(gitRoot, ['rev-parse', '--git-common-dir']))?.trim();
  return out ? resolve(gitRoot, out) : undefined;
}

/** `git checkout-index --prefix=<dir>/ -z --stdin`: the staged bytes of each path, written under `dir`. */
function checkoutIndex(gitRoot: string, dir: string, paths: readonly string[]): Promise<void> {
  return new Promise((done, fail) => {
    const child = execFile('git', ['-c', 'core.fsmonitor=false', '-c', 'core.hooksPath=/dev/null', 'checkout-index', `--prefix=${dir}${sep}`, '-z', '--stdin'],
      { cwd: gitRoot, windowsHide: true, maxBuffer: 16 * 1024 * 1024 },
      (err, _out, stderr) => (err ? fail(new Error(`git checkout-index failed: ${String(stderr).trim() || err.message}`)) : done()));
    child.stdin?.end(paths.map((p) => `${p}\0`).join(''));
  });
}
