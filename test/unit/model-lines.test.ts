/**
 * The module facts read lines and columns with FileLines (a binary search of the file's line starts) and the text of
 * arguments and member chains with shortText (reading only as far as the cut): each must give what TypeScript's
 * `getLineAndCharacterOfPosition` and the whitespace-collapsing `replace` over the node's whole text give, at the
 * start and end of every node of every fixture, test project and example, and on texts made with every kind of
 * line end and space.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ts } from 'ts-morph';
import { languageOf, parse } from '../../src/engine/analyze';
import { FileLines, lineStarts, shortText } from '../../src/engine/project-model/lines';
import { allFilesUnder } from '../helpers/fixtures';

const root = join(__dirname, '..', '..');

/** what the facts did before: the node's text, whitespace runs as one space, cut at 80 characters */
function shortenWhole(s: string): string {
  const one = s.replace(/\s+/g, ' ');
  return one.length > 80 ? `${one.slice(0, 77)}…` : one;
}

function checkFile(file: string, text: string, lang: Parameters<typeof parse>[2]): number {
  const sf = parse(file, text, lang);
  // (made before TypeScript makes its own: FileLines then makes them itself)
  const lines = new FileLines(sf);
  assert.deepEqual(lineStarts(text), [...sf.getLineStarts()], `${file}: line starts`);
  let n = 0;
  const atPos = (pos: number, where: string) => {
    const want = sf.getLineAndCharacterOfPosition(pos);
    const line = lines.line(pos);
    assert.equal(line, want.line, `${where}: line at ${pos}`);
    assert.equal(lines.character(pos, line), want.character, `${where}: column at ${pos}`);
  };
  const visit = (node: ts.Node): void => {
    const start = node.getStart(sf);
    atPos(start, file);
    atPos(node.getEnd(), file);
    assert.equal(shortText(sf.text, start, node.getEnd()), shortenWhole(node.getText(sf)), `${file}: text of ${ts.SyntaxKind[node.kind]} at ${start}`);
    n++;
    ts.forEachChild(node, visit);
  };
  visit(sf);
  // every position of a small text
  if (text.length < 2000) for (let p = 0; p <= text.length; p++) atPos(p, `${file} (every position)`);
  return n;
}

describe('module facts: lines and short texts', () => {
  it('answers as TypeScript and the whole-text replace at every node of the fixtures, test projects and examples', () => {
    let nodes = 0;
    for (const dir of ['test/fixtures', 'test/projects', 'examples']) {
      if (!existsSync(join(root, dir))) continue;
      for (const file of allFilesUnder(join(root, dir))) {
        const lang = languageOf(file);
        if (!lang || lang === 'python') continue;
        const text = readFileSync(file, 'utf8');
        nodes += checkFile(file, text, lang);
      }
    }
    assert.ok(nodes > 100_000, `only ${nodes} nodes`);
  });

  it('reads every line end and every space as TypeScript and /\\s/ do', () => {
    const ends = ['\n', '\r\n', '\r', '\u2028', '\u2029', '\n\n', '\r\r\n'];
    const spaces = [' ', '\t', '\v', '\f', '\u00a0', '\ufeff', '\u1680', '\u2000', '\u200a', '\u202f', '\u205f', '\u3000', '\u180e', '\u200b', '\u0085'];
    const parts: string[] = [];
    for (let i = 0; i < 60; i++) {
      const sp = spaces[i % spaces.length].repeat(1 + (i % 3));
      parts.push(`const v${i} =${sp}call(${sp}a${sp},${sp}'x'${sp}.repeat(${i})${sp})${sp}.y${i}${sp};${ends[i % ends.length]}`);
    }
    const text = parts.join('') + `app.get('/x',${' '.repeat(200)}(req, res) => {\n${'  res.send(1);\n'.repeat(30)}});\n`;
    const n = checkFile('made.js', text, 'javascript');
    assert.ok(n > 500, `${n} nodes`);
    // cut exactly around 80 characters, and a text that is all spaces
    for (let len = 70; len < 90; len++) {
      const s = `${'a'.repeat(len - 3)}   b`;
      assert.equal(shortText(s, 0, s.length), shortenWhole(s), `length ${len}`);
      const t = `${'a '.repeat(len)}`;
      assert.equal(shortText(t, 0, t.length), shortenWhole(t), `pairs ${len}`);
      assert.equal(shortText(t, 1, t.length - 1), shortenWhole(t.slice(1, -1)), `pairs ${len}, inside`);
    }
    assert.equal(shortText('   \n\t ', 0, 6), shortenWhole('   \n\t '));
    assert.equal(shortText('', 0, 0), '');
  });
});
