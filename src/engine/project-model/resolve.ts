/**
 * Resolves an import specifier to a file of the project, the way Node and TypeScript would for the common
 * layouts: relative paths (with or without extension, `index` files, `./x.js` written for `./x.ts`), tsconfig/
 * jsconfig `paths` and `baseUrl`, and packages of the workspace by their package.json name. Pure: it only
 * looks at the set of files the model knows.
 */
import type { ConfigFacts } from './types';

const EXTENSIONS = ['.ts', '.tsx', '.js', '.jsx', '.mjs', '.cjs', '.mts', '.cts'];

export function dirOf(file: string): string {
  const i = file.lastIndexOf('/');
  return i < 0 ? '' : file.slice(0, i);
}

/** Joins and normalises `a/b` + `../c` (forward slashes, no leading `./`); undefined when it climbs above the root. */
export function joinPath(dir: string, rel: string): string | undefined {
  const out = dir ? dir.split('/') : [];
  for (const seg of rel.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') { if (!out.length || out[out.length - 1] === '..') return undefined; out.pop(); continue; }
    out.push(seg);
  }
  return out.join('/');
}

/** The file a path names, trying extensions and index files. */
export function probeFile(base: string, has: (f: string) => boolean): string | undefined {
  if (has(base)) return base;
  // `./db.js` written in TypeScript for `./db.ts`
  const m = /\.(m|c)?js$/.exec(base);
  if (m) {
    const stem = base.slice(0, -m[0].length);
    for (const ext of [`.${m[1] ?? ''}ts`, '.tsx']) if (has(stem + ext)) return stem + ext;
  }
  for (const ext of EXTENSIONS) if (has(base + ext)) return base + ext;
  for (const ext of EXTENSIONS) if (has(`${base}/index${ext}`)) return `${base}/index${ext}`;
  return undefined;
}

interface Alias { dir: string; baseUrl?: string; paths: [string, string[]][] }

export class Resolver {
  private readonly aliases: Alias[] = [];
  private readonly packages = new Map<string, { dir: string; main?: string; exports?: Record<string, string[]> }>();

  constructor(configs: readonly ConfigFacts[], private readonly has: (f: string) => boolean) {
    const byFile = new Map(configs.map((c) => [c.file, c]));
    for (const c of configs) {
      if (c.kind === 'package') {
        if (c.name) this.packages.set(c.name, { dir: dirOf(c.file), main: c.main, exports: c.exports });
        continue;
      }
      // follow a relative `extends` for baseUrl/paths (one level is what projects use)
      let baseUrl = c.baseUrl;
      let paths = c.paths;
      if ((!baseUrl || !paths) && c.extends && c.extends.startsWith('.')) {
        const target = joinPath(dirOf(c.file), c.extends.endsWith('.json') ? c.extends : `${c.extends}.json`);
        const parent = target !== undefined ? byFile.get(target) : undefined;
        if (parent) { baseUrl ??= parent.baseUrl; paths ??= parent.paths; }
      }
      if (!baseUrl && !paths) continue;
      this.aliases.push({ dir: dirOf(c.file), baseUrl, paths: Object.entries(paths ?? {}) });
    }
    // the deepest config first: a file uses the nearest one above it
    this.aliases.sort((a, b) => b.dir.length - a.dir.length);
  }

  resolve(from: string, spec: string): string | undefined {
    if (spec.startsWith('.')) {
      const p = joinPath(dirOf(from), spec);
      return p === undefined ? undefined : probeFile(p, this.has);
    }
    if (spec.startsWith('/') || spec.startsWith('node:')) return undefined;
    const alias = this.aliases.find((a) => a.dir === '' || from.startsWith(`${a.dir}/`));
    if (alias) {
      for (const [pattern, targets] of alias.paths) {
        const star = pattern.indexOf('*');
        let rest: string | undefined;
        if (star < 0) { if (spec === pattern) rest = ''; }
        else if (spec.startsWith(pattern.slice(0, star)) && spec.endsWith(pattern.slice(star + 1)) && spec.length >= pattern.length - 1) {
          rest = spec.slice(star, spec.length - (pattern.length - star - 1));
        }
        if (rest === undefined) continue;
        for (const t of targets) {
          const p = joinPath(alias.dir, t.replace('*', rest));
          const f = p === undefined ? undefined : probeFile(p, this.has);
          if (f) return f;
        }
      }
      if (alias.baseUrl !== undefined) {
        const p = joinPath(alias.dir, `${alias.baseUrl}/${spec}`);
        const f = p === undefined ? undefined : probeFile(p, this.has);
        if (f) return f;
      }
    }
    // a package of the workspace, by name (`@acme/db`, `@acme/db/client`)
    for (const [name, pkg] of this.packages) {
      if (spec !== name && !spec.startsWith(`${name}/`)) continue;
      const sub = spec.slice(name.length + 1);
      // the package's `exports` map decides first when it names the subpath (Node refuses subpaths it does not list)
      if (pkg.exports) {
        const targets = exportTargetsFor(pkg.exports, sub ? `./${sub}` : '.');
        for (const t of targets) {
          const p = joinPath(pkg.dir, t);
          const f = p === undefined ? undefined : probeFile(p, this.has) ?? sourceTwin(p, this.has);
          if (f) return f;
        }
      }
      const candidates = sub ? [`${pkg.dir}/${sub}`, `${pkg.dir}/src/${sub}`] : [
        ...(pkg.main ? [joinPath(pkg.dir, pkg.main)] : []), `${pkg.dir}/src/index`, `${pkg.dir}/index`,
      ];
      for (const c of candidates) {
        if (c === undefined) continue;
        const f = probeFile(c.replace(/^\//, ''), this.has);
        if (f) return f;
      }
    }
    return undefined;
  }
}

/** The targets `exports` gives a subpath: an exact key, else the longest `./prefix/*` pattern that matches. */
function exportTargetsFor(exports: Record<string, string[]>, subpath: string): string[] {
  if (exports[subpath]) return exports[subpath];
  let best: [string, string[]] | undefined;
  for (const [key, targets] of Object.entries(exports)) {
    const star = key.indexOf('*');
    if (star < 0) continue;
    const head = key.slice(0, star);
    const tail = key.slice(star + 1);
    if (!subpath.startsWith(head) || !subpath.endsWith(tail) || subpath.length < key.length - 1) continue;
    if (!best || head.length > best[0].length) {
      const rest = subpath.slice(head.length, subpath.length - tail.length);
      best = [head, targets.map((t) => t.split('*').join(rest))];
    }
  }
  return best?.[1] ?? [];
}

/**
 * A built file's source when the build output is not in the workspace: `dist/index.js` → `src/index.ts`
 * (the layout tsc, tsup and unbuild produce by default), also `lib/` and `build/`.
 */
function sourceTwin(built: string, has: (f: string) => boolean): string | undefined {
  const m = /^(.*?\/)?(dist|lib|build|out)\/(.*?)(\.(?:m|c)?js|\.d\.(?:m|c)?ts)?$/.exec(built);
  if (!m) return undefined;
  return probeFile(`${m[1] ?? ''}src/${m[3]}`, has);
}
