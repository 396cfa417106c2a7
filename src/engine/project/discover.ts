/**
 * Finds the files Shipsafe should analyse under a folder: JavaScript and TypeScript sources (see `languageOf`),
 * honouring `.gitignore` (the repository's root and nested ones, `.git/info/exclude`, negations), the
 * configuration's `exclude` globs, and skipping dependency and build output folders by default.
 * Shared by the CLI and the VS Code extension: no console output, no process exit, never throws for a
 * problem below the starting folder (an unreadable folder or a symlink loop is returned in `skipped`).
 *
 * Scanning build output on purpose: the default skips (node_modules, dist, build, .next, …) only apply to
 * folders found while walking. A path passed explicitly is always walked, even when it is a default-skipped
 * folder, lies inside one, or is git-ignored: `discoverFiles('.next/static')` or `shipsafe scan dist/assets`
 * analyses the bundle, and inside such a folder the default skips are off (only `.git` is still skipped).
 * Minified bundles are not parsed; they get the text-only checks (that is how keys shipped to browsers are found).
 */
import { lstat, open, readdir, realpath, stat } from 'node:fs/promises';
import { closeSync, lstatSync, openSync, readdirSync, readSync, realpathSync, statSync, type Dirent, type Stats } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { languageOf } from '../analyze';
import { fileKindOf } from '../files/kinds';
import { trackedIgnoredFiles } from './git';
import type { SkippedFile } from '../model/types';
import { compileGlob, GlobError, type CompiledGlob } from './glob';
import { leavesBase } from '../util/paths';

/** Folder names never entered while walking (unless the walk starts inside one of them). */
export const DEFAULT_SKIP_DIRS: readonly string[] = [
  'node_modules', '.git', 'dist', 'build', 'out', 'coverage', '.next', '.nuxt', '.svelte-kit', '.vercel', '.turbo', 'vendor',
];

/** Built client output (Next.js, Vite, Create React App, static export), read by the secret checks when present. */
export const BUILD_OUTPUT_DIRS: readonly string[] = ['.next/static', 'dist/assets', 'build/static', 'out'];

/** A glob with the folder it is relative to (e.g. the CLI's `--exclude`, relative to the current folder). */
export interface ExcludePattern {
  pattern: string;
  base: string;
}

export interface DiscoverOptions {
  /** minimatch globs of files not to analyse, relative to `excludeBase` (strings) or to their own base */
  exclude?: (string | ExcludePattern)[];
  /** the folder string globs are relative to: the config file's folder. Default: `root` */
  excludeBase?: string;
  /** honour .gitignore files (default true) */
  respectGitignore?: boolean;
  /** stop after this many files (`truncated` is then true) */
  maxFiles?: number;
  /**
   * The project folder (workspace folder, current folder). Used to tell whether `root` itself lies inside a
   * default-skipped folder such as `dist/` — then the default skips are off. Default: the git work tree
   * containing `root`, else `root`.
   */
  projectRoot?: string;
  /**
   * Also list every other text file (`.env`, YAML, JSON, Dockerfile, key files, notes…) for the file checks
   * (see files/kinds.ts). Default false: JavaScript and TypeScript only.
   */
  textFiles?: boolean;
  /** list `.d.ts` files among the skipped ones (the CLI does, so its report says why they were not analysed) */
  listDeclarationFiles?: boolean;
  /**
   * Ask git which files it tracks although .gitignore ignores them (`git ls-files -ci --exclude-standard`) and
   * list those too: a committed `.env` is still in the repository. Runs `git`, so only for trusted folders.
   */
  git?: boolean;
  /** how the file system is read (default: Node's promises; the CLI passes SYNC_FS) */
  fs?: DiscoverFs;
  /**
   * `fs.stat` of `root`, when the caller has just made it (the CLI stats each path it is given, and a scan of files
   * named one by one would stat each of them twice)
   */
  rootStat?: Stats;
}

/**
 * The file-system calls discovery makes. By default Node's promises: the editor's analysis thread must not block on a
 * big tree. The CLI passes SYNC_FS: nothing else runs while it discovers, and each promise is a round trip through
 * libuv's thread pool (started for the purpose in a small scan: a few milliseconds of its start-up, more on a busy
 * machine). Both give the same answers and throw the same errors.
 */
