import { ts } from 'ts-morph';
import { ALL_LANGUAGES, defineRule, sameVisitor } from '../../model/rule';
import { calleeName, calleeObject, literalText, propertyNameText, rootIdentifier, unwrap } from '../../util/ast';
import { calledFunction } from '../../util/resolve-values';
import { TEST_PATH } from '../../secrets/context';
import { tryFixes } from '../../fixes/edits';
import { helmetFixes } from '../../fixes/middleware';
import { textPrefilter } from '../../util/text-words';
import { textSign } from '../../project-model/text-signs';

/** the operators of the assignments the rule's visitor of binary expressions acts on: it returns at once on any other */
const OPERATORS = ['='];

/** the pre-filter's expression, asked only of a text that holds one of these words (util/text-words.ts) */
const EXPRESS_TEXT = textPrefilter(/express/, ['express']);

/** Modules that set security headers for a whole app. */
const HEADER_MODULES = /^(helmet|lusca|@fastify\/helmet|fastify-helmet|koa-helmet|hono\/secure-headers|secure-headers|@nestjs\/helmet|express-security-headers|csp-header|helmet-csp)$/;
/** Middleware names that most likely set the headers (defined elsewhere in the project). */
const HEADER_MIDDLEWARE = /helmet|secur(e|ity)|headers?|csp|lusca|hardening/i;
/** Headers that only a security-header middleware sets. */
const SECURITY_HEADERS = /^(content-security-policy|strict-transport-security|x-content-type-options|x-frame-options|referrer-policy|permissions-policy|cross-origin-opener-policy)$/i;
const ROUTE_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'all', 'use', 'route']);
/** One-off setup and installer servers, which run before the app exists. */
const SETUP_PATH = /(^|\/)(install|installer|setup|wizard)(\/|[-_.][\w.-]*\.[cm]?[jt]s$)/;
/** Folders of example and demo apps, where the missing headers are not a deployed app's problem. */
const EXAMPLE_PATH = /(^|\/)(demos?|samples?|playground|fixtures?|benchmarks?|docs?)\//;

interface App { name: string; created: ts.CallExpression; routes: number; listens: boolean; exported: boolean }

/**
 * Whether calledFunction can find that a call calls a module itself or its default export (`express()`,
 * `express.default()`): only when the callee is a name or a member named `default` (or `*`); for any other member
 * call it answers that member's name. Asked first, so that the other calls assigned to a name are not resolved.
 */
export function mayCallModuleItself(call: ts.CallExpression): boolean {
  if (ts.isIdentifier(unwrap(call.expression))) return true;
  const name = calleeName(call);
  return name === 'default' || name === '*';
}

