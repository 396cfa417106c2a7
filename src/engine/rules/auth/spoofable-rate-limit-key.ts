import { ts } from 'ts-morph';
import { ALL_LANGUAGES, defineRule, type RuleContext } from '../../model/rule';
import { calleeName, isFunctionLike, literalText, memberChain, propertyNameText, unwrap } from '../../util/ast';
import { textPrefilter } from '../../util/text-words';

/** the pre-filter's expression, asked only of a text that holds one of these words (util/text-words.ts) */
const PROXY_HEADERS = textPrefilter(/forwarded|real-ip|client-ip|connecting-ip|trust proxy/i, ['forwarded', 'real-ip', 'client-ip', 'connecting-ip', 'trust proxy']);

/** Headers a client can set to any value unless a proxy in front overwrites them. */
const IP_HEADERS = /^(x-forwarded-for|x-real-ip|x-client-ip|true-client-ip|cf-connecting-ip|fly-client-ip|x-cluster-client-ip|forwarded)$/i;
const LIMITER_CHAIN = /limit|limiter|throttle|ratelimit|bucket/i;
const LIMIT_METHODS = new Set(['consume', 'limit', 'check', 'hit', 'increment', 'penalty', 'block', 'take', 'get']);

/** The spoofable header an expression reads (directly or through locals), if any. */
function headerRead(ctx: RuleContext, expr: ts.Node, depth = 0): string | undefined {
  if (depth > 3) return undefined;
  let found: string | undefined;
  const visit = (n: ts.Node) => {
    if (found) return;
    if (ts.isStringLiteralLike(n) && IP_HEADERS.test(n.text)) {
      // used as a header name: headers['x-forwarded-for'], headers.get('x-real-ip'), req.header('…'), req.get('…')
      const p = n.parent;
      if (p && (ts.isElementAccessExpression(p) || (ts.isCallExpression(p) && /^(get|header|getHeader)$/.test(calleeName(p) ?? '')))) { found = n.text.toLowerCase(); return; }
    }
    if (ts.isIdentifier(n) && !(n.parent && ts.isPropertyAccessExpression(n.parent) && n.parent.name === n)) {
      const b = ctx.taint.scopes.resolve(n);
      if (b && ts.isVariableDeclaration(b) && b.initializer && !(n.pos >= b.pos && n.end <= b.end)) {
        const h = headerRead(ctx, b.initializer, depth + 1);
        if (h) { found = h; return; }
      }
    }
    if (ts.isPropertyAccessExpression(n)) {
      const chain = memberChain(n);
      // req.headers['x-forwarded-for'] written as a property: headers.x_forwarded_for is not valid; only `forwarded`
      if (chain && chain[chain.length - 2] === 'headers' && IP_HEADERS.test(chain[chain.length - 1])) { found = chain[chain.length - 1]; return; }
    }
    ts.forEachChild(n, visit);
  };
  visit(expr);
  return found;
}

