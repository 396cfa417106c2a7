import { ts } from 'ts-morph';
import { ALL_LANGUAGES, defineRule, type RuleContext } from '../../model/rule';
import type { Confidence } from '../../model/types';
import { calleeName, getPropertyValue, isFunctionLike, isInsideNode, memberChain, nameWords, propertyNameText, unwrap } from '../../util/ast';
import { calledFunction, resolveObject } from '../../util/resolve-values';

type Power = { what: string; confidence: Confidence };

const SHELL = new Set(['exec', 'execSync', 'spawn', 'spawnSync', 'execFile', 'execFileSync', 'execa', 'execaCommand', 'execaSync', '$']);
const RAW_SQL = new Set(['query', '$queryRawUnsafe', '$executeRawUnsafe', 'raw', 'unsafe', 'execute', 'exec', 'all', 'run', 'prepare', 'sql']);
const FS_WRITE = new Set(['writeFile', 'writeFileSync', 'appendFile', 'appendFileSync', 'unlink', 'unlinkSync', 'rm', 'rmSync', 'rmdir', 'rmdirSync', 'rename', 'renameSync', 'copyFile', 'cp', 'outputFile', 'remove', 'removeSync']);
const FS_READ = new Set(['readFile', 'readFileSync', 'createReadStream', 'readdir', 'readdirSync']);
const HTTP = new Set(['fetch', 'get', 'post', 'put', 'patch', 'delete', 'request', 'got', 'axios', 'ky']);
const DB_WRITES = new Set(['delete', 'deleteMany', 'deleteOne', 'destroy', 'remove', 'findByIdAndDelete', 'findOneAndDelete', 'findByIdAndRemove',
  'update', 'updateMany', 'updateOne', 'findByIdAndUpdate', 'findOneAndUpdate', 'upsert', 'drop', 'truncate']);
const CODE = new Set(['eval', 'Function', 'runInNewContext', 'runInThisContext', 'runInContext', 'evaluate']);
/** Names in the handler that show it scopes the action to the signed-in user. */
const USER_SCOPE = /\b(session|userId|user_id|ownerId|owner_id|currentUser|auth\(\)|getUser|getServerSession|ctx\.user|context\.user|req\.user|tenantId|orgId|organizationId)\b/;
/** Schema fields a model fills with a whole query, command, URL or path. */
const POWER_FIELD = /^(sql|query|statement|command|cmd|shell|script|code|url|uri|endpoint|href|path|file|filepath|filename|dir|directory|expression|expr)$/;

/** The names a tool handler's input is bound to (`({ sql }) =>` → sql; `(input) =>` → input). */
function paramBindings(fn: ts.FunctionLikeDeclaration): ts.ParameterDeclaration | undefined {
  return fn.parameters[0];
}

