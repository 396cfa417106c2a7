import { ts } from 'ts-morph';
import { ALL_LANGUAGES, defineRule, type RuleContext, sameVisitor } from '../../model/rule';
import type { Confidence } from '../../model/types';
import { calleeName, calleeObject, enclosingFunction, getPropertyValue, literalText, memberChain, nameWords, propertyNameText, unwrap } from '../../util/ast';

/**
 * Policy (documented in the rule's `fix`):
 * - any general-purpose hash (`createHash`, md5/sha packages, CryptoJS.MD5/SHA*) applied to a password → medium;
 * - bcrypt cost below 10 → medium (OWASP minimum is 10);
 * - PBKDF2 below 100,000 iterations → medium whatever the digest; between 100,000 and the current OWASP
 *   figure for the digest (SHA-1 1,300,000 · SHA-256 600,000 · SHA-512 210,000) → low (hidden by default):
 *   100k+ is what most maintained code uses and is not an emergency, but users who ask for low see the advice;
 * - scrypt with an explicit cost `N` below Node's default 16384 → medium; defaults are fine.
 */

const PASSWORD_WORDS = new Set(['password', 'passwords', 'passwd', 'pwd', 'passphrase', 'passcode', 'pword']);
/** Words that say the value is not the plain password itself (a hash, a reset token, a length…). */
const NOT_PLAIN = new Set(['hash', 'hashed', 'digest', 'token', 'reset', 'salt', 'length', 'len', 'count', 'policy',
  'rule', 'rules', 'min', 'max', 'strength', 'field', 'label', 'placeholder', 'hint', 'id', 'key', 'url', 'regex',
  'pattern', 'error', 'errors', 'message', 'valid', 'invalid', 'required', 'expires', 'expiry', 'at', 'changed', 'env', 'manager', 'input']);
/** what every name isPasswordName accepts holds */
const PASSWORD_LETTERS = /pass|pw/i;
const HASH_FUNCTIONS = new Set(['md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512', 'sha3', 'ripemd160', 'hex_md5', 'hex_sha1', 'keccak256']);

/** The callees the rule looks at, once for all files. */
const CALL_NAMES = ['update', 'hex', 'base64', 'array', 'digest', 'hash', 'hashSync', 'genSalt', 'genSaltSync', 'pbkdf2', 'pbkdf2Sync',
  'PBKDF2', 'deriveBits', 'deriveKey', 'scrypt', 'scryptSync', ...[...HASH_FUNCTIONS].flatMap((h) => [h, h.toUpperCase()])];
const BCRYPT_MODULE = /^(bcrypt|bcryptjs|bcrypt-nodejs|bcrypt-ts|@node-rs\/bcrypt)$/;
const CRYPTO_MODULE = /^(node:)?crypto$/;
const OWASP_PBKDF2: Record<string, number> = { sha1: 1_300_000, sha256: 600_000, sha512: 210_000 };

/**
 * Whether a name (of a variable, a property, a column) is a password as typed. Every name it accepts holds `pass` or
 * `pw` in some case (each word of PASSWORD_WORDS does, and its words are the name's ASCII letters and digits): a name
 * without them is answered before it is split into words.
 */
export function isPasswordName(name: string): boolean {
  return PASSWORD_LETTERS.test(name) && isPasswordNameByWords(name);
}

/** isPasswordName without its pre-check on the letters (for the test that compares the two) */
export function isPasswordNameByWords(name: string): boolean {
  const words = nameWords(name);
  if (!words.length || words.some((w) => NOT_PLAIN.has(w))) return false;
  return words.some((w) => PASSWORD_WORDS.has(w)) || words[words.length - 1] === 'pass' || name === 'pw';
}

/** Follows a local `const x = …` (or a `let` with an initializer) to its value. */
function resolveValue(ctx: RuleContext, expr: ts.Expression, depth = 0): ts.Expression {
  const e = unwrap(expr);
  if (depth > 4 || !ts.isIdentifier(e)) return e;
  const b = ctx.taint.scopes.resolve(e);
  if (b && ts.isVariableDeclaration(b) && b.initializer && ts.isIdentifier(b.name)) return resolveValue(ctx, b.initializer, depth + 1);
  return e;
}

