import { ts } from 'ts-morph';
import { ALL_LANGUAGES, defineRule, sameVisitor, type RuleContext } from '../../model/rule';
import type { Confidence } from '../../model/types';
import { calleeName, calleeObject, enclosingFunction, getPropertyValue, memberChain, unwrap } from '../../util/ast';
import { resolveObject } from '../../util/resolve-values';
import { definesModelHere } from '../../util/db-writes';
import { textPrefilter } from '../../util/text-words';

/** the callees the rule's call visitor acts on: it returns at once on any other */
const RESPONSE_CALLS = ['json', 'send'];
/** the operators of the assignments the rule's visitor of binary expressions acts on: it returns at once on any other */
const OPERATORS = ['='];

/** the pre-filter's expression, asked only of a text that holds one of these words (util/text-words.ts) */
const PASSWORD_TEXT = textPrefilter(/password|passwd|pwd/i, ['password', 'passwd', 'pwd']);

/** Models that usually hold a password hash. */
const ACCOUNT_MODEL = /^(user|users|account|accounts|admin|admins|member|members|customer|customers|employee|employees|staff|profile|owner)$/i;
const PRISMA_READS = new Set(['findUnique', 'findUniqueOrThrow', 'findFirst', 'findFirstOrThrow', 'findMany', 'create', 'update', 'upsert']);
const MODEL_READS = new Set(['findOne', 'findById', 'find', 'findByPk', 'findAll', 'create', 'findByIdAndUpdate', 'findOneAndUpdate', 'findOrCreate']);

type Query = { kind: 'prisma' | 'model'; label: string; model: string };

/** The ORM query whose whole rows an expression holds, when no field selection narrows them. */
function wholeRowQuery(ctx: RuleContext, expr: ts.Expression, depth = 0): Query | undefined {
  let e = unwrap(expr);
  if (depth > 3) return undefined;
  if (ts.isAwaitExpression(e)) e = unwrap(e.expression);
  if (ts.isIdentifier(e)) {
    const b = ctx.taint.scopes.resolve(e);
    if (b && ts.isVariableDeclaration(b) && b.initializer && ts.isIdentifier(b.name)) return wholeRowQuery(ctx, b.initializer, depth + 1);
    return undefined;
  }
  if (!ts.isCallExpression(e)) return undefined;
  const name = calleeName(e);
  const recv = calleeObject(e);
  if (!name || !recv) return undefined;
  // Mongoose query chains: `.lean()`, `.exec()`, `.populate()` keep every field; `.select(…)` narrows them
  if (/^(lean|exec|populate|sort|limit|skip|orFail)$/.test(name)) return wholeRowQuery(ctx, recv, depth + 1);
  if (name === 'select' || name === 'projection') return undefined;
  const chain = memberChain(recv);
  if (PRISMA_READS.has(name) && chain && chain.length >= 2) {
    const model = chain[chain.length - 1];
    if (!ACCOUNT_MODEL.test(model)) return undefined;
    const opts = e.arguments[0] ? resolveObject(ctx, e.arguments[0]) : undefined;
    if (e.arguments[0] && !opts) return undefined;
    if (opts && (getPropertyValue(opts, 'select') || getPropertyValue(opts, 'omit'))) return undefined;
    if (!opts && name !== 'findMany' && name !== 'findFirst') return undefined;
    return { kind: 'prisma', label: `${chain.join('.')}.${name}`, model };
  }
  if (MODEL_READS.has(name)) {
    const r = unwrap(recv);
    const model = ts.isIdentifier(r) ? r.text : ts.isPropertyAccessExpression(r) ? r.name.text : undefined;
    if (!model || !/^[A-Z]/.test(model) || !ACCOUNT_MODEL.test(model)) return undefined;
    // a projection or options with `attributes` (Sequelize) / `select` (Mongoose) narrows the fields
    for (const a of e.arguments) {
      const u = unwrap(a);
      if (ts.isStringLiteralLike(u)) return undefined; // Mongoose projection string: find(filter, '-password')
      const o = resolveObject(ctx, a);
      if (o && (getPropertyValue(o, 'attributes') || getPropertyValue(o, 'select') || getPropertyValue(o, 'projection'))) return undefined;
    }
    if ((name === 'find' || name === 'findOne' || name === 'findById' || name === 'findByIdAndUpdate' || name === 'findOneAndUpdate') && e.arguments.length >= 2 &&
        !/AndUpdate$/.test(name) && ts.isObjectLiteralExpression(unwrap(e.arguments[1]))) return undefined; // find(filter, { password: 0 })
    return { kind: 'model', label: `${model}.${name}`, model };
  }
  return undefined;
}

