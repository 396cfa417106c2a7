import { ts } from 'ts-morph';
import { ALL_LANGUAGES, defineRule, sameVisitor, type RuleContext } from '../../model/rule';
import type { TaintTrace } from '../../taint/taint';
import { calleeName, calleeObject, enclosingFunction, forEachNodeBelow, isFunctionLike, literalText, nameOf, unwrap } from '../../util/ast';
import { importOf } from '../../util/imports';
import { cookEscapes, includesAny } from '../../util/text';
import { textPrefilter } from '../../util/text-words';
import { EditSet, makeFix, tryFixes } from '../../fixes/edits';

/** the operators of the assignments the rule's visitor of binary expressions acts on: it returns at once on any other */
const OPERATORS = ['='];

/** Deep-merge and set-by-path libraries, by module. Every one of them had a prototype pollution bug, since fixed. */
const MERGE_MODULES = /^(lodash|lodash-es|underscore|lodash\.(merge|mergewith|defaultsdeep|set|setwith)|lodash\/(merge|mergeWith|defaultsDeep|set|setWith|zipObjectDeep)|deepmerge|merge-deep|mixin-deep|deep-extend|defaults-deep|merge|set-value|dot-prop|object-path|dset|deep-set|jquery|angular)$/;
/** Members of those libraries that write nested keys; `set`-like ones take the key path as the second argument. */
const DEEP_MERGES = new Set(['merge', 'mergeWith', 'defaultsDeep', 'extend', 'all', 'deepmerge', 'deepExtend']);
const PATH_SETTERS = new Set(['set', 'setWith', 'setProperty', 'zipObjectDeep']);
/** A function text that mentions one of these already rejects the dangerous keys (or has no prototype to reach). */
export const GUARD = /__proto__|['"`]constructor['"`]|['"`]prototype['"`]|Object\.create\(\s*null\s*\)|\bisSafeKey\b|\b(UNSAFE|FORBIDDEN|BLOCKED|DANGEROUS|RESERVED)_?KEYS\b|Object\.freeze\(\s*Object\.prototype\s*\)/;
/** words every match of GUARD holds: a text holding none is not asked the expression, which has no first letter to skip to */
const GUARD_WORDS = ['__proto__', 'constructor', 'prototype', 'Object.create(', 'isSafeKey', 'KEYS'];
/** GUARD.test, on a function's text (not the file's: not through the shared pass of util/text-words) */
export function guarded(text: string): boolean {
  return includesAny(text, GUARD_WORDS) && GUARD.test(text);
}

interface Gadget {
  fn: ts.FunctionLikeDeclaration;
  name: string;
  kind: 'merge' | 'path';
  /** the assignment `target[key] = …` that can reach Object.prototype */
  write: ts.BinaryExpression;
  key: ts.Identifier;
}

/** The name a function is called by: `function merge`, `const merge = (…) =>`, `merge(…) {}` in a class. */
function functionName(fn: ts.FunctionLikeDeclaration): string | undefined {
  if ((ts.isFunctionDeclaration(fn) || ts.isFunctionExpression(fn) || ts.isMethodDeclaration(fn)) && fn.name) return nameOf(fn.name);
  const p = fn.parent;
  if (p && ts.isVariableDeclaration(p) && ts.isIdentifier(p.name)) return p.name.text;
  if (p && ts.isPropertyAssignment(p)) return nameOf(p.name);
  return undefined;
}

/** `for (const k in src)`, `Object.keys(src).forEach((k) => …)`, `for (const [k, v] of Object.entries(src))`, `path.split('.')`: a key read from data. */
function isDataKey(id: ts.Identifier, ctx: RuleContext): boolean {
  const b = ctx.taint.scopes.resolve(id);
  if (!b) return false;
  let d: ts.Node = b;
  while (ts.isBindingElement(d) || ts.isArrayBindingPattern(d) || ts.isObjectBindingPattern(d)) d = d.parent;
  if (ts.isVariableDeclaration(d)) {
    const list = d.parent;
    const stmt = list?.parent;
    if (stmt && (ts.isForInStatement(stmt) || ts.isForOfStatement(stmt))) return true;
    // `const key = keys[i]`, `const key = parts.shift()`
    return !!d.initializer && !literalText(d.initializer) && !ts.isNumericLiteral(unwrap(d.initializer));
  }
  if (ts.isParameter(d)) {
    const fn = d.parent;
    // a callback of keys()/entries()/forEach()/reduce(): the key comes from the iterated object
    return isFunctionLike(fn) && !!fn.parent && ts.isCallExpression(fn.parent) && fn.parent.arguments.includes(fn as ts.Expression);
  }
  return false;
}

