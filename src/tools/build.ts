/**
 * Bundles Shipsafe with esbuild (`npm run build`):
 *   the CLI, in four files so that a small scan starts fast:
 *   src/cli/launcher.ts        → dist/cli.js        (`#!/usr/bin/env node`, executable; a few lines: loads the bundle
 *                                                   below with a V8 code cache, src/cli/compile-cache.ts)
 *   src/cli/bundle.ts          → dist/cli-bundle.js (the CLI and the engine; `ts-morph` is replaced by
 *                                                   src/cli/lazy-typescript.mjs, which loads TypeScript on first use)
 *   TypeScript (ts-morph's)    → dist/typescript.js (its parser only, minified; loaded only when a JS/TS file is
 *                                                   parsed; parserOnlyTypeScript)
 *   src/cli/regex-analysis.ts  → dist/regex-analysis.js (regexpp, scslre: loaded when regex-dos first analyses a
 *                                                   regular expression; src/cli/lazy-regex.mjs stands in for them)
 *   src/cli/mcp-sdk.ts         → dist/mcp-sdk.js    (the MCP SDK and zod, for `shipsafe mcp` only; src/cli/lazy-mcp-sdk.mjs)
 *   src/cli/scan-worker-launcher.ts → dist/scan-worker.js (the CLI's analysis threads; loads dist/cli-bundle.js)
 *   src/extension/extension.ts → dist/extension.js  (node, cjs, `vscode` external)   — when the file exists
 *   src/worker/worker.ts       → dist/worker.js     (node, cjs)                      — when the file exists
 *   src/webview/main.ts        → dist/webview/checklist.js (browser, iife) + checklist.css + the codicon font
 *   + dist/web-tree-sitter.wasm and dist/tree-sitter-python.wasm (the Python parser, for all three)
 *   + dist/package.json (`{"type":"commonjs"}`, with the CLI: spares Node reading the extension's big manifest)
 *
 *   tsx src/tools/build.ts [--minify] [--production] [--outdir <dir>]
 *
 * --production: no source maps and minified (for the .vsix and the npm package); --minify alone keeps the
 * source maps. --outdir (default dist) lets tests build into a temporary folder.
 */
import { createHash } from 'node:crypto';
import { build, type BuildOptions, type Plugin } from 'esbuild';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const root = resolve(__dirname, '..', '..');

export interface BuildFlags {
  minify?: boolean;
  production?: boolean;
  outdir?: string;
  /** only these outputs (cli, extension, worker, webview); default: all whose entry exists */
  only?: string[];
  quiet?: boolean;
}

interface Target {
  name: string;
  entry: string;
  outfile: string;
  options: Partial<BuildOptions>;
  executable?: boolean;
  /** rewrite the few non-ASCII characters esbuild leaves (in regular expressions) as \u escapes */
  asciiOnly?: boolean;
}

/**
 * An all-ASCII bundle loads faster: Node reads it as a one-byte string (compile-cache.ts), where a single `•` makes
 * V8 decode all of it as UTF-8 into a two-byte string. `\uXXXX` means the same character in a regular expression,
 * a string, a template, an identifier or a comment.
 */
