import { ts } from 'ts-morph';
import { ALL_LANGUAGES, defineRule, type RuleContext, sameVisitor } from '../../model/rule';
import type { Confidence } from '../../model/types';
import { calleeName, calleeObject, isFunctionLike, literalText, memberChain, nameWords, propertyNameText, unwrap } from '../../util/ast';
import { conversationFile, CONVERSATION_WORDS, ENV_PUBLIC, ENV_SECRET, isLoggedSecretName as isSecretName, isSessionIdName, SENSITIVE_HEADERS } from '../../util/log-secrets';
import { tryFixes } from '../../fixes/edits';
import { logRedactionFixes } from '../../fixes/logging';

const CONSOLE_METHODS = new Set(['log', 'info', 'debug', 'warn', 'error', 'trace', 'dir', 'table']);
const LOGGER_METHODS = new Set(['log', 'info', 'debug', 'warn', 'warning', 'error', 'trace', 'fatal', 'verbose', 'silly', 'http', 'notice', 'critical', 'crit', 'alert', 'emerg']);
/** Every console and logger method, once for all files. */
const LOG_CALL_NAMES = [...new Set([...CONSOLE_METHODS, ...LOGGER_METHODS])];
/** Receivers that are loggers: `logger`, `log`, `this.logger`, `req.log`, `fastify.log`, `app.log`, `ctx.logger`. */
const LOGGER_NAME = /^(logger|log|_logger|_log|appLogger|pinoLogger|winstonLogger|baseLogger|childLogger|reqLogger|requestLogger|l)$/;

/** Whole request parts that carry credentials. */
const WHOLE_PARTS = new Set(['body', 'headers', 'cookies', 'signedCookies', 'header', 'rawBody']);

/** The name a hit was found by: a logged identifier, a property read, or the key of a logged object's property. */
function hitName(node: ts.Node): string | undefined {
  if (ts.isIdentifier(node)) return node.text;
  if (ts.isPropertyAccessExpression(node)) return node.name.text;
  if (ts.isPropertyAssignment(node)) return propertyNameText(node.name);
  return undefined;
}

/**
 * A session id logged in a file about chats or agents, or in an object beside the id of an AI agent, a chat or a
 * conversation (`{ agentId, chatAppId, sessionId, error }`): the session of that conversation.
 */
function conversationSession(node: ts.Node, path: string): boolean {
  const name = hitName(node);
  if (!name || !isSessionIdName(name)) return false;
  if (conversationFile(path)) return true;
  let p: ts.Node | undefined = node.parent;
  if (p && (ts.isShorthandPropertyAssignment(p) || ts.isPropertyAssignment(p))) p = p.parent;
  else if (ts.isPropertyAssignment(node)) p = node.parent;
  if (!p || !ts.isObjectLiteralExpression(p)) return false;
  return p.properties.some((q) => {
    const key = q.name && propertyNameText(q.name);
    if (!key) return false;
    const words = nameWords(key);
    return words.length > 1 && words[words.length - 1] === 'id' && words.some((w) => CONVERSATION_WORDS.has(w));
  });
}

interface Hit { what: string; node: ts.Node; request: boolean; kind?: 'whole' | 'env' }

/** Calls that hand out a lexer's or a parser's token: Ace's `iterator.getCurrentToken()`/`stepForward()`, `lexer.next()`. */
const LEXER_CALL = /^(getCurrentToken|stepForward|stepBackward|getTokenAt|getTokens|getLineTokens|nextToken|peekToken|readToken|lookahead)$/;
const LEXER_RECEIVER = /(iterator|tokeni[sz]er|lexer|scanner)$/i;

/**
 * A `token` variable that holds a lexer's or a parser's token, not a credential: it is assigned from a token iterator
 * or a lexer (`token = iterator.stepForward()`), or the code around it reads both its `.type` and its `.value`
 * (`if (token.type == 'support.php_tag' && token.value != '?>')`), which is what a syntax token is made of.
 */