export interface DiscoverFs {
  lstat(p: string): Promise<Stats> | Stats;
  stat(p: string): Promise<Stats> | Stats;
  realpath(p: string): Promise<string> | string;
  readdir(p: string): Promise<Dirent[]> | Dirent[];
  /** the first `bytes` bytes of a file (fewer when it is shorter) */
  readHead(file: string, bytes: number): Promise<Buffer> | Buffer;
}

export const PROMISE_FS: DiscoverFs = {
  lstat: (p) => lstat(p),
  stat: (p) => stat(p),
  realpath: (p) => realpath(p),
  readdir: (p) => readdir(p, { withFileTypes: true }),
  async readHead(file, bytes) {
    const fh = await open(file, 'r');
    try {
      const buf = Buffer.alloc(bytes);
      const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
      return buf.subarray(0, bytesRead);
    } finally { await fh.close(); }
  },
};

export const SYNC_FS: DiscoverFs = {
  lstat: (p) => lstatSync(p),
  stat: (p) => statSync(p),
  realpath: (p) => realpathSync(p),
  readdir: (p) => readdirSync(p, { withFileTypes: true }),
  readHead(file, bytes) {
    const fd = openSync(file, 'r');
    try {
      const buf = Buffer.alloc(bytes);
      return buf.subarray(0, readSync(fd, buf, 0, buf.length, 0));
    } finally { closeSync(fd); }
  },
};

export interface DiscoverResult {
  /** absolute paths, sorted */
  files: string[];
  /** folders and files that could not be looked at, with absolute paths */
  skipped: SkippedFile[];
  /** true when `maxFiles` stopped the walk */
  truncated: boolean;
}

export class PathNotFoundError extends Error {
  constructor(readonly path: string, readonly code: string) {
    super(code === 'ENOENT' ? `path not found: ${path}` : `cannot read ${path} (${code})`);
    this.name = 'PathNotFoundError';
  }
}

interface IgnoreLevel {
  dir: string;
  ig: Ignore;
}

const toPosix = (p: string): string => (sep === '/' ? p : p.split(sep).join('/'));

/** `child` relative to `parent` with forward slashes, or undefined when `child` is not inside `parent`. */
function inside(parent: string, child: string): string | undefined {
  const rel = relative(parent, child);
  if (rel === '') return '';
  if (leavesBase(rel)) return undefined;
  return toPosix(rel);
}

async function exists(p: string, fs: DiscoverFs): Promise<boolean> {
  try { await fs.lstat(p); return true; } catch { return false; }
}

