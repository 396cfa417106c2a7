/**
 * The pre-deploy checklist model: items derived from the prompt catalog and the rules, facts read from real
 * fixture folders (test/checklist/fixtures), git facts from real repositories made in temp folders, the answers
 * file (including a real git merge of two branches), and statuses end to end through `projectChecklist`.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ANSWERS_FILE, AnswersFileError, CHECKLIST, CHECKLIST_BY_ID, collectProject, evaluateChecklist, GROUPS, parseAnswers,
  serializeAnswers, updateAnswers, type Checklist,
} from '../../src/engine/checklist';
import { CHECKLIST_ITEMS } from '../../src/engine/prompt/catalog';
import { allRules } from '../../src/engine/rules';
import { projectChecklist } from '../../src/cli/checklist';
import { cleanup, git, gitInit, tempDir } from '../cli/_util';

const fixtures = join(__dirname, '..', 'checklist', 'fixtures');
const item = (c: Checklist, id: string) => {
  const i = c.items.find((x) => x.id === id);
  assert.ok(i, `no item ${id}`);
  return i;
};
const locs = (c: Checklist, id: string) => item(c, id).evidence.map((e) => (e.line ? `${e.file}:${e.line}` : e.file ?? e.url));

/** A copy of a fixture in a temp folder, committed to a fresh git repository. */
function committedCopy(name: string): string {
  const dir = tempDir('shipsafe-checklist-');
  cpSync(join(fixtures, name), dir, { recursive: true });
  gitInit(dir);
  git(dir, 'add', '.');
  git(dir, 'commit', '-qm', 'initial');
  return dir;
}

describe('checklist items', () => {
  it('every checklist id of the secure-prompt catalog is an item, with the catalog\'s title', () => {
    for (const c of CHECKLIST_ITEMS) {
      const def = CHECKLIST_BY_ID.get(c.id);
      assert.ok(def, `catalog checklist id ${c.id} is not a checklist item`);
      assert.equal(def.title, c.title);
    }
  });

  it('every security rule belongs to an item, and items name only real rules', () => {
    const ruleIds = new Set(allRules.map((r) => r.meta.id));
    const covered = new Set(CHECKLIST.flatMap((d) => d.rules));
    for (const r of allRules) if (r.meta.category !== 'meta') assert.ok(covered.has(r.meta.id), `rule ${r.meta.id} is in no checklist item`);
    for (const id of covered) assert.ok(ruleIds.has(id), `an item names unknown rule ${id}`);
  });

  it('ids are unique kebab-case, every group has items, every item has a one-line why and review hint', () => {
    assert.equal(new Set(CHECKLIST.map((d) => d.id)).size, CHECKLIST.length);
    for (const d of CHECKLIST) {
      assert.match(d.id, /^[a-z0-9]+(-[a-z0-9]+)*$/);
      assert.ok(d.why.length > 20 && !d.why.includes('\n'), d.id);
      assert.ok(d.review.length > 10, d.id);
    }
    for (const g of GROUPS) assert.ok(CHECKLIST.some((d) => d.group === g.id), `group ${g.id} is empty`);
  });
});

