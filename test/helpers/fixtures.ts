import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { ts } from 'ts-morph';
import { languageOf, parse } from '../../src/engine/analyze';
import { buildProjectModel, type ProjectModel } from '../../src/engine/project-model';
import { collectFacts, type FileFacts } from '../../src/engine/facts';

export interface Annotation {
  kind: 'ruleid' | 'ok' | 'todoruleid' | 'todook';
  ruleId: string;
  /** 1-based line the annotation applies to */
  line: number;
  /** optional `confidence=high` after the id */
  confidence?: string;
}

const ANNOTATION = /(?:\/\/-?|\/\*|\{\/\*|#|<!--|;|--|<%#|\{\{!(?:--)?|\{#)\s*(ruleid|ok|todoruleid|todook):\s*([a-z0-9-]+(?:\s*,\s*[a-z0-9-]+)*)(?:\s+confidence=(high|medium|low))?/;

/**
 * Reads Semgrep-style annotations: an annotation comment applies to the next line that is not blank
 * and not itself an annotation (a comment line can be the target, e.g. for suppression comments).
 */
export function parseAnnotations(text: string): Annotation[] {
  const lines = text.split(/\r?\n/);
  const out: Annotation[] = [];
  const pending: Omit<Annotation, 'line'>[] = [];
  lines.forEach((raw, i) => {
    const m = ANNOTATION.exec(raw);
    const trimmed = raw.trim();
    if (m) {
      for (const id of m[2].split(',').map((s) => s.trim())) pending.push({ kind: m[1] as Annotation['kind'], ruleId: id, confidence: m[3] });
      // an annotation at the end of a code line applies to that line
      if (!/^(\/\/|\/\*|\{\/\*|#|<!--|;|--|<%#|\{\{!|\{#)/.test(trimmed)) {
        for (const p of pending.splice(0)) out.push({ ...p, line: i + 1 });
      }
      return;
    }
    if (trimmed === '') return;
    for (const p of pending.splice(0)) out.push({ ...p, line: i + 1 });
  });
  return out;
}

/** `x.fixed.ts`, `x.fixed2.ts`: expected results of applying fixes to `x.ts` (see test/rules/fixes.test.ts). */
export const FIXED_FILE = /\.fixed\d*\.(?:[cm]?[jt]sx?|py|ejs|pug|hbs|njk)$/;

/** The JavaScript/TypeScript sources below `dir` (not `.d.ts`, not node_modules): for tests that check every one. */
/** Every file below a folder, at any depth (node_modules too: fixtures hold some). */
export function allFilesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...allFilesUnder(p)); else out.push(p);
  }
  return out;
}

/**
 * The texts of every file under the repository's folders given (default: fixtures, test projects and examples),
 * binary files left out: each whole text, and with `lines` each of its lines too. For the tests that compare a
 * shortcut with the full computation on real code.
 */
export function corpusTexts(dirs: readonly string[] = ['test/fixtures', 'test/projects', 'examples'], o: { lines?: boolean } = {}): string[] {
  const root = join(__dirname, '..', '..');
  const texts: string[] = [];
  for (const dir of dirs) {
    if (!existsSync(join(root, dir))) continue;
    for (const file of allFilesUnder(join(root, dir))) {
      const text = readFileSync(file, 'utf8');
      if (text.includes('\u0000')) continue;
      texts.push(text);
      if (o.lines) texts.push(...text.split('\n'));
    }
  }
  return texts;
}

/**
 * The string literals (and templates without substitutions) of a JavaScript or TypeScript file, in document order,
 * with the file's facts: what the secret rules look at. None for another kind of file.
 */
export function stringLiteralsOf(file: string, text: string): { literals: (ts.StringLiteral | ts.NoSubstitutionTemplateLiteral)[]; facts: FileFacts } | undefined {
  const lang = languageOf(file);
  if (!lang || lang === 'python') return undefined;
  const sf = parse(file, text, lang);
  const literals: (ts.StringLiteral | ts.NoSubstitutionTemplateLiteral)[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n)) literals.push(n);
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return { literals, facts: collectFacts(sf, file) };
}

