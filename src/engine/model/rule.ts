import type { ts } from 'ts-morph';
import type { FileFacts } from '../facts';
import type { TaintAnalyzer } from '../taint/taint';
import type { FileKind } from '../files/kinds';
import type { ProjectModel } from '../project-model/model';
import type { PythonRuleImpl, PythonRuleModule } from '../python/rule';
import type { Confidence, Fix, FixData, Language, RelatedLocation, RuleMeta, Severity } from './types';

/** Node kinds a rule can ask for, with their compiler node types. Add kinds here as rules need them. */
export interface NodeTypes {
  CallExpression: ts.CallExpression;
  NewExpression: ts.NewExpression;
  BinaryExpression: ts.BinaryExpression;
  PropertyAssignment: ts.PropertyAssignment;
  ShorthandPropertyAssignment: ts.ShorthandPropertyAssignment;
  ObjectLiteralExpression: ts.ObjectLiteralExpression;
  VariableDeclaration: ts.VariableDeclaration;
  StringLiteral: ts.StringLiteral;
  NoSubstitutionTemplateLiteral: ts.NoSubstitutionTemplateLiteral;
  TemplateExpression: ts.TemplateExpression;
  TaggedTemplateExpression: ts.TaggedTemplateExpression;
  PropertyAccessExpression: ts.PropertyAccessExpression;
  ElementAccessExpression: ts.ElementAccessExpression;
  JsxAttribute: ts.JsxAttribute;
  ImportDeclaration: ts.ImportDeclaration;
  ExportAssignment: ts.ExportAssignment;
  FunctionDeclaration: ts.FunctionDeclaration;
  ArrowFunction: ts.ArrowFunction;
  FunctionExpression: ts.FunctionExpression;
  MethodDeclaration: ts.MethodDeclaration;
  CatchClause: ts.CatchClause;
  ReturnStatement: ts.ReturnStatement;
  PropertyDeclaration: ts.PropertyDeclaration;
}

/**
 * Kinds whose visitor may be given for some names only, as a table made by sameVisitor (`CallExpression:
 * sameVisitor(['find', 'findOne'], fn)`): the callee's last name of a call or `new`, the name of a property or of a
 * member read, the operator of a binary expression (`'='`, `'==='`, `'<'`…). The engine calls it, in the rule's
 * place among the visitors of the kind, only on the nodes whose name the table holds: for a visitor that returns at
 * once on any other name, the same calls in the same order, without a call per node of the kind.
 */
export type KindsByName = 'CallExpression' | 'NewExpression' | 'PropertyAssignment' | 'ShorthandPropertyAssignment' | 'PropertyAccessExpression' | 'BinaryExpression';

export type Visitors = { [K in keyof NodeTypes]?: ((node: NodeTypes[K]) => void) | (K extends KindsByName ? NameTable<(node: NodeTypes[K]) => void> : never) } & {
  /** called once after the walk, for rules that judge the whole file from facts they collected */
  onFileEnd?: () => void;
  /**
   * Calls and `new` expressions by the callee's last name (`db.query(…)` → 'query', `eval(…)` → 'eval').
   * The engine computes the name once per call and looks it up, which is much cheaper than every rule
   * inspecting every call: prefer this to a plain CallExpression visitor when the rule knows its names.
   */
  calls?: Record<string, (node: ts.CallExpression | ts.NewExpression) => void> | NameTable<(node: ts.CallExpression | ts.NewExpression) => void>;
  /** `name: value` and shorthand `name` properties in object literals, by property name. */
  properties?: Record<string, (node: ts.PropertyAssignment | ts.ShorthandPropertyAssignment) => void> | NameTable<(node: ts.PropertyAssignment | ts.ShorthandPropertyAssignment) => void>;
  /** Property reads and writes by member name (`el.innerHTML` → 'innerHTML'). */
  members?: Record<string, (node: ts.PropertyAccessExpression) => void> | NameTable<(node: ts.PropertyAccessExpression) => void>;
};

export interface ReportDescriptor {
  /** the node to underline; or give `range` in offsets */
  node?: ts.Node;
  range?: { start: number; end: number };
  /** what is wrong, why it matters, how to fix it — one or two plain sentences, secrets masked */
  message: string;
  /** defaults to the rule's confidence */
  confidence?: Confidence;
  /** defaults to the rule's severity */
  severity?: Severity;
  /**
   * `location`: a place in another file, already resolved (steps of a data flow found by the project pre-pass);
   * `flow`: the location is a step of the data flow that reaches this finding (SARIF `codeFlows`)
   */
  related?: { node?: ts.Node; range?: { start: number; end: number }; file?: string; message: string; location?: RelatedLocation; flow?: boolean }[];
  fixes?: Fix[];
  /** input for project-level fixes (move a secret to .env), resolved later with file access */
  fixData?: FixData;
  /**
   * Template variable names this finding depends on: below the threshold it is kept as a link candidate, and the
   * project scan reports it at medium confidence when a route fills one of them from request data.
   */
  link?: string[];
}

