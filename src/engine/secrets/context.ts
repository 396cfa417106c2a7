/** Shared syntax helpers for the secrets rules: where a literal sits, which names surround it. */
import { ts } from 'ts-morph';
import type { FileFacts } from '../facts';
import { boundName, literalText, memberChain, propertyNameText, unwrap } from '../util/ast';
import { findSecrets, isSecretName, type SecretMatch } from './providers';

export interface LiteralContext {
  /** the name the literal is bound to (`apiKey`, `STRIPE_KEY`, `Authorization`), if any */
  name?: string;
  /** names around the literal: binding, enclosing properties and variable, callee — for catalog `context` */
  names: string;
  /** the file's imported modules */
  modules: string;
  /** bound to a secret-looking name, or passed straight to a call / constructor */
  bound: boolean;
  /** a direct argument of a call or `new` */
  callArgument: boolean;
  /** `process.env.X || '…'` / `?? '…'`: a fallback default for an environment variable */
  envFallback: boolean;
}

const STOP = new Set([ts.SyntaxKind.Block, ts.SyntaxKind.SourceFile, ts.SyntaxKind.ExpressionStatement,
  ts.SyntaxKind.ReturnStatement, ts.SyntaxKind.ArrowFunction, ts.SyntaxKind.FunctionExpression, ts.SyntaxKind.FunctionDeclaration]);

function exprText(e: ts.Expression): string | undefined {
  const chain = memberChain(e);
  if (chain) return chain.join('.');
  return undefined;
}

/** Literals that are code, not data: module specifiers, property names. */
export function isStructuralLiteral(lit: ts.Node): boolean {
  const p = lit.parent;
  if (!p) return true;
  if (ts.isImportDeclaration(p) || ts.isExportDeclaration(p) || ts.isExternalModuleReference(p) || ts.isImportTypeNode(p)) return true;
  if ((ts.isPropertyAssignment(p) || ts.isPropertyDeclaration(p) || ts.isMethodDeclaration(p) || ts.isPropertySignature(p) ||
       ts.isEnumMember(p)) && p.name === lit) return true;
  if (ts.isCallExpression(p) && ts.isIdentifier(p.expression) && p.expression.text === 'require') return true;
  if (ts.isCallExpression(p) && p.expression.kind === ts.SyntaxKind.ImportKeyword) return true;
  return false;
}

/** `n`'s parent is a wrapper of it (parentheses, `as`, `satisfies`) or a fallback to it (`x || n`, `x ?? n`) */
function wrapsValue(n: ts.Node): boolean {
  const p = n.parent;
  return ts.isParenthesizedExpression(p) || ts.isAsExpression(p) || ts.isSatisfiesExpression(p) ||
    (ts.isBinaryExpression(p) && (p.operatorToken.kind === ts.SyntaxKind.BarBarToken ||
      p.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken) && p.right === n);
}

/** `n` is a direct argument of a call or `new` */
function isArgument(n: ts.Node): boolean {
  const p = n.parent;
  return !!p && (ts.isCallExpression(p) || ts.isNewExpression(p)) && !!p.arguments?.includes(n as ts.Expression);
}

/**
 * literalContext's `callArgument` alone, without the names: whether the literal, out of its wrappers and fallbacks,
 * is a direct argument of a call or `new`.
 */
export function literalCallArgument(lit: ts.StringLiteral | ts.NoSubstitutionTemplateLiteral): boolean {
  let n: ts.Node = lit;
  while (n.parent && wrapsValue(n)) n = n.parent;
  return isArgument(n);
}

/**
 * Whether literalContext's `bound` is false: the literal is not bound to a secret-looking name and not a direct
 * argument of a call (`name` is boundName(lit), which the caller has at hand). With noSecretUnbound(text), the catalog
 * finds nothing in the literal whatever its names: the literal checks stop there.
 */
export function literalUnbound(lit: ts.StringLiteral | ts.NoSubstitutionTemplateLiteral, name: string | undefined): boolean {
  return !(name !== undefined && isSecretName(name)) && !literalCallArgument(lit);
}

