/**
 * The commands for AI assistants: `shipsafe prompt` (the secure preamble) and `shipsafe mcp` (the MCP server).
 * run.ts hands them here before its own parsing.
 */
import { resolve } from 'node:path';
import { ConfigError } from '../engine/config/config';
import { UsageError } from './args';
import { MCP_USAGE, parseMcpArgs } from './mcp-args';
import { parsePromptArgs, PROMPT_USAGE, runPrompt } from './prompt';

interface Out { write(s: string): unknown }

export const ASSISTANT_COMMANDS = ['prompt', 'mcp'] as const;

/** Runs `prompt` or `mcp`; undefined when argv is another command. */
export async function runAssistantCommand(argv: readonly string[], io: { cwd: string; stdout: Out; stderr: Out }): Promise<number | undefined> {
  const [first, ...rest] = argv;
  if (!(ASSISTANT_COMMANDS as readonly string[]).includes(first)) return undefined;
  try {
    if (first === 'prompt') {
      const cmd = parsePromptArgs(rest);
      if (cmd.command === 'help') { io.stdout.write(PROMPT_USAGE); return 0; }
      return await runPrompt(cmd, io);
    }
    const cmd = parseMcpArgs(rest);
    if (cmd.command === 'help') { io.stdout.write(MCP_USAGE); return 0; }
    // loaded only here: the MCP SDK is not needed by any other command
    const { runMcp } = await import('./mcp');
    await runMcp(resolve(io.cwd, cmd.path));
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr.write(`shipsafe: ${e.message}\nRun \`shipsafe ${first} --help\` for usage.\n`);
      return 2;
    }
    if (e instanceof ConfigError) {
      io.stderr.write(`shipsafe: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}
