import { ts } from 'ts-morph';
import { ALL_LANGUAGES, defineRule, sameVisitor, type RuleContext } from '../../model/rule';
import type { Confidence } from '../../model/types';
import { calleeName, calleeObject, getPropertyValue, literalText, memberChain, nameWords, propertyNameText, unwrap } from '../../util/ast';
import { resolveNumber } from '../../util/resolve-values';
import { textPrefilter } from '../../util/text-words';

/** the pre-filter's expression, asked only of a text that holds one of these words (util/text-words.ts) */
const PASS_TEXT = textPrefilter(/pass/i, ['pass']);

/** the callee and the operators the rule's call and comparison visitors act on: they return at once on any other */
const LENGTH_CALLS = ['isLength'];
const LESS_THAN = ['<', '<='];
/** what every name isPasswordKey accepts holds */
const PASS_LETTERS = /pass/i;
/** Names and paths of the moments a password is chosen. */
const SETTING = /sign-?up|register|registration|reset|change-?password|new-?password|update-?password|set-?password|create-?(user|account)|join|onboard|invite|forgot|recover|password-?form|set-?up-?account/i;
/** Names and paths of the moment a password is only checked: no policy applies there. */
const LOGIN = /log-?in|sign-?in|authenticate|credentials|session/i;

/** A password field by its name. Each word it accepts holds `pass`: a name without it is answered before it is split. */
export function isPasswordKey(name: string): boolean {
  return PASS_LETTERS.test(name) && isPasswordKeyByWords(name);
}

/** isPasswordKey without its pre-check on the letters (for the test that compares the two) */
export function isPasswordKeyByWords(name: string): boolean {
  const w = nameWords(name);
  return (w.includes('password') || w.includes('passphrase') || w.includes('passwd')) &&
    !w.some((x) => /^(confirm|confirmation|repeat|current|old|hash|hashed|token|reset|hint|visible|show|field|error|label|strength|score|placeholder)$/.test(x));
}

/** Names around a node, innermost first: declarations, functions, property keys, route paths, then the file path. */
function contextNames(ctx: RuleContext, node: ts.Node): string[] {
  const out: string[] = [];
  for (let n: ts.Node | undefined = node.parent; n; n = n.parent) {
    if ((ts.isVariableDeclaration(n) || ts.isFunctionDeclaration(n) || ts.isMethodDeclaration(n) || ts.isPropertyAssignment(n) || ts.isClassDeclaration(n)) && n.name) out.push(n.name.getText(ctx.sourceFile));
    if (ts.isCallExpression(n) && n.arguments.length) {
      const p = literalText(n.arguments[0]);
      if (p && p.startsWith('/')) out.push(p);
    }
  }
  out.push(ctx.path.replace(/\\/g, '/'));
  return out;
}

/** 'set' when the code is clearly about choosing a password, 'login' when clearly about checking one, else undefined. */
function purpose(ctx: RuleContext, node: ts.Node, key: string, siblings?: ts.ObjectLiteralExpression): 'set' | 'login' | undefined {
  if (nameWords(key).includes('new')) return 'set';
  if (siblings && siblings.properties.some((p) => { const k = p.name ? propertyNameText(p.name as ts.PropertyName) : undefined; return !!k && /confirm|repeat|again/i.test(k) && /pass/i.test(k); })) return 'set';
  for (const name of contextNames(ctx, node)) {
    const base = name.includes('/') ? name.split('/').slice(-3).join('/') : name;
    if (LOGIN.test(base) && !SETTING.test(base)) return 'login';
    if (SETTING.test(base)) return 'set';
  }
  return undefined;
}

/** The minimum and maximum a regex allows for the whole value: `^(?=.*\d).{6,20}$` → 6 and 20. */
function regexLength(literal: string): { min?: number; max?: number; composition: boolean } {
  // `/…/flags` → the pattern, without a final `$`
  const lastSlash = literal.lastIndexOf('/');
  let src = literal.startsWith('/') && lastSlash > 0 ? literal.slice(1, lastSlash) : literal;
  if (src.endsWith('$')) src = src.slice(0, -1);
  const composition = src.includes('(?=');
  const m = /[.\]]\{(\d+),(\d*)\}$/.exec(src);
  if (!m) return { composition };
  return { min: Number(m[1]), max: m[2] ? Number(m[2]) : undefined, composition };
}

