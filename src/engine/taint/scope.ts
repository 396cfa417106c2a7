import { ts } from 'ts-morph';
import { isFunctionLike } from '../util/ast';

/** What the scope lookup does at a node, by its kind: 0 nothing, else one of the codes below. */
const FUNCTION = 1, BLOCK = 2, FOR = 3, CATCH = 4;
const SCOPE_KINDS = new Uint8Array(ts.SyntaxKind.Count);
{
  const K = ts.SyntaxKind;
  for (const k of [K.FunctionDeclaration, K.FunctionExpression, K.ArrowFunction, K.MethodDeclaration, K.Constructor, K.GetAccessor, K.SetAccessor]) SCOPE_KINDS[k] = FUNCTION;
  for (const k of [K.Block, K.SourceFile, K.ModuleBlock, K.CaseClause, K.DefaultClause]) SCOPE_KINDS[k] = BLOCK;
  for (const k of [K.ForStatement, K.ForOfStatement, K.ForInStatement]) SCOPE_KINDS[k] = FOR;
  SCOPE_KINDS[K.CatchClause] = CATCH;
}
const FUNCTION_EXPRESSION = ts.SyntaxKind.FunctionExpression;

/** A node that binds a name: a variable, a parameter, a destructured element, a function, a class, an import. */
export type Binding =
  | ts.VariableDeclaration
  | ts.ParameterDeclaration
  | ts.BindingElement
  | ts.FunctionDeclaration
  | ts.ClassDeclaration
  | ts.ImportClause
  | ts.ImportSpecifier
  | ts.NamespaceImport
  | ts.ImportEqualsDeclaration
  | ts.EnumDeclaration;

function bindingInName(name: ts.BindingName, text: string): ts.Identifier | undefined {
  if (ts.isIdentifier(name)) return name.text === text ? name : undefined;
  for (const el of name.elements) {
    if (ts.isOmittedExpression(el)) continue;
    const hit = bindingInName(el.name, text);
    if (hit) return hit;
  }
  return undefined;
}

function declOfBindingName(id: ts.Identifier): Binding {
  const p = id.parent;
  return p as Binding;
}

function fromVariableList(list: ts.VariableDeclarationList, text: string): Binding | undefined {
  for (const d of list.declarations) {
    const id = bindingInName(d.name, text);
    if (id) return declOfBindingName(id);
  }
  return undefined;
}

/** Every name a binding name declares, in the order bindingInName looks at them (depth first, left to right). */
function eachBoundIdentifier(name: ts.BindingName, add: (id: ts.Identifier) => void): void {
  if (ts.isIdentifier(name)) { add(name); return; }
  for (const el of name.elements) if (!ts.isOmittedExpression(el)) eachBoundIdentifier(el.name, add);
}

/**
 * The names a list of statements binds, each to its first binding in statement order (a variable, function, class
 * or enum declaration, an import), so that a lookup costs a map access instead of a scan of the block's statements.
 */
function statementBindings(statements: ts.NodeArray<ts.Statement>): Map<string, Binding> {
  const out = new Map<string, Binding>();
  const add = (text: string, b: Binding) => { if (!out.has(text)) out.set(text, b); };
  for (let i = 0; i < statements.length; i++) {
    const st = statements[i];
    if (ts.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations) eachBoundIdentifier(d.name, (id) => add(id.text, declOfBindingName(id)));
    } else if (ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st) || ts.isEnumDeclaration(st)) {
      if (st.name) add(st.name.text, st);
    } else if (ts.isImportDeclaration(st) && st.importClause) {
      const c = st.importClause;
      if (c.name) add(c.name.text, c);
      const nb = c.namedBindings;
      if (nb && ts.isNamespaceImport(nb)) add(nb.name.text, nb);
      if (nb && ts.isNamedImports(nb)) for (const el of nb.elements) add(el.name.text, el);
    } else if (ts.isImportEqualsDeclaration(st)) {
      add(st.name.text, st);
    }
  }
  return out;
}