describe('checklist facts from fixture folders', () => {
  it('the leaky fixture: real-looking values in .env.example, a root Dockerfile with a baked secret, a dump in public/, vite source maps', async () => {
    const { facts } = await collectProject(join(fixtures, 'leaky'));
    assert.deepEqual(facts.envExampleValues.map((e) => e.line), [2, 3]);
    assert.ok(facts.envExampleValues.every((e) => !e.message.includes('Hx7pQ2mVz9Lk') && !e.message.includes('51Qx8TnKm3vR7wLpZ2')), 'values are masked');
    assert.deepEqual(facts.dockerProblems.map((e) => `${e.file}:${e.line}`).sort(), ['Dockerfile:1', 'Dockerfile:5']);
    assert.deepEqual(facts.publicLeftovers.map((e) => e.file), ['public/backup.sql']);
    assert.deepEqual(facts.debugSettings.map((e) => `${e.file}:${e.line}`), ['vite.config.js:6']);
    assert.deepEqual(facts.lockfiles, []);
    assert.deepEqual(facts.gitignoreCoversEnv, []);
    assert.deepEqual(facts.routesWithIds.map((e) => `${e.file}:${e.line} ${e.message}`), ['src/server.js:9 GET /products/:id']);
    assert.deepEqual(facts.git, { checked: false, reason: 'git checks were not asked for' });
  });

  it('the hardened fixture: names only, non-root image, lockfile, .env ignored', async () => {
    const { facts } = await collectProject(join(fixtures, 'hardened'));
    assert.deepEqual(facts.envExampleValues, []);
    assert.deepEqual(facts.dockerProblems, []);
    assert.deepEqual(facts.publicLeftovers, []);
    assert.deepEqual(facts.lockfiles, ['package-lock.json']);
    assert.deepEqual(facts.gitignoreCoversEnv, ['.gitignore']);
    assert.ok(facts.packageJson?.dependencies.includes('helmet'));
  });
});

describe('checklist statuses (scan + facts + answers)', () => {
  it('leaky: blocking failures with file:line evidence', async () => {
    const c = await projectChecklist(join(fixtures, 'leaky'), { git: false });
    assert.equal(item(c, 'parameterized-queries').status, 'fail');
    assert.deepEqual(locs(c, 'parameterized-queries'), ['src/server.js:10']);
    assert.equal(item(c, 'parameterized-queries').evidence[0].ruleId, 'sql-injection');
    assert.equal(item(c, 'env-example-names-only').status, 'fail');
    assert.equal(item(c, 'no-public-leftovers').status, 'fail');
    assert.equal(item(c, 'container-non-root').status, 'fail');
    assert.equal(item(c, 'production-debug-off').status, 'fail');
    assert.equal(item(c, 'lockfile-committed').status, 'fail');
    assert.equal(item(c, 'jwt-verified').status, 'na', 'no JWT library, no JWT finding');
    // the live key in .env.example is a committed secret too: secret-in-file reports it (text files are scanned)
    assert.equal(item(c, 'no-hardcoded-secrets').status, 'fail');
    assert.ok(item(c, 'no-hardcoded-secrets').evidence.some((e) => e.file === '.env.example' && e.ruleId === 'secret-in-file'));
    assert.equal(item(c, 'secrets-out-of-repo').status, 'review', '.gitignore lacks .env but there is no .env file');
    assert.ok(c.summary.blockingFail >= 4);
    assert.match(c.summary.line, /^\d+ of \d+ pass, \d+ fail \(\d+ blocking\), \d+ need review$/);
  });

  it('hardened: code checks pass; what code cannot show needs review; git not run means review', async () => {
    const c = await projectChecklist(join(fixtures, 'hardened'), { git: false });
    for (const id of ['no-hardcoded-secrets', 'parameterized-queries', 'jwt-verified', 'rate-limit-auth', 'security-headers', 'container-non-root', 'env-example-names-only', 'no-public-leftovers']) {
      assert.equal(item(c, id).status, 'pass', `${id}: ${item(c, id).detail}`);
    }
    assert.equal(item(c, 'authorization-per-resource').status, 'review');
    assert.deepEqual(locs(c, 'authorization-per-resource'), ['src/routes/orders.js:17']);
    assert.equal(item(c, 'lockfile-committed').status, 'review');
    assert.match(item(c, 'lockfile-committed').detail, /--no-git/);
    assert.equal(item(c, 'dependency-audit').status, 'review');
    assert.equal(c.summary.fail, 0);
  });

  it('answers: done and n/a settle review items; a code failure is never overridden', async () => {
    const base = await collectProject(join(fixtures, 'leaky'));
    const findings = [{ ruleId: 'sql-injection', file: 'src/server.js', line: 10, column: 3, message: 'SQL built from strings.', severity: 'error' as const }];
    const c = evaluateChecklist({
      project: 'x', findings, rulesRun: allRules.map((r) => r.meta.id), ...base,
      answers: {
        'hosting-env': { value: 'done', note: 'prod keys live in Vercel' },
        'payment-idempotency': { value: 'n/a', note: 'no payments yet' },
        'parameterized-queries': { value: 'done' },
      },
    });
    assert.equal(item(c, 'hosting-env').status, 'pass');
    assert.match(item(c, 'hosting-env').detail, /checked by hand: prod keys live in Vercel/);
    assert.equal(item(c, 'payment-idempotency').status, 'na');
    assert.equal(item(c, 'parameterized-queries').status, 'fail');
    assert.match(item(c, 'parameterized-queries').detail, /marked done by hand, but the code shows the problem/);
  });

  it('a rule turned off leaves its item for review instead of passing it', async () => {
    const base = await collectProject(join(fixtures, 'hardened'));
    const c = evaluateChecklist({ project: 'x', findings: [], rulesRun: allRules.map((r) => r.meta.id).filter((id) => id !== 'cors-misconfiguration'), ...base });
    assert.equal(item(c, 'cors-allowlist').status, 'review');
    assert.match(item(c, 'cors-allowlist').detail, /`cors-misconfiguration` is turned off/);
    const unscanned = evaluateChecklist({ project: 'x', findings: [], ...base });
    assert.equal(item(unscanned, 'cors-allowlist').status, 'review');
    assert.match(item(unscanned, 'cors-allowlist').detail, /not been scanned/);
  });
});

