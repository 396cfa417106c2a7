/**
 * Exclude globs without backtracking. The globs come from `.shipsafe.json`, which is part of the scanned
 * repository and so untrusted: a regex-compiling matcher (minimatch) takes minutes on `src/*a*a*a*a*a*b` against
 * a long file name. Here a glob is split into path segments and matched with the classic two-pointer wildcard
 * algorithm (at each `*` remember where to resume; on a mismatch resume one character further), once for the
 * characters of a segment and once for the segments of a path (`**`). That is O(pattern × path) at worst, and
 * both are capped in length, so no glob can stall a scan.
 *
 * Supported (what exclude globs use): `*` (any characters but `/`), `**` (any number of folders), `?`, `[abc]`,
 * `[a-z]`, `[!a-z]` / `[^a-z]`, `{a,b}` (expanded, at most MAX_ALTERNATIVES patterns), `\` escapes, and a leading
 * `!` that negates. Dot files are matched like any other (minimatch's `dot: true`).
 */

/** Longest glob accepted; a longer one is a configuration error (nobody writes a 1,000-character exclude). */
export const MAX_GLOB_LENGTH = 1000;
/** Paths longer than this are never matched (no real path is that long; PATH_MAX is 4096). */
export const MAX_PATH_LENGTH = 8192;
const MAX_ALTERNATIVES = 256;

export class GlobError extends Error {}

type Atom =
  | { t: 'char'; c: string }
  | { t: 'any' } // ?
  | { t: 'star' } // *
  | { t: 'class'; negate: boolean; items: (string | [string, string])[] };

type Segment = { globstar: true } | { globstar: false; atoms: Atom[] };

export interface CompiledGlob {
  source: string;
  match(path: string): boolean;
}

/** `{a,b}c` → [`ac`, `bc`] (nested braces too), with a cap on the number of results. */
function expandBraces(glob: string): string[] {
  let start = -1;
  let depth = 0;
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i];
    if (ch === '\\') { i++; continue; }
    if (ch === '{') { if (depth === 0) start = i; depth++; }
    else if (ch === '}' && depth > 0) {
      depth--;
      if (depth === 0) {
        const body = glob.slice(start + 1, i);
        const parts: string[] = [];
        let d = 0;
        let from = 0;
        for (let j = 0; j < body.length; j++) {
          const c = body[j];
          if (c === '\\') { j++; continue; }
          if (c === '{') d++;
          else if (c === '}') d--;
          else if (c === ',' && d === 0) { parts.push(body.slice(from, j)); from = j + 1; }
        }
        parts.push(body.slice(from));
        if (parts.length < 2) continue; // `{x}` is literal, as in bash
        const head = glob.slice(0, start);
        const tail = glob.slice(i + 1);
        const out: string[] = [];
        for (const p of parts) {
          for (const e of expandBraces(head + p + tail)) {
            out.push(e);
            if (out.length > MAX_ALTERNATIVES) throw new GlobError(`the glob expands to more than ${MAX_ALTERNATIVES} patterns`);
          }
        }
        return out;
      }
    }
  }
  return [glob];
}

function parseSegment(seg: string): Atom[] {
  const atoms: Atom[] = [];
  for (let i = 0; i < seg.length; i++) {
    const ch = seg[i];
    if (ch === '\\' && i + 1 < seg.length) { atoms.push({ t: 'char', c: seg[++i] }); continue; }
    if (ch === '*') {
      if (atoms[atoms.length - 1]?.t !== 'star') atoms.push({ t: 'star' }); // `**` inside a segment is one `*`
      continue;
    }
    if (ch === '?') { atoms.push({ t: 'any' }); continue; }
    if (ch === '[') {
      const close = seg.indexOf(']', i + 2);
      if (close > i) {
        let body = seg.slice(i + 1, close);
        const negate = body[0] === '!' || body[0] === '^';
        if (negate) body = body.slice(1);
        const items: (string | [string, string])[] = [];
        for (let j = 0; j < body.length; j++) {
          let c = body[j];
          if (c === '\\' && j + 1 < body.length) c = body[++j];
          if (body[j + 1] === '-' && j + 2 < body.length) { items.push([c, body[j + 2]]); j += 2; }
          else items.push(c);
        }
        atoms.push({ t: 'class', negate, items });
        i = close;
        continue;
      }
    }
    atoms.push({ t: 'char', c: ch });
  }
  return atoms;
}

function atomMatches(a: Atom, c: string): boolean {
  switch (a.t) {
    case 'char': return a.c === c;
    case 'any': return true;
    case 'star': return false;
    case 'class': {
      let hit = false;
      for (const it of a.items) {
        if (typeof it === 'string' ? it === c : c >= it[0] && c <= it[1]) { hit = true; break; }
      }
      return hit !== a.negate;
    }
  }
}

/**
 * Two-pointer wildcard matching: `isStar(p)` items match any run of inputs, `eq(p, s)` matches one item to one
 * input. Linear in practice, O(patterns × inputs) at worst: no backtracking beyond the last star.
 */
function wildcard(pLen: number, sLen: number, isStar: (p: number) => boolean, eq: (p: number, s: number) => boolean): boolean {
  let p = 0;
  let s = 0;
  let starP = -1;
  let starS = 0;
  while (s < sLen) {
    if (p < pLen && !isStar(p) && eq(p, s)) { p++; s++; continue; }
    if (p < pLen && isStar(p)) { starP = p++; starS = s; continue; }
    if (starP >= 0) { p = starP + 1; s = ++starS; continue; }
    return false;
  }
  while (p < pLen && isStar(p)) p++;
  return p === pLen;
}

function segmentMatches(atoms: Atom[], name: string): boolean {
  return wildcard(atoms.length, name.length, (p) => atoms[p].t === 'star', (p, s) => atomMatches(atoms[p], name[s]));
}

function compileOne(glob: string): (parts: string[]) => boolean {
  const segs: Segment[] = glob.split('/').filter(Boolean).map((s) => (s === '**' ? { globstar: true } : { globstar: false, atoms: parseSegment(s) }));
  // consecutive `**` are one
  const merged = segs.filter((s, i) => !(s.globstar && segs[i - 1]?.globstar));
  return (parts) => wildcard(merged.length, parts.length, (p) => merged[p].globstar,
    (p, s) => { const g = merged[p]; return !g.globstar && segmentMatches(g.atoms, parts[s]); });
}

/** Compiles an exclude glob (relative, forward slashes). Throws GlobError for a glob too long or too branchy. */
export function compileGlob(source: string): CompiledGlob {
  if (source.length > MAX_GLOB_LENGTH) throw new GlobError(`the glob is ${source.length} characters long; at most ${MAX_GLOB_LENGTH} are accepted`);
  let glob = source;
  let negate = false;
  while (glob.startsWith('!')) { negate = !negate; glob = glob.slice(1); }
  const matchers = expandBraces(glob).map(compileOne);
  return {
    source,
    match(path: string): boolean {
      if (path.length > MAX_PATH_LENGTH) return negate;
      const parts = path.split('/').filter(Boolean);
      const hit = matchers.some((m) => m(parts));
      return hit !== negate;
    },
  };
}