function isLexerToken(id: ts.Identifier, binding: ts.Node | undefined): boolean {
  const words = nameWords(id.text);
  if (!words.includes('token') && !words.includes('tokens')) return false;
  if (!binding || !(ts.isVariableDeclaration(binding) || ts.isParameter(binding)) || !ts.isIdentifier(binding.name)) return false;
  const name = binding.name.text;
  const lexerCall = (v: ts.Expression | undefined): boolean => {
    const c = v && unwrap(v);
    if (!c || !ts.isCallExpression(c)) return false;
    const callee = calleeName(c);
    const recv = calleeObject(c);
    const recvName = recv && (ts.isIdentifier(recv) ? recv.text : ts.isPropertyAccessExpression(recv) ? recv.name.text : undefined);
    return !!callee && LEXER_CALL.test(callee) || !!recvName && LEXER_RECEIVER.test(recvName);
  };
  if (ts.isVariableDeclaration(binding) && lexerCall(binding.initializer)) return true;
  let scope: ts.Node = binding.parent;
  while (!isFunctionLike(scope) && !ts.isSourceFile(scope)) scope = scope.parent;
  let type = false, value = false, lexer = false;
  const visit = (n: ts.Node): void => {
    if (lexer || type && value) return;
    if (ts.isPropertyAccessExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === name) {
      if (n.name.text === 'type') type = true;
      else if (n.name.text === 'value') value = true;
    } else if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(n.left) && n.left.text === name && lexerCall(n.right)) {
      lexer = true;
    }
    ts.forEachChild(n, visit);
  };
  visit(scope);
  return lexer || type && value;
}

