/**
 * No output carries a secret value (issue 15, severe 4). Known fixture secrets are planted in a project the way
 * people leave them — in a query, a log line, a JWT key, an error message, a config object — and every output
 * is searched for them: the text, JSON and SARIF reports, --fix's messages, the secure prompt, and the MCP
 * tools' results (file and snippet). Each secret is searched whole and by its last 12 characters, since a
 * mask shows only a short prefix. (The VS Code log is covered by the integration suite, not here.)
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanup, cli, tempDir, writeFiles } from '../cli/_util';
import { startMcp } from './_mcp';

// fixture values in real formats (the rule fixtures use the same ones); none is a real credential
const SECRETS = {
  stripe: 'sk_live_51ShipsafeFixtureLiveKeyHYxbfrSIwOUNCIFdawvRmWeNf8akJK9COkaz5m',
  aws: 'AKIAA735DV57LXUG3YCS',
  github: 'ghp_ShipsafeFixture3AquGdV9IyLX3vrqQ5Mjs',
  dbPassword: 'FxLERfE2O0AC3oaP9w87k4uw',
  named: 'q8Vz2LmN4xR7tK1pW9sB3yH6',
  jwt: 'Zt4$kP9!vQ2#mW7@rX5&nB8*',
};

const FILES: Record<string, string> = {
  'package.json': '{ "dependencies": { "express": "^4", "pg": "^8", "jsonwebtoken": "^9" } }',
  'src/orders.js': `const express = require('express');
const { Pool } = require('pg');
const db = new Pool({ connectionString: 'postgres://app_user:${SECRETS.dbPassword}@db-prod.shipsafe-fixture.internal:5432/app' });
const app = express();
app.get('/orders', async (req, res) => {
  const rows = await db.query(\`SELECT * FROM orders WHERE api_key = '${SECRETS.stripe}' AND id = \${req.query.id}\`);
  console.log('stripe key ${SECRETS.stripe} used for', req.query.id);
  res.json(rows);
});
module.exports = app;
`,
  'src/aws.ts': `export const config = { accessKeyId: '${SECRETS.aws}', region: 'eu-west-1' };
export const apiSecret = '${SECRETS.named}';
`,
  'src/auth.js': `const jwt = require('jsonwebtoken');
const GITHUB_TOKEN = '${SECRETS.github}';
function sign(user) { return jwt.sign({ sub: user.id }, '${SECRETS.jwt}'); }
function check(t) { return jwt.verify(t, '${SECRETS.jwt}'); }
function fail(res) { res.status(500).send('token ${SECRETS.github} rejected'); }
module.exports = { sign, check, fail, GITHUB_TOKEN };
`,
  'dist/assets/index-a1b2c3d4.js': `var k="${SECRETS.stripe}";fetch("/x",{headers:{Authorization:"Bearer ${SECRETS.github}"}});`,
};

function leaks(output: string): string[] {
  const out: string[] = [];
  for (const [name, v] of Object.entries(SECRETS)) {
    if (output.includes(v)) out.push(`${name} (whole value)`);
    else if (output.includes(v.slice(-12))) out.push(`${name} (its last 12 characters)`);
  }
  return out;
}

describe('secret hygiene: planted secrets never reach an output', () => {
  const dir = tempDir('shipsafe-hygiene-');
  writeFiles(dir, FILES);
  after(() => cleanup(dir));

  for (const format of ['text', 'json', 'sarif']) {
    it(`scan --format ${format} (findings found, secrets absent)`, async () => {
      const r = await cli(dir, ['scan', '.', 'dist', '--format', format, '--fail-on', 'none', '--min-confidence', 'low', '--no-color']);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /hardcoded-secret/);
      assert.match(r.stdout, /sql-injection/);
      assert.deepEqual(leaks(r.stdout + r.stderr), []);
    });
  }

  it('scan --output writes a report without them', async () => {
    const r = await cli(dir, ['scan', '.', '--format', 'sarif', '--output', 'out/report.sarif', '--fail-on', 'none']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(leaks(readFileSync(join(dir, 'out', 'report.sarif'), 'utf8') + r.stderr), []);
  });

  it('--fix messages', async () => {
    const copy = tempDir('shipsafe-hygiene-fix-');
    try {
      writeFiles(copy, FILES);
      const r = await cli(copy, ['scan', '.', '--fix', '--fail-on', 'none', '--no-color']);
      assert.deepEqual(leaks(r.stdout + r.stderr), []);
    } finally { cleanup(copy); }
  });

  it('prompt (with findings) and prompt --format json', async () => {
    for (const args of [['prompt', '--task', 'login'], ['prompt', '--format', 'json']]) {
      const r = await cli(dir, args);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(leaks(r.stdout + r.stderr), [], args.join(' '));
    }
  });

  describe('MCP results', () => {
    let mcp: Awaited<ReturnType<typeof startMcp>>;
    before(async () => { mcp = await startMcp(dir); });
    after(async () => { await mcp.close(); });

    for (const path of ['src/orders.js', 'src/aws.ts', 'src/auth.js', 'dist/assets/index-a1b2c3d4.js']) {
      it(`shipsafe_check ${path}`, async () => {
        const r = await mcp.request('tools/call', { name: 'shipsafe_check', arguments: { path } });
        assert.ok(r.result && !r.result.isError, JSON.stringify(r).slice(0, 300));
        assert.deepEqual(leaks(JSON.stringify(r)), []);
      });
    }

    it('shipsafe_check on snippets and shipsafe_secure_prompt', async () => {
      for (const [file, code] of Object.entries(FILES)) {
        const r = await mcp.request('tools/call', { name: 'shipsafe_check', arguments: { code, filename: file } });
        assert.deepEqual(leaks(JSON.stringify(r)), [], file);
      }
      const p = await mcp.request('tools/call', { name: 'shipsafe_secure_prompt', arguments: { task: 'payments' } });
      assert.deepEqual(leaks(JSON.stringify(p)), []);
    });
  });
});
