import { ts } from 'ts-morph';
import { ALL_LANGUAGES, defineRule, sameVisitor, type RuleContext } from '../../model/rule';
import type { TaintTrace } from '../../taint/taint';
import { calleeName, calleeObject, memberChain, unwrap } from '../../util/ast';
import { importOf } from '../../util/imports';
import { flatten, isDomSource, resolveValue } from '../../util/web';

const CONSOLE_METHODS = new Set(['log', 'info', 'debug', 'warn', 'error', 'trace']);
const LOGGER_METHODS = new Set(['log', 'info', 'debug', 'warn', 'warning', 'error', 'trace', 'fatal', 'verbose', 'silly', 'http', 'notice', 'critical', 'crit', 'alert', 'emerg']);
/** Calls that write a file (or a stream) that may be a log. */
const FILE_WRITES = new Set(['appendFile', 'appendFileSync', 'writeFile', 'writeFileSync', 'write']);
/** Every console and logger method and file write, once for all files. */
const CALL_NAMES = [...new Set([...CONSOLE_METHODS, ...LOGGER_METHODS, ...FILE_WRITES])];
const LOGGER_NAME = /^(logger|_logger|appLogger|winstonLogger|log4jsLogger|auditLogger|accessLogger|auditLog)$/;
/** Loggers that write JSON lines: a newline in a value is escaped, so it cannot start a forged line. */
const JSON_LOGGERS = /^(pino|pino-http|bunyan|@nestjs\/common|fastify|roarr)$/;
/** Calls that make a value safe for one log line: they escape or drop line breaks, or keep only digits. */
const ONE_LINE = /^(JSON\.stringify|stringify|encodeURIComponent|encodeURI|inspect|util\.inspect|escape|querystring\.escape|Number|parseInt|parseFloat|Boolean|String\.raw)$/;
const ONE_LINE_NAME = /sanitize|escape|strip|clean|oneLine|singleLine|normalizeLog|safeLog/i;
/** Request values that cannot carry a raw line break: the raw URL is percent-encoded, header values may not contain CR/LF. */
const NO_NEWLINE_SOURCE = /(\.|^)(url|originalUrl|baseUrl|path|hostname|ip|ips|method|protocol|headers?|get|header|secure|xhr)\b/;
const LOG_FILE = /\.log\b|(^|[/_\\-])(logs?|audit|access|events?|activity)([/_.\\-]|$)/i;

interface Hit { part: ts.Expression; trace: TaintTrace }

