import { ts } from 'ts-morph';
import { ALL_LANGUAGES, defineRule, sameVisitor, type RuleContext } from '../../model/rule';
import type { TaintTrace } from '../../taint/taint';
import { calleeName, calleeObject, enclosingFunction, isFunctionLike, literalText, memberChain, propertyNameText, unwrap } from '../../util/ast';

/** Calls whose first argument is a MongoDB filter. */
const FILTER_METHODS = new Set(['find', 'findOne', 'findOneAndUpdate', 'findOneAndDelete', 'findOneAndReplace', 'findOneAndRemove',
  'update', 'updateOne', 'updateMany', 'deleteOne', 'deleteMany', 'countDocuments', 'count', 'replaceOne', 'exists', 'remove', 'watch']);
/** Mongoose calls whose first argument is an `_id` (Mongoose turns it into `{ _id: value }`, operators included). */
const ID_METHODS = new Set(['findById', 'findByIdAndUpdate', 'findByIdAndDelete', 'findByIdAndRemove']);
/** Every callee name the rule's call visitor acts on: it returns at once on any other */
const CALL_NAMES = ['use', 'set', '$where', ...FILTER_METHODS, ...ID_METHODS, 'aggregate', 'distinct'];
/** the property the rule's property visitor acts on */
const WHERE = ['$where'];

const MONGO_MODULES = /^(mongoose|mongodb|@nestjs\/mongoose|@typegoose\/typegoose|mongoist|monk|mongojs)$/;
const OTHER_ORMS = /^(sequelize|@sequelize\/core|sequelize-typescript|@prisma\/client|typeorm|@mikro-orm\/.+|objection|bookshelf|knex|drizzle-orm(\/.*)?|waterline|dynamoose|firebase-admin(\/.*)?|firebase\/firestore|@google-cloud\/firestore|@supabase\/supabase-js)$/;
const MODEL_PATH = /(^|[/@~.])(models?|schemas?)(\/|$)|\.(model|schema)(\.[cm]?[jt]s)?$|(^|\/)[A-Za-z]*Model$/i;

/** Coercions and calls whose result is a plain string, number, date or ObjectId: never an operator object. */
const PRIMITIVE_CALLS = new Set(['String', 'Number', 'parseInt', 'parseFloat', 'Boolean', 'BigInt', 'ObjectId', 'toString',
  'toLowerCase', 'toUpperCase', 'toLocaleLowerCase', 'toLocaleUpperCase', 'trim', 'trimStart', 'trimEnd', 'slice', 'substring',
  'substr', 'replace', 'replaceAll', 'normalize', 'padStart', 'padEnd', 'toFixed', 'join', 'charAt', 'toISOString', 'encodeURIComponent',
  'decodeURIComponent', 'escape', 'sanitize', 'mongoSanitize', 'createFromHexString', 'randomUUID', 'getTime', 'now', 'hash', 'digest']);
const PRIMITIVE_NEW = new Set(['ObjectId', 'Date', 'String', 'Number', 'Decimal128', 'UUID', 'Long']);
const REGEX_ESCAPERS = /^(escapeRegExp|escapeRegex|escapeRegexp|escapeStringRegexp|escapeStringRegExp|regexEscape|escapeRe|quotemeta|escapeForRegex|escapeRegExpChars|sanitizeRegex|escapeRegExpString)$/i;

interface Issue { node: ts.Expression; trace: TaintTrace; whole: boolean }
interface RegexIssue { node: ts.Expression; trace: TaintTrace }

function short(ctx: RuleContext, n: ts.Node, max = 40): string {
  const t = n.getText(ctx.sourceFile).replace(/\s+/g, ' ');
  return t.length > max ? t.slice(0, max - 1) + '…' : t;
}

