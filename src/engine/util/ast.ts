import { ts } from 'ts-morph';

/** Strips parentheses, `as`, `satisfies`, `!` and `<T>x` wrappers. */
export function unwrap(node: ts.Expression): ts.Expression {
  // hot path (called for almost every node a rule looks at): compare kinds directly
  let n = node as ts.Expression & { expression?: ts.Expression };
  for (;;) {
    const k = n.kind;
    if (k === PAREN || k === AS || k === NON_NULL || k === TYPE_ASSERTION || k === SATISFIES) n = n.expression as typeof n;
    else return n;
  }
}
const PAREN = ts.SyntaxKind.ParenthesizedExpression;
const AS = ts.SyntaxKind.AsExpression;
const NON_NULL = ts.SyntaxKind.NonNullExpression;
const TYPE_ASSERTION = ts.SyntaxKind.TypeAssertionExpression;
const SATISFIES = ts.SyntaxKind.SatisfiesExpression;

/** The name of a property name node when it is static (`a`, `'a'`, `["a"]`). */
export function propertyNameText(name: ts.PropertyName | ts.MemberName | undefined): string | undefined {
  if (!name) return undefined;
  if (ts.isIdentifier(name) || ts.isPrivateIdentifier(name)) return name.text;
  if (ts.isStringLiteral(name) || ts.isNumericLiteral(name) || ts.isNoSubstitutionTemplateLiteral(name)) return name.text;
  if (ts.isComputedPropertyName(name)) {
    const e = unwrap(name.expression);
    if (ts.isStringLiteralLike(e)) return e.text;
  }
  return undefined;
}

/**
 * The dotted chain of a member expression or callee: `app.get` → ['app', 'get'],
 * `this.db.query` → ['this', 'db', 'query'], `a['b'].c` → ['a', 'b', 'c'].
 * Returns undefined when a segment is dynamic or the root is not an identifier/this.
 */
export function memberChain(node: ts.Expression): string[] | undefined {
  const out: string[] = [];
  let n = unwrap(node);
  for (;;) {
    if (ts.isPropertyAccessExpression(n)) {
      out.unshift(n.name.text);
      n = unwrap(n.expression);
    } else if (ts.isElementAccessExpression(n)) {
      const arg = unwrap(n.argumentExpression);
      if (!ts.isStringLiteralLike(arg)) return undefined;
      out.unshift(arg.text);
      n = unwrap(n.expression);
    } else if (ts.isIdentifier(n)) {
      out.unshift(n.text);
      return out;
    } else if (n.kind === ts.SyntaxKind.ThisKeyword) {
      out.unshift('this');
      return out;
    } else if (ts.isCallExpression(n)) {
      // `getDb().query` → ['getDb()', 'query']: keeps the shape without pretending it is a name
      const inner = memberChain(n.expression);
      if (!inner) return undefined;
      inner[inner.length - 1] += '()';
      return [...inner, ...out];
    } else if (n.kind === ts.SyntaxKind.AwaitExpression) {
      n = unwrap((n as ts.AwaitExpression).expression);
    } else {
      return undefined;
    }
  }
}

/** The last name of a callee: `db.query(…)` → 'query', `eval(…)` → 'eval'. */
export function calleeName(call: ts.CallExpression | ts.NewExpression): string | undefined {
  const e = unwrap(call.expression);
  if (ts.isIdentifier(e)) return e.text;
  if (ts.isPropertyAccessExpression(e)) return e.name.text;
  if (ts.isElementAccessExpression(e)) {
    const a = unwrap(e.argumentExpression);
    if (ts.isStringLiteralLike(a)) return a.text;
  }
  return undefined;
}

/** The receiver of a method call: `db.query(…)` → `db`. */
export function calleeObject(call: ts.CallExpression | ts.NewExpression): ts.Expression | undefined {
  const e = unwrap(call.expression);
  if (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) return unwrap(e.expression);
  return undefined;
}

