/**
 * Taint inside one function: which expressions carry request data. Sources are Flask's `request.args/form/
 * values/json/files/cookies/headers/data` (and `get_json()`), Django's `request.GET/POST/body/COOKIES/FILES/
 * META` (and DRF's `request.data/query_params`), Starlette/FastAPI's `request.query_params/path_params/
 * headers/cookies` and `await request.json()/form()/body()`, Pecan's `pecan.request` (WebOb: `GET/POST/params/body/json`),
 * Falcon's `req.params/get_param()/media/get_media()/stream/headers`, Tornado's `self.get_argument()` (and kin) and
 * `self.request.body/arguments/headers/uri…` with the URL groups of a handler's `get(self, name)`, Bottle's
 * `request.query/forms/params/json…` and route wildcards (`<name>`, not `<id:int>`), aiohttp's `request.query/
 * match_info/post()/json()…` (and a `web.View`'s `self.request`), Flask route variables (`<name>`, not `<int:id>`),
 * FastAPI endpoint parameters and Pydantic models, and Django view arguments. Typed parameters narrow: an
 * `int`, `UUID`, `date`, `Literal[…]` or enum parameter is not injectable, nor a `request.args.get(…, type=int)`.
 * Propagation is a def-use closure over the function's assignments (`=`, `+=`, `for … in`, `with … as`,
 * walrus, tuple unpacking), through any call that receives tainted data, except the sanitizers.
 */
import type { Node } from 'web-tree-sitter';
import { calleeLastName, classOfMethod, decoratorsOf, enclosingClass, enclosingFunction, keywordArg, paramsOf, positionalArgs, stringValue, type Param } from './ast';
import type { PyFacts } from './facts';
import { inTornadoHandler, isTornadoVerbMethod, TORNADO_ARG_METHODS, TORNADO_REQUEST_ATTRS } from './tornado';

export interface PyTrace {
  /** where the request data enters (the source expression or the parameter) */
  source: Node;
  /** plain words for it: "request.args", "the route parameter `name`" */
  label: string;
  /** a Django URL argument: usually an id or slug matched by a URL pattern, and often only used to look a record up */
  urlArgument?: boolean;
  /**
   * When the data reached the traced code as a parameter of a helper of the file: the argument each call passed,
   * nearest the source first (`find(f"https://api.example.com/users/{uid}")` for `def find(url)`), so that a rule
   * can judge how the value was built where it was built
   */
  passed?: Node[];
}

const FLASK_ATTRS = new Set(['args', 'form', 'values', 'json', 'files', 'cookies', 'headers', 'data', 'view_args', 'get_json', 'get_data', 'stream', 'path', 'full_path', 'url']);
const DJANGO_ATTRS = new Set(['GET', 'POST', 'body', 'COOKIES', 'FILES', 'META', 'headers', 'data', 'query_params', 'content_params', 'path', 'path_info', 'get_full_path']);
const STARLETTE_ATTRS = new Set(['query_params', 'path_params', 'headers', 'cookies', 'json', 'form', 'body', 'stream']);
/** WebOb's request, as Pecan hands it out (`pecan.request`) */
const PECAN_ATTRS = new Set(['GET', 'POST', 'params', 'body', 'json', 'json_body', 'text', 'headers', 'cookies', 'path', 'path_qs', 'path_info', 'url']);
/** Falcon's `req` */
const FALCON_ATTRS = new Set(['params', 'get_param', 'get_param_as_list', 'media', 'get_media', 'stream', 'bounded_stream', 'headers',
  'get_header', 'cookies', 'get_cookie_values', 'path', 'relative_uri', 'uri', 'url', 'query_string']);

/** Bottle's `request` (a `BaseRequest`): `query`, `forms`, `params` (both), `json`, `files`, `body`… */
const BOTTLE_ATTRS = new Set(['query', 'forms', 'params', 'json', 'files', 'GET', 'POST', 'body', 'headers', 'cookies', 'get_cookie',
  'get_header', 'url', 'path', 'fullpath', 'query_string', 'urlparts']);
/** aiohttp's `web.Request`: the query, the URL's `match_info`, the body (`await request.post()`, `json()`, `text()`) */
const AIOHTTP_ATTRS = new Set(['query', 'match_info', 'rel_url', 'post', 'json', 'text', 'read', 'content', 'multipart', 'headers',
  'cookies', 'path', 'path_qs', 'raw_path', 'query_string', 'url']);