function numberValue(ctx: RuleContext, expr: ts.Expression | undefined): number | undefined {
  if (!expr) return undefined;
  const e = resolveValue(ctx, expr);
  if (ts.isNumericLiteral(e)) return Number(e.text);
  if (ts.isBinaryExpression(e)) {
    const l = numberValue(ctx, e.left);
    const r = numberValue(ctx, e.right);
    if (l === undefined || r === undefined) return undefined;
    if (e.operatorToken.kind === ts.SyntaxKind.AsteriskToken) return l * r;
    if (e.operatorToken.kind === ts.SyntaxKind.AsteriskAsteriskToken) return l ** r;
    if (e.operatorToken.kind === ts.SyntaxKind.LessThanLessThanToken) return l << r;
    if (e.operatorToken.kind === ts.SyntaxKind.PlusToken) return l + r;
  }
  return undefined;
}

function stringValue(ctx: RuleContext, expr: ts.Expression | undefined): string | undefined {
  if (!expr) return undefined;
  return literalText(resolveValue(ctx, expr));
}

/** The password-like thing an expression hashes (`req.body.password`, `salt + password`), as short source text. */
function passwordOperand(ctx: RuleContext, expr: ts.Expression, depth = 0): ts.Expression | undefined {
  const e = unwrap(expr);
  if (depth > 5) return undefined;
  if (ts.isIdentifier(e)) {
    if (isPasswordName(e.text)) return e;
    const b = ctx.taint.scopes.resolve(e);
    if (b && ts.isVariableDeclaration(b) && b.initializer && ts.isIdentifier(b.name) && !isNotPlainName(b.name.text)) return passwordOperand(ctx, b.initializer, depth + 1);
    if (b && ts.isBindingElement(b) && b.propertyName && isPasswordName(propertyNameText(b.propertyName) ?? '')) return e;
    return undefined;
  }
  if (ts.isPropertyAccessExpression(e)) return isPasswordName(e.name.text) ? e : undefined;
  if (ts.isElementAccessExpression(e)) {
    const k = literalText(e.argumentExpression);
    return k && isPasswordName(k) ? e : undefined;
  }
  if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    return passwordOperand(ctx, e.left, depth + 1) ?? passwordOperand(ctx, e.right, depth + 1);
  }
  if (ts.isTemplateExpression(e)) {
    for (const s of e.templateSpans) {
      const p = passwordOperand(ctx, s.expression, depth + 1);
      if (p) return p;
    }
    return undefined;
  }
  if (ts.isAwaitExpression(e)) return passwordOperand(ctx, e.expression, depth + 1);
  if (ts.isCallExpression(e)) {
    const name = calleeName(e);
    if (name && ['from', 'String', 'trim', 'normalize', 'toString', 'concat', 'toLowerCase', 'encode'].includes(name)) {
      const recv = calleeObject(e);
      if (recv && name !== 'from' && name !== 'encode') {
        const p = passwordOperand(ctx, recv, depth + 1);
        if (p) return p;
      }
      for (const a of e.arguments) {
        const p = passwordOperand(ctx, a, depth + 1);
        if (p) return p;
      }
    }
  }
  return undefined;
}

function isNotPlainName(name: string): boolean {
  return nameWords(name).some((w) => NOT_PLAIN.has(w));
}

function short(ctx: RuleContext, n: ts.Node): string {
  const t = n.getText(ctx.sourceFile).replace(/\s+/g, ' ');
  return t.length > 40 ? t.slice(0, 37) + '…' : t;
}

function isEnv(e: ts.Expression): boolean {
  const chain = memberChain(e);
  return !!chain && chain[0] === 'process' && chain[1] === 'env';
}

/** The `createHash(alg)` call a `.update()` receiver comes from (directly, or through a local variable). */
function createHashOf(ctx: RuleContext, recv: ts.Expression): ts.CallExpression | undefined {
  const r = resolveValue(ctx, recv);
  if (ts.isCallExpression(r) && calleeName(r) === 'createHash') return r;
  // `hash.update(salt).update(password)`
  if (ts.isCallExpression(r) && calleeName(r) === 'update' && calleeObject(r)) return createHashOf(ctx, calleeObject(r)!);
  return undefined;
}

/** Comparing a submitted password to a configured one through equal-length digests is not storage. */
function comparesInConstantTime(node: ts.Node): boolean {
  const fn = enclosingFunction(node);
  return !!fn && /\btimingSafeEqual\b/.test(fn.getText());
}

