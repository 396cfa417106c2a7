/**
 * The checklist panel's HTML shell: a strict Content Security Policy (no inline script or style; the one script
 * carries the per-load nonce), the stylesheet, the codicon font and the script from the extension's files.
 * Pure, so the browser tests load the very same page the extension shows.
 */
export interface PanelHtmlOptions {
  /** webview.cspSource (or the test server's origin) */
  cspSource: string;
  /** a fresh random value per load, from crypto */
  nonce: string;
  scriptUri: string;
  styleUri: string;
  codiconUri: string;
  title: string;
}

const attr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

export function checklistHtml(o: PanelHtmlOptions): string {
  if (!/^[A-Za-z0-9+/=_-]{16,}$/.test(o.nonce)) throw new Error('the nonce must be a random value of 16+ base64 characters');
  const csp = [
    "default-src 'none'",
    `style-src ${o.cspSource}`,
    `font-src ${o.cspSource}`,
    `img-src ${o.cspSource}`,
    `script-src 'nonce-${o.nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${attr(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="${attr(o.codiconUri)}">
<link rel="stylesheet" href="${attr(o.styleUri)}">
<title>${attr(o.title)}</title>
</head>
<body>
<main id="app" aria-busy="true"><p class="loading">Loading the checklist…</p></main>
<script nonce="${o.nonce}" src="${attr(o.scriptUri)}"></script>
</body>
</html>
`;
}