/** The module a local name comes from: top-level imports, or a `require` / `await import` inside a function. */
function moduleOf(ctx: RuleContext, id: ts.Identifier): string | undefined {
  const top = ctx.facts.imports.get(id.text)?.module;
  if (top) return top;
  const b = ctx.taint.scopes.resolve(id);
  let decl: ts.VariableDeclaration | undefined;
  if (b && ts.isVariableDeclaration(b)) decl = b;
  else if (b && ts.isBindingElement(b) && ts.isVariableDeclaration(b.parent.parent)) decl = b.parent.parent;
  if (!decl?.initializer) return undefined;
  let e = unwrap(decl.initializer);
  if (ts.isAwaitExpression(e)) e = unwrap(e.expression);
  if (ts.isCallExpression(e) && (calleeName(e) === 'require' || e.expression.kind === ts.SyntaxKind.ImportKeyword)) return literalText(e.arguments[0]);
  return undefined;
}

function fileEvidence(ctx: RuleContext): { mongo: boolean; other: boolean } {
  let mongo = false, other = false;
  for (const m of ctx.facts.modules) {
    if (MONGO_MODULES.test(m)) mongo = true;
    if (OTHER_ORMS.test(m)) other = true;
  }
  return { mongo, other };
}

const isPascal = (s: string) => /^[A-Z][A-Za-z0-9_]*$/.test(s);

