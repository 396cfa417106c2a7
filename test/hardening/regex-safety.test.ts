/**
 * Every regular expression written in src/ is checked for super-linear backtracking (ReDoS) by recheck, a
 * maintained checker that proves complexity on an automaton and falls back to a fuzzer for what automata cannot
 * express (look-arounds, back-references). Zero allowed: a regex it flags must be rewritten (issue 15).
 *
 * Checking all ~630 takes minutes, too long for `npm test`. So `npm test` checks live every regex that is not in
 * test/hardening/regex-verdicts.json (a list of hashes of regexes recheck found safe, with recheck's version), so a
 * new or changed regex is always checked; `npm run test:regex` (also run by .ci/run) checks all of them live,
 * ignoring that list, and fails if the list holds a hash that is not a current safe regex.
 * `SHIPSAFE_REGEX_UPDATE=1 npm run test:regex` rewrites the list after a full check.
 *
 * The fuzzer is seeded (randomSeed 0) so a verdict is reproducible. Exclude globs from .shipsafe.json are not
 * regexes at all (src/engine/project/glob.ts matches them without backtracking).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkSync } from 'recheck';
import { regexesIn, type FoundRegex } from '../helpers/regexes';

const root = join(__dirname, '..', '..');
const VERDICTS = join(__dirname, 'regex-verdicts.json');
const FULL = process.env.SHIPSAFE_REGEX_FULL === '1';
const UPDATE = process.argv.includes('--update') || process.env.SHIPSAFE_REGEX_UPDATE === '1';
const RECHECK_VERSION = (JSON.parse(readFileSync(join(root, 'node_modules', 'recheck', 'package.json'), 'utf8')) as { version: string }).version;

/** `g` and `y` change where matching starts, not its complexity. */
const flagsOf = (r: FoundRegex) => r.flags.replace(/[gy]/g, '');
const keyOf = (r: FoundRegex) => createHash('sha256').update(`${flagsOf(r)}/${r.source}`).digest('hex').slice(0, 24);

interface Verdicts { recheck: string; safe: string[] }

function loadVerdicts(): Verdicts {
  try { return JSON.parse(readFileSync(VERDICTS, 'utf8')) as Verdicts; } catch { return { recheck: '', safe: [] }; }
}

describe('regular expressions in src/ (ReDoS)', () => {
  const found = regexesIn(root);
  const distinct = new Map<string, FoundRegex[]>();
  for (const r of found) {
    const k = keyOf(r);
    const l = distinct.get(k);
    if (l) l.push(r); else distinct.set(k, [r]);
  }

  it('finds the regexes (the extraction works)', () => {
    assert.ok(distinct.size > 300, `only ${distinct.size} regexes found`);
  });

  it(FULL ? 'every regex is safe (full check)' : 'every regex not already proven safe is safe', { timeout: 60 * 60 * 1000 }, () => {
    const verdicts = loadVerdicts();
    const known = FULL || verdicts.recheck !== RECHECK_VERSION ? new Set<string>() : new Set(verdicts.safe);
    const bad: string[] = [];
    const safe: string[] = [];
    for (const [k, rs] of distinct) {
      if (known.has(k)) { safe.push(k); continue; }
      const d = checkSync(rs[0].source, flagsOf(rs[0]), { timeout: 120_000, randomSeed: 0 });
      if (d.status === 'safe') { safe.push(k); continue; }
      const why = d.status === 'vulnerable' ? `${d.complexity.summary}; attack: ${d.attack.pattern.slice(0, 120)}` : `${d.status}${d.status === 'unknown' ? ` (${d.error.kind})` : ''}`;
      bad.push(`/${rs[0].source}/${rs[0].flags} — ${why}\n    at ${rs.map((r) => `${r.file}:${r.line}`).join(', ')}`);
    }
    if (FULL) {
      const current = new Set(safe);
      const stale = verdicts.safe.filter((k) => !current.has(k));
      if (UPDATE && !bad.length) writeFileSync(VERDICTS, `${JSON.stringify({ recheck: RECHECK_VERSION, safe: [...current].sort() }, null, 1)}\n`);
      else assert.deepEqual(stale, [], `${VERDICTS} lists ${stale.length} hash(es) that are not current safe regexes; run \`SHIPSAFE_REGEX_UPDATE=1 npm run test:regex\``);
    }
    assert.deepEqual(bad, [], `${bad.length} regex(es) with super-linear backtracking:\n${bad.join('\n')}`);
  });
});
