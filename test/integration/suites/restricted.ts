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
];
