/**
 * The shortcuts of util/validation.ts (callee names classified once per name, the next `typeof` of a file kept,
 * nested functions passed over in checksIn's scan of the analysis-walk nodes, the header pre-filter of secretCheck, the
 * answer of validatedBySiblings kept per function, namesOf's function around an expression handed down to the parts
 * below it) give the answers of the computation without them: the reference
 * below is validation.ts as it was before them (commit 4a5bffd), without its per-scope cache, and its checks are
 * made by walking each function (no analysis-walk nodes). Compared on every function, call and call argument of
 * every fixture and test project file and of generated handlers that mix validator names, receivers, comparisons
 * with headers and secrets, `typeof`, nested functions and inline callbacks.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ts } from 'ts-morph';
import { sourceFilesUnder } from '../helpers/fixtures';
import { languageOf, parse, parseForAnalysis, summarizeForAnalysis } from '../../src/engine/analyze';
import { DEFAULT_CONFIG } from '../../src/engine/config/config';
import { collectFacts } from '../../src/engine/facts';
import { TaintAnalyzer } from '../../src/engine/taint/taint';
import { bindingPath } from '../../src/engine/taint/scope';
import { calleeName, calleeObject, enclosingFunction, forEachNodeBelow, isFunctionLike, memberChain, propertyNameText, unwrap } from '../../src/engine/util/ast';
import { checkedBeforeCall, checkedOnTheWay, checksIn, isValidatorCall, namesOf, validatedBySiblings, type Names, type ValidationContext } from '../../src/engine/util/validation';

const root = join(__dirname, '..', '..');

/** validation.ts before the shortcuts (commit 4a5bffd), unchanged but for the cache of checksIn and the route helpers. */
namespace ref {
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
  // (VALIDATION_LIBS: route helpers only, not compared)
  const _VALIDATION_LIBS = /^(express-validator|celebrate|express-joi-validation|express-zod-api|zod-express-middleware|zod-express|@hono\/zod-validator|@hono\/typebox-validator|@hono\/valibot-validator|hono\/validator|express-json-validator-middleware|express-openapi-validator|koa-joi-router|koa-bodyparser-validator|@nestjs\/common)$/;
  /** express-validator chains written on the route: `body('title').isString()`, `[check('x')…]`, `checkSchema({…})`. */
  const EXPRESS_VALIDATOR_TEXT = /^\[?\s*(body|check|param|query|checkSchema|checkExact|oneOf|cookie|header)\s*\(/;

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
    if (!name) return false;
    // (a plain name is a chain of one: not built)
    const chain = ts.isIdentifier(unwrap(call.expression)) ? undefined : memberChain(call.expression);
    if (chain && chain.length >= 2) {
      // `JSON.parse`, `qs.parse`, `prisma.post.create`: not validation
      for (let i = 0; i < chain.length - 1; i++) if (NOT_VALIDATORS.test(chain[i].replace(/\(\)$/, ''))) return false;
      if (SCHEMA_METHODS.test(name)) return true;
    }
    if (NOT_VALIDATOR_FN.test(name)) return false;
    if (STANDALONE_VALIDATORS.test(name)) return true;
    return VALIDATOR_FN.test(name);
  }

  /**
   * The names a value goes by from where request data enters to `expr`, and the functions it passes through.
   * `validated` is set when the value is the result of a validating call on the way.
   */
  export function namesOf(ctx: ValidationContext, expr: ts.Expression): Names {
    const out: Names = { field: new Set(), container: new Set(), scopes: new Set() };
    const seen = new Set<ts.Node>();
    const addScope = (n: ts.Node) => { const f = enclosingFunction(n); out.scopes.add(f ?? n.getSourceFile()); };
    const walk = (e0: ts.Expression, asField: boolean, depth: number): void => {
      if (depth > 16 || seen.has(e0)) return;
      seen.add(e0);
      let e = unwrap(e0);
      if (ts.isAwaitExpression(e)) e = unwrap(e.expression);
      addScope(e);
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
        walk(e.expression, false, depth + 1);
        return;
      }
      if (ts.isCallExpression(e)) {
        if (isValidatorCall(e) || isBoundedString(e)) { out.validated = true; return; }
        const recv = calleeObject(e);
        const name = calleeName(e);
        // `formData.get('title')`, `title.trim()`, `c.req.query('q')`: a read from, or a method on, the receiver
        if (recv) walk(recv, name === 'get' || name === 'getAll' || name === 'query' || name === 'param' ? false : asField, depth + 1);
        // `String(x)`, `helper(x)`: the arguments
        for (const a of e.arguments) if (!ts.isSpreadElement(a) && !isFunctionLike(a)) walk(a, asField, depth + 1);
        return;
      }
      if (ts.isBinaryExpression(e)) { walk(e.left, asField, depth + 1); walk(e.right, asField, depth + 1); return; }
      if (ts.isConditionalExpression(e)) { walk(e.whenTrue, asField, depth + 1); walk(e.whenFalse, asField, depth + 1); return; }
      if (ts.isTemplateExpression(e)) { for (const s of e.templateSpans) walk(s.expression, asField, depth + 1); return; }
      if (ts.isObjectLiteralExpression(e)) {
        for (const p of e.properties) {
          const v = ts.isPropertyAssignment(p) ? p.initializer : ts.isShorthandPropertyAssignment(p) ? p.name : ts.isSpreadAssignment(p) ? p.expression : undefined;
          if (v) walk(v, asField, depth + 1);
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


  /** The checks written in a function (not in the functions nested in it, which are their own scopes). */
  export function checksIn(ctx: ValidationContext, scope: ts.FunctionLikeDeclaration | ts.SourceFile): ScopeChecks {
    // (no cache here: every call computes)
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
        if (/^(timingSafeEqual|safeCompare|secureCompare|constantTimeEqual)$/.test(name) && n.arguments.length >= 2 && secretCheck(ctx, n.arguments[0], n.arguments[1])) out.trusted = true;
        if (isValidatorCall(n)) {
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
        } else if (CHECK_CALLS.test(name)) {
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
    const text = ctx.sourceFile.text;
    const typeofAt = text.indexOf('typeof', scope.pos);
    if (nodes && !ts.isSourceFile(scope) && (typeofAt < 0 || typeofAt >= scope.end)) {
      // the calls and binary expressions of the scope from the analysis walk's nodes (document order, every call and
      // binary expression), without a walk of the scope: when its text has no `typeof`, those are all `check` looks
      // at. A node counts when it is below the scope and not inside a function nested in it (callbacks run inline
      // excepted), as the walk below decides
      forEachNodeBelow(nodes, scope, (n) => {
        if (n.kind !== CALL_KIND && n.kind !== BINARY_KIND) return;
        let p = n.parent;
        while (p && p !== scope && !(isFunctionLike(p) && !isInlineCallback(p))) p = p.parent;
        if (p === scope) check(n);
      });
    } else {
      const visit = (n: ts.Node): void => {
        if (n !== scope && isFunctionLike(n) && !isInlineCallback(n)) return;
        check(n);
        ts.forEachChild(n, visit);
      };
      visit(scope);
    }
    return out;
  }

  const CALL_KIND = ts.SyntaxKind.CallExpression;
  const BINARY_KIND = ts.SyntaxKind.BinaryExpression;

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
    const header = (e: ts.Expression) => /\bheaders?\b|\.get\(\s*['"](authorization|x-[\w-]+)['"]|\bheader\(/i.test(e.getText(ctx.sourceFile));
    const secret = (e: ts.Expression) => /process\.env\.|\b[\w.]*(env|config|Env|Config)\.[A-Z_]*(SECRET|KEY|TOKEN)|\b[A-Z_]*(SECRET|API_KEY|TOKEN)\b/.test(e.getText(ctx.sourceFile));
    return (header(a) && secret(b)) || (header(b) && secret(a));
  }

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

  /**
   * The route options or middleware written next to a handler in the same call (`router.post('/', validate(s), fn)`,
   * `fastify.post('/', { schema }, fn)`, `fastify.route({ schema, handler })`, Hono's `zValidator('json', s)`):
   * whether they validate the request. Used when the project model has no route for the handler.
   */
  export function validatedBySiblings(ctx: ValidationContext, fn: ts.Node): boolean {
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
}


type Checks = ReturnType<typeof checksIn>;
const show = (c: Checks) => JSON.stringify({ whole: [...c.whole].map(([k, v]) => [k, v ? [...v] : null]), field: [...c.field], trusted: !!c.trusted });

const showNames = (x: Names) => JSON.stringify({ field: [...x.field], container: [...x.container], scopes: [...x.scopes].map((f) => [f.kind, f.pos, f.end]),
  validated: !!x.validated, dtoClass: x.dtoClass ?? null });

/** Every node of a tree in document order (pre-order). */
function allNodes(sf: ts.SourceFile): ts.Node[] {
  const out: ts.Node[] = [];
  const visit = (n: ts.Node): void => { out.push(n); ts.forEachChild(n, visit); };
  visit(sf);
  return out;
}

interface Counts { scopes: number; fast: number; calls: number; validators: number; args: number; checked: number; siblings: number }

/**
 * One file: tree A as the summary pass prepares it (its walk's nodes given, as checkedBeforeCall gets them), tree B
 * parsed again without nodes (every scope walked); both against the reference on tree A (walked, no nodes).
 */
function compare(path: string, text: string, n: Counts): void {
  const sf = parseForAnalysis(path, text);
  const prepared = sf && summarizeForAnalysis(sf, text, DEFAULT_CONFIG, true)?.prepared;
  if (!sf || !prepared) return;
  const withNodes: ValidationContext = { sourceFile: sf, taint: { scopes: prepared.scopes, nodes: prepared.nodes } };
  const walked: ValidationContext = { sourceFile: sf, taint: { scopes: prepared.scopes } };
  const sfB = parse(path, text, languageOf(path) as 'typescript');
  const b: ValidationContext = { sourceFile: sfB, taint: { scopes: new TaintAnalyzer(sfB, collectFacts(sfB, path), { assumeReturns: true }).scopes } };
  const nodes = allNodes(sf), nodesB = allNodes(sfB);
  assert.equal(nodes.length, nodesB.length, path);
  const where = (x: ts.Node) => `${path}:${sf.getLineAndCharacterOfPosition(x.getStart(sf)).line + 1} ${x.getText(sf).slice(0, 60)}`;
  nodes.forEach((x, i) => {
    if (ts.isSourceFile(x) || isFunctionLike(x)) {
      const expected = show(ref.checksIn(walked, x as ts.FunctionLikeDeclaration));
      assert.equal(show(checksIn(withNodes, x as ts.FunctionLikeDeclaration)), expected, `checksIn (nodes) ${where(x)}`);
      assert.equal(show(checksIn(b, nodesB[i] as ts.FunctionLikeDeclaration)), expected, `checksIn (walked) ${where(x)}`);
      n.scopes++;
      if (!ts.isSourceFile(x) && !/typeof/.test(x.getText(sf))) n.fast++;
      const sib = ref.validatedBySiblings(walked, x);
      assert.equal(validatedBySiblings(withNodes, x), sib, `validatedBySiblings ${where(x)}`);
      assert.equal(validatedBySiblings(withNodes, x), sib, `validatedBySiblings, asked again ${where(x)}`);
      if (sib) n.siblings++;
    }
    if (ts.isCallExpression(x)) {
      const v = ref.isValidatorCall(x);
      assert.equal(isValidatorCall(x), v, `isValidatorCall ${where(x)}`);
      n.calls++;
      if (v) n.validators++;
      for (const a of x.arguments) {
        const expected = ref.checkedBeforeCall(sf, walked.taint, a);
        assert.equal(checkedBeforeCall(sf, withNodes.taint, a), expected, `checkedBeforeCall ${where(a)}`);
        const names = namesOf(withNodes, a), expectedNames = ref.namesOf(walked, a);
        assert.equal(showNames(names), showNames(expectedNames), `namesOf ${where(a)}`);
        assert.equal(checkedOnTheWay(withNodes, names), ref.checkedOnTheWay(walked, expectedNames), `checkedOnTheWay ${where(a)}`);
        n.args++;
        if (expected) n.checked++;
      }
    }
  });
}

/** Request handlers built from pools of callee names, receivers, comparisons and nestings (deterministic). */
function generated(seed: number): string {
  let s = seed;
  const r = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const names = ['parse', 'safeParse', 'parseAsync', 'validate', 'validateSync', 'validatePost', 'validate_input', 'isValid', 'isValidEmail',
    'checkBody', 'checkAuth', 'assertInput', 'assertNever', 'verifyToken', 'verifyInput', 'ensureDir', 'ensureShape', 'sanitizeHtml',
    'parseInt', 'parseBody', 'parseQuery', 'isArray', 'isAdmin', 'is', 'isFoo', 'postSchema', 'UserValidator', 'RoleGuard', 'validation',
    'decode', 'Decode', 'check', 'Check', 'cast', 'assert', 'matchedData', 'validationResult', 'plainToInstance', 'spa', 'create',
    'find', 'save', 'send', 'json', 'includes', 'has', 'test', 'matches', 'indexOf', 'isInteger', 'isEmail', 'match', 'startsWith',
    'endsWith', 'timingSafeEqual', 'safeCompare', 'get', 'query', 'trim', 'slice', 'toString', 'then', 'map', 'forEach'];
  const recvs = ['', 'JSON.', 'schema.', 'Schema.', 'z.object({ title: z.string() }).', 'PostInput.', 'v.', 'qs.', 'db.', 'prisma.post.',
    'getDb().', 'req.', 'validator.', 'Number.', 'Array.', 'LIST.', '/^[a-z]+$/.', 'this.', 'models.', 'Joi.object({ a: 1 }).strict().'];
  const values = ['req.body', 'req.body.title', 'req.query.q', 'body', 'title', 'input', 'data', 'req.headers.authorization',
    "req.headers['x-api-key']", "request.headers.get('authorization')", 'id', 'await req.json()', 'req.params.id', 'opts'];
  const secrets = ['process.env.API_KEY', 'env.KEY_VAULTS_SECRET', 'config.TOKEN', 'SECRET', `\`Bearer \${process.env.TOKEN}\``, "'x'", 'null', '0', "''", 'other'];
  const callOf = () => `${pick(recvs)}${pick(names)}(${pick(values)}${r() < 0.3 ? `, ${pick(values)}` : ''})`;
  const stmt = (d: number): string => pick([
    () => `const ${pick(['data', 'input', 'parsed', 'out'])} = ${callOf()};`,
    () => `if (${callOf()}) return res.status(400).end();`,
    () => `if (typeof ${pick(values)} !== 'string') throw new Error('bad');`,
    () => `if (${pick(values)} ${pick(['===', '!==', '==', '!=', '>', '<=', 'instanceof'])} ${pick(secrets)}) return;`,
    () => `if (${pick(values)}.length > 200) return;`,
    () => `${pick(['req.body.role', 'params.client_id', 'data.id'])} = ${pick(values)};`,
    () => `await save(${pick(values)}, ${pick(values)});`,
    () => `save({ title: ${pick(values)}, ...${pick(values)} });`,
    () => d > 2 ? `save(${pick(values)});` : `items.${pick(['map', 'forEach', 'then', 'filter', 'reduceRight'])}((${pick(['x', 'body', 'title'])}) => { ${stmt(d + 1)} ${stmt(d + 1)} });`,
    () => d > 2 ? `save(${pick(values)});` : `const inner = ${pick(['async (x) =>', 'function (x)'])} { ${stmt(d + 1)} ${stmt(d + 1)} };`,
    () => `save(String(${pick(values)}).slice(0, 80));`,
    () => `const { title, body: { text } } = ${pick(values)};`,
  ])();
  const mw = () => pick(['validate(PostInput)', 'celebrate({ body: s })', "body('title').isString()", 'auth', 'validateToken', "zValidator('json', s)",
    '{ schema: { body: s } }', '{ schema: { response: s } }', '{ schema }', 'rateLimit()', "'x'"]);
  const lines = ["import { save, items, schema, Schema, v, qs, db, prisma, getDb, validator, LIST, models, validatePost, z, Joi } from './db';",
    'const PostInput = z.object({ title: z.string(), body: z.string() }).strict();', 'const router = express.Router();'];
  for (let h = 0; h < 3; h++) {
    const head = pick([
      `export async function handler${h}(req, res, opts) {`, `router.post('/p${h}', ${mw()}, async (req, res) => {`,
      `app.route({ method: 'POST', url: '/r${h}', ${pick(['schema: { body: s }, ', 'schema: { params: p }, ', ''])}handler: async (req, res) => {`,
      `export const handler${h} = async ({ body }, res) => {`]);
    const close = head.startsWith('router') ? '});' : head.startsWith('app.route') ? '} });' : head.includes('=>') ? '};' : '}';
    lines.push(head, '  const { title, input } = req.body;', "  const data = req.body; const id = Number(req.params.id);");
    for (let i = 0; i < 8; i++) lines.push(`  ${stmt(0)}`);
    lines.push(close);
  }
  return lines.join('\n') + '\n';
}

describe('validation shortcuts give the answers of the computation without them', () => {
  it('on every fixture and test project file', () => {
    const files = [...sourceFilesUnder(join(root, 'test', 'fixtures')), ...sourceFilesUnder(join(root, 'test', 'projects'))]
      .filter((f) => { const l = languageOf(f); return !!l && l !== 'python'; });
    const n: Counts = { scopes: 0, fast: 0, calls: 0, validators: 0, args: 0, checked: 0, siblings: 0 };
    for (const file of files) compare(file, readFileSync(file, 'utf8'), n);
    // (enough of each kind that the comparison means something)
    assert.ok(n.scopes > 3000 && n.fast > 1500 && n.validators > 100 && n.checked > 800 && n.siblings > 10, JSON.stringify(n));
  });

  it('on generated handlers', () => {
    const n: Counts = { scopes: 0, fast: 0, calls: 0, validators: 0, args: 0, checked: 0, siblings: 0 };
    for (let seed = 1; seed <= 400; seed++) compare(`gen/${seed}.ts`, generated(seed), n);
    assert.ok(n.scopes > 3000 && n.fast > 2000 && n.validators > 500 && n.checked > 5000 && n.siblings > 200, JSON.stringify(n));
  });
});
