/**
 * Functions of one file and what a call reaches: a function of the same file (declarations, arrows bound to names,
 * object and class methods, `this.method`), or a member of an imported module (`dao.find`, `new UserService()`
 * then `svc.get`, a NestJS service injected through the constructor). No type checker: names and the shapes
 * people write. Functions get stable keys (`findUser`, `UserDAO.findByName`, `exports.remove`) that name them the
 * same way in every pass over the same code, so plain-data summaries can refer to them across threads.
 */
import { ts } from 'ts-morph';
import { isFunctionLike, propertyNameText, unwrap } from '../util/ast';
import type { ScopeResolver } from './scope';

/** What an expression is, as far as calls are concerned. */
export type ValueRef =
  | { kind: 'fn'; fn: ts.FunctionLikeDeclaration }
  | { kind: 'class'; cls: ts.ClassLikeDeclaration; instance: boolean }
  | { kind: 'object'; obj: ts.ObjectLiteralExpression }
  | { kind: 'import'; spec: string; imported: string; instance: boolean; member?: string };

export type CallTarget =
  | { kind: 'local'; fn: ts.FunctionLikeDeclaration }
  | { kind: 'import'; spec: string; imported: string; instance: boolean; member?: string };

function requireSpec(e: ts.Expression): { spec: string; member?: string } | undefined {
  let x = unwrap(e);
  if (ts.isAwaitExpression(x)) x = unwrap(x.expression);
  let member: string | undefined;
  if (ts.isPropertyAccessExpression(x) && ts.isCallExpression(unwrap(x.expression))) { member = x.name.text; x = unwrap(x.expression); }
  if (ts.isCallExpression(x) && x.arguments.length === 1 && ts.isIdentifier(x.expression) && x.expression.text === 'require') {
    const a = x.arguments[0];
    if (ts.isStringLiteralLike(a)) return { spec: a.text, member };
  }
  return undefined;
}

function isExportsObject(e: ts.Expression): boolean {
  const u = unwrap(e);
  if (ts.isIdentifier(u) && u.text === 'exports') return true;
  return ts.isPropertyAccessExpression(u) && ts.isIdentifier(u.expression) && u.expression.text === 'module' && u.name.text === 'exports';
}

function className(cls: ts.ClassLikeDeclaration): string {
  if (cls.name) return cls.name.text;
  const p = cls.parent;
  if (p && ts.isVariableDeclaration(p) && ts.isIdentifier(p.name)) return p.name.text;
  return 'default';
}

function enclosingClass(node: ts.Node): ts.ClassLikeDeclaration | undefined {
  let n: ts.Node | undefined = node.parent;
  while (n) {
    if (ts.isClassDeclaration(n) || ts.isClassExpression(n)) return n;
    // `this` inside a plain nested function is not the instance
    if (ts.isFunctionExpression(n) || ts.isFunctionDeclaration(n)) return undefined;
    n = n.parent;
  }
  return undefined;
}

/** The function a class member holds: a method, or a property initialised with an arrow/function. */
function classMember(cls: ts.ClassLikeDeclaration, name: string): ts.FunctionLikeDeclaration | undefined {
  for (const m of cls.members) {
    if (propertyNameText(m.name as ts.PropertyName) !== name) continue;
    if (ts.isMethodDeclaration(m) && m.body) return m;
    if (ts.isPropertyDeclaration(m) && m.initializer) {
      const init = unwrap(m.initializer);
      if (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) return init;
    }
  }
  return undefined;
}

function objectMember(obj: ts.ObjectLiteralExpression, name: string): ts.Node | undefined {
  for (const p of obj.properties) {
    if (propertyNameText(p.name as ts.PropertyName) !== name) continue;
    if (ts.isMethodDeclaration(p)) return p;
    if (ts.isPropertyAssignment(p)) return p.initializer;
    if (ts.isShorthandPropertyAssignment(p)) return p.name;
  }
  return undefined;
}

