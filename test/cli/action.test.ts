/**
 * The GitHub Action (action.yml): its scan step, action/scan.sh, run as the runner runs it (bash, the INPUT_*
 * variables, $GITHUB_OUTPUT) on a real git repository with the bundled CLI; the SARIF it writes is checked against
 * the official schema. action.yml itself is read to check that it wires the inputs to the script and uploads the
 * report before failing the job.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { buildAll } from '../../src/tools/build';
import { assertValid } from '../helpers/sarif-schema';
import { cleanup, git, gitInit, REDIRECT_FLAW, SQL_FLAW, tempDir, writeFiles } from './_util';

const root = resolve(__dirname, '..', '..');
const script = join(root, 'action', 'scan.sh');

interface Step { name?: string; id?: string; if?: string; uses?: string; run?: string; with?: Record<string, string>; env?: Record<string, string> }

describe('GitHub Action (action.yml, action/scan.sh)', () => {
  let out: string;
  let cliJs: string;
  let repo: string;

  before(async () => {
    out = tempDir('shipsafe-action-build-');
    [cliJs] = await buildAll({ outdir: out, only: ['cli'], quiet: true });
    repo = tempDir('shipsafe-action-repo-');
    gitInit(repo);
    writeFiles(repo, { 'server.js': SQL_FLAW, 'routes/login.js': REDIRECT_FLAW, 'docs/notes.md': '# notes\n' });
    git(repo, 'add', '.');
    git(repo, 'commit', '-qm', 'app');
  });
  after(() => { cleanup(out); cleanup(repo); });

  const runStep = (inputs: Record<string, string>) => {
    const ghOutput = join(out, `github-output-${Math.random().toString(36).slice(2)}`);
    const summary = `${ghOutput}-summary`;
    writeFileSync(ghOutput, '');
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, SHIPSAFE_CLI: cliJs, GITHUB_OUTPUT: ghOutput, GITHUB_STEP_SUMMARY: summary };
    for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase().replace(/-/g, '_')}`] = v;
    const r = spawnSync('bash', [script], { cwd: repo, env, encoding: 'utf8' });
    const outputs = Object.fromEntries(readFileSync(ghOutput, 'utf8').split('\n').filter(Boolean).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    return { code: r.status, stdout: r.stdout, stderr: r.stderr, outputs, summary: existsSync(summary) ? readFileSync(summary, 'utf8') : '' };
  };

  it('action.yml: the four inputs reach the scan, the report is uploaded, then the job fails on findings', () => {
    const action = parse(readFileSync(join(root, 'action.yml'), 'utf8')) as { inputs: Record<string, { default?: string }>; runs: { using: string; steps: Step[] } };
    for (const input of ['paths', 'fail-on', 'baseline', 'min-confidence']) assert.ok(action.inputs[input], `input ${input}`);
    assert.equal(action.inputs['fail-on'].default, 'error');
    assert.equal(action.runs.using, 'composite');
    const steps = action.runs.steps;
    const scan = steps.findIndex((s) => s.id === 'scan');
    const upload = steps.findIndex((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'));
    const fail = steps.findIndex((s) => /exit 1/.test(s.run ?? ''));
    assert.ok(scan >= 0 && scan < upload && upload < fail, 'scan, then upload, then fail');
    assert.match(steps[scan].run ?? '', /action\/scan\.sh/);
    for (const input of ['paths', 'fail-on', 'baseline', 'min-confidence']) {
      assert.equal(steps[scan].env?.[`INPUT_${input.toUpperCase().replace(/-/g, '_')}`], `\${{ inputs.${input} }}`);
    }
    assert.match(steps[upload].if ?? '', /always\(\)/, 'uploads even when an earlier step failed');
    assert.equal(steps[upload].with?.sarif_file, '${{ steps.scan.outputs.sarif-file }}');
    for (const s of steps) assert.doesNotMatch(s.run ?? '', /\$\{\{\s*inputs\./, 'inputs reach scripts through env, never pasted into them');
  });

  it('scans, writes valid SARIF, and reports exit-code 1 without failing the step', () => {
    const r = runStep({ paths: '.', 'fail-on': 'error' });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.outputs['exit-code'], '1');
    assert.equal(r.outputs['sarif-file'], 'shipsafe.sarif');
    const log = JSON.parse(readFileSync(join(repo, 'shipsafe.sarif'), 'utf8'));
    assertValid(log);
    const results = log.runs[0].results as { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[];
    assert.equal(r.outputs.findings, String(results.length));
    const got = results.map((x) => `${x.locations[0].physicalLocation.artifactLocation.uri} ${x.ruleId}`);
    assert.ok(got.includes('server.js sql-injection') && got.includes('routes/login.js open-redirect'), got.join('\n'));
    assert.match(r.summary, /Shipsafe/);
  });

  it('paths (several, new-line separated), fail-on and min-confidence are passed on', () => {
    const warn = runStep({ paths: 'routes\ndocs', 'fail-on': 'error', 'min-confidence': 'high', 'sarif-file': 'out/routes.sarif' });
    assert.equal(warn.code, 0, warn.stderr);
    assert.equal(warn.outputs['exit-code'], '0', 'the open redirect is a warning: below fail-on error');
    const log = JSON.parse(readFileSync(join(repo, 'out/routes.sarif'), 'utf8'));
    assertValid(log);
    assert.deepEqual(log.runs[0].results.map((x: { ruleId: string }) => x.ruleId), ['open-redirect']);
    assert.equal(runStep({ paths: 'routes', 'fail-on': 'warning', 'sarif-file': 'out/routes.sarif' }).outputs['exit-code'], '1');
  });

  it('baseline: findings already in it neither show nor fail', () => {
    const first = runStep({ 'sarif-file': 'baseline.sarif' });
    assert.equal(first.outputs['exit-code'], '1');
    const again = runStep({ baseline: 'baseline.sarif', 'sarif-file': 'new.sarif' });
    assert.equal(again.code, 0, again.stderr);
    assert.equal(again.outputs['exit-code'], '0');
    assert.equal(again.outputs.findings, '0');
    assertValid(JSON.parse(readFileSync(join(repo, 'new.sarif'), 'utf8')));
  });

  it('bad input stops the step with exit 2 and the reason, and no outputs', () => {
    const r = runStep({ 'fail-on': 'sometimes' });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--fail-on must be one of/);
    assert.deepEqual(r.outputs, {});
    const missing = runStep({ baseline: 'nope.json' });
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /nope\.json/);
  });
});