/** `sha1(x)` where `sha1` is a function declared in this file (not a hashing package). */
function isLocalHelper(ctx: RuleContext, call: ts.CallExpression): boolean {
  const callee = unwrap(call.expression);
  if (!ts.isIdentifier(callee)) return false;
  const b = ctx.taint.scopes.resolve(callee);
  return !!b && (ts.isFunctionDeclaration(b) || (ts.isVariableDeclaration(b) && !!b.initializer && !ctx.facts.imports.has(callee.text) &&
    !/^\s*require\s*\(/.test(b.initializer.getText())));
}

function isBcryptCall(ctx: RuleContext, call: ts.CallExpression): boolean {
  const recv = calleeObject(call);
  if (recv) {
    if (!ts.isIdentifier(recv)) return false;
    const mod = ctx.facts.imports.get(recv.text)?.module;
    return mod ? BCRYPT_MODULE.test(mod) : /^bcrypt(js)?$/i.test(recv.text);
  }
  const callee = unwrap(call.expression);
  if (!ts.isIdentifier(callee)) return false;
  const mod = ctx.facts.imports.get(callee.text)?.module;
  return !!mod && BCRYPT_MODULE.test(mod);
}

function isNodeCryptoCall(ctx: RuleContext, call: ts.CallExpression): boolean {
  const recv = calleeObject(call);
  const callee = unwrap(call.expression);
  const root = recv && ts.isIdentifier(recv) ? recv : ts.isIdentifier(callee) ? callee : undefined;
  if (!root) return false;
  const mod = ctx.facts.imports.get(root.text)?.module;
  if (mod) return CRYPTO_MODULE.test(mod);
  return root.text === 'crypto' || root === callee;
}

export default defineRule({
  meta: {
    id: 'weak-password-hash',
    title: 'Password hashed with a fast or weak algorithm',
    category: 'crypto',
    severity: 'error',
    confidence: 'medium',
    cwe: [916, 328],
    owasp: 'A02:2021 Cryptographic Failures',
    description: 'Finds passwords hashed with general-purpose hashes (`crypto.createHash(\'sha256\').update(password)`, `md5(password)`, `CryptoJS.SHA256(password)`), bcrypt with a cost below 10, PBKDF2 with too few iterations, and scrypt with a cost below the default. Hashes of checksums, cache keys, e-mails or tokens are not reported.',
    notReported: 'Fast hashes of checksums, cache keys, e-mails, file contents or tokens; a fast hash used in front of bcrypt or argon2; PBKDF2 deriving an encryption key from a server secret rather than storing a password.',
    why: 'MD5 and the SHA family are built to be fast: a stolen table of such password hashes can be tested at billions of guesses per second on one graphics card, so most real passwords are recovered within hours. Password hashes must be deliberately slow and salted so that each guess is expensive.',
    fix: 'Hash passwords with bcrypt (cost 10–12 or more), scrypt (Node\'s `crypto.scrypt` defaults are fine) or Argon2id, and compare with the library\'s verify function. If you use PBKDF2, use at least 600,000 iterations with SHA-256 or 210,000 with SHA-512 (OWASP); fewer than 100,000 is reported as a problem, values in between are reported at low confidence.',
    bad: `import crypto from 'node:crypto';
app.post('/signup', async (req, res) => {
  const hash = crypto.createHash('sha256').update(req.body.password).digest('hex');
  await db.user.create({ data: { email: req.body.email, passwordHash: hash } });
  res.status(201).end();
});`,
    good: `import bcrypt from 'bcrypt';
app.post('/signup', async (req, res) => {
  const hash = await bcrypt.hash(req.body.password, 12);
  await db.user.create({ data: { email: req.body.email, passwordHash: hash } });
  res.status(201).end();
});`,
    fixSafety: 'none',
    languages: ALL_LANGUAGES,
    defaultEnabled: true,
    tags: ['crypto', 'passwords', 'auth'],
  },
  create(ctx) {
    /** The fast hash's result goes into bcrypt / argon2 / scrypt in the same function. */
    const feedsSlowHash = (node: ts.Node): boolean => {
      const fn = enclosingFunction(node);
      if (!fn) return false;
      const text = fn.getText(ctx.sourceFile);
      if (!/\b(bcrypt|bcryptjs|argon2)\.(hash|hashSync)\s*\(|\bscrypt(Sync)?\s*\(|\bhash\s*\(\s*\w+\s*,\s*\{\s*type\s*:\s*argon2/.test(text)) return false;
      // the hash is stored in a variable (or its statement) that the slow hash reads
      let stmt: ts.Node = node;
      while (stmt.parent && !ts.isVariableDeclaration(stmt) && !ts.isReturnStatement(stmt) && stmt.parent !== fn) stmt = stmt.parent;
      if (ts.isVariableDeclaration(stmt) && ts.isIdentifier(stmt.name)) {
        return new RegExp(`\\b(bcrypt|bcryptjs|argon2)\\.(hash|hashSync)\\s*\\(\\s*${stmt.name.text}\\b|\\bscrypt(Sync)?\\s*\\(\\s*${stmt.name.text}\\b`).test(text);
      }
      // bcrypt.hash(createHash('sha256').update(password).digest('hex'), 12)
      let p: ts.Node | undefined = node.parent;
      while (p && p !== fn) {
        if (ts.isCallExpression(p) && /^(hash|hashSync|scrypt|scryptSync)$/.test(calleeName(p) ?? '')) return true;
        p = p.parent;
      }
      return false;
    };

    const reportFastHash = (node: ts.Node, operand: ts.Expression, algorithm: string, localHelper = false) => {
      const source = ctx.taint.taintOf(operand);
      let confidence: Confidence = source ? 'high' : 'medium';
      // a hash helper defined in this file, outside request handling: database drivers implement
      // challenge-response logins (MySQL native, PostgreSQL md5) this way, which is not password storage
      if (localHelper && !source && !ctx.taint.inRequestContext(node)) confidence = 'low';
      if (isEnv(operand) || comparesInConstantTime(node) || ctx.facts.testFile) confidence = 'low';
      // a pre-hash in front of a slow hash (`bcrypt.hash(sha256(password), 12)`, to get past bcrypt's 72-byte limit)
      // is not how the password is stored
      if (feedsSlowHash(node)) confidence = 'low';
      ctx.report({
        node,
        confidence,
        message: `Password \`${short(ctx, operand)}\` is hashed with ${algorithm}, a fast hash: a leaked hash can be brute-forced at billions of guesses per second. Use bcrypt (cost ≥ 10), scrypt or Argon2id for passwords.`,
        related: source ? [{ node: source.source, message: `The password comes from the request here (${source.label}).` }] : undefined,
      });
    };

    const checkPbkdf2 = (node: ts.Node, iterationsExpr: ts.Expression | undefined, digest: string | undefined, input: ts.Expression | undefined) => {
      const iterations = numberValue(ctx, iterationsExpr);
      if (iterations === undefined) return;
      const d = (digest ?? 'sha256').toLowerCase().replace(/-/g, '');
      const owasp = OWASP_PBKDF2[d] ?? OWASP_PBKDF2.sha256;
      if (iterations >= owasp) return;
      let confidence: Confidence = iterations < 100_000 ? 'medium' : 'low';
      // deriving a key from a random secret (not a human password) does not need key stretching
      if (input && (isEnv(unwrap(input)) || /key|secret|master/i.test(short(ctx, input)))) confidence = 'low';
      if (ctx.facts.testFile) confidence = 'low';
      ctx.report({
        node: iterationsExpr ?? node,
        confidence,
        message: `PBKDF2 with only ${iterations.toLocaleString('en-US')} iterations makes stolen password hashes cheap to crack. Use at least ${owasp.toLocaleString('en-US')} iterations for ${d.toUpperCase()} (OWASP), or switch to scrypt or Argon2id.`,
      });
    };

    const check = (node: ts.CallExpression | ts.NewExpression) => {
        if (!ts.isCallExpression(node)) return;
        const call = node;
        const name = calleeName(call);
        if (!name) return;
        const recv = calleeObject(call);

        // crypto.createHash('sha256').update(password)
        if (name === 'update' && recv && call.arguments[0]) {
          const ch = createHashOf(ctx, recv);
          if (!ch) return;
          const operand = passwordOperand(ctx, call.arguments[0]);
          if (!operand) return;
          const alg = stringValue(ctx, ch.arguments[0]);
          reportFastHash(call, operand, alg ? `${alg.toUpperCase()} (\`createHash\`)` : '`createHash`');
          return;
        }

        // md5(password), sha256(password), CryptoJS.SHA256(password), sha256.hex(password)
        const lower = name.toLowerCase();
        const recvName = recv && ts.isIdentifier(recv) ? recv.text.toLowerCase() : undefined;
        const hashFn = HASH_FUNCTIONS.has(lower) ? name : (recvName && HASH_FUNCTIONS.has(recvName) && ['hex', 'base64', 'array', 'digest'].includes(name)) ? recvName : undefined;
        if (hashFn && call.arguments[0]) {
          if (recv && !recvName && !memberChain(recv)) return;
          const operand = passwordOperand(ctx, call.arguments[0]);
          if (operand) reportFastHash(call, operand, `${hashFn.toUpperCase()} (\`${short(ctx, call.expression)}\`)`, isLocalHelper(ctx, call));
          return;
        }

        // bcrypt.hash(pw, 8), bcrypt.genSalt(8)
        if ((name === 'hash' || name === 'hashSync' || name === 'genSalt' || name === 'genSaltSync') && isBcryptCall(ctx, call)) {
          const costArg = name.startsWith('genSalt') ? call.arguments[0] : call.arguments[1];
          if (!costArg) return;
          const resolved = resolveValue(ctx, costArg);
          const fromEnvWithFallback = ts.isBinaryExpression(resolved) &&
            (resolved.operatorToken.kind === ts.SyntaxKind.BarBarToken || resolved.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken);
          const cost = numberValue(ctx, fromEnvWithFallback ? (resolved as ts.BinaryExpression).right : costArg);
          if (cost === undefined || cost >= 10) return;
          ctx.report({
            node: costArg,
            confidence: fromEnvWithFallback || ctx.facts.testFile ? 'low' : 'medium',
            message: `bcrypt cost factor ${cost} is below the recommended minimum of 10: every step down halves the work an attacker needs to crack leaked hashes. Use a cost of at least 10 (12 is a common choice).`,
          });
          return;
        }

        // crypto.pbkdf2Sync(password, salt, 1000, 64, 'sha512')
        if ((name === 'pbkdf2' || name === 'pbkdf2Sync') && isNodeCryptoCall(ctx, call)) {
          checkPbkdf2(call, call.arguments[2], stringValue(ctx, call.arguments[4]), call.arguments[0]);
          return;
        }
        // CryptoJS.PBKDF2(password, salt, { keySize, iterations: 1000 })
        if (name === 'PBKDF2' && call.arguments[2]) {
          const opts = resolveValue(ctx, call.arguments[2]);
          if (ts.isObjectLiteralExpression(opts)) checkPbkdf2(call, getPropertyValue(opts, 'iterations'), undefined, call.arguments[0]);
          return;
        }
        // crypto.subtle.deriveBits({ name: 'PBKDF2', iterations: 1000, hash: 'SHA-256', salt }, key, 256)
        if ((name === 'deriveBits' || name === 'deriveKey') && call.arguments[0]) {
          const algo = resolveValue(ctx, call.arguments[0]);
          if (!ts.isObjectLiteralExpression(algo) || stringValue(ctx, getPropertyValue(algo, 'name'))?.toUpperCase() !== 'PBKDF2') return;
          const hash = getPropertyValue(algo, 'hash');
          const hashName = hash && ts.isObjectLiteralExpression(unwrap(hash)) ? stringValue(ctx, getPropertyValue(unwrap(hash) as ts.ObjectLiteralExpression, 'name')) : stringValue(ctx, hash);
          checkPbkdf2(call, getPropertyValue(algo, 'iterations'), hashName, undefined);
          return;
        }
        // crypto.scrypt(password, salt, 64, { N: 1024 })
        if ((name === 'scrypt' || name === 'scryptSync') && isNodeCryptoCall(ctx, call) && call.arguments[3]) {
          const opts = resolveValue(ctx, call.arguments[3]);
          if (!ts.isObjectLiteralExpression(opts)) return;
          const nExpr = getPropertyValue(opts, 'N') ?? getPropertyValue(opts, 'cost');
          const n = numberValue(ctx, nExpr);
          if (n === undefined || n >= 16384) return;
          ctx.report({
            node: nExpr!,
            confidence: ctx.facts.testFile ? 'low' : 'medium',
            message: `scrypt cost N=${n} is below Node's default of 16384, which makes leaked password hashes cheaper to crack. Remove the option to use the default, or raise it (OWASP suggests 131072 with r=8).`,
          });
        }
    };
    return { calls: sameVisitor(CALL_NAMES, check) };
  },
});
