import { ts } from 'ts-morph';
import { ALL_LANGUAGES, defineRule, type RuleContext } from '../../model/rule';
import { calleeName, calleeObject, literalText, memberChain, unwrap } from '../../util/ast';
import { cookEscapes } from '../../util/text';
import { calledFunction, moduleOfExpression, optionProperty, optionValue, resolveObject, resolveString } from '../../util/resolve-values';
import { textPrefilter } from '../../util/text-words';

/** the pre-filter's expression, asked only of a text that holds one of these words (util/text-words.ts) */
const STATIC_SERVING = textPrefilter(/serve-index|serveIndex|static|fastify/i, ['serve-index', 'serveIndex', 'static', 'fastify']);
/** the two modules a called function is looked up for, named in the text (in the shared pass first) */
const SERVE_MODULES = /serve-(index|static)/;
const SERVE_MODULES_TEXT = textPrefilter(SERVE_MODULES, ['serve-index', 'serve-static']);

/**
 * Folder names that hold things nobody should download: logs, version-control data, keys, backups, dumps.
 * `uploads` is not here: serving uploaded files is normal; listing them (serve-index) is what leaks them.
 */
const PRIVATE_SEGMENT = /^(\.git|\.svn|\.hg|\.ssh|\.aws|\.env|logs?|backups?|bak|dumps?|keys?|secrets?|certs?|ssl|private|\.?config|node_modules)$/i;
const STATIC_MODULES = /^(express|serve-static)$/;

/** The folder an expression names, as slash-joined text: `path.join(__dirname, 'logs')` → `<dir>/logs`. */
function folderText(ctx: RuleContext, expr: ts.Expression, depth = 0): string | undefined {
  if (depth > 4) return undefined;
  const e = unwrap(expr);
  const s = resolveString(ctx, e);
  if (s !== undefined) return s;
  if (ts.isIdentifier(e)) {
    if (e.text === '__dirname') return '<dir>';
    const b = ctx.taint.scopes.resolve(e);
    if (b && ts.isVariableDeclaration(b) && b.initializer && ts.isIdentifier(b.name)) return folderText(ctx, b.initializer, depth + 1);
    return undefined;
  }
  const chain = memberChain(e);
  if (chain && chain.join('.') === 'import.meta.dirname') return '<dir>';
  if (ts.isCallExpression(e)) {
    const name = calleeName(e);
    if (name === 'cwd' && chain === undefined) return '<cwd>';
    if ((name === 'join' || name === 'resolve') && e.arguments.length) {
      const parts = e.arguments.map((a) => folderText(ctx, a, depth + 1));
      if (parts.some((p) => p === undefined)) return undefined;
      return parts.join('/');
    }
    if (name === 'cwd') return '<cwd>';
    return undefined;
  }
  if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const l = folderText(ctx, e.left, depth + 1);
    const r = folderText(ctx, e.right, depth + 1);
    return l !== undefined && r !== undefined ? l + r : undefined;
  }
  if (ts.isTemplateExpression(e)) {
    let out = e.head.text;
    for (const span of e.templateSpans) {
      const p = folderText(ctx, span.expression, depth + 1);
      if (p === undefined) return undefined;
      out += p + span.literal.text;
    }
    return out;
  }
  return undefined;
}

/** The path segments of a folder text, without `.`, empty parts and the `<dir>`/`<cwd>` markers. */
function segments(folder: string): string[] {
  return folder.split(/[\\/]+/).filter((s) => s && s !== '.' && s !== '..' && s !== '<dir>' && s !== '<cwd>');
}

/** The private folder a served path names, if any (`./logs` → `logs`). */
function privateSegment(folder: string | undefined): string | undefined {
  if (folder === undefined) return undefined;
  const segs = segments(folder);
  // `node_modules/bootstrap/dist` serves one package's build: only the whole node_modules folder counts
  return segs.find((s, i) => PRIVATE_SEGMENT.test(s) && (s.toLowerCase() !== 'node_modules' || i === segs.length - 1));
}

