/**
 * How many files this run's scan analysed, handed from the scan (in the CLI bundle) to the launcher's code cache
 * (compile-cache.ts, a module apart in another bundle): on globalThis, the only thing the two share. No imports: the
 * launcher stays node built-ins only.
 */
const WORK_KEY = Symbol.for('shipsafe.compileWork');

/** Called by the scan with how many files it analysed. */
export function noteCompileWork(files: number): void {
  (globalThis as Record<symbol, unknown>)[WORK_KEY] = files;
}

/** The files this run analysed, as the scan said (0: none, or not a scan). */
export function compileWork(): number {
  const w = (globalThis as Record<symbol, unknown>)[WORK_KEY];
  return typeof w === 'number' && Number.isFinite(w) && w > 0 ? w : 0;
}
