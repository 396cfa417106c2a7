/** Command-line parsing for `shipsafe`. Pure: returns the parsed command or throws UsageError. */
import { MAX_GLOB_LENGTH } from '../engine/project/glob';
import { MAX_THREADS } from './pool';
import type { Confidence } from '../engine/model/types';

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export type Format = 'text' | 'json' | 'sarif';
/** `note` (SARIF's word) is accepted for `info` and read as it; `info` is what Shipsafe prints. */
export type FailOn = 'error' | 'warning' | 'info' | 'none';

export interface ScanCommand {
  command: 'scan';
  paths: string[];
  format: Format;
  output?: string;
  failOn: FailOn;
  baseline?: string;
  config?: string;
  minConfidence?: Confidence;
  exclude: string[];
  gitignore: boolean;
  /** undefined: colour when the stream is a TTY and NO_COLOR is unset */
  color?: boolean;
  /** false: never show the progress line (it only shows when standard error is a terminal anyway) */
  progress?: boolean;
  /** apply the fixes marked safe to the files before reporting */
  fix?: boolean;
  /** scan the staged content of the staged files (what `git commit` would record), not the working tree */
  staged?: boolean;
  /** text: each finding's whole message, the related locations and the fixes (default: the message's first sentence) */
  verbose?: boolean;
  /** per-file analysis time budget in milliseconds (default DEFAULT_FILE_BUDGET_MS) */
  timeBudgetMs?: number;
  /** keep per-file results in a content-hash cache (--cache), in this folder (--cache-location) */
  cache?: boolean;
  cacheLocation?: string;
  /**
   * how --cache tells that nothing changed: `metadata` (default) takes the last report when no file's size and times
   * changed, else reads and hashes each file; `content` always reads and hashes
   */
  cacheStrategy?: 'metadata' | 'content';
  /** analysis threads (--threads); 0: the CLI's own thread; default: defaultThreads (pool-scan.ts) */
  threads?: number;
}

export type Command =
  | ScanCommand
  | { command: 'help'; topic?: string }
  | { command: 'version' }
  | { command: 'rules'; format: 'text' | 'json' };

export const FORMATS: readonly Format[] = ['text', 'json', 'sarif'];
export const FAIL_ON: readonly FailOn[] = ['error', 'warning', 'info', 'none'];
const CONFIDENCES: readonly Confidence[] = ['low', 'medium', 'high'];
const CACHE_STRATEGIES = ['metadata', 'content'] as const;

export const USAGE = `Usage: shipsafe scan [paths…] [options]

Finds security problems in JavaScript, TypeScript and Python web apps (Express, Next.js, Fastify, Flask,
Django, FastAPI, …).
Runs locally: no network, no telemetry.

Commands:
  scan [paths…]            scan files and folders (default: the current folder)
  rules                    list the rules (--format json for details)
  prompt [folder]          security requirements for AI assistants, tailored to the project
                           (--task, --target, --write; see \`shipsafe prompt --help\`)
  mcp [folder]             MCP server (stdio) with the check and prompt tools for AI assistants
  checklist [folder]       the pre-deploy checklist with evidence (--format md|json; exit 1 when a
                           blocking item fails; see \`shipsafe checklist --help\`)
  hook install|uninstall   a git pre-commit hook that scans the staged files (see \`shipsafe hook --help\`)
  help [command]           show this help, or a command's (also: shipsafe <command> --help)

Options for scan:
  -f, --format <fmt>       text (default), json or sarif (SARIF 2.1.0, for GitHub code scanning)
  -o, --output <file>      write the report to a file instead of standard output
      --fail-on <level>    exit 1 when a finding is at or above this level:
                           error (default), warning, info (also: note), or none (always exit 0)
      --baseline <file>    a previous JSON or SARIF report: findings already in it are not
                           reported and do not fail the build
  -c, --config <file>      use this .shipsafe.json (default: the nearest one above the scanned paths)
      --min-confidence <c> low, medium or high (default: the config's, else medium)
      --exclude <glob>     do not scan files matching this glob, relative to the current folder
                           (repeatable; adds to the config's "exclude")
      --no-gitignore       also scan files that .gitignore excludes
      --time-budget <ms>   analysis time per file (default 20000); a file that takes longer
                           gets only the secret scan and is listed as not fully analysed
      --threads <n>        analysis threads, 0 to ${MAX_THREADS}; 0 analyses in the command's own thread
                           (default: one per core for trees over 150 files on machines with
                           more than two cores, else 0)
      --no-color           no colours (also: NO_COLOR=1); --color forces them
      --no-progress        no progress line on standard error (it only shows on a terminal)
      --verbose            text: each finding's whole message (why it matters, how to fix it),
                           where the data comes from, and the fixes; default: the first sentence
      --staged             scan what is staged for the next commit (the staged content of the
                           staged files, checked with the staged .shipsafe.json); for pre-commit hooks
      --fix                apply the fixes marked safe (they cannot change behaviour for legitimate
                           input) to the files, then report what is left; suggestions are never applied
      --cache              reuse the results of files that did not change since the last --cache scan,
                           nor did what other files tell about them (same report; --verbose counts the
                           hits); kept in node_modules/.cache/shipsafe, else .shipsafe-cache (with
                           --staged: .git/shipsafe-cache)
      --cache-location <dir>  keep that cache in this folder instead (implies --cache)
      --cache-strategy metadata|content  how --cache sees that nothing changed: metadata (default)
                           gives the last report again when no file's size, inode or times changed,
                           else reads and hashes each file; content always reads and hashes them
  -h, --help               show this help
  -v, --version            show the version

Skipped by default: node_modules, .git, dist, build, out, coverage, .next, .nuxt, .svelte-kit,
.vercel, .turbo, vendor, and anything .gitignore excludes. Name such a folder explicitly to scan it,
e.g. \`shipsafe scan .next/static dist/assets\`: minified bundles get the secret checks, which is how
keys shipped to the browser are found.

Exit codes: 0 no findings at or above --fail-on, 1 findings, 2 bad arguments, configuration or baseline.

Examples:
  shipsafe scan
  shipsafe scan src --format sarif --output shipsafe.sarif
  shipsafe scan --format json --output .shipsafe-baseline.json --fail-on none   # create a baseline
  shipsafe scan --baseline .shipsafe-baseline.json                             # fail only on new findings
`;