/** Bottle's route decorators: `@route(…)`, `@get(…)`, `@app.post(…)` */
const BOTTLE_ROUTES = /^(route|get|post|put|patch|delete)$/;

/** Calls whose result is not injectable text whatever goes in. */
const SANITIZERS = new Set([
  'int', 'float', 'bool', 'len', 'abs', 'round', 'complex', 'hash', 'id', 'isinstance', 'callable',
  'uuid.UUID', 'UUID', 'decimal.Decimal', 'Decimal', 'datetime.fromisoformat', 'date.fromisoformat',
  'isdigit', 'isnumeric', 'isalnum', 'startswith', 'endswith', 'count', 'index', 'find',
  'exists', 'isfile', 'isdir', 'check_password', 'check_password_hash', 'verify', 'compare_digest',
]);

/** Annotations of parameters that cannot carry text. */
const NARROW_TYPES = /^(?:int|float|bool|complex|(?:uuid\.)?UUID\d?|(?:datetime\.)?(?:datetime|date|time|timedelta)|(?:decimal\.)?Decimal|conint\(.*\)|confloat\(.*\)|PositiveInt|NegativeInt|NonNegativeInt|StrictInt|StrictBool|StrictFloat|Literal\[.*\])$/s;
/** Parameters FastAPI fills with framework objects, not request text. */
const FRAMEWORK_TYPES = /^(?:Request|WebSocket|Response|BackgroundTasks|Session|AsyncSession|HTTPConnection|SecurityScopes|HTTPAuthorizationCredentials|starlette\.requests\.Request|fastapi\.Request)$/;

/** Calls whose result is (a piece of) their input: what `strict` tracing follows. */
const PASS_THROUGH = new Set(['get', 'getlist', 'pop', 'str', 'strip', 'lstrip', 'rstrip', 'lower', 'upper', 'replace', 'format',
  'join', 'decode', 'encode', 'unquote', 'unquote_plus', 'urljoin', 'removeprefix', 'removesuffix', 'split', 'title', 'casefold',
  'dict', 'copy', 'to_dict', 'items', 'get_json', 'json', 'form', 'body']);

export interface TraceOptions {
  /** call names (last or qualified) that sanitize */
  stop?: ReadonlySet<string>;
  /** call last names matching this sanitize (`…Form`, `…Serializer`) */
  stopPattern?: RegExp;
  /** follow data only through calls that hand their input on (PASS_THROUGH), not through any call that receives it */
  strict?: boolean;
  /** with `strict`: more call last names that hand their input on (`normpath`, `joinpath` for paths) */
  pass?: ReadonlySet<string>;
  /**
   * Django's uploaded files' `.name` is clean: Django keeps only the base name of what the client sent (no folder,
   * never `..`), so it cannot lead a path out of a folder (path checks; the name is still the client's text for HTML)
   */
  uploadNames?: boolean;
}

