/**
 * Project facts for the checklist, read from the files on disk: package.json, lockfiles, .gitignore, .env
 * examples (values classified, never returned), Dockerfiles, public folders, build configs, routes that take an
 * id, header settings — and, when the caller allows it, from git (tracked and once-committed .env files,
 * tracked lockfiles). `.env` files themselves are never read.
 *
 * Git facts come from the caller (src/probe/git.ts runs the real `git`; the engine starts no process): the CLI
 * asks for them, the extension only in trusted workspaces (a repository's own config can make git run programs).
 */
import { stripTrailingComment } from '../util/linear';
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import ignore from 'ignore';
import { collectProjectFiles } from '../prompt/project-files';
import { detectStack, type DetectedStack, type ProjectFile } from '../prompt/stack';
import { findSecrets, isPlaceholderSecret, isSecretName } from '../secrets/providers';

/** A place in a file that supports a status (1-based line; no line for a whole file). */
export interface FileEvidence {
  file: string;
  line?: number;
  message: string;
}

export type GitFacts =
  | { checked: true; trackedEnv: string[]; committedEnv: { file: string; commit: string }[]; trackedLockfiles: string[] }
  | { checked: false; reason: string };

export interface ProjectFacts {
  /** package.json at the root: its dependency names (all kinds), or undefined without one */
  packageJson?: { name?: string; dependencies: string[] };
  /** lockfiles at the root */
  lockfiles: string[];
  /** the .gitignore files from the root up to the git work tree that ignore `.env` (empty: none does) */
  gitignoreCoversEnv: string[];
  /** every .gitignore looked at */
  gitignores: string[];
  /** `.env` files on disk (not examples), relative paths */
  envFiles: string[];
  /** `.env.example` / `.sample` / `.template` files */
  envExamples: string[];
  /** lines of those files that hold a value that looks real (the value itself is never kept) */
  envExampleValues: FileEvidence[];
  dockerfiles: string[];
  /** Dockerfile problems: no USER (or USER root), secrets in ENV/ARG, .env copied in */
  dockerProblems: FileEvidence[];
  publicFolders: string[];
  publicLeftovers: FileEvidence[];
  /** build/debug settings that ship source maps or debug mode */
  debugSettings: FileEvidence[];
  /** the build config files looked at for them */
  buildConfigs: string[];
  /** route definitions with an id parameter (to review for per-resource authorization) */
  routesWithIds: FileEvidence[];
  /** security headers set in config or middleware files (not by helmet) */
  headerSettings: FileEvidence[];
  git: GitFacts;
}

export interface CollectFactsOptions {
  /** what git says (src/probe/git.ts); default: not checked */
  git?: GitFacts;
}

const LOCKFILES = ['package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock', 'pnpm-lock.yaml', 'bun.lockb', 'bun.lock'];
const ENV_FILE = /(^|\/)\.env(\.[\w.-]+)?$/;
const ENV_EXAMPLE = /(^|\/)\.env(\.[\w.-]+)?\.(example|sample|template|dist)$|(^|\/)\.env\.(example|sample|template)(\.[\w.-]+)?$/;
const PUBLIC_DIR = /(^|\/)(public|static|www|wwwroot|htdocs)\//;
const LEFTOVER = /(\.(map|bak|backup|old|orig|save|swp|swo|tmp|sql|dump|sqlite|sqlite3|db|log|tar|tgz|zip|7z|rar|pem|key|p12)|~)$|(^|\/)\.(env(\.[\w.-]+)?|git\/.*|htpasswd|DS_Store)$/i;
const SOURCE = /\.(m|c)?(j|t)sx?$/;
const MAX_SOURCE_READ = 256 * 1024;
const MAX_SOURCES = 1500;

