import type { Node } from 'web-tree-sitter';
import { ts } from 'ts-morph';
import { ALL_LANGUAGES, defineRule, NameTable, type RuleContext, sameVisitor } from '../../model/rule';
import { calleeName, calleeObject, unwrap } from '../../util/ast';
import { importOf, requiredModule, shortText } from '../../util/imports';
import { assignedValues, positionalArgs, stringValue } from '../../python/ast';
import { decomposeString } from '../../python/strings';

/** Template engines of npm and the functions of each that take template source (not a file name). */
const SOURCE_FUNCTIONS: Record<string, Set<string>> = {
  ejs: new Set(['render', 'compile']),
  pug: new Set(['render', 'compile']),
  jade: new Set(['render', 'compile']),
  handlebars: new Set(['compile', 'precompile']),
  hbs: new Set(['compile', 'precompile']),
  nunjucks: new Set(['renderString', 'compile']),
  swig: new Set(['render', 'compile']),
  'swig-templates': new Set(['render', 'compile']),
  lodash: new Set(['template']),
  'lodash.template': new Set(['default', '*']),
  underscore: new Set(['template']),
  dot: new Set(['template', 'compile']),
  mustache: new Set(['render']),
  eta: new Set(['renderString', 'compile', 'renderStringAsync']),
  liquidjs: new Set(['parseAndRender', 'parse']),
};
/** the functions that compile a template, by their own names (namespace and default imports are called by their local names) */
const SOURCE_CALLS = [...new Set(Object.values(SOURCE_FUNCTIONS).flatMap((fns) => [...fns].filter((f) => f !== '*' && f !== 'default')))];
/** Methods distinctive enough to judge on any receiver once the file uses the engine (`env.renderString`, `engine.parseAndRender`). */
// (no prototype: `x.toString(…)` must not find Object's method here)
const INSTANCE_METHODS: Record<string, string[]> = Object.assign(Object.create(null) as Record<string, string[]>, { renderString: ['nunjucks', 'eta'], parseAndRender: ['liquidjs'], renderStringAsync: ['eta'] });

/** The engine and function a call compiles or renders template source with, if it is one. */
function templateSink(ctx: RuleContext, call: ts.CallExpression): { engine: string; fn: string } | undefined {
  const callee = unwrap(call.expression);
  const name = calleeName(call);
  if (!name) return undefined;
  if (ts.isIdentifier(callee)) {
    const imp = importOf(ctx, callee);
    if (!imp) return undefined;
    const fns = SOURCE_FUNCTIONS[imp.module];
    if (fns && (fns.has(imp.imported) || (fns.has('*') && (imp.imported === 'default' || imp.imported === '*')))) return { engine: imp.module, fn: imp.imported === '*' || imp.imported === 'default' ? imp.module : imp.imported };
    return undefined;
  }
  const obj = calleeObject(call);
  if (!obj) return undefined;
  const o = unwrap(obj);
  const direct = requiredModule(o);
  let module = direct;
  if (!module && ts.isIdentifier(o)) {
    const imp = importOf(ctx, o);
    if (imp && (imp.imported === '*' || imp.imported === 'default')) module = imp.module;
    // `_` from lodash loaded elsewhere is still lodash
    else if (!imp && o.text === '_' && !ctx.taint.scopes.resolve(o) && name === 'template') module = 'lodash';
  }
  if (module && SOURCE_FUNCTIONS[module]?.has(name)) return { engine: module, fn: `${module === 'lodash' || module === 'underscore' ? '_' : ts.isIdentifier(o) ? o.text : module}.${name}` };
  const engines = INSTANCE_METHODS[name];
  if (engines && engines.some((e) => ctx.facts.modules.has(e))) return { engine: engines.find((e) => ctx.facts.modules.has(e))!, fn: `${shortText(ctx, o, 20)}.${name}` };
  return undefined;
}

