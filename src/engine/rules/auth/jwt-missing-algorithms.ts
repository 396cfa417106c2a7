import { ts } from 'ts-morph';
import { ALL_LANGUAGES, defineRule, type RuleContext } from '../../model/rule';
import { literalText, unwrap } from '../../util/ast';
import { jwtCall, keyKind } from '../../util/jwt';
import { optionProperty, optionValue, resolveObject, resolveString } from '../../util/resolve-values';
import { tryFixes } from '../../fixes/edits';
import { pinAlgorithmsFix, removeNoneFix } from '../../fixes/jwt';
import { textPrefilter } from '../../util/text-words';

/** the pre-filter's expression, asked only of a text that holds one of these words (util/text-words.ts) */
const JWT_LIBS = textPrefilter(['jsonwebtoken', 'jose'], ['jsonwebtoken', 'jose']);

/** The options argument of jsonwebtoken's `verify(token, key, options?, callback?)`; 'none' when absent. */
function verifyOptions(ctx: RuleContext, call: ts.CallExpression, index: number): ts.ObjectLiteralExpression | 'none' | 'unknown' {
  const arg = call.arguments[index];
  if (!arg) return 'none';
  const u = unwrap(arg);
  if (ts.isArrowFunction(u) || ts.isFunctionExpression(u)) return 'none';
  if (u.kind === ts.SyntaxKind.UndefinedKeyword || (ts.isIdentifier(u) && u.text === 'undefined') || u.kind === ts.SyntaxKind.NullKeyword) return 'none';
  return resolveObject(ctx, u) ?? 'unknown';
}

/** Whether an `algorithms` array (or `algorithm` string) allows the unsigned `none` algorithm. */
function allowsNone(ctx: RuleContext, v: ts.Expression): boolean {
  const u = unwrap(v);
  if (ts.isArrayLiteralExpression(u)) return u.elements.some((el) => (resolveString(ctx, el) ?? '').toLowerCase() === 'none');
  return (resolveString(ctx, u) ?? '').toLowerCase() === 'none';
}

