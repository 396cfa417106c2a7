/**
 * Standard input/output transport for the MCP server, stricter than the SDK's: every line that is not a
 * message still gets a JSON-RPC answer instead of silence or an exit —
 *   a line that is not JSON                      → -32700 Parse error
 *   JSON that is not a JSON-RPC 2.0 message      → -32600 Invalid Request
 *   `tools/call` without a tool name             → -32602 Invalid params (a sentence, not a schema dump)
 *   a line over MAX_MESSAGE_BYTES                → -32600, the line is dropped, the server goes on
 * (newline-delimited JSON, as MCP's stdio transport specifies).
 */
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

/** Largest message accepted (a 2 MB snippet in JSON with escapes fits well). */
export const MAX_MESSAGE_BYTES = 8 * 1024 * 1024;

type Id = string | number | null;

export class LineTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  private chunks: Buffer[] = [];
  private size = 0;
  /** inside a line that is too long: drop bytes until its newline */
  private dropping = false;
  private closed = false;

  constructor(private readonly input: NodeJS.ReadableStream = process.stdin, private readonly output: NodeJS.WritableStream = process.stdout) {}

  private readonly onData = (chunk: Buffer | string) => {
    let buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    for (let nl = buf.indexOf(10); ; nl = buf.indexOf(10)) {
      const part = nl < 0 ? buf : buf.subarray(0, nl);
      if (!this.dropping) {
        if (this.size + part.length > MAX_MESSAGE_BYTES) {
          this.dropping = true;
          this.chunks = [];
          this.size = 0;
          this.reply(null, -32600, `Invalid Request: the message is over the ${MAX_MESSAGE_BYTES / 1048576} MiB limit; it was dropped`);
        } else {
          this.chunks.push(part);
          this.size += part.length;
        }
      }
      if (nl < 0) return;
      if (!this.dropping) this.line(Buffer.concat(this.chunks).toString('utf8'));
      this.dropping = false;
      this.chunks = [];
      this.size = 0;
      buf = buf.subarray(nl + 1);
    }
  };

  private readonly onEnd = () => { void this.close(); };

  private line(text: string): void {
    const t = text.replace(/\r$/, '');
    if (!t.trim()) return;
    let msg: unknown;
    try {
      msg = JSON.parse(t);
    } catch {
      this.reply(null, -32700, 'Parse error: the line is not valid JSON');
      return;
    }
    const m = msg as { jsonrpc?: unknown; id?: unknown; method?: unknown; params?: unknown; result?: unknown; error?: unknown };
    const id: Id = typeof m?.id === 'string' || typeof m?.id === 'number' ? m.id : null;
    if (typeof m !== 'object' || m === null || Array.isArray(m) || m.jsonrpc !== '2.0' || (m.method === undefined && m.result === undefined && m.error === undefined) || (m.method !== undefined && typeof m.method !== 'string')) {
      this.reply(id, -32600, 'Invalid Request: expected a JSON-RPC 2.0 object with "jsonrpc": "2.0" and a "method"');
      return;
    }
    if (m.method === 'tools/call' && m.id !== undefined) {
      const p = m.params as { name?: unknown; arguments?: unknown } | undefined;
      if (typeof p !== 'object' || p === null || typeof p.name !== 'string') {
        this.reply(id, -32602, 'Invalid params: tools/call needs "params": { "name": "<tool>", "arguments": { … } }');
        return;
      }
      if (p.arguments !== undefined && (typeof p.arguments !== 'object' || p.arguments === null || Array.isArray(p.arguments))) {
        this.reply(id, -32602, 'Invalid params: "arguments" must be an object');
        return;
      }
    }
    try {
      this.onmessage?.(m as JSONRPCMessage);
    } catch (e) {
      this.onerror?.(e as Error);
    }
  }

  private reply(id: Id, code: number, message: string): void {
    void this.send({ jsonrpc: '2.0', id, error: { code, message } } as unknown as JSONRPCMessage);
  }

  async start(): Promise<void> {
    this.input.on('data', this.onData);
    this.input.on('end', this.onEnd);
  }

  send(message: JSONRPCMessage): Promise<void> {
    return new Promise((resolve) => {
      if (this.output.write(`${JSON.stringify(message)}\n`)) resolve();
      else this.output.once('drain', () => resolve());
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.input.off('data', this.onData);
    this.input.off('end', this.onEnd);
    this.onclose?.();
  }
}
