/** The runtime fix guard: a fix is offered only if the fixed text parses no worse and the rule stops reporting. */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText, allRules, type Fix } from '../../src/engine';
import { verifyFix } from '../../src/engine/fixes';

const path = 'routes/users.js';
const text = `const { Pool } = require('pg');
const pool = new Pool();
app.get('/u', async (req, res) => {
  const { rows } = await pool.query(\`SELECT * FROM users WHERE id = '\${req.query.id}'\`);
  res.json(rows);
});
`;
const finding = analyzeText({ path, text }, { rules: allRules, only: ['sql-injection'] }).findings[0];
const at = (needle: string) => text.indexOf(needle);
const fixWith = (start: number, end: number, newText: string): Fix =>
  ({ title: 't', safety: 'suggestion', edits: [{ file: path, textEdits: [{ start, end, newText }] }] });
const bound = `'SELECT * FROM users WHERE id = $1', [req.query.id]`;
const query = text.slice(at('`SELECT'), at("'`)") + 2);

for (const before of [undefined, 1]) {
  const ctx = { rules: allRules, ...(before === undefined ? {} : { before }) };
  it(`accepts a fix that removes the finding (before count ${before ?? 'computed'})`, () => {
    assert.ok(finding, 'the fixture has a sql-injection finding');
    const v = verifyFix({ path, text }, finding, fixWith(at('`SELECT'), at('`SELECT') + query.length, bound), ctx);
    assert.equal(v.ok, true);
  });
  it(`rejects a fix that adds a syntax error (before count ${before ?? 'computed'})`, () => {
    const v = verifyFix({ path, text }, finding, fixWith(at('`SELECT'), at('`SELECT') + query.length, `${bound})) {`), ctx);
    assert.equal(v.ok, false);
    assert.match(v.ok ? '' : v.reason, /new syntax error/);
  });
  it(`rejects a fix that leaves the finding (before count ${before ?? 'computed'})`, () => {
    const v = verifyFix({ path, text }, finding, fixWith(at('res.json'), at('res.json'), '// reviewed\n  '), ctx);
    assert.equal(v.ok, false);
    assert.match(v.ok ? '' : v.reason, /still reports/);
  });
}
