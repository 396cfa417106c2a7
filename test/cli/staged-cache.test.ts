/**
 * `scan --staged --cache` (issue 17: the cache on by default in the pre-commit hook), in a real git repository on
 * disk: the staged files are scanned from a new temporary copy of the index each time, yet the second scan is served
 * from the repository's cache (git's own folder when there is no node_modules; nothing appears in `git status`),
 * with repository-relative paths. Reports are byte-identical with and without the cache, also after an edit to
 * another file that changes what a route file is told across files: the db module its route imports (project model)
 * and a helper it passes request data through (inter-procedural taint).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CACHE_FILE } from '../../src/cli/result-cache';
import { AUTH_MIDDLEWARE, cleanup, cli, git, gitInit, tempDir, writeFiles } from './_util';

const DB_PG = `const { Pool } = require('pg');

const pool = new Pool({ connectionString: process.env.DATABASE_URL });

module.exports = pool;
`;
const DB_MYSQL = `const mysql = require('mysql2/promise');

const pool = mysql.createPool(process.env.DATABASE_URL);

module.exports = pool;
`;
/** returns its argument (request data stays request data) */
const TEAMS_PASS = `function normalizeTeam(name) {
  return String(name).trim().toLowerCase();
}

module.exports = { normalizeTeam };
`;
/** returns one of a fixed list (request data stops here) */
const TEAMS_ALLOW = `const TEAMS = ['red', 'blue', 'green'];

function normalizeTeam(name) {
  return TEAMS.includes(name) ? name : 'red';
}

module.exports = { normalizeTeam };
`;

const FILES: Record<string, string> = {
  'db.js': DB_PG,
  'lib/teams.js': TEAMS_PASS,
  'middleware/auth.js': AUTH_MIDDLEWARE,
  'routes/projects.js': `const express = require('express');
const db = require('../db');

const router = express.Router();

router.get('/projects', async (req, res) => {
  const { rows } = await db.query(\`SELECT id, name FROM projects WHERE owner = '\${req.query.owner}'\`);
  res.json(rows);
});

module.exports = router;
`,
  'routes/users.js': `const express = require('express');
const db = require('../db');
const { normalizeTeam } = require('../lib/teams');

const router = express.Router();

router.get('/users', async (req, res) => {
  const team = normalizeTeam(req.query.team);
  const { rows } = await db.query(\`SELECT id, name FROM users WHERE team = '\${team}'\`);
  res.json(rows);
});

module.exports = router;
`,
  'server.js': `const express = require('express');
const helmet = require('helmet');
const { requireAuth } = require('./middleware/auth');
const projects = require('./routes/projects');
const users = require('./routes/users');

const app = express();
app.use(helmet());
app.use(express.json());
app.use('/api', requireAuth, projects, users);

app.listen(process.env.PORT || 3000);
`,
};
const COUNT = Object.keys(FILES).length;

interface Report { findings: { file: string; ruleId: string; message: string; line: number }[] }

