/**
 * "Move secret to .env": replaces a hard-coded secret with `process.env.NAME` and writes the value to the `.env`
 * next to the nearest package.json, `NAME=` to `.env.example`, and `.env` to `.gitignore` when git would not
 * ignore it yet — as one fix with several file edits. Pure: the project is read through a {@link FixHost}.
 *
 * Guarantees: the value goes to `.env` only (never to the title, the note, `.env.example` or the source); an
 * existing NAME is never overwritten (equal value → reused, other value → another name is chosen); `.env`'s
 * other content and line endings are kept; applying the fix twice changes nothing more.
 */
import { dirname, join, relative, sep } from 'node:path';
import ignore from 'ignore';
import { ts } from 'ts-morph';
import type { FileEdit, Finding, Fix, FixData } from '../model/types';
import { maskSecret } from '../util/text';
import { PUBLIC_ENV_PREFIXES } from '../secrets/env-names';
import { eolOf, escapeTemplateText, isTypeScript } from './edits';

export interface GitState {
  /** the file is tracked (`git ls-files --error-unmatch`) */
  tracked: boolean;
  /** some commit on any branch touched the path (`git log --all -- <path>`) */
  inHistory: boolean;
}

/** How the engine reads the project around a file. The CLI and the editor implement it. */
export interface FixHost {
  readFile(absPath: string): string | undefined;
  exists(absPath: string): boolean;
  /** git state of a path; absent when git may not run (untrusted workspace) or the folder is not a repository */
  gitStatus?(absPath: string): GitState | undefined;
}

export interface ProjectContext {
  /** the analysed file's absolute path */
  absPath: string;
  /** do not look for package.json / .git above this folder (the workspace folder) */
  root?: string;
}

type MoveToEnv = Extract<FixData, { kind: 'move-to-env' }>;

// ---------------------------------------------------------------------------------------------------------
// .env files

export interface EnvEntry { name: string; value: string }

/** Parses a .env file the way dotenv does (export prefix, quotes, `\n` in double quotes, comments). */
export function parseDotenv(text: string, expandMode = false): Map<string, string> {
  const out = new Map<string, string>();
  // a scanner, not dotenv's one-regex parser: that regex is quadratic on long lines of a hostile .env
  const lines = text.replace(/\r\n?/g, '\n');
  const n = lines.length;
  let i = 0;
  while (i < n) {
    while (i < n && /\s/.test(lines[i])) i++;
    if (i >= n) break;
    let lineEnd = lines.indexOf('\n', i);
    if (lineEnd < 0) lineEnd = n;
    const head = /^(?:export[ \t]+)?([\w.-]+)(?:[ \t]*=|:[ \t])/.exec(lines.slice(i, lineEnd));
    if (!head) { i = lineEnd + 1; continue; }
    const key = head[1];
    let j = i + head[0].length;
    while (j < lineEnd && (lines[j] === ' ' || lines[j] === '\t')) j++;
    const q = lines[j];
    let raw: string | undefined;
    if (q === "'" || q === '"' || q === '`') {
      // a quoted value may span lines; `\'` inside single quotes does not close it (as in dotenv)
      let k = j + 1;
      while (k < n && lines[k] !== q) k += lines[k] === '\\' && lines[k + 1] === q ? 2 : 1;
      if (k < n) {
        raw = lines.slice(j, k + 1);
        const after = lines.indexOf('\n', k);
        i = after < 0 ? n : after + 1;
      }
    }
    if (raw === undefined) {
      const rest = lines.slice(j, lineEnd);
      const hash = rest.indexOf('#');
      raw = hash >= 0 ? rest.slice(0, hash) : rest;
      i = lineEnd + 1;
    }
    let value = raw.trim();
    if (value.length >= 2 && (q === "'" || q === '"' || q === '`') && value[0] === q && value[value.length - 1] === q) value = value.slice(1, -1);
    if (q === '"') value = value.replace(/\\n/g, '\n').replace(/\\r/g, '\r');
    if (expandMode) value = value.replace(/\\\$/g, '$');
    out.set(key, value);
  }
  return out;
}

/**
 * The `.env` line for a value, or undefined when no quoting keeps it intact. `expandMode`: the loader expands
 * `$VAR` (Next.js, Vite, dotenv-expand), so `$` is written `\$`.
 */
