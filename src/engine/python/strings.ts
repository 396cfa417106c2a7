/**
 * How a Python string was built: f-strings, `%` formatting, `str.format`, `+` concatenation and `+=`, through
 * local variables. Rules that care about text built from values (SQL, shell commands, templates) share it.
 */
import type { Node } from 'web-tree-sitter';
import { stringValue } from './ast';
import type { PyTaint } from './taint';

export interface BuiltString {
  /** the static text, dynamic parts replaced by a space */
  staticText: string;
  /** the values spliced in */
  dynamic: Node[];
  /** how: 'f-string' | '%' | 'format' | '+' */
  how: string;
}

/** Values that cannot carry text: numbers, `len(…)`, placeholder lists such as `", ".join(["%s"] * len(ids))`. */
export function isHarmlessPart(n: Node): boolean {
  if (n.type === 'integer' || n.type === 'float' || n.type === 'true' || n.type === 'false' || n.type === 'none') return true;
  if (stringValue(n) !== undefined) return true;
  if (n.type === 'call') {
    const fn = n.childForFieldName('function');
    const name = fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text : fn?.text;
    if (name && /^(int|float|len|str\.count)$/.test(name) && fn?.type === 'identifier') return true;
    if (name === 'join' && fn?.type === 'attribute') {
      // ", ".join("?" * n) / ",".join(["%s"] * len(x)) / ", ".join("%s" for _ in ids): only placeholder text
      const arg = n.childForFieldName('arguments')?.namedChildren[0];
      if (!arg) return false;
      const strings = arg.descendantsOfType('string');
      return strings.length > 0 && strings.every((s) => /^(%s|\?|:\w+|\$\d+|%\(\w+\)s)?$/.test((stringValue(s) ?? 'x').trim()));
    }
  }
  return false;
}

export function decomposeString(n: Node, taint: PyTaint, depth = 0): BuiltString | undefined {
  if (depth > 5) return undefined;
  switch (n.type) {
    case 'parenthesized_expression': return n.namedChildren[0] ? decomposeString(n.namedChildren[0], taint, depth + 1) : undefined;
    case 'string': case 'concatenated_string': {
      const parts = n.type === 'string' ? [n] : n.namedChildren.filter((c): c is Node => !!c);
      const out: BuiltString = { staticText: '', dynamic: [], how: 'f-string' };
      for (const p of parts) {
        for (const c of p.namedChildren) {
          if (!c) continue;
          if (c.type === 'string_content' || c.type === 'escape_sequence') out.staticText += c.text;
          else if (c.type === 'interpolation') {
            const e = c.childForFieldName('expression') ?? c.namedChildren[0];
            if (e) out.dynamic.push(e);
            out.staticText += ' ';
          }
        }
      }
      return out.dynamic.length ? out : undefined;
    }
    case 'binary_operator': {
      const op = n.childForFieldName('operator')?.text;
      const left = n.childForFieldName('left'), right = n.childForFieldName('right');
      if (!left || !right) return undefined;
      if (op === '%') {
        const fmt = stringValue(left);
        if (fmt === undefined) return undefined;
        const values = right.type === 'tuple' ? right.namedChildren.filter((c): c is Node => !!c) : right.type === 'dictionary' ? right.namedChildren.flatMap((p) => (p?.childForFieldName('value') ? [p.childForFieldName('value')!] : [])) : [right];
        return { staticText: fmt, dynamic: values, how: '%' };
      }
      if (op === '+') {
        const l = decomposeString(left, taint, depth + 1) ?? leaf(left);
        const r = decomposeString(right, taint, depth + 1) ?? leaf(right);
        if (!l || !r) return undefined;
        return { staticText: l.staticText + r.staticText, dynamic: [...l.dynamic, ...r.dynamic], how: '+' };
      }
      return undefined;
    }
    case 'call': {
      const fn = n.childForFieldName('function');
      if (fn?.type !== 'attribute' || fn.childForFieldName('attribute')?.text !== 'format') return undefined;
      const fmt = stringValue(fn.childForFieldName('object'));
      if (fmt === undefined) return undefined;
      const args = n.childForFieldName('arguments')?.namedChildren.filter((c): c is Node => !!c) ?? [];
      return { staticText: fmt, dynamic: args.map((a) => (a.type === 'keyword_argument' ? a.childForFieldName('value') ?? a : a)), how: 'format' };
    }
    case 'identifier': {
      const writes = taint.writesBefore(n.text, n);
      if (!writes.length) return undefined;
      // the last plain assignment, plus any `+=` after it
      let i = writes.length - 1;
      const appended: Node[] = [];
      while (i >= 0 && writes[i].parent?.type === 'augmented_assignment') appended.unshift(writes[i--]);
      const base = i >= 0 ? writes[i] : undefined;
      if (!base) return undefined;
      let acc = decomposeString(base, taint, depth + 1) ?? leaf(base);
      if (!acc) return undefined;
      for (const a of appended) {
        const p = decomposeString(a, taint, depth + 1) ?? leaf(a);
        if (!p) return undefined;
        acc = { staticText: acc.staticText + p.staticText, dynamic: [...acc.dynamic, ...p.dynamic], how: acc.dynamic.length ? acc.how : p.how };
      }
      return acc.dynamic.length ? acc : undefined;
    }
  }
  return undefined;
}

/** A part of a `+` chain: a plain string is static text, anything else a dynamic value. */
function leaf(n: Node): BuiltString | undefined {
  const v = stringValue(n);
  if (v !== undefined) return { staticText: v, dynamic: [], how: '+' };
  return { staticText: ' ', dynamic: [n], how: '+' };
}
