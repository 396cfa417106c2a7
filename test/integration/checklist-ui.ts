/**
 * The checklist panel the way a person uses it, driven from the browser after the in-host `checklist` suite:
 * the webview (nested iframes in the workbench) shows the summary, clicking evidence opens the file at its line,
 * ticking an item writes the answers file in the session's copy of the workspace. Screenshot of the workbench
 * with the panel: test-output/integration/checklist/checklist-panel.png.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import type { DriverResults, TestResult } from './driver/extension';

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await Promise.resolve().then(probe).catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function panelFrame(page: Page): Promise<Frame> {
  return until('the checklist webview frame', async () => {
    for (const f of page.frames()) {
      if (await f.locator('#app .summary').count().catch(() => 0)) return f;
    }
    return undefined;
  }, 30_000);
}

export function checklistUi(outDir: string, log: (line: string) => void) {
  return async (page: Page, _results: DriverResults, ws: string): Promise<TestResult[]> => {
    const out: TestResult[] = [];
    const check = async (name: string, fn: () => Promise<void>) => {
      const t0 = Date.now();
      try { await fn(); out.push({ name, ok: true, ms: Date.now() - t0 }); } catch (e) {
        out.push({ name, ok: false, ms: Date.now() - t0, error: String((e as Error)?.stack ?? e) });
        await page.screenshot({ path: join(outDir, `failure-${out.length}.png`) }).catch(() => undefined);
      }
    };
    let frame: Frame | undefined;
    await check('ui: the panel shows the summary line and the status bar item links to it', async () => {
      frame = await panelFrame(page);
      const summary = (await frame.locator('.summary').textContent()) ?? '';
      log(`checklist panel: "${summary}"`);
      if (!/^\d+ of \d+ pass, 4 fail \(3 blocking\), \d+ need review$/.test(summary)) throw new Error(`unexpected summary "${summary}"`);
      const item = page.locator('.statusbar-item[aria-label^="Pre-deploy checklist:"], .statusbar-item:has([aria-label^="Pre-deploy checklist:"])').first();
      await item.waitFor({ state: 'visible', timeout: 15_000 });
      await frame.locator('.item-head[data-item="parameterized-queries"]').click();
      await frame.locator('.item-head[data-item="no-public-leftovers"]').click();
      await page.waitForTimeout(500);
      await page.screenshot({ path: join(outDir, 'checklist-panel.png') });
      log(`screenshot: ${join(outDir, 'checklist-panel.png')}`);
    });
    await check('ui: clicking evidence opens the editor at file:line', async () => {
      if (!frame) throw new Error('no panel');
      await frame.locator('.item[data-id="parameterized-queries"] button.link', { hasText: 'src/routes/notes.js:7' }).click();
      await page.locator('.tabs-container .tab', { hasText: 'notes.js' }).first().waitFor({ state: 'visible', timeout: 15_000 });
      const line = await until('the cursor on line 7', async () => {
        const text = await page.locator('.statusbar-item[id="status.editor.selection"]').innerText().catch(() => '');
        return /Ln 7\b/.test(text) ? text : undefined;
      }, 15_000);
      log(`editor position after the click: ${line.replace(/\s+/g, ' ')}`);
    });
    await check('ui: ticking an item in the panel writes .shipsafe-checklist.txt', async () => {
      const f = await panelFrame(page);
      await f.locator('.item-head[data-item="production-debug-off"]').click();
      await f.locator('.item[data-id="production-debug-off"] input[data-answer="done"]').check();
      const file = join(ws, 'checklist', '.shipsafe-checklist.txt');
      await until('the answer on disk', () => (/^production-debug-off: done$/m.test((() => { try { return readFileSync(file, 'utf8'); } catch { return ''; } })()) ? true : undefined), 15_000);
      await until('the item to pass in the panel', async () => ((await f.locator('.item[data-id="production-debug-off"]').getAttribute('data-status')) === 'pass' ? true : undefined), 15_000);
    });
    return out;
  };
}
