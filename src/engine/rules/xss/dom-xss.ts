import { ts } from 'ts-morph';
import { ALL_LANGUAGES, defineRule, sameVisitor, type RuleContext } from '../../model/rule';
import { calleeName, calleeObject, memberChain, propertyNameText, rootIdentifier, unwrap } from '../../util/ast';
import { remoteOrigin, type RemoteOrigin } from '../../util/remote';
import {
  dynamicParts, flatten, flowText, HTML_TAG, isExistingDomHtml, isImportedStatic, isTranslation, markdownInput, judgeParts, staticText, type Part,
  truncate,
} from '../../util/web';
import { tryFixes } from '../../fixes/edits';
import { domXssFixes } from '../../fixes/xss';

/** the operators of the assignments (`=`, `+=`) the rule's visitor of binary expressions acts on: it returns at once on any other */
const OPERATORS = ['=', '+='];
/** Properties that parse what is assigned to them as HTML. */
const HTML_PROPERTIES = new Set(['innerHTML', 'outerHTML', 'srcdoc']);
/** jQuery methods that parse a string argument as HTML. */
const JQUERY_HTML_METHODS = new Set(['html', 'append', 'prepend', 'after', 'before', 'replaceWith', 'wrap', 'wrapAll', 'wrapInner']);

/** the callees the rule's call visitor acts on (the jQuery function by its name): it returns at once on any other */
const HTML_CALLS = ['insertAdjacentHTML', 'write', 'writeln', 'createContextualFragment', ...JQUERY_HTML_METHODS, '$', 'jQuery'];
/** `$`/`jQuery` as the browser global or imported from 'jquery' (not cheerio's `$` on the server). */
function isJQueryName(ctx: RuleContext, id: ts.Identifier): boolean {
  if (id.text !== '$' && id.text !== 'jQuery') return false;
  const mod = ctx.facts.imports.get(id.text)?.module;
  if (mod) return mod === 'jquery';
  if (ctx.facts.modules.has('cheerio')) return false;
  return !ctx.taint.scopes.resolve(id);
}

/**
 * `$(x)` reads a string as HTML only when it starts with `<` (jQuery 1.9 and later): a static prefix that does not
 * (`'#' + id`, `'.item-' + slug`), or the URL fragment itself (always `#…`), makes it a selector.
 */
