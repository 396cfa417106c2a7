/**
 * Whether request data was checked on its way to a use: a schema library (zod `parse`/`safeParse`, joi/yup
 * `validate`, ajv's compiled function, valibot, class-validator), a hand-written `validateX(body)` / `isValidX(body)`,
 * a `typeof`/`Number.isInteger`/regex/length/allow-list check of the field itself, express-validator's
 * `validationResult(req)`, or validation middleware in the route's chain as the project model mounts it
 * (`router.post('/', validate(schema), handler)`, celebrate, express-validator chains, Fastify's route `schema`).
 *
 * Syntax only, no type checker: the names a value goes by on its way from the request (`req.body.title`,
 * `body.title`, `title`) are collected, and each function it passes through is searched once for checks of any of
 * those names (a check of the whole body covers its fields; a `typeof` check of one field covers that field).
 */
import { ts } from 'ts-morph';
import type { ScopeResolver } from '../taint/scope';
import type { ChainEntry, RouteInfo } from '../project-model/types';
import type { ProjectModel } from '../project-model/model';
import { bindingPath } from '../taint/scope';
import { calleeName, calleeObject, enclosingFunction, isFunctionLike, memberChain, propertyNameText, unwrap } from './ast';

/** Methods of schema objects that check a value (`schema.parse(x)`, `Joi.object(…).validate(x)`, `v.parse(S, x)`). */
const SCHEMA_METHODS = /^(parse|safeParse|parseAsync|safeParseAsync|spa|validate|validateSync|validateAsync|validateOrReject|isValid|isValidSync|assert|is|cast|decode|check|Check|Decode|plainToInstance|plainToClass|transformAndValidate|matchedData)$/;
/** Validating functions called without a receiver (`safeParse(Schema, x)` from valibot, class-validator's `validate`). */
const STANDALONE_VALIDATORS = /^(safeParse|parseAsync|safeParseAsync|validateSync|validateAsync|validateOrReject|isValid|isValidSync|plainToInstance|plainToClass|transformAndValidate|validationResult|matchedData)$/;
/** Receivers whose `parse`/`decode`/`create` are not validation. */
const NOT_VALIDATORS = /^(JSON|jwt|qs|querystring|url|path|cookie|marked|md|markdown|markdownIt|remark|yaml|YAML|toml|TOML|csv|Papa|xml2js|parser|cheerio|URLSearchParams|Buffer|Date|Object|Array|Promise|Math|Number|String|dayjs|moment|DateTime|prisma|db|tx|trx|supabase|knex|mongoose|models?|Model|console)$/;
/** Functions the app wrote to check input (`validatePost(body)`, `isValidEmail(x)`, `assertInput(x)`, `checkBody(x)`). */
const VALIDATOR_FN = /^(validate|valid|isValid|check|assert|verify|ensure|sanitize|sanitise|parse|is)([A-Z_].*)?$|(Schema|Validator|Validation|Guard)$/;
/** `parse*` helpers that read data, not check it. */
const NOT_VALIDATOR_FN = /^(parse(Body|Json|JSON|Form|FormData|Cookies?|Query|Url|URL|Int|Float|Date|Args|Headers?|Multipart|Request)?|is(Array|NaN|Finite|Integer|Empty|Nil|Null|Undefined|Defined|Object|String|Buffer|Production|Dev|Development|Test|Authenticated|Admin|Owner|LoggedIn|Active|Enabled|Open|Closed|Connected)|check(Auth|Role|Permission|Permissions|Session|Token|Jwt|JWT|Login|User|Admin|Owner|Access|RateLimit)|verify(Token|Jwt|JWT|Session|Signature|Password|Email|User|Auth|Webhook)|ensure(Auth|Authenticated|LoggedIn|Admin|Dir|Directory|Exists)|assert(Auth|Admin|Owner|User|Session|Never|Unreachable))$/;
/** Field checks written by hand, as a call on the field (`Number.isInteger(x)`, `Array.isArray(x)`, `validator.isEmail(x)`). */
const CHECK_CALLS = /^(isInteger|isSafeInteger|isFinite|isNaN|isArray|isEmail|isURL|isUUID|isLength|isNumeric|isInt|isFloat|isAlpha|isAlphanumeric|isDate|isISO8601|isIn|isBoolean|isMobilePhone|isStrongPassword|isMongoId|isValidObjectId|isHexColor|isSlug|matches|test|includes|has|indexOf)$/;
/** Middleware in a route's chain that validates the request (by its name, text or library). */
const VALIDATION_MIDDLEWARE = /valid|schema|celebrate|sanitiz|zod|joi\b|yup|ajv|typebox|rules\b/i;
/** Names that say `valid` but check who is calling, not what they send (`validateToken`, `validateSession`). */
const AUTH_VALIDATION = /valid\w*(token|session|api_?key|jwt|auth|user|signature|webhook|origin|csrf|captcha|recaptcha|license)|(token|session|api_?key|jwt|auth|signature|webhook|origin|csrf|captcha)\w*valid/i;
const VALIDATION_LIBS = /^(express-validator|celebrate|express-joi-validation|express-zod-api|zod-express-middleware|zod-express|@hono\/zod-validator|@hono\/typebox-validator|@hono\/valibot-validator|hono\/validator|express-json-validator-middleware|express-openapi-validator|koa-joi-router|koa-bodyparser-validator|@nestjs\/common)$/;
/** express-validator chains written on the route: `body('title').isString()`, `[check('x')…]`, `checkSchema({…})`. */
const EXPRESS_VALIDATOR_TEXT = /^\[?\s*(body|check|param|query|checkSchema|checkExact|oneOf|cookie|header)\s*\(/;

/** What the checks need from a file's analysis (a rule's context, or the summary pass's parsed file). */
export interface ValidationContext {
  readonly sourceFile: ts.SourceFile;
  readonly taint: {
    readonly scopes: ScopeResolver;
    /** the analysis walk's nodes in document order (every call and binary expression among them), when there are */
    readonly nodes?: readonly ts.Node[];
  };
}

export interface Names {
  /** the value itself, as written on its way (`req.body.title`, `body.title`, `title`) */
  field: Set<string>;
  /** objects that hold it (`req.body`, `body`, `req`, `await request.json()`) */
  container: Set<string>;
  /** the functions it went through, to search for checks */
  scopes: Set<ts.FunctionLikeDeclaration | ts.SourceFile>;
  /** it went through a validating call on the way (`const data = validatePost(body)`, `schema.parse(x)`) */
  validated?: boolean;
  /** a NestJS `@Body()` parameter whose type is a class (a DTO class-validator can check) */
  dtoClass?: string;
}

/**
 * An expression's text as the checks compare it: no spaces, no leading `await`, `?.` and `x!.` read as `.`. Most
 * texts have none of these (one test instead of four replacements, each of which would leave the text as it is).
 */
const norm = (t: string) => (!NORM_NEEDED.test(t) && !t.startsWith('await') ? t
  : t.replace(/\s+/g, '').replace(/^await/, '').replace(/\?\./g, '.').replace(/!(?=[.[])/g, ''));
const NORM_NEEDED = /[\s?!]/;

/** Whether a call checks its arguments: a schema library's method, or a function the app wrote to validate. */
export function isValidatorCall(call: ts.CallExpression): boolean {
  const name = calleeName(call);
  return !!name && validatorCallNamed(call, name, nameKind(name));
}

/** isValidatorCall of a call whose callee name (not empty) and its nameKind are known. */
function validatorCallNamed(call: ts.CallExpression, name: string, kind: number): boolean {
  // (neither a schema method nor a validator's name: no receiver makes it one)
  if (!(kind & (SCHEMA_NAME | VALIDATOR_NAME))) return false;
  // (a plain name is a chain of one: not built)
  const chain = ts.isIdentifier(unwrap(call.expression)) ? undefined : memberChain(call.expression);
  if (chain && chain.length >= 2) {
    // `JSON.parse`, `qs.parse`, `prisma.post.create`: not validation
    for (let i = 0; i < chain.length - 1; i++) if (NOT_VALIDATORS.test(chain[i].replace(/\(\)$/, ''))) return false;
    if (kind & SCHEMA_NAME) return true;
  }
  // (not a `parse*`/`is*` helper that reads data, and a standalone validator or a validator's name)
  return (kind & VALIDATOR_NAME) !== 0;
}

/**
 * What a callee name can be, from its text alone: the regexes above asked once per name, not once per call (most
 * callee names are none of these). Bits: SCHEMA_METHODS; a validator's name without a receiver (not
 * NOT_VALIDATOR_FN, and STANDALONE_VALIDATORS or VALIDATOR_FN); CHECK_CALLS; a constant-time comparison.
 */
function nameKind(name: string): number {
  let k = NAME_KINDS.get(name);
  if (k === undefined) {
    k = (SCHEMA_METHODS.test(name) ? SCHEMA_NAME : 0) |
      (!NOT_VALIDATOR_FN.test(name) && (STANDALONE_VALIDATORS.test(name) || VALIDATOR_FN.test(name)) ? VALIDATOR_NAME : 0) |
      (CHECK_CALLS.test(name) ? CHECK_NAME : 0) | (CONSTANT_TIME_COMPARE.test(name) ? COMPARE_NAME : 0);
    // (bounded: a long session sees many names)
    if (NAME_KINDS.size >= 20000) NAME_KINDS.clear();
    NAME_KINDS.set(name, k);
  }
  return k;
}
const NAME_KINDS = new Map<string, number>();
const SCHEMA_NAME = 1, VALIDATOR_NAME = 2, CHECK_NAME = 4, COMPARE_NAME = 8;
const CONSTANT_TIME_COMPARE = /^(timingSafeEqual|safeCompare|secureCompare|constantTimeEqual)$/;

/**
 * The names a value goes by from where request data enters to `expr`, and the functions it passes through.
 * `validated` is set when the value is the result of a validating call on the way.
 */
export function namesOf(ctx: ValidationContext, expr: ts.Expression): Names {
  const out: Names = { field: new Set(), container: new Set(), scopes: new Set() };
  const seen = new Set<ts.Node>();
  const addScope = (n: ts.Node) => { const f = enclosingFunction(n); out.scopes.add(f ?? n.getSourceFile()); };
  // (`inside`: the function around the expression, or the file, when the caller knows it: an expression below the
  // one walked before, which is not a function, is in the same one)
  const walk = (e0: ts.Expression, asField: boolean, depth: number, inside?: ts.FunctionLikeDeclaration | ts.SourceFile): void => {
    if (depth > 16 || seen.has(e0)) return;
    seen.add(e0);
    let e = unwrap(e0);
    if (ts.isAwaitExpression(e)) e = unwrap(e.expression);
    let scope = inside;
    if (scope) out.scopes.add(scope);
    else { scope = enclosingFunction(e) ?? e.getSourceFile(); out.scopes.add(scope); }
    const text = norm(e.getText(ctx.sourceFile));
    if (text.length <= 120) (asField ? out.field : out.container).add(text);
    if (ts.isIdentifier(e)) {
      const b = ctx.taint.scopes.resolve(e);
      if (!b) return;
      if (ts.isVariableDeclaration(b)) {
        if (b.initializer) walk(b.initializer, asField, depth + 1);
        return;
      }
      if (ts.isBindingElement(b)) {
        const { path, root } = bindingPath(b);
        if (!root) return;
        const key = path.filter((p) => p !== '...').map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('');
        if (ts.isVariableDeclaration(root) && root.initializer) {
          const init = unwrap(root.initializer);
          const base = norm((ts.isAwaitExpression(init) ? init.expression : init).getText(ctx.sourceFile));
          if (asField && base.length <= 100) out.field.add(base + key);
          walk(root.initializer, false, depth + 1);
        } else if (ts.isParameter(root)) {
          // `({ body: { title } })` destructured in the signature: the parameter has no name to check
          if (ts.isIdentifier(root.name)) out.container.add(root.name.text);
          paramFacts(root);
        }
        return;
      }
      if (ts.isParameter(b)) paramFacts(b);
      return;
    }
    if (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) {
      walk(e.expression, false, depth + 1, scope);
      return;
    }
    if (ts.isCallExpression(e)) {
      if (isValidatorCall(e) || isBoundedString(e)) { out.validated = true; return; }
      const recv = calleeObject(e);
      const name = calleeName(e);
      // `formData.get('title')`, `title.trim()`, `c.req.query('q')`: a read from, or a method on, the receiver
      if (recv) walk(recv, name === 'get' || name === 'getAll' || name === 'query' || name === 'param' ? false : asField, depth + 1, scope);
      // `String(x)`, `helper(x)`: the arguments
      for (const a of e.arguments) if (!ts.isSpreadElement(a) && !isFunctionLike(a)) walk(a, asField, depth + 1, scope);
      return;
    }
    if (ts.isBinaryExpression(e)) { walk(e.left, asField, depth + 1, scope); walk(e.right, asField, depth + 1, scope); return; }
    if (ts.isConditionalExpression(e)) { walk(e.whenTrue, asField, depth + 1, scope); walk(e.whenFalse, asField, depth + 1, scope); return; }
    if (ts.isTemplateExpression(e)) { for (const s of e.templateSpans) walk(s.expression, asField, depth + 1, scope); return; }
    if (ts.isObjectLiteralExpression(e)) {
      for (const p of e.properties) {
        const v = ts.isPropertyAssignment(p) ? p.initializer : ts.isShorthandPropertyAssignment(p) ? p.name : ts.isSpreadAssignment(p) ? p.expression : undefined;
        if (v) walk(v, asField, depth + 1, scope);
      }
    }
  };
  const paramFacts = (p: ts.ParameterDeclaration) => {
    addScope(p);
    for (const d of ts.canHaveDecorators(p) ? ts.getDecorators(p) ?? [] : []) {
      const x = d.expression;
      const name = ts.isCallExpression(x) && ts.isIdentifier(x.expression) ? x.expression.text : undefined;
      if (name !== 'Body' && name !== 'Query') continue;
      // `@Body(new ValidationPipe()) dto`, `@Body(SomePipe)`: checked by the pipe
      if (ts.isCallExpression(x) && x.arguments.some((a) => /Pipe\b/.test(a.getText(ctx.sourceFile)))) { out.validated = true; return; }
      const t = p.type;
      if (t && ts.isTypeReferenceNode(t) && ts.isIdentifier(t.typeName) && !/^(Record|Partial|Pick|Omit|Readonly|Array|Map|object|Object|any|unknown)$/.test(t.typeName.text)) {
        const name = t.typeName.text;
        // an interface or type alias is erased at run time: nothing can check it
        const erased = ctx.sourceFile.statements.some((st) => (ts.isInterfaceDeclaration(st) || ts.isTypeAliasDeclaration(st)) && st.name.text === name);
        if (!erased) out.dtoClass = name;
      }
    }
  };
  walk(expr, true, 0);
  return out;
}

/**
 * `String(x).slice(0, 200)`, `String(x ?? '').trim().substring(0, 80)`, `` `${x}`.slice(0, 40) ``: a string of at most
 * a fixed length whatever the client sent (its type and size are the server's).
 */
function isBoundedString(call: ts.CallExpression): boolean {
  if (!/^(slice|substring|substr)$/.test(calleeName(call) ?? '') || call.arguments.length !== 2) return false;
  if (!call.arguments.every((a) => ts.isNumericLiteral(unwrap(a)))) return false;
  let r = calleeObject(call);
  for (let i = 0; i < 4 && r && ts.isCallExpression(r) && /^(trim|trimStart|trimEnd|toLowerCase|toUpperCase|normalize)$/.test(calleeName(r) ?? ''); i++) r = calleeObject(r);
  if (!r) return false;
  if (ts.isTemplateExpression(r)) return true;
  if (!ts.isCallExpression(r)) return false;
  const callee = unwrap(r.expression);
  return (ts.isIdentifier(callee) && callee.text === 'String') || (calleeName(r) === 'toString' && r.arguments.length === 0);
}

interface ScopeChecks {
  /**
   * expressions handed whole to a validator (`schema.safeParse(body)`, `validate(req.body)`), with the keys the
   * schema declares when it is an object schema written in this file (`z.object({ title })`): fields it does not
   * name are not checked by it
   */
  whole: Map<string, Set<string> | undefined>;
  /** expressions checked by hand (`typeof title === 'string'`, `title.length > 200`, `/^…$/.test(slug)`) */
  field: Set<string>;
  /**
   * the function rejects callers without a server secret (`headers.get('authorization') !== \`Bearer ${env.KEY}\``):
   * a server-to-server endpoint, whose input comes from the app's own code, not from browsers
   */
  trusted?: boolean;
}

const scopeCache = new WeakMap<ts.Node, ScopeChecks>();

/** The checks written in a function (not in the functions nested in it, which are their own scopes). */
export function checksIn(ctx: ValidationContext, scope: ts.FunctionLikeDeclaration | ts.SourceFile): ScopeChecks {
  const hit = scopeCache.get(scope);
  if (hit) return hit;
  const out: ScopeChecks = { whole: new Map(), field: new Set() };
  const add = (set: Set<string>, e: ts.Expression | undefined) => {
    if (!e) return;
    let u = unwrap(e);
    if (ts.isAwaitExpression(u)) u = unwrap(u.expression);
    const t = norm(u.getText(ctx.sourceFile));
    if (t.length <= 120) set.add(t);
  };
  const check = (n: ts.Node): void => {
    if (ts.isCallExpression(n)) {
      const name = calleeName(n) ?? '';
      const kind = nameKind(name);
      if ((kind & COMPARE_NAME) && n.arguments.length >= 2 && secretCheck(ctx, n.arguments[0], n.arguments[1])) out.trusted = true;
      if (name && validatorCallNamed(n, name, kind)) {
        const keys = schemaKeys(ctx, n);
        const addWhole = (e: ts.Expression) => {
          let u = unwrap(e);
          if (ts.isAwaitExpression(u)) u = unwrap(u.expression);
          const t = norm(u.getText(ctx.sourceFile));
          if (t.length > 120) return;
          // two checks of the same value: the union of what they cover (any unknown schema covers all)
          const prev = out.whole.get(t);
          out.whole.set(t, out.whole.has(t) && (!prev || !keys) ? undefined : keys && prev ? new Set([...prev, ...keys]) : keys);
        };
        for (const a of n.arguments) if (!isFunctionLike(a) && !isSchemaValue(ctx, a)) addWhole(a);
        if (!n.arguments.length) { const r = calleeObject(n); if (r) addWhole(r); }
      } else if (kind & CHECK_NAME) {
        const recv = calleeObject(n);
        // `LIST.includes(x)`, `/re/.test(x)`, `Number.isInteger(x)` check the argument; `x.match(/re/)` the receiver
        for (const a of n.arguments) add(out.field, a);
        if (recv && name === 'matches') add(out.field, recv);
      } else if (name === 'match' || name === 'startsWith' || name === 'endsWith') {
        const recv = calleeObject(n);
        if (recv) add(out.field, recv);
      }
    } else if (ts.isTypeOfExpression(n)) {
      add(out.field, n.expression);
    } else if (ts.isBinaryExpression(n)) {
      const op = n.operatorToken.kind;
      if (op === ts.SyntaxKind.InstanceOfKeyword) add(out.field, n.left);
      // `if (code.client !== params.client_id) reject()`, `role === 'admin'`: compared with a known value
      if ((op === ts.SyntaxKind.EqualsEqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsEqualsToken || op === ts.SyntaxKind.EqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsToken) &&
          !isTrivial(n.left) && !isTrivial(n.right)) {
        add(out.field, n.left); add(out.field, n.right);
        if (secretCheck(ctx, n.left, n.right)) out.trusted = true;
      }
      // `params.client_id = resolvedClientId`: the server replaced the field
      if (op === ts.SyntaxKind.EqualsToken && (ts.isPropertyAccessExpression(unwrap(n.left)) || ts.isElementAccessExpression(unwrap(n.left)))) add(out.field, n.left);
      if (op === ts.SyntaxKind.GreaterThanToken || op === ts.SyntaxKind.GreaterThanEqualsToken || op === ts.SyntaxKind.LessThanToken || op === ts.SyntaxKind.LessThanEqualsToken) {
        // `title.length > 200`, `price < 0`
        for (const side of [n.left, n.right]) {
          const u = unwrap(side);
          if (ts.isPropertyAccessExpression(u) && u.name.text === 'length') add(out.field, u.expression);
          else if (!ts.isNumericLiteral(u)) add(out.field, u);
        }
      }
    }
  };
  const nodes = ctx.taint.nodes;
  if (nodes && !ts.isSourceFile(scope) && !typeofIn(ctx.sourceFile, scope.pos, scope.end)) {
    // the calls and binary expressions of the scope from the analysis walk's nodes (document order, every call and
    // binary expression), without a walk of the scope: when its text has no `typeof`, those are all `check` looks
    // at. A node counts when it is below the scope and not inside a function nested in it (callbacks run inline
    // excepted), as the walk below decides
    // (a function found nested in the scope, strictly inside its text: the nodes that follow inside its text are
    // below it, in document order, and none of them is the scope's; they are passed without climbing again)
    // (as forEachNodeBelow, but a function found nested in the scope, strictly inside its text, is passed over: the
    // nodes that follow inside its text, in document order, are below it, and none of them is the scope's)
    const start = firstAtOrAfter(nodes, 0, scope.pos);
    for (let i = start; i < nodes.length; i++) {
      const n = nodes[i];
      if (n.pos >= scope.end) break;
      if (n === scope || n.end > scope.end || (n.kind !== CALL_KIND && n.kind !== BINARY_KIND)) continue;
      let p: ts.Node | undefined = n.parent;
      while (p && p !== scope && !(isFunctionLike(p) && !isInlineCallback(p))) p = p.parent;
      if (p === scope) check(n);
      else if (p && p.pos >= scope.pos && p.end <= scope.end && (p.pos > scope.pos || p.end < scope.end)) i = firstAtOrAfter(nodes, i + 1, p.end) - 1;
    }
  } else {
    const visit = (n: ts.Node): void => {
      if (n !== scope && isFunctionLike(n) && !isInlineCallback(n)) return;
      check(n);
      ts.forEachChild(n, visit);
    };
    visit(scope);
  }
  scopeCache.set(scope, out);
  return out;
}

/** The first index from `lo` of nodes in document order whose start is at or after `pos`. */
function firstAtOrAfter(nodes: readonly ts.Node[], lo: number, pos: number): number {
  let hi = nodes.length;
  while (lo < hi) { const mid = (lo + hi) >> 1; if (nodes[mid].pos < pos) lo = mid + 1; else hi = mid; }
  return lo;
}

const CALL_KIND = ts.SyntaxKind.CallExpression;
const BINARY_KIND = ts.SyntaxKind.BinaryExpression;

/**
 * Whether `typeof` occurs in a file's text starting in [from, to). The first place at or after the last `from` asked
 * is kept per file: a later question from between the two has the same answer (no `typeof` lies between them), so
 * the scopes of a file, asked in document order, do not each search the rest of its text again.
 */
function typeofIn(sf: ts.SourceFile, from: number, to: number): boolean {
  const kept = typeofNext.get(sf);
  let at: number;
  if (kept && from >= kept.from && (kept.at < 0 || from <= kept.at)) at = kept.at;
  else { at = sf.text.indexOf('typeof', from); typeofNext.set(sf, { from, at }); }
  return at >= 0 && at < to;
}
const typeofNext = new WeakMap<ts.SourceFile, { from: number; at: number }>();

/**
 * The keys an object schema declares, when the validating call's schema is written in this file:
 * `PostInput.parse(x)` / `v.parse(PostInput, x)` with `const PostInput = z.object({ title: …, body: … })` (zod, yup,
 * joi, valibot, superstruct; `.strict()`/`.partial()` and other chained calls kept). Undefined when unknown.
 */
function schemaKeys(ctx: ValidationContext, call: ts.CallExpression): Set<string> | undefined {
  const recv = calleeObject(call);
  const candidates = [recv, ...call.arguments].filter((x): x is ts.Expression => !!x);
  for (const c of candidates) {
    const obj = objectSchemaLiteral(ctx, c, 0);
    if (obj) {
      const keys = new Set<string>();
      for (const p of obj.properties) {
        if (ts.isSpreadAssignment(p)) return undefined;
        const k = propertyNameText(p.name as ts.PropertyName);
        if (!k) return undefined;
        keys.add(k);
      }
      return keys;
    }
  }
  return undefined;
}

/** Whether an argument is the schema itself (`v.parse(PostInput, body)`), not the value checked. */
function isSchemaValue(ctx: ValidationContext, e: ts.Expression): boolean {
  return !!objectSchemaLiteral(ctx, e, 0);
}

/** The `{ … }` of `z.object({ … })`, `Joi.object({ … })`, `yup.object({ … })`, `v.object({ … })`, `object({ … })` that an expression is or a `const` holds. */
function objectSchemaLiteral(ctx: ValidationContext, e: ts.Expression, depth: number): ts.ObjectLiteralExpression | undefined {
  if (depth > 6) return undefined;
  const u = unwrap(e);
  if (ts.isIdentifier(u)) {
    const b = ctx.taint.scopes.resolve(u);
    return b && ts.isVariableDeclaration(b) && b.initializer && ts.isIdentifier(b.name) ? objectSchemaLiteral(ctx, b.initializer, depth + 1) : undefined;
  }
  if (!ts.isCallExpression(u)) return undefined;
  const name = calleeName(u);
  if ((name === 'object' || name === 'strictObject' || name === 'looseObject' || name === 'keys') && u.arguments[0] && ts.isObjectLiteralExpression(unwrap(u.arguments[0]))) {
    return unwrap(u.arguments[0]) as ts.ObjectLiteralExpression;
  }
  // `z.object({…}).strict()`, `.pick(…)` changes the keys: only modifiers that keep them are followed
  if (name && /^(strict|strip|passthrough|required|partial|deepPartial|noUnknown|unknown|options|describe|label|meta|readonly|brand|openapi)$/.test(name)) {
    const r = calleeObject(u);
    return r ? objectSchemaLiteral(ctx, r, depth + 1) : undefined;
  }
  return undefined;
}

/** A request header compared with a secret of the server's configuration (`process.env.X`, `env.KEY_VAULTS_SECRET`). */
function secretCheck(ctx: ValidationContext, a: ts.Expression, b: ts.Expression): boolean {
  // (no `header` in any case and no `.get(` in the text of either side, with what precedes it: neither is a header)
  const text = ctx.sourceFile.text;
  if (!MAY_BE_HEADER.test(text.slice(a.pos, a.end)) && !MAY_BE_HEADER.test(text.slice(b.pos, b.end))) return false;
  const header = (e: ts.Expression) => /\bheaders?\b|\.get\(\s*['"](authorization|x-[\w-]+)['"]|\bheader\(/i.test(e.getText(ctx.sourceFile));
  const secret = (e: ts.Expression) => /process\.env\.|\b[\w.]*(env|config|Env|Config)\.[A-Z_]*(SECRET|KEY|TOKEN)|\b[A-Z_]*(SECRET|API_KEY|TOKEN)\b/.test(e.getText(ctx.sourceFile));
  return (header(a) && secret(b)) || (header(b) && secret(a));
}

const MAY_BE_HEADER = /header|\.get\(/i;

/** `null`, `undefined`, `''`, `0`: a presence check, not a check of the value. */
function isTrivial(e: ts.Expression): boolean {
  const u = unwrap(e);
  return u.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(u) && u.text === 'undefined') || (ts.isStringLiteralLike(u) && u.text === '') ||
    (ts.isNumericLiteral(u) && u.text === '0');
}

/** `items.forEach((x) => …)`, `.then((body) => …)`: callbacks that run as part of the function around them. */
function isInlineCallback(fn: ts.Node): boolean {
  return !!fn.parent && ts.isCallExpression(fn.parent) && (fn.parent.arguments as readonly ts.Node[]).includes(fn) &&
    /^(then|map|forEach|filter|every|some|find|reduce|catch|finally|transaction|\$transaction)$/.test(calleeName(fn.parent) ?? '');
}

/** Whether the names of a value meet a check in one of the functions it went through. */
export function checkedOnTheWay(ctx: ValidationContext, names: Names): boolean {
  if (names.validated) return true;
  for (const scope of names.scopes) {
    const c = checksIn(ctx, scope);
    if (c.trusted) return true;
    for (const f of names.field) if (c.whole.has(f) || c.field.has(f)) return true;
    for (const f of names.container) {
      if (!c.whole.has(f)) continue;
      const keys = c.whole.get(f);
      if (!keys) return true;
      // `Schema.parse(req.body)` where Schema names `title` only: `req.body.content` is still unchecked
      for (const name of names.field) {
        if (!name.startsWith(`${f}.`)) continue;
        const key = name.slice(f.length + 1).split(/[.[]/)[0];
        if (keys.has(key)) return true;
      }
    }
  }
  return false;
}

/** Whether a chain entry (middleware on the route or mounted before it) validates the request. */
export function isValidationMiddleware(e: ChainEntry): boolean {
  if (e.lib && VALIDATION_LIBS.test(e.lib) && e.lib !== '@nestjs/common') return true;
  if (e.lib && /valid|schema|celebrate|zod|joi|yup|ajv/i.test(e.lib)) return true;
  const text = e.text.trim();
  if (EXPRESS_VALIDATOR_TEXT.test(text)) return true;
  const bare = text.replace(/['"`][^'"`]*['"`]/g, '');
  if (AUTH_VALIDATION.test(e.name ?? '') || AUTH_VALIDATION.test(bare)) return false;
  return VALIDATION_MIDDLEWARE.test(e.name ?? '') || VALIDATION_MIDDLEWARE.test(bare);
}

/**
 * The routes whose handler is `fn`: declared in this file or mounted from another, including handlers named as a
 * member of this module in the route's file (`router.post('/', validate, postsController.create)` where
 * `postsController = require('../controllers/posts')` and this file has `exports.create = …`).
 */
export function routesOfHandler(project: ProjectModel, file: string, fn: ts.Node, sf: ts.SourceFile): RouteInfo[] {
  const start = fn.getStart(sf);
  const names = memberNames(fn);
  return project.routes().filter((r) => {
    if (!r.handler) return false;
    if (r.handler.file === file && r.handler.start === start) return true;
    if (!names.size || r.handler.file === file || !r.handler.name) return false;
    const parts = r.handler.name.split('.');
    if (parts.length !== 2 || !names.has(parts[1])) return false;
    const imp = project.facts(r.file)?.imports.find((i) => i.names[parts[0]] !== undefined);
    return !!imp && project.resolveImport(r.file, imp.spec) === file;
  });
}

/** The names a function can be reached by as a member of its module (`exports.create = …`, `{ create() {} }`, a method). */
function memberNames(fn: ts.Node): Set<string> {
  const out = new Set<string>();
  const p = fn.parent;
  if (!p) return out;
  if (ts.isBinaryExpression(p) && p.right === fn && ts.isPropertyAccessExpression(p.left)) out.add(p.left.name.text);
  if (ts.isPropertyAssignment(p)) { const n = propertyNameText(p.name); if (n) out.add(n); }
  if (ts.isMethodDeclaration(fn)) { const n = propertyNameText(fn.name); if (n) out.add(n); }
  if (ts.isPropertyDeclaration(p)) { const n = propertyNameText(p.name); if (n) out.add(n); }
  if (ts.isFunctionDeclaration(fn) && fn.name) out.add(fn.name.text);
  if (ts.isVariableDeclaration(p) && ts.isIdentifier(p.name)) out.add(p.name.text);
  return out;
}

/**
 * What express-openapi-validator checks of the request body before the handler that is or holds `node` runs, when that
 * handler is the export of its module named by operations of the project's OpenAPI specs (`x-eov-operation-handler`
 * and `x-eov-operation-id`; `module.exports = { updateUser: [auth, async (req, res) => …] }` or `exports.updateUser =
 * …`): 'closed' when every such operation's body schema refuses fields it does not name, 'schema' when each has a body
 * schema; undefined when no spec routes to the handler, or one of its operations leaves the body unchecked.
 */
export function openApiBodyCheck(project: ProjectModel | undefined, file: string, node: ts.Node): 'closed' | 'schema' | undefined {
  if (!project || !project.configFacts().some((c) => c.kind === 'openapi')) return undefined;
  for (let fn = isFunctionLike(node) ? node : enclosingFunction(node); fn; fn = enclosingFunction(fn)) {
    const names = memberNames(fn);
    // a handler given with its middleware: `updateUser: [auth, async (req, res) => …]`
    const p = fn.parent;
    if (p && ts.isArrayLiteralExpression(p) && p.parent) for (const n of memberNames(p)) names.add(n);
    for (const name of names) {
      const ops = project.openApiOperations(file, name);
      if (!ops.length) continue;
      if (ops.every((o) => o.closedBody)) return 'closed';
      return ops.every((o) => o.bodySchema) ? 'schema' : undefined;
    }
  }
  return undefined;
}

/** Whether a route validates its request before the handler: validation middleware in its chain, or a Fastify schema. */
export function routeValidates(r: RouteInfo): boolean {
  return !!r.schema || r.chain.some(isValidationMiddleware);
}

/**
 * The route options or middleware written next to a handler in the same call (`router.post('/', validate(s), fn)`,
 * `fastify.post('/', { schema }, fn)`, `fastify.route({ schema, handler })`, Hono's `zValidator('json', s)`):
 * whether they validate the request. Used when the project model has no route for the handler.
 */
export function validatedBySiblings(ctx: ValidationContext, fn: ts.Node): boolean {
  // (a question of the tree alone: asked for every argument that went through `fn`, answered once)
  const hit = siblingsCache.get(fn);
  if (hit !== undefined) return hit;
  const r = siblingsValidate(ctx, fn);
  siblingsCache.set(fn, r);
  return r;
}
const siblingsCache = new WeakMap<ts.Node, boolean>();

function siblingsValidate(ctx: ValidationContext, fn: ts.Node): boolean {
  let node: ts.Node = fn;
  const p = node.parent;
  if (p && ts.isPropertyAssignment(p) && propertyNameText(p.name) === 'handler' && ts.isObjectLiteralExpression(p.parent)) {
    return p.parent.properties.some((q) => propertyNameText(q.name as ts.PropertyName) === 'schema' && schemaChecksBody(q));
  }
  if (ts.isMethodDeclaration(fn) && propertyNameText(fn.name) === 'handler' && ts.isObjectLiteralExpression(fn.parent)) {
    return fn.parent.properties.some((q) => propertyNameText(q.name as ts.PropertyName) === 'schema' && schemaChecksBody(q));
  }
  node = fn;
  const call = node.parent;
  if (!call || !ts.isCallExpression(call)) return false;
  const i = (call.arguments as readonly ts.Node[]).indexOf(node);
  if (i < 1) return false;
  for (const a of call.arguments.slice(0, i)) {
    const u = unwrap(a);
    if (ts.isObjectLiteralExpression(u)) {
      if (u.properties.some((q) => propertyNameText(q.name as ts.PropertyName) === 'schema' && schemaChecksBody(q))) return true;
      continue;
    }
    if (ts.isStringLiteralLike(u)) continue;
    const text = u.getText(ctx.sourceFile);
    const bare = text.replace(/['"`][^'"`]*['"`]/g, '');
    if (EXPRESS_VALIDATOR_TEXT.test(text) || (VALIDATION_MIDDLEWARE.test(bare) && !AUTH_VALIDATION.test(bare))) return true;
  }
  return false;
}

/** A Fastify route `schema` that describes the body or the query (not only `response` or `params`). */
function schemaChecksBody(p: ts.ObjectLiteralElementLike): boolean {
  const v = ts.isPropertyAssignment(p) ? unwrap(p.initializer) : undefined;
  if (!v || !ts.isObjectLiteralExpression(v)) return true; // a shared schema object: assume it covers the body
  return v.properties.some((q) => /^(body|querystring|query)$/.test(propertyNameText(q.name as ts.PropertyName) ?? ''));
}

/**
 * For the summary pass: whether request data in a call's argument was checked in the calling file before the call
 * (on its way, or by validation middleware written next to the handler), so the module it is passed to does not
 * report it; `dto` for a NestJS `@Body()` DTO class (checked when the app uses a `ValidationPipe`).
 */
export function checkedBeforeCall(sourceFile: ts.SourceFile, taint: ValidationContext['taint'], arg: ts.Expression): true | 'dto' | undefined {
  const vctx: ValidationContext = { sourceFile, taint };
  const names = namesOf(vctx, arg);
  if (checkedOnTheWay(vctx, names)) return true;
  for (const s of names.scopes) if (!ts.isSourceFile(s) && validatedBySiblings(vctx, s)) return true;
  return names.dtoClass ? 'dto' : undefined;
}
