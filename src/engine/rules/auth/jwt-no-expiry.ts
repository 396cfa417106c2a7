import { ts } from 'ts-morph';
import { ALL_LANGUAGES, defineRule, type RuleContext } from '../../model/rule';
import { unwrap } from '../../util/ast';
import { chainedCalls, isJoseSignJwt, jwtCall } from '../../util/jwt';
import { optionProperty, optionValue, resolveNumber, resolveObject, resolveString, shortText } from '../../util/resolve-values';
import { tryFixes } from '../../fixes/edits';
import { expiresInFixes, setExpirationFixes } from '../../fixes/jwt';
import { textPrefilter } from '../../util/text-words';

/** the pre-filter's expression, asked only of a text that holds one of these words (util/text-words.ts) */
const JWT_LIBS = textPrefilter(['jsonwebtoken', 'jose'], ['jsonwebtoken', 'jose']);

const DAY = 86_400;

/** Seconds in a jsonwebtoken/jose duration: numbers are seconds, strings use the `ms` format ('7d', '1 year'). */
export function durationSeconds(ctx: RuleContext, e: ts.Expression): number | undefined {
  const n = resolveNumber(ctx, e);
  if (n !== undefined) return n;
  const s = resolveString(ctx, e);
  // a duration is short; the trim keeps the regex linear (two `\s*` around an optional unit are quadratic)
  if (s === undefined || s.length > 100) return undefined;
  const m = /^(\d+(?:\.\d+)?)\s*(ms|msecs?|milliseconds?|s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?|w|weeks?|y|yrs?|years?)?$/i.exec(s.trim());
  if (!m) return undefined;
  const v = Number(m[1]);
  const unit = (m[2] ?? 'ms').toLowerCase();
  if (unit.startsWith('ms') || unit.startsWith('msec') || unit.startsWith('milli')) return v / 1000;
  if (unit.startsWith('s')) return v;
  if (unit.startsWith('m')) return v * 60;
  if (unit.startsWith('h')) return v * 3600;
  if (unit.startsWith('d')) return v * DAY;
  if (unit.startsWith('w')) return v * 7 * DAY;
  if (unit.startsWith('y')) return v * 365.25 * DAY;
  return undefined;
}

function humanDays(sec: number): string {
  const days = sec / DAY;
  if (days >= 365) return `${Math.round((days / 365.25) * 10) / 10} year${days >= 730 ? 's' : ''}`;
  return `${Math.round(days)} days`;
}

/** 'yes' when the payload object sets `exp`, 'no' when it is a known object without it, 'unknown' otherwise. */
function payloadHasExp(ctx: RuleContext, payload: ts.Expression | undefined): 'yes' | 'no' | 'unknown' {
  if (!payload) return 'unknown';
  const obj = resolveObject(ctx, payload);
  if (!obj) return 'unknown';
  const v = optionValue(ctx, obj, 'exp');
  if (v === 'unknown') return 'unknown';
  return v ? 'yes' : 'no';
}