export interface RuleContext {
  readonly path: string;
  readonly text: string;
  readonly sourceFile: ts.SourceFile;
  readonly language: Language;
  readonly facts: FileFacts;
  readonly taint: TaintAnalyzer;
  /**
   * The project around the file (module graph, exports, apps and routes), when the caller built one (a CLI scan,
   * the editor's workspace folders); absent for a file analysed alone. Its facts for this file are this text's.
   */
  readonly project?: ProjectModel;
  /** `project`, or, for a file analysed alone, a project of this one file (built once per analysis, shared by rules) */
  fileProject(): ProjectModel;
  report(descriptor: ReportDescriptor): void;
}

/** A context for text-only checks (minified bundles, huge files): no syntax tree. */
export interface TextContext {
  readonly path: string;
  readonly text: string;
  report(descriptor: Omit<ReportDescriptor, 'node'> & { range: { start: number; end: number } }): void;
}

/** A context for the checks of files that are not JavaScript (`.env`, YAML, JSON, Dockerfile, key files…). */
export interface FileContext extends TextContext {
  /** what the file is, by its name (see files/kinds.ts) */
  readonly kind: FileKind;
}

export interface Rule {
  meta: RuleMeta;
  /** called once per JavaScript/TypeScript file; returns visitors keyed by node kind (absent for Python-only rules) */
  create?(ctx: RuleContext): Visitors;
  /** the Python implementation, when the rule covers Python */
  python?: PythonRuleImpl;
  /** optional: a cheap text scan for files too large or minified to parse (e.g. secrets in bundles) */
  checkText?(ctx: TextContext): void;
  /** optional: checks a file that is not JavaScript or TypeScript (config, deploy, key and text files) */
  checkFile?(ctx: FileContext): void;
}

export const ALL_LANGUAGES: Language[] = ['javascript', 'typescript', 'javascriptreact', 'typescriptreact'];

export function defineRule(rule: Rule): Rule {
  return rule;
}

/**
 * A `calls` (or `properties`, `members`) table giving every name of a fixed list the same visitor (sameVisitor).
 * The names are a set made once per list; the engine asks it only for the names a file's nodes carry, so a rule
 * naming dozens of callees builds no table for every file.
 */
export class NameTable<F> {
  constructor(readonly names: ReadonlySet<string>, readonly visitor: F) {}
}

const nameSets = new WeakMap<Iterable<string>, ReadonlySet<string>>();
/** the sets sameVisitor made, each with a number of its own (the engine keeps what they answer across files) */
const constantSets = new WeakMap<ReadonlySet<string>, number>();
let nextSetId = 0;

/**
 * A table giving every name the same visitor. `names` must be a constant of the rule's module (a list or set that
 * never changes): its set is made on first use and kept.
 */
export function sameVisitor<F>(names: Iterable<string>, fn: F): NameTable<F> {
  let set = nameSets.get(names);
  if (!set) {
    nameSets.set(names, set = new Set(names));
    constantSets.set(set, nextSetId++);
  }
  return new NameTable(set, fn);
}

/** The number of a set sameVisitor made (a set that never changes), or undefined for any other set. */
export function constantSetId(set: ReadonlySet<string>): number | undefined {
  return constantSets.get(set);
}

/**
 * The rule list with the Python implementations attached to the rules of the same id: their metadata gains
 * `python` in `languages` and the Python docs section. Throws on a Python module whose id names no rule.
 */
export function withPython(rules: readonly Rule[], python: readonly PythonRuleModule[]): readonly Rule[] {
  const byId = new Map(python.map((p) => [p.id, p]));
  for (const p of python) if (!rules.some((r) => r.meta.id === p.id)) throw new Error(`src/engine/python/rules/${p.id}.ts names no rule`);
  return rules.map((r) => {
    const p = byId.get(r.meta.id);
    if (!p) return r;
    return { ...r, meta: { ...r.meta, languages: [...r.meta.languages, 'python'], python: p.docs }, python: { create: p.create } };
  });
}
