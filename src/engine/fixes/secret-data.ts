/** What the secrets rules attach to a finding so that "Move secret to .env" can be resolved later (see env.ts). */
import { ts } from 'ts-morph';
import type { RuleContext } from '../model/rule';
import type { FixData } from '../model/types';
import { memberChain, unwrap } from '../util/ast';
import { CLIENT_BUNDLE_PATH } from '../secrets/context';

type Lit = ts.StringLiteral | ts.NoSubstitutionTemplateLiteral;

/** `process.env.X` / `process.env['X']` → 'X'. */
function envVarOf(e: ts.Expression): string | undefined {
  const chain = memberChain(unwrap(e));
  return chain && chain.length === 3 && chain[0] === 'process' && chain[1] === 'env' ? chain[2] : undefined;
}

/**
 * The fix data for a secret literal. `part`: the secret's offsets inside the literal's value when it is only part
 * of it. A literal that is the fallback of `process.env.X || '…'` / `?? '…'` moves to X itself.
 */
export function moveToEnvData(ctx: RuleContext, lit: Lit, envName: string, part?: { start: number; end: number }): FixData | undefined {
  if (ts.isNoSubstitutionTemplateLiteral(lit) && lit.parent && ts.isTaggedTemplateExpression(lit.parent)) return undefined;
  const literal = { start: lit.getStart(ctx.sourceFile), end: lit.getEnd() };
  // a secret at the start of the literal (a PEM block, a connection string with its options) moves with the rest
  // of the literal; a prefix before it (`'Bearer '`, a URL) stays in the code
  const whole = !part || part.start === 0;
  const browser = ctx.facts.useClient || CLIENT_BUNDLE_PATH.test(ctx.path.replace(/\\/g, '/'));
  let n: ts.Node = lit;
  while (n.parent && ts.isParenthesizedExpression(n.parent)) n = n.parent;
  const p = n.parent;
  if (whole && p && ts.isBinaryExpression(p) && p.right === n &&
      (p.operatorToken.kind === ts.SyntaxKind.BarBarToken || p.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken)) {
    const env = envVarOf(p.left);
    if (env) {
      return { kind: 'move-to-env', replace: { start: p.getStart(ctx.sourceFile), end: p.getEnd() }, literal, envName: env, existingEnv: true, ...(browser ? { browser } : {}) };
    }
  }
  const jsx = !!p && ts.isJsxAttribute(p);
  return {
    kind: 'move-to-env',
    replace: literal,
    literal,
    ...(whole ? {} : { part }),
    envName,
    ...(jsx ? { jsx } : {}),
    ...(browser ? { browser } : {}),
  };
}

/** Fix data for `process.env.X || '…'` only (the literal becomes X's value in .env); undefined for other shapes. */
export function envFallbackData(ctx: RuleContext, lit: Lit, envName: string): FixData | undefined {
  const d = moveToEnvData(ctx, lit, envName);
  return d?.existingEnv ? d : undefined;
}

/** The variable name for a signing secret, by what it signs. */
export function signingSecretEnvName(what: string): string {
  if (/JWT/i.test(what)) return 'JWT_SECRET';
  if (/NextAuth/i.test(what)) return 'NEXTAUTH_SECRET';
  if (/iron-session/i.test(what)) return 'SESSION_PASSWORD';
  if (/cookie-parser/i.test(what)) return 'COOKIE_SECRET';
  if (/keygrip|koa|signing key/i.test(what)) return 'COOKIE_SIGNING_KEY';
  return 'SESSION_SECRET';
}
