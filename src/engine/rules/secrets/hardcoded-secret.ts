import { ts } from 'ts-morph';
import { ALL_LANGUAGES, defineRule, sameVisitor } from '../../model/rule';
import type { Confidence, Severity } from '../../model/types';
import { boundName, calleeName, unwrap } from '../../util/ast';
import { maskSecret } from '../../util/text';
import { CLIENT_BUNDLE_PATH, inGcpServiceAccount, isStructuralLiteral, literalContext, literalSecrets, literalUnbound, TEST_PATH } from '../../secrets/context';
import { comparedSecretStrength, envNameFor, findSecrets, isSecretName, noSecretUnbound, secretValueStrength, type SecretMatch } from '../../secrets/providers';

import { moveToEnvData } from '../../fixes/secret-data';
import type { FixData } from '../../model/types';

type Lit = ts.StringLiteral | ts.NoSubstitutionTemplateLiteral;

function rotateAndEnv(env: string): string {
  return `Rotate it if it was ever committed, and read it from an environment variable instead (\`process.env.${env}\`).`;
}

function catalogMessage(m: SecretMatch, gcp: boolean, browser: boolean): string {
  const p = m.provider;
  const who = gcp ? 'Google Cloud service-account private key' : `${p.provider} ${p.label}`;
  const env = gcp ? 'GOOGLE_APPLICATION_CREDENTIALS' : p.envVar;
  if (p.testMode) {
    return `Hard-coded ${who} (\`${m.masked}\`). Test mode cannot touch live data, but keep keys in an environment variable (\`process.env.${env}\`) so a live key never lands in code.`;
  }
  if (m.level === 'low') {
    return `${who} (\`${m.masked}\`) is written in the code; it points at a local/dev host, but real credentials should come from an environment variable (\`process.env.${env}\`).`;
  }
  const where = browser ? ' This file runs in the browser, so the key ships to every visitor.' : '';
  return `Hard-coded ${who} (\`${m.masked}\`): anyone who can read this code or its git history can use it.${where} ${rotateAndEnv(env)}`;
}

/** The name of the compared side: `password`, `req.body.password` → 'password', `headers['x-api-key']` → 'x-api-key'. */
function comparedName(e: ts.Expression): string | undefined {
  if (ts.isIdentifier(e)) return e.text;
  if (ts.isPropertyAccessExpression(e)) return e.name.text;
  if (ts.isElementAccessExpression(e) && ts.isStringLiteralLike(unwrap(e.argumentExpression))) return (unwrap(e.argumentExpression) as ts.StringLiteral).text;
  if (ts.isCallExpression(e) && calleeName(e) === 'get' && e.arguments[0] && ts.isStringLiteralLike(unwrap(e.arguments[0]))) {
    return (unwrap(e.arguments[0]) as ts.StringLiteral).text; // req.get('x-api-key'), headers.get('authorization')
  }
  return undefined;
}

/** Callees whose secret options belong to hardcoded-session-secret (session cookies, JWT signing). */
const SIGNING_CALLEES = /(^|\s)(session|cookieSession|cookieParser|expressjwt|expressJwt|jwt\.sign|jwt\.verify|jsonwebtoken\.sign|jsonwebtoken\.verify|sign|verify|koaJwt|jwt|NextAuth|getIronSession|ironSession|withIronSessionApiRoute|fastifyJwt|fastifySession|fastifyCookie|passport\.use|JwtStrategy|Strategy|app\.register|fastify\.register)(\s|$)/;

/** the equality operators: a comparison with a hard-coded value (the BinaryExpression visitor is given only these) */
const EQUALITY = ['===', '==', '!==', '!='];
const EQUALITY_KINDS = new Set([ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.EqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsToken]);

/**
 * The name of a token's type in a syntax highlighter or a lexer: dotted lowercase words (`variable.language`,
 * `constant.language.escape`, `support.php_tag`), as Ace, TextMate grammars and CodeMirror name them.
 */
const TOKEN_TYPE_NAME = /^[a-z][a-z0-9_-]*(\.[a-z][a-z0-9_-]*)+$/;
/** A syntax highlighter's rules (Ace's `mode-*.js`, `*_highlight_rules.js`): their rule objects' `.token` is a type name. */
const HIGHLIGHT_RULES = /HighlightRules|(^|[/_.-])highlight[_-]?rules/;