describe('checklist git facts (real repositories)', () => {
  it('a committed lockfile passes; .env ignored and never committed passes', async () => {
    const dir = committedCopy('hardened');
    try {
      const c = await projectChecklist(dir, { git: true });
      assert.equal(item(c, 'lockfile-committed').status, 'pass', item(c, 'lockfile-committed').detail);
      assert.equal(item(c, 'secrets-out-of-repo').status, 'pass', item(c, 'secrets-out-of-repo').detail);
    } finally { cleanup(dir); }
  });

  it('a .env committed once and deleted later fails, naming the commit; a tracked .env fails too', async () => {
    const dir = committedCopy('hardened');
    try {
      writeFileSync(join(dir, '.env'), 'JWT_SECRET=abc\n');
      git(dir, 'add', '-f', '.env');
      git(dir, 'commit', '-qm', 'add env');
      const commit = git(dir, 'rev-parse', '--short', 'HEAD').trim();
      let c = await projectChecklist(dir, { git: true });
      assert.equal(item(c, 'secrets-out-of-repo').status, 'fail');
      assert.match(item(c, 'secrets-out-of-repo').evidence.map((e) => `${e.file} ${e.message}`).join('\n'), /^\.env tracked by git/m);
      git(dir, 'rm', '-q', '--cached', '.env');
      git(dir, 'commit', '-qm', 'untrack env');
      c = await projectChecklist(dir, { git: true });
      assert.equal(item(c, 'secrets-out-of-repo').status, 'fail');
      const ev = item(c, 'secrets-out-of-repo').evidence;
      assert.equal(ev.length, 1);
      assert.equal(ev[0].file, '.env');
      assert.match(ev[0].message, new RegExp(`was committed in ${commit}`));
    } finally { cleanup(dir); }
  });

  it('an uncommitted lockfile fails; paths are relative to a project inside a bigger repository', async () => {
    const repo = tempDir('shipsafe-checklist-');
    try {
      cpSync(join(fixtures, 'hardened'), join(repo, 'apps', 'api'), { recursive: true });
      gitInit(repo);
      git(repo, 'add', 'apps/api/package.json', 'apps/api/src');
      git(repo, 'commit', '-qm', 'initial');
      const c = await projectChecklist(join(repo, 'apps', 'api'), { git: true });
      assert.equal(item(c, 'lockfile-committed').status, 'fail');
      assert.deepEqual(locs(c, 'lockfile-committed'), ['package-lock.json']);
    } finally { cleanup(repo); }
  });

  it('not a git repository: the git part needs review and says why', async () => {
    const dir = tempDir('shipsafe-checklist-');
    try {
      cpSync(join(fixtures, 'hardened'), dir, { recursive: true });
      const c = await projectChecklist(dir, { git: true });
      assert.equal(item(c, 'secrets-out-of-repo').status, 'review');
      assert.match(item(c, 'secrets-out-of-repo').detail, /not in a git repository/);
    } finally { cleanup(dir); }
  });
});

