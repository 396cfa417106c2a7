import { ts } from 'ts-morph';
import { ALL_LANGUAGES, defineRule, type RuleContext } from '../../model/rule';
import { isFunctionLike, literalText, memberChain, propertyNameText, unwrap } from '../../util/ast';
import { optionValue } from '../../util/resolve-values';
import { tryFixes } from '../../fixes/edits';
import { tlsFixes } from '../../fixes/config';
import { textPrefilter } from '../../util/text-words';

/** the pre-filter's expression, asked only of a text that holds one of these words (util/text-words.ts) */
const VERIFY_OPTIONS = textPrefilter(/rejectUnauthorized|strictSSL|tlsAllowInvalid|tlsInsecure|sslValidate|checkServerIdentity|NODE_TLS_REJECT_UNAUTHORIZED/, ['rejectUnauthorized', 'strictSSL', 'tlsAllowInvalid', 'tlsInsecure', 'sslValidate', 'checkServerIdentity', 'NODE_TLS_REJECT_UNAUTHORIZED']);

/** Conditions under which turning verification off is a deliberate local/dev/opt-in path. */
const DEV_CONDITION = /\bdev|development|local|\btest|insecure|self.?signed|no.?verify|sslmode|verify|allow.?unauthori[sz]ed|skip.?tls|ignore.?(cert|tls|ssl)/i;
/** A setting that switches certificate checks, read in a condition: `settings.reject_unauthorized`, `config.tls.insecure`. */
const VERIFY_SETTING = /\.\s*(reject_?unauthori[sz]ed|(tls_?|ssl_?)?insecure|allow_?self_?signed|allow_?insecure|skip_?(tls_?|ssl_?|cert_?)?verif\w*|verify_?(ssl|tls|certs?|certificates?)|(ssl|tls|cert)_?verify|strict_?ssl|ignore_?(cert|ssl|tls)\w*)\b/i;

/**
 * What an environment test evaluates to in production: `NODE_ENV === 'production'` → true, `isDev` → false,
 * `!isProd` → false; undefined when it is not such a test.
 */
function inProduction(e: ts.Expression): boolean | undefined {
  const u = unwrap(e);
  if (ts.isPrefixUnaryExpression(u) && u.operator === ts.SyntaxKind.ExclamationToken) {
    const v = inProduction(u.operand);
    return v === undefined ? undefined : !v;
  }
  if (ts.isIdentifier(u) || ts.isPropertyAccessExpression(u)) {
    const name = ts.isIdentifier(u) ? u.text : u.name.text;
    if (/^(is)?prod(uction)?$/i.test(name)) return true;
    if (/^(is)?(dev|development|local|test|debug)$/i.test(name)) return false;
    return undefined;
  }
  if (ts.isBinaryExpression(u)) {
    const k = u.operatorToken.kind;
    const eq = k === ts.SyntaxKind.EqualsEqualsEqualsToken || k === ts.SyntaxKind.EqualsEqualsToken;
    const ne = k === ts.SyntaxKind.ExclamationEqualsEqualsToken || k === ts.SyntaxKind.ExclamationEqualsToken;
    if (!eq && !ne) return undefined;
    const lit = literalText(u.right) ?? literalText(u.left);
    const other = literalText(u.right) !== undefined ? u.left : u.right;
    if (lit === undefined || !/(^|\.)(NODE_ENV|APP_ENV|VERCEL_ENV|ENVIRONMENT|STAGE|env|nodeEnv|environment|stage)$/.test(other.getText())) return undefined;
    const isProdValue = /^prod(uction)?$/i.test(lit);
    return eq ? isProdValue : !isProdValue;
  }
  return undefined;
}
const LOCAL_HOST = /^(localhost|127\.0\.0\.1|::1|0\.0\.0\.0)$/;

/** Options that disable certificate checks, and the value that disables them (no prototype: `constructor` is not one). */
const DISABLING: Record<string, boolean> = Object.assign(Object.create(null) as Record<string, boolean>, {
  rejectUnauthorized: false,
  strictSSL: false,
  tlsAllowInvalidCertificates: true,
  tlsAllowInvalidHostnames: true,
  tlsInsecure: true,
  sslValidate: false,
});

