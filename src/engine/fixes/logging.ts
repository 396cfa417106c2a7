/**
 * sensitive-data-in-log fix: log redacted data instead.
 * - whole request bodies/headers/cookies → `redactSecrets(req.body)`, a small function added to the file that copies
 *   the value with secret-looking fields (password, token, authorization, cookie, card…) replaced by '[redacted]';
 * - all of `process.env` → `Object.keys(process.env)` (the names only);
 * - a secret value → '[redacted]'.
 * **suggestion**: the log lines change.
 */
import { ts } from 'ts-morph';
import type { RuleContext } from '../model/rule';
import type { Fix } from '../model/types';
import { memberChain, unwrap } from '../util/ast';
import { EditSet, eolOf, isTypeScript, makeFix, preferredQuote } from './edits';

export const REDACT_FUNCTION = 'redactSecrets';

function helper(ts_: boolean, eol: string, q: string): string {
  const t = (s: string) => (ts_ ? s : '');
  return [
    '',
    `/** A copy of a value for logging, with secret-looking fields replaced (added by Shipsafe). */`,
    `function ${REDACT_FUNCTION}(value${t(': unknown')}, depth = 0)${t(': unknown')} {`,
    `  if (value === null || typeof value !== ${q}object${q}) return value;`,
    `  if (depth > 5) return ${q}[…]${q};`,
    `  if (Array.isArray(value)) return value.map((v) => ${REDACT_FUNCTION}(v, depth + 1));`,
    `  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, /pass|secret|token|auth|cookie|session|key|card|cvv|ssn|otp|pin/i.test(k) ? ${q}[redacted]${q} : ${REDACT_FUNCTION}(v, depth + 1)]));`,
    '}',
    '',
  ].join(eol);
}

export function logRedactionFixes(ctx: RuleContext, hit: ts.Node, kind: 'whole' | 'env' | undefined): Fix[] | undefined {
  const sf = ctx.sourceFile;
  const q = preferredQuote(sf);
  const es = new EditSet(ctx.path, ctx.text);
  let title: string;
  if (kind === 'whole') {
    if (!ts.isExpression(hit as ts.Expression)) return undefined;
    es.insert(hit.getStart(sf), `${REDACT_FUNCTION}(`);
    es.insert(hit.getEnd(), ')');
    if (!new RegExp(`function\\s+${REDACT_FUNCTION}\\b`).test(ctx.text)) {
      const eol = eolOf(ctx.text);
      const end = ctx.text.length;
      es.insert(end, (/[\r\n]$/.test(ctx.text) ? '' : eol) + helper(isTypeScript(ctx.path), eol, q));
    }
    title = 'Log the data with secret fields redacted';
  } else if (kind === 'env') {
    const e = unwrap(hit as ts.Expression);
    const chain = memberChain(e);
    if (chain && chain.length === 3 && chain[0] === 'process' && chain[1] === 'env') {
      es.replaceNode(hit, `Boolean(${hit.getText(sf)})`, sf);
      title = `Log only whether ${chain[2]} is set`;
    } else {
      es.replaceNode(hit, `Object.keys(${hit.getText(sf)})`, sf);
      title = 'Log only the names of the environment variables';
    }
  } else if (ts.isIdentifier(hit) && hit.parent && ts.isShorthandPropertyAssignment(hit.parent)) {
    // `{ email, password }`: keep the key, drop the value
    es.replaceNode(hit.parent, `${hit.text}: ${q}[redacted]${q}`, sf);
    title = 'Redact this field in the log';
  } else if (ts.isPropertyAssignment(hit)) {
    es.replaceNode(hit.initializer, `${q}[redacted]${q}`, sf);
    title = 'Redact this field in the log';
  } else if (ts.isExpression(hit as ts.Expression)) {
    es.replaceNode(hit, `${q}[redacted]${q}`, sf);
    title = 'Redact this value in the log';
  } else {
    return undefined;
  }
  return [makeFix(title, 'suggestion', es, 'The log line no longer carries the secret; log ids or booleans (`hasToken`) if you need to debug.')];
}
