/**
 * dist/mcp-sdk.js: the MCP SDK and zod (with ajv and the SDK's other dependencies: about 0.7 MB), which only
 * `shipsafe mcp` needs, bundled apart from dist/cli-bundle.js so that no other command reads or compiles them. The
 * CLI bundle reaches it through src/cli/lazy-mcp-sdk.mjs.
 */
export { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
export { z } from 'zod';
