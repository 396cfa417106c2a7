import { ts } from 'ts-morph';
import { ALL_LANGUAGES, defineRule, type RuleContext } from '../../model/rule';
import { calleeName, calleeObject, memberChain, propertyNameText, rootIdentifier, unwrap } from '../../util/ast';
import {
  flatten, flowText, HTML_TAG, isBrowserish, isExistingDomHtml, isImportedStatic, isParameterPassthrough, isTranslation, judgeParts, staticText,
  truncate,
} from '../../util/web';
import { tryFixes } from '../../fixes/edits';
import { domXssFixes } from '../../fixes/xss';

/** Properties that parse what is assigned to them as HTML. */
const HTML_PROPERTIES = new Set(['innerHTML', 'outerHTML', 'srcdoc']);
/** jQuery methods that parse a string argument as HTML. */
const JQUERY_HTML_METHODS = new Set(['html', 'append', 'prepend', 'after', 'before', 'replaceWith', 'wrap', 'wrapAll', 'wrapInner']);

/** `$`/`jQuery` as the browser global or imported from 'jquery' (not cheerio's `$` on the server). */
function isJQueryName(ctx: RuleContext, id: ts.Identifier): boolean {
  if (id.text !== '$' && id.text !== 'jQuery') return false;
  const mod = ctx.facts.imports.get(id.text)?.module;
  if (mod) return mod === 'jquery';
  if (ctx.facts.modules.has('cheerio')) return false;
  return !ctx.taint.scopes.resolve(id);
}

/** `$('#x')`, `jQuery(el)`, `$el` (a jQuery-wrapped element by naming convention), chained: `$('#x').find('li')`. */
function isJQueryReceiver(ctx: RuleContext, recv: ts.Expression): boolean {
  const root = rootIdentifier(recv);
  if (!root) return false;
  if (isJQueryName(ctx, root)) return true;
  return /^\$[a-zA-Z]/.test(root.text) && !ctx.facts.modules.has('cheerio');
}