/** A line break is removed or escaped: `.replace(/[\r\n]/g, '')`, `.replace(/\s+/g, ' ')`, JSON.stringify, encodeURIComponent, a sanitize helper. */
function isOneLine(ctx: RuleContext, e: ts.Expression): boolean {
  const u = unwrap(e);
  if (!ts.isCallExpression(u)) return false;
  const chain = memberChain(u.expression)?.join('.') ?? calleeName(u) ?? '';
  const name = calleeName(u) ?? '';
  if (ONE_LINE.test(chain) || ONE_LINE.test(name) || ONE_LINE_NAME.test(name)) return true;
  if (name === 'replace' || name === 'replaceAll') {
    const re = u.arguments[0] && unwrap(u.arguments[0]);
    if (re && ts.isRegularExpressionLiteral(re) && /\\n|\\r|\\s|\\v|\[\^|\\x0a|\\u000a|\\p\{C/i.test(re.text)) return true;
    const recv = calleeObject(u);
    return !!recv && isOneLine(ctx, recv);
  }
  return false;
}

/** The request data that reaches a log line as text, if any. */
function textTaint(ctx: RuleContext, arg: ts.Expression): Hit | undefined {
  const v = unwrap(arg);
  // objects and arrays are serialized by the logger (pino/winston JSON, console's inspect escapes strings in them)
  if (ts.isObjectLiteralExpression(v) || ts.isArrayLiteralExpression(v)) return undefined;
  for (const p of flatten(ctx, arg)) {
    if (!('expr' in p)) continue;
    const e = p.expr;
    if (isOneLine(ctx, e)) continue;
    const r = resolveValue(ctx, e);
    if (r !== unwrap(e) && isOneLine(ctx, r)) continue;
    if (ts.isObjectLiteralExpression(r) || ts.isArrayLiteralExpression(r)) continue;
    const t = ctx.taint.taintOf(e, 'log');
    // page URL and postMessage data logged in the browser end up in the user's own console, not a server log
    if (!t || isDomSource(t)) continue;
    const from = `${t.label} ${t.source.getText(ctx.sourceFile)}`;
    if (NO_NEWLINE_SOURCE.test(t.label) && !/\b(query|params|body|cookies|signedCookies)\b/.test(from)) continue;
    return { part: e, trace: t };
  }
  return undefined;
}

export default defineRule({
  meta: {
    id: 'log-injection',
    title: 'Request data written into log lines as raw text (log injection)',
    category: 'errors-logging',
    severity: 'warning',
    confidence: 'low',
    cwe: [117],
    owasp: 'A09:2021 Security Logging and Monitoring Failures',
    description: 'Finds request values (query, route params, body, cookies) written unescaped into text log files (`fs.appendFile(\'audit.log\', …)`, a log file stream) at medium confidence, and interpolated into `console` and text-logger messages at low confidence. Values passed through `JSON.stringify`, `encodeURIComponent`, or a `.replace` of line breaks are not reported.',
    notReported: 'JSON loggers (pino, bunyan, Fastify\'s `req.log`), which escape line breaks; values logged as object fields (`logger.info({ user })`); headers, the raw URL and the client IP, which cannot carry a raw line break; numbers and values cleaned of `\\r`/`\\n`.',
    why: 'A value with a line break in it (`%0A` in a query string is enough) ends the current log line and starts one the attacker wrote: a fake "admin logged in" entry in an audit log, a forged payment record, or terminal escape codes for whoever reads the log. Log readers and alerting then trust lines the app never wrote.',
    fix: 'Log request values as structured fields with a JSON logger (pino, winston\'s `format.json()`), or make them one line before writing: `String(value).replace(/[\\r\\n]+/g, \' \')` or `JSON.stringify(value)`.',
    bad: `const fs = require('node:fs');

app.post('/transfer', requireUser, async (req, res) => {
  await transfer(req.user.id, req.body.to, Number(req.body.amount));
  fs.appendFileSync('logs/audit.log', \`\${new Date().toISOString()} transfer to=\${req.body.to} by=\${req.user.id}\\n\`);
  res.json({ ok: true });
});`,
    good: `const fs = require('node:fs');

app.post('/transfer', requireUser, async (req, res) => {
  await transfer(req.user.id, req.body.to, Number(req.body.amount));
  fs.appendFileSync('logs/audit.log', JSON.stringify({ at: new Date(), action: 'transfer', to: req.body.to, by: req.user.id }) + '\\n');
  res.json({ ok: true });
});`,
    fixSafety: 'none',
    languages: ALL_LANGUAGES,
    defaultEnabled: true,
    tags: ['logging', 'injection'],
  },
  create(ctx) {
    if (ctx.facts.useClient) return {};
    let jsonLogger: boolean | undefined;
    const jsonLoggerFile = () => (jsonLogger ??= [...ctx.facts.modules].some((m) => JSON_LOGGERS.test(m)));
    /** `fs.createWriteStream('logs/access.log', { flags: 'a' })` kept in a variable. */
    const isLogStream = (recv: ts.Expression): boolean => {
      const v = resolveValue(ctx, recv);
      if (!ts.isCallExpression(v) || calleeName(v) !== 'createWriteStream' || !v.arguments[0]) return false;
      return LOG_FILE.test(v.arguments[0].getText(ctx.sourceFile));
    };
    const fileWrite = (call: ts.CallExpression | ts.NewExpression) => {
      if (!ts.isCallExpression(call)) return;
      const name = calleeName(call)!;
      let data: ts.Expression | undefined;
      let target: string;
      if (name === 'write') {
        const recv = calleeObject(call);
        if (!recv || !isLogStream(recv)) return;
        data = call.arguments[0];
        target = 'a log file';
      } else {
        const file = call.arguments[0];
        if (!file || !LOG_FILE.test(resolveValue(ctx, file).getText(ctx.sourceFile))) return;
        const recv = calleeObject(call);
        const r = recv && unwrap(recv);
        const fromFs = r ? ts.isIdentifier(r) && /^(node:)?fs(\/promises)?$|^fs-extra$/.test(importOf(ctx, r)?.module ?? (r.text === 'fs' ? 'fs' : '')) || /^fs(\.promises)?$/.test(memberChain(r)?.join('.') ?? '')
          : ts.isIdentifier(unwrap(call.expression)) && /^(node:)?fs(\/promises)?$|^fs-extra$/.test(importOf(ctx, unwrap(call.expression) as ts.Identifier)?.module ?? '');
        if (!fromFs) return;
        data = call.arguments[1];
        target = `\`${truncate(file.getText(ctx.sourceFile))}\``;
      }
      if (!data) return;
      const hit = textTaint(ctx, data);
      if (!hit) return;
      ctx.report({
        node: hit.part, confidence: 'medium',
        message: `Request data (\`${hit.trace.label}\`) is written into ${target} as raw text: a value containing a line break (\`%0A\`) ends the line and adds entries the app never wrote, such as a fake audit record. Write JSON lines (\`JSON.stringify({...})\`) or remove \`\\r\` and \`\\n\` from the value first.`,
        related: [{ node: hit.trace.source, message: `Request data enters here (${hit.trace.label}).` }],
      });
    };
    const logCall = (call: ts.CallExpression | ts.NewExpression) => {
      if (!ts.isCallExpression(call)) return;
      const name = calleeName(call)!;
      const recv = calleeObject(call);
      if (!recv) return;
      const chain = memberChain(call.expression);
      let kind: 'console' | 'logger' | undefined;
      if (chain?.length === 2 && chain[0] === 'console' && CONSOLE_METHODS.has(name)) kind = 'console';
      else if (LOGGER_METHODS.has(name)) {
        const r = unwrap(recv);
        const last = ts.isIdentifier(r) ? r.text : ts.isPropertyAccessExpression(r) ? r.name.text : undefined;
        if (last && LOGGER_NAME.test(last) && !jsonLoggerFile()) kind = 'logger';
      }
      if (!kind) return;
      // console.log('%s', x) and console.log('a', x) print strings as they are: every argument is text
      const args = kind === 'console' ? call.arguments : call.arguments.slice(0, 1);
      for (const a of args) {
        if (ts.isSpreadElement(a)) continue;
        const hit = textTaint(ctx, a);
        if (!hit) continue;
        ctx.report({
          node: hit.part, confidence: 'low',
          message: `Request data (\`${hit.trace.label}\`) goes into a text log line: a value with a line break (\`%0A\`) can add fake lines to the log. Log it as a structured field (a JSON logger such as pino), or remove \`\\r\` and \`\\n\` first.`,
          related: [{ node: hit.trace.source, message: `Request data enters here (${hit.trace.label}).` }],
        });
        return;
      }
    };
    return { calls: sameVisitor(CALL_NAMES, (call) => (FILE_WRITES.has(calleeName(call)!) ? fileWrite(call) : logCall(call))) };
  },
});

function truncate(s: string, max = 40): string {
  return s.length > max ? s.slice(0, max - 1) + '…' : s;
}
