/**
 * `shipsafe checklist` run as a process (the bundled dist/cli.js, built once into a temp folder) on copies of
 * the checklist fixtures committed to real git repositories. The Markdown report is golden-tested
 * (SHIPSAFE_UPDATE_GOLDEN=1 rewrites test/cli/golden/*.md; review the diff).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildAll } from '../../src/tools/build';
import { cleanup, git, gitInit, tempDir } from './_util';

const fixtures = join(__dirname, '..', 'checklist', 'fixtures');
const golden = join(__dirname, 'golden');
const update = process.env.SHIPSAFE_UPDATE_GOLDEN === '1';

function expectGolden(name: string, actual: string): void {
  const file = join(golden, name);
  if (update || !existsSync(file)) { writeFileSync(file, actual); return; }
  assert.equal(actual, readFileSync(file, 'utf8'), `differs from test/cli/golden/${name} (SHIPSAFE_UPDATE_GOLDEN=1 rewrites it)`);
}

describe('shipsafe checklist (built bundle, spawned)', () => {
  let out: string;
  let cliJs: string;
  const dirs: string[] = [];
  const sh = (args: string[], cwd: string) => {
    const r = spawnSync(process.execPath, [cliJs, ...args], { cwd, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' } });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  const copy = (name: string) => {
    const dir = tempDir('shipsafe-checklist-cli-');
    dirs.push(dir);
    cpSync(join(fixtures, name), dir, { recursive: true });
    gitInit(dir);
    git(dir, 'add', '.');
    git(dir, 'commit', '-qm', 'initial');
    return dir;
  };

  before(async () => {
    out = tempDir('shipsafe-build-');
    [cliJs] = await buildAll({ outdir: out, only: ['cli'], quiet: true });
  });
  after(() => { cleanup(out); for (const d of dirs) cleanup(d); });

  it('leaky app: exit 1 (blocking items fail); the Markdown report matches the golden file', () => {
    const dir = copy('leaky');
    const r = sh(['checklist'], dir);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /^Checklist: \d+ of \d+ pass, \d+ fail \(\d+ blocking\), \d+ need review\.$/m);
    expectGolden('checklist-leaky.md', r.stdout);
  });

  it('hardened app with answers: exit 0; manual answers from .shipsafe-checklist.txt count; JSON has every item', () => {
    const dir = copy('hardened');
    writeFileSync(join(dir, '.shipsafe-checklist.txt'), 'hosting-env: done -- production keys are set in the host\n\nauthorization-per-resource: done -- orders load by (id, user_id)\n');
    const md = sh(['checklist', '.', '--format', 'md'], dir);
    assert.equal(md.code, 0, md.stderr);
    expectGolden('checklist-hardened.md', md.stdout);
    const js = sh(['checklist', '--format', 'json'], dir);
    assert.equal(js.code, 0, js.stderr);
    const report = JSON.parse(js.stdout) as { version: number; items: { id: string; status: string; detail: string }[]; summary: { fail: number } };
    assert.equal(report.version, 1);
    assert.equal(report.summary.fail, 0);
    assert.equal(report.items.find((i) => i.id === 'hosting-env')?.status, 'pass');
    assert.equal(report.items.find((i) => i.id === 'lockfile-committed')?.status, 'pass');
    assert.equal(report.items.find((i) => i.id === 'secrets-out-of-repo')?.status, 'pass');
  });

  it('the integration workspace\'s report (outside git) is the golden the VS Code export is compared with', () => {
    const dir = tempDir('shipsafe-checklist-cli-');
    dirs.push(dir);
    cpSync(join(__dirname, '..', 'integration', 'workspaces', 'checklist'), dir, { recursive: true });
    const r = sh(['checklist'], dir);
    assert.equal(r.code, 1, r.stderr);
    const file = join(__dirname, '..', 'integration', 'workspaces', 'golden', 'checklist-export.md');
    if (update) writeFileSync(file, r.stdout);
    assert.equal(r.stdout, readFileSync(file, 'utf8'), 'differs from test/integration/workspaces/golden/checklist-export.md (SHIPSAFE_UPDATE_GOLDEN=1 rewrites it)');
  });

  it('--output writes the file; bad arguments exit 2 with a clear message', () => {
    const dir = copy('hardened');
    const r = sh(['checklist', '--output', 'report.md'], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '');
    assert.match(readFileSync(join(dir, 'report.md'), 'utf8'), /^# Pre-deploy checklist: orders-api\n/);
    const bad = sh(['checklist', '--format', 'xml'], dir);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--format must be md or json; got "xml"/);
    const missing = sh(['checklist', 'nope'], dir);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /nope is not a folder/);
    const url = sh(['checklist', '--url', 'ftp://example.com'], dir);
    assert.equal(url.code, 2);
    assert.match(url.stderr, /only http and https URLs can be checked/);
  });
});