/** Whether a call receiver is a Mongoose model or a MongoDB collection. */
function isMongoReceiver(ctx: RuleContext, recv: ts.Expression, depth = 0): boolean {
  if (depth > 4) return false;
  let r = unwrap(recv);
  if (ts.isAwaitExpression(r)) r = unwrap(r.expression);
  const ev = fileEvidence(ctx);
  if (ts.isBinaryExpression(r) && (r.operatorToken.kind === ts.SyntaxKind.BarBarToken || r.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken)) {
    return isMongoReceiver(ctx, r.left, depth + 1) || isMongoReceiver(ctx, r.right, depth + 1);
  }
  if (ts.isCallExpression(r)) {
    const name = calleeName(r);
    if (name === 'collection') return true;
    if (name === 'model') {
      const chain = memberChain(r.expression);
      return ev.mongo || (!!chain && /^(mongoose|connection|conn|db)$/i.test(chain[chain.length - 2] ?? ''));
    }
    return false;
  }
  if (ts.isIdentifier(r)) {
    const mod = moduleOf(ctx, r);
    if (mod) {
      if (MONGO_MODULES.test(mod) || OTHER_ORMS.test(mod)) return false;
      if (!isPascal(r.text) || ev.other) return false;
      return MODEL_PATH.test(mod) || (ev.mongo && /^[.@~#]/.test(mod));
    }
    const b = ctx.taint.scopes.resolve(r);
    if (b && ts.isVariableDeclaration(b) && b.initializer) {
      const init = unwrap(b.initializer);
      if (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) return false;
      return isMongoReceiver(ctx, init, depth + 1);
    }
    if (b && ts.isParameter(b) && b.type && ev.mongo && /\b(Collection|Model)\s*</.test(b.type.getText(ctx.sourceFile))) return true;
    if (/^(collection|coll|[a-z]\w*Collection)$/.test(r.text) && !ev.other && (ev.mongo || !b || ts.isParameter(b))) return true;
    return false;
  }
  if (ts.isPropertyAccessExpression(r)) {
    const chain = memberChain(r);
    if (!chain) return false;
    const last = chain[chain.length - 1];
    if (chain[0] === 'mongoose' && chain[1] === 'models') return true;
    if (chain[0] === 'this' && chain.length === 2 && /Model$/.test(last) && ev.mongo) return true;
    if (/^(collection|[a-z]\w*Collection)$/.test(last) && !ev.other) return true;
    return false;
  }
  return false;
}

/** Whether request data that reaches here can be a JSON object (body, Express query, `request.json()`, server-action args). */
function sourceCanBeObject(ctx: RuleContext, trace: TaintTrace): boolean {
  // server-action arguments arrive as any serializable value, except FormData fields (strings or files)
  let top: ts.Node = trace.source;
  let topProp: string | undefined;
  while (ts.isBindingElement(top)) {
    topProp = top.propertyName ? propertyNameText(top.propertyName) : ts.isIdentifier(top.name) ? top.name.text : undefined;
    top = top.parent.parent;
  }
  if (ts.isParameter(top) && isFunctionLike(top.parent) && ctx.taint.isServerAction(top.parent)) {
    const typeText = top.type?.getText(ctx.sourceFile) ?? '';
    return !(/FormData/.test(typeText) || (ts.isIdentifier(top.name) && /formData/i.test(top.name.text)));
  }
  // the trace may name a wider expression (`req.body.email`): find the request access inside it
  const find = (n: ts.Node): ts.Node | undefined => {
    if ((ts.isPropertyAccessExpression(n) || ts.isElementAccessExpression(n)) && ctx.taint.requestKind(n.expression)) return n;
    if (ts.isCallExpression(n) && calleeObject(n) && ctx.taint.requestKind(calleeObject(n)!)) return n;
    return ts.forEachChild(n, find);
  };
  const src = find(trace.source) ?? trace.source;
  if (ts.isCallExpression(src)) return calleeName(src) === 'json';
  let prop: string | undefined;
  if (ts.isPropertyAccessExpression(src)) prop = src.name.text;
  else if (ts.isElementAccessExpression(src)) prop = literalText(src.argumentExpression);
  else prop = topProp;
  if (prop === 'body') return true;
  if (prop === 'query') {
    // Koa and Fastify parse query strings into flat strings unless a `qs` parser is plugged in
    const base = ts.isPropertyAccessExpression(src) || ts.isElementAccessExpression(src) ? src.expression : undefined;
    if (ctx.facts.modules.has('qs') || ctx.facts.modules.has('koa-qs')) return true;
    if (base && ctx.taint.requestKind(base) === 'koa') return false;
    if (ctx.facts.modules.has('fastify') || ctx.facts.modules.has('hono') || ctx.facts.nextPagesApi) return false;
    return true;
  }
  return false;
}

/** Whether a value can still be an object by the time it is used: false for coerced, built or string-method results. */
function mayBeObject(ctx: RuleContext, expr: ts.Expression, depth = 0): boolean {
  if (depth > 8) return true;
  const e = unwrap(expr);
  if (ts.isStringLiteralLike(e) || ts.isNumericLiteral(e) || ts.isTemplateExpression(e) || ts.isPrefixUnaryExpression(e) ||
      ts.isTypeOfExpression(e) || ts.isPostfixUnaryExpression(e) || e.kind === ts.SyntaxKind.TrueKeyword || e.kind === ts.SyntaxKind.FalseKeyword ||
      e.kind === ts.SyntaxKind.NullKeyword) return false;
  if (ts.isBinaryExpression(e)) {
    const op = e.operatorToken.kind;
    if (op === ts.SyntaxKind.BarBarToken || op === ts.SyntaxKind.QuestionQuestionToken) return mayBeObject(ctx, e.left, depth + 1) || mayBeObject(ctx, e.right, depth + 1);
    if (op === ts.SyntaxKind.AmpersandAmpersandToken || op === ts.SyntaxKind.CommaToken || op === ts.SyntaxKind.EqualsToken) return mayBeObject(ctx, e.right, depth + 1);
    return false; // `+`, arithmetic, comparisons
  }
  if (ts.isConditionalExpression(e)) return mayBeObject(ctx, e.whenTrue, depth + 1) || mayBeObject(ctx, e.whenFalse, depth + 1);
  if (ts.isNewExpression(e)) return !PRIMITIVE_NEW.has(calleeName(e) ?? '');
  if (ts.isCallExpression(e)) {
    const name = calleeName(e);
    return !(name && PRIMITIVE_CALLS.has(name));
  }
  if (ts.isIdentifier(e)) {
    const b = ctx.taint.scopes.resolve(e);
    if (b && ts.isVariableDeclaration(b) && b.initializer && ts.isIdentifier(b.name)) return mayBeObject(ctx, b.initializer, depth + 1);
    return true;
  }
  return true;
}

/** Whether a value used as a regular expression has its request-controlled parts escaped. */
function regexEscaped(ctx: RuleContext, expr: ts.Expression, depth = 0): boolean {
  if (depth > 8) return false;
  const e = unwrap(expr);
  if (ts.isStringLiteralLike(e) || ts.isRegularExpressionLiteral(e)) return true;
  if (ts.isTemplateExpression(e)) return e.templateSpans.every((s) => regexEscaped(ctx, s.expression, depth + 1));
  if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.PlusToken) return regexEscaped(ctx, e.left, depth + 1) && regexEscaped(ctx, e.right, depth + 1);
  if (ts.isCallExpression(e)) {
    const name = calleeName(e) ?? '';
    if (REGEX_ESCAPERS.test(name)) return true;
    // q.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    if ((name === 'replace' || name === 'replaceAll') && e.arguments.length === 2 && literalText(e.arguments[1])?.includes('$&')) return true;
  }
  if (ts.isIdentifier(e)) {
    const b = ctx.taint.scopes.resolve(e);
    if (b && ts.isVariableDeclaration(b) && b.initializer && ts.isIdentifier(b.name)) return regexEscaped(ctx, b.initializer, depth + 1);
  }
  return !ctx.taint.taintOf(e);
}

function regexSource(ctx: RuleContext, expr: ts.Expression, depth = 0): ts.Expression | undefined {
  const e = unwrap(expr);
  if ((ts.isNewExpression(e) || ts.isCallExpression(e)) && calleeName(e) === 'RegExp' && !calleeObject(e)) return e.arguments?.[0];
  if (ts.isIdentifier(e) && depth < 3) {
    const b = ctx.taint.scopes.resolve(e);
    if (b && ts.isVariableDeclaration(b) && b.initializer && ts.isIdentifier(b.name)) return regexSource(ctx, b.initializer, depth + 1);
  }
  return undefined;
}

const VALIDATOR_CALL = /^(validate\w*|validator|celebrate|checkSchema|checkBody|checkExact|body|query|param|check|oneOf|zValidator|vValidator|tbValidator|sValidator|validateRequest|validation|sanitize\w*|mongoSanitize)$/i;

/** A route middleware that validates or sanitizes the request: express-validator chains, `validate(schema)`, celebrate, Fastify `schema`. */
function isValidator(expr: ts.Expression): boolean {
  const u = unwrap(expr);
  if (ts.isArrayLiteralExpression(u)) return u.elements.some(isValidator);
  if (ts.isObjectLiteralExpression(u)) return u.properties.some((p) => p.name && propertyNameText(p.name) === 'schema');
  if (ts.isCallExpression(u)) {
    // body('email').isEmail().normalizeEmail(): look at the call the chain starts from
    let inner: ts.CallExpression = u;
    while (ts.isPropertyAccessExpression(unwrap(inner.expression)) && ts.isCallExpression(unwrap((unwrap(inner.expression) as ts.PropertyAccessExpression).expression))) {
      inner = unwrap((unwrap(inner.expression) as ts.PropertyAccessExpression).expression) as ts.CallExpression;
    }
    return VALIDATOR_CALL.test(calleeName(inner) ?? '');
  }
  if (ts.isIdentifier(u) || ts.isPropertyAccessExpression(u)) return /valid|schema|sanitiz/i.test(u.getText());
  return false;
}

/** Whether the handler around `node` is registered behind validation middleware (or a Fastify route schema). */
function validatedByMiddleware(node: ts.Node): boolean {
  let fn = enclosingFunction(node);
  while (fn) {
    const parent = fn.parent;
    if (parent && ts.isCallExpression(parent)) {
      const idx = parent.arguments.indexOf(fn as ts.Expression);
      if (idx > 0 && parent.arguments.slice(0, idx).some(isValidator)) return true;
    }
    // fastify.route({ method, url, schema, handler })
    if (parent && ts.isPropertyAssignment(parent) && ts.isObjectLiteralExpression(parent.parent) && isValidator(parent.parent)) return true;
    fn = enclosingFunction(fn);
  }
  return false;
}

export default defineRule({
  meta: {
    id: 'nosql-injection',
    title: 'Request data used as a MongoDB filter without checks',
    category: 'injection',
    severity: 'error',
    confidence: 'high',
    cwe: [943],
    owasp: 'A03:2021 Injection',
    description: 'Finds request values (JSON bodies, Express query strings, server-action arguments) passed unchanged into MongoDB or Mongoose filters (`findOne`, `find`, `updateOne`, `deleteMany`, `aggregate` `$match`, …), `$where` clauses, and request text turned into regular expressions inside filters.',
    notReported: 'Request values cast or validated before the query (`String(x)`, `Number(x)`, `new ObjectId(x)`, a schema), and filters whose values come from the session.',
    why: 'A JSON body or query string can carry an object instead of a string, such as `{ "$ne": null }`. MongoDB reads it as an operator, so `findOne({ email, password })` can match any user and a client can log in without a password, reset someone else\'s account or list records. `$where` runs JavaScript on the database, and unescaped regular expressions let clients match everything or stall the server.',
    fix: 'Turn each value into what you expect before querying: `String(value)`, a `typeof value === \'string\'` check, a schema (`z.string().parse(value)`), or `new ObjectId(id)` for ids. Never pass a whole request object as a filter. Escape text before building a RegExp, and replace `$where` with normal query operators.',
    bad: `import User from '../models/User';

app.post('/login', async (req, res) => {
  const user = await User.findOne({ email: req.body.email, password: req.body.password });
  res.json({ ok: !!user });
});`,
    good: `import User from '../models/User';

app.post('/login', async (req, res) => {
  const user = await User.findOne({ email: String(req.body.email) });
  res.json({ ok: !!user });
});`,
    fixSafety: 'none',
    languages: ALL_LANGUAGES,
    defaultEnabled: true,
    tags: ['nosql', 'mongodb', 'database', 'injection', 'validation'],
  },
  create(ctx) {
    const pending: { call: ts.CallExpression; issues: Issue[] }[] = [];
    let sanitizedAppWide = false;
    const seenWhere = new Set<ts.Node>();

    function check(filter: ts.Expression, issues: Issue[], regex: RegexIssue[], depth: number, seen: Set<ts.Node>): void {
      const e = unwrap(filter);
      if (seen.has(e) || depth > 6) return;
      seen.add(e);
      if (ts.isObjectLiteralExpression(e)) {
        // Sequelize, TypeORM and Prisma wrap conditions in `where`: plain strings there are not operators
        if (depth === 0 && e.properties.some((p) => p.name && propertyNameText(p.name) === 'where')) return;
        for (const p of e.properties) {
          if (ts.isSpreadAssignment(p)) { whole(p.expression, issues); continue; }
          const value = ts.isPropertyAssignment(p) ? p.initializer : ts.isShorthandPropertyAssignment(p) ? p.name : undefined;
          if (!value) continue;
          field(propertyNameText(p.name!) ?? '', value, issues, regex, depth, seen);
        }
        return;
      }
      if (ts.isIdentifier(e)) {
        const b = ctx.taint.scopes.resolve(e);
        if (b && ts.isVariableDeclaration(b) && ts.isIdentifier(b.name) && b.initializer && ts.isObjectLiteralExpression(unwrap(b.initializer))) {
          check(b.initializer, issues, regex, depth, seen);
          // `const filter = {}; if (status) filter.status = status;` — fields added before the query
          const fn = enclosingFunction(e) ?? e.getSourceFile();
          const visit = (n: ts.Node) => {
            if (n.pos >= e.pos) return;
            if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
              const l = unwrap(n.left);
              if ((ts.isPropertyAccessExpression(l) || ts.isElementAccessExpression(l)) && ts.isIdentifier(unwrap(l.expression)) &&
                  (unwrap(l.expression) as ts.Identifier).text === e.text) {
                const key = ts.isPropertyAccessExpression(l) ? l.name.text : literalText(l.argumentExpression) ?? '';
                field(key, n.right, issues, regex, depth, seen);
              }
            }
            ts.forEachChild(n, visit);
          };
          ts.forEachChild(fn, visit);
          return;
        }
      }
      whole(e, issues);
    }

    function field(key: string, value: ts.Expression, issues: Issue[], regex: RegexIssue[], depth: number, seen: Set<ts.Node>): void {
      const v = unwrap(value);
      if (key === '$where') return; // reported on its own, wherever it appears
      if (key === '$regex') { regexCheck(v, regex); return; }
      if (ts.isObjectLiteralExpression(v)) { check(v, issues, regex, depth + 1, seen); return; }
      if (ts.isArrayLiteralExpression(v)) {
        if (key === '$and' || key === '$or' || key === '$nor') for (const el of v.elements) check(el, issues, regex, depth + 1, seen);
        return;
      }
      const src = regexSource(ctx, v);
      if (src) { regexCheck(src, regex); return; }
      if (key.startsWith('$')) return; // an operator's operand: an object there is compared, not executed
      const c = ctx.taint.classify(v, 'nosql');
      if (c.kind === 'tainted' && c.trace && mayBeObject(ctx, v) && sourceCanBeObject(ctx, c.trace)) issues.push({ node: v, trace: c.trace, whole: false });
    }

    function whole(value: ts.Expression, issues: Issue[]): void {
      const c = ctx.taint.classify(value, 'nosql');
      if (c.kind === 'tainted' && c.trace && mayBeObject(ctx, value) && sourceCanBeObject(ctx, c.trace)) issues.push({ node: value, trace: c.trace, whole: true });
    }

    function regexCheck(value: ts.Expression, regex: RegexIssue[]): void {
      const trace = ctx.taint.taintOf(value);
      if (trace && !regexEscaped(ctx, value)) regex.push({ node: value, trace });
    }

    function reportWhere(node: ts.Node, value: ts.Expression): void {
      if (seenWhere.has(node)) return;
      seenWhere.add(node);
      const v = unwrap(value);
      const b = ts.isIdentifier(v) ? ctx.taint.scopes.resolve(v) : undefined;
      const init = b && ts.isVariableDeclaration(b) && b.initializer ? unwrap(b.initializer) : undefined;
      const isFunction = ts.isFunctionExpression(v) || ts.isArrowFunction(v) || (!!b && ts.isFunctionDeclaration(b)) ||
        (!!init && (ts.isFunctionExpression(init) || ts.isArrowFunction(init)));
      const c = isFunction ? { kind: 'safe' as const, trace: undefined } : ctx.taint.classify(v, 'code');
      if (c.kind === 'tainted' && c.trace) {
        ctx.report({
          node: value, confidence: 'high',
          message: `\`$where\` runs JavaScript on the database server, and this one contains request data (\`${c.trace.label}\`): a client can run their own code inside your query. Replace \`$where\` with normal query operators (\`$eq\`, \`$gt\`, \`$expr\`) and pass the value as data.`,
          related: [{ node: c.trace.source, message: `Request data enters here (${c.trace.label}) and reaches the \`$where\` clause.` }],
        });
      } else {
        ctx.report({
          node: value,
          confidence: c.kind === 'dynamic' && ctx.taint.inRequestContext(node) ? 'medium' : 'low',
          severity: c.kind === 'dynamic' ? 'error' : 'warning',
          message: `\`$where\` runs JavaScript on the database server${c.kind === 'dynamic' ? ` and this one is built from a value (\`${short(ctx, v)}\`)` : ''}: it is slow, often disabled, and turns into code injection as soon as outside data gets in. Use normal query operators or \`$expr\` instead.`,
        });
      }
    }

    return {
      PropertyAssignment: sameVisitor(WHERE, (p) => {
        if (propertyNameText(p.name) === '$where') reportWhere(p, p.initializer);
      }),
      CallExpression: sameVisitor(CALL_NAMES, (call) => {
        const name = calleeName(call);
        if (!name) return;
        // app.use(mongoSanitize()) / mongoose.set('sanitizeFilter', true): operator keys are stripped for this app
        if (name === 'use' && call.arguments.some((a) => {
          const u = unwrap(a);
          if (!ts.isCallExpression(u)) return false;
          const root = memberChain(u.expression)?.[0] ?? '';
          return /mongoSanitize|mongo_sanitize/i.test(root) || ctx.facts.imports.get(root)?.module === 'express-mongo-sanitize';
        })) sanitizedAppWide = true;
        if (name === 'set' && literalText(call.arguments[0]) === 'sanitizeFilter' && call.arguments[1]?.kind === ts.SyntaxKind.TrueKeyword) sanitizedAppWide = true;
        if (name === '$where' && call.arguments[0] && calleeObject(call)) { reportWhere(call, call.arguments[0]); return; }

        const isFilter = FILTER_METHODS.has(name), isId = ID_METHODS.has(name), isAgg = name === 'aggregate', isDistinct = name === 'distinct';
        if (!isFilter && !isId && !isAgg && !isDistinct) return;
        const recv = calleeObject(call);
        if (!recv || !isMongoReceiver(ctx, recv)) return;
        const first = call.arguments[isDistinct ? 1 : 0];
        if (!first || ts.isArrowFunction(unwrap(first)) || ts.isFunctionExpression(unwrap(first))) return;

        const issues: Issue[] = [];
        const regex: RegexIssue[] = [];
        if (isId) {
          const c = ctx.taint.classify(first, 'nosql');
          if (c.kind === 'tainted' && c.trace && mayBeObject(ctx, first) && sourceCanBeObject(ctx, c.trace)) issues.push({ node: first, trace: c.trace, whole: false });
        } else if (isAgg) {
          let pipeline = unwrap(first);
          if (ts.isIdentifier(pipeline)) {
            const b = ctx.taint.scopes.resolve(pipeline);
            if (b && ts.isVariableDeclaration(b) && b.initializer) pipeline = unwrap(b.initializer);
          }
          if (ts.isArrayLiteralExpression(pipeline)) {
            for (const stage of pipeline.elements) {
              const s = unwrap(stage);
              if (!ts.isObjectLiteralExpression(s)) continue;
              for (const p of s.properties) {
                if (ts.isPropertyAssignment(p) && propertyNameText(p.name) === '$match') check(p.initializer, issues, regex, 0, new Set());
              }
            }
          }
        } else {
          check(first, issues, regex, 0, new Set());
        }
        if (issues.length && !validatedByMiddleware(call)) pending.push({ call, issues });
        for (const r of regex) {
          ctx.report({
            node: r.node, severity: 'warning', confidence: 'high',
            message: `Request data (\`${r.trace.label}\`) becomes a regular expression in a MongoDB filter: special characters let a client match every record or send a slow pattern that ties up the database. Escape it first, e.g. \`value.replace(/[.*+?^\${}()|[\\]\\\\]/g, '\\\\$&')\` or \`escapeStringRegexp(value)\`.`,
            related: [{ node: r.trace.source, message: `Request data enters here (${r.trace.label}).` }],
          });
        }
      }),
      onFileEnd() {
        if (sanitizedAppWide) return;
        for (const { call, issues } of pending) {
          const first = issues[0];
          // fields added to a filter variable earlier are reported at the query, where the filter is used
          const inside = first.node.pos >= call.pos && first.node.end <= call.end;
          const at = inside ? first.node : call.arguments[0];
          const names = [...new Set(issues.map((i) => `\`${short(ctx, i.node, 30)}\``))].slice(0, 3).join(', ');
          const message = first.whole
            ? `The whole MongoDB filter comes from the request (\`${short(ctx, first.node)}\`): a client can add operators such as \`$ne\`, \`$gt\` or \`$regex\` and read or change records they should not reach. Build the filter from the specific fields you allow, each converted to a string or checked with a schema.`
            : `MongoDB filter uses ${names} from the request as-is: a client can send an object such as \`{ "$ne": null }\` instead of a string and match any record (for example, log in without the right password). Convert it with \`String(…)\`, check \`typeof value === 'string'\`, or validate it with a schema before querying.`;
          ctx.report({
            node: at, confidence: 'high', message,
            related: [{ node: first.trace.source, message: `Request data enters here (${first.trace.label}) and can be an object, not just a string.` }],
          });
        }
      },
    };
  },
});