/** The root identifier of a member chain: `a.b.c` → `a`. */
export function rootIdentifier(node: ts.Expression): ts.Identifier | undefined {
  let n = unwrap(node);
  for (;;) {
    if (ts.isPropertyAccessExpression(n) || ts.isElementAccessExpression(n)) n = unwrap(n.expression);
    else if (ts.isCallExpression(n)) n = unwrap(n.expression);
    else if (ts.isIdentifier(n)) return n;
    else return undefined;
  }
}

export function getProperty(obj: ts.ObjectLiteralExpression, name: string): ts.ObjectLiteralElementLike | undefined {
  for (const p of obj.properties) {
    if ((ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p) || ts.isMethodDeclaration(p)) &&
        propertyNameText(p.name) === name) return p;
  }
  return undefined;
}

/** The value expression of `name: value` (or the identifier of a shorthand `name`). */
export function getPropertyValue(obj: ts.ObjectLiteralExpression, name: string): ts.Expression | undefined {
  const p = getProperty(obj, name);
  if (!p) return undefined;
  if (ts.isPropertyAssignment(p)) return p.initializer;
  if (ts.isShorthandPropertyAssignment(p)) return p.name;
  return undefined;
}

export function hasSpread(obj: ts.ObjectLiteralExpression): boolean {
  return obj.properties.some(ts.isSpreadAssignment);
}

export function isFunctionLike(node: ts.Node): node is ts.FunctionLikeDeclaration {
  // hot path (every scope lookup and enclosing-function search climbs through it): one table lookup by kind
  return FUNCTION_KINDS[node.kind] === true;
}
const FUNCTION_KINDS: boolean[] = [];
for (const k of [ts.SyntaxKind.FunctionDeclaration, ts.SyntaxKind.FunctionExpression, ts.SyntaxKind.ArrowFunction, ts.SyntaxKind.MethodDeclaration,
  ts.SyntaxKind.Constructor, ts.SyntaxKind.GetAccessor, ts.SyntaxKind.SetAccessor]) FUNCTION_KINDS[k] = true;

export function enclosingFunction(node: ts.Node): ts.FunctionLikeDeclaration | undefined {
  let n = node.parent;
  while (n) {
    if (isFunctionLike(n)) return n;
    n = n.parent;
  }
  return undefined;
}

export function isBooleanLiteral(node: ts.Expression | undefined, value: boolean): boolean {
  if (!node) return false;
  const n = unwrap(node);
  return n.kind === (value ? ts.SyntaxKind.TrueKeyword : ts.SyntaxKind.FalseKeyword);
}

/** Static string content of a literal or a template without substitutions. */
export function literalText(node: ts.Node | undefined): string | undefined {
  if (!node) return undefined;
  const n = ts.isExpression(node as ts.Expression) ? unwrap(node as ts.Expression) : node;
  if (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n)) return n.text;
  return undefined;
}

/** Identifier text or static member-chain text (`process.env.X`) of a node, for naming things. */
export function nameOf(node: ts.Node | undefined): string | undefined {
  if (!node) return undefined;
  if (ts.isIdentifier(node) || ts.isPrivateIdentifier(node)) return node.text;
  if (ts.isPropertyAccessExpression(node)) return node.name.text;
  if (ts.isVariableDeclaration(node) || ts.isPropertyAssignment(node) || ts.isPropertyDeclaration(node) ||
      ts.isParameter(node) || ts.isBindingElement(node) || ts.isShorthandPropertyAssignment(node)) {
    return ts.isIdentifier(node.name) ? node.name.text : propertyNameText(node.name as ts.PropertyName);
  }
  return undefined;
}

/**
 * Calls `fn` on the nodes of `nodes` that lie below `root`, in order. `nodes` is a walk's nodes in document order
 * (the analysis keeps the ones rules can ask for), so sorted by position: the nodes below `root` are a run found by
 * binary search, without a walk of the subtree.
 */
