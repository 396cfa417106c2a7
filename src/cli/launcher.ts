/**
 * dist/cli.js, the `shipsafe` command: a few lines that load the CLI bundle (dist/cli-bundle.js) with a V8 code
 * cache (compile-cache.ts) and start it. Kept apart from the bundle so that it can cache the bundle's compilation.
 * `shipsafe --version` is answered here, without loading the bundle (run.ts answers it the same way).
 */
import { join } from 'node:path';
import { version } from '../../package.json';
import { installLoader, loadBundle } from './compile-cache';

const first = process.argv[2];
if (first === '--version' || first === '-v' || first === 'version') {
  process.stdout.write(`${version}\n`);
} else {
  installLoader({ writeOnExit: true });
  (loadBundle(join(__dirname, 'cli-bundle.js')) as { main(): void }).main();
}
