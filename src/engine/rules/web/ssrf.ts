import { ts } from 'ts-morph';
import { ALL_LANGUAGES, defineRule, sameVisitor, type RuleContext } from '../../model/rule';
import { calleeName, calleeObject, getPropertyValue, literalText, memberChain, rootIdentifier, unwrap } from '../../util/ast';
import { isDomSource, judgeParts, judgeUrl, resolveValue, truncate } from '../../util/web';
import { isRegexSpace } from '../../util/text';

/** the callees the rule's call visitor acts on in a file that imports no HTTP client: only the global fetch can be one */
const FETCH_CALLS = ['fetch', '$fetch'];
/** HTTP client modules, and how their exports are called. */
const CLIENT_MODULES = /^(axios|got|ky|ky-universal|needle|superagent|undici|node-fetch|cross-fetch|isomorphic-fetch|isomorphic-unfetch|@whatwg-node\/fetch|ofetch|phin|centra|wretch|request|request-promise|request-promise-native|make-fetch-happen|(node:)?https?)$/;
const CALLABLE_EXPORTS = new Set(['default', '*', 'fetch', 'request', 'get', 'stream', 'ofetch', '$fetch']);
const METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'del', 'head', 'options', 'request', 'stream', 'fetch', 'paginate']);

interface Target { url?: ts.Expression; host?: ts.Expression; client: string }

/** The URL (or host) a client call will contact, if `call` is an outgoing HTTP request. */
function targetOf(ctx: RuleContext, call: ts.CallExpression, hasClientModule: boolean): Target | undefined {
  const callee = unwrap(call.expression);
  const name = calleeName(call);
  if (!name) return undefined;
  // without an HTTP client import, only the global fetch can be a sink: skip the costly lookups for other calls
  if (!hasClientModule && name !== 'fetch' && name !== '$fetch') return undefined;
  let client: string | undefined;
  let urlIndex = 0;
  if (ts.isIdentifier(callee)) {
    const imp = ctx.facts.imports.get(callee.text);
    if (imp) {
      if (!CLIENT_MODULES.test(imp.module) || !(CALLABLE_EXPORTS.has(imp.imported) || METHODS.has(imp.imported))) return undefined;
      client = imp.module;
    } else if (!ctx.taint.scopes.resolve(callee)) {
      if (callee.text === 'fetch' || callee.text === '$fetch') client = 'fetch';
      else return undefined;
    } else if (isClientInstance(ctx, callee)) {
      client = 'client';
    } else return undefined;
    if (client === 'needle' && call.arguments.length >= 2 && literalText(call.arguments[0])) urlIndex = 1;
  } else {
    const recv = calleeObject(call);
    if (!recv || !METHODS.has(name)) return undefined;
    const chain = memberChain(recv)?.join('.');
    const root = rootIdentifier(recv);
    if (chain === 'globalThis' || chain === 'global') {
      if (name !== 'fetch') return undefined;
      client = 'fetch';
    } else if (root && ctx.facts.imports.has(root.text) && root === unwrap(recv)) {
      const mod = ctx.facts.imports.get(root.text)!.module;
      if (!CLIENT_MODULES.test(mod)) return undefined;
      client = mod;
      if (/https?$/.test(mod) && name !== 'get' && name !== 'request') return undefined;
    } else if (root && root === unwrap(recv) && isClientInstance(ctx, root)) {
      client = 'client';
    } else return undefined;
    if ((client === 'needle' && name === 'request') || (client === 'needle' && call.arguments.length >= 2 && literalText(call.arguments[0]) && name === 'request')) urlIndex = 1;
  }
  const arg = call.arguments[urlIndex];
  if (!arg) return undefined;
  const v = resolveValue(ctx, arg);
  if (ts.isObjectLiteralExpression(v)) {
    const url = getPropertyValue(v, 'url') ?? getPropertyValue(v, 'uri') ?? getPropertyValue(v, 'href');
    const host = getPropertyValue(v, 'hostname') ?? getPropertyValue(v, 'host');
    if (!url && !host) return undefined;
    return { url, host, client };
  }
  return { url: arg, client };
}

/** `const api = axios.create(…)`, `got.extend(…)`, `ky.create(…)`, `new Client(…)` from undici. */
function isClientInstance(ctx: RuleContext, id: ts.Identifier): boolean {
  const v = resolveValue(ctx, id, 1);
  if (ts.isCallExpression(v) && (calleeName(v) === 'create' || calleeName(v) === 'extend')) {
    const r = calleeObject(v);
    const root = r && rootIdentifier(r);
    return !!root && CLIENT_MODULES.test(ctx.facts.imports.get(root.text)?.module ?? (root.text === 'axios' ? 'axios' : ''));
  }
  return false;
}