export default defineRule({
  meta: {
    id: 'jwt-missing-algorithms',
    title: 'JWT verified without pinning the algorithm',
    category: 'auth',
    severity: 'warning',
    confidence: 'medium',
    cwe: [347],
    // OWASP 2021 maps CWE-347 (improper verification of a cryptographic signature) to A02
    owasp: 'A02:2021 Cryptographic Failures',
    description: 'Finds `jsonwebtoken` `verify()` calls without an `algorithms` allowlist, `jose` `jwtVerify()` without `algorithms` (low confidence), and any JWT code that accepts or signs with the unsigned `none` algorithm.',
    notReported: '`verify()` with a shared secret (a string literal or a secret/token-named value) without `algorithms` is low confidence: jsonwebtoken 9+ already limits such keys to HS256/384/512 (medium when the project\'s package.json asks for jsonwebtoken before 9 and the token comes from a request). Public keys, PEM files, JWKS callbacks and keys of unknown kind stay at the default confidence.',
    why: 'A JWT names its own signing algorithm in its header, and that header is written by whoever made the token. If the verifier does not fix the algorithm, a forged token can pick one the server did not intend: the classic attack signs a token with HS256 using the server\'s public RSA key as the "secret". Accepting `none` is worse: the token needs no signature at all, so anyone can log in as anyone.',
    fix: 'Pass the exact algorithm you sign with: `jwt.verify(token, key, { algorithms: [\'HS256\'] })` (or `[\'RS256\']` for key pairs; `jwtVerify(token, key, { algorithms: [...] })` in jose). Never list `none`.',
    bad: `import jwt from 'jsonwebtoken';
const publicKey = process.env.JWT_PUBLIC_KEY;
export function readUser(token) {
  return jwt.verify(token, publicKey);
}`,
    good: `import jwt from 'jsonwebtoken';
const publicKey = process.env.JWT_PUBLIC_KEY;
export function readUser(token) {
  return jwt.verify(token, publicKey, { algorithms: ['RS256'] });
}`,
    fixSafety: 'suggestion',
    languages: ALL_LANGUAGES,
    defaultEnabled: true,
    tags: ['jwt', 'auth', 'crypto'],
  },
  create(ctx) {
    if (!JWT_LIBS.test(ctx.text)) return {}; // cheap pre-filter: no JWT library in this file
    return {
      CallExpression(call) {
        const jc = jwtCall(ctx, call);
        if (!jc) return;

        if (jc.lib === 'jsonwebtoken' && jc.fn === 'sign') {
          const opts = verifyOptions(ctx, call, 2);
          if (typeof opts === 'string') return;
          const alg = optionValue(ctx, opts, 'algorithm');
          if (alg && alg !== 'unknown' && allowsNone(ctx, alg)) {
            ctx.report({
              node: optionProperty(opts, 'algorithm') ?? call,
              severity: 'error',
              confidence: 'high',
              message: 'This JWT is signed with `algorithm: \'none\'`, so it carries no signature and anyone can forge one with any user id or role. Sign with a real algorithm (`HS256` with a long secret, or `RS256`/`ES256` with a key pair) and verify with the same one pinned.',
            });
          }
          return;
        }

        if (jc.lib === 'jsonwebtoken' && jc.fn === 'verify') {
          const opts = verifyOptions(ctx, call, 2);
          if (opts === 'unknown') return;
          const algs = opts === 'none' ? undefined : optionValue(ctx, opts, 'algorithms');
          if (algs === 'unknown') return;
          if (algs && opts !== 'none') {
            if (allowsNone(ctx, algs)) {
              ctx.report({
                node: optionProperty(opts, 'algorithms') ?? call,
                severity: 'error',
                confidence: 'high',
                message: 'The verifier accepts the `none` algorithm, so a token with no signature at all passes and anyone can pose as any user. Remove `none` and list only the algorithm you sign with, e.g. `algorithms: [\'HS256\']`.',
                fixes: tryFixes(() => removeNoneFix(ctx, algs)),
              });
            }
            return;
          }
          const kind = keyKind(ctx, call.arguments[1]);
          // the project's own jsonwebtoken: before v9 a shared secret does not limit the algorithms
          const declared = ctx.project?.dependencyVersion(ctx.path, 'jsonwebtoken');
          const major = declared ? /(\d+)/.exec(declared)?.[1] : undefined;
          const oldJwt = major !== undefined && Number(major) < 9 && !/^(latest|next|\*)$/.test(declared!.trim());
          // …for a token a client sends (read in a request handler or middleware), not one the app holds itself
          const fromClient = !!call.arguments[0] && (ctx.taint.classify(call.arguments[0], 'object').kind === 'tainted' || ctx.taint.inRequestContext(call));
          if (kind === 'secret' && oldJwt && fromClient) {
            ctx.report({
              node: call,
              confidence: 'medium',
              message: `${`\`${call.expression.getText(ctx.sourceFile).slice(0, 30)}()\``} is called without \`algorithms\`, and package.json asks for jsonwebtoken ${declared}: before v9 the token's header picks the algorithm even for a shared secret (and \`none\` tokens are only refused since then). Pin it with \`{ algorithms: ['HS256'] }\`, and upgrade jsonwebtoken.`,
              fixes: tryFixes(() => pinAlgorithmsFix(ctx, call)),
            });
            return;
          }
          const fnText = `\`${call.expression.getText(ctx.sourceFile).slice(0, 30)}()\``;
          const message = kind === 'secret'
            ? `${fnText} is called without \`algorithms\`. With a shared secret, jsonwebtoken 9+ already limits tokens to HS256/384/512, so the risk is low, but older versions and later key changes can accept algorithms you never use: pin it with \`{ algorithms: ['HS256'] }\`.`
            : kind === 'asymmetric'
              ? `${fnText} checks a token against a public key without \`algorithms\`, so the token's header picks the algorithm; jsonwebtoken before v9 then accepts an HS256 token "signed" with the public key itself, which anyone can forge (algorithm confusion). Pin the algorithm you sign with, e.g. \`{ algorithms: ['RS256'] }\`.`
              : `${fnText} is called without \`algorithms\`, so what is accepted depends on the key type and the library version; with a public key, jsonwebtoken before v9 accepts a forged HS256 token "signed" with that key (algorithm confusion). Pin the algorithm you sign with, e.g. \`{ algorithms: ['HS256'] }\` or \`['RS256']\`.`;
          ctx.report({ node: call, confidence: kind === 'secret' ? 'low' : 'medium', message, fixes: tryFixes(() => pinAlgorithmsFix(ctx, call)) });
          return;
        }

        if (jc.lib === 'jose' && jc.fn === 'jwtVerify') {
          const opts = verifyOptions(ctx, call, 2);
          if (opts === 'unknown') return;
          const algs = opts === 'none' ? undefined : optionValue(ctx, opts, 'algorithms');
          if (algs) return;
          ctx.report({
            node: call,
            confidence: 'low',
            message: '`jwtVerify()` is called without `algorithms`. jose only accepts algorithms that fit the key and never `none`, so this is hardening rather than a hole: pass `{ algorithms: [\'HS256\'] }` (or the one you sign with) so a key change cannot widen what is accepted.',
            fixes: tryFixes(() => pinAlgorithmsFix(ctx, call)),
          });
        }
      },
      PropertyAssignment(p) {
        // header: { alg: 'none' } in a sign call's options, or a hand-built token header
        if (literalText(p.initializer)?.toLowerCase() !== 'none') return;
        if (!ts.isIdentifier(p.name) || p.name.text !== 'alg') return;
        const obj = p.parent;
        if (!ts.isObjectLiteralExpression(obj) || !obj.parent || !ts.isPropertyAssignment(obj.parent)) return;
        const holder = obj.parent;
        if (!ts.isIdentifier(holder.name) || holder.name.text !== 'header') return;
        ctx.report({
          node: p,
          severity: 'error',
          confidence: 'high',
          message: 'This JWT header declares `alg: \'none\'`: the token is unsigned and anyone can forge it. Sign with a real algorithm and pin it when verifying.',
        });
      },
    };
  },
});
