/** `shipsafe scan --fix`: only safe fixes are written; suggestions stay findings; files without safe fixes are untouched. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanup, cli, tempDir, writeFiles } from './_util';

const SESSION = `const express = require('express');
const jwt = require('jsonwebtoken');
const app = express();

app.post('/session', (req, res) => {
  const token = jwt.sign({ sub: req.body.user }, process.env.JWT_SECRET);
  res.cookie('session', token, { httpOnly: true, secure: true });
  res.json({ ok: true });
});

function otp() {
  const code = Math.floor(Math.random() * 1000000);
  return String(code).padStart(6, '0');
}

module.exports = { app, otp };
`;

describe('shipsafe scan --fix', () => {
  it('applies the safe fixes, leaves suggestions as findings, and reports what is left', async () => {
    const dir = tempDir();
    try {
      writeFiles(dir, { 'server.js': SESSION, 'clean.js': 'module.exports = 1;\n' });
      const r = await cli(dir, ['scan', '--fix', '--no-color', '--fail-on', 'none']);
      assert.equal(r.code, 0);
      assert.match(r.stderr, /Applied 2 safe fixes in 1 file\./);
      const after = readFileSync(join(dir, 'server.js'), 'utf8');
      assert.match(after, /res\.cookie\('session', token, \{ httpOnly: true, secure: true, sameSite: 'lax' \}\);/);
      assert.match(after, /const code = randomInt\(1000000\);/);
      assert.match(after, /^const \{ randomInt \} = require\('node:crypto'\);$/m);
      assert.match(after, /jwt\.sign\(\{ sub: req\.body\.user \}, process\.env\.JWT_SECRET\);/, 'the expiry suggestion is not applied');
      assert.match(r.stdout, /jwt-no-expiry/);
      assert.doesNotMatch(r.stdout, /insecure-cookie|insecure-randomness/);
      assert.equal(readFileSync(join(dir, 'clean.js'), 'utf8'), 'module.exports = 1;\n');
      // a second run has nothing left to do
      const again = await cli(dir, ['scan', '--fix', '--no-color', '--fail-on', 'none']);
      assert.match(again.stderr, /No safe fixes to apply\./);
      assert.equal(readFileSync(join(dir, 'server.js'), 'utf8'), after);
    } finally {
      cleanup(dir);
    }
  });
});
