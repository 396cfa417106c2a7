import { ts } from 'ts-morph';
import { ALL_LANGUAGES, defineRule, type RuleContext } from '../../model/rule';
import type { Severity } from '../../model/types';
import { calleeName, memberChain, propertyNameText, unwrap } from '../../util/ast';
import { chainedCalls, isJoseSignJwt, jwtCall } from '../../util/jwt';
import { calledFunction, moduleOfExpression, moduleRefOf, optionValue, resolveObject } from '../../util/resolve-values';
import { maskSecret } from '../../util/text';
import { envFallbackData, moveToEnvData, signingSecretEnvName } from '../../fixes/secret-data';
import { textPrefilter } from '../../util/text-words';

/** the pre-filter's expression, asked only of a text that holds one of these words (util/text-words.ts) */
const SIGNING_LIBS = textPrefilter(/jsonwebtoken|jose|express-session|cookie-session|koa-session|express-jwt|koa-jwt|hono\/jwt|cookie-parser|next-auth|@auth\/|iron-session|keygrip|passport-jwt|@fastify\/(cookie|session|secure-session|jwt)|fastify-(cookie|session|jwt)|(express|connect)\.(session|cookieParser)|['"]koa['"]/, ['jsonwebtoken', 'jose', 'express-session', 'cookie-session', 'koa-session', 'express-jwt', 'koa-jwt', 'hono/jwt', 'cookie-parser', 'next-auth', '@auth/', 'iron-session', 'keygrip', 'passport-jwt', '@fastify/', 'fastify-', 'express.session', 'connect.session', 'express.cookieParser', 'connect.cookieParser', 'koa']);

type Secret =
  | { kind: 'literal'; value: string; node: ts.Node }
  | { kind: 'fallback'; value: string; node: ts.Node; env: string; devOnly: boolean };

const EXAMPLE_VALUES = /^(keyboard cat|secret|changeme|change-me|change_me|your[-_ ]?secret.*|supersecret|mysecret|s3cr3t|dev-secret|development|test|password)$/i;

/** What a secret expression is made of: a literal, an env var with a literal fallback, or something else (undefined). */
function evaluate(ctx: RuleContext, expr: ts.Expression | undefined, depth = 0): Secret | undefined {
  if (!expr || depth > 6) return undefined;
  const e = unwrap(expr);
  if (ts.isStringLiteralLike(e)) {
    if (/-----BEGIN (PUBLIC KEY|CERTIFICATE|RSA PUBLIC KEY)/.test(e.text)) return undefined; // public keys are not secrets
    // '' (often `process.env.X ?? ''` to please the type checker): the libraries refuse an empty secret, so it fails closed
    if (e.text.trim() === '') return undefined;
    return { kind: 'literal', value: e.text, node: e };
  }
  if (ts.isArrayLiteralExpression(e)) {
    for (const el of e.elements) {
      const s = evaluate(ctx, el, depth + 1);
      if (s) return s;
    }
    return undefined;
  }
  if (ts.isIdentifier(e)) {
    const b = ctx.taint.scopes.resolve(e);
    if (b && ts.isVariableDeclaration(b) && b.initializer && ts.isIdentifier(b.name) && (b.parent.flags & ts.NodeFlags.Const)) {
      return evaluate(ctx, b.initializer, depth + 1);
    }
    return undefined;
  }
  if (ts.isBinaryExpression(e) && (e.operatorToken.kind === ts.SyntaxKind.BarBarToken || e.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken)) {
    const right = evaluate(ctx, e.right, depth + 1);
    if (right?.kind !== 'literal') return undefined;
    const env = envName(e.left);
    if (!env) return undefined;
    return { kind: 'fallback', value: right.value, node: right.node, env, devOnly: false };
  }
  if (ts.isConditionalExpression(e)) {
    const t = evaluate(ctx, e.whenTrue, depth + 1);
    const f = evaluate(ctx, e.whenFalse, depth + 1);
    if (t?.kind === 'literal' && f?.kind === 'literal') return t;
    const lit = t?.kind === 'literal' ? t : f?.kind === 'literal' ? f : undefined;
    if (!lit) return undefined;
    const other = lit === t ? e.whenFalse : e.whenTrue;
    const env = envName(other) ?? 'a configured value';
    const devOnly = /NODE_ENV|production|isProd|isDev|development/i.test(e.condition.getText(ctx.sourceFile));
    return { kind: 'fallback', value: lit.value, node: lit.node, env, devOnly };
  }
  if (ts.isCallExpression(e) || ts.isNewExpression(e)) {
    // new TextEncoder().encode('…'), Buffer.from('…'), createSecretKey(Buffer.from('…'))
    const name = calleeName(e);
    if (name === 'encode' || name === 'from' || name === 'createSecretKey' || name === 'String') return evaluate(ctx, e.arguments?.[0], depth + 1);
    return undefined;
  }
  return undefined;
}

/** `process.env.X` (possibly inside another `||`) → 'process.env.X'. */
function envName(e: ts.Expression): string | undefined {
  const u = unwrap(e);
  const chain = memberChain(u);
  if (chain && chain[0] === 'process' && chain[1] === 'env') return chain.join('.');
  if (chain && chain[0] === 'import' && chain[1] === 'meta' && chain[2] === 'env') return chain.join('.');
  if (ts.isBinaryExpression(u) && (u.operatorToken.kind === ts.SyntaxKind.BarBarToken || u.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken)) {
    return envName(u.left) ?? envName(u.right);
  }
  if (chain && chain.length >= 2 && /^(config|env|settings|cfg)$/i.test(chain[0])) return chain.join('.');
  return undefined;
}

export default defineRule({
  meta: {
    id: 'hardcoded-session-secret',
    title: 'Session or token signing secret written in the code',
    category: 'secrets',
    severity: 'error',
    confidence: 'high',
    cwe: [798],
    owasp: 'A07:2021 Identification and Authentication Failures',
    description: 'Finds literal signing secrets for sessions and tokens: `express-session` / `cookie-session` / `cookie-parser` secrets and keys, Koa `app.keys`, Fastify cookie/session/jwt plugins, iron-session `password`, NextAuth `secret`, passport-jwt `secretOrKey`, and string keys passed to `jwt.sign` / `jwt.verify` or to jose through `TextEncoder`. An environment variable with a literal fallback is reported at lower severity.',
    notReported: 'Secrets read from the environment (a literal fallback is reported at lower severity), and test files (low).',
    why: 'Whoever knows the signing secret can mint valid session cookies and tokens for any user, including admins. A secret in the code is known to everyone who can read the repository, every contributor, CI log and leaked copy, and it is usually the same across every deployment. A fallback like `process.env.SECRET || \'dev-secret\'` silently becomes the real secret the day the variable is missing in production.',
    fix: 'Read the secret from the environment (`process.env.SESSION_SECRET`) and fail at startup if it is missing; generate it with `openssl rand -base64 32`. Rotate any secret that was committed, since it stays in the git history.',
    bad: `import session from 'express-session';
app.use(session({ secret: 'keyboard cat', resave: false, saveUninitialized: false }));`,
    good: `import session from 'express-session';
const secret = process.env.SESSION_SECRET;
if (!secret) throw new Error('SESSION_SECRET is not set');
app.use(session({ secret, resave: false, saveUninitialized: false }));`,
    fixSafety: 'suggestion',
    languages: ALL_LANGUAGES,
    defaultEnabled: true,
    tags: ['secrets', 'session', 'jwt', 'auth'],
  },
  create(ctx) {
    /**
     * What knowing the secret lets an attacker do. Where the secret only signs a random id that points at data kept
     * on the server (express-session, @fastify/session), forging the signature does not give a session; a
     * cookie-parser secret matters only for cookies set with `signed: true`.
     */
    const impactOf = (what: string): { text: string; severity?: Severity } => {
      if (/^(express-session|@fastify\/session|fastify-session) secret$|^session secret$/.test(what)) {
        return {
          text: 'it signs the session id cookie, so anyone who reads the source can make cookies your server accepts as signed. The session data stays on the server and a forged cookie still needs a real session id, so this alone does not hand out sessions, but it removes a layer of protection.',
          severity: 'warning',
        };
      }
      if (what === 'cookie-parser signing secret') {
        return /signed\s*:\s*true|signedCookies/.test(ctx.text)
          ? { text: 'anyone who reads the source can forge the cookies you set with `signed: true` (`req.signedCookies`) with any value.', severity: 'warning' }
          : { text: 'it signs cookies set with `signed: true`; none are set in this file, so today it protects little, but any signed cookie added later could be forged by anyone who reads the source.', severity: 'info' };
      }
      return { text: `anyone who can read the source can forge ${/token|jwt/i.test(what) ? 'tokens' : 'session cookies'} for any user.` };
    };
    // cheap pre-filter: none of the libraries this rule knows is used in this file
    if (!SIGNING_LIBS.test(ctx.text)) return {};
    const seen = new Set<ts.Node>();
    /** Reports at the literal itself (where the fix goes), once per literal, pointing back at the use. */
    const consider = (at: ts.Node, expr: ts.Expression | undefined, what: string) => {
      const s = evaluate(ctx, expr);
      if (!s || seen.has(s.node)) return;
      seen.add(s.node);
      const elsewhere = s.node.getStart() < at.getStart() || s.node.getEnd() > at.getEnd();
      const related = elsewhere ? [{ node: at, message: `Used as the ${what} here.` }] : undefined;
      if (s.kind === 'literal') {
        const example = EXAMPLE_VALUES.test(s.value.trim()) ? ', a well-known example value that attackers try first' : '';
        const impact = impactOf(what);
        ctx.report({
          node: elsewhere ? s.node : at,
          confidence: ctx.facts.testFile ? 'low' : 'high',
          ...(impact.severity ? { severity: impact.severity } : {}),
          message: `The ${what} is written in the code (\`${maskSecret(s.value)}\`${example}): ${impact.text} Load it from an environment variable and rotate this value.`,
          related,
          fixData: ts.isStringLiteralLike(s.node) ? moveToEnvData(ctx, s.node, signingSecretEnvName(what)) : undefined,
        });
        return;
      }
      if (ctx.facts.testFile) return;
      ctx.report({
        node: elsewhere ? s.node : at,
        severity: 'warning',
        confidence: s.devOnly ? 'low' : 'medium',
        message: `The ${what} falls back to a value written in the code (\`${maskSecret(s.value)}\`) when \`${s.env}\` is missing, and in production that fallback silently becomes the real secret that anyone reading the source knows. Drop the fallback and fail at startup when the variable is not set.`,
        related,
        fixData: ts.isStringLiteralLike(s.node) && s.env.startsWith('process.env.') ? envFallbackData(ctx, s.node, s.env.slice('process.env.'.length)) : undefined,
      });
    };

    return {
      CallExpression(call) {
        const args = call.arguments;
        const jc = jwtCall(ctx, call);
        if (jc) {
          if (jc.lib === 'jsonwebtoken' && (jc.fn === 'sign' || jc.fn === 'verify')) consider(args[1] ?? call, args[1], 'JWT signing secret');
          else if (jc.lib === 'jose' && jc.fn === 'jwtVerify') consider(args[1] ?? call, args[1], 'JWT signing secret');
          return;
        }
        const name = calleeName(call);
        if (name === 'register' && args.length >= 2) {
          const plugin = moduleOfExpression(ctx, args[0]);
          if (!plugin) return;
          const opts = resolveObject(ctx, args[1]);
          if (!opts) return;
          const mod = plugin.module;
          const keys = mod === '@fastify/cookie' || mod === 'fastify-cookie' ? ['secret']
            : mod === '@fastify/session' || mod === 'fastify-session' ? ['secret']
            : mod === '@fastify/secure-session' ? ['secret', 'key']
            : mod === '@fastify/jwt' || mod === 'fastify-jwt' ? ['secret'] : [];
          for (const k of keys) {
            const v = optionValue(ctx, opts, k);
            if (v && v !== 'unknown') consider(v, v, `${mod} secret`);
          }
          return;
        }
        const ref = calledFunction(ctx, call);
        if (!ref) return;
        const mod = ref.module;
        if (mod === 'express-session' || mod === 'cookie-session' || mod === 'koa-session' || mod === 'express-jwt' || mod === 'koa-jwt' ||
            (mod === 'hono/jwt' && ref.imported === 'jwt')) {
          const opts = resolveObject(ctx, args[0]);
          if (!opts) return;
          for (const k of ['secret', 'keys']) {
            const v = optionValue(ctx, opts, k);
            if (v && v !== 'unknown') consider(v, v, mod.includes('jwt') ? 'JWT signing secret' : `${mod} ${k === 'keys' ? 'signing key' : 'secret'}`);
          }
          return;
        }
        if (mod === 'hono/jwt' && (ref.imported === 'sign' || ref.imported === 'verify')) {
          consider(args[1] ?? call, args[1], 'JWT signing secret');
          return;
        }
        // Express 3 / Connect built-ins: express.session({ secret }), express.cookieParser('secret')
        if ((mod === 'express' || mod === 'connect') && (ref.imported === 'session' || ref.imported === 'cookieSession')) {
          const opts = resolveObject(ctx, args[0]);
          const v = opts ? optionValue(ctx, opts, 'secret') : undefined;
          if (v && v !== 'unknown') consider(v, v, 'session secret');
          return;
        }
        if ((mod === 'cookie-parser' || ((mod === 'express' || mod === 'connect') && ref.imported === 'cookieParser')) && args[0]) {
          consider(args[0], args[0], 'cookie-parser signing secret');
          return;
        }
        if ((mod === 'next-auth' || mod === 'next-auth/next') && (ref.imported === 'default' || ref.imported === '*')) {
          const opts = resolveObject(ctx, args[0]);
          const v = opts ? optionValue(ctx, opts, 'secret') : undefined;
          if (v && v !== 'unknown') consider(v, v, 'NextAuth secret');
          return;
        }
        if (mod === 'iron-session' && /^(getIronSession|sealData|unsealData|withIronSessionApiRoute|withIronSessionSsr|ironSession)$/.test(ref.imported)) {
          const opts = resolveObject(ctx, args[args.length - 1]);
          const v = opts ? optionValue(ctx, opts, 'password') : undefined;
          if (v && v !== 'unknown') consider(v, v, 'iron-session password');
          return;
        }
        if (mod === 'keygrip') {
          consider(args[0] ?? call, args[0], 'Keygrip signing key');
        }
      },
      NewExpression(ne) {
        // jose: new SignJWT(…)….sign(new TextEncoder().encode('…'))
        if (isJoseSignJwt(ctx, ne)) {
          const sign = chainedCalls(ne).find((c) => c.name === 'sign');
          const key = sign?.call.arguments[0];
          if (key) consider(key, key, 'JWT signing secret');
          return;
        }
        const ref = calledFunction(ctx, ne);
        if (ref?.module === 'keygrip') consider(ne.arguments?.[0] ?? ne, ne.arguments?.[0], 'Keygrip signing key');
        if (ref?.module === 'passport-jwt' && ref.imported === 'Strategy') {
          const opts = resolveObject(ctx, ne.arguments?.[0]);
          const v = opts ? optionValue(ctx, opts, 'secretOrKey') : undefined;
          if (v && v !== 'unknown') consider(v, v, 'JWT signing secret');
        }
      },
      ObjectLiteralExpression(obj) {
        // NextAuth options objects ({ providers, secret }) and iron-session options ({ cookieName, password })
        const names = new Set(obj.properties.map((p) => (p.name ? propertyNameText(p.name as ts.PropertyName) : undefined)).filter(Boolean) as string[]);
        if (names.has('providers') && names.has('secret') && (ctx.facts.modules.has('next-auth') || [...ctx.facts.modules].some((m) => m.startsWith('next-auth') || m.startsWith('@auth/')))) {
          const v = optionValue(ctx, obj, 'secret');
          if (v && v !== 'unknown') consider(v, v, 'NextAuth secret');
        }
        if (names.has('cookieName') && names.has('password')) {
          const v = optionValue(ctx, obj, 'password');
          if (v && v !== 'unknown') consider(v, v, 'iron-session password');
        }
      },
      BinaryExpression(b) {
        // Koa: app.keys = ['…']
        if (b.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return;
        const left = unwrap(b.left);
        if (!ts.isPropertyAccessExpression(left) || left.name.text !== 'keys') return;
        const base = unwrap(left.expression);
        if (!ts.isIdentifier(base)) return;
        const bind = ctx.taint.scopes.resolve(base);
        let isKoa = false;
        if (bind && ts.isVariableDeclaration(bind) && bind.initializer) {
          const init = unwrap(bind.initializer);
          if (ts.isNewExpression(init) && ts.isIdentifier(unwrap(init.expression))) {
            isKoa = moduleRefOf(ctx, unwrap(init.expression) as ts.Identifier)?.module === 'koa';
          }
        }
        if (!isKoa && base.text === 'app' && ctx.facts.modules.has('koa')) isKoa = true;
        if (isKoa) consider(b.right, b.right, 'Koa cookie signing key (`app.keys`)');
      },
    };
  },
});
