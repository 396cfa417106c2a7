/**
 * The few questions Shipsafe asks git: which files it tracks, which ones it tracks although .gitignore ignores
 * them, and what was ever added in the history. Runs the `git` program, so callers only use it for trusted
 * folders (the CLI; VS Code when the workspace is trusted). Options that could make git run a program from the
 * repository's own config (fsmonitor, external diff, textconv) are turned off on every call.
 * Never throws: no git, not a repository, or a failing command gives an empty answer.
 */
import { existsSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

const SAFE = ['-c', 'core.fsmonitor=false', '-c', 'core.quotepath=off', '-c', 'diff.external=', '-c', 'core.hooksPath=/dev/null'];

/** Runs git in `cwd`; resolves to stdout, or undefined when git fails or is missing. */
export function runGit(cwd: string, args: string[], maxBuffer = 64 * 1024 * 1024): Promise<string | undefined> {
  return new Promise((resolve) => {
    try {
      // node:child_process (with net and dgram) is loaded on first use: a scan outside git never needs it
      (require('node:child_process') as typeof import('node:child_process')).execFile('git', [...SAFE, ...args], { cwd, maxBuffer, encoding: 'utf8', windowsHide: true, env: { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0' } },
        (err, stdout) => resolve(err ? undefined : stdout));
    } catch {
      resolve(undefined);
    }
  });
}

function relPath(gitRoot: string, abs: string): string {
  return relative(gitRoot, abs).split(sep).join('/');
}

/** Files under `under` that git tracks although .gitignore ignores them; absolute paths of files that exist. */
export async function trackedIgnoredFiles(gitRoot: string, under: string): Promise<string[]> {
  const rel = relPath(gitRoot, under);
  const out = await runGit(gitRoot, ['ls-files', '-z', '-c', '-i', '--exclude-standard', '--', rel || '.']);
  if (!out) return [];
  return out.split('\0').filter(Boolean).map((f) => join(gitRoot, f)).filter((f) => existsSync(f));
}

/** Every tracked path (relative to the work tree root, forward slashes). */
export async function trackedFiles(gitRoot: string): Promise<string[]> {
  const out = await runGit(gitRoot, ['ls-files', '-z']);
  return out ? out.split('\0').filter(Boolean) : [];
}

export interface AddedPath {
  path: string;
  /** the most recent commit that added or changed the path */
  commit: string;
}

/** Paths that any commit on any branch added or changed, with the newest such commit (bounded by `maxCommits`). */
export async function historyPaths(gitRoot: string, maxCommits = 5000): Promise<AddedPath[]> {
  const out = await runGit(gitRoot, ['log', '--all', `-n${maxCommits}`, '--no-renames', '--diff-filter=AM', '--name-only', '--format=%x01%H', '-z']);
  if (!out) return [];
  const seen = new Map<string, string>();
  for (const block of out.split('\u0001')) {
    if (!block) continue;
    const parts = block.split(/\0|\n/).map((s) => s.trim()).filter(Boolean);
    const commit = parts.shift();
    if (!commit || !/^[0-9a-f]{7,64}$/.test(commit)) continue;
    for (const p of parts) if (!seen.has(p)) seen.set(p, commit);
  }
  return [...seen].map(([path, commit]) => ({ path, commit }));
}

export interface AddedLine {
  path: string;
  commit: string;
  text: string;
}

/**
 * Lines added by commits on any branch, newest first, as `git log -p` shows them (no external diff, no textconv,
 * binary files skipped). Bounded by `maxCommits` and the output size.
 */
export async function addedLines(gitRoot: string, maxCommits = 2000): Promise<AddedLine[]> {
  const out = await runGit(gitRoot, ['log', '--all', `-n${maxCommits}`, '-p', '-U0', '--no-color', '--no-ext-diff', '--no-textconv', '--no-renames', '--format=%x01%H'], 128 * 1024 * 1024);
  if (!out) return [];
  const lines: AddedLine[] = [];
  let commit = '';
  let path = '';
  for (const line of out.split('\n')) {
    if (line.startsWith('\u0001')) { commit = line.slice(1).trim(); path = ''; continue; }
    if (line.startsWith('+++ ')) { path = line.startsWith('+++ b/') ? line.slice(6) : ''; continue; }
    if (line.startsWith('+') && path && commit) lines.push({ path, commit, text: line.slice(1) });
  }
  return lines;
}

/** Untracked files that no ignore rule covers (what `git add .` would pick up), relative paths. */
export async function untrackedUnignoredFiles(gitRoot: string): Promise<string[]> {
  const out = await runGit(gitRoot, ['ls-files', '-z', '-o', '--exclude-standard']);
  return out ? out.split('\0').filter(Boolean) : [];
}
