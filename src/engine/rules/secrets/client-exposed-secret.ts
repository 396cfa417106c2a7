/**
 * Secrets that reach the browser: env vars whose framework prefix (NEXT_PUBLIC_, VITE_, REACT_APP_, EXPO_PUBLIC_,
 * PUBLIC_…) inlines them into the client bundle while their name says they are secret; server-only secrets and
 * secret-key SDKs used in 'use client' components; provider keys hard-coded in client components or found in
 * built bundles; next.config `env` / Vite `define` that inline secrets.
 *
 * OWASP: A01:2021 Broken Access Control — CWE-200 (exposure of sensitive information to an unauthorized actor)
 * is mapped there by OWASP, and the harm is exactly that: every visitor gets the key and with it the access the
 * key grants. (A05 Security Misconfiguration was the alternative; the prefix is a config choice, but the result is
 * an access-control failure, and the rule also covers code — SDKs in client components — not just config.)
 */
import { ts } from 'ts-morph';
import { ALL_LANGUAGES, defineRule, sameVisitor, type RuleContext, type Visitors } from '../../model/rule';
import type { Confidence } from '../../model/types';
import { boundName, getPropertyValue, isBooleanLiteral, literalText, memberChain, propertyNameText, rootIdentifier, unwrap } from '../../util/ast';
import { CLIENT_BUNDLE_PATH, isStructuralLiteral, literalContext, literalSecrets, literalUnbound, TEST_PATH } from '../../secrets/context';
import { classifyEnvName, publicPrefixOf } from '../../secrets/env-names';
import { findSecrets, isSecretName, noSecretUnbound } from '../../secrets/providers';

type Lit = ts.StringLiteral | ts.NoSubstitutionTemplateLiteral;

/** Server SDKs that are constructed with a secret key; in a client component the key would have to ship. */
const SERVER_SDKS: Record<string, string> = {
  stripe: 'Stripe (server SDK)', openai: 'OpenAI', '@anthropic-ai/sdk': 'Anthropic', resend: 'Resend', twilio: 'Twilio',
  '@sendgrid/mail': 'SendGrid', 'groq-sdk': 'Groq', replicate: 'Replicate', '@pinecone-database/pinecone': 'Pinecone',
  postmark: 'Postmark', 'mailgun.js': 'Mailgun', 'firebase-admin': 'Firebase Admin', 'firebase-admin/app': 'Firebase Admin',
  '@mistralai/mistralai': 'Mistral', 'cohere-ai': 'Cohere', '@notionhq/client': 'Notion', airtable: 'Airtable',
  '@linear/sdk': 'Linear', '@slack/web-api': 'Slack', 'discord.js': 'Discord', nodemailer: 'Nodemailer',
};
/** Method calls on an imported server SDK that take the secret. */
const SDK_KEY_METHODS = new Set(['setApiKey', 'initializeApp', 'createTransport', 'client', 'login', 'configure']);
/** the Supabase calls that take a key (checkSupabase); the config keys that inline values (next.config `env`, Vite `define`) */
const SUPABASE_CALLEES = ['createClient', 'createBrowserClient'];
const CONFIG_KEYS = ['env', 'define'];
const BROWSER_OPT_IN_SDKS = new Set(['openai', '@anthropic-ai/sdk', 'groq-sdk', '@mistralai/mistralai']);

const SERVER_PATH = /(^|\/)(server|api|backend|functions|scripts|workers?|jobs|cron|lambda)\/|\.server\.[cm]?[jt]sx?$|(^|\/)\+(page|layout)?\.?server\.|(^|\/)hooks\.server\.|(^|\/)middleware\.[cm]?[jt]s$|(^|\/)(next|vite|nuxt|astro|svelte|webpack|rollup)\.config\.|(^|\/)instrumentation\.[cm]?[jt]s$/;

type Where = 'client' | 'server' | 'unknown';

