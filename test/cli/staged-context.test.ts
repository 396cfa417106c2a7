/**
 * `scan --staged` judges the staged files within the rest of the app: the other tracked source files are in the
 * project model (as the index has them), so a staged route is judged as mounted by an `app.js` that is not staged.
 * Real git repositories on disk.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AUTH_MIDDLEWARE, cleanup, cli, git, gitInit, tempDir, writeFiles } from './_util';

const APP = `const express = require('express');
const { requireAuth } = require('./middleware/auth');
const apiRouter = require('./routes/api');
const adminRouter = require('./routes/admin');

const app = express();
app.use(express.json());
app.use('/api', requireAuth, apiRouter);
app.use('/admin', adminRouter);

app.listen(process.env.PORT || 3000);
`;

const ADMIN = `const express = require('express');
const db = require('../db');
const router = express.Router();

router.get('/health', (req, res) => res.json({ ok: true }));

module.exports = router;
`;

const ADMIN_WITH_DELETE = `const express = require('express');
const db = require('../db');
const router = express.Router();

router.get('/health', (req, res) => res.json({ ok: true }));

router.delete('/users/:id', async (req, res) => {
  await db.query('DELETE FROM users WHERE id = $1', [req.params.id]);
  res.status(204).end();
});

module.exports = router;
`;

const FILES: Record<string, string> = {
  'package.json': JSON.stringify({ name: 'shop', private: true, dependencies: { express: '^4.19.0', pg: '^8.11.0', jsonwebtoken: '^9.0.0' } }, null, 2),
  'app.js': APP,
  'db.js': `const { Pool } = require('pg');\nmodule.exports = new Pool({ connectionString: process.env.DATABASE_URL });\n`,
  'middleware/auth.js': AUTH_MIDDLEWARE,
  'routes/api.js': `const express = require('express');
const router = express.Router();

router.get('/me', (req, res) => res.json({ id: req.user.sub }));

module.exports = router;
`,
  'routes/admin.js': ADMIN,
};

type Report = { findings: { file: string; ruleId: string; range: { startLine: number } }[]; summary: { filesAnalyzed?: number } };
const json = (stdout: string) => JSON.parse(stdout) as Report;
const ids = (r: Report) => r.findings.map((f) => `${f.file}:${f.ruleId}`).sort();

/** A git repository holding `files`, committed, with `path` then changed to `text` and staged (the commit being made). */
function repoWithStagedChange(files: Record<string, string>, path: string, text: string): string {
  const dir = tempDir();
  gitInit(dir);
  writeFiles(dir, files);
  git(dir, 'add', '-A');
  git(dir, 'commit', '-qm', 'app');
  writeFileSync(join(dir, path), text);
  git(dir, 'add', path);
  return dir;
}

describe('scan --staged: the staged files judged within the whole app', () => {
  let dir: string;
  // the commit being made: a new admin route, in the route's file only
  before(() => { dir = repoWithStagedChange(FILES, 'routes/admin.js', ADMIN_WITH_DELETE); });
  after(() => cleanup(dir));

  it('finds what a scan of the whole tree finds in the staged file (the router is mounted in app.js, not staged)', async () => {
    const staged = await cli(dir, ['scan', '--staged', '--format', 'json', '--fail-on', 'none']);
    const whole = await cli(dir, ['scan', '.', '--format', 'json', '--fail-on', 'none']);
    const inAdmin = (r: Report) => r.findings.filter((f) => f.file === 'routes/admin.js');
    assert.ok(ids(json(staged.stdout)).includes('routes/admin.js:broken-access-control'), staged.stdout);
    assert.deepEqual(inAdmin(json(staged.stdout)), inAdmin(json(whole.stdout)));
    // only the staged file is scanned and reported
    assert.deepEqual([...new Set(json(staged.stdout).findings.map((f) => f.file))], ['routes/admin.js']);
  });

  it('uses the index, not the work tree, for files that are not staged', async () => {
    // an unstaged fix in app.js is not part of the commit: the commit still has the unprotected route
    writeFileSync(join(dir, 'app.js'), APP.replace("app.use('/admin', adminRouter);", "app.use('/admin', requireAuth, adminRouter);"));
    try {
      const before = await cli(dir, ['scan', '--staged', '--format', 'json', '--fail-on', 'none']);
      assert.ok(ids(json(before.stdout)).includes('routes/admin.js:broken-access-control'), before.stdout);
      // staged, it is: the commit mounts the router behind requireAuth
      git(dir, 'add', 'app.js');
      const after = await cli(dir, ['scan', '--staged', '--format', 'json', '--fail-on', 'none']);
      assert.deepEqual(ids(json(after.stdout)).filter((x) => x.endsWith('broken-access-control')), [], after.stdout);
      // and the same with the result cache, twice (cold, then warm)
      for (let i = 0; i < 2; i++) {
        const cached = await cli(dir, ['scan', '--staged', '--cache', '--format', 'json', '--fail-on', 'none']);
        assert.equal(cached.stdout, after.stdout);
      }
      assert.equal(git(dir, 'status', '--porcelain').trim().split('\n').sort().join('\n'), 'M  app.js\nM  routes/admin.js');
    } finally {
      git(dir, 'reset', '-q', 'app.js');
      writeFileSync(join(dir, 'app.js'), APP);
    }
    assert.equal(readFileSync(join(dir, 'app.js'), 'utf8'), APP);
  });
});

