import { ts } from 'ts-morph';
import { ALL_LANGUAGES, defineRule, type RuleContext } from '../../model/rule';
import { calleeObject, getPropertyValue, memberChain, unwrap } from '../../util/ast';
import { resolveNumber, resolveObject } from '../../util/resolve-values';

const SERVER_MODULES = /^(express|(node:)?http|fastify|koa|hono|@hono\/node-server|restify|polka|connect)$/;
/** Signs that TLS is handled: an HTTPS server, a proxy that is trusted, HSTS, or a redirect to https. */
const TLS_HINTS = /\b(https\.createServer|createSecureServer|require\(\s*['"](node:)?https['"]\s*\)|from\s+['"](node:)?https['"]|trust proxy|trustProxy|proxy\s*=\s*true|Strict-Transport-Security|\bhsts\b|helmet|x-forwarded-proto|req\.secure|request\.protocol|greenlock|redirect\([^)]*https:|`https:\/\/\$\{)/i;
/** Routes that carry passwords or sessions. */
const AUTH_ROUTES = /['"`]\/[\w/-]*(login|signin|sign-in|signup|sign-up|register|auth|session|password|account|checkout|payment)[\w/-]*['"`]|passport\.|express-session|cookie-session/i;

/** The port a `listen(…)` call opens: `80`, `process.env.PORT || 80`, `{ port: 80 }`. */
function portOf(ctx: RuleContext, arg: ts.Expression | undefined, depth = 0): number | undefined {
  if (!arg || depth > 3) return undefined;
  const e = unwrap(arg);
  const n = resolveNumber(ctx, e);
  if (n !== undefined) return n;
  if (ts.isBinaryExpression(e) && (e.operatorToken.kind === ts.SyntaxKind.BarBarToken || e.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken)) {
    // `process.env.PORT || 80`: the port the code falls back to when nothing is configured
    const chain = memberChain(e.left);
    if (chain && chain[0] === 'process' && chain[1] === 'env') return portOf(ctx, e.right, depth + 1);
  }
  if (ts.isCallExpression(e) && e.arguments.length && /^(Number|parseInt)$/.test(e.expression.getText())) return portOf(ctx, e.arguments[0], depth + 1);
  const o = resolveObject(ctx, e);
  if (o) return portOf(ctx, getPropertyValue(o, 'port'), depth + 1);
  return undefined;
}

export default defineRule({
  meta: {
    id: 'http-without-tls',
    title: 'Server listens on plain HTTP port 80 without TLS or HTTPS redirect',
    category: 'config',
    severity: 'warning',
    confidence: 'low',
    cwe: [319],
    owasp: 'A02:2021 Cryptographic Failures',
    description: 'Finds Node servers (Express, `http.createServer`, Fastify, Koa) that listen on port 80 themselves, with no HTTPS server, no redirect to https, no HSTS and no trusted proxy anywhere in the file. It is reported at medium confidence when the same file serves login, session or payment routes, and at low confidence otherwise.',
    notReported: 'Servers on other ports (3000, 8080, `process.env.PORT`): they almost always sit behind a platform or proxy that terminates TLS. Files that create an HTTPS server, set `trust proxy`, use helmet/HSTS or redirect to https are quiet.',
    why: 'On plain HTTP, passwords, session cookies and personal data cross the network as readable text: anyone on the same Wi-Fi, or any network in between, can read and change them. Browsers also mark such sites "Not secure".',
    fix: 'Put the app behind a proxy or platform that terminates TLS (Nginx, Caddy, a load balancer, Vercel, Fly, Render…) and listen on an internal port, with `app.set(\'trust proxy\', 1)` and HSTS (helmet). If the app must face the internet itself, serve `https.createServer({ key, cert }, app)` on 443 and make port 80 only redirect to https.',
    bad: `const express = require('express');
const session = require('express-session');
const app = express();
app.use(session({ secret: process.env.SESSION_SECRET, resave: false, saveUninitialized: false }));
app.post('/login', login);
app.listen(80, () => console.log('listening on 80'));`,
    good: `const express = require('express');
const helmet = require('helmet');
const app = express();
app.set('trust proxy', 1); // TLS is terminated by the load balancer
app.use(helmet());
app.post('/login', login);
app.listen(process.env.PORT || 3000);`,
    fixSafety: 'none',
    languages: ALL_LANGUAGES,
    defaultEnabled: true,
    tags: ['transport', 'tls', 'config'],
  },
  create(ctx) {
    if (!/listen/.test(ctx.text) || ![...ctx.facts.modules].some((m) => SERVER_MODULES.test(m))) return {};
    if (TLS_HINTS.test(ctx.text)) return {};
    return {
      calls: {
        listen(call) {
          if (!ts.isCallExpression(call) || !calleeObject(call)) return;
          const port = portOf(ctx, call.arguments[0]);
          if (port !== 80) return;
          const auth = AUTH_ROUTES.test(ctx.text);
          ctx.report({
            node: call,
            confidence: auth && !ctx.facts.testFile ? 'medium' : 'low',
            message: `This server listens on plain HTTP port 80 and nothing in the file sets up TLS, an https redirect, HSTS or a trusted proxy${auth ? ', while it serves login or session routes' : ''}: passwords and session cookies would cross the network readable by anyone on the way. Terminate TLS in front of it (a proxy or your platform) and listen on an internal port with \`app.set('trust proxy', 1)\` and HSTS, or serve HTTPS on 443 and make port 80 only redirect.`,
          });
        },
      },
    };
  },
});
