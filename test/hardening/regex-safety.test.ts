/**
 * Every regular expression written in src/ is checked for super-linear backtracking (ReDoS), zero allowed
 * (issue 15). The checker is scslre (the analysis behind eslint-plugin-regexp's no-super-linear-backtracking): it
 * works on the regex's automaton, is deterministic and checks all ~640 regexes in about a second. It finds the
 * polynomial cases a repeated character triggers (`\s*\}\s*$`, `^\s*\(?\s*SELECT`, `[^\]]*\w-\w[^\]]*`), which
 * is what the regexes here met on hostile input.
 *
 * `npm run test:regex` runs recheck (a second, heavier checker with a seeded fuzzer) over the same list; it takes
 * minutes, and its fuzzer has false positives on some literal-prefixed provider patterns, so it is a tool for
 * investigating, not a gate. Exclude globs from .shipsafe.json are not regexes at all (src/engine/project/glob.ts).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { RegExpParser } from '@eslint-community/regexpp';
import { analyse } from 'scslre';
import { regexesIn, type FoundRegex } from '../helpers/regexes';

const root = join(__dirname, '..', '..');

export function superLinear(r: Pick<FoundRegex, 'source' | 'flags'>): string[] {
  // a RegExp's source may hold an unescaped `/` inside a class; the literal syntax needs it escaped
  const literal = `/${r.source.replace(/(^|[^\\])\//g, '$1\\/')}/${r.flags}`;
  const ast = new RegExpParser().parseLiteral(literal);
  return analyse(ast, { reportTypes: { Move: true, Self: true, Trade: true } }).reports
    .map((x) => `${x.type}${x.exponential ? ' (exponential)' : ''}`);
}

describe('regular expressions in src/ (ReDoS)', () => {
  const found = regexesIn(root);
  const distinct = new Map<string, FoundRegex[]>();
  for (const r of found) {
    const k = `/${r.source}/${r.flags}`;
    const l = distinct.get(k);
    if (l) l.push(r); else distinct.set(k, [r]);
  }

  it('the extraction finds the regexes, and the checker flags known-bad ones', () => {
    assert.ok(distinct.size > 300, `only ${distinct.size} regexes found`);
    // the ones issue 15 found, as they were: the checker must see them
    for (const bad of ['\\[[^\\]]*\\w-\\w[^\\]]*\\]', '\\s*\\}\\s*$', '^\\s*\\(?\\s*(SELECT|INSERT)\\b', '([A-Z]+)([A-Z][a-z])']) {
      assert.notDeepEqual(superLinear({ source: bad, flags: '' }), [], bad);
    }
  });

  it('no regex backtracks super-linearly', () => {
    const bad: string[] = [];
    for (const [k, rs] of distinct) {
      const reports = superLinear(rs[0]);
      if (reports.length) bad.push(`${k.slice(0, 160)} — ${reports.join(', ')}\n    at ${rs.map((r) => `${r.file}:${r.line}`).join(', ')}`);
    }
    assert.deepEqual(bad, [], `${bad.length} regex(es) with super-linear backtracking:\n${bad.join('\n')}`);
  });
});
