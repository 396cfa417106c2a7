import { ts } from 'ts-morph';
import { ALL_LANGUAGES, defineRule, type RuleContext } from '../../model/rule';
import { calleeName, calleeObject, enclosingFunction, getPropertyValue, isBooleanLiteral, unwrap } from '../../util/ast';
import { importOf } from '../../util/imports';

/** Archive readers whose entries carry names chosen by whoever made the archive. */
const ARCHIVE_MODULES = /^(adm-zip|yauzl|yauzl-promise|unzipper|unzip-stream|tar|tar-stream|tar-fs|jszip|node-stream-zip|decompress|zip-lib|@zip\.js\/zip\.js|libarchive\.js|7zip-min|node-7z)$/;
/** Members of an archive entry that hold its stored name. */
const ENTRY_NAME_PROPS = new Set(['entryName', 'fileName', 'filename', 'path', 'name', 'relativePath']);
const ENTRY_OBJECT = /^(entry|zipEntry|zipentry|header|hdr|e|item|fileEntry|file|f|zipFile|member)$|entry$|Entry$/;
/** Parameters named like an entry path in an archive callback (`zip.forEach((relativePath, file) => …)`). */
const ENTRY_PARAM = /^(relativePath|relPath|entryName|entryPath)$/;
const FS_WRITES = new Set(['createWriteStream', 'writeFile', 'writeFileSync', 'outputFile', 'outputFileSync', 'mkdir', 'mkdirSync', 'ensureDir', 'ensureDirSync', 'copyFile', 'copyFileSync', 'rename', 'renameSync', 'symlink', 'symlinkSync']);
/** A check anywhere in the function that handles the entry: the result is compared with the target folder, `..` is rejected, or only the base name is kept. */
const GUARD = /\.startsWith\(|['"`]\.\.[/\\]?['"`]|\brelative\(|\bisAbsolute\(|\bsanitize\w*\(|\bisSafe\w*\(|\bisInside\w*\(|\bisWithin\w*\(|\bisSubPath\w*\(|\bcontains[A-Z]\w*\(|\bbasename\(/;

/** `entry.fileName` / `header.name` / `relativePath` (or a constant holding one). */
function entryName(ctx: RuleContext, expr: ts.Expression, depth = 0): ts.Expression | undefined {
  const e = unwrap(expr);
  if (ts.isPropertyAccessExpression(e) && ENTRY_NAME_PROPS.has(e.name.text)) {
    const o = unwrap(e.expression);
    if (ts.isIdentifier(o) && ENTRY_OBJECT.test(o.text)) {
      // `file.path` on an upload is not an archive entry: require the object to come from a callback or a loop
      const b = ctx.taint.scopes.resolve(o);
      if (b && (ts.isParameter(b) || (ts.isVariableDeclaration(b) && b.parent.parent && (ts.isForOfStatement(b.parent.parent) || ts.isForInStatement(b.parent.parent))))) return e;
    }
    return undefined;
  }
  if (ts.isIdentifier(e)) {
    const b = ctx.taint.scopes.resolve(e);
    if (b && ts.isParameter(b) && ts.isIdentifier(b.name) && ENTRY_PARAM.test(b.name.text)) return e;
    if (b && ts.isVariableDeclaration(b) && b.initializer && depth < 3) return entryName(ctx, b.initializer, depth + 1);
    // `const { fileName } = entry`
    if (b && ts.isBindingElement(b) && ts.isIdentifier(b.name) && ENTRY_NAME_PROPS.has((b.propertyName && ts.isIdentifier(b.propertyName) ? b.propertyName.text : b.name.text))) {
      const decl = b.parent.parent;
      if (ts.isVariableDeclaration(decl) && decl.initializer) {
        const init = unwrap(decl.initializer);
        if (ts.isIdentifier(init) && ENTRY_OBJECT.test(init.text)) return e;
      }
    }
    return undefined;
  }
  if (ts.isCallExpression(e)) {
    const n = calleeName(e);
    // `entry.fileName.replace(/\\/g, '/')`, `String(entry.path)`: still the stored name
    if ((n === 'replace' || n === 'replaceAll' || n === 'trim' || n === 'toString' || n === 'normalize') && calleeObject(e)) return entryName(ctx, calleeObject(e)!, depth + 1);
    if (n === 'String' && e.arguments[0]) return entryName(ctx, e.arguments[0], depth + 1);
  }
  return undefined;
}

/** A path built from a folder and an entry name: `path.join(dest, entry.path)`, `` `${dest}/${entry.fileName}` ``, `dest + '/' + name`. */
function joinedEntry(ctx: RuleContext, expr: ts.Expression, depth = 0): ts.Expression | undefined {
  const e = unwrap(expr);
  if (ts.isCallExpression(e)) {
    const n = calleeName(e);
    if ((n === 'join' || n === 'resolve') && isPathModule(ctx, e)) {
      if (e.arguments.length < 2) return undefined;
      for (const a of e.arguments.slice(1)) { const x = entryName(ctx, a); if (x) return x; }
    }
    return undefined;
  }
  if (ts.isTemplateExpression(e)) {
    for (const s of e.templateSpans.slice(1)) { const x = entryName(ctx, s.expression); if (x) return x; }
    return undefined;
  }
  if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const x = entryName(ctx, e.right);
    if (x && !isEmptyPrefix(e.left)) return x;
    return joinedEntry(ctx, e.left, depth + 1);
  }
  if (ts.isIdentifier(e) && depth < 3) {
    const b = ctx.taint.scopes.resolve(e);
    if (b && ts.isVariableDeclaration(b) && b.initializer) return joinedEntry(ctx, b.initializer, depth + 1);
  }
  return undefined;
}

function isEmptyPrefix(e: ts.Expression): boolean {
  const u = unwrap(e);
  return ts.isStringLiteralLike(u) && u.text === '';
}

function isPathModule(ctx: RuleContext, call: ts.CallExpression): boolean {
  const c = unwrap(call.expression);
  if (ts.isIdentifier(c)) return /^(node:)?path(\/posix|\/win32)?$/.test(importOf(ctx, c)?.module ?? '');
  const recv = calleeObject(call);
  const r = recv && unwrap(recv);
  if (!r) return false;
  if (ts.isIdentifier(r)) return r.text === 'path' || /^(node:)?path$/.test(importOf(ctx, r)?.module ?? '');
  return ts.isPropertyAccessExpression(r) && ts.isIdentifier(unwrap(r.expression)) && (unwrap(r.expression) as ts.Identifier).text === 'path';
}

/** The text of every function from `node` outwards (an entry callback inside a handler inside a module). */
function guarded(ctx: RuleContext, node: ts.Node): boolean {
  const fn = enclosingFunction(node);
  const scope = fn?.body ?? ctx.sourceFile;
  // the check is made before the write, in the same function (or the callback that owns the entry)
  const text = ctx.text.slice(scope.getStart(ctx.sourceFile), scope.getEnd());
  return GUARD.test(text);
}

export default defineRule({
  meta: {
    id: 'zip-slip',
    title: 'Archive entries written outside the target folder (zip slip)',
    category: 'injection',
    severity: 'error',
    confidence: 'medium',
    cwe: [22, 73],
    owasp: 'A01:2021 Broken Access Control',
    description: 'Finds archive entries (yauzl, unzipper, tar-stream, JSZip, adm-zip, node-stream-zip) whose stored name is joined to a folder (`path.join(dest, entry.fileName)`, `` `${dest}/${entry.path}` ``) and written with `fs` without checking that the result stays inside that folder. node-tar extraction with `preservePaths: true` is reported too. Whole-archive extraction with adm-zip `extractAllTo`, unzipper `Extract` or `decompress` is reported at low confidence: their current versions check the paths, old ones do not.',
    notReported: 'Entries whose resolved path is checked with `startsWith(dest + path.sep)` or `path.relative`, names cut down to `path.basename`, functions that reject `..`, and names that are not archive entries (uploaded files, the app\'s own paths).',
    why: 'The names inside a zip or tar file are chosen by whoever made it, and can be `../../app/server.js` or an absolute path. Joining such a name to your upload folder and writing the file overwrites code, config or SSH keys anywhere the server can write: a single uploaded archive becomes remote code execution.',
    fix: 'Resolve the target, then refuse anything outside the folder: `const target = path.resolve(dest, entry.fileName); if (!target.startsWith(path.resolve(dest) + path.sep)) throw new Error(\'bad entry\');`. Or keep only `path.basename(entry.fileName)` when you do not need subfolders. Keep adm-zip, unzipper, tar and decompress up to date.',
    bad: `const yauzl = require('yauzl');

yauzl.open(req.file.path, { lazyEntries: true }, (err, zip) => {
  zip.on('entry', (entry) => {
    const target = path.join(UPLOAD_DIR, entry.fileName);
    zip.openReadStream(entry, (err, stream) => {
      stream.pipe(fs.createWriteStream(target)).on('close', () => zip.readEntry());
    });
  });
  zip.readEntry();
});`,
    good: `const yauzl = require('yauzl');

const root = path.resolve(UPLOAD_DIR);
yauzl.open(req.file.path, { lazyEntries: true }, (err, zip) => {
  zip.on('entry', (entry) => {
    const target = path.resolve(root, entry.fileName);
    if (!target.startsWith(root + path.sep)) return zip.close();
    zip.openReadStream(entry, (err, stream) => {
      stream.pipe(fs.createWriteStream(target)).on('close', () => zip.readEntry());
    });
  });
  zip.readEntry();
});`,
    fixSafety: 'none',
    languages: ALL_LANGUAGES,
    defaultEnabled: true,
    tags: ['zip-slip', 'path-traversal', 'upload'],
  },
  create(ctx) {
    if (ctx.facts.useClient || ![...ctx.facts.modules].some((m) => ARCHIVE_MODULES.test(m))) return {};
    const write = (call: ts.CallExpression | ts.NewExpression) => {
      if (!ts.isCallExpression(call)) return;
      const target = call.arguments[calleeName(call) === 'copyFile' || calleeName(call) === 'copyFileSync' || calleeName(call) === 'rename' || calleeName(call) === 'renameSync' || calleeName(call) === 'symlink' || calleeName(call) === 'symlinkSync' ? 1 : 0];
      if (!target) return;
      const name = joinedEntry(ctx, target);
      if (!name || guarded(ctx, call) || guarded(ctx, name)) return;
      ctx.report({
        node: target,
        message: `\`${calleeName(call)}\` writes to a path built from an archive entry's own name (\`${name.getText(ctx.sourceFile)}\`), which the archive's author chooses: a name like \`../../server.js\` writes outside the folder (zip slip). Resolve the path and check \`target.startsWith(path.resolve(dest) + path.sep)\` before writing, or keep only \`path.basename()\` of the name.`,
        related: [{ node: name, message: 'The entry name comes from inside the archive.' }],
      });
    };
    const calls: Record<string, (n: ts.CallExpression | ts.NewExpression) => void> = {};
    for (const n of FS_WRITES) calls[n] = write;
    calls.extractAllTo = calls.extractAllToAsync = calls.extractEntryTo = (call) => {
      if (!ts.isCallExpression(call) || !ctx.facts.modules.has('adm-zip')) return;
      ctx.report({
        node: call, confidence: 'low',
        message: `\`${calleeName(call)}\` unpacks an archive whose entry names its author chooses; adm-zip checks for \`../\` since 0.4.11, older versions write outside the folder (zip slip). Keep adm-zip up to date, and unpack uploads into an empty folder of their own.`,
      });
    };
    const tarExtract = (call: ts.CallExpression | ts.NewExpression) => {
      if (!ts.isCallExpression(call)) return;
      const recv = calleeObject(call);
      const r = recv && unwrap(recv);
      if (!r || !ts.isIdentifier(r) || !/^tar(-fs)?$/.test(importOf(ctx, r)?.module ?? '')) return;
      const opts = call.arguments[0] && unwrap(call.arguments[0]);
      if (opts && ts.isObjectLiteralExpression(opts) && isBooleanLiteral(getPropertyValue(opts, 'preservePaths'), true)) {
        ctx.report({
          node: call,
          message: `\`${call.expression.getText(ctx.sourceFile)}\` with \`preservePaths: true\` keeps absolute paths and \`..\` in entry names, so an archive can write anywhere the server can (zip slip). Remove \`preservePaths\` (node-tar strips those by default).`,
        });
      }
    };
    calls.x = calls.extract = tarExtract;
    return {
      calls,
      // whole-archive extraction: `decompress(file, dest)`, `unzipper.Extract({ path })`
      CallExpression(call) {
        const c = unwrap(call.expression);
        const id = ts.isIdentifier(c) ? c : ts.isPropertyAccessExpression(c) && ts.isIdentifier(unwrap(c.expression)) ? unwrap(c.expression) as ts.Identifier : undefined;
        if (!id) return;
        const mod = importOf(ctx, id)?.module;
        if (mod === 'decompress' && ts.isIdentifier(c) && call.arguments.length >= 2) {
          ctx.report({ node: call, confidence: 'low', message: '`decompress` unpacks an archive whose entry names its author chooses; versions before 4.2.1 write entries named `../…` outside the folder (zip slip). Keep decompress up to date, and unpack uploads into an empty folder of their own.' });
        }
        if (mod === 'unzipper' && ts.isPropertyAccessExpression(c) && c.name.text === 'Extract') {
          ctx.report({ node: call, confidence: 'low', message: '`unzipper.Extract` unpacks an archive whose entry names its author chooses; versions before 0.8.13 write entries named `../…` outside the folder (zip slip). Keep unzipper up to date, and unpack uploads into an empty folder of their own.' });
        }
      },
    };
  },
});