/**
 * Resolves an identifier to the node that declares it, by lexical lookup on names (no type checker).
 * Handles block scopes, parameters (with destructuring), for-loop heads, catch clauses and imports.
 */
export class ScopeResolver {
  private cache = new Map<ts.Identifier, Binding | null>();
  /** the names each block (or file, case clause…) binds, built the first time a lookup passes through it */
  private blocks = new Map<ts.Node, Map<string, Binding>>();

  resolve(id: ts.Identifier): Binding | undefined {
    const hit = this.cache.get(id);
    if (hit !== undefined) return hit ?? undefined;
    const found = this.lookup(id);
    this.cache.set(id, found ?? null);
    return found;
  }

  private lookup(id: ts.Identifier): Binding | undefined {
    const text = id.text;
    let n: ts.Node | undefined = id.parent;
    // (one table read per node climbed, instead of a test per kind of scope: most nodes are none of them)
    while (n) {
      const what = SCOPE_KINDS[n.kind];
      if (what === FUNCTION) {
        const fn = n as ts.FunctionLikeDeclaration;
        for (const p of fn.parameters) {
          const b = bindingInName(p.name, text);
          if (b) return declOfBindingName(b);
        }
        if (n.kind === FUNCTION_EXPRESSION && (n as ts.FunctionExpression).name?.text === text) return undefined;
      } else if (what === BLOCK) {
        let names = this.blocks.get(n);
        if (!names) { names = statementBindings((n as ts.Block).statements); this.blocks.set(n, names); }
        const b = names.get(text);
        if (b) return b;
      } else if (what === FOR) {
        const init = (n as ts.ForStatement | ts.ForOfStatement | ts.ForInStatement).initializer;
        if (init && ts.isVariableDeclarationList(init)) {
          const b = fromVariableList(init, text);
          if (b) return b;
        }
      } else if (what === CATCH) {
        const v = (n as ts.CatchClause).variableDeclaration;
        if (v) {
          const b = bindingInName(v.name, text);
          if (b) return declOfBindingName(b);
        }
      }
      n = n.parent;
    }
    return undefined;
  }
}

/** The function or source file whose body holds a binding's statements (where assignments to it live). */
export function bindingScope(b: Binding): ts.Node {
  let n: ts.Node | undefined = b.parent;
  while (n) {
    if (isFunctionLike(n) || ts.isSourceFile(n)) return n;
    n = n.parent;
  }
  return b.getSourceFile();
}

/** The parameter that a binding belongs to, walking out of destructuring patterns. */
export function owningParameter(b: Binding): ts.ParameterDeclaration | undefined {
  let n: ts.Node = b;
  while (ts.isBindingElement(n) || ts.isObjectBindingPattern(n) || ts.isArrayBindingPattern(n)) n = n.parent;
  return ts.isParameter(n) ? n : undefined;
}

/** The property path from the root of a destructuring pattern to a binding element: `{ a: { b } }` → ['a', 'b']. */
export function bindingPath(el: ts.BindingElement): { path: (string | number)[]; root: ts.VariableDeclaration | ts.ParameterDeclaration | undefined } {
  const path: (string | number)[] = [];
  let n: ts.Node = el;
  while (ts.isBindingElement(n)) {
    const pattern = n.parent;
    if (ts.isObjectBindingPattern(pattern)) {
      const key = n.propertyName
        ? (ts.isIdentifier(n.propertyName) || ts.isStringLiteral(n.propertyName) ? n.propertyName.text : '?')
        : (ts.isIdentifier(n.name) ? n.name.text : '?');
      path.unshift(n.dotDotDotToken ? '...' : key);
    } else {
      path.unshift(pattern.elements.indexOf(n));
    }
    n = pattern.parent;
  }
  if (ts.isVariableDeclaration(n) || ts.isParameter(n)) return { path, root: n };
  return { path, root: undefined };
}