const ROUTE_METHODS = new Set(['route', 'get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'api_route', 'websocket']);

function unwrapAnnotation(t: string): string {
  let s = t.trim();
  for (;;) {
    const m = /^(?:typing\.)?(?:Optional|Annotated)\[(.*)\]$/s.exec(s);
    // `int | None`: the type before the last `|` (found without a regex: `(.*?)\s*\|\s*None$` backtracks)
    const bar = m ? -1 : s.lastIndexOf('|');
    const inner = m ? m[1] : bar >= 0 && s.slice(bar + 1).trim() === 'None' ? s.slice(0, bar) : undefined;
    if (inner === undefined) return s;
    // Annotated[int, Query(...)]: the type is the first element
    s = inner.split(',')[0].trim();
  }
}

interface ScopeInfo {
  /** tainted local names → where their data came from */
  names: Map<string, PyTrace>;
  /** Pydantic-model parameters → the model class name */
  models: Map<string, string>;
  handler: boolean;
  /** parameters typed as numbers, dates or UUIDs by the framework (`<int:id>`, `id: int`) */
  narrow: Set<string>;
  /** every assignment in the scope, in document order: target name → value */
  writes: { name: string; value: Node; op: string; at: number }[];
}

export class PyTaint {
  private readonly scopes = new Map<string, ScopeInfo>();

  constructor(private readonly root: Node, private readonly facts: PyFacts) {}

  /**
   * Request data that reaches `expr`, if any. `stop`: extra call names (last name or qualified) that sanitize, or
   * the options below.
   */
  trace(expr: Node, stop?: ReadonlySet<string> | TraceOptions): PyTrace | undefined {
    const opts: TraceOptions = stop instanceof Set ? { stop } : (stop as TraceOptions | undefined) ?? {};
    const scope = this.scopeOf(expr, opts);
    return this.exprTaint(expr, scope, opts, 0);
  }

  /**
   * Whether `e` can only be a number or a boolean: literals, arithmetic on such values, `int(…)`/`len(…)`, typed
   * parameters (`<int:id>`, `id: int`) and locals only ever assigned such values (`request.args.get(…, type=int)`).
   */
  isNumeric(e: Node, depth = 0): boolean {
    if (depth > 8) return false;
    switch (e.type) {
      case 'integer': case 'float': case 'true': case 'false': case 'comparison_operator': case 'not_operator': return true;
      case 'parenthesized_expression': case 'unary_operator': {
        // (`(32  # the number of bytes)`: a comment is a child too)
        const inner = e.namedChildren.filter((c) => c?.type !== 'comment');
        return !!inner[inner.length - 1] && this.isNumeric(inner[inner.length - 1]!, depth + 1);
      }
      case 'binary_operator': {
        const op = e.childForFieldName('operator')?.text;
        if (op === '%' || op === '+' && (e.childForFieldName('left')?.type === 'string')) return false;
        return this.isNumeric(e.childForFieldName('left')!, depth + 1) && this.isNumeric(e.childForFieldName('right')!, depth + 1);
      }
      case 'call': {
        const fn = e.childForFieldName('function');
        if (fn?.type === 'identifier' && /^(int|float|len|bool|round|abs|min|max|sum)$/.test(fn.text)) {
          return /^(int|float|len|bool|round|abs)$/.test(fn.text) || (e.childForFieldName('arguments')?.namedChildren ?? []).every((a) => !!a && this.isNumeric(a, depth + 1));
        }
        const typ = keywordArg(e, 'type');
        return fn?.type === 'attribute' && fn.childForFieldName('attribute')?.text === 'get' && !!typ && /^(int|float|bool)$/.test(typ.text);
      }
      case 'identifier': {
        const scope = this.scopeOf(e);
        if (scope.narrow.has(e.text)) return true;
        const writes = scope.writes.filter((w) => w.name === e.text);
        return writes.length > 0 && writes.every((w) => w.op === '=' && w.value.id !== e.id && this.isNumeric(w.value, depth + 1));
      }
    }
    return false;
  }

  private readonly handlers = new Map<number, boolean>();

  /** Whether the code around `n` handles a web request (a route, an endpoint, a view): from its decorators and
   * parameters only, without the closure over its assignments that a trace builds. */
  inHandler(n: Node): boolean {
    const fn = enclosingFunction(n);
    if (!fn) return false;
    let h = this.handlers.get(fn.id);
    if (h === undefined) {
      const info: ScopeInfo = { names: new Map(), models: new Map(), handler: false, narrow: new Set(), writes: [] };
      this.seedParams(fn, info);
      h = info.handler;
      this.handlers.set(fn.id, h);
    }
    return h;
  }

  /** The values assigned to `name` in the scope of `at` before it (latest last). */
  writesBefore(name: string, at: Node): Node[] {
    const scope = this.scopeOf(at);
    return scope.writes.filter((w) => w.name === name && w.at < at.startIndex).map((w) => w.value);
  }

  /** The scope's facts; the closure over assignments depends on the sanitizers, so it is cached per set of them. */
  private scopeOf(n: Node, opts: TraceOptions = {}): ScopeInfo {
    const fn = enclosingFunction(n);
    const key = `${fn ? fn.id : this.root.id}|${opts.stop ? [...opts.stop].join(',') : ''}|${opts.stopPattern?.source ?? ''}|${opts.strict ? 1 : 0}|${opts.pass ? [...opts.pass].join(',') : ''}|${opts.uploadNames ? 1 : 0}`;
    let s = this.scopes.get(key);
    if (!s) {
      s = this.buildScope(fn ?? this.root, !!fn, opts);
      this.scopes.set(key, s);
    }
    return s;
  }

  private readonly writeIndex = new Map<number, ScopeInfo['writes']>();

  /** Every assignment in a scope (not in nested functions), in document order; found by tree-sitter in one call. */
  private writesOf(scopeNode: Node, body: Node, isFunction: boolean): ScopeInfo['writes'] {
    let writes = this.writeIndex.get(scopeNode.id);
    if (writes) return writes;
    writes = [];
    const own = (n: Node) => (isFunction ? enclosingFunction(n)?.id === scopeNode.id : enclosingFunction(n) === undefined);
    for (const n of body.descendantsOfType(['assignment', 'augmented_assignment', 'named_expression', 'for_statement', 'for_in_clause', 'as_pattern'])) {
      if (!n || !own(n)) continue;
      switch (n.type) {
        case 'assignment': {
          const right = n.childForFieldName('right');
          const left = n.childForFieldName('left');
          if (right && left) for (const name of targetNames(left)) writes.push({ name, value: right, op: '=', at: n.startIndex });
          break;
        }
        case 'augmented_assignment': {
          const right = n.childForFieldName('right');
          const left = n.childForFieldName('left');
          if (right && left?.type === 'identifier') writes.push({ name: left.text, value: right, op: '+=', at: n.startIndex });
          break;
        }
        case 'named_expression': {
          const name = n.childForFieldName('name'), value = n.childForFieldName('value');
          if (name && value) writes.push({ name: name.text, value, op: '=', at: n.startIndex });
          break;
        }
        case 'for_statement': case 'for_in_clause': {
          const left = n.childForFieldName('left'), right = n.childForFieldName('right');
          if (left && right) for (const name of targetNames(left)) writes.push({ name, value: right, op: 'for', at: n.startIndex });
          break;
        }
        case 'as_pattern': {
          const value = n.namedChildren[0];
          const alias = n.childForFieldName('alias');
          if (value && alias) for (const name of targetNames(alias)) writes.push({ name, value, op: 'as', at: n.startIndex });
          break;
        }
      }
    }
    this.writeIndex.set(scopeNode.id, writes);
    return writes;
  }

  private buildScope(scopeNode: Node, isFunction: boolean, stop: TraceOptions): ScopeInfo {
    const info: ScopeInfo = { names: new Map(), models: new Map(), handler: false, narrow: new Set(), writes: [] };
    if (isFunction) this.seedParams(scopeNode, info, stop);
    const body = isFunction ? scopeNode.childForFieldName('body') : scopeNode;
    if (!body) return info;
    info.writes = this.writesOf(scopeNode, body, isFunction);
    // closure: a name is tainted when any value written to it is (flow-insensitive, a few rounds)
    for (let round = 0; round < 4; round++) {
      let changed = false;
      for (const w of info.writes) {
        if (info.names.has(w.name)) continue;
        const t = this.exprTaint(w.value, info, stop, 0);
        if (t) { info.names.set(w.name, t); changed = true; }
      }
      if (!changed) break;
    }
    return info;
  }

  /** The file's calls by the callee's last name (built on first use). */
  private callIndex?: Map<string, Node[]>;
  private callsNamed(name: string): readonly Node[] {
    if (!this.callIndex) {
      this.callIndex = new Map();
      for (const c of this.root.descendantsOfType('call')) {
        const n = c ? calleeLastName(c) : undefined;
        if (!n) continue;
        const l = this.callIndex.get(n);
        if (l) l.push(c!); else this.callIndex.set(n, [c!]);
      }
    }
    return this.callIndex.get(name) ?? [];
  }

  /** The functions whose parameters are being seeded from their callers (recursion, and a bound on the chain). */
  private readonly seeding = new Set<number>();
  /**
   * Where request data entered another function and was passed on by calls of this file: source node → the calls
   * it went through and the functions they called, for the findings' related locations (hopsTo).
   */
  private readonly hops = new Map<number, { call: Node; fn: Node; name: string }[]>();

  /**
   * A helper of the file (`def find_user(name)`, a method called as `self.load(path)` in its class or on an instance
   * made there, `Reports(owner).render(args)`) gets request data
   * through its parameters when a call of the file passes it some: `find_user(request.args["name"])` in a view.
   * Followed up to three functions deep; a parameter typed as a number, or given a number, stays clean.
   */
  private seedFromCallers(fn: Node, info: ScopeInfo, params: Param[], stop: TraceOptions): void {
    const name = fn.childForFieldName('name')?.text;
    if (!name || this.seeding.has(fn.id) || this.seeding.size >= 3) return;
    const cls = classOfMethod(fn);
    const positional = positionalParams(fn);
    const own = cls ? positional.slice(1) : positional;
    const byName = new Map((cls ? params.slice(1) : params).map((p) => [p.name, p]));
    if (!byName.size) return;
    const outer = cls ? undefined : enclosingFunction(fn);
    const calls = this.callsNamed(name);
    if (!calls.length) return;
    this.seeding.add(fn.id);
    try {
      for (const call of calls) {
        const callee = call.childForFieldName('function');
        if (cls) {
          // `self.load(path)` in a method of the same class; `Reports(owner).render(args)`, or `r = Reports(owner)`
          // then `r.render(args)`, anywhere in the file
          if (callee?.type !== 'attribute') continue;
          const recv = callee.childForFieldName('object');
          const viaSelf = recv?.text === 'self' && enclosingClass(call)?.id === cls.id;
          if (!viaSelf && !this.instanceOf(recv, cls)) continue;
        } else {
          if (callee?.type !== 'identifier') continue;
          // a nested helper is called from inside the function that defines it
          if (outer && !(call.startIndex >= outer.startIndex && call.endIndex <= outer.endIndex)) continue;
        }
        if (call.startIndex >= fn.startIndex && call.endIndex <= fn.endIndex) continue;
        const pass = (p: Param | undefined, arg: Node | null | undefined) => {
          if (!p || !arg || info.names.has(p.name) || info.narrow.has(p.name)) return;
          if (p.annotation && NARROW_TYPES.test(unwrapAnnotation(p.annotation))) return;
          if (this.isNumeric(arg)) return;
          const t = this.exprTaint(arg, this.scopeOf(arg, stop), stop, 0);
          if (!t) return;
          info.names.set(p.name, { ...t, passed: [...(t.passed ?? []), arg] });
          const list = this.hops.get(t.source.id) ?? [];
          if (!list.some((h) => h.call.id === call.id)) list.push({ call, fn, name });
          this.hops.set(t.source.id, list);
        };
        positionalArgs(call).forEach((a, i) => pass(own[i], a));
        for (const a of call.childForFieldName('arguments')?.namedChildren ?? []) {
          if (a?.type === 'keyword_argument') pass(byName.get(a.childForFieldName('name')?.text ?? ''), a.childForFieldName('value'));
        }
      }
    } finally {
      this.seeding.delete(fn.id);
    }
  }

  /** Whether `recv` is an instance of the file's class `cls` made right there: `Reports(…)`, or a local assigned one. */
  private instanceOf(recv: Node | null | undefined, cls: Node): boolean {
    const name = cls.childForFieldName('name')?.text;
    if (!recv || !name) return false;
    const made = (n: Node | null | undefined) => n?.type === 'call' && n.childForFieldName('function')?.type === 'identifier' && n.childForFieldName('function')?.text === name;
    if (made(recv)) return true;
    if (recv.type !== 'identifier') return false;
    const writes = this.writesBefore(recv.text, recv);
    return writes.length > 0 && writes.every((w) => made(w));
  }

  /**
   * The calls request data went through to reach the code at `at` from `source` (a helper of the file it was passed
   * to), in order: for a finding's related locations.
   */
  hopsTo(source: Node, at: { start: number; end: number }): { call: Node; name: string }[] {
    const list = this.hops.get(source.id);
    if (!list) return [];
    const inside = (fn: Node, s: number, e: number) => s >= fn.startIndex && e <= fn.endIndex;
    const chosen: { call: Node; fn: Node; name: string }[] = [];
    let target = at;
    // from the finding back to the source: the hop into the function around the target, then the hop into the
    // function around that call…
    for (let i = 0; i < 4; i++) {
      const h = list.find((x) => inside(x.fn, target.start, target.end) && !chosen.includes(x));
      if (!h) break;
      chosen.unshift(h);
      target = { start: h.call.startIndex, end: h.call.endIndex };
    }
    return chosen.map((h) => ({ call: h.call, name: h.name }));
  }

  private seedParams(fn: Node, info: ScopeInfo, stop?: TraceOptions): void {
    const f = this.facts;
    const params = paramsOf(fn);
    let routeVars: Map<string, string> | undefined;
    let fastapi = false;
    for (const d of decoratorsOf(fn)) {
      if (d.type !== 'call') continue;
      const callee = d.childForFieldName('function');
      const method = callee?.type === 'attribute' ? callee.childForFieldName('attribute')?.text : undefined;
      // Bottle: `@route("/hello/<name>")`, `@app.get("/item/<id:int>")`; a wildcard is text unless its filter is int or float
      if (f.bottle && BOTTLE_ROUTES.test(method ?? (/^bottle\.\w+$/.test(f.qualify(callee) ?? '') ? callee!.text : ''))) {
        const path = stringValue(positionalArgs(d)[0]);
        if (path === undefined) continue;
        info.handler = true;
        routeVars ??= new Map();
        for (const m of path.matchAll(/<(\w+)(?::(\w+))?(?::[^>]*)?>/g)) routeVars.set(m[1], m[2] ?? 'string');
        continue;
      }
      if (!method || !ROUTE_METHODS.has(method)) continue;
      const path = stringValue(positionalArgs(d)[0]);
      if (f.fastapi) { fastapi = true; info.handler = true; }
      if (f.flask && path !== undefined) {
        info.handler = true;
        routeVars ??= new Map();
        for (const m of path.matchAll(/<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>/g)) routeVars.set(m[2], m[1] ?? 'string');
      }
    }
    if (routeVars) {
      for (const p of params) {
        const conv = routeVars.get(p.name);
        if (conv && !/^(int|float|uuid)$/.test(conv)) info.names.set(p.name, { source: p.node, label: `the route parameter \`${p.name}\`` });
        else if (conv) info.narrow.add(p.name);
      }
      return;
    }
    if (fastapi) {
      for (const p of params) {
        if (p.default?.type === 'call' && /(^|\.)(Depends|Security)$/.test(p.default.childForFieldName('function')?.text ?? '')) continue;
        const t = p.annotation ? unwrapAnnotation(p.annotation) : undefined;
        if (t && NARROW_TYPES.test(t)) { info.narrow.add(p.name); continue; }
        if (t && FRAMEWORK_TYPES.test(t)) continue;
        const cls = t ? f.classes.get(t) : undefined;
        if (cls && cls.bases.some((b) => /(^|\.)(Enum|IntEnum)$/.test(b))) continue;
        if (cls && cls.bases.some((b) => /(^|\.)(BaseModel|SQLModel)$/.test(b))) {
          info.models.set(p.name, t!);
          info.names.set(p.name, { source: p.node, label: `the request body \`${p.name}\`` });
          continue;
        }
        info.names.set(p.name, { source: p.node, label: `the request parameter \`${p.name}\`` });
      }
      return;
    }
    // Tornado handlers: `def get(self, user_name)` gets the URL pattern's groups, as text
    if (f.tornado && isTornadoVerbMethod(fn, f)) {
      info.handler = true;
      for (const p of params.slice(1)) {
        if (p.name.startsWith('*')) continue;
        if (p.annotation && NARROW_TYPES.test(unwrapAnnotation(p.annotation))) { info.narrow.add(p.name); continue; }
        info.names.set(p.name, { source: p.node, label: `the URL argument \`${p.name}\``, urlArgument: true });
      }
      return;
    }
    // Django views: `def view(request, slug)` / `def get(self, request, pk)`; URL arguments are request data
    if (f.django) {
      // plain view functions only: methods with a request parameter (admin hooks, mixins) get objects, not URL text
      const i = params.findIndex((p) => p.name === 'request');
      const inClass = fn.parent?.type === 'block' || fn.parent?.parent?.type === 'block';
      if (i === 0 && !inClass) {
        info.handler = true;
        for (const p of params.slice(i + 1)) {
          if (p.name.startsWith('*') || p.default) continue;
          if (p.annotation && NARROW_TYPES.test(unwrapAnnotation(p.annotation))) { info.narrow.add(p.name); continue; }
          info.names.set(p.name, { source: p.node, label: `the URL argument \`${p.name}\``, urlArgument: true });
        }
      }
    }
    // a helper: what the file's calls pass it
    if (!info.handler && stop) this.seedFromCallers(fn, info, params, stop);
  }

  /** A request source expression (`request.args`, `request.GET`, `self.request.POST`), if `n` is one. */
  private sourceLabel(n: Node): string | undefined {
    if (n.type !== 'attribute') return undefined;
    const attr = n.childForFieldName('attribute')?.text;
    const obj = n.childForFieldName('object');
    if (!attr || !obj) return undefined;
    let isRequest = false;
    let pecanRequest = false;
    // Tornado: `self.get_argument("next")`, `self.get_query_arguments("tag")`, `self.path_kwargs`
    if (obj.type === 'identifier' && obj.text === 'self' && TORNADO_ARG_METHODS.has(attr)) return inTornadoHandler(n, this.facts) ? n.text : undefined;
    let bottleRequest = false;
    if (obj.type === 'identifier') {
      const q = this.facts.imports.get(obj.text);
      pecanRequest = q === 'pecan.request';
      bottleRequest = q === 'bottle.request';
      isRequest = q === 'flask.request' || pecanRequest || bottleRequest || (q === undefined && /^(request|req)$/.test(obj.text));
    } else if (obj.type === 'attribute') {
      const base = obj.childForFieldName('object');
      const onModule = obj.childForFieldName('attribute')?.text === 'request' && base?.type === 'identifier' ? this.facts.imports.get(base.text) : undefined;
      pecanRequest = onModule === 'pecan';
      bottleRequest = onModule === 'bottle';
      isRequest = pecanRequest || bottleRequest || (obj.childForFieldName('attribute')?.text === 'request' && base?.text === 'self');
    }
    if (!isRequest) return undefined;
    const f = this.facts;
    if (bottleRequest) return BOTTLE_ATTRS.has(attr) ? n.text : undefined;
    const ok = (f.flask && FLASK_ATTRS.has(attr)) || (f.django && DJANGO_ATTRS.has(attr)) || (f.fastapi && STARLETTE_ATTRS.has(attr))
      || (pecanRequest && PECAN_ATTRS.has(attr)) || (f.falcon && obj.text === 'req' && FALCON_ATTRS.has(attr))
      || (f.tornado && obj.text === 'self.request' && TORNADO_REQUEST_ATTRS.has(attr) && inTornadoHandler(n, f))
      || (f.aiohttp && AIOHTTP_ATTRS.has(attr))
      // no framework imported: Flask's or Django's names (a helper given the request), but not in an aiohttp client,
      // whose `req`/`request` is often the answer of another service (`async with session.get(url) as req`)
      || (!f.flask && !f.django && !f.fastapi && !(f.modules.has('aiohttp') && !f.aiohttp) && (FLASK_ATTRS.has(attr) || DJANGO_ATTRS.has(attr)));
    return ok ? n.text : undefined;
  }

  private exprTaint(e: Node, scope: ScopeInfo, stop: TraceOptions, depth: number): PyTrace | undefined {
    if (depth > 40) return undefined;
    switch (e.type) {
      case 'identifier': return scope.names.get(e.text);
      case 'string': case 'concatenated_string': {
        for (const c of e.namedChildren) {
          if (!c || (c.type !== 'interpolation' && c.type !== 'string')) continue;
          const t = this.exprTaint(c, scope, stop, depth + 1);
          if (t) return t;
        }
        return undefined;
      }
      case 'integer': case 'float': case 'true': case 'false': case 'none': case 'comparison_operator': case 'not_operator':
      case 'lambda': case 'string_content': case 'escape_sequence':
        return undefined;
      case 'subscript': {
        // `table[key]` is a value of the table, not the key: a lookup in your own dict or record set by a request value
        // (`PLUGINS[name]`, `Track[uid]`) gives back what you stored; a piece of tainted data (`data["path"]`, `s[1:]`)
        // stays tainted through the object
        const value = e.childForFieldName('value');
        return value ? this.exprTaint(value, scope, stop, depth + 1) : undefined;
      }
      case 'attribute': {
        const label = this.sourceLabel(e);
        if (label) return { source: e, label };
        const obj = e.childForFieldName('object');
        // `upload.name` of a Django file (`request.FILES["f"].name`): a base name, with no way out of a folder
        if (stop.uploadNames && this.facts.django && obj && e.childForFieldName('attribute')?.text === 'name') {
          const o = this.exprTaint(obj, scope, stop, depth + 1);
          if (o && /(^|\.)FILES\b/.test(o.label)) return undefined;
          return o;
        }
        // a Pydantic model field: narrowed by the field's own annotation
        if (obj?.type === 'identifier' && scope.models.has(obj.text)) {
          const field = e.childForFieldName('attribute')?.text ?? '';
          const ann = this.fieldAnnotation(scope.models.get(obj.text)!, field);
          if (ann && NARROW_TYPES.test(unwrapAnnotation(ann))) return undefined;
          return { source: scope.names.get(obj.text)!.source, label: `the request body field \`${obj.text}.${field}\`` };
        }
        return obj ? this.exprTaint(obj, scope, stop, depth + 1) : undefined;
      }
      case 'call': {
        const fn = e.childForFieldName('function');
        const q = this.facts.qualify(fn);
        const last = fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text : fn?.text;
        if (q && (SANITIZERS.has(q) || stop.stop?.has(q))) return undefined;
        // methods by their name (`x.isdigit()`); plain functions only through their qualified name above
        if (last && (stop.stop?.has(last) || stop.stopPattern?.test(last) || (fn?.type === 'attribute' && SANITIZERS.has(last)))) return undefined;
        // strict: only calls known to hand their input on (string methods, dict lookups) carry it
        if (stop.strict && last && !PASS_THROUGH.has(last) && !stop.pass?.has(last) && !(fn && this.sourceLabel(fn))) return undefined;
        // a database record looked up by the value is not the value: `Model.objects.get(pk=slug)`, get_object_or_404
        if (last && (/^get_(object|list)_or_404$|^get_for_id$/.test(last) || (fn?.type === 'attribute' && /(^|\.)objects$/.test(fn.childForFieldName('object')?.text ?? '')))) return undefined;
        // request.args.get('page', type=int)
        const typ = keywordArg(e, 'type');
        if (last === 'get' && typ && /^(int|float|bool)$/.test(typ.text)) return undefined;
        // `table.get(key, default)`: a value of the table (or the default), not the key
        if (fn?.type === 'attribute' && last && /^(get|getlist|pop|setdefault)$/.test(last)) {
          const own = this.exprTaint(fn, scope, stop, depth + 1);
          if (own) return own;
          for (const a of positionalArgs(e).slice(1)) {
            const t = this.exprTaint(a, scope, stop, depth + 1);
            if (t) return t;
          }
          const d = keywordArg(e, 'default');
          return d ? this.exprTaint(d, scope, stop, depth + 1) : undefined;
        }
        if (fn) {
          const t = this.exprTaint(fn, scope, stop, depth + 1);
          if (t) return t;
        }
        const args = e.childForFieldName('arguments');
        if (args) for (const a of args.namedChildren) {
          if (!a) continue;
          const t = this.exprTaint(a.type === 'keyword_argument' ? a.childForFieldName('value') ?? a : a, scope, stop, depth + 1);
          if (t) return t;
        }
        return undefined;
      }
      default: {
        for (const c of e.namedChildren) {
          if (!c) continue;
          const t = this.exprTaint(c, scope, stop, depth + 1);
          if (t) return t;
        }
        return undefined;
      }
    }
  }

  private fieldAnnotation(model: string, field: string): string | undefined {
    const cls = this.facts.classes.get(model);
    const body = cls?.node.childForFieldName('body');
    if (!body) return undefined;
    for (const st of body.namedChildren) {
      const a = st?.type === 'expression_statement' ? st.namedChildren[0] : undefined;
      if (a?.type === 'assignment' && a.childForFieldName('left')?.text === field) return a.childForFieldName('type')?.text;
    }
    return undefined;
  }
}

/** The parameters a call's positional arguments fill, in order: up to a `*args` or a bare `*`. */
function positionalParams(fn: Node): Param[] {
  const out: Param[] = [];
  const all = paramsOf(fn);
  for (const p of fn.childForFieldName('parameters')?.namedChildren ?? []) {
    if (!p) continue;
    if (p.type === 'list_splat_pattern' || p.type === 'keyword_separator' || p.type === 'dictionary_splat_pattern') break;
    if (p.type === 'positional_separator') continue;
    const name = p.type === 'identifier' ? p.text : (p.childForFieldName('name') ?? p.namedChildren.find((c) => c?.type === 'identifier'))?.text;
    const param = all.find((x) => x.name === name);
    if (param) out.push(param);
  }
  return out;
}

function targetNames(n: Node): string[] {
  if (n.type === 'identifier') return [n.text];
  if (n.type === 'pattern_list' || n.type === 'tuple_pattern' || n.type === 'list_pattern' || n.type === 'tuple' || n.type === 'list') {
    return n.namedChildren.flatMap((c) => (c ? targetNames(c) : []));
  }
  return [];
}