function whereRuns(ctx: RuleContext): Where {
  if (ctx.facts.useClient) return 'client';
  if (ctx.facts.useServer || ctx.facts.nextRouteFile || ctx.facts.nextPagesApi) return 'server';
  if (SERVER_PATH.test(ctx.path.replace(/\\/g, '/'))) return 'server';
  return 'unknown';
}

/** `process.env.X` → { name: X, access: 'process.env' }; `import.meta.env.X`; `process.env['X']`. */
function envAccess(node: ts.PropertyAccessExpression | ts.ElementAccessExpression): { name: string; access: 'process.env' | 'import.meta.env' } | undefined {
  const name = ts.isPropertyAccessExpression(node) ? node.name.text : literalText(node.argumentExpression);
  if (!name) return undefined;
  const access = envObject(node.expression);
  return access ? { name, access } : undefined;
}

function envObject(e: ts.Expression): 'process.env' | 'import.meta.env' | undefined {
  const o = unwrap(e);
  if (!ts.isPropertyAccessExpression(o) || o.name.text !== 'env') return undefined;
  const base = unwrap(o.expression);
  if (ts.isIdentifier(base) && base.text === 'process') return 'process.env';
  if (ts.isMetaProperty(base) && base.keywordToken === ts.SyntaxKind.ImportKeyword && base.name.text === 'meta') return 'import.meta.env';
  return undefined;
}

function isEnvRead(e: ts.Expression | undefined): boolean {
  if (!e) return false;
  const u = unwrap(e);
  if (ts.isBinaryExpression(u)) return isEnvRead(u.left) || isEnvRead(u.right);
  return (ts.isPropertyAccessExpression(u) || ts.isElementAccessExpression(u)) && !!envObject(u.expression);
}

