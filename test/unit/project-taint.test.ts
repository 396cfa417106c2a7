/**
 * The editor's project taint (src/engine/taint/summaries.ts with the disk resolver of taint-prepass.ts), as the
 * worker uses it on every analysis: one resolution per file and specifier in each join, whatever the number of
 * calls (a route file makes dozens through one `require('../db')`), and the same answers as before.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { diskResolver } from '../../src/engine/project/taint-prepass';
import { ProjectTaint, summarizeFile, type ImportResolver } from '../../src/engine/taint/summaries';

const root = join(__dirname, '..', '..');

function jsFiles(dir: string, base = dir): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? jsFiles(p, base) : /\.js$/.test(f) ? [relative(base, p)] : [];
  });
}

describe('project taint in the editor', () => {
  it('resolves each file and specifier once per join, with the answers a fresh resolution gives', () => {
    const ws = mkdtempSync(join(tmpdir(), 'shipsafe-taint-'));
    try {
      cpSync(join(root, 'test', 'projects', 'express-layered'), ws, { recursive: true });
      // a route file with many calls through the same DAO import, as a generated CRUD file has
      const many = ["const express = require('express');", "const userDao = require('../dao/userDao');", 'const router = express.Router();'];
      for (let i = 0; i < 60; i++) many.push(`router.get('/s${i}', async (req, res) => res.json(await userDao.search(req.query.q${i}, ${i})));`);
      many.push('module.exports = router;', '');
      writeFileSync(join(ws, 'routes', 'many.js'), many.join('\n'));
      const files = jsFiles(ws);
      const disk = diskResolver(ws);
      let calls = 0;
      const counting: ImportResolver = (from, spec) => { calls++; return disk(from, spec); };
      const pt = new ProjectTaint(counting);
      const summaries = files.map((f) => summarizeFile(f, readFileSync(join(ws, f), 'utf8')));
      for (const s of summaries) pt.set(s);
      const distinct = new Set(summaries.flatMap((s) => [...s.calls.map((c) => `${s.file}\u0000${c.target.spec}`), ...(s.specifiers ?? []).map((sp) => `${s.file}\u0000${sp}`)]));
      assert.ok(summaries.find((s) => s.file === 'routes/many.js')!.calls.length >= 60);

      calls = 0;
      const data = pt.dataFor('dao/userDao.js');
      assert.ok(calls <= distinct.size, `${calls} resolutions for ${distinct.size} distinct file and specifier pairs`);
      assert.ok(data && Object.keys(data.incoming).length > 0, 'request data from the routes reaches the DAO');

      // the same data as a project whose resolver remembers nothing and is asked afresh for every call
      const fresh = new ProjectTaint((from, spec) => disk(from, spec));
      for (const s of summaries) fresh.set(s);
      assert.deepEqual(data, fresh.dataFor('dao/userDao.js'));
      assert.deepEqual(pt.dependentsOf('routes/many.js'), fresh.dependentsOf('routes/many.js'));

      // nothing is remembered between calls: a file that appears on disk is found by the next one
      assert.equal(disk('routes/many.js', '../lib/extra'), undefined);
      mkdirSync(join(ws, 'lib', 'extra'));
      assert.equal(disk('routes/many.js', '../lib/extra'), undefined, 'a folder is not a file');
      writeFileSync(join(ws, 'lib', 'extra', 'index.js'), 'module.exports = {};\n');
      assert.equal(disk('routes/many.js', '../lib/extra'), 'lib/extra/index.js');
      // a candidate below a file (`db.js/index.js`) is not an error
      assert.equal(disk('routes/many.js', '../db.js/x'), undefined);
    } finally {
      rmSync(ws, { recursive: true, force: true });
    }
  });
});