export const RULES_USAGE = `Usage: shipsafe rules [--format text|json]

Lists the rules: id, category, default severity and confidence, whether a fix is offered, and what the
rule finds. --format json prints every rule's full metadata (description, examples, CWE, OWASP).
Each rule has a page in media/docs/rules/<id>.md (also in the npm package and the VS Code extension).
`;

const SCAN_OPTIONS = ['--format', '--output', '--fail-on', '--baseline', '--config', '--min-confidence', '--exclude', '--time-budget',
  '--gitignore', '--no-gitignore', '--color', '--no-color', '--no-progress', '--fix', '--staged', '--verbose', '--cache', '--no-cache', '--cache-location', '--cache-strategy', '--threads', '--help', '--version'];
const SHORT: Record<string, string> = { '-f': '--format', '-o': '--output', '-c': '--config', '-h': '--help', '-v': '--version' };
const TAKES_VALUE = new Set(['--format', '--output', '--fail-on', '--baseline', '--config', '--min-confidence', '--exclude', '--time-budget', '--cache-location', '--cache-strategy', '--threads']);

/** ` (did you mean "x"?)` when `word` is a near miss for one of `options`, else ''. */
export function didYouMean(word: string, options: readonly string[], quote = true): string {
  const hint = closest(word, options);
  return hint ? ` (did you mean ${quote ? `"${hint}"` : hint}?)` : '';
}

function closest(word: string, options: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const o of options) {
    const d = distance(word, o);
    if (d < bestD) { bestD = d; best = o; }
  }
  return bestD <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

function distance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length];
}

function oneOf<T extends string>(option: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  const hint = closest(value, allowed);
  throw new UsageError(`${option} must be one of ${allowed.join(', ')}; got "${value}"${hint ? ` (did you mean "${hint}"?)` : ''}`);
}