export function dotenvLine(name: string, value: string, expandMode: boolean): string | undefined {
  let v = value;
  if (expandMode) v = v.replace(/\$/g, '\\$');
  if (/^[A-Za-z0-9_\-./+=:@,~%^*!?\\$]*$/.test(v) && !/^['"`]/.test(v) && !/\\n/.test(v)) return `${name}=${v}`;
  if (!/[\r\n']/.test(v)) return `${name}='${v}'`;
  if (/[\r\n]/.test(v) && !/"/.test(v) && !/\\[nr]/.test(v)) return `${name}="${v.replace(/\r\n/g, '\\n').replace(/\n/g, '\\n').replace(/\r/g, '\\r')}"`;
  if (!/[\r\n`]/.test(v)) return `${name}=\`${v}\``;
  return undefined;
}

/** A valid, non-public environment variable name. */
export function cleanEnvName(raw: string): string {
  let n = raw.toUpperCase().replace(/[^A-Z0-9_]+/g, '_').replace(/_+/g, '_').replace(/^_/, '').replace(/_$/, ''); // runs of _ are one _ already
  for (const p of PUBLIC_ENV_PREFIXES) if (n.startsWith(p.prefix) && n.length > p.prefix.length) n = n.slice(p.prefix.length);
  if (!n) n = 'API_SECRET';
  if (/^[0-9]/.test(n)) n = `SECRET_${n}`;
  return n;
}

/** Appends a line to a file's text, keeping its line endings and adding the missing final line break. */
function appendLine(text: string | undefined, line: string, eolDefault: '\n' | '\r\n'): { create: boolean; edit: { start: number; end: number; newText: string } } {
  if (text === undefined) return { create: true, edit: { start: 0, end: 0, newText: `${line}${eolDefault}` } };
  const eol = text.length ? eolOf(text) : eolDefault;
  const needsBreak = text.length > 0 && !/[\r\n]$/.test(text);
  return { create: false, edit: { start: text.length, end: text.length, newText: `${needsBreak ? eol : ''}${line}${eol}` } };
}

/** Whether git would ignore `envAbs`, judging by the .gitignore files from `top` down to its folder. */
function gitIgnores(host: FixHost, top: string, envAbs: string): boolean {
  const envDir = dirname(envAbs);
  const dirs: string[] = [];
  for (let d = envDir; ; d = dirname(d)) {
    dirs.unshift(d);
    if (d === top || dirname(d) === d) break;
  }
  let ignored = false;
  for (const d of dirs) {
    const gi = host.readFile(join(d, '.gitignore'));
    if (gi === undefined) continue;
    const rel = relative(d, envAbs).split(sep).join('/');
    const ig = ignore().add(gi);
    const r = ig.test(rel);
    if (r.ignored) ignored = true;
    else if (r.unignored) ignored = false;
  }
  return ignored;
}

function findUp(host: FixHost, from: string, name: string, stopAt?: string): string | undefined {
  for (let d = from; ; d = dirname(d)) {
    if (host.exists(join(d, name))) return d;
    if ((stopAt && d === stopAt) || dirname(d) === d) return undefined;
  }
}

const LOADS_DOTENV = /^(next|vite|nuxt|@sveltejs\/kit|astro|@remix-run\/dev|@nestjs\/config|dotenv|dotenv-flow|dotenv-cli|@next\/env|dotenvx|@dotenvx\/dotenvx|env-cmd|react-scripts|gatsby|expo|@expo\/cli|wrangler|vercel|netlify-cli|bun-types|@types\/bun)$/;
const EXPANDS = /^(next|vite|dotenv-expand|@next\/env|nuxt|astro|@sveltejs\/kit|react-scripts)$/;

interface PackageInfo { loadsDotenv: boolean; expands: boolean; scriptsUseEnvFile: boolean }

function packageInfo(text: string | undefined): PackageInfo {
  if (!text) return { loadsDotenv: false, expands: false, scriptsUseEnvFile: false };
  let pkg: { dependencies?: Record<string, string>; devDependencies?: Record<string, string>; scripts?: Record<string, string> };
  try { pkg = JSON.parse(text) as typeof pkg; } catch { return { loadsDotenv: false, expands: false, scriptsUseEnvFile: false }; }
  const deps = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies });
  const scripts = Object.values(pkg.scripts ?? {}).join('\n');
  return {
    loadsDotenv: deps.some((d) => LOADS_DOTENV.test(d)),
    expands: deps.some((d) => EXPANDS.test(d)),
    scriptsUseEnvFile: /--env-file|dotenv|env-cmd/.test(scripts),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Python

/**
 * The value of a Python string literal's source text (`"a\\nb"`, `r'…'`, `"""…"""`), or undefined for bytes,
 * f-strings and escapes this does not read (the fix is then not offered rather than writing a wrong value).
 */
export function pyLiteralValue(raw: string): string | undefined {
  const m = /^([rRuU]?)('''|"""|'|")/.exec(raw);
  if (!m) return undefined;
  const [, prefix, q] = m;
  if (raw.length < prefix.length + 2 * q.length || !raw.endsWith(q)) return undefined;
  const body = raw.slice(prefix.length + q.length, raw.length - q.length);
  if (prefix === 'r' || prefix === 'R') return body.endsWith('\\') ? undefined : body;
  const simple: Record<string, string> = { '\\': '\\', "'": "'", '"': '"', n: '\n', t: '\t', r: '\r', '\n': '' };
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== '\\') { out += c; continue; }
    const d = body[++i];
    if (d === undefined) return undefined;
    if (d in simple) { out += simple[d]; continue; }
    const hex = d === 'x' ? 2 : d === 'u' ? 4 : d === 'U' ? 8 : 0;
    if (!hex) return undefined;
    const h = body.slice(i + 1, i + 1 + hex);
    if (h.length !== hex || !/^[0-9a-fA-F]+$/.test(h)) return undefined;
    const cp = parseInt(h, 16);
    if (cp > 0x10ffff) return undefined;
    out += String.fromCodePoint(cp);
    i += hex;
  }
  return out;
}

/**
 * The `.env` line for a value as python-dotenv reads it: bare when no character needs quoting, else in single
 * quotes (where only `\\` and `\'` are escapes), multi-line values in double quotes; undefined for a value
 * holding `${`, which python-dotenv would expand.
 */
export function pyDotenvLine(name: string, value: string): string | undefined {
  if (value.includes('${')) return undefined;
  if (/^[A-Za-z0-9_\-./+=:@,~%^*!?]*$/.test(value)) return `${name}=${value}`;
  if (!/[\r\n]/.test(value)) return `${name}='${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  return `${name}="${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r/g, '\\r').replace(/\n/g, '\\n')}"`;
}

/** Files that mark a Python project's root: `.env` goes next to them. */
const PY_PROJECT_FILES = ['pyproject.toml', 'requirements.txt', 'manage.py', 'setup.py', 'setup.cfg', 'Pipfile', 'package.json'];
/** Packages that load `.env` into `os.environ` (or settings) for a Python app. */
const PY_LOADS_DOTENV = /\b(python-dotenv|django-environ|environs|pydantic-settings|python-decouple)\b/i;
/** The same in code: `load_dotenv()`, `environ.Env.read_env()`, `dotenv_values(…)`, pydantic `env_file`. */
const PY_LOADS_DOTENV_CODE = /\b(load_dotenv|read_env|dotenv_values|env_file)\b/;

function findUpAny(host: FixHost, from: string, names: readonly string[], stopAt?: string): string | undefined {
  for (let d = from; ; d = dirname(d)) {
    if (names.some((n) => host.exists(join(d, n)))) return d;
    if ((stopAt && d === stopAt) || dirname(d) === d) return undefined;
  }
}

function pyLoadsDotenv(host: FixHost, dir: string, fileText: string): boolean {
  if (PY_LOADS_DOTENV_CODE.test(fileText)) return true;
  return ['requirements.txt', 'pyproject.toml', 'Pipfile', 'setup.cfg', 'setup.py'].some((f) => PY_LOADS_DOTENV.test(host.readFile(join(dir, f)) ?? ''));
}

// ---------------------------------------------------------------------------------------------------------
// the fix

/** The value of a string literal's source text (`'a\\nb'` → a, newline, b), or undefined when it is not one. */
export function literalValue(raw: string): string | undefined {
  const sf = ts.createSourceFile('x.ts', `(${raw});`, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const st = sf.statements[0];
  if (!st || !ts.isExpressionStatement(st)) return undefined;
  let e = st.expression;
  while (ts.isParenthesizedExpression(e)) e = e.expression;
  if (!ts.isStringLiteral(e) && !ts.isNoSubstitutionTemplateLiteral(e)) return undefined;
  if ((sf as unknown as { parseDiagnostics?: unknown[] }).parseDiagnostics?.length) return undefined;
  return e.text;
}

/** The secret's value and the source replacement: `process.env.NAME` (with `!` in TypeScript), inside a template when the secret is part of the literal. */
function sourceEdit(finding: Finding, data: MoveToEnv, fileText: string, name: string): { start: number; end: number; newText: string } | undefined {
  if (data.python) return data.part ? undefined : { start: data.replace.start, end: data.replace.end, newText: `os.environ["${name}"]` };
  const isTs = isTypeScript(finding.file);
  const ref = `process.env.${name}${isTs ? '!' : ''}`;
  const jsxAttr = (_start: number) => !!data.jsx;
  if (data.part) {
    const cooked = literalValue(fileText.slice(data.literal.start, data.literal.end));
    if (cooked === undefined) return undefined;
    const before = cooked.slice(0, data.part.start);
    const after = cooked.slice(data.part.end);
    const tpl = `\`${escapeTemplateText(before)}\${process.env.${name}}${escapeTemplateText(after)}\``;
    return { start: data.literal.start, end: data.literal.end, newText: jsxAttr(data.literal.start) ? `{${tpl}}` : tpl };
  }
  const r = data.replace;
  return { start: r.start, end: r.end, newText: jsxAttr(r.start) ? `{${ref}}` : ref };
}

/** The secret itself, read from the file text through the literal's escapes. */
export function secretValue(data: MoveToEnv, fileText: string): string | undefined {
  const raw = fileText.slice(data.literal.start, data.literal.end);
  const cooked = data.python ? pyLiteralValue(raw) : literalValue(raw);
  if (cooked === undefined) return undefined;
  return data.part ? cooked.slice(data.part.start, data.part.end) : cooked;
}

/** Whether the source already reads `process.env.NAME` outside the replaced range. */
function codeReads(fileText: string, name: string, except: { start: number; end: number }, python = false): boolean {
  const re = python
    ? new RegExp(`os\\.(?:environ\\[\\s*['"]${name}['"]|environ\\.get\\(\\s*['"]${name}['"]|getenv\\(\\s*['"]${name}['"])`, 'g')
    : new RegExp(`process\\.env(?:\\.${name}\\b|\\[['"\`]${name}['"\`]\\])`, 'g');
  let m: RegExpExecArray | null;
  while ((m = re.exec(fileText))) if (m.index < except.start || m.index >= except.end) return true;
  return false;
}

export function moveToEnvFix(finding: Finding, fileText: string, host: FixHost, project: ProjectContext): Fix | undefined {
  const data = finding.fixData;
  if (!data || data.kind !== 'move-to-env') return undefined;
  const value = secretValue(data, fileText);
  if (!value || value.length > 20_000) return undefined;
  const masked = maskSecret(value);
  if (data.browser) {
    return {
      title: `Move the key (${masked}) to server code`,
      safety: 'suggestion',
      edits: [],
      disabled: 'This file runs in the browser, so every visitor can read any key it uses, even from an environment variable. Move the call that needs the key to server code (an API route or server action) and keep the key in a server-only variable there; do not use a NEXT_PUBLIC_ variable for it.',
    };
  }
  const srcDir = dirname(project.absPath);
  const py = !!data.python;
  const pkgDir = (py ? findUpAny(host, srcDir, PY_PROJECT_FILES, project.root) : findUp(host, srcDir, 'package.json', project.root)) ?? project.root ?? srcDir;
  const pkg = py ? { loadsDotenv: pyLoadsDotenv(host, pkgDir, fileText), expands: false, scriptsUseEnvFile: false } : packageInfo(host.readFile(join(pkgDir, 'package.json')));
  const envPath = join(pkgDir, '.env');
  const examplePath = join(pkgDir, '.env.example');
  const envText = host.readFile(envPath);
  const exampleText = host.readFile(examplePath);
  const existing = parseDotenv(envText ?? '', pkg.expands);
  const srcEol = eolOf(fileText);

  // choose the name: reuse it when .env already holds this value under it, never overwrite another value
  const base = cleanEnvName(data.envName);
  let name: string | undefined;
  let reuse = false;
  if (data.existingEnv) {
    const cur = existing.get(base);
    if (cur !== undefined && cur !== value) {
      return {
        title: `Remove the fallback value of ${base}`,
        safety: 'suggestion',
        edits: [],
        disabled: `.env already sets ${base} to a different value, so the fallback (${masked}) cannot be moved there without losing one of them. Decide which value is right, put it in .env, then delete the fallback by hand.`,
      };
    }
    name = base;
    reuse = cur === value;
  } else {
    for (let i = 1; i < 50 && !name; i++) {
      const candidate = i === 1 ? base : `${base}_${i}`;
      const cur = existing.get(candidate);
      if (cur === value) { name = candidate; reuse = true; break; }
      if (cur !== undefined) continue;
      if (codeReads(fileText, candidate, data.replace, py)) continue;
      name = candidate;
    }
  }
  if (!name) return undefined;

  const edits: FileEdit[] = [];
  const src = sourceEdit(finding, data, fileText, name);
  if (!src) return undefined;
  const imp = data.python?.importOs;
  edits.push({ file: finding.file, textEdits: imp ? [{ start: imp.at, end: imp.at, newText: imp.text }, src] : [src] });
  if (!reuse) {
    const line = py ? pyDotenvLine(name, value) : dotenvLine(name, value, pkg.expands);
    if (!line) return undefined;
    const a = appendLine(envText, line, srcEol);
    edits.push({ file: envPath, ...(a.create ? { create: true } : {}), textEdits: [a.edit] });
  }
  const exampleHas = exampleText !== undefined && parseDotenv(exampleText).has(name);
  if (!exampleHas) {
    const a = appendLine(exampleText, `${name}=`, srcEol);
    edits.push({ file: examplePath, ...(a.create ? { create: true } : {}), textEdits: [a.edit] });
  }
  const gitTop = findUp(host, pkgDir, '.git', undefined) ?? pkgDir;
  if (!gitIgnores(host, gitTop, envPath)) {
    const giPath = join(pkgDir, '.gitignore');
    const a = appendLine(host.readFile(giPath), '.env', srcEol);
    edits.push({ file: giPath, ...(a.create ? { create: true } : {}), textEdits: [a.edit] });
  }

  // what else the user has to know
  const notes: string[] = [];
  let warn = '';
  const envGit = host.gitStatus?.(envPath);
  const srcGit = host.gitStatus?.(project.absPath);
  if (envGit?.tracked) {
    warn = ' (.env is tracked by git: rotate the key)';
    notes.push('.env is tracked by git, so the key would be committed: run `git rm --cached .env` and rotate the key with the provider.');
  } else if (envGit?.inHistory) {
    warn = ' (.env is in git history: rotate the key)';
    notes.push('.env appears in git history, so earlier secrets in it are public to anyone with the repository: rotate them, not just this one.');
  }
  if (srcGit?.tracked || srcGit?.inHistory) {
    if (!warn) warn = ' (it is in git history: rotate it)';
    notes.push(`${relativeName(pkgDir, project.absPath)} is in git, so this key stays readable in its history after the move: rotate it with the provider.`);
  }
  if (py && !pkg.loadsDotenv) {
    notes.push('Nothing loads .env yet: `pip install python-dotenv` and call `load_dotenv()` before the settings are read (`flask run` loads .env by itself once python-dotenv is installed).');
  } else if (!py && !pkg.loadsDotenv && !pkg.scriptsUseEnvFile && !/dotenv/.test(fileText)) {
    notes.push("Nothing in package.json loads .env yet: start the app with `node --env-file=.env` or add `import 'dotenv/config'` (npm install dotenv).");
  }
  if (value.length < 24 && /secret|session|jwt|cookie/i.test(base)) {
    notes.push('The value is short enough to guess: replace it with a long random one (`openssl rand -hex 32`).');
  }
  const where = relativeName(srcDir, envPath);
  return {
    title: data.existingEnv
      ? `Drop the fallback: keep ${name} (${masked}) only in ${where}${warn}`
      : `Move the secret (${masked}) to ${where} as ${name}${warn}`,
    safety: 'suggestion',
    edits,
    ...(notes.length ? { note: notes.join(' ') } : {}),
  };
}

function relativeName(fromDir: string, abs: string): string {
  const r = relative(fromDir, abs).split(sep).join('/');
  return r && !r.startsWith('../../../') ? r : abs;
}

/** Fixes that need the project around the file; today: moving a secret to `.env`. */
export function resolveProjectFixes(finding: Finding, fileText: string, host: FixHost, project: ProjectContext): Fix[] {
  const f = moveToEnvFix(finding, fileText, host, project);
  return f ? [f] : [];
}

export { appendLine as _appendLine };
