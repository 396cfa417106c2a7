import { ts } from 'ts-morph';
import { ALL_LANGUAGES, defineRule, sameVisitor, type RuleContext } from '../../model/rule';
import {
  calleeName, calleeObject, enclosingFunction, getPropertyValue, isFunctionLike, literalText, propertyNameText,
  rootIdentifier, unwrap,
} from '../../util/ast';
import { flatten, HTML_TAG, isHeaderOrCookieSource, judgeParts, resolveValue, staticText, truncate, type Part } from '../../util/web';

/** the callees the rule's call and `new` visitors act on: they return at once on any other */
const RESPONSE_CALLS = ['html', 'send', 'write', 'end'];
/** Route methods that no link or cross-site form can send. */
const SCRIPT_ONLY_METHODS = new Set(['put', 'patch', 'delete']);
const RESPONSE_CLASSES = ['Response', 'NextResponse'];
/** the operators of the assignments the rule's visitor of binary expressions acts on: it returns at once on any other */
const OPERATORS = ['='];

type ContentType = 'html' | 'other' | undefined;

function contentTypeOf(text: string | undefined): ContentType {
  if (text === undefined) return undefined;
  return /html/i.test(text) ? 'html' : 'other';
}

/** Names a response object goes by in Express/Fastify/node:http handlers. */
const RESPONSE_NAMES = /^(res|response|resp|reply|rep|rs|out)$/;

/** The response parameter at the root of `res.status(200).send(…)`, if it is one. */
function responseRoot(ctx: RuleContext, call: ts.CallExpression): ts.Identifier | undefined {
  const recv = calleeObject(call);
  if (!recv) return undefined;
  const root = rootIdentifier(recv);
  if (!root) return undefined;
  const b = ctx.taint.scopes.resolve(root);
  if (!b || !ts.isParameter(b) || !ts.isIdentifier(b.name)) return undefined;
  const fn = b.parent;
  if (!isFunctionLike(fn)) return undefined;
  const idx = fn.parameters.indexOf(b);
  const first = fn.parameters[0];
  const firstIsRequest = !!first && idx > 0 && ts.isIdentifier(first.name) && ctx.taint.requestKind(first.name) === 'http';
  if (firstIsRequest) return root;
  if (RESPONSE_NAMES.test(b.name.text) && idx > 0) return root;
  return undefined;
}

/** The content type a call chain or earlier statements in the handler set on `res`/`reply`/`ctx`. */
function declaredType(ctx: RuleContext, sink: ts.Node, resName: string): ContentType {
  let result: ContentType;
  // chained: res.type('html').send(…), reply.header('content-type', 'text/html').send(…)
  let n: ts.Expression = unwrap((sink as ts.CallExpression).expression ?? (sink as ts.BinaryExpression).left);
  while (ts.isPropertyAccessExpression(n) && ts.isCallExpression(unwrap(n.expression))) {
    const c = unwrap(n.expression) as ts.CallExpression;
    const t = typeFromCall(c);
    if (t && !result) result = t;
    n = unwrap(c.expression);
  }
  if (result) return result;
  // earlier statements in the same handler
  const fn = enclosingFunction(sink);
  if (!fn) return undefined;
  const visit = (x: ts.Node) => {
    if (x.pos >= sink.pos) return;
    if (ts.isCallExpression(x)) {
      const root = rootIdentifier(x.expression);
      if (root && root.text === resName) {
        const t = typeFromCall(x);
        if (t) result = t;
      }
    } else if (ts.isBinaryExpression(x) && x.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      const left = unwrap(x.left);
      if (ts.isPropertyAccessExpression(left) && (left.name.text === 'type' || left.name.text === 'contentType') && rootIdentifier(left)?.text === resName) {
        const t = contentTypeOf(literalText(x.right));
        if (t) result = t;
      }
    }
    ts.forEachChild(x, visit);
  };
  ts.forEachChild(fn, visit);
  return result;
}

function typeFromCall(c: ts.CallExpression): ContentType {
  const name = calleeName(c);
  const a0 = c.arguments[0];
  if (!name || !a0) return undefined;
  if (name === 'type' || name === 'contentType') return contentTypeOf(literalText(a0) ?? '?');
  if (name === 'set' || name === 'setHeader' || name === 'header' || name === 'append') {
    const key = literalText(a0);
    if (key && /^content-type$/i.test(key)) return contentTypeOf(literalText(c.arguments[1]) ?? '?');
    // a download is saved, not rendered
    if (key && /^content-disposition$/i.test(key) && /attachment/i.test(c.arguments[1]?.getText() ?? '')) return 'other';
    if (ts.isObjectLiteralExpression(unwrap(a0))) return headersType(unwrap(a0) as ts.ObjectLiteralExpression);
  }
  if (name === 'writeHead') {
    for (const a of c.arguments) if (ts.isObjectLiteralExpression(unwrap(a))) return headersType(unwrap(a) as ts.ObjectLiteralExpression);
  }
  if (name === 'json' || name === 'jsonp' || name === 'sendFile' || name === 'download' || name === 'render' || name === 'attachment') return 'other';
  return undefined;
}

