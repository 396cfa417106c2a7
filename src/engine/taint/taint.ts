import { ts } from 'ts-morph';
import type { FileFacts } from '../facts';
import { calleeName, calleeObject, enclosingFunction, forEachNodeBelow, hasDirective, isFunctionLike, memberChain, propertyNameText, unwrap } from '../util/ast';
import { Binding, ScopeResolver, bindingPath, bindingScope, owningParameter } from './scope';
import { FileFunctions, findReturns } from './calls';
import { isLocalSpecifier, type FlowHop, type ImportTarget, type ProjectTaintInput } from './summaries';
import type { RelatedLocation } from '../model/types';
import { boundedWordIn, cookEscapes } from '../util/text';
import { textPrefilter } from '../util/text-words';

/** What a sink does with a value; sanitizers are specific to it. */
export type SinkKind = 'sql' | 'nosql' | 'html' | 'path' | 'url' | 'command' | 'code' | 'log' | 'object';

export interface TaintTrace {
  /** the expression where request-controlled data entered (for related locations) */
  source: ts.Node;
  /** a short human label: `req.body`, `searchParams`, `server action argument` */
  label: string;
  /**
   * When the data came through calls: the steps before `source` (in other files, when `source` is the parameter
   * that received it from another module) and after it (the calls that carried it to the sink's function).
   */
  before?: FlowHop[];
  after?: { node: ts.Node; message: string }[];
  /**
   * Only in the summary pre-pass: calls into other modules this trace went through, assumed to return the given
   * argument (their summaries are not known yet); the project join keeps the trace only if they do.
   */
  assumes?: { target: ImportTarget; param: number }[];
  /** request data another module checked before passing it here (see IncomingChain.checked) */
  checked?: true | 'dto';
}

/** A related location of a report, as rules give it. */
type RelatedIn = { node?: ts.Node; range?: { start: number; end: number }; file?: string; message: string; location?: RelatedLocation; flow?: boolean };

/** The kinds of objects that carry request data, and which of their members do. */
type RequestKind = 'http' | 'koa' | 'hono' | 'next-context';

const HTTP_PROPS = new Set(['body', 'query', 'params', 'headers', 'cookies', 'signedCookies', 'files', 'file',
  'originalUrl', 'url', 'path', 'hostname', 'nextUrl', 'rawBody', 'searchParams']);
const HTTP_METHODS = new Set(['json', 'formData', 'text', 'get', 'header', 'param', 'query', 'parseBody', 'blob', 'arrayBuffer', 'queries']);
const KOA_PROPS = new Set(['query', 'params', 'headers', 'header', 'cookies', 'querystring', 'url', 'path', 'href', 'originalUrl', 'hostname']);
const NEXT_CONTEXT_PROPS = new Set(['params', 'searchParams']);
export const REQUEST_TYPE = /\b(Request|NextRequest|NextApiRequest|FastifyRequest|IncomingMessage|HonoRequest)\b/;
const NEST_PARAM_DECORATORS = new Set(['Body', 'Query', 'Param', 'Headers', 'HostParam']);
const HTTP_METHOD_EXPORTS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);
const CALL_KIND = ts.SyntaxKind.CallExpression;
const BINARY_KIND = ts.SyntaxKind.BinaryExpression;
const IDENTIFIER_KIND = ts.SyntaxKind.Identifier, PROPERTY_ACCESS_KIND = ts.SyntaxKind.PropertyAccessExpression,
  ELEMENT_ACCESS_KIND = ts.SyntaxKind.ElementAccessExpression, FIRST_ASSIGNMENT = ts.SyntaxKind.FirstAssignment,
  LAST_ASSIGNMENT = ts.SyntaxKind.LastAssignment;

/** Names a request source is read through (see requestDataPossible): parameters, hooks, listeners, directives. */
const SOURCE_WORDS = /\b(req|request|ctx|context|location|addEventListener|useSearchParams|useParams|useRouter)\b|use server/;
const SOURCE_NAMES = ['req', 'request', 'ctx', 'context', 'location', 'addEventListener', 'useSearchParams', 'useParams', 'useRouter'];
/** the pre-filter's word that each of SOURCE_NAMES holds (lowercased) */
const SOURCE_NAME_WORD: Record<string, string> = Object.fromEntries(SOURCE_NAMES.map((n) => [n, n === 'request' ? 'req' : n.toLowerCase()]));
/**
 * SOURCE_WORDS's answer without the expression, which has no first letter to skip ahead to: each name looked for
 * only when the text holds its word in some case (`found`, from the shared pass)
 */
const sourceWordsIn = (text: string, found: ReadonlySet<string> | undefined): boolean =>
  boundedWordIn(text, SOURCE_NAMES, found && ((n) => found.has(SOURCE_NAME_WORD[n]))) || text.includes('use server');
/** SOURCE_WORDS through the shared pass of pre-filters (util/text-words): most files hold `req` (`require`) */
const SOURCE_WORDS_TEXT = textPrefilter(SOURCE_WORDS, ['req', 'ctx', 'context', 'location', 'addEventListener', 'useSearchParams', 'useParams', 'useRouter', 'use server'], sourceWordsIn);

/**
 * Whether a file's text names a request type or a source (escapes decoded), read once per tree: the summary's and
 * the analysis's analyzers of a file both ask.
 */
const textSourceCache = new WeakMap<ts.SourceFile, boolean>();
function textMentionsSource(sf: ts.SourceFile): boolean {
  let hit = textSourceCache.get(sf);
  if (hit === undefined) {
    const text = sf.text;
    // (the sources first: most files that have one name it early; a request type's name holds `Request` or
    // `IncomingMessage`, looked for before the expression runs over the text)
    hit = mentionsSource(text) || (mayNameRequestType(text) && REQUEST_TYPE.test(text)) || (text.includes('\\') && mentionsSource(cookEscapes(text), false));
    textSourceCache.set(sf, hit);
  }
  return hit;
}

/** Whether a text holds what every match of REQUEST_TYPE holds (false: it names no request type). */
export function mayNameRequestType(text: string): boolean {
  return text.includes('Request') || text.includes('IncomingMessage');
}

/**
 * Whether a text names something request data can come from. `shared`: the text is the file's, asked of the shared
 * pass of pre-filters (another text, the file's with its escapes cooked, would make that pass run again for the file).
 */
function mentionsSource(text: string, shared = true): boolean {
  return (shared ? SOURCE_WORDS_TEXT.test(text) : SOURCE_WORDS_TEXT.other(text)) || (/\bdocument\b/.test(text) && /\b(URL|documentURI|referrer)\b/.test(text)) ||
    (/\bwindow\b/.test(text) && /\bname\b/.test(text));
}

/** Browser-side sources an attacker controls through a crafted link or message. */
const DOM_SOURCE_CHAINS = new Set([
  'location.hash', 'location.search', 'location.href', 'location.pathname',
  'window.location.hash', 'window.location.search', 'window.location.href', 'window.location.pathname',
  'document.location.hash', 'document.location.search', 'document.location.href',
  'document.URL', 'document.documentURI', 'document.referrer', 'window.name',
]);

/** The last names of the member chains evalMember takes for sources (the browser's, and a message event's `data`). */
const SOURCE_CHAIN_ENDS = new Set([...[...DOM_SOURCE_CHAINS].map((c) => c.slice(c.lastIndexOf('.') + 1)), 'data']);

/** Calls whose result carries their arguments' taint. */
const PASS_THROUGH = new Set(['String', 'decodeURIComponent', 'decodeURI', 'unescape', 'JSON.parse', 'JSON.stringify',
  'Buffer.from', 'Object.assign', 'Object.values', 'Object.entries', 'Object.keys', 'Array.from', 'path.join', 'path.resolve',
  'path.normalize', 'util.format', 'format', 'structuredClone', 'join', 'resolve', 'URL', 'URLSearchParams', 'Array.of',
  // parsers and renderers that keep the content: markdown → HTML, YAML/TOML → data
  'marked', 'marked.parse', 'md.render', 'markdown.render', 'markdownIt.render', 'yaml.parse', 'YAML.parse', 'toml.parse']);

/** Methods on a tainted value whose result is a boolean or number, never the data itself. */
const NON_DATA_METHODS = new Set(['includes', 'startsWith', 'endsWith', 'test', 'has', 'indexOf', 'lastIndexOf',
  'localeCompare', 'charCodeAt', 'codePointAt', 'search', 'every', 'some', 'findIndex', 'getTime', 'valueOf', 'isValid']);

const NUMERIC_SANITIZERS = new Set(['Number', 'parseInt', 'parseFloat', 'Boolean', 'BigInt', 'Number.parseInt',
  'Number.parseFloat', 'Math.floor', 'Math.ceil', 'Math.round', 'Math.abs', 'Math.min', 'Math.max', 'Math.trunc',
  'isNaN', 'Number.isInteger', 'Number.isFinite', 'Number.isNaN', 'Date.parse']);

/** Validation that returns a typed, checked value: schema libraries and validators. */
const SCHEMA_METHODS = new Set(['parse', 'safeParse', 'parseAsync', 'safeParseAsync', 'validate', 'validateSync',
  'validateAsync', 'cast', 'assert', 'valid', 'plainToInstance', 'decode', 'is']);

/** Receivers whose `parse`/`decode` turn text into data without validating it (markdown and data-format parsers). */
const NOT_VALIDATORS = new Set(['JSON', 'jwt', 'qs', 'querystring', 'url', 'path', 'cookie', 'marked', 'md', 'markdown',
  'markdownIt', 'remark', 'yaml', 'YAML', 'toml', 'TOML', 'csv', 'Papa', 'xml2js', 'parser', 'cheerio', 'htmlparser2',
  'parse5', 'URLSearchParams', 'new URL', 'base64', 'Buffer', 'atob', 'decodeURIComponent', 'iconv', 'mime']);