export default defineRule({
  meta: {
    id: 'jwt-no-expiry',
    title: 'JWT issued without an expiry',
    category: 'auth',
    severity: 'warning',
    confidence: 'medium',
    cwe: [613],
    owasp: 'A07:2021 Identification and Authentication Failures',
    description: 'Finds `jsonwebtoken` `sign()` calls with no `expiresIn` option and no `exp` in the payload, `jose` `new SignJWT(…)` chains without `.setExpirationTime(…)`, and expiries of a year or more.',
    notReported: 'Tokens whose payload or options are built somewhere Shipsafe cannot see (a spread of an unknown object), and tokens signed in test files (low confidence).',
    why: 'A signed token without an expiry stays valid forever. If one leaks (a log line, a shared screenshot, a stolen laptop, an XSS), the attacker keeps access even after the user changes their password, and there is no way to make it stop short of rotating the signing key for everybody.',
    fix: 'Give every token a short lifetime: `jwt.sign(payload, secret, { expiresIn: \'15m\' })` for access tokens (or `.setExpirationTime(\'15m\')` in jose), and use a revocable refresh token or a server session for staying logged in.',
    bad: `import jwt from 'jsonwebtoken';
export function issueToken(user) {
  return jwt.sign({ sub: user.id, role: user.role }, process.env.JWT_SECRET);
}`,
    good: `import jwt from 'jsonwebtoken';
export function issueToken(user) {
  return jwt.sign({ sub: user.id, role: user.role }, process.env.JWT_SECRET, { expiresIn: '15m' });
}`,
    fixSafety: 'suggestion',
    languages: ALL_LANGUAGES,
    defaultEnabled: true,
    tags: ['jwt', 'auth', 'session'],
  },
  create(ctx) {
    if (!JWT_LIBS.test(ctx.text)) return {}; // cheap pre-filter: no JWT library in this file
    const testConf = (c: 'medium' | 'low') => (ctx.facts.testFile ? 'low' : c);

    const reportLong = (node: ts.Node, sec: number, how: string) => {
      if (sec < 90 * DAY) return;
      ctx.report({
        node,
        severity: 'info',
        confidence: testConf(sec >= 365 * DAY ? 'medium' : 'low'),
        message: `This token stays valid for ${humanDays(sec)} (${how}), which is close to never expiring: a leaked copy keeps working that long. Use a short-lived access token (minutes to hours) plus a refresh token you can revoke.`,
      });
    };

    return {
      CallExpression(call) {
        const jc = jwtCall(ctx, call);
        if (!jc || jc.lib !== 'jsonwebtoken' || jc.fn !== 'sign') return;
        const payload = call.arguments[0];
        if (!payload) return;
        const pu = unwrap(payload);
        if (ts.isStringLiteralLike(pu) || ts.isTemplateExpression(pu)) return; // string payloads cannot carry an expiry
        const optArg = call.arguments[2];
        let opts: ts.ObjectLiteralExpression | undefined;
        if (optArg && !ts.isArrowFunction(unwrap(optArg)) && !ts.isFunctionExpression(unwrap(optArg))) {
          opts = resolveObject(ctx, optArg);
          if (!opts) return; // options built elsewhere: cannot tell
        }
        const expiresIn = opts ? optionValue(ctx, opts, 'expiresIn') : undefined;
        if (expiresIn === 'unknown') return;
        if (expiresIn) {
          const sec = durationSeconds(ctx, expiresIn);
          if (sec !== undefined) reportLong(optionProperty(opts!, 'expiresIn') ?? expiresIn, sec, `\`expiresIn: ${shortText(ctx, expiresIn, 20)}\``);
          return;
        }
        const exp = payloadHasExp(ctx, payload);
        if (exp === 'yes') return;
        ctx.report({
          node: call,
          confidence: testConf(exp === 'no' ? 'medium' : 'low'),
          message: `This JWT is signed without an expiry (no \`expiresIn\` option${exp === 'no' ? ' and no `exp` claim' : ''}), so it stays valid forever and a leaked token can never be shut off. Add \`{ expiresIn: '15m' }\` (or however long a session should last) to the options.`,
          fixes: tryFixes(() => expiresInFixes(ctx, call)),
        });
      },
      NewExpression(ne) {
        if (!isJoseSignJwt(ctx, ne)) return;
        const calls = chainedCalls(ne);
        const sign = calls.find((c) => c.name === 'sign');
        if (!sign) return; // built in steps elsewhere: cannot tell
        const setExp = calls.find((c) => c.name === 'setExpirationTime');
        if (setExp) {
          const arg = setExp.call.arguments[0];
          if (!arg) return;
          const sec = durationSeconds(ctx, arg);
          // a number is an absolute timestamp in jose; only strings are durations
          if (sec !== undefined && resolveString(ctx, arg) !== undefined) reportLong(ts.isPropertyAccessExpression(setExp.call.expression) ? setExp.call.expression.name : setExp.call, sec, `\`.setExpirationTime(${shortText(ctx, arg, 20)})\``);
          return;
        }
        const exp = payloadHasExp(ctx, ne.arguments?.[0]);
        if (exp === 'yes') return;
        ctx.report({
          node: ne,
          confidence: testConf(exp === 'no' ? 'medium' : 'low'),
          message: 'This `SignJWT` token has no `.setExpirationTime(…)`, so it stays valid forever and a leaked token can never be shut off. Add `.setExpirationTime(\'15m\')` (or however long a session should last) before `.sign(…)`.',
          fixes: tryFixes(() => setExpirationFixes(ctx, sign.call)),
        });
      },
    };
  },
});
