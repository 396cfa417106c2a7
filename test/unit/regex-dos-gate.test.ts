/**
 * regex-dos analyses only the patterns that can hold an unbounded quantifier (mayBacktrack): every other pattern
 * must be one the full analysis finds nothing in. Checked on every regex literal and `RegExp('…')` of the fixtures,
 * the test projects and Shipsafe's own sources, and on hand-written edge cases.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ts } from 'ts-morph';
import { RegExpParser } from '@eslint-community/regexpp';
import { analyse } from 'scslre';
import { languageOf, parse } from '../../src/engine/analyze';
import { linearByShape, mayBacktrack } from '../../src/engine/rules/injection/regex-dos';
import { sourceFilesUnder } from '../helpers/fixtures';

const root = join(__dirname, '..', '..');

/** The analysis regex-dos runs (superLinear), without the gate: its number of reports, or undefined when it cannot parse. */
function reports(source: string, flags: string): number | undefined {
  try {
    const literal = `/${source.replace(/(^|[^\\])\//g, '$1\\/')}/${flags.replace(/[^dgimsuyv]/g, '')}`;
    const ast = new RegExpParser({ ecmaVersion: 2024 }).parseLiteral(literal);
    return analyse(ast, { reportTypes: { Move: true, Self: true, Trade: true } }).reports.length;
  } catch {
    return undefined;
  }
}

function patternsOf(file: string): { source: string; flags: string }[] {
  const lang = languageOf(file);
  if (!lang || lang === 'python') return [];
  const sf = parse(file, readFileSync(file, 'utf8'), lang);
  const out: { source: string; flags: string }[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isRegularExpressionLiteral(n)) {
      const end = n.text.lastIndexOf('/');
      out.push({ source: n.text.slice(1, end), flags: n.text.slice(end + 1) });
    } else if ((ts.isNewExpression(n) || ts.isCallExpression(n)) && ts.isIdentifier(n.expression) && n.expression.text === 'RegExp'
      && n.arguments?.[0] && ts.isStringLiteralLike(n.arguments[0])) {
      const f = n.arguments[1];
      out.push({ source: n.arguments[0].text, flags: f && ts.isStringLiteralLike(f) ? f.text : '' });
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

describe('regex-dos: patterns without an unbounded quantifier', () => {
  it('are the ones the full analysis reports nothing in, on every pattern of the fixtures, test projects and sources', () => {
    let skipped = 0, analysed = 0, reported = 0;
    const files = [...sourceFilesUnder(join(root, 'test', 'fixtures')), ...sourceFilesUnder(join(root, 'test', 'projects')), ...sourceFilesUnder(join(root, 'src'))];
    for (const file of files) {
      for (const { source, flags } of patternsOf(file)) {
        const n = reports(source, flags);
        if (mayBacktrack(source)) { analysed++; if (n) reported++; continue; }
        skipped++;
        assert.ok(!n, `${file}: /${source}/${flags} has ${n} reports but is skipped`);
      }
    }
    assert.ok(skipped > 100 && analysed > 100 && reported > 0, `skipped ${skipped}, analysed ${analysed}, reported ${reported}`);
  });

  it('told linear by their shape (linearByShape) are ones the full analysis reports nothing in', () => {
    let linear = 0, analysed = 0;
    const files = [...sourceFilesUnder(join(root, 'test', 'fixtures')), ...sourceFilesUnder(join(root, 'test', 'projects')), ...sourceFilesUnder(join(root, 'src'))];
    const patterns = files.flatMap((file) => patternsOf(file).map((p) => ({ ...p, where: file })));
    // edge cases: quantifiers that meet, loops, prefixes a match can skip, flags, classes, escapes, lookarounds
    const edges = ['\\s+', '\\s+$', '^\\s+$', '^\\s*\\w*$', '^\\d+\\s*[a-z]+$', '^\\d+\\d+$', '^\\d+[0-9]+$', '^\\w+\\s?\\w+$', '^(\\w+\\s?)*$',
      '^(a+)+$', '^(a|a)*$', '^(a+){2}$', '(?:ab)+', '^(ab)+$', 'ab.*c', 'aa.*c', 'a.*c', 'ab+c', 'a+b', '[a-z]+', '[a-z]+x', 'xy[a-z]+', 'Xy[a-z]+',
      'xX[a-z]+', '^x+y+$', '^x+X+$', '^[^"]+"[^"]+$', '^[^"]+[^a]+$', '^[!#$%&\'*+\\-.^_`|~0-9A-Za-z]+$', 'filename="([^"]+)"', '(?<n>a+)b',
      'ab(?=.*c)', 'ab(?!.*c)d+', 'ab(?=c+)d+', '^a\\b+', '^[\\d-z]+\\s+$', '^\\x41+\\u0042+$', '^\\x41+\\u0041+$', '^.+\\n+$', '^.+\\s+$',
      '^[\\s\\S]+$', '^[^]+x+$', '^\\D+\\d+$', '^\\W+\\w+$', '^\\S+\\s+$', 'mobile|iphone|ipod|android.*mobile|windows phone',
      'ipad|tablet|android(?!.*mobile)', '^(\\d+)\\s*(ms|s|m|h|d|w)$', '\\d+|x', 'x|\\d+', 'ab\\d+|cd\\s+$', '(?:x)+y+', 'a{2,}b{2,}$',
      '^a{2,}b{1,}$', '^a{2,}A{1,}$', '^(?:[a-z+]+:)?//', '(a+b)?', '(?:a+)?b+', '^(?:a+)?a+$', '^(?:a+b)?c+$', '^(?:a+b){1}$', '^(?:a+b){0,1}$', '^(?:a+b){2}$', '^(?:(?:a+)?b)?a+$', '^[a-c]+[C-E]+$', '^[a-c]+[D-F]+$', '\\.\\.+x', '.x+$', '\\bab+\\b', '^\\1a+', '^(a)\\1+$'];
    for (const source of edges) for (const flags of ['', 'i', 'g', 's', 'm', 'u', 'y']) patterns.push({ source, flags, where: 'edge case' });
    for (const { source, flags, where } of patterns) {
      if (!mayBacktrack(source)) continue;
      analysed++;
      if (!linearByShape(source, flags)) continue;
      linear++;
      assert.ok(!reports(source, flags), `${where}: /${source}/${flags} has ${reports(source, flags)} reports but is told linear by its shape`);
    }
    assert.ok(linear > 100 && analysed > linear + 100, `${linear} told linear of ${analysed} analysed`);
    // (shapes the analysis reports: not told linear)
    for (const source of ['\\s+$', '^(\\w+\\s?)*$', '^\\d+[0-9]+$', '^x+X+$', 'a+b', 'aa.*c']) assert.equal(linearByShape(source, source === '^x+X+$' ? 'i' : ''), false, source);
    assert.ok(reports('^x+X+$', 'i') && !reports('^x+X+$', ''), 'the `i` flag makes two letters meet');
  });

  it('keeps every spelling of an unbounded quantifier, escaped or not', () => {
    for (const source of ['(a|a)*$', '(a+)+$', '(\\w{1,})+x', 'a{2,}b{2,}$', '\\*', '[+]', '(x{0,}){0,}y']) assert.equal(mayBacktrack(source), true, source);
    for (const source of ['^(a|ab){1,3}$', '^abc$', '(a{2,5}){3}', '\\d{4}-\\d{2}', 'a?b?c?', '{,5}']) {
      assert.equal(mayBacktrack(source), false, source);
      assert.ok(!reports(source, ''), source);
    }
    assert.ok(reports('(x{0,}){0,}y', ''), 'the `{n,}` spelling is analysed and reported');
  });
});
