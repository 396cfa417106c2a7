import { ts } from 'ts-morph';
import { ALL_LANGUAGES, defineRule, sameVisitor, type RuleContext } from '../../model/rule';
import { calleeName, calleeObject, getPropertyValue, literalText, memberChain, unwrap } from '../../util/ast';
import { returnExpressions } from '../../taint/taint';
import {
  flatten, isExistingDomHtml, isImportedStatic, isTranslation, judgeParts, resolveValue, truncate,
} from '../../util/web';

/** the property the rule's property visitors act on: they return at once on any other */
const HTML_PROPERTY = ['dangerouslySetInnerHTML'];

/** The `__html` expression of a `dangerouslySetInnerHTML` value: `{ __html: x }`, a local object, or `createMarkup()`. */
function htmlOf(ctx: RuleContext, value: ts.Expression, depth = 0): ts.Expression | undefined {
  if (depth > 3) return undefined;
  const e = resolveValue(ctx, value);
  if (ts.isObjectLiteralExpression(e)) return getPropertyValue(e, '__html');
  if (ts.isConditionalExpression(e)) return htmlOf(ctx, e.whenTrue, depth + 1) ?? htmlOf(ctx, e.whenFalse, depth + 1);
  if (ts.isCallExpression(e) && ts.isIdentifier(unwrap(e.expression))) {
    const b = ctx.taint.scopes.resolve(unwrap(e.expression) as ts.Identifier);
    let fn: ts.FunctionLikeDeclaration | undefined;
    if (b && ts.isFunctionDeclaration(b)) fn = b;
    else if (b && ts.isVariableDeclaration(b) && b.initializer && (ts.isArrowFunction(b.initializer) || ts.isFunctionExpression(b.initializer))) fn = b.initializer;
    if (fn) for (const r of returnExpressions(fn)) {
      const h = htmlOf(ctx, r, depth + 1);
      if (!h) continue;
      // createMarkup(html) { return { __html: html } }: judge the caller's argument
      const hu = unwrap(h);
      const pb = ts.isIdentifier(hu) ? ctx.taint.scopes.resolve(hu) : undefined;
      if (pb && ts.isParameter(pb) && pb.parent === fn) return e.arguments[fn.parameters.indexOf(pb)] ?? h;
      return h;
    }
  }
  return undefined;
}

/** The tag name and `type` attribute of the element a JSX attribute / createElement props object belongs to. */
function elementOf(node: ts.Node): { tag?: string; type?: string } {
  if (ts.isJsxAttribute(node)) {
    const el = node.parent.parent;
    if (ts.isJsxOpeningElement(el) || ts.isJsxSelfClosingElement(el)) {
      let type: string | undefined;
      for (const a of el.attributes.properties) {
        if (ts.isJsxAttribute(a) && a.name.getText() === 'type' && a.initializer) {
          type = ts.isStringLiteral(a.initializer) ? a.initializer.text :
            ts.isJsxExpression(a.initializer) && a.initializer.expression ? literalText(a.initializer.expression) : undefined;
        }
      }
      return { tag: el.tagName.getText(), type };
    }
    return {};
  }
  // React.createElement('script', { type: …, dangerouslySetInnerHTML: … }) / jsx('style', { … })
  const obj = node.parent;
  if (obj && ts.isObjectLiteralExpression(obj) && obj.parent && ts.isCallExpression(obj.parent)) {
    const call = obj.parent;
    const tag = call.arguments[0] ? literalText(call.arguments[0]) : undefined;
    const typeExpr = getPropertyValue(obj, 'type');
    return { tag, type: typeExpr ? literalText(typeExpr) : undefined };
  }
  return {};
}