/** Whether `n` runs in a loop of `fn`: a for/while statement, or a callback of forEach/reduce/some/every. */
function inLoop(n: ts.Node, fn: ts.Node): boolean {
  for (let p = n.parent; p && p !== fn; p = p.parent) {
    if (ts.isForStatement(p) || ts.isForInStatement(p) || ts.isForOfStatement(p) || ts.isWhileStatement(p) || ts.isDoStatement(p)) return true;
    if (isFunctionLike(p) && p.parent && ts.isCallExpression(p.parent) && /^(forEach|reduce|some|every|map)$/.test(calleeName(p.parent) ?? '')) return true;
    if (isFunctionLike(p)) return false;
  }
  return false;
}

/** `cur[k]` somewhere in `e`, with `cur` the given name. */
function readsKeyOf(e: ts.Node, self: string): boolean {
  let found = false;
  const visit = (n: ts.Node) => {
    if (found) return;
    if (ts.isElementAccessExpression(n) && ts.isIdentifier(unwrap(n.expression)) && (unwrap(n.expression) as ts.Identifier).text === self && !literalText(n.argumentExpression)) { found = true; return; }
    if (isFunctionLike(n)) return;
    ts.forEachChild(n, visit);
  };
  visit(e);
  return found;
}

/** The file's assignments (`=`) and calls, each in document order: what the rule's visitors were given. */
export interface FileAssignmentsAndCalls {
  assignments: ts.BinaryExpression[];
  calls: ts.CallExpression[];
  /** isDataKey's answers, by key (a write is met again in each function around it) */
  dataKeys: Map<ts.Identifier, boolean>;
}

function isAssignment(n: ts.Node): n is ts.BinaryExpression {
  return ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken;
}

/**
 * A hand-written deep merge or set-by-path: writes `target[key]` and either recurses into `target[key]` or walks `cur = cur[key]`.
 * (`allCalls`: read the body's calls even when it does not spell the function's name, for the test that compares.)
 */
export function gadgetOf(ctx: RuleContext, fn: ts.FunctionLikeDeclaration, seen: FileAssignmentsAndCalls, allCalls = false): Gadget | undefined {
  const name = functionName(fn);
  const body = fn.body;
  if (!name || !body) return undefined;
  const text = body.getText(ctx.sourceFile);
  if (!text.includes('[') || guarded(text)) return undefined;
  const writes: { write: ts.BinaryExpression; target: string; key: ts.Identifier }[] = [];
  let recursesWith: Set<string> | undefined;
  const walked = new Set<string>();
  // the body's assignments and calls, each in document order (the file's, as the walk met them: not a walk of the body)
  const onAssignment = (n: ts.BinaryExpression) => {
    const left = unwrap(n.left);
    if (ts.isElementAccessExpression(left) && ts.isIdentifier(unwrap(left.argumentExpression))) {
      const key = unwrap(left.argumentExpression) as ts.Identifier;
      let dataKey = seen.dataKeys.get(key);
      if (dataKey === undefined) seen.dataKeys.set(key, dataKey = isDataKey(key, ctx));
      if (dataKey) writes.push({ write: n, target: unwrap(left.expression).getText(ctx.sourceFile), key });
    }
    // `cur = cur[key]` / `cur = cur[key] || (cur[key] = {})` in a loop: walking a key path through the object
    if (ts.isIdentifier(left) && inLoop(n, fn) && readsKeyOf(n.right, left.text)) walked.add(left.text);
  };
  const onCall = (n: ts.CallExpression) => {
    const c = unwrap(n.expression);
    const callName = ts.isIdentifier(c) ? c.text : ts.isPropertyAccessExpression(c) && c.expression.kind === ts.SyntaxKind.ThisKeyword ? c.name.text : undefined;
    if (callName === name) {
      // `merge(target[key], source[key])`: the key is read from one object and followed into another one, which
      // lacks an own `__proto__` and so hands over Object.prototype (a transform of one object, `f(obj[key])`, does not)
      const bases = n.arguments.map((a) => unwrap(a)).filter(ts.isElementAccessExpression)
        .map((u) => ({ base: unwrap(u.expression).getText(ctx.sourceFile), key: unwrap(u.argumentExpression).getText(ctx.sourceFile) }));
      for (const b of bases) {
        if (bases.some((o) => o.key === b.key && o.base !== b.base)) (recursesWith ??= new Set()).add(b.base);
      }
    }
  };
  if (isAssignment(body)) onAssignment(body);
  forEachNodeBelow(seen.assignments, body, onAssignment as (n: ts.Node) => void);
  // a call of the function by its name is spelled in the body (an identifier's text is its source text when the body
  // holds no escape): without the name, none of the body's calls can be one
  if (allCalls || text.includes(name) || text.includes('\\')) {
    if (ts.isCallExpression(body)) onCall(body);
    forEachNodeBelow(seen.calls, body, onCall as (n: ts.Node) => void);
  }
  for (const w of writes) {
    if (recursesWith?.has(w.target)) return { fn, name, kind: 'merge', write: w.write, key: w.key };
    if (walked.has(w.target)) return { fn, name, kind: 'path', write: w.write, key: w.key };
  }
  return undefined;
}