const USERS_ROUTE = `const express = require('express');
const userDao = require('../dao/userDao');
const router = express.Router();

router.get('/search', async (req, res) => {
  const users = await userDao.findByName(req.query.name);
  res.json(users);
});

module.exports = router;
`;

const USER_DAO = `const db = require('../db');

async function findById(id) {
  const { rows } = await db.query('SELECT id, name FROM users WHERE id = $1', [id]);
  return rows[0];
}

module.exports = { findById };
`;

// the commit being made: a search helper in the DAO, which builds its SQL from its argument
const USER_DAO_WITH_SEARCH = `const db = require('../db');

async function findById(id) {
  const { rows } = await db.query('SELECT id, name FROM users WHERE id = $1', [id]);
  return rows[0];
}

async function findByName(name) {
  const { rows } = await db.query(\`SELECT id, name FROM users WHERE name LIKE '%\${name}%'\`);
  return rows;
}

module.exports = { findById, findByName };
`;

describe('scan --staged: request data from an unstaged route reaches a staged module', () => {
  let dir: string;
  before(() => {
    dir = repoWithStagedChange({
      'package.json': JSON.stringify({ name: 'directory', private: true, dependencies: { express: '^4.19.0', pg: '^8.11.0' } }, null, 2),
      'app.js': "const express = require('express');\nconst app = express();\napp.use('/users', require('./routes/users'));\napp.listen(3000);\n",
      'db.js': `const { Pool } = require('pg');\nmodule.exports = new Pool({ connectionString: process.env.DATABASE_URL });\n`,
      'routes/users.js': USERS_ROUTE,
      'dao/userDao.js': USER_DAO,
    }, 'dao/userDao.js', USER_DAO_WITH_SEARCH);
  });
  after(() => cleanup(dir));

  it('reports the injection in the staged DAO with the route that passes the request data, as a whole-tree scan does', async () => {
    type Full = { findings: { file: string; ruleId: string; confidence: string; related?: { file: string }[] }[] };
    const staged = JSON.parse((await cli(dir, ['scan', '--staged', '--format', 'json', '--fail-on', 'none'])).stdout) as Full;
    const whole = JSON.parse((await cli(dir, ['scan', '.', '--format', 'json', '--fail-on', 'none'])).stdout) as Full;
    const sql = (r: Full) => r.findings.filter((f) => f.file === 'dao/userDao.js' && f.ruleId === 'sql-injection');
    assert.equal(sql(staged).length, 1, JSON.stringify(staged.findings));
    assert.ok(sql(staged)[0].related?.some((l) => l.file === 'routes/users.js'), JSON.stringify(sql(staged)[0]));
    assert.deepEqual(sql(staged), sql(whole));
    // with the result cache, cold then warm: the same
    for (let i = 0; i < 2; i++) {
      const cached = JSON.parse((await cli(dir, ['scan', '--staged', '--cache', '--format', 'json', '--fail-on', 'none'])).stdout) as Full;
      assert.deepEqual(sql(cached), sql(staged));
    }
  });
});
