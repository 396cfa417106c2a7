/**
 * Per-file facts for the project model, from one parsed file alone: what it imports, what it exports (and what
 * those exports are: a database client of which driver, an app or router, a middleware instance, a function),
 * the `use`/route calls on its apps and routers, and where apps are started. Plain data, cheap to compute.
 */
import { ts } from 'ts-morph';
import { calleeName, literalText, propertyNameText, unwrap } from '../util/ast';
import { DRIVER_MODULES } from '../util/sql';
import { corsOriginFunctionKind } from '../util/cors-origin';
import { isMiddlewareFile, nextMiddlewareOf, nextPageOf } from './next-middleware';
import type { ArgFact, DbDriver, HttpMethod, ImportFact, ModuleFacts, MountFact, Span, ValueFact, WebFramework } from './types';
import { extractSessionFacts, SESSION_LIBS } from './sessions';
import { FileLines, shortText } from './lines';
import { textSign } from './text-signs';
import { ownCopy } from '../util/text';
import { errorCodeSources } from '../util/error-codes';

/** An error code written in a file (`error: 'invalid-password'`): only such a file's functions are asked whether they answer with codes. */
const ERROR_CODE = /\b(error|err)\s*:\s*['"`]/;

const DB_MODULES: readonly [RegExp, DbDriver][] = [
  ...DRIVER_MODULES,
  [/^mongodb$/, 'mongodb'],
  [/^mongoose$/, 'mongoose'],
];

/** by specifier: every `require` and import of every file asks (at most a few thousand specifiers are kept) */
const driverOfSpec = new Map<string, DbDriver | null>();

export function dbDriverOfModule(spec: string): DbDriver | undefined {
  let d = driverOfSpec.get(spec);
  if (d === undefined) {
    d = null;
    for (const [re, driver] of DB_MODULES) if (re.test(spec)) { d = driver; break; }
    if (driverOfSpec.size >= 5000) driverOfSpec.clear();
    driverOfSpec.set(ownCopy(spec), d);
  }
  return d ?? undefined;
}

const FRAMEWORKS: Record<string, WebFramework> = {
  express: 'express', fastify: 'fastify', koa: 'koa', hono: 'hono', '@koa/router': 'koa', 'koa-router': 'koa',
};

const STRING = ts.SyntaxKind.StringLiteral, TEMPLATE = ts.SyntaxKind.NoSubstitutionTemplateLiteral, NUMBER = ts.SyntaxKind.NumericLiteral;
/**
 * An object literal of more properties than this is a table (of messages, translations), not an options object: the
 * module facts leave out its string values (valueOf). Strapi's admin ships 76 translation tables of 470 to 830
 * properties; outside minified files, no other object literal of the 17 apps of the noise corpus has over 190.
 */
export const TABLE_PROPS = 256;

const METHODS = new Set<string>(['get', 'post', 'put', 'patch', 'delete', 'all', 'head', 'options']);

/** Headers that only a security-header middleware sets. */
const SECURITY_HEADERS = /^(content-security-policy|strict-transport-security|x-content-type-options|x-frame-options|referrer-policy|permissions-policy|cross-origin-opener-policy)$/i;
/** Calls that take an app or router without configuring it in a way the model needs to follow. */
const NOT_PASSING = new Set(['createServer', 'listen', 'serve', 'handle', 'use', 'route', 'require', 'push', 'log', 'info', 'warn', 'error', 'debug']);

/** Names of functions that decide CORS origins (`corsOrigin`, `checkOrigin`, `(origin, callback) => …`). */
const ORIGIN_FN = /origin|cors/i;

const isRelative = (spec: string) => spec.startsWith('.') || spec.startsWith('/');

/** Fastify hooks that run before a route's handler, in Fastify's order; where authentication usually sits. */
const FASTIFY_HOOKS = ['onRequest', 'preParsing', 'preValidation', 'preHandler'];

function isFunctionNode(n: ts.Node): n is ts.FunctionDeclaration | ts.FunctionExpression | ts.ArrowFunction | ts.MethodDeclaration {
  return ts.isFunctionDeclaration(n) || ts.isFunctionExpression(n) || ts.isArrowFunction(n) || ts.isMethodDeclaration(n);
}

/** A node's text as written, its whitespace runs as one space, cut at 80 characters (shortText). */
function shortened(node: ts.Node, sf: ts.SourceFile): string {
  return shortText(sf.text, node.getStart(sf), node.getEnd());
}

/** `require('x')` / `require('x').y` / `await import('x')`: the module and the member taken, if any. */
function requireOf(expr: ts.Expression): { spec: string; member?: string } | undefined {
  let e = unwrap(expr);
  if (ts.isAwaitExpression(e)) e = unwrap(e.expression);
  let member: string | undefined;
  if (ts.isPropertyAccessExpression(e) && ts.isCallExpression(unwrap(e.expression))) { member = e.name.text; e = unwrap(e.expression); }
  if (ts.isCallExpression(e) && e.arguments.length === 1) {
    const callee = unwrap(e.expression);
    if ((ts.isIdentifier(callee) && callee.text === 'require') || callee.kind === ts.SyntaxKind.ImportKeyword) {
      const spec = literalText(e.arguments[0]);
      if (spec) return { spec, member };
    }
  }
  return undefined;
}

/** The module name under a Next.js `app/` folder's route file, as the URL path (`app/api/users/[id]/route.ts` → `/api/users/[id]`). */
function nextRouteOf(file: string, sf: ts.SourceFile): ModuleFacts['nextRoute'] {
  // (most files are neither: a route file is named `route.*`, an API route's path holds `pages/api`)
  if (!file.startsWith('route.', file.lastIndexOf('/') + 1) && !file.includes('pages/api')) return undefined;
  const parts = file.split('/');
  const appIdx = parts.lastIndexOf('app');
  const pagesIdx = parts.lastIndexOf('pages');
  const base = parts[parts.length - 1];
  if (appIdx >= 0 && appIdx < parts.length - 1 && /^route\.[cm]?[jt]sx?$/.test(base)) {
    const segs = parts.slice(appIdx + 1, -1).filter((s) => !/^\(.*\)$/.test(s) && !s.startsWith('@'));
    const methods: string[] = [];
    for (const st of sf.statements) {
      const mods = ts.canHaveModifiers(st) ? ts.getModifiers(st) : undefined;
      if (!mods?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) continue;
      if (ts.isFunctionDeclaration(st) && st.name && /^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)$/.test(st.name.text)) methods.push(st.name.text);
      if (ts.isVariableStatement(st)) for (const d of st.declarationList.declarations) if (ts.isIdentifier(d.name) && /^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)$/.test(d.name.text)) methods.push(d.name.text);
    }
    return { path: `/${segs.join('/')}`, methods, pagesApi: false };
  }
  if (pagesIdx >= 0 && parts[pagesIdx + 1] === 'api') {
    const segs = parts.slice(pagesIdx + 1);
    segs[segs.length - 1] = segs[segs.length - 1].replace(/\.[cm]?[jt]sx?$/, '');
    if (segs[segs.length - 1] === 'index') segs.pop();
    return { path: `/${segs.join('/')}`, methods: ['all'], pagesApi: true };
  }
  return undefined;
}