const SINK_SANITIZERS: Record<SinkKind, Set<string>> = {
  sql: new Set(['escape', 'escapeLiteral', 'escapeIdentifier', 'escapeId', 'format', 'pgFormat', 'sqlstring.escape']),
  nosql: new Set(['String', 'sanitize', 'mongoSanitize', 'escapeRegExp', 'escapeRegex', 'escapeStringRegexp', 'ObjectId', 'isValidObjectId', 'toString']),
  html: new Set(['sanitize', 'sanitizeHtml', 'escapeHtml', 'escape', 'encode', 'xss', 'filterXSS', 'encodeURIComponent', 'htmlEscape', 'escapeHTML', 'purify', 'textContent']),
  path: new Set(['basename', 'encodeURIComponent', 'sanitizeFilename', 'sanitize']),
  url: new Set(['encodeURIComponent', 'encodeURI', 'escape']),
  command: new Set(['quote', 'escapeShellArg', 'shellEscape', 'escape']),
  code: new Set([]),
  log: new Set(['redact', 'mask', 'sanitize']),
  object: new Set(['pick', 'omit', 'String']),
};

/** Properties of a multer upload that the server generates (the client only controls `originalname`). */
const MULTER_GENERATED = new Set(['filename', 'path', 'destination', 'key', 'location', 'size']);

/**
 * `x.replace(/[^a-z0-9_-]/gi, '')` keeps only allowed characters: safe for paths when `/`, `\\` are not kept,
 * safe for shell commands when no shell metacharacter or space is kept. `path.normalize(p).replace(/^(\.\.(\/|\\|$))+/, '')`
 * (anchored and repeated) strips leading `../` for paths; an unanchored `/\.\.\//g` does not (`....//`).
 */
