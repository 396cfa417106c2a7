// @vscode/test-cli configuration (`npm run test:vscode`): downloads VS Code and runs the integration
// suites in it. Needs internet access; CI runs the same suites offline with `npm run test:integration`.
import { defineConfig } from '@vscode/test-cli';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// the suites edit files: work on a copy of the fixture workspaces, outside this repository's .gitignore
const copy = mkdtempSync(join(tmpdir(), 'shipsafe-vscode-test-'));
cpSync('test/integration/workspaces', copy, { recursive: true });

export default defineConfig({
  label: 'main',
  files: 'out/integration/suites.test.js',
  workspaceFolder: join(copy, 'main.code-workspace'),
  launchArgs: ['--disable-workspace-trust', '--disable-extensions'],
  mocha: { timeout: 120_000 },
});
