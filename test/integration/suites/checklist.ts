/**
 * The pre-deploy checklist panel in a real extension host, on the `checklist` fixture folder opened alone
 * (trusted; a copy outside any git repository). The command opens the webview panel, the statuses match the
 * fixture, a manual answer sent as the webview sends it lands in .shipsafe-checklist.txt, a fixed finding
 * updates the panel live, and the exported report matches the golden file (which the CLI test also checks,
 * so the panel and `shipsafe checklist` agree). ../checklist-ui.ts then drives the panel itself from the browser.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Checklist } from '../../../src/engine/checklist/evaluate';
import { shipsafe, waitFor, type TestCase } from '../harness';

const dec = new TextDecoder();
const enc = new TextEncoder();

function root(): vscode.Uri {
  const f = vscode.workspace.workspaceFolders?.[0];
  assert.ok(f, 'a folder is open');
  return f.uri;
}

const status = (c: Checklist | undefined, id: string) => c?.items.find((i) => i.id === id)?.status;

async function read(uri: vscode.Uri): Promise<string> {
  return dec.decode(await vscode.workspace.fs.readFile(uri));
}

const EXPECTED: Record<string, string> = {
  'parameterized-queries': 'fail',
  'no-public-leftovers': 'fail',
  'container-non-root': 'fail',
  'lockfile-committed': 'fail',
  'no-hardcoded-secrets': 'pass',
  'security-headers': 'pass',
  'rate-limit-auth': 'pass',
  'env-example-names-only': 'pass',
  'authorization-per-resource': 'review',
  'secrets-out-of-repo': 'review',
  'hosting-env': 'review',
  'dependency-audit': 'review',
  'jwt-verified': 'na',
  'supabase-rls': 'na',
};

export const checklistSuite: TestCase[] = [
  {
    name: 'checklist: "Shipsafe: Open Pre-Deploy Checklist" opens the webview panel and the status bar item',
    timeoutMs: 120_000,
    async run() {
      const api = await shipsafe();
      const commands = await vscode.commands.getCommands(true);
      for (const c of ['shipsafe.openChecklist', 'shipsafe.exportChecklist', 'shipsafe.checkRunningApp', 'shipsafe.checkDependencies']) assert.ok(commands.includes(c), c);
      const model = await vscode.commands.executeCommand<Checklist>('shipsafe.openChecklist');
      assert.ok(model, 'the command returns the checklist');
      assert.ok(api.checklist.isOpen());
      const tab = await waitFor('the checklist webview tab', () => vscode.window.tabGroups.all.flatMap((g) => g.tabs)
        .find((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('shipsafe.checklist')));
      assert.equal(tab.label, 'Pre-Deploy Checklist');
    },
  },
  {
    name: 'checklist: statuses and evidence match the fixture workspace',
    timeoutMs: 60_000,
    async run() {
      const api = await shipsafe();
      const c = await waitFor('the SQL finding in the checklist', () => (status(api.checklist.current(), 'parameterized-queries') === 'fail' ? api.checklist.current() : undefined), 30_000);
      const got = Object.fromEntries(Object.keys(EXPECTED).map((id) => [id, status(c, id)]));
      assert.deepEqual(got, EXPECTED);
      const sql = c.items.find((i) => i.id === 'parameterized-queries')!;
      assert.deepEqual(sql.evidence.map((e) => `${e.file}:${e.line} ${e.ruleId}`), ['src/routes/notes.js:7 sql-injection']);
      assert.deepEqual(c.items.find((i) => i.id === 'no-public-leftovers')!.evidence.map((e) => e.file), ['public/notes-backup.sql']);
      assert.match(c.items.find((i) => i.id === 'secrets-out-of-repo')!.detail, /not in a git repository/);
      assert.equal(c.project, 'notes-api');
      assert.match(c.summary.line, /^\d+ of \d+ pass, 4 fail \(3 blocking\), \d+ need review$/);
    },
  },
  {
    name: 'checklist: the exported report matches the golden report (the same as `shipsafe checklist`)',
    timeoutMs: 60_000,
    async run(ctx) {
      const target = vscode.Uri.joinPath(root(), '..', 'exported-checklist.md');
      const written = await vscode.commands.executeCommand<vscode.Uri>('shipsafe.exportChecklist', { target });
      assert.equal(written?.toString(), target.toString());
      const golden = await read(vscode.Uri.joinPath(root(), '..', 'golden', 'checklist-export.md'));
      const text = await read(target);
      if (ctx.outputDir) await vscode.workspace.fs.writeFile(vscode.Uri.file(`${ctx.outputDir}/exported-checklist.md`), enc.encode(text));
      assert.equal(text, golden);
    },
  },
  {
    name: 'checklist: a manual answer persists to .shipsafe-checklist.txt and settles the item',
    timeoutMs: 60_000,
    async run() {
      const api = await shipsafe();
      const next = api.checklist.next();
      await api.checklist.message({ type: 'answer', id: 'hosting-env', value: 'done', note: 'production keys live in the host' });
      const c = await next;
      assert.equal(status(c, 'hosting-env'), 'pass');
      const file = vscode.Uri.joinPath(root(), '.shipsafe-checklist.txt');
      const text = await read(file);
      assert.match(text, /^hosting-env: done -- production keys live in the host$/m);
      // an edit of the file by hand (a teammate's answer pulled from git) updates the panel too
      const changed = waitFor('the hand-written answer in the panel', () => status(api.checklist.current(), 'authorization-per-resource') === 'na', 20_000);
      await vscode.workspace.fs.writeFile(file, enc.encode(`${text}authorization-per-resource: n/a -- read-only demo\n\n`));
      await changed;
    },
  },
  {
    name: 'checklist: fixing the finding in the editor updates the panel live',
    timeoutMs: 90_000,
    async run() {
      const api = await shipsafe();
      const uri = vscode.Uri.joinPath(root(), 'src', 'routes', 'notes.js');
      const doc = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(doc, { preview: false });
      const bad = "db.query(`SELECT id, body FROM notes WHERE body ILIKE '%${req.query.q}%'`)";
      const start = doc.getText().indexOf(bad);
      assert.ok(start >= 0);
      const edit = new vscode.WorkspaceEdit();
      edit.replace(uri, new vscode.Range(doc.positionAt(start), doc.positionAt(start + bad.length)), "db.query('SELECT id, body FROM notes WHERE body ILIKE $1', [`%${req.query.q}%`])");
      assert.ok(await vscode.workspace.applyEdit(edit));
      await waitFor('parameterized-queries to pass', () => status(api.checklist.current(), 'parameterized-queries') === 'pass', 30_000);
      // put it back (the browser checks after this suite count the failures)
      const undo = new vscode.WorkspaceEdit();
      const now = doc.getText();
      const fixed = now.indexOf("db.query('SELECT id, body FROM notes WHERE body ILIKE $1'");
      const end = now.indexOf(')', now.indexOf('[`%${req.query.q}%`]')) + 1;
      undo.replace(uri, new vscode.Range(doc.positionAt(fixed), doc.positionAt(end)), bad);
      assert.ok(await vscode.workspace.applyEdit(undo));
      await doc.save();
      await waitFor('parameterized-queries to fail again', () => status(api.checklist.current(), 'parameterized-queries') === 'fail', 30_000);
      await vscode.commands.executeCommand('shipsafe.openChecklist');
    },
  },
];