function stripsDangerousChars(call: ts.CallExpression, sink: SinkKind): boolean {
  const [re, by] = call.arguments;
  if (!re || !by || !ts.isRegularExpressionLiteral(unwrap(re)) || !ts.isStringLiteralLike(unwrap(by))) return false;
  const src = (unwrap(re) as ts.RegularExpressionLiteral).text;
  const replacement = (unwrap(by) as ts.StringLiteralLike).text;
  if (/[\/\\.;&|$`<>]/.test(replacement)) return false;
  const kept = /^\/\[\^((?:\\.|[^\]\\])*)\]\+?\/[a-z]*$/.exec(src)?.[1];
  if (kept !== undefined && /g/.test(src.slice(src.lastIndexOf('/')))) {
    if (sink === 'path') return !/\/|\\\\|\\\/|\\W|\\S|\\D/.test(kept);
    if (sink === 'command') return !/[;&|$`<>()'"*?!{}\[\]\n ]|\\s|\\W|\\S|\\D/.test(kept);
  }
  const recv = calleeObject(call);
  const normalized = !!recv && ts.isCallExpression(unwrap(recv)) && calleeName(unwrap(recv) as ts.CallExpression) === 'normalize';
  if (sink === 'path' && normalized) return /^\/\^\(/.test(src) && src.includes('\\.\\.') && /\)\+/.test(src);
  return false;
}

/** Guards that, once checked on a variable before its use, make it safe for these sinks. */
type GuardKind = 'allowlist' | 'prefix' | 'type';

interface EvalState {
  sink?: SinkKind; depth: number; symbolic?: ts.FunctionLikeDeclaration; visiting: Set<ts.Node>;
  /** the analyzer's cache for this state's sink and symbolic function (they never change during an evaluation): found once per state */
  memo?: Map<ts.Node, TaintTrace | null>;
  /** a helper's evaluation without a sink that notes where a sink would change its path (see SinkTrack) */
  track?: SinkTrack;
}

/** The sinks, in the order of their bits in a SinkTrack's mask. */
const SINK_BITS: readonly SinkKind[] = ['sql', 'nosql', 'html', 'path', 'url', 'command', 'code', 'log', 'object'];
const bitOf = (k: SinkKind): number => 1 << SINK_BITS.indexOf(k);
const ALL_SINKS = (1 << SINK_BITS.length) - 1;
/** an object literal is no value for these sinks (evalUncached) */
const OBJECT_LITERAL_SINKS = bitOf('sql') | bitOf('command') | bitOf('path');
/** stripsDangerousChars can hold only for these */
const STRIP_SINKS = bitOf('path') | bitOf('command');
/** per name, the sinks whose sanitizers list it (isSanitizerCall) */
const SANITIZER_SINKS = new Map<string, number>();
for (const k of SINK_BITS) for (const n of SINK_SANITIZERS[k]) SANITIZER_SINKS.set(n, (SANITIZER_SINKS.get(n) ?? 0) | bitOf(k));
const HTML_CLEANER = /^(sanitiz|purif|escape\w*html)/i;
/** the kinds of guard isGuarded counts, by the sinks it counts them for */
const GUARD_SINKS: Record<GuardKind, number> = { allowlist: ALL_SINKS, prefix: bitOf('path') | bitOf('url'), type: bitOf('nosql') | bitOf('object') };

/**
 * What a helper's evaluation without a sink met that a sink could change (helperParamFlowsPerSink): an evaluation
 * with sink `k` takes the same path as the one without, and finds the same flows, when no step of it reads the sink
 * for `k`. The steps that read it: a call whose name is one of `k`'s sanitizers (isSanitizerCall), `replace` on a
 * value (stripsDangerousChars), an object literal (evalUncached), a name with a guard before its use (isGuarded,
 * asked when the mask is wanted), the flows of another helper for `k` (the callee's own track), and an import's
 * summarised returns for `k`. A callee met while its own evaluation was under way (recursion: it answers with what
 * it has found so far) or evaluated without a track counts for every sink.
 */
interface SinkTrack {
  /** sinks for which some step read so far would go another way */
  mask: number;
  /** names resolved to a binding: the guards before the use count (bindings and uses, by pairs) */
  guarded: (Binding | ts.Identifier)[];
  /** helpers whose flows this evaluation asked for */
  callees: ts.FunctionLikeDeclaration[];
  done: boolean;
  /** the mask with the guards and callees counted, once asked */
  resolved?: number;
}

/**
 * A new evaluation's state. Every state is made here, with all its fields in one order: the evaluator reads them at
 * every node, and objects of one shape keep those reads monomorphic (states written as literals of different fields,
 * then given their `memo`, were up to six shapes).
 */
function evalState(sink: SinkKind | undefined, symbolic: ts.FunctionLikeDeclaration | undefined, track?: SinkTrack): EvalState {
  return { sink, depth: 0, symbolic, visiting: new Set(), memo: undefined, track };
}

const MAX_DEPTH = 24;

/**
 * The calls and binary expressions among a walk's nodes, in the same order, listed once per walk: the scans of a
 * scope (eachCallOrBinary: a function's assignments, a scope's guards, for the summary's analyzer and the
 * analysis's, which share the walk) read only those two kinds, a fraction of the nodes.
 */
const callsAndBinariesCache = new WeakMap<readonly ts.Node[], ts.Node[]>();
function callsAndBinaries(nodes: readonly ts.Node[]): ts.Node[] {
  let list = callsAndBinariesCache.get(nodes);
  if (!list) {
    list = [];
    for (let i = 0; i < nodes.length; i++) { const n = nodes[i]; if (n.kind === CALL_KIND || n.kind === BINARY_KIND) list.push(n); }
    callsAndBinariesCache.set(nodes, list);
  }
  return list;
}

/** writesIn's answers, by scope, for every analyzer of a tree */
const scopeWritesCache = new WeakMap<ts.Node, { assignments: Map<string, ts.BinaryExpression[]>; values: Map<string, ts.Expression[]> }>();
/** writesOfFile's answers, by tree */
const fileWritesCache = new WeakMap<ts.SourceFile, ts.Node[]>();

export class TaintAnalyzer {
  readonly scopes: ScopeResolver;
  private guardCache = new Map<ts.Node, Map<Binding, { pos: number; kind: GuardKind }[]>>();
  private helperCache = new Map<string, Map<ts.Node, Set<number>>>();
  /** helperParamFlowsPerSink: tracks of the sinkless helper evaluations made while it asks (by function) */
  private sinkTracks?: Map<ts.Node, SinkTrack>;
  private tracking = false;
  private cache = new Map<string, Map<ts.Node, TaintTrace | null>>();
  private fileFunctions?: FileFunctions;
  private safeReturnVisiting = new Set<ts.Node>();
  private memberGuardCache = new Map<ts.Node, Map<string, number>>();
  /** traces that went through calls, by their source node: the function they end in and the steps */
  private flows = new Map<ts.Node, { fn: ts.FunctionLikeDeclaration; before?: FlowHop[]; after?: { node: ts.Node; message: string }[] }[]>();

  /**
   * @param project what other modules tell about this one (plain data from the summary pre-pass): request data
   * their calls pass into this file's functions, and which of their functions' parameters reach the return value
   */
  constructor(
    private readonly sf: ts.SourceFile, private readonly facts: FileFacts, private readonly project?: ProjectTaintInput,
    /**
     * syntax-only tables to share with another analyzer of the same tree (the summary's), or the walk's nodes;
     * `quickNone`: `taintOf` answers at once for a file where no request data can enter (see `requestDataPossible`)
     */
    shared?: { scopes?: ScopeResolver; functions?: FileFunctions; nodes?: readonly ts.Node[]; quickNone?: boolean },
  ) {
    this.scopes = shared?.scopes ?? new ScopeResolver();
    this.fileFunctions = shared?.functions;
    this.walkNodes = shared?.nodes;
    this.quickNone = !!shared?.quickNone;
  }
  private readonly walkNodes?: readonly ts.Node[];
  /** the walk's nodes this analyzer was given (document order; every call and binary expression among them) */
  get nodes(): readonly ts.Node[] | undefined { return this.walkNodes; }
  private readonly quickNone: boolean;
  private sourcesPossible?: boolean;

  /**
   * Whether request data can enter this file at all: false only when the file has none of what a trace starts
   * from (see the sources in evalMember, evalCall, evalParameter, nestSource, evalFromCallers, evalBindingElement):
   * no parameter that can be a request (named `req`/`request`/`ctx`/`context`, typed as a request, `c` with Hono,
   * a Next.js route handler or page), no browser source (`location`, `document.URL`/`documentURI`/`referrer`,
   * `window.name`, a message listener), no router hook, no server action, no NestJS parameter decorator, and no
   * request data passed in by other modules. Read on the text (comments and strings only make it say yes more
   * often); escapes are decoded first, so that `\u0072eq` is `req`. Without a source, every non-symbolic
   * evaluation is undefined, so `taintOf` may answer without evaluating.
   */
  requestDataPossible(): boolean {
    if (this.sourcesPossible !== undefined) return this.sourcesPossible;
    const f = this.facts;
    let possible = f.useServer || f.nextRouteFile || f.nextPageFile || f.modules.has('hono') || f.modules.has('@nestjs/common') ||
      !!this.project?.incoming && Object.keys(this.project.incoming).length > 0;
    if (!possible) possible = textMentionsSource(this.sf);
    return (this.sourcesPossible = possible);
  }

  /**
   * Calls `check` on the calls and binary expressions below `root` (and on `root` itself with `withRoot`) in
   * document order, from the walk's nodes when the analyzer has them (they hold every call and binary expression,
   * in document order, so sorted by position: the ones below `root` are a run found by binary search), else by a
   * walk of the subtree. For the scans of a scope that look only at those two kinds (the analyzer's, and rules' that
   * read a function's or the file's calls and assignments).
   */
  eachCallOrBinary(root: ts.Node, withRoot: boolean, check: (n: ts.Node) => void): void {
    const nodes = this.walkNodes;
    if (!nodes) {
      const visit = (n: ts.Node): void => {
        if (n.kind === CALL_KIND || n.kind === BINARY_KIND) check(n);
        ts.forEachChild(n, visit);
      };
      if (withRoot) visit(root); else ts.forEachChild(root, visit);
      return;
    }
    if (withRoot && (root.kind === CALL_KIND || root.kind === BINARY_KIND)) check(root);
    forEachNodeBelow(callsAndBinaries(nodes), root, check);
  }

  /** The file's functions and call targets (built on first use). */
  get functions(): FileFunctions {
    return (this.fileFunctions ??= new FileFunctions(this.sf, this.scopes, this.walkNodes));
  }

  /**
   * A report's related locations with the path the data took through calls: the steps in other files before
   * where it entered this file, and the calls that carried it to the reported function. Locations that belong to
   * a data flow are marked `flow` (SARIF `codeFlows`).
   */
  withFlow<T extends { node?: ts.Node; range?: { start: number; end: number }; related?: RelatedIn[] }>(d: T): T {
    if (!d.related || !this.flows.size) return d;
    const at = d.node ? d.node.getStart(this.sf) : d.range?.start;
    if (at === undefined) return d;
    let changed = false;
    const related: RelatedIn[] = [];
    for (const r of d.related) {
      const list = r.node ? this.flows.get(r.node) : undefined;
      let best: { fn: ts.FunctionLikeDeclaration; before?: FlowHop[]; after?: { node: ts.Node; message: string }[] } | undefined;
      for (const f of list ?? []) {
        if (f.fn.getStart(this.sf) <= at && at < f.fn.end && (!best || f.fn.end - f.fn.pos < best.fn.end - best.fn.pos)) best = f;
      }
      if (!best) { related.push(r); continue; }
      changed = true;
      for (const h of best.before ?? []) related.push({ file: h.file, location: h, message: h.message, flow: true });
      related.push({ ...r, flow: true });
      for (const h of best.after ?? []) related.push({ node: h.node, message: h.message, flow: true });
    }
    return changed ? { ...d, related } : d;
  }

  /** Whether `taintOf` answers undefined for every expression of the file (`quickNone`, and no request data can enter). */
  findsNoRequestData(): boolean {
    return this.quickNone && !this.requestDataPossible();
  }

  /** Request-controlled data reaching `expr`, or undefined. */
  taintOf(expr: ts.Expression, sink?: SinkKind): TaintTrace | undefined {
    if (this.quickNone && !this.requestDataPossible()) return undefined;
    return this.evalExpr(expr, evalState(sink, undefined));
  }

  /** The modules the file imports or requires at top level. */
  moduleSpecifiers(): ReadonlySet<string> { return this.facts.modules; }

  /** The parameter of `fn` whose value reaches `expr` (for summaries: arguments a function passes on), if any. */
  paramFlowOf(expr: ts.Expression, fn: ts.FunctionLikeDeclaration): { index: number; assumes?: TaintTrace['assumes'] } | undefined {
    const t = this.evalExpr(expr, evalState(undefined, fn));
    return t && t.label.startsWith('param:') ? { index: Number(t.label.slice(6)), ...(t.assumes ? { assumes: t.assumes } : {}) } : undefined;
  }

  /**
   * 'tainted': request data provably reaches it (high confidence);
   * 'dynamic': a non-constant value of unknown origin (medium);
   * 'safe': constant, numeric, or sanitized for this sink.
   */
  classify(expr: ts.Expression, sink: SinkKind): { kind: 'tainted' | 'dynamic' | 'safe'; trace?: TaintTrace } {
    const trace = this.taintOf(expr, sink);
    if (trace) return { kind: 'tainted', trace };
    return { kind: this.isSafeValue(expr, sink, 0) ? 'safe' : 'dynamic' };
  }

  /**
   * Whether `node` runs while handling a request: some enclosing function takes a request-like parameter,
   * is a server action, or is a Next.js route handler. Dynamic values of unknown origin there are worth a
   * medium-confidence warning; in library-style helpers they are low confidence.
   */
  inRequestContext(node: ts.Node): boolean {
    let fn = enclosingFunction(node);
    while (fn) {
      if (fn.parameters.some((p) => this.paramRequestKind(p) !== undefined) || this.isServerAction(fn)) return true;
      fn = enclosingFunction(fn);
    }
    return false;
  }

  /** The kind of request-carrying object `expr` is (e.g. Express `req`, Koa `ctx`), if any. */
  requestKind(expr: ts.Expression): RequestKind | undefined {
    const e = unwrap(expr);
    if (ts.isIdentifier(e)) {
      const b = this.scopes.resolve(e);
      if (!b) return undefined;
      if (ts.isParameter(b)) return this.paramRequestKind(b);
      if (ts.isVariableDeclaration(b) && b.initializer) {
        // `const r = req` or `const { request } = ctx`
        const init = unwrap(b.initializer);
        if (ts.isIdentifier(init) || ts.isPropertyAccessExpression(init)) return this.requestKind(init);
      }
      if (ts.isBindingElement(b)) {
        const { path, root } = bindingPath(b);
        if (path.length === 1 && root && ts.isParameter(root)) {
          const kind = this.paramRequestKind(root);
          if (kind === 'koa' && path[0] === 'request') return 'http';
          if (kind === 'hono' && path[0] === 'req') return 'http';
        }
      }
      return undefined;
    }
    if (ts.isPropertyAccessExpression(e)) {
      const base = this.requestKind(e.expression);
      if (base === 'koa' && e.name.text === 'request') return 'http';
      if (base === 'hono' && e.name.text === 'req') return 'http';
    }
    return undefined;
  }

  private paramRequestKind(p: ts.ParameterDeclaration): RequestKind | undefined {
    const fn = p.parent;
    if (!isFunctionLike(fn)) return undefined;
    const index = fn.parameters.indexOf(p);
    const name = ts.isIdentifier(p.name) ? p.name.text : undefined;
    const typeText = p.type ? p.type.getText(this.sf) : '';
    if (index === 1 && this.isNextRouteHandler(fn)) return 'next-context';
    if (index === 0 && this.isNextRouteHandler(fn)) return 'http';
    if (index === 0 && this.isNextPageComponent(fn)) return 'next-context';
    if (name === 'req' || name === 'request' || REQUEST_TYPE.test(typeText)) return 'http';
    if ((name === 'ctx' || name === 'context') && (/\b(Context|ParameterizedContext|RouterContext)\b/.test(typeText) || this.isCallbackArg(fn))) {
      if (this.facts.modules.has('hono')) return 'hono';
      return 'koa';
    }
    if (name === 'c' && this.facts.modules.has('hono') && this.isCallbackArg(fn)) return 'hono';
    return undefined;
  }

  private isCallbackArg(fn: ts.FunctionLikeDeclaration): boolean {
    return !!fn.parent && (ts.isCallExpression(fn.parent) || ts.isNewExpression(fn.parent)) && fn.parent.expression !== fn;
  }

  private exportedName(fn: ts.FunctionLikeDeclaration): string | undefined {
    if (ts.isFunctionDeclaration(fn) && fn.name && fn.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) {
      return fn.modifiers.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword) ? 'default' : fn.name.text;
    }
    if (ts.isFunctionDeclaration(fn) && !fn.name && fn.modifiers?.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword)) return 'default';
    const p = fn.parent;
    if (p && ts.isVariableDeclaration(p) && ts.isIdentifier(p.name)) {
      const stmt = p.parent?.parent;
      if (stmt && ts.isVariableStatement(stmt) && stmt.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) return p.name.text;
    }
    if (p && ts.isExportAssignment(p)) return 'default';
    return undefined;
  }

  private isNextRouteHandler(fn: ts.FunctionLikeDeclaration): boolean {
    if (!this.facts.nextRouteFile) return false;
    const name = this.exportedName(fn);
    return !!name && HTTP_METHOD_EXPORTS.has(name);
  }

  private isNextPageComponent(fn: ts.FunctionLikeDeclaration): boolean {
    return this.facts.nextPageFile && this.exportedName(fn) !== undefined;
  }

  /** Server actions: exported functions of a 'use server' file, or functions with their own 'use server'. */
  isServerAction(fn: ts.FunctionLikeDeclaration): boolean {
    if (fn.body && ts.isBlock(fn.body) && hasDirective(fn.body.statements, 'use server')) return true;
    return this.facts.useServer && this.exportedName(fn) !== undefined;
  }

  // ---------------------------------------------------------------------------------------------

  /** Evaluates `node` once per sink and symbolic function (a node met again while it is evaluated: undefined). */
  private evalExpr(node: ts.Expression, state: EvalState): TaintTrace | undefined {
    let m = state.memo;
    if (!m) {
      const key = `${state.sink ?? ''}|${state.symbolic ? state.symbolic.pos : ''}`;
      m = this.cache.get(key);
      if (!m) { m = new Map(); this.cache.set(key, m); }
      state.memo = m;
    }
    const hit = m.get(node);
    if (hit !== undefined) return hit ?? undefined;
    if (state.visiting.has(node) || state.depth > MAX_DEPTH) return undefined;
    state.visiting.add(node);
    state.depth++;
    // (called here, not through a closure: one evaluation per node of every expression the rules and the summary ask about)
    const result = this.evalUncached(node, state);
    state.depth--;
    state.visiting.delete(node);
    m.set(node, result ?? null);
    return result;
  }

  /** (isInert, below, follows this function case by case: a change here is one there) */
  private evalUncached(node: ts.Expression, state: EvalState): TaintTrace | undefined {
    const e = unwrap(node);
    if (e !== node) return this.evalExpr(e, state);
    switch (e.kind) {
      case ts.SyntaxKind.Identifier:
        return this.evalIdentifier(e as ts.Identifier, state);
      case ts.SyntaxKind.PropertyAccessExpression:
      case ts.SyntaxKind.ElementAccessExpression:
        return this.evalMember(e as ts.PropertyAccessExpression | ts.ElementAccessExpression, state);
      case ts.SyntaxKind.CallExpression:
        return this.evalCall(e as ts.CallExpression, state);
      case ts.SyntaxKind.NewExpression: {
        const ne = e as ts.NewExpression;
        const name = calleeName(ne);
        if (name && (name === 'URL' || name === 'URLSearchParams' || name === 'String' || name === 'RegExp' || name === 'Buffer')) {
          return this.firstTainted(ne.arguments ?? [], state);
        }
        return undefined;
      }
      case ts.SyntaxKind.AwaitExpression:
        return this.evalExpr((e as ts.AwaitExpression).expression, state);
      case ts.SyntaxKind.TemplateExpression:
        return this.firstTainted((e as ts.TemplateExpression).templateSpans.map((s) => s.expression), state);
      case ts.SyntaxKind.BinaryExpression: {
        const b = e as ts.BinaryExpression;
        switch (b.operatorToken.kind) {
          case ts.SyntaxKind.PlusToken:
          case ts.SyntaxKind.BarBarToken:
          case ts.SyntaxKind.QuestionQuestionToken:
            return this.evalExpr(b.left, state) ?? this.evalExpr(b.right, state);
          case ts.SyntaxKind.AmpersandAmpersandToken:
          case ts.SyntaxKind.CommaToken:
          case ts.SyntaxKind.EqualsToken:
          case ts.SyntaxKind.PlusEqualsToken:
            return this.evalExpr(b.right, state);
          default:
            return undefined; // comparisons, arithmetic: booleans and numbers
        }
      }
      case ts.SyntaxKind.ConditionalExpression: {
        const c = e as ts.ConditionalExpression;
        return this.evalExpr(c.whenTrue, state) ?? this.evalExpr(c.whenFalse, state);
      }
      case ts.SyntaxKind.ArrayLiteralExpression:
        return this.firstTainted((e as ts.ArrayLiteralExpression).elements, state);
      case ts.SyntaxKind.SpreadElement:
        return this.evalExpr((e as ts.SpreadElement).expression, state);
      case ts.SyntaxKind.ObjectLiteralExpression: {
        if (state.sink === 'sql' || state.sink === 'command' || state.sink === 'path') return undefined;
        if (state.track) state.track.mask |= OBJECT_LITERAL_SINKS;
        for (const p of (e as ts.ObjectLiteralExpression).properties) {
          const v = ts.isPropertyAssignment(p) ? p.initializer : ts.isShorthandPropertyAssignment(p) ? p.name :
            ts.isSpreadAssignment(p) ? p.expression : undefined;
          if (!v) continue;
          const t = this.evalExpr(v, state);
          if (t) return t;
        }
        return undefined;
      }
      default:
        return undefined;
    }
  }

  private firstTainted(list: readonly ts.Expression[], state: EvalState): TaintTrace | undefined {
    for (const a of list) {
      const t = this.evalExpr(a, state);
      if (t) return t;
    }
    return undefined;
  }

  /**
   * A request member (`req.params.type`) that an enclosing function checked against a list before this use:
   * `LIST.includes(x)`, `LIST.indexOf(x)`, `SET.has(x)` in a condition.
   */
  private memberAllowlisted(e: ts.PropertyAccessExpression): boolean {
    // `x.y`, `this.y`: a chain of two names, not built
    const inner = unwrap(e.expression);
    if (inner.kind === ts.SyntaxKind.Identifier || inner.kind === ts.SyntaxKind.ThisKeyword) return false;
    const chain = memberChain(e);
    if (!chain || chain.length < 3) return false;
    const fn = enclosingFunction(e);
    if (!fn) return false;
    let checks = this.memberGuardCache.get(fn);
    if (!checks) {
      checks = new Map();
      const found = checks;
      const check = (n: ts.Node) => {
        if (ts.isCallExpression(n) && n.arguments.length === 1 && ['includes', 'indexOf', 'has'].includes(calleeName(n) ?? '')) {
          const a = unwrap(n.arguments[0]);
          const c = ts.isPropertyAccessExpression(a) ? memberChain(a) : undefined;
          if (c && this.inConditionOf(n)) { const k = c.join('.'); if (!found.has(k)) found.set(k, n.pos); }
        }
      };
      if (fn.body) this.eachCallOrBinary(fn.body, true, check);
      this.memberGuardCache.set(fn, checks);
    }
    const at = checks.get(chain.join('.'));
    return at !== undefined && at < e.pos;
  }

  private inConditionOf(n: ts.Node): boolean {
    let c: ts.Node = n;
    while (c.parent) {
      const p = c.parent;
      if ((ts.isIfStatement(p) || ts.isWhileStatement(p)) && p.expression === c) return true;
      if (ts.isConditionalExpression(p) && p.condition === c) return true;
      if (ts.isPrefixUnaryExpression(p) || ts.isParenthesizedExpression(p) || ts.isBinaryExpression(p)) { c = p; continue; }
      return false;
    }
    return false;
  }

  private evalMember(e: ts.PropertyAccessExpression | ts.ElementAccessExpression, state: EvalState): TaintTrace | undefined {
    const prop = ts.isPropertyAccessExpression(e) ? e.name.text : propertyNameText(e.argumentExpression as ts.PropertyName);
    const kind = this.requestKind(e.expression);
    if (kind && prop) {
      const props = kind === 'http' ? HTTP_PROPS : kind === 'koa' ? KOA_PROPS : kind === 'next-context' ? NEXT_CONTEXT_PROPS : undefined;
      if (props?.has(prop)) return { source: e, label: e.getText(this.sf) };
      return undefined;
    }
    // `if (!TYPES.includes(req.params.type)) return next()` … `req.params.type`: checked against a list first
    // (`kind` is what requestKind answers again: it reads the tree and tables that do not change)
    if (kind === undefined && ts.isPropertyAccessExpression(e) && this.memberAllowlisted(e)) return undefined;
    if (prop === 'length') return undefined;
    // multer's stored names (`req.file.filename`, `req.files[0].path`) are generated by the server, not sent by the client
    if (prop && MULTER_GENERATED.has(prop) && this.isUploadedFile(e.expression)) return undefined;
    // (the chain ends with the member's name when both are known: built only when that name can end a source)
    const chain = prop === undefined || SOURCE_CHAIN_ENDS.has(prop) ? memberChain(e) : undefined;
    if (chain && DOM_SOURCE_CHAINS.has(chain.join('.'))) return { source: e, label: chain.join('.') };
    if (chain && chain.length === 2 && (chain[0] === 'event' || chain[0] === 'e' || chain[0] === 'ev') && chain[1] === 'data' && this.isMessageListener(e)) {
      return { source: e, label: 'postMessage data' };
    }
    const base = this.evalExpr(e.expression, state);
    if (base) return widenLabel(base, e, this.sf);
    // a tainted key picks attacker-chosen data only if the object is tainted too; `obj[key]` alone is not data
    return undefined;
  }

  /** multer's file object: `req.file`, `req.files[i]`, `req.files.avatar[0]`, or a loop/callback variable over `req.files`. */
  private isUploadedFile(expr: ts.Expression, depth = 0): boolean {
    const e = unwrap(expr);
    if (depth > 4) return false;
    const isFiles = (x: ts.Expression): boolean => {
      const u = unwrap(x);
      if (ts.isPropertyAccessExpression(u) && u.name.text === 'files' && this.requestKind(u.expression) === 'http') return true;
      return (ts.isPropertyAccessExpression(u) || ts.isElementAccessExpression(u)) && isFiles(u.expression); // req.files.avatar
    };
    if (ts.isPropertyAccessExpression(e) && e.name.text === 'file' && this.requestKind(e.expression) === 'http') return true;
    if (ts.isElementAccessExpression(e) && isFiles(e.expression)) return true;
    if (ts.isIdentifier(e)) {
      const b = this.scopes.resolve(e);
      if (b && ts.isVariableDeclaration(b)) {
        if (b.initializer) return this.isUploadedFile(b.initializer, depth + 1);
        if (ts.isForOfStatement(b.parent.parent)) return isFiles(b.parent.parent.expression);
      }
      if (b && ts.isParameter(b) && isFunctionLike(b.parent) && b.parent.parameters[0] === b && b.parent.parent && ts.isCallExpression(b.parent.parent)) {
        const recv = calleeObject(b.parent.parent);
        return !!recv && ['map', 'forEach', 'filter', 'flatMap', 'find'].includes(calleeName(b.parent.parent) ?? '') && isFiles(recv);
      }
      // a named helper that callers hand the uploaded file: `deleteFile(req.file)`
      if (b && ts.isParameter(b) && isFunctionLike(b.parent)) {
        const i = b.parent.parameters.indexOf(b);
        return this.functions.callersOf(b.parent).some((c) => !!c.arguments[i] && this.isUploadedFile(c.arguments[i], depth + 1));
      }
    }
    return false;
  }

  private isMessageListener(node: ts.Node): boolean {
    const fn = enclosingFunction(node);
    const call = fn?.parent;
    if (!call || !ts.isCallExpression(call) || calleeName(call) !== 'addEventListener') return false;
    const first = call.arguments[0];
    return !!first && ts.isStringLiteralLike(first) && first.text === 'message';
  }

  /** `chain`: the call's `memberChain(call.expression)`, and `full` its names joined, when the caller has them */
  private isSanitizerCall(call: ts.CallExpression, state: EvalState, chain = memberChain(call.expression), full = chain?.join('.')): boolean {
    const name = calleeName(call);
    if (!name) return false;
    if (full && NUMERIC_SANITIZERS.has(full)) return true;
    if (NUMERIC_SANITIZERS.has(name) && (!chain || chain.length === 1)) return true;
    if (chain && chain[0] === 'Math') return true;
    if (SCHEMA_METHODS.has(name) && chain && chain.length >= 2 && !NOT_VALIDATORS.has(chain[0])) return true;
    if (state.sink && SINK_SANITIZERS[state.sink].has(name)) return true;
    if (state.sink && full && SINK_SANITIZERS[state.sink].has(full)) return true;
    // the app's own cleaner, named for what it does (`sanitizeSVGContent`, `purifyHtml`, `escapeHtmlEntities`)
    if (state.sink === 'html' && HTML_CLEANER.test(name)) return true;
    if (state.track) {
      state.track.mask |= (SANITIZER_SINKS.get(name) ?? 0) | (full ? SANITIZER_SINKS.get(full) ?? 0 : 0) | (HTML_CLEANER.test(name) ? bitOf('html') : 0);
    }
    return false;
  }

  private evalCall(call: ts.CallExpression, state: EvalState): TaintTrace | undefined {
    const chain = memberChain(call.expression);
    const joined = chain?.join('.');
    if (this.isSanitizerCall(call, state, chain, joined)) return undefined;
    const callee = unwrap(call.expression);
    const name = calleeName(call);
    const receiver = calleeObject(call);

    // req.get('x'), request.json(), c.req.query('q'), ctx.get('x')
    if (receiver && name) {
      const kind = this.requestKind(receiver);
      if (kind === 'http' && HTTP_METHODS.has(name)) return { source: call, label: call.expression.getText(this.sf) + '()' };
      if (kind === 'koa' && name === 'get') return { source: call, label: call.expression.getText(this.sf) + '()' };
      if (kind) return undefined;
    }
    // useSearchParams().get('x') in client components; URLSearchParams of a tainted string is handled below
    if (ts.isIdentifier(callee) && callee.text === 'useSearchParams') return { source: call, label: 'useSearchParams()' };
    if (ts.isIdentifier(callee) && (callee.text === 'useParams' || callee.text === 'useRouter')) return { source: call, label: callee.text + '()' };

    // React's `useMemo(() => …, deps)`: the result is what the callback returns
    const memo = memoCallback(call);
    if (memo) {
      for (const r of this.functions.returnsOf(memo)) {
        const t = this.evalExpr(r, state);
        if (t) return t;
      }
      return undefined;
    }
    // `xs.map((x) => …)`: the result is what the callback returns (its parameter carries the receiver's taint)
    if (receiver && (name === 'map' || name === 'flatMap') && call.arguments[0] && (ts.isArrowFunction(call.arguments[0]) || ts.isFunctionExpression(call.arguments[0]))) {
      const fn = call.arguments[0] as ts.ArrowFunction | ts.FunctionExpression;
      for (const r of this.functions.returnsOf(fn)) {
        const t = this.evalExpr(r, state);
        if (t) return t;
      }
      return undefined;
    }
    // a method on a tainted value: `name.trim()`, `formData.get('x')`, `ids.join(',')`
    if (receiver && name) {
      if (NON_DATA_METHODS.has(name)) return undefined;
      if ((name === 'replace' || name === 'replaceAll') && state.sink && stripsDangerousChars(call, state.sink)) return undefined;
      if ((name === 'replace' || name === 'replaceAll') && state.track) state.track.mask |= STRIP_SINKS;
      const t = this.evalExpr(receiver, state);
      if (t) return widenLabel(t, call, this.sf);
    }
    const full = joined ?? name;
    if (full && (PASS_THROUGH.has(full) || (name && PASS_THROUGH.has(name) && chain && chain.length <= 2))) {
      return this.firstTainted(call.arguments, state);
    }
    // a function of this file (a helper, `this.method`, an object's method) or of an imported module whose
    // summary says which parameters reach its return value: follow those arguments
    if (state.depth < MAX_DEPTH - 4 && (ts.isIdentifier(callee) || ts.isPropertyAccessExpression(callee))) {
      const target = this.functions.targetOf(call);
      let flows: Iterable<number> | undefined;
      const assume = target?.kind === 'import' && !!this.project?.assumeReturns && isLocalSpecifier(target.spec);
      if (target?.kind === 'local' && target.fn !== state.symbolic) {
        if (state.track) this.trackCallee(state.track, target.fn);
        flows = this.helperParamFlows(target.fn, state.sink);
      } else if (target?.kind === 'import' && assume) flows = call.arguments.map((_, i) => i);
      else if (target?.kind === 'import' && this.project?.returns) {
        if (state.track) state.track.mask = ALL_SINKS;
        flows = this.project.returns(target, state.sink);
      }
      for (const i of flows ?? []) {
        const arg = call.arguments[i];
        if (arg && !ts.isSpreadElement(arg)) {
          const t = this.evalExpr(arg, state);
          if (t && assume && target?.kind === 'import') {
            const { kind: _k, ...imp } = target;
            void _k;
            return { ...t, assumes: [...(t.assumes ?? []), { target: imp, param: i }] };
          }
          if (t) return t;
        }
      }
    }
    return undefined;
  }

  /** Which parameters of a local helper reach its return value (past the sanitizers inside it, for this sink). */
  helperParamFlows(fn: ts.FunctionLikeDeclaration, sink?: SinkKind): Set<number> {
    let bySink = this.helperCache.get(sink ?? '');
    if (!bySink) { bySink = new Map(); this.helperCache.set(sink ?? '', bySink); }
    const hit = bySink.get(fn);
    if (hit) return hit;
    const flows = new Set<number>();
    bySink.set(fn, flows); // recursion guard
    const returns = this.functions.returnsOf(fn);
    let track: SinkTrack | undefined;
    if (this.tracking && sink === undefined) {
      track = { mask: 0, guarded: [], callees: [], done: false, resolved: undefined };
      // (an evaluation that would meet what another one of this sink and function left in the cache: not followed)
      if (this.cache.has(`|${fn.pos}`)) track.mask = ALL_SINKS;
      this.sinkTracks!.set(fn, track);
    }
    const state = evalState(sink, fn, track);
    for (const r of returns) {
      const t = this.evalExpr(r, state);
      // a return that only flows if an imported function passes it through is not counted (summary pre-pass)
      if (t && t.label.startsWith('param:') && !t.assumes) flows.add(Number(t.label.slice(6)));
    }
    if (track) track.done = true;
    return flows;
  }

  /**
   * helperParamFlows of `fn` without a sink, then, when some parameter flows, for each of `sinks` (in that order),
   * with the answers of helperParamFlows. The evaluation without a sink notes what a sink could change (SinkTrack); a sink for which
   * nothing did finds the same flows by the same path, so its flows are those, and kept for it as helperParamFlows
   * would keep them, instead of evaluated again. (test/unit/taint-flows-per-sink.test.ts compares them.)
   */
  helperParamFlowsPerSink(fn: ts.FunctionLikeDeclaration, sinks: readonly SinkKind[]): { any: Set<number>; bySink: Set<number>[] } {
    this.sinkTracks ??= new Map();
    const was = this.tracking;
    this.tracking = true;
    let any: Set<number>;
    try { any = this.helperParamFlows(fn); } finally { this.tracking = was; }
    if (!any.size) return { any, bySink: [] };
    const mask = this.sinksChanging(fn);
    const bySink = sinks.map((k) => {
      if (mask & bitOf(k)) return this.helperParamFlows(fn, k);
      let cached = this.helperCache.get(k);
      if (!cached) { cached = new Map(); this.helperCache.set(k, cached); }
      const hit = cached.get(fn);
      if (hit) return hit;
      cached.set(fn, any);
      return any;
    });
    return { any, bySink };
  }

  /** The sinks whose flows of `fn` may differ from its flows without a sink (its track, guards and callees counted). */
  private sinksChanging(fn: ts.FunctionLikeDeclaration, visiting = new Set<ts.Node>()): number {
    const t = this.sinkTracks?.get(fn);
    if (!t || !t.done || visiting.has(fn)) return ALL_SINKS;
    if (t.resolved !== undefined) return t.resolved;
    visiting.add(fn);
    let mask = t.mask;
    for (let i = 0; i < t.guarded.length && mask !== ALL_SINKS; i += 2) mask |= this.guardSinks(t.guarded[i] as Binding, t.guarded[i + 1] as ts.Identifier);
    for (let i = 0; i < t.callees.length && mask !== ALL_SINKS; i++) mask |= this.sinksChanging(t.callees[i], visiting);
    visiting.delete(fn);
    t.resolved = mask;
    return mask;
  }

  /** A callee's flows asked during a tracked evaluation: one whose own evaluation is under way or untracked counts for all sinks. */
  private trackCallee(track: SinkTrack, fn: ts.FunctionLikeDeclaration): void {
    if (this.helperCache.get('')?.has(fn) && !this.sinkTracks?.get(fn)?.done) track.mask = ALL_SINKS;
    else track.callees.push(fn);
  }

  private evalIdentifier(id: ts.Identifier, state: EvalState): TaintTrace | undefined {
    if (id.text === 'undefined') return undefined;
    const b = this.scopes.resolve(id);
    if (!b) return undefined;
    if (state.sink && this.isGuarded(b, id, state.sink)) return undefined;
    if (state.track) state.track.guarded.push(b, id);

    let result: TaintTrace | undefined;
    if (ts.isParameter(b)) {
      result = this.evalParameter(b, state);
    } else if (ts.isBindingElement(b)) {
      result = this.evalBindingElement(b, state);
    } else if (ts.isVariableDeclaration(b)) {
      if (b.initializer) result = this.evalExpr(b.initializer, state);
      if (!result && ts.isForOfStatement(b.parent.parent) ) result = this.evalExpr(b.parent.parent.expression, state);
      if (!result && ts.isForInStatement(b.parent.parent)) result = undefined; // keys of an object are not its data
    }
    if (result) return result;
    if (ts.isVariableDeclaration(b) || ts.isBindingElement(b) || ts.isParameter(b)) {
      // later assignments and pushes before this use: `q += …`, `parts.push(…)`
      for (const rhs of this.assignmentsTo(b, id.text)) {
        if (rhs.pos >= id.pos) continue;
        const t = this.evalExpr(rhs, state);
        if (t) return t;
      }
    }
    return undefined;
  }

  private evalParameter(p: ts.ParameterDeclaration, state: EvalState): TaintTrace | undefined {
    const fn = p.parent;
    if (state.symbolic && fn === state.symbolic) return { source: p, label: `param:${fn.parameters.indexOf(p)}` };
    if (isFunctionLike(fn) && this.isServerAction(fn)) return { source: p, label: p.name.getText(this.sf) };
    // `.then((body) => …)` after `request.json()`; array callbacks over tainted arrays: `ids.map((id) => …)`
    if (isFunctionLike(fn) && fn.parent && ts.isCallExpression(fn.parent) && fn.parent.arguments[0] === fn && fn.parameters[0] === p) {
      const name = calleeName(fn.parent);
      const recv = calleeObject(fn.parent);
      if (recv && name && ['then', 'map', 'forEach', 'filter', 'flatMap', 'find', 'reduce'].includes(name)) {
        if (name === 'reduce') return undefined;
        return this.evalExpr(recv, state);
      }
    }
    const nest = this.nestSource(p);
    if (nest) return nest;
    if (isFunctionLike(fn)) return this.evalFromCallers(fn, p, state);
    return undefined;
  }

  /** NestJS handler parameters bound to the request: `@Body() dto`, `@Query('q') q`, `@Param('id') id`, `@Headers()`. */
  private nestSource(p: ts.ParameterDeclaration): TaintTrace | undefined {
    if (!this.facts.modules.has('@nestjs/common')) return undefined;
    for (const d of ts.canHaveDecorators(p) ? ts.getDecorators(p) ?? [] : []) {
      const e = d.expression;
      const name = ts.isCallExpression(e) && ts.isIdentifier(e.expression) ? e.expression.text : undefined;
      if (name && NEST_PARAM_DECORATORS.has(name) && this.facts.imports.get(name)?.module === '@nestjs/common') {
        // a pipe that converts or checks the value: `@Param('id', ParseIntPipe)`, `new ParseUUIDPipe()`
        const pipes = (e as ts.CallExpression).arguments.map((a) => { const u = unwrap(a); return ts.isNewExpression(u) ? u.expression.getText(this.sf) : u.getText(this.sf); });
        if (pipes.some((x) => /^Parse(Int|Float|Bool|UUID|Enum|Date)Pipe$/.test(x))) return undefined;
        const text = e.getText(this.sf);
        return { source: p, label: `@${text.length <= 40 ? text : name + '()'}` };
      }
    }
    return undefined;
  }

  /**
   * A parameter of a named function takes the taint of what its callers pass: callers in this file (evaluated
   * here, with the sink's sanitizers), and calls from other modules (the summary pre-pass, `project.incoming`).
   */
  private evalFromCallers(fn: ts.FunctionLikeDeclaration, p: ts.ParameterDeclaration, state: EvalState): TaintTrace | undefined {
    if (state.depth >= MAX_DEPTH - 4 || this.isCallbackArg(fn)) return undefined;
    const index = fn.parameters.indexOf(p);
    if (index < 0 || p.dotDotDotToken) return undefined;
    const key = this.functions.keyOf(fn);
    if (!key) return undefined;
    const fnName = key.replace(/#\d+$/, '').split('.').pop();
    for (const call of this.functions.callersOf(fn)) {
      const argsBefore = call.arguments.slice(0, index + 1);
      if (argsBefore.some((a) => ts.isSpreadElement(a))) continue;
      const arg = call.arguments[index];
      if (!arg) continue;
      const t = this.evalExpr(arg, state);
      if (!t || t.label.startsWith('param:')) continue;
      const hop = { node: arg, message: `The value is passed to \`${fnName}()\` here${fn.parameters.length > 1 ? ` (parameter \`${p.name.getText(this.sf)}\`)` : ''}.` };
      const trace: TaintTrace = { source: t.source, label: t.label, before: t.before, after: [...(t.after ?? []), hop] };
      this.recordFlow(trace, fn);
      return trace;
    }
    const chain = this.project?.incoming?.[key]?.[index];
    if (chain) {
      const trace: TaintTrace = { source: p, label: chain.label, before: chain.hops, ...(chain.checked ? { checked: chain.checked } : {}) };
      this.recordFlow(trace, fn);
      return trace;
    }
    return undefined;
  }

  private recordFlow(t: TaintTrace, fn: ts.FunctionLikeDeclaration): void {
    const l = this.flows.get(t.source);
    const entry = { fn, before: t.before, after: t.after };
    if (l) { if (!l.some((x) => x.fn === fn)) l.push(entry); } else this.flows.set(t.source, [entry]);
  }

  private evalBindingElement(b: ts.BindingElement, state: EvalState): TaintTrace | undefined {
    const { path, root } = bindingPath(b);
    if (!root) return undefined;
    if (ts.isParameter(root)) {
      const fn = root.parent;
      if (state.symbolic && fn === state.symbolic) return { source: b, label: `param:${fn.parameters.indexOf(root)}` };
      if (isFunctionLike(fn) && this.isServerAction(fn)) return { source: b, label: b.name.getText(this.sf) };
      const kind = this.paramRequestKind(root);
      if (kind) return this.pathFromRequest(kind, path, b);
      return this.evalParameter(root, state);
    }
    if (typeof path[0] === 'string' && MULTER_GENERATED.has(path[0]) && root.initializer && this.isUploadedFile(root.initializer)) return undefined;
    if (!root.initializer) {
      const loop = root.parent.parent;
      if (ts.isForOfStatement(loop)) return this.evalExpr(loop.expression, state);
      return undefined;
    }
    const kind = this.requestKind(root.initializer);
    if (kind) return this.pathFromRequest(kind, path, b, root.initializer.getText(this.sf));
    const t = this.evalExpr(root.initializer, state);
    if (!t || t.label.startsWith('param:')) return t;
    const suffix = path.filter((p) => p !== '...').map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('');
    const label = `${t.label}${suffix}`;
    return label.length <= 60 ? { ...t, label } : t;
  }

  private pathFromRequest(kind: RequestKind, path: (string | number)[], node: ts.Node, base?: string): TaintTrace | undefined {
    const first = path[0];
    if (typeof first !== 'string') return undefined;
    const props = kind === 'http' ? HTTP_PROPS : kind === 'koa' ? KOA_PROPS : kind === 'next-context' ? NEXT_CONTEXT_PROPS : undefined;
    if (props?.has(first)) return { source: node, label: [base, ...path.filter((p) => typeof p === 'string' && p !== '...')].filter(Boolean).join('.') };
    return undefined;
  }

  /** Right-hand sides assigned to a name in the scope that declares it (`x = …`, `x += …`, `x.push(…)`). */
  private assignmentsTo(b: Binding, name: string): ts.Expression[] {
    return this.writesIn(bindingScope(b)).values.get(name) ?? [];
  }

  /**
   * Every write to a plain name in a function or file, indexed once per scope (rules resolve variables for many
   * calls; walking the scope each time is quadratic on large files):
   * `assignments` — each assignment expression by target name (`x = …`, `x += …`, `x ||= …`);
   * `values` — in document order, what `=`, `+=`, `.push/.unshift/.concat/.append/.set` put into the name.
   * A question of the tree alone: kept per scope for every analyzer of the tree (the summary's and the analysis's),
   * and made from the file's writes (writesOfFile), the few of its calls and binary expressions that are one.
   */
  writesIn(scope: ts.Node): { assignments: Map<string, ts.BinaryExpression[]>; values: Map<string, ts.Expression[]> } {
    let w = scopeWritesCache.get(scope);
    if (w) return w;
    const assignments = new Map<string, ts.BinaryExpression[]>();
    const values = new Map<string, ts.Expression[]>();
    const add = <T>(m: Map<string, T[]>, n: string, e: T) => { const l = m.get(n); if (l) l.push(e); else m.set(n, [e]); };
    // (the writes below the scope, in document order: those of the file whose text is in the scope's, as
    // eachCallOrBinary finds the calls and binary expressions below it)
    forEachNodeBelow(this.writesOfFile(), scope, (n) => {
      if (n.kind === BINARY_KIND) {
        const b = n as ts.BinaryExpression;
        const name = (unwrap(b.left) as ts.Identifier).text;
        add(assignments, name, b);
        if (b.operatorToken.kind === ts.SyntaxKind.EqualsToken || b.operatorToken.kind === ts.SyntaxKind.PlusEqualsToken) add(values, name, b.right);
      } else {
        const c = n as ts.CallExpression;
        const recv = calleeObject(c) as ts.Identifier;
        for (const a of c.arguments) add(values, recv.text, a);
      }
    });
    w = { assignments, values };
    scopeWritesCache.set(scope, w);
    return w;
  }

  /**
   * The file's calls and binary expressions that write a plain name (what writesIn indexes: an assignment to a
   * name, `x.push(…)`-like calls on a name), in document order, found once per tree.
   */
  private writesOfFile(): readonly ts.Node[] {
    let list = fileWritesCache.get(this.sf);
    if (!list) {
      const out: ts.Node[] = [];
      // (calleeObject and calleeName written out: every call and binary expression of the file comes here)
      this.eachCallOrBinary(this.sf, false, (n) => {
        if (n.kind === BINARY_KIND) {
          const b = n as ts.BinaryExpression;
          const op = b.operatorToken.kind;
          if (op >= FIRST_ASSIGNMENT && op <= LAST_ASSIGNMENT && unwrap(b.left).kind === IDENTIFIER_KIND) out.push(n);
          return;
        }
        const e = unwrap((n as ts.CallExpression).expression);
        let nm: string | undefined;
        if (e.kind === PROPERTY_ACCESS_KIND) {
          if (unwrap((e as ts.PropertyAccessExpression).expression).kind === IDENTIFIER_KIND) nm = (e as ts.PropertyAccessExpression).name.text;
        } else if (e.kind === ELEMENT_ACCESS_KIND && unwrap((e as ts.ElementAccessExpression).expression).kind === IDENTIFIER_KIND) {
          const a = unwrap((e as ts.ElementAccessExpression).argumentExpression);
          if (ts.isStringLiteralLike(a)) nm = a.text;
        }
        if (nm === 'push' || nm === 'unshift' || nm === 'concat' || nm === 'append' || nm === 'set') out.push(n);
      });
      list = out;
      fileWritesCache.set(this.sf, list);
    }
    return list;
  }

  /** An allowlist/prefix/type check on this variable in an enclosing condition before `use`. */
  private isGuarded(b: Binding, use: ts.Identifier, sink: SinkKind): boolean {
    const list = this.guardsOf(b);
    if (!list) return false;
    return list.some((g) => g.pos < use.pos && (g.kind === 'allowlist' ||
      (g.kind === 'prefix' && (sink === 'path' || sink === 'url')) || (g.kind === 'type' && (sink === 'nosql' || sink === 'object'))));
  }

  /** The sinks for which isGuarded(b, use, sink) holds, as a mask (SINK_BITS). */
  private guardSinks(b: Binding, use: ts.Identifier): number {
    let mask = 0;
    for (const g of this.guardsOf(b) ?? []) if (g.pos < use.pos) mask |= GUARD_SINKS[g.kind];
    return mask;
  }

  private guardsOf(b: Binding): { pos: number; kind: GuardKind }[] | undefined {
    const scope = bindingScope(b);
    let guards = this.guardCache.get(scope);
    if (!guards) {
      guards = this.collectGuards(scope);
      this.guardCache.set(scope, guards);
    }
    return guards.get(b);
  }

  private collectGuards(scope: ts.Node): Map<Binding, { pos: number; kind: GuardKind }[]> {
    const out = new Map<Binding, { pos: number; kind: GuardKind }[]>();
    const add = (e: ts.Expression | undefined, pos: number, kind: GuardKind) => {
      if (!e) return;
      const u = unwrap(e);
      if (!ts.isIdentifier(u)) return;
      const b = this.scopes.resolve(u);
      if (!b) return;
      const l = out.get(b);
      if (l) l.push({ pos, kind }); else out.set(b, [{ pos, kind }]);
    };
    const inCondition = (n: ts.Node): boolean => {
      let c: ts.Node = n;
      while (c.parent) {
        const p = c.parent;
        if ((ts.isIfStatement(p) || ts.isWhileStatement(p)) && p.expression === c) return true;
        if (ts.isConditionalExpression(p) && p.condition === c) return true;
        if (ts.isBinaryExpression(p) && (p.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken || p.operatorToken.kind === ts.SyntaxKind.BarBarToken) && p.left === c) return true;
        if (ts.isPrefixUnaryExpression(p) || ts.isParenthesizedExpression(p) || ts.isBinaryExpression(p) || ts.isAwaitExpression(p)) { c = p; continue; }
        return false;
      }
      return false;
    };
    /** an expression statement reached from the scope through blocks and `try` only */
    const unconditional = (n: ts.Node, top: ts.Node): boolean => {
      if (!n.parent || !ts.isExpressionStatement(n.parent)) return false;
      let c: ts.Node = n.parent.parent;
      while (c && c !== top) {
        if (!(ts.isBlock(c) || ts.isTryStatement(c))) return false;
        if (ts.isBlock(c) && c.parent && ts.isTryStatement(c.parent) && c.parent.tryBlock !== c) return false;
        c = c.parent;
      }
      return c === top;
    };
    this.eachCallOrBinary(scope, false, (n) => {
      if (ts.isCallExpression(n) && inCondition(n)) {
        const name = calleeName(n);
        const recv = calleeObject(n);
        if (name === 'includes' || name === 'has' || name === 'indexOf' || name === 'test' || name === 'match' ||
            (name && /^(is|validate|check)[A-Z]/.test(name)) || name === 'isValid' || name === 'isInteger') {
          for (const a of n.arguments) add(a, n.pos, 'allowlist');
        }
        if ((name === 'startsWith' || name === 'match' || name === 'test') && recv) add(recv, n.pos, name === 'startsWith' ? 'prefix' : 'allowlist');
      }
      if (ts.isBinaryExpression(n) && ts.isTypeOfExpression(unwrap(n.left)) && inCondition(n)) {
        add((unwrap(n.left) as ts.TypeOfExpression).expression, n.pos, 'type');
      }
      // `name = sanitizePathname(name)` as a statement of the function body (not inside a branch): every later use
      // reads the sanitized value
      if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(unwrap(n.left)) &&
          ts.isCallExpression(unwrap(n.right)) && /^(saniti[sz]e|escape|clean)/i.test(calleeName(unwrap(n.right) as ts.CallExpression) ?? '') &&
          (unwrap(n.right) as ts.CallExpression).arguments.some((a) => ts.isIdentifier(unwrap(a)) && (unwrap(a) as ts.Identifier).text === (unwrap(n.left) as ts.Identifier).text) &&
          unconditional(n, scope)) {
        add(n.left, n.end, 'allowlist');
      }
    });
    return out;
  }

  // ---------------------------------------------------------------------------------------------

  /** Constant, numeric, environment-provided or sanitized: nothing a request can shape. */
  isSafeValue(node: ts.Expression, sink: SinkKind | undefined, depth: number): boolean {
    if (depth > 12) return false;
    const e = unwrap(node);
    switch (e.kind) {
      case ts.SyntaxKind.StringLiteral:
      case ts.SyntaxKind.NoSubstitutionTemplateLiteral:
      case ts.SyntaxKind.NumericLiteral:
      case ts.SyntaxKind.BigIntLiteral:
      case ts.SyntaxKind.TrueKeyword:
      case ts.SyntaxKind.FalseKeyword:
      case ts.SyntaxKind.NullKeyword:
      case ts.SyntaxKind.RegularExpressionLiteral:
      case ts.SyntaxKind.TypeOfExpression:
        return true;
      case ts.SyntaxKind.TemplateExpression:
        return (e as ts.TemplateExpression).templateSpans.every((s) => this.isSafeValue(s.expression, sink, depth + 1));
      case ts.SyntaxKind.TaggedTemplateExpression:
        return true; // sql`…`, Prisma.sql`…`: the tag binds the values
      case ts.SyntaxKind.PrefixUnaryExpression:
        return true; // +x, -x, !x: numbers and booleans
      case ts.SyntaxKind.BinaryExpression: {
        const b = e as ts.BinaryExpression;
        const op = b.operatorToken.kind;
        if (op === ts.SyntaxKind.PlusToken || op === ts.SyntaxKind.BarBarToken || op === ts.SyntaxKind.QuestionQuestionToken) {
          return this.isSafeValue(b.left, sink, depth + 1) && this.isSafeValue(b.right, sink, depth + 1);
        }
        return op !== ts.SyntaxKind.EqualsToken && op !== ts.SyntaxKind.PlusEqualsToken && op !== ts.SyntaxKind.CommaToken &&
          op !== ts.SyntaxKind.AmpersandAmpersandToken;
      }
      case ts.SyntaxKind.ConditionalExpression: {
        const c = e as ts.ConditionalExpression;
        return this.isSafeValue(c.whenTrue, sink, depth + 1) && this.isSafeValue(c.whenFalse, sink, depth + 1);
      }
      case ts.SyntaxKind.ArrayLiteralExpression:
        return (e as ts.ArrayLiteralExpression).elements.every((x) => this.isSafeValue(x, sink, depth + 1));
      case ts.SyntaxKind.Identifier: {
        const id = e as ts.Identifier;
        if (id.text === 'undefined') return true;
        if (/^[A-Z][A-Z0-9_]*$/.test(id.text)) return true; // SCREAMING_CASE constants
        const b = this.scopes.resolve(id);
        if (!b) return false;
        if (sink && this.isGuarded(b, id, sink)) return true;
        if (ts.isVariableDeclaration(b) && b.initializer && (b.parent.flags & ts.NodeFlags.Const)) {
          return this.isSafeValue(b.initializer, sink, depth + 1);
        }
        if (ts.isVariableDeclaration(b) && b.initializer && ts.isVariableDeclarationList(b.parent)) {
          // let/var: safe if the initializer and every assignment is
          if (!this.isSafeValue(b.initializer, sink, depth + 1)) return false;
          return this.assignmentsTo(b, id.text).every((r) => this.isSafeValue(r, sink, depth + 1));
        }
        if (ts.isEnumDeclaration(b)) return true;
        // the index argument of an array callback: `ids.map((_, i) => `$${i + 1}`)`
        if (ts.isParameter(b) && isFunctionLike(b.parent) && b.parent.parameters.indexOf(b) === 1 && b.parent.parent &&
            ts.isCallExpression(b.parent.parent) && ['map', 'forEach', 'flatMap', 'filter'].includes(calleeName(b.parent.parent) ?? '')) return true;
        return false;
      }
      case ts.SyntaxKind.PropertyAccessExpression: {
        const chain = memberChain(e);
        if (chain && chain[0] === 'process' && chain[1] === 'env') return true;
        if (chain && chain.slice(0, -1).some((s) => /^[A-Z][A-Z0-9_]*$/.test(s))) return true; // TABLES.users
        if (chain && chain[chain.length - 1] === 'length') return true;
        return false;
      }
      case ts.SyntaxKind.CallExpression: {
        const call = e as ts.CallExpression;
        if (this.isSanitizerCall(call, evalState(sink, undefined))) return true;
        const name = calleeName(call);
        const recv = calleeObject(call);
        if (name && NON_DATA_METHODS.has(name)) return true;
        // ids.map(() => '?').join(', ') — placeholders built from a count, not from data
        if (name === 'join' && recv && ts.isCallExpression(recv) && calleeName(recv) === 'map') {
          const fn = recv.arguments[0];
          if (fn && (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) && fn.body && !ts.isBlock(fn.body)) {
            return this.isSafeValue(fn.body, sink, depth + 1) || this.isSafeValue(recv.expression, sink, depth + 1);
          }
        }
        if (name === 'join' && recv) return this.isSafeValue(recv, sink, depth + 1);
        // React's `useMemo(() => clean(x), [x])` is the callback's value
        const memo = memoCallback(call);
        if (memo) { const rs = this.functions.returnsOf(memo); return rs.length > 0 && rs.every((r) => this.isSafeValue(r, sink, depth + 1)); }
        // a function of this file whose every return is safe (`toInt(v) { return parseInt(v, 10) }`)
        if (depth < 6 && (ts.isIdentifier(call.expression) || ts.isPropertyAccessExpression(call.expression))) {
          const target = this.functions.targetOf(call);
          if (target?.kind === 'local' && !this.safeReturnVisiting.has(target.fn)) {
            const returns = this.functions.returnsOf(target.fn);
            this.safeReturnVisiting.add(target.fn);
            try {
              if (returns.length && returns.every((r) => this.isSafeValue(r, sink, depth + 1))) return true;
            } finally { this.safeReturnVisiting.delete(target.fn); }
          }
        }
        if ((name === 'toFixed' || name === 'toISOString' || name === 'getTime' || name === 'randomUUID') ) return true;
        if (name === 'repeat' && recv) return this.isSafeValue(recv, sink, depth + 1);
        // new Array(n).fill('?'): every element is the fill value
        if (name === 'fill' && recv && call.arguments.length === 1) return this.isSafeValue(call.arguments[0], sink, depth + 1);
        // Array.from({ length: n }, () => '?')
        if (name === 'from' && recv && recv.getText() === 'Array' && call.arguments[1]) {
          const fn = unwrap(call.arguments[1]);
          if ((ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) && fn.body && !ts.isBlock(fn.body)) return this.isSafeValue(fn.body, sink, depth + 1);
        }
        return false;
      }
      default:
        return false;
    }
  }
}

/**
 * Whether the evaluation of `expr` (evalUncached, below evalExpr) finds nothing whatever the sink, the symbolic
 * function, the project's data and the analyzer's caches: a literal, a function, `this`, `undefined`, a comparison,
 * and what is built only of those (`{ id: 'x', onClick: () => … }`, `[1, 2]`, `` `a${'b'}` ``, `a === b ? 'x' : 'y'`).
 * It follows evalUncached case by case: a kind evalUncached does not look into is inert; one it looks into is inert
 * when every part it evaluates is; names (but `undefined`), members, calls and `new` are not. Such an evaluation has
 * no effect but its own cache entries (each undefined), so a caller may leave it out.
 * (test/unit/taint-inert.test.ts compares it with the evaluations.)
 */
export function isInert(expr: ts.Expression, depth = 0): boolean {
  if (depth > 16) return false;
  const e = unwrap(expr);
  switch (e.kind) {
    case ts.SyntaxKind.Identifier:
      return (e as ts.Identifier).text === 'undefined';
    case ts.SyntaxKind.PropertyAccessExpression:
    case ts.SyntaxKind.ElementAccessExpression:
    case ts.SyntaxKind.CallExpression:
    case ts.SyntaxKind.NewExpression:
      return false;
    case ts.SyntaxKind.AwaitExpression:
      return isInert((e as ts.AwaitExpression).expression, depth + 1);
    case ts.SyntaxKind.TemplateExpression:
      return (e as ts.TemplateExpression).templateSpans.every((s) => isInert(s.expression, depth + 1));
    case ts.SyntaxKind.BinaryExpression: {
      const b = e as ts.BinaryExpression;
      switch (b.operatorToken.kind) {
        case ts.SyntaxKind.PlusToken:
        case ts.SyntaxKind.BarBarToken:
        case ts.SyntaxKind.QuestionQuestionToken:
          return isInert(b.left, depth + 1) && isInert(b.right, depth + 1);
        case ts.SyntaxKind.AmpersandAmpersandToken:
        case ts.SyntaxKind.CommaToken:
        case ts.SyntaxKind.EqualsToken:
        case ts.SyntaxKind.PlusEqualsToken:
          return isInert(b.right, depth + 1);
        default:
          return true;
      }
    }
    case ts.SyntaxKind.ConditionalExpression: {
      const c = e as ts.ConditionalExpression;
      return isInert(c.whenTrue, depth + 1) && isInert(c.whenFalse, depth + 1);
    }
    case ts.SyntaxKind.ArrayLiteralExpression:
      return (e as ts.ArrayLiteralExpression).elements.every((x) => isInert(x, depth + 1));
    case ts.SyntaxKind.SpreadElement:
      return isInert((e as ts.SpreadElement).expression, depth + 1);
    case ts.SyntaxKind.ObjectLiteralExpression:
      for (const p of (e as ts.ObjectLiteralExpression).properties) {
        const v = ts.isPropertyAssignment(p) ? p.initializer : ts.isShorthandPropertyAssignment(p) ? p.name :
          ts.isSpreadAssignment(p) ? p.expression : undefined;
        if (v && !isInert(v, depth + 1)) return false;
      }
      return true;
    default:
      return true;
  }
}

/** The expressions a function returns (an arrow's expression body, or its `return` statements). */
export function returnExpressions(fn: ts.FunctionLikeDeclaration): ts.Expression[] {
  return findReturns(fn);
}

/** `request.nextUrl` → `request.nextUrl.searchParams.get('q')`: name the value the user will recognise. */
function widenLabel(t: TaintTrace, outer: ts.Expression, sf: ts.SourceFile): TaintTrace {
  if (t.label.startsWith('param:') || t.before || t.after || !ts.isPropertyAccessExpression(t.source) && !ts.isCallExpression(t.source) && !ts.isElementAccessExpression(t.source)) return t;
  if (!(outer.pos <= t.source.pos && outer.end >= t.source.end)) {
    // `const router = useRouter()` … `router.query.next`: name the read, keep the hook call as where data enters
    const read = outer.getText(sf);
    if (/^use(Router|SearchParams|Params)\(\)$/.test(t.label) || (read.startsWith(t.label) && /^[.[]/.test(read.slice(t.label.length)))) {
      if (read.length <= 60 && !read.includes('\n')) return { ...t, label: read };
    }
    return t;
  }
  const text = outer.getText(sf);
  return text.length <= 60 && !text.includes('\n') ? { ...t, source: outer, label: text } : t;
}

/** `useMemo(() => value, deps)` / `React.useMemo(…)`: the callback whose return value the call gives. */
function memoCallback(call: ts.CallExpression): ts.ArrowFunction | ts.FunctionExpression | undefined {
  if (calleeName(call) !== 'useMemo') return undefined;
  const fn = call.arguments[0] && unwrap(call.arguments[0]);
  return fn && (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) ? fn : undefined;
}
