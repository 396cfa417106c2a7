/**
 * A scan analyses each file once (issue 13/17: speed). The project model's pre-pass parses each file, extracts its
 * facts and summarises it for inter-procedural taint (taint/summaries.ts) from the same parse; the summaries are
 * joined before the analysis, so a file that receives request data from another module is analysed once, already
 * knowing it, instead of once without and once again with it.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildScanModel, scanFilesWithBudget } from '../../src/cli/pool-scan';
import { DEFAULT_CONFIG } from '../../src/engine/config/config';
import { discover } from '../../src/engine/project/discover';
import { allRules } from '../../src/engine/rules';
import type { Rule } from '../../src/engine/model/rule';
import { summarizeFile } from '../../src/engine/taint/summaries';
import { asReadSource, readSourceSync, relativePath } from '../../src/engine/project/scan';
import { listFixtureFiles, sourceFilesUnder } from '../helpers/fixtures';
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

describe('each file read once: the analysis takes the text the model read', () => {
  let dir: string;
  before(() => { dir = tempDir(); });
  after(() => cleanup(dir));
  const LIMIT = 64 * 1024 * 1024;

  it('gives the text the analysis would read, for every fixture, test project and example file', () => {
    const repo = join(__dirname, '..', '..');
    const files = [...listFixtureFiles(join(repo, 'test', 'fixtures')), ...sourceFilesUnder(join(repo, 'test', 'projects')), ...sourceFilesUnder(join(repo, 'examples'))];
    assert.ok(files.length > 300);
    let taken = 0;
    for (const f of files) {
      const got = asReadSource(readFileSync(f, 'utf8'));
      if (got) { taken++; assert.deepEqual(got, readSourceSync(f, LIMIT), f); }
    }
    assert.ok(taken > 300, `${taken} texts taken as read`);
  });

  it('reads again where the two reads could differ: byte order marks, UTF-16, NUL bytes, bytes that are not UTF-8', () => {
    const cases: Record<string, Buffer> = {
      'bom.js': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('const a = 1;\n')]),
      'utf16le.js': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('const a = 1;\n', 'utf16le')]),
      'utf16be.js': Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from('const a = 1;\n', 'utf16le').swap16()]),
      'nul.js': Buffer.from('const a = 1;\u0000\n'),
      // the NUL byte is in the binary probe (its first 8,000 bytes), its character is past 2,000 two-byte characters
      'late-nul.js': Buffer.concat([Buffer.from(`// ${'é'.repeat(3900)}\n`), Buffer.from([0])]),
      'latin1.js': Buffer.from([0x2f, 0x2f, 0x20, 0xe9, 0x0a]),
      'replacement.js': Buffer.from('const s = "\ufffd";\n'),
    };
    for (const [name, bytes] of Object.entries(cases)) {
      const f = join(dir, name);
      writeFileSync(f, bytes);
      assert.equal(asReadSource(readFileSync(f, 'utf8')), undefined, name);
    }
    const plain = join(dir, 'plain.js');
    writeFileSync(plain, `// ${'é'.repeat(5000)}\nconst a = 1;\n`);
    assert.deepEqual(asReadSource(readFileSync(plain, 'utf8')), readSourceSync(plain, LIMIT));
  });

  it('scans a tree to the same results whether the model keeps the texts or not', async () => {
    const app = tempDir();
    try {
      cpSync(join(__dirname, '..', 'projects', 'express-layered'), app, { recursive: true });
      writeFileSync(join(app, 'bom.js'), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from("const db = require('./db');\nmodule.exports = (req) => db.query(`SELECT * FROM t WHERE id = ${req.query.id}`);\n")]));
      const files = (await discover(app, { projectRoot: app })).files.sort();
      const scan = async (keepTexts: boolean) => {
        const { model, parsed } = await buildScanModel(files, app, { inProcess: true, summarize: DEFAULT_CONFIG });
        const given: string[] = [];
        const text = parsed.text!.bind(parsed);
        const p = keepTexts ? { ...parsed, text: (rel: string) => { const t = text(rel); if (t) given.push(rel); return t; } } : { ...parsed, text: undefined };
        const out = await scanFilesWithBudget(files, { config: DEFAULT_CONFIG, rules: allRules, root: app, budgetMs: 20_000, inProcessUpTo: Infinity, project: model, parsed: p });
        return { out, given };
      };
      const kept = await scan(true);
      const read = await scan(false);
      assert.deepEqual(kept.out, read.out);
      assert.ok(kept.given.length >= 4 && !kept.given.includes('bom.js'), JSON.stringify(kept.given));
      assert.ok(kept.out.results.some((r) => r.file === 'bom.js' && r.findings.length), 'the file with a byte order mark is analysed, read again');
    } finally {
      cleanup(app);
    }
  });
});
