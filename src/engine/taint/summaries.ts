/**
 * Inter-procedural taint across modules, as plain data.
 *
 * A summary pass reads each file once (parse, facts, the same taint analysis the rules use) and records:
 * - what the module exports (functions, classes, singletons such as `module.exports = new UserDAO()`, objects of
 *   functions), under stable function keys (see calls.ts);
 * - for each of its functions, which parameters reach the return value, and for which sinks a sanitizer inside the
 *   function stops them (`toInt(x)` returns nothing a query can be hurt by);
 * - each call it makes into a local module (`userDao.findByName(req.query.name)`): per argument, either request data
 *   (with where it entered and the calls it went through) or one of the caller's own parameters (for chains
 *   route → service → DAO).
 *
 * `ProjectTaint` joins the summaries: request data passed into a function of another module becomes "incoming"
 * taint for that function's parameter, followed through chains to a fixed point. Each file is then analysed with
 * its `ProjectTaintData` (plain, so it crosses into analysis threads): the rules judge the sink in the callee exactly
 * as they judge request data read there, and the finding carries the path back to the route.
 *
 * Sinks are not listed in summaries: they are judged where they are, by the rules, with the incoming taint. That
 * keeps one definition of each sink (and its sanitizers) instead of a second copy here.
 */
import { ts } from 'ts-morph';
import { collectFacts } from '../facts';
import type { RelatedLocation } from '../model/types';
import { enclosingFunction, isFunctionLike, parseOptions, propertyNameText, unwrap } from '../util/ast';
import { LineMap } from '../util/text';
import { className, isExportsObject } from './calls';
import { checkedBeforeCall } from '../util/validation';
import { TaintAnalyzer, isInert, returnExpressions, type SinkKind, type TaintTrace } from './taint';

/** One step of a data flow in another file (where request data entered, a call that carried it). */
export type FlowHop = RelatedLocation;

/** Request data that reaches a parameter from another module: its label and the steps it took. */
export interface IncomingChain {
  label: string;
  hops: FlowHop[];
  /**
   * The caller checked the value before passing it (a schema or hand-written check, see util/validation.ts), or
   * `dto`: it is a NestJS `@Body()` DTO class, checked if the app uses a `ValidationPipe`
   */
  checked?: true | 'dto';
  /** calls into other modules the value went through, which must return that argument (checked by the join) */
  assumes?: { target: ImportTarget; param: number }[];
}

/** What an export is: a function (by key), a class or an instance of one, or an object of such values. */
export type ExportValue =
  | { fn: string }
  | { cls: string; instance: boolean }
  | { members: Record<string, ExportValue> };

/** A call target in another module, as the caller names it. */
export interface ImportTarget {
  spec: string;
  /** 'default', '*' (the whole module / `require`), or an export name */
  imported: string;
  instance: boolean;
  member?: string;
}

export interface ReturnFlow {
  param: number;
  /** sinks for which a sanitizer inside the function stops this parameter */
  cleanFor?: SinkKind[];
}

export interface FunctionSummary {
  params: number;
  /** parameters whose value reaches the return value */
  returns: ReturnFlow[];
}

export interface ArgFlow {
  index: number;
  /** request data in the argument: its label and the steps from where it entered to this call */
  source?: IncomingChain;
  /** the argument carries this parameter of the calling function (for chains across modules) */
  param?: { fn: string; index: number; assumes?: { target: ImportTarget; param: number }[]; /** checked before the call (see IncomingChain) */ checked?: true | 'dto' };
}

export interface OutgoingCall {
  target: ImportTarget;
  /** the callee as written, for messages (`userDao.findByName`) */
  callee: string;
  location: RelatedLocation;
  args: ArgFlow[];
}

export interface FileSummary {
  /** the path the engine sees (relative to the scan root) */
  file: string;
  /** ESM exports by name ('default' included) and CommonJS `exports.x` */
  exports: Record<string, ExportValue>;
  /** CommonJS `module.exports = …` */
  moduleValue?: ExportValue;
  /** functions with a key, by key */
  functions: Record<string, FunctionSummary>;
  calls: OutgoingCall[];
  /** local module specifiers the file imports (for return flows of functions it calls) */
  specifiers: string[];
}

