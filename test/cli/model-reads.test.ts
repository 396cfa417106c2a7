/**
 * model-reads.ts: a cached result is bound to what its analysis asked the project model. The recorded questions are
 * asked again of another model: the same answers keep the result, a changed answer drops it; questions that cannot be
 * asked again (not plain data) bind it to the whole model; `withFile` copies (a fix being verified) are rebuilt.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { moduleFactsOf } from '../../src/engine/project-model/build';
import { ProjectModel } from '../../src/engine/project-model/model';
import { ModelCheck, ModelRecorder, type ModelReads } from '../../src/cli/model-reads';
import { analyzeText } from '../../src/engine/analyze';
import { allRules } from '../../src/engine/rules';
import { DEFAULT_CONFIG } from '../../src/engine/config/config';

const DB_PG = `const { Pool } = require('pg');\nconst pool = new Pool();\nmodule.exports = pool;\n`;
const DB_MYSQL = `const mysql = require('mysql2/promise');\nconst pool = mysql.createPool(process.env.DATABASE_URL);\nmodule.exports = pool;\n`;
const ROUTE = `const express = require('express');
const db = require('../db');
const router = express.Router();
router.get('/p', async (req, res) => {
  const { rows } = await db.query(\`SELECT * FROM p WHERE owner = '\${req.query.owner}'\`);
  res.json(rows);
});
module.exports = router;
`;
const HELPER = (pad: string) => `${pad}function slug(s) {\n  return String(s).toLowerCase();\n}\nmodule.exports = { slug };\n`;

const model = (files: Record<string, string>) => new ProjectModel({ modules: Object.entries(files).map(([f, t]) => moduleFactsOf(f, t)), configs: [] });

function analyse(m: ProjectModel, rel: string, text: string): { message: string[]; reads: ModelReads | 'all' } {
  const rec = new ModelRecorder();
  const r = analyzeText({ path: rel, text, project: rec.wrap(m) }, { rules: allRules, config: DEFAULT_CONFIG });
  return { message: r.findings.map((f) => f.message), reads: rec.result() };
}

describe('model reads (the result cache\'s cross-file key)', () => {
  it('a route file\'s analysis asks about the db module it imports: its answers change with that module, not with others', () => {
    const before = model({ 'db.js': DB_PG, 'routes/p.js': ROUTE, 'lib/slug.js': HELPER('') });
    const first = analyse(before, 'routes/p.js', ROUTE);
    assert.notEqual(first.reads, 'all');
    assert.ok((first.reads as ModelReads).reads.some(([, m]) => m === 'dbDriverOf'), 'the driver of `db` was asked');
    assert.match(first.message.join('\n'), /\$1/);

    // another file's body moves (its facts change): the route's answers do not
    const helperEdited = model({ 'db.js': DB_PG, 'routes/p.js': ROUTE, 'lib/slug.js': HELPER('// the slug of a title\n\n') });
    assert.notEqual(JSON.stringify(helperEdited.toData()), JSON.stringify(before.toData()), 'the whole model did change');
    assert.equal(new ModelCheck(helperEdited).holds(first.reads as ModelReads), true);

    // the db module's driver changes: the stored answers no longer hold, and the analysis does differ
    const mysql = model({ 'db.js': DB_MYSQL, 'routes/p.js': ROUTE, 'lib/slug.js': HELPER('') });
    assert.equal(new ModelCheck(mysql).holds(first.reads as ModelReads), false);
    const again = analyse(mysql, 'routes/p.js', ROUTE);
    assert.notDeepEqual(again.message, first.message);
    assert.match(again.message.join('\n'), /\?/);
  });

  it('stored reads survive JSON (the cache file) and are checked the same way', () => {
    const m = model({ 'db.js': DB_PG, 'routes/p.js': ROUTE });
    const { reads } = analyse(m, 'routes/p.js', ROUTE);
    const stored = JSON.parse(JSON.stringify(reads)) as ModelReads;
    assert.equal(new ModelCheck(model({ 'db.js': DB_PG, 'routes/p.js': ROUTE })).holds(stored), true);
    assert.equal(new ModelCheck(model({ 'db.js': DB_MYSQL, 'routes/p.js': ROUTE })).holds(stored), false);
    assert.equal(new ModelCheck(model({ 'routes/p.js': ROUTE })).holds(stored), false, 'the db module is gone');
  });

  it('a question that cannot be asked again binds the result to the whole model', () => {
    const m = model({ 'db.js': DB_PG });
    const rec = new ModelRecorder();
    const p = rec.wrap(m);
    p.facts('db.js');
    assert.notEqual(rec.result(), 'all');
    (p as unknown as { resolveValue(f: string, v: unknown): unknown }).resolveValue('db.js', { k: 'local', name: 'pool', extra: () => 1 });
    assert.equal(rec.result(), 'all');
    const check = new ModelCheck(m);
    const dep = check.depOf('all');
    assert.ok('all' in dep);
    assert.equal(check.holds(dep), true);
    assert.equal(new ModelCheck(model({ 'db.js': DB_MYSQL })).holds(dep), false);
  });

  it('a copy seen through withFile (a fix being checked) is rebuilt from the current model with the same facts', () => {
    const m = model({ 'db.js': DB_PG, 'routes/p.js': ROUTE });
    const rec = new ModelRecorder();
    const p = rec.wrap(m);
    const fixed = moduleFactsOf('routes/p.js', `${ROUTE}\nrouter.get('/health', (req, res) => res.end());\n`);
    assert.equal(p.withFile(moduleFactsOf('routes/p.js', ROUTE)), p, 'the same facts: the same (recording) model');
    const copy = p.withFile(fixed);
    assert.notEqual(copy, p);
    copy.dbDriverOf('routes/p.js', 'db');
    const reads = rec.result() as ModelReads;
    assert.equal(reads.scopes.length, 1);
    assert.equal(new ModelCheck(model({ 'db.js': DB_PG, 'routes/p.js': ROUTE })).holds(reads), true);
    assert.equal(new ModelCheck(model({ 'db.js': DB_MYSQL, 'routes/p.js': ROUTE })).holds(reads), false);
    // the route file itself changed: its own facts (asked through withFile) no longer match
    assert.equal(new ModelCheck(model({ 'db.js': DB_PG, 'routes/p.js': `${ROUTE}\nrouter.get('/q', (req, res) => res.json({}));\n` })).holds(reads), false);
  });
});
