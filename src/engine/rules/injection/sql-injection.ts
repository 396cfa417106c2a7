import { ts } from 'ts-morph';
import { ALL_LANGUAGES, defineRule, type RuleContext, sameVisitor } from '../../model/rule';
import { calleeName, calleeObject, memberChain, rootIdentifier, unwrap } from '../../util/ast';
import { detectDriver, isSqlReceiver, looksLikeSql, parameterHint, SQL_IDENTIFIER_CONTEXT, type SqlDriver } from '../../util/sql';
import { tryFixes } from '../../fixes/edits';
import { sqlFixes } from '../../fixes/sql';

/** Calls whose first argument is always raw SQL text. */
const RAW_SINKS = new Set(['$queryRawUnsafe', '$executeRawUnsafe', 'whereRaw', 'orWhereRaw', 'havingRaw', 'orderByRaw',
  'joinRaw', 'groupByRaw', 'selectRaw', 'fromRaw', 'unsafe']);
/** Calls that take SQL text among other things: flagged when the text looks like SQL. */
const QUERY_SINKS = new Set(['query', 'execute', 'exec', 'raw', 'prepare', 'run', 'all', 'get', 'each', 'queryOne', 'queryAll', 'sql', 'any', 'none', 'one', 'oneOrNone', 'many', 'manyOrNone', 'result']);
/** the calls the rule looks at: raw-SQL methods and query functions */
const SINK_CALLS = [...RAW_SINKS, ...QUERY_SINKS];

/**
 * The driver of a client that comes from a module of the project (`const pool = require('./db')`, `import prisma
 * from '@/lib/prisma'`), as the project model knows it; undefined when the file alone has to tell.
 */
function projectDriver(ctx: RuleContext, call: ts.CallExpression): SqlDriver | undefined {
  const root = ctx.project ? rootIdentifier(call.expression) : undefined;
  if (!root || !ctx.project) return undefined;
  const d = ctx.project.dbDriverOf(ctx.path, root.text);
  return d && d !== 'mongodb' && d !== 'mongoose' ? d : undefined;
}

interface Built {
  /** the static SQL text around the dynamic parts, for the looks-like-SQL check */
  staticText: string;
  /** the dynamic parts (template spans, `+` operands) */
  dynamic: ts.Expression[];
  /** static text right before each dynamic part */
  before: string[];
}

/** Splits a string-building expression into static text and dynamic parts, following local variables. */
function decompose(ctx: RuleContext, expr: ts.Expression, depth = 0): Built | undefined {
  const e = unwrap(expr);
  if (depth > 6) return undefined;
  if (ts.isTemplateExpression(e)) {
    const out: Built = { staticText: e.head.text, dynamic: [], before: [] };
    for (const s of e.templateSpans) {
      out.before.push(out.staticText);
      out.dynamic.push(s.expression);
      out.staticText += ' ' + s.literal.text;
    }
    return out;
  }
  if (ts.isBinaryExpression(e) && (e.operatorToken.kind === ts.SyntaxKind.PlusToken)) {
    const l = decompose(ctx, e.left, depth + 1) ?? leaf(ctx, e.left);
    const r = decompose(ctx, e.right, depth + 1) ?? leaf(ctx, e.right);
    return {
      staticText: l.staticText + r.staticText,
      dynamic: [...l.dynamic, ...r.dynamic],
      before: [...l.before, ...r.before.map((b) => l.staticText + b)],
    };
  }
  if (ts.isCallExpression(e) && calleeName(e) === 'concat' && calleeObject(e)) {
    let acc = decompose(ctx, calleeObject(e)!, depth + 1) ?? leaf(ctx, calleeObject(e)!);
    for (const a of e.arguments) {
      const p = decompose(ctx, a, depth + 1) ?? leaf(ctx, a);
      acc = { staticText: acc.staticText + p.staticText, dynamic: [...acc.dynamic, ...p.dynamic], before: [...acc.before, ...p.before.map((b) => acc.staticText + b)] };
    }
    return acc;
  }
  if (ts.isIdentifier(e)) {
    const b = ctx.taint.scopes.resolve(e);
    if (!b || !ts.isVariableDeclaration(b) || !b.initializer) return undefined;
    let acc = decompose(ctx, b.initializer, depth + 1) ?? leaf(ctx, b.initializer);
    // `let sql = 'SELECT …'; sql += ' AND name = ' + name;` — follow += before the use
    const scope = b.parent.parent?.parent;
    if (scope && !(b.parent.flags & ts.NodeFlags.Const)) {
      const visit = (n: ts.Node) => {
        if (n.pos >= e.pos) return;
        if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.PlusEqualsToken &&
            ts.isIdentifier(unwrap(n.left)) && (unwrap(n.left) as ts.Identifier).text === e.text) {
          const p = decompose(ctx, n.right, depth + 1) ?? leaf(ctx, n.right);
          const base = acc.staticText;
          acc = { staticText: base + p.staticText, dynamic: [...acc.dynamic, ...p.dynamic], before: [...acc.before, ...p.before.map((x) => base + x)] };
        }
        ts.forEachChild(n, visit);
      };
      ts.forEachChild(scope, visit);
    }
    return acc.dynamic.length ? acc : undefined;
  }
  return undefined;
}