const TRANSLATION_PATH = /(^|\/)(translations?|locales?|i18n|l10n|lang|langs|languages)\/|\.json\.[cm]?js$/i;

export default defineRule({
  meta: {
    id: 'hardcoded-secret',
    title: 'Secret written in the source code',
    category: 'secrets',
    severity: 'error',
    confidence: 'high',
    cwe: [798],
    owasp: 'A07:2021 Identification and Authentication Failures',
    description: 'Finds API keys, tokens, private keys and database passwords written as string literals: values matching the formats of 60+ providers (Stripe, AWS, GitHub, OpenAI, Supabase service_role, Slack, Twilio…) anywhere, and random-looking values assigned to names such as `apiKey`, `clientSecret` or `password` (signing secrets passed to session and JWT libraries are left to `hardcoded-session-secret`). Minified bundles are scanned for the provider formats too.',
    notReported: 'Placeholders and demo values (`your-key-here`, `changeme`; passwords of a public demo such as `DEMO_PASSWORD` or `demoUser.password` are low), environment variable names, URLs and paths, hashes, UUIDs (low), words in any language such as the labels in translation tables (`Password: \'Contraseña\'`), stand-ins named `REDACTED_…`/`MASKED_…`/`PLACEHOLDER_…`, the type names of syntax highlighters\' and lexers\' tokens (`rule.token == \'variable.language\'`), and secrets in vendored libraries, which only the provider-format scan still reads.',
    why: 'Anything in the code is readable by everyone who can see the repository, its git history, a build artifact or the browser bundle. A leaked live key lets a stranger charge cards, read your database or run up your AI bill, and deleting the line does not help: it stays in git history until the key is rotated.',
    fix: 'Rotate the key in the provider\'s dashboard if it was ever committed, put the new one in an environment variable (`.env.local` locally, the host\'s secret settings in production) and read it with `process.env.NAME`. Keep `.env*` files out of git.',
    bad: `import Stripe from 'stripe';
const stripe = new Stripe('sk_live_51NqShipsafeDemo0Key4Docs9vRtW2xLmP8aQz');`,
    good: `import Stripe from 'stripe';
const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);`,
    fixSafety: 'suggestion',
    languages: ALL_LANGUAGES,
    defaultEnabled: true,
    tags: ['secrets', 'credentials'],
  },
  create(ctx) {
    const lowFile = ctx.facts.testFile || TEST_PATH.test(ctx.path.replace(/\\/g, '/'));
    const browser = ctx.facts.useClient;

    const report = (node: ts.Node, message: string, confidence: Confidence, severity?: Severity, fixData?: FixData) => {
      ctx.report({ node, message, confidence: lowFile ? 'low' : confidence, severity, fixData });
    };

    const checkLiteral = (lit: Lit) => {
      const text = lit.text;
      if (text.length < 6 || text.length > 200_000) return;
      // short values can only be reported through a secret-like name: check that first (most literals stop here)
      if (text.length < 16) {
        const name = boundName(lit);
        if (!name || !isSecretName(name)) return;
      }
      if (isStructuralLiteral(lit)) return;
      // a value not bound to a secret-looking name nor passed to a call, in whose text no catalog entry matches: the
      // catalog finds nothing whatever its names, and its name is not secret (most literals: labels, messages)
      if (literalUnbound(lit, boundName(lit)) && noSecretUnbound(text)) return;
      const lc = literalContext(lit, ctx.facts);
      const matches = text.length >= 16 ? literalSecrets(lit, lc) : [];
      const secret = matches.find((m) => !m.provider.publishable);
      if (secret) {
        const gcp = secret.provider.id === 'private-key' && inGcpServiceAccount(lit);
        const conf: Confidence = secret.provider.testMode || secret.level === 'low' ? 'low' : 'high';
        report(lit, catalogMessage(secret, gcp, browser), conf, secret.provider.testMode ? 'info' : undefined,
          moveToEnvData(ctx, lit, gcp ? 'GOOGLE_PRIVATE_KEY' : secret.provider.envVar, { start: secret.start, end: secret.end }));
        return;
      }
      if (matches.length) return; // a publishable key (Stripe pk_, Supabase anon, Firebase web key…)
      if (!lc.name || !isSecretName(lc.name)) return;
      // signing secrets handed to session / JWT libraries are the job of hardcoded-session-secret
      if (SIGNING_CALLEES.test(lc.names)) return;
      // `REDACTED_CREDENTIAL_VALUE`, `maskedPassword`, `PLACEHOLDER_TOKEN`: a stand-in shown instead of a secret
      if (/(^|[^a-z])(redacted|masked|placeholder|blank|sentinel|dummy|fake)/i.test(lc.name)) return;
      // a word in any language (`Contraseña`, `Lösenord`): the label of a password field, not a password
      if (/^\p{L}+$/u.test(text.trim()) && /[^\x00-\x7F]/.test(text)) return;
      // translation tables (`locales/es.json`, `translations/sv.json.js`) hold labels, keyed by what they name
      if (TRANSLATION_PATH.test(ctx.path.replace(/\\/g, '/'))) return;
      const strength = secretValueStrength(text, lc.name);
      if (!strength) return;
      // `DEMO_PASSWORD`, `demoUser.password`, `guestCredentials`: the login of a public demo, shown on purpose
      const demo = /(^|[^a-z])(demo|guest|sample|example|playground|sandbox)/i.test(lc.names);
      const conf: Confidence = strength === 'low' || demo ? 'low' : 'medium';
      report(lit, `\`${lc.name}\` is set to what looks like a hard-coded secret (\`${maskSecret(text)}\`): secrets in code leak through git history, logs and builds.${browser ? ' This file runs in the browser, so it ships to every visitor.' : ''} ${rotateAndEnv(envNameFor(lc.name))}`, conf, 'warning',
        moveToEnvData(ctx, lit, envNameFor(lc.name)));
    };

    return {
      StringLiteral: checkLiteral,
      NoSubstitutionTemplateLiteral: checkLiteral,
      // if (password === 'Adm1n!2024') / if (req.headers['x-api-key'] !== 'k3y…'): a built-in backdoor credential
      BinaryExpression: sameVisitor(EQUALITY, (b: ts.BinaryExpression) => {
        if (!EQUALITY_KINDS.has(b.operatorToken.kind)) return;
        const l = unwrap(b.left);
        const r = unwrap(b.right);
        const lit = ts.isStringLiteralLike(r) ? r : ts.isStringLiteralLike(l) ? l : undefined;
        const other = lit === r ? l : r;
        if (!lit || ts.isStringLiteralLike(other)) return;
        const name = comparedName(other);
        if (!name || !isSecretName(name)) return;
        // `startRules[i].token == "variable.language"`: a syntax token's type, not a credential. Dotted lowercase words
        // compared with a token; any lowercase word compared with the `.token` of a highlighting-rules file's rule
        if (/token/i.test(name) && TOKEN_TYPE_NAME.test(lit.text)) return;
        if (name === 'token' && ts.isPropertyAccessExpression(other) && /^[a-z][a-z0-9_.-]*$/.test(lit.text) &&
            (HIGHLIGHT_RULES.test(ctx.path) || ctx.text.includes('HighlightRules'))) return;
        if (findSecrets(lit.text).length) return; // a catalog key is reported by the literal check
        if (!comparedSecretStrength(lit.text, name)) return;
        report(lit, `\`${name}\` is compared with a hard-coded value (\`${maskSecret(lit.text)}\`): anyone who reads the code can pass this check, and changing it needs a deploy. Compare against a value from an environment variable, or a hash stored in the database.`, 'medium', 'warning');
      }),
    };
  },
  checkText(tctx) {
    const path = tctx.path.replace(/\\/g, '/');
    const low = TEST_PATH.test(path);
    const bundle = CLIENT_BUNDLE_PATH.test(path);
    let n = 0;
    for (const m of findSecrets(tctx.text, { textScan: true })) {
      if (m.provider.publishable) continue;
      if (++n > 25) break;
      const where = bundle ? ' This is a built browser bundle: the key ships to every visitor.' : '';
      tctx.report({
        range: { start: m.start, end: m.end },
        message: `Hard-coded ${m.provider.provider} ${m.provider.label} (\`${m.masked}\`) in a minified or very large file.${where} ${rotateAndEnv(m.provider.envVar)}`,
        confidence: low || m.provider.testMode || m.level === 'low' ? 'low' : 'high',
        severity: m.provider.testMode ? 'info' : undefined,
      });
    }
  },
});
