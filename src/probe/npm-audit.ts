/**
 * The dependency check: runs `npm audit --json --package-lock-only` in the project folder, only when the user
 * asks for it (it sends the dependency list to the npm registry) and — in the editor — only in trusted
 * workspaces (npm reads the project's .npmrc). Offline, or without a lockfile, the result says it could not
 * check; it never passes by default.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseNpmAudit, type AuditResult } from '../engine/checklist/audit';

export interface AuditOptions {
  signal?: AbortSignal;
  /** default 60 s */
  timeoutMs?: number;
  /** environment for npm (tests point npm_config_registry at a local server) */
  env?: NodeJS.ProcessEnv;
  /** the npm command (default `npm`) */
  npm?: string;
}

export function runNpmAudit(root: string, options: AuditOptions = {}): Promise<AuditResult> {
  if (!existsSync(join(root, 'package.json'))) return Promise.resolve({ ok: false, reason: 'no package.json in the folder' });
  if (!existsSync(join(root, 'package-lock.json')) && !existsSync(join(root, 'npm-shrinkwrap.json'))) {
    return Promise.resolve({ ok: false, reason: 'npm audit needs package-lock.json (run npm install first)' });
  }
  return new Promise((resolve) => {
    // node:child_process is loaded on first use, not at every start of the CLI
    (require('node:child_process') as typeof import('node:child_process')).execFile(options.npm ?? 'npm', ['audit', '--json', '--package-lock-only', '--no-fund', '--no-update-notifier'], {
      cwd: root, timeout: options.timeoutMs ?? 60_000, maxBuffer: 64 * 1024 * 1024, signal: options.signal, windowsHide: true,
      env: { ...(options.env ?? process.env), npm_config_fund: 'false', npm_config_update_notifier: 'false' },
    }, (err, stdout, stderr) => {
      if (options.signal?.aborted) { resolve({ ok: false, reason: 'cancelled' }); return; }
      const e = err as (NodeJS.ErrnoException & { killed?: boolean }) | null;
      if (e?.code === 'ENOENT') { resolve({ ok: false, reason: 'npm is not installed' }); return; }
      if (e?.killed) { resolve({ ok: false, reason: 'npm audit took too long' }); return; }
      // npm audit exits 1 when it finds vulnerabilities: the JSON decides
      const parsed = parseNpmAudit(stdout);
      if (!parsed.ok && stderr.trim() && /no JSON/.test(parsed.reason)) {
        resolve({ ok: false, reason: `npm audit failed: ${stderr.trim().split('\n').pop()}` });
        return;
      }
      resolve(parsed);
    });
  });
}
