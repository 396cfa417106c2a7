import { ts } from 'ts-morph';
import type { RuleContext } from '../model/rule';
import { calleeName, calleeObject, getPropertyValue, memberChain, nameWords, unwrap } from './ast';
import { resolveObject } from './resolve-values';

/**
 * How a record reaches the database, by the API's shape. `model`: Mongoose or Sequelize model calls
 * (`User.create`, `new User({…})`), whose schema hooks may change values on the way and usually live in another
 * file; the others write what they are given.
 */
export type DbWriteKind = 'prisma' | 'supabase' | 'mongo-collection' | 'drizzle' | 'knex' | 'model';

export interface DbWrite {
  kind: DbWriteKind;
  /** the object literals written (record fields; for `$set`-style updates, the `$set` object) */
  payloads: ts.ObjectLiteralExpression[];
  /** a short label of the target (`prisma.user.create`, `User.create`) */
  label: string;
  /** the model or table name when the code names it (`user`, `User`, `users`) */
  model?: string;
}

const PRISMA_WRITES = new Set(['create', 'update', 'upsert', 'createMany', 'updateMany', 'createManyAndReturn']);
const MODEL_WRITES = new Set(['create', 'insertMany', 'bulkCreate', 'findByIdAndUpdate', 'findOneAndUpdate', 'updateOne', 'updateMany', 'update', 'upsert', 'replaceOne']);
const MONGO_WRITES = new Set(['insertOne', 'insertMany', 'updateOne', 'updateMany', 'replaceOne', 'findOneAndUpdate', 'findOneAndReplace']);
/** Every callee name of a call (not a `new`) that dbWriteOf can find a write in: it answers undefined for any other. */
export const DB_WRITE_CALLS: readonly string[] = [...PRISMA_WRITES, 'insert', 'upsert', 'update', 'values', 'set', ...MONGO_WRITES, ...MODEL_WRITES];

/** Object literals of an argument: the object itself, each object of an array, `$set`/`$setOnInsert` objects. */
export function objectsOf(ctx: RuleContext, expr: ts.Expression | undefined): ts.ObjectLiteralExpression[] {
  if (!expr) return [];
  const e = unwrap(expr);
  if (ts.isArrayLiteralExpression(e)) return e.elements.flatMap((x) => objectsOf(ctx, x));
  const o = resolveObject(ctx, e);
  if (!o) return [];
  const out: ts.ObjectLiteralExpression[] = [];
  let hasOperator = false;
  for (const p of o.properties) {
    const n = p.name && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) ? p.name.text : undefined;
    if (n && n.startsWith('$')) {
      hasOperator = true;
      if ((n === '$set' || n === '$setOnInsert') && ts.isPropertyAssignment(p)) out.push(...objectsOf(ctx, p.initializer));
    }
  }
  if (!hasOperator) out.push(o);
  return out;
}

/** A capitalised identifier used like a model class (`User`, `Customer`). */
function modelName(expr: ts.Expression | undefined): string | undefined {
  if (!expr) return undefined;
  const e = unwrap(expr);
  if (ts.isIdentifier(e) && /^[A-Z][A-Za-z0-9]*$/.test(e.text) && !/^(Object|Array|JSON|Promise|Math|Date|Reflect|Number|String|Map|Set|Buffer|URL)$/.test(e.text)) return e.text;
  // `models.User.create`, `db.User.create` (Sequelize's generated index)
  if (ts.isPropertyAccessExpression(e) && /^[A-Z][A-Za-z0-9]*$/.test(e.name.text)) return e.name.text;
  return undefined;
}

