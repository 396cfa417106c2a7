/**
 * The Python parser: web-tree-sitter (WebAssembly, no Python runtime) with the Python grammar that VS Code
 * itself ships (`@vscode/tree-sitter-wasm`). Loading is asynchronous (it compiles WebAssembly), so it happens
 * once per process or worker thread through {@link loadPythonParser}; parsing after that is synchronous, like
 * the TypeScript parser. The editor re-parses the same file on every pause in typing: the last trees are kept
 * per path and a new text is parsed incrementally from the old tree (tree-sitter reuses the unchanged parts).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Edit, Language, Parser, type Tree } from 'web-tree-sitter';

export const RUNTIME_WASM = 'web-tree-sitter.wasm';
export const PYTHON_WASM = 'tree-sitter-python.wasm';

let loading: Promise<void> | undefined;
let parser: Parser | undefined;
let loadError: string | undefined;

/**
 * Where the .wasm files are: next to the bundle (dist/, where src/tools/build.ts copies them), or in
 * node_modules when running from source.
 */
function locate(name: string): string {
  const here = typeof __dirname === 'string' ? __dirname : process.cwd();
  const candidates = [join(here, name), join(here, 'wasm', name)];
  try {
    candidates.push(name === RUNTIME_WASM
      ? join(dirname(require.resolve('web-tree-sitter')), name)
      : join(dirname(require.resolve('@vscode/tree-sitter-wasm/package.json')), 'wasm', name));
  } catch { /* bundled: node_modules is not there */ }
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error(`cannot find ${name} (looked in ${candidates.join(', ')})`);
  return found;
}

/** Loads the runtime and the grammar once; later calls return the same promise. Never rejects: see {@link pythonParserError}. */
export function loadPythonParser(): Promise<void> {
  loading ??= (async () => {
    try {
      const runtime = locate(RUNTIME_WASM);
      await Parser.init({ wasmBinary: readFileSync(runtime), locateFile: () => runtime } as object);
      const lang = await Language.load(new Uint8Array(readFileSync(locate(PYTHON_WASM))));
      const p = new Parser();
      p.setLanguage(lang);
      parser = p;
    } catch (e) {
      loadError = `the Python parser could not be loaded: ${String((e as Error)?.message ?? e)}`;
    }
  })();
  return loading;
}

export function pythonParserReady(): boolean {
  return parser !== undefined;
}

/** Why Python files cannot be analysed, when they cannot. */
export function pythonParserError(): string {
  return loadError ?? 'the Python parser is not loaded yet (loadPythonParser() was not awaited)';
}

/** Recent trees by path, for incremental re-parsing; oldest first. Trees live in WebAssembly memory: delete them. */
const recent = new Map<string, { text: string; tree: Tree }>();
const KEEP_TREES = 8;

function pointAt(text: string, offset: number): { row: number; column: number } {
  let row = 0, lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) { row++; lineStart = i + 1; }
  return { row, column: offset - lineStart };
}

/**
 * Parses `text` (the file at `path`). When the previous parse of the same path is still cached, the changed
 * region (common prefix and suffix) is applied to the old tree and the parse reuses it. The returned tree is
 * owned by the cache: use it until the next parse of this path, and do not delete it.
 */
export function parsePython(path: string, text: string): Tree {
  if (!parser) throw new Error(pythonParserError());
  const prev = recent.get(path);
  let tree: Tree | null;
  if (prev && prev.text !== text) {
    const a = prev.text, b = text;
    let start = 0;
    const max = Math.min(a.length, b.length);
    while (start < max && a.charCodeAt(start) === b.charCodeAt(start)) start++;
    let endA = a.length, endB = b.length;
    while (endA > start && endB > start && a.charCodeAt(endA - 1) === b.charCodeAt(endB - 1)) { endA--; endB--; }
    // web-tree-sitter counts indices and columns in UTF-16 code units, like JavaScript strings
    prev.tree.edit(new Edit({
      startIndex: start, oldEndIndex: endA, newEndIndex: endB,
      startPosition: pointAt(a, start), oldEndPosition: pointAt(a, endA), newEndPosition: pointAt(b, endB),
    }));
    tree = parser.parse(text, prev.tree);
    prev.tree.delete();
    recent.delete(path);
  } else if (prev) {
    recent.delete(path);
    recent.set(path, prev);
    return prev.tree;
  } else {
    tree = parser.parse(text);
  }
  if (!tree) throw new Error('the Python parser returned no tree');
  recent.set(path, { text, tree });
  while (recent.size > KEEP_TREES) {
    const [oldest, entry] = recent.entries().next().value as [string, { text: string; tree: Tree }];
    entry.tree.delete();
    recent.delete(oldest);
  }
  return tree;
}
