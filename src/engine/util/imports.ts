import { ts } from 'ts-morph';
import type { RuleContext } from '../model/rule';
import { calleeName, literalText, unwrap } from './ast';

/** A node's source text on one line, cut to `max` characters, for messages. */
export function shortText(ctx: RuleContext, n: ts.Node, max = 40): string {
  const t = n.getText(ctx.sourceFile).replace(/\s+/g, ' ');
  return t.length > max ? t.slice(0, max - 1) + '…' : t;
}

/** The module of `require('m')`, `await import('m')` or `require('fs').promises`, if `expr` is one of them. */
export function requiredModule(expr: ts.Expression | undefined): string | undefined {
  if (!expr) return undefined;
  let e = unwrap(expr);
  if (ts.isAwaitExpression(e)) e = unwrap(e.expression);
  if (ts.isPropertyAccessExpression(e) && e.name.text === 'promises') e = unwrap(e.expression);
  if (ts.isCallExpression(e) && (calleeName(e) === 'require' || e.expression.kind === ts.SyntaxKind.ImportKeyword)) return literalText(e.arguments[0]);
  return undefined;
}

/**
 * Where a local name was imported from: top-level imports (from the file's facts), or a `require` /
 * `await import` inside a function, whole (`const cp = require('child_process')`) or destructured
 * (`const { exec } = require('child_process')`).
 */
export function importOf(ctx: RuleContext, id: ts.Identifier): { module: string; imported: string } | undefined {
  const top = ctx.facts.imports.get(id.text);
  if (top) return top;
  const b = ctx.taint.scopes.resolve(id);
  if (b && ts.isVariableDeclaration(b)) {
    const mod = requiredModule(b.initializer);
    if (mod) return { module: mod, imported: '*' };
  }
  if (b && ts.isBindingElement(b) && ts.isObjectBindingPattern(b.parent) && ts.isVariableDeclaration(b.parent.parent)) {
    const mod = requiredModule(b.parent.parent.initializer);
    const imported = b.propertyName && ts.isIdentifier(b.propertyName) ? b.propertyName.text : ts.isIdentifier(b.name) ? b.name.text : undefined;
    if (mod && imported) return { module: mod, imported };
  }
  return undefined;
}
