/**
 * The same suites for @vscode/test-cli (mocha inside a VS Code downloaded by @vscode/test-electron), for
 * machines with internet access: `npm run test:vscode`. The offline CI path is test/integration/run.ts.
 */
import { mainSuite } from '../suites/main';

declare const suite: (name: string, fn: () => void) => void;
declare const test: (name: string, fn: (this: { timeout(ms: number): void }) => Promise<void>) => void;

const metrics: Record<string, number> = {};

suite('Shipsafe in a real VS Code', () => {
  for (const t of mainSuite) {
    test(t.name, async function () {
      this.timeout(t.timeoutMs ?? 60_000);
      await t.run({ metric: (k, v) => { metrics[k] = v; } });
    });
  }
});
