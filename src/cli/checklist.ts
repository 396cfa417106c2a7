/**
 * `shipsafe checklist [folder]`: the pre-deploy checklist (the same model as the VS Code panel) as Markdown or
 * JSON; exit 1 when a blocking item fails, so CI can gate a deploy on it. The running-app check (`--url`) and the
 * dependency check (`--audit`) run only when asked.
 */
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve, basename } from 'node:path';
import {
  ANSWERS_FILE, checklistJson, checklistMarkdown, collectProject, evaluateChecklist, parseAnswers, toChecklistFinding,
  type AppCheckResult, type AuditResult, type Checklist,
} from '../engine/checklist';
import { ConfigError } from '../engine/config/config';
import { gitFacts } from '../probe/git';
import { runNpmAudit } from '../probe/npm-audit';
import { probeRunningApp } from '../probe/running-app';
import { didYouMean, UsageError } from './args';
import { projectFindings, projectSettings, readIfExists } from './secure-prompt';

export interface ChecklistCommand {
  command: 'checklist';
  path: string;
  format: 'md' | 'json';
  output?: string;
  url?: string;
  audit: boolean;
  git: boolean;
  config?: string;
}

export const CHECKLIST_USAGE = `Usage: shipsafe checklist [folder] [--format md|json] [--output <file>]

The pre-deploy checklist: every item (secrets, configuration, auth, input and output, headers, errors and
logs, dependencies, abuse) with its status — pass, fail, not applicable or needs review — and the evidence
(file:line) it was decided on, from a scan of the folder, its project files and git. Answers for what the
code cannot show are read from ${ANSWERS_FILE} (the VS Code panel writes it; it merges cleanly in git).

Options:
  -f, --format <fmt>   md (default) or json
  -o, --output <file>  write the report to a file instead of standard output
      --url <url>      also check the running app at this URL (GET of the page, /.env, /.git/config, a 404
                       page and the maps of its scripts; redirects are not followed; 10 s at most)
      --audit          also run \`npm audit\` (sends the dependency list to the npm registry; needs the network)
      --no-git         do not run git (the .env history and lockfile checks then need review)
  -c, --config <file>  use this .shipsafe.json
  -h, --help           show this help

Exit codes: 0 no blocking item fails, 1 a blocking item fails, 2 bad arguments or configuration.
`;

export function parseChecklistArgs(rest: readonly string[]): ChecklistCommand | { command: 'help' } {
  const cmd: ChecklistCommand = { command: 'checklist', path: '.', format: 'md', audit: false, git: true };
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
      case '-h': case '--help': return { command: 'help' };
      case '-f': case '--format': {
        const v = need();
        const f = v === 'markdown' ? 'md' : v;
        if (f !== 'md' && f !== 'json') throw new UsageError(`--format must be md or json; got "${v}"${didYouMean(String(v), ['md', 'json'])}`);
        cmd.format = f;
        break;
      }
      case '-o': case '--output': cmd.output = need(); break;
      case '--url': cmd.url = need(); break;
      case '--audit': cmd.audit = true; break;
      case '--no-git': cmd.git = false; break;
      case '-c': case '--config': cmd.config = need(); break;
      default:
        if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown option ${arg} for \`shipsafe checklist\`${didYouMean(arg, ['--format', '--output', '--url', '--audit', '--no-git', '--config', '--help'], false)} (see \`shipsafe checklist --help\`)`);
        if (pathSeen) throw new UsageError(`\`shipsafe checklist\` takes one project folder; got "${cmd.path}" and "${arg}"`);
        cmd.path = arg;
        pathSeen = true;
    }
  }
  return cmd;
}

interface Out { write(s: string): unknown }

export interface ProjectChecklistOptions {
  config?: string;
  git: boolean;
  app?: AppCheckResult;
  audit?: AuditResult;
}

/** The checklist of a project on disk, as `shipsafe checklist` computes it. */
export async function projectChecklist(root: string, options: ProjectChecklistOptions): Promise<Checklist> {
  const settings = await projectSettings(root, options.config);
  const [{ facts, stack }, findings] = await Promise.all([
    (options.git ? gitFacts(settings.root) : Promise.resolve({ checked: false as const, reason: 'git was turned off (--no-git)' }))
      .then((git) => collectProject(settings.root, { git })),
    projectFindings(settings),
  ]);
  const notes: string[] = [];
  const answersText = readIfExists(resolve(settings.root, ANSWERS_FILE));
  const parsed = parseAnswers(answersText ?? '');
  for (const e of parsed.errors) notes.push(`${ANSWERS_FILE} line ${e.line}: ${e.message}`);
  let project = basename(settings.root);
  if (facts.packageJson?.name) project = facts.packageJson.name;
  return evaluateChecklist({
    project,
    findings: findings.map(toChecklistFinding),
    rulesRun: settings.rules.map((r) => r.meta.id),
    facts, stack,
    answers: parsed.answers,
    ...(options.app ? { app: options.app } : {}),
    ...(options.audit ? { audit: options.audit } : {}),
    notes,
  });
}

export async function runChecklist(cmd: ChecklistCommand, io: { cwd: string; stdout: Out; stderr: Out }): Promise<number> {
  const root = resolve(io.cwd, cmd.path);
  let isDir = false;
  try { isDir = statSync(root).isDirectory(); } catch { /* below */ }
  if (!isDir) throw new UsageError(`${cmd.path} is not a folder; give the project folder`);
  let app: AppCheckResult | undefined;
  if (cmd.url) {
    try {
      app = await probeRunningApp(cmd.url, { onRequest: (u) => io.stderr.write(`checklist: GET ${u}\n`) });
    } catch (e) {
      throw new UsageError(`--url: ${(e as Error).message}`);
    }
  }
  let audit: AuditResult | undefined;
  if (cmd.audit) {
    io.stderr.write('checklist: running npm audit --package-lock-only\n');
    audit = await runNpmAudit(root);
  }
  const checklist = await projectChecklist(root, { config: cmd.config ? resolve(io.cwd, cmd.config) : undefined, git: cmd.git, app, audit });
  const text = cmd.format === 'json' ? checklistJson(checklist) : checklistMarkdown(checklist);
  if (cmd.output) {
    const file = resolve(io.cwd, cmd.output);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  } else {
    io.stdout.write(text);
  }
  io.stderr.write(`Checklist: ${checklist.summary.line}.\n`);
  return checklist.summary.blockingFail ? 1 : 0;
}

/** `checklist` from run.ts: usage errors exit 2. */
export async function runChecklistCommand(rest: readonly string[], io: { cwd: string; stdout: Out; stderr: Out }): Promise<number> {
  try {
    const cmd = parseChecklistArgs(rest);
    if (cmd.command === 'help') { io.stdout.write(CHECKLIST_USAGE); return 0; }
    return await runChecklist(cmd, io);
  } catch (e) {
    if (e instanceof UsageError) { io.stderr.write(`shipsafe: ${e.message}\nRun \`shipsafe checklist --help\` for usage.\n`); return 2; }
    if (e instanceof ConfigError) { io.stderr.write(`shipsafe: ${e.message}\n`); return 2; }
    throw e;
  }
}