export default defineRule({
  meta: {
    id: 'dom-xss',
    title: 'Untrusted HTML written into the page',
    category: 'xss',
    severity: 'error',
    confidence: 'medium',
    cwe: [79],
    owasp: 'A03:2021 Injection',
    description: 'Finds values written into the page as HTML: `innerHTML`/`outerHTML`/`srcdoc` assignments, `insertAdjacentHTML`, `document.write`, `Range.createContextualFragment`, and jQuery `.html()`/`$(html)`. Confidence is high when a URL fragment, query string or `postMessage` payload reaches the sink.',
    why: 'The browser runs any script hidden in HTML it is given. If a link, a message from another window or data from your API can shape that HTML, an attacker can run code in your users\' sessions: steal their data, act as them, or show fake login forms.',
    fix: 'Use `textContent` (or `innerText`) for plain text, build elements with `document.createElement`, or pass the HTML through `DOMPurify.sanitize()` first. Escape values you put into HTML templates.',
    bad: `const params = new URLSearchParams(location.search);
document.getElementById('greeting').innerHTML = 'Hello ' + params.get('name');`,
    good: `const params = new URLSearchParams(location.search);
document.getElementById('greeting').textContent = 'Hello ' + params.get('name');`,
    fixSafety: 'suggestion',
    languages: ALL_LANGUAGES,
    defaultEnabled: true,
    tags: ['xss', 'dom', 'injection'],
  },
  create(ctx) {
    let browserish: boolean | undefined;

    const check = (value: ts.Expression, at: ts.Node, sinkLabel: string, requireTags = false) => {
      const parts = flatten(ctx, value);
      if (requireTags && !HTML_TAG.test(staticText(parts))) {
        // `$(selector)` / `.append(node)`: only HTML strings or attacker data are a concern
        const j = judgeParts(ctx, parts, 'html');
        if (j.kind !== 'tainted') return;
      }
      const j = judgeParts(ctx, parts, 'html', { numericOk: true });
      if (j.kind === 'safe' || !j.part) return;
      const code = truncate(j.part.getText(ctx.sourceFile), 40);
      if (j.kind === 'tainted' && j.trace) {
        ctx.report({
          node: at,
          confidence: 'high',
          message: `${sinkLabel} receives \`${j.trace.label}\`, which anyone can set through a crafted link or message, so it can inject script into the page. Use \`textContent\` for text, or clean the HTML with \`DOMPurify.sanitize()\`.`,
          related: [{ node: j.trace.source, message: `Attacker-controlled data enters here (${j.trace.label}).` }],
          fixes: tryFixes(() => domXssFixes(ctx, at, value, HTML_TAG.test(staticText(parts)))),
        });
        return;
      }
      // dynamic value of unknown origin
      if (isImportedStatic(ctx, j.part) || isTranslation(ctx, j.part) || isExistingDomHtml(ctx, j.part)) return;
      // `node.innerHTML = props.dangerouslySetInnerHTML.__html`: a UI framework carrying out React's contract;
      // the app-side `dangerouslySetInnerHTML` is what react-dangerous-html checks
      if (/\.__html\b/.test(j.part.getText(ctx.sourceFile))) return;
      // `await (await fetch('/icons/logo.svg')).text()`: a static file shipped with the site
      if (fetchesStaticFile(flowText(ctx, j.part))) return;
      browserish ??= isBrowserish(ctx);
      const passthrough = parts.length === 1 && isParameterPassthrough(ctx, j.part);
      ctx.report({
        node: at,
        confidence: browserish && !passthrough ? 'medium' : 'low',
        message: `${sinkLabel} receives \`${code}\`; if that value ever holds user-supplied text (API data, names, comments), any script inside it runs in the page. Use \`textContent\` for text, or clean the HTML with \`DOMPurify.sanitize()\`.`,
        fixes: tryFixes(() => domXssFixes(ctx, at, value, HTML_TAG.test(staticText(parts)))),
      });
    };

    return {
      BinaryExpression(node) {
        const op = node.operatorToken.kind;
        if (op !== ts.SyntaxKind.EqualsToken && op !== ts.SyntaxKind.PlusEqualsToken) return;
        const left = unwrap(node.left);
        let prop: string | undefined;
        if (ts.isPropertyAccessExpression(left)) prop = left.name.text;
        else if (ts.isElementAccessExpression(left)) prop = propertyNameText(left.argumentExpression as ts.PropertyName);
        if (!prop || !HTML_PROPERTIES.has(prop)) return;
        check(node.right, node, `\`${prop}\``);
      },
      CallExpression(call) {
        const name = calleeName(call);
        if (!name) return;
        const recv = calleeObject(call);
        if (name === 'insertAdjacentHTML' && recv && call.arguments[1]) {
          check(call.arguments[1], call, '`insertAdjacentHTML`');
          return;
        }
        if ((name === 'write' || name === 'writeln') && recv) {
          const chain = memberChain(call.expression);
          if (!chain || chain[chain.length - 2] !== 'document' || !call.arguments.length) return;
          for (const a of call.arguments) check(a, call, `\`document.${name}\``);
          return;
        }
        if (name === 'createContextualFragment' && recv && call.arguments[0]) {
          check(call.arguments[0], call, '`createContextualFragment`');
          return;
        }
        if (JQUERY_HTML_METHODS.has(name) && recv && call.arguments.length === 1 && isJQueryReceiver(ctx, recv)) {
          const arg = unwrap(call.arguments[0]);
          if (ts.isFunctionLike(arg)) return;
          check(call.arguments[0], call, `jQuery \`.${name}()\``, name !== 'html');
          return;
        }
        // $('<div>' + x + '</div>') / $(location.hash)
        const callee = unwrap(call.expression);
        if (ts.isIdentifier(callee) && call.arguments.length >= 1 && isJQueryName(ctx, callee)) {
          const arg = unwrap(call.arguments[0]);
          if (ts.isStringLiteralLike(arg) || ts.isFunctionLike(arg)) return;
          check(call.arguments[0], call, `\`${callee.text}()\``, true);
        }
      },
    };
  },
});

/** `fetch('/icons/logo.svg?v=2')`: the URL literal, then its file extension (one regex for both is quadratic). */
function fetchesStaticFile(text: string): boolean {
  const re = /\bfetch\(\s*['"`]([^'"`$]*)['"`]/g;
  for (let m = re.exec(text); m; m = re.exec(text)) if (/\.(svg|html?|md|txt)(?=\?|$)/.test(m[1])) return true;
  return false;
}
