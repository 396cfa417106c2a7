/**
 * Text-edit primitives for fixes: everything is offsets into the file's current text, nothing touches the
 * file system. Builders keep the file's own line endings and indentation, and never produce overlapping edits.
 */
import { ts } from 'ts-morph';
import type { FileFacts } from '../facts';
import type { FileEdit, Fix, FixSafety, TextEdit } from '../model/types';
import { literalText, propertyNameText, unwrap } from '../util/ast';

/** Applies non-overlapping edits to a text (in any order). Throws on overlap: a fix must never produce one. */
export function applyTextEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  let out = '';
  let at = 0;
  for (const e of sorted) {
    if (e.start < at || e.end < e.start || e.end > text.length) throw new Error(`overlapping or out-of-range edit at ${e.start}-${e.end}`);
    out += text.slice(at, e.start) + e.newText;
    at = e.end;
  }
  return out + text.slice(at);
}

/** The file's line ending: CRLF when most line breaks are CRLF. */
export function eolOf(text: string): '\n' | '\r\n' {
  let crlf = 0, lf = 0;
  for (let i = 0; i < text.length && crlf + lf < 200; i++) {
    if (text.charCodeAt(i) === 10) { if (text.charCodeAt(i - 1) === 13) crlf++; else lf++; }
  }
  return crlf > lf ? '\r\n' : '\n';
}

export function lineStartOf(text: string, offset: number): number {
  let i = offset;
  while (i > 0 && text[i - 1] !== '\n' && text[i - 1] !== '\r') i--;
  return i;
}

export function lineEndOf(text: string, offset: number): number {
  let i = offset;
  while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
  return i;
}

/** The leading whitespace of the line holding `offset`. */
export function indentAt(text: string, offset: number): string {
  const s = lineStartOf(text, offset);
  return /^[ \t]*/.exec(text.slice(s, s + 200))![0];
}

/** One indentation step as the file writes it (two spaces when it cannot tell). */
export function indentUnit(text: string): string {
  const counts = new Map<string, number>();
  const re = /\n([ \t]+)\S/g;
  let m: RegExpExecArray | null;
  let n = 0;
  while ((m = re.exec(text)) && n++ < 400) {
    const w = m[1];
    if (w.startsWith('\t')) { counts.set('\t', (counts.get('\t') ?? 0) + 1); continue; }
    for (const size of [2, 4]) if (w.length % size === 0) counts.set(' '.repeat(size), (counts.get(' '.repeat(size)) ?? 0) + 1);
  }
  if ((counts.get('\t') ?? 0) > (counts.get('  ') ?? 0)) return '\t';
  // every 4-space indent is also a multiple of 2: prefer 4 only when no line uses an odd number of 2-steps
  if ((counts.get('    ') ?? 0) > 0 && counts.get('    ') === counts.get('  ')) return '    ';
  return '  ';
}

/** Collects edits to one file; `build()` rejects overlaps. */
export class EditSet {
  readonly edits: TextEdit[] = [];
  constructor(readonly file: string, readonly text: string) {}
  replace(start: number, end: number, newText: string): this {
    this.edits.push({ start, end, newText });
    return this;
  }
  replaceNode(node: ts.Node, newText: string, sf?: ts.SourceFile): this {
    return this.replace(node.getStart(sf), node.getEnd(), newText);
  }
  insert(offset: number, newText: string): this {
    return this.replace(offset, offset, newText);
  }
  remove(start: number, end: number): this {
    return this.replace(start, end, '');
  }
  /** Merges inserts at the same offset (in call order) and checks that nothing overlaps. */
  build(): FileEdit {
    const sorted = [...this.edits].map((e, i) => ({ e, i })).sort((a, b) => a.e.start - b.e.start || a.e.end - b.e.end || a.i - b.i);
    const out: TextEdit[] = [];
    for (const { e } of sorted) {
      const last = out[out.length - 1];
      if (last && last.start === e.start && last.end === e.start && e.end === e.start) { last.newText += e.newText; continue; }
      if (last && e.start < last.end) throw new Error(`fix edits overlap at ${e.start}`);
      out.push({ ...e });
    }
    return { file: this.file, textEdits: out };
  }
}

export function makeFix(title: string, safety: FixSafety, edits: EditSet | EditSet[], note?: string): Fix {
  const list = Array.isArray(edits) ? edits : [edits];
  return { title, safety, edits: list.map((e) => e.build()).filter((e) => e.textEdits.length > 0), ...(note ? { note } : {}) };
}