/** Inserts `if (key === '__proto__' || …) continue;` (or `return;` in a callback) at the top of the loop that reads the key. */
function guardFix(ctx: RuleContext, g: Gadget) {
  return tryFixes(() => {
    const b = ctx.taint.scopes.resolve(g.key);
    if (!b) return undefined;
    let loop: ts.Node | undefined = b;
    while (loop && !ts.isForInStatement(loop) && !ts.isForOfStatement(loop) && !ts.isForStatement(loop) && !ts.isWhileStatement(loop) && !isFunctionLike(loop)) loop = loop.parent;
    if (!loop) return undefined;
    let body: ts.Node | undefined;
    let exit: string;
    let insertAt: number;
    if (isFunctionLike(loop)) {
      if (loop === g.fn || !loop.body || !ts.isBlock(loop.body)) return undefined;
      body = loop.body; exit = 'return;'; insertAt = body.getStart(ctx.sourceFile) + 1;
    } else {
      body = (loop as ts.IterationStatement).statement;
      if (!ts.isBlock(body)) return undefined;
      exit = 'continue;';
      // a key declared inside the loop body (`const key = keys[i]`) is checked right after its declaration
      const decl = ts.isVariableDeclaration(b) ? b.parent.parent : undefined;
      insertAt = decl && decl.parent === body ? decl.getEnd() : body.getStart(ctx.sourceFile) + 1;
    }
    const first = (body as ts.Block).statements[0];
    const lineStart = ctx.text.lastIndexOf('\n', (first ?? body).getStart(ctx.sourceFile) - 1) + 1;
    const indent = first ? /^[ \t]*/.exec(ctx.text.slice(lineStart))![0] : '  ';
    const k = g.key.text;
    const edit = new EditSet(ctx.path, ctx.text).insert(insertAt, `\n${indent}if (${k} === '__proto__' || ${k} === 'constructor' || ${k} === 'prototype') ${exit}`);
    return makeFix(`Skip __proto__, constructor and prototype keys in ${g.name}()`, 'suggestion', edit);
  });
}

/**
 * A string literal that is one of MERGE_MODULES (`'lodash'`, `"deepmerge"`): a file without one imports or requires
 * none of them (a module is always named by such a literal).
 */
const MERGE_MODULE_LITERAL = new RegExp(`['"\`](?:${MERGE_MODULES.source.replace(/^\^|\$$/g, '')})['"\`]`);
/** MERGE_MODULE_LITERAL asked only of a text holding one of the words each of its modules holds (util/text-words.ts) */
const MERGE_MODULE_TEXT = textPrefilter(MERGE_MODULE_LITERAL, ['lodash', 'underscore', 'merge', 'mixin-deep', 'deep-extend', 'defaults-deep', 'set-value', 'dot-prop', 'object-path', 'dset', 'deep-set', 'jquery', 'angular']);
/** Globals taken for those libraries when nothing in the file declares them. */
const MERGE_GLOBALS = new Set(['_', '$', 'jQuery', 'angular']);

/**
 * `modulesNamed`: the file mentions a module of MERGE_MODULES (else only calls on one of MERGE_GLOBALS can be one:
 * an imported name resolves to a module the file names).
 */
