import { ts } from 'ts-morph';
import { ALL_LANGUAGES, defineRule, sameVisitor, type RuleContext } from '../../model/rule';
import { calleeName, enclosingFunction, getPropertyValue, isFunctionLike, literalText, memberChain, unwrap } from '../../util/ast';
import { importOf, requiredModule, shortText } from '../../util/imports';

const FS_MODULES = /^((node:)?fs(\/promises)?|fs-extra|graceful-fs|original-fs|fs-extra\/esm)$/;
/**
 * File-system calls and which of their arguments are paths. Existence checks (`exists`, `stat`, `access`) are left out.
 * No prototype: `fs.hasOwnProperty('rmSync')` or `fs.toString()` must not find Object's own methods here.
 */
const FS_PATH_ARGS: Record<string, number[]> = Object.create(null);
for (const fn of ['readFile', 'readFileSync', 'createReadStream', 'createWriteStream', 'writeFile', 'writeFileSync', 'appendFile',
  'appendFileSync', 'unlink', 'unlinkSync', 'rm', 'rmSync', 'rmdir', 'rmdirSync', 'readdir', 'readdirSync', 'open', 'openSync',
  'mkdir', 'mkdirSync', 'truncate', 'truncateSync', 'chmod', 'chmodSync', 'chown', 'chownSync', 'opendir', 'opendirSync',
  'readJson', 'readJsonSync', 'readJSON', 'writeJson', 'writeJsonSync', 'writeJSON', 'outputFile', 'outputFileSync', 'outputJson',
  'outputJsonSync', 'remove', 'removeSync', 'emptyDir', 'emptyDirSync', 'ensureFile', 'ensureFileSync', 'ensureDir', 'ensureDirSync']) {
  FS_PATH_ARGS[fn] = [0];
}
for (const fn of ['copyFile', 'copyFileSync', 'rename', 'renameSync', 'copy', 'copySync', 'move', 'moveSync', 'cp', 'cpSync', 'symlink', 'symlinkSync', 'link', 'linkSync']) {
  FS_PATH_ARGS[fn] = [0, 1];
}
const RESPONSE_NAMES = /^(res|response|resp)$/;




/** the callees the rule's call visitor acts on (fs functions, res.sendFile / res.download): it returns at once on any other */
const CALL_NAMES = [...Object.keys(FS_PATH_ARGS), 'sendFile', 'download'];

/** The fs function a call goes to: `fs.readFile`, `fs.promises.readFile`, `readFile` from 'fs/promises', `fse.outputFile`. */
function fsFunction(ctx: RuleContext, call: ts.CallExpression): string | undefined {
  const c = unwrap(call.expression);
  const name = calleeName(call);
  if (!name || !FS_PATH_ARGS[name]) return undefined;
  if (ts.isIdentifier(c)) {
    const imp = importOf(ctx, c);
    return imp && FS_MODULES.test(imp.module) && imp.imported === name ? name : undefined;
  }
  if (ts.isPropertyAccessExpression(c)) {
    let obj = unwrap(c.expression);
    const direct = requiredModule(obj);
    if (direct) return FS_MODULES.test(direct) ? name : undefined;
    // fs.promises.readFile
    if (ts.isPropertyAccessExpression(obj) && obj.name.text === 'promises') obj = unwrap(obj.expression);
    if (ts.isIdentifier(obj)) {
      const imp = importOf(ctx, obj);
      if (imp && FS_MODULES.test(imp.module) && (imp.imported === '*' || imp.imported === 'default' || imp.imported === 'promises')) return name;
    }
  }
  return undefined;
}

/** `res.sendFile(p)` / `res.download(p)` on an Express response. */
function isResponseFileCall(ctx: RuleContext, call: ts.CallExpression): boolean {
  const name = calleeName(call);
  if (name !== 'sendFile' && name !== 'download') return false;
  const chain = memberChain(call.expression);
  if (!chain || chain.length !== 2) return false;
  if (RESPONSE_NAMES.test(chain[0])) return true;
  // the second parameter of a handler whose first is the request
  const recv = unwrap((unwrap(call.expression) as ts.PropertyAccessExpression).expression);
  if (!ts.isIdentifier(recv)) return false;
  const b = ctx.taint.scopes.resolve(recv);
  if (!b || !ts.isParameter(b) || !isFunctionLike(b.parent)) return false;
  const fn = b.parent;
  return fn.parameters.indexOf(b) === 1 && !!fn.parameters[0] && ctx.taint.inRequestContext(b) && ts.isIdentifier(fn.parameters[0].name) &&
    /^(req|request)$/.test(fn.parameters[0].name.text);
}

