/** The managed block in assistant instruction files: placement, preservation, idempotence, damaged markers. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  applyManagedBlock, BLOCK_BEGIN, BLOCK_END, findBlock, ManagedBlockError, PROMPT_TARGETS, promptTarget, removeManagedBlock, renderBlock,
} from '../../src/engine/prompt/targets';

const MD = '## Security requirements for this project\n\n- **SQL.** Use parameters.\n';
const MD2 = '## Security requirements for this project\n\n- **SQL.** Use parameters, always.\n';
const cursor = promptTarget('cursor')!;

describe('managed block', () => {
  it('the five targets and their files', () => {
    assert.deepEqual(PROMPT_TARGETS.map((t) => t.file), ['.github/copilot-instructions.md', 'AGENTS.md', 'CLAUDE.md', '.cursor/rules/shipsafe-security.mdc', '.windsurfrules']);
  });

  it('a new file holds just the block (Cursor: front matter first)', () => {
    assert.equal(applyManagedBlock(undefined, MD), `${BLOCK_BEGIN}\n${MD}${BLOCK_END}\n`);
    assert.equal(applyManagedBlock('', MD, cursor), `${cursor.frontMatter}${BLOCK_BEGIN}\n${MD}${BLOCK_END}\n`);
  });

  it('appends after existing text with one blank line, whatever the file ended with', () => {
    for (const existing of ['# Mine', '# Mine\n', '# Mine\n\n']) {
      assert.equal(applyManagedBlock(existing, MD), `# Mine\n\n${renderBlock(MD)}\n`, JSON.stringify(existing));
    }
  });

  it('replaces only the block; text above and below is kept byte for byte; regenerating is a no-op', () => {
    const above = '# Team\n\n  indented line with trailing spaces   \n';
    const below = '\n\n## Mine\nno newline at end';
    const v1 = applyManagedBlock(`${above}${renderBlock('stale')}${below}`, MD);
    assert.equal(v1, `${above}${renderBlock(MD)}${below}`);
    assert.equal(applyManagedBlock(v1, MD), v1);
    assert.equal(applyManagedBlock(v1, MD2), `${above}${renderBlock(MD2)}${below}`);
  });

  it('an edited begin marker is still recognised; user edits inside the block are replaced', () => {
    const text = `x\n<!-- shipsafe:begin hand-edited -->\nmy tweak\n<!-- shipsafe:end -->\ny\n`;
    assert.equal(applyManagedBlock(text, MD), `x\n${renderBlock(MD)}\ny\n`);
  });

  it('Cursor: keeps existing front matter, adds it when missing', () => {
    const own = '---\ndescription: mine\nalwaysApply: false\n---\nNotes\n';
    assert.equal(applyManagedBlock(own, MD, cursor), `${own}\n${renderBlock(MD)}\n`);
    assert.equal(applyManagedBlock('Notes\n', MD, cursor), `${cursor.frontMatter}Notes\n\n${renderBlock(MD)}\n`);
  });

  it('damaged markers are refused with the line numbers', () => {
    const cases: [string, RegExp][] = [
      [`a\n${BLOCK_BEGIN}\nb\n`, /line 2\) without an end marker/],
      [`a\n${BLOCK_END}\n`, /line 2\) without a begin marker/],
      [`${BLOCK_END}\n${BLOCK_BEGIN}\n`, /comes before the begin marker/],
      [`${renderBlock(MD)}\n${renderBlock(MD)}\n`, /2 "<!-- shipsafe:begin" markers \(lines 1, 6\)/],
    ];
    for (const [text, re] of cases) {
      assert.throws(() => applyManagedBlock(text, MD), (e: Error) => e instanceof ManagedBlockError && re.test(e.message), text);
    }
  });

  it('CRLF files get a CRLF block; the block can be removed again', () => {
    const text = 'one\r\ntwo\r\n';
    const v = applyManagedBlock(text, MD);
    assert.equal(v, `one\r\ntwo\r\n\r\n${renderBlock(MD, '\r\n')}\r\n`);
    assert.deepEqual(findBlock(v), { start: 'one\r\ntwo\r\n\r\n'.length, end: v.length - 2 });
    assert.equal(removeManagedBlock(v), 'one\r\ntwo\r\n\r\n');
    assert.equal(removeManagedBlock('nothing here'), undefined);
  });
});
