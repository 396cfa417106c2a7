/** The MCP server in-process over the real line transport (PassThrough streams): send raw lines, read replies. */
import { PassThrough } from 'node:stream';
import { createMcpServer } from '../../src/cli/mcp';
import { LineTransport } from '../../src/cli/mcp-transport';
import { projectSettings } from '../../src/cli/secure-prompt';

export interface McpHarness {
  sendLine(line: string | Buffer): void;
  request(method: string, params?: unknown): Promise<Record<string, any>>;
  /** the next reply with this id (null for errors without one) */
  reply(id: string | number | null): Promise<Record<string, any>>;
  close(): Promise<void>;
}

export async function startMcp(root: string): Promise<McpHarness> {
  const input = new PassThrough();
  const output = new PassThrough();
  const server = createMcpServer(await projectSettings(root));
  await server.connect(new LineTransport(input, output));
  const seen: Record<string, any>[] = [];
  const waiters: { id: string | number | null; resolve: (m: Record<string, any>) => void }[] = [];
  let buf = '';
  output.on('data', (d: Buffer) => {
    buf += d.toString();
    for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
      const msg = JSON.parse(buf.slice(0, nl));
      buf = buf.slice(nl + 1);
      const w = waiters.findIndex((x) => x.id === msg.id);
      if (w >= 0) waiters.splice(w, 1)[0].resolve(msg);
      else seen.push(msg);
    }
  });
  let nextId = 1;
  const reply = (id: string | number | null) => new Promise<Record<string, any>>((resolve) => {
    const i = seen.findIndex((m) => m.id === id);
    if (i >= 0) resolve(seen.splice(i, 1)[0]);
    else waiters.push({ id, resolve });
  });
  const sendLine = (line: string | Buffer) => { input.write(line); input.write('\n'); };
  const h: McpHarness = {
    sendLine,
    reply,
    request(method, params) {
      const id = nextId++;
      sendLine(JSON.stringify({ jsonrpc: '2.0', id, method, ...(params === undefined ? {} : { params }) }));
      return reply(id);
    },
    async close() { input.end(); await server.close().catch(() => undefined); },
  };
  await h.request('initialize', { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } });
  sendLine(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }));
  return h;
}
