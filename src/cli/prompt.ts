/**
 * `shipsafe prompt`: prints the secure preamble for the project (stack- and findings-aware), or writes it into
 * the instruction files AI assistants read, as a managed block that is replaced on the next run and leaves the
 * rest of the file alone.
 */
import { lstatSync, mkdirSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { readSmallTextFile, ReadFileError } from '../engine/project/read-file';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { applyManagedBlock, ManagedBlockError, PROMPT_TARGET_IDS, promptTarget, type PromptTargetId } from '../engine/prompt/targets';
import { didYouMean, UsageError } from './args';
import { projectPreamble, projectSettings } from './secure-prompt';

export interface PromptCommand {
  command: 'prompt';
  path: string;
  task?: string;
  targets: PromptTargetId[];
  write: boolean;
  scan: boolean;
  format: 'markdown' | 'json';
  config?: string;
}

export const PROMPT_USAGE = `Usage: shipsafe prompt [folder] [--task "…"] [--target <assistant>] [--write]

Writes the security requirements an AI coding assistant should follow in this project, tailored to its
stack (framework, database, auth, validation, payments, hosting) and to the open findings, with a short
self-review list. Runs locally.

Options:
      --task <text>        what you are about to ask the assistant to build ("file upload endpoint",
                           "login", "Stripe checkout", "admin dashboard", "AI chat endpoint"): adds its controls
      --target <assistant> ${PROMPT_TARGET_IDS.join(', ')} (repeatable):
                           copilot  .github/copilot-instructions.md   agents  AGENTS.md
                           claude   CLAUDE.md                         cursor  .cursor/rules/shipsafe-security.mdc
                           windsurf .windsurfrules
      --write              write into the target files (a managed block; the rest of each file is kept);
                           without it the text is printed
      --no-scan            leave the open findings out (no scan)
  -f, --format <fmt>       markdown (default) or json
  -c, --config <file>      use this .shipsafe.json
  -h, --help               show this help
`;

export function parsePromptArgs(rest: readonly string[]): PromptCommand | { command: 'help'; topic: string } {
  const cmd: PromptCommand = { command: 'prompt', path: '.', targets: [], write: false, scan: true, format: 'markdown' };
  let pathSeen = false;
  for (let i = 0; i < rest.length; i++) {
    let arg = rest[i];
    let value: string | undefined;
    const eq = arg.indexOf('=');
    if (arg.startsWith('--') && eq > 0) { value = arg.slice(eq + 1); arg = arg.slice(0, eq); }
    const need = () => {
      if (value !== undefined) return value;
      const v = rest[++i];
      if (v === undefined) throw new UsageError(`${arg} needs a value`);
      return v;
    };
    switch (arg) {
      case '-h': case '--help': return { command: 'help', topic: 'prompt' };
      case '--task': {
        const v = need().trim();
        if (!v) throw new UsageError('--task needs a description, e.g. --task "file upload endpoint"');
        cmd.task = v;
        break;
      }
      case '--target': {
        for (const t of need().split(',').map((x) => x.trim()).filter(Boolean)) {
          if (!promptTarget(t)) throw new UsageError(`--target must be one of ${PROMPT_TARGET_IDS.join(', ')}; got "${t}"${didYouMean(t, PROMPT_TARGET_IDS)}`);
          if (!cmd.targets.includes(t as PromptTargetId)) cmd.targets.push(t as PromptTargetId);
        }
        break;
      }
      case '--write': cmd.write = true; break;
      case '--no-scan': cmd.scan = false; break;
      case '-f': case '--format': {
        const v = need();
        if (v !== 'markdown' && v !== 'json') throw new UsageError(`--format must be markdown or json; got "${v}"${didYouMean(v, ['markdown', 'json'])}`);
        cmd.format = v;
        break;
      }
      case '-c': case '--config': cmd.config = need(); break;
      default:
        if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown option ${arg} for \`shipsafe prompt\`${didYouMean(arg, ['--task', '--target', '--write', '--no-scan', '--format', '--config', '--help'], false)} (see \`shipsafe prompt --help\`)`);
        if (pathSeen) throw new UsageError(`\`shipsafe prompt\` takes one project folder; got "${cmd.path}" and "${arg}"`);
        cmd.path = arg;
        pathSeen = true;
    }
  }
  if (cmd.write && !cmd.targets.length) {
    throw new UsageError(`--write needs --target (${PROMPT_TARGET_IDS.join(', ')}), e.g. \`shipsafe prompt --write --target agents\``);
  }
  if (cmd.write && cmd.format === 'json') throw new UsageError('--write writes Markdown; leave out --format json');
  return cmd;
}