export default defineRule({
  meta: {
    id: 'client-exposed-secret',
    title: 'Secret exposed to the browser',
    category: 'secrets',
    severity: 'error',
    confidence: 'high',
    cwe: [200, 522],
    owasp: 'A01:2021 Broken Access Control',
    description: 'Finds secrets that end up in the JavaScript sent to browsers: env vars with a public prefix (`NEXT_PUBLIC_`, `VITE_`, `REACT_APP_`, `EXPO_PUBLIC_`, `PUBLIC_`…) whose name says they are secret, server secrets and secret-key SDKs (`new Stripe(…)`, `new OpenAI({ dangerouslyAllowBrowser: true })`, a Supabase service_role client) in client components, provider keys hard-coded in `\'use client\'` files or built bundles, and next.config `env` / Vite `define` entries that inline secrets.',
    notReported: 'Publishable keys meant for browsers (Stripe `pk_`, Supabase anon, Firebase web config), public env vars whose names do not say they are secret, and server-only files.',
    why: 'Everything in a browser bundle can be read by every visitor with the developer tools. A secret key there is a public key: anyone can charge your Stripe account, use your OpenAI credits, or (with a Supabase service_role key) read and delete every row while skipping row-level security.',
    fix: 'Keep the secret server-side: call the provider from a route handler, server action or API route and send the browser only the result. Do not give the variable a public prefix (no `NEXT_PUBLIC_`/`VITE_`), and rotate any key that was deployed in a bundle.',
    bad: `'use client';
export async function startCheckout(priceId: string) {
  const res = await fetch('https://api.stripe.com/v1/checkout/sessions', {
    method: 'POST',
    headers: { Authorization: 'Bearer ' + process.env.NEXT_PUBLIC_STRIPE_SECRET_KEY },
    body: new URLSearchParams({ 'line_items[0][price]': priceId }),
  });
  return res.json();
}`,
    good: `'use client';
import { loadStripe } from '@stripe/stripe-js';
export async function startCheckout(priceId: string) {
  const stripe = await loadStripe(process.env.NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY!);
  const res = await fetch('/api/checkout', { method: 'POST', body: JSON.stringify({ priceId }) });
  return { stripe, session: await res.json() };
}`,
    fixSafety: 'none',
    languages: ALL_LANGUAGES,
    defaultEnabled: true,
    tags: ['secrets', 'config', 'nextjs', 'vite'],
  },
  /** `every`: every visitor given, whatever the file (the test comparing with the visitors given to this file) */
  create(ctx: RuleContext, every = false) {
    const where = whereRuns(ctx);
    const norm = ctx.path.replace(/\\/g, '/');
    const lowFile = ctx.facts.testFile || TEST_PATH.test(norm);
    const reportedEnv = new Set<string>();
    const reportedSdk = new Set<string>();
    const conf = (c: Confidence): Confidence => (lowFile ? 'low' : c);

    const checkEnvName = (node: ts.Node, name: string, access: 'process.env' | 'import.meta.env' | 'sveltekit', shown: string) => {
      if (reportedEnv.has(name)) return;
      const prefix = publicPrefixOf(name, access);
      if (prefix) {
        const cls = classifyEnvName(name.slice(prefix.prefix.length));
        if (cls.level === 'none') return;
        reportedEnv.add(name);
        // Next.js/Nuxt inline a public var only into the bundles that read it; the other frameworks build a client app
        const serverOnlyRead = where === 'server';
        if (cls.level === 'maybe') {
          ctx.report({ node, severity: 'warning', confidence: 'low',
            message: `\`${shown}\` has the \`${prefix.prefix}\` prefix, so ${prefix.framework} puts its value in the browser bundle; if it is a secret key, use it only in server code and drop the prefix.` });
          return;
        }
        ctx.report({ node, confidence: conf(serverOnlyRead ? 'medium' : 'high'),
          message: `\`${shown}\` looks secret (${cls.reason}) but the \`${prefix.prefix}\` prefix makes ${prefix.framework} inline it into ${prefix.prefix === 'EXPO_PUBLIC_' ? 'the app bundle on every user\'s device' : 'the JavaScript sent to every visitor'}. Use it only in server code (route handler, server action, API route), rename it without the prefix instead of exposing it, and rotate it if it was deployed.` });
        return;
      }
      // (b) a server-only secret read in a client component
      if (access === 'process.env' && ctx.facts.useClient) {
        const cls = classifyEnvName(name);
        if (cls.level !== 'secret') return;
        reportedEnv.add(name);
        ctx.report({ node, severity: 'warning', confidence: conf('medium'),
          message: `Server secret \`${shown}\` is read in a 'use client' component: Next.js only inlines NEXT_PUBLIC_ variables, so it is undefined in the browser, and the code is trying to use a secret on the client. Move this call to a route handler or server action; do not rename it to NEXT_PUBLIC_, which would ship the secret to every visitor.` });
      }
    };

    const checkLiteral = (lit: Lit) => {
      // (c) provider secrets written into client components
      if (!ctx.facts.useClient || lit.text.length < 16 || isStructuralLiteral(lit)) return;
      // the catalog finds nothing in this text for a value that is not bound (hardcoded-secret's shortcut)
      if (literalUnbound(lit, boundName(lit)) && noSecretUnbound(lit.text)) return;
      const lc = literalContext(lit, ctx.facts);
      const m = literalSecrets(lit, lc).find((x) => !x.provider.publishable);
      if (!m || m.provider.testMode || m.level === 'low') return;
      ctx.report({ node: lit, confidence: conf('high'),
        message: `${m.provider.provider} ${m.provider.label} (\`${m.masked}\`) is hard-coded in a 'use client' file, so it ships to every visitor's browser. Move the call that needs it to a route handler or server action that reads \`process.env.${m.provider.envVar}\` (not NEXT_PUBLIC_), and rotate the key.` });
    };

    const sdkModule = (e: ts.Expression): string | undefined => {
      const root = rootIdentifier(e);
      if (!root) return undefined;
      const mod = ctx.facts.imports.get(root.text)?.module;
      return mod && SERVER_SDKS[mod] ? mod : undefined;
    };

    /** `new OpenAI({ apiKey, dangerouslyAllowBrowser: true })`: true when the key is the app's own (env, literal, default). */
    const browserOptIn = (call: ts.NewExpression | ts.CallExpression): ts.Node | undefined => {
      const opts = call.arguments?.[0] && unwrap(call.arguments[0]);
      if (!opts || !ts.isObjectLiteralExpression(opts)) return undefined;
      const flag = opts.properties.find((p) => ts.isPropertyAssignment(p) && propertyNameText(p.name) === 'dangerouslyAllowBrowser') as ts.PropertyAssignment | undefined;
      if (!flag || !isBooleanLiteral(flag.initializer, true)) return undefined;
      const key = getPropertyValue(opts, 'apiKey');
      if (!key) return flag; // falls back to the platform key from the environment
      const u = unwrap(key);
      if (isEnvRead(u) || ts.isStringLiteralLike(u)) return flag;
      if (ts.isIdentifier(u)) {
        const b = ctx.taint.scopes.resolve(u);
        if (b && ts.isVariableDeclaration(b) && b.initializer && (isEnvRead(b.initializer) || ts.isStringLiteralLike(unwrap(b.initializer)))) return flag;
        if (b && ts.isBindingElement(b) && b.parent.parent && ts.isVariableDeclaration(b.parent.parent) && b.parent.parent.initializer && envObject(b.parent.parent.initializer)) return flag;
      }
      return undefined; // a key the user typed in (bring-your-own-key apps)
    };

    const checkSdkCall = (call: ts.NewExpression | ts.CallExpression) => {
      const mod = sdkModule(call.expression);
      if (!mod) return;
      const callee = unwrap(call.expression);
      const direct = ts.isIdentifier(callee);
      const method = ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
      if (!direct && !(ts.isNewExpression(call) && ts.isPropertyAccessExpression(callee)) && !(method && SDK_KEY_METHODS.has(method))) return;
      if (BROWSER_OPT_IN_SDKS.has(mod)) {
        const flag = browserOptIn(call);
        if (flag) {
          reportedSdk.add(mod);
          ctx.report({ node: flag, confidence: conf('high'),
            message: `\`dangerouslyAllowBrowser: true\` runs the ${SERVER_SDKS[mod]} client in the browser with your own API key, so every visitor can copy the key and spend your credits. Call the API from a route handler or server action and send the browser only the result.` });
          return;
        }
      }
      if (!ctx.facts.useClient || reportedSdk.has(mod)) return;
      reportedSdk.add(mod);
      const shown = call.getText(ctx.sourceFile).replace(/\s+/g, ' ').slice(0, 50);
      ctx.report({ node: call, confidence: conf('medium'),
        message: `\`${shown}\` builds the ${SERVER_SDKS[mod]} client in a 'use client' file: it needs a secret key, which would have to ship to the browser (or is undefined there). Move the call to a route handler or server action; do not expose the key with NEXT_PUBLIC_.` });
    };

    const checkSupabase = (call: ts.CallExpression) => {
      const callee = unwrap(call.expression);
      if (!ts.isIdentifier(callee) || (callee.text !== 'createClient' && callee.text !== 'createBrowserClient')) return;
      const mod = ctx.facts.imports.get(callee.text)?.module ?? '';
      if (!/^@supabase\//.test(mod)) return;
      const key = call.arguments[1];
      if (!key) return;
      const text = key.getText(ctx.sourceFile);
      const u = unwrap(key);
      const literalKey = ts.isStringLiteralLike(u) ? findSecrets(u.text).find((m) => m.provider.id === 'supabase-service-role-key' || m.provider.id === 'supabase-secret-key') : undefined;
      const namedServiceRole = /service[_-]?role|service[_-]?key|supabase[_-]?secret|sb_secret_/i.test(text);
      if (!literalKey && !namedServiceRole) return;
      const client = ctx.facts.useClient || callee.text === 'createBrowserClient';
      if (!client) return;
      // a public-prefixed env var is already reported where it is read
      if (/NEXT_PUBLIC_|VITE_|REACT_APP_|EXPO_PUBLIC_|PUBLIC_/.test(text) && !literalKey) return;
      ctx.report({ node: key, confidence: conf('high'),
        message: `Supabase client built with the service_role key in browser code: that key bypasses row-level security, so any visitor could read, change or delete every row. Use the anon/publishable key in the browser and keep the service_role key in server code only.` });
    };

    const isNextConfig = /(^|\/)next\.config\.[cm]?[jt]s$/.test(norm);
    const isViteConfig = /(^|\/)vite\.config\.[cm]?[jt]s$/.test(norm);

    // Speed: env reads are found from their `process.env` / `import.meta.env` part (dispatched by the member
    // name `env`) instead of inspecting every property access; SDK and Supabase checks only run in files that
    // import such a module.
    const svelteDynamicEnv = [...ctx.facts.imports.values()].some((i) => i.module === '$env/dynamic/public');
    const hasSdk = [...ctx.facts.modules].some((m) => SERVER_SDKS[m]);
    const hasSupabase = [...ctx.facts.modules].some((m) => /^@supabase\//.test(m));
    const envMembers = {
      env(inner: ts.PropertyAccessExpression) {
        const p = inner.parent;
        if (ts.isPropertyAccessExpression(p) && p.expression === inner) {
          const a = envAccess(p);
          if (a) checkEnvName(p, a.name, a.access, `${a.access}.${a.name}`);
        } else if (ts.isElementAccessExpression(p) && p.expression === inner) {
          const a = envAccess(p);
          if (a) checkEnvName(p, a.name, a.access, `${a.access}['${a.name}']`);
        }
      },
    };
    const svelteEnvRead = (node: ts.PropertyAccessExpression) => {
      // SvelteKit: import { env } from '$env/dynamic/public'; env.PUBLIC_X
      const obj = unwrap(node.expression);
      if (ts.isIdentifier(obj) && ctx.facts.imports.get(obj.text)?.module === '$env/dynamic/public') {
        checkEnvName(node, node.name.text, 'sveltekit', `${obj.text}.${node.name.text}`);
      }
    };
    const configEntries = (pa: ts.PropertyAssignment) => {
      const key = propertyNameText(pa.name);
      const value = unwrap(pa.initializer);
      if (isNextConfig && key === 'env' && ts.isObjectLiteralExpression(value)) {
        for (const p of value.properties) {
          const n = (ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p)) ? propertyNameText(p.name) : undefined;
          if (!n || publicPrefixOf(n, 'process.env')) continue;
          if (classifyEnvName(n).level !== 'secret') continue;
          ctx.report({ node: p, confidence: conf('medium'),
            message: `next.config \`env.${n}\` inlines this secret into every bundle that reads \`process.env.${n}\`, including client components, so it can end up in the browser. Remove it from \`env\` and read it with \`process.env.${n}\` in server code only (it is available there without this setting).` });
        }
      }
      if (isViteConfig && key === 'define' && ts.isObjectLiteralExpression(value)) {
        for (const p of value.properties) {
          if (!ts.isPropertyAssignment(p)) continue;
          const n = propertyNameText(p.name);
          if (!n) continue;
          const v = unwrap(p.initializer);
          const chain = memberChain(v)?.join('.') ?? '';
          if (n === 'process.env' && /^(process\.env|env)$/.test(chain) || n === 'process.env' && ts.isIdentifier(v)) {
            ctx.report({ node: p, confidence: conf('high'),
              message: `Vite \`define: { 'process.env': ${chain || v.getText(ctx.sourceFile)} }\` copies every environment variable, secrets included, into the browser bundle. Define only the public values you need, or use \`import.meta.env.VITE_*\` for them.` });
            continue;
          }
          const envName = /^(?:process\.env|import\.meta\.env)\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(n)?.[1] ?? (/^__?([A-Z][A-Z0-9_]*)__?$/.exec(n)?.[1]);
          if (!envName || publicPrefixOf(envName, 'import.meta.env')) continue;
          if (classifyEnvName(envName).level !== 'secret' && !isSecretName(envName)) continue;
          ctx.report({ node: p, confidence: conf('high'),
            message: `Vite \`define\` replaces \`${envName}\` with its value in the browser bundle, so this secret ships to every visitor. Keep it out of \`define\` and call the API that needs it from a server.` });
        }
      }
    };
    const visitors: Visitors = {
      members: envMembers,
      VariableDeclaration(decl) {
        // const { NEXT_PUBLIC_X } = process.env
        if (!decl.initializer || !ts.isObjectBindingPattern(decl.name)) return;
        const acc = envObject(decl.initializer);
        if (!acc) return;
        for (const el of decl.name.elements) {
          const n = el.propertyName ? propertyNameText(el.propertyName) : ts.isIdentifier(el.name) ? el.name.text : undefined;
          if (n) checkEnvName(el, n, acc, `${acc}.${n}`);
        }
      },
      ImportDeclaration(imp) {
        // SvelteKit: import { PUBLIC_STRIPE_SECRET_KEY } from '$env/static/public'
        const mod = literalText(imp.moduleSpecifier);
        if (mod !== '$env/static/public') return;
        const nb = imp.importClause?.namedBindings;
        if (!nb || !ts.isNamedImports(nb)) return;
        for (const el of nb.elements) {
          const n = el.propertyName ? propertyNameText(el.propertyName) ?? el.name.text : el.name.text;
          checkEnvName(el, n, 'sveltekit', n);
        }
      },
    };
    // Speed: a visitor that would return at once on every node of this file is not given (`every`, for the test
    // that compares: every visitor given, each returning on the nodes it does not judge); the SvelteKit reads only
    // in a file importing '$env/dynamic/public', SDK checks in one importing such a module (Supabase's only on
    // createClient/createBrowserClient when the file imports no other SDK), literals in 'use client' files,
    // next.config's `env` and Vite's `define` in their config files
    if (svelteDynamicEnv || every) visitors.PropertyAccessExpression = (node) => { if (svelteDynamicEnv) svelteEnvRead(node); };
    if (hasSdk || every) visitors.NewExpression = (call) => { if (hasSdk) checkSdkCall(call); };
    if (hasSdk || every) {
      visitors.CallExpression = (call) => {
        if (hasSdk) checkSdkCall(call);
        if (hasSupabase) checkSupabase(call);
      };
    } else if (hasSupabase) visitors.CallExpression = sameVisitor(SUPABASE_CALLEES, checkSupabase);
    if (ctx.facts.useClient || every) {
      visitors.StringLiteral = checkLiteral;
      visitors.NoSubstitutionTemplateLiteral = checkLiteral;
    }
    if (isNextConfig || isViteConfig) visitors.PropertyAssignment = sameVisitor(CONFIG_KEYS, configEntries);
    else if (every) visitors.PropertyAssignment = configEntries;
    return visitors;
  },
  checkText(tctx) {
    const path = tctx.path.replace(/\\/g, '/');
    if (!CLIENT_BUNDLE_PATH.test(path)) return;
    let n = 0;
    for (const m of findSecrets(tctx.text, { textScan: true })) {
      if (m.provider.publishable || m.provider.testMode || m.level === 'low') continue;
      if (++n > 25) break;
      tctx.report({ range: { start: m.start, end: m.end }, confidence: 'high',
        message: `${m.provider.provider} ${m.provider.label} (\`${m.masked}\`) is inside a built browser bundle, so every visitor can read it. Move the code that uses it to the server, read it from \`process.env.${m.provider.envVar}\` there, and rotate the key.` });
    }
  },
});
