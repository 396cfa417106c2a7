/** Odd files on disk (issue 15, defects 8 and 12): --fix failures, file names with newlines, UTF-16 sources. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanup, cli, SQL_FLAW, tempDir, writeFiles } from '../cli/_util';

// safe fixes: a cookie without sameSite gets sameSite: 'lax', Math.random for a code becomes crypto.randomInt
const FIXABLE = `const express = require('express');
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

describe('--fix with files it cannot fix (issue 15, defect 8)', () => {
  it('a read-only file and a too-deep file are reported, other files are still fixed, no stack trace', async () => {
    const dir = tempDir('shipsafe-fixfail-');
    try {
      writeFiles(dir, {
        'a-readonly.js': FIXABLE,
        'b-deep.js': `${FIXABLE}\nconst x = ${'('.repeat(5000)}1${')'.repeat(5000)};\n`,
        'c-ok.js': FIXABLE,
      });
      chmodSync(join(dir, 'a-readonly.js'), 0o444);
      const r = await cli(dir, ['scan', '.', '--fix', '--fail-on', 'none', '--no-color']);
      assert.equal(r.code, 0, r.stderr);
      assert.doesNotMatch(r.stderr, /internal error|\n\s+at /);
      assert.equal(readFileSync(join(dir, 'a-readonly.js'), 'utf8'), FIXABLE, 'the read-only file was changed');
      assert.match(r.stderr, /a-readonly\.js: the file is read-only/);
      const ok = readFileSync(join(dir, 'c-ok.js'), 'utf8');
      assert.notEqual(ok, FIXABLE, `the other file was not fixed: ${r.stderr}`);
      assert.match(r.stderr, /Applied \d+ safe fix/);
    } finally { cleanup(dir); }
  });
});

describe('file names and encodings (issue 15, defect 12)', () => {
  it('a file name with a newline is printed escaped, on one line', async () => {
    const dir = tempDir('shipsafe-names-');
    try {
      writeFiles(dir, { 'bad\nname.js': SQL_FLAW });
      const r = await cli(dir, ['scan', '.', '--no-color']);
      assert.equal(r.code, 1);
      assert.match(r.stdout, /bad\\nname\.js/);
      assert.doesNotMatch(r.stdout, /bad\nname/);
    } finally { cleanup(dir); }
  });

  it('UTF-16 files with a byte order mark are analysed, not skipped as binary', async () => {
    const dir = tempDir('shipsafe-utf16-');
    try {
      writeFileSync(join(dir, 'le.js'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(SQL_FLAW, 'utf16le')]));
      const be = Buffer.from(SQL_FLAW, 'utf16le');
      for (let i = 0; i < be.length; i += 2) { const t = be[i]; be[i] = be[i + 1]; be[i + 1] = t; }
      writeFileSync(join(dir, 'be.js'), Buffer.concat([Buffer.from([0xfe, 0xff]), be]));
      const r = await cli(dir, ['scan', '.', '--format', 'json']);
      const report = JSON.parse(r.stdout);
      assert.deepEqual(report.skipped, []);
      assert.deepEqual(report.findings.map((f: { file: string; ruleId: string }) => `${f.file}:${f.ruleId}`).sort(), ['be.js:sql-injection', 'le.js:sql-injection']);
    } finally { cleanup(dir); }
  });
});