/** The work tree root: the nearest folder at or above `from` holding `.git` (a folder, or a file for worktrees/submodules). */
export async function findGitRoot(from: string, fs: DiscoverFs = PROMISE_FS): Promise<string | undefined> {
  let dir = resolve(from);
  for (;;) {
    if (await exists(join(dir, '.git'), fs)) return dir;
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

/**
 * `findGitRoot` without waiting on the thread pool: for the editor's analysis thread, which asks on every
 * keystroke and must not queue a file-system round trip per folder level behind other work.
 */
export function findGitRootSync(from: string): string | undefined {
  let dir = resolve(from);
  for (;;) {
    try { lstatSync(join(dir, '.git')); return dir; } catch { /* not here */ }
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

/** Past these, a .gitignore is applied in part (the rest is said in `skipped`): a hostile one must not stall a scan. */
export const MAX_GITIGNORE_BYTES = 1024 * 1024;
export const MAX_GITIGNORE_PATTERNS = 5000;
/** a pattern with more `*` than this in one path segment compiles to a super-linear regex in `ignore`: dropped */
const MAX_STARS_PER_SEGMENT = 3;

async function loadIgnoreFile(file: string, fs: DiscoverFs, notes?: SkippedFile[]): Promise<Ignore | undefined> {
  let text: string;
  try {
    const st = await fs.stat(file);
    if (!st.isFile()) return undefined;
    text = (await fs.readHead(file, Math.min(st.size, MAX_GITIGNORE_BYTES))).toString('utf8');
    if (st.size > MAX_GITIGNORE_BYTES) notes?.push({ file, reason: 'too-large', detail: `this ignore file is ${st.size} bytes; only its first ${MAX_GITIGNORE_BYTES} were applied, so files it ignores further down may be scanned` });
  } catch { return undefined; }
  if (!text.trim()) return undefined;
  let patterns = text.split(/\r?\n/).filter((l) => l.trim() !== '' && !l.startsWith('#'));
  const risky = patterns.filter((l) => l.length > 1000 || l.split('/').some((seg) => seg.replace(/\*\*/g, '').split('*').length - 1 > MAX_STARS_PER_SEGMENT));
  if (risky.length) {
    patterns = patterns.filter((l) => !risky.includes(l));
    notes?.push({ file, reason: 'excluded', detail: `${risky.length} pattern${risky.length === 1 ? '' : 's'} in this ignore file ${risky.length === 1 ? 'was' : 'were'} not applied (over 1,000 characters, or more than ${MAX_STARS_PER_SEGMENT} \`*\` in one path part, which would make matching very slow)` });
  }
  if (patterns.length > MAX_GITIGNORE_PATTERNS) {
    notes?.push({ file, reason: 'too-large', detail: `this ignore file has ${patterns.length} patterns; only the first ${MAX_GITIGNORE_PATTERNS} were applied, so files it ignores further down may be scanned` });
    patterns = patterns.slice(0, MAX_GITIGNORE_PATTERNS);
  }
  try {
    // git matches case-insensitively only where the file system does (core.ignorecase)
    return ignore({ allowRelativePaths: true, ignorecase: process.platform === 'darwin' || process.platform === 'win32' }).add(patterns);
  } catch {
    return undefined;
  }
}

/** Git's answer for one path given the .gitignore levels from the top down (a deeper file overrides a higher one). */
function gitIgnored(levels: readonly IgnoreLevel[], abs: string, isDir: boolean): boolean {
  let ignored = false;
  for (const level of levels) {
    const rel = inside(level.dir, abs);
    if (!rel) continue;
    const r = level.ig.test(isDir ? `${rel}/` : rel);
    if (r.ignored) ignored = true;
    else if (r.unignored) ignored = false;
  }
  return ignored;
}

interface CompiledExclude {
  source: string;
  base: string;
  glob: CompiledGlob;
  /** `foo/**` also excludes the folder `foo` itself, so it is not entered */
  dirGlob?: CompiledGlob;
}

/**
 * Exclude globs compiled without backtracking (glob.ts). A glob that cannot be compiled (too long, too many
 * brace alternatives) is left out and said in `notes`; the config loader and the CLI reject those before here.
 */
function compileExcludes(options: DiscoverOptions, root: string, notes: SkippedFile[]): CompiledExclude[] {
  const out: CompiledExclude[] = [];
  for (const e of options.exclude ?? []) {
    const pattern = typeof e === 'string' ? e : e.pattern;
    const base = resolve(typeof e === 'string' ? options.excludeBase ?? root : e.base);
    const glob = pattern.trim().replace(/^\.\//, '');
    if (!glob) continue;
    try {
      out.push({ source: pattern, base, glob: compileGlob(glob), dirGlob: glob.endsWith('/**') ? compileGlob(glob.slice(0, -3)) : undefined });
    } catch (err) {
      if (!(err instanceof GlobError)) throw err;
      notes.push({ file: base, reason: 'excluded', detail: `an exclude pattern was not applied: ${err.message}` });
    }
  }
  return out;
}

/**
 * Whether an exclude pattern matches this file, as `discover(file)` decides it for a file named explicitly (the
 * pattern test alone: the caller knows the file exists and is a file).
 */
export function excludedFile(file: string, exclude: DiscoverOptions['exclude'], excludeBase?: string): boolean {
  const abs = resolve(file);
  return !!excludedBy(compileExcludes({ exclude, excludeBase }, abs, []), abs, false);
}

function excludedBy(excludes: readonly CompiledExclude[], abs: string, isDir: boolean): CompiledExclude | undefined {
  for (const e of excludes) {
    const rel = inside(e.base, abs);
    if (!rel) continue;
    if (e.glob.match(rel) || (isDir && e.dirGlob?.match(rel))) return e;
  }
  return undefined;
}

/**
 * The analysable files under `root` (a folder or a single file): absolute paths, sorted.
 * Use `discover` to also learn which folders could not be read and whether `maxFiles` cut the list.
 * Throws PathNotFoundError only when `root` itself does not exist or cannot be read.
 */
const DECLARATION_FILE = /\.d\.[cm]?ts$/i;

export async function discoverFiles(root: string, options: DiscoverOptions = {}): Promise<string[]> {
  return (await discover(root, options)).files;
}

/**
 * Lists the analysable files under `root` (a folder or a single file), with what could not be looked at.
 * Throws PathNotFoundError only when `root` itself does not exist or cannot be read.
 */
export async function discover(root: string, options: DiscoverOptions = {}): Promise<DiscoverResult> {
  const start = resolve(root);
  const respectGitignore = options.respectGitignore ?? true;
  const maxFiles = options.maxFiles ?? Infinity;
  const files: string[] = [];
  const skipped: SkippedFile[] = [];
  const excludes = compileExcludes(options, start, skipped);
  let truncated = false;
  const wanted = (name: string) => !!languageOf(name) || (!!options.textFiles && !!fileKindOf(name));
  const fs = options.fs ?? PROMISE_FS;
  const realOr = async (p: string) => { try { return await fs.realpath(p); } catch { return p; } };

  let st: Stats;
  try {
    st = options.rootStat ?? await fs.stat(start);
  } catch (e) {
    throw new PathNotFoundError(root, (e as NodeJS.ErrnoException).code ?? 'EIO');
  }

  if (!st.isDirectory()) {
    // an explicit file: default skips and .gitignore do not apply, the configuration's excludes do
    const ex = excludedBy(excludes, start, false);
    if (ex) skipped.push({ file: start, reason: 'excluded', detail: `matches the exclude pattern "${ex.source}"` });
    else if (!st.isFile()) skipped.push({ file: start, reason: 'unreadable', detail: 'not a regular file' });
    else if (!wanted(start)) skipped.push({ file: start, reason: 'excluded', detail: options.textFiles ? 'not a file Shipsafe reads (binary by its name, a lockfile or a source map)' : 'not a JavaScript, TypeScript or Python file' });
    else files.push(start);
    return { files, skipped, truncated };
  }

  const gitRoot = await findGitRoot(start, fs);
  const projectRoot = options.projectRoot ? resolve(options.projectRoot) : gitRoot ?? start;
  const relToProject = inside(projectRoot, start);
  // walking from inside a default-skipped folder (e.g. `dist/assets`, `node_modules`): the user asked for it
  const skipsOn = !(relToProject ?? '').split('/').some((part) => part !== '.git' && DEFAULT_SKIP_DIRS.includes(part));

  const ex = excludedBy(excludes, start, true);
  if (ex) {
    skipped.push({ file: start, reason: 'excluded', detail: `matches the exclude pattern "${ex.source}"` });
    return { files, skipped, truncated };
  }

  let levels: IgnoreLevel[] = [];
  if (respectGitignore && gitRoot) {
    const info = await loadIgnoreFile(join(gitRoot, '.git', 'info', 'exclude'), fs, skipped);
    if (info) levels.push({ dir: gitRoot, ig: info });
    // .gitignore files from the work tree root down to the folder above `start`
    const chain: string[] = [];
    for (let d = dirname(start); inside(gitRoot, d) !== undefined; d = dirname(d)) {
      chain.unshift(d);
      if (d === gitRoot || dirname(d) === d) break;
    }
    if (start === gitRoot) chain.length = 0;
    for (const d of chain) {
      const ig = await loadIgnoreFile(join(d, '.gitignore'), fs, skipped);
      if (ig) levels.push({ dir: d, ig });
    }
    // an explicitly given folder that git ignores (e.g. `.next/static`) is scanned anyway: drop the rules above it
    if (start !== gitRoot && gitIgnoredAlongPath(levels, gitRoot, start)) levels = [];
  }

  const visitedReal = new Set<string>();
  const startReal = await realOr(start);
  const projectReal = await realOr(projectRoot);

  const walk = async (dir: string, dirReal: string, lv: IgnoreLevel[], chainReal: readonly string[]): Promise<void> => {
    if (truncated) return;
    visitedReal.add(dirReal);
    let here = lv;
    if (respectGitignore) {
      const ig = await loadIgnoreFile(join(dir, '.gitignore'), fs, skipped);
      if (ig) here = [...lv, { dir, ig }];
    }
    let entries: Dirent[];
    try {
      entries = await fs.readdir(dir);
    } catch (e) {
      skipped.push({ file: dir, reason: 'unreadable', detail: `cannot read this folder (${(e as NodeJS.ErrnoException).code ?? 'error'})` });
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (truncated) return;
      const name = entry.name;
      if (name === '.git') continue;
      const abs = join(dir, name);
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      let realDir = join(dirReal, name);
      if (entry.isSymbolicLink()) {
        let target: Stats;
        try {
          target = await fs.stat(abs);
        } catch (e) {
          if (languageOf(name)) skipped.push({ file: abs, reason: 'unreadable', detail: `broken symbolic link (${(e as NodeJS.ErrnoException).code ?? 'error'})` });
          continue;
        }
        isDir = target.isDirectory();
        isFile = target.isFile();
        // a link may point anywhere (`/etc`, a home folder): only targets inside the scanned or project folder are read
        let real: string;
        try { real = await fs.realpath(abs); } catch { continue; }
        if (inside(startReal, real) === undefined && inside(projectReal, real) === undefined) {
          if (isDir || languageOf(name)) skipped.push({ file: abs, reason: 'excluded', detail: 'symbolic link to outside the scanned folder; not followed' });
          continue;
        }
        if (isDir) {
          realDir = real;
          if (chainReal.includes(realDir)) {
            skipped.push({ file: abs, reason: 'excluded', detail: 'symbolic link loop: it points to a folder that contains it; not followed' });
            continue;
          }
          if (visitedReal.has(realDir)) {
            skipped.push({ file: abs, reason: 'excluded', detail: 'symbolic link to a folder that is already scanned through another path; not followed' });
            continue;
          }
        }
      }
      if (isDir) {
        if (skipsOn && DEFAULT_SKIP_DIRS.includes(name)) continue;
        if (here.length && gitIgnored(here, abs, true)) continue;
        if (excludes.length && excludedBy(excludes, abs, true)) continue;
        // a folder a symbolic link led to earlier (Debian's dist-packages/app -> ../../../share/app): read once
        if (!entry.isSymbolicLink() && visitedReal.has(realDir)) {
          skipped.push({ file: abs, reason: 'excluded', detail: 'already scanned through a symbolic link to it; not scanned twice' });
          continue;
        }
        await walk(abs, realDir, here, [...chainReal, realDir]);
      } else if (isFile) {
        if (!wanted(name)) {
          // declaration files hold types only: not analysed, but said so (a .ts file that seems to vanish surprises)
          if (options.listDeclarationFiles && DECLARATION_FILE.test(name) && !(here.length && gitIgnored(here, abs, false))
            && !(excludes.length && excludedBy(excludes, abs, false))) {
            skipped.push({ file: abs, reason: 'excluded', detail: 'TypeScript declaration file: types only, no code that runs' });
          }
          continue;
        }
        if (here.length && gitIgnored(here, abs, false)) continue;
        if (excludes.length && excludedBy(excludes, abs, false)) continue;
        if (files.length >= maxFiles) { truncated = true; return; }
        files.push(abs);
      }
      // sockets, FIFOs and devices are never opened
    }
  };
  // git lists the tracked files that .gitignore ignores while the folders are walked (a process of its own)
  const trackedIgnored = options.git && gitRoot && respectGitignore ? trackedIgnoredFiles(gitRoot, start) : undefined;
  await walk(start, startReal, levels, [startReal]);
  if (options.textFiles && skipsOn && !truncated) {
    // built client output is scanned whenever it exists (keys inlined into bundles ship to every visitor), even
    // though it is git-ignored and skipped by default; minified bundles get the text checks only
    for (const sub of BUILD_OUTPUT_DIRS) {
      const dir = join(start, sub);
      let isDir = false;
      try { isDir = (await fs.stat(dir)).isDirectory(); } catch { /* not built */ }
      if (!isDir || (excludes.length && excludedBy(excludes, dir, true))) continue;
      const inner = await discover(dir, { ...options, git: false, projectRoot: start, maxFiles: Math.max(0, maxFiles - files.length) });
      const listed = new Set(files);
      for (const f of inner.files) if (!listed.has(f)) files.push(f);
      if (inner.truncated) truncated = true;
    }
  }
  if (trackedIgnored && !truncated) {
    // tracked files that .gitignore ignores: still in the repository, so still checked
    const listed = new Set(files);
    for (const abs of await trackedIgnored) {
      if (listed.has(abs) || !wanted(abs) || files.length >= maxFiles) continue;
      if (excludes.length && excludedBy(excludes, abs, false)) continue;
      const rel = inside(projectRoot, abs) ?? '';
      if (skipsOn && rel.split('/').slice(0, -1).some((part) => DEFAULT_SKIP_DIRS.includes(part))) continue;
      files.push(abs);
    }
  }
  files.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { files, skipped, truncated };
}

/** Whether `target` or any folder between `top` and it is ignored by the given levels. */
function gitIgnoredAlongPath(levels: readonly IgnoreLevel[], top: string, target: string): boolean {
  const rel = inside(top, target);
  if (!rel) return false;
  let cur = top;
  for (const part of rel.split('/')) {
    cur = join(cur, part);
    if (gitIgnored(levels, cur, true)) return true;
  }
  return false;
}