/** The conditions of the enclosing `if`s/ternaries/`&&`/`switch`es inside the same function, innermost first. */
function guardingConditions(node: ts.Node): { cond: ts.Expression; whenTrue: boolean }[] {
  const out: { cond: ts.Expression; whenTrue: boolean }[] = [];
  let n: ts.Node = node;
  while (n.parent && !isFunctionLike(n.parent)) {
    const p = n.parent;
    if (ts.isIfStatement(p) && (p.thenStatement === n || p.elseStatement === n)) out.push({ cond: p.expression, whenTrue: p.thenStatement === n });
    if (ts.isConditionalExpression(p) && (p.whenTrue === n || p.whenFalse === n)) out.push({ cond: p.condition, whenTrue: p.whenTrue === n });
    if (ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken && p.right === n) out.push({ cond: p.left, whenTrue: true });
    // switch (config.sslmode) { case 'prefer': … }: the switch subject says what is being chosen
    if (ts.isCaseClause(p)) out.push({ cond: p.parent.parent.expression, whenTrue: true });
    n = p;
  }
  return out;
}

/** Whether the options object connects to this machine (`host: 'localhost'`), where a self-signed cert is normal. */
function localTarget(ctx: RuleContext, obj: ts.Node): boolean {
  let o: ts.Node | undefined = obj;
  for (let i = 0; i < 3 && o; i++, o = o.parent?.parent) {
    if (!ts.isObjectLiteralExpression(o)) break;
    for (const k of ['host', 'hostname', 'servername']) {
      const v = optionValue(ctx, o, k);
      if (v && v !== 'unknown' && LOCAL_HOST.test(literalText(v) ?? '')) return true;
    }
  }
  return false;
}

/** What kind of connection an option sits in: a database `ssl` block, or an HTTP/TLS client. */
/** Clients whose `ssl`/`tls` option is not a database connection: the message must name the right server. */
const OTHER_TLS_CLIENTS: [RegExp, string][] = [
  [/^(kafkajs|node-rdkafka|@confluentinc\/kafka-javascript)$/, 'Kafka broker'],
  [/^(ioredis|redis|@redis\/client|bullmq|bull|bee-queue)$/, 'Redis server'],
  [/^(amqplib|amqp-connection-manager|rhea|stompit|mqtt|nats)$/, 'message broker'],
  [/^(nodemailer|emailjs|smtp-server)$/, 'mail server'],
  [/^(ldapjs|ldapts|activedirectory2?)$/, 'directory (LDAP) server'],
  [/^(ws|socket\.io-client)$/, 'WebSocket server'],
];

