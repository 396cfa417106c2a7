/**
 * Quick fixes in a real VS Code, on the `fixes` folder (see ../workspaces/fixes): code actions requested at a
 * finding, applied, checked in the document and on disk, and undone. Every test leaves the files as it found them.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { closeWithoutSaving, codeOf, folder, shipsafe, shipsafeDiagnostics, show, sleep, waitFor, type TestCase } from '../harness';

const dec = new TextDecoder();
const FOLDER = 'fixes';

function file(rel: string): vscode.Uri {
  return vscode.Uri.joinPath(folder(FOLDER).uri, rel);
}

async function readDisk(uri: vscode.Uri): Promise<string | undefined> {
  try { return dec.decode(await vscode.workspace.fs.readFile(uri)); } catch { return undefined; }
}

async function writeDisk(uri: vscode.Uri, text: string): Promise<void> {
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
}

async function removeDisk(uri: vscode.Uri): Promise<void> {
  try { await vscode.workspace.fs.delete(uri); } catch { /* not there */ }
}

/** The quick fixes VS Code gets for a diagnostic, the way the lightbulb asks for them. */
async function quickFixes(uri: vscode.Uri, d: vscode.Diagnostic): Promise<vscode.CodeAction[]> {
  // the workbench cancels a code-action request when the document or its diagnostics change meanwhile (the first
  // analysis of a freshly opened file): ask again, as the lightbulb does
  for (let attempt = 1; ; attempt++) {
    try {
      return (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, d.range, vscode.CodeActionKind.QuickFix.value)) ?? [];
    } catch (e) {
      // (also when the folder's project model is ready and its open files are analysed again)
      if (attempt >= 10 || !/Canceled/.test(String(e))) throw e;
      await sleep(500);
    }
  }
}

async function diagnostic(uri: vscode.Uri, ruleId: string): Promise<vscode.Diagnostic> {
  return waitFor(`a ${ruleId} diagnostic in ${uri.path.split('/').pop()}`, () => shipsafeDiagnostics(uri, ruleId)[0]);
}

async function apply(action: vscode.CodeAction): Promise<void> {
  assert.ok(action.edit, `"${action.title}" has no edit`);
  // as the lightbulb applies it: a refactoring edit (multi-file edits are saved when files.refactoring.autoSave is on)
  assert.ok(await vscode.workspace.applyEdit(action.edit, { isRefactoring: true }), `"${action.title}" could not be applied`);
  if (action.command) await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
}

