import { ts } from 'ts-morph';
import { ALL_LANGUAGES, defineRule, sameVisitor, type RuleContext } from '../../model/rule';
import type { Confidence } from '../../model/types';
import { calleeName, calleeObject, enclosingFunction, memberChain, nameOf, nameWords, propertyNameText, unwrap } from '../../util/ast';
import { calledFunction, resolveNumber } from '../../util/resolve-values';
import { ownCopy } from '../../util/text';
import { textPrefilter } from '../../util/text-words';

/** the operators of the assignments the rule's visitor of binary expressions acts on: it returns at once on any other */
const OPERATORS = ['='];

/** the pre-filter's expression, asked only of a text that holds one of these words (util/text-words.ts) */
const TOKEN_TEXT = textPrefilter(/token|code|otp|nonce|key|link|secret|pin|passcode/i, ['token', 'code', 'otp', 'nonce', 'key', 'link', 'secret', 'pin']);

/** Tokens that grant something: reset, verification, invitation, magic-link, API and session tokens and codes. */
const TOKEN_WORDS = new Set(['token', 'otp', 'nonce', 'apikey', 'passcode']);
const QUALIFIED = new Set(['code', 'key', 'link', 'secret', 'pin']);
const QUALIFIERS = new Set(['reset', 'verification', 'verify', 'invite', 'invitation', 'activation', 'confirm', 'confirmation', 'magic',
  'api', 'access', 'refresh', 'session', 'login', 'recovery', 'unsubscribe', 'auth', 'email', 'signup', 'otp', 'mfa', 'sms', 'one', 'share', 'download']);
/** Names around a token that are not the token: its expiry, length, hash of a random token. */
const NOT_TOKEN = new Set(['expires', 'expiry', 'expiration', 'exp', 'at', 'ttl', 'time', 'timestamp', 'date', 'created', 'issued', 'sent',
  'length', 'len', 'count', 'attempts', 'type', 'name', 'label', 'url', 'header', 'field', 'max', 'min', 'id', 'ids', 'index', 'version', 'prefix']);
/** Last words that make a token name an event of the token (`lastTokenVerify`, `tokenChecked`): a time or a flag, not a token. */
const TOKEN_EVENTS = new Set(['verify', 'verified', 'check', 'checked', 'refreshed', 'used', 'seen', 'rotated', 'requested', 'validated', 'validation']);
/** Inputs that anyone can know or guess: who the user is and when. */
const IDENTITY_WORDS = new Set(['email', 'mail', 'username', 'user', 'login', 'name', 'id', 'uid', 'phone', 'now', 'time', 'timestamp',
  'date', 'created', 'account', 'handle', 'sub']);
const HASH_FUNCTIONS = /^(md5|sha1|sha256|sha512|sha224|sha384|hex_md5|MD5|SHA1|SHA256|SHA512)$/;

/**
 * Values that judge never finds predictable, whatever their name: constants (a string, a number, `true`), functions and
 * arrays (neither a time, nor a hash, nor a call). check asks their kind before the name (most properties of a
 * front-end are labels, translations and callbacks). (rule-shortcuts test: such values under token names, holding a
 * time or a hash, give nothing.)
 */
const NEVER_PREDICTABLE: boolean[] = [];
for (const k of [ts.SyntaxKind.StringLiteral, ts.SyntaxKind.NoSubstitutionTemplateLiteral, ts.SyntaxKind.NumericLiteral,
  ts.SyntaxKind.TrueKeyword, ts.SyntaxKind.FalseKeyword, ts.SyntaxKind.NullKeyword, ts.SyntaxKind.ArrowFunction,
  ts.SyntaxKind.FunctionExpression, ts.SyntaxKind.ArrayLiteralExpression]) NEVER_PREDICTABLE[k] = true;

/**
 * isTokenName's answers by name, for the names its letters do not rule out (TOKEN_HINT): the same names come back on
 * every declaration and property, and in file after file.
 */
const tokenNames = new Map<string, boolean>();

/**
 * A word of a token name is a run of ASCII letters and digits of the name, so a name whose text holds none of the
 * words that make one (in any case) is not one: answered without splitting it into words.
 */
const TOKEN_HINT = new RegExp([...TOKEN_WORDS, ...QUALIFIED].join('|'), 'i');

export function isTokenName(name: string): boolean {
  // the letters first: asking the expression of a name costs less than looking it up (most names are not tokens')
  if (!TOKEN_HINT.test(name)) return false;
  let v = tokenNames.get(name);
  if (v === undefined) {
    v = tokenNameUncached(name);
    if (tokenNames.size > 20_000) tokenNames.clear();
    tokenNames.set(ownCopy(name), v);
  }
  return v;
}

