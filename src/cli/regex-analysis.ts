/**
 * dist/regex-analysis.js: the regular-expression parser and the super-linear backtracking analysis regex-dos uses
 * (regexpp, scslre and its refa: over a third of the CLI's code), bundled apart from dist/cli-bundle.js so that a
 * run that meets no regular expression (an empty folder, `shipsafe rules`, a scan of config files) neither reads
 * nor compiles them. The CLI bundle reaches it through src/cli/lazy-regex.mjs.
 */
export { RegExpParser } from '@eslint-community/regexpp';
export { analyse } from 'scslre';
