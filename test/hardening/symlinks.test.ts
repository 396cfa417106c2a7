/**
 * Symbolic links out of the project, on disk (issue 15, defect 7): a scanned repository can link to /etc or a
 * home folder. scan, the MCP check tool, --fix and prompt --write must resolve real paths and refuse anything
 * outside the project, and say so.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, symlinkSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { cleanup, cli, SQL_FLAW, tempDir, writeFiles } from '../cli/_util';
import { startMcp, type McpHarness } from './_mcp';

// a safe fix (jwt.verify without algorithms is a suggestion; cookies… ) — use a file the safe fixes change
const SAFE_FIXABLE = `const express = require('express');
const app = express();
app.disable('x-powered-by');
app.get('/', (req, res) => { res.cookie('session', req.query.s, { httpOnly: true }); res.send('ok'); });
module.exports = app;
`;

describe('symlinks that leave the project (issue 15, defect 7)', () => {
  // made when the file loads: the nested suites' hooks may run before this suite's own
  const outside = tempDir('shipsafe-outside-');
  const project = tempDir('shipsafe-linked-');
  {
    writeFiles(outside, {
      'secret-app/server.js': SQL_FLAW,
      'other.js': SQL_FLAW,
      'CLAUDE.md': '# my private notes\n',
      'cursor-rules/keep.txt': 'x\n',
    });
    writeFiles(project, { 'src/app.js': SQL_FLAW });
    symlinkSync(join(outside, 'secret-app'), join(project, 'src', 'linked-dir'));
    symlinkSync(join(outside, 'other.js'), join(project, 'src', 'linked-file.js'));
    symlinkSync(join(project, 'src', 'app.js'), join(project, 'src', 'inside-link.js'));
  }
  after(() => { cleanup(outside); cleanup(project); });

  it('scan does not follow links to outside, lists them, and still follows links inside', async () => {
    const r = await cli(project, ['scan', '.', '--format', 'json', '--fail-on', 'none']);
    const report = JSON.parse(r.stdout);
    const files = new Set(report.findings.map((f: { file: string }) => f.file));
    assert.ok(files.has('src/app.js'));
    assert.ok(files.has('src/inside-link.js'), [...files].join(','));
    assert.ok(![...files].some((f) => String(f).includes('linked-')), [...files].join(','));
    const skipped = report.skipped.map((s: { file: string; detail: string }) => `${s.file}: ${s.detail}`).join('\n');
    assert.match(skipped, /linked-dir: symbolic link to outside the scanned folder/);
    assert.match(skipped, /linked-file\.js: symbolic link to outside the scanned folder/);
  });

  describe('MCP shipsafe_check', () => {
    let mcp: McpHarness;
    before(async () => { mcp = await startMcp(project); });
    after(async () => { await mcp.close(); });

    for (const path of ['src/linked-file.js', 'src/linked-dir/server.js', '../x.js', join(outside, 'other.js')]) {
      it(`refuses ${path.startsWith('/') ? 'an absolute path outside' : path}`, async () => {
        const r = await mcp.request('tools/call', { name: 'shipsafe_check', arguments: { path, includeRequirements: false } });
        assert.equal(r.result?.isError, true, JSON.stringify(r));
        assert.match(r.result.content[0].text, /outside the project folder/);
      });
    }

    it('accepts a file named ..foo.js inside the project, and an in-project link', async () => {
      writeFiles(project, { '..foo.js': SQL_FLAW });
      for (const path of ['..foo.js', 'src/inside-link.js']) {
        const r = await mcp.request('tools/call', { name: 'shipsafe_check', arguments: { path, includeRequirements: false } });
        assert.notEqual(r.result?.isError, true, JSON.stringify(r));
        assert.ok(r.result.structuredContent.findings.some((f: { ruleId: string }) => f.ruleId === 'sql-injection'));
      }
    });
  });

  it('--fix changes no file outside the project, even named through a link', async () => {
    const dir = tempDir('shipsafe-fixlink-');
    const away = tempDir('shipsafe-fixaway-');
    try {
      writeFiles(away, { 'victim.js': SAFE_FIXABLE });
      writeFiles(dir, { 'src/mine.js': SAFE_FIXABLE });
      symlinkSync(join(away, 'victim.js'), join(dir, 'src', 'victim.js'));
      const before = readFileSync(join(away, 'victim.js'), 'utf8');
      const r = await cli(dir, ['scan', '.', '--fix', '--fail-on', 'none', '--no-color']);
      assert.equal(readFileSync(join(away, 'victim.js'), 'utf8'), before, 'the file outside was rewritten');
      const r2 = await cli(dir, ['scan', 'src/victim.js', '--fix', '--fail-on', 'none', '--no-color']);
      assert.equal(readFileSync(join(away, 'victim.js'), 'utf8'), before, 'the file outside was rewritten when named');
      assert.match(r2.stderr, /victim\.js: it is a symbolic link to a file outside the project; not changed/);
      assert.doesNotMatch(r.stderr + r2.stderr, /\n\s+at /);
    } finally { cleanup(dir); cleanup(away); }
  });

  it('prompt --write does not append to a linked CLAUDE.md or create files in a linked .cursor', async () => {
    const dir = tempDir('shipsafe-promptlink-');
    try {
      writeFiles(dir, { 'package.json': '{ "dependencies": { "express": "^4" } }' });
      symlinkSync(join(outside, 'CLAUDE.md'), join(dir, 'CLAUDE.md'));
      symlinkSync(join(outside, 'cursor-rules'), join(dir, '.cursor'));
      const r = await cli(dir, ['prompt', '--write', '--target', 'claude', '--target', 'cursor', '--no-scan']);
      assert.equal(r.code, 2, r.stdout + r.stderr);
      assert.equal(readFileSync(join(outside, 'CLAUDE.md'), 'utf8'), '# my private notes\n');
      assert.deepEqual(readdirSync(join(outside, 'cursor-rules')), ['keep.txt']);
      assert.match(r.stderr, /CLAUDE\.md: it is, or is inside, a symbolic link to outside the project folder; the file was not changed/);
      assert.match(r.stderr, /\.cursor\/[^:]+: it is, or is inside, a symbolic link to outside the project folder/);
      // a real folder is still written
      mkdirSync(join(dir, 'sub'));
      assert.ok(existsSync(join(dir, 'sub')));
    } finally { cleanup(dir); }
  });
});