/** isTokenName without its shortcut and its table (exported for the test that compares them) */
export function tokenNameUncached(name: string): boolean {
  const w = nameWords(name);
  if (!w.length) return false;
  if (w.some((x) => NOT_TOKEN.has(x))) return false;
  if (w.length > 1 && TOKEN_EVENTS.has(w[w.length - 1])) return false;
  if (w.some((x) => TOKEN_WORDS.has(x))) return true;
  const last = w[w.length - 1];
  return QUALIFIED.has(last) && w.slice(0, -1).some((x) => QUALIFIERS.has(x));
}

/**
 * The last name of an assignment's target when it is a name or a member (`token`, `user.resetToken`): the last of
 * its memberChain whenever that has one; undefined for other targets.
 */
export function assignedName(left: ts.Expression): string | undefined {
  const e = unwrap(left);
  return ts.isPropertyAccessExpression(e) ? e.name.text : ts.isIdentifier(e) ? e.text : undefined;
}

function functionName(fn: ts.FunctionLikeDeclaration): string | undefined {
  if ((ts.isFunctionDeclaration(fn) || ts.isMethodDeclaration(fn) || ts.isFunctionExpression(fn)) && fn.name) return propertyNameText(fn.name as ts.PropertyName);
  return nameOf(fn.parent);
}

type Why = { what: string; confidence: Confidence };