function leaf(ctx: RuleContext, e: ts.Expression): Built {
  const u = unwrap(e);
  if (ts.isStringLiteralLike(u)) return { staticText: u.text, dynamic: [], before: [] };
  if (ts.isTemplateExpression(u) || ts.isBinaryExpression(u)) return decompose(ctx, u) ?? { staticText: '', dynamic: [u], before: [''] };
  return { staticText: '', dynamic: [u], before: [''] };
}

function queryArgument(call: ts.CallExpression): ts.Expression | undefined {
  const first = call.arguments[0];
  if (!first) return undefined;
  const u = unwrap(first);
  // pool.query({ text: sql, values })
  if (ts.isObjectLiteralExpression(u)) {
    for (const p of u.properties) {
      if (ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && (p.name.text === 'text' || p.name.text === 'sql')) return p.initializer;
    }
    return undefined;
  }
  return first;
}

export default defineRule({
  meta: {
    id: 'sql-injection',
    title: 'SQL query built from strings',
    category: 'injection',
    severity: 'error',
    confidence: 'medium',
    cwe: [89],
    owasp: 'A03:2021 Injection',
    description: 'Finds SQL text built with template literals or `+` and passed to a database call (`query`, `execute`, `raw`, `$queryRawUnsafe`, `sequelize.query`, `knex.raw`, Drizzle `sql.raw`, …). Confidence is high when request data provably reaches the query.',
    notReported: 'Tagged templates (`sql`…``, Prisma.sql), placeholders built from a count (`ids.map(() => \'?\')`, `new Array(n).fill(\'?\')`), identifiers checked against an allowlist, and numbers. Values of unknown origin (a function\'s parameter) are low confidence; request data traced to the query is high.',
    why: 'When a value is pasted into SQL text, the database cannot tell data from commands. Input such as `\' OR 1=1 --` changes what the query does: an attacker can read every row, log in as anyone, or delete tables.',
    fix: 'Keep the SQL text constant and pass values as parameters (`$1`, `?`, named replacements) or use a tagged template that binds them (`sql`…``, `prisma.$queryRaw`…``). Table and column names cannot be parameters: pick them from a fixed allowlist.',
    bad: `app.get('/users', async (req, res) => {
  const { rows } = await pool.query(\`SELECT * FROM users WHERE email = '\${req.query.email}'\`);
  res.json(rows);
});`,
    good: `app.get('/users', async (req, res) => {
  const { rows } = await pool.query('SELECT * FROM users WHERE email = $1', [req.query.email]);
  res.json(rows);
});`,
    fixSafety: 'suggestion',
    languages: ALL_LANGUAGES,
    defaultEnabled: true,
    tags: ['sql', 'database', 'injection'],
  },
  create(ctx) {
    const check = (node: ts.CallExpression | ts.NewExpression) => {
      if (!ts.isCallExpression(node)) return;
      const call = node;
      const name = calleeName(call);
      if (!name) return;
      const chain = memberChain(call.expression);
      const isRaw = RAW_SINKS.has(name) || (name === 'raw' && !!chain && (chain[0] === 'sql' || chain[0] === 'Prisma' || chain[0] === 'knex' || /knex|db|trx/i.test(chain[0])));
      if (!isRaw && !QUERY_SINKS.has(name)) return;
      if (!calleeObject(call) && name !== 'sql' && name !== 'query' && name !== 'execute') return;
      if (!isSqlReceiver(call)) return;
      const arg = queryArgument(call);
      if (!arg) return;
      const built = decompose(ctx, arg);
      if (!built || built.dynamic.length === 0) return;
      if (!isRaw && !looksLikeSql(built.staticText)) return;

      // the worst dynamic part decides; parts in identifier positions get an allowlist hint
      let worst: { kind: 'tainted' | 'dynamic'; part: ts.Expression; trace?: { source: ts.Node; label: string }; identifier: boolean } | undefined;
      built.dynamic.forEach((part, i) => {
        const c = ctx.taint.classify(part, 'sql');
        if (c.kind === 'safe') return;
        const identifier = SQL_IDENTIFIER_CONTEXT.test(built.before[i] ?? '');
        if (!worst || (c.kind === 'tainted' && worst.kind !== 'tainted')) worst = { kind: c.kind, part, trace: c.trace, identifier };
      });
      if (!worst) return;
      const w = worst as NonNullable<typeof worst>;
      const driver = projectDriver(ctx, call) ?? detectDriver(call, ctx.facts);
      const what = w.trace ? `request data (\`${w.trace.label}\`)` : `a value (\`${w.part.getText(ctx.sourceFile).slice(0, 40)}\`)`;
      const how = w.identifier
        ? 'This value sits where a table or column name goes, which parameters cannot hold: check it against a fixed list of allowed names before using it.'
        : `Keep the SQL constant and ${parameterHint(driver)}.`;
      ctx.report({
        node: arg,
        confidence: w.kind === 'tainted' ? 'high' : ctx.taint.inRequestContext(call) ? 'medium' : 'low',
        message: `SQL query built from ${what} by string ${built.dynamic.length > 1 ? 'building' : 'interpolation'}: crafted input can change the query and read or destroy data. ${how}`,
        related: w.trace ? [{ node: w.trace.source, message: `Request data enters here (${w.trace.label}) and reaches the SQL query.` }] : undefined,
        fixes: tryFixes(() => sqlFixes(ctx, { call, arg, driver })),
      });
    };
    return { calls: sameVisitor(SINK_CALLS, check) };
  },
});