async function readText(file: string, max = 512 * 1024): Promise<string | undefined> {
  try {
    if ((await stat(file)).size > max) return undefined;
    return await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
}

function lineAt(text: string, offset: number): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** The nearest folder at or above `from` that holds `.git`. */
export async function gitWorkTree(from: string): Promise<string | undefined> {
  let dir = resolve(from);
  for (;;) {
    try { await stat(join(dir, '.git')); return dir; } catch { /* up */ }
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

export const isEnvSecretFile = (p: string): boolean => ENV_FILE.test(p) && !ENV_EXAMPLE.test(p);
export const LOCKFILE_NAMES: readonly string[] = LOCKFILES;

/**
 * Git facts from git's own output, for a project at `prefix` inside the work tree ('' at its root):
 * `tracked` is `git ls-files -z --full-name`, `log` is `git log --all --diff-filter=A --name-only --format=%x01%h`
 * for the .env path specs (paths from the work tree root in both).
 */
export function gitFactsFromOutput(prefix: string, tracked: string, log: string): GitFacts {
  const rel = (p: string) => (prefix ? (p.startsWith(`${prefix}/`) ? p.slice(prefix.length + 1) : undefined) : p);
  const mine = tracked.split('\0').filter(Boolean).map(rel).filter((p): p is string => p !== undefined);
  const committed: { file: string; commit: string }[] = [];
  let commit = '';
  for (const line of log.split('\n')) {
    if (line.startsWith('\x01')) { commit = line.slice(1).trim(); continue; }
    const p = rel(line.trim());
    if (p && isEnvSecretFile(p) && !committed.some((c) => c.file === p)) committed.push({ file: p, commit });
  }
  return {
    checked: true,
    trackedEnv: mine.filter(isEnvSecretFile),
    committedEnv: committed,
    trackedLockfiles: mine.filter((p) => LOCKFILES.includes(p)),
  };
}

/** Which .gitignore files (root up to the work tree) ignore `.env` at the project root. */
async function gitignoreFacts(root: string): Promise<{ covering: string[]; seen: string[] }> {
  const top = (await gitWorkTree(root)) ?? root;
  const covering: string[] = [];
  const seen: string[] = [];
  for (let dir = root; ; dir = dirname(dir)) {
    const file = join(dir, '.gitignore');
    const text = await readText(file);
    if (text !== undefined) {
      const name = relative(root, file).split(sep).join('/');
      seen.push(name);
      const relEnv = relative(dir, join(root, '.env')).split(sep).join('/');
      if (ignore().add(text).ignores(relEnv)) covering.push(name);
    }
    if (dir === top || dirname(dir) === dir) break;
  }
  return { covering, seen };
}

function envExampleValues(file: string, text: string): FileEvidence[] {
  const out: FileEvidence[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const m = /^[ \t]*(?:export[ \t]+)?([A-Za-z_][\w.]*)[ \t]*=(.*)$/.exec(raw);
    if (!m) return;
    const name = m[1];
    let value = m[2].trim();
    if (!/^["']/.test(value)) value = stripTrailingComment(value);
    value = value.replace(/^(["'])(.*)\1$/, '$2').trim();
    if (!value) return;
    const found = findSecrets(value).find((m) => !m.provider.publishable);
    if (found) {
      out.push({ file, line: i + 1, message: `${name} holds what looks like a real ${found.provider.provider} ${found.provider.label} (${found.masked}); keep only the name` });
      return;
    }
    const credentialUrl = /^[a-z][\w+.-]*:\/\/[^/\s:@]+:([^@\s]+)@/i.exec(value);
    if (credentialUrl && !isPlaceholderSecret(credentialUrl[1]) && !/^(password|pass|pw|secret|user|changeme)$/i.test(credentialUrl[1])) {
      out.push({ file, line: i + 1, message: `${name} is a URL with a password in it; keep only the name` });
      return;
    }
    if (isSecretName(name) && value.length >= 8 && !isPlaceholderSecret(value) && !/^(your|my|change|replace|insert|put|add|enter|paste|example|xxx|todo|<)/i.test(value)) {
      out.push({ file, line: i + 1, message: `${name} has a value that looks real; keep only the name` });
    }
  });
  return out;
}

function dockerProblems(file: string, text: string): FileEvidence[] {
  const out: FileEvidence[] = [];
  // join continuation lines, keeping the line number of the instruction's start
  const lines = text.split(/\r?\n/);
  const instructions: { line: number; text: string }[] = [];
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let t = lines[i];
    while (/\\\s*$/.test(t) && i + 1 < lines.length) t = t.replace(/\\\s*$/, ' ') + lines[++i];
    if (t.trim() && !t.trim().startsWith('#')) instructions.push({ line: start + 1, text: t.trim() });
  }
  let lastFrom = 0;
  let user: { line: number; value: string } | undefined;
  for (const ins of instructions) {
    const [kw, ...rest] = ins.text.split(/\s+/);
    const arg = rest.join(' ');
    switch (kw.toUpperCase()) {
      case 'FROM': lastFrom = ins.line; user = undefined; break;
      case 'USER': user = { line: ins.line, value: arg.split(':')[0].trim() }; break;
      case 'ENV': case 'ARG': {
        for (const m of arg.matchAll(/(?<![A-Za-z0-9_])([A-Za-z_]\w*)(?:=|\s+)("[^"]*"|'[^']*'|\S+)/g)) {
          const value = m[2].replace(/^["']|["']$/g, '');
          if (isSecretName(m[1]) && value && !value.startsWith('$') && !isPlaceholderSecret(value)) {
            out.push({ file, line: ins.line, message: `${kw.toUpperCase()} ${m[1]} bakes a secret into the image; pass it at run time` });
          }
        }
        break;
      }
      case 'COPY': case 'ADD':
        if (/(^|\s|\/)\.env(\s|$)/.test(arg)) out.push({ file, line: ins.line, message: `${kw.toUpperCase()} copies .env into the image; pass secrets at run time` });
        break;
      default:
    }
  }
  if (!lastFrom) return out;
  if (!user) out.push({ file, line: lastFrom, message: 'the final stage has no USER instruction, so the app runs as root' });
  else if (user.value === 'root' || user.value === '0') out.push({ file, line: user.line, message: `USER ${user.value} runs the app as root` });
  return out;
}

function debugSettings(file: string, text: string): FileEvidence[] {
  const out: FileEvidence[] = [];
  const add = (re: RegExp, message: string) => {
    for (const m of text.matchAll(re)) out.push({ file, line: lineAt(text, m.index ?? 0), message });
  };
  const name = basename(file);
  if (/^next\.config\./.test(name)) add(/productionBrowserSourceMaps\s*:\s*true/g, 'productionBrowserSourceMaps: true publishes the source maps of the browser code');
  if (/^vite\.config\./.test(name)) add(/\bsourcemap\s*:\s*(true|['"]inline['"])/g, 'build.sourcemap publishes source maps with the build');
  if (/^webpack(\.[\w-]+)*\.config\./.test(name)) add(/\bdevtool\s*:\s*['"](?!hidden-|nosources-)[\w-]*source-map['"]/g, 'devtool emits source maps that reference the original code');
  if (name === 'settings.py') add(/^DEBUG\s*=\s*True\b/gm, 'DEBUG = True shows stack traces and settings to visitors');
  return out;
}

const HEADER_NAMES = ['Content-Security-Policy', 'Strict-Transport-Security', 'X-Frame-Options', 'X-Content-Type-Options', 'Referrer-Policy'];

function headerSettings(file: string, text: string): FileEvidence[] {
  const found = HEADER_NAMES.filter((h) => new RegExp(`['"\`]?${h}['"\`]?\\s*[:=,]`, 'i').test(text) || text.includes(`"${h}"`) || text.includes(`'${h}'`));
  if (!found.length) return [];
  const first = text.search(new RegExp(found[0], 'i'));
  return [{ file, line: lineAt(text, first), message: `sets ${found.join(', ')}` }];
}

/** `router.get('/items/:id', …)`: the path is captured whole, and `/:name` is looked for in it afterwards (one regex for both backtracks). */
const ROUTE_CALL = /\b\w+\.(get|post|put|patch|delete|all)\(\s*(['"`])([^'"`\n]*)\2/g;
const ROUTE_PARAM = /\/:[A-Za-z_]/;

export async function collectFacts(rootPath: string, options: CollectFactsOptions = {}, listed?: ProjectFile[]): Promise<ProjectFacts> {
  const root = resolve(rootPath);
  const files = listed ?? await collectProjectFiles(root);
  const paths = files.map((f) => f.path);
  const abs = (p: string) => join(root, ...p.split('/'));

  const pkgText = await readText(join(root, 'package.json'));
  let packageJson: ProjectFacts['packageJson'];
  if (pkgText !== undefined) {
    try {
      const p = JSON.parse(pkgText) as Record<string, unknown>;
      const deps = new Set<string>();
      for (const k of ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies']) {
        const v = p[k];
        if (v && typeof v === 'object') for (const name of Object.keys(v)) deps.add(name);
      }
      packageJson = { ...(typeof p.name === 'string' ? { name: p.name } : {}), dependencies: [...deps].sort() };
    } catch {
      packageJson = { dependencies: [] };
    }
  }

  const lockfiles = LOCKFILES.filter((l) => paths.includes(l));
  const gi = await gitignoreFacts(root);
  const envFiles = paths.filter(isEnvSecretFile);
  const envExamples = paths.filter((p) => ENV_EXAMPLE.test(p));
  const envExampleValuesOut: FileEvidence[] = [];
  for (const p of envExamples) {
    const text = await readText(abs(p));
    if (text !== undefined) envExampleValuesOut.push(...envExampleValues(p, text));
  }

  const dockerfiles = paths.filter((p) => /(^|\/)(Dockerfile|Containerfile)(\.[\w.-]+)?$|\.Dockerfile$/.test(p));
  const dockerOut: FileEvidence[] = [];
  for (const p of dockerfiles) {
    const text = await readText(abs(p));
    if (text !== undefined) dockerOut.push(...dockerProblems(p, text));
  }

  const publicFolders = [...new Set(paths.map((p) => PUBLIC_DIR.exec(p)).filter((m): m is RegExpExecArray => !!m)
    .map((m) => m.input.slice(0, m.index + m[0].length - 1)))].sort();
  const publicLeftovers: FileEvidence[] = paths.filter((p) => PUBLIC_DIR.test(p) && LEFTOVER.test(p))
    .map((file) => ({ file, message: /\.map$/.test(file) ? 'a source map in a public folder is served to anyone' : 'served to anyone who asks for it by name' }));

  const buildConfigs = paths.filter((p) => /(^|\/)(next|vite|webpack(\.[\w-]+)*)\.config\.[cm]?[jt]s$|(^|\/)settings\.py$/.test(p) && !p.includes('/node_modules/'));
  const debugOut: FileEvidence[] = [];
  const headerOut: FileEvidence[] = [];
  for (const p of buildConfigs) {
    const text = await readText(abs(p));
    if (text === undefined) continue;
    debugOut.push(...debugSettings(p, text));
    if (/next\.config\./.test(p)) headerOut.push(...headerSettings(p, text));
  }
  for (const p of paths.filter((x) => /^(vercel\.json|netlify\.toml|_headers|public\/_headers|(src\/)?middleware\.[jt]s)$/.test(x))) {
    const text = await readText(abs(p));
    if (text !== undefined) headerOut.push(...headerSettings(p, text));
  }

  // routes that take an id: Next.js dynamic segments from the paths, framework routes from the sources
  const routesWithIds: FileEvidence[] = [];
  for (const p of paths) {
    const m = /(^|\/)(app|pages\/api)\/(.*\/)?\[[^\]/]+\](\/.*)?\/route\.[jt]s$|(^|\/)pages\/api\/(.*\/)?\[[^\]/]+\]\.[jt]s$/.exec(p);
    if (m) routesWithIds.push({ file: p, line: 1, message: 'a route handler with a dynamic segment' });
  }
  const sources = paths.filter((p) => SOURCE.test(p) && !/(^|\/)(public|static|components|test|tests|__tests__)\//.test(p) && !/\.(test|spec|d)\.[jt]sx?$/.test(p)).slice(0, MAX_SOURCES);
  for (const p of sources) {
    const text = await readText(abs(p), MAX_SOURCE_READ);
    if (!text || !/\/:[A-Za-z_]/.test(text)) continue;
    for (const m of text.matchAll(ROUTE_CALL)) {
      if (!ROUTE_PARAM.test(m[3])) continue;
      routesWithIds.push({ file: p, line: lineAt(text, m.index ?? 0), message: `${m[1].toUpperCase()} ${m[3]}` });
    }
  }

  return {
    ...(packageJson ? { packageJson } : {}),
    lockfiles,
    gitignoreCoversEnv: gi.covering,
    gitignores: gi.seen,
    envFiles,
    envExamples,
    envExampleValues: envExampleValuesOut,
    dockerfiles,
    dockerProblems: dockerOut,
    publicFolders,
    publicLeftovers,
    debugSettings: debugOut,
    buildConfigs,
    routesWithIds,
    headerSettings: headerOut,
    git: options.git ?? { checked: false, reason: 'git checks were not asked for' },
  };
}

/** Facts and stack from one listing of the project. */
export async function collectProject(root: string, options: CollectFactsOptions = {}): Promise<{ facts: ProjectFacts; stack: DetectedStack }> {
  const files = await collectProjectFiles(resolve(root));
  return { facts: await collectFacts(root, options, files), stack: detectStack(files) };
}
