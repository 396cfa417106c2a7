import { ts } from 'ts-morph';
import { ALL_LANGUAGES, defineRule, type RuleContext, sameVisitor } from '../../model/rule';
import { calleeName, calleeObject, getPropertyValue, literalText, memberChain, unwrap } from '../../util/ast';

const CRYPTO_MODULE = /^(node:)?crypto$/;
/** Broken or obsolete ciphers: 56-bit DES, 64-bit-block 3DES/Blowfish/CAST/IDEA (Sweet32), biased RC4, RC2. */
const WEAK_ALGORITHM = /^(des|des3|des-ede|des-ede3|des-ede-cbc|des-ede3-cbc|des-cbc|des-ecb|des-cfb|des-ofb|desx|desx-cbc|rc2|rc4|bf|blowfish|cast|cast5|idea|seed|3des)(\b|-|$)/i;
/** Modes that take an IV or nonce that must never repeat under the same key. */
const IV_MODE = /-(cbc|gcm|ctr|cfb|cfb1|cfb8|ofb|ccm|ocb)$|^chacha20(-poly1305)?$|^aes(128|192|256)$/i;

interface StaticIv { what: string; node: ts.Node }

function resolveValue(ctx: RuleContext, expr: ts.Expression, depth = 0): ts.Expression {
  const e = unwrap(expr);
  if (depth > 4 || !ts.isIdentifier(e)) return e;
  const b = ctx.taint.scopes.resolve(e);
  if (b && ts.isVariableDeclaration(b) && b.initializer && ts.isIdentifier(b.name) && (b.parent.flags & ts.NodeFlags.Const)) {
    return resolveValue(ctx, b.initializer, depth + 1);
  }
  return e;
}

function isConstantLiteral(e: ts.Expression): boolean {
  const u = unwrap(e);
  return ts.isStringLiteralLike(u) || ts.isNumericLiteral(u) ||
    (ts.isArrayLiteralExpression(u) && u.elements.every((x) => isConstantLiteral(x)));
}

function isEnv(e: ts.Expression): boolean {
  const chain = memberChain(e);
  return !!chain && chain[0] === 'process' && chain[1] === 'env';
}

/** Whether an IV expression is the same for every message: a literal, zero-filled, or read from configuration. */
function staticIv(ctx: RuleContext, expr: ts.Expression, depth = 0): StaticIv | undefined {
  if (depth > 5) return undefined;
  if (randomFilled(ctx, expr)) return undefined;
  const e = resolveValue(ctx, expr);
  if (ts.isStringLiteralLike(e)) return { what: 'a fixed string', node: expr };
  if (e.kind === ts.SyntaxKind.NullKeyword) return undefined;
  if (isEnv(e)) return { what: 'a value from configuration (the same for every message)', node: expr };
  if (ts.isCallExpression(e)) {
    const chain = memberChain(e.expression)?.join('.');
    const name = calleeName(e);
    if (chain === 'Buffer.alloc' || chain === 'Buffer.allocUnsafe') {
      const fill = e.arguments[1];
      if (chain === 'Buffer.alloc' && (!fill || isConstantLiteral(fill))) return { what: 'a zero-filled (constant) buffer', node: expr };
      return undefined;
    }
    if (chain === 'Buffer.from' || chain === 'Uint8Array.from') {
      const src = e.arguments[0];
      if (!src) return undefined;
      if (isConstantLiteral(resolveValue(ctx, src))) return { what: 'a fixed value', node: expr };
      const inner = staticIv(ctx, src, depth + 1);
      return inner ? { what: inner.what, node: expr } : undefined;
    }
    if ((name === 'fill') && calleeObject(e)) {
      const inner = calleeObject(e)!;
      const r = resolveValue(ctx, inner);
      if (ts.isCallExpression(r) && /^Buffer\.alloc/.test(memberChain(r.expression)?.join('.') ?? '')) return { what: 'a constant-filled buffer', node: expr };
      if (ts.isNewExpression(r) && /Array$/.test(calleeName(r) ?? '')) return { what: 'a constant-filled buffer', node: expr };
      return undefined;
    }
    if (name === 'repeat' && calleeObject(e) && ts.isStringLiteralLike(unwrap(calleeObject(e)!))) return { what: 'a fixed string', node: expr };
    if ((name === 'encode') && e.arguments[0] && ts.isNewExpression(unwrap(calleeObject(e) ?? e)) ) {
      // new TextEncoder().encode('fixed-iv-123456')
      const inner = staticIv(ctx, e.arguments[0], depth + 1);
      return inner ? { what: inner.what, node: expr } : undefined;
    }
    return undefined;
  }
  if (ts.isNewExpression(e)) {
    const name = calleeName(e);
    if (name && /^(Uint8Array|Buffer|ArrayBuffer|Int8Array)$/.test(name)) {
      const a = e.arguments?.[0];
      if (!a || ts.isNumericLiteral(unwrap(a)) || isConstantLiteral(resolveValue(ctx, a))) return { what: 'a constant (zero-filled or literal) array', node: expr };
    }
    return undefined;
  }
  return undefined;
}