export function literalContext(lit: ts.StringLiteral | ts.NoSubstitutionTemplateLiteral, facts: FileFacts): LiteralContext {
  const name = boundName(lit);
  const names: string[] = [];
  if (name) names.push(name);
  let callArgument = false;
  let envFallback = false;
  // climb out of wrappers and `||`/`??` fallbacks
  let n: ts.Node = lit;
  while (n.parent && wrapsValue(n)) {
    if (ts.isBinaryExpression(n.parent)) {
      const left = exprText(unwrap(n.parent.left)) ?? '';
      if (/^process\.env\b|^import\.meta\.env\b|^env\./.test(left) || /process\.env|import\.meta\.env/.test(n.parent.left.getText())) {
        envFallback = true;
        const envName = left.split('.').pop();
        if (envName) names.push(envName);
      }
    }
    n = n.parent;
  }
  if (isArgument(n)) callArgument = true;
  // enclosing property names, variable, callee (a few levels: `new Stripe(…)`, `{ stripe: { secretKey: '…' } }`)
  let cur: ts.Node | undefined = n.parent;
  for (let depth = 0; cur && depth < 6 && !STOP.has(cur.kind); depth++, cur = cur.parent) {
    if (ts.isPropertyAssignment(cur) || ts.isPropertyDeclaration(cur)) {
      const t = propertyNameText(cur.name);
      if (t) names.push(t);
    } else if (ts.isVariableDeclaration(cur)) {
      if (ts.isIdentifier(cur.name)) names.push(cur.name.text);
      break;
    } else if (ts.isCallExpression(cur) || ts.isNewExpression(cur)) {
      const t = exprText(cur.expression);
      if (t) names.push(t);
    } else if (ts.isBinaryExpression(cur) && cur.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      const t = exprText(cur.left);
      if (t) names.push(t);
      break;
    } else if (ts.isJsxAttribute(cur)) {
      names.push(cur.name.getText());
    }
  }
  const bound = (name !== undefined && isSecretName(name)) || callArgument;
  return { name, names: names.join(' '), modules: modulesText(facts), bound, callArgument, envFallback };
}

/** The file's modules as one string, made once per file (every literal of the file asks). */
const modulesTexts = new WeakMap<FileFacts, string>();
function modulesText(facts: FileFacts): string {
  let t = modulesTexts.get(facts);
  if (t === undefined) { t = [...facts.modules].join(' '); modulesTexts.set(facts, t); }
  return t;
}

/** Catalog matches of a literal, with its surrounding names taken into account. */
export function literalSecrets(lit: ts.StringLiteral | ts.NoSubstitutionTemplateLiteral, ctx: LiteralContext): SecretMatch[] {
  return findSecrets(lit.text, { names: ctx.names, modules: ctx.modules, bound: ctx.bound });
}

/** A private key inside a Google service-account JSON object (`type: 'service_account'`, `client_email: …iam.gserviceaccount.com`). */
export function inGcpServiceAccount(lit: ts.Node): boolean {
  const pa = lit.parent;
  if (!pa || !ts.isPropertyAssignment(pa) || !pa.parent || !ts.isObjectLiteralExpression(pa.parent)) return false;
  for (const p of pa.parent.properties) {
    if (!ts.isPropertyAssignment(p)) continue;
    const k = propertyNameText(p.name);
    const v = literalText(p.initializer);
    if (k === 'type' && v === 'service_account') return true;
    if (k === 'client_email' && v && /\.iam\.gserviceaccount\.com$/.test(v)) return true;
  }
  return false;
}

/** Paths of test files, fixtures and examples, where credentials are usually fakes. Mirrors facts.testFile. */
export const TEST_PATH = /(^|\/)(__tests__|__mocks__|__fixtures__|tests?|testing|spec|specs|fixtures?|mocks?|e2e|cypress|playwright|stress-?tests?|benchmarks?|seeds?)\/|(^|\/)seed\.[cm]?[jt]s$|\.(test|spec|e2e|stories|example|sample)\.[cm]?[jt]sx?$/;

/** Built browser bundles (Next.js static chunks, Vite/CRA output). */
export const CLIENT_BUNDLE_PATH = /(^|\/)\.next\/static\/|(^|\/)static\/chunks\/|(^|\/)(dist|build|out)\/(assets|static|_next)\/|(^|\/)public\/(js|assets|build)\/|(^|\/)assets\/[\w.-]+-[A-Za-z0-9_-]{8}\.m?js$/;