/** The database write a call performs, with the records it writes, when its shape says so. */
export function dbWriteOf(ctx: RuleContext, call: ts.CallExpression | ts.NewExpression): DbWrite | undefined {
  const name = calleeName(call);
  if (!name) return undefined;
  const args = call.arguments ?? ts.factory.createNodeArray<ts.Expression>();
  // new User({ … }) — a Mongoose/Sequelize model instance (saved later)
  if (ts.isNewExpression(call)) {
    const m = modelName(call.expression);
    if (!m || !args.length) return undefined;
    // classes from packages (`new Schema`, `new Pool`, `new Stripe`) are not the app's models
    const mod = ctx.facts.imports.get(m)?.module;
    if ((mod && !mod.startsWith('.') && !mod.startsWith('@/') && !mod.startsWith('~/')) || /(Schema|Error|Response|Request|Headers|Client|Pool|Server|Event|Map|Set)$/.test(m)) return undefined;
    const payloads = objectsOf(ctx, args[0]);
    return payloads.length ? { kind: 'model', payloads, label: `new ${m}`, model: m } : undefined;
  }
  const recv = calleeObject(call);
  if (!recv) return undefined;
  const r = unwrap(recv);
  // prisma.user.create({ data: { … } })
  if (PRISMA_WRITES.has(name) && args.length === 1) {
    const o = resolveObject(ctx, args[0]);
    if (o && (getPropertyValue(o, 'data') || getPropertyValue(o, 'create'))) {
      const chain = memberChain(r);
      const payloads = [...objectsOf(ctx, getPropertyValue(o, 'data')), ...objectsOf(ctx, getPropertyValue(o, 'create')), ...objectsOf(ctx, getPropertyValue(o, 'update'))];
      if (payloads.length) return { kind: 'prisma', payloads, label: `${chain ? chain.join('.') : '…'}.${name}`, model: chain?.[chain.length - 1] };
    }
  }
  // supabase.from('users').insert({ … }) / knex('users').insert({ … })
  if ((name === 'insert' || name === 'upsert' || name === 'update') && args.length >= 1 && ts.isCallExpression(r)) {
    const inner = calleeName(r);
    const table = r.arguments[0] && ts.isStringLiteralLike(unwrap(r.arguments[0])) ? (unwrap(r.arguments[0]) as ts.StringLiteral).text : undefined;
    if (inner === 'from' && table) return { kind: 'supabase', payloads: objectsOf(ctx, args[0]), label: `from('${table}').${name}`, model: table };
    if (table && (inner === 'knex' || inner === 'db' || inner === 'table' || inner === 'into')) return { kind: 'knex', payloads: objectsOf(ctx, args[0]), label: `${inner}('${table}').${name}`, model: table };
  }
  // drizzle: db.insert(users).values({ … }) / db.update(users).set({ … })
  if ((name === 'values' || name === 'set') && args.length >= 1 && ts.isCallExpression(r)) {
    const inner = calleeName(r);
    if ((name === 'values' && inner === 'insert') || (name === 'set' && inner === 'update')) {
      const t = r.arguments[0] ? unwrap(r.arguments[0]) : undefined;
      const table = t && ts.isIdentifier(t) ? t.text : undefined;
      return { kind: 'drizzle', payloads: objectsOf(ctx, args[0]), label: `${inner}(${table ?? '…'}).${name}`, model: table };
    }
  }
  // db.collection('users').insertOne({ … }) / users.updateOne(filter, { $set: { … } })
  if (MONGO_WRITES.has(name)) {
    const m = modelName(r);
    const chain = memberChain(r);
    const last = chain?.[chain.length - 1] ?? '';
    const isCollection = /collection\(\)$/.test(last) || (ts.isCallExpression(r) && calleeName(r) === 'collection') ||
      (!m && chain !== undefined && nameWords(last).some((w) => /^(users|accounts|customers|collection|coll|col)$/.test(w)));
    const payloadArg = name.startsWith('insert') ? args[0] : args[1];
    if (isCollection) return { kind: 'mongo-collection', payloads: objectsOf(ctx, payloadArg), label: `${chain ? chain.join('.') : '…'}.${name}` };
    if (m && MODEL_WRITES.has(name)) return { kind: 'model', payloads: objectsOf(ctx, payloadArg), label: `${m}.${name}`, model: m };
  }
  // User.create({ … }) / User.update({ … }, { where }) (Sequelize) / User.findByIdAndUpdate(id, { … })
  if (MODEL_WRITES.has(name)) {
    const m = modelName(r);
    if (!m) return undefined;
    const idx = name === 'create' || name === 'insertMany' || name === 'bulkCreate' || name === 'upsert' || (name === 'update' && args.length === 2 && !!resolveObject(ctx, args[1]) && !!getPropertyValue(resolveObject(ctx, args[1])!, 'where')) ? 0 : 1;
    const payloads = objectsOf(ctx, args[idx]);
    return payloads.length ? { kind: 'model', payloads, label: `${m}.${name}`, model: m } : undefined;
  }
  return undefined;
}

/** A file that defines a model schema itself (Mongoose `new Schema`, Sequelize `define`/`init`), so its hooks would be visible here. */
export function definesModelHere(text: string): boolean {
  return /\bnew\s+(mongoose\.)?Schema\s*\(|\.define\s*\(\s*['"]|\bextends\s+Model\b/.test(text);
}