function escapeNonAscii(file: string): void {
  const text = readFileSync(file, 'utf8');
  if (!/[^\x00-\x7f]/.test(text)) return;
  writeFileSync(file, text.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
}

/** The WebAssembly files the Python parser loads (src/engine/python/parser.ts looks for them next to the bundle). */
export const PYTHON_WASM_FILES = [
  { name: 'web-tree-sitter.wasm', from: 'web-tree-sitter/web-tree-sitter.wasm' },
  { name: 'tree-sitter-python.wasm', from: '@vscode/tree-sitter-wasm/wasm/tree-sitter-python.wasm' },
];

const ALIASES: Record<string, string> = {
  // jsonc-parser's CommonJS build loads its parts with a dynamic require esbuild cannot follow: bundle its ES build
  'jsonc-parser': './node_modules/jsonc-parser/lib/esm/main.js',
  // the CommonJS build of web-tree-sitter: its ES module build locates its .wasm through import.meta.url,
  // which a CommonJS bundle does not have
  'web-tree-sitter': './node_modules/web-tree-sitter/web-tree-sitter.cjs',
};

/** TypeScript as the engine sees it (ts-morph's copy): the CLI ships it as dist/typescript.js. */
const TYPESCRIPT = 'node_modules/@ts-morph/common/dist/typescript.js';
/** Enums read when modules load (`const CALL = ts.SyntaxKind.CallExpression`): copied into the bundle. */
const EAGER_ENUMS = ['SyntaxKind', 'ScriptTarget', 'ScriptKind', 'NodeFlags', 'ModifierFlags', 'TokenFlags', 'DiagnosticCategory', 'EmitHint'];

/**
 * The names of TypeScript's exports the sources use (`ts.isIdentifier`, `ts.forEachChild`…, found by their text):
 * src/cli/lazy-typescript.mjs copies these when TypeScript loads, so that the object the engine reads them from has
 * its final shape from the start. A name this misses is still copied, on its first use.
 */
export function typescriptNamesUsed(ts: Record<string, unknown>): string[] {
  const used = new Set<string>();
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(ts|mts|mjs)$/.test(e.name)) for (const m of readFileSync(p, 'utf8').matchAll(/\bts\.([A-Za-z_$][\w$]*)/g)) used.add(m[1]);
    }
  };
  walk(join(root, 'src'));
  return [...used].filter((n) => Object.prototype.hasOwnProperty.call(ts, n)).sort();
}

/**
 * dist/typescript.js: TypeScript's parser and syntax utilities, without its type checker, emitter, language service
 * and server (3.6 MB of minified code → 0.6 MB), so that the CLI and the editor's worker compile, cache and start
 * less of it.
 *
 * ts-morph's typescript.js is one esbuild bundle: `var ts = {}; ((module) => { …every module, scope-hoisted…;
 * __export(typescript_exports, { name: () => local, … }); module.exports = … })(…)`. The wrapper is taken off and
 * the export table replaced by an ES `export { local as name }` of the names the sources use (typescriptNamesUsed),
 * so that esbuild's tree shaking drops the code those names do not reach. What would keep it all alive is changed:
 * - each namespace object (`var ts_X_exports = {}; __export(ts_X_exports, {…})`) becomes one pure expression, kept
 *   only where something still reads the namespace;
 * - the language service's and the server's top-level statements (code-fix and refactor registrations, namespace
 *   bodies, static fields of the server's classes) are dropped, and so are their top-level variables that nothing
 *   kept reaches (a mark phase): they only fill the services' tables, which the parser never reads. One statement
 *   stays: `setObjectAllocator(getServicesObjectAllocator())`, which gives nodes the methods the engine calls
 *   (getText, getStart, getChildren), exactly as with the whole of TypeScript;
 * - the symbols' documentation functions throw: they need a type checker, which this TypeScript cannot make, and
 *   they reached the whole language service;
 * - with `diagnostics` (diagnosticsNamed, from a first build), the table of diagnostic messages keeps the ~500 of
 *   2,100 the remaining code names.
 * The rest is esbuild's own, sound, dead-code elimination. test/cli/typescript-parser-only.test.ts checks that every
 * name the sources use is there and that every fixture file parses to the same tree, with the same syntax errors,
 * as with the whole of TypeScript.
 */
