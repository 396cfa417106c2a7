/** Helpers for the CLI tests: real temp folders, real git, the CLI run in-process with captured streams. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { run } from '../../src/cli/run';

export function tempDir(prefix = 'shipsafe-cli-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function cleanup(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** Writes files given as { relative path: content }. */
export function writeFiles(root: string, files: Record<string, string | Buffer>): void {
  for (const [rel, content] of Object.entries(files)) {
    const p = join(root, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, content);
  }
}

const GIT_ENV = {
  ...process.env,
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_AUTHOR_NAME: 'test', GIT_AUTHOR_EMAIL: 'test@example.com',
  GIT_COMMITTER_NAME: 'test', GIT_COMMITTER_EMAIL: 'test@example.com',
};

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, env: GIT_ENV, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

export function gitInit(cwd: string): void {
  git(cwd, 'init', '-q', '-b', 'main');
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `shipsafe <argv>` in-process in `cwd`. Streams are not TTYs unless asked. */
export async function cli(cwd: string, argv: string[], opts: { tty?: boolean; env?: Record<string, string | undefined> } = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await run(argv, {
    cwd,
    env: opts.env ?? {},
    stdout: { write: (s: string) => { stdout += s; }, isTTY: !!opts.tty },
    stderr: { write: (s: string) => { stderr += s; }, isTTY: !!opts.tty, columns: 100 },
  });
  return { code, stdout, stderr };
}

/** An Express app with one SQL injection (error, high confidence). */
/** an Express auth middleware (middleware/auth.js) that verifies a JWT with a pinned algorithm */
export const AUTH_MIDDLEWARE = `const jwt = require('jsonwebtoken');

function requireAuth(req, res, next) {
  try {
    req.user = jwt.verify(String(req.headers.authorization).replace('Bearer ', ''), process.env.JWT_SECRET, { algorithms: ['HS256'] });
    next();
  } catch {
    res.status(401).json({ error: 'sign in first' });
  }
}

module.exports = { requireAuth };
`;

export const SQL_FLAW = `const express = require('express');
const { Pool } = require('pg');

const pool = new Pool();
const app = express();

app.get('/products/:id', async (req, res) => {
  const result = await pool.query('SELECT * FROM products WHERE id = ' + req.params.id);
  res.json(result.rows);
});

module.exports = app;
`;

/** An Express route with an open redirect (warning, high confidence) and nothing else. */
export const REDIRECT_FLAW = `const express = require('express');
const router = express.Router();

router.get('/login/done', (req, res) => {
  res.redirect(req.query.next);
});

module.exports = router;
`;

/** Well-written code: parameterised query. */
export const CLEAN = `const express = require('express');
const { Pool } = require('pg');

const pool = new Pool();
const app = express();

app.get('/products/:id', async (req, res) => {
  const result = await pool.query('SELECT * FROM products WHERE id = $1', [req.params.id]);
  res.json(result.rows);
});

module.exports = app;
`;

/** A second SQL injection, on a different line text (so a different fingerprint). */
export const SECOND_SQL_FLAW = `
app.get('/orders/:id', async (req, res) => {
  const { rows } = await pool.query(\`SELECT * FROM orders WHERE id = \${req.params.id}\`);
  res.json(rows);
});
`;
