/** The MCP server on hostile or sloppy input (issue 15, defect 9): every bad line gets a JSON-RPC answer. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cleanup, SQL_FLAW, tempDir, writeFiles } from '../cli/_util';
import { MAX_MESSAGE_BYTES } from '../../src/cli/mcp-transport';
import { startMcp, type McpHarness } from './_mcp';

describe('MCP server robustness', () => {
  const project = tempDir('shipsafe-mcp-robust-');
  writeFiles(project, { 'src/app.js': SQL_FLAW });
  let mcp: McpHarness;
  before(async () => { mcp = await startMcp(project); });
  after(async () => { await mcp.close(); cleanup(project); });

  it('malformed JSON gets -32700, and the server goes on', async () => {
    mcp.sendLine('{"jsonrpc":"2.0","id":7,"method":');
    const r = await mcp.reply(null);
    assert.equal(r.error.code, -32700);
    const list = await mcp.request('tools/list');
    assert.ok(list.result.tools.length >= 2);
  });

  it('JSON that is not JSON-RPC gets -32600', async () => {
    mcp.sendLine('[1,2,3]');
    assert.equal((await mcp.reply(null)).error.code, -32600);
  });

  it('a message over the size limit gets an error and does not stop the server', async () => {
    mcp.sendLine(Buffer.alloc(MAX_MESSAGE_BYTES + 1024, 0x61));
    const r = await mcp.reply(null);
    assert.equal(r.error.code, -32600);
    assert.match(r.error.message, /over the 8 MiB limit/);
    const list = await mcp.request('tools/list');
    assert.ok(list.result.tools.length >= 2);
  });

  it('tools/call without params gets -32602 with a sentence, not a schema dump', async () => {
    const r = await mcp.request('tools/call');
    assert.equal(r.error.code, -32602);
    assert.doesNotMatch(r.error.message, /"code":|invalid_type|\[\s*\{/);
  });

  it('a slow check does not hold up tools/list', async () => {
    // ~1 MB of routes: seconds of analysis in a thread, while the list is answered at once
    const big = Array.from({ length: 9000 }, (_, i) => `app.get('/r${i}', async (req, res) => { const row = await db.query('SELECT * FROM t WHERE id = $1', [req.params.id]); res.json(row); });`).join('\n');
    const slow = mcp.request('tools/call', { name: 'shipsafe_check', arguments: { code: big, filename: 'routes.js', includeRequirements: false } });
    let slowDone = false;
    void slow.then(() => { slowDone = true; });
    const list = await mcp.request('tools/list');
    assert.ok(list.result.tools.length >= 2);
    assert.equal(slowDone, false, 'tools/list waited for the check');
    const r = await slow;
    assert.ok(r.result, JSON.stringify(r).slice(0, 300));
  });
});
