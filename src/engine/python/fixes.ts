/** Fix builders for Python findings: plain text edits on the analysed file. */
import type { Node } from 'web-tree-sitter';
import type { Fix, FixData } from '../model/types';

export function pyFix(path: string, title: string, edits: { start: number; end: number; newText: string }[], note?: string): Fix {
  return { title, safety: 'suggestion', edits: [{ file: path, textEdits: edits }], ...(note ? { note } : {}) };
}

/** Where `import os` goes: after the file's docstring, `from __future__` imports and leading comments. */
export function ensureImportEdit(root: Node, text: string, module: string): { start: number; end: number; newText: string } | undefined {
  for (const c of root.namedChildren) {
    if (c?.type === 'import_statement' && c.namedChildren.some((n) => n?.text === module)) return undefined;
  }
  let at = 0;
  for (const c of root.namedChildren) {
    if (!c) continue;
    const docstring = c.type === 'expression_statement' && c.namedChildren[0]?.type === 'string' && at === 0;
    const future = c.type === 'future_import_statement';
    if (docstring || future || c.type === 'comment') { at = c.endIndex; continue; }
    if (c.type === 'import_statement' || c.type === 'import_from_statement') {
      // before the first import: `import os` sorts early
      return { start: c.startIndex, end: c.startIndex, newText: `import ${module}\n` };
    }
    break;
  }
  if (at === 0) return { start: 0, end: 0, newText: `import ${module}\n` };
  const nl = text.indexOf('\n', at);
  const pos = nl < 0 ? text.length : nl + 1;
  return { start: pos, end: pos, newText: `${nl < 0 ? '\n' : ''}import ${module}\n` };
}

/**
 * Input for the project fix "move the secret to .env" (the engine's `resolveProjectFixes`): `replace` becomes
 * `os.environ["NAME"]`, the literal's value goes to `.env`. The rule's own first fix is the same change without
 * the `.env` files, used where the project cannot be read. With `fallbackOf` (the `os.environ.get("X", "lit")`
 * call holding the literal), the call becomes `os.environ["X"]` and the literal becomes X's value in `.env`.
 */
export function moveToEnvData(root: Node, text: string, lit: Node, envName: string, fallbackOf?: Node): FixData {
  const replace = fallbackOf ?? lit;
  const existingEnv = !!fallbackOf;
  const imp = ensureImportEdit(root, text, 'os');
  return {
    kind: 'move-to-env',
    replace: { start: replace.startIndex, end: replace.endIndex },
    literal: { start: lit.startIndex, end: lit.endIndex },
    envName,
    ...(existingEnv ? { existingEnv: true } : {}),
    python: imp ? { importOs: { at: imp.start, text: imp.newText } } : {},
    // a fallback (`os.environ.get("X", "lit")`) has no inline fix: the value has to go somewhere first
    ...(existingEnv ? {} : { inlineFallback: true }),
  };
}
