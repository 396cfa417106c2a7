import { ts } from 'ts-morph';
import { ALL_LANGUAGES, defineRule, sameVisitor } from '../../model/rule';
import type { Confidence } from '../../model/types';
import { calleeName, calleeObject, enclosingFunction, getPropertyValue, isFunctionLike, memberChain, propertyNameText, unwrap } from '../../util/ast';
import { bindingPath } from '../../taint/scope';
import { openApiBodyCheck } from '../../util/validation';

/** Fields a client must never choose; excluding one of them from a rest pattern shows the author thought about it. */
const PRIVILEGED = /^(role|roles|isAdmin|admin|is_admin|permissions|permission|balance|credits|ownerId|owner|owner_id|userId|user_id|authorId|author_id|organizationId|orgId|org_id|tenantId|tenant_id|plan|tier|verified|isVerified|emailVerified|status|password|passwordHash|id|_id)$/;
/** Methods whose first argument is the whole record. */
const DATA_ARG0 = new Set(['create', 'build', 'bulkCreate', 'insertMany', 'insertOne', 'insert', 'upsert', 'save', 'values', 'createMany']);
/** Methods whose second argument is the update document. */
const DATA_ARG1 = new Set(['findByIdAndUpdate', 'findOneAndUpdate', 'updateOne', 'updateMany', 'replaceOne', 'findOneAndReplace', 'merge']);
/** The callees the rule looks at, once for all files. */
const CALL_NAMES = [...new Set([...DATA_ARG0, ...DATA_ARG1, 'update', 'set', 'upsert', 'createMany', 'updateMany', 'createManyAndReturn', 'updateManyAndReturn', 'assign', 'merge', 'extend'])];
/** Receivers that are never databases. */
const NOT_DB = /^(stripe|openai|anthropic|axios|resend|sendgrid|sgMail|twilio|res|response|reply|Object|Array|JSON|Promise|console|document|window|URL|crypto|cache|redis|queue|headers|params|searchParams|cookies|cookieStore|map|Map|Set|form|formData|url|history|router|app|logger|log|state|store|zip|archive|s3|storage|bucket|fs)$/i;
/** Nested request fields that hold a record (`req.body.user`, `const { data } = await request.json()`), not a scalar (`req.body.id`). */
const OBJECT_FIELD = /^(data|payload|input|inputs|attributes|attrs|fields|values|updates|update|changes|patch|props|body|settings|preferences|prefs|profile|user|account|record|item|entity|doc|document|model|object|obj|form|details|info|meta|metadata|config|options)$/i;
/** Untyped parameters whose names say they are single values. */
const SCALAR_NAME = /(^id$|Id$|_id$|^(name|title|email|slug|text|content|query|q|search|page|limit|url|path|password|token|code|status|count|amount|price|date|locale|lang)$)/i;
const BUILTIN_CLASSES = /^(ObjectId|Decimal|BigNumber|Big|Money|Dinero|DateTime|Temporal\w*|Types|Error|\w+Error|Date|URL|URLSearchParams|Map|Set|WeakMap|WeakSet|Response|NextResponse|Request|Headers|FormData|Promise|Blob|File|Buffer|RegExp|Array|Object|Proxy|Event|CustomEvent|Worker|Intl\.\w+|AbortController|TextEncoder|TextDecoder|Uint8Array|ReadableStream|WritableStream)$/;

/** `service.createMany`, `this.usersService.update`, `itemsManager.create`: an app's own service layer, not a database client. */
const SERVICE_RECEIVER = /(service|services|svc|manager|controller|handler|usecase|interactor)$/i;
function isServiceCall(call: ts.CallExpression | ts.NewExpression): boolean {
  const recv = ts.isCallExpression(call) ? calleeObject(call) : undefined;
  if (recv && unwrap(recv).kind === ts.SyntaxKind.ThisKeyword) return ownMethodCall(call as ts.CallExpression);
  const chain = recv ? memberChain(recv) : undefined;
  return !!chain && chain.length > 0 && SERVICE_RECEIVER.test(chain[chain.length - 1]);
}

