import { ts } from 'ts-morph';
import type { FileFacts } from '../facts';
import { calleeName, calleeObject, rootIdentifier, unwrap } from './ast';

export type SqlDriver = 'pg' | 'mysql' | 'sqlite' | 'knex' | 'sequelize' | 'prisma' | 'drizzle' | 'postgres' | 'unknown';

/** The SQL drivers and query builders by module name (the project model adds the Mongo ones). */
export const DRIVER_MODULES: readonly [RegExp, Exclude<SqlDriver, 'unknown'>][] = [
  [/^(pg|pg-pool|@neondatabase\/serverless|@vercel\/postgres)$/, 'pg'],
  [/^(mysql|mysql2|mysql2\/promise|@planetscale\/database|mariadb)$/, 'mysql'],
  [/^(sqlite3|better-sqlite3|sqlite|bun:sqlite|@libsql\/client|node:sqlite)$/, 'sqlite'],
  [/^knex$/, 'knex'],
  [/^(sequelize|@sequelize\/core)$/, 'sequelize'],
  [/^(@prisma\/client|\.prisma\/client)$/, 'prisma'],
  [/^drizzle-orm(\/.*)?$/, 'drizzle'],
  [/^postgres$/, 'postgres'],
];

/** Which SQL library a query call most likely goes to, from the file's imports and the call's shape. */
export function detectDriver(call: ts.CallExpression, facts: FileFacts): SqlDriver {
  const name = calleeName(call) ?? '';
  if (name === '$queryRawUnsafe' || name === '$executeRawUnsafe') return 'prisma';
  const root = rootIdentifier(call.expression);
  if (root) {
    const mod = facts.imports.get(root.text)?.module;
    if (mod) for (const [re, d] of DRIVER_MODULES) if (re.test(mod)) return d;
    if (/^prisma$/i.test(root.text)) return 'prisma';
    if (/^(knex|trx)$/i.test(root.text)) return 'knex';
    if (/^sequelize$/i.test(root.text)) return 'sequelize';
  }
  const found = new Set<SqlDriver>();
  for (const m of facts.modules) for (const [re, d] of DRIVER_MODULES) if (re.test(m)) found.add(d);
  const order: SqlDriver[] = ['pg', 'mysql', 'sqlite', 'postgres', 'knex', 'sequelize', 'drizzle', 'prisma'];
  if (name === 'raw' && found.has('knex')) return 'knex';
  if (name === 'query' && found.has('sequelize') && !found.has('pg') && !found.has('mysql')) return 'sequelize';
  for (const d of order) if (found.has(d) && d !== 'prisma' && d !== 'drizzle' && d !== 'knex' && d !== 'sequelize') return d;
  for (const d of order) if (found.has(d)) return d;
  return 'unknown';
}

/** How to pass values safely with this driver, in one short clause for messages. */
export function parameterHint(driver: SqlDriver): string {
  switch (driver) {
    case 'pg': return "pass values separately: `pool.query('SELECT … WHERE id = $1', [id])`";
    case 'postgres': return 'use the tagged template form sql`…` so that every ${value} is sent as a bound parameter';
    case 'mysql': return "pass values separately: `connection.execute('SELECT … WHERE id = ?', [id])`";
    case 'sqlite': return "pass values separately: `db.prepare('SELECT … WHERE id = ?').get(id)`";
    case 'knex': return "use bindings: `knex.raw('… WHERE id = ?', [id])`, or the query builder (`.where({ id })`)";
    case 'sequelize': return "use replacements: `sequelize.query('… WHERE id = :id', { replacements: { id } })`";
    case 'prisma': return 'use the tagged template form prisma.$queryRaw`…` (or $executeRaw`…`), which sends every ${value} as a bound parameter, or the Prisma query API';
    case 'drizzle': return 'use the sql`…` template, which sends every ${value} as a bound parameter, instead of sql.raw()';
    default: return 'pass values as query parameters (placeholders like `$1` or `?` plus a values array) instead of putting them in the SQL text';
  }
}

const SQL_START = /^\s*(?:\(\s*)?(SELECT|INSERT|UPDATE|DELETE|WITH|REPLACE|UPSERT|MERGE|CREATE|DROP|ALTER|TRUNCATE|CALL|EXEC|PRAGMA|GRANT|SHOW|DESCRIBE)\b/i;
const SQL_BODY = /\b(INSERT\s+INTO|DELETE\s+FROM|WHERE\b|ORDER\s+BY|VALUES\s*\()/i;

/** `SELECT … FROM` / `UPDATE … SET` anywhere: the first keyword, then the second after it (one regex is quadratic). */
function keywordThen(text: string, first: RegExp, second: RegExp): boolean {
  const m = first.exec(text);
  return !!m && second.test(text.slice(m.index + m[0].length));
}

/** Whether a string looks like SQL (so `.query(…)` is a database call, not a search or GraphQL query). */
export function looksLikeSql(text: string): boolean {
  return SQL_START.test(text) || SQL_BODY.test(text) || keywordThen(text, /\bSELECT\b/i, /\bFROM/i) || keywordThen(text, /\bUPDATE\b/i, /\bSET/i);
}

/** Identifier positions: after these keywords a value cannot be a bound parameter. */
export const SQL_IDENTIFIER_CONTEXT = /(ORDER\s+BY|GROUP\s+BY|FROM|JOIN|INTO|UPDATE|TABLE|ASC|DESC|SELECT|,)\s*(?:["`[]\s*)?$/i;

export function isSqlReceiver(call: ts.CallExpression): boolean {
  const recv = calleeObject(call);
  if (!recv) return false;
  const r = unwrap(recv);
  return !(ts.isIdentifier(r) && /^(req|request|res|response|router|app|url|location|qs|querystring|\$)$/.test(r.text));
}
