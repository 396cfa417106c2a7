/**
 * The checklist panel's front end in headless Chromium with a real DOM (`npm run test:webview`): rendering of a
 * real checklist model (the leaky fixture, computed by the engine), filters, the messages clicks post, keyboard
 * navigation with visible focus, state restored after a reload, no data through innerHTML, the strict CSP
 * enforced, and screenshots in the light, dark and high-contrast themes (test-output/webview/).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { projectChecklist } from '../../src/cli/checklist';
import type { Checklist } from '../../src/engine/checklist/evaluate';
import { buildWebview } from '../../src/tools/build';
import type { PanelContext } from '../../src/webview/protocol';
import { cleanup, tempDir } from '../cli/_util';
import { applyTheme, clearPosted, cspViolations, installHost, launch, posted, serveWebview, type Theme, type WebviewServer } from './harness';

const outDir = join(__dirname, '..', '..', 'test-output', 'webview');
const fixtures = join(__dirname, '..', 'checklist', 'fixtures');

describe('checklist webview (headless Chromium)', () => {
  let build: string;
  let web: WebviewServer;
  let browser: Browser;
  let model: Checklist;
  const context: PanelContext = { folder: 'leaky', trusted: true };

  const openPage = async (m: Checklist = model, ctx: PanelContext = context, theme: Theme = 'light'): Promise<Page> => {
    const page = await browser.newPage({ viewport: { width: 980, height: 1400 } });
    await installHost(page);
    await page.goto(web.url);
    await applyTheme(page, theme);
    await send(page, m, ctx);
    return page;
  };
  const send = async (page: Page, m: Checklist, ctx: PanelContext = context) => {
    await page.evaluate(({ m, ctx }) => window.postMessage({ type: 'update', checklist: m, context: ctx }, '*'), { m, ctx });
    await page.locator('.summary').waitFor();
  };
  const focusedItem = (page: Page) => page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.item);

  before(async () => {
    mkdirSync(outDir, { recursive: true });
    build = tempDir('shipsafe-webview-');
    await buildWebview(build, { quiet: true });
    web = await serveWebview(join(build, 'webview'));
    browser = await launch();
    model = await projectChecklist(join(fixtures, 'leaky'), { git: false });
  });
  after(async () => {
    await browser?.close();
    await new Promise((r) => web?.server.close(r));
    cleanup(build);
  });

  it('renders every item, grouped, with the summary line; says ready; the CSP holds and the codicon font loads', async () => {
    const page = await openPage();
    try {
      assert.deepEqual((await posted(page))[0], { type: 'ready' });
      assert.equal(await page.locator('.summary').textContent(), model.summary.line);
      assert.equal(await page.locator('li.item').count(), model.items.length);
      assert.equal(await page.locator('section.group h2').count(), new Set(model.items.map((i) => i.group)).size);
      const first = model.items.find((i) => i.status === 'fail' && i.blocking)!;
      const row = page.locator(`li.item[data-id="${first.id}"]`);
      assert.match(await row.locator('.item-head').innerText(), new RegExp(`${first.title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[\\s\\S]*Fail[\\s\\S]*Blocking`));
      assert.equal(await row.locator('.status-icon').getAttribute('aria-hidden'), 'true', 'the icon is decoration; the badge says the status in words');
      assert.deepEqual(await cspViolations(page), []);
      const font = await page.evaluate(async () => { await document.fonts.ready; return document.fonts.check('16px codicon'); });
      assert.ok(font, 'the codicon font is loaded from the extension files');
      // an inline script is refused: the policy is really in force
      await page.evaluate(() => { const s = document.createElement('script'); s.textContent = 'window.__inline = 1'; document.body.append(s); });
      assert.equal(await page.evaluate(() => (window as unknown as { __inline?: number }).__inline), undefined);
      assert.ok((await cspViolations(page)).some((v) => v.startsWith('script-src')), 'the inline script was reported as a CSP violation');
    } finally { await page.close(); }
  });

  it('filters by status and keeps the filter in the webview state', async () => {
    const page = await openPage();
    try {
      await page.locator('button.filter[data-filter="fail"]').click();
      const statuses = await page.locator('li.item').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.status));
      assert.ok(statuses.length > 0 && statuses.every((s) => s === 'fail'), statuses.join());
      assert.equal(statuses.length, model.summary.fail);
      assert.equal(await page.locator('button.filter[data-filter="fail"]').getAttribute('aria-pressed'), 'true');
      assert.equal(await page.locator('button.filter[data-filter="all"]').getAttribute('aria-pressed'), 'false');
      await page.locator('button.filter[data-filter="na"]').click();
      assert.equal(await page.locator('li.item').count(), model.summary.na);
    } finally { await page.close(); }
  });

  it('clicks post the right messages: evidence opens file:line, answers, export, checks', async () => {
    const page = await openPage();
    try {
      await clearPosted(page);
      await page.locator('li.item[data-id="parameterized-queries"] .item-head').click();
      await page.locator('li.item[data-id="parameterized-queries"] button.link', { hasText: 'src/server.js:10' }).click();
      await page.locator('button[data-action="export"]').click();
      await page.locator('button[data-action="checkApp"]').click();
      await page.locator('button[data-action="audit"]').click();
      await page.locator('button[data-action="refresh"]').click();
      await page.locator('li.item[data-id="hosting-env"] .item-head').click();
      const hosting = page.locator('li.item[data-id="hosting-env"]');
      await hosting.locator('input[data-answer="done"]').check();
      await hosting.locator('input.note').fill('prod keys set in Vercel');
      await hosting.locator('input.note').press('Tab');
      const msgs = await posted(page);
      const sql = model.items.find((i) => i.id === 'parameterized-queries')!.evidence[0];
      assert.deepEqual(msgs, [
        { type: 'open', file: 'src/server.js', line: 10, column: sql.column },
        { type: 'export' },
        { type: 'checkApp' },
        { type: 'audit' },
        { type: 'refresh' },
        { type: 'answer', id: 'hosting-env', value: 'done' },
        { type: 'answer', id: 'hosting-env', value: 'done', note: 'prod keys set in Vercel' },
      ]);
    } finally { await page.close(); }
  });

  it('keyboard: one item in the Tab order, arrows/Home/End move, Enter opens, focus is visible', async () => {
    const page = await openPage();
    try {
      assert.equal(await page.locator('.item-head[tabindex="0"]').count(), 1);
      await page.locator('button.filter[data-filter="na"]').focus();
      await page.keyboard.press('Tab');
      const ids = model.items.map((i) => i.id);
      assert.equal(await focusedItem(page), ids[0], 'Tab from the filters lands on the first item');
      await page.keyboard.press('ArrowDown');
      assert.equal(await focusedItem(page), ids[1]);
      await page.keyboard.press('End');
      assert.equal(await focusedItem(page), ids[ids.length - 1]);
      await page.keyboard.press('Home');
      assert.equal(await focusedItem(page), ids[0]);
      await page.keyboard.press('ArrowUp');
      assert.equal(await focusedItem(page), ids[0], 'ArrowUp stops at the first item');
      await page.keyboard.press('Enter');
      assert.equal(await page.locator(`.item-head[data-item="${ids[0]}"]`).getAttribute('aria-expanded'), 'true');
      assert.equal(await page.locator(`#details-${ids[0]}`).isVisible(), true);
      const outline = await page.evaluate(() => { const s = getComputedStyle(document.activeElement!); return `${s.outlineStyle} ${s.outlineWidth}`; });
      assert.equal(outline, 'solid 2px', 'the focused item has a visible outline');
      await page.keyboard.press('Space');
      assert.equal(await page.locator(`.item-head[data-item="${ids[0]}"]`).getAttribute('aria-expanded'), 'false');
      // a live update does not drop the keyboard focus
      await page.keyboard.press('ArrowDown');
      await send(page, model);
      assert.equal(await focusedItem(page), ids[1]);
    } finally { await page.close(); }
  });

  it('restores the filter, the open items and the focus after the webview is hidden and shown (reload)', async () => {
    const page = await openPage();
    try {
      await page.locator('button.filter[data-filter="review"]').click();
      const reviewIds = model.items.filter((i) => i.status === 'review').map((i) => i.id);
      await page.locator(`.item-head[data-item="${reviewIds[1]}"]`).click();
      await page.reload();
      await send(page, model);
      assert.equal(await page.locator('button.filter[data-filter="review"]').getAttribute('aria-pressed'), 'true');
      assert.equal(await page.locator('li.item').count(), reviewIds.length);
      assert.equal(await page.locator(`.item-head[data-item="${reviewIds[1]}"]`).getAttribute('aria-expanded'), 'true');
      assert.equal(await page.locator(`.item-head[data-item="${reviewIds[1]}"]`).getAttribute('tabindex'), '0');
      assert.equal(web.nonces.length >= 2 && web.nonces.at(-1) !== web.nonces.at(-2), true, 'a fresh nonce per load');
    } finally { await page.close(); }
  });

  it('data is text, never markup; untrusted workspaces disable the checks that run things', async () => {
    const hostile: Checklist = JSON.parse(JSON.stringify(model));
    hostile.project = '<img src=x onerror="window.__pwned=1">';
    hostile.items[0].title = '<b>bold</b><script>window.__pwned=1</script>';
    hostile.items[0].evidence = [{ file: '<svg onload=alert(1)>.js', line: 1, message: '<img src=x onerror="window.__pwned=1">' }];
    const page = await openPage(hostile, { folder: 'x', trusted: false });
    try {
      await page.locator(`.item-head[data-item="${hostile.items[0].id}"]`).click();
      assert.equal(await page.locator('#app img, #app svg, #app b, #app script').count(), 0);
      assert.match(await page.locator('h1').innerText(), /<img src=x onerror=/);
      assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
      assert.equal(await page.locator('button[data-action="checkApp"]').isDisabled(), true);
      assert.equal(await page.locator('button[data-action="audit"]').isDisabled(), true);
      assert.equal(await page.locator('button[data-action="export"]').isDisabled(), false);
    } finally { await page.close(); }
  });

  for (const theme of ['light', 'dark', 'high-contrast'] as const) {
    it(`screenshot in the ${theme} theme (test-output/webview/checklist-${theme}.png)`, async () => {
      const page = await openPage(model, context, theme);
      try {
        await page.locator('.item-head[data-item="parameterized-queries"]').click();
        await page.locator('.item-head[data-item="hosting-env"]').click();
        await page.locator('.item-head[data-item="no-hardcoded-secrets"]').focus();
        const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
        assert.equal(bg, { light: 'rgb(255, 255, 255)', dark: 'rgb(30, 30, 30)', 'high-contrast': 'rgb(0, 0, 0)' }[theme], 'colours come from the theme variables');
        const file = join(outDir, `checklist-${theme}.png`);
        await page.screenshot({ path: file, fullPage: true });
      } finally { await page.close(); }
    });
  }
});
