import { thirdPartyReason } from './util/third-party';
import { ts } from 'ts-morph';
import { DEFAULT_CONFIG, type ShipsafeConfig } from './config/config';
import { collectFacts, TEST_FILE, type FileFacts } from './facts';
import { constantSetId, NameTable, type FileContext, type NodeTypes, type ReportDescriptor, type Rule, type RuleContext, type TextContext } from './model/rule';
import {
  CONFIDENCE_ORDER, type AnalysisResult, type Finding, type Language, type LinkCandidate, type RelatedLocation, type RenderFact, type SkippedFile,
} from './model/types';
import { parseSuppressions, SuppressionIndex } from './suppress';
import { runPythonRules } from './python/analyze';
import { parsePython, pythonParserError, pythonParserReady } from './python/parser';
import { calleeName, parseOptions, propertyNameText } from './util/ast';
import { TaintAnalyzer } from './taint/taint';
import type { ScopeResolver } from './taint/scope';
import type { FileFunctions } from './taint/calls';
import { projectInput, summarizeTree, type FileSummary, type ProjectTaintData } from './taint/summaries';
import { LineMap, ownCopy, sha256 } from './util/text';
import { keptWords, primeWords, textPrefilter, type KeptWords } from './util/text-words';
import { fileKindOf, type FileKind } from './files/kinds';
import { LINKED_RULE, renderFacts, type RenderDraft } from './templates/link';
import { extractModuleFacts } from './project-model/extract';
import { ProjectModel } from './project-model/model';
import type { ModuleFacts } from './project-model/types';

export interface AnalyzeInput {
  path: string;
  text: string;
  language?: Language;
  /** the project model (see project-model/): rules see the file's place in the app through `ctx.project` */
  project?: ProjectModel;
  /**
   * this text already parsed (`parseForAnalysis`, e.g. by the project model's pre-pass): used instead of parsing it
   * again. Ignored unless it was parsed from this very path and text. The analysis sets its parent pointers.
   */
  sourceFile?: ts.SourceFile;
  /** the module facts extracted from `sourceFile` (project-model/extract.ts): used when that tree is, not extracted again */
  moduleFacts?: ModuleFacts;
  /** what a pre-pass that summarised `sourceFile` prepared (summarizeForAnalysis): used with that tree, not made again */
  prepared?: PreparedTree;
}

/**
 * A tree made ready for its analysis by a pre-pass that summarised it (the CLI's project-model pass): its parent
 * pointers set, the nodes rules can ask for (in document order), the file's facts, and the syntax-only tables of its
 * taint analysis. The analysis of the same tree takes them instead of computing them again. Made only by
 * summarizeForAnalysis, for a text analysisSkipReason leaves in (analyzeText asks it only the size limit again).
 */
export interface PreparedTree {
  readonly sourceFile: ts.SourceFile;
  readonly nodes: readonly ts.Node[];
  readonly facts: FileFacts;
  readonly scopes: ScopeResolver;
  readonly functions: FileFunctions;
  /** the rules' shared pass over the text, when the summary made it (util/text-words: keptWords) */
  readonly words?: KeptWords;
}

export interface AnalyzeOptions {
  rules: readonly Rule[];
  config?: ShipsafeConfig;
  /** measure parse, facts, walk and per-rule time (slower; for the bench and the debug log) */
  timings?: boolean;
  /** only these rule ids (used to re-run one rule when checking a fix) */
  only?: readonly string[];
  /** run only the text-level checks (the secret scan), without parsing: for a file whose analysis ran out of time */
  textOnly?: boolean;
  /** what other modules pass into this one (inter-procedural taint, from the summary pre-pass; see taint/summaries.ts) */
  project?: ProjectTaintData;
  /** also return the file's summary for the project's taint (the editor keeps them up to date per file) */
  summarize?: boolean;
}

const EXTENSION_LANGUAGES: Record<string, Language> = {
  '.js': 'javascript', '.cjs': 'javascript', '.mjs': 'javascript',
  '.jsx': 'javascriptreact',
  '.ts': 'typescript', '.cts': 'typescript', '.mts': 'typescript',
  '.tsx': 'typescriptreact',
  '.py': 'python', '.pyw': 'python',
};

/** The language of a path by its extension, or undefined when Shipsafe does not analyse it. */
export function languageOf(path: string): Language | undefined {
  if (/\.d\.[cm]?ts$/.test(path)) return undefined;
  const m = /\.[^./\\]+$/.exec(path);
  return m ? EXTENSION_LANGUAGES[m[0].toLowerCase()] : undefined;
}

function scriptKind(lang: Exclude<Language, 'python'>): ts.ScriptKind {
  switch (lang) {
    case 'javascript': return ts.ScriptKind.JS;
    case 'javascriptreact': return ts.ScriptKind.JSX;
    case 'typescript': return ts.ScriptKind.TS;
    case 'typescriptreact': return ts.ScriptKind.TSX;
  }
}

/**
 * The tree the analysis starts from (no parent pointers: the analysis sets them in its own walk), for a path it
 * parses; undefined for other files. A caller that parses a file for something else first (the project model's
 * facts) can hand this tree to analyzeText (`sourceFile`) and save the second parse.
 */
export function parseForAnalysis(path: string, text: string): ts.SourceFile | undefined {
  const lang = languageOf(path);
  return lang && lang !== 'python' ? ts.createSourceFile(path, text, parseOptions(), false, scriptKind(lang)) : undefined;
}

export function parse(path: string, text: string, lang: Exclude<Language, 'python'>): ts.SourceFile {
  return ts.createSourceFile(path, text, parseOptions(), true, scriptKind(lang));
}

/** Syntax errors in a text of any supported language (for checking that a fix keeps the file parseable). */
export function syntaxErrorCount(path: string, text: string, lang: Language): number {
  if (lang === 'python') {
    if (!pythonParserReady()) throw new Error(pythonParserError());
    const root = parsePython(`${path}\u0000check`, text).rootNode;
    return root.hasError ? Math.max(1, root.descendantsOfType('ERROR').length) : 0;
  }
  return parseErrorCount(parse(path, text, lang));
}

/** Syntax errors the parser recovered from (the tree is still usable). */
export function parseErrorCount(sf: ts.SourceFile): number {
  return ((sf as unknown as { parseDiagnostics?: unknown[] }).parseDiagnostics ?? []).length;
}

const MINIFIED_LINE = 1000;

/** Why a text should not be parsed, if it should not: binary content or a minified bundle. */
export function classifyText(text: string, maxBytes: number): SkippedFile['reason'] | undefined {
  const probe = text.length > 8192 ? text.slice(0, 8192) : text;
  if (probe.includes('\u0000')) return 'binary';
  if (text.length > maxBytes) return 'too-large';
  if (text.length > 20_000) {
    // minified: fewer than one line per MINIFIED_LINE characters; counted until there are enough lines
    let lines = 1;
    for (let i = text.indexOf('\n'); i !== -1 && lines * MINIFIED_LINE < text.length; i = text.indexOf('\n', i + 1)) lines++;
    if (text.length / lines > MINIFIED_LINE) return 'minified';
  }
  return undefined;
}

