/**
 * `shipsafe hook install | uninstall`: a plain git pre-commit hook (no framework) that runs
 * `shipsafe scan --staged` and stops the commit on findings at or above --fail-on (error by default).
 * The hook goes where git looks for hooks (`git rev-parse --git-path hooks`, which honours core.hooksPath).
 * An existing hook that Shipsafe did not write is never overwritten.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { CliIO } from './run';
import { leavesBase } from '../engine/util/paths';

export const HOOK_MARKER = '# shipsafe pre-commit hook';

/**
 * What the hook runs. `--cache`: a file committed again unchanged (a commit retried after a fix, a long series of
 * commits of the same files) is not analysed again; the cache is keyed on the repository and kept in its
 * node_modules/.cache/shipsafe, else in git's own folder (.git/shipsafe-cache), so nothing shows in `git status`.
 */
export const HOOK_SCAN_ARGS = ['scan', '--staged', '--cache', '--no-progress'];

export const HOOK_USAGE = `Usage: shipsafe hook install | uninstall

Installs (or removes) a git pre-commit hook that scans what is staged for the commit (the staged content of
the staged files, not the working tree) and stops the commit when a finding is at error level.
Skip it for one commit with \`git commit --no-verify\`. Results of files committed unchanged are reused from a
cache (node_modules/.cache/shipsafe, else .git/shipsafe-cache); the report is the same as without it.

The hook runs the project's own Shipsafe (node_modules/.bin/shipsafe) when there is one, else the copy that
installed it. An existing pre-commit hook that Shipsafe did not write is left alone: add
\`npx shipsafe ${HOOK_SCAN_ARGS.join(' ')}\` to it yourself. With the pre-commit framework, use the hook in
this repository's .pre-commit-hooks.yaml instead.
`;

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The hook's text; `installedFrom` is the CLI that wrote it, the fallback when the project has no copy. */
export function hookScript(installedFrom: string): string {
  return `#!/bin/sh
${HOOK_MARKER}: scans the staged content of the staged files and stops the commit on
# error-level findings. Written by \`shipsafe hook install\`; \`shipsafe hook uninstall\` removes it.
# Skip it once with \`git commit --no-verify\`.
cli=./node_modules/.bin/shipsafe
[ -e "$cli" ] || cli=${shellQuote(installedFrom)}
if [ ! -e "$cli" ]; then
  echo "shipsafe pre-commit hook: Shipsafe is not installed (looked for node_modules/.bin/shipsafe and $cli)." >&2
  echo "Install it (npm i -D shipsafe) or run \\\`npx shipsafe hook uninstall\\\`; skip this check with git commit --no-verify." >&2
  exit 1
fi
exec node "$cli" ${HOOK_SCAN_ARGS.join(' ')}
`;
}

function hooksDir(cwd: string): string | undefined {
  try {
    // node:child_process is loaded on first use, not at every start of the CLI
    const out = (require('node:child_process') as typeof import('node:child_process')).execFileSync('git', ['rev-parse', '--git-path', 'hooks'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return out ? resolve(cwd, out) : undefined;
  } catch {
    return undefined;
  }
}

/** The CLI file running now (dist/cli.js, possibly through node_modules/.bin), if it is a built bundle. */
function currentCli(): string | undefined {
  const main = require.main?.filename ?? process.argv[1];
  if (!main || !/\.c?js$/.test(main)) return undefined;
  try { return realpathSync(main); } catch { return main; }
}

export function runHookCommand(argv: readonly string[], io: CliIO): number {
  const out = (s: string) => io.stdout.write(s);
  const err = (s: string) => io.stderr.write(s);
  const [action, ...rest] = argv;
  if (!action || action === '--help' || action === '-h' || rest.includes('--help') || rest.includes('-h')) {
    out(HOOK_USAGE);
    return action ? 0 : 2;
  }
  if (action !== 'install' && action !== 'uninstall') {
    err(`shipsafe: unknown hook action "${action}"${/^ins/.test(action) ? ' (did you mean "install"?)' : /^un/.test(action) ? ' (did you mean "uninstall"?)' : ''}; use install or uninstall\n`);
    return 2;
  }
  if (rest.length) {
    err(`shipsafe: unexpected argument for \`shipsafe hook ${action}\`: ${rest[0]}\n`);
    return 2;
  }
  const cwd = resolve(io.cwd);
  const dir = hooksDir(cwd);
  if (!dir) {
    err('shipsafe: not inside a git repository: run `shipsafe hook install` in the repository to protect\n');
    return 2;
  }
  const file = join(dir, 'pre-commit');
  const shown = (() => { const r = relative(cwd, file); return r && !leavesBase(r) ? r : file; })();
  const ours = existsSync(file) && readFileSync(file, 'utf8').includes(HOOK_MARKER);
  if (action === 'uninstall') {
    if (!existsSync(file)) { out(`No pre-commit hook at ${shown}; nothing to remove.\n`); return 0; }
    if (!ours) { err(`shipsafe: ${shown} was not written by Shipsafe; left as it is\n`); return 2; }
    rmSync(file);
    out(`Removed the Shipsafe pre-commit hook (${shown}).\n`);
    return 0;
  }
  if (existsSync(file) && !ours) {
    err(`shipsafe: a pre-commit hook already exists at ${shown} and was not written by Shipsafe; it is left as it is.\n` +
      `Add this line to it to scan staged files: npx shipsafe ${HOOK_SCAN_ARGS.join(' ')}\n`);
    return 2;
  }
  const cli = currentCli();
  if (!cli) {
    err('shipsafe: run `hook install` from the built command (npx shipsafe hook install), not from the sources\n');
    return 2;
  }
  mkdirSync(dir, { recursive: true });
  writeFileSync(file, hookScript(cli));
  chmodSync(file, 0o755);
  out(`${ours ? 'Updated' : 'Installed'} the Shipsafe pre-commit hook (${shown}): each commit's staged files are scanned; ` +
    `error-level findings stop the commit (git commit --no-verify skips the check).\n`);
  return 0;
}
