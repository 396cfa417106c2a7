/**
 * The checklist webview in real headless Chromium (Debian's `chromium`, driven with playwright-core): the page is
 * the extension's own HTML shell (src/webview/html.ts, same CSP with a crypto nonce) served from 127.0.0.1 with
 * the built bundle, stylesheet and codicon font. `acquireVsCodeApi` is what a webview host provides; here it
 * records posted messages and keeps setState's value in localStorage so a reload restores it, as a hidden and
 * shown webview does. Themes are applied the way VS Code does it: CSS variables on <html> and a body class.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import { checklistHtml } from '../../src/webview/html';

export const CHROMIUM = process.env.SHIPSAFE_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

const TYPES: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css', '.ttf': 'font/ttf', '.map': 'application/json' };

export interface WebviewServer { url: string; server: Server; nonces: string[] }

export function serveWebview(buildDir: string): Promise<WebviewServer> {
  const nonces: string[] = [];
  return new Promise((resolve) => {
    let origin = '';
    const server = createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0];
      if (path === '/') {
        const nonce = randomBytes(18).toString('base64');
        nonces.push(nonce);
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(checklistHtml({ cspSource: origin, nonce, scriptUri: `${origin}/checklist.js`, styleUri: `${origin}/checklist.css`, codiconUri: `${origin}/codicon.css`, title: 'Pre-Deploy Checklist' }));
        return;
      }
      const name = path.slice(1);
      if (!/^[\w.-]+$/.test(name)) { res.writeHead(404); res.end(); return; }
      try {
        const body = readFileSync(join(buildDir, name));
        res.writeHead(200, { 'content-type': TYPES[name.slice(name.lastIndexOf('.'))] ?? 'application/octet-stream' });
        res.end(body);
      } catch { res.writeHead(404); res.end(); }
    });
    server.listen(0, '127.0.0.1', () => {
      origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      resolve({ url: `${origin}/`, server, nonces });
    });
  });
}

export function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/** The host side of the webview API, installed before the page's own script runs. */
export async function installHost(page: Page): Promise<void> {
  // a string, not a function: tsx's transform would add helper calls the page does not have
  await page.addInitScript(`
    window.__posted = [];
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => { window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI); });
    window.acquireVsCodeApi = () => ({
      postMessage: (m) => { window.__posted.push(m); },
      getState: () => { const s = localStorage.getItem('webview-state'); return s ? JSON.parse(s) : undefined; },
      setState: (s) => { localStorage.setItem('webview-state', JSON.stringify(s)); },
    });
  `);
}

export type Theme = 'light' | 'dark' | 'high-contrast';

/** A subset of VS Code's default Light+/Dark+/High Contrast colours, as VS Code sets them on a webview. */
const THEMES: Record<Theme, Record<string, string>> = {
  light: {
    foreground: '#616161', 'editor-background': '#ffffff', descriptionForeground: '#717171', errorForeground: '#a1260d',
    'button-background': '#007acc', 'button-foreground': '#ffffff', 'button-hoverBackground': '#0062a3',
    'button-secondaryBackground': '#e5e5e5', 'button-secondaryForeground': '#3b3b3b', 'button-secondaryHoverBackground': '#cccccc',
    focusBorder: '#0090f1', 'list-hoverBackground': '#e8e8e8', 'list-inactiveSelectionBackground': '#e4e6f1',
    'badge-background': '#c4c4c4', 'badge-foreground': '#333333', 'textLink-foreground': '#006ab1', 'textLink-activeForeground': '#006ab1',
    'input-background': '#ffffff', 'input-foreground': '#616161', 'input-border': '#cecece', 'input-placeholderForeground': '#767676',
    'panel-border': '#e5e5e5', 'widget-border': '#d4d4d4', 'testing-iconPassed': '#388a34', 'editorWarning-foreground': '#bf8803',
    disabledForeground: '#61616180', 'inputValidation-errorBackground': '#f2dede', 'inputValidation-errorBorder': '#be1100',
  },
  dark: {
    foreground: '#cccccc', 'editor-background': '#1e1e1e', descriptionForeground: '#ccccccb3', errorForeground: '#f48771',
    'button-background': '#0e639c', 'button-foreground': '#ffffff', 'button-hoverBackground': '#1177bb',
    'button-secondaryBackground': '#3a3d41', 'button-secondaryForeground': '#ffffff', 'button-secondaryHoverBackground': '#45494e',
    focusBorder: '#007fd4', 'list-hoverBackground': '#2a2d2e', 'list-inactiveSelectionBackground': '#37373d',
    'badge-background': '#4d4d4d', 'badge-foreground': '#ffffff', 'textLink-foreground': '#3794ff', 'textLink-activeForeground': '#3794ff',
    'input-background': '#3c3c3c', 'input-foreground': '#cccccc', 'input-border': '#3c3c3c', 'input-placeholderForeground': '#a6a6a6',
    'panel-border': '#80808059', 'widget-border': '#303031', 'testing-iconPassed': '#73c991', 'editorWarning-foreground': '#cca700',
    disabledForeground: '#cccccc80', 'inputValidation-errorBackground': '#5a1d1d', 'inputValidation-errorBorder': '#be1100',
  },
  'high-contrast': {
    foreground: '#ffffff', 'editor-background': '#000000', descriptionForeground: '#ffffffb3', errorForeground: '#f48771',
    'button-background': '#000000', 'button-foreground': '#ffffff', 'button-border': '#6fc3df', 'button-hoverBackground': '#000000',
    'button-secondaryBackground': '#000000', 'button-secondaryForeground': '#ffffff', 'button-secondaryHoverBackground': '#000000',
    focusBorder: '#f38518', 'list-hoverBackground': '#000000', 'list-inactiveSelectionBackground': '#000000',
    'badge-background': '#000000', 'badge-foreground': '#ffffff', 'textLink-foreground': '#21a6ff', 'textLink-activeForeground': '#21a6ff',
    'input-background': '#000000', 'input-foreground': '#ffffff', 'input-border': '#6fc3df', 'input-placeholderForeground': '#ffffffb3',
    'panel-border': '#6fc3df', 'widget-border': '#6fc3df', 'testing-iconPassed': '#73c991', 'editorWarning-foreground': '#ffd370',
    disabledForeground: '#a5a5a5', 'inputValidation-errorBackground': '#000000', 'inputValidation-errorBorder': '#f38518',
  },
};

export async function applyTheme(page: Page, theme: Theme): Promise<void> {
  await page.evaluate(({ vars, theme }) => {
    const root = document.documentElement;
    for (const [k, v] of Object.entries(vars)) root.style.setProperty(`--vscode-${k}`, v);
    root.style.setProperty('--vscode-font-family', 'system-ui, "Ubuntu", "Droid Sans", sans-serif');
    root.style.setProperty('--vscode-font-size', '13px');
    root.style.setProperty('--vscode-editor-font-family', '"Droid Sans Mono", monospace');
    document.body.classList.remove('vscode-light', 'vscode-dark', 'vscode-high-contrast');
    document.body.classList.add(`vscode-${theme}`);
  }, { vars: THEMES[theme], theme });
}

export function posted(page: Page): Promise<{ type: string; [k: string]: unknown }[]> {
  return page.evaluate(() => (window as unknown as { __posted: { type: string }[] }).__posted);
}

export function clearPosted(page: Page): Promise<void> {
  return page.evaluate(() => { (window as unknown as { __posted: unknown[] }).__posted = []; });
}

export function cspViolations(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations);
}
