/** Arguments and help of `shipsafe mcp` (kept apart from mcp.ts so the MCP SDK loads only when the server runs). */
import { CHECK_TOOL, PROMPT_TOOL } from '../engine/prompt/tool-output';
import { UsageError } from './args';

export const MCP_USAGE = `Usage: shipsafe mcp [folder]

Runs a Model Context Protocol server on standard input/output for AI assistants (Claude Code, Cursor,
Windsurf, Codex, …). The folder (default: the current one) is the project it checks. Tools:
  ${CHECK_TOOL.padEnd(23)} scan a file of the project or a code snippet; findings (secrets masked)
  ${''.padEnd(23)} and the project's security requirements
  ${PROMPT_TOOL.padEnd(23)} the project's security requirements, optionally for a task

Example client configuration: { "command": "npx", "args": ["shipsafe", "mcp"] }
`;

export function parseMcpArgs(rest: readonly string[]): { command: 'mcp'; path: string } | { command: 'help'; topic: string } {
  let path = '.';
  let seen = false;
  for (const a of rest) {
    if (a === '-h' || a === '--help') return { command: 'help', topic: 'mcp' };
    if (a.startsWith('-')) throw new UsageError(`unknown option ${a} for \`shipsafe mcp\` (see \`shipsafe mcp --help\`)`);
    if (seen) throw new UsageError('`shipsafe mcp` takes one project folder');
    path = a;
    seen = true;
  }
  return { command: 'mcp', path };
}