const PROPERTY_ACCESS = ts.SyntaxKind.PropertyAccessExpression, IDENTIFIER = ts.SyntaxKind.Identifier, THIS = ts.SyntaxKind.ThisKeyword,
  CALL = ts.SyntaxKind.CallExpression, AWAIT = ts.SyntaxKind.AwaitExpression, NEW = ts.SyntaxKind.NewExpression,
  ARROW = ts.SyntaxKind.ArrowFunction, FUNCTION_EXPRESSION = ts.SyntaxKind.FunctionExpression,
  CLASS_EXPRESSION = ts.SyntaxKind.ClassExpression, OBJECT_LITERAL = ts.SyntaxKind.ObjectLiteralExpression,
  RETURN = ts.SyntaxKind.ReturnStatement, BLOCK = ts.SyntaxKind.Block;

/** The first index from `lo` of nodes in document order whose start is at or after `pos`. */
function firstAtOrAfter(nodes: readonly ts.Node[], lo: number, pos: number): number {
  let hi = nodes.length;
  while (lo < hi) { const mid = (lo + hi) >> 1; if (nodes[mid].pos < pos) lo = mid + 1; else hi = mid; }
  return lo;
}

export class FileFunctions {
  private keys?: Map<ts.FunctionLikeDeclaration, string>;
  private byKey?: Map<string, ts.FunctionLikeDeclaration>;
  private callers?: Map<ts.FunctionLikeDeclaration, ts.CallExpression[]>;
  private calls?: ts.CallExpression[];
  /** the walk's `return` statements in document order (with `nodes` only) */
  private returnStatements?: ts.ReturnStatement[];

  /** @param nodes the analysis walk's nodes in document order, when it collected calls, functions and `return` statements already */
  constructor(private readonly sf: ts.SourceFile, private readonly scopes: ScopeResolver, private readonly nodes?: readonly ts.Node[]) {}

  /** The stable key of a function, or undefined for anonymous callbacks. */
  keyOf(fn: ts.FunctionLikeDeclaration): string | undefined {
    this.index();
    return this.keys!.get(fn);
  }

  functionByKey(key: string): ts.FunctionLikeDeclaration | undefined {
    this.index();
    return this.byKey!.get(key);
  }

  allKeyed(): [ts.FunctionLikeDeclaration, string][] {
    this.index();
    return [...this.keys!];
  }

  /** Every call in the file, in document order. */
  allCalls(): ts.CallExpression[] {
    this.index();
    return this.calls!;
  }

  /**
   * The expressions `fn` returns (see taint.ts `returnExpressions`), found once per function: the summary asks for
   * them once per sink kind for each exported function, and the summary's and the analysis's analyzers (which share
   * this table) ask for the same helpers.
   */
  returnsOf(fn: ts.FunctionLikeDeclaration): readonly ts.Expression[] {
    let hit = this.returns.get(fn);
    if (!hit) { hit = this.nodes ? this.returnsFromWalk(fn) : findReturns(fn); this.returns.set(fn, hit); }
    return hit;
  }

  private readonly returns = new Map<ts.FunctionLikeDeclaration, readonly ts.Expression[]>();

  /**
   * findReturns(fn) from the walk's `return` statements (the walk collects every one, in document order), without a
   * walk of the body: those in the body's text are below it, and belong to `fn` when no function lies between
   * (findReturns does not enter nested functions either). A nested function found is passed over whole: the
   * statements that follow inside its text are below it.
   */
  private returnsFromWalk(fn: ts.FunctionLikeDeclaration): ts.Expression[] {
    const body = fn.body;
    if (!body) return [];
    if (body.kind !== BLOCK) return [body as ts.Expression];
    this.index();
    const list = this.returnStatements!;
    const out: ts.Expression[] = [];
    for (let i = firstAtOrAfter(list, 0, body.pos); i < list.length; i++) {
      const r = list[i];
      if (r.pos >= body.end) break;
      let p: ts.Node = r.parent;
      while (p !== fn && !isFunctionLike(p)) p = p.parent;
      if (p === fn) { if (r.expression) out.push(r.expression); }
      else i = firstAtOrAfter(list, i + 1, p.end) - 1;
    }
    return out;
  }