function parserOnlyTypeScript(used: readonly string[]): (diagnostics?: ReadonlySet<string>) => string {
  const ts = require(join(root, TYPESCRIPT)) as typeof import('typescript');
  const text = readFileSync(join(root, TYPESCRIPT), 'utf8');
  const fail = (what: string): never => { throw new Error(`${TYPESCRIPT}: ${what} (its layout changed: update parserOnlyTypeScript in src/tools/build.ts)`); };
  const open = text.indexOf('\nvar ts = {}; ((module) => {\n');
  const close = text.lastIndexOf('\n})({ get exports() { return ts; }');
  if (open < 0 || close < open) fail('no `var ts = {}; ((module) => {` wrapper');
  const licence = text.slice(0, open);
  let body = text.slice(text.indexOf('\n', open + 1) + 1, close);
  const table = /^var typescript_exports = \{\};\n__export\(typescript_exports, \{\n([^]*?)^\}\);\nmodule\.exports = __toCommonJS\(typescript_exports\);\n/m.exec(body);
  if (!table) fail('no export table');
  const locals = new Map<string, string>();
  for (const m of table![1].matchAll(/^ {2}([\w$]+): \(\) => ([\w$]+),?$/gm)) locals.set(m[1], m[2]);
  body = body.slice(0, table!.index) + body.slice(table!.index + table![0].length);
  // esbuild's annotation for Node's CommonJS export detection, at the end: names every export
  const annotation = body.lastIndexOf('\n0 && (module.exports = {');
  if (annotation < 0) fail('no `0 && (module.exports = …)` annotation');
  body = body.slice(0, annotation);
  body = body.replace(/^var ([\w$]+_exports\d*) = \{\};\n__export\(\1, \{$/gm, 'var $1 = /* @__PURE__ */ __exportNew({');
  body = 'var __exportNew = (all) => { const t = {}; __export(t, all); return t; };\n' + body;
  const sf = ts.createSourceFile('typescript.js', body, ts.ScriptTarget.Latest, false, ts.ScriptKind.JS);
  const sections = [...body.matchAll(/^\/\/ src\/(\w+)\//gm)].map((m) => ({ pos: m.index!, dir: m[1] }));
  const sectionAt = (pos: number) => { let dir = ''; for (const s of sections) { if (s.pos > pos) break; dir = s.dir; } return dir; };
  const SERVICES = new Set(['services', 'server', 'typingsInstallerCore', 'jsTyping', 'deprecatedCompat']);
  const cuts: [number, number, string?][] = [];
  let allocator = false;
  for (const st of sf.statements) {
    if (!ts.isExpressionStatement(st)) continue;
    const start = st.getStart(sf);
    if (!SERVICES.has(sectionAt(start))) continue;
    if (body.startsWith('setObjectAllocator(', start)) { allocator = true; continue; }
    cuts.push([start, st.end]);
  }
  if (!allocator) fail('no `setObjectAllocator(getServicesObjectAllocator())` in the services');
  // the services' top-level variables (their tables: `var errorCodes = [Diagnostics.X.code]`…) that nothing kept can
  // reach: a mark phase over the top-level declarations, from every statement that stays (outside the services, any
  // statement but a declaration) and from the exports, following every identifier (property names too: more is kept)
  const statements = sf.statements;
  const inServices = statements.map((st) => SERVICES.has(sectionAt(st.getStart(sf))));
  const declaredIn = new Map<string, number>();
  statements.forEach((st, i) => {
    if ((ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st)) && st.name) declaredIn.set(st.name.text, i);
    else if (ts.isVariableStatement(st)) for (const d of st.declarationList.declarations) if (ts.isIdentifier(d.name)) declaredIn.set(d.name.text, i);
  });
  const cutAt = new Set(cuts.map(([a]) => a));
  const reached = new Set<number>();
  const queue: number[] = [];
  const reach = (i: number | undefined) => { if (i !== undefined && !reached.has(i)) { reached.add(i); queue.push(i); } };
  statements.forEach((st, i) => {
    if (ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st) || (ts.isVariableStatement(st) && inServices[i]) || cutAt.has(st.getStart(sf))) return;
    reach(i);
  });
  for (const name of used) reach(declaredIn.get(locals.get(name) ?? ''));
  const visit = (n: import('typescript').Node): void => { if (ts.isIdentifier(n)) reach(declaredIn.get(n.text)); ts.forEachChild(n, visit); };
  while (queue.length) visit(statements[queue.pop()!]);
  statements.forEach((st, i) => { if (inServices[i] && ts.isVariableStatement(st) && !reached.has(i)) cuts.push([st.getStart(sf), st.end]); });
  // the symbols' documentation (SymbolObject.getDocumentationComment, getJsDocTags): it needs a type checker, which
  // this TypeScript does not have, and it reaches the whole language service (completions, formatting, printer)
  for (const name of ['getDocumentationComment', 'getJsDocTagsOfDeclarations']) {
    const fn = statements.find((st): st is import('typescript').FunctionDeclaration => ts.isFunctionDeclaration(st) && st.name?.text === name && !!st.body);
    if (!fn) fail(`no function ${name}`);
    cuts.push([fn!.body!.getStart(sf), fn!.body!.end, `{ throw new Error('${name}: not in the parser-only TypeScript of Shipsafe'); }`]);
  }
  const diagnosticsTable = statements.find((st): st is import('typescript').VariableStatement => ts.isVariableStatement(st)
    && st.declarationList.declarations.length === 1 && (st.declarationList.declarations[0].name as import('typescript').Identifier).text === 'Diagnostics');
  const literal = diagnosticsTable?.declarationList.declarations[0].initializer;
  if (!literal || !ts.isObjectLiteralExpression(literal)) fail('no `var Diagnostics = {…}`');
  const messages = (literal as import('typescript').ObjectLiteralExpression).properties;
  const exported = used.map((name) => `${locals.get(name) ?? fail(`no export named ${name}`)} as ${name}`);
  // the module, with the diagnostic messages the code that stays names (`diagnostics`, from a first build) when given
  return (diagnostics) => {
    const all = [...cuts];
    if (diagnostics) {
      const kept = messages.filter((p) => p.name && ts.isIdentifier(p.name) && diagnostics.has(p.name.text)).map((p) => p.getText(sf));
      all.push([literal!.getStart(sf), literal!.end, `{\n  ${kept.join(',\n  ')}\n}`]);
    }
    all.sort((x, y) => y[0] - x[0]);
    let out = body;
    for (const [a, b, by] of all) out = out.slice(0, a) + (by ?? ';') + out.slice(b);
    return `${licence}\n${out}\nexport { ${exported.join(', ')} };\n`;
  };
}

/**
 * The diagnostic messages (`Diagnostics.X`) the parser-only TypeScript still names: a first build of it, tree-shaken,
 * not minified. Every use of `Diagnostics` in it must be such a property read: a table read by key or by
 * Object.keys would need all of them, and the build stops.
 */
async function diagnosticsNamed(module: string): Promise<Set<string>> {
  const r = await build({
    stdin: { contents: module, loader: 'js', resolveDir: root, sourcefile: 'typescript.js' }, bundle: true, write: false,
    platform: 'node', target: 'node20', format: 'cjs', minifySyntax: true, logLevel: 'warning', legalComments: 'none',
  });
  const ts = require(join(root, TYPESCRIPT)) as typeof import('typescript');
  const sf = ts.createSourceFile('typescript.js', r.outputFiles[0].text, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  const names = new Set<string>();
  const visit = (n: import('typescript').Node): void => {
    if (ts.isIdentifier(n) && n.text === 'Diagnostics') {
      const p = n.parent;
      if (ts.isPropertyAccessExpression(p) && p.expression === n) names.add(p.name.text);
      else if (!(ts.isVariableDeclaration(p) && p.name === n) && !((ts.isPropertyAccessExpression(p) || ts.isPropertyAssignment(p)) && p.name === n)) {
        throw new Error(`parserOnlyTypeScript: TypeScript's Diagnostics table is used other than by name: ${p.getText(sf).slice(0, 120)}`);
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return names;
}

/**
 * parserOnlyTypeScript's module, with its diagnostic messages cut to those it names: made once per process (the CLI's
 * TypeScript, the worker and bench's bundles all load it; the sources do not change during a build).
 */
let parserOnlyModule: Promise<string> | undefined;
function parserOnlyModuleText(): Promise<string> {
  return parserOnlyModule ??= (async () => {
    const render = parserOnlyTypeScript(typescriptNamesUsed(require(join(root, TYPESCRIPT)) as Record<string, unknown>));
    return render(await diagnosticsNamed(render()));
  })();
}

/** Serves dist/typescript.js's entry (ts-morph's TypeScript) as parserOnlyTypeScript's module. */
function typescriptParserOnlyPlugin(): Plugin {
  // (esbuild gives real paths: a node_modules reached through a symbolic link — a worktree's, pnpm's — must match)
  const file = realpathSync(join(root, TYPESCRIPT));
  return {
    name: 'typescript-parser-only',
    setup(b) {
      b.onLoad({ filter: /[\\/]typescript\.js$/ }, async (args) => {
        if (args.path !== file) return undefined;
        return { contents: await parserOnlyModuleText(), loader: 'js', resolveDir: dirname(file) };
      });
    },
  };
}

/** `shipsafe:typescript-shape` for src/cli/lazy-typescript.mjs: the eager enums and the export names the sources use. */
function typescriptShapePlugin(): Plugin {
  return {
    name: 'typescript-shape',
    setup(b) {
      b.onResolve({ filter: /^shipsafe:typescript-shape$/ }, () => ({ path: 'typescript-shape', namespace: 'shipsafe' }));
      b.onLoad({ filter: /.*/, namespace: 'shipsafe' }, () => {
        const ts = require(join(root, TYPESCRIPT)) as Record<string, unknown>;
        const enums = Object.fromEntries(EAGER_ENUMS.map((k) => [k, ts[k]]));
        return { contents: JSON.stringify({ enums, used: typescriptNamesUsed(ts) }), loader: 'json' };
      });
    },
  };
}

/**
 * `ts-morph` in the editor's analysis worker: the engine uses only its `ts` export (TypeScript). Imported from
 * ts-morph (CommonJS), every `ts.isX(node)` of the engine went through a namespace getter (about a tenth of the
 * CPU time of a re-analysis while typing, measured with --cpu-prof on the worker bundle). As in the CLI
 * (src/cli/lazy-typescript.mjs), `ts` is an ES module binding to an object holding TypeScript's exports as plain
 * properties; the worker loads TypeScript when it starts, as before, and no longer bundles the rest of ts-morph.
 * With typescriptParserOnlyPlugin, that TypeScript is the parser only, as in the CLI.
 */
function typescriptDataPlugin(): Plugin {
  return {
    name: 'typescript-data',
    setup(b) {
      b.onResolve({ filter: /^ts-morph$/ }, () => ({ path: 'ts-morph', namespace: 'shipsafe-ts' }));
      b.onLoad({ filter: /.*/, namespace: 'shipsafe-ts' }, () => ({
        contents: [
          `import * as real from ${JSON.stringify(join(root, TYPESCRIPT))};`,
          'export const ts = {};',
          'for (const name of Object.keys(real)) Object.defineProperty(ts, name, { value: real[name], writable: true, enumerable: true, configurable: true });',
        ].join('\n'),
        loader: 'js',
        resolveDir: root,
      }));
    },
  };
}

/**
 * One Node script bundled with the engine as the editor's worker bundles it (the same aliases, TypeScript's exports as
 * plain properties): for measurements of the engine as shipped (bench/perfile.ts), not of its run from source.
 */
export async function bundleLikeEngine(entry: string, outfile: string): Promise<void> {
  await build({
    entryPoints: [entry], outfile, bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: false,
    legalComments: 'none', logLevel: 'warning', absWorkingDir: root, alias: ALIASES, plugins: [typescriptDataPlugin(), typescriptParserOnlyPlugin()],
  });
}

/**
 * Shipsafe's manifest as the bundles see it: src/engine/report/types.ts imports package.json for the version and the
 * homepage or repository. Bundled whole, the 80 KB manifest (most of it the extension's settings schema) was 57 KB of
 * cli-bundle.js, built as an object at every start; it is served trimmed to the fields the sources read.
 */
const MANIFEST_FIELDS = ['name', 'version', 'homepage', 'repository'];
function manifestPlugin(): Plugin {
  const file = join(root, 'package.json');
  return {
    name: 'manifest',
    setup(b) {
      b.onLoad({ filter: /[\\/]package\.json$/ }, (args) => {
        if (args.path !== file) return undefined;
        const manifest = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
        return { contents: JSON.stringify(Object.fromEntries(MANIFEST_FIELDS.filter((k) => k in manifest).map((k) => [k, manifest[k]]))), loader: 'json' };
      });
    },
  };
}

/** A hash of what the CLI bundle is built from (src/, the lockfile): the same sources, the same build id. */
function sourceHash(): string {
  const h = createHash('sha256');
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) h.update(`${p.slice(root.length)}\u0000`).update(readFileSync(p)).update('\u0000');
    }
  };
  walk(join(root, 'src'));
  for (const f of ['package.json', 'package-lock.json']) if (existsSync(join(root, f))) h.update(readFileSync(join(root, f)));
  return h.digest('hex').slice(0, 16);
}

export async function buildAll(flags: BuildFlags = {}): Promise<string[]> {
  const outdir = resolve(root, flags.outdir ?? 'dist');
  mkdirSync(outdir, { recursive: true });
  const launcher: Partial<BuildOptions> = { sourcemap: false, minify: false };
  const targets: Target[] = [
    { name: 'cli', entry: 'src/cli/launcher.ts', outfile: 'cli.js', options: { ...launcher, banner: { js: '#!/usr/bin/env node' } }, executable: true },
    {
      name: 'cli', entry: 'src/cli/bundle.ts', outfile: 'cli-bundle.js', asciiOnly: true,
      // whitespace and syntax minified even in development builds (less to read and compile at start-up); names
      // are kept, so stack traces stay readable; --production minifies fully
      options: {
        alias: {
          ...ALIASES, 'ts-morph': './src/cli/lazy-typescript.mjs',
          // the regex analysis is a bundle of its own, loaded when a regular expression is first analysed
          '@eslint-community/regexpp': './src/cli/lazy-regex.mjs', scslre: './src/cli/lazy-regex.mjs',
          // so is the MCP SDK with zod, loaded by `shipsafe mcp`
          '@modelcontextprotocol/sdk/server/mcp.js': './src/cli/lazy-mcp-sdk.mjs', zod: './src/cli/lazy-mcp-sdk.mjs',
        },
        minifyWhitespace: true, minifySyntax: true,
        // results cached by `scan --cache` are bound to the build that made them (src/cli/result-cache.ts)
        define: { __SHIPSAFE_BUILD_ID__: JSON.stringify(sourceHash()) },
        plugins: [typescriptShapePlugin()],
      },
    },
    // regexpp + scslre (+ refa): loaded by the regex-dos rule on first use (src/cli/lazy-regex.mjs)
    { name: 'cli', entry: 'src/cli/regex-analysis.ts', outfile: 'regex-analysis.js', asciiOnly: true, options: { minifyWhitespace: true, minifySyntax: true } },
    // the MCP SDK and zod: loaded by `shipsafe mcp` only (src/cli/lazy-mcp-sdk.mjs)
    { name: 'cli', entry: 'src/cli/mcp-sdk.ts', outfile: 'mcp-sdk.js', asciiOnly: true, options: { minifyWhitespace: true, minifySyntax: true } },
    {
      name: 'cli', entry: TYPESCRIPT, outfile: 'typescript.js',
      options: { minify: true, sourcemap: false, legalComments: 'eof', plugins: [typescriptParserOnlyPlugin()] },
    },
    // the CLI's analysis threads (per-file time budget)
    { name: 'cli', entry: 'src/cli/scan-worker-launcher.ts', outfile: 'scan-worker.js', options: launcher },
    { name: 'extension', entry: 'src/extension/extension.ts', outfile: 'extension.js', options: { external: ['vscode'] } },
    { name: 'worker', entry: 'src/worker/worker.ts', outfile: 'worker.js', options: { plugins: [typescriptDataPlugin(), typescriptParserOnlyPlugin()] } },
  ];
  const built: string[] = [];
  for (const t of targets) {
    if (flags.only && !flags.only.includes(t.name)) continue;
    const entry = join(root, t.entry);
    if (!existsSync(entry)) {
      if (!flags.quiet) console.log(`skip ${t.name}: ${t.entry} does not exist`);
      continue;
    }
    const outfile = join(outdir, t.outfile);
    await build({
      entryPoints: [entry],
      outfile,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      minify: !!(flags.minify || flags.production),
      sourcemap: flags.production ? false : 'linked',
      sourcesContent: false,
      legalComments: 'none',
      logLevel: 'warning',
      absWorkingDir: root,
      alias: ALIASES,
      ...t.options,
      plugins: [manifestPlugin(), ...(t.options.plugins ?? [])],
    });
    if (t.asciiOnly) escapeNonAscii(outfile);
    if (t.executable) chmodSync(outfile, 0o755);
    built.push(outfile);
    if (!flags.quiet) console.log(`built ${t.entry} → ${outfile}`);
  }
  // `{"type":"commonjs"}` beside the bundles: Node looks up the package.json nearest to dist/cli.js (and to
  // dist/scan-worker.js in each thread) to learn its module type; without this one that is Shipsafe's own manifest,
  // 80 KB with the extension's settings schema, whose parse and the garbage collection it brings on cost ~10 ms of
  // CPU at every start (measured with the built CLI below a copy of the manifest, one-file scan, 20 runs interleaved)
  if (built.some((f) => f === join(outdir, 'cli.js'))) {
    const to = join(outdir, 'package.json');
    writeFileSync(to, '{"type":"commonjs"}\n');
    built.push(to);
  }
  // the Python parser: web-tree-sitter's runtime and the Python grammar, loaded from next to the bundles
  if (built.length) {
    for (const wasm of PYTHON_WASM_FILES) {
      const to = join(outdir, wasm.name);
      copyFileSync(require.resolve(wasm.from), to);
      built.push(to);
    }
  }
  if (!flags.only || flags.only.includes('webview')) built.push(...await buildWebview(outdir, flags));
  return built;
}

/** The checklist panel's browser code, its stylesheet and the codicon font (offline: from node_modules). */
export async function buildWebview(outdir: string, flags: BuildFlags = {}): Promise<string[]> {
  const dir = join(outdir, 'webview');
  mkdirSync(dir, { recursive: true });
  const script = join(dir, 'checklist.js');
  await build({
    entryPoints: [join(root, 'src/webview/main.ts')],
    outfile: script,
    bundle: true,
    platform: 'browser',
    target: 'chrome114',
    format: 'iife',
    minify: !!(flags.minify || flags.production),
    sourcemap: flags.production ? false : 'linked',
    sourcesContent: false,
    legalComments: 'none',
    logLevel: 'warning',
    absWorkingDir: root,
  });
  const copies: [string, string][] = [
    [join(root, 'src/webview/checklist.css'), join(dir, 'checklist.css')],
    [join(root, 'node_modules/@vscode/codicons/dist/codicon.css'), join(dir, 'codicon.css')],
    [join(root, 'node_modules/@vscode/codicons/dist/codicon.ttf'), join(dir, 'codicon.ttf')],
  ];
  for (const [from, to] of copies) copyFileSync(from, to);
  if (!flags.quiet) console.log(`built src/webview/main.ts → ${script} (+ checklist.css, codicons)`);
  return [script, ...copies.map(([, to]) => to)];
}

function parseFlags(argv: readonly string[]): BuildFlags {
  const flags: BuildFlags = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--minify') flags.minify = true;
    else if (a === '--production') flags.production = true;
    else if (a === '--outdir') flags.outdir = argv[++i];
    else if (a.startsWith('--outdir=')) flags.outdir = a.slice(9);
    else if (a === '--only') flags.only = (argv[++i] ?? '').split(',');
    else if (a === '--quiet') flags.quiet = true;
    else {
      console.error(`build: unknown argument ${a}\nusage: tsx src/tools/build.ts [--minify] [--production] [--outdir <dir>] [--only cli,extension,worker,webview]`);
      process.exit(2);
    }
  }
  return flags;
}

if (require.main === module) {
  buildAll(parseFlags(process.argv.slice(2))).catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