describe('scan --staged --cache', () => {
  let repo: string;
  let cacheDir: string;
  // --min-confidence high: a query built from a helper's return value is medium, from request data high
  const scan = (...extra: string[]) => cli(repo, ['scan', '--staged', '--format', 'json', '--fail-on', 'none', '--min-confidence', 'high', ...extra]);
  const cached = () => scan('--cache', '--verbose');
  /** the cache's counts from the --verbose line */
  const stats = (stderr: string) => {
    const m = /cache: (\d+) of (\d+) files? from the cache(?: \((\d+) unchanged but analysed again)?/.exec(stderr);
    assert.ok(m, `a cache line in: ${stderr}`);
    return { hits: Number(m[1]), files: Number(m[2]), stale: Number(m[3] ?? 0) };
  };
  /** the uncached and the cached report of what is staged now: they must be the same bytes */
  const both = async () => {
    const plain = await scan();
    assert.equal(plain.code, 0, plain.stderr);
    const warm = await cached();
    assert.equal(warm.code, 0, warm.stderr);
    assert.equal(warm.stdout, plain.stdout, 'the cached report is the uncached one');
    return { report: JSON.parse(plain.stdout) as Report, stats: stats(warm.stderr) };
  };
  const stage = (files: Record<string, string>) => { writeFiles(repo, files); git(repo, 'add', '-A'); };

  before(() => {
    repo = tempDir('shipsafe-staged-cache-');
    gitInit(repo);
    stage(FILES);
    cacheDir = join(repo, '.git', 'shipsafe-cache');
  });
  after(() => cleanup(repo));

  it('the second scan of the same staged files is served from the repository\'s cache, with the same report', async () => {
    const status = git(repo, 'status', '--porcelain', '--untracked-files=all');
    const plain = await scan();
    const report = JSON.parse(plain.stdout) as Report;
    assert.deepEqual([...new Set(report.findings.map((f) => f.file))].sort(), ['routes/projects.js', 'routes/users.js'], 'repository-relative paths');

    const cold = await cached();
    assert.equal(cold.stdout, plain.stdout);
    assert.deepEqual(stats(cold.stderr), { hits: 0, files: COUNT, stale: 0 });
    assert.match(cold.stderr, /\(\.git\/shipsafe-cache\)/, 'no node_modules: kept in git\'s own folder');
    const stored = readFileSync(join(cacheDir, CACHE_FILE), 'utf8');
    assert.deepEqual(Object.keys(JSON.parse(stored).entries).sort(), Object.keys(FILES).sort(), 'keyed on repository paths');
    assert.doesNotMatch(stored, /shipsafe-staged-/, 'nothing of the temporary copy of the index is stored');

    const warm = await cached();
    assert.equal(warm.stdout, plain.stdout);
    assert.deepEqual(stats(warm.stderr), { hits: COUNT, files: COUNT, stale: 0 });
    assert.equal(git(repo, 'status', '--porcelain', '--untracked-files=all'), status, 'git status is unchanged');
  });

  it('a hit really gives the stored result back', async () => {
    const file = join(cacheDir, CACHE_FILE);
    const saved = readFileSync(file, 'utf8');
    const data = JSON.parse(saved);
    data.entries['routes/projects.js'].out.results[0].findings[0].message = 'SERVED FROM THE CACHE';
    writeFileSync(file, JSON.stringify(data));
    try {
      assert.match((await cached()).stdout, /SERVED FROM THE CACHE/);
    } finally {
      writeFileSync(file, saved);
    }
  });

  it('another module changes what the project model says about a route file\'s import: that file is analysed again', async () => {
    const before = (await both()).report;
    const pgHint = before.findings.find((f) => f.file === 'routes/projects.js')!.message;
    assert.match(pgHint, /\$1/, 'pg placeholders');

    stage({ 'db.js': DB_MYSQL });
    const after = await both();
    const mysqlHint = after.report.findings.find((f) => f.file === 'routes/projects.js')!.message;
    assert.notEqual(mysqlHint, pgHint, 'routes/projects.js (unchanged) is reported differently');
    assert.match(mysqlHint, /WHERE id = \?/, 'mysql placeholders');
    // db.js changed; the routes that import it asked the model about it; the rest is served from the cache
    assert.ok(after.stats.stale >= 1, JSON.stringify(after.stats));
    assert.ok(after.stats.hits >= 2 && after.stats.hits + after.stats.stale < COUNT, JSON.stringify(after.stats));

    stage({ 'db.js': DB_PG });
    assert.equal((await both()).report.findings.find((f) => f.file === 'routes/projects.js')!.message, pgHint);
  });

  it('a helper that stops passing request data through makes a route file\'s finding disappear, cached or not', async () => {
    const withPass = (await both()).report;
    assert.ok(withPass.findings.some((f) => f.file === 'routes/users.js' && f.ruleId === 'sql-injection'), 'request data reaches the query');

    stage({ 'lib/teams.js': TEAMS_ALLOW });
    const allow = (await both()).report;
    assert.ok(!allow.findings.some((f) => f.file === 'routes/users.js'), 'an allow-list: no high-confidence finding');

    stage({ 'lib/teams.js': TEAMS_PASS });
    assert.deepEqual((await both()).report, withPass);
  });

  it('with node_modules, the cache goes to node_modules/.cache/shipsafe (ignored, shared with scan --cache)', async () => {
    writeFileSync(join(repo, '.gitignore'), 'node_modules/\n');
    mkdirSync(join(repo, 'node_modules'));
    git(repo, 'add', '.gitignore');
    const r = await cached();
    assert.match(r.stderr, /\(node_modules\/\.cache\/shipsafe\)/);
    assert.ok(existsSync(join(repo, 'node_modules', '.cache', 'shipsafe', CACHE_FILE)));
    assert.doesNotMatch(git(repo, 'status', '--porcelain', '--untracked-files=all'), /node_modules|shipsafe/);
  });
});
