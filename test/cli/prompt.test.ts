/**
 * `shipsafe prompt` in-process on copies of the example projects: printing, JSON, and writing the managed block
 * into real instruction files — created, preserved around user content, idempotent (byte-identical), damaged
 * markers refused.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BLOCK_BEGIN, BLOCK_END } from '../../src/engine/prompt/targets';
import { cleanup, cli, tempDir } from './_util';

const projects = join(__dirname, '..', 'prompt', 'projects');

describe('shipsafe prompt', () => {
  let express: string;
  let next: string;
  before(() => {
    express = tempDir('shipsafe-prompt-');
    cpSync(join(projects, 'express-pg'), express, { recursive: true });
    next = tempDir('shipsafe-prompt-');
    cpSync(join(projects, 'next-saas'), next, { recursive: true });
  });
  after(() => { cleanup(express); cleanup(next); });

  it('prints the preamble for the project, with its findings and the task', async () => {
    const r = await cli(express, ['prompt', '--task', 'file upload endpoint']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^## Security requirements for this project\n/);
    assert.match(r.stdout, /Stack: Express, pg \(node-postgres\)/);
    assert.match(r.stdout, /`sql-injection`\): 2 findings in 1 file/);
    assert.match(r.stdout, /### For this task: file upload endpoint/);
    assert.doesNotMatch(r.stdout, /req\.query|notes\.js/, 'no code or file names from the findings');
    assert.equal(r.stderr, '');
  });

  it('--no-scan leaves the findings out; a folder argument works from elsewhere', async () => {
    const r = await cli(join(express, '..'), ['prompt', express, '--no-scan']);
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stdout, /Open findings/);
    assert.match(r.stdout, /pool\.query/);
  });

  it('--format json lists the stack, the requirements with their traces, and the markdown', async () => {
    const r = await cli(next, ['prompt', '--format', 'json', '--task', 'Stripe checkout']);
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.deepEqual(j.stack.map((i: { id: string }) => i.id).slice(0, 4), ['nextjs', 'react', 'prisma', 'supabase']);
    assert.deepEqual(j.task, { text: 'Stripe checkout', matched: ['payments'] });
    assert.ok(j.requirements.every((q: { rules: string[]; checklist: string[] }) => q.rules.length + q.checklist.length > 0));
    assert.ok(j.traces.checklist.includes('payment-webhook-verified'));
    assert.match(j.markdown, /constructEvent\(await req\.text\(\)/);
  });

  it('--target without --write prints the file as it would be created (Cursor: front matter first)', async () => {
    const r = await cli(next, ['prompt', '--no-scan', '--target', 'cursor']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^---\ndescription: [^\n]+\nglobs:\nalwaysApply: true\n---\n<!-- shipsafe:begin /);
    assert.ok(r.stdout.trimEnd().endsWith(BLOCK_END));
  });

  it('--write creates each target file, keeps the user\'s own text above and below the block, and is idempotent', async () => {
    const agents = join(express, 'AGENTS.md');
    const above = '# Agent notes\n\nUse pnpm. Run `npm test` before committing.\n';
    const below = '\n## Style\n\nTwo-space indentation; no default exports.\n';
    writeFileSync(agents, `${above}\n${BLOCK_BEGIN}\nold generated text\n${BLOCK_END}\n${below}`);

    const first = await cli(express, ['prompt', '--write', '--target', 'agents,claude,copilot,cursor,windsurf']);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /^AGENTS\.md: updated/m);
    for (const f of ['CLAUDE.md', '.github/copilot-instructions.md', '.cursor/rules/shipsafe-security.mdc', '.windsurfrules']) {
      assert.match(first.stdout, new RegExp(`^${f.replace(/\./g, '\\.')}: created`, 'm'));
      assert.ok(existsSync(join(express, f)), f);
    }
    const text = readFileSync(agents, 'utf8');
    assert.ok(text.startsWith(`${above}\n${BLOCK_BEGIN}\n## Security requirements for this project\n`), 'user text above kept, block in place');
    assert.ok(text.endsWith(`${BLOCK_END}\n${below}`), 'user text below kept');
    assert.doesNotMatch(text, /old generated text/);
    assert.equal(text.split(BLOCK_BEGIN).length, 2, 'one block');
    assert.ok(readFileSync(join(express, '.cursor/rules/shipsafe-security.mdc'), 'utf8').startsWith('---\ndescription:'));

    const snapshot = (f: string) => readFileSync(join(express, f));
    const files = ['AGENTS.md', 'CLAUDE.md', '.github/copilot-instructions.md', '.cursor/rules/shipsafe-security.mdc', '.windsurfrules'];
    const before1 = files.map(snapshot);
    const again = await cli(express, ['prompt', '--write', '--target', 'agents', '--target', 'claude', '--target', 'copilot', '--target', 'cursor', '--target', 'windsurf']);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(again.stdout.match(/: up to date/g)?.length, 5, again.stdout);
    files.forEach((f, i) => assert.ok(snapshot(f).equals(before1[i]), `${f} is byte-identical after regenerating`));

    // a different task changes only the block
    const changed = await cli(express, ['prompt', '--write', '--target', 'agents', '--task', 'login']);
    assert.equal(changed.code, 0, changed.stderr);
    const t2 = readFileSync(agents, 'utf8');
    assert.ok(t2.startsWith(`${above}\n${BLOCK_BEGIN}\n`) && t2.endsWith(`${BLOCK_END}\n${below}`));
    assert.match(t2, /### For this task: login/);
  });

  it('keeps CRLF line endings and a BOM of an existing file', async () => {
    const claude = join(next, 'CLAUDE.md');
    writeFileSync(claude, '\uFEFF# House rules\r\n\r\nAsk before adding dependencies.\r\n');
    const r = await cli(next, ['prompt', '--no-scan', '--write', '--target', 'claude']);
    assert.equal(r.code, 0, r.stderr);
    const text = readFileSync(claude, 'utf8');
    assert.ok(text.startsWith('\uFEFF# House rules\r\n\r\nAsk before adding dependencies.\r\n\r\n<!-- shipsafe:begin'));
    assert.doesNotMatch(text.replace(/\r\n/g, ''), /\n/, 'every line ends with CRLF');
    const bytes = readFileSync(claude);
    assert.equal((await cli(next, ['prompt', '--no-scan', '--write', '--target', 'claude'])).code, 0);
    assert.ok(readFileSync(claude).equals(bytes), 'idempotent with CRLF');
  });

  it('refuses to touch a file whose markers are damaged', async () => {
    const windsurf = join(next, '.windsurfrules');
    const damaged = `My rules\n${BLOCK_BEGIN}\nhalf a block, no end marker\n`;
    writeFileSync(windsurf, damaged);
    const r = await cli(next, ['prompt', '--no-scan', '--write', '--target', 'windsurf']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /\.windsurfrules: the file has a "<!-- shipsafe:begin" marker \(line 2\) without an end marker/);
    assert.equal(readFileSync(windsurf, 'utf8'), damaged);
  });

  it('usage errors exit 2 with the reason', async () => {
    const cases: [string[], RegExp][] = [
      [['prompt', '--write'], /--write needs --target/],
      [['prompt', '--target', 'emacs'], /--target must be one of copilot, agents, claude, cursor, windsurf; got "emacs"/],
      [['prompt', '--task'], /--task needs a value/],
      [['prompt', '--frobnicate'], /unknown option --frobnicate/],
      [['prompt', 'no/such/folder'], /no\/such\/folder is not a folder/],
    ];
    for (const [argv, re] of cases) {
      const r = await cli(express, argv);
      assert.equal(r.code, 2, argv.join(' '));
      assert.match(r.stderr, re);
    }
    const help = await cli(express, ['prompt', '--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /Usage: shipsafe prompt/);
  });
});