/** `const iv = new Uint8Array(12); crypto.getRandomValues(iv)` / `randomFillSync(iv)`: zero-allocated, then filled randomly. */
function randomFilled(ctx: RuleContext, expr: ts.Expression): boolean {
  const e = unwrap(expr);
  if (!ts.isIdentifier(e)) return false;
  const b = ctx.taint.scopes.resolve(e);
  if (!b || !ts.isVariableDeclaration(b)) return false;
  let scope: ts.Node = b;
  while (scope.parent && !ts.isBlock(scope) && !ts.isSourceFile(scope)) scope = scope.parent;
  const name = e.text.replace(/[$]/g, '\\$');
  return new RegExp(`\\b(getRandomValues|randomFillSync|randomFill)\\s*\\(\\s*${name}\\b`).test(scope.getText(ctx.sourceFile));
}

/** Node's crypto module: `crypto.createCipheriv`, `createCipheriv` imported from 'crypto', `require('crypto').createCipheriv`. */
function isNodeCrypto(ctx: RuleContext, call: ts.CallExpression): boolean {
  const recv = calleeObject(call);
  const callee = unwrap(call.expression);
  if (recv) {
    if (ts.isCallExpression(recv) && calleeName(recv) === 'require') return CRYPTO_MODULE.test(literalText(recv.arguments[0]) ?? '');
    if (!ts.isIdentifier(recv)) return false;
    const mod = ctx.facts.imports.get(recv.text)?.module;
    return mod ? CRYPTO_MODULE.test(mod) : recv.text === 'crypto' || recv.text === 'nodeCrypto';
  }
  if (!ts.isIdentifier(callee)) return false;
  const mod = ctx.facts.imports.get(callee.text)?.module;
  return !!mod && CRYPTO_MODULE.test(mod);
}

function isCryptoJs(ctx: RuleContext, root: string): boolean {
  const mod = ctx.facts.imports.get(root)?.module;
  if (mod) return /^crypto-js(\/|$)/.test(mod);
  return /^cryptojs$/i.test(root);
}

function algorithmProblem(alg: string): string | undefined {
  const a = alg.toLowerCase();
  if (WEAK_ALGORITHM.test(a)) {
    if (/^rc4/.test(a)) return `\`${alg}\` (RC4) is a broken stream cipher with biased output`;
    if (/^rc2/.test(a)) return `\`${alg}\` (RC2) is an obsolete, broken cipher`;
    if (/^(des-ede|des3|3des)/.test(a)) return `\`${alg}\` (Triple DES) is deprecated: its 64-bit blocks leak data after a few gigabytes (Sweet32)`;
    if (/^des/.test(a)) return `\`${alg}\` (DES) has a 56-bit key that can be brute-forced in hours`;
    return `\`${alg}\` uses 64-bit blocks, which leak data after a few gigabytes (Sweet32)`;
  }
  if (/-ecb$|^ecb$/.test(a)) return `\`${alg}\` uses ECB mode, which encrypts equal blocks to equal output and so reveals patterns in the data`;
  return undefined;
}

const FIX = 'Use `aes-256-gcm` with a fresh `crypto.randomBytes(12)` IV for every message, and store the IV and auth tag next to the ciphertext.';

/** The cipher calls the rule looks at. */
const CIPHER_CALLS = ['createCipher', 'createDecipher', 'createCipheriv', 'createDecipheriv', 'encrypt', 'decrypt'];

