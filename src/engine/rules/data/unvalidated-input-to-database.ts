import { ts } from 'ts-morph';
import { ALL_LANGUAGES, defineRule, sameVisitor, type RuleContext } from '../../model/rule';
import type { Confidence } from '../../model/types';
import type { ProjectModel } from '../../project-model/model';
import type { TaintTrace } from '../../taint/taint';
import { calleeName, calleeObject, enclosingFunction, isFunctionLike, literalText, memberChain, propertyNameText, unwrap } from '../../util/ast';
import { dbWriteOf, objectsOf } from '../../util/db-writes';
import { resolveObject } from '../../util/resolve-values';
import { textPrefilter } from '../../util/text-words';
import { cookEscapes } from '../../util/text';
import { checkedOnTheWay, namesOf, openApiBodyCheck, routeValidates, routesOfHandler, validatedBySiblings } from '../../util/validation';

/** Request data that is input the client writes: bodies, query strings, form fields, server action and `@Body()` arguments. */
const INPUT_LABEL = /(^|[.\s(])(body|query|queries|searchParams|rawBody)\b|\.(json|formData|parseBody)\(\)|^@(Body|Query)\b|formData|\.get\(/;
/** Request data that is not a body or query (path segments, headers, cookies, uploads): other rules judge those. */
const NOT_INPUT_LABEL = /^[\w$]+(\.request|\.req)?\.(get|header)\(|^[\w$]+(\.request|\.req)?\.(headers|header|cookies|signedCookies|params|url|originalUrl|path|hostname|files|file|ip|ips|protocol|method|session|user)\b|^@(Param|Headers|HostParam)\b|^use(Router|Params|SearchParams)\(/;
/** SQL that writes rows. */
const WRITE_SQL = /^\s*(insert|update|replace|upsert|merge)\b/i;
/** Raw-query methods whose second argument is the parameter list (`pool.query(sql, [a, b])`, `db.run(sql, [a])`). */
const RAW_QUERY = new Set(['query', 'execute', 'run', 'exec', 'none', 'one', 'oneOrNone', 'many', 'manyOrNone', 'any', 'raw', 'get', 'all', 'prepare']);
/** ORM and driver calls that write records (their payload is judged by dbWriteOf), and `save` */
const WRITE_CALLS = new Set(['create', 'createMany', 'createManyAndReturn', 'update', 'updateMany', 'upsert', 'insert', 'insertOne', 'insertMany', 'bulkCreate',
  'findByIdAndUpdate', 'findOneAndUpdate', 'updateOne', 'replaceOne', 'findOneAndReplace', 'values', 'set']);
/** every name the rule's call visitor is asked for */
const CALL_NAMES = [...WRITE_CALLS, 'save', ...RAW_QUERY];

/** Classes of the platform, never a model (`new URLSearchParams({ … })`, `new Error(…)`). */
const BUILTIN_CLASSES = /^(URL|URLSearchParams|Error|\w+Error|Date|Map|Set|WeakMap|WeakSet|Response|Request|Headers|FormData|Promise|Blob|File|Buffer|RegExp|Array|Object|Proxy|Event|CustomEvent|Worker|AbortController|TextEncoder|TextDecoder|Uint8Array|ReadableStream|WritableStream|Intl|Notification|WebSocket|EventSource|Image|Audio|Function|Number|String|Boolean|Symbol)$/;

/** Methods that load or build one record as a model instance (Mongoose, Sequelize, TypeORM, MikroORM). */
const RECORD_LOADERS = /^(findById|findOne|findByPk|findOneBy|findOneOrFail|findOneByOrFail|findByIdOrFail|create|build)$/;
/** Query steps between the loader and the record (`Post.findById(id).populate('author').exec()`). */
const QUERY_STEPS = /^(populate|select|exec|orFail|session|setOptions|where|sort|read|comment|maxTimeMS|hint)$/;
/** Classes that carry data but are not records: DTOs, inputs, commands, errors. */
const NOT_MODEL_CLASS = /(Dto|DTO|Input|Args|Params|Payload|Command|Query|Request|Response|Schema|Error|Client|Pool|Server|Event|Service|Controller|Builder|Form|View|Props|Options|Config)$/;
/** A TypeORM or MikroORM repository by its name (`postRepository`, `this.usersRepo`). */
const REPOSITORY = /(repo|repository)$/i;

/** `postsService.create`, `this.usersService.update`: an app's own service layer, not a database client. */
const SERVICE_RECEIVER = /(service|services|svc|manager|usecase|interactor)$/i;
/**
 * A text that may name such a receiver: one of the words in some case, as written, or spelt with a `\u` escape (the
 * only escape an identifier can hold) and read with its escapes decoded.
 */
const SERVICE_WORDS = /service|svc|manager|usecase|interactor/i;
const SERVICE_WORDS_TEXT = textPrefilter(SERVICE_WORDS, ['service', 'svc', 'manager', 'usecase', 'interactor']);
export function mayNameServiceReceiver(text: string): boolean {
  return SERVICE_WORDS_TEXT.test(text) || (text.includes('\\u') && SERVICE_WORDS_TEXT.other(cookEscapes(text)));
}
const SERVICE_WRITE = /^(create|update|upsert|insert|save|add|register|store|edit|patch|replace)/;

function receiverName(call: ts.CallExpression): string | undefined {
  const recv = calleeObject(call);
  if (!recv) return undefined;
  const u = unwrap(recv);
  return ts.isIdentifier(u) ? u.text : ts.isPropertyAccessExpression(u) ? u.name.text : undefined;
}

interface Unchecked { field: string; trace: TaintTrace }

export default defineRule({
  meta: {
    id: 'unvalidated-input-to-database',
    title: 'Request input written to the database without validation',
    category: 'data',
    severity: 'warning',
    confidence: 'medium',
    cwe: [20],
    owasp: 'A03:2021 Injection',
    description: 'Finds request fields (`req.body.title`, fields destructured from `req.body`/`req.query`, a Next.js route handler\'s `await request.json()`, `formData.get(…)` and server action arguments, a Fastify `request.body` on a route without a `schema`, a NestJS `@Body()` that is not a DTO class checked by a `ValidationPipe`) written to the database — Prisma `create`/`update`/`upsert` data, Mongoose `create`/`updateOne`/`new Model(…)`, Sequelize `create`/`update`, knex `insert`/`update`, Drizzle `insert().values()`/`update().set()`, Supabase `.insert`/`.update`/`.upsert`, the parameter list of a raw `INSERT`/`UPDATE`, and fields set one by one on a loaded or new record that is then saved (`post.title = req.body.title; await post.save()` with Mongoose or Sequelize, `post.set(…)`, `await postRepository.save(post)` with TypeORM, reported at the save; a Sequelize instance\'s `update({ … })`) — with no check on the way. Follows the value across files: a route that hands the body to a service in another module is reported where the service writes it, with the path from the route.',
    notReported: 'Values parsed by a schema (zod `parse`/`safeParse`, joi/yup `validate`, ajv, valibot, class-validator), values whose body or field the handler checks (`schema.safeParse(body)`, a hand-written `validatePost(body)` or `isValidX(body)`, `typeof title === \'string\'`, `Number.isInteger(x)`, a regex, length or allow-list check, a comparison with a stored value), fields the server overwrites before the write, values converted to numbers or booleans or to strings cut to a fixed length (`String(x).slice(0, 200)`), routes with validation middleware in their chain as mounted (`validate(schema)`, celebrate, express-validator chains with `validationResult(req)`), Fastify routes with a body or query `schema`, handlers of express-openapi-validator operations whose request body has a schema in the project\'s OpenAPI spec (`x-eov-operation-handler`), NestJS `@Body()` DTO classes when a `ValidationPipe` is used, and whole request bodies given to the database or spread into the record (`create({ data: req.body })`, `{ ...req.body }`): those are `mass-assignment`\'s, so one write is never reported by both rules. Request fields handed to a service whose code is not in the project (`postsService.create({ title: req.body.title })` from a package) are low confidence, as are test files. Fields set on an object that is not a record (a plain object, `res.locals`, a DTO, a `.lean()` result) or on a record that is not saved afterwards in the same function are not reported.',
    why: 'A JSON body or a form can hold any type and any size: where the code expects a short title, a client can send a number, an array, an object or a megabyte of text, and it is stored as is. That corrupts data other pages then render or trust, breaks later queries, fills the database, and lets values the UI never allows (negative prices, 10,000-character names, HTML in a username) in through the API.',
    fix: 'Check the input on the server before writing it: parse the body with a schema (`const data = PostInput.parse(await request.json())` with zod, joi/yup `validate`, express-validator chains plus `validationResult(req)`, a Fastify route `schema`, a NestJS DTO with class-validator and `ValidationPipe`) and write the parsed values, with types, lengths and allowed values stated once.',
    bad: `app.post('/api/posts', async (req, res) => {
  const { title, content } = req.body;
  const post = await prisma.post.create({ data: { title, content, authorId: req.user.id } });
  res.status(201).json(post);
});`,
    good: `const PostInput = z.object({ title: z.string().min(1).max(200), content: z.string().max(20_000) });

app.post('/api/posts', async (req, res) => {
  const parsed = PostInput.safeParse(req.body);
  if (!parsed.success) return res.status(400).json({ error: 'Invalid post' });
  const post = await prisma.post.create({ data: { ...parsed.data, authorId: req.user.id } });
  res.status(201).json(post);
});`,
    fixSafety: 'none',
    languages: ALL_LANGUAGES,
    defaultEnabled: true,
    tags: ['validation', 'database'],
  },
  create(ctx) {
    if (ctx.facts.useClient) return {};
    let project: ProjectModel | undefined;
    const model = () => (project ??= ctx.fileProject());
    let validationPipe: boolean | undefined;
    const usesValidationPipe = () => {
      if (validationPipe === undefined) {
        validationPipe = /\bValidationPipe\b/.test(ctx.text) ||
          !!ctx.project?.files().some((f) => ctx.project!.facts(f)?.imports.some((i) => i.spec === '@nestjs/common' && Object.values(i.names).includes('ValidationPipe')));
      }
      return validationPipe;
    };

    /** Whether a route that runs `fn` validates the request first (as mounted, or next to the handler). */
    const routeChecks = (fn: ts.FunctionLikeDeclaration): boolean => {
      const routes = routesOfHandler(model(), ctx.path, fn, ctx.sourceFile);
      if (routes.some(routeValidates)) return true;
      // an express-openapi-validator operation handler: the validator checks the body against the spec's schema
      if (openApiBodyCheck(ctx.project, ctx.path, fn)) return true;
      return validatedBySiblings(ctx, fn);
    };

    /** Whether the route in another file that read the request (the first step of the path) validates it. */
    const callerRouteChecks = (trace: TaintTrace): boolean => {
      const entry = trace.before?.[0];
      if (!entry || !ctx.project || entry.file === ctx.path) return false;
      const line = entry.range.startPos.line;
      // the route whose handler starts last before the line where the request was read
      let best: { line: number; ok: boolean } | undefined;
      for (const r of ctx.project.routes()) {
        if (!r.handler || r.handler.file !== entry.file || r.handler.line > line) continue;
        if (!best || r.handler.line > best.line) best = { line: r.handler.line, ok: routeValidates(r) };
      }
      return !!best?.ok;
    };

    const isInput = (t: TaintTrace): boolean => {
      if (NOT_INPUT_LABEL.test(t.label)) return false;
      if (!t.before) {
        const src = t.source;
        const p = ts.isParameter(src) ? src : ts.isBindingElement(src) ? owningParam(src) : undefined;
        if (p && isFunctionLike(p.parent) && ctx.taint.isServerAction(p.parent)) return true;
      }
      return INPUT_LABEL.test(t.label);
    };

    /** The request fields among `values` that reach the write with no check on the way. */
    const unchecked = (values: { field: string; value: ts.Expression }[]): Unchecked[] => {
      const out: Unchecked[] = [];
      for (const { field, value } of values) {
        const t = ctx.taint.taintOf(value);
        if (!t || t.label.startsWith('param:') || !isInput(t)) continue;
        // checked by the module that passed it here
        if (t.checked === true || (t.checked === 'dto' && usesValidationPipe())) continue;
        const names = namesOf(ctx, value);
        for (const n of [t.source, ...(t.after ?? []).map((h) => h.node)]) {
          const f = enclosingFunction(n);
          if (f) names.scopes.add(f);
        }
        if (checkedOnTheWay(ctx, names)) continue;
        if (names.dtoClass && (usesValidationPipe() || !ctx.project)) continue;
        let routed = false;
        for (const s of names.scopes) if (!ts.isSourceFile(s) && routeChecks(s)) { routed = true; break; }
        if (routed || callerRouteChecks(t)) continue;
        out.push({ field, trace: t });
      }
      return out;
    };

    /** `{ title: body.title, author: { connect: … } }` → each written value, by field name. */
    const fieldsOf = (obj: ts.ObjectLiteralExpression, prefix = '', depth = 0): { field: string; value: ts.Expression }[] | undefined => {
      const out: { field: string; value: ts.Expression }[] = [];
      for (const p of obj.properties) {
        if (ts.isSpreadAssignment(p)) {
          // `{ ...req.body }`: the whole body, which `mass-assignment` reports; a spread of checked data is fine
          const t = ctx.taint.taintOf(p.expression);
          if (t && isInput(t)) return undefined;
          continue;
        }
        const name = propertyNameText(p.name as ts.PropertyName) ?? '?';
        if (ts.isShorthandPropertyAssignment(p)) { out.push({ field: prefix + name, value: p.name }); continue; }
        if (!ts.isPropertyAssignment(p)) continue;
        const v = unwrap(p.initializer);
        if (ts.isObjectLiteralExpression(v) && depth < 3) {
          const inner = fieldsOf(v, `${prefix}${name}.`, depth + 1);
          if (!inner) return undefined;
          out.push(...inner);
        } else out.push({ field: prefix + name, value: p.initializer });
      }
      return out;
    };

    const report = (node: ts.Node, what: string, found: Unchecked[]) => {
      if (!found.length) return;
      const fields = [...new Set(found.map((f) => f.field))];
      const shown = fields.slice(0, 4).map((f) => `\`${f}\``).join(', ') + (fields.length > 4 ? ` and ${fields.length - 4} more` : '');
      // `req.body.title` → `req.body`: where the fields were read, as the reader knows it
      const labels = [...new Set(found.map((f) => readFrom(f.trace.label)))];
      const common = commonPrefix(labels);
      const from = labels.length === 1 ? `\`${short(labels[0])}\`` : common ? `\`${short(common)}\`` : 'the request';
      const confidence: Confidence = ctx.facts.testFile ? 'low' : 'medium';
      const seen = new Set<ts.Node>();
      ctx.report({
        node,
        confidence,
        message: `${what} writes ${shown} from ${from} to the database with no check of type, length or format on the way, so a client can store a number, an object or a megabyte of text where a short value is expected. Parse the input with a schema first (zod \`safeParse\`, joi, express-validator, a Fastify route \`schema\`) and write the parsed values.`,
        related: found.filter((f) => !seen.has(f.trace.source) && seen.add(f.trace.source)).slice(0, 4)
          .map((f) => ({ node: f.trace.source, message: `\`${f.field}\` comes from request data here (${short(f.trace.label)}).` })),
      });
    };

    const short = (t: string) => { const s = t.replace(/\s+/g, ' '); return s.length > 50 ? s.slice(0, 47) + '…' : s; };

    const onWrite = (call: ts.CallExpression | ts.NewExpression) => {
      const w = dbWriteOf(ctx, call) ?? (ts.isCallExpression(call) ? chainedTableWrite(ctx, call) : undefined);
      if (!w) {
        const name = calleeName(call);
        if (name === 'update' || name === 'updateOne') onInstanceUpdate(call);
        return;
      }
      const values: { field: string; value: ts.Expression }[] = [];
      for (const p of w.payloads) {
        const f = fieldsOf(p);
        if (!f) return; // a whole body spread in: mass-assignment's case
        values.push(...f);
      }
      if (!values.length) return;
      report(call.expression, `\`${short(w.label)}\``, unchecked(values));
    };

    /**
     * `postsService.create({ title: req.body.title })`: request fields handed to the app's own service layer, whose
     * code Shipsafe cannot see here (a module outside the project, or a file analysed alone). It may validate and
     * probably writes: a hidden note (low). Services in the project are followed into instead (the write is judged
     * there, with the path from the route).
     */
    const onServiceCall = (call: ts.CallExpression) => {
      if (!SERVICE_WRITE.test(calleeName(call) ?? '')) return;
      const target = ctx.taint.functions.targetOf(call);
      if (target?.kind === 'local') return;
      if (target?.kind === 'import' && ctx.project?.resolveImport(ctx.path, target.spec)) return;
      // `this.usersService` injected by type, `new RolesService(…)`: the class, when it is here or in a project file
      if (!target && serviceVisible(call)) return;
      const values: { field: string; value: ts.Expression }[] = [];
      for (const a of call.arguments) {
        const u = unwrap(a);
        // the record, not a query (`updateByQuery({ filter: … }, { … })`)
        if (!ts.isObjectLiteralExpression(u) || u.properties.some((p) => /^(filter|where|query|select|include|sort|limit)$/.test(propertyNameText(p.name as ts.PropertyName) ?? ''))) continue;
        const f = fieldsOf(u);
        if (!f) return;
        values.push(...f);
      }
      const found = unchecked(values);
      if (!found.length) return;
      const fields = [...new Set(found.map((f) => f.field))].map((f) => `\`${f}\``).join(', ');
      ctx.report({
        node: call.expression,
        confidence: 'low',
        message: `\`${short(call.expression.getText(ctx.sourceFile))}\` receives ${fields} from the request with no check here, and its code is not in the project, so whether it validates them before writing cannot be seen. Parse the input with a schema at the route (zod \`safeParse\`, joi, express-validator) and pass the parsed values.`,
        related: found.slice(0, 4).map((f) => ({ node: f.trace.source, message: `\`${f.field}\` comes from request data here (${short(f.trace.label)}).` })),
      });
    };

    /**
     * Whether the service's class is code Shipsafe has: a class of this file or imported from a project file, found
     * through `this.x` (a constructor parameter typed with it, or `this.x = new X(…)`) or a local `const x = new X(…)`.
     */
    const serviceVisible = (call: ts.CallExpression): boolean => {
      const recv = calleeObject(call) && unwrap(calleeObject(call)!);
      let cls: string | undefined;
      if (recv && ts.isPropertyAccessExpression(recv) && recv.expression.kind === ts.SyntaxKind.ThisKeyword) {
        const field = recv.name.text;
        const ctor = ctx.sourceFile.statements.find(ts.isClassDeclaration)?.members.find(ts.isConstructorDeclaration);
        const p = ctor?.parameters.find((x) => ts.isIdentifier(x.name) && x.name.text === field);
        cls = p?.type && ts.isTypeReferenceNode(p.type) && ts.isIdentifier(p.type.typeName) ? p.type.typeName.text
          : new RegExp(`\\bthis\\.${field}\\s*=\\s*new\\s+([A-Za-z_$][\\w$]*)`).exec(ctx.text)?.[1];
      } else if (recv && ts.isIdentifier(recv)) {
        const b = ctx.taint.scopes.resolve(recv);
        const init = b && ts.isVariableDeclaration(b) && b.initializer ? unwrap(b.initializer) : undefined;
        if (init && ts.isNewExpression(init) && ts.isIdentifier(init.expression)) cls = init.expression.text;
        else if (b && ts.isParameter(b) && b.type && ts.isTypeReferenceNode(b.type) && ts.isIdentifier(b.type.typeName)) cls = b.type.typeName.text;
      }
      if (!cls) return false;
      const name = cls;
      if (ctx.sourceFile.statements.some((st) => ts.isClassDeclaration(st) && st.name?.text === name)) return true;
      const imp = ctx.facts.imports.get(name);
      return !!imp && !!ctx.project?.resolveImport(ctx.path, imp.module);
    };

    /** `pool.query('INSERT INTO posts (title) VALUES ($1)', [title])`: the parameter list of a write. */
    const onRawQuery = (call: ts.CallExpression) => {
      // better-sqlite3: db.prepare('INSERT …').run(a, b)
      const recv = calleeObject(call);
      const prepared = recv && ts.isCallExpression(unwrap(recv)) && calleeName(unwrap(recv) as ts.CallExpression) === 'prepare' ? unwrap(recv) as ts.CallExpression : undefined;
      if (prepared && prepared.arguments[0]) {
        const sql = sqlText(ctx, prepared.arguments[0]);
        if (!sql || !WRITE_SQL.test(sql)) return;
        if (call.arguments.some((e) => ts.isSpreadElement(e) || ts.isObjectLiteralExpression(unwrap(e)))) return;
        const values = writtenParams(sql, call.arguments.length).map(({ index, column }) => ({ field: column ?? `$${index + 1}`, value: call.arguments[index] })).filter((v) => !!v.value);
        report(call.expression, `\`${short(call.expression.getText(ctx.sourceFile))}\``, unchecked(values));
        return;
      }
      const [sqlArg, params] = call.arguments;
      if (!sqlArg || !params) return;
      const sql = sqlText(ctx, sqlArg);
      if (!sql || !WRITE_SQL.test(sql)) return;
      const list = unwrap(params);
      if (!ts.isArrayLiteralExpression(list) || list.elements.some((e) => ts.isSpreadElement(e))) return;
      const values = writtenParams(sql, list.elements.length).map(({ index, column }) => ({ field: column ?? `$${index + 1}`, value: list.elements[index] })).filter((v) => !!v.value);
      report(call.expression, `\`${short(call.expression.getText(ctx.sourceFile))}\``, unchecked(values));
    };

    /**
     * The variable a call's receiver or argument names, when it holds one database record as a model instance: a
     * document or entity loaded or built by the ORM (`await Post.findById(id)`, `Post.findByPk(id)`,
     * `repo.findOneBy({ id })`, `repo.create()`, `Post.build()`), or a new instance of an app model class
     * (`new Post()`). Plain objects, `.lean()` results, DTOs and values whose origin is not in this function are not.
     */
    const recordVar = (e: ts.Expression | undefined): ts.VariableDeclaration | undefined => {
      const u = e && unwrap(e);
      if (!u || !ts.isIdentifier(u)) return undefined;
      const b = ctx.taint.scopes.resolve(u);
      if (!b || !ts.isVariableDeclaration(b) || !ts.isIdentifier(b.name) || !b.initializer) return undefined;
      if (!recordCache.has(b)) recordCache.set(b, isRecordInit(b.initializer));
      return recordCache.get(b) ? b : undefined;
    };
    const recordCache = new Map<ts.VariableDeclaration, boolean>();
    const isRecordInit = (init: ts.Expression): boolean => {
      let e = unwrap(init);
      if (ts.isAwaitExpression(e)) e = unwrap(e.expression);
      if (ts.isNewExpression(e)) return isModelClass(e.expression);
      // `Post.findById(id).populate('author').exec()`: back to the loader
      for (let i = 0; i < 6 && ts.isCallExpression(e); i++) {
        const name = calleeName(e) ?? '';
        if (name === 'lean') return false; // a plain object, with no `save()`
        if (!QUERY_STEPS.test(name)) break;
        const r = calleeObject(e);
        if (!r) return false;
        e = unwrap(r);
      }
      if (!ts.isCallExpression(e) || !RECORD_LOADERS.test(calleeName(e) ?? '')) return false;
      const recv = calleeObject(e);
      if (!recv) return false;
      // `postRepository.findOneBy({ id })`, `manager.findOne(Post, { … })`, `em.findOneOrFail(Post, id)`, `Post.findById(id)`
      return isRepository(recv) || isModelName(recv);
    };
    /** `Post`, `models.Post`, `db.Post`: a model class by its name (not a platform class, not one of a package). */
    const isModelName = (e: ts.Expression): boolean => {
      const u = unwrap(e);
      const name = ts.isIdentifier(u) ? u.text : ts.isPropertyAccessExpression(u) ? u.name.text : undefined;
      return !!name && /^[A-Z][A-Za-z0-9]*$/.test(name) && !BUILTIN_CLASSES.test(name) && !NOT_MODEL_CLASS.test(name) &&
        !/^(JSON|Math|Reflect|Atomics|Intl|Crypto)$/.test(name);
    };
    /** `new Post()` of the app's own class (defined here or imported from a project module): an entity or document. */
    const isModelClass = (e: ts.Expression): boolean => {
      const u = unwrap(e);
      if (!ts.isIdentifier(u) || !isModelName(u)) return false;
      const mod = ctx.facts.imports.get(u.text)?.module;
      return !mod || mod.startsWith('.') || mod.startsWith('@/') || mod.startsWith('~/');
    };
    /** `postRepository`, `this.postsRepo`, `AppDataSource.getRepository(Post)`, `manager`, `em`: a TypeORM/MikroORM repository or entity manager. */
    const isRepository = (e: ts.Expression): boolean => {
      const u = unwrap(e);
      if (ts.isCallExpression(u)) return /^(getRepository|getCustomRepository|getTreeRepository|getMongoRepository)$/.test(calleeName(u) ?? '');
      return REPOSITORY.test(receiverText(u)) || isManager(u);
    };
    const isManager = (e: ts.Expression): boolean => /^(manager|em|entityManager|transactionalEntityManager|tx|trx)$/i.test(receiverText(unwrap(e)));
    const receiverText = (u: ts.Expression): string => ts.isIdentifier(u) ? u.text : ts.isPropertyAccessExpression(u) ? u.name.text : '';

    /**
     * `post.title = req.body.title; await post.save()` (Mongoose, Sequelize, TypeORM's `BaseEntity`) and
     * `post.title = req.body.title; await postRepository.save(post)` (TypeORM): request fields set one by one on a
     * record, then saved. Reported at the save, the write, with each field set since the previous save of the record
     * in this function (`post.x = …`, `post.set('x', …)`, `post.set({ x })`, `Object.assign(post, { x })`).
     */
    const onSave = (call: ts.CallExpression | ts.NewExpression) => {
      if (!ts.isCallExpression(call)) return;
      const recv = calleeObject(call);
      if (!recv) return;
      let record: ts.VariableDeclaration | undefined;
      if (call.arguments.length === 0 || (call.arguments.length === 1 && ts.isObjectLiteralExpression(unwrap(call.arguments[0])))) record = recordVar(recv);
      else if (isRepository(recv) || isModelName(recv)) {
        // `repo.save(post)`, `manager.save(Post, post)`, `manager.save(post)`
        const arg = call.arguments.find((a) => { const u = unwrap(a); return ts.isIdentifier(u) && !isModelName(u); });
        record = recordVar(arg);
      }
      if (!record) return;
      const fn = enclosingFunction(call);
      if (!fn || enclosingFunction(record) !== fn) return;
      const fields = fieldsSetOn(record, fn, call);
      if (!fields.length) return;
      const text = call.getText(ctx.sourceFile);
      report(call.expression, `\`${text.length <= 50 ? text.replace(/\s+/g, ' ') : `${short(call.expression.getText(ctx.sourceFile))}(…)`}\``, unchecked(fields));
    };

    /** The fields set on `record` in `fn` after its previous save and before `save` (the last value of each). */
    const fieldsSetOn = (record: ts.VariableDeclaration, fn: ts.FunctionLikeDeclaration, save: ts.CallExpression): { field: string; value: ts.Expression }[] => {
      const name = (record.name as ts.Identifier).text;
      const isRecord = (e: ts.Expression | undefined): boolean => {
        const u = e && unwrap(e);
        return !!u && ts.isIdentifier(u) && u.text === name && ctx.taint.scopes.resolve(u) === record;
      };
      const end = save.getStart(ctx.sourceFile);
      let start = record.getEnd();
      const set = new Map<string, ts.Expression>();
      const sets: { pos: number; field: string; value: ts.Expression }[] = [];
      const visit = (n: ts.Node): void => {
        if (n.pos >= end) return;
        if (n !== fn && isFunctionLike(n)) return;
        if (ts.isCallExpression(n) && n !== save && n.getStart(ctx.sourceFile) > start && calleeName(n) === 'save' &&
            (isRecord(calleeObject(n)) || n.arguments.some((a) => isRecord(a)))) start = n.getEnd();
        if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
          const field = fieldPath(n.left);
          if (field) sets.push({ pos: n.getStart(ctx.sourceFile), field, value: n.right });
        } else if (ts.isCallExpression(n)) {
          const cn = calleeName(n);
          if (cn === 'set' && isRecord(calleeObject(n))) {
            const [k, v] = n.arguments;
            const key = k && literalText(unwrap(k));
            if (key !== undefined && v) sets.push({ pos: n.getStart(ctx.sourceFile), field: key, value: v });
            else if (k && ts.isObjectLiteralExpression(unwrap(k))) for (const f of fieldsOf(unwrap(k) as ts.ObjectLiteralExpression) ?? []) sets.push({ pos: n.getStart(ctx.sourceFile), ...f });
          } else if (cn === 'assign' && n.arguments.length >= 2 && isRecord(n.arguments[0]) && /^(Object|_)$/.test((memberChain(n.expression) ?? [])[0] ?? '')) {
            for (const a of n.arguments.slice(1)) {
              const o = unwrap(a);
              if (ts.isObjectLiteralExpression(o)) for (const f of fieldsOf(o) ?? []) sets.push({ pos: n.getStart(ctx.sourceFile), ...f });
            }
          }
        }
        ts.forEachChild(n, visit);
      };
      /** `post.title`, `post.meta.title`, `post['title']` on the record → `title`, `meta.title`. */
      const fieldPath = (left: ts.Expression): string | undefined => {
        const parts: string[] = [];
        let e = unwrap(left);
        for (let i = 0; i < 4 && (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)); i++) {
          const k = ts.isPropertyAccessExpression(e) ? e.name.text : literalText(unwrap(e.argumentExpression));
          if (k === undefined) return undefined;
          parts.unshift(k);
          e = unwrap(e.expression);
        }
        return parts.length && isRecord(e) ? parts.join('.') : undefined;
      };
      if (fn.body) visit(fn.body);
      for (const s of sets) if (s.pos > start) set.set(s.field, s.value);
      return [...set].map(([field, value]) => ({ field, value }));
    };

    /** `post.update({ title: req.body.title })` (a Sequelize instance), `doc.updateOne({ $set: { … } })` (a Mongoose document). */
    const onInstanceUpdate = (call: ts.CallExpression | ts.NewExpression) => {
      if (!ts.isCallExpression(call) || call.arguments.length < 1 || call.arguments.length > 2) return;
      if (!recordVar(calleeObject(call))) return;
      const values: { field: string; value: ts.Expression }[] = [];
      for (const p of objectsOf(ctx, call.arguments[0])) {
        const f = fieldsOf(p);
        if (!f) return;
        values.push(...f);
      }
      if (values.length) report(call.expression, `\`${short(call.expression.getText(ctx.sourceFile))}\``, unchecked(values));
    };

    return {
      calls: sameVisitor(CALL_NAMES, (c) => {
        const name = calleeName(c)!;
        if (WRITE_CALLS.has(name)) onWrite(c);
        else if (name === 'save') onSave(c);
        if (RAW_QUERY.has(name) && ts.isCallExpression(c)) onRawQuery(c);
      }),
      // (only in a text that can name a service receiver: mayNameServiceReceiver)
      ...(!ctx.facts.testFile && mayNameServiceReceiver(ctx.text) ? {
        CallExpression(call: ts.CallExpression) {
          const recv = receiverName(call);
          if (recv && SERVICE_RECEIVER.test(recv)) onServiceCall(call);
        },
      } : {}),
      NewExpression(ne) {
        const callee = unwrap(ne.expression);
        if (ne.arguments?.length && !(ts.isIdentifier(callee) && (BUILTIN_CLASSES.test(callee.text) || !/^[A-Z]/.test(callee.text)))) onWrite(ne);
      },
      TaggedTemplateExpression(tt) {
        // sql`INSERT INTO posts (title) VALUES (${title})` (postgres.js, @vercel/postgres, Neon)
        const tag = unwrap(tt.tag);
        if (!ts.isIdentifier(tag) || tag.text !== 'sql' || !ts.isTemplateExpression(tt.template)) return;
        if (!WRITE_SQL.test(tt.template.head.text)) return;
        const sqlSoFar = tt.template.head.text + tt.template.templateSpans.map((s) => ` $ ${s.literal.text}`).join('');
        // values after `WHERE` (or `RETURNING`) filter the rows, they are not written
        let before = tt.template.head.text;
        const values: { field: string; value: ts.Expression }[] = [];
        tt.template.templateSpans.forEach((s, i) => {
          if (!/\b(where|returning)\b/i.test(before)) values.push({ field: columnName(sqlSoFar, i) ?? `\${${short(s.expression.getText(ctx.sourceFile))}}`, value: s.expression });
          before += ` $ ${s.literal.text}`;
        });
        report(tt.tag, '`sql`', unchecked(values));
      },
    };
  },
});

/**
 * knex and Supabase writes after filters: `knex('todos').where({ id }).update({ … })`,
 * `supabase.from('posts').update({ … }).eq('id', id)` is handled by dbWriteOf; this covers the filter-first order.
 */
function chainedTableWrite(ctx: RuleContext, call: ts.CallExpression): { payloads: ts.ObjectLiteralExpression[]; label: string } | undefined {
  const name = calleeName(call);
  if (name !== 'update' && name !== 'insert' && name !== 'upsert') return undefined;
  let r = calleeObject(call) && unwrap(calleeObject(call)!);
  for (let i = 0; i < 8 && r && ts.isCallExpression(r); i++) {
    const inner = calleeName(r);
    const table = r.arguments[0] && ts.isStringLiteralLike(unwrap(r.arguments[0])) ? (unwrap(r.arguments[0]) as ts.StringLiteral).text : undefined;
    if (table && (inner === 'knex' || inner === 'db' || inner === 'trx' || inner === 'table' || inner === 'into' || inner === 'from')) {
      const o = resolveObject(ctx, call.arguments[0]);
      return o ? { payloads: [o], label: `${inner}('${table}')….${name}` } : undefined;
    }
    if (!inner || !/^(where\w*|andWhere|orWhere|whereIn|whereNot|eq|neq|match|filter|returning|select|limit|orderBy|onConflict|merge|ignore|transacting)$/.test(inner)) return undefined;
    const next = calleeObject(r);
    r = next && unwrap(next);
  }
  return undefined;
}

/**
 * `req.body.title` → `req.body`, `(await request.json()).title` → `await request.json()`, `String(req.body.bio).trim()`
 * → `req.body`: the request object a value was read from, as the reader knows it (the label itself when none is named).
 */
function readFrom(label: string): string {
  const m = /\.(body|query|searchParams)\b|\.(json|formData)\(\)/.exec(label);
  if (!m) return label;
  let start = m.index;
  while (start > 0 && /[\w$.]/.test(label[start - 1])) start--;
  // `await request.json()`: keep the `await` the code has
  return (/\bawait\s+$/.test(label.slice(0, start)) ? 'await ' : '') + label.slice(start, m.index + m[0].length);
}

/** `req.body.title`, `req.body.content` → `req.body`: the object the fields were read from, when they share one. */
function commonPrefix(labels: string[]): string | undefined {
  const parts = labels.map((l) => l.split('.'));
  const out: string[] = [];
  for (let i = 0; parts.every((p) => p.length > i + 1 && p[i] === parts[0][i]); i++) out.push(parts[0][i]);
  return out.length >= 2 ? out.join('.') : undefined;
}

function owningParam(b: ts.BindingElement): ts.ParameterDeclaration | undefined {
  let n: ts.Node = b;
  while (n && (ts.isBindingElement(n) || ts.isObjectBindingPattern(n) || ts.isArrayBindingPattern(n))) n = n.parent;
  return n && ts.isParameter(n) ? n : undefined;
}

/** The SQL text of a query argument: a literal, or a `const` that holds one. */
function sqlText(ctx: RuleContext, e: ts.Expression): string | undefined {
  const u = unwrap(e);
  const lit = literalText(u);
  if (lit !== undefined) return lit;
  if (ts.isTemplateExpression(u)) return u.head.text;
  if (ts.isIdentifier(u)) {
    const b = ctx.taint.scopes.resolve(u);
    if (b && ts.isVariableDeclaration(b) && b.initializer && (b.parent.flags & ts.NodeFlags.Const)) return sqlText(ctx, b.initializer);
  }
  if (ts.isCallExpression(u) && calleeName(u) === 'prepare' && u.arguments[0]) return sqlText(ctx, u.arguments[0]);
  return undefined;
}

/**
 * The parameters a write stores (not those of its `WHERE`): for an `UPDATE`, the `$n`/`?` placeholders of the `SET`
 * list, with their columns; for an `INSERT`, every parameter, with the listed columns.
 */
function writtenParams(sql: string, count: number): { index: number; column?: string }[] {
  const all = Array.from({ length: count }, (_, i) => ({ index: i, column: columnName(sql, i) }));
  if (!/^\s*update\b/i.test(sql)) return all;
  const clause = setClause(sql);
  if (!clause) return all;
  const out: { index: number; column?: string }[] = [];
  const parts = clause.text.split(',');
  if (clause.text.includes('$')) {
    for (const part of parts) {
      const eq = part.indexOf('=');
      if (eq < 0) continue;
      const column = part.slice(0, eq).trim().replace(/["`]/g, '') || undefined;
      for (const m of part.slice(eq).matchAll(/\$(\d+)/g)) out.push({ index: Number(m[1]) - 1, column });
    }
    return out.filter((o) => o.index >= 0 && o.index < count);
  }
  if (clause.text.includes('?')) {
    let i = (sql.slice(0, clause.start).match(/\?/g) ?? []).length;
    for (const part of parts) {
      const n = (part.match(/\?/g) ?? []).length;
      for (let k = 0; k < n; k++) out.push({ index: i++, column: part.split('=')[0]?.trim().replace(/["`]/g, '') || undefined });
    }
    return out.filter((o) => o.index < count);
  }
  return all;
}

/** The `SET` list of an `UPDATE` (up to `WHERE`, `RETURNING` or `FROM`), and where it starts. */
function setClause(sql: string): { text: string; start: number } | undefined {
  const set = /\bset\b/i.exec(sql);
  if (!set) return undefined;
  const start = set.index + 3;
  const end = /\b(where|returning|from)\b/i.exec(sql.slice(start));
  return { text: sql.slice(start, end ? start + end.index : undefined), start };
}

/** `INSERT INTO posts (title, body) VALUES (…)` → the i-th column name, when the statement lists them. */
function columnName(sql: string, i: number): string | undefined {
  const m = /^\s*insert\s+into\s+[\w."`]+\s*\(([^)]*)\)/i.exec(sql);
  if (m) return m[1].split(',')[i]?.trim().replace(/["`]/g, '') || undefined;
  const sets = setClause(sql)?.text;
  if (sets) return sets.split(',')[i]?.split('=')[0]?.trim().replace(/["`]/g, '') || undefined;
  return undefined;
}
