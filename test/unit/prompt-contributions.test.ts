/**
 * The secure prompt's VS Code contributions stay in package.json: the command (with its title), the walkthrough
 * step that completes on it, and the two language model tools with the same names and inputs as the MCP server.
 * If this fails after a script rewrote `contributes.commands` or `contributes.walkthroughs`, put the entries back.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHECK_TOOL, PROMPT_TOOL } from '../../src/engine/prompt/tool-output';
import { GENERATE_PROMPT_COMMAND_ID } from '../../src/engine/prompt/targets';

const root = join(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const nls = JSON.parse(readFileSync(join(root, 'package.nls.json'), 'utf8'));
const HINT = '(a script that rewrites package.json contributions may have dropped it: restore the secure prompt entries)';

describe('secure prompt contributions in package.json', () => {
  it('declares the command "Shipsafe: Generate Secure Prompt"', () => {
    const cmd = pkg.contributes.commands.find((c: { command: string }) => c.command === GENERATE_PROMPT_COMMAND_ID);
    assert.ok(cmd, `contributes.commands has no ${GENERATE_PROMPT_COMMAND_ID} ${HINT}`);
    assert.equal(cmd.category, 'Shipsafe');
    assert.equal(nls[cmd.title.replace(/^%|%$/g, '')], 'Generate Secure Prompt');
  });

  it('the walkthrough step runs it and completes on it', () => {
    const step = pkg.contributes.walkthroughs[0].steps.find((s: { id: string }) => s.id === 'securePrompt');
    assert.ok(step, `the walkthrough has no securePrompt step ${HINT}`);
    assert.deepEqual(step.completionEvents, [`onCommand:${GENERATE_PROMPT_COMMAND_ID}`], HINT);
    assert.match(nls[step.description.replace(/^%|%$/g, '')], new RegExp(`\\(command:${GENERATE_PROMPT_COMMAND_ID.replace('.', '\\.')}\\)`));
    assert.doesNotMatch(readFileSync(join(root, 'media', 'walkthrough', 'secure-prompt.md'), 'utf8'), /coming soon/i);
  });

  it('declares the language model tools the extension registers, with the MCP server\'s inputs', () => {
    const tools = pkg.contributes.languageModelTools ?? [];
    assert.deepEqual(tools.map((t: { name: string }) => t.name), [CHECK_TOOL, PROMPT_TOOL], `contributes.languageModelTools ${HINT}`);
    const [check, prompt] = tools;
    assert.deepEqual(Object.keys(check.inputSchema.properties).sort(), ['code', 'filename', 'includeRequirements', 'path', 'task']);
    assert.deepEqual(Object.keys(prompt.inputSchema.properties), ['task']);
    for (const t of tools) {
      assert.ok(t.modelDescription.length > 80 && t.displayName.startsWith('Shipsafe'));
      assert.ok(nls[t.userDescription.replace(/^%|%$/g, '')], `${t.name}: userDescription has no string in package.nls.json`);
    }
  });
});
