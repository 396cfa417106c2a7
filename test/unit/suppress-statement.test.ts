/**
 * `shipsafe-ignore-next-line` above a statement written over several lines: a finding reported on a later line of
 * the same statement is suppressed (the case: `const { rows } = await pool.query(` with the SQL below), but
 * findings in statements nested inside it (a route handler's body) are not.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../src/engine/analyze';
import { allRules } from '../../src/engine/rules';

const analyse = (text: string) => analyzeText({ path: 'routes/orders.js', text }, { rules: allRules }).findings.map((f) => `${f.ruleId}:${f.range.startPos.line}`);

const HEAD = `const express = require('express');
const { Pool } = require('pg');
const pool = new Pool();
const app = express();
`;

describe('shipsafe-ignore-next-line and multi-line statements', () => {
  it('covers a finding inside the statement that starts on the next line', () => {
    const flagged = analyse(`${HEAD}
app.get('/orders', async (req, res) => {
  const { rows } = await pool.query(
    \`SELECT * FROM orders ORDER BY \${req.query.sort}\`
  );
  res.json(rows);
});
`);
    assert.deepEqual(flagged.filter((f) => f.startsWith('sql-injection')), ['sql-injection:8'], 'the finding is on the SQL line, not the statement line');
    const suppressed = analyse(`${HEAD}
app.get('/orders', async (req, res) => {
  // shipsafe-ignore-next-line sql-injection -- sort is checked against SORTABLE by the validation middleware
  const { rows } = await pool.query(
    \`SELECT * FROM orders ORDER BY \${req.query.sort}\`
  );
  res.json(rows);
});
`);
    assert.deepEqual(suppressed.filter((f) => f.startsWith('sql-injection') || f.startsWith('invalid-suppression')), []);
  });

  it('does not reach into statements nested in it', () => {
    const r = analyse(`${HEAD}
// shipsafe-ignore-next-line sql-injection -- the route is only mounted in the test server
app.get('/orders', async (req, res) => {
  const { rows } = await pool.query(\`SELECT * FROM orders WHERE id = \${req.query.id}\`);
  res.json(rows);
});
const other = pool.query(
  'SELECT * FROM items WHERE id = ' + process.argv[2]
);
`);
    assert.ok(r.includes('sql-injection:8'), `a finding in the handler's body keeps showing: ${r.join(', ')}`);
  });

  it('a rule id that does not match suppresses nothing', () => {
    const r = analyse(`${HEAD}
app.get('/orders', async (req, res) => {
  // shipsafe-ignore-next-line open-redirect -- not this one
  const { rows } = await pool.query(
    \`SELECT * FROM orders ORDER BY \${req.query.sort}\`
  );
  res.json(rows);
});
`);
    assert.ok(r.includes('sql-injection:9'), r.join(', '));
  });
});