export default defineRule({
  meta: {
    id: 'weak-cipher',
    title: 'Weak or misused encryption',
    category: 'crypto',
    severity: 'error',
    confidence: 'medium',
    cwe: [327],
    owasp: 'A02:2021 Cryptographic Failures',
    description: 'Finds encryption that does not protect data: the deprecated `crypto.createCipher`/`createDecipher`, broken ciphers (DES, Triple DES, RC4, RC2, Blowfish), ECB mode, IVs that never change (literal strings, zero-filled buffers, an IV from an environment variable), and CryptoJS `DES`/`TripleDES`/`RC4`/`mode.ECB`. Hashing (`createHash`) is not encryption and is not reported here.',
    notReported: 'Hashing (`createHash`) and HMACs, which are not encryption; AES in GCM, CBC or CTR mode with a random IV.',
    why: 'Old ciphers can be broken with ordinary hardware, ECB mode shows patterns of the plaintext, and reusing an IV lets an attacker compare or even decrypt messages (with AES-GCM or CTR a repeated IV reveals the XOR of two plaintexts and lets them forge messages). `createCipher` derives the key from a password with one round of MD5 and uses no random IV.',
    fix: FIX + ' Derive keys from passwords with `crypto.scrypt`, never with `createCipher`.',
    bad: `import crypto from 'node:crypto';
export function encrypt(text: string) {
  const cipher = crypto.createCipheriv('aes-256-cbc', key, Buffer.alloc(16, 0));
  return Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]).toString('base64');
}`,
    good: `import crypto from 'node:crypto';
export function encrypt(text: string) {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
  const data = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), data]).toString('base64');
}`,
    fixSafety: 'none',
    languages: ALL_LANGUAGES,
    defaultEnabled: true,
    tags: ['crypto', 'encryption'],
  },
  create(ctx) {
    const low = ctx.facts.testFile ? 'low' as const : undefined;
    const check = (node: ts.CallExpression | ts.NewExpression) => {
        if (!ts.isCallExpression(node)) return;
        const call = node;
        const name = calleeName(call);
        if (!name) return;
        const chain = memberChain(call.expression);

        // crypto.createCipher / createDecipher (deprecated, removed in Node 22)
        if ((name === 'createCipher' || name === 'createDecipher') && isNodeCrypto(ctx, call)) {
          ctx.report({
            node: call.expression,
            confidence: low,
            message: `\`${name}\` derives the key from a password with a single MD5 round and uses no random IV, so equal messages encrypt the same and the key is easy to brute-force (it was removed in Node 22). ${FIX}`,
          });
          return;
        }

        // crypto.createCipheriv(alg, key, iv)
        if ((name === 'createCipheriv' || name === 'createDecipheriv') && isNodeCrypto(ctx, call)) {
          const algExpr = call.arguments[0];
          const alg = algExpr ? literalText(resolveValue(ctx, algExpr)) : undefined;
          if (!alg) return;
          const problem = algorithmProblem(alg);
          if (problem) {
            ctx.report({ node: algExpr!, confidence: low, message: `${problem}. ${FIX}` });
            return;
          }
          // a fixed IV only matters when encrypting: decrypting legacy data must use the IV it was written with
          const ivArg = call.arguments[2];
          if (name === 'createCipheriv' && ivArg && IV_MODE.test(alg)) {
            const iv = staticIv(ctx, ivArg);
            if (iv) {
              const gcm = /gcm|ctr|ccm|ocb|chacha/i.test(alg);
              ctx.report({
                node: ivArg,
                confidence: low,
                message: `The IV for \`${alg}\` is ${iv.what}, so it repeats for every message: ${gcm ? 'with this mode a repeated IV exposes plaintexts and lets attackers forge messages' : 'identical plaintexts give identical ciphertexts and patterns leak'}. Generate a new \`crypto.randomBytes(${gcm ? 12 : 16})\` IV per message and store it with the ciphertext.`,
              });
            }
          }
          return;
        }

        // node-forge: forge.cipher.createCipher('DES-ECB', key)
        if ((name === 'createCipher' || name === 'createDecipher') && chain && chain.includes('cipher') && call.arguments[0]) {
          const alg = literalText(resolveValue(ctx, call.arguments[0]));
          const problem = alg && algorithmProblem(alg.replace(/^3des/i, 'des-ede3'))?.replace(/^`[^`]*`/, `\`${alg}\``);
          if (problem) ctx.report({ node: call.arguments[0], confidence: low, message: `${problem}. ${FIX}` });
          return;
        }

        // WebCrypto: crypto.subtle.encrypt({ name: 'AES-GCM', iv: new Uint8Array(12) }, key, data)
        if (name === 'encrypt' && chain && chain[chain.length - 2] === 'subtle' && call.arguments[0]) {
          const algo = resolveValue(ctx, call.arguments[0]);
          if (!ts.isObjectLiteralExpression(algo)) return;
          const ivExpr = getPropertyValue(algo, 'iv') ?? getPropertyValue(algo, 'counter');
          const algName = literalText(getPropertyValue(algo, 'name') ?? algo) ?? 'AES';
          if (!ivExpr) return;
          const iv = staticIv(ctx, ivExpr);
          if (iv) ctx.report({ node: ivExpr, confidence: low, message: `The IV for ${algName} is ${iv.what}, so it repeats for every message: with AES-GCM a repeated IV exposes plaintexts and lets attackers forge messages. Use \`crypto.getRandomValues(new Uint8Array(12))\` for each message and store it with the ciphertext.` });
          return;
        }

        // CryptoJS.DES.encrypt(…), CryptoJS.TripleDES.encrypt(…), CryptoJS.RC4.encrypt(…), mode: CryptoJS.mode.ECB
        if ((name === 'encrypt' || name === 'decrypt') && chain && chain.length >= 2) {
          const algo = chain[chain.length - 2];
          const root = chain[0];
          const fromCryptoJs = chain.length >= 3 ? isCryptoJs(ctx, root) : !!ctx.facts.imports.get(root)?.module?.startsWith('crypto-js');
          if (!fromCryptoJs) return;
          if (/^(DES|TripleDES|RC4|RC4Drop)$/.test(algo)) {
            const what = algo === 'DES' ? 'DES has a 56-bit key that can be brute-forced in hours'
              : algo === 'TripleDES' ? 'Triple DES is deprecated: its 64-bit blocks leak data after a few gigabytes (Sweet32)'
              : 'RC4 is a broken stream cipher with biased output';
            ctx.report({ node: call.expression, confidence: low, message: `CryptoJS ${algo}: ${what}. Use AES in GCM mode (Node's \`crypto.createCipheriv('aes-256-gcm', …)\` or WebCrypto \`AES-GCM\`) with a random IV per message.` });
            return;
          }
          const opts = call.arguments[2] && resolveValue(ctx, call.arguments[2]);
          if (opts && ts.isObjectLiteralExpression(opts)) {
            const mode = getPropertyValue(opts, 'mode');
            const modeChain = mode && memberChain(mode);
            if (modeChain && modeChain[modeChain.length - 1] === 'ECB') {
              ctx.report({ node: mode!, confidence: low, message: `CryptoJS ECB mode encrypts equal blocks to equal output, so patterns in the data stay visible. ${FIX}` });
              return;
            }
            const iv = getPropertyValue(opts, 'iv');
            if (iv && name === 'encrypt') {
              const s = staticIv(ctx, iv) ?? cryptoJsParsedIv(ctx, iv);
              if (s) ctx.report({ node: iv, confidence: low, message: `The IV is ${s.what}, so it repeats for every message and identical plaintexts give identical ciphertexts. Generate a random IV per message (\`CryptoJS.lib.WordArray.random(16)\`) and store it with the ciphertext.` });
            }
          }
          return;
        }
    };
    return { calls: sameVisitor(CIPHER_CALLS, check) };
  },
});

/** CryptoJS.enc.Hex.parse('000…') / CryptoJS.enc.Utf8.parse(process.env.IV) */
function cryptoJsParsedIv(ctx: RuleContext, expr: ts.Expression): StaticIv | undefined {
  const e = resolveValue(ctx, expr);
  if (!ts.isCallExpression(e) || calleeName(e) !== 'parse' || !e.arguments[0]) return undefined;
  const chain = memberChain(e.expression);
  if (!chain || !chain.includes('enc')) return undefined;
  const inner = staticIv(ctx, e.arguments[0]);
  return inner ? { what: inner.what, node: expr } : undefined;
}