export default defineRule({
  meta: {
    id: 'predictable-token',
    title: 'Reset, verification or API token that can be guessed',
    category: 'crypto',
    severity: 'error',
    confidence: 'medium',
    cwe: [330, 340, 341],
    owasp: 'A02:2021 Cryptographic Failures',
    description: 'Finds reset, verification, invitation, magic-link and API tokens made from things an attacker knows or can guess: the current time (`Date.now()`), a plain hash of the e-mail, username or id (`md5(email)`, `createHash(\'sha256\').update(user.id + Date.now())`), an encoding of them (`Buffer.from(email).toString(\'base64\')`), or a time-based `uuid.v1()`; and short numeric codes (fewer than 6 digits).',
    notReported: '`Math.random()` tokens (the `insecure-randomness` rule reports them), HMACs keyed with a server secret, hashes of a random value (storing `sha256(token)` is right), expiry times (`resetTokenExpires: Date.now() + 3600000`), times of an event of a token (`lastTokenVerify = Date.now()`) and uuid v4. Short numeric codes are low confidence: a strict attempt limit can make them acceptable.',
    why: 'Whoever can guess a reset or invitation token can take over the account it belongs to. The time of a request is known to within seconds, and a hash of an e-mail address or id is the same every time: an attacker computes it himself. A `uuid.v1()` is mostly a timestamp and the machine\'s address. A 4-digit code is found in at most 10,000 tries.',
    fix: 'Make tokens from a cryptographically secure random source: `crypto.randomBytes(32).toString(\'hex\')` or `crypto.randomUUID()`; store only a hash of the token (SHA-256 is fine for random tokens) with an expiry, and compare in constant time. For codes typed by people use at least 6 digits from `crypto.randomInt(0, 1_000_000)` and lock the code after a few wrong tries.',
    bad: `import crypto from 'node:crypto';
export async function requestPasswordReset(email: string) {
  const resetToken = crypto.createHash('md5').update(email + Date.now()).digest('hex');
  await db.user.update({ where: { email }, data: { resetToken } });
  await sendResetEmail(email, resetToken);
}`,
    good: `import crypto from 'node:crypto';
export async function requestPasswordReset(email: string) {
  const resetToken = crypto.randomBytes(32).toString('hex');
  const resetTokenHash = crypto.createHash('sha256').update(resetToken).digest('hex');
  await db.user.update({ where: { email }, data: { resetTokenHash, resetTokenExpires: new Date(Date.now() + 3600_000) } });
  await sendResetEmail(email, resetToken);
}`,
    fixSafety: 'none',
    languages: ALL_LANGUAGES,
    defaultEnabled: true,
    tags: ['crypto', 'tokens', 'auth'],
  },
  create(ctx) {
    if (!TOKEN_TEXT.test(ctx.text)) return {};

    /** `Date.now()`, `new Date().getTime()`, `+new Date()`, `Date.now().toString(36)`. */
    const isTime = (e0: ts.Expression): boolean => {
      const e = unwrap(e0);
      if (ts.isCallExpression(e)) {
        const chain = memberChain(e.expression)?.join('.');
        if (chain === 'Date.now' || chain === 'performance.now' || chain === 'process.hrtime.bigint') return true;
        const n = calleeName(e);
        const recv = calleeObject(e);
        if (recv && (n === 'getTime' || n === 'valueOf' || n === 'toString' || n === 'toISOString') && isTime(recv)) return true;
        if (n === 'String' && e.arguments.length === 1) return isTime(e.arguments[0]);
        return false;
      }
      if (ts.isNewExpression(e)) return calleeName(e) === 'Date' && !e.arguments?.length;
      if (ts.isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.PlusToken) return isTime(e.operand);
      return false;
    };

    /** Every input of an expression is identity or time (and at least one is): nothing random or secret. */
    const guessableParts = (e0: ts.Expression, depth = 0): boolean | undefined => {
      const e = unwrap(e0);
      if (depth > 5) return undefined;
      if (isTime(e)) return true;
      if (ts.isStringLiteralLike(e) || ts.isNumericLiteral(e)) return true;
      if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.PlusToken) {
        const l = guessableParts(e.left, depth + 1);
        const r = guessableParts(e.right, depth + 1);
        return l === undefined || r === undefined ? undefined : l && r;
      }
      if (ts.isTemplateExpression(e)) {
        for (const s of e.templateSpans) if (!guessableParts(s.expression, depth + 1)) return undefined;
        return true;
      }
      if (ts.isCallExpression(e)) {
        const n = calleeName(e);
        const recv = calleeObject(e);
        if (recv && n && /^(toString|toLowerCase|trim|toUpperCase)$/.test(n)) return guessableParts(recv, depth + 1);
        if (n === 'String' && e.arguments.length === 1) return guessableParts(e.arguments[0], depth + 1);
        if (n === 'stringify' && e.arguments.length >= 1) return guessableParts(e.arguments[0], depth + 1);
        return undefined;
      }
      if (ts.isObjectLiteralExpression(e)) {
        for (const p of e.properties) {
          if (ts.isShorthandPropertyAssignment(p)) { if (!identityName(p.name.text)) return undefined; }
          else if (ts.isPropertyAssignment(p)) { if (!guessableParts(p.initializer, depth + 1)) return undefined; }
          else return undefined;
        }
        return e.properties.length > 0;
      }
      if (ts.isIdentifier(e) || ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) {
        const chain = memberChain(e);
        const last = chain?.[chain.length - 1];
        if (!last) return undefined;
        if (ts.isIdentifier(e)) {
          const b = ctx.taint.scopes.resolve(e);
          if (b && ts.isVariableDeclaration(b) && b.initializer && !identityName(e.text)) return guessableParts(b.initializer, depth + 1);
        }
        return identityName(last) ? true : undefined;
      }
      return undefined;
    };

    const identityName = (n: string): boolean => {
      const w = nameWords(n);
      return w.length > 0 && w.length <= 3 && IDENTITY_WORDS.has(w[w.length - 1]) && !w.some((x) => /^(random|secret|salt|token|nonce|key|bytes|uuid|pepper)$/.test(x));
    };

    /** The input a hash call hashes: `createHash(alg).update(x).digest()`, `md5(x)`, `CryptoJS.SHA256(x)`. */
    const hashedInput = (e: ts.Expression): ts.Expression[] | undefined => {
      let cur = unwrap(e);
      const inputs: ts.Expression[] = [];
      // walk `…update(a).update(b).digest('hex')`
      for (let i = 0; i < 8 && ts.isCallExpression(cur); i++) {
        const n = calleeName(cur);
        const recv = calleeObject(cur);
        if (n === 'createHash') return inputs.length ? inputs : undefined;
        if (n === 'createHmac') return undefined;
        if (n === 'update' && cur.arguments.length) inputs.push(cur.arguments[0]);
        else if (n && HASH_FUNCTIONS.test(n) && cur.arguments.length === 1) {
          const ref = calledFunction(ctx, cur);
          if (ref && /^(node:)?crypto$/.test(ref.module)) return undefined;
          return [cur.arguments[0]];
        } else if (n !== 'digest' && n !== 'toString' && n !== 'slice' && n !== 'substring' && n !== 'substr') return undefined;
        if (!recv) return undefined;
        cur = unwrap(recv);
      }
      return undefined;
    };

    /** Why a token value is predictable, if it is. */
    const judge = (value: ts.Expression, depth = 0): Why | undefined => {
      const e = unwrap(value);
      if (depth > 3) return undefined;
      if (ts.isAwaitExpression(e)) return judge(e.expression, depth + 1);
      if (ts.isIdentifier(e)) {
        const b = ctx.taint.scopes.resolve(e);
        if (b && ts.isVariableDeclaration(b) && b.initializer) return judge(b.initializer, depth + 1);
        return undefined;
      }
      // Date.now(), `${user.id}-${Date.now()}`
      const g = guessableParts(e);
      if (g && (isTime(e) || containsTime(e))) return { what: 'the current time (and other values anyone can know)', confidence: 'medium' };
      if (ts.isCallExpression(e)) {
        const inputs = hashedInput(e);
        if (inputs && inputs.every((i) => guessableParts(i))) {
          return { what: `a plain hash of ${inputs.map((i) => `\`${i.getText(ctx.sourceFile).replace(/\s+/g, ' ').slice(0, 40)}\``).join(' and ')}, which anyone can compute`, confidence: 'medium' };
        }
        const n = calleeName(e);
        const recv = calleeObject(e);
        // Buffer.from(email).toString('base64'), btoa(email)
        if (n === 'toString' && recv && ts.isCallExpression(unwrap(recv)) && memberChain((unwrap(recv) as ts.CallExpression).expression)?.join('.') === 'Buffer.from') {
          const inner = (unwrap(recv) as ts.CallExpression).arguments[0];
          if (inner && guessableParts(inner)) return { what: `an encoding of \`${inner.getText(ctx.sourceFile).slice(0, 40)}\`, which anyone can decode and forge`, confidence: 'medium' };
        }
        if (n === 'btoa' && e.arguments.length === 1 && guessableParts(e.arguments[0])) return { what: `an encoding of \`${e.arguments[0].getText(ctx.sourceFile).slice(0, 40)}\`, which anyone can decode and forge`, confidence: 'medium' };
        // uuid v1: time and machine address
        const ref = calledFunction(ctx, e);
        if (ref && ref.module === 'uuid' && ref.imported === 'v1') return { what: '`uuid.v1()`, which is mostly a timestamp and the machine\'s address', confidence: 'medium' };
        // crypto.randomInt(1000, 9999): a 4-digit code
        if (n === 'randomInt' && e.arguments.length >= 1) {
          const max = resolveNumber(ctx, e.arguments[e.arguments.length === 1 ? 0 : 1]);
          const min = e.arguments.length >= 2 ? resolveNumber(ctx, e.arguments[0]) ?? 0 : 0;
          if (max !== undefined && max - min > 0 && max - min < 100_000) return { what: `a code with only ${max - min} possible values`, confidence: 'low' };
        }
        // String(x).padStart / toString of a time
        if (recv && n && /^(toString|padStart|slice|substring)$/.test(n)) return judge(recv, depth + 1);
      }
      return undefined;
    };

    const containsTime = (e: ts.Expression): boolean => {
      let found = false;
      const visit = (n: ts.Node) => { if (found) return; if (ts.isExpression(n) && isTime(n)) { found = true; return; } ts.forEachChild(n, visit); };
      visit(e);
      return found;
    };

    const check = (node: ts.Node, name: string | undefined, value: ts.Expression | undefined) => {
      if (!name || !value || NEVER_PREDICTABLE[value.kind] || !isTokenName(name)) return;
      const v = unwrap(value);
      if (ts.isIdentifier(v)) {
        // `user.resetToken = token`: reported where `token` is made, when that name says it is a token
        const b = ctx.taint.scopes.resolve(v);
        if (b && ts.isVariableDeclaration(b) && ts.isIdentifier(b.name) && isTokenName(b.name.text)) return;
      }
      const why = judge(value);
      if (!why) return;
      ctx.report({
        node,
        confidence: ctx.facts.testFile ? 'low' : why.confidence,
        message: `\`${name}\` is made from ${why.what}: whoever can guess it can use the ${name.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()} for someone else's account. Use \`crypto.randomBytes(32).toString('hex')\` or \`crypto.randomUUID()\` (for codes people type, at least 6 digits from \`crypto.randomInt\` with an attempt limit).`,
      });
    };

    return {
      VariableDeclaration(d) {
        if (ts.isIdentifier(d.name)) check(d, d.name.text, d.initializer);
      },
      PropertyAssignment(p) {
        check(p, propertyNameText(p.name), p.initializer);
      },
      BinaryExpression: sameVisitor(OPERATORS, (b) => {
        if (b.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return;
        // the last name of the target, read before its chain is built: check asks first whether it is a token's
        const last = assignedName(b.left);
        if (last !== undefined && !isTokenName(last)) return;
        const chain = memberChain(b.left);
        if (chain) check(b, chain[chain.length - 1], b.right);
      }),
      ReturnStatement(r) {
        if (!r.expression) return;
        const fn = enclosingFunction(r);
        const name = fn ? functionName(fn) : undefined;
        if (!name || !/^(generate|create|make|new|build|issue|get)/i.test(name)) return;
        check(r, name.replace(/^(generate|create|make|new|build|issue|get)/i, ''), r.expression);
      },
    };
  },
});
