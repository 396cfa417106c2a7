'use strict';
/**
 * ESLint 9 + eslint-plugin-security + @microsoft/eslint-plugin-sdl on a list of files, in a process of its own (so
 * its time and memory are measured like Shipsafe's CLI): `node bench/eslint-child.cjs <cwd> <file-list>`.
 * Prints {"findings": n, "fatal": n}. CommonJS by default, ES modules where a file uses import/export.
 */
const { readFileSync } = require('node:fs');
const { relative } = require('node:path');

async function main() {
  const [cwd, listFile] = process.argv.slice(2);
  const files = readFileSync(listFile, 'utf8').split('\n').filter(Boolean);
  const { ESLint } = require('eslint');
  const security = require('eslint-plugin-security');
  const sdl = require('@microsoft/eslint-plugin-sdl');
  const esm = files.filter((f) => f.endsWith('.mjs') || /^\s*(import\s|export\s)/m.test(readFileSync(f, 'utf8'))).map((f) => relative(cwd, f));
  const eslint = new ESLint({
    cwd,
    overrideConfigFile: true,
    ignorePatterns: ['!**/node_modules/'],
    overrideConfig: [
      { languageOptions: { ecmaVersion: 'latest', sourceType: 'commonjs', parserOptions: { ecmaFeatures: { jsx: true } } }, linterOptions: { reportUnusedDisableDirectives: 'off' } },
      ...(esm.length ? [{ files: esm, languageOptions: { sourceType: 'module' } }] : []),
      ...sdl.configs.required,
      security.configs.recommended,
    ],
  });
  const results = await eslint.lintFiles(files);
  const fatal = results.filter((r) => r.messages.some((m) => m.fatal)).length;
  process.stdout.write(JSON.stringify({ findings: results.reduce((n, r) => n + r.messages.length, 0), fatal }));
}

main().catch((e) => { console.error(e); process.exit(1); });
