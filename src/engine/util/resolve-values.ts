/**
 * Small static resolvers used by configuration-style rules (cors, cookies, TLS, JWT, session secrets):
 * where a local name was imported from (including function-local `require`), the object literal or
 * string a constant holds, and constant arithmetic. No type checker: lexical lookups only.
 */
import { ts } from 'ts-morph';
import type { RuleContext } from '../model/rule';
import { calleeName, calleeObject, getProperty, literalText, propertyNameText, unwrap } from './ast';

export interface ModuleRef {
  module: string;
  /** 'default', '*' (namespace / whole require) or the exported name */
  imported: string;
}

function requireCallModule(e: ts.Expression): string | undefined {
  let x = unwrap(e);
  if (ts.isAwaitExpression(x)) x = unwrap(x.expression);
  if (ts.isCallExpression(x) && x.arguments.length === 1) {
    const c = unwrap(x.expression);
    if ((ts.isIdentifier(c) && c.text === 'require') || c.kind === ts.SyntaxKind.ImportKeyword) return literalText(x.arguments[0]);
  }
  return undefined;
}

/** `require('m')`, `require('m').default`, `require('m').x`, `(await import('m')).x` → module and member. */
export function requireRef(expr: ts.Expression): ModuleRef | undefined {
  const e = unwrap(expr);
  const direct = requireCallModule(e);
  if (direct) return { module: direct, imported: '*' };
  if (ts.isPropertyAccessExpression(e)) {
    const m = requireCallModule(e.expression);
    if (m) return { module: m, imported: e.name.text === 'default' ? '*' : e.name.text };
  }
  return undefined;
}

/** Where an identifier's value was imported or required from, following `const x = y` aliases. */
export function moduleRefOf(ctx: RuleContext, id: ts.Identifier, depth = 0): ModuleRef | undefined {
  if (depth > 4) return undefined;
  const b = ctx.taint.scopes.resolve(id);
  if (!b) return undefined;
  if (ts.isImportClause(b) || ts.isImportSpecifier(b) || ts.isNamespaceImport(b) || ts.isImportEqualsDeclaration(b)) {
    const top = ctx.facts.imports.get(id.text);
    return top ? { module: top.module, imported: top.imported } : undefined;
  }
  if (ts.isVariableDeclaration(b) && b.initializer) {
    const r = requireRef(b.initializer);
    if (r) return r;
    const init = unwrap(b.initializer);
    if (ts.isIdentifier(init)) return moduleRefOf(ctx, init, depth + 1);
    if (ts.isPropertyAccessExpression(init) && ts.isIdentifier(unwrap(init.expression))) {
      // const verify = jwt.verify
      const base = moduleRefOf(ctx, unwrap(init.expression) as ts.Identifier, depth + 1);
      if (base && (base.imported === '*' || base.imported === 'default')) return { module: base.module, imported: init.name.text };
    }
    return undefined;
  }
  if (ts.isBindingElement(b)) {
    // const { verify } = require('jsonwebtoken')  /  const { sign: signJwt } = jwt
    const pattern = b.parent;
    const decl = pattern.parent;
    if (ts.isObjectBindingPattern(pattern) && ts.isVariableDeclaration(decl) && decl.initializer) {
      const key = b.propertyName ? propertyNameText(b.propertyName) : ts.isIdentifier(b.name) ? b.name.text : undefined;
      if (!key) return undefined;
      const r = requireRef(decl.initializer);
      if (r) return { module: r.module, imported: key };
      const init = unwrap(decl.initializer);
      if (ts.isIdentifier(init)) {
        const base = moduleRefOf(ctx, init, depth + 1);
        if (base && (base.imported === '*' || base.imported === 'default')) return { module: base.module, imported: key };
      }
    }
  }
  return undefined;
}

/**
 * The library function a call invokes: `jwt.verify(…)` with `jwt` from 'jsonwebtoken' →
 * { module: 'jsonwebtoken', imported: 'verify' }; `verify(…)` with `import { verify } from 'jsonwebtoken'` → same;
 * `require('jsonwebtoken').verify(…)` → same. `member` is the called name.
 */
const calledCache = new WeakMap<ts.Node, ModuleRef | null>();

export function calledFunction(ctx: RuleContext, call: ts.CallExpression | ts.NewExpression): ModuleRef | undefined {
  const hit = calledCache.get(call);
  if (hit !== undefined) return hit ?? undefined;
  const r = calledFunctionUncached(ctx, call);
  calledCache.set(call, r ?? null);
  return r;
}

function calledFunctionUncached(ctx: RuleContext, call: ts.CallExpression | ts.NewExpression): ModuleRef | undefined {
  const callee = unwrap(call.expression);
  if (ts.isIdentifier(callee)) return moduleRefOf(ctx, callee);
  const name = calleeName(call);
  const recv = calleeObject(call);
  if (!name || !recv) return undefined;
  const r = requireRef(recv);
  if (r && r.imported === '*') return { module: r.module, imported: name };
  if (ts.isIdentifier(recv)) {
    const base = moduleRefOf(ctx, recv);
    if (base && (base.imported === '*' || base.imported === 'default')) return { module: base.module, imported: name };
    return undefined;
  }
  // jwt.default.verify(…)
  if (ts.isPropertyAccessExpression(recv) && recv.name.text === 'default' && ts.isIdentifier(unwrap(recv.expression))) {
    const base = moduleRefOf(ctx, unwrap(recv.expression) as ts.Identifier);
    if (base) return { module: base.module, imported: name };
  }
  return undefined;
}

