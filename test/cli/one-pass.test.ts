/**
 * A scan analyses each file once (issue 13/17: speed). The project model's pre-pass parses each file, extracts its
 * facts and summarises it for inter-procedural taint (taint/summaries.ts) from the same parse; the summaries are
 * joined before the analysis, so a file that receives request data from another module is analysed once, already
 * knowing it, instead of once without and once again with it.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildScanModel, scanFilesWithBudget } from '../../src/cli/pool-scan';
import { DEFAULT_CONFIG } from '../../src/engine/config/config';
import { discover } from '../../src/engine/project/discover';
import { allRules } from '../../src/engine/rules';
import type { Rule } from '../../src/engine/model/rule';
import { summarizeFile } from '../../src/engine/taint/summaries';
import { relativePath } from '../../src/engine/project/scan';
import { cleanup, tempDir } from './_util';

describe('one analysis per file, with the summaries from the model\'s pre-pass', () => {
  let dir: string;
  let files: string[];
  before(async () => {
    dir = tempDir();
    cpSync(join(__dirname, '..', 'projects', 'express-layered'), dir, { recursive: true });
    files = (await discover(dir, { projectRoot: dir })).files.sort();
  });
  after(() => cleanup(dir));

  it('summarises each file as the standalone summariser does, from the parse the model keeps', async () => {
    const { parsed } = await buildScanModel(files, dir, { inProcess: true, summarize: DEFAULT_CONFIG });
    const js = files.filter((f) => /\.[cm]?[jt]sx?$/.test(f));
    assert.ok(js.length >= 4, 'route, service, DAO, app');
    const expected = js.map((f) => { const rel = relativePath(dir, f); return summarizeFile(rel, readFileSync(f, 'utf8')); });
    assert.deepEqual(parsed.summaries, expected);
  });

  it('analyses every file once, and still follows the route → service → DAO path', async () => {
    const analysed = new Map<string, number>();
    // the real rules, each file's analysis counted where the SQL rule starts on it
    const rules: Rule[] = allRules.map((r) => (r.meta.id !== 'sql-injection' ? r : {
      ...r, create: (ctx) => { analysed.set(ctx.path, (analysed.get(ctx.path) ?? 0) + 1); return r.create!(ctx); },
    }));
    const { model, parsed } = await buildScanModel(files, dir, { inProcess: true, summarize: DEFAULT_CONFIG });
    const out = await scanFilesWithBudget(files, { config: DEFAULT_CONFIG, rules, root: dir, budgetMs: 20_000, inProcessUpTo: Infinity, project: model, parsed });
    const counts = [...analysed.values()];
    assert.ok(counts.length >= 4);
    assert.deepEqual(counts.filter((n) => n !== 1), [], JSON.stringify(Object.fromEntries(analysed)));
    const dao = out.results.flatMap((r) => r.findings).find((f) => f.ruleId === 'sql-injection' && f.file === 'dao/userDao.js');
    assert.ok(dao, 'the injection in the DAO, reached from the route');
    assert.ok(dao.related?.some((r) => r.file === 'routes/users.js'), JSON.stringify(dao.related));
  });
});
