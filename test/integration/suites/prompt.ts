/**
 * The secure prompt in a real extension host, on the `nextapp` fixture folder (Next.js + Prisma + Supabase +
 * Stripe + Vercel) opened alone. These tests run inside the host; the QuickPick flows a person goes through
 * (command palette → task → destination → file written / clipboard filled) are driven afterwards from the
 * browser by ../prompt-ui.ts.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { closeWithoutSaving, shipsafe, show, waitFor, type TestCase } from '../harness';

const FAKE_KEY = 'sk_live_51NqLr2Kx9vTm4WbQzY7pHcD3fJ8sA6gE0uRtV1nM5yXkP2';
const dec = new TextDecoder();

interface LmTextPart { value: string }
interface LmApi {
  lm: {
    tools: readonly { name: string; description: string; inputSchema?: object }[];
    invokeTool(name: string, options: { input: object; toolInvocationToken: undefined }, token?: vscode.CancellationToken): Promise<{ content: unknown[] }>;
  };
}
const lm = () => (vscode as unknown as LmApi).lm;

async function invoke(name: string, input: object): Promise<string> {
  const r = await lm().invokeTool(name, { input, toolInvocationToken: undefined });
  return r.content.map((p) => (p as LmTextPart).value ?? '').join('');
}

function root(): vscode.Uri {
  const f = vscode.workspace.workspaceFolders?.[0];
  assert.ok(f, 'a folder is open');
  return f.uri;
}

export const promptSuite: TestCase[] = [
  {
    name: 'prompt: the command and both language model tools are registered',
    async run() {
      await shipsafe();
      const commands = await vscode.commands.getCommands(true);
      assert.ok(commands.includes('shipsafe.generateSecurePrompt'));
      const tools = await waitFor('the Shipsafe tools in vscode.lm.tools', () => {
        const names = lm().tools.map((t) => t.name);
        return names.includes('shipsafe_check') && names.includes('shipsafe_secure_prompt') ? lm().tools : undefined;
      });
      const check = tools.find((t) => t.name === 'shipsafe_check')!;
      assert.match(check.description, /secret values are never returned/);
      assert.ok(check.inputSchema && 'properties' in check.inputSchema);
    },
  },
  {
    name: 'prompt: shipsafe_check on a snippet returns masked findings and the tailored requirements',
    timeoutMs: 90_000,
    async run() {
      const code = [
        "import Stripe from 'stripe';",
        `const stripe = new Stripe('${FAKE_KEY}');`,
        'export async function GET(req: Request) {',
        "  const id = new URL(req.url).searchParams.get('id');",
        '  return Response.json(await db.query(`SELECT * FROM invoices WHERE id = ${id}`));',
        '}',
      ].join('\n');
      const text = await invoke('shipsafe_check', { code, filename: 'app/api/lookup/route.ts' });
      assert.match(text, /app\/api\/lookup\/route\.ts:2:\d+ error `hardcoded-secret`/);
      assert.match(text, /app\/api\/lookup\/route\.ts:5:\d+ error `sql-injection` \(high confidence\)/);
      for (let i = 0; i + 12 <= FAKE_KEY.length; i++) {
        assert.ok(!text.includes(FAKE_KEY.slice(i, i + 12)), 'no 12-character piece of the key in the tool result');
      }
      assert.match(text, /## Security requirements for this project/);
      assert.match(text, /Stack: Next\.js \(app router\), Prisma, Supabase, zod, Stripe, Vercel/);
    },
  },
  {
    name: 'prompt: shipsafe_check on a workspace file reads the editor\'s unsaved text',
    timeoutMs: 90_000,
    async run() {
      const uri = vscode.Uri.joinPath(root(), 'lib', 'db.ts');
      const editor = await show(uri);
      const clean = await invoke('shipsafe_check', { path: 'lib/db.ts', includeRequirements: false });
      assert.match(clean, /found no security problems in lib\/db\.ts/);
      const original = editor.document.getText();
      const added = '\nexport const adminToken = Math.random().toString(36).slice(2);\n';
      await editor.edit((e) => e.insert(editor.document.positionAt(original.length), added));
      try {
        const dirty = await invoke('shipsafe_check', { path: 'lib/db.ts', includeRequirements: false });
        assert.match(dirty, /lib\/db\.ts:\d+:\d+ (error|warning) `insecure-randomness`/, dirty);
      } finally {
        // put the text back as it was (the later tests count this folder's findings), then close
        const doc = editor.document;
        await editor.edit((e) => e.replace(new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), original));
        await doc.save();
        await waitFor('the finding to go away', () => !vscode.languages.getDiagnostics(uri).some((d) => d.source === 'Shipsafe'));
        await closeWithoutSaving(uri);
      }
      const outside = await invoke('shipsafe_check', { path: '../../etc/passwd' });
      assert.match(outside, /leaves the workspace folder/);
    },
  },
  {
    name: 'prompt: shipsafe_secure_prompt adds the task\'s controls',
    timeoutMs: 90_000,
    async run() {
      const text = await invoke('shipsafe_secure_prompt', { task: 'Stripe checkout' });
      assert.match(text, /### For this task: Stripe checkout/);
      assert.match(text, /constructEvent\(await req\.text\(\)/);
      assert.match(text, /Row Level Security/);
    },
  },
  {
    name: 'prompt: the command with arguments writes CLAUDE.md without asking, and again byte-identically',
    timeoutMs: 120_000,
    async run() {
      type Result = { destination: string; file?: vscode.Uri; changed?: boolean; markdown: string };
      const first = await vscode.commands.executeCommand<Result>('shipsafe.generateSecurePrompt', { task: '', destination: 'claude' });
      assert.ok(first?.file, 'the command returns what it wrote');
      assert.equal(first.changed, true);
      const bytes = await vscode.workspace.fs.readFile(first.file);
      const text = dec.decode(bytes);
      assert.ok(text.startsWith('<!-- shipsafe:begin'), text.slice(0, 80));
      // the scan the command ran found the mass assignment in app/api/invoices/route.ts
      assert.match(text, /`mass-assignment`\): 1 finding in 1 file/);
      const again = await vscode.commands.executeCommand<Result>('shipsafe.generateSecurePrompt', { task: '', destination: 'claude' });
      assert.equal(again?.changed, false);
      assert.deepEqual(await vscode.workspace.fs.readFile(first.file), bytes);
    },
  },
];
