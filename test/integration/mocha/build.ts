/** Builds what `npm run test:vscode` needs: the extension's bundles and the suites as one mocha file. */
import { build } from 'esbuild';
import { join, resolve } from 'node:path';
import { buildAll } from '../../../src/tools/build';

const root = resolve(__dirname, '..', '..', '..');

async function main(): Promise<void> {
  await buildAll({ only: ['extension', 'worker'], quiet: true });
  await build({
    entryPoints: [join(__dirname, 'suites.test.ts')],
    outfile: join(root, 'out', 'integration', 'suites.test.js'),
    bundle: true, platform: 'node', target: 'node20', format: 'cjs', external: ['vscode'], sourcemap: 'inline', logLevel: 'warning',
  });
}
main().catch((e) => { console.error(e); process.exit(1); });