interface Out { write(s: string): unknown }

export async function runPrompt(cmd: PromptCommand, io: { cwd: string; stdout: Out; stderr: Out }): Promise<number> {
  const root = resolve(io.cwd, cmd.path);
  let isDir = false;
  try { isDir = statSync(root).isDirectory(); } catch { /* below */ }
  if (!isDir) throw new UsageError(`${cmd.path} is not a folder; give the project folder`);
  const settings = await projectSettings(root, cmd.config ? resolve(io.cwd, cmd.config) : undefined);
  const { stack, preamble, findings } = await projectPreamble(settings, { task: cmd.task, scan: cmd.scan });

  if (cmd.format === 'json') {
    io.stdout.write(`${JSON.stringify({
      stack: stack.items.map(({ id, kind, name, evidence }) => ({ id, kind, name, evidence })),
      facts: stack.facts,
      task: preamble.task ?? null,
      findings: preamble.findings,
      requirements: preamble.requirements.map(({ id, title, text, rules, checklist, reason }) => ({ id, title, text, rules, checklist, reason })),
      traces: preamble.traces,
      markdown: preamble.markdown,
    }, null, 2)}\n`);
    return 0;
  }

  if (!cmd.write) {
    if (cmd.targets.length === 1) {
      // what the target file would hold if it did not exist yet
      io.stdout.write(applyManagedBlock(undefined, preamble.markdown, promptTarget(cmd.targets[0])));
    } else {
      io.stdout.write(preamble.markdown);
    }
    return 0;
  }

  let failed = false;
  for (const id of cmd.targets) {
    const target = promptTarget(id)!;
    const file = join(root, ...target.file.split('/'));
    const escape = leavesRoot(root, file);
    if (escape) {
      io.stderr.write(`shipsafe: ${target.file}: ${escape}; the file was not changed\n`);
      failed = true;
      continue;
    }
    let existing: string | undefined;
    try {
      existing = readSmallTextFile(file, MAX_TARGET_BYTES, { keepBom: true });
    } catch (e) {
      if (e instanceof ReadFileError && e.code === 'ENOENT') existing = undefined;
      else {
      io.stderr.write(`shipsafe: cannot read ${target.file} (${e instanceof ReadFileError ? e.message : (e as NodeJS.ErrnoException).code ?? String(e)})\n`);
      failed = true;
      continue;
      }
    }
    let next: string;
    try {
      next = applyManagedBlock(existing, preamble.markdown, target);
    } catch (e) {
      if (!(e instanceof ManagedBlockError)) throw e;
      io.stderr.write(`shipsafe: ${target.file}: ${e.message}; the file was not changed\n`);
      failed = true;
      continue;
    }
    if (next === existing) {
      io.stdout.write(`${target.file}: up to date (${target.assistant})\n`);
      continue;
    }
    try {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, next);
    } catch (e) {
      io.stderr.write(`shipsafe: cannot write ${target.file} (${(e as NodeJS.ErrnoException).code ?? String(e)})\n`);
      failed = true;
      continue;
    }
    io.stdout.write(`${target.file}: ${existing === undefined ? 'created' : 'updated'} (${target.assistant})\n`);
  }
  io.stderr.write(`Secure prompt: ${preamble.requirements.length} requirements for ${preamble.stackLine || 'this project'}${cmd.scan ? `; ${findings} open finding${findings === 1 ? '' : 's'} considered` : ''}.\n`);
  return failed ? 2 : 0;
}

/** Largest assistant instruction file read for --write (they are a few KB). */
const MAX_TARGET_BYTES = 4 * 1024 * 1024;

/**
 * Why writing `file` would leave the project folder, if it would: the file, or the deepest folder on its path that
 * exists, is a symbolic link (or inside a linked folder) whose real path is outside `root`. Folders created
 * below an existing folder inside the project stay inside it.
 */
function leavesRoot(root: string, file: string): string | undefined {
  let rootReal: string;
  try { rootReal = realpathSync(root); } catch { rootReal = root; }
  for (let p = file; ; p = dirname(p)) {
    let st;
    try { st = lstatSync(p); } catch { if (dirname(p) === p) return undefined; continue; }
    let real: string;
    try { real = realpathSync(p); } catch { return st.isSymbolicLink() ? 'it is a symbolic link to nothing' : undefined; }
    const rel = relative(rootReal, real);
    if (rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return 'it is, or is inside, a symbolic link to outside the project folder';
    return undefined;
  }
}