/** An options object with a `root`: Express then refuses paths that climb out of it. */
function hasRootOption(ctx: RuleContext, args: readonly ts.Expression[]): boolean {
  for (const a of args.slice(1)) {
    let o = unwrap(a);
    if (ts.isIdentifier(o)) {
      const b = ctx.taint.scopes.resolve(o);
      if (b && ts.isVariableDeclaration(b) && b.initializer) o = unwrap(b.initializer);
    }
    if (ts.isObjectLiteralExpression(o) && getPropertyValue(o, 'root')) return true;
  }
  return false;
}

/**
 * A path for Express's `res.sendFile` made by plain string concatenation, where the request value
 * comes right after a fixed folder and a slash (`${staticPath}/${req.params[0]}`, `dir + '/' + name`): `send`, under
 * Express, answers 403 to a path with a `..` segment when no `root` is given (a `path.join` would have removed the
 * `..`; concatenation keeps it), hides dotfiles, and the folder in front keeps an absolute value inside it.
 */
function concatenatedUnderFolder(ctx: RuleContext, arg: ts.Expression, depth = 0): boolean {
  const e = unwrap(arg);
  if (ts.isIdentifier(e)) {
    const b = ctx.taint.scopes.resolve(e);
    if (depth > 2 || !b || !ts.isVariableDeclaration(b) || !b.initializer || !concatenatedUnderFolder(ctx, b.initializer, depth + 1)) return false;
    // a `let` reassigned with request data elsewhere is another path
    const list = b.parent;
    if (!ts.isVariableDeclarationList(list) || (list.flags & ts.NodeFlags.Const)) return true;
    const fn = enclosingFunction(b);
    if (!fn) return true;
    return !(ctx.taint.writesIn(fn).assignments.get(e.text) ?? []).some((a) => a.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      ctx.taint.scopes.resolve(unwrap(a.left) as ts.Identifier) === b && !!ctx.taint.taintOf(a.right));
  }
  // the parts in order: literal text, or an expression (tainted or not)
  const parts: (string | ts.Expression)[] = [];
  const flat = (x: ts.Expression): boolean => {
    const u = unwrap(x);
    if (ts.isBinaryExpression(u) && u.operatorToken.kind === ts.SyntaxKind.PlusToken) return flat(u.left) && flat(u.right);
    if (ts.isTemplateExpression(u)) {
      parts.push(u.head.text);
      for (const span of u.templateSpans) { parts.push(span.expression, span.literal.text); }
      return true;
    }
    parts.push(ts.isStringLiteralLike(u) ? u.text : u);
    return true;
  };
  if (!flat(e)) return false;
  let before = '';
  let folder = false;
  for (const part of parts) {
    if (typeof part === 'string') { before += part; continue; }
    if (!ctx.taint.taintOf(part)) { folder = true; before += '\u0000'; continue; }
    // the first request value: after a folder the code chose, and a separator
    return (folder || before.replace(/\u0000/g, '').length > 1) && /[\\/]$/.test(before);
  }
  return false;
}

/** Identifiers and member expressions (`req.params.name`) that carry the path into the sink, following local variables. */
function flowNames(ctx: RuleContext, expr: ts.Expression, out: Set<string>, depth = 0): void {
  const visit = (n: ts.Node) => {
    if (ts.isPropertyAccessExpression(n) || ts.isElementAccessExpression(n)) out.add(n.getText(ctx.sourceFile));
    if (ts.isIdentifier(n) && !out.has(n.text)) {
      out.add(n.text);
      const b = ctx.taint.scopes.resolve(n);
      if (depth < 3 && b && ts.isVariableDeclaration(b) && b.initializer) flowNames(ctx, b.initializer, out, depth + 1);
      if (depth < 3 && b && ts.isBindingElement(b) && ts.isVariableDeclaration(b.parent.parent) && b.parent.parent.initializer) flowNames(ctx, b.parent.parent.initializer, out, depth + 1);
    }
    ts.forEachChild(n, visit);
  };
  visit(expr);
}

