/**
 * The file-system (and optionally git) side of project fixes, for the CLI and the editor's worker. The engine's
 * fix resolvers stay pure and read the project only through this.
 *
 * git runs only when asked to (`git: true`): in VS Code only for trusted workspaces, because git reads the
 * repository's own configuration. Hooks and fsmonitor are switched off for the read-only commands used here.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { FixHost, GitState } from '../fixes/env';

const GIT_SAFE = ['-c', 'core.fsmonitor=false', '-c', 'core.hooksPath=/dev/null', '-c', 'core.quotePath=false'];

function git(cwd: string, args: string[]): { status: number | null; stdout: string } {
  // node:child_process is loaded on first use (a scan that verifies no fix never needs it)
  const r = (require('node:child_process') as typeof import('node:child_process')).spawnSync('git', [...GIT_SAFE, ...args], { cwd, encoding: 'utf8', timeout: 5000, stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, GIT_OPTIONAL_LOCKS: '0' } });
  return { status: r.error ? null : r.status, stdout: r.stdout ?? '' };
}

export function nodeFixHost(opts: { git: boolean }): FixHost {
  const gitCache = new Map<string, GitState | undefined>();
  return {
    readFile(absPath) {
      try {
        if (!statSync(absPath).isFile()) return undefined;
        return readFileSync(absPath, 'utf8');
      } catch {
        return undefined;
      }
    },
    exists: (absPath) => existsSync(absPath),
    ...(opts.git ? {
      gitStatus(absPath: string): GitState | undefined {
        if (gitCache.has(absPath)) return gitCache.get(absPath);
        let state: GitState | undefined;
        const dir = dirname(absPath);
        if (existsSync(dir)) {
          const inside = git(dir, ['rev-parse', '--is-inside-work-tree']);
          if (inside.status === 0 && inside.stdout.trim() === 'true') {
            const name = basename(absPath);
            const tracked = git(dir, ['ls-files', '--error-unmatch', '--', name]).status === 0;
            const log = git(dir, ['log', '--all', '--format=%H', '-n', '1', '--', name]);
            state = { tracked, inHistory: log.status === 0 && log.stdout.trim().length > 0 };
          }
        }
        gitCache.set(absPath, state);
        return state;
      },
    } : {}),
  };
}
