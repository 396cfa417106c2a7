import { ts } from 'ts-morph';
import { ALL_LANGUAGES, defineRule, type RuleContext } from '../../model/rule';
import { calleeName, calleeObject, unwrap } from '../../util/ast';
import { shortText } from '../../util/imports';

/** Members of a request that are whole client-controlled objects. */
const CONTAINERS = new Set(['body', 'query', 'params', 'cookies', 'signedCookies', 'headers']);
/** Receivers of a render call in Express (`res`), Koa (`ctx`, koa-views) and Fastify (`reply.view`). */
const RECEIVER = /^(res|resp|response|reply|ctx|context)$/;

/**
 * The request container (`req.body`, `req.query`, `ctx.request.body`, `ctx.query`) that `expr` is as a whole, or
 * spreads or `Object.assign`s as a whole, following local constants.
 */
function wholeContainer(ctx: RuleContext, expr: ts.Expression, depth = 0): ts.Expression | undefined {
  if (depth > 4) return undefined;
  const e = unwrap(expr);
  if (ts.isPropertyAccessExpression(e) && CONTAINERS.has(e.name.text)) {
    if (ctx.taint.requestKind(e.expression) || (e.name.text === 'query' && ctx.taint.requestKind(e.expression) === 'koa')) return e;
    return undefined;
  }
  if (ts.isObjectLiteralExpression(e)) {
    for (const p of e.properties) if (ts.isSpreadAssignment(p)) { const c = wholeContainer(ctx, p.expression, depth + 1); if (c) return c; }
    return undefined;
  }
  if (ts.isCallExpression(e) && calleeName(e) === 'assign' && calleeObject(e) && unwrap(calleeObject(e)!).getText(ctx.sourceFile) === 'Object') {
    for (const a of e.arguments) { const c = wholeContainer(ctx, a, depth + 1); if (c) return c; }
    return undefined;
  }
  if (ts.isIdentifier(e)) {
    const b = ctx.taint.scopes.resolve(e);
    if (b && ts.isVariableDeclaration(b) && b.initializer && ts.isIdentifier(b.name) && (b.parent.flags & ts.NodeFlags.Const)) return wholeContainer(ctx, b.initializer, depth + 1);
  }
  return undefined;
}

export default defineRule({
  meta: {
    id: 'render-options-from-request',
    title: 'Request object passed whole to a template render',
    category: 'injection',
    severity: 'error',
    confidence: 'high',
    cwe: [94, 915],
    owasp: 'A03:2021 Injection',
    description: 'Finds `res.render(view, req.body)`, `res.render(view, req.query)` and the same with the object spread or `Object.assign`ed (`{ ...req.query }`), in Express, Koa (`ctx.render`) and Fastify (`reply.view`). The view engine reads its own options from that object, so the client sets them.',
    notReported: 'Picked fields (`res.render(view, { q: req.query.q })`), which only fill template variables that the engine escapes, and render calls on objects that are not a response.',
    why: 'Express hands the locals object to the view engine, and engines read their options from it: with EJS a client can set `settings[view options]` and, in many versions, make the compiled template run their code on the server; with hbs `?layout=../../.env` picks a file to render; Pug and others read `filename`, `basedir` or `cache`. Passing the whole request object lets a query string reach all of that.',
    fix: 'Pass only the fields the view needs, by name: `res.render(\'search\', { q: String(req.query.q ?? \'\') })`. Keep EJS and hbs up to date as well.',
    bad: `// file: routes/search.js
router.get('/search', (req, res) => {
  res.render('search', req.query);
});`,
    good: `// file: routes/search.js
router.get('/search', (req, res) => {
  res.render('search', { q: String(req.query.q ?? '') });
});`,
    fixSafety: 'none',
    languages: ALL_LANGUAGES,
    defaultEnabled: true,
    tags: ['injection', 'templates', 'express'],
  },
  create(ctx) {
    const check = (call: ts.CallExpression | ts.NewExpression) => {
      if (!ts.isCallExpression(call) || call.arguments.length < 2) return;
      const recv = calleeObject(call);
      if (!recv) return;
      const r = unwrap(recv);
      const recvName = ts.isIdentifier(r) ? r.text : ts.isPropertyAccessExpression(r) ? r.name.text : '';
      if (!RECEIVER.test(recvName)) return;
      const locals = call.arguments[1];
      const container = wholeContainer(ctx, locals);
      if (!container) return;
      ctx.report({
        node: locals,
        message: `\`${shortText(ctx, call.expression)}\` gets \`${shortText(ctx, container)}\` as a whole: the view engine reads its options from this object, so the client can set them (with EJS this has led to code running on the server; with hbs, \`layout\` picks which file to render). Pass only the fields the view needs: \`{ q: String(${shortText(ctx, container)}.q ?? '') }\`.`,
        related: [{ node: container, message: 'The whole request object comes from here.' }],
      });
    };
    return { calls: { render: check, view: check } };
  },
});
