/**
 * dist/cli.js, the `shipsafe` command: a few lines that load the CLI bundle (dist/cli-bundle.js) with a V8 code
 * cache (compile-cache.ts) and start it. Kept apart from the bundle so that it can cache the bundle's compilation.
 */
import { join } from 'node:path';
import { installLoader, loadBundle } from './compile-cache';

installLoader({ writeOnExit: true });
(loadBundle(join(__dirname, 'cli-bundle.js')) as { main(): void }).main();