/**
 * Every node kind a visitor may name, by SyntaxKind. It must list every key of NodeTypes (the type check fails
 * otherwise), so that the walk collects every node a visitor can ask for.
 */
const DISPATCHABLE: Record<keyof NodeTypes, true> = {
  CallExpression: true, NewExpression: true, BinaryExpression: true, PropertyAssignment: true,
  ShorthandPropertyAssignment: true, ObjectLiteralExpression: true, VariableDeclaration: true, StringLiteral: true,
  NoSubstitutionTemplateLiteral: true, TemplateExpression: true, TaggedTemplateExpression: true,
  PropertyAccessExpression: true, ElementAccessExpression: true, JsxAttribute: true, ImportDeclaration: true,
  ExportAssignment: true, FunctionDeclaration: true, ArrowFunction: true, FunctionExpression: true,
  MethodDeclaration: true, CatchClause: true, ReturnStatement: true, PropertyDeclaration: true,
};
let dispatchTable: boolean[] | undefined;
function dispatchableKinds(): boolean[] {
  if (!dispatchTable) {
    // filled, then published: the CLI may interrupt an analysis (time budget), and a half-filled table must not stay
    const table: boolean[] = [];
    for (const name of Object.keys(DISPATCHABLE)) table[kindOf(name)] = true;
    dispatchTable = table;
  }
  return dispatchTable;
}

/** Kind name → SyntaxKind, resolved once. */
const kindCache = new Map<string, ts.SyntaxKind>();
function kindOf(name: string): ts.SyntaxKind {
  let k = kindCache.get(name);
  if (k === undefined) {
    k = (ts.SyntaxKind as unknown as Record<string, ts.SyntaxKind>)[name];
    if (k === undefined) throw new Error(`unknown node kind in a rule visitor: ${name}`);
    kindCache.set(name, k);
  }
  return k;
}

/** Syntax errors the parser recovered from: the file was analysed, but findings in it may be incomplete. */
export interface SyntaxErrorInfo {
  count: number;
  /** the first error, 1-based line and column */
  line: number;
  column: number;
  message: string;
}

function syntaxErrorsOf(sf: ts.SourceFile): SyntaxErrorInfo | undefined {
  const diags = (sf as unknown as { parseDiagnostics?: ts.DiagnosticWithLocation[] }).parseDiagnostics;
  if (!diags || !diags.length) return undefined;
  const { line, character } = sf.getLineAndCharacterOfPosition(diags[0].start);
  return { count: diags.length, line: line + 1, column: character + 1, message: ts.flattenDiagnosticMessageText(diags[0].messageText, ' ') };
}

/**
 * Analyses one file: parse once, collect facts, walk once dispatching nodes to the rules that asked for them,
 * then apply configuration and suppressions. Never throws for bad input: a rule that crashes is reported
 * as a skipped rule in `errors`, a file that cannot be parsed is `skipped`.
 */
export function analyzeText(input: AnalyzeInput, options: AnalyzeOptions): AnalysisResult & { ruleErrors: { ruleId: string; error: string }[]; syntaxErrors?: SyntaxErrorInfo; moduleFacts?: ModuleFacts; summary?: FileSummary } {
  const config = options.config ?? DEFAULT_CONFIG;
  const lang = input.language ?? languageOf(input.path);
  const ruleErrors: { ruleId: string; error: string }[] = [];
  if (!lang) {
    const kind = fileKindOf(input.path);
    if (!kind) return { file: input.path, findings: [], skipped: { file: input.path, reason: 'excluded', detail: 'not a file Shipsafe reads (binary by its name, a lockfile or a source map)' }, ruleErrors };
    return analyzeOtherFile(input, kind, options, config, ruleErrors);
  }
  if (lang === 'python' && !pythonParserReady()) {
    return { file: input.path, findings: [], skipped: { file: input.path, reason: 'parse-error', detail: pythonParserError() }, ruleErrors };
  }
  const rules = rulesFor(options, config, lang);

  let lineMap: LineMap | undefined;
  const lines = () => (lineMap ??= new LineMap(input.text));
  const raw: { rule: Rule; d: ReportDescriptor }[] = [];
  const timings: Timings | undefined = options.timings ? { parseMs: 0, factsMs: 0, walkMs: 0, rulesMs: {} } : undefined;
  let syntaxErrors: SyntaxErrorInfo | undefined;
  const renderDrafts: RenderDraft[] = [];
  const facts: { module?: ModuleFacts } = {};

  // a tree a pre-pass summarised (summarizeForAnalysis, the only maker of a PreparedTree) is of a text analysisSkipReason
  // left in for its path under the pre-pass's configuration: when it is this path's and text's tree, only the size
  // limit is asked again (binary content, minified lines and third-party code do not depend on the configuration)
  const pre = input.prepared?.sourceFile;
  const skipReason = pre && pre === input.sourceFile && pre.fileName === input.path && pre.text === input.text
    ? sizeSkipReason(input.text, config) : analysisSkipReason(input.path, input.text, config);
  let skipped: SkippedFile | undefined;
  let summary: FileSummary | undefined;
  /** the text-level checks (provider-format secrets): for files that are not parsed, or could not be analysed */
  const textChecks = () => {
    for (const rule of rules) {
      if (!rule.checkText) continue;
      const tctx: TextContext = { path: input.path, text: input.text, report: (d) => raw.push({ rule, d }) };
      try { rule.checkText(tctx); } catch (e) { ruleErrors.push({ ruleId: rule.meta.id, error: String((e as Error)?.stack ?? e) }); }
    }
  };
  if (options.textOnly && !skipReason) {
    skipped = { file: input.path, reason: 'timeout', detail: 'the analysis ran out of time; only the secret scan ran' };
    textChecks();
  } else if (skipReason) {
    const detail = skipReason === 'binary' ? 'the file holds binary data'
      : skipReason === 'third-party' ? `${thirdPartyReason(input.path, input.text)}: code the project did not write; only the secret scan ran`
      : skipReason === 'too-large' ? `the file is ${Math.round(input.text.length / 1024)} KiB, over the ${config.maxFileSizeKb} KiB limit (maxFileSizeKb); only the secret scan ran`
      : 'the file looks minified (very long lines); only the secret scan ran';
    skipped = { file: input.path, reason: skipReason, detail };
    if (skipReason !== 'binary') textChecks();
  } else if (lang === 'python') {
    const py = runPythonRules(input.path, input.text, rules, (rule, d) => raw.push({ rule, d }), ruleErrors, timings, linkedRuleOn(options, config) ? renderDrafts : undefined);
    syntaxErrors = py.syntaxErrors;
  } else {
    try {
      const interproc = { project: options.project, summary: undefined as FileSummary | undefined, summarize: options.summarize };
      syntaxErrors = analyzeTree(input, lang, rules, raw, ruleErrors, timings, linkedRuleOn(options, config) ? renderDrafts : undefined, facts, interproc);
      summary = interproc.summary;
    } catch (e) {
      // the parser or the pre-pass gave up (e.g. nesting deeper than the call stack): the file is not dropped —
      // the text-level secret scan still runs, and the file is listed as not fully analysed
      raw.length = 0;
      syntaxErrors = undefined;
      const why = e instanceof RangeError ? 'its code is nested too deeply to parse' : `the analysis failed (${String((e as Error)?.message ?? e).split('\n')[0].slice(0, 200)})`;
      skipped = { file: input.path, reason: 'parse-error', detail: `${why}; only the secret scan ran` };
      textChecks();
    }
  }

  // most files have no finding: skip the line table and the suppression scan then
  const findings = raw.length ? finalize(input, raw, lines(), config) : [];
  const result: ReturnType<typeof analyzeText> = { file: input.path, findings, skipped, timings, ruleErrors };
  // (the optional keys added in this order, as before: the same objects key for key)
  if (syntaxErrors) result.syntaxErrors = syntaxErrors;
  if (renderDrafts.length) {
    const renders: RenderFact[] = renderDrafts.map((d) => ({ view: d.view, file: input.path, names: d.names.map((n) => ({ name: n.name, label: n.label, range: lines().range(n.start, n.end) })) }));
    result.templateLinks = { renders };
  }
  if (facts.module) result.moduleFacts = facts.module;
  if (summary) result.summary = summary;
  return result;
}

