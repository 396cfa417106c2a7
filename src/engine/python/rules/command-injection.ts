import type { Node } from 'web-tree-sitter';
import { keywordArgNode, positionalArgs, stringValue, isTrue, keywordArg } from '../ast';
import { pyFix } from '../fixes';
import { definePythonRule, type PyRuleContext } from '../rule';
import { decomposeString, isHarmlessPart } from '../strings';
import type { Fix } from '../../model/types';

/** Functions that always run their argument through the shell. */
const ALWAYS_SHELL = new Set(['os.system', 'os.popen', 'subprocess.getoutput', 'subprocess.getstatusoutput', 'commands.getoutput', 'os.popen2', 'os.popen3']);
/** Functions that use the shell with `shell=True`. */
const SHELL_OPTION = new Set(['subprocess.run', 'subprocess.call', 'subprocess.check_call', 'subprocess.check_output', 'subprocess.Popen', 'asyncio.create_subprocess_shell']);
const SHELL_META = /[|&;$`<>*?'"(){}\\\n[\]!~#]/;

/** `subprocess.run(f"ping -c 1 {host}", shell=True)` → `subprocess.run(["ping", "-c", "1", host])`. */
function listFix(ctx: PyRuleContext, call: Node, arg: Node): Fix[] | undefined {
  if (arg.type !== 'string') return undefined;
  const shell = keywordArgNode(call, 'shell');
  if (!shell) return undefined;
  const tokens: string[] = [];
  let cur = '';
  let curDynamic = false;
  for (const c of arg.namedChildren) {
    if (!c || c.type === 'string_start' || c.type === 'string_end') continue;
    if (c.type === 'string_content') {
      if (SHELL_META.test(c.text)) return undefined;
      for (const ch of c.text) {
        if (/\s/.test(ch)) { if (cur) { if (curDynamic) return undefined; tokens.push(JSON.stringify(cur)); } cur = ''; }
        else { if (curDynamic) return undefined; cur += ch; }
      }
    } else if (c.type === 'interpolation' && c.namedChildren.length === 1 && c.namedChildren[0]) {
      if (cur) return undefined; // `--name={x}`: a token mixing text and a value
      tokens.push(`str(${c.namedChildren[0].text})`.replace(/^str\(([A-Za-z_][\w.]*)\)$/, '$1'));
      curDynamic = true;
      cur = '';
      continue;
    } else return undefined;
    curDynamic = false;
  }
  if (cur) { if (curDynamic) return undefined; tokens.push(JSON.stringify(cur)); }
  if (tokens.length < 2) return undefined;
  // drop `shell=True` together with the comma before it
  const prev = ctx.text.lastIndexOf(',', shell.startIndex);
  const removeFrom = prev > arg.endIndex - 1 ? prev : shell.startIndex;
  return [pyFix(ctx.path, 'Run the program with an argument list instead of a shell (shell=False)', [
    { start: arg.startIndex, end: arg.endIndex, newText: `[${tokens.join(', ')}]` },
    { start: removeFrom, end: shell.endIndex, newText: '' },
  ], 'Each value is now one argument: check that the program still gets what it expects.')];
}

export default definePythonRule({
  id: 'command-injection',
  docs: {
    description: 'In Python, finds shell commands built from values: `os.system`, `os.popen`, `subprocess.getoutput` and `subprocess.run/call/check_output/Popen(…, shell=True)` with a command that is not a fixed string. Confidence is high when request data reaches the command. The fix runs the program with an argument list and without the shell.',
    bad: '# file: app.py\nimport subprocess\nfrom flask import Flask, request\n\napp = Flask(__name__)\n\n@app.post("/ping")\ndef ping():\n    host = request.form["host"]\n    out = subprocess.run(f"ping -c 1 {host}", shell=True, capture_output=True, text=True)\n    return out.stdout\n',
    good: '# file: app.py\nimport subprocess\nfrom flask import Flask, request\n\napp = Flask(__name__)\n\n@app.post("/ping")\ndef ping():\n    host = request.form["host"]\n    out = subprocess.run(["ping", "-c", "1", host], capture_output=True, text=True)\n    return out.stdout\n',
  },
  create(ctx) {
    const check = (call: Node) => {
      const q = ctx.facts.qualify(call.childForFieldName('function'));
      if (!q) return;
      const always = ALWAYS_SHELL.has(q);
      if (!always && !(SHELL_OPTION.has(q) && (isTrue(keywordArg(call, 'shell')) || q === 'asyncio.create_subprocess_shell'))) return;
      const arg = positionalArgs(call)[0] ?? keywordArg(call, 'args') ?? keywordArg(call, 'cmd');
      if (!arg || stringValue(arg) !== undefined) return;
      if (arg.type === 'list' || arg.type === 'tuple') {
        // a list with shell=True: only the first item is the command line
        const first = arg.namedChildren[0];
        if (!first || stringValue(first) !== undefined) return;
      }
      const built = decomposeString(arg, ctx.taint);
      const parts = built ? built.dynamic.filter((d) => !isHarmlessPart(d) && !ctx.taint.isNumeric(d)) : [arg];
      if (!parts.length) return;
      const fn = call.childForFieldName('function')!.text;
      const how = always ? `\`${fn}\` runs its command through the shell` : `\`${fn}(…, shell=True)\` runs its command through the shell`;
      const fixes = !always ? listFix(ctx, call, arg) : undefined;
      const advice = 'Pass an argument list without `shell=True` (`subprocess.run(["prog", value])`), or quote each value with `shlex.quote`.';
      for (const p of parts) {
        const t = ctx.taint.trace(p, new Set(['shlex.quote', 'quote', 'pipes.quote']));
        if (t) {
          ctx.report({
            node: arg, confidence: 'high',
            message: `${how}, and the command contains request data (\`${t.label}\`): characters like \`;\`, \`|\` or \`$(…)\` let a client run any command on your server. ${advice}`,
            related: [{ node: t.source, message: `Request data enters here (${t.label}) and reaches the shell command.` }],
            ...(fixes ? { fixes } : {}),
          });
          return;
        }
      }
      if (built && parts.every((p) => /(^|\.)quote\(/.test(p.text))) return;
      ctx.report({
        node: arg, confidence: built && ctx.taint.inHandler(call) ? 'medium' : 'low',
        message: `${how}, and the command is built from a changing value (\`${parts[0].text.slice(0, 40)}\`): if it can ever contain user input, characters like \`;\` or \`$(…)\` run extra commands. ${advice}`,
        ...(fixes ? { fixes } : {}),
      });
    };
    const calls: Record<string, (n: Node) => void> = {};
    for (const q of [...ALWAYS_SHELL, ...SHELL_OPTION]) calls[q.split('.').pop()!] = check;
    return { calls };
  },
});