export default defineRule({
  meta: {
    id: 'missing-security-headers',
    title: 'Express app without security headers',
    category: 'config',
    severity: 'warning',
    confidence: 'medium',
    cwe: [693, 1021],
    owasp: 'A05:2021 Security Misconfiguration',
    description: 'Finds Express apps that serve pages and never add security headers: no `helmet()`, no other header middleware, and no `Content-Security-Policy` / `Strict-Transport-Security` / `X-Content-Type-Options` / `X-Frame-Options` set by hand. The app is judged as mounted across the project: created in `app.js`, started in `server.js`, with routers from `routes/*.js` and middleware added in any of those files. Next.js `next.config.*` `headers()` are not checked yet.',
    notReported: 'Apps that add headers by hand or with any header middleware anywhere in the app, JSON-only APIs (low), apps handed to setup code Shipsafe does not follow (`require(\'./security\')(app)`, low), apps exported but started nowhere Shipsafe sees (low), and one-off setup or installer servers and apps in test, demo, sample, fixture or docs folders (low).',
    why: 'Browsers only turn on several of their defences when the server asks for them. Without these headers, other sites can frame your pages to trick users into clicking (clickjacking), browsers may run an uploaded file as a script (MIME sniffing), connections can be downgraded to plain http, and nothing limits the damage of an injected script.',
    fix: 'Add helmet right after creating the app: `import helmet from \'helmet\'; app.use(helmet());` (npm install helmet). If your pages load scripts or styles from other origins, configure its Content-Security-Policy instead of turning it off.',
    bad: `import express from 'express';
const app = express();
app.get('/', (req, res) => res.send('Hello'));
app.listen(3000);`,
    good: `import express from 'express';
import helmet from 'helmet';
const app = express();
app.use(helmet());
app.get('/', (req, res) => res.send('Hello'));
app.listen(3000);`,
    fixSafety: 'suggestion',
    languages: ALL_LANGUAGES,
    defaultEnabled: true,
    tags: ['headers', 'config', 'express'],
  },
  create(ctx) {
    if (!EXPRESS_TEXT.test(ctx.text)) return {}; // cheap pre-filter: no Express in this file
    for (const m of ctx.facts.modules) if (HEADER_MODULES.test(m)) return {};
    const apps = new Map<string, App>();
    let headersByHand = false;
    let headerMiddleware = false;

    const isExpressCall = (call: ts.CallExpression): boolean => {
      if (!mayCallModuleItself(call)) return false;
      const ref = calledFunction(ctx, call);
      return !!ref && ref.module === 'express' && (ref.imported === 'default' || ref.imported === '*');
    };

    const middlewareName = (e: ts.Expression): string | undefined => {
      const u = unwrap(e);
      if (ts.isIdentifier(u)) return u.text;
      if (ts.isCallExpression(u)) return calleeName(u);
      if (ts.isPropertyAccessExpression(u)) return u.name.text;
      return undefined;
    };

    return {
      CallExpression(call) {
        const name = calleeName(call);
        if (!name) return;
        // const app = express()
        if (ts.isVariableDeclaration(call.parent) && call.parent.initializer === call && ts.isIdentifier(call.parent.name) && isExpressCall(call)) {
          apps.set(call.parent.name.text, { name: call.parent.name.text, created: call, routes: 0, listens: false, exported: false });
          return;
        }
        // res.setHeader('Content-Security-Policy', …) / res.set({ 'X-Frame-Options': 'DENY' })
        if ((name === 'setHeader' || name === 'set' || name === 'header' || name === 'append') && call.arguments[0]) {
          const h = literalText(call.arguments[0]);
          if (h && SECURITY_HEADERS.test(h)) headersByHand = true;
          const obj = unwrap(call.arguments[0]);
          if (ts.isObjectLiteralExpression(obj) && obj.properties.some((p) => SECURITY_HEADERS.test(propertyNameText(p.name) ?? ''))) headersByHand = true;
          return;
        }
        const recv = calleeObject(call);
        // http.createServer(app) / https.createServer(opts, app)
        if (name === 'createServer') {
          for (const a of call.arguments) {
            const u = unwrap(a);
            if (ts.isIdentifier(u) && apps.has(u.text)) apps.get(u.text)!.listens = true;
          }
          return;
        }
        if (!recv || !ts.isIdentifier(recv)) return;
        const app = apps.get(recv.text);
        if (!app) return;
        if (name === 'listen') { app.listens = true; return; }
        if (!ROUTE_METHODS.has(name)) return;
        if (name === 'use') {
          for (const a of call.arguments) {
            const m = middlewareName(a);
            if (m && HEADER_MIDDLEWARE.test(m)) headerMiddleware = true;
          }
        }
        app.routes++;
      },
      ExportAssignment(node) {
        const e = unwrap(node.expression);
        if (ts.isIdentifier(e) && apps.has(e.text)) apps.get(e.text)!.exported = true;
      },
      BinaryExpression: sameVisitor(OPERATORS, (node) => {
        // module.exports = app / module.exports = { app }
        if (node.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return;
        const root = rootIdentifier(node.left);
        if (!root || (root.text !== 'module' && root.text !== 'exports')) return;
        const r = unwrap(node.right);
        if (ts.isIdentifier(r) && apps.has(r.text)) apps.get(r.text)!.exported = true;
      }),
      onFileEnd() {
        if (headersByHand || headerMiddleware) return;
        const path = ctx.path.replace(/\\/g, '/');
        // a one-off setup or installer server (`install/web.js`, `setup-database.js`) runs before the app exists
        const lowPath = ctx.facts.testFile || TEST_PATH.test(path) || EXAMPLE_PATH.test(path) || SETUP_PATH.test(path);
        // a JSON-only API renders no pages: framing, sniffing and CSP matter far less there
        // (signs that the app serves HTML pages or files: project-model/text-signs, read with the module facts)
        const jsonOnly = apps.size > 0 && !textSign(ctx.text, 'servesPages');
        for (const app of apps.values()) {
          // the app as mounted across the project (helmet in server.js, routes in routes/*.js), when the model has it
          const seen = ctx.project?.appAt(ctx.path, app.created.getStart(ctx.sourceFile));
          let confidence: 'low' | 'medium' = lowPath || !app.listens || jsonOnly ? 'low' : 'medium';
          if (seen && ctx.project) {
            const project = ctx.project;
            const headers = seen.middleware.some((m) => HEADER_MODULES.test(m.lib ?? '') || HEADER_MIDDLEWARE.test(m.name ?? m.text)) ||
              seen.files.some((f) => project.facts(f)?.headersByHand);
            if (headers) continue;
            const routes = app.routes > 0 || project.routes().some((r) => r.app === seen.id);
            if (!routes) continue;
            const listens = app.listens || seen.listenedIn.length > 0;
            if (!listens && !app.exported) continue;
            const pages = !jsonOnly || seen.files.some((f) => project.facts(f)?.servesPages);
            // handed to code the model does not follow (`require('./security')(app)`): headers may be set there
            confidence = lowPath || !listens || !pages || project.passedOut(seen.id) ? 'low' : 'medium';
          } else {
            if (!app.routes) continue;
            if (!app.listens && !app.exported) continue;
          }
          ctx.report({
            node: app.created,
            // started here: this is the app users reach; exported: the server (and maybe its headers) live elsewhere
            confidence,
            message: `This Express app (\`${app.name}\`) sends no security headers: other sites can frame its pages (clickjacking), browsers may sniff uploads as scripts, and nothing limits an injected script. Add \`app.use(helmet())\` right after \`express()\`.`,
            fixes: tryFixes(() => helmetFixes(ctx, app.created, app.name)),
          });
        }
      },
    };
  },
});