export default defineRule({
  meta: {
    id: 'weak-password-policy',
    title: 'Password rules allow short passwords or cap their length',
    category: 'auth',
    severity: 'warning',
    confidence: 'medium',
    cwe: [521],
    owasp: 'A07:2021 Identification and Authentication Failures',
    description: 'Finds password rules for signup, reset and change-password forms that accept passwords shorter than 8 characters (zod/yup/Joi `.min(6)`, express-validator `isLength({ min: 6 })`, `password.length < 6`, a regex like `.{6,}`) or cap their length below 64, following NIST SP 800-63B. Composition-only rules (an uppercase letter, a digit, a symbol) with an 8+ minimum are reported at low confidence.',
    notReported: 'Login forms and schemas that only check a password someone already has, confirmation fields, and rules whose purpose the names around them do not show (no signup, register, reset or change in the schema, function, route or file name). A cap of 64 or more (bcrypt reads 72 bytes) is fine.',
    why: 'Short passwords fall to guessing: a 6-character password is found in minutes once a hash leaks, and attackers try the common ones online. A low maximum forbids the long passphrases that are both strong and easy to remember; rules that demand a digit and a symbol mostly produce `Password1!`.',
    fix: 'Require at least 8 characters (15 for accounts without a second factor is better), allow at least 64, accept every character including spaces, and check new passwords against a list of breached or common ones (e.g. the Have I Been Pwned range API or zxcvbn) instead of composition rules.',
    bad: `import { z } from 'zod';
export const signupSchema = z.object({
  email: z.string().email(),
  password: z.string().min(6).max(20),
});`,
    good: `import { z } from 'zod';
export const signupSchema = z.object({
  email: z.string().email(),
  password: z.string().min(8).max(128),
});`,
    fixSafety: 'none',
    languages: ALL_LANGUAGES,
    defaultEnabled: true,
    tags: ['passwords', 'auth'],
  },
  create(ctx) {
    if (!PASS_TEXT.test(ctx.text)) return {};
    const reported = new Set<number>();
    const report = (node: ts.Node, confidence: Confidence, message: string) => {
      const line = ctx.sourceFile.getLineAndCharacterOfPosition(node.getStart(ctx.sourceFile)).line;
      if (reported.has(line)) return;
      reported.add(line);
      ctx.report({ node, confidence: ctx.facts.testFile ? 'low' : confidence, message });
    };

    const judgeBounds = (node: ts.Node, key: string, min: number | undefined, max: number | undefined, what: string, composition = false) => {
      if (min !== undefined && min < 8) {
        report(node, 'medium', `${what} accepts ${key === 'password' ? 'passwords' : `\`${key}\` values`} of ${min} character${min === 1 ? '' : 's'}: short passwords are guessed quickly, online and once a hash leaks. Require at least 8 characters (NIST SP 800-63B), allow at least 64, and check new passwords against a list of breached ones.`);
      } else if (max !== undefined && max < 64) {
        report(node, max < 20 ? 'medium' : 'low', `${what} caps passwords at ${max} characters, which rules out long passphrases. Allow at least 64 (NIST SP 800-63B); bcrypt reads up to 72 bytes.`);
      } else if (composition) {
        report(node, 'low', `${what} demands character classes (upper case, digits, symbols): such rules mostly produce \`Password1!\`. NIST SP 800-63B recommends a minimum length and a check against breached passwords instead.`);
      }
    };

    /** `z.string().min(6).max(20)` → the bounds of its chain, when the chain is a string schema. */
    const chainBounds = (expr: ts.Expression): { min?: number; max?: number; regex?: string; ok: boolean } => {
      let e = unwrap(expr);
      let min: number | undefined;
      let max: number | undefined;
      let regex: string | undefined;
      let ok = false;
      for (let i = 0; i < 12 && ts.isCallExpression(e); i++) {
        const n = calleeName(e);
        const a = e.arguments[0];
        if ((n === 'min' || n === 'minLength' || n === 'minlength') && a) min = resolveNumber(ctx, a);
        if ((n === 'max' || n === 'maxLength' || n === 'maxlength') && a) max = resolveNumber(ctx, a);
        if ((n === 'regex' || n === 'matches' || n === 'pattern') && a && ts.isRegularExpressionLiteral(unwrap(a))) regex = (unwrap(a) as ts.RegularExpressionLiteral).text;
        if (n === 'string') ok = true;
        const recv = calleeObject(e);
        if (!recv) break;
        e = unwrap(recv);
      }
      return { min, max, regex, ok };
    };

    return {
      PropertyAssignment(p) {
        // (the value's kind first: a call is rare among properties, and the key's words cost more to read)
        const v = unwrap(p.initializer);
        if (!ts.isCallExpression(v)) return;
        const key = propertyNameText(p.name);
        if (!key || !isPasswordKey(key)) return;
        const b = chainBounds(v);
        if (!b.ok) return;
        const obj = ts.isObjectLiteralExpression(p.parent) ? p.parent : undefined;
        if (purpose(ctx, p, key, obj) !== 'set') return;
        const r = b.regex ? regexLength(b.regex) : undefined;
        judgeBounds(p, key, b.min ?? r?.min, b.max ?? r?.max, `The \`${key}\` rule`, !!r?.composition);
      },
      CallExpression: sameVisitor(LENGTH_CALLS, (call) => {
        // express-validator: body('password').isLength({ min: 6 })
        if (calleeName(call) !== 'isLength' || !call.arguments.length) return;
        let root = calleeObject(call);
        for (let i = 0; i < 8 && root && ts.isCallExpression(unwrap(root)) && calleeObject(unwrap(root) as ts.CallExpression); i++) root = calleeObject(unwrap(root) as ts.CallExpression);
        const r = root && unwrap(root);
        if (!r || !ts.isCallExpression(r) || !/^(body|check|param|query)$/.test(calleeName(r) ?? '')) return;
        const key = literalText(r.arguments[0]);
        if (!key || !isPasswordKey(key)) return;
        if (purpose(ctx, call, key) !== 'set') return;
        const o = unwrap(call.arguments[0]);
        if (!ts.isObjectLiteralExpression(o)) return;
        const min = getPropertyValue(o, 'min');
        const max = getPropertyValue(o, 'max');
        judgeBounds(call, key, min ? resolveNumber(ctx, min) : undefined, max ? resolveNumber(ctx, max) : undefined, `The \`${key}\` check`);
      }),
      BinaryExpression: sameVisitor(LESS_THAN, (b) => {
        // if (password.length < 6) — a hand-written minimum
        const op = b.operatorToken.kind;
        if (op !== ts.SyntaxKind.LessThanToken && op !== ts.SyntaxKind.LessThanEqualsToken) return;
        const chain = memberChain(b.left);
        if (!chain || chain.length < 2 || chain[chain.length - 1] !== 'length') return;
        const key = chain[chain.length - 2];
        if (!isPasswordKey(key)) return;
        const n = resolveNumber(ctx, b.right);
        if (n === undefined) return;
        const min = op === ts.SyntaxKind.LessThanToken ? n : n + 1;
        if (min >= 8 || min <= 0) return;
        if (purpose(ctx, b, key) !== 'set') return;
        judgeBounds(b, key, min, undefined, `This check`);
      }),
      VariableDeclaration(d) {
        // const PASSWORD_REGEX = /^(?=.*[A-Z])(?=.*\d).{6,}$/
        if (!ts.isIdentifier(d.name) || !d.initializer) return;
        const init = unwrap(d.initializer);
        if (!ts.isRegularExpressionLiteral(init)) return;
        const w = nameWords(d.name.text);
        if (!w.includes('password') || w.some((x) => /^(email|hash|token)$/.test(x))) return;
        const r = regexLength(init.text);
        if (r.min === undefined && !r.composition) return;
        // a regex named for passwords is a policy for choosing one; a login form would not constrain the format
        if (purpose(ctx, d, 'password') === 'login') return;
        judgeBounds(d, 'password', r.min, r.max, `\`${d.name.text}\``, r.composition);
      },
    };
  },
});