/**
 * Facts of one parsed file. `file` is the path the engine uses for it. `walked`: the tree has parent pointers and
 * these are its nodes in document order, calls among them (the analysis's walk): read instead of walking the tree;
 * `calls`, when the caller has them: the calls among those nodes, in the same order (FileFunctions.allCalls of the
 * summary, which made its list from the same nodes), read instead of going through every node for them.
 * `lazySession`: the cookie and session facts (a walk of their own) are read when first asked for, for facts that
 * stay in memory (a file analysed alone: only missing-csrf-protection asks, and only when the file has routes);
 * never for facts that are stored or sent, which must be plain data.
 */
export function extractModuleFacts(sf: ts.SourceFile, file: string, walked?: { nodes: readonly ts.Node[]; calls?: readonly ts.CallExpression[]; lazySession?: boolean }): ModuleFacts {
  const imports: ImportFact[] = [];
  const bindings = new Map<string, { spec: string; imported: string }>();
  const locals: Record<string, ValueFact> = {};
  const exports: Record<string, ValueFact> = {};
  const reexports: ModuleFacts['reexports'] = [];
  const mounts: MountFact[] = [];
  const listens: string[] = [];
  const passes = new Set<string>();
  let headersByHand = false;
  let cjs = false;
  /** an app was stored in `locals` (a later binding of the same name may have replaced it) */
  let appStored = false;

  let fileLines: FileLines | undefined;
  /** the 1-based line of a position */
  const lineOf = (pos: number) => (fileLines ??= new FileLines(sf)).line(pos) + 1;
  const addImport = (spec: string, names: Record<string, string>) => {
    imports.push({ spec, names });
    // (its keys, not its entries: no array for each name)
    const keys = Object.keys(names);
    for (let i = 0; i < keys.length; i++) bindings.set(keys[i], { spec, imported: names[keys[i]] });
  };

  /** whether the file writes an error code somewhere (`error: 'invalid-password'`): asked once, at its first function */
  let codeFile: boolean | undefined;
  /** a called name: an import of another module, or a binding of this one */
  const calleeFact = (name: string): ValueFact => {
    const b = bindings.get(name);
    return b ? { k: 'ref', spec: b.spec, imported: b.imported } : { k: 'local', name };
  };
  const fnValue = (node: ts.Node, name?: string, originProp = false): ValueFact => {
    const isFn = isFunctionNode(node);
    const p0 = isFn ? node.parameters[0] : undefined;
    const p0Name = p0 && ts.isIdentifier(p0.name) ? p0.name.text : undefined;
    // a CORS origin function other modules may pass to cors(): whether it waves every origin through
    let origin: 'any' | 'checked' | undefined;
    if (isFn && (originProp || ORIGIN_FN.test(name ?? '') || ORIGIN_FN.test(p0Name ?? ''))) {
      const kind = corsOriginFunctionKind(node);
      origin = kind === 'reflect' ? 'any' : kind === 'restricted' ? 'checked' : undefined;
    }
    // (built a key at a time, in the order of the type, not from spreads: one for every function of every file)
    const start = node.getStart(sf);
    const v: Extract<ValueFact, { k: 'fn' }> = name ? { k: 'fn', name, start, end: node.getEnd(), line: lineOf(start) } : { k: 'fn', start, end: node.getEnd(), line: lineOf(start) };
    if (p0Name) v.param0 = p0Name;
    // a function that answers with error codes (`return { error: 'invalid-password' }`), in a file that writes one
    if (isFn && (codeFile ??= ERROR_CODE.test(sf.text))) {
      const sources = errorCodeSources(node);
      const via = sources?.map((c) => ts.isIdentifier(c.expression) ? calleeFact(c.expression.text) : undefined);
      if (via && via.every((x) => x !== undefined)) {
        v.codes = true;
        if (via.length) v.codesVia = via as ValueFact[];
      }
    }
    if (origin) {
      const { col, endLine, endCol } = spanOf(node);
      v.origin = origin;
      v.col = col;
      v.endLine = endLine;
      v.endCol = endCol;
    }
    return v;
  };

  const spanOf = (node: ts.Node): Span => {
    const start = node.getStart(sf);
    const end = node.getEnd();
    const lines = (fileLines ??= new FileLines(sf));
    const a = lines.line(start);
    const b = lines.line(end);
    return { start, end, line: a + 1, col: lines.character(start, a) + 1, endLine: b + 1, endCol: lines.character(end, b) + 1 };
  };

  /** A literal (or an array of them) written as a property's value: what an options object says (`origin: true`). */
  const literalValue = (expr: ts.Expression): ValueFact | undefined => {
    const e = unwrap(expr);
    if (e.kind === ts.SyntaxKind.TrueKeyword) return { k: 'lit', value: true };
    if (e.kind === ts.SyntaxKind.FalseKeyword) return { k: 'lit', value: false };
    if (e.kind === ts.SyntaxKind.NullKeyword) return { k: 'lit', value: null };
    if (ts.isRegularExpressionLiteral(e)) return { k: 'lit', value: e.text, regex: true };
    const t = literalText(e);
    if (t !== undefined) return t.length > 100 ? undefined : { k: 'lit', value: t };
    if (ts.isArrayLiteralExpression(e)) {
      const items: ValueFact[] = [];
      for (const el of e.elements.slice(0, 10)) { const v = ts.isSpreadElement(el) ? undefined : literalValue(el); if (v) items.push(v); }
      return { k: 'array', items };
    }
    return undefined;
  };

  /** An object that is one side of a ternary or a fallback (`isDev ? { origin: true } : { origin: list }`): not certain. */
  const alt = (v: ValueFact | undefined): ValueFact | undefined => (v?.k === 'object' ? { ...v, alt: true } : v);

  const deref = (v: ValueFact | undefined): ValueFact | undefined => (v?.k === 'local' ? locals[v.name] ?? v : v);

  /** What an expression is, as far as this file tells. */
  const valueOf = (expr: ts.Expression | undefined, depth = 0): ValueFact | undefined => {
    if (!expr || depth > 6) return undefined;
    const e = unwrap(expr);
    // strings and numbers are nothing here (none of the tests below takes them): the values of tables of messages
    const kind = e.kind;
    if (kind === STRING || kind === TEMPLATE || kind === NUMBER) return undefined;
    if (ts.isAwaitExpression(e)) return valueOf(e.expression, depth + 1);
    if (ts.isArrowFunction(e) || ts.isFunctionExpression(e)) return fnValue(e, ts.isFunctionExpression(e) && e.name ? e.name.text : undefined);
    if (ts.isIdentifier(e)) {
      const b = bindings.get(e.text);
      if (b) return { k: 'ref', spec: b.spec, imported: b.imported };
      // by name, so that the model keeps the identity of apps and routers (`module.exports = router`)
      return { k: 'local', name: e.text };
    }
    if (ts.isBinaryExpression(e) && (e.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || e.operatorToken.kind === ts.SyntaxKind.BarBarToken)) {
      // `globalThis.prisma ?? new PrismaClient()`: the side that is something known
      const r = valueOf(e.right, depth + 1);
      if (r && (r.k !== 'local' || locals[r.name]) && r.k !== 'member') return alt(r);
      return alt(valueOf(e.left, depth + 1));
    }
    if (ts.isConditionalExpression(e)) {
      const a = valueOf(e.whenTrue, depth + 1);
      if (a && (a.k !== 'local' || locals[a.name]) && a.k !== 'member') return alt(a);
      return alt(valueOf(e.whenFalse, depth + 1));
    }
    if (ts.isObjectLiteralExpression(e)) {
      const props: Record<string, ValueFact> = {};
      let spread = false;
      // literals and where it is written: only for objects at the top of a binding or an export, or one level in
      // (`module.exports = { corsOptions: {…} }`): options objects, not the deep trees of config and messages
      const shallow = depth <= 1;
      // nor the strings of a table (over TABLE_PROPS properties: messages, translations): no options object is that
      // large, and the labels of a built front-end's translation tables were two thirds of its facts
      const strings = shallow && e.properties.length <= TABLE_PROPS;
      for (const p of e.properties) {
        if (ts.isShorthandPropertyAssignment(p)) { const v = valueOf(p.name, depth + 1); if (v) props[p.name.text] = v; else if (Object.hasOwn(props, p.name.text)) delete props[p.name.text]; }
        else if (ts.isPropertyAssignment(p)) {
          const n = propertyNameText(p.name);
          if (!n) continue;
          const init = unwrap(p.initializer);
          const ik = init.kind;
          // a string or a number written as is (tables of messages: thousands of them): what valueOf (nothing) and
          // literalValue give, without their tests
          const v = ik === STRING || ik === TEMPLATE ? (strings && (init as ts.StringLiteral).text.length <= 100 ? { k: 'lit' as const, value: (init as ts.StringLiteral).text } : undefined)
            : ik === NUMBER ? undefined
            : n === 'origin' && (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) ? fnValue(init, undefined, true)
            : valueOf(p.initializer, depth + 1) ?? (shallow ? literalValue(p.initializer) : undefined);
          // (a later property of the same name that is nothing takes the earlier one's place; `delete` is only asked when
          // there is one: in a table of thousands of strings, a delete per property cost more than the rest of its pass)
          if (v) props[n] = v; else if (Object.hasOwn(props, n)) delete props[n];
        } else if (ts.isMethodDeclaration(p)) { const n = propertyNameText(p.name); if (n) props[n] = fnValue(p, n, n === 'origin'); }
        else if (ts.isSpreadAssignment(p)) spread = true;
      }
      if (!shallow) return { k: 'object', props, ...(spread ? { spread: true } : {}) };
      const { start, end, line, col } = spanOf(e);
      return { k: 'object', props, ...(spread ? { spread: true } : {}), at: { start, end, line, col } };
    }
    const req = requireOf(e);
    if (req) {
      const d = dbDriverOfModule(req.spec);
      if (d && !req.member) return { k: 'ref', spec: req.spec, imported: '*' };
      return { k: 'ref', spec: req.spec, imported: req.member ?? '*' };
    }
    if (ts.isCallExpression(e) || ts.isNewExpression(e)) return callValue(e, depth);
    if (ts.isPropertyAccessExpression(e)) {
      const base = deref(valueOf(e.expression, depth + 1));
      if (base?.k === 'db') return base; // `client.db`, `pool.promise` stay the same client
      // (own properties only: `o.constructor` or `o.toString` is not a fact of the literal)
      if (base?.k === 'object' && Object.hasOwn(base.props, e.name.text) && base.props[e.name.text]) return base.props[e.name.text];
      if (base?.k === 'ref') return { k: 'member', chain: `${e.expression.getText(sf)}.${e.name.text}`, spec: base.spec, imported: base.imported };
      return { k: 'member', chain: shortened(e, sf) };
    }
    return undefined;
  };

  const callValue = (call: ts.CallExpression | ts.NewExpression, depth: number): ValueFact | undefined => {
    const callee = unwrap(call.expression);
    // require('knex')({…}) / require('express')()
    const inner = requireOf(callee);
    let root: { spec: string; imported: string } | undefined;
    let rootLocal: ValueFact | undefined;
    const path: string[] = [];
    if (inner) root = { spec: inner.spec, imported: inner.member ?? '*' };
    else {
      let n: ts.Expression = callee;
      for (let i = 0; i < 8; i++) {
        n = unwrap(n);
        if (ts.isPropertyAccessExpression(n)) { path.unshift(n.name.text); n = n.expression; continue; }
        if (ts.isCallExpression(n) || ts.isNewExpression(n)) { n = n.expression; continue; }
        break;
      }
      n = unwrap(n);
      if (ts.isIdentifier(n)) {
        root = bindings.get(n.text);
        if (!root) rootLocal = locals[n.text];
      }
    }
    const name = calleeName(call) ?? '';
    // koa-router: `router.routes()` / `router.middleware()` mount the router itself
    if ((name === 'routes' || name === 'middleware') && ts.isCallExpression(call) && !call.arguments.length && ts.isPropertyAccessExpression(callee) && ts.isIdentifier(unwrap(callee.expression))) {
      const r = valueOf(callee.expression, depth + 1);
      const d = deref(r);
      if (r?.k === 'ref' || d?.k === 'router') return r;
    }
    // `fp(async (fastify) => {…})`, fastify-plugin's wrapper: the plugin function itself
    if (root?.spec === 'fastify-plugin' && ts.isCallExpression(call) && call.arguments[0]) {
      const f = valueOf(call.arguments[0], depth + 1);
      if (f) return f;
    }
    rootLocal = deref(rootLocal);
    if (rootLocal?.k === 'db') return rootLocal; // `pool.promise()`, `client.db('app')`
    if (rootLocal?.k === 'app' || rootLocal?.k === 'router') return undefined;
    if (!root) return { k: 'call', callee: name };
    const spec = root.spec;
    if (isRelative(spec) || spec.startsWith('@/') || spec.startsWith('~/')) {
      return { k: 'call', callee: name, spec, imported: root.imported };
    }
    const driver = dbDriverOfModule(spec);
    if (driver) return { k: 'db', driver, lib: spec };
    const fw = FRAMEWORKS[spec];
    const start = call.getStart(sf);
    const at = { start, end: call.getEnd(), line: lineOf(start) };
    if (fw) {
      if (/^Router$/.test(name) || ((spec === '@koa/router' || spec === 'koa-router') && ts.isNewExpression(call))) {
        const opts = call.arguments?.[0] ? unwrap(call.arguments[0]) : undefined;
        const pre = opts && ts.isObjectLiteralExpression(opts) ? opts.properties.find((p) => ts.isPropertyAssignment(p) && propertyNameText(p.name) === 'prefix') : undefined;
        const prefix = pre && ts.isPropertyAssignment(pre) ? literalText(pre.initializer) : undefined;
        return { k: 'router', fw, at, ...(prefix && prefix.startsWith('/') ? { prefix } : {}) };
      }
      if (ts.isNewExpression(call) && /^(Koa|Hono)$/.test(name)) return { k: 'app', fw, at };
      if (path.length === 0 && ts.isCallExpression(call)) return { k: 'app', fw, at };
      if (path.length === 0 && ts.isNewExpression(call) && (fw === 'koa' || fw === 'hono')) return { k: 'app', fw, at };
      return { k: 'mw', lib: spec, call: name };
    }
    return { k: 'mw', lib: spec, call: name };
  };

  // imports and top-level bindings, in order (a later binding can use an earlier one)
  const statements = sf.statements;
  for (let i = 0; i < statements.length; i++) {
    const st = statements[i];
    if (ts.isImportDeclaration(st)) {
      const spec = literalText(st.moduleSpecifier);
      if (!spec) continue;
      const names: Record<string, string> = {};
      const clause = st.importClause;
      if (clause?.name) names[clause.name.text] = 'default';
      const nb = clause?.namedBindings;
      if (nb && ts.isNamespaceImport(nb)) names[nb.name.text] = '*';
      if (nb && ts.isNamedImports(nb)) for (const el of nb.elements) names[el.name.text] = el.propertyName ? propertyNameText(el.propertyName) ?? el.name.text : el.name.text;
      addImport(spec, names);
    } else if (ts.isImportEqualsDeclaration(st) && ts.isExternalModuleReference(st.moduleReference)) {
      const spec = literalText(st.moduleReference.expression);
      if (spec) addImport(spec, { [st.name.text]: '*' });
    } else if (ts.isVariableStatement(st)) {
      const exported = st.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
      for (const d of st.declarationList.declarations) {
        if (!d.initializer) continue;
        const req = requireOf(d.initializer);
        if (req) {
          if (ts.isIdentifier(d.name)) addImport(req.spec, { [d.name.text]: req.member ?? '*' });
          else if (ts.isObjectBindingPattern(d.name)) {
            const names: Record<string, string> = {};
            for (const el of d.name.elements) {
              if (!ts.isIdentifier(el.name)) continue;
              names[el.name.text] = el.propertyName ? propertyNameText(el.propertyName) ?? el.name.text : el.name.text;
            }
            addImport(req.spec, names);
          }
          continue;
        }
        if (!ts.isIdentifier(d.name)) continue;
        const v = valueOf(d.initializer);
        if (v && (v.k !== 'local' || v.name !== d.name.text)) {
          locals[d.name.text] = v.k === 'fn' ? { ...v, name: d.name.text } : v;
          if (v.k === 'app') appStored = true;
        }
        if (exported && v) exports[d.name.text] = { k: 'local', name: d.name.text };
      }
    } else if (ts.isFunctionDeclaration(st) && st.name) {
      locals[st.name.text] = fnValue(st, st.name.text);
      const mods = st.modifiers;
      if (mods?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) {
        exports[mods.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword) ? 'default' : st.name.text] = { k: 'local', name: st.name.text };
      }
    } else if (ts.isExpressionStatement(st)) {
      const req = requireOf(st.expression);
      if (req) imports.push({ spec: req.spec, names: {} });
    }
  }

  // exports (after the bindings, so `module.exports = { pool }` sees `pool`)
  const setExport = (name: string, v: ValueFact | undefined) => { if (v) exports[name] = v; };
  for (let i = 0; i < statements.length; i++) {
    const st = statements[i];
    if (ts.isExportAssignment(st) && !st.isExportEquals) setExport('default', valueOf(st.expression));
    else if (ts.isExportAssignment(st)) { cjs = true; setExport('default', valueOf(st.expression)); }
    else if (ts.isExportDeclaration(st)) {
      const spec = st.moduleSpecifier ? literalText(st.moduleSpecifier) : undefined;
      const clause = st.exportClause;
      if (spec) {
        if (!clause) reexports.push({ spec });
        else if (ts.isNamedExports(clause)) {
          const names: Record<string, string> = {};
          for (const el of clause.elements) names[el.name.text] = el.propertyName ? propertyNameText(el.propertyName) ?? el.name.text : el.name.text;
          reexports.push({ spec, names });
        }
      } else if (clause && ts.isNamedExports(clause)) {
        for (const el of clause.elements) {
          const localName = el.propertyName ? propertyNameText(el.propertyName) ?? el.name.text : el.name.text;
          const b = bindings.get(localName);
          setExport(el.name.text, b ? { k: 'ref', spec: b.spec, imported: b.imported } : { k: 'local', name: localName });
        }
      }
    } else if (ts.isExpressionStatement(st) && ts.isBinaryExpression(st.expression) && st.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      const left = unwrap(st.expression.left);
      const right = st.expression.right;
      // module.exports = X
      if (ts.isPropertyAccessExpression(left) && ts.isIdentifier(left.expression) && left.expression.text === 'module' && left.name.text === 'exports') {
        cjs = true;
        const v = valueOf(right);
        setExport('default', v);
        if (v?.k === 'object') for (const [n, pv] of Object.entries(v.props)) setExport(n, pv);
        continue;
      }
      // exports.x = X / module.exports.x = X
      if (ts.isPropertyAccessExpression(left)) {
        const obj = unwrap(left.expression);
        const isExports = (ts.isIdentifier(obj) && obj.text === 'exports') ||
          (ts.isPropertyAccessExpression(obj) && ts.isIdentifier(obj.expression) && obj.expression.text === 'module' && obj.name.text === 'exports');
        if (isExports) { cjs = true; setExport(left.name.text, valueOf(right)); }
      }
    }
  }

  // route and `use` calls anywhere (routes are often declared inside a function that receives the app)
  const argFacts = (args: readonly ts.Expression[]): ArgFact[] => args.map((a) => {
    const start = a.getStart(sf);
    return {
      value: valueOf(a) ?? { k: 'call', callee: '' }, start, end: a.getEnd(),
      line: lineOf(start), text: shortened(a, sf),
    };
  });
  // the functions around the node being visited (the tree has no parent links: it is parsed without them)
  const fnStack: (ts.FunctionDeclaration | ts.FunctionExpression | ts.ArrowFunction | ts.MethodDeclaration)[] = [];
  const visit = (node: ts.Node): void => {
    const fn = isFunctionNode(node);
    if (fn) fnStack.push(node);
    if (ts.isCallExpression(node)) onCall(node);
    ts.forEachChild(node, visit);
    if (fn) fnStack.pop();
  };
  const onCall = (call: ts.CallExpression) => {
    const callee = unwrap(call.expression);
    const cname = calleeName(call);
    // a session library takes the app to sign its cookies (`session(CONFIG, app)`, koa-session): it mounts nothing
    if ((!cname || (!NOT_PASSING.has(cname) && !METHODS.has(cname))) && !(ts.isIdentifier(callee) && SESSION_LIBS.test(bindings.get(callee.text)?.spec ?? ''))) {
      const args = call.arguments;
      for (let i = 0; i < args.length; i++) {
        const u = unwrap(args[i]);
        if (ts.isIdentifier(u) && (bindings.has(u.text) || locals[u.text]?.k === 'app' || locals[u.text]?.k === 'router')) passes.add(u.text);
      }
    }
    // Hono and other fetch-style apps start where their fetch handler is served: `serve(app)`,
    // `serve({ fetch: app.fetch })` (@hono/node-server), `Bun.serve(…)`, `Deno.serve(app.fetch)`, `handle(app)`
    if (cname === 'serve' || cname === 'handle') {
      for (const a of call.arguments) {
        const u = unwrap(a);
        if (ts.isIdentifier(u)) listens.push(u.text);
        else if (ts.isPropertyAccessExpression(u) && u.name.text === 'fetch' && ts.isIdentifier(u.expression)) listens.push(u.expression.text);
        else if (ts.isObjectLiteralExpression(u)) {
          for (const p of u.properties) {
            const v = ts.isPropertyAssignment(p) && propertyNameText(p.name) === 'fetch' ? unwrap(p.initializer) : undefined;
            if (v && ts.isPropertyAccessExpression(v) && v.name.text === 'fetch' && ts.isIdentifier(v.expression)) listens.push(v.expression.text);
          }
        }
      }
      return;
    }
    if (!ts.isPropertyAccessExpression(callee)) {
      // http.createServer(app) written without a receiver (`createServer(app)`)
      if (ts.isIdentifier(callee) && callee.text === 'createServer') for (const a of call.arguments) { const u = unwrap(a); if (ts.isIdentifier(u)) listens.push(u.text); }
      return;
    }
    // koa-router's `del` is its `delete`
    const name = callee.name.text === 'del' ? 'delete' : callee.name.text;
    // Hono's `app.route('/api', users)`: a sub-app mounted under a path, as Express's `app.use('/api', router)`
    if (name === 'route' && call.arguments.length === 2 && literalText(call.arguments[0]) !== undefined && ts.isIdentifier(unwrap(call.arguments[1]))) {
      const recv = unwrap(callee.expression);
      const base = ts.isIdentifier(recv) && locals[recv.text]?.k === 'app' && (locals[recv.text] as { fw: string }).fw === 'hono' ? mountBase(call, recv) : undefined;
      if (base) mounts.push({ ...base, method: 'use', path: literalText(call.arguments[0])!, args: argFacts([call.arguments[1]]) });
      return;
    }
    if ((name === 'setHeader' || name === 'set' || name === 'header' || name === 'append') && call.arguments[0]) {
      const h = literalText(call.arguments[0]);
      const obj = unwrap(call.arguments[0]);
      if ((h && SECURITY_HEADERS.test(h)) || (ts.isObjectLiteralExpression(obj) && obj.properties.some((p) => SECURITY_HEADERS.test(propertyNameText(p.name) ?? '')))) headersByHand = true;
    }
    if (name === 'createServer') { for (const a of call.arguments) { const u = unwrap(a); if (ts.isIdentifier(u)) listens.push(u.text); } return; }
    let recvExpr = unwrap(callee.expression);
    if (name === 'listen') { if (ts.isIdentifier(recvExpr)) listens.push(recvExpr.text); return; }
    if (name === 'register' || name === 'addHook' || (name === 'route' && call.arguments.length === 1 && ts.isObjectLiteralExpression(unwrap(call.arguments[0])))) {
      onFastify(call, name, recvExpr);
      return;
    }
    if (name !== 'use' && !METHODS.has(name)) return;
    // router.route('/x').get(…).post(…)
    let routePath: string | undefined;
    for (let i = 0; i < 10 && ts.isCallExpression(recvExpr); i++) {
      const c = unwrap(recvExpr.expression);
      if (!ts.isPropertyAccessExpression(c)) break;
      if (c.name.text === 'route') { routePath = literalText(recvExpr.arguments[0]); recvExpr = unwrap(c.expression); break; }
      if (!METHODS.has(c.name.text)) break;
      recvExpr = unwrap(c.expression);
    }
    const base = mountBase(call, recvExpr);
    if (!base) return;
    const args = [...call.arguments];
    if (name === 'use') {
      const p = args.length > 1 ? literalText(args[0]) : undefined;
      if (p !== undefined) args.shift();
      if (!args.length) return;
      mounts.push({ ...base, method: 'use', ...(p !== undefined ? { path: p } : {}), args: argFacts(args) });
      return;
    }
    let path = routePath;
    if (path === undefined) {
      if (args.length < 2) return;
      path = literalText(args[0]);
      // koa-router's named routes: `router.get('user', '/users/:id', handler)`
      if (path !== undefined && !path.startsWith('/') && args.length >= 3) {
        const second = literalText(args[1]);
        if (second?.startsWith('/')) { path = second; args.shift(); }
      }
      if (path === undefined || !(path.startsWith('/') || path === '*')) return;
      args.shift();
    } else if (!args.length) return;
    // Fastify's route options (`{ preHandler: [auth], schema }`) before the handler: their hooks are the chain
    let schema = false;
    if (args.length >= 2) {
      const opts = unwrap(args[0]);
      if (ts.isObjectLiteralExpression(opts)) { schema = hasInputSchema(opts); args.splice(0, 1, ...routeHooks(opts)); }
    }
    mounts.push({ ...base, method: name as HttpMethod, path, args: argFacts(args), ...(schema ? { schema: true as const } : {}) });
  };

  /** Where a `use`/route call is, and who receives it: a binding of the file, `this`, or a function's first parameter. */
  const mountBase = (call: ts.CallExpression, recvExpr: ts.Expression): Omit<MountFact, 'method' | 'args'> | undefined => {
    if (!ts.isIdentifier(recvExpr) && recvExpr.kind !== ts.SyntaxKind.ThisKeyword) return undefined;
    const recv = ts.isIdentifier(recvExpr) ? recvExpr.text : 'this';
    const start = call.getStart(sf);
    let recvParamOf: number | undefined;
    if (ts.isIdentifier(recvExpr) && !bindings.has(recv) && !locals[recv]) {
      // the nearest function with a parameter of that name: only its first parameter makes it a plugin instance
      const paramOf = (p: ts.FunctionDeclaration | ts.FunctionExpression | ts.ArrowFunction | ts.MethodDeclaration): boolean => {
        const i = p.parameters.findIndex((q) => ts.isIdentifier(q.name) && q.name.text === recv);
        if (i < 0) return false;
        if (i === 0) recvParamOf = p.getStart(sf);
        return true;
      };
      if (walked) {
        // the functions around the call, innermost first, by the parent pointers (what fnStack holds in a walk)
        for (let p: ts.Node | undefined = call.parent; p; p = p.parent) if (isFunctionNode(p) && paramOf(p)) break;
      } else {
        for (let k = fnStack.length - 1; k >= 0; k--) if (paramOf(fnStack[k])) break;
      }
    }
    return { recv, start, end: call.getEnd(), line: lineOf(start), ...(recvParamOf !== undefined ? { recvParamOf } : {}) };
  };

  /** Route options with a `schema` for the body or query (a shared schema object counts). */
  const hasInputSchema = (opts: ts.ObjectLiteralExpression): boolean => opts.properties.some((q) => {
    if (propertyNameText(q.name as ts.PropertyName) !== 'schema') return false;
    const v = ts.isPropertyAssignment(q) ? unwrap(q.initializer) : undefined;
    if (!v || !ts.isObjectLiteralExpression(v)) return true;
    return v.properties.some((x) => /^(body|querystring|query)$/.test(propertyNameText(x.name as ts.PropertyName) ?? ''));
  });

  /** The hook functions in Fastify route options, in the order Fastify runs them. */
  const routeHooks = (opts: ts.ObjectLiteralExpression): ts.Expression[] => {
    const out: ts.Expression[] = [];
    for (const hook of FASTIFY_HOOKS) {
      const p = opts.properties.find((q) => ts.isPropertyAssignment(q) && propertyNameText(q.name) === hook);
      if (!p || !ts.isPropertyAssignment(p)) continue;
      const v = unwrap(p.initializer);
      if (ts.isArrayLiteralExpression(v)) out.push(...v.elements.filter((e) => !ts.isSpreadElement(e)));
      else out.push(v);
    }
    return out;
  };

  /**
   * Fastify: `app.register(plugin, { prefix })` mounts a plugin like `use` mounts a router; `app.addHook('onRequest',
   * fn)` runs `fn` before every route of that instance like `use(fn)`; `app.route({ method, url, preHandler, handler })`.
   */
  const onFastify = (call: ts.CallExpression, name: string, recvExpr: ts.Expression) => {
    const base = mountBase(call, recvExpr);
    if (!base) return;
    const [a0, a1] = call.arguments;
    if (name === 'register') {
      if (!a0) return;
      const opts = a1 ? unwrap(a1) : undefined;
      const pre = opts && ts.isObjectLiteralExpression(opts) ? opts.properties.find((p) => ts.isPropertyAssignment(p) && propertyNameText(p.name) === 'prefix') : undefined;
      const prefix = pre && ts.isPropertyAssignment(pre) ? literalText(pre.initializer) : undefined;
      // `register(import('./routes/users'))` and `register(require('./routes/users'))`: the module's plugin
      mounts.push({ ...base, method: 'use', ...(prefix?.startsWith('/') ? { path: prefix } : {}), args: argFacts([a0]), register: true });
      return;
    }
    if (name === 'addHook') {
      const hook = literalText(a0);
      if (!hook || !FASTIFY_HOOKS.includes(hook) || !a1) return;
      mounts.push({ ...base, method: 'use', args: argFacts([a1]) });
      return;
    }
    // route({ method: 'POST', url: '/x', preHandler, handler })
    const o = unwrap(a0) as ts.ObjectLiteralExpression;
    const prop = (k: string) => { const p = o.properties.find((q) => ts.isPropertyAssignment(q) && propertyNameText(q.name) === k); return p && ts.isPropertyAssignment(p) ? p.initializer : undefined; };
    const url = literalText(prop('url') ?? prop('path'));
    const handler = prop('handler') ?? o.properties.find((q) => ts.isMethodDeclaration(q) && propertyNameText(q.name) === 'handler');
    if (!url?.startsWith('/') || !handler) return;
    const m = prop('method');
    const methods = m && ts.isArrayLiteralExpression(unwrap(m)) ? (unwrap(m) as ts.ArrayLiteralExpression).elements.map((e) => literalText(e)) : [literalText(m)];
    const hooks = argFacts(routeHooks(o));
    const h = ts.isMethodDeclaration(handler) ? { value: fnValue(handler, 'handler'), start: handler.getStart(sf), end: handler.getEnd(), line: lineOf(handler.getStart(sf)), text: 'handler' } : argFacts([handler as ts.Expression])[0];
    for (const meth of methods) {
      const lower = meth?.toLowerCase();
      if (lower && METHODS.has(lower)) mounts.push({ ...base, method: lower as HttpMethod, path: url, args: [...hooks, h], ...(hasInputSchema(o) ? { schema: true as const } : {}) });
    }
  };
  if (walked?.calls) {
    const calls = walked.calls;
    for (let i = 0; i < calls.length; i++) onCall(calls[i]);
  } else if (walked) {
    const CALL = ts.SyntaxKind.CallExpression;
    // (an index, not for…of: this loop runs over every node of every file, much of it before the code is optimised,
    // where each step of an iterator is an object)
    const nodes = walked.nodes;
    for (let i = 0; i < nodes.length; i++) if (nodes[i].kind === CALL) onCall(nodes[i] as ts.CallExpression);
  } else visit(sf);

  // a fetch-style app exported for its runtime to serve (Cloudflare Workers, Bun, Deno: `export default app`,
  // `export default { fetch: app.fetch }`)
  // (only files that create an app: no extra pass over the others)
  // (only a file that stored an app can still hold one: no list of the locals' values for the others)
  if (appStored && Object.values(locals).some((v) => v.k === 'app')) {
    for (const st of sf.statements) {
      if (!ts.isExportAssignment(st) || st.isExportEquals) continue;
      const e = unwrap(st.expression);
      if (ts.isIdentifier(e) && locals[e.text]?.k === 'app' && (locals[e.text] as { fw: string }).fw === 'hono') listens.push(e.text);
    }
    for (const m of sf.text.matchAll(/\bfetch\s*:\s*([A-Za-z_$][\w$]*)\.fetch\b/g)) if (locals[m[1]]?.k === 'app') listens.push(m[1]);
  }
  const nextRoute = nextRouteOf(file, sf);
  const nextPage = nextRoute ? undefined : nextPageOf(file, sf.text);
  // (the list of imports and re-exports only for a middleware file)
  const nextMiddleware = isMiddlewareFile(file) ? nextMiddlewareOf(file, sf, [...imports, ...reexports.map((r) => ({ spec: r.spec, names: {} }))]) : undefined;
  const session = walked?.lazySession ? undefined : extractSessionFacts(sf, imports, walked?.nodes);
  const nest = nestFactsOf(sf.text);
  const facts: ModuleFacts = {
    file, imports, exports, reexports, ...(cjs ? { cjs } : {}), locals, mounts, listens,
    ...(passes.size ? { passes: [...passes] } : {}),
    ...(headersByHand ? { headersByHand } : {}),
    ...(textSign(sf.text, 'servesPages') ? { servesPages: true } : {}),
    ...(nextRoute ? { nextRoute } : {}),
    ...(nextPage ? { nextPage } : {}),
    ...(nextMiddleware ? { nextMiddleware } : {}),
    ...(session ? { session } : {}),
    ...(nest ? { nest } : {}),
  };
  if (walked?.lazySession) {
    // read on first use (a getter: the key is there even when the value is undefined, after `nest`)
    let value: { session?: ModuleFacts['session'] } | undefined;
    Object.defineProperty(facts, 'session', {
      enumerable: true, configurable: true,
      get: () => (value ??= { session: extractSessionFacts(sf, imports, walked.nodes) }).session,
    });
  }
  return facts;
}

