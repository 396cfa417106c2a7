/**
 * dist/scan-worker.js, the CLI's analysis thread: loads the same bundle as the command (dist/cli-bundle.js) with
 * the same code cache, and starts the worker loop (scan-worker.ts).
 */
import { join } from 'node:path';
import { flushCompileCache, installLoader, loadBundle } from './compile-cache';

installLoader({ writeOnExit: false });
// a thread is terminated rather than exited: it writes the caches (when missing) after its first job
(loadBundle(join(__dirname, 'cli-bundle.js')) as { startScanWorker(onFirstJob?: () => void): void }).startScanWorker(flushCompileCache);
