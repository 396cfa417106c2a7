/**
 * verbose-error fix: send a generic message and log the error on the server. In an object payload the fields that
 * carry error details go (a `message`/`error` field keeps a generic text); a payload that is the error itself is
 * replaced; `console.error(err)` is added before the response unless the function already logs that error.
 * **suggestion**: clients that showed the raw message now show the generic one.
 */
import { ts } from 'ts-morph';
import type { RuleContext } from '../model/rule';
import type { Fix } from '../model/types';
import { enclosingFunction, propertyNameText, unwrap } from '../util/ast';
import { EditSet, enclosingStatement, insertLineAbove, makeFix, preferredQuote, removeProperty } from './edits';

const GENERIC = 'Internal server error';
const MESSAGE_KEYS = /^(error|message|msg|err|reason|detail|details|description)$/i;

/** The identifier an error value is read from (`err` in `err.message`, `String(err)`, `{ ...err }`). */
function errorIdentifier(e: ts.Node): ts.Identifier | undefined {
  let found: ts.Identifier | undefined;
  const visit = (n: ts.Node) => {
    if (found) return;
    if (ts.isIdentifier(n) && !(n.parent && ts.isPropertyAccessExpression(n.parent) && n.parent.name === n) &&
        !(n.parent && ts.isCallExpression(n.parent) && n.parent.expression === n) && !/^(String|JSON|util|Object|undefined)$/.test(n.text)) { found = n; return; }
    if (ts.isPropertyAccessExpression(n)) { visit(n.expression); return; }
    ts.forEachChild(n, visit);
  };
  visit(e);
  return found;
}

export function errorResponseFixes(ctx: RuleContext, sink: ts.Node, payload: ts.Expression, leakNode: ts.Node,
  leaks: (e: ts.Expression) => boolean, kind: 'json' | 'text'): Fix[] | undefined {
  const sf = ctx.sourceFile;
  const q = preferredQuote(sf);
  const generic = `${q}${GENERIC}${q}`;
  const es = new EditSet(ctx.path, ctx.text);
  const body = unwrap(payload);
  if (ts.isObjectLiteralExpression(body)) {
    const leaking = body.properties.filter((p) =>
      (ts.isPropertyAssignment(p) && leaks(p.initializer)) || (ts.isShorthandPropertyAssignment(p) && leaks(p.name)) || (ts.isSpreadAssignment(p) && leaks(p.expression)));
    if (!leaking.length) return undefined;
    const named = leaking.filter((p) => !ts.isSpreadAssignment(p) && MESSAGE_KEYS.test(propertyNameText(p.name!) ?? ''));
    const keep = named.find((p) => /^(error|message)$/i.test(propertyNameText(p.name!) ?? '')) ?? named[0];
    const others = body.properties.filter((p) => !leaking.includes(p));
    for (const p of leaking) {
      if (p === keep) {
        if (ts.isPropertyAssignment(p)) es.replaceNode(p.initializer, generic, sf);
        else es.replaceNode(p, `${(p as ts.ShorthandPropertyAssignment).name.text}: ${generic}`, sf);
      } else if (keep || others.length || p !== leaking[leaking.length - 1]) {
        removeProperty(es, body, p, sf);
      } else {
        // the last leaking field and nothing else to say: keep one field with the generic text
        es.replaceNode(p, `error: ${generic}`, sf);
      }
    }
  } else if (leaks(body)) {
    es.replaceNode(payload, kind === 'json' ? `{ error: ${generic} }` : generic, sf);
  } else {
    return undefined;
  }
  // log it on the server, once
  const id = errorIdentifier(leakNode);
  const fn = enclosingFunction(sink);
  const stmt = enclosingStatement(sink);
  if (id && stmt) {
    const scopeText = (fn ?? sf).getText(sf);
    const logged = new RegExp(`(console\\.(error|warn|log)|logger\\.\\w+|\\blog\\.\\w+|\\.log\\.\\w+|captureException)\\([^)]*\\b${id.text}\\b`).test(scopeText);
    if (!logged) insertLineAbove(es, stmt, sf, `console.error(${id.text});`);
  }
  return [makeFix('Send a generic error message and log the details on the server', 'suggestion', es,
    'Clients now get "Internal server error"; send specific messages only for errors you raise for the client (validation, 4xx).')];
}
