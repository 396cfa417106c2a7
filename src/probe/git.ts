/**
 * The checklist's git facts, from the real `git` binary: which .env files are tracked or were ever committed,
 * and whether the lockfile is committed. Run only where git is safe to run (the CLI; in the editor, trusted
 * workspaces only: a repository's own config can make git start programs), with fsmonitor and hooks off and no
 * prompts. The output is interpreted by the engine (gitFactsFromOutput).
 */
import { relative, sep } from 'node:path';
import { gitFactsFromOutput, gitWorkTree, type GitFacts } from '../engine/checklist/facts';

function runGit(bin: string, cwd: string, args: string[]): Promise<string> {
  return new Promise((res, rej) => {
    // node:child_process is loaded on first use, not at every start of the CLI
    (require('node:child_process') as typeof import('node:child_process')).execFile(bin, ['-c', 'core.fsmonitor=false', '-c', 'core.hooksPath=/dev/null', ...args], {
      cwd, maxBuffer: 64 * 1024 * 1024, timeout: 20_000, windowsHide: true,
      env: { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0' },
    }, (err, stdout) => (err ? rej(err) : res(stdout)));
  });
}

export async function gitFacts(root: string, options: { bin?: string } = {}): Promise<GitFacts> {
  const top = await gitWorkTree(root);
  if (!top) return { checked: false, reason: 'the folder is not in a git repository' };
  const bin = options.bin ?? 'git';
  try {
    const tracked = await runGit(bin, root, ['ls-files', '-z', '--full-name']);
    const log = await runGit(bin, root, ['log', '--all', '--diff-filter=A', '--name-only', '--format=%x01%h', '--', ':(glob)**/.env', ':(glob)**/.env.*']);
    return gitFactsFromOutput(relative(top, root).split(sep).join('/'), tracked, log);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ENOENT') return { checked: false, reason: 'git is not installed' };
    return { checked: false, reason: `git failed: ${String(err.message).split('\n')[0]}` };
  }
}
