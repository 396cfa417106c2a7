import { ts } from 'ts-morph';
import { ALL_LANGUAGES, defineRule, type RuleContext } from '../../model/rule';
import { calleeName, calleeObject, isFunctionLike, literalText, memberChain, propertyNameText, unwrap } from '../../util/ast';
import { isGeneric, isReplayNonce, isSecretName, onlyWeakWords } from '../../util/secret-names';
import { tryFixes } from '../../fixes/edits';
import { randomnessFixes } from '../../fixes/randomness';

/** Cookie names that carry a session or a secret. */
const SECRET_COOKIE = /sess|sid|token|auth|csrf|xsrf|secret|remember|jwt|login/i;

function functionName(fn: ts.FunctionLikeDeclaration): string | undefined {
  if ((ts.isFunctionDeclaration(fn) || ts.isFunctionExpression(fn) || ts.isMethodDeclaration(fn)) && fn.name) {
    return propertyNameText(fn.name as ts.PropertyName);
  }
  const p = fn.parent;
  if (p && (ts.isVariableDeclaration(p) || ts.isPropertyAssignment(p) || ts.isPropertyDeclaration(p)) && p.initializer === fn) {
    return ts.isIdentifier(p.name) ? p.name.text : propertyNameText(p.name as ts.PropertyName);
  }
  return undefined;
}

/** Callbacks whose result is part of the value being built (`Array.from({ length }, () => …)`, `.map(…)`, `.replace(/x/g, …)`). */
const BUILDING_CALLBACK = new Set(['from', 'map', 'flatMap', 'replace', 'replaceAll', 'reduce', 'fill', 'join']);
/** Calls that consume randomness for non-secret purposes: shuffles, timers, sampling. */
const NON_SECRET_CALLS = new Set(['sort', 'setTimeout', 'setInterval', 'sleep', 'delay', 'wait', 'requestAnimationFrame', 'filter', 'some', 'every', 'find']);

interface Verdict { name: string; via: 'name' | 'function' | 'cookie' | 'caller' | 'route'; node?: ts.Node }
/** Routes whose handlers make secrets: a generic `const id = Math.random()…` there is a session id or a code. */
const SECRET_ROUTE = /login|signin|sign-in|session|reset|forgot|verify|verification|invite|otp|token|magic|2fa|mfa|\/auth\b/i;