function libraryCall(ctx: RuleContext, call: ts.CallExpression, modulesNamed: boolean): { label: string; data: ts.Expression[] } | undefined {
  const name = calleeName(call);
  if (!name) return undefined;
  if (!modulesNamed) {
    const recv = calleeObject(call);
    if (!recv || !ts.isIdentifier(recv) || !MERGE_GLOBALS.has(recv.text)) return undefined;
  }
  const callee = unwrap(call.expression);
  let module: string | undefined;
  let member = name;
  if (ts.isIdentifier(callee)) {
    const imp = importOf(ctx, callee);
    if (!imp) return undefined;
    module = imp.module;
    if (imp.imported !== 'default' && imp.imported !== '*') member = imp.imported;
    else if (/^(lodash\.|lodash\/)/.test(module)) member = module.replace(/^lodash[./]/, '').replace('mergewith', 'mergeWith').replace('defaultsdeep', 'defaultsDeep').replace('setwith', 'setWith');
    else if (/^(deepmerge|merge-deep|mixin-deep|deep-extend|defaults-deep|merge)$/.test(module)) member = 'merge';
    else if (/^(set-value|dset|deep-set)$/.test(module)) member = 'set';
  } else {
    const recv = calleeObject(call);
    const r = recv && unwrap(recv);
    if (!r || !ts.isIdentifier(r)) return undefined;
    const imp = importOf(ctx, r);
    if (imp) module = imp.module;
    else if (!ctx.taint.scopes.resolve(r) && (r.text === '_' || r.text === '$' || r.text === 'jQuery' || r.text === 'angular')) module = r.text === '_' ? 'lodash' : r.text === 'angular' ? 'angular' : 'jquery';
    else return undefined;
    if (module === 'deepmerge' && name !== 'all') return undefined;
  }
  if (!module || !MERGE_MODULES.test(module)) return undefined;
  const args = [...call.arguments];
  if (module === 'jquery') {
    // only `$.extend(true, …)` merges deeply
    if (member !== 'extend' || !args[0] || args[0].kind !== ts.SyntaxKind.TrueKeyword) return undefined;
    return { label: `${callee.getText(ctx.sourceFile)}(true, …)`, data: args.slice(2) };
  }
  if (PATH_SETTERS.has(member)) {
    // `_.set(obj, path, value)`: the path decides which object is written
    return args[1] ? { label: callee.getText(ctx.sourceFile), data: [args[1]] } : undefined;
  }
  if (DEEP_MERGES.has(member) || module === 'deepmerge' || module === 'merge-deep' || module === 'deep-extend' || module === 'mixin-deep') {
    if (module === 'angular' && member !== 'merge') return undefined;
    if (/^(lodash|lodash-es|underscore)$/.test(module) && member === 'extend') return undefined; // shallow
    return { label: callee.getText(ctx.sourceFile), data: member === 'all' ? args.slice(0, 1) : args.slice(1) };
  }
  return undefined;
}