/** `this.update(id, req.body)` where the class declares its own `update`: the app's own code, like a service's. */
function ownMethodCall(call: ts.CallExpression): boolean {
  const name = calleeName(call);
  let c: ts.Node | undefined = call.parent;
  while (c && !ts.isClassLike(c)) c = c.parent;
  return !!c && !!name && (c as ts.ClassLikeDeclaration).members.some((m) =>
    (ts.isMethodDeclaration(m) || ts.isPropertyDeclaration(m)) && m.name && propertyNameText(m.name) === name);
}

interface Source {
  /** where client data enters (for the related location) */
  node: ts.Node;
  /** short text: `req.body`, `await request.json()`, `server action argument` */
  label: string;
  /** a `...rest` that removed some fields, none of them privileged */
  rest?: string[];
  /** the local variable the data went through (`body`) */
  via?: string;
}

export default defineRule({
  meta: {
    id: 'mass-assignment',
    title: 'Request body written to the database without picking fields',
    category: 'data',
    severity: 'error',
    confidence: 'high',
    cwe: [915],
    owasp: 'A08:2021 Software and Data Integrity Failures',
    description: 'Finds whole request bodies (or whole server-action arguments) passed to create/update calls: `User.create(req.body)`, `new User(req.body)`, `Model.update(req.body, …)`, `findByIdAndUpdate(id, req.body)`, `Object.assign(user, req.body)` before `save()`, `{ ...user, ...req.body }`, Prisma `create({ data: body })`, Supabase `.insert(body)`/`.update(body)`, Drizzle `.values(body)`/`.set(body)`, knex `.insert(body)`. Bodies parsed by a schema (`schema.parse(req.body)`), picked with `pick`, or built field by field are not reported.',
    notReported: 'Bodies parsed by a schema (`schema.parse(req.body)`), picked field by field or with `pick`, and bodies handed to the app\'s own service layer (`usersService.update(id, req.body)`, or a method the class itself declares: `this.update(id, req.body)`), which often checks fields itself: those are low confidence until Shipsafe follows the call. Fields picked from the body but never checked (`{ title: req.body.title }` with no schema) are reported by `unvalidated-input-to-database`; this rule owns whole bodies, so one write is never reported by both. Not reported: the handler of an express-openapi-validator operation (`x-eov-operation-handler` in the project\'s OpenAPI spec) whose request body schema has `additionalProperties: false`, since the validator refuses any field the spec does not name.',
    why: 'The client decides which keys a JSON body has. If the body goes to the database unfiltered, anyone can add fields the form never showed, like `"role": "admin"`, `"isAdmin": true`, `"balance": 99999` or another user\'s `ownerId`, and the database stores them.',
    fix: 'Copy only the fields the user may change (`{ name: body.name, bio: body.bio }`), or validate with a schema that drops unknown keys (`const data = UpdateProfile.parse(body)` with zod, which strips unknown keys by default) and pass the parsed result. Set ownership fields such as `userId` from the session, never from the body.',
    bad: `app.post('/api/users', async (req, res) => {
  const user = await User.create(req.body);
  res.status(201).json(user);
});`,
    good: `app.post('/api/users', async (req, res) => {
  const { name, email } = req.body;
  const user = await User.create({ name, email });
  res.status(201).json(user);
});`,
    fixSafety: 'none',
    languages: ALL_LANGUAGES,
    defaultEnabled: true,
    tags: ['validation', 'database', 'authorization'],
  },
  create(ctx) {
    /** The model the current sink writes (`Team.findByIdAndUpdate` → 'team'): `req.body.team` is then a record too. */
    let model = '';
    const isObjectField = (k: string) => OBJECT_FIELD.test(k) || (!!model && k.toLowerCase() === model);
    const modelOf = (callee: ts.Expression) => {
      const chain = memberChain(callee) ?? [];
      const named = chain.slice(0, -1).reverse().find((c) => /^[A-Za-z]\w*$/.test(c) && !/^(prisma|db|tx|this|models|ctx|client|supabase|knex|trx)$/.test(c));
      return (named ?? '').toLowerCase().replace(/(model|repository|repo)$/, '');
    };

    /** Whether `expr` is a whole client-controlled object (not fields picked from it). */
    const whole = (expr: ts.Expression, depth: number): Source | undefined => {
      if (depth > 8) return undefined;
      const e = unwrap(expr);
      if (ts.isAwaitExpression(e)) return whole(e.expression, depth + 1);
      if (ts.isObjectLiteralExpression(e)) {
        for (const p of e.properties) {
          if (ts.isSpreadAssignment(p)) {
            const s = whole(p.expression, depth + 1);
            if (s) return s;
          }
        }
        return undefined;
      }
      if (ts.isCallExpression(e)) {
        const name = calleeName(e);
        const recv = calleeObject(e);
        if (recv && name && ['json', 'formData', 'parseBody'].includes(name) && ctx.taint.requestKind(recv) === 'http') {
          return { node: e, label: short(e.getText(ctx.sourceFile)) };
        }
        const chain = memberChain(e.expression)?.join('.') ?? name;
        if (chain && ['Object.fromEntries', 'Object.assign', 'structuredClone', 'JSON.parse', 'JSON.stringify', '_.clone', '_.cloneDeep', 'cloneDeep', 'clone', '_.merge', 'merge', '_.assign', '_.extend', 'Object.entries'].includes(chain)) {
          for (const a of e.arguments) {
            const s = whole(a, depth + 1);
            if (s) return s;
          }
        }
        return undefined;
      }
      if (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) {
        const prop = ts.isPropertyAccessExpression(e) ? e.name.text : propertyNameText(e.argumentExpression as ts.PropertyName);
        if (!prop) return undefined;
        if ((prop === 'body' || prop === 'query') && ctx.taint.requestKind(e.expression) === 'http') return { node: e, label: short(e.getText(ctx.sourceFile)) };
        // a nested object of the body: `req.body.user` (not a scalar like `req.body.id`)
        if (!isObjectField(prop)) return undefined;
        const base = whole(e.expression, depth + 1);
        return base && !base.rest ? { node: base.node, label: short(e.getText(ctx.sourceFile)) } : undefined;
      }
      if (ts.isIdentifier(e)) {
        const b = ctx.taint.scopes.resolve(e);
        if (!b) return undefined;
        if (ts.isParameter(b)) {
          const fn = b.parent;
          if (!isFunctionLike(fn)) return undefined;
          if (ctx.taint.isServerAction(fn)) {
            const t = b.type?.getText(ctx.sourceFile) ?? '';
            if (/^(string|number|boolean|bigint)(\s*\|\s*(undefined|null))*$/.test(t)) return undefined;
            if (!t && ts.isIdentifier(b.name) && SCALAR_NAME.test(b.name.text)) return undefined;
            return { node: b, label: 'a server action argument' };
          }
          // request.json().then((body) => …)
          const call = fn.parent;
          if (call && ts.isCallExpression(call) && calleeName(call) === 'then' && calleeObject(call) && fn.parameters[0] === b) return whole(calleeObject(call)!, depth + 1);
          return undefined;
        }
        if (ts.isVariableDeclaration(b)) {
          if (!b.initializer || !ts.isIdentifier(b.name)) return undefined;
          const s = whole(b.initializer, depth + 1);
          if (!s) return undefined;
          // `delete updates.role` before the write: privileged fields removed on purpose
          let scope: ts.Node = b;
          while (scope.parent && !ts.isBlock(scope) && !ts.isSourceFile(scope)) scope = scope.parent;
          const deleted = [...scope.getText(ctx.sourceFile).matchAll(new RegExp(`\\bdelete\\s+${e.text.replace(/\$/g, '\\$')}\\s*(?:\\.\\s*(\\w+)|\\[\\s*['"](\\w+)['"]\\s*\\])`, 'g'))].map((m) => m[1] ?? m[2]);
          if (deleted.some((n) => PRIVILEGED.test(n) && n !== 'id' && n !== '_id')) return undefined;
          return { ...s, via: s.via ?? e.text, rest: deleted.length ? [...(s.rest ?? []), ...deleted] : s.rest };
        }
        if (ts.isBindingElement(b)) {
          const { path, root } = bindingPath(b);
          if (!root) return undefined;
          if (b.dotDotDotToken) {
            // const { role, ...data } = req.body
            const siblings = (b.parent as ts.ObjectBindingPattern).elements.filter((x) => x !== b)
              .map((x) => (x.propertyName ? propertyNameText(x.propertyName) : ts.isIdentifier(x.name) ? x.name.text : undefined) ?? '');
            if (siblings.some((n) => PRIVILEGED.test(n) && n !== 'id' && n !== '_id')) return undefined;
            const src = restSource(root, path.slice(0, -1), depth);
            return src && { ...src, rest: siblings, via: ts.isIdentifier(b.name) ? b.name.text : undefined };
          }
          const src = restSource(root, path, depth);
          return src && { ...src, via: src.via ?? (ts.isIdentifier(b.name) ? b.name.text : undefined) };
        }
        return undefined;
      }
      return undefined;
    };

    /** The object a destructuring path points into: `const { body } = req`, `const { data } = await request.json()`. */
    const restSource = (root: ts.VariableDeclaration | ts.ParameterDeclaration, path: (string | number)[], depth: number): Source | undefined => {
      if (ts.isParameter(root)) {
        const fn = root.parent;
        if (isFunctionLike(fn) && ctx.taint.isServerAction(fn)) {
          return path.every((k) => typeof k === 'string' && isObjectField(k)) ? { node: root, label: 'a server action argument' } : undefined;
        }
        if (ctx.taint.requestKind(root.name as ts.Identifier) === 'http' && (path[0] === 'body' || path[0] === 'query')) return { node: root, label: String(path[0]) };
        return undefined;
      }
      if (!root.initializer) return undefined;
      const init = unwrap(root.initializer);
      // `const { id } = req.body` is a scalar; `const { data } = await request.json()` a record
      const inner = path.slice(ctx.taint.requestKind(init) === 'http' ? 1 : 0);
      if (inner.some((k) => typeof k !== 'string' || !isObjectField(k))) return undefined;
      if (path.length >= 1 && (path[0] === 'body' || path[0] === 'query') && ctx.taint.requestKind(init) === 'http') return { node: init, label: `${init.getText(ctx.sourceFile)}.${path[0]}` };
      const s = whole(init, depth + 1);
      return s ? { ...s } : undefined;
    };

    const short = (t: string) => { const s = t.replace(/\s+/g, ' '); return s.length > 40 ? s.slice(0, 37) + '…' : s; };

    const report = (dataArg: ts.Expression, src: Source, what: string, extraNote = '') => {
      // an operation handler of express-openapi-validator whose OpenAPI body schema refuses unknown fields: the
      // validator turns a body with a field the spec does not name away before the handler runs
      if (openApiBodyCheck(ctx.project, ctx.path, dataArg) === 'closed') return;
      let confidence: Confidence = ctx.facts.testFile ? 'low' : src.rest ? 'medium' : 'high';
      // `usersService.updateOne(id, req.body)`: a service layer often checks fields and permissions itself;
      // until Shipsafe follows the call into it, this stays a hidden note
      const call = dataArg.parent;
      if ((ts.isCallExpression(call) || ts.isNewExpression(call)) && isServiceCall(call)) confidence = 'low';
      const removed = src.rest && src.rest.length ? `, with only \`${src.rest.join('`, `')}\` removed,` : '';
      const base = src.label.startsWith('a server action') ? src.label : `\`${src.label}\``;
      const shown = src.via && src.via !== src.label ? `\`${src.via}\` (${base})` : base;
      ctx.report({
        node: dataArg,
        confidence,
        message: `${what} stores ${shown}${removed} as is, so a client can set any field, including ones like \`role\`, \`isAdmin\`, \`balance\` or \`ownerId\`${extraNote}. Copy only the fields users may change (\`{ name: body.name }\`) or pass the result of a schema that drops unknown keys (\`schema.parse(body)\`).`,
        related: [{ node: src.node, message: 'Client-controlled data enters here.' }],
      });
    };

    /** Check one data argument (following `{ $set: … }`). */
    const checkData = (arg: ts.Expression | undefined, what: string) => {
      if (!arg) return;
      const a = unwrap(arg);
      if (ts.isObjectLiteralExpression(a)) {
        const set = getPropertyValue(a, '$set') ?? getPropertyValue(a, '$setOnInsert');
        if (set) { checkData(set, what); return; }
      }
      const src = whole(a, 0);
      if (src) report(arg, src, what);
    };

    const receiverOk = (call: ts.CallExpression): boolean => {
      const recv = calleeObject(call);
      if (!recv) return false;
      const chain = memberChain(recv);
      if (chain && NOT_DB.test(chain[0].replace(/\(\)$/, ''))) return false;
      if (chain && chain.length === 1 && NOT_DB.test(chain[0])) return false;
      return true;
    };

    const calleeText = (n: ts.Expression) => short(n.getText(ctx.sourceFile));

    const onCall = (node: ts.CallExpression | ts.NewExpression) => {
        if (!ts.isCallExpression(node)) return;
        const call = node;
        const name = calleeName(call);
        if (!name) return;
        const first = call.arguments[0] && unwrap(call.arguments[0]);

        // Prisma: prisma.user.create({ data: body }), upsert({ create: body, update: body })
        if (first && ts.isObjectLiteralExpression(first) && /^(create|update|upsert|createMany|updateMany|createManyAndReturn|updateManyAndReturn)$/.test(name) && receiverOk(call)) {
          const what = `\`${calleeText(call.expression)}\``;
          for (const key of ['data', 'create', 'update']) {
            const v = getPropertyValue(first, key);
            if (v) checkData(v, what);
          }
          if (getPropertyValue(first, 'data') || getPropertyValue(first, 'where')) return;
        }

        // Object.assign(user, req.body) / _.merge(user, req.body) followed by a save
        const chain = memberChain(call.expression)?.join('.');
        if (chain && ['Object.assign', '_.assign', '_.merge', '_.extend', 'merge'].includes(chain) && call.arguments.length >= 2) {
          const target = unwrap(call.arguments[0]);
          if (ts.isObjectLiteralExpression(target)) return; // a fresh copy; its use is checked where it is stored
          const fn = enclosingFunction(call);
          if (!fn || !/\.(save|update|updateOne|persist|flush|commit)\s*\(/.test(fn.getText(ctx.sourceFile))) return;
          for (const a of call.arguments.slice(1)) {
            const src = whole(a, 0);
            if (src) { report(a, src, `\`${chain}(${short(target.getText(ctx.sourceFile))}, …)\` before saving`); return; }
          }
          return;
        }

        if (!receiverOk(call)) return;
        const what = `\`${calleeText(call.expression)}\``;
        if (DATA_ARG0.has(name)) {
          // `.values()` only on a Drizzle insert builder; `.save()`/`.insert()` only with one data argument
          if (name === 'values' && !(ts.isCallExpression(unwrap(calleeObject(call)!)) && calleeName(unwrap(calleeObject(call)!) as ts.CallExpression) === 'insert')) return;
          checkData(call.arguments[0], what);
          return;
        }
        if (DATA_ARG1.has(name)) {
          checkData(call.arguments[1], what);
          return;
        }
        if (name === 'update' || name === 'set') {
          if (name === 'set' && call.arguments.length !== 1) return;
          const second = call.arguments[1] && unwrap(call.arguments[1]);
          // Sequelize Model.update(values, { where }), instance.update(values), knex/Supabase .update(values), Drizzle .set(values)
          if (!second || (ts.isObjectLiteralExpression(second) && (getPropertyValue(second, 'where') || getPropertyValue(second, 'returning') || getPropertyValue(second, 'fields')))) {
            checkData(call.arguments[0], what);
          } else {
            // Mongoose Model.update(filter, doc)
            checkData(call.arguments[1], what);
          }
        }
    };
    const onNamed = (node: ts.CallExpression | ts.NewExpression) => { model = modelOf(node.expression); onCall(node); };
    return {
      calls: sameVisitor(CALL_NAMES, onNamed),
      NewExpression(ne) {
        // new User(req.body) — a Mongoose/ORM model
        const callee = unwrap(ne.expression);
        if (!ts.isIdentifier(callee) || !/^[A-Z]/.test(callee.text) || BUILTIN_CLASSES.test(callee.text) || !ne.arguments?.[0]) return;
        model = callee.text.toLowerCase();
        const a = unwrap(ne.arguments[0]);
        const src = whole(a, 0);
        if (src) report(ne.arguments[0], src, `\`new ${callee.text}(…)\``);
      },
    };
  },
});