function startsAsSelector(parts: Part[]): boolean {
  const first = parts.find((p) => !('text' in p) || p.text.trim() !== '');
  if (!first) return true;
  if ('text' in first) return !first.text.trimStart().startsWith('<');
  const u = unwrap(first.expr);
  return ts.isPropertyAccessExpression(u) && u.name.text === 'hash' && /(^|\.)location$/.test(u.expression.getText());
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
    notReported: 'HTML with no outside input: constants, translations, numbers, markup read from the page itself, output of escaping template engines (Handlebars, Mustache, Benchpress/`templates.parse`, nunjucks, unless the template uses raw output like `{{{x}}}`), `$(selector)` strings that do not start with `<` (jQuery 1.9+ treats them as selectors), and static files fetched from the site. A caller\'s argument, an outside value given as the whole HTML (`$el.html(data.bio)`) and answers of the app\'s own socket calls are low confidence: the default needs markup built around data from the network, storage or another user\'s message, or markdown rendered to HTML.',
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

    const check = (value: ts.Expression, at: ts.Node, sinkLabel: string, requireTags = false, selectorCall = false) => {
      const parts = flatten(ctx, value);
      if (requireTags && !HTML_TAG.test(staticText(parts))) {
        // `$(selector)` / `.append(node)`: only HTML strings or attacker data are a concern
        const j = judgeParts(ctx, parts, 'html');
        if (j.kind !== 'tainted') return;
        // since jQuery 1.9, `$(string)` parses HTML only when the string starts with `<`: `$('#' + x)` and
        // `$(location.hash)` (which starts with `#`) are selectors, never HTML
        if (selectorCall && startsAsSelector(parts)) return;
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
      // Warn by default only when markup is built around data that comes from outside the page's code (an API
      // answer, a socket message, browser storage): the developer treats that data as text, yet the browser parses
      // it as HTML. HTML from constants, computed values, the page's own DOM or a caller's argument stays at low
      // confidence (a sink needs a source), and so does an outside value given as the whole HTML
      // (`$el.html(data.bio)`): servers often send such values escaped or as rendered fragments.
      const fixes = tryFixes(() => domXssFixes(ctx, at, value, HTML_TAG.test(staticText(parts))));
      const single = parts.length === 1 && 'expr' in parts[0] ? unwrap(parts[0].expr) : undefined;
      const builtMarkup = HTML_TAG.test(staticText(parts)) || (!!single && ts.isCallExpression(single) && !calleeObject(single));
      const remote = builtMarkup ? remoteParts(parts) : undefined;
      // markdown renderers keep raw HTML: markdown text is content (posts, notes, comments), not code
      const md = dynamicParts(parts).find((p) => markdownInput(ctx, p));
      if (!remote && md) {
        ctx.report({
          node: at,
          confidence: 'medium',
          message: `${sinkLabel} receives markdown rendered to HTML (\`${truncate(md.getText(ctx.sourceFile), 40)}\`); markdown renderers keep any raw HTML in the text, so script in the markdown runs in the page. Clean the result with \`DOMPurify.sanitize()\`.`,
          fixes,
        });
        return;
      }
      if (remote) {
        const shown = truncate(remote.part.getText(ctx.sourceFile), 40);
        ctx.report({
          node: at,
          confidence: 'medium',
          message: `${sinkLabel} receives \`${shown}\`, which comes from ${remote.origin.label}; if that data holds user-supplied text (names, comments, titles), any script inside it runs in the page. Use \`textContent\` for text, or clean the HTML with \`DOMPurify.sanitize()\`.`,
          related: [{ node: remote.origin.node, message: `The data enters here (${remote.origin.label}).` }],
          fixes,
        });
        return;
      }
      ctx.report({
        node: at,
        confidence: 'low',
        message: `${sinkLabel} receives \`${code}\`; if that value ever holds user-supplied text (API data, names, comments), any script inside it runs in the page. Use \`textContent\` for text, or clean the HTML with \`DOMPurify.sanitize()\`.`,
        fixes,
      });
    };

    /** The first dynamic part that is not safe for HTML and is traced to outside data. */
    const remoteParts = (parts: Part[]): { part: ts.Expression; origin: RemoteOrigin } | undefined => {
      for (const p of dynamicParts(parts)) {
        if (judgeParts(ctx, [{ expr: p }], 'html', { numericOk: true }).kind === 'safe') continue;
        const origin = remoteOrigin(ctx, p);
        if (origin) return { part: p, origin };
      }
      return undefined;
    };

    return {
      BinaryExpression: sameVisitor(OPERATORS, (node) => {
        const op = node.operatorToken.kind;
        if (op !== ts.SyntaxKind.EqualsToken && op !== ts.SyntaxKind.PlusEqualsToken) return;
        const left = unwrap(node.left);
        let prop: string | undefined;
        if (ts.isPropertyAccessExpression(left)) prop = left.name.text;
        else if (ts.isElementAccessExpression(left)) prop = propertyNameText(left.argumentExpression as ts.PropertyName);
        if (!prop || !HTML_PROPERTIES.has(prop)) return;
        check(node.right, node, `\`${prop}\``);
      }),
      CallExpression: sameVisitor(HTML_CALLS, (call) => {
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
          check(call.arguments[0], call, `\`${callee.text}()\``, true, true);
        }
      }),
    };
  },
});

/** `fetch('/icons/logo.svg?v=2')`: the URL literal, then its file extension (one regex for both is quadratic). */
function fetchesStaticFile(text: string): boolean {
  const re = /\bfetch\(\s*['"`]([^'"`$]*)['"`]/g;
  for (let m = re.exec(text); m; m = re.exec(text)) if (/\.(svg|html?|md|txt)(?=\?|$)/.test(m[1])) return true;
  return false;
}