function contextOf(p: ts.Node, modules: ReadonlySet<string>): 'database' | 'client' | string {
  for (const m of modules) for (const [re, name] of OTHER_TLS_CLIENTS) if (re.test(m)) return name;
  const obj = p.parent;
  let holder = obj?.parent;
  // ssl: isProd ? { rejectUnauthorized: false } : false
  while (holder && (ts.isConditionalExpression(holder) || ts.isParenthesizedExpression(holder) || ts.isBinaryExpression(holder))) holder = holder.parent;
  if (holder && ts.isPropertyAssignment(holder)) {
    const n = propertyNameText(holder.name) ?? '';
    if (n === 'ssl' || n === 'dialectOptions') return 'database';
  }
  const text = p.getSourceFile().text;
  if (/\b(pg|postgres|mysql2?|sequelize|knex|typeorm|mongodb|mongoose|ioredis|redis)\b['"]/.test(text) && holder && ts.isPropertyAssignment(holder) && /ssl|tls/i.test(propertyNameText(holder.name) ?? '')) return 'database';
  return 'client';
}

export default defineRule({
  meta: {
    id: 'tls-verification-disabled',
    title: 'TLS certificate checks turned off',
    category: 'config',
    severity: 'warning',
    confidence: 'medium',
    cwe: [295],
    // OWASP 2021 maps CWE-295 (improper certificate validation) to A07: the server's identity is never authenticated
    owasp: 'A07:2021 Identification and Authentication Failures',
    description: 'Finds code that turns off certificate verification for outgoing TLS: `rejectUnauthorized: false` (https.Agent, axios/undici agents, tls.connect, pg/mysql `ssl`, nodemailer), `NODE_TLS_REJECT_UNAUTHORIZED = \'0\'`, `strictSSL: false`, MongoDB `tlsAllowInvalidCertificates`/`tlsInsecure`, and `checkServerIdentity` stubs (at low confidence when the same options name the CA to trust with `ca`: the chain is still checked, only the host name is not). Settings that only apply in development or to localhost, or that a user\'s own setting switches (`if (settings.reject_unauthorized === false)`), are reported at low confidence.',
    notReported: 'Settings that only apply in development, in tests or to localhost (low confidence), and `rejectUnauthorized: true`.',
    why: 'Certificate checks are how your server knows it is really talking to your database, payment provider or API, and not to someone in the middle. With them off, anyone on the network path (a compromised router, a cloud neighbour, a hostile Wi-Fi) can read and change the traffic, including passwords, tokens and query results, without any error.',
    fix: 'Leave verification on. For a service with a private or self-signed certificate, trust that certificate explicitly with `ca: fs.readFileSync(\'ca.pem\')` (hosted Postgres providers publish their CA bundle) instead of turning checks off.',
    bad: `import https from 'node:https';
import axios from 'axios';
const api = axios.create({ httpsAgent: new https.Agent({ rejectUnauthorized: false }) });`,
    good: `import https from 'node:https';
import fs from 'node:fs';
import axios from 'axios';
const api = axios.create({ httpsAgent: new https.Agent({ ca: fs.readFileSync('certs/internal-ca.pem') }) });`,
    fixSafety: 'suggestion',
    languages: ALL_LANGUAGES,
    defaultEnabled: true,
    tags: ['tls', 'config', 'network'],
  },
  create(ctx) {
    if (!VERIFY_OPTIONS.test(ctx.text)) return {}; // cheap pre-filter: none of the options this rule looks at
    const conditionalConfidence = (node: ts.Node): 'medium' | 'low' => {
      if (ctx.facts.testFile) return 'low';
      for (const { cond, whenTrue } of guardingConditions(node)) {
        const prod = inProduction(cond);
        // `NODE_ENV === 'production' ? { rejectUnauthorized: false } : …` is the production setting: keep it
        if (prod !== undefined) { if (prod !== whenTrue) return 'low'; continue; }
        if (DEV_CONDITION.test(cond.getText(ctx.sourceFile))) return 'low';
        // `if (mqttSettings.reject_unauthorized === false) options.rejectUnauthorized = false`: the user's setting
        // decides, as with `rejectUnauthorized: settings.rejectUnauthorized`
        if (VERIFY_SETTING.test(cond.getText(ctx.sourceFile))) return 'low';
      }
      return 'medium';
    };

    const reportOption = (p: ts.Node, key: string, valueText: string, confidence: 'medium' | 'low') => {
      const where = contextOf(p, ctx.facts.modules);
      const local = p.parent && localTarget(ctx, p.parent);
      const message = key === 'rejectUnauthorized' && where === 'database'
        ? `\`ssl: { rejectUnauthorized: false }\` encrypts the database connection but accepts any certificate, so anyone on the network path can pose as the database and read every query and password. Hosted database providers publish their CA certificate: pass it as \`ssl: { ca: fs.readFileSync('ca.pem').toString() }\` instead.`
        : key === 'rejectUnauthorized' && where !== 'client'
          ? `\`rejectUnauthorized: false\` encrypts the connection to the ${where} but accepts any certificate, so anyone on the network path can pose as the ${where} and read or change everything sent to it, credentials included. Trust the ${where}'s own or private CA certificate with the \`ca\` option instead.`
        : key === 'checkServerIdentity'
          ? '`checkServerIdentity` is replaced by a function that accepts every host name, so a valid certificate for any other site is accepted here and the connection can be intercepted. Remove the override (or call `tls.checkServerIdentity` inside it).'
          : `\`${key}: ${valueText}\` turns off certificate checks, so anyone on the network path can pose as this server and read or change the traffic. Keep verification on and trust a private or self-signed certificate with the \`ca\` option instead.`;
      ctx.report({ node: p, confidence: local ? 'low' : confidence, message, fixes: tryFixes(() => tlsFixes(ctx, p, key)) });
    };

    return {
      PropertyAssignment(p) {
        const key = propertyNameText(p.name);
        if (!key) return;
        if (key === 'NODE_TLS_REJECT_UNAUTHORIZED') {
          if (literalText(p.initializer) === '0' || (ts.isNumericLiteral(unwrap(p.initializer)) && (unwrap(p.initializer) as ts.NumericLiteral).text === '0')) {
            ctx.report({
              node: p,
              severity: 'error',
              confidence: conditionalConfidence(p),
              message: '`NODE_TLS_REJECT_UNAUTHORIZED: \'0\'` turns off certificate checks for every HTTPS and TLS connection of that process, so any of them can be intercepted. Remove it and trust private certificates with `NODE_EXTRA_CA_CERTS` instead.',
              fixes: tryFixes(() => tlsFixes(ctx, p, key)),
            });
          }
          return;
        }
        if (key === 'checkServerIdentity') {
          const fn = unwrap(p.initializer);
          if ((ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) && fn.body) {
            const empty = ts.isBlock(fn.body) ? fn.body.statements.length === 0 || fn.body.statements.every((s) => ts.isReturnStatement(s) && (!s.expression || unwrap(s.expression).kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(unwrap(s.expression)) && (unwrap(s.expression) as ts.Identifier).text === 'undefined')))
              : unwrap(fn.body).kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(unwrap(fn.body)) && (unwrap(fn.body) as ts.Identifier).text === 'undefined') || ts.isVoidExpression(unwrap(fn.body));
            if (!empty) return;
            // the chain is still checked against a CA the code names (a private CA for this one service): only the
            // host name is not, so only certificates that CA issued for other hosts get through
            if (ts.isObjectLiteralExpression(p.parent) && p.parent.properties.some((q) => !ts.isSpreadAssignment(q) && !!q.name && propertyNameText(q.name) === 'ca')) {
              ctx.report({
                node: p,
                confidence: 'low',
                message: '`checkServerIdentity` is replaced by a function that accepts every host name. The certificate must still be signed by the CA given in `ca`, so the risk is limited to other certificates from that CA; if it is a public CA, or shared with other services, anyone holding one of its certificates can intercept this connection. Put the host name the server\'s certificate was issued for in `servername`, and remove the override.',
              });
              return;
            }
            reportOption(p, key, '', conditionalConfidence(p));
          }
          return;
        }
        if (!(key in DISABLING)) return;
        const v = unwrap(p.initializer);
        const off = DISABLING[key];
        const isLiteral = v.kind === ts.SyntaxKind.TrueKeyword || v.kind === ts.SyntaxKind.FalseKeyword;
        if (isLiteral) {
          if ((v.kind === ts.SyntaxKind.TrueKeyword) !== off) return;
          // https.createServer({ requestCert: true, rejectUnauthorized: false }): optional client certificates
          // on a server (checked later with `req.socket.authorized`), not an outgoing connection without checks
          if (key === 'rejectUnauthorized' && ts.isObjectLiteralExpression(p.parent) && optionValue(ctx, p.parent, 'requestCert') !== undefined) {
            ctx.report({
              node: p,
              confidence: 'low',
              message: 'With `requestCert` and `rejectUnauthorized: false` the server asks for client certificates but also accepts clients without a valid one. That is fine if every protected route checks `req.socket.authorized`; otherwise set `rejectUnauthorized: true`.',
            });
            return;
          }
          reportOption(p, key, String(off), conditionalConfidence(p));
          return;
        }
        // computed: `rejectUnauthorized: process.env.NODE_ENV === 'production'` is off in development only
        const text = v.getText(ctx.sourceFile);
        const prod = key === 'rejectUnauthorized' ? inProduction(v) : undefined;
        if (prod === false) {
          ctx.report({
            node: p,
            confidence: conditionalConfidence(p),
            message: `\`${key}: ${text.length > 50 ? text.slice(0, 49) + '…' : text}\` is false in production, so certificate checks are off exactly where real traffic flows and anyone on the network path can intercept it. Set it to \`true\` and trust a private certificate with the \`ca\` option.`,
          });
          return;
        }
        if ((prod === true || DEV_CONDITION.test(text) || /NODE_ENV|prod/i.test(text)) && key === 'rejectUnauthorized') {
          ctx.report({
            node: p,
            confidence: 'low',
            message: prod === true
              ? `\`${key}: ${text.length > 50 ? text.slice(0, 49) + '…' : text}\` turns certificate checks off outside production. Make sure no deployed environment (staging, preview) runs with it off, and prefer trusting the local certificate with \`ca\`.`
              : `\`${key}: ${text.length > 50 ? text.slice(0, 49) + '…' : text}\` lets configuration turn certificate checks off. Make sure it is true in every deployed environment, and trust private certificates with \`ca\` instead.`,
          });
        }
      },
      BinaryExpression(b) {
        if (b.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return;
        const chain = memberChain(b.left);
        if (!chain) return;
        const last = chain[chain.length - 1];
        const r = unwrap(b.right);
        if (last === 'NODE_TLS_REJECT_UNAUTHORIZED' && chain[0] === 'process') {
          const lit = literalText(r) ?? (ts.isNumericLiteral(r) ? r.text : undefined);
          if (lit !== '0') return;
          ctx.report({
            node: b,
            severity: 'error',
            confidence: conditionalConfidence(b),
            message: '`process.env.NODE_TLS_REJECT_UNAUTHORIZED = \'0\'` turns off certificate checks for every HTTPS and TLS connection in this process (database, payment and API calls alike), so any of them can be intercepted. Remove it and trust private certificates with `NODE_EXTRA_CA_CERTS` or the `ca` option.',
            fixes: tryFixes(() => tlsFixes(ctx, b, last)),
          });
          return;
        }
        if (last in DISABLING && chain.length >= 2) {
          const isOff = DISABLING[last] ? r.kind === ts.SyntaxKind.TrueKeyword : r.kind === ts.SyntaxKind.FalseKeyword;
          if (isOff) reportOption(b, last, String(DISABLING[last]), conditionalConfidence(b));
        }
      },
    };
  },
});