export default defineRule({
  meta: {
    id: 'prototype-pollution',
    title: 'Request data merged or written by key into objects (prototype pollution)',
    category: 'injection',
    severity: 'error',
    confidence: 'high',
    cwe: [1321, 915],
    owasp: 'A08:2021 Software and Data Integrity Failures',
    description: 'Finds request data reaching a hand-written deep merge or set-by-path function (one that writes `target[key]` and recurses into `target[key]` or walks `obj = obj[key]` without rejecting `__proto__`, `constructor` and `prototype`), and `obj[a][b] = value` where both keys come from the request. Deep merges of request data with lodash, jQuery `$.extend(true, …)`, deepmerge and similar libraries are reported at low confidence: their current versions skip `__proto__`, old ones do not.',
    notReported: 'Functions that check the key against `__proto__`/`constructor`/`prototype` or an allowlist, objects made with `Object.create(null)` and Maps, input parsed by a schema, shallow copies (`Object.assign`, spread), and unguarded merge functions that no request data reaches in the file (low).',
    why: 'In JavaScript every plain object inherits from `Object.prototype`. A JSON body like `{"__proto__": {"isAdmin": true}}` fed to a recursive merge, or a request that sets `obj["__proto__"]["isAdmin"]`, writes to that shared prototype, and from then on every object in the process has `isAdmin`: checks are bypassed, the app crashes, and with some libraries (template engines, `child_process` options) it turns into running code.',
    fix: 'Reject the keys `__proto__`, `constructor` and `prototype` in merge and set-by-path code, or keep request-keyed data in a `Map` or an `Object.create(null)` object. Better still, validate the body with a schema (zod, joi) so only the fields you expect get through, and keep lodash, jQuery and deepmerge up to date.',
    bad: `function deepMerge(target, source) {
  for (const key in source) {
    if (typeof source[key] === 'object' && source[key] !== null) {
      if (!target[key]) target[key] = {};
      deepMerge(target[key], source[key]);
    } else {
      target[key] = source[key];
    }
  }
  return target;
}

app.put('/api/settings', (req, res) => {
  const settings = deepMerge(loadSettings(req.user.id), req.body);
  res.json(settings);
});`,
    good: `function deepMerge(target, source) {
  for (const key of Object.keys(source)) {
    if (key === '__proto__' || key === 'constructor' || key === 'prototype') continue;
    if (typeof source[key] === 'object' && source[key] !== null) {
      if (!target[key]) target[key] = {};
      deepMerge(target[key], source[key]);
    } else {
      target[key] = source[key];
    }
  }
  return target;
}

app.put('/api/settings', (req, res) => {
  const settings = deepMerge(loadSettings(req.user.id), req.body);
  res.json(settings);
});`,
    fixSafety: 'suggestion',
    languages: ALL_LANGUAGES,
    defaultEnabled: true,
    tags: ['prototype-pollution', 'injection', 'validation'],
  },
  create(ctx) {
    const fns: ts.FunctionLikeDeclaration[] = [];
    const collect = (fn: ts.FunctionLikeDeclaration) => { fns.push(fn); };
    /**
     * The functions around a write `x[key] = …` with a name as the key: only they can be gadgets (gadgetOf looks
     * for such a write in the function, nested functions included), so the others are not read again at the end.
     */
    const aroundKeyWrite = new Set<ts.Node>();
    const seen: FileAssignmentsAndCalls = { assignments: [], calls: [], dataKeys: new Map() };
    // (textMentions: the literal in the text as written, or with its escapes decoded)
    const mergeModulesNamed = MERGE_MODULE_TEXT.test(ctx.text) || (ctx.text.includes('\\') && MERGE_MODULE_LITERAL.test(cookEscapes(ctx.text)));
    const markKeyWrite = (node: ts.BinaryExpression) => {
      const left = unwrap(node.left);
      if (!ts.isElementAccessExpression(left) || !ts.isIdentifier(unwrap(left.argumentExpression))) return;
      for (let p: ts.Node | undefined = node.parent; p && !aroundKeyWrite.has(p); p = p.parent) if (isFunctionLike(p)) aroundKeyWrite.add(p);
    };
    const taintOf = (e: ts.Expression): TaintTrace | undefined => ctx.taint.taintOf(e, 'object');
    const guardedNear = (node: ts.Node) => {
      const fn = enclosingFunction(node);
      return guarded((fn?.body ?? ctx.sourceFile).getText(ctx.sourceFile));
    };
    return {
      FunctionDeclaration: collect,
      FunctionExpression: collect,
      ArrowFunction: collect,
      MethodDeclaration: collect,
      CallExpression(call) {
        seen.calls.push(call);
        const lib = libraryCall(ctx, call, mergeModulesNamed);
        if (!lib) return;
        for (const d of lib.data) {
          if (ts.isSpreadElement(d)) continue;
          const t = taintOf(d);
          if (!t) continue;
          ctx.report({
            node: call, confidence: 'low',
            message: `\`${lib.label}\` writes nested keys chosen by the request (\`${t.label}\`). Current versions of this library skip \`__proto__\`, but old ones let a body like \`{"__proto__": {"isAdmin": true}}\` change every object in the app, and the client still picks every nested field. Validate the body with a schema and keep the library up to date.`,
            related: [{ node: t.source, message: `Request data enters here (${t.label}).` }],
          });
          return;
        }
      },
      BinaryExpression: sameVisitor(OPERATORS, (node) => {
        if (node.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return;
        seen.assignments.push(node);
        markKeyWrite(node);
        const left = unwrap(node.left);
        if (!ts.isElementAccessExpression(left)) return;
        const inner = unwrap(left.expression);
        if (!ts.isElementAccessExpression(inner)) return;
        const k2 = left.argumentExpression;
        const k1 = inner.argumentExpression;
        if (literalText(k1) !== undefined || literalText(k2) !== undefined) return;
        const t1 = taintOf(k1);
        if (!t1) return;
        const t2 = taintOf(k2);
        if (!t2) return;
        if (guardedNear(node)) return;
        // the same value as both keys (`m[k][k] = v`) cannot pollute: with `__proto__` first, the second write is to
        // `Object.prototype.__proto__`, which the engine refuses; pollution needs a second key of the attacker's choosing
        if (t1.source === t2.source) return;
        // keys that reach this function from another module: the summaries do not tell which argument carries which
        // request value (a folder id and a file name can both read as the route's `pk`), so this stays low
        const crossModule = !!(t1.before?.length || t2.before?.length);
        // `const store = Object.create(null)` / `new Map()` at the root: there is no prototype to reach
        let root = unwrap(inner.expression);
        while (ts.isElementAccessExpression(root) || ts.isPropertyAccessExpression(root)) root = unwrap(root.expression);
        if (ts.isIdentifier(root)) {
          const b = ctx.taint.scopes.resolve(root);
          if (b && ts.isVariableDeclaration(b) && b.initializer && /^Object\.create\(\s*null\s*\)$/.test(unwrap(b.initializer).getText(ctx.sourceFile))) return;
        }
        ctx.report({
          node: node.left, confidence: crossModule ? 'low' : 'high',
          message: `Both keys of \`${node.left.getText(ctx.sourceFile).slice(0, 60)}\` come from the request (\`${t1.label}\`, \`${t2.label}\`): with the first key \`__proto__\` this writes to \`Object.prototype\`, which every object in the app inherits (a client can make \`user.isAdmin\` true everywhere, or crash the server). Reject \`__proto__\`, \`constructor\` and \`prototype\`, check the keys against an allowlist, or keep this data in a \`Map\`.`,
          related: [{ node: t1.source, message: `The first key enters here (${t1.label}).` }],
        });
      }),
      onFileEnd() {
        const gadgets = new Map<string, Gadget>();
        for (const fn of fns) {
          if (!aroundKeyWrite.has(fn)) continue;
          const g = gadgetOf(ctx, fn, seen);
          if (g && !gadgets.has(g.name)) gadgets.set(g.name, g);
        }
        if (!gadgets.size) return;
        const reached = new Set<string>();
        // the file's calls in document order (as the walk gave them to the visitor, not a walk of the file)
        for (const n of seen.calls) {
          const c = unwrap(n.expression);
          const name = ts.isIdentifier(c) ? c.text : ts.isPropertyAccessExpression(c) ? c.name.text : undefined;
          const g = name ? gadgets.get(name) : undefined;
          if (g && !reached.has(`${n.pos}`) && enclosingFunction(n) !== g.fn && !(ts.isPropertyAccessExpression(c) && c.expression.kind !== ts.SyntaxKind.ThisKeyword)) {
            const argIndex = g.kind === 'path' ? [1, 2] : [1, 2, 3];
            for (const i of argIndex) {
              const a = n.arguments[i];
              if (!a || ts.isSpreadElement(a)) continue;
              const t = taintOf(a);
              if (!t) continue;
              reached.add(g.name);
              ctx.report({
                node: n, confidence: 'high',
                message: `\`${g.name}()\` ${g.kind === 'merge' ? 'merges objects key by key' : 'writes a value at a key path'} without rejecting \`__proto__\`, \`constructor\` or \`prototype\`, and here it gets request data (\`${t.label}\`): a body like \`{"__proto__": {"isAdmin": true}}\` changes \`Object.prototype\`, so every object in the app gains that field. Skip those three keys in \`${g.name}()\`, or validate the body with a schema first.`,
                related: [
                  { node: t.source, message: `Request data enters here (${t.label}).` },
                  { node: g.write, message: `The unguarded write by key in ${g.name}().` },
                ],
                fixes: guardFix(ctx, g),
              });
              break;
            }
          }
        }
        for (const g of gadgets.values()) {
          if (reached.has(g.name)) continue;
          const at = ts.isFunctionDeclaration(g.fn) && g.fn.name ? g.fn.name : g.fn.parent && ts.isVariableDeclaration(g.fn.parent) ? g.fn.parent.name : g.write;
          ctx.report({
            node: at, confidence: 'low', severity: 'warning',
            message: `\`${g.name}()\` ${g.kind === 'merge' ? 'merges objects key by key' : 'writes a value at a key path'} without rejecting \`__proto__\`, \`constructor\` or \`prototype\`; if it is ever given request data, a client can change \`Object.prototype\` for the whole app. Skip those three keys.`,
            fixes: guardFix(ctx, g),
          });
        }
      },
    };
  },
});
