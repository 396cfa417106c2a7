/**
 * Multi-file fixture apps (test/projects/<app>/): request data read in one module and used in a sink in another
 * (route → service → DAO, NestJS controller → service, Next.js route → lib). Each app is scanned as a project — the
 * summary pre-pass, then every file with what other modules pass into it — and checked in the Semgrep convention:
 * a `// ruleid: <id>` line must be flagged at medium or high confidence (the default view) with the path from the
 * route as related locations marked as data flow; an `// ok: <id>` line must not be. Files are scanned with the project
 * model, as the CLI does. `<app>-fixed` is the fixed twin:
 * nothing at all is reported there, by any rule, at the default confidence.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { allRules, DEFAULT_CONFIG, type Finding } from '../../src/engine';
import { discover } from '../../src/engine/project/discover';
import { scanFiles } from '../../src/engine/project/scan';
import { projectTaintOf, summarizeFiles } from '../../src/engine/project/taint-prepass';
import { buildProjectModel } from '../../src/engine/project-model/build';
import { parseAnnotations } from '../helpers/fixtures';

const root = join(__dirname, '..', 'projects');
const config = { ...DEFAULT_CONFIG, minConfidence: 'low' as const };

async function scanApp(dir: string, interprocedural = true): Promise<Finding[]> {
  const { files } = await discover(dir, { projectRoot: dir });
  // the project model as the CLI builds it (routes as mounted, middleware chains, imports through tsconfig paths),
  // with or without the taint pass
  const project = buildProjectModel(files, dir).model;
  const pt = interprocedural ? projectTaintOf(await summarizeFiles(files, dir, config), files, dir, (from, spec) => project.resolveImport(from, spec)) : undefined;
  const out = await scanFiles(files, { config, rules: allRules, root: dir, project, projectData: pt ? (f) => pt.dataFor(f) : undefined });
  assert.deepEqual(out.ruleErrors, [], 'a rule threw');
  return out.results.flatMap((r) => r.findings);
}

const visible = (f: Finding) => f.confidence !== 'low';

for (const app of readdirSync(root).sort()) {
  describe(`project ${app}`, () => {
    const dir = join(root, app);
    if (app.endsWith('-fixed')) {
      it('the fixed twin is clean', async () => {
        const found = (await scanApp(dir)).filter(visible);
        assert.deepEqual(found.map((f) => `${f.file}:${f.range.startPos.line} ${f.ruleId}`), []);
      });
      return;
    }
    it('finds each case at medium or high, with its path, and nothing else', async () => {
      const findings = await scanApp(dir);
      const { files } = await discover(dir, { projectRoot: dir });
      const problems: string[] = [];
      let cases = 0;
      for (const abs of files) {
        const rel = abs.slice(dir.length + 1).replace(/\\/g, '/');
        const anns = parseAnnotations(readFileSync(abs, 'utf8'));
        const here = findings.filter((f) => f.file === rel);
        for (const a of anns) {
          const hits = here.filter((f) => f.ruleId === a.ruleId && f.range.startPos.line === a.line && visible(f));
          if (a.kind === 'ruleid') {
            cases++;
            if (!hits.length) { problems.push(`${rel}:${a.line}: expected ${a.ruleId} at medium or high, got ${here.filter((f) => f.ruleId === a.ruleId && f.range.startPos.line === a.line).map((f) => f.confidence).join(',') || 'nothing'}`); continue; }
            const flow = hits[0].related?.filter((r) => r.flow) ?? [];
            if (!flow.length || flow[0].file === rel) problems.push(`${rel}:${a.line}: the finding does not carry the path from another module (related: ${JSON.stringify(hits[0].related?.map((r) => `${r.file}:${r.range.startPos.line}`))})`);
          }
          if (a.kind === 'ok' && hits.length) problems.push(`${rel}:${a.line}: false alarm (${a.ruleId})`);
        }
        const annotated = new Set(anns.filter((a) => a.kind === 'ruleid').map((a) => `${a.ruleId}:${a.line}`));
        for (const f of here.filter(visible)) {
          if (!annotated.has(`${f.ruleId}:${f.range.startPos.line}`)) problems.push(`${rel}:${f.range.startPos.line}: unexpected ${f.ruleId} (${f.confidence})`);
        }
      }
      assert.ok(cases >= 3, `${app}: at least 3 cases`);
      assert.deepEqual(problems, [], `${app}:\n${problems.join('\n')}`);
    });
    it('without the project pass, the cases are hidden (low) or missed: the pass is what finds them', async () => {
      const findings = (await scanApp(dir, false)).filter(visible);
      assert.deepEqual(findings.map((f) => `${f.file}:${f.range.startPos.line} ${f.ruleId}`), []);
    });
  });
}