/** Per rule list, the rules of each language that are on by default (and the list's length they were picked from). */
const defaultRules = new WeakMap<readonly Rule[], Map<Language, { from: number; rules: readonly Rule[] }>>();

/** The rules that run on a file of this language: asked for (`only`), not turned off, and written for the language. */
function rulesFor(options: AnalyzeOptions, config: ShipsafeConfig, lang: Language): readonly Rule[] {
  const pick = (r: Rule) =>
    (!options.only || options.only.includes(r.meta.id)) &&
    (config.rules[r.meta.id] ?? (r.meta.defaultEnabled ? r.meta.severity : 'off')) !== 'off' &&
    r.meta.languages.includes(lang);
  if (options.only || hasOwnKeys(config.rules)) return options.rules.filter(pick);
  // no rule setting and no choice of rules: the same rules for every file of the language, picked once per list
  let byLang = defaultRules.get(options.rules);
  if (!byLang) defaultRules.set(options.rules, byLang = new Map());
  let picked = byLang.get(lang);
  if (!picked || picked.from !== options.rules.length) byLang.set(lang, picked = { from: options.rules.length, rules: options.rules.filter(pick) });
  return picked.rules;
}

function hasOwnKeys(o: object): boolean {
  for (const key in o) if (Object.prototype.hasOwnProperty.call(o, key)) return true;
  return false;
}

/** Per rule list, its rule that links views and routes, if it has it (and the list's length it was found in) */
const linkedRules = new WeakMap<readonly Rule[], { from: number; rule: Rule | undefined }>();

/** Whether the rule that links views and routes runs (its file check reads the views; routes only leave facts). */
function linkedRuleOn(options: AnalyzeOptions, config: ShipsafeConfig): boolean {
  let found = linkedRules.get(options.rules);
  if (!found || found.from !== options.rules.length) {
    linkedRules.set(options.rules, found = { from: options.rules.length, rule: options.rules.find((r) => r.meta.id === LINKED_RULE) });
  }
  const rule = found.rule;
  if (!rule || (options.only && !options.only.includes(LINKED_RULE))) return false;
  return (config.rules[LINKED_RULE] ?? (rule.meta.defaultEnabled ? rule.meta.severity : 'off')) !== 'off';
}

type Timings = { parseMs: number; factsMs: number; walkMs: number; rulesMs: Record<string, number> };

