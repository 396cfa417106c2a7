/**
 * Type-checks one TypeScript text in memory, with the DOM and Node.js types (the project's @types/node).
 * Third-party modules are not installed for fixtures, so "cannot find module" and its consequences are
 * ignored; everything else is reported. Library files are parsed once and shared between checks.
 */
import { dirname, join } from 'node:path';
import ts from 'typescript';

const root = join(__dirname, '..', '..');
const OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  lib: ['lib.es2022.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'],
  strict: true,
  noEmit: true,
  skipLibCheck: true,
  esModuleInterop: true,
  allowSyntheticDefaultImports: true,
  jsx: ts.JsxEmit.Preserve,
  types: ['node'],
  typeRoots: [join(root, 'node_modules', '@types')],
};

/** Diagnostics that only say a module is not installed here. */
const IGNORED = new Set([2307, 7016, 2875, 2792]);

const libCache = new Map<string, ts.SourceFile>();

function host(fileName: string, text: string): ts.CompilerHost {
  const base = ts.createCompilerHost(OPTIONS, true);
  return {
    ...base,
    getSourceFile(name, lang, onError, shouldCreate) {
      if (name === fileName) return ts.createSourceFile(name, text, lang, true);
      let sf = libCache.get(name);
      if (!sf) {
        sf = base.getSourceFile(name, lang, onError, shouldCreate);
        if (sf) libCache.set(name, sf);
      }
      return sf;
    },
    fileExists: (name) => name === fileName || base.fileExists(name),
    readFile: (name) => (name === fileName ? text : base.readFile(name)),
    getCurrentDirectory: () => dirname(fileName),
  };
}

/** `code: message` of every diagnostic of the file (not of libraries), minus missing-module ones. */
export function typeErrors(path: string, text: string): string[] {
  const fileName = join(root, '.typecheck', path.replace(/^\/+/, ''));
  const program = ts.createProgram({ rootNames: [fileName], options: OPTIONS, host: host(fileName, text) });
  const sf = program.getSourceFile(fileName)!;
  const diags = [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)];
  return diags
    .filter((d) => !IGNORED.has(d.code))
    .map((d) => `TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
}

/** Type errors of `after` that `before` did not have (as a multiset of messages). */
export function newTypeErrors(path: string, before: string, after: string): string[] {
  const was = new Map<string, number>();
  for (const e of typeErrors(path, before)) was.set(e, (was.get(e) ?? 0) + 1);
  const out: string[] = [];
  for (const e of typeErrors(path, after)) {
    const n = was.get(e) ?? 0;
    if (n > 0) was.set(e, n - 1);
    else out.push(e);
  }
  return out;
}
