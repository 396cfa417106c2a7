/**
 * Fixture harness (Semgrep convention). Every file under test/fixtures/<rule-id>/ is analysed with that rule;
 * `// ruleid: <id>` lines must be flagged, `// ok: <id>` lines must not, `todoruleid` marks a known miss
 * (must not be flagged yet — promote it when it is), `todook` a known false alarm (must still be flagged).
 * A finding on any line that is not annotated `ruleid`/`todook` fails the test.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeText, allRules, DEFAULT_CONFIG, loadPythonParser } from '../../src/engine';
import { fixtureProject, listFixtureFiles, parseAnnotations, readFixture } from '../helpers/fixtures';

// the Python grammar is WebAssembly, loaded once per process before any .py file is analysed
before(() => loadPythonParser());

const fixturesRoot = join(__dirname, '..', 'fixtures');


for (const rule of allRules.filter((r) => r.meta.scope !== 'project')) {
  const dir = join(fixturesRoot, rule.meta.id);
  describe(`rule ${rule.meta.id}`, () => {
    it('has a fixture folder', () => {
      assert.ok(existsSync(dir), `missing fixtures: test/fixtures/${rule.meta.id}/`);
    });
    if (!existsSync(dir)) return;
    for (const file of listFixtureFiles(dir)) {
      const { text, rel } = readFixture(file, dir);
      it(`fixture ${rel}`, () => {
        // the path inside the rule's folder is the path the engine sees (app/api/x/route.ts matters to Next.js)
        // analysed down to low confidence: a `ruleid` line must be found at the default confidence (medium or
        // high) unless it says `confidence=low`; low findings on other lines are hidden by default and ignored
        const project = fixtureProject(file, dir);
        const result = analyzeText({ path: rel, text, ...(project ? { project } : {}) }, { rules: [rule], only: [rule.meta.id], config: { ...DEFAULT_CONFIG, minConfidence: 'low' } });
        assert.deepEqual(result.ruleErrors, [], 'the rule threw');
        const anns = parseAnnotations(text).filter((a) => a.ruleId === rule.meta.id);
        const wantsLow = new Set(anns.filter((a) => a.confidence === 'low').map((a) => a.line));
        const flagged = new Map<number, string[]>();
        for (const f of result.findings.filter((x) => x.ruleId === rule.meta.id && (x.confidence !== 'low' || wantsLow.has(x.range.startPos.line)))) {
          const l = flagged.get(f.range.startPos.line) ?? [];
          l.push(f.confidence);
          flagged.set(f.range.startPos.line, l);
        }
        const problems: string[] = [];
        const expected = new Set<number>();
        for (const a of anns) {
          const hit = flagged.get(a.line);
          if (a.kind === 'ruleid' || a.kind === 'todook') expected.add(a.line);
          if (a.kind === 'ruleid' && !hit) problems.push(`line ${a.line}: expected a finding (ruleid), got none`);
          if (a.kind === 'ruleid' && hit && a.confidence && !hit.includes(a.confidence)) problems.push(`line ${a.line}: expected confidence ${a.confidence}, got ${hit.join(',')}`);
          if (a.kind === 'ok' && hit) problems.push(`line ${a.line}: false alarm on an ok line`);
          if (a.kind === 'todoruleid' && hit) problems.push(`line ${a.line}: a known miss is now found — change todoruleid to ruleid`);
          if (a.kind === 'todook' && !hit) problems.push(`line ${a.line}: a known false alarm is gone — change todook to ok`);
        }
        for (const line of flagged.keys()) {
          if (!expected.has(line) && !anns.some((a) => a.line === line)) problems.push(`line ${line}: unexpected finding on an unannotated line`);
        }
        assert.deepEqual(problems, [], `${rule.meta.id} ${rel}:\n${problems.join('\n')}`);
      });
    }
    it('has at least 4 ruleid and 4 ok cases', () => {
      let ruleid = 0, ok = 0;
      for (const file of existsSync(dir) ? listFixtureFiles(dir) : []) {
        for (const a of parseAnnotations(readFixture(file, dir).text)) {
          if (a.ruleId !== rule.meta.id) continue;
          if (a.kind === 'ruleid') ruleid++;
          if (a.kind === 'ok') ok++;
        }
      }
      assert.ok(ruleid >= 4, `${rule.meta.id}: ${ruleid} ruleid cases, need 4`);
      assert.ok(ok >= 4, `${rule.meta.id}: ${ok} ok cases, need 4`);
    });
  });
}

it('every fixture folder belongs to a rule', () => {
  const ids = new Set(allRules.map((r) => r.meta.id));
  for (const d of readdirSync(fixturesRoot)) assert.ok(ids.has(d), `test/fixtures/${d} matches no rule id`);
});
