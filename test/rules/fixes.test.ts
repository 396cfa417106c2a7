/**
 * Fix proofs. A fixture `x.ts` with a sibling `x.fixed.ts` says what applying fixes to it must produce:
 *
 * - `x.fixed.ts`: the first fix of every finding; `x.fixed2.ts`: the second fix of every finding that has two
 *   (findings with fewer fixes are left alone), and so on.
 * - Fixes are applied one at a time, first finding first, re-analysing after each, exactly as a person clicking
 *   them one after the other would (so two fixes that both add an import add it once).
 * - Every applied fix must pass the engine's own guard (`verifyFix`: the text still parses, and the rule's count of
 *   findings drops), and at the end the rule must report nothing but the findings that had no such fix to begin
 *   with. TypeScript results are type-checked: a fix may not add a type error (modules that are not installed
 *   here are ignored).
 * - The result must equal the `.fixed` file byte for byte.
 *
 * Every rule that declares fixes (`fixSafety` other than 'none') must have at least one `.fixed` fixture.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { analyzeText, allRules, DEFAULT_CONFIG, languageOf, loadPythonParser, syntaxErrorCount, type Finding } from '../../src/engine';
import { applyFixToText, verifyFix } from '../../src/engine/fixes';
import { FIXED_FILE, fixtureProject } from '../helpers/fixtures';
import type { ProjectModel } from '../../src/engine/project-model';
import { newTypeErrors } from '../helpers/typecheck';

// the Python grammar is WebAssembly, loaded once per process before any .py file is analysed
before(() => loadPythonParser());

const fixturesRoot = join(__dirname, '..', 'fixtures');
/** SHIPSAFE_UPDATE_FIXED=1 writes the results instead of comparing (review the diff before committing). */
const update = process.env.SHIPSAFE_UPDATE_FIXED === '1';

function fixedFiles(dir: string): { source: string; fixed: string; index: number }[] {
  const out: { source: string; fixed: string; index: number }[] = [];
  const walk = (d: string) => {
    for (const f of readdirSync(d).sort()) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) { walk(p); continue; }
      const m = FIXED_FILE.exec(f);
      if (!m) continue;
      const n = /\.fixed(\d*)\./.exec(f)![1];
      const source = p.replace(/\.fixed\d*\./, '.');
      out.push({ source, fixed: p, index: n ? Number(n) - 1 : 0 });
    }
  };
  walk(dir);
  return out;
}

export interface FixRun { text: string; applied: string[]; unfixed: number; problems: string[] }

/** Applies fix number `index` of each finding of the rule, one at a time, re-analysing in between. */
export function applyAll(ruleId: string, path: string, text: string, index: number, project?: ProjectModel): FixRun {
  const rule = allRules.find((r) => r.meta.id === ruleId)!;
  const analyse = (t: string): Finding[] => {
    const r = analyzeText({ path, text: t, ...(project ? { project } : {}) }, { rules: [rule], only: [ruleId], config: { ...DEFAULT_CONFIG, minConfidence: 'low' } });
    if (r.ruleErrors.length) throw new Error(`the rule threw: ${r.ruleErrors[0].error}`);
    return r.findings.filter((f) => f.ruleId === ruleId);
  };
  // templates and other non-JavaScript files have no parser here: their fixes are checked by re-running the rule
  const lang = languageOf(path);
  const problems: string[] = [];
  const applied: string[] = [];
  const initial = analyse(text);
  const unfixed = initial.filter((f) => !f.fixes?.[index] || f.fixes[index].disabled).length;
  let cur = text;
  for (let round = 0; round < 100; round++) {
    const findings = analyse(cur);
    const next = findings.find((f) => f.fixes?.[index] && !f.fixes[index].disabled);
    if (!next) {
      if (findings.length !== unfixed) problems.push(`after the fixes the rule reports ${findings.length} finding(s); expected only the ${unfixed} that had no fix`);
      return { text: cur, applied, unfixed, problems };
    }
    const fix = next.fixes![index];
    const v = verifyFix({ path, text: cur, ...(project ? { project } : {}) }, next, fix, { rules: [rule] });
    if (!v.ok) { problems.push(`line ${next.range.startPos.line}: "${fix.title}" fails verification: ${v.reason}`); return { text: cur, applied, unfixed, problems }; }
    for (const e of fix.edits) if (e.file !== path) problems.push(`"${fix.title}" edits another file (${e.file}): only project fixes may`);
    const after = applyFixToText(cur, path, fix);
    if (lang && syntaxErrorCount(path, after, lang) > syntaxErrorCount(path, cur, lang)) problems.push(`"${fix.title}" adds a syntax error`);
    applied.push(`${next.range.startPos.line}: ${fix.title} [${fix.safety}]`);
    cur = after;
  }
  problems.push('more than 100 fixes applied: a fix does not remove its finding');
  return { text: cur, applied, unfixed, problems };
}

const covered = new Map<string, number>();
/** Rules whose only fix needs the project around the file (move a secret to .env): proven in test/unit/move-to-env.test.ts. */
const PROJECT_FIX_RULES = new Set(['hardcoded-secret', 'hardcoded-session-secret']);

for (const rule of allRules) {
  const dir = join(fixturesRoot, rule.meta.id);
  const cases = existsSync(dir) ? fixedFiles(dir) : [];
  if (!cases.length && (rule.meta.fixSafety === 'none' || PROJECT_FIX_RULES.has(rule.meta.id))) continue;
  describe(`fixes of ${rule.meta.id}`, () => {
    it('has .fixed fixtures', () => {
      assert.ok(cases.length > 0, `${rule.meta.id} declares fixSafety "${rule.meta.fixSafety}" but has no test/fixtures/${rule.meta.id}/*.fixed.* file`);
    });
    for (const c of cases) {
      const rel = relative(dir, c.source).replace(/\\/g, '/');
      it(`${relative(dir, c.fixed)}: fix #${c.index + 1} of every finding in ${rel}`, () => {
        assert.ok(existsSync(c.source), `no source fixture for ${c.fixed}`);
        const text = readFileSync(c.source, 'utf8');
        const run = applyAll(rule.meta.id, rel, text, c.index, fixtureProject(c.source, dir));
        assert.deepEqual(run.problems, []);
        assert.ok(run.applied.length > 0, `no fix #${c.index + 1} was offered in ${rel}`);
        covered.set(rule.meta.id, (covered.get(rule.meta.id) ?? 0) + run.applied.length);
        if (/\.[cm]?tsx?$/.test(rel)) {
          assert.deepEqual(newTypeErrors(rel, text, run.text), [], 'the fixes add type errors');
        }
        if (update) writeFileSync(c.fixed, run.text);
        else assert.equal(run.text, readFileSync(c.fixed, 'utf8'), `the fixed text differs from ${relative(fixturesRoot, c.fixed)} (SHIPSAFE_UPDATE_FIXED=1 rewrites it)`);
      });
    }
  });
}
