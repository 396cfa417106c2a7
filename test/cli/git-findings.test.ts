/**
 * The git checks on real repositories made in temp folders: a committed `.env`, a key file only in the history,
 * a key removed from a file but still in a commit; and the command line reporting them with the commit id.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { allRules, DEFAULT_CONFIG } from '../../src/engine';
import { gitFindings } from '../../src/engine/project/git-findings';
import { relativePath } from '../../src/engine/project/scan';
import { trackedIgnoredFiles } from '../../src/engine/project/git';
import { discover } from '../../src/engine/project/discover';
import { EXAMPLES } from '../helpers/secret-samples';
import { cleanup, cli, git, gitInit, tempDir, writeFiles } from './_util';

const STRIPE = EXAMPLES['stripe-secret-key'].value;
const GITHUB = EXAMPLES['github-pat'].value;
const PEM = EXAMPLES['private-key'].value;

describe('git checks', () => {
  let repo: string;
  let keyCommit: string;
  let secretCommit: string;
  before(() => {
    repo = tempDir('shipsafe-git-');
    gitInit(repo);
    writeFiles(repo, {
      '.gitignore': 'node_modules/\n.env.local\n',
      '.env': `STRIPE_SECRET_KEY=${STRIPE}\n`,
      '.env.example': 'STRIPE_SECRET_KEY=\n',
      'src/config.js': `module.exports = { token: '${GITHUB}' };\n`,
      'deploy/id_rsa': `${PEM}\n`,
      'certs/public.pem': '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUShipsafeFixture\n-----END CERTIFICATE-----\n',
    });
    git(repo, 'add', '-A');
    git(repo, 'commit', '-qm', 'first');
    secretCommit = git(repo, 'rev-parse', 'HEAD').trim();
    keyCommit = secretCommit;
    // the key file is removed and the token replaced: both stay in the history
    git(repo, 'rm', '-q', 'deploy/id_rsa');
    writeFileSync(join(repo, 'src/config.js'), 'module.exports = { token: process.env.GITHUB_TOKEN };\n');
    git(repo, 'commit', '-qam', 'move the token to the environment');
    // a tracked file that .gitignore now ignores
    writeFiles(repo, { '.env.local': `OPENAI_API_KEY=${EXAMPLES['openai-api-key'].value}\n` });
    git(repo, 'add', '-f', '.env.local');
    git(repo, 'commit', '-qm', 'oops');
  });
  after(() => cleanup(repo));

  it('finds the committed .env, the key file only in history, and the token removed from a file', async () => {
    const fs = await gitFindings(repo, (abs) => relativePath(repo, abs), { rules: allRules, config: DEFAULT_CONFIG });
    const byRule = (id: string) => fs.filter((f) => f.ruleId === id).map((f) => `${f.file} ${f.confidence}`).sort();
    assert.deepEqual(byRule('secret-file-in-git'), ['.env high', '.env.local high', 'deploy/id_rsa high']);
    const rsa = fs.find((f) => f.file === 'deploy/id_rsa')!;
    assert.match(rsa.message, new RegExp(`committed to git in ${keyCommit.slice(0, 12)}`));
    assert.match(rsa.message, /rotate/i);
    const hist = fs.filter((f) => f.ruleId === 'secret-in-git-history');
    // history lines are read one at a time: a PEM block spans lines, and its file is reported by secret-file-in-git
    assert.deepEqual(hist.map((f) => f.file).sort(), ['src/config.js']);
    const cfg = hist.find((f) => f.file === 'src/config.js')!;
    assert.match(cfg.message, new RegExp(`Commit ${secretCommit.slice(0, 12)} added a GitHub personal access token`));
    assert.ok(!cfg.message.includes(GITHUB.slice(6, 20)), 'the token is masked');
    // the .env's key is still in the file: secret-in-file reports it, not the history rule
    assert.ok(!hist.some((f) => f.file === '.env'));
    // the example file and the certificate are fine
    assert.ok(!fs.some((f) => f.file === '.env.example' || f.file === 'certs/public.pem'));
  });

  it('a tracked file that .gitignore ignores is still discovered when git may run', async () => {
    assert.deepEqual((await trackedIgnoredFiles(repo, repo)).map((f) => relativePath(repo, f)), ['.env.local']);
    const withGit = (await discover(repo, { textFiles: true, git: true })).files.map((f) => relativePath(repo, f));
    const without = (await discover(repo, { textFiles: true })).files.map((f) => relativePath(repo, f));
    assert.ok(withGit.includes('.env.local'));
    assert.ok(!without.includes('.env.local'));
  });

  it('a .env that only holds defaults is low confidence; nothing at all outside a repository', async () => {
    const r = tempDir('shipsafe-git-');
    try {
      gitInit(r);
      writeFiles(r, { '.env': 'NODE_ENV=production\nPORT=3000\nNEXT_PUBLIC_SITE_URL=https://shop.example\n' });
      git(r, 'add', '-A');
      git(r, 'commit', '-qm', 'defaults');
      const fs = await gitFindings(r, (abs) => relativePath(r, abs), { rules: allRules, config: { ...DEFAULT_CONFIG, minConfidence: 'low' } });
      assert.deepEqual(fs.map((f) => `${f.ruleId} ${f.file} ${f.confidence}`), ['secret-file-in-git .env low']);
      rmSync(join(r, '.git'), { recursive: true, force: true });
      assert.deepEqual(await gitFindings(r, (abs) => relativePath(r, abs), { rules: allRules, config: DEFAULT_CONFIG }), []);
    } finally {
      cleanup(r);
    }
  });

  it('a .env no .gitignore rule covers is reported; an ignored one and an example are not', async () => {
    const r = tempDir('shipsafe-git-');
    try {
      gitInit(r);
      writeFiles(r, { '.gitignore': 'node_modules/\n.env.local\n', 'README.md': '# shop\n' });
      git(r, 'add', '-A');
      git(r, 'commit', '-qm', 'init');
      writeFiles(r, { '.env': 'PORT=3000\n', '.env.local': 'PORT=3001\n', '.env.example': 'PORT=\n', 'api/.env.production': 'PORT=80\n' });
      const fs = await gitFindings(r, (abs) => relativePath(r, abs), { rules: allRules, config: DEFAULT_CONFIG });
      assert.deepEqual(fs.filter((f) => f.ruleId === 'env-file-not-ignored').map((f) => f.file).sort(), ['.env', 'api/.env.production']);
      writeFileSync(join(r, '.gitignore'), 'node_modules/\n.env*\n!.env.example\n');
      const after = await gitFindings(r, (abs) => relativePath(r, abs), { rules: allRules, config: DEFAULT_CONFIG });
      assert.deepEqual(after.filter((f) => f.ruleId === 'env-file-not-ignored'), []);
    } finally {
      cleanup(r);
    }
  });

  it('the command line reports them with the commit id', async () => {
    const r = await cli(repo, ['scan', '--format', 'json', '--fail-on', 'none']);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout) as { findings: { ruleId: string; file: string; message: string }[] };
    const ids = new Set(report.findings.map((f) => `${f.ruleId} ${f.file}`));
    for (const want of ['secret-file-in-git .env', 'secret-in-git-history src/config.js', 'secret-in-file .env', 'secret-in-file .env.local']) {
      assert.ok(ids.has(want), `missing ${want} in ${[...ids].join(', ')}`);
    }
    assert.ok(!r.stdout.includes(STRIPE), 'no secret in the report');
  });
});