/** Parse, pre-pass, one walk dispatching to the rules. Throws when the parser or the pre-pass gives up. */
function analyzeTree(
  input: AnalyzeInput, lang: Exclude<Language, 'python'>, rules: readonly Rule[], raw: { rule: Rule; d: ReportDescriptor }[],
  ruleErrors: { ruleId: string; error: string }[], timings: Timings | undefined, renders?: RenderDraft[], out: { module?: ModuleFacts } = {},
  interproc?: { project?: ProjectTaintData; summarize?: boolean; summary?: FileSummary },
): SyntaxErrorInfo | undefined {
  let t0 = performance.now();
  // parent pointers are set by our own walk below, not by a separate pass of the parser
  const given = input.sourceFile;
  const sf = given && given.fileName === input.path && given.text === input.text && (given as { scriptKind?: ts.ScriptKind }).scriptKind === scriptKind(lang)
    ? given : ts.createSourceFile(input.path, input.text, parseOptions(), false, scriptKind(lang));
  const syntaxErrors = syntaxErrorsOf(sf);
  const prepared = sf === given && input.prepared?.sourceFile === sf ? input.prepared : undefined;
  const interesting = prepared?.nodes ?? walkTree(sf);
  // the words the summary's pass over the text found (the rules' pre-filters ask for them below)
  if (prepared?.words) primeWords(input.text, prepared.words);
  if (timings) { timings.parseMs = performance.now() - t0; }
  const factsStart = performance.now();
  const facts = prepared?.facts ?? collectFacts(sf, input.path);
  const taint = new TaintAnalyzer(sf, facts, projectInput(interproc?.project), { nodes: interesting, quickNone: true, ...(prepared ? { scopes: prepared.scopes, functions: prepared.functions } : {}) });
  let project: ProjectModel | undefined;
  if (input.project) {
    out.module = sf === given && input.moduleFacts?.file === input.path ? input.moduleFacts : extractModuleFacts(sf, input.path, { nodes: interesting });
    project = input.project.withFile(out.module);
  }
  if (timings) { timings.factsMs = performance.now() - factsStart; }
  // a file analysed alone is a project of one file; the rules that judge routes share it
  let alone: ProjectModel | undefined;
  const fileProject = () => project ?? (alone ??= new ProjectModel({ modules: [out.module ?? extractModuleFacts(sf, input.path, { nodes: interesting, lazySession: true })], configs: [] }));

  // the handler lists hold the visitors as the rules gave them, each followed by its rule: [fn, rule, fn, rule…]. A
  // visitor that throws is reported once and replaced in its list by a no-op (the others, even of the same rule,
  // still run): no closure per visitor and per file. With timings, each visitor is wrapped to be measured.
  const enders: { rule: Rule; fn: () => void }[] = [];
  const handlers: Handlers[] = [];
  /** by kind, when a rule gave a visitor of the kind for some names only: the kind's visitors in rule order */
  const kindEntries: KindEntry[][] = [];
  // the rules' tables by name (calls, properties, members) are read when a node of the file names a key, and what a
  // name finds is kept for the file: a rule names dozens of callees, a small file calls a few
  const byCallee = new NamedVisitors(0, ruleErrors, timings?.rulesMs);
  const byProperty = new NamedVisitors(1, ruleErrors, timings?.rulesMs);
  const byMember = new NamedVisitors(2, ruleErrors, timings?.rulesMs);
  const rulesMs = timings?.rulesMs;
  const withProject = project !== undefined;
  for (const rule of rules) {
    if (!rule.create) continue;
    // traces that went through calls add the path they took (route → service → query) to the related locations
    const report = (d: ReportDescriptor) => { raw.push({ rule, d: taint.withFlow(d) }); };
    const ctx: RuleContext = withProject
      ? { path: input.path, text: input.text, sourceFile: sf, language: lang, facts, taint, project, fileProject, report }
      : { path: input.path, text: input.text, sourceFile: sf, language: lang, facts, taint, fileProject, report };
    let visitors;
    try {
      visitors = rule.create(ctx);
    } catch (e) {
      ruleErrors.push({ ruleId: rule.meta.id, error: String((e as Error)?.stack ?? e) });
      continue;
    }
    for (const name of Object.keys(visitors)) {
      const fn = (visitors as Record<string, unknown>)[name];
      if (!fn) continue;
      if (name === 'onFileEnd') { enders.push({ rule, fn: fn as () => void }); continue; }
      if (name === 'calls' || name === 'properties' || name === 'members') {
        (name === 'calls' ? byCallee : name === 'properties' ? byProperty : byMember).add(fn as Record<string, (n: ts.Node) => void> | NameTable<(n: ts.Node) => void>, rule);
        continue;
      }
      const kind = kindOf(name as keyof NodeTypes);
      // a visitor for some names of the kind only (sameVisitor): kept with its names, in its place among the kind's
      const table = fn instanceof NameTable ? fn as NameTable<(n: ts.Node) => void> : undefined;
      if (table && !NAME_OF_KIND[kind]) {
        ruleErrors.push({ ruleId: rule.meta.id, error: `a ${name} visitor cannot be given by name` });
        continue;
      }
      const f = table ? table.visitor : fn as (n: ts.Node) => void;
      const visit = rulesMs ? wrapVisitor(rule, f, ruleErrors, rulesMs) : f;
      if (table || kindEntries[kind]) {
        if (!kindEntries[kind]) {
          // the kind's visitors so far, for all names
          kindEntries[kind] = [];
          const l = handlers[kind];
          for (let i = 0; l && i < l.length; i += 2) kindEntries[kind].push({ visit: l[i] as (n: ts.Node) => void, rule: l[i + 1] as Rule });
          handlers[kind] = undefined as unknown as Handlers;
        }
        kindEntries[kind].push({ visit, rule, names: table?.names });
        continue;
      }
      const l = handlers[kind];
      if (l) l.push(visit, rule); else handlers[kind] = [visit, rule];
    }
  }
  // the kinds with a visitor for some names: their visitors by name
  const byKindName: (KindVisitorsByName | undefined)[] = [];
  kindEntries.forEach((entries, kind) => { byKindName[kind] = new KindVisitorsByName(entries); });
  t0 = performance.now();
  const CALL = ts.SyntaxKind.CallExpression, NEW = ts.SyntaxKind.NewExpression;
  const PROP = ts.SyntaxKind.PropertyAssignment, SHORT = ts.SyntaxKind.ShorthandPropertyAssignment;
  const MEMBER = ts.SyntaxKind.PropertyAccessExpression;
  const calls = byCallee.any(), properties = byProperty.any(), members = byMember.any();
  // indexed loops: a `for…of` that runs before the function is optimised makes an iterator result per node
  for (let i = 0, n = interesting.length; i < n; i++) {
    const node = interesting[i];
    const k = node.kind;
    const hs = handlers[k];
    /** the callee's name, when the kind's visitors by name found it first */
    let callee: string | undefined | null = null;
    if (hs) dispatch(hs, node, ruleErrors);
    else {
      const kv = byKindName[k];
      if (kv) {
        const name = NAME_OF_KIND[k]!(node);
        if (k === CALL || k === NEW) callee = name;
        const l = kv.get(name);
        if (l) kv.dispatch(l, node, ruleErrors);
      }
    }
    let named: Handlers | undefined;
    if (k === CALL || k === NEW) {
      if (calls) {
        const name = callee === null ? calleeName(node as ts.CallExpression) : callee;
        if (name !== undefined) named = byCallee.get(name);
      }
    } else if (k === PROP || k === SHORT) {
      if (properties) {
        const name = propertyNameText((node as ts.PropertyAssignment).name);
        if (name !== undefined) named = byProperty.get(name);
      }
    } else if (k === MEMBER && members) {
      named = byMember.get((node as ts.PropertyAccessExpression).name.text);
    }
    if (named) dispatch(named, node, ruleErrors);
  }
  for (const { rule, fn } of enders) wrapVisitor(rule, fn as (n?: ts.Node) => void, ruleErrors, rulesMs)(sf);
  if (timings) timings.walkMs = performance.now() - t0;
  // views rendered with request data, for the project scan's template links (cheap: only files that render)
  if (renders && RENDER_CALLS.test(input.text)) {
    try { renders.push(...renderFacts(sf, taint, input.path)); } catch (e) { ruleErrors.push({ ruleId: 'template-unescaped-output', error: String((e as Error)?.stack ?? e) }); }
  }
  // the summary reuses the parse and the facts, with an analyzer of its own (no incoming taint: see summaries.ts)
  if (interproc?.summarize) {
    try {
      const own = new TaintAnalyzer(sf, facts, { assumeReturns: true }, { scopes: taint.scopes, functions: taint.functions, quickNone: true });
      interproc.summary = summarizeTree(sf, input.path, input.text, own);
    } catch { /* no summary: the file adds no taint */ }
  }
  return syntaxErrors;
}

/** `.render(` or `.view(` in a text: asked of the shared pass of pre-filters (util/text-words) before two searches of the text */
const RENDER_CALLS = textPrefilter(['.render(', '.view('], ['.render(', '.view(']);

/**
 * Sets the tree's parent pointers and collects, in document order, the nodes of kinds rules can ask for. An iterative
 * pre-order walk: a file of 2,000 `+` terms or nested calls must not overflow the call stack.
 */