/** `JSON.stringify(x)`, possibly with `<` escaped afterwards (`.replace(/</g, '\\u003c')`). */
function jsonShape(ctx: RuleContext, html: ts.Expression): { json: ts.Expression; escaped: boolean } | undefined {
  let e = resolveValue(ctx, html);
  let escaped = false;
  while (ts.isCallExpression(e) && (calleeName(e) === 'replace' || calleeName(e) === 'replaceAll') && calleeObject(e)) {
    if (/<|\\u003c|x3c/i.test(e.arguments[0]?.getText() ?? '')) escaped = true;
    e = resolveValue(ctx, calleeObject(e)!);
  }
  if (ts.isCallExpression(e)) {
    const chain = memberChain(e.expression)?.join('.');
    if (chain === 'JSON.stringify' && e.arguments[0]) return { json: e.arguments[0], escaped };
    // serialize-javascript, devalue, jsesc, superjson: made to embed data in a script tag
    if (/^(serialize|uneval|jsesc|htmlEscapeJsonString|safeJsonStringify|serializeJSON|stringifyForScript)$/.test(calleeName(e) ?? '')) return { json: e.arguments[0] ?? e, escaped: true };
  }
  return undefined;
}

import { tryFixes } from '../../fixes/edits';
import { reactHtmlFixes } from '../../fixes/xss';

