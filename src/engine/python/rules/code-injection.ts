import { positionalArgs, stringValue } from '../ast';
import { definePythonRule } from '../rule';
import { decomposeString } from '../strings';

export default definePythonRule({
  id: 'code-injection',
  docs: {
    description: 'In Python, finds `eval`, `exec` and `compile` run on a string that is not fixed. Confidence is high when request data reaches it; use `ast.literal_eval` for data, or a lookup table for choices. Code compiled by RestrictedPython\'s `compile_restricted` runs in its sandbox: low.',
    bad: '# file: app.py\nfrom flask import Flask, request\n\napp = Flask(__name__)\n\n@app.get("/calc")\ndef calc():\n    expr = request.args.get("expr", "0")\n    return {"result": eval(expr)}\n',
    good: '# file: app.py\nimport ast\nfrom flask import Flask, request\n\napp = Flask(__name__)\n\n@app.get("/calc")\ndef calc():\n    numbers = ast.literal_eval(request.args.get("numbers", "[]"))\n    return {"result": sum(numbers)}\n',
  },
  create(ctx) {
    const check = (call: import('web-tree-sitter').Node) => {
      const fn = call.childForFieldName('function');
      // only the builtins: `self.eval(…)`, `model.eval()` and imported functions of the same name are not them
      if (fn?.type !== 'identifier' || ctx.facts.imports.has(fn.text)) return;
      const arg = positionalArgs(call)[0];
      if (!arg || stringValue(arg) !== undefined) return;
      // RestrictedPython: code compiled by `compile_restricted` runs in its sandbox (no imports unless allowed, guarded
      // attribute access), the way apps let their users script on purpose
      const compiled = arg.type === 'identifier' ? ctx.taint.writesBefore(arg.text, call).pop() : arg;
      if (compiled?.type === 'call' && /^RestrictedPython\b|(^|\.)compile_restricted(_exec|_eval|_single|_function)?$/.test(ctx.facts.qualify(compiled.childForFieldName('function')) ?? '')) {
        ctx.report({
          node: call, confidence: 'low',
          message: `\`${fn.text}\` runs code compiled by RestrictedPython: its sandbox holds only while the globals given here keep its guards (\`safe_builtins\`, guarded \`_getattr_\`, \`_getitem_\`, \`_write_\`) and no unsafe module or object is added to them. Let only trusted, signed-in users write such scripts.`,
        });
        return;
      }
      const t = ctx.taint.trace(arg, new Set(['literal_eval']));
      if (t) {
        ctx.report({
          node: call, confidence: 'high',
          message: `\`${fn.text}\` runs Python code, and this code contains request data (\`${t.label}\`): a client can run any code on your server with your app's permissions. Parse data with \`json.loads\` or \`ast.literal_eval\`, and map choices through a fixed dictionary.`,
          related: [{ node: t.source, message: `Request data enters here (${t.label}) and becomes code.` }],
        });
        return;
      }
      const built = decomposeString(arg, ctx.taint);
      ctx.report({
        node: call, confidence: built && ctx.taint.inHandler(call) ? 'medium' : 'low',
        message: `\`${fn.text}\` runs Python code built from a changing value (\`${arg.text.slice(0, 40)}\`): if it can ever hold user input, they can run their own code on your server. Use \`json.loads\` / \`ast.literal_eval\` for data and a fixed dictionary for choices.`,
      });
    };
    return { calls: { eval: check, exec: check } };
  },
});