/** The module an expression refers to as a whole (a plugin passed to `register`, a middleware factory). */
export function moduleOfExpression(ctx: RuleContext, expr: ts.Expression): ModuleRef | undefined {
  const e = unwrap(expr);
  const r = requireRef(e);
  if (r) return r;
  if (ts.isIdentifier(e)) return moduleRefOf(ctx, e);
  return undefined;
}

/** The object literal an expression is or a `const` holds (one level of `{ ...base }` is not merged). */
export function resolveObject(ctx: RuleContext, expr: ts.Expression | undefined, depth = 0): ts.ObjectLiteralExpression | undefined {
  if (!expr || depth > 4) return undefined;
  const e = unwrap(expr);
  if (ts.isObjectLiteralExpression(e)) return e;
  if (ts.isIdentifier(e)) {
    const b = ctx.taint.scopes.resolve(e);
    if (b && ts.isVariableDeclaration(b) && b.initializer && ts.isIdentifier(b.name) && (b.parent.flags & ts.NodeFlags.Const)) {
      return resolveObject(ctx, b.initializer, depth + 1);
    }
  }
  return undefined;
}

/** The value of a property in an object, looking into `...spread` of resolvable constants; 'unknown' when a spread hides it. */
export function optionValue(ctx: RuleContext, obj: ts.ObjectLiteralExpression, name: string, depth = 0): ts.Expression | 'unknown' | undefined {
  // later properties win: scan from the end
  for (let i = obj.properties.length - 1; i >= 0; i--) {
    const p = obj.properties[i];
    if ((ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p) || ts.isMethodDeclaration(p)) && propertyNameText(p.name) === name) {
      if (ts.isPropertyAssignment(p)) return p.initializer;
      if (ts.isShorthandPropertyAssignment(p)) return p.name;
      return 'unknown';
    }
    if (ts.isSpreadAssignment(p)) {
      const inner = depth < 3 ? resolveObject(ctx, p.expression) : undefined;
      if (!inner) return 'unknown';
      const v = optionValue(ctx, inner, name, depth + 1);
      if (v !== undefined) return v;
    }
  }
  return undefined;
}

/** The property node for a name (for pointing a finding at it), ignoring spreads. */
export function optionProperty(obj: ts.ObjectLiteralExpression, name: string): ts.ObjectLiteralElementLike | undefined {
  return getProperty(obj, name);
}

/** The string a literal or a `const` holding a literal is. */
export function resolveString(ctx: RuleContext, expr: ts.Expression | undefined, depth = 0): string | undefined {
  if (!expr || depth > 4) return undefined;
  const e = unwrap(expr);
  const lit = literalText(e);
  if (lit !== undefined) return lit;
  if (ts.isIdentifier(e)) {
    const b = ctx.taint.scopes.resolve(e);
    if (b && ts.isVariableDeclaration(b) && b.initializer && ts.isIdentifier(b.name) && (b.parent.flags & ts.NodeFlags.Const)) {
      return resolveString(ctx, b.initializer, depth + 1);
    }
  }
  return undefined;
}

/** The number constant arithmetic (`60 * 60 * 24 * 365`) evaluates to, following `const`s. */
export function resolveNumber(ctx: RuleContext, expr: ts.Expression | undefined, depth = 0): number | undefined {
  if (!expr || depth > 8) return undefined;
  const e = unwrap(expr);
  if (ts.isNumericLiteral(e)) return Number(e.text.replace(/_/g, ''));
  if (ts.isBinaryExpression(e)) {
    const l = resolveNumber(ctx, e.left, depth + 1);
    const r = resolveNumber(ctx, e.right, depth + 1);
    if (l === undefined || r === undefined) return undefined;
    switch (e.operatorToken.kind) {
      case ts.SyntaxKind.AsteriskToken: return l * r;
      case ts.SyntaxKind.PlusToken: return l + r;
      case ts.SyntaxKind.MinusToken: return l - r;
      case ts.SyntaxKind.SlashToken: return r === 0 ? undefined : l / r;
      default: return undefined;
    }
  }
  if (ts.isIdentifier(e)) {
    const b = ctx.taint.scopes.resolve(e);
    if (b && ts.isVariableDeclaration(b) && b.initializer && ts.isIdentifier(b.name) && (b.parent.flags & ts.NodeFlags.Const)) {
      return resolveNumber(ctx, b.initializer, depth + 1);
    }
  }
  return undefined;
}

/** Truncated source text of a node for messages. */
export function shortText(ctx: RuleContext, node: ts.Node, max = 50): string {
  const t = node.getText(ctx.sourceFile).replace(/\s+/g, ' ');
  return t.length > max ? t.slice(0, max - 1) + '…' : t;
}