/** Serving `__dirname`, `process.cwd()` or `.` itself: the code, `.env` and `package.json` become downloadable. */
function isProjectRoot(folder: string | undefined): boolean {
  if (folder === undefined) return false;
  if (segments(folder).length) return false;
  const t = folder.trim();
  return t.includes('<dir>') || t.includes('<cwd>') || t === '.' || t === './';
}

/** The mount path of `app.use('/x', mw)` when `call` is its middleware argument. */
function mountPath(ctx: RuleContext, call: ts.CallExpression): string | undefined {
  const p = call.parent;
  if (p && ts.isCallExpression(p) && calleeName(p) === 'use' && p.arguments.length >= 2 && p.arguments[0] !== call) {
    return resolveString(ctx, p.arguments[0]);
  }
  return undefined;
}

export default defineRule({
  meta: {
    id: 'directory-listing',
    title: 'Folder listing or private folder served over HTTP',
    category: 'config',
    severity: 'warning',
    confidence: 'medium',
    cwe: [548, 538],
    owasp: 'A05:2021 Security Misconfiguration',
    description: 'Finds web servers that list folder contents to visitors (`serve-index`, `@fastify/static` with `list: true`) and static file middleware (`express.static`, `serve-static`, `@fastify/static`) pointed at folders that are not meant to be public: logs, `.git`, keys and certificates, backups and dumps, or the project folder itself (`express.static(__dirname)`).',
    notReported: 'Static serving of ordinary asset folders (`public`, `dist`, `build`, `static`, `uploads` without a listing), folders whose path Shipsafe cannot read, and `list: false`. Listings in test files are low confidence.',
    why: 'A folder listing hands every file name to whoever asks, and serving a logs, `.git`, key or backup folder lets anyone download what is in it: request logs with tokens and e-mail addresses, your full source history, private keys, database dumps. Serving the project folder itself publishes `.env` and the server code.',
    fix: 'Remove the listing middleware (`serve-index`, `list: true`) and serve only a dedicated public folder (`express.static(path.join(__dirname, \'public\'))`). Keep logs, keys and backups outside every served folder; if an admin must read logs, put them behind an authenticated route.',
    bad: `const express = require('express');
const serveIndex = require('serve-index');
const path = require('path');

const app = express();
app.use('/logs', express.static(path.join(__dirname, 'logs')), serveIndex(path.join(__dirname, 'logs')));`,
    good: `const express = require('express');
const path = require('path');

const app = express();
app.use(express.static(path.join(__dirname, 'public')));`,
    fixSafety: 'none',
    languages: ALL_LANGUAGES,
    defaultEnabled: true,
    tags: ['config', 'static-files'],
  },
  create(ctx) {
    if (!STATIC_SERVING.test(ctx.text)) return {};
    const baseConfidence = ctx.facts.testFile ? 'low' : 'medium';

    const judgeFolder = (node: ts.Node, folderExpr: ts.Expression, mount: string | undefined, api: string) => {
      const folder = folderText(ctx, folderExpr);
      const seg = privateSegment(folder) ?? privateSegment(mount);
      if (seg) {
        ctx.report({
          node,
          confidence: ctx.facts.testFile ? 'low' : 'high',
          message: `${api} serves the \`${seg}\` folder to anyone: ${/^(logs?)$/i.test(seg) ? 'logs hold tokens, e-mail addresses and request data' : /^\.(git|svn|hg)$/i.test(seg) ? 'it holds the full source history, including secrets that were ever committed' : /^(keys?|certs?|ssl|\.ssh|\.aws|secrets?|private|\.env)$/i.test(seg) ? 'keys and credentials in it can be downloaded' : /^node_modules$/i.test(seg) ? 'it publishes every dependency\'s files and versions' : /config/i.test(seg) ? 'configuration files often hold passwords and keys' : 'backups and dumps hold your data'}. Serve only a dedicated public folder and keep this one out of it.`,
        });
        return;
      }
      if (isProjectRoot(folder)) {
        ctx.report({
          node,
          confidence: baseConfidence,
          message: `${api} serves the project folder itself (\`${folderExpr.getText(ctx.sourceFile)}\`): the server code, \`package.json\` and any \`.env\` in it can be downloaded. Move the public files into their own folder (e.g. \`public\`) and serve only that.`,
        });
      }
    };

    // the two modules a called function is looked up for: a file that never names them cannot call into them
    // (textMentions: as written, or with the text's escapes decoded)
    const namesServeModules = SERVE_MODULES_TEXT.test(ctx.text) || (ctx.text.includes('\\') && SERVE_MODULES.test(cookEscapes(ctx.text)));
    return {
      CallExpression(call) {
        const ref = namesServeModules ? calledFunction(ctx, call) : undefined;
        const name = calleeName(call);
        // serve-index: a listing of every file in the folder
        if (ref && ref.module === 'serve-index' && call.arguments.length >= 1) {
          const folder = folderText(ctx, call.arguments[0]);
          const mount = mountPath(ctx, call);
          const seg = privateSegment(folder) ?? privateSegment(mount);
          ctx.report({
            node: call,
            confidence: ctx.facts.testFile ? 'low' : seg || /upload/i.test((folder ?? '') + (mount ?? '')) ? 'high' : baseConfidence,
            message: `\`serve-index\` lists every file in ${seg ? `the \`${seg}\` folder` : folder !== undefined ? `\`${folder.replace(/^<dir>\/?/, '')}\`` : 'the folder'} to anyone who opens the URL, so ${seg ? 'its contents' : 'uploads, backups or other files that were never linked'} can be found and downloaded. Remove the listing; serve only files you link to, and put admin views behind authentication.`,
          });
          return;
        }
        // express.static(folder) / serveStatic(folder)
        if (name === 'static' || (ref && ref.module === 'serve-static')) {
          if (!call.arguments.length) return;
          const isExpressStatic = name === 'static' && (() => {
            const recv = calleeObject(call);
            if (!recv) return false;
            const m = moduleOfExpression(ctx, recv);
            return !!m && STATIC_MODULES.test(m.module);
          })();
          const isServeStatic = !!ref && ref.module === 'serve-static';
          if (!isExpressStatic && !isServeStatic) return;
          judgeFolder(call, call.arguments[0], mountPath(ctx, call), isServeStatic ? '`serve-static`' : '`express.static`');
          return;
        }
        // fastify.register(fastifyStatic, { root, list: true })
        if (name === 'register' && call.arguments.length >= 2) {
          const plugin = moduleOfExpression(ctx, call.arguments[0]);
          if (!plugin || (plugin.module !== '@fastify/static' && plugin.module !== 'fastify-static')) return;
          const opts = resolveObject(ctx, call.arguments[1]);
          if (!opts) return;
          const root = optionValue(ctx, opts, 'root');
          const prefix = optionValue(ctx, opts, 'prefix');
          const mount = prefix && prefix !== 'unknown' ? resolveString(ctx, prefix) : undefined;
          const list = optionValue(ctx, opts, 'list');
          const listing = list && list !== 'unknown' && unwrap(list).kind !== ts.SyntaxKind.FalseKeyword && literalText(list) !== 'false';
          if (listing) {
            const roots = root && root !== 'unknown' ? (ts.isArrayLiteralExpression(unwrap(root)) ? (unwrap(root) as ts.ArrayLiteralExpression).elements : [root]) : [];
            const seg = roots.map((r) => privateSegment(folderText(ctx, r))).find(Boolean) ?? privateSegment(mount);
            ctx.report({
              node: optionProperty(opts, 'list') ?? call,
              confidence: ctx.facts.testFile ? 'low' : seg ? 'high' : baseConfidence,
              message: `\`@fastify/static\` with \`list\` turned on shows the contents of ${seg ? `the \`${seg}\` folder` : 'the served folder'} to anyone, so files that were never linked can be found and downloaded. Remove \`list\` (it is off by default) and serve only files you link to.`,
            });
            return;
          }
          if (root && root !== 'unknown') {
            const roots = ts.isArrayLiteralExpression(unwrap(root)) ? (unwrap(root) as ts.ArrayLiteralExpression).elements : [root];
            for (const r of roots) judgeFolder(r, r, mount, '`@fastify/static`');
          }
        }
      },
    };
  },
});