/** `require('axios')` and the other HTTP clients, written anywhere in the file */
export const REQUIRE_CLIENT = /require\(\s*['"`](axios|got|ky|needle|superagent|undici|node-fetch|(node:)?https?)['"`]/;
const CLIENT_NAMES = new Set(['axios', 'got', 'ky', 'needle', 'superagent', 'undici', 'node-fetch', 'http', 'https', 'node:http', 'node:https']);

/**
 * `REQUIRE_CLIENT.test(text)`, looking only at each `require(`: after white space, a quote, one of the names and a
 * quote (names hold no quote: the name is what lies between the first quote and the next).
 */
export function requiresClient(text: string): boolean {
  for (let i = text.indexOf('require('); i !== -1; i = text.indexOf('require(', i + 1)) {
    let j = i + 8;
    while (j < text.length && isRegexSpace(text.charCodeAt(j))) j++;
    const q = text.charCodeAt(j);
    if (q !== 39 && q !== 34 && q !== 96) continue;
    let k = j + 1;
    // (the longest name has 10 characters)
    while (k < text.length && k - j <= 11) { const c = text.charCodeAt(k); if (c === 39 || c === 34 || c === 96) break; k++; }
    const c = text.charCodeAt(k);
    if ((c === 39 || c === 34 || c === 96) && CLIENT_NAMES.has(text.slice(j + 1, k))) return true;
  }
  return false;
}

export default defineRule({
  meta: {
    id: 'ssrf',
    title: 'Server fetches a URL chosen by the request',
    category: 'web',
    severity: 'error',
    confidence: 'high',
    cwe: [918],
    owasp: 'A10:2021 Server-Side Request Forgery (SSRF)',
    description: 'Finds server-side HTTP requests (`fetch`, axios, got, ky, needle, undici, `http.get`/`https.request`) whose URL or host comes from the request, such as `fetch(req.query.url)` or a webhook URL from the body. A request data suffix after a fixed origin (`https://api.example.com/users/${id}`) is not reported.',
    notReported: 'Request data after a fixed origin (`https://api.example.com/users/${id}`), URLs checked against an allowlist of hosts, and requests to the app\'s own origin.',
    why: 'Your server can reach places the attacker cannot: internal services, the cloud metadata endpoint (`169.254.169.254`) that hands out credentials, admin panels on localhost. If a request can choose the URL, the attacker uses your server as a proxy into that network.',
    fix: 'Keep the origin fixed in code and only let the request pick a path or query value (encoded with `encodeURIComponent`). If users must give full URLs (webhooks, link previews), parse them with `new URL()`, allow only `https:` and an allowlist of hosts, and block private and link-local addresses.',
    bad: `app.get('/preview', async (req, res) => {
  const page = await fetch(req.query.url);
  res.send(await page.text());
});`,
    good: `app.get('/avatar/:user', async (req, res) => {
  const r = await fetch(\`https://api.github.com/users/\${encodeURIComponent(req.params.user)}\`);
  res.json(await r.json());
});`,
    fixSafety: 'none',
    languages: ALL_LANGUAGES,
    defaultEnabled: true,
    tags: ['ssrf', 'network', 'validation'],
  },
  create(ctx) {
    if (ctx.facts.useClient) return {};
    const hasClientModule = [...ctx.facts.modules].some((m) => CLIENT_MODULES.test(m)) ||
      requiresClient(ctx.text);
    // with an HTTP client imported, any call may be one of its (targetOf); without, only `fetch`
    const onCallExpression = (call: ts.CallExpression) => {
      const target = targetOf(ctx, call, hasClientModule);
      if (!target) return;
      const what = target.client === 'fetch' || target.client === 'client' ? `\`${truncate(call.expression.getText(ctx.sourceFile), 30)}()\`` : `\`${truncate(call.expression.getText(ctx.sourceFile), 30)}()\` (${target.client})`;
      let j;
      if (target.url) j = judgeUrl(ctx, target.url, call);
      else if (target.host) j = judgeParts(ctx, [{ expr: target.host }], 'url');
      if (!j || j.kind === 'safe' || !j.part) return;
      const code = truncate(j.part.getText(ctx.sourceFile), 40);
      if (j.kind === 'tainted' && j.trace && !isDomSource(j.trace)) {
        const src = j.trace.source.getText(ctx.sourceFile) + ' ' + j.trace.label + ' ' + j.part.getText(ctx.sourceFile);
        const hostHeader = /headers\s*(\.\s*host\b|\[\s*['"`](x-forwarded-)?host)|\b(get|header)\(\s*['"`](x-forwarded-)?host['"`]|\.(hostname|protocol)\b|\bheaders\.get\(\s*['"`](x-forwarded-)?host/i.test(src);
        if (hostHeader) {
          ctx.report({
            node: call,
            confidence: 'low',
            message: `${what} builds its URL from the request's Host/protocol (\`${code}\`); behind a proxy that does not pin Host this lets a caller point your server elsewhere. Use a configured base URL (\`process.env.APP_URL\`).`,
          });
          return;
        }
        ctx.report({
          node: call,
          confidence: 'high',
          message: `${what} lets the request choose where your server connects (\`${j.trace.label}\`): an attacker can reach internal services or cloud metadata through it. Keep the host fixed in code, or check the parsed URL's protocol and hostname against an allowlist.`,
          related: [{ node: j.trace.source, message: `The target URL enters here (${j.trace.label}).` }],
        });
        return;
      }
      if (j.kind === 'tainted') return; // browser-side data: the request is made by the user's own browser
      ctx.report({
        node: call,
        confidence: 'low',
        message: `${what} fetches \`${code}\`, a URL not fixed in code; if request data can reach it, callers can make your server contact internal hosts. Fix the origin in code or check the hostname against an allowlist.`,
      });
    };
    return {
      CallExpression: hasClientModule ? onCallExpression : sameVisitor(FETCH_CALLS, onCallExpression),
    };
  },
});
