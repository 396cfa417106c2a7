/**
 * Two shortcuts over whole texts: LineMap finds the line feeds with indexOf when the text holds no carriage return,
 * and classifyText stops counting lines once there are enough for the text not to look minified. Both must answer
 * as the plain loops over every character do, on the corpus and on crafted texts.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LineMap } from '../../src/engine/util/text';
import { classifyText } from '../../src/engine/analyze';
import { corpusTexts } from '../helpers/fixtures';

/** the line starts as a loop over every character finds them (\n, \r\n and a lone \r end a line) */
function starts(text: string): number[] {
  const out = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) out.push(i + 1);
    else if (c === 13 && text.charCodeAt(i + 1) !== 10) out.push(i + 1);
  }
  return out;
}

/** classifyText's minified test with every line counted */
function minified(text: string): boolean {
  if (text.length <= 20_000) return false;
  const lines = text.split('\n').length;
  return text.length / lines > 1000;
}

function texts(): string[] {
  const out = ['', '\n', '\r', '\r\n', 'a\rb\nc\r\nd', '\n\n\r\r\n\r', 'x\u2028y\u2029z\n', 'no newline at all'];
  for (const text of corpusTexts()) out.push(text, text.replace(/\n/g, '\r\n'), text.replace(/\n/g, '\r'));
  return out;
}

describe('LineMap', () => {
  it('finds the line starts a loop over every character finds', () => {
    for (const text of texts()) {
      const want = starts(text);
      const map = new LineMap(text);
      assert.equal(map.lineCount, want.length, JSON.stringify(text.slice(0, 80)));
      for (let line = 1; line <= want.length; line++) assert.equal(map.lineStart(line), want[line - 1]);
    }
  });
});

describe('classifyText', () => {
  it('calls minified the texts whose lines are over 1,000 characters on average, around the threshold too', () => {
    const cases: string[] = [];
    for (const len of [19_999, 20_001, 50_000, 120_000]) {
      for (const lines of [1, Math.floor(len / 1000) - 1, Math.floor(len / 1000), Math.ceil(len / 1000), Math.ceil(len / 1000) + 1, len / 100]) {
        if (lines < 1) continue;
        // `lines` lines over `len` characters, the line feeds spread evenly or all at the end
        const per = Math.max(1, Math.floor(len / lines));
        let even = '';
        for (let i = 0; i < lines - 1; i++) even += 'x'.repeat(per - 1) + '\n';
        even += 'x'.repeat(Math.max(0, len - even.length));
        cases.push(even, 'x'.repeat(Math.max(0, len - lines + 1)) + '\n'.repeat(lines - 1));
      }
    }
    for (const t of texts()) if (t.length > 20_000) cases.push(t);
    for (const t of cases) assert.equal(classifyText(t, 10 * 1024 * 1024) === 'minified', minified(t), `${t.length} chars, ${t.split('\n').length} lines`);
  });
});