export default defineRule({
  meta: {
    id: 'react-dangerous-html',
    title: 'Unsanitized HTML in dangerouslySetInnerHTML',
    category: 'xss',
    severity: 'error',
    confidence: 'medium',
    cwe: [79],
    owasp: 'A03:2021 Injection',
    description: 'Finds `dangerouslySetInnerHTML={{ __html: … }}` (and the same prop given to `React.createElement`), and `<iframe srcDoc>` without a script-blocking sandbox, whose HTML is not a constant and is not passed through a sanitizer such as `DOMPurify.sanitize`. Confidence is high when URL query data reaches it.',
    notReported: 'Constants, translations, imported static HTML, HTML sanitized before the sink (including when it enters React state through `DOMPurify.sanitize`), output of syntax highlighters and other escaping renderers, and JSON-LD escaped with `replace(/</g, \'\\u003c\')`.',
    why: 'React normally escapes everything it renders; `dangerouslySetInnerHTML` turns that off. If the HTML comes from users, an API or the URL, a `<script>` or `<img onerror>` inside it runs in your visitors\' browsers and can take over their sessions.',
    fix: 'Render text as normal JSX children (`{text}`), which React escapes. If you really need HTML (rich text, rendered markdown), clean it first: `dangerouslySetInnerHTML={{ __html: DOMPurify.sanitize(html) }}` (isomorphic-dompurify works on the server).',
    bad: `export function Comment({ comment }) {
  return <div className="comment" dangerouslySetInnerHTML={{ __html: comment.body }} />;
}`,
    good: `import DOMPurify from 'isomorphic-dompurify';

export function Comment({ comment }) {
  return <div className="comment" dangerouslySetInnerHTML={{ __html: DOMPurify.sanitize(comment.body) }} />;
}`,
    fixSafety: 'suggestion',
    languages: ALL_LANGUAGES,
    defaultEnabled: true,
    tags: ['xss', 'react', 'injection'],
  },
  create(ctx) {
    const check = (value: ts.Expression | undefined, owner: ts.Node, at: ts.Node, direct = false) => {
      if (!value) return;
      const html = direct ? value : htmlOf(ctx, value);
      if (!html) return;
      const { tag, type } = elementOf(owner);
      const sinkName = direct ? '`<iframe srcDoc>`' : '`dangerouslySetInnerHTML`';
      // next/script's `<Script>` writes its inline code into a script tag
      const scriptOrStyle = tag === 'script' || tag === 'style' || (tag === 'Script' && ctx.facts.imports.get('Script')?.module === 'next/script');

      const json = jsonShape(ctx, html);
      if (json) {
        if (json.escaped) return;
        const t = ctx.taint.taintOf(json.json);
        if (!t && ctx.taint.isSafeValue(json.json, 'html', 0)) return;
        const ld = type === 'application/ld+json';
        ctx.report({
          node: at,
          confidence: t ? 'medium' : 'low',
          message: `${ld ? 'JSON-LD' : 'JSON'} from \`${truncate(json.json.getText(ctx.sourceFile), 40)}\` is written into ${tag === 'script' ? 'a script tag' : 'the page'} with \`JSON.stringify\`, which does not escape \`</script>\`: a string containing it ends the tag and runs attacker HTML. Escape \`<\` (\`JSON.stringify(data).replace(/</g, '\\\\u003c')\`).`,
          related: t ? [{ node: t.source, message: `Request data enters here (${t.label}).` }] : undefined,
          fixes: tryFixes(() => reactHtmlFixes(ctx, at, html, json.json)),
        });
        return;
      }

      const parts = flatten(ctx, html);
      const j = judgeParts(ctx, parts, 'html', { numericOk: true });
      if (j.kind === 'safe' || !j.part) return;
      const code = truncate(j.part.getText(ctx.sourceFile), 40);
      if (j.kind === 'tainted' && j.trace) {
        ctx.report({
          node: at,
          confidence: 'high',
          message: `${sinkName} renders \`${j.trace.label}\` from the URL as HTML: a crafted link can run script in your visitors' browsers. Render it as text (\`{value}\`) or clean it with \`DOMPurify.sanitize()\`.`,
          related: [{ node: j.trace.source, message: `Request data enters here (${j.trace.label}).` }],
          fixes: direct ? undefined : tryFixes(() => reactHtmlFixes(ctx, at, html)),
        });
        return;
      }
      if (isImportedStatic(ctx, j.part) || isTranslation(ctx, j.part) || isExistingDomHtml(ctx, j.part)) return;
      // an Electron app's update release notes (electron-updater's `UpdateInfo.releaseNotes`) are HTML its publisher
      // wrote, from its own update feed: a feed that could change them could ship code in the update itself
      const publisherHtml = /\.releaseNotes\b/.test(j.part.getText(ctx.sourceFile)) && [...ctx.facts.modules].some((m) => /electron/.test(m));
      ctx.report({
        node: at,
        confidence: scriptOrStyle || publisherHtml ? 'low' : 'medium',
        message: `${sinkName} renders \`${code}\` without sanitizing it; if it can contain user-supplied text, script inside it runs in your visitors' browsers. Clean it with \`DOMPurify.sanitize()\` or render plain text as \`{value}\`.`,
        fixes: direct ? undefined : tryFixes(() => reactHtmlFixes(ctx, at, html)),
      });
    };

    return {
      JsxAttribute(attr) {
        // <iframe srcDoc={html}>: the frame runs scripts in the HTML unless it is sandboxed without allow-scripts
        if (attr.name.getText() === 'srcDoc' && attr.initializer && ts.isJsxExpression(attr.initializer) && attr.initializer.expression) {
          const el = attr.parent.parent;
          const sandbox = (ts.isJsxOpeningElement(el) || ts.isJsxSelfClosingElement(el)) &&
            el.attributes.properties.find((a) => ts.isJsxAttribute(a) && a.name.getText() === 'sandbox');
          if (sandbox && !/allow-scripts/.test(sandbox.getText())) return;
          check(attr.initializer.expression, attr, attr, true);
          return;
        }
        if (attr.name.getText() !== 'dangerouslySetInnerHTML') return;
        const init = attr.initializer;
        if (!init || !ts.isJsxExpression(init) || !init.expression) return;
        check(init.expression, attr, attr);
      },
      PropertyAssignment: sameVisitor(HTML_PROPERTY, (p) => {
        if (!p.name || (ts.isIdentifier(p.name) ? p.name.text : ts.isStringLiteral(p.name) ? p.name.text : '') !== 'dangerouslySetInnerHTML') return;
        check(p.initializer, p, p);
      }),
      ShorthandPropertyAssignment: sameVisitor(HTML_PROPERTY, (p) => {
        if (p.name.text !== 'dangerouslySetInnerHTML') return;
        check(p.name, p, p);
      }),
    };
  },
});
