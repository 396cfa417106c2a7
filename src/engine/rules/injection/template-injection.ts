import type { Node } from 'web-tree-sitter';
import { defineRule } from '../../model/rule';
import { positionalArgs, stringValue } from '../../python/ast';
import { decomposeString } from '../../python/strings';

export default defineRule({
  meta: {
    id: 'template-injection',
    title: 'Template source built from request data (SSTI)',
    category: 'injection',
    severity: 'error',
    confidence: 'medium',
    cwe: [1336, 94],
    owasp: 'A03:2021 Injection',
    description: 'Finds server-side templates whose source text is not fixed: Flask `render_template_string`, Jinja2 `Template(…)` and `Environment.from_string(…)`, Mako `Template(…)`. Confidence is high when request data reaches the template source; medium when the source is built with an f-string, `%`, `format` or `+` in a request handler.',
    notReported: 'Templates loaded from files (`render_template`) and fixed template strings, where request data only fills the template\'s variables (which the engine escapes).',
    why: 'A template is code: `{{ … }}` in Jinja2 can reach Python objects, read your config and secrets, and in most setups run commands on the server. When request data becomes part of the template source, a client writes that code.',
    fix: 'Keep templates fixed (a file or a constant string) and pass request data as variables: `render_template_string("Hello {{ name }}", name=name)`. Jinja2 escapes variables; it never runs them.',
    bad: '# file: app.py\nfrom flask import Flask, request, render_template_string\n\napp = Flask(__name__)\n\n@app.get("/hello")\ndef hello():\n    name = request.args.get("name", "there")\n    return render_template_string(f"<h1>Hello {name}!</h1>")\n',
    good: '# file: app.py\nfrom flask import Flask, request, render_template_string\n\napp = Flask(__name__)\n\n@app.get("/hello")\ndef hello():\n    name = request.args.get("name", "there")\n    return render_template_string("<h1>Hello {{ name }}!</h1>", name=name)\n',
    fixSafety: 'none',
    languages: ['python'],
    defaultEnabled: true,
    tags: ['injection', 'ssti', 'python'],
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
            if (ctx.facts.modules.has('jinja2') || ctx.facts.flask) check(call, call.childForFieldName('function')!.text);
          },
        },
      };
    },
  },
});