/** Runs a fix builder; a builder that cannot handle the shape returns undefined or throws, and then no fix is offered. */
export function tryFixes(build: () => (Fix | undefined)[] | Fix | undefined): Fix[] | undefined {
  try {
    const r = build();
    const list = (Array.isArray(r) ? r : [r]).filter((f): f is Fix => !!f && (f.edits.length > 0 || !!f.disabled));
    return list.length ? list : undefined;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------------------
// statements and lines

/** The statement that holds a node (directly inside a block, a case clause or the source file). */
export function enclosingStatement(node: ts.Node): ts.Statement | undefined {
  let n: ts.Node | undefined = node;
  while (n && n.parent) {
    const p: ts.Node = n.parent;
    if ((ts.isBlock(p) || ts.isSourceFile(p) || ts.isCaseClause(p) || ts.isDefaultClause(p) || ts.isModuleBlock(p)) && ts.isStatement(n as ts.Node)) return n as ts.Statement;
    n = p;
  }
  return undefined;
}

/** Inserts a whole line (without its line break) right above the line where `node` starts, with that line's indentation. */
export function insertLineAbove(es: EditSet, node: ts.Node, sf: ts.SourceFile, line: string): void {
  const start = node.getStart(sf);
  const ls = lineStartOf(es.text, start);
  es.insert(ls, `${indentAt(es.text, start)}${line}${eolOf(es.text)}`);
}

// ---------------------------------------------------------------------------------------------------------
// object literals and arguments

/** Removes one property of an object literal with its comma (and its whole line when it sits alone on one). */
export function removeProperty(es: EditSet, obj: ts.ObjectLiteralExpression, prop: ts.ObjectLiteralElementLike, sf: ts.SourceFile): void {
  const props = obj.properties;
  const i = props.indexOf(prop);
  if (i < 0) throw new Error('not a property of this object');
  const text = es.text;
  const start = prop.getStart(sf);
  const end = prop.getEnd();
  const ls = lineStartOf(text, start);
  const aloneStart = text.slice(ls, start).trim() === '';
  // the comma after the property, if any
  let after = end;
  while (after < text.length && /[ \t]/.test(text[after])) after++;
  const hasComma = text[after] === ',';
  const afterComma = hasComma ? after + 1 : end;
  let restOfLine = afterComma;
  while (restOfLine < text.length && /[ \t]/.test(text[restOfLine])) restOfLine++;
  const aloneEnd = text[restOfLine] === '\n' || text[restOfLine] === '\r' || text.startsWith('//', restOfLine);
  if (aloneStart && aloneEnd && !text.startsWith('//', restOfLine)) {
    // the property is on lines of its own: drop those lines
    let e = restOfLine;
    if (text[e] === '\r') e++;
    if (text[e] === '\n') e++;
    if (!hasComma && i > 0) {
      // last property without a trailing comma: the previous property's comma must go
      const prev = props[i - 1];
      let c = prev.getEnd();
      while (c < start && text[c] !== ',') c++;
      if (text[c] === ',') {
        es.remove(c, c + 1);
      }
    }
    es.remove(ls, e);
    return;
  }
  if (hasComma) {
    // `{ a, b: 1, c }` → remove `b: 1, `
    let e = afterComma;
    while (e < text.length && /[ \t]/.test(text[e])) e++;
    es.remove(start, e);
    return;
  }
  if (i > 0) {
    // last property: remove from the previous property's end (its comma) to this one's end
    const prevEnd = props[i - 1].getEnd();
    es.remove(prevEnd, end);
    return;
  }
  // the only property: `{ a: 1 }` → `{}`
  es.replace(obj.getStart(sf) + 1, obj.getEnd() - 1, '');
}

/** Adds `text` (e.g. `httpOnly: true`) as the last property, following the object's layout. */
export function addProperty(es: EditSet, obj: ts.ObjectLiteralExpression, text: string, sf: ts.SourceFile): void {
  const src = es.text;
  const props = obj.properties;
  const open = obj.getStart(sf);
  const close = obj.getEnd() - 1;
  if (!props.length) {
    es.replace(open + 1, close, ` ${text} `);
    return;
  }
  const last = props[props.length - 1];
  const lastEnd = last.getEnd();
  const multiline = /[\r\n]/.test(src.slice(open, props[0].getStart(sf)));
  if (multiline) {
    const indent = indentAt(src, last.getStart(sf));
    const eol = eolOf(src);
    if (props.hasTrailingComma) {
      let c = lastEnd;
      while (src[c] !== ',') c++;
      es.insert(c + 1, `${eol}${indent}${text},`);
    } else {
      es.insert(lastEnd, `,${eol}${indent}${text}`);
    }
    return;
  }
  if (props.hasTrailingComma) {
    let c = lastEnd;
    while (src[c] !== ',') c++;
    es.insert(c + 1, ` ${text}`);
    return;
  }
  es.insert(lastEnd, `, ${text}`);
}

/** Sets a property: replaces the value of an existing one, or adds it. */
export function setProperty(es: EditSet, obj: ts.ObjectLiteralExpression, name: string, value: string, sf: ts.SourceFile): void {
  for (const p of obj.properties) {
    if (ts.isPropertyAssignment(p) && propertyNameText(p.name) === name) { es.replaceNode(p.initializer, value, sf); return; }
    if (ts.isShorthandPropertyAssignment(p) && p.name.text === name) { es.replaceNode(p, `${name}: ${value}`, sf); return; }
  }
  addProperty(es, obj, `${name}: ${value}`, sf);
}

/** Appends an argument to a call: `f(a)` → `f(a, text)`, `f()` → `f(text)`. */
export function appendArgument(es: EditSet, call: ts.CallExpression | ts.NewExpression, text: string, sf: ts.SourceFile): void {
  const args = call.arguments;
  if (!args || !args.length) {
    // `f()` / `new F()`; `new F` without parentheses
    const close = call.getEnd() - 1;
    if (es.text[close] !== ')') { es.insert(call.getEnd(), `(${text})`); return; }
    es.insert(close, text);
    return;
  }
  const last = args[args.length - 1];
  if (args.hasTrailingComma) {
    let c = last.getEnd();
    while (es.text[c] !== ',') c++;
    es.insert(c + 1, ` ${text}`);
    return;
  }
  es.insert(last.getEnd(), `, ${text}`);
}

/** Inserts an argument before argument `index`. */
export function insertArgument(es: EditSet, call: ts.CallExpression, index: number, text: string, sf: ts.SourceFile): void {
  const args = call.arguments;
  if (index >= args.length) { appendArgument(es, call, text, sf); return; }
  es.insert(args[index].getStart(sf), `${text}, `);
}

// ---------------------------------------------------------------------------------------------------------
// strings

/** A JavaScript string literal for `value`, in the quote style the file uses. */
export function quoteString(value: string, quote: "'" | '"' = "'"): string {
  let out = '';
  for (const ch of value) {
    if (ch === '\\') out += '\\\\';
    else if (ch === quote) out += `\\${quote}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\u2028') out += '\\u2028';
    else if (ch === '\u2029') out += '\\u2029';
    else out += ch;
  }
  return quote + out + quote;
}

/** Escapes cooked text for the inside of a template literal. */
export function escapeTemplateText(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${');
}

/** The quote character most string literals of the file use. */
export function preferredQuote(sf: ts.SourceFile): "'" | '"' {
  // counted once per tree (its text never changes): every fix offered in a file asks again
  let q = quoteOf.get(sf);
  if (q === undefined) {
    const text = sf.text;
    const single = (text.match(/(^|[\s(,=:[{])'[^'\n]*'/g) ?? []).length;
    const double = (text.match(/(^|[\s(,=:[{])"[^"\n]*"/g) ?? []).length;
    q = double > single ? '"' : "'";
    quoteOf.set(sf, q);
  }
  return q;
}
const quoteOf = new WeakMap<ts.SourceFile, "'" | '"'>();

// ---------------------------------------------------------------------------------------------------------
// imports

export type ModuleStyle = 'esm' | 'cjs';

/** Whether the file writes `import` or `require`. */
export function moduleStyle(sf: ts.SourceFile, path: string): ModuleStyle {
  let imports = 0, requires = 0;
  for (const st of sf.statements) {
    if (ts.isImportDeclaration(st) || ts.isExportDeclaration(st) || ts.isExportAssignment(st)) imports++;
    else if (ts.isVariableStatement(st) && st.declarationList.declarations.some((d) => d.initializer && /^(await\s+)?require\(/.test(d.initializer.getText(sf)))) requires++;
    else if (ts.isVariableStatement(st) && st.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) imports++;
    else if (ts.isFunctionDeclaration(st) && st.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) imports++;
  }
  if (imports) return 'esm';
  if (requires || /\bmodule\.exports\b|\bexports\.\w+\s*=/.test(sf.text)) return 'cjs';
  if (/\.cjs$/.test(path)) return 'cjs';
  if (/\.js$/.test(path)) return 'cjs';
  return 'esm';
}

/** Where new imports go: after the last top-level import or require, else after directives. */
function importInsertOffset(sf: ts.SourceFile): { offset: number; lead: string } {
  const text = sf.text;
  const eol = eolOf(text);
  let lastImport: ts.Statement | undefined;
  for (const st of sf.statements) {
    if (ts.isImportDeclaration(st) || ts.isImportEqualsDeclaration(st)) { lastImport = st; continue; }
    if (ts.isVariableStatement(st) && st.declarationList.declarations.every((d) => d.initializer && /^require\(|^require\([^)]*\)\.\w+$/.test(d.initializer.getText(sf)))) { lastImport = st; continue; }
    if (ts.isExpressionStatement(st) && ts.isStringLiteral(st.expression) && !lastImport) continue; // directives
    if (ts.isExpressionStatement(st) && ts.isCallExpression(st.expression) && /^require\(/.test(st.expression.getText(sf))) { lastImport = st; continue; }
    break;
  }
  if (lastImport) return { offset: lineEndOf(text, lastImport.getEnd()), lead: eol };
  // after directives ('use client', 'use strict')
  let afterDirectives: ts.Statement | undefined;
  for (const st of sf.statements) {
    if (ts.isExpressionStatement(st) && ts.isStringLiteral(st.expression)) afterDirectives = st;
    else break;
  }
  if (afterDirectives) return { offset: lineEndOf(text, afterDirectives.getEnd()), lead: eol };
  const first = sf.statements[0];
  if (!first) return { offset: text.length, lead: text.length && !/[\r\n]$/.test(text) ? eol : '' };
  return { offset: lineStartOf(text, first.getStart(sf)), lead: '' };
}

export interface ImportRequest {
  module: string;
  /** `import { name } from 'module'`; omit for a default import */
  named?: string;
  /** the local name for a default import (`helmet`) */
  defaultName?: string;
  /** other module names that count as the same (`crypto` for `node:crypto`) */
  aliases?: string[];
}

/**
 * Makes `name` from `module` available at the top of the file, reusing an existing import or require when there
 * is one (`import { randomInt } from 'node:crypto'`, `const crypto = require('crypto')` → `crypto.randomInt`).
 * Returns the expression to use in code.
 */
export function ensureImport(es: EditSet, sf: ts.SourceFile, facts: FileFacts, path: string, req: ImportRequest): string {
  const modules = [req.module, ...(req.aliases ?? [])];
  const eol = eolOf(es.text);
  const quote = preferredQuote(sf);
  const local = req.named ?? req.defaultName!;
  // 1. an existing binding from the module
  for (const [localName, b] of facts.imports) {
    if (!modules.includes(b.module)) continue;
    if (req.named && b.imported === req.named) return localName;
    if (!req.named && (b.imported === 'default' || (b.imported === '*' && moduleStyle(sf, path) === 'cjs'))) return localName;
  }
  if (req.named) {
    for (const [localName, b] of facts.imports) {
      if (!modules.includes(b.module)) continue;
      if (b.imported === '*' || b.imported === 'default') return `${localName}.${req.named}`;
    }
    // add to an existing named import / destructuring require of the module
    for (const st of sf.statements) {
      if (ts.isImportDeclaration(st) && modules.includes(literalText(st.moduleSpecifier) ?? '') && !st.importClause?.isTypeOnly) {
        const nb = st.importClause?.namedBindings;
        if (nb && ts.isNamedImports(nb)) {
          const els = nb.elements;
          if (els.length) es.insert(els[els.length - 1].getEnd(), `, ${req.named}`);
          else es.replace(nb.getStart(sf), nb.getEnd(), `{ ${req.named} }`);
          return req.named;
        }
      }
      if (ts.isVariableStatement(st)) {
        for (const d of st.declarationList.declarations) {
          if (!d.initializer || !ts.isObjectBindingPattern(d.name)) continue;
          const init = unwrap(d.initializer);
          if (ts.isCallExpression(init) && ts.isIdentifier(init.expression) && init.expression.text === 'require' && modules.includes(literalText(init.arguments[0]) ?? '')) {
            const els = d.name.elements;
            if (els.length) es.insert(els[els.length - 1].getEnd(), `, ${req.named}`);
            else es.replace(d.name.getStart(sf), d.name.getEnd(), `{ ${req.named} }`);
            return req.named;
          }
        }
      }
    }
  }
  // 2. a new import statement
  const style = moduleStyle(sf, path);
  const spec = quote + req.module + quote;
  const line = style === 'esm'
    ? (req.named ? `import { ${req.named} } from ${spec};` : `import ${local} from ${spec};`)
    : (req.named ? `const { ${req.named} } = require(${spec});` : `const ${local} = require(${spec});`);
  const at = importInsertOffset(sf);
  es.insert(at.offset, at.lead ? `${at.lead}${line}` : `${line}${eol}`);
  return local;
}

/** Whether the file is TypeScript (so `!` and type annotations are allowed). */
export function isTypeScript(path: string): boolean {
  return /\.[cm]?tsx?$/.test(path);
}
