/** Small helpers over tree-sitter Python nodes. */
import type { Node } from 'web-tree-sitter';

/** The call's callee as written, for identifier and attribute chains (`cursor.execute`), else undefined. */
export function dottedName(n: Node | null | undefined): string | undefined {
  if (!n) return undefined;
  if (n.type === 'identifier') return n.text;
  if (n.type === 'attribute') {
    const obj = dottedName(n.childForFieldName('object'));
    const attr = n.childForFieldName('attribute');
    return obj !== undefined && attr ? `${obj}.${attr.text}` : undefined;
  }
  return undefined;
}

/** The last name of a callee: `execute` for `db.cursor().execute`, `eval` for `eval`. */
export function calleeLastName(call: Node): string | undefined {
  const fn = call.childForFieldName('function');
  if (!fn) return undefined;
  if (fn.type === 'identifier') return fn.text;
  if (fn.type === 'attribute') return fn.childForFieldName('attribute')?.text;
  return undefined;
}

/** Positional arguments of a call (no keywords, no splats). */
export function positionalArgs(call: Node): Node[] {
  const args = call.childForFieldName('arguments');
  if (!args || args.type !== 'argument_list') return [];
  return args.namedChildren.filter((c): c is Node => !!c && c.type !== 'keyword_argument' && c.type !== 'comment' && c.type !== 'list_splat' && c.type !== 'dictionary_splat');
}

/** The value of a keyword argument `name=value`, or undefined. */
export function keywordArg(call: Node, name: string): Node | undefined {
  const args = call.childForFieldName('arguments');
  if (!args) return undefined;
  for (const c of args.namedChildren) {
    if (c?.type === 'keyword_argument' && c.childForFieldName('name')?.text === name) return c.childForFieldName('value') ?? undefined;
  }
  return undefined;
}

export function keywordArgNode(call: Node, name: string): Node | undefined {
  const args = call.childForFieldName('arguments');
  if (!args) return undefined;
  for (const c of args.namedChildren) if (c?.type === 'keyword_argument' && c.childForFieldName('name')?.text === name) return c;
  return undefined;
}

export function hasSplatArgs(call: Node): boolean {
  const args = call.childForFieldName('arguments');
  return !!args?.namedChildren.some((c) => c?.type === 'list_splat' || c?.type === 'dictionary_splat');
}

/** A string literal without interpolation: its value (escapes kept as written), else undefined. */
export function stringValue(n: Node | null | undefined): string | undefined {
  if (!n) return undefined;
  if (n.type === 'concatenated_string') {
    let out = '';
    for (const c of n.namedChildren) {
      const v = stringValue(c);
      if (v === undefined) return undefined;
      out += v;
    }
    return out;
  }
  if (n.type !== 'string') return undefined;
  let out = '';
  for (const c of n.namedChildren) {
    if (!c) continue;
    if (c.type === 'interpolation') return undefined;
    if (c.type === 'string_content' || c.type === 'escape_sequence') out += c.text;
  }
  return out;
}

/** Whether the string is an f-string with at least one `{…}`. */
export function isInterpolatedString(n: Node): boolean {
  if (n.type === 'concatenated_string') return n.namedChildren.some((c) => !!c && isInterpolatedString(c));
  return n.type === 'string' && n.namedChildren.some((c) => c?.type === 'interpolation');
}

export function isTrue(n: Node | undefined): boolean {
  return n?.type === 'true';
}

/** The innermost enclosing function definition, or undefined at module level. */
export function enclosingFunction(n: Node): Node | undefined {
  for (let p = n.parent; p; p = p.parent) if (p.type === 'function_definition' || p.type === 'lambda') return p.type === 'lambda' ? enclosingFunction(p) : p;
  return undefined;
}

/** The innermost enclosing class definition, or undefined outside any class. */
export function enclosingClass(n: Node): Node | undefined {
  for (let p = n.parent; p; p = p.parent) if (p.type === 'class_definition') return p;
  return undefined;
}

/** The class a function is a method of (defined right in the class body, decorated or not), or undefined. */
export function classOfMethod(fn: Node): Node | undefined {
  const holder = fn.parent?.type === 'decorated_definition' ? fn.parent : fn;
  const cls = holder.parent?.type === 'block' ? holder.parent.parent : undefined;
  return cls?.type === 'class_definition' ? cls : undefined;
}

/** Every value assigned to a plain name anywhere in the file (`yaml = YAML()`, `env = SandboxedEnvironment()`), in order. */
export function assignedValues(root: Node, name: string): (Node | null)[] {
  return root.descendantsOfType('assignment').filter((a): a is Node => !!a && a.childForFieldName('left')?.text === name)
    .map((a) => a.childForFieldName('right'));
}

/** Decorators of a function definition (the expressions after `@`). */
export function decoratorsOf(fn: Node): Node[] {
  const parent = fn.parent;
  if (parent?.type !== 'decorated_definition') return [];
  return parent.namedChildren.filter((c): c is Node => c?.type === 'decorator').map((d) => d.namedChildren[0]).filter((c): c is Node => !!c);
}

/** Parameters of a function definition: name, annotation text, default node. */
export interface Param { name: string; node: Node; annotation?: string; annotationNode?: Node; default?: Node }
export function paramsOf(fn: Node): Param[] {
  const ps = fn.childForFieldName('parameters');
  if (!ps) return [];
  const out: Param[] = [];
  for (const p of ps.namedChildren) {
    if (!p) continue;
    if (p.type === 'identifier') out.push({ name: p.text, node: p });
    else if (p.type === 'typed_parameter') {
      const id = p.namedChildren.find((c) => c?.type === 'identifier');
      const t = p.childForFieldName('type');
      if (id) out.push({ name: id.text, node: id, annotation: t?.text, annotationNode: t ?? undefined });
    } else if (p.type === 'default_parameter' || p.type === 'typed_default_parameter') {
      const id = p.childForFieldName('name');
      const t = p.childForFieldName('type');
      if (id) out.push({ name: id.text, node: id, annotation: t?.text, annotationNode: t ?? undefined, default: p.childForFieldName('value') ?? undefined });
    }
  }
  return out;
}