export default defineRule({
  meta: {
    id: 'insecure-randomness',
    title: 'Math.random() used for a secret value',
    category: 'crypto',
    severity: 'error',
    confidence: 'medium',
    cwe: [330, 338],
    owasp: 'A02:2021 Cryptographic Failures',
    description: 'Finds `Math.random()` used to make tokens, passwords, one-time codes, session ids, salts, nonces, API keys or invite/reset codes, judged from the name the value is stored in, the function that builds it, or the cookie it is sent in. Jitter, animations, shuffles, sampling and React keys are not reported.',
    notReported: '`Math.random()` for jitter, animations, shuffles, sampling, React keys and ids of UI elements; replay nonces of signed API requests (`SignatureNonce`, which must only be unique: low confidence); code paths that fall back to it only when Web Crypto is missing (low).',
    why: '`Math.random()` is not built for secrets: its output is predictable, and from a few observed values an attacker can often compute the next ones. A reset token, login code or session id made with it can be guessed, letting someone take over accounts.',
    fix: 'Use the cryptographic generator: `crypto.randomBytes(32).toString(\'hex\')` or `crypto.randomUUID()` in Node, `crypto.randomInt(0, 1_000_000)` for numeric codes, and `crypto.getRandomValues(new Uint8Array(32))` in browsers.',
    bad: `export function createResetToken() {
  return Math.random().toString(36).slice(2) + Math.random().toString(36).slice(2);
}`,
    good: `import { randomBytes } from 'node:crypto';
export function createResetToken() {
  return randomBytes(32).toString('hex');
}
export const retryDelay = (attempt: number) => 2 ** attempt * 100 + Math.random() * 100;`,
    fixSafety: 'suggestion',
    languages: ALL_LANGUAGES,
    defaultEnabled: true,
    tags: ['crypto', 'randomness', 'auth', 'tokens'],
  },
  create(ctx) {
    /** Local helpers that return Math.random()-based values under a generic name (`randomString`), for call-site checks. */
    const genericHelpers = new Map<ts.FunctionLikeDeclaration, ts.CallExpression>();
    const reported = new Set<ts.Node>();

    const report = (node: ts.CallExpression, v: Verdict) => {
      // one finding per statement (`Math.random() + Math.random()` is one problem)
      let stmt: ts.Node = node;
      while (stmt.parent && !ts.isStatement(stmt) && !ts.isSourceFile(stmt.parent)) stmt = stmt.parent;
      if (reported.has(stmt)) return;
      reported.add(stmt);
      const where = v.via === 'name' ? `to make \`${v.name}\``
        : v.via === 'function' ? `in \`${v.name}()\``
        : v.via === 'cookie' ? `for the \`${v.name}\` cookie`
        : v.via === 'route' ? `to make a value in the \`${v.name}\` handler`
        : `by a helper whose result becomes \`${v.name}\``;
      const browser = ctx.facts.useClient;
      let confidence: 'low' | 'medium' = ctx.facts.testFile ? 'low' : 'medium';
      // a fallback for runtimes without Web Crypto (`if (typeof crypto === 'undefined') …`): the main path is secure
      const fn = enclosingFn(node);
      if (fn && /\b(getRandomValues|randomBytes|randomUUID|randomInt|randomFillSync)\b/.test(fn.getText(ctx.sourceFile))) confidence = 'low';
      // `sessionId` alone is also used for dev-server, analytics and UI sessions: only in request handling is it a login session
      if (v.via !== 'cookie' && onlyWeakWords(v.name) && !ctx.taint.inRequestContext(v.node ?? node)) confidence = 'low';
      // `SignatureNonce` of a signed API request: it must only be unique (against replays), not unguessable
      if (isReplayNonce(v.name)) confidence = 'low';
      ctx.report({
        node,
        confidence,
        message: `\`Math.random()\` is used ${where}, but its output is predictable, so this secret can be guessed. Use ${browser ? '`crypto.getRandomValues()` or `crypto.randomUUID()`' : '`crypto.randomBytes(32).toString(\'hex\')`, `crypto.randomUUID()` or `crypto.randomInt()` for numeric codes'} instead.`,
        related: v.node && v.via === 'caller' ? [{ node: v.node, message: `The helper's result is used as \`${v.name}\` here.` }] : undefined,
        fixes: tryFixes(() => randomnessFixes(ctx, node)),
      });
    };

    /** Walks up from an expression built from Math.random() to the name, function or cookie it ends up in. */
    const judge = (start: ts.Node): Verdict | 'helper' | undefined => {
      let n: ts.Node = start;
      for (let step = 0; step < 30; step++) {
        const p = n.parent;
        if (!p) return undefined;
        // value-building wrappers
        if (ts.isParenthesizedExpression(p) || ts.isAsExpression(p) || ts.isNonNullExpression(p) || ts.isSatisfiesExpression(p) ||
            ts.isTemplateSpan(p) || ts.isTemplateExpression(p) || ts.isSpreadElement(p) || ts.isAwaitExpression(p) ||
            ts.isArrayLiteralExpression(p) || ts.isTypeAssertionExpression(p)) { n = p; continue; }
        if (ts.isPropertyAccessExpression(p) || ts.isElementAccessExpression(p)) { n = p; continue; }
        if (ts.isPrefixUnaryExpression(p)) {
          if (p.operator === ts.SyntaxKind.ExclamationToken) return undefined;
          n = p; continue;
        }
        if (ts.isBinaryExpression(p)) {
          const op = p.operatorToken.kind;
          if (op === ts.SyntaxKind.EqualsToken || op === ts.SyntaxKind.PlusEqualsToken || op === ts.SyntaxKind.BarBarEqualsToken || op === ts.SyntaxKind.QuestionQuestionEqualsToken) {
            if (p.left === n) return undefined;
            const left = unwrap(p.left);
            const name = ts.isIdentifier(left) ? left.text : ts.isPropertyAccessExpression(left) ? left.name.text : ts.isElementAccessExpression(left) ? literalText(left.argumentExpression) : undefined;
            const v = named(name, p);
            return v === 'generic' ? genericFallback(p) : v;
          }
          // comparisons and logic: `Math.random() < 0.1` is a coin toss, not a value
          if (op >= ts.SyntaxKind.FirstBinaryOperator && [ts.SyntaxKind.PlusToken, ts.SyntaxKind.MinusToken, ts.SyntaxKind.AsteriskToken,
            ts.SyntaxKind.SlashToken, ts.SyntaxKind.PercentToken, ts.SyntaxKind.BarToken, ts.SyntaxKind.AmpersandToken,
            ts.SyntaxKind.CaretToken, ts.SyntaxKind.LessThanLessThanToken, ts.SyntaxKind.GreaterThanGreaterThanToken,
            ts.SyntaxKind.GreaterThanGreaterThanGreaterThanToken, ts.SyntaxKind.AsteriskAsteriskToken,
            ts.SyntaxKind.BarBarToken, ts.SyntaxKind.QuestionQuestionToken].includes(op)) { n = p; continue; }
          return undefined;
        }
        if (ts.isConditionalExpression(p)) {
          if (p.condition === n) return undefined;
          n = p; continue;
        }
        if (ts.isCallExpression(p)) {
          const name = calleeName(p);
          if (p.expression === n) { n = p; continue; } // Math.random().toString(36)
          if (name && NON_SECRET_CALLS.has(name)) return undefined;
          // res.cookie('sid', value) / cookies().set('session', value) / ctx.cookies.set('token', value)
          if ((name === 'cookie' || name === 'set' || name === 'setCookie') && p.arguments[1] === n) {
            const cname = literalText(p.arguments[0]);
            const chain = memberChain(p.expression)?.join('.') ?? '';
            if (cname && (name === 'cookie' || /cookie/i.test(chain)) && SECRET_COOKIE.test(cname)) return { name: cname, via: 'cookie' };
            if (name === 'set' && cname && !/cookie/i.test(chain)) { const v = named(cname, p); return v === 'generic' ? undefined : v; }
            return undefined;
          }
          n = p; continue; // Math.floor(…), chars.charAt(…), String(…), chars[…]
        }
        if (ts.isNewExpression(p)) { n = p; continue; }
        if (ts.isVariableDeclaration(p) || ts.isPropertyAssignment(p) || ts.isPropertyDeclaration(p) || ts.isParameter(p) || ts.isBindingElement(p)) {
          if (p.name === n) return undefined;
          const name = ts.isIdentifier(p.name) ? p.name.text : propertyNameText(p.name as ts.PropertyName);
          const v = named(name, p);
          if (v !== 'generic' && v) return v;
          if (v === 'generic' && ts.isPropertyAssignment(p) && p.parent && ts.isObjectLiteralExpression(p.parent)) { n = p.parent; continue; }
          if (v === 'generic') return genericFallback(p);
          return undefined;
        }
        if (ts.isShorthandPropertyAssignment(p)) return undefined;
        if (ts.isJsxExpression(p) || ts.isJsxAttribute(p)) return undefined; // key={Math.random()}, style jitter
        if (ts.isReturnStatement(p) || (isFunctionLike(p) && (p as ts.ArrowFunction).body === n)) {
          const fn = ts.isReturnStatement(p) ? enclosingFn(p) : (p as ts.FunctionLikeDeclaration);
          if (!fn) return undefined;
          // callbacks that build the value: keep climbing from the call they are passed to
          const call = fn.parent;
          if (call && ts.isCallExpression(call) && call.arguments.includes(fn as ts.Expression)) {
            const cname = calleeName(call);
            if (cname && BUILDING_CALLBACK.has(cname)) { n = call; continue; }
            return undefined;
          }
          const fname = functionName(fn);
          if (fname && isSecretName(fname)) return { name: fname, via: 'function' };
          if (!fname || isGeneric(fname) || /random|string|id$/i.test(fname)) return 'helper';
          return undefined;
        }
        if (ts.isExpressionStatement(p)) return undefined;
        return undefined;
      }
      return undefined;
    };

    const named = (name: string | undefined, at: ts.Node): Verdict | 'generic' | undefined => {
      if (!name) return undefined;
      if (isSecretName(name)) return { name, via: 'name' };
      if (isGeneric(name)) return 'generic';
      return undefined;
    };

    const enclosingFn = (n: ts.Node): ts.FunctionLikeDeclaration | undefined => {
      let c = n.parent;
      while (c && !isFunctionLike(c)) c = c.parent;
      return c as ts.FunctionLikeDeclaration | undefined;
    };

    /**
     * A generic local (`const id = …`) takes its meaning from the function around it (`createSession`), or from the
     * route it handles (`app.post('/login', (req, res) => …)`). In an unnamed or generically named helper
     * (`randomString`) the call sites decide.
     */
    const genericFallback = (at: ts.Node): Verdict | 'helper' | undefined => {
      let fn = enclosingFn(at);
      for (let i = 0; fn && i < 3; i++) {
        const fname = functionName(fn);
        if (fname) {
          if (isSecretName(fname)) return { name: fname, via: 'function' };
          return isGeneric(fname) || /random|string|id$/i.test(fname) ? 'helper' : undefined;
        }
        const call = fn.parent;
        if (call && ts.isCallExpression(call) && call.arguments.includes(fn as ts.Expression)) {
          const route = literalText(call.arguments[0]);
          if (route && route.startsWith('/') && SECRET_ROUTE.test(route)) return { name: route, via: 'route' };
          if (route !== undefined) return undefined;
        }
        fn = enclosingFn(fn);
      }
      return undefined;
    };

    return {
      calls: {
        random(node) {
          if (!ts.isCallExpression(node)) return;
          const call = node;
          const chain = memberChain(call.expression);
          if (!(chain && chain.length === 2 && chain[0] === 'Math' && chain[1] === 'random' && call.arguments.length === 0)) return;
          const v = judge(call);
          if (v === 'helper') {
            const fn = enclosingFn(call);
            // only the helper's own return value (not a nested callback's)
            let f = fn;
            while (f && f.parent && ts.isCallExpression(f.parent) && BUILDING_CALLBACK.has(calleeName(f.parent) ?? '')) f = enclosingFn(f.parent);
            if (f) genericHelpers.set(f, call);
            return;
          }
          if (v) report(call, v);
        },
      },
      onFileEnd() {
        if (!genericHelpers.size) return;
        // call sites of generic helpers: `const resetToken = randomString(32)`, the file's calls of a name in document
        // order (read from the analysis's nodes only in a file that has such a helper, not kept as the walk gives them)
        ctx.taint.eachCallOrBinary(ctx.sourceFile, false, (n) => {
          if (!ts.isCallExpression(n)) return;
          const call = n;
          const callee = unwrap(call.expression);
          if (!ts.isIdentifier(callee) || callee.text === 'require') return;
          let fn: ts.FunctionLikeDeclaration | undefined;
          const b = ctx.taint.scopes.resolve(callee);
          if (b && ts.isFunctionDeclaration(b)) fn = b;
          else if (b && ts.isVariableDeclaration(b) && b.initializer && (ts.isArrowFunction(unwrap(b.initializer)) || ts.isFunctionExpression(unwrap(b.initializer)))) fn = unwrap(b.initializer) as ts.ArrowFunction;
          const rnd = fn && genericHelpers.get(fn);
          if (!rnd) return;
          const v = judge(call);
          if (v && v !== 'helper') report(rnd, { name: v.name, via: 'caller', node: call });
        });
      },
    };
  },
});