function walkTree(sf: ts.SourceFile): ts.Node[] {
  const interesting: ts.Node[] = [];
  const dispatchable = dispatchableKinds();
  // one callback for the whole walk, not a closure per node; `forEachChild` read once: ts-morph's `ts` answers every
  // member through a getter when the engine runs from source; a node's children are pushed onto the stack as they
  // come, then that run of the stack is reversed, so that the first child is popped first
  const stack: ts.Node[] = [sf];
  const forEachChild = ts.forEachChild;
  let current: ts.Node = sf;
  const onChild = (child: ts.Node): undefined => { (child as { parent: ts.Node }).parent = current; stack.push(child); return undefined; };
  while (stack.length) {
    const node = stack.pop()!;
    if (node !== sf && dispatchable[node.kind]) interesting.push(node);
    const first = stack.length;
    current = node;
    forEachChild(node, onChild);
    for (let i = first, j = stack.length - 1; i < j; i++, j--) { const t = stack[i]; stack[i] = stack[j]; stack[j] = t; }
  }
  return interesting;
}

/** Why analyzeText would not parse this text (minified, too large, binary, third-party), or undefined when it would. */
export function analysisSkipReason(path: string, text: string, config: ShipsafeConfig): SkippedFile['reason'] | undefined {
  return classifyText(text, config.maxFileSizeKb * 1024) ?? (thirdPartyReason(path, text) ? 'third-party' : undefined);
}

/**
 * analysisSkipReason of a text it is known to leave in but for the size limit: one in which classifyText found
 * nothing under some limit, and thirdPartyReason nothing for its path (the project model keeps no other, a prepared
 * tree is of no other). Binary content, minified lines and third-party code do not depend on the limit: only
 * `too-large` can then differ, asked as classifyText asks it.
 */
export function sizeSkipReason(text: string, config: ShipsafeConfig): 'too-large' | undefined {
  return text.length > config.maxFileSizeKb * 1024 ? 'too-large' : undefined;
}

/**
 * A file's summary for the project's taint (taint/summaries.ts), from a tree made by parseForAnalysis, with what its
 * analysis can take over (`prepared`, given back to analyzeText with the same tree): the summary before the files'
 * analysis, so that each file is analysed once, already knowing what other modules pass into it. The summary is the
 * one analyzeText gives with `summarize` (the same tree, facts and tables). Undefined for a file analyzeText would
 * not parse (analysisSkipReason) or a tree it cannot summarise.
 */
export function summarizeForAnalysis(sf: ts.SourceFile, text: string, config: ShipsafeConfig,
  /** the caller found that analyzeText parses this text (analysisSkipReason gave nothing): not asked again */
  parses = false): { summary: FileSummary; prepared: PreparedTree } | undefined {
  const path = sf.fileName;
  const lang = languageOf(path);
  if (!lang || lang === 'python' || sf.text !== text || (!parses && analysisSkipReason(path, text, config))) return undefined;
  try {
    const nodes = walkTree(sf);
    const facts = collectFacts(sf, path);
    const own = new TaintAnalyzer(sf, facts, { assumeReturns: true }, { nodes, quickNone: true });
    const summary = summarizeTree(sf, path, text, own);
    const words = keptWords(text);
    return { summary, prepared: { sourceFile: sf, nodes, facts, scopes: own.scopes, functions: own.functions, ...(words ? { words } : {}) } };
  } catch {
    // the analysis reports the file; it adds no taint
    return undefined;
  }
}

/** A file parsed once for the project model, its summary and its analysis (parseForModel). */
export interface ModelParse {
  readonly sourceFile: ts.SourceFile;
  readonly moduleFacts: ModuleFacts;
  /** what the analysis of `sourceFile` takes over from the summary (when it was summarised) */
  readonly prepared?: PreparedTree;
}

/**
 * The project model's pass over one file: parse (parseForAnalysis), the module facts, and with `summarize` (the
 * scan's configuration) the summary for the project's taint (summarizeForAnalysis; null when it cannot be made).
 * The summary is made first: its walk (parent pointers, the nodes in document order) also serves the facts.
 * Undefined for a path the analysis does not parse; throws when the parser gives up.
 */
export function parseForModel(path: string, text: string, summarize?: ShipsafeConfig,
  /** the caller found that analysisSkipReason(path, text, summarize) gives nothing */
  parses = false): { parse: ModelParse; summary?: FileSummary | null } | undefined {
  const sourceFile = parseForAnalysis(path, text);
  if (!sourceFile) return undefined;
  const s = summarize ? summarizeForAnalysis(sourceFile, text, summarize, parses) : undefined;
  // (the summary listed the calls among the nodes: summarizeTree asks the functions' table, made from the same nodes)
  const moduleFacts = extractModuleFacts(sourceFile, path, s ? { nodes: s.prepared.nodes, calls: s.prepared.functions.allCalls() } : undefined);
  // the shared pass over the text, made by the summary or by the module facts (text signs), for the analysis
  const words = s && !s.prepared.words ? keptWords(text) : undefined;
  const prepared = s && words ? { ...s.prepared, words } : s?.prepared;
  return { parse: { sourceFile, moduleFacts, ...(prepared ? { prepared } : {}) }, ...(summarize ? { summary: s?.summary ?? null } : {}) };
}

/** A file that is not JavaScript: only the rules' file checks run, on the text as it is. */
function analyzeOtherFile(input: AnalyzeInput, kind: FileKind, options: AnalyzeOptions, config: ShipsafeConfig,
  ruleErrors: { ruleId: string; error: string }[]): AnalysisResult & { ruleErrors: { ruleId: string; error: string }[] } {
  const probe = input.text.length > 8192 ? input.text.slice(0, 8192) : input.text;
  if (probe.includes('\u0000')) return { file: input.path, findings: [], skipped: { file: input.path, reason: 'binary', detail: 'the file holds binary data' }, ruleErrors };
  if (input.text.length > config.maxFileSizeKb * 1024) {
    return { file: input.path, findings: [], skipped: { file: input.path, reason: 'too-large', detail: `the file is ${Math.round(input.text.length / 1024)} KiB, over the ${config.maxFileSizeKb} KiB limit (maxFileSizeKb)` }, ruleErrors };
  }
  const raw: { rule: Rule; d: ReportDescriptor }[] = [];
  const candidates: LinkCandidate[] = [];
  for (const rule of options.rules) {
    if (!rule.checkFile) continue;
    if (options.only && !options.only.includes(rule.meta.id)) continue;
    if ((config.rules[rule.meta.id] ?? (rule.meta.defaultEnabled ? rule.meta.severity : 'off')) === 'off') continue;
    const fctx: FileContext = { path: input.path, text: input.text, kind, report: (d) => raw.push({ rule, d }) };
    try { rule.checkFile(fctx); } catch (e) { ruleErrors.push({ ruleId: rule.meta.id, error: String((e as Error)?.stack ?? e) }); }
  }
  const findings = raw.length ? finalize(input, raw, new LineMap(input.text), config, candidates) : [];
  return { file: input.path, findings, ruleErrors, ...(candidates.length ? { templateLinks: { candidates } } : {}) };
}