export function parseArgs(argv: readonly string[]): Command {
  const args = [...argv];
  if (!args.length) throw new UsageError('missing command: try `shipsafe scan` (or `shipsafe --help`)');
  const first = args[0];
  if (first === '--help' || first === '-h' || first === 'help') return { command: 'help', topic: args[1] };
  if (first === '--version' || first === '-v' || first === 'version') return { command: 'version' };
  if (first === 'rules') {
    const rest = args.slice(1);
    if (rest.includes('--help') || rest.includes('-h')) return { command: 'help', topic: 'rules' };
    let format: 'text' | 'json' = 'text';
    for (let i = 0; i < rest.length; i++) {
      const a = rest[i];
      if (a === '--format' || a === '-f') {
        const v = rest[++i];
        if (v === undefined) throw new UsageError(`${a} needs a value: text or json`);
        format = oneOf('--format', v, ['text', 'json'] as const);
      } else if (a.startsWith('--format=')) format = oneOf('--format', a.slice(9), ['text', 'json'] as const);
      else {
        const hint = a.startsWith('-') ? closest(a, ['--format', '--help']) : undefined;
        throw new UsageError(`unexpected argument for \`shipsafe rules\`: ${a}${hint ? ` (did you mean ${hint}?)` : ''}`);
      }
    }
    return { command: 'rules', format };
  }
  if (first !== 'scan') {
    if (first.startsWith('-')) throw new UsageError(`missing command before ${first}: try \`shipsafe scan ${args.join(' ')}\``);
    const hint = closest(first, ['scan', 'rules', 'prompt', 'mcp', 'checklist', 'hook', 'help']);
    throw new UsageError(`unknown command "${first}"${hint ? ` (did you mean "${hint}"?)` : ''}; commands: scan, rules, prompt, mcp, checklist, hook, help`);
  }

  const cmd: ScanCommand = { command: 'scan', paths: [], format: 'text', failOn: 'error', exclude: [], gitignore: true };
  const seen = new Set<string>();
  let onlyPaths = false;
  for (let i = 1; i < args.length; i++) {
    let arg = args[i];
    if (onlyPaths || arg === '-' || !arg.startsWith('-')) {
      if (arg === '') throw new UsageError('an empty path was given');
      cmd.paths.push(arg);
      continue;
    }
    if (arg === '--') { onlyPaths = true; continue; }
    let value: string | undefined;
    const eq = arg.indexOf('=');
    if (arg.startsWith('--') && eq > 0) { value = arg.slice(eq + 1); arg = arg.slice(0, eq); }
    if (SHORT[arg]) arg = SHORT[arg];
    if (!SCAN_OPTIONS.includes(arg)) {
      const hint = closest(arg, SCAN_OPTIONS);
      throw new UsageError(`unknown option ${arg}${hint ? ` (did you mean ${hint}?)` : ''}`);
    }
    if (TAKES_VALUE.has(arg)) {
      if (value === undefined) {
        value = args[++i];
        if (value === undefined || (value.startsWith('-') && value.length > 1 && arg !== '--exclude')) {
          throw new UsageError(`${arg} needs a value${arg === '--format' ? ': text, json or sarif' : arg === '--fail-on' ? ': error, warning, info or none' : ''}`);
        }
      }
      if (value === '') throw new UsageError(`${arg} needs a non-empty value`);
      if (arg !== '--exclude' && seen.has(arg)) throw new UsageError(`${arg} was given twice`);
      seen.add(arg);
    } else if (value !== undefined) {
      throw new UsageError(`${arg} does not take a value`);
    }
    switch (arg) {
      case '--format': cmd.format = oneOf('--format', value!, FORMATS); break;
      case '--output': cmd.output = value; break;
      case '--fail-on': cmd.failOn = value === 'note' ? 'info' : oneOf('--fail-on', value!, FAIL_ON); break;
      case '--baseline': cmd.baseline = value; break;
      case '--config': cmd.config = value; break;
      case '--min-confidence': cmd.minConfidence = oneOf('--min-confidence', value!, CONFIDENCES); break;
      case '--exclude':
        if (value!.length > MAX_GLOB_LENGTH) throw new UsageError(`--exclude: the glob is ${value!.length} characters long; at most ${MAX_GLOB_LENGTH} are accepted`);
        cmd.exclude.push(value!);
        break;
      case '--time-budget': {
        const n = Number(value);
        if (!Number.isInteger(n) || n < 100 || n > 3_600_000) throw new UsageError(`--time-budget must be a whole number of milliseconds from 100 to 3600000, got ${JSON.stringify(value)}`);
        cmd.timeBudgetMs = n;
        break;
      }
      case '--threads': {
        const n = Number(value);
        if (!Number.isInteger(n) || n < 0 || n > MAX_THREADS) throw new UsageError(`--threads must be a whole number from 0 to ${MAX_THREADS}, got ${JSON.stringify(value)}`);
        cmd.threads = n;
        break;
      }
      case '--gitignore': cmd.gitignore = true; break;
      case '--no-gitignore': cmd.gitignore = false; break;
      case '--color': cmd.color = true; break;
      case '--no-color': cmd.color = false; break;
      case '--no-progress': cmd.progress = false; break;
      case '--fix': cmd.fix = true; break;
      case '--cache': cmd.cache = true; break;
      case '--no-cache': cmd.cache = false; break;
      case '--cache-location': cmd.cacheLocation = value; cmd.cache ??= true; break;
      case '--cache-strategy': cmd.cacheStrategy = oneOf('--cache-strategy', value!, CACHE_STRATEGIES); cmd.cache ??= true; break;
      case '--staged': cmd.staged = true; break;
      case '--verbose': cmd.verbose = true; break;
      case '--help': return { command: 'help', topic: 'scan' };
      case '--version': return { command: 'version' };
    }
  }
  if (!cmd.paths.length) cmd.paths.push('.');
  return cmd;
}
