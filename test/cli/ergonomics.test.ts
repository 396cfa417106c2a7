/**
 * The text report and the small commands as a user meets them: paths relative to the folder the command runs in
 * (clickable `path:line:col`), one line per finding with the first sentence of its message (the rest with
 * --verbose), elapsed time, skipped files listed with the reason, `shipsafe rules` as a table, help per command.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { allRules } from '../../src/engine/rules';
import { cleanup, cli, REDIRECT_FLAW, SQL_FLAW, tempDir, writeFiles } from './_util';

describe('text report and command ergonomics', () => {
  let dir: string;
  before(() => {
    dir = tempDir();
    writeFiles(dir, {
      'app/server.js': SQL_FLAW,
      'app/routes/login.js': REDIRECT_FLAW,
      'app/types/models.d.ts': 'export interface User { id: string }\n',
    });
  });
  after(() => cleanup(dir));

  it('one line per finding: path:line:col relative to the current folder, severity, first sentence, rule id', async () => {
    const r = await cli(dir, ['scan', 'app', '--no-color']);
    assert.equal(r.code, 1);
    const lines = r.stdout.split('\n');
    const sql = lines.find((l) => l.includes('sql-injection'));
    assert.match(sql ?? '', /^app\/server\.js:8:\d+ +error +SQL query built from request data \(`req\.params\.id`\)[^]*read or destroy data\. +sql-injection$/);
    assert.doesNotMatch(r.stdout, /Keep the SQL constant/, 'how to fix it is behind --verbose');
    assert.ok(!lines.some((l) => l === 'app/server.js'), 'no header line repeating the path');
    assert.match(r.stdout, /add --verbose/);
    assert.match(r.stdout, /2 findings \(1 error, 1 warning, 0 info\) in 2 files — 2 files scanned; 1 file skipped \(listed above or in the report\) \(\d+\.\ds\)\./);
    // from a sub-folder, scanning the parent: paths still open from where the command ran
    const sub = await cli(join(dir, 'app', 'routes'), ['scan', '..', '--no-color']);
    assert.match(sub.stdout, /^\.\.\/server\.js:8:\d+ /m);
    assert.match(sub.stdout, /^login\.js:5:\d+ /m);
  });

  it('a folder whose name starts with two dots is inside the current folder: paths stay relative to it', async () => {
    const d = tempDir();
    try {
      writeFiles(d, { '..lib/server.js': SQL_FLAW, 'app/routes/login.js': REDIRECT_FLAW });
      const r = await cli(d, ['scan', '..lib', 'app', '--no-color']);
      assert.match(r.stdout, /^\.\.lib\/server\.js:8:\d+ /m);
      assert.match(r.stdout, /^app\/routes\/login\.js:5:\d+ /m);
      const one = await cli(d, ['scan', '..lib', '--no-color']);
      assert.match(one.stdout, /^\.\.lib\/server\.js:8:\d+ /m);
    } finally {
      cleanup(d);
    }
  });

  it('--verbose: the whole message, where the data comes from and the fixes', async () => {
    const r = await cli(dir, ['scan', 'app/server.js', '--no-color', '--verbose']);
    assert.match(r.stdout, /Keep the SQL constant/);
    assert.match(r.stdout, /↳ 8:\d+ Request data enters here/);
    assert.match(r.stdout, /fix: /);
    assert.doesNotMatch(r.stdout, /add --verbose/);
  });

  it('declaration files are listed as skipped, with why, in the text and JSON reports', async () => {
    const t = await cli(dir, ['scan', 'app', '--no-color']);
    assert.match(t.stderr, /Skipped \(1\):\n {2}app\/types\/models\.d\.ts {2}\[excluded\] TypeScript declaration file/);
    const j = JSON.parse((await cli(dir, ['scan', 'app', '--format', 'json'])).stdout);
    assert.equal(j.summary.skipped, 1);
    assert.equal(j.skipped[0].file, 'app/types/models.d.ts');
  });

  it('shipsafe rules: a table with a header, by category', async () => {
    const r = await cli(dir, ['rules']);
    const lines = r.stdout.trimEnd().split('\n');
    assert.match(lines[0], /^CATEGORY +RULE +SEVERITY +CONFIDENCE +FIX +FINDS$/);
    const rows = lines.slice(1, 1 + allRules.length);
    const cats = rows.map((l) => l.split(/ +/)[0]);
    assert.deepEqual(cats, [...cats].sort(), 'sorted by category');
    assert.ok(rows.some((l) => /^injection +sql-injection +error +medium +suggestion +SQL query built from strings$/.test(l)), rows.join('\n'));
  });

  it('--help per command, and "did you mean" for commands, options and values', async () => {
    assert.match((await cli(dir, ['rules', '--help'])).stdout, /^Usage: shipsafe rules/);
    assert.match((await cli(dir, ['help', 'hook'])).stdout, /^Usage: shipsafe hook install \| uninstall/);
    assert.match((await cli(dir, ['hook', '--help'])).stdout, /^Usage: shipsafe hook/);
    assert.match((await cli(dir, ['help', 'checklist'])).stdout, /^Usage: shipsafe checklist/);
    assert.match((await cli(dir, ['scan', '--help'])).stdout, /^Usage: shipsafe scan/);
    const topic = await cli(dir, ['help', 'rulez']);
    assert.equal(topic.code, 2);
    assert.match(topic.stderr, /did you mean "rules"/);
    assert.match((await cli(dir, ['rules', '--fromat', 'json'])).stderr, /did you mean --format/);
    assert.match((await cli(dir, ['rules', '--format', 'jsno'])).stderr, /did you mean "json"/);
    assert.match((await cli(dir, ['scan', '--min-confidence', 'hgih'])).stderr, /did you mean "high"/);
    assert.match((await cli(dir, ['hook', 'instal'])).stderr, /did you mean "install"/);
    assert.match((await cli(dir, ['prompt', '--target', 'claud'])).stderr, /did you mean "claude"/);
    assert.match((await cli(dir, ['prompt', '--tsak', 'login'])).stderr, /did you mean --task/);
    assert.match((await cli(dir, ['checklist', '--format', 'jsn'])).stderr, /did you mean "json"/);
    assert.match((await cli(dir, ['checklist', '--outptu', 'x.md'])).stderr, /did you mean --output/);
  });
});