export default defineRule({
  meta: {
    id: 'password-hash-exposed',
    title: 'API response includes the password hash',
    category: 'data',
    severity: 'warning',
    confidence: 'medium',
    cwe: [200, 359],
    owasp: 'A01:2021 Broken Access Control',
    description: 'Finds API handlers that send whole user rows (`res.json(user)`, `NextResponse.json(user)`, `reply.send(users)`) loaded or created with Prisma (`findUnique`, `create`… without `select` or `omit`) or a Mongoose/Sequelize model (without `.select(\'-password\')` or `attributes: { exclude }`), when the same code shows the record holds a password.',
    notReported: 'Queries that pick their fields (`select`, `omit`, projections, `attributes`), handlers that remove the field before sending (`delete user.password`, `const { password, ...safe } = user`), and values passed through a function first. Mongoose and Sequelize models defined in another file are low confidence: a `select: false`, `toJSON` transform or default scope there may hide the field.',
    why: 'A password hash sent to the browser can be copied by anyone who sees the response (browser extensions, shared computers, logs, a cross-site scripting bug) and then cracked offline at leisure; weak passwords fall within hours. It also shows an attacker which hashing scheme you use.',
    fix: 'Return only the fields the client needs: Prisma `select: { id: true, email: true, name: true }` or `omit: { password: true }`; Mongoose `.select(\'-password\')` or `select: false` on the schema field; Sequelize `attributes: { exclude: [\'password\'] }` or a default scope. Better still, map rows to a response type (a DTO) before sending.',
    bad: `app.get('/api/me', requireAuth, async (req, res) => {
  const user = await prisma.user.findUnique({ where: { id: req.user.id } });
  res.json(user);
});

app.post('/api/signup', async (req, res) => {
  const password = await bcrypt.hash(req.body.password, 12);
  const user = await prisma.user.create({ data: { email: req.body.email, password } });
  res.status(201).json(user);
});`,
    good: `app.post('/api/signup', async (req, res) => {
  const password = await bcrypt.hash(req.body.password, 12);
  const user = await prisma.user.create({ data: { email: req.body.email, password }, select: { id: true, email: true } });
  res.status(201).json(user);
});`,
    fixSafety: 'none',
    languages: ALL_LANGUAGES,
    defaultEnabled: true,
    tags: ['privacy', 'passwords', 'data'],
  },
  create(ctx) {
    if (!PASSWORD_TEXT.test(ctx.text)) return {};
    // whole-text tests asked only when a query's result is judged (few files): read once then
    let model: boolean | undefined, hides: boolean | undefined;
    const modelHere = () => model ??= definesModelHere(ctx.text);
    // schema-level hiding: `select: false` on a field, a toJSON transform, a Sequelize default scope, a Prisma global omit
    const hidesInModel = () => hides ??= /select\s*:\s*false|['"]toJSON['"]|toJSON\s*[:(]|defaultScope|\bomit\s*:\s*\{\s*\w+\s*:\s*\{/.test(ctx.text);

    /** The code removes or never had the password: `delete user.password`, `{ password, ...rest } = user`. */
    const strips = (fnText: string, name: string): boolean => {
      const n = name.replace(/\$/g, '\\$');
      return new RegExp(`delete\\s+${n}\\.(password|passwordHash|hash)|${n}\\.(password|passwordHash)\\s*=\\s*(undefined|null|'')|\\.\\.\\.\\w+\\s*\\}\\s*=\\s*${n}\\b`).test(fnText);
    };

    const judge = (sinkNode: ts.Node, value: ts.Expression | undefined) => {
      if (!value) return;
      const candidates: ts.Expression[] = [];
      const v = unwrap(value);
      if (ts.isObjectLiteralExpression(v)) {
        for (const p of v.properties) {
          if (ts.isShorthandPropertyAssignment(p)) candidates.push(p.name);
          else if (ts.isPropertyAssignment(p)) candidates.push(p.initializer);
        }
      } else candidates.push(v);
      for (const c of candidates) {
        const cu = unwrap(c);
        if (!ts.isIdentifier(cu) && !ts.isAwaitExpression(cu)) continue;
        const q = wholeRowQuery(ctx, cu);
        if (!q) continue;
        const fn = enclosingFunction(sinkNode);
        const fnText = (fn ?? ctx.sourceFile).getText(ctx.sourceFile);
        if (ts.isIdentifier(cu) && strips(fnText, cu.text)) continue;
        // evidence that this model has a password: the handler or the file works with one
        const evidence = /password/i.test(fnText) || (q.kind === 'prisma' && /\.(password|passwordHash|hashedPassword)\b|\bpassword(Hash)?\s*:/.test(ctx.text));
        let confidence: Confidence = evidence ? 'medium' : 'low';
        if (q.kind === 'model' && (!modelHere() || hidesInModel())) confidence = 'low';
        if (q.kind === 'prisma' && hidesInModel()) confidence = 'low';
        if (ctx.facts.testFile) confidence = 'low';
        ctx.report({
          node: sinkNode,
          confidence,
          message: `This response sends the whole \`${q.model}\` record from \`${q.label}\`${cu !== v ? ` (as \`${ts.isIdentifier(cu) ? cu.text : '…'}\`)` : ''}, password hash included${q.kind === 'model' && confidence === 'low' ? ' (unless the model file hides it)' : ''}: anyone who sees the response can crack it offline. ${q.kind === 'prisma' ? 'Pick the fields with `select: { id: true, email: true, … }` or `omit: { password: true }`.' : 'Use `.select(\'-password\')` / `attributes: { exclude: [\'password\'] }`, or `select: false` on the schema field.'}`,
        });
        return;
      }
    };

    return {
      CallExpression: sameVisitor(RESPONSE_CALLS, (call) => {
        const name = calleeName(call);
        if (!name || !call.arguments.length) return;
        const chain = memberChain(call.expression);
        if (!chain) return;
        const root = chain[0];
        // res.json(user) / res.status(200).json(user) / reply.send(user) / NextResponse.json(user) / Response.json(user) / c.json(user)
        if ((name === 'json' || name === 'send') && (/^(res|response|reply|c|ctx)$/.test(root) || /^(NextResponse|Response)$/.test(root))) {
          judge(call, call.arguments[0]);
        }
      }),
      BinaryExpression: sameVisitor(OPERATORS, (b) => {
        // Koa: ctx.body = user
        if (b.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return;
        const chain = memberChain(b.left);
        if (chain && chain.length === 2 && chain[0] === 'ctx' && chain[1] === 'body') judge(b, b.right);
      }),
    };
  },
});
