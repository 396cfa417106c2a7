import { ts } from 'ts-morph';
import { ALL_LANGUAGES, defineRule, type RuleContext, sameVisitor } from '../../model/rule';
import type { Confidence } from '../../model/types';
import { calleeName, calleeObject, enclosingFunction, getPropertyValue, isFunctionLike, literalText, memberChain, propertyNameText, rootIdentifier, unwrap } from '../../util/ast';
import { bindingPath } from '../../taint/scope';
import { errorCodeSources, resultCall } from '../../util/error-codes';
import { tryFixes } from '../../fixes/edits';
import { errorResponseFixes } from '../../fixes/errors';
import { textPrefilter } from '../../util/text-words';

/** the pre-filter's expression, asked only of a text that holds one of these words (util/text-words.ts) */
const SERVER_ACTIONS = textPrefilter(/['"]use server['"]/, ['use server']);

/**
 * Policy:
 * - a stack trace (`err.stack`, `util.inspect(err)`) in a response → high;
 * - a whole error object (`res.json(err)`, `{ error: err }`, `{ ...err }`, `JSON.stringify(err)`) → medium
 *   (database errors carry enumerable fields such as the SQL text, table, constraint and hint); low with a 4xx status;
 * - an error's message (`err.message`, `String(err)`, `${err}`) → medium with a 5xx or no status, low with a status
 *   computed from the error (`err.status || 500`), nothing with an explicit 4xx status;
 * - nothing for errors checked to be known/expected ones (`instanceof ZodError`, `err.status < 500`, `err.expose`,
 *   `isHttpError(err)`, `err.code === 'P2002'`, `err.name === 'ValidationError'`);
 * - low for anything gated on development mode (`process.env.NODE_ENV !== 'production'`, `isDev`).
 */

type Leak = 'stack' | 'object' | 'message';
const RANK: Record<Leak, number> = { message: 1, object: 2, stack: 3 };

interface Found { kind: Leak; node: ts.Node; gated: boolean }

const ERROR_NAME = /^(e|err|error|ex|exc|exception|reason|[a-z]\w*(Error|Err|Exception))$/;
const MESSAGE_PROPS = new Set(['message', 'sqlMessage', 'detail', 'details', 'sql', 'hint', 'query', 'cause', 'originalError', 'parent', 'original', 'errmsg', 'errorMessage']);
const STACK_PROPS = new Set(['stack', 'stackTrace']);
const RESPONSE_ROOT = /^(res|response|resp|reply|rep)$/;
const DEV_GATE = /NODE_ENV|\bisDev(elopment)?\b|\bisProd(uction)?\b|\bIS_DEV\b|\bdev(Mode)?\b|\bdebug\b|\bDEBUG\b|get\(\s*['"]env['"]\s*\)|\.env\s*===?\s*['"]development['"]|\bexposeErrors\b|\bshowStack\b|\bverbose\b/;
/** Checks that mark an error as an expected, client-facing one. */
function isKnownErrorCheck(cond: string): boolean {
  if (/instanceof\s+(?!Error\b|TypeError\b|Object\b)[\w.]+/.test(cond)) return true;
  if (/\.(status|statusCode)\s*(<|<=|>=|>|===?|!==?)\s*\d/.test(cond) || /\d\s*(<|>|<=|>=)\s*\w+\.(status|statusCode)/.test(cond)) return true;
  if (/\.(expose|isOperational|isBoom|isAxiosError|isJoi|isClientError|isUserError)\b/.test(cond)) return true;
  if (/\bis(Http|Client|App|User|Validation|Operational|Known|Zod|Axios|Prisma)\w*Error\s*\(/.test(cond)) return true;
  if (/\.name\s*===?\s*['"]\w+['"]/.test(cond) || /\.code\s*===?\s*['"\w]/.test(cond) || /\.kind\s*===?\s*['"]/.test(cond)) return true;
  return false;
}

/** The response calls the rule looks at. */
const RESPONSE_CALLS = ['json', 'send', 'end', 'write', 'jsonp', 'text', 'html', 'body', 'Response', 'NextResponse'];

export default defineRule({
  meta: {
    id: 'verbose-error',
    title: 'Error details sent to the client',
    category: 'errors-logging',
    severity: 'warning',
    confidence: 'medium',
    cwe: [209],
    owasp: 'A04:2021 Insecure Design',
    description: 'Finds responses that send stack traces, whole error objects or raw error messages of unexpected errors to the client: `res.status(500).json({ error: err.message, stack: err.stack })`, `res.send(err)`, `ctx.body = err.stack`, `NextResponse.json({ error: String(e) }, { status: 500 })`, Hono `c.json({ error: e.message }, 500)`, and server actions returning them. Known client errors (`instanceof ZodError`, `err.status < 500`, `err.expose`) and 4xx responses with a message are not reported; development-only output is reported at low confidence.',
    notReported: 'Messages of errors the app raised for the client (`instanceof ZodError`, `err.status < 500`, `err.expose`), 4xx responses with a message, responses whose status comes from the error itself (`res.status(err.statusCode || 500)`: low, the http-errors convention), an `error` taken from the result of a function of the project that only ever returns error codes (`return { error: \'invalid-password\' }`, or codes passed on from another such function), and development-only output (low).',
    why: 'Internal errors describe your system: stack traces show file paths and library versions, and database errors reveal table names, columns, constraints and sometimes the query itself. Attackers use these details to aim injection and other attacks, and they can leak user data that happened to be in the failing query.',
    fix: 'Log the full error on the server and send the client a generic message (and maybe a request id): `console.error(err); res.status(500).json({ error: \'Something went wrong\' })`. Only send `err.message` for errors you created for the client (validation, 4xx HTTP errors).',
    bad: `app.use((err, req, res, next) => {
  res.status(500).json({ message: err.message, stack: err.stack });
});`,
    good: `app.use((err, req, res, next) => {
  console.error(err);
  if (err.status && err.status < 500) return res.status(err.status).json({ message: err.message });
  res.status(500).json({ message: 'Internal server error' });
});`,
    fixSafety: 'suggestion',
    languages: ALL_LANGUAGES,
    defaultEnabled: true,
    tags: ['errors', 'information-disclosure'],
  },
  create(ctx) {
    const isErrorBinding = (id: ts.Identifier): boolean => {
      const b = ctx.taint.scopes.resolve(id);
      if (!b) return false;
      if (ts.isVariableDeclaration(b) && b.parent && ts.isCatchClause(b.parent)) return true;
      if (ts.isParameter(b) && ts.isIdentifier(b.name)) {
        const fn = b.parent;
        if (!isFunctionLike(fn)) return false;
        const i = fn.parameters.indexOf(b);
        const name = b.name.text;
        if (i !== 0) return false;
        if (name === 'e' || name === 'reason') {
          // `.catch((e) => …)`, `app.onError((e, c) => …)`, `(e, req, res, next) => …`
          const call = fn.parent;
          const cn = call && ts.isCallExpression(call) ? calleeName(call) ?? '' : '';
          const viaCall = /^(catch|onError|setErrorHandler|errorHandler)$/.test(cn) ||
            (cn === 'on' && literalText((call as ts.CallExpression).arguments[0]) === 'error');
          return !!viaCall || fn.parameters.length === 4;
        }
        return ERROR_NAME.test(name) && !/^(onError|handleError|setError)$/.test(name);
      }
      if (ts.isBindingElement(b)) {
        // const { data, error } = await supabase.from('t').select()
        const { path, root } = bindingPath(b);
        const key = path[path.length - 1];
        if (!(typeof key === 'string' && (key === 'error' || key === 'err') && ts.isIdentifier(b.name))) return false;
        // const { error } = await enableLogin(body), where this file's enableLogin answers `{ error: 'invalid-password' }`
        return !(path.length === 1 && root && ts.isVariableDeclaration(root) && root.initializer && givesErrorCodes(root.initializer, 0));
      }
      return false;
    };

    /**
     * Whether a value is the result of a call to a function that answers only with error codes: every `error` (or
     * `err`) it returns is a code written in it (`return { error: 'missing-client-id' }`), or one it got the same way
     * from another such function (`const { error } = await bootstrap(…); if (error) return { error }`). A function of
     * this file is read here; one imported from another module of the project is judged from the model's facts.
     */
    const givesErrorCodes = (init: ts.Expression, depth: number): boolean => {
      const call = resultCall(init);
      if (depth > 6 || !call || !ts.isIdentifier(call.expression)) return false;
      const d = ctx.taint.scopes.resolve(call.expression);
      const local = d && ts.isFunctionDeclaration(d) ? d
        : d && ts.isVariableDeclaration(d) && d.initializer && (ts.isArrowFunction(unwrap(d.initializer)) || ts.isFunctionExpression(unwrap(d.initializer))) ? unwrap(d.initializer)
          : undefined;
      if (local) {
        const sources = errorCodeSources(local);
        return !!sources && sources.every((c) => givesErrorCodes(c, depth + 1));
      }
      const r = ctx.project?.valueOfName(ctx.path, call.expression.text);
      return !!r && r.file !== ctx.path && !!ctx.project?.givesErrorCodes(r.file, r.value);
    };

    /** What error content an expression carries (the worst kind), or undefined. */
    const leakOf = (expr: ts.Expression, depth: number, gated: boolean): Found | undefined => {
      if (depth > 8) return undefined;
      const e = unwrap(expr);
      const worst = (list: (Found | undefined)[]): Found | undefined => {
        let w: Found | undefined;
        for (const f of list) if (f && (!w || RANK[f.kind] > RANK[w.kind] || (RANK[f.kind] === RANK[w.kind] && w.gated && !f.gated))) w = f;
        return w;
      };
      if (ts.isIdentifier(e)) {
        if (isErrorBinding(e)) return { kind: 'object', node: e, gated };
        const b = ctx.taint.scopes.resolve(e);
        if (b && ts.isVariableDeclaration(b) && b.initializer && ts.isIdentifier(b.name) && !(b.parent && ts.isCatchClause(b.parent))) {
          const f = leakOf(b.initializer, depth + 1, gated);
          return f ? { ...f, node: e } : undefined;
        }
        if (b && ts.isBindingElement(b) && ts.isIdentifier(b.name)) {
          // const { message, stack } = err
          const root = b.parent?.parent;
          if (root && ts.isVariableDeclaration(root) && root.initializer) {
            const src = unwrap(root.initializer);
            if (ts.isIdentifier(src) && isErrorBinding(src)) {
              const prop = b.propertyName ? propertyNameText(b.propertyName) : b.name.text;
              if (prop && STACK_PROPS.has(prop)) return { kind: 'stack', node: e, gated };
              if (prop && MESSAGE_PROPS.has(prop)) return { kind: 'message', node: e, gated };
            }
          }
        }
        return undefined;
      }
      if (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) {
        const prop = ts.isPropertyAccessExpression(e) ? e.name.text : literalText(e.argumentExpression);
        const base = unwrap(e.expression);
        if (!prop) return undefined;
        const baseIsError = ts.isIdentifier(base) ? isErrorBinding(base) : !!leakOf(base, depth + 1, gated);
        if (!baseIsError) return undefined;
        if (STACK_PROPS.has(prop)) return { kind: 'stack', node: e, gated };
        if (MESSAGE_PROPS.has(prop)) return { kind: 'message', node: e, gated };
        return undefined;
      }
      if (ts.isCallExpression(e)) {
        const name = calleeName(e);
        const chain = memberChain(e.expression)?.join('.');
        const recv = calleeObject(e);
        if (name === 'inspect' || name === 'serializeError' || chain === 'util.format') {
          const f = worst(e.arguments.map((a) => leakOf(a, depth + 1, gated)));
          return f && f.kind === 'object' ? { kind: 'stack', node: e, gated } : f;
        }
        if (chain === 'JSON.stringify' && e.arguments[0]) return leakOf(e.arguments[0], depth + 1, gated);
        if (name === 'String' && !recv && e.arguments[0]) {
          const f = leakOf(e.arguments[0], depth + 1, gated);
          return f && f.kind === 'object' ? { kind: 'message', node: e, gated } : f;
        }
        if (recv && name && ['toString', 'slice', 'substring', 'substr', 'replace', 'replaceAll', 'trim', 'split', 'concat', 'toLowerCase', 'join'].includes(name)) {
          const f = leakOf(recv, depth + 1, gated);
          return f && f.kind === 'object' ? { kind: 'message', node: e, gated } : f;
        }
        return undefined;
      }
      if (ts.isTemplateExpression(e)) {
        const f = worst(e.templateSpans.map((s) => leakOf(s.expression, depth + 1, gated)));
        return f && f.kind === 'object' ? { kind: 'message', node: f.node, gated: f.gated } : f;
      }
      if (ts.isBinaryExpression(e)) {
        const op = e.operatorToken.kind;
        if (op === ts.SyntaxKind.PlusToken) {
          const f = worst([leakOf(e.left, depth + 1, gated), leakOf(e.right, depth + 1, gated)]);
          return f && f.kind === 'object' ? { kind: 'message', node: f.node, gated: f.gated } : f;
        }
        if (op === ts.SyntaxKind.AmpersandAmpersandToken) {
          const g = gated || DEV_GATE.test(e.left.getText(ctx.sourceFile));
          if (!g && isKnownErrorCheck(e.left.getText(ctx.sourceFile))) return undefined;
          return leakOf(e.right, depth + 1, g);
        }
        if (op === ts.SyntaxKind.BarBarToken || op === ts.SyntaxKind.QuestionQuestionToken) {
          return worst([leakOf(e.left, depth + 1, gated), leakOf(e.right, depth + 1, gated)]);
        }
        return undefined;
      }
      if (ts.isConditionalExpression(e)) {
        const cond = e.condition.getText(ctx.sourceFile);
        const g = gated || DEV_GATE.test(cond);
        if (!g && isKnownErrorCheck(cond)) return leakOf(e.whenFalse, depth + 1, gated);
        return worst([leakOf(e.whenTrue, depth + 1, g), leakOf(e.whenFalse, depth + 1, g)]);
      }
      if (ts.isObjectLiteralExpression(e)) {
        const parts: (Found | undefined)[] = [];
        for (const p of e.properties) {
          if (ts.isPropertyAssignment(p)) parts.push(leakOf(p.initializer, depth + 1, gated));
          else if (ts.isShorthandPropertyAssignment(p)) parts.push(leakOf(p.name, depth + 1, gated));
          else if (ts.isSpreadAssignment(p)) parts.push(leakOf(p.expression, depth + 1, gated));
        }
        return worst(parts);
      }
      if (ts.isArrayLiteralExpression(e)) return worst(e.elements.map((x) => leakOf(x, depth + 1, gated)));
      if (ts.isAwaitExpression(e)) return leakOf(e.expression, depth + 1, gated);
      return undefined;
    };

    /** Enclosing `if`/ternary conditions between the sink and its function: dev-mode gates and known-error checks. */
    const guards = (node: ts.Node): { gated: boolean; known: boolean } => {
      let gated = false;
      let known = false;
      const fn = enclosingFunction(node);
      let c: ts.Node = node;
      while (c.parent && c !== fn) {
        const p = c.parent;
        if (ts.isIfStatement(p) && p.expression !== c) {
          const cond = p.expression.getText(ctx.sourceFile);
          if (DEV_GATE.test(cond)) gated = true;
          else if (p.thenStatement === c && isKnownErrorCheck(cond)) known = true;
        }
        if (ts.isConditionalExpression(p) && p.condition !== c) {
          const cond = p.condition.getText(ctx.sourceFile);
          if (DEV_GATE.test(cond)) gated = true;
          else if (p.whenTrue === c && isKnownErrorCheck(cond)) known = true;
        }
        if (ts.isCaseClause(p) && p.parent?.parent && ts.isSwitchStatement(p.parent.parent) && isKnownErrorCheck(`${p.parent.parent.expression.getText(ctx.sourceFile)} === ${p.expression.getText(ctx.sourceFile)}`)) known = true;
        c = p;
      }
      return { gated, known };
    };

    /** A status code expression: a number, 'dynamic', or undefined when absent. */
    const statusOf = (expr: ts.Expression | undefined): number | 'dynamic' | undefined => {
      if (!expr) return undefined;
      let e = unwrap(expr);
      if (ts.isIdentifier(e)) {
        const b = ctx.taint.scopes.resolve(e);
        if (b && ts.isVariableDeclaration(b) && b.initializer && (b.parent.flags & ts.NodeFlags.Const)) e = unwrap(b.initializer);
      }
      if (ts.isNumericLiteral(e)) return Number(e.text);
      const chain = memberChain(e);
      // StatusCodes.INTERNAL_SERVER_ERROR, HttpStatus.BAD_REQUEST
      if (chain && chain.length === 2 && /^[A-Z]/.test(chain[0])) {
        const k = chain[1].toUpperCase();
        if (/INTERNAL|SERVER|UNAVAILABLE|GATEWAY/.test(k)) return 500;
        if (/BAD_REQUEST|NOT_FOUND|UNAUTHORIZED|FORBIDDEN|CONFLICT|UNPROCESSABLE|TOO_MANY/.test(k)) return 400;
      }
      return 'dynamic';
    };

    const decide = (sink: ts.Node, payload: ts.Expression, status: number | 'dynamic' | undefined, where: string, maybeNotServed = false) => {
      const leak = leakOf(payload, 0, false);
      if (!leak) return;
      const g = guards(sink);
      const gated = leak.gated || g.gated;
      let confidence: Confidence | undefined;
      if (leak.kind === 'stack') {
        confidence = gated ? 'low' : 'high';
      } else if (leak.kind === 'object') {
        if (g.known) return;
        confidence = gated || (typeof status === 'number' && status < 500) ? 'low' : 'medium';
      } else {
        if (g.known) return;
        if (typeof status === 'number' && status < 500) return;
        confidence = gated || status === 'dynamic' ? 'low' : 'medium';
      }
      if (ctx.facts.testFile || maybeNotServed) confidence = 'low';
      const code = leak.node.getText(ctx.sourceFile).replace(/\s+/g, ' ');
      const shown = code.length > 40 ? code.slice(0, 37) + '…' : code;
      const what = leak.kind === 'stack' ? `a stack trace (\`${shown}\`)`
        : leak.kind === 'object' ? `the whole error object (\`${shown}\`)`
        : `the raw error message (\`${shown}\`) of an unexpected error`;
      const why = leak.kind === 'stack' ? 'it reveals file paths, libraries and code structure'
        : leak.kind === 'object' ? 'database and library errors carry fields like the SQL text, table and constraint names'
        : 'internal errors (database, file system, libraries) reveal table names, paths and other internals';
      const jsonish = ts.isReturnStatement(sink) || (ts.isCallExpression(sink) && /^(json|jsonp)$/.test(calleeName(sink) ?? ''));
      ctx.report({
        node: leak.node,
        confidence,
        message: `${where} sends ${what} to the client: ${why}. Log the error on the server and respond with a generic message${leak.kind === 'message' ? ', or send the message only for errors you raised for the client (validation, 4xx)' : ''}.`,
        fixes: tryFixes(() => errorResponseFixes(ctx, sink, payload, leak.node, (e) => !!leakOf(e, 0, false), jsonish ? 'json' : 'text')),
      });
    };

    /**
     * The status set earlier on the same response in the same function: `res.status(code);` /
     * `res.writeHead(err.statusCode ?? 500, …)` / `res.statusCode = 404` before `res.end(message)`.
     */
    const earlierStatus = (sink: ts.Node, resName: string): number | 'dynamic' | undefined => {
      const fn = enclosingFunction(sink);
      if (!fn) return undefined;
      let found: ts.Expression | undefined;
      const visit = (n: ts.Node) => {
        if (n.pos >= sink.pos) return;
        if (ts.isCallExpression(n) && /^(status|writeHead|code)$/.test(calleeName(n) ?? '') && n.arguments[0]) {
          const o = calleeObject(n);
          if (o && ts.isIdentifier(unwrap(o)) && (unwrap(o) as ts.Identifier).text === resName) found = n.arguments[0];
        } else if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && n.left.getText(ctx.sourceFile) === `${resName}.statusCode`) {
          found = n.right;
        }
        ts.forEachChild(n, visit);
      };
      ts.forEachChild(fn, visit);
      return found ? statusOf(found) : undefined;
    };

    const isResponseReceiver = (recv: ts.Expression): { root: ts.Identifier; status?: ts.Expression; hasStatusCall: boolean } | undefined => {
      let r = unwrap(recv);
      let status: ts.Expression | undefined;
      let hasStatusCall = false;
      // res.status(500).json(…), reply.code(500).header('x', 'y').send(…)
      while (ts.isCallExpression(r) && calleeObject(r)) {
        const n = calleeName(r);
        if (n === 'status' || n === 'code') { hasStatusCall = true; status ??= r.arguments[0]; }
        else if (!['header', 'headers', 'type', 'set', 'setHeader', 'append', 'cookie', 'clearCookie', 'vary', 'contentType'].includes(n ?? '')) return undefined;
        r = unwrap(calleeObject(r)!);
      }
      const root = ts.isIdentifier(r) ? r : ts.isPropertyAccessExpression(r) && ts.isIdentifier(r.name) && r.name.text === 'res' ? r.name : undefined;
      if (!root || !(RESPONSE_ROOT.test(root.text) || (ts.isIdentifier(r) && isResponseParam(r)))) return undefined;
      return { root, status, hasStatusCall };
    };

    /** The second parameter of an Express/Fastify handler, whatever its name. */
    const isResponseParam = (id: ts.Identifier): boolean => {
      const b = ctx.taint.scopes.resolve(id);
      if (!b || !ts.isParameter(b) || !isFunctionLike(b.parent)) return false;
      const fn = b.parent;
      const i = fn.parameters.indexOf(b);
      const req = fn.parameters[i - 1];
      return i >= 1 && !!req && ctx.taint.requestKind(req.name as ts.Identifier) === 'http' && ts.isIdentifier(req.name);
    };

    const onCall = (node: ts.CallExpression | ts.NewExpression) => {
        if (!ts.isCallExpression(node)) { onNew(node); return; }
        const call = node;
        const name = calleeName(call);
        if (!name) return;
        const recv = calleeObject(call);
        const payload = call.arguments[0];
        if (!payload || !recv) return;

        // Express / Fastify / Next pages API
        if (name === 'json' || name === 'send' || name === 'end' || name === 'write' || name === 'jsonp') {
          const chain = memberChain(call.expression);
          // NextResponse.json(body, { status }), Response.json(body, init)
          if (chain && chain.length === 2 && (chain[0] === 'NextResponse' || chain[0] === 'Response') && name === 'json') {
            const init = call.arguments[1] && unwrap(call.arguments[1]);
            const st = init && ts.isObjectLiteralExpression(init) ? statusOf(getPropertyValue(init, 'status')) : undefined;
            decide(call, payload, st, `\`${chain.join('.')}\``);
            return;
          }
          const r = isResponseReceiver(recv);
          if (r) {
            // Fastify: `reply.send(err)` hands the error to the framework's error handler, like `throw err`
            const p = unwrap(payload);
            if (name === 'send' && (/^(reply|rep)$/.test(r.root.text) || ctx.facts.modules.has('fastify')) && ts.isIdentifier(p) && isErrorBinding(p)) return;
            decide(call, payload, r.hasStatusCall ? statusOf(r.status) ?? 'dynamic' : earlierStatus(call, r.root.text), 'This response');
            return;
          }
        }
        // Hono: c.json({ error: e.message }, 500), c.text(String(e), 500)
        if ((name === 'json' || name === 'text' || name === 'html' || name === 'body') && ts.isIdentifier(recv) && ctx.taint.requestKind(recv) === 'hono') {
          decide(call, payload, statusOf(call.arguments[1]), 'This response');
        }
    };
    const onNew = (ne: ts.NewExpression) => {
        const name = calleeName(ne);
        if ((name !== 'Response' && name !== 'NextResponse') || !ne.arguments?.[0]) return;
        const init = ne.arguments[1] && unwrap(ne.arguments[1]);
        const st = init && ts.isObjectLiteralExpression(init) ? statusOf(getPropertyValue(init, 'status')) : undefined;
        decide(ne, ne.arguments[0], st, `\`new ${name}\``, name === 'Response' && !servesRequest(ne));
    };
    // the web-standard `new Response(…)` is also built in browser code (a fetch wrapper, a service worker's cache):
    // it reaches another client only when a request handler returns it (Next.js route files, a function that takes
    // the request: `GET(request)`, a worker's `fetch(request, env)`, Remix/SvelteKit `({ request })`)
    const servesRequest = (node: ts.Node): boolean => {
      if (ctx.facts.nextRouteFile) return true;
      for (let n: ts.Node | undefined = node.parent; n; n = n.parent) {
        if (!isFunctionLike(n)) continue;
        for (const p of n.parameters) {
          const type = p.type?.getText(ctx.sourceFile) ?? '';
          if (/\b(Next)?Request\b|RequestEvent|LoaderFunctionArgs|ActionFunctionArgs|Context\b/.test(type) && !/RequestInit/.test(type)) return true;
          if (ts.isIdentifier(p.name) && /^(req|request|event|evt|c|ctx|context)$/.test(p.name.text)) return true;
          if (ts.isObjectBindingPattern(p.name) && p.name.elements.some((e) => ts.isIdentifier(e.name) && /^(request|req)$/.test(e.name.text))) return true;
        }
      }
      return false;
    };
    const serverActions = SERVER_ACTIONS.test(ctx.text);
    return {
      calls: sameVisitor(RESPONSE_CALLS, onCall),
      members: {
        body(member) {
        // Koa: ctx.body = err.stack
        const be = member.parent;
        if (!be || !ts.isBinaryExpression(be) || be.left !== member || be.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return;
        const left = unwrap(be.left);
        if (!ts.isPropertyAccessExpression(left) || left.name.text !== 'body') return;
        const root = rootIdentifier(left);
        if (!root) return;
        const base = unwrap(left.expression);
        const isKoa = (ts.isIdentifier(base) && (ctx.taint.requestKind(base) === 'koa' || base.text === 'ctx')) ||
          (ts.isPropertyAccessExpression(base) && base.name.text === 'response' && ts.isIdentifier(unwrap(base.expression)) && /^ctx|context$/.test(root.text));
        if (!isKoa) return;
        // ctx.status = 500 earlier in the same block
        let status: number | 'dynamic' | undefined;
        const stmt = be.parent;
        const block = stmt?.parent;
        if (stmt && ts.isExpressionStatement(stmt) && block && (ts.isBlock(block) || ts.isSourceFile(block))) {
          for (const s of block.statements) {
            if (s === stmt) break;
            if (ts.isExpressionStatement(s) && ts.isBinaryExpression(s.expression) && s.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
              const l = unwrap(s.expression.left);
              if (ts.isPropertyAccessExpression(l) && l.name.text === 'status') status = statusOf(s.expression.right);
            }
          }
        }
        decide(be, be.right, status, '`ctx.body`');
        },
      },
      ReturnStatement(rs) {
        // server actions return plain objects to the browser
        if (!serverActions || !rs.expression) return;
        const fn = enclosingFunction(rs);
        if (!fn || !ctx.taint.isServerAction(fn)) return;
        decide(rs, rs.expression, undefined, 'This server action');
      },
    };
  },
});
