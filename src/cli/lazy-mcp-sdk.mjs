/**
 * Stands in for `@modelcontextprotocol/sdk/server/mcp.js` and `zod` in the CLI bundle (src/tools/build.ts aliases
 * both; only src/cli/mcp.ts uses them, and only `shipsafe mcp` loads that): `new McpServer(…)` and `z.…` load
 * dist/mcp-sdk.js (src/cli/mcp-sdk.ts, built beside the bundle) on first use, through the launcher's loader.
 */
import { join } from 'node:path';

let real;
function load() {
  if (!real) {
    const loadBundle = globalThis[Symbol.for('shipsafe.loadBundle')] || require;
    real = loadBundle(join(__dirname, 'mcp-sdk.js'));
  }
  return real;
}

/** `new McpServer(info)` gives the SDK's own server. */
export function McpServer(...args) {
  return new (load().McpServer)(...args);
}

/** zod's `z`: each member read from the real one. */
export const z = new Proxy({}, {
  get(_, key) { return load().z[key]; },
  has(_, key) { return key in load().z; },
});