/** Visitors and their rules, alternating: [visitor, rule, visitor, rule…]. */
type Handlers = (((n: ts.Node) => void) | Rule)[];

const NO_VISIT = (): void => undefined;

const NO_HANDLERS: Handlers = [];

/**
 * For a list of tables made by sameVisitor (their sets' numbers, in rule order), what each name finds in them: the
 * places in that list of the tables holding it. A set never changes, so a name's answer holds for every file whose
 * rules gave that list; kept across files (most files of a scan give one of a few lists).
 */
const positionsByList = new Map<string, Map<string, readonly number[]>>();
let positionsKept = 0;
const NO_POSITIONS: readonly number[] = [];

/**
 * The shapes of a set's names (length up to 63, first character up to 127: longer and further ones share the last
 * row and column) as bits, 64 × 128. A name whose shape is not among a set's is not in the set: asked before a map
 * of names is, since most names a file's nodes give (its property names, translation keys, callees) are no rule's,
 * and a name from the text is hashed anew for every map that is asked. Kept by set (sameVisitor's and keySet's sets
 * last across files).
 */
const shapesBySet = new WeakMap<ReadonlySet<string>, Uint32Array>();
function shapeBit(name: string): number {
  const c = name.charCodeAt(0);
  return (name.length < 63 ? name.length : 63) << 7 | (c < 127 ? c : 127);
}
function namesShape(set: ReadonlySet<string>): Uint32Array {
  let shape = shapesBySet.get(set);
  if (!shape) {
    shape = new Uint32Array(256);
    for (const name of set) { const b = shapeBit(name); shape[b >>> 5] |= 1 << (b & 31); }
    shapesBySet.set(set, shape);
  }
  return shape;
}
function inShape(shape: Uint32Array, name: string): boolean {
  const b = shapeBit(name);
  return (shape[b >>> 5] & (1 << (b & 31))) !== 0;
}
/** by the list of a file's tables of a kind (NamedVisitors' `list`), when all are sameVisitor's or keySet's: their shapes together */
const shapeByList = new Map<string, Uint32Array>();

/**
 * The tables of visitors by name that the rules gave for one kind of name (callee, property, member) in one file, in
 * rule order. A name's visitors, in rule order, are looked up in the tables when a node first names it (the keys a
 * table lists as its own, as `Object.keys` gives them), then kept. Tables made by sameVisitor are answered through
 * positionsByList; the others (plain objects, sets made for one file) are asked for every file.
 */
class NamedVisitors {
  private readonly tables: (Record<string, (n: ts.Node) => void> | NameTable<(n: ts.Node) => void>)[] = [];
  private readonly rules: Rule[] = [];
  /** by table: the set of its names when that set is one of sameVisitor's or a plain table's keys (keySet) */
  private readonly constant: (ReadonlySet<string> | undefined)[] = [];
  /** the numbers of those sets, in order */
  private list = '';
  private positions: Map<string, readonly number[]> | undefined;
  private readonly found = new Map<string, Handlers>();
  constructor(
    /** which of the rules' tables these are (calls 0, properties 1, members 2): keySet keeps a rule's keys of each */
    private readonly slot: number,
    private readonly errors: { ruleId: string; error: string }[], private readonly times?: Record<string, number>) {}

  add(table: Record<string, (n: ts.Node) => void> | NameTable<(n: ts.Node) => void>, rule: Rule): void {
    let set: ReadonlySet<string> | undefined;
    if (table instanceof NameTable) {
      const id = constantSetId(table.names);
      if (id !== undefined) { set = table.names; this.list += `${id},`; }
    } else {
      // a plain table (`calls: { listen(call) {…} }`): a fresh object for every file, with the same keys each time
      const keys = keySet(table, rule, this.slot);
      set = keys.names;
      this.list += `k${keys.id},`;
    }
    this.constant.push(set);
    this.tables.push(table);
    this.rules.push(rule);
    if (this.times) this.times[rule.meta.id] ??= 0;
  }

  any(): boolean {
    return this.tables.length > 0;
  }

  /** The places, among this file's tables made by sameVisitor, of those holding the name. */
  private constantPositions(name: string): readonly number[] {
    let byName = this.positions;
    if (!byName) {
      byName = positionsByList.get(this.list);
      if (!byName) {
        if (positionsByList.size >= 64) { positionsByList.clear(); positionsKept = 0; }
        positionsByList.set(this.list, byName = new Map());
      }
      this.positions = byName;
    }
    let at = byName.get(name);
    if (at === undefined) {
      const found: number[] = [];
      for (let i = 0, k = 0; i < this.tables.length; i++) {
        const set = this.constant[i];
        if (!set) continue;
        if (set.has(name)) found.push(k);
        k++;
      }
      at = found.length ? found : NO_POSITIONS;
      if (++positionsKept > 200_000) { for (const m of positionsByList.values()) m.clear(); positionsKept = 1; }
      // (a copy: the name is a slice of its file's text, which the kept name would keep in memory)
      byName.set(ownCopy(name), at);
    }
    return at;
  }

  /** the shapes of all the tables' names (namesShape), made on the first name asked */
  private shape: Uint32Array | undefined;
  private tablesShape(): Uint32Array {
    const all = !this.constant.includes(undefined);
    let shape = all ? shapeByList.get(this.list) : undefined;
    if (!shape) {
      shape = new Uint32Array(256);
      for (let i = 0; i < this.tables.length; i++) {
        const s = namesShape(this.constant[i] ?? (this.tables[i] as NameTable<(n: ts.Node) => void>).names);
        for (let w = 0; w < 256; w++) shape[w] |= s[w];
      }
      if (all) {
        if (shapeByList.size >= 64) shapeByList.clear();
        shapeByList.set(this.list, shape);
      }
    }
    return shape;
  }

  get(name: string): Handlers | undefined {
    // a name of a shape no table's name has is in no table: no map asked
    if (!inShape(this.shape ??= this.tablesShape(), name)) return undefined;
    let list = this.found.get(name);
    if (list === undefined) {
      const at = this.constantPositions(name);
      for (let i = 0, k = 0, next = 0; i < this.tables.length; i++) {
        const table = this.tables[i];
        let fn: (n: ts.Node) => void;
        if (this.constant[i]) {
          const hit = next < at.length && at[next] === k;
          k++;
          if (!hit) continue;
          next++;
          fn = table instanceof NameTable ? table.visitor : table[name];
        } else {
          // a NameTable whose set sameVisitor did not make (made for one file)
          if (!(table as NameTable<(n: ts.Node) => void>).names.has(name)) continue;
          fn = (table as NameTable<(n: ts.Node) => void>).visitor;
        }
        const rule = this.rules[i];
        const visit = this.times ? wrapVisitor(rule, fn, this.errors, this.times) : fn;
        if (list) list.push(visit, rule); else list = [visit, rule];
      }
      this.found.set(name, list ?? NO_HANDLERS);
    }
    return list === NO_HANDLERS ? undefined : list;
  }
}
/** A rule's visitor of a kind, with the names it is for when it was given for some only (see KindsByName). */
interface KindEntry { visit: (n: ts.Node) => void; rule: Rule; names?: ReadonlySet<string> }

