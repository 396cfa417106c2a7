import type { Node } from 'web-tree-sitter';
import { positionalArgs } from '../ast';
import { pyFix } from '../fixes';
import { definePythonRule, type PyRuleContext } from '../rule';
import { decomposeString, isHarmlessPart } from '../strings';
import type { Fix } from '../../model/types';

const EXECUTE = new Set(['execute', 'executemany', 'executescript', 'exec_driver_sql', 'mogrify', 'read_sql', 'read_sql_query']);
const SQL_WORDS = /\b(select\s[\s\S]*\bfrom|insert\s+into|update\s+\S+\s+set|delete\s+from|where\s|order\s+by|values\s*\(|create\s+table|drop\s+table|alter\s+table)\b/i;
/** SQL right before a value that is a table or column name: parameters cannot stand there. */
const IDENTIFIER_BEFORE = /\b(from|into|update|table|join|order\s+by|group\s+by|by)\s*[`"[]?$/i;

/** The placeholder style of the database driver the file uses, if it is clear. */
function placeholderOf(ctx: PyRuleContext): '?' | '%s' | undefined {
  const m = ctx.facts.modules;
  const pct = m.has('psycopg2') || m.has('psycopg') || m.has('pymysql') || m.has('MySQLdb') || m.has('mysql') || (m.has('django') && [...ctx.facts.imports.values()].some((v) => v.startsWith('django.db')));
  if (m.has('sqlite3') && !pct) return '?';
  if (pct && !m.has('sqlite3')) return '%s';
  return undefined;
}

/**
 * `f"… WHERE name = '{name}' AND id = {uid}"` → the text with placeholders and the values in order, or
 * undefined when a value sits where a parameter cannot (a table name, inside a LIKE pattern), or uses a
 * format spec.
 */
function parameterize(fstring: Node, placeholder: (value: Node, i: number) => string): { text: string; values: Node[] } | undefined {
  if (fstring.type !== 'string') return undefined;
  const start = fstring.namedChildren[0];
  const end = fstring.namedChildren[fstring.namedChildren.length - 1];
  if (start?.type !== 'string_start' || end?.type !== 'string_end') return undefined;
  const prefix = start.text.replace(/[fF]/g, '');
  const pieces: (string | Node)[] = [];
  for (const c of fstring.namedChildren) {
    if (!c || c.id === start.id || c.id === end.id) continue;
    if (c.type === 'string_content' || c.type === 'escape_sequence') pieces.push(c.text.replace(/\{\{/g, '{').replace(/\}\}/g, '}'));
    else if (c.type === 'interpolation') {
      if (c.namedChildren.length !== 1) return undefined; // !r conversions, :format specs
      pieces.push(c.namedChildren[0]!);
    } else return undefined;
  }
  let out = '';
  const values: Node[] = [];
  for (let i = 0; i < pieces.length; i++) {
    const p = pieces[i];
    if (typeof p === 'string') { out += p; continue; }
    const next = typeof pieces[i + 1] === 'string' ? pieces[i + 1] as string : '';
    const quoted = /'$/.test(out) && next.startsWith("'");
    if (quoted) {
      out = out.slice(0, -1);
      pieces[i + 1] = next.slice(1);
    } else if (!/(=|<|>|\(|,|\blike|\bin\s*\(|\blimit|\boffset|\band|\bbetween)\s*$/i.test(out) || IDENTIFIER_BEFORE.test(out)) {
      return undefined;
    }
    if (/%$/.test(out) || (!quoted && /['"]$/.test(out))) return undefined;
    values.push(p);
    out += placeholder(p, values.length);
  }
  if (/%(?!s)/.test(out.replace(/%s/g, '')) && placeholder(values[0] ?? fstring, 1) === '%s') return undefined;
  return { text: prefix + out + end.text, values };
}

function paramName(v: Node, i: number, used: Set<string>): string {
  let name = v.type === 'identifier' ? v.text : v.type === 'attribute' ? v.childForFieldName('attribute')?.text ?? '' : '';
  if (!/^[A-Za-z_]\w*$/.test(name) || used.has(name)) name = `p${i}`;
  used.add(name);
  return name;
}

function tupleText(values: Node[]): string {
  return values.length === 1 ? `(${values[0].text},)` : `(${values.map((v) => v.text).join(', ')})`;
}

function fixFor(ctx: PyRuleContext, call: Node, arg: Node, viaText: Node | undefined): Fix[] | undefined {
  if (viaText) {
    // session.execute(text(f"… {x}")) → session.execute(text("… :x"), {"x": x})
    const outer = viaText.parent?.parent;
    if (outer?.type !== 'call' || positionalArgs(outer).length !== 1 || positionalArgs(outer)[0].id !== viaText.id) return undefined;
    if ((outer.childForFieldName('arguments')?.namedChildren.length ?? 0) !== 1) return undefined;
    const used = new Set<string>();
    const names: string[] = [];
    const r = parameterize(arg, (v, i) => { const n = paramName(v, i, used); names.push(n); return `:${n}`; });
    if (!r) return undefined;
    const dict = `{${r.values.map((v, i) => `"${names[i]}": ${v.text}`).join(', ')}}`;
    return [pyFix(ctx.path, 'Parameterize the query (text() with bound parameters)', [
      { start: arg.startIndex, end: arg.endIndex, newText: r.text },
      { start: viaText.endIndex, end: viaText.endIndex, newText: `, ${dict}` },
    ])];
  }
  const ph = placeholderOf(ctx);
  const name = call.childForFieldName('function')?.childForFieldName('attribute')?.text;
  if (!ph || name !== 'execute') return undefined;
  if ((call.childForFieldName('arguments')?.namedChildren.length ?? 0) !== 1) return undefined;
  const r = parameterize(arg, () => ph);
  if (!r) return undefined;
  return [pyFix(ctx.path, `Parameterize the query (${ph} placeholders and a values tuple)`, [
    { start: arg.startIndex, end: arg.endIndex, newText: `${r.text}, ${tupleText(r.values)}` },
  ])];
}

export default definePythonRule({
  id: 'sql-injection',
  docs: {
    description: 'In Python, finds SQL built with f-strings, `%`, `str.format` or `+` and passed to `cursor.execute`/`executemany`, SQLAlchemy `text()`/`exec_driver_sql`, Django `Model.objects.raw` or pandas `read_sql`. Confidence is high when Flask, Django or FastAPI request data reaches the query. The fix passes the values as parameters (`?` for sqlite3, `%s` for psycopg/PyMySQL/Django, `:name` for SQLAlchemy `text()`).',
    bad: '# file: app.py\nimport sqlite3\nfrom flask import Flask, request\n\napp = Flask(__name__)\n\n@app.get("/users")\ndef users():\n    name = request.args.get("name", "")\n    db = sqlite3.connect("app.db")\n    rows = db.execute(f"SELECT id, email FROM users WHERE name = \'{name}\'").fetchall()\n    return {"users": rows}\n',
    good: '# file: app.py\nimport sqlite3\nfrom flask import Flask, request\n\napp = Flask(__name__)\n\n@app.get("/users")\ndef users():\n    name = request.args.get("name", "")\n    db = sqlite3.connect("app.db")\n    rows = db.execute("SELECT id, email FROM users WHERE name = ?", (name,)).fetchall()\n    return {"users": rows}\n',
  },
  create(ctx) {
    const check = (call: Node, arg: Node | undefined, sink: string, viaText?: Node) => {
      if (!arg) return;
      const built = decomposeString(arg, ctx.taint);
      if (!built || !SQL_WORDS.test(built.staticText)) return;
      const parts = built.dynamic.filter((d) => !isHarmlessPart(d) && !ctx.taint.isNumeric(d));
      if (!parts.length) return;
      const how = built.how === 'f-string' ? 'an f-string' : built.how === '%' ? '`%` formatting' : built.how === 'format' ? '`str.format`' : 'string concatenation';
      const direct = arg.type === 'string' ? arg : undefined;
      const fixes = direct ? fixFor(ctx, call, direct, viaText) : undefined;
      for (const p of parts) {
        const t = ctx.taint.trace(p);
        if (t) {
          ctx.report({
            node: arg, confidence: 'high',
            message: `SQL passed to \`${sink}\` is built with ${how} from request data (\`${t.label}\`): a client can change the query and read or destroy any data. Pass the values as query parameters (\`?\` or \`%s\` placeholders and a tuple) instead of formatting them into the text.`,
            related: [{ node: t.source, message: `Request data enters here (${t.label}) and reaches the SQL text.` }],
            ...(fixes ? { fixes } : {}),
          });
          return;
        }
      }
      ctx.report({
        node: arg, confidence: ctx.taint.inHandler(call) ? 'medium' : 'low',
        message: `SQL passed to \`${sink}\` is built with ${how} from a value (\`${parts[0].text.slice(0, 40)}\`): if it can ever hold user input, the input becomes part of the query. Pass values as query parameters instead; table or column names should come from a fixed list.`,
        ...(fixes ? { fixes } : {}),
      });
    };
    const firstArg = (call: Node) => positionalArgs(call)[0];
    const onExecute = (call: Node) => {
      const arg = firstArg(call);
      const fn = call.childForFieldName('function');
      if (fn?.type !== 'attribute') return;
      // text(…) inside execute is checked at the text() call
      if (arg?.type === 'call' && /(^|\.)text$/.test(arg.childForFieldName('function')?.text ?? '')) return;
      check(call, arg, fn.childForFieldName('attribute')!.text);
    };
    const calls: Record<string, (n: Node) => void> = {};
    for (const n of EXECUTE) calls[n] = onExecute;
    calls.text = (call) => {
      const q = ctx.facts.qualify(call.childForFieldName('function'));
      if (!q?.startsWith('sqlalchemy')) return;
      check(call, firstArg(call), 'text()', call);
    };
    calls.raw = (call) => {
      const fn = call.childForFieldName('function');
      if (!ctx.facts.django || fn?.type !== 'attribute' || !/objects|manager/i.test(fn.childForFieldName('object')?.text ?? '')) return;
      check(call, firstArg(call), 'raw');
    };
    return { calls };
  },
});
