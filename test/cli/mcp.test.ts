/**
 * `shipsafe mcp` as a process (the esbuild bundle, spawned) driven by the MCP SDK's own client over stdio:
 * lists the tools, calls them, and checks that findings come back masked and that nothing outside the project
 * can be read.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { buildAll } from '../../src/tools/build';
import { cleanup, tempDir, writeFiles } from './_util';

const FAKE_KEY = 'sk_live_51NqLr2Kx9vTm4WbQzY7pHcD3fJ8sA6gE0uRtV1nM5yXkP2';

interface TextContent { type: 'text'; text: string }
interface ToolFinding { ruleId: string; line: number; message: string; related: { line: number; message: string }[] }

describe('shipsafe mcp (bundle, spawned, SDK client over stdio)', () => {
  let out: string;
  let project: string;
  let client: Client;
  let transport: StdioClientTransport;
  let stderr = '';

  before(async () => {
    out = tempDir('shipsafe-mcp-build-');
    const [cliJs] = await buildAll({ outdir: out, only: ['cli'], quiet: true });
    project = tempDir('shipsafe-mcp-');
    cpSync(join(__dirname, '..', 'prompt', 'projects', 'express-pg'), project, { recursive: true });
    writeFiles(project, { 'src/config/stripe.js': `const Stripe = require('stripe');\nmodule.exports = new Stripe('${FAKE_KEY}');\n` });
    transport = new StdioClientTransport({
      command: process.execPath, args: [cliJs, 'mcp'], cwd: project, stderr: 'pipe',
      env: { PATH: process.env.PATH ?? '' },
    });
    transport.stderr?.on('data', (d: Buffer) => { stderr += d.toString(); });
    client = new Client({ name: 'shipsafe-test', version: '1.0.0' });
    await client.connect(transport);
  });

  after(async () => {
    await client?.close();
    cleanup(out);
    cleanup(project);
  });

  it('lists its two tools with descriptions and input schemas', async () => {
    const { tools } = await client.listTools();
    assert.deepEqual(tools.map((t) => t.name).sort(), ['shipsafe_check', 'shipsafe_secure_prompt']);
    const check = tools.find((t) => t.name === 'shipsafe_check')!;
    assert.deepEqual(Object.keys(check.inputSchema.properties ?? {}).sort(), ['code', 'filename', 'includeRequirements', 'path', 'task']);
    assert.match(check.description ?? '', /secret values are never returned/);
    assert.equal(check.annotations?.readOnlyHint, true);
    const prompt = tools.find((t) => t.name === 'shipsafe_secure_prompt')!;
    assert.deepEqual(Object.keys(prompt.inputSchema.properties ?? {}).sort(), ['includeFindings', 'task']);
  });

  it('shipsafe_check on a file: findings with lines and fixes, secret masked, plus the requirements', async () => {
    const r = await client.callTool({ name: 'shipsafe_check', arguments: { path: 'src/config/stripe.js' } });
    assert.ok(!r.isError, JSON.stringify(r));
    const text = (r.content as TextContent[])[0].text;
    const data = r.structuredContent as { file: string; findings: ToolFinding[]; preamble: string };
    assert.equal(data.file, 'src/config/stripe.js');
    const secret = data.findings.find((f) => f.ruleId === 'hardcoded-secret');
    assert.ok(secret, text);
    assert.equal(secret.line, 2);
    assert.match(secret.message, /sk_live_…\(\d+ chars\)/);
    for (let i = 0; i + 12 <= FAKE_KEY.length; i++) {
      assert.ok(!JSON.stringify(r).includes(FAKE_KEY.slice(i, i + 12)), 'no 12-character piece of the key in the result');
    }
    assert.match(data.preamble, /## Security requirements for this project/);
    assert.match(text, /Shipsafe found \d+ security problems? in src\/config\/stripe\.js/);
    assert.match(text, /pool\.query\('SELECT … WHERE id = \$1', \[id\]\)/, 'the requirements are tailored to the project');
  });

  it('shipsafe_check on a snippet: the file name decides the framework rules; a task adds its controls', async () => {
    const code = [
      "import { NextResponse } from 'next/server';",
      "import { prisma } from '@/lib/db';",
      'export async function GET(req: Request) {',
      "  const q = new URL(req.url).searchParams.get('q');",
      '  const rows = await prisma.$queryRawUnsafe(`SELECT * FROM invoices WHERE customer = \'${q}\'`);',
      '  return NextResponse.json(rows);',
      '}',
    ].join('\n');
    const r = await client.callTool({ name: 'shipsafe_check', arguments: { code, filename: 'app/api/search/route.ts', task: 'search endpoint' } });
    const data = r.structuredContent as { file: string; findings: ToolFinding[]; preamble: string };
    assert.equal(data.file, 'app/api/search/route.ts');
    const sql = data.findings.find((f) => f.ruleId === 'sql-injection');
    assert.ok(sql, JSON.stringify(data.findings));
    assert.equal(sql.line, 5);
    assert.ok(sql.related.some((x) => x.line === 4 && /Request data/.test(x.message)));
    assert.match(data.preamble, /### For this task: search endpoint/);
    assert.doesNotMatch(JSON.stringify(r), /invoices WHERE customer/, 'no source text comes back');
  });

  it('shipsafe_check on clean code says so; bad arguments and paths outside the project are errors', async () => {
    const clean = await client.callTool({ name: 'shipsafe_check', arguments: { code: 'export const add = (a: number, b: number) => a + b;\n', includeRequirements: false } });
    assert.match((clean.content as TextContent[])[0].text, /found no security problems in snippet\.ts/);
    assert.equal((clean.structuredContent as { preamble?: string }).preamble, undefined);

    const both = await client.callTool({ name: 'shipsafe_check', arguments: {} });
    assert.equal(both.isError, true);
    assert.match((both.content as TextContent[])[0].text, /Give either `path`/);

    for (const path of ['../../etc/passwd', '/etc/passwd']) {
      const outside = await client.callTool({ name: 'shipsafe_check', arguments: { path } });
      assert.equal(outside.isError, true, path);
      assert.match((outside.content as TextContent[])[0].text, /outside the project folder/);
    }
    const missing = await client.callTool({ name: 'shipsafe_check', arguments: { path: 'src/nope.js' } });
    assert.equal(missing.isError, true);
  });

  it('shipsafe_secure_prompt: the project\'s requirements, its open findings, and the task\'s controls', async () => {
    const r = await client.callTool({ name: 'shipsafe_secure_prompt', arguments: { task: 'file upload endpoint' } });
    const md = (r.structuredContent as { preamble: string }).preamble;
    assert.equal((r.content as TextContent[])[0].text, md);
    assert.match(md, /Stack: Express, pg \(node-postgres\)/);
    assert.match(md, /### Open findings: do not repeat these/);
    assert.match(md, /`hardcoded-secret`\): 1 finding in 1 file/);
    assert.match(md, /multer with `limits: \{ fileSize, files \}`/);
    assert.ok(!md.includes(FAKE_KEY.slice(8, 20)));
    assert.equal(stderr, '', 'nothing on stderr');
  });
});