/** Scripts and CLI commands run by hand: `bin/create-session.js`, `scripts/reset-password.ts`, `commands/user.js`. */
const CLI_SCRIPT_PATH = /(^|\/)(bin|scripts?|tools|cli|commands)\//;
/** The log line says the value is invalid: `bad session`, `unknown token`, `expired key`, `does not exist`. */
const INVALID_VALUE_WORDS = /\b(bad|invalid|unknown|expired|revoked|malformed|stale|not found|does not exist|doesn't exist|no such)\b/i;

export default defineRule({
  meta: {
    id: 'sensitive-data-in-log',
    title: 'Secrets or request data written to logs',
    category: 'errors-logging',
    severity: 'warning',
    confidence: 'medium',
    cwe: [532],
    owasp: 'A09:2021 Security Logging and Monitoring Failures',
    description: 'Finds `console.*` and logger calls (winston, pino, bunyan, `req.log`, `fastify.log`) that write passwords, tokens, API keys, authorization headers, cookies, card numbers, whole request bodies/headers/cookies, all of `process.env`, or secret environment variables. Lengths, booleans, ids, URLs and error messages are not reported, nor logger calls in a file whose pino logger sets `redact`.',
    notReported: 'Lengths, booleans, ids, URLs and error messages; a lexer\'s or a parser\'s `token` (assigned from a token iterator or a lexer, or read as `token.type` and `token.value`); loggers configured with `redact`; output of command-line scripts and CLI commands (`bin/`, `scripts/`, `commands/`), which is the program\'s answer to its operator (low); values logged because they are invalid (`bad session`, `unknown token`: low); the session id of an AI agent\'s or a chat\'s conversation, logged beside the agent or chat id (`{ agentId, sessionId }`) or in a file about chats or agents (`chat/stream.ts`): low; client components (low).',
    why: 'Logs are copied to hosting dashboards, log services, support tickets and laptops, and are read by many more people than your database. A password or token in a log line is a credential anyone with log access can use, and request bodies and headers are full of them.',
    fix: 'Log only what you need to debug: ids, routes, status codes, and booleans like `hasToken`. Remove secrets before logging (`const { password, ...safe } = body`), mask them (`token.slice(0, 4) + \'…\'`), or configure the logger to redact them (pino `redact: [\'req.headers.authorization\', \'*.password\']`).',
    bad: `app.post('/login', async (req, res) => {
  console.log('login attempt', req.body);
  const user = await auth.login(req.body.email, req.body.password);
  res.json({ ok: !!user });
});`,
    good: `app.post('/login', async (req, res) => {
  console.log('login attempt', { email: req.body.email, hasPassword: Boolean(req.body.password) });
  const user = await auth.login(req.body.email, req.body.password);
  res.json({ ok: !!user });
});`,
    fixSafety: 'suggestion',
    languages: ALL_LANGUAGES,
    defaultEnabled: true,
    tags: ['logging', 'secrets', 'privacy'],
  },
  create(ctx) {
    let consoleCall = false;
    // asked only at a logger call (not console): read once then
    let redactingText: boolean | undefined;
    // (every match holds `redact`: `includes` skips most texts faster than the expression)
    const redacting = () => redactingText ??= ctx.text.includes('redact') && /\bredact(ion)?\s*:|\bredactPaths\b|\bfast-redact\b/.test(ctx.text);

    const isLoggerCall = (call: ts.CallExpression): 'console' | 'logger' | undefined => {
      const name = calleeName(call);
      const recv = calleeObject(call);
      if (!name || !recv) return undefined;
      const chain = memberChain(call.expression);
      if (chain && chain.length === 2 && chain[0] === 'console' && CONSOLE_METHODS.has(name)) return 'console';
      if (!LOGGER_METHODS.has(name)) return undefined;
      const r = unwrap(recv);
      const last = ts.isIdentifier(r) ? r.text : ts.isPropertyAccessExpression(r) ? r.name.text : undefined;
      if (last && LOGGER_NAME.test(last) && !(last === 'l' && !ts.isIdentifier(r))) {
        if (last === 'l' || last === 'log') {
          // `log` may be a function or a debug module; require a logger-looking binding or member
          if (ts.isIdentifier(r)) {
            const b = ctx.taint.scopes.resolve(r);
            if (!b) return last === 'log' ? 'logger' : undefined;
            if (ts.isVariableDeclaration(b) && b.initializer) {
              const init = b.initializer.getText(ctx.sourceFile);
              if (/pino|winston|bunyan|createLogger|getLogger|logger|child\(|consola|signale|log4js|roarr|loglevel/i.test(init)) return 'logger';
              return undefined;
            }
            if (ts.isImportClause(b) || ts.isImportSpecifier(b) || ts.isNamespaceImport(b)) return 'logger';
            return undefined;
          }
        }
        return 'logger';
      }
      return undefined;
    };

    const requestWhole = (e: ts.Expression): string | undefined => {
      // req.body, req.headers, ctx.request.body, request.cookies
      if (ts.isPropertyAccessExpression(e) && WHOLE_PARTS.has(e.name.text)) {
        const k = ctx.taint.requestKind(e.expression);
        if (k === 'http' || (k === 'koa' && (e.name.text === 'headers' || e.name.text === 'header'))) return e.getText(ctx.sourceFile);
      }
      // the whole request object, in a function that is clearly an HTTP handler (`(req, res) => …`, a route handler);
      // loggers are left out: their serializers decide what of a request they write
      if (consoleCall && ts.isIdentifier(e) && ctx.taint.requestKind(e) === 'http') {
        const b = ctx.taint.scopes.resolve(e);
        if (b && ts.isParameter(b) && isFunctionLike(b.parent)) {
          const next = b.parent.parameters[b.parent.parameters.indexOf(b) + 1];
          if (ctx.facts.nextRouteFile || (next && ts.isIdentifier(next.name) && /^(res|response|reply|resp)$/.test(next.name.text))) return e.text;
        }
      }
      // await request.json(), c.req.json(), await request.formData(), req.header() with no name
      if (ts.isCallExpression(e)) {
        const name = calleeName(e);
        const recv = calleeObject(e);
        if (recv && ctx.taint.requestKind(recv) === 'http' && (name === 'json' || name === 'formData' || name === 'parseBody' || (name === 'header' && e.arguments.length === 0))) {
          return e.getText(ctx.sourceFile);
        }
        // Object.fromEntries(request.headers)
        if (memberChain(e.expression)?.join('.') === 'Object.fromEntries' && e.arguments[0]) return requestWhole(unwrap(e.arguments[0]));
      }
      if (ts.isAwaitExpression(e)) return requestWhole(unwrap(e.expression));
      return undefined;
    };

    /** `{ agentId, sessionId }`: the session id of an AI agent's or a chat's conversation (conversationSession) */
    const isWeak = (h: Hit) => !h.request && !h.kind && conversationSession(h.node, ctx.path);

    /** Secret content in one logged expression. */
    const inspect = (expr: ts.Expression, depth: number): Hit | undefined => {
      if (depth > 6) return undefined;
      const e = unwrap(expr);
      const whole = requestWhole(e);
      if (whole) return { what: `the whole request data \`${short(whole)}\``, node: e, request: true, kind: 'whole' };
      if (ts.isIdentifier(e)) {
        const b = ctx.taint.scopes.resolve(e);
        // a lexer's token (`token = iterator.stepForward()`, read as `token.type`/`token.value`) is not a credential
        if (isSecretName(e.text) && !isMaskedOrDerived(e) && !isLexerToken(e, b)) return { what: `\`${e.text}\``, node: e, request: !!ctx.taint.taintOf(e) };
        // const body = await request.json(); console.log(body)
        if (b && ts.isVariableDeclaration(b) && b.initializer && ts.isIdentifier(b.name)) {
          const init = unwrap(b.initializer);
          const w = requestWhole(init);
          if (w) return { what: `\`${e.text}\` (the whole request data \`${short(w)}\`)`, node: e, request: true, kind: 'whole' };
          if (ts.isIdentifier(init) && init.text === 'process') return undefined;
          const chain = memberChain(init);
          if (chain && chain.join('.') === 'process.env') return { what: `\`${e.text}\` (all of \`process.env\`)`, node: e, request: false, kind: 'env' };
        }
        if (b && ts.isBindingElement(b) && !b.dotDotDotToken && !b.propertyName) {
          // const { headers } = req
          const root = b.parent?.parent;
          if (root && ts.isVariableDeclaration(root) && root.initializer && ts.isIdentifier(b.name) && WHOLE_PARTS.has(b.name.text) &&
              ctx.taint.requestKind(unwrap(root.initializer)) === 'http') {
            return { what: `the whole request data \`${b.name.text}\``, node: e, request: true, kind: 'whole' };
          }
        }
        return undefined;
      }
      if (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) {
        const chain = memberChain(e);
        if (chain && chain[0] === 'process' && chain[1] === 'env') {
          if (chain.length === 2) return { what: 'all of `process.env`', node: e, request: false, kind: 'env' };
          const v = chain[2];
          if (chain.length === 3 && ENV_SECRET.test(v) && !ENV_PUBLIC.test(v)) return { what: `\`process.env.${v}\``, node: e, request: false, kind: 'env' };
          return undefined;
        }
        const prop = ts.isPropertyAccessExpression(e) ? e.name.text : literalText(e.argumentExpression);
        if (!prop) return undefined;
        // req.headers.authorization, req.headers['x-api-key']
        if (SENSITIVE_HEADERS.test(prop) || (isSecretName(prop) && !isMaskedOrDerived(e) && !isCredentialRefs(e))) {
          const t = ctx.taint.taintOf(e);
          return { what: `\`${short(e.getText(ctx.sourceFile))}\``, node: e, request: !!t };
        }
        return undefined;
      }
      if (ts.isCallExpression(e)) {
        const name = calleeName(e);
        const recv = calleeObject(e);
        // req.get('authorization'), request.headers.get('cookie'), c.req.header('Authorization')
        if (recv && (name === 'get' || name === 'header') && e.arguments[0]) {
          const h = literalText(e.arguments[0]);
          if (h && (SENSITIVE_HEADERS.test(h) || isSecretName(h))) return { what: `the \`${h}\` header`, node: e, request: !!ctx.taint.taintOf(e) };
        }
        if (recv && name && ['slice', 'substring', 'substr', 'startsWith', 'includes', 'endsWith', 'test', 'charAt', 'at', 'match'].includes(name)) return undefined;
        const chain = memberChain(e.expression)?.join('.');
        if (chain === 'JSON.stringify' || chain === 'util.inspect' || name === 'String' || chain === 'util.format' || name === 'inspect') {
          for (const a of e.arguments.slice(0, chain === 'util.format' ? undefined : 1)) {
            const h = inspect(a, depth + 1);
            if (h) return h;
          }
          return undefined;
        }
        if (recv && name && ['toString', 'trim', 'toLowerCase', 'toUpperCase', 'replace', 'split', 'concat', 'join', 'toJSON'].includes(name)) return inspect(recv, depth + 1);
        return undefined;
      }
      if (ts.isTemplateExpression(e)) {
        for (const s of e.templateSpans) {
          const h = inspect(s.expression, depth + 1);
          if (h) return h;
        }
        return undefined;
      }
      if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.PlusToken) return inspect(e.left, depth + 1) ?? inspect(e.right, depth + 1);
      if (ts.isBinaryExpression(e) && (e.operatorToken.kind === ts.SyntaxKind.BarBarToken || e.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken)) {
        return inspect(e.left, depth + 1) ?? inspect(e.right, depth + 1);
      }
      if (ts.isConditionalExpression(e)) return inspect(e.whenTrue, depth + 1) ?? inspect(e.whenFalse, depth + 1);
      if (ts.isObjectLiteralExpression(e)) {
        // a conversation's session id (weak) is kept only if no other property holds a secret
        let weak: Hit | undefined;
        for (const p of e.properties) {
          let h: Hit | undefined;
          if (ts.isShorthandPropertyAssignment(p)) {
            h = inspect(p.name, depth + 1);
          } else if (ts.isPropertyAssignment(p)) {
            const key = propertyNameText(p.name);
            const v = unwrap(p.initializer);
            // { password: pw } — a secret under a secret key; literals and booleans are fine
            h = key && (isSecretName(key) || SENSITIVE_HEADERS.test(key)) && carriesValue(v) && !isCredentialRefs(v)
              ? { what: `\`${key}\``, node: p, request: !!ctx.taint.taintOf(v) }
              : inspect(v, depth + 1);
          } else if (ts.isSpreadAssignment(p)) {
            h = inspect(p.expression, depth + 1);
          }
          if (h && !isWeak(h)) return h;
          weak ??= h;
        }
        return weak;
      }
      if (ts.isArrayLiteralExpression(e)) {
        for (const x of e.elements) {
          const h = inspect(x, depth + 1);
          if (h) return h;
        }
      }
      return undefined;
    };

    /**
     * `node.credentials` where the file reads each entry's id or name (`node.credentials[type].id`) and never a secret
     * field of one: a map of references to stored credentials (a workflow node's), not the credentials themselves.
     */
    const isCredentialRefs = (v: ts.Expression): boolean => {
      if (!ts.isPropertyAccessExpression(v) || !/^credentials?$/i.test(v.name.text)) return false;
      const base = memberChain(v.expression);
      if (!base || base.some((part) => !/^[\w$]+$/.test(part))) return false;
      const entry = `\\b${base.join('\\??\\.').replace(/\$/g, '\\$')}\\??\\.${v.name.text}\\??\\.?\\[[^\\]\\n]+\\]\\??\\.`;
      return new RegExp(`${entry}(id|name)\\b`).test(ctx.text) &&
        !new RegExp(`${entry}(data|password|secret|token|key|apiKey|accessToken|refreshToken|clientSecret|value)\\b`, 'i').test(ctx.text);
    };

    /** `token.length`, `password ? 'set' : 'unset'` and the like are handled by their own node kinds; here: mask calls. */
    const isMaskedOrDerived = (e: ts.Expression): boolean => {
      const p = e.parent;
      return !!p && ts.isCallExpression(p) && p.arguments.includes(e) && /mask|redact|hash|sanitize|censor|obfuscate|truncate/i.test(calleeName(p) ?? '');
    };

    /** Whether a value under a secret-named key is a real value (not a literal, boolean, number or length). */
    const carriesValue = (v: ts.Expression): boolean => {
      if (ts.isStringLiteralLike(v) || ts.isNumericLiteral(v) || v.kind === ts.SyntaxKind.TrueKeyword || v.kind === ts.SyntaxKind.FalseKeyword ||
          v.kind === ts.SyntaxKind.NullKeyword || ts.isPrefixUnaryExpression(v) || ts.isTypeOfExpression(v)) return false;
      if (ts.isBinaryExpression(v) && v.operatorToken.kind !== ts.SyntaxKind.PlusToken && v.operatorToken.kind !== ts.SyntaxKind.BarBarToken && v.operatorToken.kind !== ts.SyntaxKind.QuestionQuestionToken) return false;
      if (ts.isConditionalExpression(v)) return carriesValue(unwrap(v.whenTrue)) || carriesValue(unwrap(v.whenFalse));
      if (ts.isPropertyAccessExpression(v) && (v.name.text === 'length' || /^(has|is)[A-Z]/.test(v.name.text))) return false;
      if (ts.isCallExpression(v)) {
        const n = calleeName(v);
        if (n && /^(Boolean|Number|mask|redact|hash|sanitize|censor|obfuscate|truncate|slice|substring|substr|startsWith|includes|test|has|isValid|len)$/i.test(n)) return false;
        if (n && /mask|redact/i.test(n)) return false;
      }
      if (ts.isIdentifier(v) && (v.text === 'undefined' || /^[A-Z][A-Z0-9_]*$/.test(v.text))) return false;
      return true;
    };

    const staticTextOf = (call: ts.CallExpression): string => call.arguments.map((a) => {
      const u = unwrap(a);
      if (ts.isStringLiteralLike(u)) return u.text;
      if (ts.isTemplateExpression(u)) return [u.head.text, ...u.templateSpans.map((t) => t.literal.text)].join(' ');
      return '';
    }).join(' ');

    const short = (t: string) => { const s = t.replace(/\s+/g, ' '); return s.length > 40 ? s.slice(0, 37) + '…' : s; };

    const check = (node: ts.CallExpression | ts.NewExpression) => {
        if (!ts.isCallExpression(node)) return;
        const call = node;
        const kind = isLoggerCall(call);
        if (!kind) return;
        if (kind === 'logger' && redacting()) return;
        consoleCall = kind === 'console';
        // debug/trace output of loggers is usually switched off in production: one step less certain
        const quiet = kind === 'logger' && /^(debug|trace|verbose|silly)$/.test(calleeName(call) ?? '');
        // a conversation's session id (weak) is reported only if no other argument holds a secret
        const hits = call.arguments.map((arg) => inspect(arg, 0));
        const strong = hits.find((h) => h && !isWeak(h));
        for (const hit of strong ? [strong] : hits) {
          if (!hit) continue;
          let confidence: Confidence = hit.request ? (quiet ? 'medium' : 'high') : (quiet ? 'low' : 'medium');
          if (ctx.facts.testFile || ctx.facts.useClient) confidence = 'low';
          // a command-line tool prints to its operator's terminal: that output is the program's answer, not a log
          if (CLI_SCRIPT_PATH.test(ctx.path.replace(/\\/g, '/'))) confidence = 'low';
          // `Found bad session ${id}`: a value logged because it is invalid is not a working credential
          if (INVALID_VALUE_WORDS.test(staticTextOf(call))) confidence = 'low';
          // `{ agentId, sessionId }`: the session of an AI agent's or a chat's conversation, not of a signed-in user
          if (isWeak(hit)) confidence = 'low';
          const redact = kind === 'logger' ? ', or configure the logger to redact it' : '';
          const message = hit.kind === 'whole'
            ? `This log line writes ${hit.what}: request bodies and headers carry passwords, tokens and session cookies, and anyone who can read the logs could reuse them. Log only the fields you need (ids, booleans like \`hasToken\`)${redact}.`
            : hit.kind === 'env'
              ? `This log line writes ${hit.what}: environment variables hold API keys and database passwords, and anyone who can read the logs could use them. Log whether a setting is present (\`Boolean(process.env.X)\`) instead.`
              : `This log line writes ${hit.what}, a secret or sensitive value that anyone who can read the logs could see or reuse. Log a masked form (\`value.slice(-4)\`) or a boolean like \`hasToken\` instead${redact}.`;
          ctx.report({ node: hit.node, confidence, message, fixes: tryFixes(() => logRedactionFixes(ctx, hit.node, hit.kind)) });
          return;
        }
    };
    return { calls: sameVisitor(LOG_CALL_NAMES, check) };
  },
});
