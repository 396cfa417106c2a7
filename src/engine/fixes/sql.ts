/**
 * "Parameterize query" for sql-injection findings, per driver:
 *   pg / @vercel/postgres / neon:  '… $1 …' + values array (merged with an existing one)
 *   mysql / mysql2, sqlite3, sqlite, knex .raw/.whereRaw…:  '… ? …' + values / bindings array
 *   better-sqlite3 / node:sqlite prepare(…).get(…):  '… ? …' and the values as arguments of the chained call
 *   @libsql/client execute:  { sql, args }
 *   sequelize.query:  '… ? …' + { replacements: [...] }
 *   Prisma $queryRawUnsafe / $executeRawUnsafe:  tagged $queryRaw`…` / $executeRaw`…` (or Prisma.sql`…` for a query built in a variable)
 *   Drizzle sql.raw(…), postgres.js sql.unsafe(…):  the sql`…` tagged template
 *
 * Values inside quotes lose their quotes ('${name}' → $1); surrounding text inside the same quotes moves into the
 * bound value (LIKE '%${q}%' → $1 with `%${q}%`). Values where a table or column name goes (ORDER BY ${col}),
 * lists (IN (${ids})), fragments (WHERE ${cond}) and anything the scanner is unsure about are never rewritten;
 * for a plain variable in a name position an allowlist check is offered instead.
 */
import { ts } from 'ts-morph';
import type { RuleContext } from '../model/rule';
import type { Fix } from '../model/types';
import type { SqlDriver } from '../util/sql';
import { calleeName, calleeObject, enclosingFunction, getPropertyValue, isFunctionLike, unwrap } from '../util/ast';
import {
  addProperty, EditSet, enclosingStatement, ensureImport, escapeTemplateText, insertLineAbove, isTypeScript, makeFix,
  preferredQuote, quoteString, setProperty,
} from './edits';

type Piece = { kind: 'text'; value: string } | { kind: 'expr'; node: ts.Expression };

/** The static text and the dynamic parts of a query built with a template literal or `+`, or undefined. */
function flatten(expr: ts.Expression, sf: ts.SourceFile): Piece[] | undefined {
  const out: Piece[] = [];
  const walk = (e0: ts.Expression, top: boolean): boolean => {
    const e = unwrap(e0);
    if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) { out.push({ kind: 'text', value: e.text }); return true; }
    if (ts.isTemplateExpression(e)) {
      out.push({ kind: 'text', value: e.head.text });
      for (const s of e.templateSpans) {
        const inner = unwrap(s.expression);
        if (ts.isNumericLiteral(inner)) out.push({ kind: 'text', value: String(Number(inner.text.replace(/_/g, ''))) });
        else out.push({ kind: 'expr', node: s.expression });
        out.push({ kind: 'text', value: s.literal.text });
      }
      return true;
    }
    if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.PlusToken) {
      return walk(e.left, top) && walk(e.right, false);
    }
    if (top) return false; // `a + 'x'`: the leftmost operand must be text, or `+` may add numbers
    if (ts.isNumericLiteral(e)) { out.push({ kind: 'text', value: String(Number(e.text.replace(/_/g, ''))) }); return true; }
    out.push({ kind: 'expr', node: e });
    return true;
  };
  if (!walk(expr, true)) return undefined;
  void sf;
  return out;
}

/** A group of dynamic parts that becomes one bound parameter. */
interface Param {
  /** source text of the value to bind */
  value: string;
  /** where the placeholder goes in the new SQL text */
  at: number;
}

type Analysis =
  | { ok: true; text: string; params: Param[]; existing: number[]; existingPg: number }
  | { ok: false; identifier?: ts.Expression };