export default defineRule({
  meta: {
    id: 'spoofable-rate-limit-key',
    title: 'Rate limit keyed on a header the client can fake',
    category: 'auth',
    severity: 'warning',
    confidence: 'medium',
    cwe: [290, 348, 307],
    owasp: 'A07:2021 Identification and Authentication Failures',
    description: 'Finds rate limiters whose key is read straight from `X-Forwarded-For`, `X-Real-IP` or similar headers (an express-rate-limit or @fastify/rate-limit `keyGenerator`, `limiter.consume(…)`, `ratelimit.limit(…)`), and Express apps that set `trust proxy` to `true` (trust every proxy) next to a rate limiter.',
    notReported: 'Keys from `req.ip` with a bounded `trust proxy` (a hop count or the proxy\'s addresses), and Next.js or other serverless code, where the platform (e.g. Vercel) overwrites `X-Forwarded-For`: those are low confidence.',
    why: 'Anyone can send an `X-Forwarded-For` header with any value. If the limiter counts attempts per that value, an attacker sends a new fake address with every request and is never limited: password guessing, code guessing and costly endpoints stay open. `trust proxy: true` makes Express take `req.ip` from the same header.',
    fix: 'Key the limiter on `req.ip` and tell Express exactly which proxies to trust: `app.set(\'trust proxy\', 1)` (one proxy in front) or the proxy\'s addresses, never `true`. If you must read the header, take the address your own proxy appended (the right-most one), not the first. For logins, also limit per account.',
    bad: `import rateLimit from 'express-rate-limit';
export const loginLimiter = rateLimit({
  windowMs: 15 * 60 * 1000,
  max: 5,
  keyGenerator: (req) => req.headers['x-forwarded-for'] || req.ip,
});`,
    good: `import rateLimit from 'express-rate-limit';
app.set('trust proxy', 1); // one load balancer in front
export const loginLimiter = rateLimit({ windowMs: 15 * 60 * 1000, max: 5 });`,
    fixSafety: 'none',
    languages: ALL_LANGUAGES,
    defaultEnabled: true,
    tags: ['rate-limit', 'auth'],
  },
  create(ctx) {
    if (!PROXY_HEADERS.test(ctx.text)) return {};
    // serverless platforms (Vercel, Netlify, Cloudflare) set X-Forwarded-For themselves
    const platform = ctx.facts.nextRouteFile || ctx.facts.nextPagesApi || [...ctx.facts.modules].some((m) => m === 'next' || m.startsWith('next/') || m.startsWith('@vercel/') || m.startsWith('@upstash/') || m.startsWith('@netlify/'))
      || /(^|\/)middleware\.[cm]?[jt]s$/.test(ctx.path.replace(/\\/g, '/'));
    const hasLimiter = [...ctx.facts.modules].some((m) => /rate-?limit|ratelimit|limiter|throttle/i.test(m)) || /rateLimit|RateLimiter|limiter/i.test(ctx.text);
    const confidence = ctx.facts.testFile || platform ? 'low' : 'medium';

    const reportKey = (node: ts.Node, header: string, where: string) => {
      ctx.report({
        node,
        confidence,
        message: `${where} is keyed on the \`${header}\` header, which any client can set to a new value on every request, so the limit never applies to an attacker. Key on \`req.ip\` and set \`app.set('trust proxy', 1)\` (or your proxy's addresses) so Express reads the address your own proxy added.`,
      });
    };

    return {
      PropertyAssignment(p) {
        if (propertyNameText(p.name) !== 'keyGenerator') return;
        const fn = unwrap(p.initializer);
        const h = isFunctionLike(fn) && fn.body ? headerRead(ctx, fn.body) : ts.isIdentifier(fn) ? headerRead(ctx, fn) : undefined;
        if (h) reportKey(p, h, 'This rate limiter');
      },
      MethodDeclaration(m) {
        if (m.name.getText(ctx.sourceFile) !== 'keyGenerator' || !m.body) return;
        const h = headerRead(ctx, m.body);
        if (h) reportKey(m.name, h, 'This rate limiter');
      },
      CallExpression(call) {
        const name = calleeName(call);
        if (!name) return;
        // app.set('trust proxy', true)
        if (name === 'set' && call.arguments.length === 2 && literalText(call.arguments[0]) === 'trust proxy' && unwrap(call.arguments[1]).kind === ts.SyntaxKind.TrueKeyword) {
          ctx.report({
            node: call,
            confidence: ctx.facts.testFile || !hasLimiter ? 'low' : 'medium',
            message: `\`trust proxy\` set to \`true\` makes Express take \`req.ip\` from the left-most \`X-Forwarded-For\` address, which the client writes itself${hasLimiter ? ': the rate limiter in this file can then be dodged by sending a new fake address with each request' : ''}. Trust only your own proxies: \`app.set('trust proxy', 1)\` for one load balancer, or their addresses.`,
          });
          return;
        }
        // limiter.consume(ip) / ratelimit.limit(ip)
        if (!LIMIT_METHODS.has(name) || !call.arguments.length) return;
        const chain = memberChain(call.expression);
        if (!chain || chain.length < 2 || !LIMITER_CHAIN.test(chain.slice(0, -1).join('.'))) return;
        const h = headerRead(ctx, call.arguments[0]);
        if (h) reportKey(call, h, `\`${chain.join('.')}(…)\``);
      },
    };
  },
});