describe('checklist answers file', () => {
  it('round-trips, sorted by id with a blank line between items; notes stay on one line', () => {
    const text = serializeAnswers({ 'supabase-rls': { value: 'n/a' }, 'authorization-per-resource': { value: 'done', note: 'owner check\nin every route' } });
    const lines = text.split('\n').filter((l) => !l.startsWith('#'));
    assert.deepEqual(lines, ['', 'authorization-per-resource: done -- owner check in every route', '', 'supabase-rls: n/a', '', '']);
    assert.deepEqual(parseAnswers(text), { answers: { 'authorization-per-resource': { value: 'done', note: 'owner check in every route' }, 'supabase-rls': { value: 'n/a' } }, errors: [] });
  });

  it('keeps answers to unknown ids, removes an answer set back to open without a note, refuses to rewrite a file it cannot read', () => {
    let text = updateAnswers(undefined, 'hosting-env', { value: 'done' });
    text = updateAnswers(`${text}\nfuture-item: done -- from a newer version\n`, 'llm-quotas', { value: 'open', note: 'ask Sam' });
    assert.deepEqual(Object.keys(parseAnswers(text).answers), ['future-item', 'hosting-env', 'llm-quotas']);
    text = updateAnswers(text, 'hosting-env', { value: 'open' });
    assert.deepEqual(Object.keys(parseAnswers(text).answers), ['future-item', 'llm-quotas']);
    assert.throws(() => updateAnswers(`${text}\nthis is not an answer\n`, 'hosting-env', { value: 'done' }), (e: Error) => e instanceof AnswersFileError && /line \d+/.test(e.message));
  });

  it('answers to different items on two branches merge without a conflict (real git merge)', () => {
    const dir = tempDir('shipsafe-answers-');
    try {
      gitInit(dir);
      const file = join(dir, ANSWERS_FILE);
      writeFileSync(file, updateAnswers(undefined, 'hosting-env', { value: 'done' }));
      git(dir, 'add', '.');
      git(dir, 'commit', '-qm', 'base');
      git(dir, 'checkout', '-qb', 'alice');
      // neighbours in sort order on both sides of the existing line
      writeFileSync(file, updateAnswers(readFileSync(file, 'utf8'), 'container-non-root', { value: 'n/a', note: 'no containers' }));
      writeFileSync(file, updateAnswers(readFileSync(file, 'utf8'), 'hosting-env', { value: 'done', note: 'checked in Vercel' }));
      git(dir, 'commit', '-qam', 'alice');
      git(dir, 'checkout', '-q', 'main');
      writeFileSync(file, updateAnswers(readFileSync(file, 'utf8'), 'llm-quotas', { value: 'done' }));
      git(dir, 'commit', '-qam', 'bob');
      git(dir, 'merge', '-q', '--no-edit', 'alice');
      const merged = parseAnswers(readFileSync(file, 'utf8'));
      assert.deepEqual(merged.errors, []);
      assert.deepEqual(merged.answers, {
        'container-non-root': { value: 'n/a', note: 'no containers' },
        'hosting-env': { value: 'done', note: 'checked in Vercel' },
        'llm-quotas': { value: 'done' },
      });
    } finally { rmSync(dir, { recursive: true, force: true }); }
  });
});