/** What a node of a kind that can be visited by name is named (KindsByName): by SyntaxKind. */
const NAME_OF_KIND: (((n: ts.Node) => string | undefined) | undefined)[] = [];
{
  const callee = (n: ts.Node) => calleeName(n as ts.CallExpression);
  const property = (n: ts.Node) => propertyNameText((n as ts.PropertyAssignment).name);
  const operators: string[] = [];
  NAME_OF_KIND[ts.SyntaxKind.CallExpression] = callee;
  NAME_OF_KIND[ts.SyntaxKind.NewExpression] = callee;
  NAME_OF_KIND[ts.SyntaxKind.PropertyAssignment] = property;
  NAME_OF_KIND[ts.SyntaxKind.ShorthandPropertyAssignment] = property;
  NAME_OF_KIND[ts.SyntaxKind.PropertyAccessExpression] = (n) => (n as ts.PropertyAccessExpression).name.text;
  NAME_OF_KIND[ts.SyntaxKind.BinaryExpression] = (n) => {
    const op = (n as ts.BinaryExpression).operatorToken.kind;
    return operators[op] ??= ts.tokenToString(op) ?? '';
  };
}

/**
 * One file's visitors of a kind that a rule gave for some names only (KindsByName), with the kind's other visitors:
 * for each name met, the list of those that run on it, in rule order (kept for the file). A visitor that throws is
 * reported once and replaced by a no-op in every list, as in the kind's one list of the other kinds.
 */
class KindVisitorsByName {
  /** by name, and under `undefined` the list of a name that no entry names (the entries for every name) */
  private readonly lists = new Map<string | undefined, Handlers>();
  /** the entries given for some names only */
  private readonly named: KindEntry[];
  /** the shapes of the names of each entry of `named` (namesShape) */
  private readonly shapes: Uint32Array[];
  /** the list kept under `undefined`, once made */
  private every: Handlers | undefined;
  constructor(private readonly entries: KindEntry[]) {
    this.named = entries.filter((e) => e.names);
    this.shapes = this.named.map((e) => namesShape(e.names!));
  }

  get(name: string | undefined): Handlers | undefined {
    // a name of a shape that no entry's name has is named by no entry: the list of such names, without a map of names
    if (name !== undefined) {
      let may = false;
      for (let i = 0; i < this.shapes.length; i++) if (inShape(this.shapes[i], name)) { may = true; break; }
      if (!may) {
        const every = this.every ??= (this.get(undefined), this.lists.get(undefined)!);
        return every === NO_HANDLERS ? undefined : every;
      }
    }
    let list = this.lists.get(name);
    if (list === undefined) {
      // a name that no entry names runs the entries for every name: the one list kept under `undefined`, not a list
      // made for each such name (a file names thousands of properties, and few are any rule's)
      let hit = false;
      if (name !== undefined) for (let i = 0; i < this.named.length; i++) if (this.named[i].names!.has(name)) { hit = true; break; }
      if (!hit && name !== undefined) list = this.lists.get(undefined);
      if (list === undefined) {
        list = [];
        for (const e of this.entries) if (!e.names || (hit && e.names.has(name!))) list.push(e.visit, e.rule);
        if (!list.length) list = NO_HANDLERS;
        if (!hit) this.lists.set(undefined, list);
      }
      this.lists.set(name, list);
    }
    return list === NO_HANDLERS ? undefined : list;
  }

  dispatch(list: Handlers, node: ts.Node, errors: { ruleId: string; error: string }[]): void {
    dispatch(list, node, errors, this.disable);
  }

  /** a visitor that threw, taken out of the entries and of every list made from them */
  private readonly disable = (list: Handlers, i: number): void => {
    const failed = list[i], rule = list[i + 1] as Rule;
    for (const entry of this.entries) if (entry.visit === failed && entry.rule === rule) entry.visit = NO_VISIT;
    // (names that no entry names share one list: each list once)
    for (const l of new Set(this.lists.values())) for (let j = 0; j < l.length; j += 2) if (l[j] === failed && l[j + 1] === rule) l[j] = NO_VISIT;
  };
}

/**
 * The keys of a plain table of visitors by name, as a set with a number of its own (the names it answers are its own
 * enumerable string keys, as `Object.keys` lists them). A rule returns a fresh table for every file, mostly with the
 * same keys: the set is kept by rule and kind of table while the keys stay the same, in the same order, so what a
 * name finds in the file's tables is kept across files as for sameVisitor's sets.
 */
interface KeySet { readonly keys: readonly string[]; readonly id: number; readonly names: ReadonlySet<string> }
const keySetsByRule = new WeakMap<Rule, (KeySet | undefined)[]>();
let nextKeySetId = 0;
function keySet(table: object, rule: Rule, slot: number): KeySet {
  const keys = Object.keys(table);
  let kept = keySetsByRule.get(rule);
  if (!kept) keySetsByRule.set(rule, kept = []);
  const last = kept[slot];
  if (last && last.keys.length === keys.length && last.keys.every((k, i) => k === keys[i])) return last;
  // (a rule whose keys change with the file, as zip-slip's, gets a new number each time they change)
  return kept[slot] = { keys, id: nextKeySetId++, names: new Set(keys) };
}

/**
 * Runs the visitors of a list on a node; one that throws is reported and taken out of its list (replaced by a no-op),
 * or out of wherever `disable` keeps it (the lists by name of KindVisitorsByName).
 */
function dispatch(list: Handlers, node: ts.Node, errors: { ruleId: string; error: string }[],
  disable: (list: Handlers, i: number) => void = disableInList): void {
  // one `try` around the run of visitors, entered again after the one that threw (not one per visitor: this loop runs
  // for every node and every rule that asked for its kind)
  let i = 0;
  while (i < list.length) {
    try {
      for (; i < list.length; i += 2) (list[i] as (n: ts.Node) => void)(node);
    } catch (e) {
      errors.push({ ruleId: (list[i + 1] as Rule).meta.id, error: String((e as Error)?.stack ?? e) });
      disable(list, i);
      i += 2;
    }
  }
}

const disableInList = (list: Handlers, i: number): void => { list[i] = NO_VISIT; };