/** NestJS facts, read from the text: cheap, and what they look for has one spelling. */
function nestFactsOf(text: string): ModuleFacts['nest'] {
  if (!text.includes('@nestjs/')) return undefined;
  const nest: NonNullable<ModuleFacts['nest']> = {};
  if (/\bNestFactory\s*\.\s*create\w*\s*[<(]/.test(text)) nest.boots = true;
  if (/\.useGlobalGuards\s*\(|\bprovide\s*:\s*APP_GUARD\b/.test(text)) nest.globalGuard = true;
  // an auth middleware applied in a module (`consumer.apply(AuthMiddleware).forRoutes(…)`): which routes it covers
  // is not read, so it counts as covering all of them (quiet rather than wrong)
  for (const m of text.matchAll(/\.apply\s*\(([^)]{0,300})\)\s*\.\s*(?:exclude|forRoutes)\s*\(/g)) {
    if (/auth|jwt|session|passport|guard|token|clerk|login/i.test(m[1])) nest.globalGuard = true;
  }
  if (/@UseGuards\s*\(/.test(text)) nest.guards = true;
  if (/@Controller\s*\(/.test(text)) nest.controllers = true;
  const prefix = /\.setGlobalPrefix\s*\(\s*['"`]([^'"`$]*)['"`]/.exec(text);
  if (prefix) nest.prefix = prefix[1];
  // middleware applied in a module (`consumer.apply(CsrfMiddleware).forRoutes('*')`): what, and whether it covers every route
  const applies: NonNullable<NonNullable<ModuleFacts['nest']>['applies']> = [];
  for (let i = text.indexOf('.apply('); i >= 0 && applies.length < 20; i = text.indexOf('.apply(', i + 7)) {
    const args = balancedArgs(text, i + 6);
    if (args === undefined) continue;
    let j = i + 6 + args.length + 2;
    let all: boolean | undefined;
    let routes = '';
    // `.exclude(…)` then `.forRoutes(…)`: routes left out by `exclude` still count as covered (quiet rather than wrong)
    for (let k = 0; k < 2 && all === undefined; k++) {
      const m = /^\s*\.\s*(exclude|forRoutes)\s*\(/.exec(text.slice(j, j + 40));
      if (!m) break;
      const inner = balancedArgs(text, j + m[0].length - 1);
      if (inner === undefined) break;
      if (m[1] === 'forRoutes') routes = inner.trim().slice(0, 200);
      if (m[1] === 'forRoutes') all = /^\s*(['"`](\/?\*\w*|\/?\(\.\*\)|\/?\{\*\w+\})['"`]|\{\s*path\s*:\s*['"`](\/?\*\w*|\/?\(\.\*\))['"`])/.test(inner);
      j += m[0].length + inner.length + 1;
    }
    if (all !== undefined) applies.push({ text: args.trim().slice(0, 200), all, ...(all ? {} : { routes }) });
  }
  if (applies.length) nest.applies = applies;
  // guards registered for every route: `app.useGlobalGuards(new OriginGuard())`, `{ provide: APP_GUARD, useClass: X }`
  const globalGuards: string[] = [];
  for (let i = text.indexOf('useGlobalGuards('); i >= 0 && globalGuards.length < 20; i = text.indexOf('useGlobalGuards(', i + 16)) {
    const args = balancedArgs(text, i + 15);
    if (args?.trim()) globalGuards.push(args.trim().slice(0, 200));
  }
  for (let i = text.indexOf('APP_GUARD'); i >= 0 && globalGuards.length < 20; i = text.indexOf('APP_GUARD', i + 9)) {
    const open = text.lastIndexOf('{', i);
    const close = text.indexOf('}', i);
    if (open < 0 || close < 0 || i - open > 200 || close - i > 200) continue;
    const m = /\buse(?:Class|Existing)\s*:\s*([A-Za-z_$][\w$]*(?:\(\s*['"`][\w-]*['"`]\s*\))?)/.exec(text.slice(open, close));
    if (m) globalGuards.push(m[1]);
  }
  if (globalGuards.length) nest.globalGuards = globalGuards;
  return Object.keys(nest).length ? nest : undefined;
}

/** The text between the parenthesis at `open` and the one that closes it (strings are not read: an unbalanced one ends the search). */
function balancedArgs(text: string, open: number): string | undefined {
  if (text[open] !== '(') return undefined;
  let depth = 0;
  for (let k = open; k < text.length && k < open + 2000; k++) {
    const c = text[k];
    if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return text.slice(open + 1, k);
  }
  return undefined;
}
