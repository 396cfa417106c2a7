/**
 * Stands in for `@eslint-community/regexpp` and `scslre` in the CLI bundle (src/tools/build.ts aliases both): the
 * engine uses `new RegExpParser(options)` and `analyse(ast, options)` (the regex-dos rule), which load
 * dist/regex-analysis.js (src/cli/regex-analysis.ts, built beside the bundle) on first use, through the launcher's
 * loader with its V8 code cache (compile-cache.ts) when there is one.
 */
import { join } from 'node:path';

let real;
function load() {
  if (!real) {
    const loadBundle = globalThis[Symbol.for('shipsafe.loadBundle')] || require;
    real = loadBundle(join(__dirname, 'regex-analysis.js'));
  }
  return real;
}

/** `new RegExpParser(options)` gives regexpp's own parser. */
export function RegExpParser(options) {
  return new (load().RegExpParser)(options);
}

export function analyse(ast, options) {
  return load().analyse(ast, options);
}
