/**
 * "Shipsafe: Generate Secure Prompt" the way a person runs it, driven from the browser after the in-host
 * `prompt` suite: command palette → task input box → destination QuickPick → the file on disk / the clipboard /
 * a new Markdown editor. Checks the files in the session's copy of the fixture workspace.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { DriverResults, TestResult } from './driver/extension';

const BEGIN = '<!-- shipsafe:begin';
const END = '<!-- shipsafe:end -->';

function read(file: string): string | undefined {
  try { return readFileSync(file, 'utf8'); } catch { return undefined; }
}

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Runs the command from the palette, answers the task box, picks the destination by typing its name. */
async function runCommand(page: Page, task: string, destination: string, shots?: { dir: string; name: string }): Promise<void> {
  const quickInput = page.locator('.quick-input-widget');
  await page.locator('.monaco-workbench').click({ position: { x: 700, y: 400 } }).catch(() => undefined);
  await page.keyboard.press('F1');
  await quickInput.waitFor({ state: 'visible', timeout: 15_000 });
  await page.keyboard.type('Shipsafe: Generate Secure Prompt');
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Generate Secure Prompt' }).first().waitFor({ state: 'visible', timeout: 15_000 });
  await page.keyboard.press('Enter');
  // step 1: the task
  await page.locator('.quick-input-title', { hasText: '(1/2)' }).waitFor({ state: 'visible', timeout: 30_000 });
  if (task) await page.keyboard.type(task);
  await page.keyboard.press('Enter');
  // step 2: the destination (after the workspace scan the first run starts)
  await page.locator('.quick-input-title', { hasText: '(2/2)' }).waitFor({ state: 'visible', timeout: 120_000 });
  await page.locator('.quick-input-list .monaco-list-row').first().waitFor({ state: 'visible', timeout: 15_000 });
  await page.keyboard.type(destination);
  await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: destination }).waitFor({ state: 'visible', timeout: 15_000 });
  if (shots) await page.screenshot({ path: join(shots.dir, `${shots.name}.png`) });
  await page.keyboard.press('Enter');
  await quickInput.waitFor({ state: 'hidden', timeout: 15_000 });
}

export function promptUi(outDir: string, log: (line: string) => void) {
  return async (page: Page, _results: DriverResults, ws: string): Promise<TestResult[]> => {
    const out: TestResult[] = [];
    const check = async (name: string, fn: () => Promise<void>) => {
      const t0 = Date.now();
      try { await fn(); out.push({ name, ok: true, ms: Date.now() - t0 }); } catch (e) {
        out.push({ name, ok: false, ms: Date.now() - t0, error: String((e as Error)?.stack ?? e) });
        await page.screenshot({ path: join(outDir, `failure-${out.length}.png`) }).catch(() => undefined);
      }
    };
    const folder = join(ws, 'nextapp');
    const agents = join(folder, 'AGENTS.md');
    const original = read(agents) ?? '';
    const above = original.slice(0, original.indexOf(BEGIN));
    const below = original.slice(original.indexOf(END) + END.length);

    await check('ui: palette → task "file upload endpoint" → AGENTS.md: block replaced, the user\'s text above and below kept', async () => {
      await runCommand(page, 'file upload endpoint', 'AGENTS.md', { dir: outDir, name: 'secure-prompt-quickpick' });
      const text = await until('AGENTS.md to hold the new block', () => {
        const t = read(agents);
        return t && t.includes('### For this task: file upload endpoint') ? t : undefined;
      }, 30_000);
      if (!text.startsWith(`${above}${BEGIN}`)) throw new Error(`the text above the block changed:\n${text.slice(0, 300)}`);
      if (!text.endsWith(`${END}${below}`)) throw new Error(`the text below the block changed:\n${text.slice(-300)}`);
      if (text.includes('This text is replaced by Shipsafe.')) throw new Error('the stale block is still there');
      if (!/Stack: Next\.js \(app router\), Prisma, Supabase, zod, Stripe, Vercel/.test(text)) throw new Error('the stack line is missing');
      if (!/`mass-assignment`\): 1 finding in 1 file/.test(text)) throw new Error('the open finding is missing');
      log(`AGENTS.md written (${text.length} chars)`);
    });

    await check('ui: the same choices again leave AGENTS.md byte-identical', async () => {
      const before = readFileSync(agents);
      await runCommand(page, 'file upload endpoint', 'AGENTS.md');
      await page.locator('.notifications-toasts', { hasText: 'already up to date' }).first().waitFor({ state: 'visible', timeout: 15_000 });
      if (!readFileSync(agents).equals(before)) throw new Error('AGENTS.md changed although nothing else did');
    });

    await check('ui: → .cursor/rules/shipsafe-security.mdc is created with its front matter first', async () => {
      await runCommand(page, '', 'shipsafe-security.mdc');
      const text = await until('the Cursor rule file', () => read(join(folder, '.cursor', 'rules', 'shipsafe-security.mdc')), 30_000);
      if (!/^---\ndescription: [^\n]+\nglobs:\nalwaysApply: true\n---\n<!-- shipsafe:begin/.test(text)) throw new Error(`unexpected start:\n${text.slice(0, 200)}`);
    });

    await check('ui: → "Copy to clipboard" fills the clipboard with the preamble', async () => {
      await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(page.url()).origin });
      await runCommand(page, 'login', 'clipboard');
      const text = await until('the clipboard to hold the preamble', async () => {
        const t = await page.evaluate(() => (globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }).navigator.clipboard.readText()).catch(() => '');
        return t.includes('### For this task: login') ? t : undefined;
      }, 15_000);
      if (!text.startsWith('## Security requirements for this project')) throw new Error(`clipboard: ${text.slice(0, 120)}`);
      if (text.includes(BEGIN)) throw new Error('the clipboard holds the file markers');
    });

    await check('ui: → "Open in a new Markdown editor" shows the preamble in an untitled editor', async () => {
      await runCommand(page, 'admin dashboard', 'Markdown editor');
      await until('the untitled editor with the preamble', async () => {
        // Monaco renders spaces as no-break spaces
        const texts = await page.locator('.monaco-editor .view-lines').allInnerTexts().catch(() => [] as string[]);
        return texts.some((t) => t.replace(/\u00a0/g, ' ').includes('Security requirements for this project')) ? true : undefined;
      }, 15_000);
      const tab = page.locator('.tabs-container .tab.active');
      const label = await tab.innerText();
      if (!/Untitled/i.test(label)) throw new Error(`the active tab is "${label}"`);
      await page.screenshot({ path: join(outDir, 'secure-prompt-editor.png') });
    });
    return out;
  };
}