const KEYWORD_BEFORE_VALUE = /(=|<|>|<=|>=|<>|!=|\(|\+|-|\*|\/|%|\b(LIKE|ILIKE|LIMIT|OFFSET|THEN|ELSE|WHEN|BETWEEN|AND|INTERVAL))\s*$/i;
/** Aggregates take a column: `count(${col})` is a name, not a value. */
const NAME_CALL_BEFORE = /\b(count|sum|avg|min|max|distinct|array_agg|string_agg|group_concat)\s*\($/i;
const IDENTIFIER_BEFORE = /(ORDER\s+BY|GROUP\s+BY|FROM|JOIN|INTO|UPDATE|TABLE|SELECT|DISTINCT|ON|AS|ASC|DESC|\.|WHERE|SET|HAVING|BY)\s*$/i;

/**
 * Scans the SQL around each dynamic part. Builds the new text with a marker for every parameter; `existing` are
 * the offsets of `?` placeholders already in the text, `existingPg` the highest `$n` already used.
 */
function analyse(pieces: Piece[], sf: ts.SourceFile, questionMarks: boolean): Analysis {
  let text = '';
  const params: Param[] = [];
  const existing: number[] = [];
  let existingPg = 0;
  type State = 'normal' | 'single' | 'double' | 'backtick' | 'line' | 'block';
  let state: State = 'normal';
  let depth = 0;
  /** for each open paren: whether it opened an IN list */
  const parens: boolean[] = [];
  // the single-quoted string being built: its start in `text` and the pieces inside it
  let str: { start: number; parts: (string | ts.Expression)[] } | undefined;
  let prevExpr = false;
  for (let pi = 0; pi < pieces.length; pi++) {
    const p = pieces[pi];
    if (p.kind === 'expr') {
      if (state === 'single') {
        str!.parts.push(p.node);
        prevExpr = true;
        continue;
      }
      if (state !== 'normal') return { ok: false };
      const before = text.trimEnd();
      const next = pieces[pi + 1];
      const after = next && next.kind === 'text' ? next.value : next ? '<expr>' : '';
      // names (ORDER BY ${col}, FROM ${table}, a select list, count(${col})): an allowlist, never a parameter
      if (IDENTIFIER_BEFORE.test(before) && !KEYWORD_BEFORE_VALUE.test(before)) return { ok: false, identifier: p.node };
      if (/,$/.test(before) && depth === 0) return { ok: false, identifier: p.node };
      if (NAME_CALL_BEFORE.test(before)) return { ok: false, identifier: p.node };
      if (/^[.]/.test(after) || /\.$/.test(before)) return { ok: false, identifier: p.node };
      // anything else that is not clearly a value position: leave it alone
      if (prevExpr || (!KEYWORD_BEFORE_VALUE.test(before) && !/,$/.test(before))) return { ok: false };
      if (/^[\w$`"[]/.test(after)) return { ok: false };
      // `IN (${ids})`: a list cannot be one parameter
      if (/\bIN\s*\($/i.test(before) && /^\s*\)/.test(after)) return { ok: false };
      if (/\b(AND|OR|NOT|WHERE|HAVING|ON)\s*$/i.test(before) && !betweenAnd(before) && !/\bIS\s+NOT\s*$/i.test(before)) return { ok: false };
      params.push({ value: p.node.getText(sf), at: text.length });
      text += '\u0000';
      prevExpr = true;
      continue;
    }
    const s = p.value;
    for (let i = 0; i < s.length; i++) {
      const c = s[i];
      const n = s[i + 1];
      prevExpr = prevExpr && /\s/.test(c) && state === 'normal' ? prevExpr : false;
      switch (state) {
        case 'normal':
          if (c === "'") { state = 'single'; str = { start: text.length, parts: [] }; text += c; continue; }
          if (c === '"') state = 'double';
          else if (c === '`') state = 'backtick';
          else if (c === '-' && n === '-') state = 'line';
          else if (c === '/' && n === '*') state = 'block';
          else if (c === '(') { depth++; parens.push(/\bIN\s*$/i.test(text)); }
          else if (c === ')') { depth--; parens.pop(); }
          else if (c === '?' && questionMarks) {
            if (n === '?' || s[i - 1] === '?') return { ok: false }; // `??` identifier bindings: leave to a person
            existing.push(text.length);
          } else if (c === '$' && /\d/.test(n ?? '')) {
            const m = /^\$(\d+)/.exec(s.slice(i))!;
            existingPg = Math.max(existingPg, Number(m[1]));
          }
          text += c;
          continue;
        case 'single':
          if (c === "'" && n === "'") { str!.parts.push("'"); i++; continue; }
          if (c === "'") {
            // the string ends: bind it when it holds a dynamic part, keep it as it was otherwise
            const parts = str!.parts;
            state = 'normal';
            if (parts.some((x) => typeof x !== 'string')) {
              const start = str!.start;
              text = text.slice(0, start);
              params.push({ value: bindValue(parts, sf), at: text.length });
              text += '\u0000';
            } else {
              text += parts.map((x) => (x as string).replace(/'/g, "''")).join('') + "'";
            }
            str = undefined;
            continue;
          }
          if (c === '\\') return { ok: false }; // MySQL-style escapes inside a string: too easy to get wrong
          str!.parts.push(c);
          continue;
        case 'double':
          if (c === '"') state = 'normal';
          text += c;
          continue;
        case 'backtick':
          if (c === '`') state = 'normal';
          text += c;
          continue;
        case 'line':
          if (c === '\n') state = 'normal';
          text += c;
          continue;
        case 'block':
          if (c === '*' && n === '/') { text += '*/'; i++; state = 'normal'; continue; }
          text += c;
          continue;
      }
    }
    // text inside a string that is still open goes to the string's parts (handled above); keep `text` in step
    if (state === 'single') {
      // nothing: the characters were pushed to str.parts
    }
  }
  if (state !== 'normal' || depth !== 0) return { ok: false };
  return { ok: true, text, params, existing, existingPg };
}

/** The value to bind for a quoted string with dynamic parts: the expression itself, or a template of the string's content. */
function bindValue(parts: (string | ts.Expression)[], sf: ts.SourceFile): string {
  // merge adjacent characters
  const merged: (string | ts.Expression)[] = [];
  for (const p of parts) {
    if (typeof p === 'string' && typeof merged[merged.length - 1] === 'string') merged[merged.length - 1] += p;
    else merged.push(p);
  }
  if (merged.length === 1 && typeof merged[0] !== 'string') return (merged[0] as ts.Expression).getText(sf);
  return '`' + merged.map((p) => (typeof p === 'string' ? escapeTemplateText(p) : `\${${p.getText(sf)}}`)).join('') + '`';
}

/** A string literal for new SQL text, in a form that keeps it readable. */
function sqlLiteral(text: string, sf: ts.SourceFile, wasTemplate: boolean): string {
  if (wasTemplate || /[\r\n]/.test(text) || (text.includes("'") && text.includes('"'))) return '`' + escapeTemplateText(text) + '`';
  if (text.includes("'")) return quoteString(text, '"');
  if (text.includes('"')) return quoteString(text, "'");
  return quoteString(text, preferredQuote(sf));
}

function isCallback(e: ts.Expression | undefined): boolean {
  if (!e) return false;
  const u = unwrap(e);
  return ts.isArrowFunction(u) || ts.isFunctionExpression(u) || (ts.isIdentifier(u) && /^(cb|callback|done|next)$/i.test(u.text));
}

/** Merges new values into an existing values expression, by placeholder position for `?` drivers. */
function mergeValues(existingExpr: ts.Expression | undefined, added: Param[], existingAt: number[], sf: ts.SourceFile, positional: boolean): string | undefined {
  const addedTexts = added.map((p) => p.value);
  if (!existingExpr) {
    if (existingAt.length) return undefined; // placeholders without values: something else feeds them
    return `[${addedTexts.join(', ')}]`;
  }
  const u = unwrap(existingExpr);
  if (ts.isArrayLiteralExpression(u) && !u.elements.some(ts.isSpreadElement)) {
    const old = u.elements.map((e) => e.getText(sf));
    if (!positional) return `[${[...old, ...addedTexts].join(', ')}]`;
    if (old.length !== existingAt.length) return undefined;
    const all = [...existingAt.map((at, i) => ({ at, v: old[i] })), ...added.map((p) => ({ at: p.at, v: p.value }))].sort((a, b) => a.at - b.at);
    return `[${all.map((x) => x.v).join(', ')}]`;
  }
  if (positional && existingAt.some((at) => added.some((p) => p.at < at))) return undefined;
  return `[...${existingExpr.getText(sf)}, ${addedTexts.join(', ')}]`;
}

/** Places `?` or `$n` markers in the analysed text. */
function withPlaceholders(text: string, params: Param[], mark: (i: number) => string): string {
  let out = '';
  let k = 0;
  for (const ch of text) {
    if (ch === '\u0000') out += mark(k++);
    else out += ch;
  }
  void params;
  return out;
}

/** The tagged-template body for Prisma / Drizzle / postgres.js: `${value}` where each marker is. */
function taggedBody(text: string, params: Param[]): string {
  let out = '';
  let k = 0;
  let chunk = '';
  for (const ch of text) {
    if (ch === '\u0000') { out += escapeTemplateText(chunk) + '${' + params[k++].value + '}'; chunk = ''; }
    else chunk += ch;
  }
  return out + escapeTemplateText(chunk);
}

export interface SqlFixInput {
  call: ts.CallExpression;
  /** the query text argument (or the `text`/`sql` property value) */
  arg: ts.Expression;
  driver: SqlDriver;
}

/** The parameterized rewrite, or an allowlist check for a value in a name position; undefined when neither is safe. */
export function sqlFixes(ctx: RuleContext, input: SqlFixInput): Fix[] | undefined {
  const sf = ctx.sourceFile;
  const { call, driver } = input;
  // the expression that builds the text: the argument, or a const initializer used only here
  let target = unwrap(input.arg);
  let viaVariable: ts.VariableDeclaration | undefined;
  if (ts.isIdentifier(target)) {
    const b = ctx.taint.scopes.resolve(target);
    if (!b || !ts.isVariableDeclaration(b) || !b.initializer || !(b.parent.flags & ts.NodeFlags.Const) || !ts.isIdentifier(b.name)) return undefined;
    if (countUses(b, target.text) !== 1) return undefined;
    viaVariable = b;
    target = unwrap(b.initializer);
  }
  if (!ts.isTemplateExpression(target) && !(ts.isBinaryExpression(target) && target.operatorToken.kind === ts.SyntaxKind.PlusToken)) return undefined;
  const pieces = flatten(target, sf);
  if (!pieces || !pieces.some((p) => p.kind === 'expr')) return undefined;
  const questionMarks = driver !== 'pg' && driver !== 'prisma' && driver !== 'drizzle' && driver !== 'postgres';
  const a = analyse(pieces, sf, questionMarks);
  if (!a.ok) {
    const allow = a.identifier ? allowlistFix(ctx, a.identifier, call) : undefined;
    return allow ? [allow] : undefined;
  }
  if (!a.params.length) return undefined;
  const es = new EditSet(ctx.path, ctx.text);
  const wasTemplate = ts.isTemplateExpression(target);
  const name = calleeName(call) ?? '';
  const title = (how: string) => `Parameterize the query (${how})`;
  const note = 'Check the query once after the change: the values are now sent separately from the SQL text.';

  // tagged-template drivers
  if (driver === 'prisma' || driver === 'drizzle' || (driver === 'postgres' && name === 'unsafe')) {
    const body = '`' + taggedBody(a.text, a.params) + '`';
    if (driver === 'prisma') {
      if (name !== '$queryRawUnsafe' && name !== '$executeRawUnsafe') return undefined;
      if (call.arguments.length !== 1) return undefined;
      const safeName = name === '$queryRawUnsafe' ? '$queryRaw' : '$executeRaw';
      const callee = unwrap(call.expression);
      if (!ts.isPropertyAccessExpression(callee)) return undefined;
      const typeArgs = call.typeArguments ? `<${call.typeArguments.map((t) => t.getText(sf)).join(', ')}>` : '';
      if (viaVariable) {
        const prismaNs = ensureImport(es, sf, ctx.facts, ctx.path, { module: '@prisma/client', named: 'Prisma' });
        es.replaceNode(viaVariable.initializer!, `${prismaNs}.sql${body}`, sf);
        es.replaceNode(callee.name, safeName, sf);
        return [makeFix(title(`Prisma.sql and ${safeName}`), 'suggestion', es, note)];
      }
      es.replace(callee.name.getStart(sf), call.getEnd(), `${safeName}${typeArgs}${body}`);
      return [makeFix(title(`tagged ${safeName}\`…\``), 'suggestion', es, note)];
    }
    // sql.raw(`…`) / sql.unsafe(`…`) → sql`…`
    const recv = calleeObject(call);
    if (!recv || !ts.isIdentifier(recv) || call.arguments.length !== 1 || viaVariable) return undefined;
    es.replaceNode(call, `${recv.text}${body}`, sf);
    return [makeFix(title(`${recv.text}\`…\` template`), 'suggestion', es, note)];
  }

  const textLiteral = (t: string) => sqlLiteral(t, sf, wasTemplate);
  const replaceText = (newText: string) => es.replaceNode(viaVariable ? viaVariable.initializer! : input.arg, newText, sf);

  if (driver === 'pg') {
    const base = a.existingPg;
    const newText = withPlaceholders(a.text, a.params, (i) => `$${base + i + 1}`);
    const obj = unwrap(call.arguments[0]);
    if (ts.isObjectLiteralExpression(obj)) {
      if (viaVariable) return undefined;
      const values = getPropertyValue(obj, 'values');
      const merged = mergeValues(values, a.params, [], sf, false);
      if (!merged) return undefined;
      if (base > 0 && !values) return undefined;
      replaceText(textLiteral(newText));
      setProperty(es, obj, 'values', merged, sf);
      return [makeFix(title('$1 placeholders and values'), 'suggestion', es, note)];
    }
    return valuesArgument(es, call, a, newText, textLiteral, replaceText, false, base > 0, sf) ? [makeFix(title('$1 placeholders and a values array'), 'suggestion', es, note)] : undefined;
  }

  const newText = withPlaceholders(a.text, a.params, () => '?');
  if (driver === 'mysql' || driver === 'knex') {
    const obj = unwrap(call.arguments[0]);
    if (ts.isObjectLiteralExpression(obj)) {
      // mysql query({ sql, values })
      if (viaVariable || driver !== 'mysql') return undefined;
      const values = getPropertyValue(obj, 'values');
      const merged = mergeValues(values, a.params, a.existing, sf, true);
      if (!merged) return undefined;
      replaceText(textLiteral(newText));
      setProperty(es, obj, 'values', merged, sf);
      return [makeFix(title('? placeholders and values'), 'suggestion', es, note)];
    }
    if (driver === 'knex' && call.arguments[1] && ts.isObjectLiteralExpression(unwrap(call.arguments[1]))) return undefined; // named bindings
    return valuesArgument(es, call, a, newText, textLiteral, replaceText, true, a.existing.length > 0, sf)
      ? [makeFix(title(driver === 'knex' ? '? placeholders and bindings' : '? placeholders and a values array'), 'suggestion', es, note)] : undefined;
  }

  if (driver === 'sqlite') {
    if (name === 'exec') return undefined; // exec takes no parameters
    if (name === 'prepare') {
      // db.prepare(`…`).get() → db.prepare('… ?').get(value)
      const pa = call.parent;
      const chained = pa && ts.isPropertyAccessExpression(pa) && pa.expression === call && pa.parent && ts.isCallExpression(pa.parent) && pa.parent.expression === pa ? pa.parent : undefined;
      const method = chained ? (pa as ts.PropertyAccessExpression).name.text : '';
      if (!chained || !/^(get|all|run|iterate)$/.test(method) || call.arguments.length !== 1) return undefined;
      const args = chained.arguments;
      if (a.existing.length !== args.length) return undefined;
      if (args.some((x) => ts.isSpreadElement(x) || ts.isArrayLiteralExpression(unwrap(x)) || ts.isObjectLiteralExpression(unwrap(x)))) return undefined;
      const all = [...a.existing.map((at, i) => ({ at, v: args[i].getText(sf) })), ...a.params.map((p) => ({ at: p.at, v: p.value }))].sort((x, y) => x.at - y.at);
      replaceText(textLiteral(newText));
      es.replace(chained.arguments.pos, chained.arguments.end, all.map((x) => x.v).join(', '));
      return [makeFix(title('? placeholders bound by the statement'), 'suggestion', es, note)];
    }
    if (name === 'execute') {
      // @libsql/client: execute(sql) → execute({ sql, args })
      if (call.arguments.length !== 1 || a.existing.length || viaVariable) return undefined;
      es.replaceNode(call.arguments[0], `{ sql: ${textLiteral(newText)}, args: [${a.params.map((p) => p.value).join(', ')}] }`, sf);
      return [makeFix(title('? placeholders and args'), 'suggestion', es, note)];
    }
    if (!/^(all|get|run|each|query)$/.test(name)) return undefined;
    return valuesArgument(es, call, a, newText, textLiteral, replaceText, true, a.existing.length > 0, sf) ? [makeFix(title('? placeholders and a values array'), 'suggestion', es, note)] : undefined;
  }

  if (driver === 'sequelize') {
    if (name !== 'query') return undefined;
    const opts = call.arguments[1] ? unwrap(call.arguments[1]) : undefined;
    if (opts && !ts.isObjectLiteralExpression(opts)) return undefined;
    if (opts && (getPropertyValue(opts, 'bind') || opts.properties.some(ts.isSpreadAssignment))) return undefined;
    const existingRepl = opts ? getPropertyValue(opts, 'replacements') : undefined;
    if (existingRepl && ts.isObjectLiteralExpression(unwrap(existingRepl))) return undefined;
    const merged = mergeValues(existingRepl, a.params, a.existing, sf, true);
    if (!merged) return undefined;
    replaceText(textLiteral(newText));
    if (opts) {
      if (existingRepl) es.replaceNode(existingRepl, merged, sf);
      else addProperty(es, opts, `replacements: ${merged}`, sf);
    } else {
      es.insert(call.arguments[0].getEnd(), `, { replacements: ${merged} }`);
    }
    return [makeFix(title('? placeholders and replacements'), 'suggestion', es, note)];
  }
  return undefined;
}

/** `f(text)` / `f(text, cb)` / `f(text, values[, cb])` → `f(newText, mergedValues[, cb])`. */
function valuesArgument(es: EditSet, call: ts.CallExpression, a: Extract<Analysis, { ok: true }>, newText: string,
  textLiteral: (t: string) => string, replaceText: (t: string) => void, positional: boolean, hasExisting: boolean, sf: ts.SourceFile): boolean {
  const args = call.arguments;
  const second = args[1];
  let values: ts.Expression | undefined;
  let insertBefore: ts.Expression | undefined;
  if (!second) values = undefined;
  else if (isCallback(second)) { insertBefore = second; }
  else if (ts.isObjectLiteralExpression(unwrap(second))) return false; // options object (mysql2 / sqlite named parameters)
  else values = second;
  if (args.length > 3) return false;
  if (hasExisting && !values) return false;
  const merged = mergeValues(values, a.params, a.existing, sf, positional);
  if (!merged) return false;
  replaceText(textLiteral(newText));
  if (values) es.replaceNode(values, merged, sf);
  else if (insertBefore) es.insert(insertBefore.getStart(sf), `${merged}, `);
  else es.insert(args[0].getEnd(), `, ${merged}`);
  return true;
}

function countUses(decl: ts.VariableDeclaration, name: string): number {
  const scope = enclosingFunction(decl) ?? decl.getSourceFile();
  let n = 0;
  const visit = (node: ts.Node) => {
    if (ts.isIdentifier(node) && node.text === name && node !== decl.name) {
      const p = node.parent;
      if (!(p && ts.isPropertyAccessExpression(p) && p.name === node) && !(p && ts.isPropertyAssignment(p) && p.name === node)) n++;
    }
    ts.forEachChild(node, visit);
  };
  visit(scope);
  return n;
}

/**
 * `ORDER BY ${sort}`: names cannot be parameters. For a plain local variable, insert a check against a list of
 * allowed names before the statement, answering a bad value the way the handler answers errors.
 */
function allowlistFix(ctx: RuleContext, part: ts.Expression, call: ts.CallExpression): Fix | undefined {
  const sf = ctx.sourceFile;
  const id = unwrap(part);
  if (!ts.isIdentifier(id)) return undefined;
  const b = ctx.taint.scopes.resolve(id);
  if (!b) return undefined;
  const stmt = enclosingStatement(call);
  const fn = enclosingFunction(call);
  if (!stmt || !fn) return undefined;
  // the variable must be set before the statement, in the same function
  if (b.getStart(sf) > stmt.getStart(sf) || enclosingFunction(b) !== fn && !(ts.isParameter(b) && b.parent === fn)) return undefined;
  const ts_ = isTypeScript(ctx.path);
  const list = "['created_at', 'name']";
  const cond = ts_ ? `!(${list} as unknown[]).includes(${id.text})` : `!${list}.includes(${id.text})`;
  let reject = `throw new Error('Unsupported name')`;
  const params = fn.parameters;
  const p1 = params[1] && ts.isIdentifier(params[1].name) ? params[1].name.text : undefined;
  const p0 = params[0] && ts.isIdentifier(params[0].name) ? params[0].name : undefined;
  if (p1 && /^(res|response|resp)$/.test(p1)) reject = `return ${p1}.status(400).json({ error: 'Unsupported name' })`;
  else if (p1 && /^(reply|rep)$/.test(p1)) reject = `return ${p1}.code(400).send({ error: 'Unsupported name' })`;
  else if (p0 && params.length <= 2 && ctx.taint.requestKind(p0) === 'koa') reject = `ctx.throw(400, 'Unsupported name')`;
  else if (ctx.facts.nextRouteFile && isFunctionLike(fn)) reject = `return Response.json({ error: 'Unsupported name' }, { status: 400 })`;
  const es = new EditSet(ctx.path, ctx.text);
  insertLineAbove(es, stmt, sf, `// TODO: list the table or column names \`${id.text}\` may be`);
  insertLineAbove(es, stmt, sf, `if (${cond}) ${reject};`);
  return makeFix(`Check \`${id.text}\` against a list of allowed names (edit the list)`, 'suggestion', es,
    'Table and column names cannot be bound as parameters; only names from the list can reach the query.');
}

/** `… BETWEEN x AND` at the end of the text, with no parenthesis in between (a regex for it is quadratic). */
function betweenAnd(before: string): boolean {
  const m = /\bAND$/i.exec(before.trimEnd());
  if (!m) return false;
  const head = before.slice(0, m.index);
  const paren = Math.max(head.lastIndexOf('('), head.lastIndexOf(')'));
  return /\bBETWEEN\b/i.test(head.slice(paren + 1));
}