export default defineRule({
  meta: {
    id: 'llm-tool-overreach',
    title: 'LLM tool can run commands, raw SQL, files or any URL',
    category: 'web',
    severity: 'warning',
    confidence: 'medium',
    cwe: [250, 284, 77],
    owasp: 'A01:2021 Broken Access Control',
    description: 'Finds tools given to a language model (Vercel AI SDK `tool({ execute })`, LangChain `DynamicTool` / `DynamicStructuredTool` / `tool()`, MCP `server.tool()` / `registerTool()`) whose handler passes what the model chose straight to a shell, a raw SQL query, `eval`, the file system or `fetch` of any URL. Database deletes and updates with model-chosen filters and no sign of the signed-in user are reported at low confidence.',
    notReported: 'Tools whose input is narrowed before use (an enum, a lookup in an allowlist, a fixed query with the value as a parameter), read-only ORM lookups, and tools that scope their writes to the session user. OpenAI function-calling handlers dispatched by name are not traced yet.',
    why: 'The model does what its input tells it, and its input includes text from users, web pages, e-mails and documents (prompt injection). A tool that runs any command, any SQL or fetches any URL gives that power to whoever can get text in front of the model: the tool\'s description is a suggestion, not a limit.',
    fix: 'Give each tool the narrowest power it needs: take structured values (`z.enum([...])`, an id, a number) instead of SQL, commands, paths or URLs; run fixed, parameterized queries; check URLs against an allowlist of hosts; keep file access inside one folder; scope writes to the signed-in user; and ask the user to confirm destructive actions.',
    bad: `import { tool } from 'ai';
import { z } from 'zod';
import { db } from '@/lib/db';

export const runQuery = tool({
  description: 'Run a read-only SQL query against the analytics database',
  parameters: z.object({ sql: z.string() }),
  execute: async ({ sql }) => db.query(sql),
});`,
    good: `import { tool } from 'ai';
import { z } from 'zod';
import { db } from '@/lib/db';

export const salesByMonth = tool({
  description: 'Total sales for a month',
  parameters: z.object({ month: z.string().regex(/^\\d{4}-\\d{2}$/) }),
  execute: async ({ month }) => db.query('SELECT sum(total) FROM orders WHERE month = $1', [month]),
});`,
    fixSafety: 'none',
    languages: ALL_LANGUAGES,
    defaultEnabled: true,
    tags: ['llm', 'ai', 'access-control'],
  },
  create(ctx) {
    const mods = [...ctx.facts.modules];
    if (!mods.some((m) => m === 'ai' || m.startsWith('@langchain/') || m === 'langchain' || m.startsWith('langchain/') || m.startsWith('@modelcontextprotocol/sdk'))) return {};

    /** Whether `expr` carries the tool's input (a name bound by the handler's first parameter, directly or via a local). */
    const fromInput = (expr: ts.Expression | undefined, param: ts.ParameterDeclaration, depth = 0): boolean => {
      if (!expr || depth > 4) return false;
      let found = false;
      const visit = (n: ts.Node) => {
        if (found) return;
        if (ts.isIdentifier(n) && !(n.parent && ts.isPropertyAccessExpression(n.parent) && n.parent.name === n)) {
          const b = ctx.taint.scopes.resolve(n);
          if (b && isInsideNode(b, param)) { found = true; return; }
          if (b && ts.isVariableDeclaration(b) && b.initializer && !isInsideNode(n, b) && fromInput(b.initializer, param, depth + 1)) { found = true; return; }
        }
        // a string with fixed text around the value: the value is a part, not the whole query or command
        if (ts.isTemplateExpression(n) || ts.isTaggedTemplateExpression(n)) return;
        if (isFunctionLike(n)) return;
        ts.forEachChild(n, visit);
      };
      visit(expr);
      return found;
    };

    /** Whether the expression is the input itself or a template that starts with it (the model picks the whole thing). */
    const wholeInput = (expr: ts.Expression | undefined, param: ts.ParameterDeclaration): boolean => {
      if (!expr) return false;
      const e = unwrap(expr);
      if (ts.isTemplateExpression(e)) return e.head.text === '' && fromInput(e.templateSpans[0].expression, param);
      if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.PlusToken) return wholeInput(e.left, param);
      return fromInput(e, param);
    };

    const powerOf = (call: ts.CallExpression | ts.NewExpression, param: ts.ParameterDeclaration, fnText: string): Power | undefined => {
      const name = calleeName(call);
      const args = call.arguments ?? [];
      if (!name) return undefined;
      const ref = calledFunction(ctx, call);
      const mod = ref?.module ?? '';
      const callee = unwrap(call.expression);
      if (ts.isIdentifier(callee)) {
        // const sh = promisify(exec)
        const b = ctx.taint.scopes.resolve(callee);
        const init = b && ts.isVariableDeclaration(b) && b.initializer ? unwrap(b.initializer) : undefined;
        if (init && ts.isCallExpression(init) && calleeName(init) === 'promisify' && init.arguments.length === 1 && SHELL.has(init.arguments[0].getText(ctx.sourceFile).replace(/^.*\./, '')) && args.some((a) => fromInput(a, param))) {
          return { what: 'runs a shell command the model chooses', confidence: 'medium' };
        }
      }
      if (SHELL.has(name) && (/child_process|execa|zx|shelljs/.test(mod) || /^(exec|execSync|spawn|spawnSync|execa|execaCommand)$/.test(name)) && args.some((a) => fromInput(a, param))) {
        return { what: 'runs a shell command the model chooses', confidence: 'medium' };
      }
      if (CODE.has(name) && args.some((a) => fromInput(a, param))) return { what: 'runs code the model writes', confidence: 'medium' };
      if (RAW_SQL.has(name) && args.length >= 1 && wholeInput(args[0], param) && name !== 'run' && name !== 'all' || (name === '$queryRawUnsafe' || name === '$executeRawUnsafe') && fromInput(args[0], param)) {
        const chain = memberChain(call.expression) ?? [];
        if (name === 'query' && !chain.some((c) => /db|pool|client|sql|conn|knex|prisma|pg|mysql|sqlite|database/i.test(c))) return undefined;
        return { what: 'runs SQL the model writes', confidence: 'medium' };
      }
      if ((FS_WRITE.has(name) || FS_READ.has(name)) && /^(node:)?fs(\/promises)?$|fs-extra/.test(mod) && args.length && fromInput(args[0], param)) {
        return { what: FS_WRITE.has(name) ? 'writes or deletes any file path the model chooses' : 'reads any file path the model chooses', confidence: 'medium' };
      }
      if (HTTP.has(name) && args.length && wholeInput(args[0], param)) {
        const chain = memberChain(call.expression) ?? [];
        if (name === 'fetch' || chain[0] === 'axios' || chain[0] === 'got' || chain[0] === 'ky' || /^(axios|got|ky|undici|node-fetch)$/.test(mod)) {
          return { what: 'fetches any URL the model chooses (including internal addresses)', confidence: 'medium' };
        }
      }
      if (DB_WRITES.has(name) && args.some((a) => fromInput(a, param)) && !USER_SCOPE.test(fnText)) {
        const chain = memberChain(call.expression) ?? [];
        if (chain.length >= 2 || ts.isCallExpression(unwrap((call.expression as ts.PropertyAccessExpression).expression ?? call.expression))) {
          return { what: `can ${/delete|destroy|remove|drop|truncate/i.test(name) ? 'delete' : 'change'} database records the model picks, with no check of the signed-in user`, confidence: 'low' };
        }
      }
      return undefined;
    };

    /** Schema fields a model fills freely with a query, command, URL or path (`sql: z.string()`). */
    const looseFields = (schema: ts.Expression | undefined): string[] => {
      if (!schema) return [];
      const out: string[] = [];
      const visit = (n: ts.Node) => {
        if (ts.isPropertyAssignment(n)) {
          const key = propertyNameText(n.name);
          const text = n.initializer.getText(ctx.sourceFile);
          if (key && nameWords(key).some((w) => POWER_FIELD.test(w)) && /^z\.string\(\)(\.(describe|optional|nullable|min|trim)\([^)]*\))*$/.test(text.replace(/\s+/g, ''))) out.push(key);
        }
        ts.forEachChild(n, visit);
      };
      visit(schema);
      return out;
    };

    const judgeHandler = (handler: ts.Expression | undefined, schema: ts.Expression | undefined, toolName: string, anchor: ts.Node) => {
      if (!handler) return;
      const fn = unwrap(handler);
      if (!isFunctionLike(fn) || !fn.body) return;
      const param = paramBindings(fn);
      if (!param) return;
      const fnText = fn.body.getText(ctx.sourceFile);
      let power: Power | undefined;
      let at: ts.Node | undefined;
      const visit = (n: ts.Node) => {
        if (power && power.confidence !== 'low') return;
        if (ts.isCallExpression(n) || ts.isNewExpression(n)) {
          const p = powerOf(n, param, fnText);
          if (p && (!power || p.confidence !== 'low')) { power = p; at = n; }
        }
        ts.forEachChild(n, visit);
      };
      visit(fn.body);
      if (!power || !at) return;
      const loose = looseFields(schema);
      ctx.report({
        node: at,
        confidence: ctx.facts.testFile ? 'low' : power.confidence,
        message: `The LLM tool ${toolName} ${power.what}${loose.length ? ` (its input ${loose.map((f) => `\`${f}\``).join(', ')} is any string)` : ''}: anyone who can put text in front of the model (a chat message, a web page, a document) can make it do so. Its description does not limit it. Take narrow, validated inputs (an enum, an id), use fixed parameterized queries or an allowlist, scope writes to the signed-in user and confirm destructive actions.`,
        related: [{ node: anchor, message: 'the tool is defined here' }],
      });
    };

    const nameFrom = (o: ts.ObjectLiteralExpression | undefined, fallback: string): string => {
      const n = o ? getPropertyValue(o, 'name') : undefined;
      const t = n && ts.isStringLiteralLike(unwrap(n)) ? (unwrap(n) as ts.StringLiteral).text : undefined;
      return t ? `\`${t}\`` : fallback;
    };

    const boundTo = (call: ts.Node): string | undefined => {
      const p = call.parent;
      if (p && ts.isVariableDeclaration(p) && ts.isIdentifier(p.name)) return `\`${p.name.text}\``;
      if (p && ts.isPropertyAssignment(p)) { const k = propertyNameText(p.name); return k ? `\`${k}\`` : undefined; }
      return undefined;
    };

    const visitCall = (call: ts.CallExpression | ts.NewExpression) => {
      const ref = calledFunction(ctx, call);
      const args = call.arguments ?? [];
      const name = calleeName(call);
      if (ref && ref.module === 'ai' && ref.imported === 'tool' && args.length) {
        const o = resolveObject(ctx, args[0]);
        if (!o) return;
        judgeHandler(getPropertyValue(o, 'execute'), getPropertyValue(o, 'parameters') ?? getPropertyValue(o, 'inputSchema'), boundTo(call) ?? 'defined here', call);
        return;
      }
      if (ref && (ref.module.startsWith('@langchain/') || ref.module.startsWith('langchain')) && args.length) {
        if (ts.isNewExpression(call) && (ref.imported === 'DynamicTool' || ref.imported === 'DynamicStructuredTool')) {
          const o = resolveObject(ctx, args[0]);
          if (o) judgeHandler(getPropertyValue(o, 'func'), getPropertyValue(o, 'schema'), nameFrom(o, boundTo(call) ?? 'defined here'), call);
          return;
        }
        if (ts.isCallExpression(call) && ref.imported === 'tool') {
          const o = args[1] ? resolveObject(ctx, args[1]) : undefined;
          judgeHandler(args[0], o ? getPropertyValue(o, 'schema') : undefined, nameFrom(o, boundTo(call) ?? 'defined here'), call);
          return;
        }
      }
      // MCP: server.tool(name, [description], schema, handler) / server.registerTool(name, config, handler)
      if ((name === 'tool' || name === 'registerTool') && args.length >= 2 && mods.some((m) => m.startsWith('@modelcontextprotocol/sdk'))) {
        const handler = args[args.length - 1];
        const t = ts.isStringLiteralLike(unwrap(args[0])) ? `\`${(unwrap(args[0]) as ts.StringLiteral).text}\`` : 'defined here';
        judgeHandler(handler, args.length >= 3 ? args[args.length - 2] : undefined, t, call);
        return;
      }
      // streamText({ tools: { name: { description, parameters, execute } } }) without the tool() helper
      if (name && /^(streamText|generateText|streamObject|generateObject|streamUI)$/.test(name) && args.length) {
        const o = resolveObject(ctx, args[0]);
        const tools = o ? getPropertyValue(o, 'tools') : undefined;
        const to = tools ? resolveObject(ctx, tools) : undefined;
        if (!to) return;
        for (const p of to.properties) {
          if (!ts.isPropertyAssignment(p)) continue;
          const def = unwrap(p.initializer);
          if (!ts.isObjectLiteralExpression(def)) continue;
          judgeHandler(getPropertyValue(def, 'execute'), getPropertyValue(def, 'parameters') ?? getPropertyValue(def, 'inputSchema'), `\`${propertyNameText(p.name) ?? '?'}\``, p);
        }
      }
    };
    return { CallExpression: visitCall, NewExpression: visitCall };
  },
});
