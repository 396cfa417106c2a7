import { ts } from 'ts-morph';
import { hasDirective, literalText, propertyNameText, unwrap } from './util/ast';

/** Where a local name came from: `import { Pool } from 'pg'` → { module: 'pg', imported: 'Pool' }. */
export interface ImportBinding {
  module: string;
  /** 'default', '*' (namespace or whole `require`), or the exported name */
  imported: string;
}

/** Cheap per-file facts gathered before the walk, used by many rules. Top-level statements only. */
export interface FileFacts {
  /** local name → where it was imported from */
  imports: Map<string, ImportBinding>;
  /** every module the file imports or requires at top level */
  modules: Set<string>;
  useClient: boolean;
  useServer: boolean;
  /** Next.js app router route handler file (app/…/route.ts) */
  nextRouteFile: boolean;
  /** Next.js pages router API route (pages/api/…) */
  nextPagesApi: boolean;
  /** Next.js app router page/layout file (receives `params`/`searchParams` props) */
  nextPageFile: boolean;
  /** test or fixture file by path: secrets there are usually fakes */
  testFile: boolean;
}

function requireModule(expr: ts.Expression | undefined): string | undefined {
  if (!expr) return undefined;
  let e = unwrap(expr);
  if (ts.isAwaitExpression(e)) e = unwrap(e.expression);
  // require('x').default / require('x').Pool
  if (ts.isPropertyAccessExpression(e) && ts.isCallExpression(unwrap(e.expression))) e = unwrap(e.expression);
  if (ts.isCallExpression(e) && e.arguments.length === 1) {
    const callee = unwrap(e.expression);
    if ((ts.isIdentifier(callee) && callee.text === 'require') || callee.kind === ts.SyntaxKind.ImportKeyword) {
      return literalText(e.arguments[0]);
    }
  }
  return undefined;
}

function requireMember(expr: ts.Expression): string | undefined {
  const e = unwrap(expr);
  if (ts.isPropertyAccessExpression(e) && ts.isCallExpression(unwrap(e.expression))) return e.name.text;
  return undefined;
}

/** Whether some folder above the file is named `app` (Next.js App Router): a regex with an optional "any folders" group is quadratic on long paths. */
function inAppDir(norm: string): boolean {
  return norm.split('/').slice(0, -1).includes('app');
}

export function collectFacts(sf: ts.SourceFile, path: string): FileFacts {
  const imports = new Map<string, ImportBinding>();
  const modules = new Set<string>();
  const norm = path.replace(/\\/g, '/');

  const addRequireBindings = (decl: ts.VariableDeclaration) => {
    const mod = requireModule(decl.initializer);
    if (!mod || !decl.initializer) return;
    modules.add(mod);
    const member = requireMember(decl.initializer);
    if (ts.isIdentifier(decl.name)) {
      imports.set(decl.name.text, { module: mod, imported: member ?? '*' });
    } else if (ts.isObjectBindingPattern(decl.name)) {
      for (const el of decl.name.elements) {
        if (!ts.isIdentifier(el.name)) continue;
        const imported = el.propertyName ? propertyNameText(el.propertyName) ?? el.name.text : el.name.text;
        imports.set(el.name.text, { module: mod, imported });
      }
    }
  };

  const statements = sf.statements;
  for (let i = 0; i < statements.length; i++) {
    const st = statements[i];
    if (ts.isImportDeclaration(st)) {
      const mod = literalText(st.moduleSpecifier);
      if (!mod) continue;
      modules.add(mod);
      const clause = st.importClause;
      if (!clause) continue;
      if (clause.name) imports.set(clause.name.text, { module: mod, imported: 'default' });
      const nb = clause.namedBindings;
      if (nb && ts.isNamespaceImport(nb)) imports.set(nb.name.text, { module: mod, imported: '*' });
      if (nb && ts.isNamedImports(nb)) {
        for (const el of nb.elements) {
          imports.set(el.name.text, { module: mod, imported: el.propertyName ? propertyNameText(el.propertyName) ?? el.name.text : el.name.text });
        }
      }
    } else if (ts.isImportEqualsDeclaration(st) && ts.isExternalModuleReference(st.moduleReference)) {
      const mod = literalText(st.moduleReference.expression);
      if (mod) { modules.add(mod); imports.set(st.name.text, { module: mod, imported: '*' }); }
    } else if (ts.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations) addRequireBindings(d);
    } else if (ts.isExpressionStatement(st)) {
      const mod = requireModule(st.expression);
      if (mod) modules.add(mod);
    }
  }

  return {
    imports,
    modules,
    useClient: hasDirective(sf.statements, 'use client'),
    useServer: hasDirective(sf.statements, 'use server'),
    // (the file name first: splitting the path for `app` is the dearer test)
    nextRouteFile: /(^|\/)route\.[cm]?[jt]sx?$/.test(norm) && inAppDir(norm),
    nextPagesApi: /(^|\/)pages\/api\//.test(norm),
    nextPageFile: /(^|\/)(page|layout)\.[cm]?[jt]sx?$/.test(norm) && inAppDir(norm),
    testFile: TEST_FILE.test(norm),
  };
}

/** Test code, mocks, fixtures and stories: never deployed. */
export const TEST_FILE = /(^|\/)(__tests__|__mocks__|tests?|spec|fixtures?|e2e|cypress|playwright)\/|\.(test|spec|e2e|stories)\.[cm]?[jt]sx?$/;

/** The module a local name was imported from, if any (`Pool` → 'pg'). */
export function moduleOf(facts: FileFacts, localName: string): string | undefined {
  return facts.imports.get(localName)?.module;
}