export const fixesSuite: TestCase[] = [
  {
    name: 'the extension activates',
    async run() {
      await shipsafe();
    },
  },
  {
    name: 'SQL injection: "Parameterize the query" rewrites it with $1 and a values array; the finding goes; undo restores it',
    async run() {
      const uri = file('src/routes/users.js');
      const editor = await show(uri);
      const original = editor.document.getText();
      const d = await diagnostic(uri, 'sql-injection');
      const actions = await quickFixes(uri, d);
      const titles = actions.map((a) => a.title);
      const fix = actions.find((a) => a.title.startsWith('Parameterize the query'));
      assert.ok(fix, `no parameterize fix among ${JSON.stringify(titles)}`);
      assert.ok(titles.some((t) => t.startsWith('Ignore this sql-injection finding')), 'every finding offers "Ignore with reason"');
      assert.equal(fix.kind?.value, vscode.CodeActionKind.QuickFix.value);
      if (fix.diagnostics) assert.deepEqual(fix.diagnostics.map(codeOf), ['sql-injection']);
      await apply(fix);
      assert.match(editor.document.getText(), /pool\.query\(`SELECT id, name FROM users WHERE team = \$1`, \[team\]\)/);
      await waitFor('the SQL finding to go away', () => shipsafeDiagnostics(uri, 'sql-injection').length === 0);
      await vscode.commands.executeCommand('undo');
      await waitFor('undo to restore the query', () => editor.document.getText() === original);
      await diagnostic(uri, 'sql-injection');
      await closeWithoutSaving(uri);
    },
  },
  {
    name: 'SQL injection with the pool from another file (`require(\'../db\')`): the project model knows it is pg, "Parameterize the query" uses $1; applying it clears the finding',
    async run() {
      const uri = file('src/routes/orders.js');
      const editor = await show(uri);
      const original = editor.document.getText();
      const d = await diagnostic(uri, 'sql-injection');
      // the folder's project model is built in the background on the first analysis: ask until the fix appears
      const fix = await waitFor('"Parameterize the query" for a pool from ../db', async () =>
        (await quickFixes(uri, d)).find((a) => a.title.startsWith('Parameterize the query')));
      assert.match(fix.title, /\$1 placeholders/);
      await apply(fix);
      assert.match(editor.document.getText(), /pool\.query\(`SELECT id, total FROM orders WHERE status = \$1`, \[status\]\)/);
      await waitFor('the SQL finding to go away', () => shipsafeDiagnostics(uri, 'sql-injection').length === 0);
      await vscode.commands.executeCommand('undo');
      await waitFor('undo to restore the query', () => editor.document.getText() === original);
      await closeWithoutSaving(uri);
    },
  },
  {
    name: 'Python: a Flask query built with an f-string is reported, "Parameterize the query" rewrites it with ? and a tuple; the finding goes; undo restores it',
    async run() {
      const uri = file('api/app.py');
      const editor = await show(uri);
      assert.equal(editor.document.languageId, 'python');
      const original = editor.document.getText();
      const d = await diagnostic(uri, 'sql-injection');
      assert.equal(d.range.start.line, 11, 'the f-string on line 12 is underlined');
      assert.match(d.message, /request data \(`request\.args`\)/);
      const actions = await quickFixes(uri, d);
      const titles = actions.map((a) => a.title);
      const fix = actions.find((a) => a.title.startsWith('Parameterize the query'));
      assert.ok(fix, `no parameterize fix among ${JSON.stringify(titles)}`);
      assert.ok(titles.some((t) => t.startsWith('Ignore this sql-injection finding')), 'every finding offers "Ignore with reason"');
      await apply(fix);
      assert.match(editor.document.getText(), /db\.execute\("SELECT id, name FROM products WHERE category = \?", \(category,\)\)\.fetchall\(\)/);
      await waitFor('the SQL finding to go away', () => shipsafeDiagnostics(uri, 'sql-injection').length === 0);
      await vscode.commands.executeCommand('undo');
      await waitFor('undo to restore the query', () => editor.document.getText() === original);
      await diagnostic(uri, 'sql-injection');
      await closeWithoutSaving(uri);
    },
  },
  {
    name: '"Ignore with reason" inserts a suppression comment with the reason selected for typing; undo removes it',
    async run() {
      const uri = file('src/routes/users.js');
      const editor = await show(uri);
      const original = editor.document.getText();
      const d = await diagnostic(uri, 'sql-injection');
      const ignore = (await quickFixes(uri, d)).find((a) => a.title.startsWith('Ignore this sql-injection finding'));
      assert.ok(ignore?.edit);
      await apply(ignore);
      const line = editor.document.lineAt(d.range.start.line).text;
      assert.equal(line, '  // shipsafe-ignore-next-line sql-injection -- explain why this is safe');
      assert.equal(editor.document.getText(editor.selection), 'explain why this is safe', 'the reason placeholder is selected');
      await waitFor('the suppressed finding to go away', () => shipsafeDiagnostics(uri, 'sql-injection').length === 0);
      await vscode.commands.executeCommand('undo');
      await waitFor('undo to remove the comment', () => editor.document.getText() === original);
      await closeWithoutSaving(uri);
    },
  },
  {
    name: 'move secret to .env: one edit creates .env, .env.example and .gitignore and rewrites the source; on disk; undo restores everything',
    timeoutMs: 90_000,
    run: () => moveToEnvRoundTrip({
      source: 'src/config/payments.js', dir: '',
      title: /^Move the secret \(sk_live_…\(\d+ chars\)\) to \.\.\/\.\.\/\.env as STRIPE_SECRET_KEY$/,
      fixed: (original) => original.replace(/'sk_live_[^']+'/, 'process.env.STRIPE_SECRET_KEY'),
      envText: 'STRIPE_SECRET_KEY=sk_live_51QaZ8Wm3xLp7Tn2Vb9Rk4Hs6Jd1Fg0Ye5Uc8Mq2Nw7Xt\n',
    }),
  },
  {
    name: 'Python: move secret to .env next to requirements.txt: os.environ["…"] and import os in the source, .env, .env.example and .gitignore on disk; undo restores everything',
    timeoutMs: 90_000,
    run: () => moveToEnvRoundTrip({
      source: 'api/billing.py', dir: 'api/',
      title: /^Move the secret \(sk_live_…\(\d+ chars\)\) to \.env as STRIPE_SECRET_KEY$/,
      // the .env fix takes the place of the inline `os.environ` one
      notOffered: /^Read it from the environment/,
      fixed: (original) => original.replace('import stripe', 'import os\nimport stripe').replace(/"sk_live_[^"]+"/, 'os.environ["STRIPE_SECRET_KEY"]'),
      envText: 'STRIPE_SECRET_KEY=sk_live_51Rf4Tg8Hk2Lm6Np9Qs3Vw7Xy1Za5Cb0Dd4Ee8Gg2Jj6Kk\n',
    }),
  },
  {
    name: 'move secret to .env with an existing CRLF .env and a taken name: appends under another name, keeps the content',
    timeoutMs: 90_000,
    async run() {
      const uri = file('src/config/billing.js');
      const env = file('.env');
      const example = file('.env.example');
      const gitignore = file('.gitignore');
      const envBefore = '# local\r\nSTRIPE_SECRET_KEY=sk_live_51OtherValueOtherValueOtherValue0';
      await writeDisk(env, envBefore);
      await writeDisk(gitignore, 'node_modules\r\n.env\r\n');
      const sourceBefore = await readDisk(uri);
      try {
        const editor = await show(uri);
        const d = await diagnostic(uri, 'hardcoded-secret');
        const move = (await quickFixes(uri, d)).find((a) => a.title.startsWith('Move the secret'));
        assert.ok(move);
        assert.match(move.title, /as STRIPE_SECRET_KEY_2$/, 'the existing STRIPE_SECRET_KEY has another value: a new name');
        await apply(move);
        assert.match(editor.document.getText(), /Stripe\(process\.env\.STRIPE_SECRET_KEY_2\)/);
        await vscode.workspace.saveAll(false);
        await waitFor('.env appended on disk', async () => (await readDisk(env)) === `${envBefore}\r\nSTRIPE_SECRET_KEY_2=sk_live_51QbY7Vn4wKo6Sm1Ua8Qj3Gr5Ic0Ef9Xd4Tb7Lp1Mv6Ws\r\n`);
        assert.equal(await readDisk(gitignore), 'node_modules\r\n.env\r\n', '.gitignore already ignores .env');
        assert.equal(await readDisk(example), 'STRIPE_SECRET_KEY_2=\n');
      } finally {
        await closeWithoutSaving(uri);
        for (const f of [env, example, gitignore]) {
          const doc = vscode.workspace.textDocuments.find((x) => x.uri.toString() === f.toString());
          if (doc) await closeWithoutSaving(f);
          await removeDisk(f);
        }
        if (sourceBefore !== undefined) await writeDisk(uri, sourceBefore);
      }
    },
  },
  {
    name: 'browser code: the move-to-env fix is shown disabled, saying to move the call to the server',
    async run(ctx) {
      const uri = file('app/Checkout.tsx');
      await show(uri);
      const d = await diagnostic(uri, 'hardcoded-secret');
      const actions = await quickFixes(uri, d);
      const move = actions.find((a) => /to server code/.test(a.title));
      // the lightbulb lists it greyed out; executeCodeActionProvider may leave disabled actions out
      ctx.metric('disabledMoveActionListed', move ? 1 : 0);
      if (move) {
        assert.equal(move.edit, undefined);
        assert.match(move.disabled?.reason ?? '', /browser/);
      }
      assert.ok(!actions.some((a) => /NEXT_PUBLIC_/.test(a.title)), 'never a NEXT_PUBLIC_ variable');
      assert.ok(!actions.some((a) => a.title.startsWith('Move the secret')), 'no .env fix for browser code');
      await closeWithoutSaving(uri);
    },
  },
  {
    name: 'source.fixAll.shipsafe applies only the safe fixes (sameSite) and leaves suggestions (token expiry) alone',
    async run() {
      const uri = file('src/auth/session.js');
      const editor = await show(uri);
      const original = editor.document.getText();
      await diagnostic(uri, 'insecure-cookie');
      await diagnostic(uri, 'jwt-no-expiry');
      const all = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, new vscode.Range(0, 0, 0, 0), 'source.fixAll.shipsafe')) ?? [];
      const fixAll = all.find((a) => a.kind?.value === 'source.fixAll.shipsafe');
      assert.ok(fixAll, `no source.fixAll.shipsafe action: ${JSON.stringify(all.map((a) => [a.title, a.kind?.value]))}`);
      await apply(fixAll);
      const text = editor.document.getText();
      assert.match(text, /res\.cookie\('session', token, \{ httpOnly: true, secure: true, sameSite: 'lax' \}\)/);
      assert.match(text, /jwt\.sign\(\{ sub: user\.id \}, process\.env\.JWT_SECRET\);/, 'the suggestion is not applied');
      await waitFor('the cookie finding to go away', () => shipsafeDiagnostics(uri, 'insecure-cookie').length === 0);
      assert.equal(shipsafeDiagnostics(uri, 'jwt-no-expiry').length, 1);
      await vscode.commands.executeCommand('undo');
      await waitFor('undo to restore the file', () => editor.document.getText() === original);
      await closeWithoutSaving(uri);
    },
  },
  {
    name: 'fixes are computed for the version they apply to: after an edit the lightbulb offers fixes for the new text',
    async run() {
      const uri = file('src/routes/users.js');
      const editor = await show(uri);
      const original = editor.document.getText();
      const d0 = await diagnostic(uri, 'sql-injection');
      await quickFixes(uri, d0);
      // move the query down a line: the old fix's offsets would now be wrong
      await editor.edit((e) => e.insert(new vscode.Position(6, 0), '// list users of a team\n'));
      const d1 = await waitFor('the finding to move down a line', () => shipsafeDiagnostics(uri, 'sql-injection').find((x) => x.range.start.line === d0.range.start.line + 1));
      const fix = (await quickFixes(uri, d1)).find((a) => a.title.startsWith('Parameterize the query'));
      assert.ok(fix);
      await apply(fix);
      assert.match(editor.document.getText(), /\/\/ list users of a team\n/);
      assert.match(editor.document.getText(), /WHERE team = \$1`, \[team\]\)/);
      assert.ok(!editor.document.getText().includes("'${team}'"));
      await sleep(50);
      await editor.edit((e) => e.replace(new vscode.Range(editor.document.positionAt(0), editor.document.positionAt(editor.document.getText().length)), original));
      await closeWithoutSaving(uri);
    },
  },
];

/**
 * "Move the secret to .env" from the lightbulb on a file with a hard-coded key: one edit rewrites the source and
 * creates `<dir>.env`, `.env.example` and `.gitignore` on disk; the finding goes; one undo restores everything.
 */
async function moveToEnvRoundTrip(o: { source: string; dir: string; title: RegExp; notOffered?: RegExp; fixed: (original: string) => string; envText: string }): Promise<void> {
  const uri = file(o.source);
  const [env, example, gitignore] = ['.env', '.env.example', '.gitignore'].map((n) => file(o.dir + n));
  for (const f of [env, example, gitignore]) assert.equal(await readDisk(f), undefined, `${f.path} exists before the test`);
  const originalDisk = (await readDisk(uri))!;
  const editor = await show(uri);
  const d = await diagnostic(uri, 'hardcoded-secret');
  const actions = await quickFixes(uri, d);
  const titles = actions.map((a) => a.title);
  const move = actions.find((a) => a.title.startsWith('Move the secret'));
  assert.ok(move, `no move-to-env fix among ${JSON.stringify(titles)}`);
  assert.match(move.title, o.title);
  assert.ok(!/sk_live_\w{8}/.test(move.title), 'the title shows the key masked');
  if (o.notOffered) assert.ok(!titles.some((t) => o.notOffered!.test(t)), `unexpected fix among ${JSON.stringify(titles)}`);
  await apply(move);
  assert.equal(editor.document.getText(), o.fixed(originalDisk));
  await waitFor('.env on disk', async () => (await readDisk(env)) === o.envText);
  assert.equal(await readDisk(example), 'STRIPE_SECRET_KEY=\n');
  assert.equal(await readDisk(gitignore), '.env\n');
  await waitFor('the source saved with the fix (refactoring auto-save)', async () => (await readDisk(uri)) === o.fixed(originalDisk), 10_000);
  await waitFor('the secret finding to go away', () => shipsafeDiagnostics(uri, 'hardcoded-secret').length === 0);
  // one undo, from the source editor, reverts the whole fix
  await show(uri);
  await vscode.commands.executeCommand('undo');
  await waitFor('undo to restore the source', () => editor.document.getText() === originalDisk);
  await waitFor('undo to remove the created files', async () => (await readDisk(env)) === undefined && (await readDisk(example)) === undefined && (await readDisk(gitignore)) === undefined);
  await editor.document.save();
  assert.equal(await readDisk(uri), originalDisk);
  await diagnostic(uri, 'hardcoded-secret');
  await closeWithoutSaving(uri);
}