export function forEachNodeBelow(nodes: readonly ts.Node[], root: ts.Node, fn: (n: ts.Node) => void): void {
  let lo = 0, hi = nodes.length;
  while (lo < hi) { const mid = (lo + hi) >> 1; if (nodes[mid].pos < root.pos) lo = mid + 1; else hi = mid; }
  for (let i = lo; i < nodes.length; i++) {
    const n = nodes[i];
    if (n.pos >= root.end) break;
    // (a node starting at `root.pos` may be `root` or an ancestor of it: those end at or after it)
    if (n !== root && n.end <= root.end) fn(n);
  }
}

/**
 * The name a value is bound to: `const apiKey = '…'` → 'apiKey', `{ apiKey: '…' }` → 'apiKey',
 * `config.apiKey = '…'` → 'apiKey', `headers['X-Api-Key'] = …` → 'X-Api-Key', a JSX attribute → its name.
 */
export function boundName(expr: ts.Node): string | undefined {
  let n: ts.Node = expr;
  while (n.parent && (ts.isParenthesizedExpression(n.parent) || ts.isAsExpression(n.parent) ||
         ts.isSatisfiesExpression(n.parent) || ts.isNonNullExpression(n.parent) ||
         (ts.isBinaryExpression(n.parent) && (n.parent.operatorToken.kind === ts.SyntaxKind.BarBarToken ||
           n.parent.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken) && n.parent.right === n))) {
    n = n.parent;
  }
  const p = n.parent;
  if (!p) return undefined;
  if ((ts.isVariableDeclaration(p) || ts.isPropertyAssignment(p) || ts.isPropertyDeclaration(p) ||
       ts.isParameter(p) || ts.isBindingElement(p)) && p.initializer === n) {
    return ts.isIdentifier(p.name) ? p.name.text : propertyNameText(p.name as ts.PropertyName);
  }
  if (ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.EqualsToken && p.right === n) {
    const left = unwrap(p.left);
    if (ts.isIdentifier(left)) return left.text;
    if (ts.isPropertyAccessExpression(left)) return left.name.text;
    if (ts.isElementAccessExpression(left)) return literalText(left.argumentExpression);
  }
  if (ts.isJsxExpression(p) && p.parent && ts.isJsxAttribute(p.parent)) return p.parent.name.getText();
  if (ts.isJsxAttribute(p)) return p.name.getText();
  return undefined;
}

export function isInsideNode(node: ts.Node, container: ts.Node): boolean {
  return node.pos >= container.pos && node.end <= container.end;
}

export function ancestors(node: ts.Node): ts.Node[] {
  const out: ts.Node[] = [];
  let n = node.parent;
  while (n) { out.push(n); n = n.parent; }
  return out;
}

/** `'use client'` / `'use server'` directive at the top of a file or function body. */
export function hasDirective(statements: ts.NodeArray<ts.Statement> | undefined, directive: string): boolean {
  if (!statements) return false;
  for (const s of statements) {
    if (!ts.isExpressionStatement(s) || !ts.isStringLiteral(s.expression)) return false;
    if (s.expression.text === directive) return true;
  }
  return false;
}

export { nameWords } from './name-words';

/**
 * How the engine parses JavaScript and TypeScript: the latest syntax, and JSDoc comments left as comments. Nothing in
 * the engine reads a JSDoc node (it walks trees with forEachChild, which never visits them, and reads comments from
 * the text), and parsing them is up to 40% of the parse of a well-documented file (mongoose's lib/model.js). The
 * trees are otherwise the same (test/unit/parse-options.test.ts). Made on first use: reading `ts` when this module
 * loads would load TypeScript in every command of the CLI (it is loaded on the first parse).
 */
let parseOptionsMade: ts.CreateSourceFileOptions | undefined;
export function parseOptions(): ts.CreateSourceFileOptions {
  return (parseOptionsMade ??= { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone });
}