/**
 * The JavaScript/TypeScript source files (no `.d.ts`) of the fixtures, the test projects and the examples, with their
 * texts: the real code a shortcut is compared with its full computation on.
 */
export function corpusSources(dirs: readonly string[] = ['test/fixtures', 'test/projects', 'examples']): { file: string; text: string }[] {
  const root = join(__dirname, '..', '..');
  return dirs.flatMap((d) => (existsSync(join(root, d)) ? sourceFilesUnder(join(root, d)) : []))
    .map((file) => ({ file, text: readFileSync(file, 'utf8') }));
}

/** The list of a noise-corpus app's files (bench/.work/files-<app>.txt), when that corpus has been downloaded. */
export function noiseCorpusList(app: string): string | undefined {
  const list = join(__dirname, '..', '..', 'bench', '.work', `files-${app}.txt`);
  return existsSync(list) ? list : undefined;
}

/** Every `every`-th file of a noise-corpus app (noiseCorpusList) with its text; none when it is not downloaded. */
export function noiseCorpusSample(app: string, every: number): { file: string; text: string }[] {
  const list = noiseCorpusList(app);
  if (!list) return [];
  return readFileSync(list, 'utf8').split('\n').filter(Boolean).filter((_, i) => i % every === 0)
    .map((file) => ({ file, text: readFileSync(file, 'utf8') }));
}

/** A deterministic choice among items (a linear congruential generator from `seed`), for generated test code. */
export function seededPick(seed: number): <T>(xs: readonly T[]) => T {
  let a = seed;
  const r = () => ((a = (a * 1103515245 + 12345) % 2147483648) / 2147483648);
  return <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
}

export function sourceFilesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (f === 'node_modules') return [];
    return statSync(p).isDirectory() ? sourceFilesUnder(p) : /\.[cm]?[jt]sx?$/.test(f) && !/\.d\.[cm]?ts$/.test(f) ? [p] : [];
  });
}

/**
 * Every identifier, private name and string literal of the fixtures, the test projects and Shipsafe's own sources:
 * the names a gate on names (a shortcut before a full test) is checked against.
 */
export function namesInSources(): Set<string> {
  const root = join(__dirname, '..', '..');
  const names = new Set<string>();
  for (const file of [...sourceFilesUnder(join(root, 'test', 'fixtures')), ...sourceFilesUnder(join(root, 'test', 'projects')), ...sourceFilesUnder(join(root, 'src'))]) {
    const lang = languageOf(file);
    if (!lang || lang === 'python') continue;
    const visit = (n: ts.Node): void => {
      if (ts.isIdentifier(n) || ts.isPrivateIdentifier(n) || ts.isStringLiteral(n)) names.add(n.text);
      ts.forEachChild(n, visit);
    };
    visit(parse(file, readFileSync(file, 'utf8'), lang));
  }
  return names;
}

export function listFixtureFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const f of readdirSync(d).sort()) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else if (!FIXED_FILE.test(f)) out.push(p); // config, deploy and text files too (rules with file checks)
    }
  };
  walk(dir);
  return out;
}

export function readFixture(path: string, root: string): { text: string; rel: string } {
  return { text: readFileSync(path, 'utf8'), rel: relative(root, path).replace(/\\/g, '/') };
}

const models = new Map<string, ProjectModel>();
/**
 * Multi-file fixture apps: a folder (below a rule's folder) with a package.json is one app, and each of its files
 * is analysed with the project model of the whole app, with paths relative to the rule's folder as the engine sees
 * them. Undefined for a fixture that is not part of an app.
 */
export function fixtureProject(file: string, ruleDir: string): ProjectModel | undefined {
  for (let d = dirname(file); d.startsWith(ruleDir) && d.length > ruleDir.length; d = dirname(d)) {
    if (!existsSync(join(d, 'package.json'))) continue;
    let m = models.get(d);
    if (!m) { m = buildProjectModel(listFixtureFiles(d), ruleDir).model; models.set(d, m); }
    return m;
  }
  return undefined;
}
