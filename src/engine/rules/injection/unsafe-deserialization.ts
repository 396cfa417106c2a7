import { ts } from 'ts-morph';
import { ALL_LANGUAGES, defineRule, type RuleContext } from '../../model/rule';
import { calleeName, calleeObject, getPropertyValue, memberChain, unwrap } from '../../util/ast';
import { importOf } from '../../util/imports';
import { resolveValue } from '../../util/web';

/** Deserializers that rebuild functions with `eval`, in every version: module → the functions that do it. */
const EVAL_DESERIALIZERS: Record<string, Set<string>> = {
  'node-serialize': new Set(['unserialize']),
  funcster: new Set(['deepDeserialize', 'deserialize']),
  'serialize-to-js': new Set(['deserialize']),
  cryo: new Set(['parse']),
};
const YAML_MODULES = /^(js-yaml|yaml-js)$/;
/** js-yaml schemas with `!!js/function` and `!!js/regexp` types (js-yaml 3, or js-yaml-js-types added to 4). */
const UNSAFE_SCHEMA = /^(DEFAULT_FULL_SCHEMA|FULL_SCHEMA)$|^(yaml|jsyaml|YAML|jsYaml)\.(DEFAULT_FULL_SCHEMA)$/;

/** The module and function of a call: `serialize.unserialize(x)`, `unserialize(x)` imported by name. */
function moduleCall(ctx: RuleContext, call: ts.CallExpression): { module: string; fn: string } | undefined {
  const c = unwrap(call.expression);
  if (ts.isIdentifier(c)) {
    const imp = importOf(ctx, c);
    return imp ? { module: imp.module, fn: imp.imported === 'default' || imp.imported === '*' ? c.text : imp.imported } : undefined;
  }
  const recv = calleeObject(call);
  const r = recv && unwrap(recv);
  const name = calleeName(call);
  if (!r || !name || !ts.isIdentifier(r)) return undefined;
  const imp = importOf(ctx, r);
  return imp ? { module: imp.module, fn: name } : undefined;
}

/** Whether a js-yaml schema option carries JavaScript types: `DEFAULT_FULL_SCHEMA`, or a schema extended with js-yaml-js-types. */
function unsafeSchema(ctx: RuleContext, schema: ts.Expression): boolean {
  const v = resolveValue(ctx, schema);
  const chain = memberChain(unwrap(v))?.join('.') ?? v.getText(ctx.sourceFile);
  if (UNSAFE_SCHEMA.test(chain) || /\.DEFAULT_FULL_SCHEMA$/.test(chain)) return true;
  // `yaml.DEFAULT_SCHEMA.extend(require('js-yaml-js-types').all)`
  return /js-yaml-js-types|\bjsTypes\b|\bjs\/function\b/.test(v.getText(ctx.sourceFile)) ||
    [...ctx.facts.imports].some(([local, imp]) => imp.module === 'js-yaml-js-types' && new RegExp(`\\b${local}\\b`).test(v.getText(ctx.sourceFile)));
}