function headersType(obj: ts.ObjectLiteralExpression): ContentType {
  for (const p of obj.properties) {
    if (!ts.isPropertyAssignment(p)) continue;
    const k = propertyNameText(p.name);
    if (k && /^content-type$/i.test(k)) return contentTypeOf(literalText(p.initializer) ?? '?');
  }
  return undefined;
}

/** `req.body`, `req.query`, `await request.json()`: whole request objects, which Express sends as JSON. */
function isRequestContainer(ctx: RuleContext, e: ts.Expression): boolean {
  const v = resolveValue(ctx, e);
  if (ts.isPropertyAccessExpression(v) && ctx.taint.requestKind(v.expression) &&
      ['body', 'query', 'params', 'headers', 'cookies', 'signedCookies', 'files'].includes(v.name.text)) return true;
  if (ts.isCallExpression(v) && calleeObject(v) && ctx.taint.requestKind(calleeObject(v)!) && ['json', 'formData'].includes(calleeName(v) ?? '')) return true;
  return false;
}

function isObjectValue(ctx: RuleContext, e: ts.Expression): boolean {
  const v = resolveValue(ctx, e);
  return ts.isObjectLiteralExpression(v) || ts.isArrayLiteralExpression(v) || isRequestContainer(ctx, e) ||
    (ts.isCallExpression(v) && /^(Buffer\.from|fs\.readFileSync|readFileSync|createReadStream)$/.test(v.expression.getText()));
}