/** What analysing one file needs to know from the rest of the project (plain data). */
export interface ProjectTaintData {
  /** by function key, then parameter index: request data other modules pass in */
  incoming: Record<string, Record<number, IncomingChain>>;
  /** by import specifier as written in this file: the resolved module's exports and return flows */
  modules: Record<string, { exports: Record<string, ExportValue>; moduleValue?: ExportValue; returns: Record<string, ReturnFlow[]> }>;
}

/** The runtime view of `ProjectTaintData` the taint analysis asks. */
export interface ProjectTaintInput {
  incoming?: ProjectTaintData['incoming'];
  /** the summary pre-pass: calls into local modules are assumed to return their arguments (recorded in `assumes`) */
  assumeReturns?: boolean;
  returns?(target: ImportTarget, sink?: SinkKind): number[];
}

/** Resolves an import specifier from a file to another scanned file (paths as the engine sees them), or undefined. */
export type ImportResolver = (fromFile: string, spec: string) => string | undefined;

const SINK_KINDS: SinkKind[] = ['sql', 'nosql', 'html', 'path', 'url', 'command', 'code', 'log', 'object'];

/** Specifiers worth resolving: relative paths and the usual project aliases (`@/lib/db`, `~/db`, `#db`). */
export function isLocalSpecifier(spec: string): boolean {
  return /^(\.{1,2}(\/|$)|\/|~\/|@\/|#)/.test(spec);
}

function lookupExport(v: ExportValue | undefined, member: string | undefined): string | undefined {
  if (!v) return undefined;
  if (member === undefined) return 'fn' in v ? v.fn : undefined;
  if ('members' in v) { const m = v.members[member]; return m && 'fn' in m ? m.fn : undefined; }
  if ('cls' in v) return `${v.cls}.${member}`;
  return undefined;
}

/** The function key an import target names in a module's exports. */
export function resolveTarget(mod: { exports: Record<string, ExportValue>; moduleValue?: ExportValue }, t: ImportTarget): string | undefined {
  let v: ExportValue | undefined;
  if (t.imported === '*') v = mod.moduleValue ?? { members: mod.exports };
  else if (t.imported === 'default') v = mod.exports.default ?? mod.moduleValue;
  else {
    v = mod.exports[t.imported];
    if (!v && mod.moduleValue && 'members' in mod.moduleValue) v = mod.moduleValue.members[t.imported];
    if (!v && mod.moduleValue && 'cls' in mod.moduleValue) v = { fn: `${mod.moduleValue.cls}.${t.imported}` };
  }
  return lookupExport(v, t.member);
}

/** Turns the plain data into what the analysis asks. */
export function projectInput(data: ProjectTaintData | undefined): ProjectTaintInput | undefined {
  if (!data) return undefined;
  return {
    incoming: data.incoming,
    returns(target, sink) {
      const mod = data.modules[target.spec];
      if (!mod) return [];
      const key = resolveTarget(mod, target);
      const flows = key ? mod.returns[key] : undefined;
      if (!flows) return [];
      return flows.filter((f) => !sink || !f.cleanFor?.includes(sink)).map((f) => f.param);
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------

/** The summary of one JavaScript/TypeScript file. Throws only if the parser gives up (callers catch). */
export function summarizeFile(path: string, text: string): FileSummary {
  const kind = /\.tsx$/i.test(path) ? ts.ScriptKind.TSX : /\.[cm]?ts$/i.test(path) ? ts.ScriptKind.TS : /\.jsx$/i.test(path) ? ts.ScriptKind.JSX : ts.ScriptKind.JS;
  const sf = ts.createSourceFile(path, text, parseOptions(), true, kind);
  const facts = collectFacts(sf, path);
  const taint = new TaintAnalyzer(sf, facts, { assumeReturns: true }, { quickNone: true });
  return summarizeTree(sf, path, text, taint);
}

/** The summary of a parsed file; `taint` must be an analyzer made with `{ assumeReturns: true }` and no incoming taint. */
export function summarizeTree(sf: ts.SourceFile, path: string, text: string, taint: TaintAnalyzer): FileSummary {
  const fns = taint.functions;
  let lines: LineMap | undefined;
  const loc = (node: ts.Node, message: string): RelatedLocation => {
    lines ??= new LineMap(text);
    return { file: path, range: lines.range(node.getStart(sf), node.getEnd()), message };
  };
  const summary: FileSummary = { file: path, exports: {}, functions: {}, calls: [], specifiers: [...taint.moduleSpecifiers()].filter(isLocalSpecifier) };

  // exports
  const valueOf = (e: ts.Expression): ExportValue | undefined => {
    const v = fns.valueOf(e);
    if (!v) return undefined;
    if (v.kind === 'fn') { const k = fns.keyOf(v.fn); return k ? { fn: k } : undefined; }
    if (v.kind === 'class') return { cls: className(v.cls), instance: v.instance };
    if (v.kind === 'object') {
      const members: Record<string, ExportValue> = {};
      for (const p of v.obj.properties) {
        const name = propertyNameText(p.name as ts.PropertyName);
        if (!name) continue;
        if (ts.isMethodDeclaration(p)) { const k = fns.keyOf(p); if (k) members[name] = { fn: k }; continue; }
        const init = ts.isPropertyAssignment(p) ? p.initializer : ts.isShorthandPropertyAssignment(p) ? p.name : undefined;
        const mv = init ? valueOf(init) : undefined;
        if (mv) members[name] = mv;
      }
      return { members };
    }
    return undefined;
  };
  const statements = sf.statements;
  for (let i = 0; i < statements.length; i++) {
    const st = statements[i];
    if (ts.isExpressionStatement(st) && ts.isBinaryExpression(st.expression) && st.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      const { left, right } = st.expression;
      const l = unwrap(left);
      if (isExportsObject(l)) { const v = valueOf(right); if (v) summary.moduleValue = v; }
      else if (ts.isPropertyAccessExpression(l) && isExportsObject(l.expression)) {
        const v = valueOf(right);
        if (v) summary.exports[l.name.text] = v;
      }
      continue;
    }
    // (the statement's modifiers read once for both)
    const modifiers = ts.canHaveModifiers(st) ? ts.getModifiers(st) : undefined;
    const exported = !!modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    const isDefault = !!modifiers?.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);
    if (ts.isFunctionDeclaration(st) && exported) {
      const k = fns.keyOf(st);
      if (k) summary.exports[isDefault || !st.name ? 'default' : st.name.text] = { fn: k };
    } else if (ts.isClassDeclaration(st) && exported) {
      summary.exports[isDefault || !st.name ? 'default' : st.name.text] = { cls: className(st), instance: false };
    } else if (ts.isVariableStatement(st) && exported) {
      for (const d of st.declarationList.declarations) {
        if (!ts.isIdentifier(d.name) || !d.initializer) continue;
        const v = valueOf(d.initializer);
        if (v) summary.exports[d.name.text] = v;
      }
    } else if (ts.isExportAssignment(st) && !st.isExportEquals) {
      const v = valueOf(st.expression);
      if (v) summary.exports.default = v;
    } else if (ts.isExportAssignment(st) && st.isExportEquals) {
      const v = valueOf(st.expression);
      if (v) summary.moduleValue = v;
    } else if (ts.isExportDeclaration(st) && !st.moduleSpecifier && st.exportClause && ts.isNamedExports(st.exportClause)) {
      for (const el of st.exportClause.elements) {
        const v = valueOf(el.propertyName && ts.isIdentifier(el.propertyName) ? el.propertyName : el.name);
        if (v) summary.exports[el.name.text] = v;
      }
    }
  }

  // functions: which parameters reach the return value, and which sinks a sanitizer inside covers. Only what other
  // modules can call (exported functions, methods of exported classes and objects) needs its returns: the file's
  // own analysis follows its local helpers itself
  const exported = new Set<string>();
  const exportedClasses = new Set<string>();
  const collect = (v: ExportValue | undefined, depth = 0) => {
    if (!v || depth > 4) return;
    if ('fn' in v) exported.add(v.fn);
    else if ('cls' in v) exportedClasses.add(v.cls);
    else for (const m of Object.values(v.members)) collect(m, depth + 1);
  };
  collect(summary.moduleValue);
  for (const v of Object.values(summary.exports)) collect(v);
  for (const [fn, key] of fns.allKeyed()) {
    const returns: ReturnFlow[] = [];
    const callable = exported.has(key) || (key.includes('.') && exportedClasses.has(key.slice(0, key.indexOf('.'))));
    if (callable && fn.body && fn.parameters.length) {
      // (per sink only when some parameter flows; a sink that changes nothing on the way is not evaluated again)
      const { any, bySink } = taint.helperParamFlowsPerSink(fn, SINK_KINDS);
      if (any.size) {
        for (const param of any) {
          const cleanFor = SINK_KINDS.filter((_, i) => !bySink[i].has(param));
          returns.push(cleanFor.length ? { param, cleanFor } : { param });
        }
      }
    }
    summary.functions[key] = { params: fn.parameters.length, returns };
  }

  // calls into local modules, with what each argument carries
  // (an index, not for…of: every call of every file, much of it before the code is optimised)
  const calls = summary.specifiers.length ? fns.allCalls() : [];
  // In a file no request data can enter, `taintOf` finds nothing (see requestDataPossible): an argument records
  // something only as a parameter of the function around the call, which must have a key and a parameter (a
  // parameter flow is labelled with the index of one of its own). Most calls of a front-end file are in neither (an
  // anonymous callback, a function without parameters): their target is not looked for.
  // (asked at the first call that needs it, as taintOf would ask)
  let noSources: boolean | undefined;
  for (let c = 0; c < calls.length; c++) {
    const call = calls[c];
    // (a call whose arguments are all inert records nothing: its target is not looked for)
    if (!call.arguments.length || call.arguments.every((a) => isInert(a))) continue;
    noSources ??= taint.findsNoRequestData();
    let enclosing: ts.FunctionLikeDeclaration | undefined;
    let enclosingKey: string | undefined;
    if (noSources) {
      enclosing = enclosingFunction(call);
      enclosingKey = enclosing && enclosing.parameters.length ? fns.keyOf(enclosing) : undefined;
      if (!enclosingKey) continue;
    }
    const target = fns.targetOf(call);
    if (target?.kind !== 'import' || !isLocalSpecifier(target.spec)) continue;
    if (!noSources) {
      enclosing = enclosingFunction(call);
      enclosingKey = enclosing && isFunctionLike(enclosing) ? fns.keyOf(enclosing) : undefined;
    }
    const args: ArgFlow[] = [];
    call.arguments.forEach((arg, index) => {
      // (an inert argument carries nothing: see above)
      if (ts.isSpreadElement(arg) || isInert(arg)) return;
      const t = taint.taintOf(arg);
      if (t && !t.label.startsWith('param:')) {
        const checked = t.checked ?? checkedBeforeCall(sf, taint, arg);
        args.push({ index, source: { ...chainOf(t, loc), ...(checked ? { checked } : {}) } });
        return;
      }
      if (enclosing && enclosingKey) {
        const p = taint.paramFlowOf(arg, enclosing);
        if (p !== undefined) {
          const checked = checkedBeforeCall(sf, taint, arg);
          args.push({ index, param: { fn: enclosingKey, ...p, ...(checked ? { checked } : {}) } });
        }
      }
    });
    if (!args.length) continue;
    const callee = call.expression.getText(sf).replace(/\s+/g, '');
    summary.calls.push({
      target: { spec: target.spec, imported: target.imported, instance: target.instance, ...(target.member ? { member: target.member } : {}) },
      callee: callee.length <= 60 ? callee : callee.slice(0, 57) + '...',
      location: loc(call, ''),
      args,
    });
  }
  return summary;
}

function chainOf(t: TaintTrace, loc: (n: ts.Node, m: string) => RelatedLocation): IncomingChain {
  const hops: FlowHop[] = [...(t.before ?? [])];
  hops.push(loc(t.source, `Request data is read here (${t.label}).`));
  for (const h of t.after ?? []) hops.push(loc(h.node, h.message));
  return { label: t.label, hops, ...(t.assumes ? { assumes: t.assumes } : {}) };
}

// ---------------------------------------------------------------------------------------------------------------

const MAX_HOPS = 12;

/**
 * The summaries of a project, joined. `set`/`delete` as files change (the editor), `dataFor` per file analysed.
 * The join is recomputed lazily after a change; it is linear in the number of calls into local modules.
 */
export class ProjectTaint {
  private readonly summaries = new Map<string, FileSummary>();
  private incoming?: Map<string, Record<string, Record<number, IncomingChain>>>;
  /**
   * Specifiers resolved during one call of a public method: the join resolves every call of every file, and a
   * route file makes dozens of calls through the same `require('../db')`. With the editor's resolver (which looks
   * at the disk) that was a `stat` per call and candidate on every keystroke. Only within one call, so the answers
   * are those the resolver gives at that moment, as before.
   */
  private memo?: Map<string, string | undefined>;

  constructor(private readonly resolver: ImportResolver) {}

  private resolve(from: string, spec: string): string | undefined {
    const memo = this.memo;
    if (!memo) return this.resolver(from, spec);
    const key = `${from}\u0000${spec}`;
    if (memo.has(key)) return memo.get(key);
    const r = this.resolver(from, spec);
    memo.set(key, r);
    return r;
  }

  /** Runs `fn` with one resolution per (file, specifier). */
  private resolving<T>(fn: () => T): T {
    if (this.memo) return fn();
    this.memo = new Map();
    try { return fn(); } finally { this.memo = undefined; }
  }

  get size(): number { return this.summaries.size; }

  /** the files with a summary */
  files(): string[] { return [...this.summaries.keys()]; }

  has(file: string): boolean { return this.summaries.has(file); }

  get(file: string): FileSummary | undefined { return this.summaries.get(file); }

  /** Whether the function a call in `file` reaches returns its argument number `param`. */
  returnsParam(file: string, target: ImportTarget, param: number): boolean {
    const f = this.resolve(file, target.spec);
    const s = f ? this.summaries.get(f) : undefined;
    const key = s ? resolveTarget(s, target) : undefined;
    return !!key && !!s?.functions[key]?.returns.some((r) => r.param === param);
  }

  set(summary: FileSummary): void {
    this.summaries.set(summary.file, summary);
    this.incoming = undefined;
  }

  delete(file: string): void {
    if (this.summaries.delete(file)) this.incoming = undefined;
  }

  /**
   * Files whose analysis depends on `file`'s summary: those it calls into, and on through their calls (request data
   * it passes may travel on: route → service → DAO). At most `max` files.
   */
  dependentsOf(file: string, max = 64): string[] {
    return this.resolving(() => this.dependentsOfNow(file, max));
  }

  private dependentsOfNow(file: string, max: number): string[] {
    const out = new Set<string>();
    const queue = [file];
    while (queue.length && out.size < max) {
      const f = queue.shift()!;
      for (const c of this.summaries.get(f)?.calls ?? []) {
        const t = this.resolve(f, c.target.spec);
        if (t && t !== file && !out.has(t)) { out.add(t); queue.push(t); }
      }
    }
    return [...out];
  }

  /** Whether other modules pass request data into `file`'s functions (the `incoming` of dataFor is not empty). */
  hasIncoming(file: string): boolean {
    return this.resolving(() => Object.keys(this.join().get(file) ?? {}).length > 0);
  }

  /** What analysing `file` needs from the rest of the project; undefined when nothing. */
  dataFor(file: string): ProjectTaintData | undefined {
    return this.resolving(() => this.dataForNow(file));
  }

  private dataForNow(file: string): ProjectTaintData | undefined {
    const incoming = this.join().get(file) ?? {};
    const modules: ProjectTaintData['modules'] = {};
    const s = this.summaries.get(file);
    for (const c of s?.calls ?? []) this.addModule(file, c.target.spec, modules);
    // imports whose functions are only used for their return value are not in `calls` when no argument is tainted:
    // the caller's analysis asks by specifier, so every local specifier of the file is offered
    for (const spec of s?.specifiers ?? []) this.addModule(file, spec, modules);
    if (!Object.keys(incoming).length && !Object.keys(modules).length) return undefined;
    return { incoming, modules };
  }


  private addModule(file: string, spec: string, modules: ProjectTaintData['modules']): void {
    if (modules[spec]) return;
    const target = this.resolve(file, spec);
    const t = target ? this.summaries.get(target) : undefined;
    if (!t) return;
    const returns: Record<string, ReturnFlow[]> = {};
    for (const [k, f] of Object.entries(t.functions)) if (f.returns.length) returns[k] = f.returns;
    modules[spec] = { exports: t.exports, ...(t.moduleValue ? { moduleValue: t.moduleValue } : {}), returns };
  }

  /** Whether every call a value went through in `file` really returns the argument it was given. */
  private holds(file: string, assumes: { target: ImportTarget; param: number }[] | undefined): boolean {
    for (const a of assumes ?? []) {
      const f = this.resolve(file, a.target.spec);
      const s = f ? this.summaries.get(f) : undefined;
      const key = s ? resolveTarget(s, a.target) : undefined;
      if (!s || !key || !s.functions[key]?.returns.some((r) => r.param === a.param)) return false;
    }
    return true;
  }

  /** Incoming taint per file: request data passed into functions of other modules, followed through chains. */
  private join(): Map<string, Record<string, Record<number, IncomingChain>>> {
    if (this.incoming) return this.incoming;
    const incoming = new Map<string, Record<string, Record<number, IncomingChain>>>();
    // edges: a parameter of a function in file F flows into a call to another module
    const edges = new Map<string, { to: { file: string; fn: string; index: number }; hop: FlowHop; checked?: true | 'dto' }[]>();
    const queue: { file: string; fn: string; index: number }[] = [];
    const add = (file: string, fn: string, index: number, chain: IncomingChain) => {
      const byFn = incoming.get(file) ?? {};
      incoming.set(file, byFn);
      const byParam = (byFn[fn] ??= {});
      // one chain per parameter; an unchecked one replaces a checked one (some caller passes the value unchecked)
      const had = byParam[index];
      if (had && !(had.checked && !chain.checked)) return;
      byParam[index] = chain;
      queue.push({ file, fn, index });
    };
    for (const s of this.summaries.values()) {
      for (const c of s.calls) {
        const file = this.resolve(s.file, c.target.spec);
        const callee = file ? this.summaries.get(file) : undefined;
        if (!file || !callee) continue;
        const fn = resolveTarget(callee, c.target);
        if (!fn || !callee.functions[fn]) continue;
        const hop: FlowHop = { ...c.location, message: `The value is passed to \`${c.callee}()\` in ${file} here.` };
        for (const a of c.args) {
          if (a.index >= callee.functions[fn].params) continue;
          if (!this.holds(s.file, a.source?.assumes ?? a.param?.assumes)) continue;
          if (a.source) add(file, fn, a.index, { label: a.source.label, hops: [...a.source.hops, hop].slice(-MAX_HOPS), ...(a.source.checked ? { checked: a.source.checked } : {}) });
          else if (a.param) {
            const key = `${s.file}\u0000${a.param.fn}\u0000${a.param.index}`;
            const l = edges.get(key) ?? [];
            l.push({ to: { file, fn, index: a.index }, hop, ...(a.param.checked ? { checked: a.param.checked } : {}) });
            edges.set(key, l);
          }
        }
      }
    }
    while (queue.length) {
      const { file, fn, index } = queue.shift()!;
      const chain = incoming.get(file)![fn][index];
      for (const e of edges.get(`${file}\u0000${fn}\u0000${index}`) ?? []) {
        const checked = e.checked === true || chain.checked === true ? true : e.checked ?? chain.checked;
        add(e.to.file, e.to.fn, e.to.index, { label: chain.label, hops: [...chain.hops, e.hop].slice(-MAX_HOPS), ...(checked ? { checked } : {}) });
      }
    }
    this.incoming = incoming;
    return incoming;
  }
}

// ---------------------------------------------------------------------------------------------------------------

const RESOLVE_SUFFIXES = ['', '.ts', '.tsx', '.js', '.jsx', '.mjs', '.cjs', '.mts', '.cts',
  '/index.ts', '/index.tsx', '/index.js', '/index.jsx', '/index.mjs', '/index.cjs'];

function normalize(parts: string[]): string | undefined {
  const out: string[] = [];
  for (const p of parts) {
    if (p === '' || p === '.') continue;
    if (p === '..') { if (!out.length) return undefined; out.pop(); } else out.push(p);
  }
  return out.join('/');
}

/**
 * A minimal resolver over a known set of files (paths relative to the scan root, forward slashes): relative
 * specifiers with or without extension, `index` files, and TypeScript's `.js` written for a `.ts` file. Aliases
 * (`@/…`) and package exports are left to the project model's `resolveImport`, which can replace this one.
 */
export function relativeResolver(files: Iterable<string>): ImportResolver {
  const set = new Set(files);
  return (from, spec) => resolveCandidates(from, spec).find((c) => set.has(c));
}

/** The files a relative specifier may name, in the order Node and TypeScript try them. */
export function resolveCandidates(from: string, spec: string): string[] {
  if (!spec.startsWith('./') && !spec.startsWith('../')) return [];
  const dir = from.includes('/') ? from.slice(0, from.lastIndexOf('/')) : '';
  const base = normalize([...dir.split('/'), ...spec.split('/')]);
  if (base === undefined) return [];
  const out = RESOLVE_SUFFIXES.map((s) => base + s);
  const js = /\.(m|c)?js$/.exec(base);
  if (js) {
    const stem = base.slice(0, -js[0].length);
    out.push(...(js[1] === 'm' ? ['.mts'] : js[1] === 'c' ? ['.cts'] : ['.ts', '.tsx']).map((e) => stem + e));
  }
  return out;
}