/** Checked values inside an expression: bare identifiers and whole member expressions (`req.params.name`). */
function valuesIn(n: ts.Node, out: ts.Expression[]): void {
  if (ts.isIdentifier(n) || ts.isPropertyAccessExpression(n) || ts.isElementAccessExpression(n)) { out.push(n); return; }
  ts.forEachChild(n, (m) => { valuesIn(m, out); });
}

/**
 * Values a condition checks for containment: `x.startsWith(baseDir)` (against a folder, not a fixed prefix),
 * `x.includes('..')`, `/\.\./.test(x)`, `path.relative(root, x)` (directly or through a variable),
 * `isPathInside(x, root)`, and allowlists on a request value itself (`TEMPLATES.has(req.params.name)`).
 */
function containmentChecked(ctx: RuleContext, cond: ts.Expression): ts.Expression[] {
  const out: ts.Expression[] = [];
  const visit = (n: ts.Node) => {
    if (ts.isCallExpression(n)) {
      const name = calleeName(n) ?? '';
      const recv = ts.isPropertyAccessExpression(unwrap(n.expression)) ? unwrap((unwrap(n.expression) as ts.PropertyAccessExpression).expression) : undefined;
      const firstArg = n.arguments[0] ? unwrap(n.arguments[0]) : undefined;
      if (name === 'startsWith' && recv && firstArg && (!ts.isStringLiteralLike(firstArg) || firstArg.text.startsWith('..'))) valuesIn(recv, out);
      if ((name === 'includes' || name === 'indexOf') && recv && firstArg && ts.isStringLiteralLike(firstArg) && firstArg.text.includes('..')) valuesIn(recv, out);
      if ((name === 'test' || name === 'match') && /\\\.\\\./.test(n.getText(ctx.sourceFile))) valuesIn(n, out);
      if (name === 'relative' || /^is(Path)?(Inside|SubPath|Within|SafePath|Contained)$/i.test(name)) for (const a of n.arguments) valuesIn(a, out);
      if (name === 'has' || name === 'includes' || name === 'test' || /^(is|validate|check)[A-Z]/.test(name)) {
        for (const a of n.arguments) {
          const u = unwrap(a);
          if (ts.isPropertyAccessExpression(u) || ts.isElementAccessExpression(u)) out.push(u);
        }
      }
      // `rel.startsWith('..')` where `const rel = path.relative(root, full)`
      if (recv && ts.isIdentifier(recv)) {
        const b = ctx.taint.scopes.resolve(recv);
        const init = b && ts.isVariableDeclaration(b) && b.initializer ? unwrap(b.initializer) : undefined;
        if (init && ts.isCallExpression(init) && calleeName(init) === 'relative') for (const a of init.arguments) valuesIn(a, out);
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(cond);
  return out;
}

/**
 * A containment check before the sink on a request-derived value that flows into it. The taint guards already
 * accept `startsWith` and allowlists on the exact variable; this also accepts checks on the raw input,
 * on member expressions and `path.relative` forms.
 */
function hasContainmentCheck(ctx: RuleContext, sink: ts.Node, value: ts.Expression): boolean {
  const fn = enclosingFunction(sink);
  if (!fn?.body) return false;
  const names = new Set<string>();
  flowNames(ctx, value, names);
  let found = false;
  const visit = (n: ts.Node) => {
    if (found || n.pos >= sink.pos) return;
    const cond = ts.isIfStatement(n) ? n.expression : ts.isConditionalExpression(n) ? n.condition : undefined;
    if (cond && containmentChecked(ctx, cond).some((v) => names.has(v.getText(ctx.sourceFile)) && !!ctx.taint.taintOf(v))) found = true;
    ts.forEachChild(n, visit);
  };
  ts.forEachChild(fn.body, visit);
  return found;
}

export default defineRule({
  meta: {
    id: 'path-traversal',
    title: 'File path built from request data',
    category: 'injection',
    severity: 'error',
    confidence: 'high',
    cwe: [22],
    owasp: 'A01:2021 Broken Access Control',
    description: 'Finds request data (route params, query strings, bodies, uploaded file names) used in file paths passed to `fs` calls (`readFile`, `createReadStream`, `writeFile`, `unlink`, `fs/promises`, `fs-extra`…) or to Express `res.sendFile` / `res.download` without a `root` option.',
    notReported: 'Paths reduced to a file name with `path.basename`, `res.sendFile` with a `root` option, `res.sendFile` of a path concatenated as text behind a fixed folder (`${dir}/${name}`, which Express\'s `send` refuses when it holds a `..` segment; `path.join` removes the `..` first, and `res.download` resolves the path, so those are still reported), paths checked to stay inside a folder (`startsWith(root)` after `path.resolve`), and values that are not from the request.',
    why: 'A name like `../../.env` or `..%2f..%2fetc%2fpasswd` climbs out of the folder you meant to serve. Attackers use it to download your secrets and source code, or to overwrite and delete files on the server.',
    fix: 'Keep only the file name with `path.basename(name)`, or resolve the full path and check it stays inside your folder: `const full = path.resolve(baseDir, name); if (!full.startsWith(baseDir + path.sep)) return 400`. For downloads, `res.sendFile(name, { root: baseDir })` makes Express refuse `..`. Better still, look files up by an id you generated.',
    bad: `app.get('/files/:name', (req, res) => {
  res.sendFile(path.join(__dirname, 'uploads', req.params.name));
});`,
    good: `app.get('/files/:name', (req, res) => {
  res.sendFile(path.basename(req.params.name), { root: path.join(__dirname, 'uploads') });
});`,
    fixSafety: 'none',
    languages: ALL_LANGUAGES,
    defaultEnabled: true,
    tags: ['path', 'files', 'access-control', 'validation'],
  },
  create(ctx) {
    // `export const dynamicParams = false`: Next.js serves only the params that generateStaticParams returned
    const staticParamsOnly = (ctx.facts.nextPageFile || ctx.facts.nextRouteFile) && ctx.sourceFile.statements.some((st) =>
      ts.isVariableStatement(st) && st.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword) &&
      st.declarationList.declarations.some((d) => ts.isIdentifier(d.name) && d.name.text === 'dynamicParams' && d.initializer?.kind === ts.SyntaxKind.FalseKeyword));
    return {
      CallExpression: sameVisitor(CALL_NAMES, (call) => {
        let indices: number[] | undefined;
        let label: string;
        let response = false;
        const fsFn = fsFunction(ctx, call);
        if (fsFn) {
          indices = FS_PATH_ARGS[fsFn];
          label = shortText(ctx, call.expression, 30);
        } else if (isResponseFileCall(ctx, call)) {
          if (hasRootOption(ctx, call.arguments)) return;
          indices = [0];
          label = shortText(ctx, call.expression, 30);
          response = true;
        } else {
          return;
        }
        for (const i of indices) {
          const arg = call.arguments[i];
          if (!arg) continue;
          const c = ctx.taint.classify(arg, 'path');
          if (c.kind !== 'tainted' || !c.trace) continue;
          if (hasContainmentCheck(ctx, call, arg)) continue;
          // (not `res.download`: it resolves the path before sending it, which removes the `..`)
          if (response && calleeName(call) === 'sendFile' && concatenatedUnderFolder(ctx, arg)) continue;
          if (staticParamsOnly && /\bparams\b/.test(`${c.trace.label} ${c.trace.source.getText(ctx.sourceFile)}`)) continue;
          const fix = response
            ? `Pass the bare name with a root, \`${label}(path.basename(name), { root: dir })\`, so Express refuses \`..\`, or resolve the path and check it \`startsWith(dir + path.sep)\`.`
            : 'Use `path.basename(name)` to keep only the file name, or resolve the full path and check it `startsWith(baseDir + path.sep)` before using it.';
          ctx.report({
            node: arg, confidence: 'high',
            message: `File path for \`${label}\` is built from request data (\`${c.trace.label}\`): a value like \`../../.env\` reaches files outside the folder you meant. ${fix}`,
            related: [{ node: c.trace.source, message: `Request data enters here (${c.trace.label}) and becomes part of a file path.` }],
          });
          return;
        }
      }),
    };
  },
});
