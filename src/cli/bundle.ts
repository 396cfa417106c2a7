/**
 * The entry of dist/cli-bundle.js: the CLI and the engine, loaded by the launchers dist/cli.js (launcher.ts) and
 * dist/scan-worker.js (scan-worker-launcher.ts), so both threads share one compiled bundle and its code cache.
 */
export { main } from './main';
export { startScanWorker } from './scan-worker';
