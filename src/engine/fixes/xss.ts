/**
 * XSS fixes.
 * - dom-xss: `el.innerHTML = text` → `el.textContent = text` (also `insertAdjacentHTML` → `insertAdjacentText`,
 *   jQuery `.html()` → `.text()`), offered when the value has no markup of its own: **suggestion** (markup in
 *   the value is shown as text). Sanitizing with `DOMPurify.sanitize(…)` when HTML is intended: **suggestion**
 *   (adds the dompurify dependency; some markup is removed).
 * - react-dangerous-html: `__html: DOMPurify.sanitize(html)` (isomorphic-dompurify where React renders on the
 *   server): **suggestion**. JSON embedded with `JSON.stringify` gets `.replace(/</g, '\\u003c')`: **safe** — the
 *   parsed data is identical (`<` only occurs inside JSON strings, where `\u003c` means the same character).
 */
import { ts } from 'ts-morph';
import type { RuleContext } from '../model/rule';
import type { Fix } from '../model/types';
import { calleeName, unwrap } from '../util/ast';
import { EditSet, ensureImport, makeFix } from './edits';

const PURIFY_NOTE = (pkg: string) => `Adds the ${pkg} package: run \`npm install ${pkg}\`.`;

/** The DOMPurify package for this file: isomorphic-dompurify where React may render on the server. */
function purifyModule(ctx: RuleContext, serverRendered: boolean): string {
  for (const m of ctx.facts.modules) if (m === 'dompurify' || m === 'isomorphic-dompurify') return m;
  return serverRendered ? 'isomorphic-dompurify' : 'dompurify';
}

function wrapSanitize(ctx: RuleContext, es: EditSet, value: ts.Expression, module: string): void {
  const local = ensureImport(es, ctx.sourceFile, ctx.facts, ctx.path, { module, defaultName: 'DOMPurify' });
  es.insert(value.getStart(ctx.sourceFile), `${local}.sanitize(`);
  es.insert(value.getEnd(), ')');
}

function inside(node: ts.Node, container: ts.Node): boolean {
  return node.pos >= container.pos && node.end <= container.end;
}

/** dom-xss: `at` is the assignment or the call, `value` the HTML written, `hasMarkup` whether its static text has tags. */
export function domXssFixes(ctx: RuleContext, at: ts.Node, value: ts.Expression, hasMarkup: boolean): Fix[] | undefined {
  const sf = ctx.sourceFile;
  if (!inside(value, at)) return undefined;
  const fixes: Fix[] = [];
  const text = (build: (es: EditSet) => boolean, title: string, note: string) => {
    if (hasMarkup) return;
    const es = new EditSet(ctx.path, ctx.text);
    if (build(es)) fixes.push(makeFix(title, 'suggestion', es, note));
  };
  if (ts.isBinaryExpression(at)) {
    const left = unwrap(at.left);
    if (ts.isPropertyAccessExpression(left) && left.name.text === 'innerHTML' && at.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      text((es) => { es.replaceNode(left.name, 'textContent', sf); return true; }, 'Write it as text (textContent)', 'Use this when the value is plain text: any markup in it is shown as text, never run.');
    }
  } else if (ts.isCallExpression(at)) {
    const name = calleeName(at);
    const callee = unwrap(at.expression);
    if (name === 'insertAdjacentHTML' && ts.isPropertyAccessExpression(callee)) {
      text((es) => { es.replaceNode(callee.name, 'insertAdjacentText', sf); return true; }, 'Insert it as text (insertAdjacentText)', 'Use this when the value is plain text: any markup in it is shown as text, never run.');
    } else if (name === 'html' && ts.isPropertyAccessExpression(callee)) {
      text((es) => { es.replaceNode(callee.name, 'text', sf); return true; }, "Set it as text (jQuery's .text())", 'Use this when the value is plain text: any markup in it is shown as text, never run.');
    }
  } else {
    return undefined;
  }
  const module = purifyModule(ctx, false);
  const es = new EditSet(ctx.path, ctx.text);
  wrapSanitize(ctx, es, value, module);
  fixes.push(makeFix('Sanitize the HTML with DOMPurify', 'suggestion', es, `${PURIFY_NOTE(module)} Scripts, event handlers and other dangerous markup are removed; the rest is kept.`));
  return fixes;
}

/** react-dangerous-html: wrap the `__html` value, or escape `<` in embedded JSON. */
export function reactHtmlFixes(ctx: RuleContext, at: ts.Node, html: ts.Expression, json?: ts.Expression): Fix[] | undefined {
  const sf = ctx.sourceFile;
  if (json) {
    const call = json.parent;
    if (!call || !ts.isCallExpression(call) || !inside(call, at)) return undefined;
    const es = new EditSet(ctx.path, ctx.text);
    es.insert(call.getEnd(), ".replace(/</g, '\\\\u003c')");
    return [makeFix('Escape < in the embedded JSON', 'safe', es, 'The data reads back the same; only a closing </script> inside it can no longer end the tag.')];
  }
  if (!inside(html, at)) return undefined;
  const serverRendered = !ctx.facts.useClient && ([...ctx.facts.modules].some((m) => m === 'next' || m.startsWith('next/') || m.startsWith('@remix-run') || m === 'react-dom/server') ||
    /(^|\/)(app|pages|src\/app|src\/pages)\//.test(ctx.path.replace(/\\/g, '/')));
  const module = purifyModule(ctx, serverRendered);
  const es = new EditSet(ctx.path, ctx.text);
  wrapSanitize(ctx, es, html, module);
  return [makeFix('Sanitize the HTML with DOMPurify', 'suggestion', es, `${PURIFY_NOTE(module)} Scripts, event handlers and other dangerous markup are removed; the rest is kept.`)];
}