export default defineRule({
  meta: {
    id: 'unsafe-deserialization',
    title: 'Data loaded with a deserializer that can run code',
    category: 'injection',
    severity: 'error',
    confidence: 'medium',
    cwe: [502],
    owasp: 'A08:2021 Software and Data Integrity Failures',
    description: 'Finds deserializers that can run code: `node-serialize` `unserialize`, `funcster` and `serialize-to-js` deserialization (they rebuild functions with `eval`), and js-yaml `load` with `DEFAULT_FULL_SCHEMA` or the js-yaml-js-types schema. High confidence when request data reaches them, medium for other changing values; a plain js-yaml `load` is low (unsafe only in js-yaml 3).',
    notReported: '`JSON.parse`, js-yaml `safeLoad` and `load` with the default schema (low: it can run code only in js-yaml 3.x), `serialize-javascript` output (it writes data; evaluating it is reported by `code-injection`), and fixed strings.',
    why: 'Some deserializers rebuild functions, not only data: node-serialize runs any value marked `_$$ND_FUNC$$_` through `eval`, and js-yaml\'s full schema turns `!!js/function` into a real function. A cookie, body or uploaded file that goes through them runs the attacker\'s code on your server the moment it is read.',
    fix: 'Exchange data as JSON (`JSON.parse`) and validate it with a schema; load YAML with js-yaml 4\'s default `load` (or `safeLoad` in js-yaml 3). Remove node-serialize and funcster: they have no safe mode. If you must pass state through the client, sign it (an HMAC or a signed cookie) and verify before reading.',
    bad: `const serialize = require('node-serialize');

app.get('/dashboard', (req, res) => {
  const prefs = serialize.unserialize(Buffer.from(req.cookies.prefs, 'base64').toString());
  res.render('dashboard', { prefs });
});`,
    good: `const { z } = require('zod');
const Prefs = z.object({ theme: z.enum(['light', 'dark']), pageSize: z.number().int().max(100) });

app.get('/dashboard', (req, res) => {
  const prefs = Prefs.parse(JSON.parse(Buffer.from(req.signedCookies.prefs, 'base64').toString()));
  res.render('dashboard', { prefs });
});`,
    fixSafety: 'suggestion',
    languages: ALL_LANGUAGES,
    defaultEnabled: true,
    tags: ['deserialization', 'injection'],
  },
  create(ctx) {
    const mods = [...ctx.facts.modules];
    if (!mods.some((m) => m in EVAL_DESERIALIZERS || YAML_MODULES.test(m))) return {};
    const report = (call: ts.CallExpression, input: ts.Expression, what: string, why: string, dynamicConfidence: 'medium' | 'low') => {
      const c = ctx.taint.classify(input, 'code');
      if (c.kind === 'safe') return;
      if (c.kind === 'tainted' && c.trace) {
        ctx.report({
          node: call, confidence: 'high',
          message: `${what} reads request data (\`${c.trace.label}\`), and ${why}: a client can send a value that runs their own code on your server. Use \`JSON.parse\` and validate the result with a schema.`,
          related: [{ node: c.trace.source, message: `Request data enters here (${c.trace.label}) and is deserialized.` }],
        });
        return;
      }
      ctx.report({
        node: call, confidence: ctx.taint.inRequestContext(call) ? dynamicConfidence : 'low',
        message: `${what}: ${why}, so anyone who can change this value (a cookie, an upload, a shared cache) can run code on your server. Use \`JSON.parse\` for data from outside, and validate it.`,
      });
    };
    return {
      CallExpression(call) {
        const m = moduleCall(ctx, call);
        if (!m || !call.arguments[0]) return;
        if (EVAL_DESERIALIZERS[m.module]?.has(m.fn)) {
          report(call, call.arguments[0], `\`${m.module}\` \`${m.fn}\``, 'it rebuilds functions with `eval`', 'medium');
          return;
        }
        if (YAML_MODULES.test(m.module) && (m.fn === 'load' || m.fn === 'loadAll')) {
          const opts = call.arguments[m.fn === 'loadAll' && call.arguments.length > 2 ? 2 : 1];
          const o = opts && resolveValue(ctx, opts);
          const schema = o && ts.isObjectLiteralExpression(o) ? getPropertyValue(o, 'schema') : undefined;
          if (schema && unsafeSchema(ctx, schema)) {
            report(call, call.arguments[0], `\`yaml.${m.fn}\` with \`${schema.getText(ctx.sourceFile).slice(0, 40)}\``, 'that schema turns `!!js/function` tags into real functions', 'medium');
          } else if (!schema && m.module === 'js-yaml') {
            const c = ctx.taint.classify(call.arguments[0], 'code');
            if (c.kind !== 'tainted') return;
            ctx.report({
              node: call, confidence: 'low',
              message: `\`yaml.${m.fn}\` reads request data (\`${c.trace!.label}\`): in js-yaml 3 \`load\` uses the full schema, where \`!!js/function\` runs code; js-yaml 4 made it safe. Make sure js-yaml is 4 or later, or use \`safeLoad\` in 3.x.`,
            });
          }
        }
      },
    };
  },
});