  /** Calls in this file that reach `fn`. */
  callersOf(fn: ts.FunctionLikeDeclaration): ts.CallExpression[] {
    if (!this.callers) {
      this.callers = new Map();
      const calls = this.allCalls();
      for (let i = 0; i < calls.length; i++) {
        const call = calls[i];
        const t = this.targetOf(call);
        if (t?.kind !== 'local') continue;
        const l = this.callers.get(t.fn);
        if (l) l.push(call); else this.callers.set(t.fn, [call]);
      }
    }
    return this.callers.get(fn) ?? [];
  }

  private index(): void {
    if (this.keys) return;
    this.keys = new Map();
    this.byKey = new Map();
    this.calls = [];
    const add = (fn: ts.FunctionLikeDeclaration, base: string | undefined) => {
      // constructors and accessors are not keyed: the analysis walk does not collect them, and keys must agree
      if (!base || ts.isConstructorDeclaration(fn) || ts.isGetAccessor(fn) || ts.isSetAccessor(fn)) return;
      let key = base;
      for (let n = 2; this.byKey!.has(key); n++) key = `${base}#${n}`;
      this.keys!.set(fn, key);
      this.byKey!.set(key, fn);
    };
    if (this.nodes) {
      const nodes = this.nodes;
      const returns: ts.ReturnStatement[] = (this.returnStatements = []);
      for (let i = 0; i < nodes.length; i++) {
        const n = nodes[i];
        if (n.kind === CALL) this.calls.push(n as ts.CallExpression);
        else if (n.kind === RETURN) returns.push(n as ts.ReturnStatement);
        else if (isFunctionLike(n)) add(n, this.baseKey(n));
      }
      return;
    }
    const stack: ts.Node[] = [this.sf];
    while (stack.length) {
      const n = stack.pop()!;
      if (ts.isCallExpression(n)) this.calls!.push(n);
      if (isFunctionLike(n)) add(n, this.baseKey(n));
      const kids: ts.Node[] = [];
      ts.forEachChild(n, (c) => { kids.push(c); });
      for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]);
    }
  }

  private baseKey(fn: ts.FunctionLikeDeclaration): string | undefined {
    if (ts.isConstructorDeclaration(fn)) return `${className(fn.parent)}.constructor`;
    if (ts.isFunctionDeclaration(fn)) return fn.name ? fn.name.text : 'default';
    const p = fn.parent;
    if (ts.isMethodDeclaration(fn) || ts.isGetAccessor(fn) || ts.isSetAccessor(fn)) {
      const name = propertyNameText(fn.name);
      if (!name) return undefined;
      if (ts.isClassLike(p)) return `${className(p)}.${name}`;
      if (ts.isObjectLiteralExpression(p)) { const o = this.objectName(p); return o ? `${o}.${name}` : undefined; }
      return undefined;
    }
    // arrow functions and function expressions
    if (ts.isVariableDeclaration(p) && ts.isIdentifier(p.name)) return p.name.text;
    if (ts.isPropertyDeclaration(p) && ts.isClassLike(p.parent)) {
      const name = propertyNameText(p.name);
      return name ? `${className(p.parent)}.${name}` : undefined;
    }
    if (ts.isPropertyAssignment(p) && ts.isObjectLiteralExpression(p.parent)) {
      const name = propertyNameText(p.name);
      const o = this.objectName(p.parent);
      return name && o ? `${o}.${name}` : undefined;
    }
    if (ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.EqualsToken && p.right === fn) {
      const left = unwrap(p.left);
      if (isExportsObject(left)) return 'module.exports';
      if (ts.isPropertyAccessExpression(left) && isExportsObject(left.expression)) return `exports.${left.name.text}`;
    }
    if (ts.isExportAssignment(p)) return 'default';
    return undefined;
  }

  private objectName(obj: ts.ObjectLiteralExpression): string | undefined {
    const p = obj.parent;
    if (ts.isVariableDeclaration(p) && ts.isIdentifier(p.name)) return p.name.text;
    if (ts.isBinaryExpression(p) && p.right === obj && isExportsObject(p.left)) return 'module.exports';
    if (ts.isExportAssignment(p)) return 'default';
    return undefined;
  }

  /** What `expr` holds, following local names, `require`, imports, `new`, `this` and injected fields. */
  valueOf(expr: ts.Expression, depth = 0): ValueRef | undefined {
    if (depth > 6) return undefined;
    const e = unwrap(expr);
    // (one switch on the kind, the most frequent first: asked for every callee of every call, and for each object in
    // its chain)
    switch (e.kind) {
      case PROPERTY_ACCESS: {
        const req = requireSpec(e);
        if (req) return { kind: 'import', spec: req.spec, imported: req.member ?? '*', instance: false };
        const pa = e as ts.PropertyAccessExpression;
        const name = pa.name.text;
        const base = this.valueOf(pa.expression, depth + 1);
        if (!base) return undefined;
        if (base.kind === 'object') {
          const m = objectMember(base.obj, name);
          if (!m) return undefined;
          if (isFunctionLike(m)) return { kind: 'fn', fn: m };
          return ts.isExpression(m) ? this.valueOf(m, depth + 1) : undefined;
        }
        if (base.kind === 'class') {
          const fn = classMember(base.cls, name);
          if (fn) return { kind: 'fn', fn };
          if (base.instance) return this.fieldValue(base.cls, name, depth);
          return undefined;
        }
        if (base.kind === 'import' && !base.member) return { ...base, member: name };
        return undefined;
      }
      case IDENTIFIER:
        return this.valueOfIdentifier(e as ts.Identifier, depth);
      case THIS: {
        const cls = enclosingClass(e);
        return cls ? { kind: 'class', cls, instance: true } : undefined;
      }
      // `require('x')`, `require('x').y`, `await require('x')`: only these kinds and a member can be one (requireSpec)
      case CALL:
      case AWAIT: {
        const req = requireSpec(e);
        return req ? { kind: 'import', spec: req.spec, imported: req.member ?? '*', instance: false } : undefined;
      }
      case NEW: {
        const c = this.valueOf((e as ts.NewExpression).expression, depth + 1);
        if (c?.kind === 'class') return { ...c, instance: true };
        if (c?.kind === 'import' && !c.instance && !c.member) return { ...c, instance: true };
        return undefined;
      }
      case ARROW:
      case FUNCTION_EXPRESSION:
        return { kind: 'fn', fn: e as ts.ArrowFunction | ts.FunctionExpression };
      case CLASS_EXPRESSION:
        return { kind: 'class', cls: e as ts.ClassExpression, instance: false };
      case OBJECT_LITERAL:
        return { kind: 'object', obj: e as ts.ObjectLiteralExpression };
      default:
        return undefined;
    }
  }

  private valueOfIdentifier(id: ts.Identifier, depth: number): ValueRef | undefined {
    const b = this.scopes.resolve(id);
    if (!b) return undefined;
    if (ts.isFunctionDeclaration(b)) return b.body ? { kind: 'fn', fn: b } : undefined;
    if (ts.isClassDeclaration(b)) return { kind: 'class', cls: b, instance: false };
    if (ts.isImportClause(b)) return this.importOf(b.parent, 'default');
    if (ts.isImportSpecifier(b)) return this.importOf(b.parent.parent.parent, (b.propertyName ?? b.name).text);
    if (ts.isNamespaceImport(b)) return this.importOf(b.parent.parent, '*');
    if (ts.isVariableDeclaration(b)) {
      if (!b.initializer) return undefined;
      // a `let` that is assigned again later is not followed
      return this.valueOf(b.initializer, depth + 1);
    }
    if (ts.isBindingElement(b) && ts.isObjectBindingPattern(b.parent) && ts.isVariableDeclaration(b.parent.parent) && b.parent.parent.initializer) {
      const key = b.propertyName ? propertyNameText(b.propertyName) : ts.isIdentifier(b.name) ? b.name.text : undefined;
      const base = this.valueOf(b.parent.parent.initializer, depth + 1);
      if (!key || !base) return undefined;
      if (base.kind === 'import' && base.imported === '*' && !base.member) return { kind: 'import', spec: base.spec, imported: key, instance: false };
      if (base.kind === 'object') { const m = objectMember(base.obj, key); return m && ts.isExpression(m) ? this.valueOf(m, depth + 1) : m && isFunctionLike(m) ? { kind: 'fn', fn: m } : undefined; }
      return undefined;
    }
    if (ts.isParameter(b)) return this.typedValue(b.type, depth);
    return undefined;
  }

  private importOf(decl: ts.ImportDeclaration | ts.JSDocImportTag, imported: string): ValueRef | undefined {
    if (!ts.isImportDeclaration(decl) || !ts.isStringLiteralLike(decl.moduleSpecifier)) return undefined;
    return { kind: 'import', spec: decl.moduleSpecifier.text, imported, instance: false };
  }

  /** A value declared with a class type (`svc: UserService`, NestJS injection): an instance of that class. */
  private typedValue(type: ts.TypeNode | undefined, depth: number): ValueRef | undefined {
    if (!type || !ts.isTypeReferenceNode(type) || !ts.isIdentifier(type.typeName)) return undefined;
    const v = this.valueOfIdentifier(type.typeName, depth + 1);
    if (v?.kind === 'class') return { ...v, instance: true };
    if (v?.kind === 'import' && !v.member) return { ...v, instance: true };
    return undefined;
  }

  /** `this.name` of an instance: a typed field, a constructor parameter property, or `this.name = …` in the constructor. */
  private fieldValue(cls: ts.ClassLikeDeclaration, name: string, depth: number): ValueRef | undefined {
    for (const m of cls.members) {
      if (ts.isPropertyDeclaration(m) && propertyNameText(m.name) === name) {
        if (m.initializer) return this.valueOf(m.initializer, depth + 1);
        return this.typedValue(m.type, depth);
      }
      if (ts.isConstructorDeclaration(m)) {
        for (const p of m.parameters) {
          if (ts.isIdentifier(p.name) && p.name.text === name && p.modifiers?.length) return this.typedValue(p.type, depth);
        }
        let found: ts.Expression | undefined;
        const visit = (n: ts.Node) => {
          if (found) return;
          if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
            const l = unwrap(n.left);
            if (ts.isPropertyAccessExpression(l) && l.expression.kind === ts.SyntaxKind.ThisKeyword && l.name.text === name) { found = n.right; return; }
          }
          if (!isFunctionLike(n)) ts.forEachChild(n, visit);
        };
        if (m.body) ts.forEachChild(m.body, visit);
        if (found) return this.valueOf(found, depth + 1);
      }
    }
    return undefined;
  }

  /**
   * What a call reaches, if it is a function of this file or a member of an import. Found once per call: the
   * summary asks it of every call, `callersOf` too, and the analysis of each call to a helper it follows.
   */
  targetOf(call: ts.CallExpression): CallTarget | undefined {
    const hit = this.targets.get(call);
    if (hit !== undefined) return hit ?? undefined;
    const t = this.findTarget(call);
    this.targets.set(call, t ?? null);
    return t;
  }

  private readonly targets = new Map<ts.CallExpression, CallTarget | null>();

  private findTarget(call: ts.CallExpression): CallTarget | undefined {
    const v = this.valueOf(call.expression);
    if (!v) return undefined;
    if (v.kind === 'fn') return v.fn.body ? { kind: 'local', fn: v.fn } : undefined;
    if (v.kind === 'import') return { kind: 'import', spec: v.spec, imported: v.imported, instance: v.instance, member: v.member };
    return undefined;
  }
}

/** The expressions a function returns (an arrow's expression body, or its `return` statements). */
export function findReturns(fn: ts.FunctionLikeDeclaration): ts.Expression[] {
  const returns: ts.Expression[] = [];
  if (fn.body && !ts.isBlock(fn.body)) returns.push(fn.body);
  else if (fn.body) {
    const visit = (n: ts.Node) => {
      if (isFunctionLike(n)) return;
      if (ts.isReturnStatement(n) && n.expression) returns.push(n.expression);
      ts.forEachChild(n, visit);
    };
    ts.forEachChild(fn.body, visit);
  }
  return returns;
}

export { className, isExportsObject };