function wrapVisitor(rule: Rule, fn: (n: ts.Node) => void, errors: { ruleId: string; error: string }[], times?: Record<string, number>) {
  let failed = false;
  const id = rule.meta.id;
  if (times) {
    times[id] ??= 0;
    return (n: ts.Node) => {
      if (failed) return;
      const t = performance.now();
      try { fn(n); } catch (e) { failed = true; errors.push({ ruleId: id, error: String((e as Error)?.stack ?? e) }); }
      times[id] += performance.now() - t;
    };
  }
  return (n: ts.Node) => {
    if (failed) return;
    try { fn(n); } catch (e) { failed = true; errors.push({ ruleId: id, error: String((e as Error)?.stack ?? e) }); }
  };
}

function isStatementKind(k: ts.SyntaxKind): boolean {
  return (k >= ts.SyntaxKind.FirstStatement && k <= ts.SyntaxKind.LastStatement) || k === ts.SyntaxKind.FunctionDeclaration
    || k === ts.SyntaxKind.ClassDeclaration || k === ts.SyntaxKind.ExportAssignment || k === ts.SyntaxKind.PropertyDeclaration
    || k === ts.SyntaxKind.ImportDeclaration;
}

/** Where the innermost statement containing `offset` starts (its first token), if one does. */
function innermostStatementStart(sf: ts.SourceFile, offset: number): number | undefined {
  let found: number | undefined;
  let node: ts.Node = sf;
  for (;;) {
    let next: ts.Node | undefined;
    ts.forEachChild(node, (c) => {
      if (c.pos <= offset && offset < c.end) { next = c; return true; }
      return undefined;
    });
    if (!next) return found;
    if (isStatementKind(next.kind)) found = next.getStart(sf);
    node = next;
  }
}

/** Lines longer than this are stood for, in a finding's fingerprint, by FINGERPRINT_WINDOW characters around it. */
const FINGERPRINT_LINE_MAX = 2000;
const FINGERPRINT_WINDOW = 160;

function finalize(input: AnalyzeInput, raw: { rule: Rule; d: ReportDescriptor }[], lines: LineMap, config: ShipsafeConfig, candidates?: LinkCandidate[]): Finding[] {
  const suppressions = new SuppressionIndex(parseSuppressions(input.text), lines);
  const sf = raw.find((r) => r.d.node)?.d.node?.getSourceFile();
  const minConf = CONFIDENCE_ORDER[config.minConfidence];
  const out: Finding[] = [];
  const seen = new Set<string>();
  const ordinal = new Map<string, number>();
  // the flagged line's normalised text, once per line; a very long line (minified code, a one-line template) is
  // stood for by the finding's own surroundings: normalising and hashing the whole line for each of its findings
  // took seconds on a minified view with hundreds of outputs
  const lineTexts = new Map<number, string>();
  const fingerprintLine = (line: number, start: number, end: number): string => {
    const ls = lines.lineStart(line), le = lines.lineStart(line + 1);
    if (le - ls > FINGERPRINT_LINE_MAX) {
      return input.text.slice(Math.max(ls, start - FINGERPRINT_WINDOW), Math.min(le, end + FINGERPRINT_WINDOW)).replace(/\s+/g, ' ').trim();
    }
    let t = lineTexts.get(line);
    if (t === undefined) lineTexts.set(line, t = lines.lineText(line).replace(/\s+/g, ' ').trim());
    return t;
  };
  // test code is never deployed: what would be a flaw in the app is at most worth a hidden note there, except
  // secrets, which leak from any file that is committed
  const testFile = TEST_FILE.test(input.path.replace(/\\/g, '/'));
  // the project's own tooling (a file only a package.json script such as `npm run simple-mqtt-server` starts, that
  // no module imports and that serves no app) does not run in production either: its findings are low, except
  // provider-format keys (AWS, Stripe…), which are real wherever they are committed
  const tooling = !testFile && !!input.project?.toolingScript(input.path);
  for (const { rule, d } of raw) {
    const start = d.node ? d.node.getStart() : d.range!.start;
    const end = d.node ? d.node.getEnd() : d.range!.end;
    const given = d.confidence ?? rule.meta.confidence;
    const confidence = rule.meta.category === 'meta' ? given
      : testFile ? (rule.meta.category === 'secrets' ? given : 'low')
      : tooling && !(rule.meta.category === 'secrets' && given === 'high') ? 'low' : given;
    const below = CONFIDENCE_ORDER[confidence] < minConf;
    // a finding that a route in the project may confirm is also kept as a candidate (not in test or tooling files)
    const linkable = !!(d.link?.length && candidates && !testFile && !tooling && confidence === 'low');
    if (below && !linkable) continue;
    const range = lines.range(start, end);
    const dedupe = `${rule.meta.id}:${start}:${end}`;
    if (seen.has(dedupe)) continue;
    seen.add(dedupe);
    if (suppressions.match(rule.meta.id, range.startPos.line)) continue;
    // a `shipsafe-ignore-next-line` above a statement written over several lines covers a finding anywhere in that
    // statement, but not in the statements nested in it (a callback's body keeps its own findings)
    if (sf && suppressions.nextLineCount) {
      const stmt = innermostStatementStart(sf, start);
      if (stmt !== undefined) {
        const line = lines.position(stmt).line;
        if (line < range.startPos.line && suppressions.match(rule.meta.id, line)) continue;
      }
    }
    const setting = config.rules[rule.meta.id];
    const severity = setting && setting !== 'off' ? setting : d.severity ?? rule.meta.severity;
    const related: RelatedLocation[] | undefined = d.related?.map((r) => {
      const flow = r.flow ? { flow: true } : {};
      if (r.location) return { file: r.location.file, range: r.location.range, message: r.message, ...flow };
      const rs = r.node ? r.node.getStart() : r.range!.start;
      const re = r.node ? r.node.getEnd() : r.range!.end;
      return { file: r.file ?? input.path, range: lines.range(rs, re), message: r.message, ...flow };
    });
    // fingerprint: rule + the flagged line's normalised text + its ordinal among identical lines;
    // survives edits elsewhere in the file, reveals nothing of the code
    const lineKey = `${rule.meta.id}\u0000${fingerprintLine(range.startPos.line, start, end)}\u0000${input.text.slice(start, end).replace(/\s+/g, ' ')}`;
    const n = (ordinal.get(lineKey) ?? 0) + 1;
    ordinal.set(lineKey, n);
    const finding: Finding = {
      ruleId: rule.meta.id, severity, confidence, message: d.message, file: input.path, range,
      cwe: rule.meta.cwe, owasp: rule.meta.owasp,
      ...(related && related.length ? { related } : {}),
      ...(d.fixes && d.fixes.length ? { fixes: d.fixes } : {}),
      ...(d.fixData ? { fixData: d.fixData } : {}),
      fingerprint: sha256(`${lineKey}\u0000${n}`).slice(0, 32),
    };
    if (linkable) candidates!.push({ finding, names: d.link! });
    if (!below) out.push(finding);
  }
  out.sort((a, b) => a.range.start - b.range.start || a.ruleId.localeCompare(b.ruleId));
  return out;
}
