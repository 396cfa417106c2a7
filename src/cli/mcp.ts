/**
 * `shipsafe mcp`: a Model Context Protocol server on standard input/output (official SDK), so assistants outside
 * VS Code can check their own output. Tools (same names and behaviour as the VS Code language model tools):
 *   shipsafe_check          — scan a file of the project or a snippet; findings (masked) + the secure preamble
 *   shipsafe_secure_prompt  — the project's security requirements, optionally for a task
 * Offline; only files inside the project folder can be read; secret values are never returned.
 */
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import {
  CHECK_TOOL, CHECK_TOOL_DESCRIPTION, formatCheckResult, PROMPT_TOOL, PROMPT_TOOL_DESCRIPTION, type CheckResult,
} from '../engine/prompt/tool-output';
import { TOOL_VERSION } from '../engine/report/types';
import { loadPythonParser } from '../engine/python/parser';
import { LineTransport } from './mcp-transport';
import { CheckInputError, checkFile, checkSnippet, projectPreamble, projectSettings, type ProjectSettings } from './secure-prompt';

const findingSchema = z.object({
  ruleId: z.string(),
  severity: z.enum(['error', 'warning', 'info']),
  confidence: z.enum(['high', 'medium', 'low']),
  message: z.string(),
  file: z.string(),
  line: z.number(),
  column: z.number(),
  endLine: z.number(),
  endColumn: z.number(),
  related: z.array(z.object({ file: z.string(), line: z.number(), message: z.string() })),
});

export function createMcpServer(settings: ProjectSettings): McpServer {
  const server = new McpServer({ name: 'shipsafe', version: TOOL_VERSION });

  // the preamble does not change between two calls a few seconds apart; scanning the project each time would
  const cache = new Map<string, { at: number; markdown: string }>();
  const preambleFor = async (task: string | undefined, scan: boolean): Promise<string> => {
    const key = `${scan ? 1 : 0}:${task ?? ''}`;
    const hit = cache.get(key);
    if (hit && Date.now() - hit.at < 30_000) return hit.markdown;
    const { preamble } = await projectPreamble(settings, { task, scan });
    cache.set(key, { at: Date.now(), markdown: preamble.markdown });
    return preamble.markdown;
  };

  server.registerTool(CHECK_TOOL, {
    title: 'Shipsafe: check code for security problems',
    description: CHECK_TOOL_DESCRIPTION,
    inputSchema: {
      path: z.string().optional().describe('a file of this project, relative to its folder (give this or `code`)'),
      code: z.string().max(2_000_000).optional().describe('code to check instead of a file'),
      filename: z.string().optional().describe('for `code`: the file name it will have, e.g. "app/api/upload/route.ts" (decides the language and framework rules); default snippet.ts'),
      task: z.string().max(500).optional().describe('what the code is for ("file upload endpoint"), to add that task\'s controls to the requirements'),
      includeRequirements: z.boolean().optional().describe('also return the project\'s security requirements (default true)'),
    },
    outputSchema: {
      file: z.string(),
      findings: z.array(findingSchema),
      skipped: z.string().optional(),
      preamble: z.string().optional(),
    },
    annotations: { readOnlyHint: true, openWorldHint: false },
  }, async ({ path, code, filename, task, includeRequirements }) => {
    if ((path === undefined) === (code === undefined)) {
      return { isError: true, content: [{ type: 'text' as const, text: 'Give either `path` (a file of the project) or `code` (a snippet), not both and not neither.' }] };
    }
    let result: CheckResult;
    try {
      if (path === undefined) await loadPythonParser();
      result = path !== undefined ? await checkFile(settings, path) : await checkSnippet(settings, code!, filename);
    } catch (e) {
      if (e instanceof CheckInputError) return { isError: true, content: [{ type: 'text' as const, text: e.message }] };
      throw e;
    }
    if (includeRequirements !== false) result = { ...result, preamble: await preambleFor(task, true) };
    return {
      content: [{ type: 'text' as const, text: formatCheckResult(result) }],
      structuredContent: { ...result },
    };
  });

  server.registerTool(PROMPT_TOOL, {
    title: 'Shipsafe: security requirements for this project',
    description: PROMPT_TOOL_DESCRIPTION,
    inputSchema: {
      task: z.string().max(500).optional().describe('what you are about to build, e.g. "file upload endpoint", "login", "Stripe checkout", "admin dashboard", "AI chat endpoint"'),
      includeFindings: z.boolean().optional().describe('scan the project and name the kinds of problems already found (default true)'),
    },
    outputSchema: { preamble: z.string() },
    annotations: { readOnlyHint: true, openWorldHint: false },
  }, async ({ task, includeFindings }) => {
    const markdown = await preambleFor(task, includeFindings !== false);
    return { content: [{ type: 'text' as const, text: markdown }], structuredContent: { preamble: markdown } };
  });

  return server;
}

/** Serves until standard input closes. */
export async function runMcp(root: string): Promise<void> {
  const settings = await projectSettings(root);
  const server = createMcpServer(settings);
  const transport = new LineTransport();
  const closed = new Promise<void>((res) => { transport.onclose = () => res(); });
  await server.connect(transport);
  await closed;
  await server.close().catch(() => undefined);
}