export default defineRule({
  meta: {
    id: 'reflected-xss',
    title: 'Request data sent back as HTML',
    category: 'xss',
    severity: 'error',
    confidence: 'high',
    cwe: [79],
    owasp: 'A03:2021 Injection',
    description: 'Finds server responses that put request data (query, params, body, headers) into an HTML response without escaping: Express `res.send`/`res.write`/`res.end`, Koa `ctx.body`, Fastify `reply.type(\'text/html\').send`, Hono `c.html`, and `new Response(html, { headers: { \'Content-Type\': \'text/html\' } })`.',
    notReported: 'Responses that are not HTML (JSON, plain text), values escaped before they are written, numbers, and the query or fragment of a parsed URL (the URL parser percent-encodes `<`, `>` and `"`). Answers of PUT, PATCH and DELETE routes, which no link or cross-site form can send, are low confidence.',
    why: 'A link such as `/search?q=<script>…</script>` makes your server send the attacker\'s script back inside your own page. It then runs with your site\'s cookies and permissions in the browser of whoever clicked the link.',
    fix: 'Render HTML with a template engine that escapes by default (`res.render`, JSX), or escape each value with `escape-html`/`he.encode` before putting it in HTML. Send data as JSON with `res.json()` when the client only needs data.',
    bad: `app.get('/search', (req, res) => {
  res.send(\`<h1>Results for \${req.query.q}</h1>\`);
});`,
    good: `const escapeHtml = require('escape-html');

app.get('/search', (req, res) => {
  res.send(\`<h1>Results for \${escapeHtml(req.query.q)}</h1>\`);
});`,
    fixSafety: 'none',
    languages: ALL_LANGUAGES,
    defaultEnabled: true,
    tags: ['xss', 'injection', 'express'],
  },
  create(ctx) {
    /**
     * The method of the route whose handler holds a node, when the handler is written in the route's registration
     * (`app.delete('/providers/:id', (req, res) => …)`) and the method is one no link or form sends.
     */
    const routeMethodOf = (node: ts.Node): string | undefined => {
      for (let p = node.parent; p; p = p.parent) {
        if (!isFunctionLike(p)) continue;
        const call = p.parent;
        if (!call || !ts.isCallExpression(call) || !call.arguments.includes(p as ts.Expression) || call.arguments.length < 2) return undefined;
        const name = calleeName(call);
        const path = unwrap(call.arguments[0]);
        return name && SCRIPT_ONLY_METHODS.has(name) && calleeObject(call) && (ts.isStringLiteralLike(path) || ts.isTemplateExpression(path)) ? name : undefined;
      }
      return undefined;
    };

    /**
     * @param mode 'html': the response is HTML whatever the body; 'tags': HTML only when the body has tags
     *   (sniffed or unknown content type); 'koa': HTML when the body starts with `<`.
     */
    const check = (value: ts.Expression, at: ts.Node, how: string, mode: 'html' | 'tags' | 'koa') => {
      if (isObjectValue(ctx, value)) return;
      const parts: Part[] = flatten(ctx, value);
      const text = staticText(parts);
      const hasTags = HTML_TAG.test(text.replace(/\u0000/g, ''));
      if (mode === 'tags' && !hasTags) return;
      if (mode === 'koa') {
        const lead = parts[0];
        const startsWithTag = lead && 'text' in lead && /^\s*</.test(lead.text);
        const startsWithData = lead && 'expr' in lead;
        if (!startsWithTag && !startsWithData) return;
        if (startsWithData && !startsWithTag) {
          // the body is HTML only if the data itself starts with `<`: only attacker data matters then
          const j = judgeParts(ctx, [lead], 'html');
          if (j.kind !== 'tainted') return;
        }
      }
      const j = judgeParts(ctx, parts, 'html', { numericOk: true });
      if (j.kind === 'safe' || !j.part) return;
      if (j.kind === 'tainted' && j.trace) {
        // headers, cookies and uploaded files cannot be planted through a link or a cross-site form
        const indirect = isHeaderOrCookieSource(j.trace) || /^(req\.)?(file|files)\b/.test(j.trace.label) || /\.(file|files)\b/.test(j.trace.source.getText());
        // a link or a cross-site form sends only GET and POST: the answer to a PUT, PATCH or DELETE reaches a script
        // of a page that may already call the API, which reads it as text, not a page the browser shows
        const method = routeMethodOf(at);
        const lead = `${how} puts request data (\`${j.trace.label}\`) into an HTML response unescaped`;
        ctx.report({
          node: at,
          confidence: method || indirect ? 'low' : 'high',
          message: method
            ? `${lead}. The route answers only ${method.toUpperCase()} requests, which no link or cross-site form can send, so an attacker cannot make a visitor\'s browser show this answer as a page; still, escape it (\`escape-html\`) or send it as JSON or plain text.`
            : indirect
              ? `${lead}. A link cannot set this value, but anything that can (a proxy, a script, an uploaded file) gets script into your page: escape it with \`escape-html\` or \`he.encode\`.`
              : `${lead}: a crafted link can run script in your site for whoever opens it. Escape it (\`escape-html\`, \`he.encode\`) or use \`res.json()\`/a template engine that escapes.`,
          related: [{ node: j.trace.source, message: `Request data enters here (${j.trace.label}).` }],
        });
        return;
      }
      if (!hasTags || !ctx.taint.inRequestContext(at)) return;
      ctx.report({
        node: at,
        confidence: 'low',
        message: `${how} builds HTML from \`${truncate(j.part.getText(ctx.sourceFile), 40)}\` without escaping; if it holds user-supplied text, script inside it runs in visitors' browsers. Escape values with \`escape-html\` or render with a template engine.`,
      });
    };

    return {
      CallExpression: sameVisitor(RESPONSE_CALLS, (call) => {
        const name = calleeName(call);
        if (!name) return;
        // Hono: c.html(`<p>${c.req.query('q')}</p>`)
        if (name === 'html' && call.arguments[0]) {
          const recv = calleeObject(call);
          if (recv && ctx.taint.requestKind(recv) === 'hono') check(call.arguments[0], call, '`c.html()`', 'html');
          return;
        }
        if (name !== 'send' && name !== 'write' && name !== 'end') return;
        const arg = call.arguments[0];
        if (!arg) return;
        const res = responseRoot(ctx, call);
        if (!res) return;
        const fastify = ctx.facts.modules.has('fastify') || /^(reply|rep)$/.test(res.text);
        const type = declaredType(ctx, call, res.text);
        if (type === 'other') return;
        const label = `\`${truncate(call.expression.getText(ctx.sourceFile), 30)}()\``;
        if (type === 'html') return check(arg, call, label, 'html');
        // Express sends strings as text/html; node:http and Next.js API routes leave it to sniffing; Fastify uses text/plain
        if (fastify) return;
        if (name === 'send' && !ctx.facts.nextPagesApi) return check(arg, call, label, 'html');
        return check(arg, call, label, 'tags');
      }),
      BinaryExpression: sameVisitor(OPERATORS, (node) => {
        if (node.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return;
        const left = unwrap(node.left);
        if (!ts.isPropertyAccessExpression(left) || left.name.text !== 'body') return;
        // ctx.body = … / ctx.response.body = …
        let owner = unwrap(left.expression);
        if (ts.isPropertyAccessExpression(owner) && owner.name.text === 'response') owner = unwrap(owner.expression);
        if (ctx.taint.requestKind(owner) !== 'koa' || !ts.isIdentifier(owner)) return;
        const type = declaredType(ctx, node, owner.text);
        if (type === 'other') return;
        check(node.right, node, '`ctx.body`', type === 'html' ? 'html' : 'koa');
      }),
      NewExpression: sameVisitor(RESPONSE_CLASSES, (ne) => {
        const name = calleeName(ne);
        if (name !== 'Response' && name !== 'NextResponse') return;
        const body = ne.arguments?.[0];
        const init = ne.arguments?.[1];
        if (!body || !init) return;
        const initObj = resolveValue(ctx, init);
        if (!ts.isObjectLiteralExpression(initObj)) return;
        let headers = getPropertyValue(initObj, 'headers');
        if (!headers) return;
        headers = resolveValue(ctx, headers);
        if (ts.isNewExpression(headers) && calleeName(headers) === 'Headers' && headers.arguments?.[0]) headers = resolveValue(ctx, headers.arguments[0]);
        if (!ts.isObjectLiteralExpression(headers)) return;
        if (headersType(headers) !== 'html') return;
        check(body, ne, `\`new ${name}()\` with an HTML content type`, 'html');
      }),
    };
  },
});
