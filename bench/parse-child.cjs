'use strict';
/**
 * TypeScript's parse alone, as the engine parses (latest syntax, JSDoc not parsed, no parent pointers), of a list of
 * files, in a process of its own: the part of a cold scan no rule can save. bench/run.ts measures it like the CLI and
 * ESLint, with the same TypeScript the CLI ships: `node bench/parse-child.cjs <built typescript.js> <file-list>`.
 * Prints {"files": n, "parseMs": n}.
 */
const { readFileSync } = require('node:fs');

const [tsPath, listFile] = process.argv.slice(2);
const ts = require(tsPath);
const files = readFileSync(listFile, 'utf8').split('\n').filter(Boolean);
const kindOf = (f) => /\.tsx$/.test(f) ? ts.ScriptKind.TSX : /\.[cm]?ts$/.test(f) ? ts.ScriptKind.TS : /\.jsx$/.test(f) ? ts.ScriptKind.JSX : ts.ScriptKind.JS;
const options = { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone };
const t = performance.now();
let parsed = 0;
for (const f of files) {
  let text;
  try { text = readFileSync(f, 'utf8'); } catch { continue; }
  // (the CLI gives files over its default size limit the secret scan only)
  if (text.length > 1024 * 1024) continue;
  ts.createSourceFile(f, text, options, false, kindOf(f));
  parsed++;
}
process.stdout.write(JSON.stringify({ files: parsed, parseMs: Math.round(performance.now() - t) }));