/** Whether a template source is built from pieces (a template literal with substitutions or `+`). */
function isBuilt(e: ts.Expression): boolean {
  const u = unwrap(e);
  return ts.isTemplateExpression(u) || (ts.isBinaryExpression(u) && u.operatorToken.kind === ts.SyntaxKind.PlusToken);
}

export default defineRule({
  meta: {
    id: 'template-injection',
    title: 'Template source built from request data (SSTI)',
    category: 'injection',
    severity: 'error',
    confidence: 'medium',
    cwe: [1336, 94],
    owasp: 'A03:2021 Injection',
    description: 'Finds server-side templates whose source text is not fixed. JavaScript: `ejs.render`/`ejs.compile`, `pug.render`/`pug.compile`, `Handlebars.compile`, `nunjucks.renderString`, `swig.render`, lodash `_.template`, doT, Mustache, Eta and LiquidJS given template source. Python: Flask `render_template_string`, Jinja2 and Mako `Template(…)`. Confidence is high when request data reaches the template source; medium when the source is built from pieces (template literal, `+`, f-string, `format`) in a request handler.',
    notReported: 'Templates loaded from files (`res.render`, `render_template`, `ejs.renderFile`, a template read with `fs.readFile`) and fixed template strings, where request data only fills the template\'s variables (which the engine escapes).',
    why: 'A template is code: EJS, Pug, lodash and doT templates are compiled to JavaScript, Handlebars and Nunjucks expressions reach objects and their constructors, and Jinja2 `{{ … }}` reaches Python objects; all of them can read your config and secrets, and in most setups run commands on the server. When request data becomes part of the template source, a client writes that code.',
    fix: 'Keep templates fixed (a file or a constant string) and pass request data as variables: `ejs.render(TEMPLATE, { name })`, `render_template_string("Hello {{ name }}", name=name)`. The engine escapes variables; it never runs them. If users must write templates, use a logic-less engine (Mustache) with only the data they may see, in a separate process.',
    bad: `// file: routes/preview.js
const ejs = require('ejs');

router.post('/newsletter/preview', requireAdmin, (req, res) => {
  const html = ejs.render(req.body.template, { user: req.user });
  res.send(html);
});`,
    good: `// file: routes/preview.js
const ejs = require('ejs');
const TEMPLATE = '<h1>Hello <%= name %></h1><p><%= message %></p>';

router.post('/newsletter/preview', requireAdmin, (req, res) => {
  res.send(ejs.render(TEMPLATE, { name: req.user.name, message: req.body.message }));
});`,
    python: {
      description: 'Flask `render_template_string`, Jinja2 `Template(…)` and `Environment.from_string(…)` (not of a `SandboxedEnvironment`, which is made for user-written templates), Mako `Template(…)` given template source that is not fixed: high when request data reaches it, medium when it is built with an f-string, `%`, `format` or `+` in a request handler.',
      bad: '# file: app.py\nfrom flask import Flask, request, render_template_string\n\napp = Flask(__name__)\n\n@app.get("/hello")\ndef hello():\n    name = request.args.get("name", "there")\n    return render_template_string(f"<h1>Hello {name}!</h1>")\n',
      good: '# file: app.py\nfrom flask import Flask, request, render_template_string\n\napp = Flask(__name__)\n\n@app.get("/hello")\ndef hello():\n    name = request.args.get("name", "there")\n    return render_template_string("<h1>Hello {{ name }}!</h1>", name=name)\n',
    },
    fixSafety: 'none',
    languages: [...ALL_LANGUAGES, 'python'],
    defaultEnabled: true,
    tags: ['injection', 'ssti', 'templates'],
  },
  create(ctx) {
    const check = (call: ts.CallExpression | ts.NewExpression) => {
      if (!ts.isCallExpression(call)) return;
      const sink = templateSink(ctx, call);
      const arg = call.arguments[0];
      if (!sink || !arg || ts.isSpreadElement(arg)) return;
      const c = ctx.taint.classify(arg, 'code');
      if (c.kind === 'safe') return;
      if (c.kind === 'tainted' && c.trace) {
        ctx.report({
          node: arg, confidence: 'high',
          message: `The template source given to \`${sink.fn}\` contains request data (\`${c.trace.label}\`): a client can write template code, which ${sink.engine === 'mustache' || sink.engine === 'liquidjs' ? 'reads the data and helpers you pass in' : 'in this engine runs JavaScript on your server'}. Keep templates in files or constants and pass the value as data (\`ejs.render(TEMPLATE, { name })\`).`,
          related: [{ node: c.trace.source, message: `Request data enters here (${c.trace.label}) and becomes template code.` }],
        });
        return;
      }
      // a variable of unknown origin is usually a template read from the app's own files
      if (!isBuilt(arg)) return;
      ctx.report({
        node: arg, confidence: ctx.taint.inRequestContext(call) ? 'medium' : 'low',
        message: `The template source given to \`${sink.fn}\` is built from changing values: any user input in it becomes template code that can run on your server. Keep the template fixed and pass values as data (\`{ name }\`), which the engine escapes.`,
      });
    };
    const locals: string[] = [];
    for (const [local, imp] of ctx.facts.imports) if (SOURCE_FUNCTIONS[imp.module]) locals.push(local);
    return { calls: locals.length ? new NameTable(new Set([...SOURCE_CALLS, ...locals]), check) : sameVisitor(SOURCE_CALLS, check) };
  },
  python: {
    create(ctx) {
      const check = (call: Node, what: string) => {
        const arg = positionalArgs(call)[0];
        if (!arg || stringValue(arg) !== undefined) return;
        const t = ctx.taint.trace(arg);
        if (t) {
          ctx.report({
            node: arg, confidence: 'high',
            message: `The template given to \`${what}\` contains request data (\`${t.label}\`): a client can write template code such as \`{{ config }}\` and read your secrets or run code on the server. Keep the template fixed and pass the value as a variable (\`render_template_string("… {{ name }}", name=name)\`).`,
            related: [{ node: t.source, message: `Request data enters here (${t.label}) and becomes template code.` }],
          });
          return;
        }
        const built = decomposeString(arg, ctx.taint);
        if (!built) {
          // a variable or a file's content: templates loaded from your own files are normal
          return;
        }
        ctx.report({
          node: arg, confidence: ctx.taint.inHandler(call) ? 'medium' : 'low',
          message: `The template given to \`${what}\` is built with ${built.how === 'f-string' ? 'an f-string' : built.how === '+' ? 'string concatenation' : '`' + built.how + '` formatting'}: any user input in it becomes template code that can read secrets or run code. Keep the template fixed and pass values as variables.`,
        });
      };
      return {
        calls: {
          render_template_string: (call) => {
            const q = ctx.facts.qualify(call.childForFieldName('function')) ?? '';
            if (q.startsWith('flask') || q === 'render_template_string') check(call, 'render_template_string');
          },
          Template: (call) => {
            const q = ctx.facts.qualify(call.childForFieldName('function')) ?? '';
            if (/^(jinja2|mako\.template)\b/.test(q)) check(call, q);
          },
          from_string: (call) => {
            if (!ctx.facts.modules.has('jinja2') && !ctx.facts.flask) return;
            // Jinja's SandboxedEnvironment is made for templates that users write: it refuses unsafe attributes and calls
            const env = call.childForFieldName('function')?.childForFieldName('object');
            const made = env?.type === 'identifier' ? assignedValues(ctx.root, env.text) : [env];
            const sandboxed = made.length > 0 && made.every((m) => m?.type === 'call' && /^jinja2\.sandbox\.(Immutable)?SandboxedEnvironment$/.test(ctx.facts.qualify(m.childForFieldName('function')) ?? ''));
            if (!sandboxed) check(call, call.childForFieldName('function')!.text);
          },
        },
      };
    },
  },
});
