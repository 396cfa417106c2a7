/**
 * The extension in a workspace the user has not trusted (Restricted Mode, the `app` folder alone).
 * Analysis only reads files, so everything works there.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { fileIn, shipsafe, shipsafeDiagnostics, show, waitFor, type TestCase } from '../harness';

export const restrictedSuite: TestCase[] = [
  {
    name: 'the workspace is in Restricted Mode and Shipsafe is active',
    async run(ctx) {
      assert.equal(vscode.workspace.isTrusted, false, 'this session must run untrusted');
      const api = await shipsafe();
      ctx.metric('activationMs', api.activationMs);
      ctx.metric('activationCpuMs', api.activationCpuMs);
    },
  },
  {
    name: 'open files are analysed in Restricted Mode',
    async run() {
      const uri = fileIn('app', 'src/routes/users.js');
      await show(uri);
      const [d] = await waitFor('a sql-injection diagnostic', () => {
        const ds = shipsafeDiagnostics(uri, 'sql-injection');
        return ds.length ? ds : undefined;
      });
      assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
    },
  },
  {
    name: '"Scan Workspace" works in Restricted Mode',
    timeoutMs: 120_000,
    async run() {
      const summary = await vscode.commands.executeCommand<{ cancelled: boolean }>('shipsafe.scanWorkspace');
      assert.ok(summary && !summary.cancelled);
      assert.equal(shipsafeDiagnostics(fileIn('app', 'src/routes/products.js'), 'sql-injection').length, 1);
    },
  },
  {
    name: 'the checklist works in Restricted Mode without running git, npm or network checks',
    timeoutMs: 90_000,
    async run() {
      const api = await shipsafe();
      const model = await vscode.commands.executeCommand<{ items: { id: string; status: string; detail: string }[] }>('shipsafe.openChecklist');
      assert.ok(model && api.checklist.isOpen());
      const secrets = model.items.find((i) => i.id === 'secrets-out-of-repo')!;
      assert.equal(secrets.status, 'review');
      assert.match(secrets.detail, /git is not run in Restricted Mode/);
      assert.equal(model.items.find((i) => i.id === 'parameterized-queries')?.status, 'fail');
      assert.equal(await vscode.commands.executeCommand('shipsafe.checkRunningApp', { url: 'http://127.0.0.1:9' }), undefined);
      assert.equal(await vscode.commands.executeCommand('shipsafe.checkDependencies'), undefined);
      assert.equal(api.checklist.current()?.app, undefined, 'no request was made');
    },
  },
];
