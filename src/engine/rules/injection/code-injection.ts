import { ts } from 'ts-morph';
import { ALL_LANGUAGES, defineRule, NameTable, type RuleContext, sameVisitor } from '../../model/rule';
import type { TaintTrace } from '../../taint/taint';
import { calleeName, literalText, unwrap } from '../../util/ast';
import { importOf, requiredModule, shortText } from '../../util/imports';

const VM_MODULES = /^(node:)?vm$/;
const VM_FUNCTIONS = new Set(['runInNewContext', 'runInThisContext', 'runInContext', 'compileFunction', 'Script', 'SourceTextModule']);
const GLOBALS = new Set(['window', 'globalThis', 'global', 'self']);

type SinkKind = 'eval' | 'Function' | 'vm' | 'vm2' | 'timer' | 'mathjs';
const MATHJS_FUNCTIONS = new Set(['evaluate', 'compile', 'parse']);
/** the callees the rule checks by name */
const SINK_CALLS = ['eval', 'Function', 'setTimeout', 'setInterval', 'run', ...VM_FUNCTIONS, ...MATHJS_FUNCTIONS];

interface Sink {
  kind: SinkKind;
  /** how to name the call in messages */
  label: string;
  /** the values that become code */
  code: ts.Expression[];
}




/** A global name that no local declaration shadows. */
function isGlobal(ctx: RuleContext, id: ts.Expression, name: string): boolean {
  const e = unwrap(id);
  if (ts.isIdentifier(e)) return e.text === name && !ctx.taint.scopes.resolve(e);
  if (ts.isPropertyAccessExpression(e) && e.name.text === name) {
    const o = unwrap(e.expression);
    return ts.isIdentifier(o) && GLOBALS.has(o.text) && !ctx.taint.scopes.resolve(o);
  }
  // (0, eval)(code): indirect eval
  if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.CommaToken) return isGlobal(ctx, e.right, name);
  return false;
}

/** `vm.runInNewContext`, `new vm.Script`, `runInThisContext` imported from 'vm'. */
function vmFunction(ctx: RuleContext, callee: ts.Expression): string | undefined {
  const c = unwrap(callee);
  if (ts.isIdentifier(c)) {
    const imp = importOf(ctx, c);
    return imp && VM_MODULES.test(imp.module) && VM_FUNCTIONS.has(imp.imported) ? imp.imported : undefined;
  }
  if (ts.isPropertyAccessExpression(c) && VM_FUNCTIONS.has(c.name.text)) {
    const o = unwrap(c.expression);
    const direct = requiredModule(o);
    if (direct) return VM_MODULES.test(direct) ? c.name.text : undefined;
    if (ts.isIdentifier(o)) {
      const imp = importOf(ctx, o);
      if (imp && VM_MODULES.test(imp.module) && (imp.imported === '*' || imp.imported === 'default')) return c.name.text;
    }
  }
  return undefined;
}

/** `new VM(…).run(code)` / `vm.run(code)` where `vm` is a vm2 VM or NodeVM. */
function isVm2Run(ctx: RuleContext, call: ts.CallExpression): boolean {
  if (calleeName(call) !== 'run' || !ts.isPropertyAccessExpression(unwrap(call.expression))) return false;
  let recv = unwrap((unwrap(call.expression) as ts.PropertyAccessExpression).expression);
  if (ts.isIdentifier(recv)) {
    const b = ctx.taint.scopes.resolve(recv);
    if (!b || !ts.isVariableDeclaration(b) || !b.initializer) return false;
    recv = unwrap(b.initializer);
  }
  if (!ts.isNewExpression(recv)) return false;
  const ctor = unwrap(recv.expression);
  const id = ts.isIdentifier(ctor) ? ctor : ts.isPropertyAccessExpression(ctor) && ts.isIdentifier(unwrap(ctor.expression)) ? unwrap(ctor.expression) as ts.Identifier : undefined;
  return !!id && importOf(ctx, id)?.module === 'vm2';
}

/** `math.evaluate(…)`, `evaluate(…)` imported from mathjs, or a mathjs instance made with `create(all)`. */
function isMathjs(ctx: RuleContext, callee: ts.Expression): boolean {
  const c = unwrap(callee);
  if (ts.isIdentifier(c)) {
    const imp = importOf(ctx, c);
    return !!imp && imp.module === 'mathjs' && MATHJS_FUNCTIONS.has(imp.imported);
  }
  if (!ts.isPropertyAccessExpression(c) || !MATHJS_FUNCTIONS.has(c.name.text)) return false;
  const o = unwrap(c.expression);
  if (!ts.isIdentifier(o)) return requiredModule(o) === 'mathjs';
  const imp = importOf(ctx, o);
  if (imp) return imp.module === 'mathjs';
  const b = ctx.taint.scopes.resolve(o);
  if (!b || !ts.isVariableDeclaration(b) || !b.initializer) return false;
  const init = unwrap(b.initializer);
  if (!ts.isCallExpression(init) || !['create', 'factory'].includes(calleeName(init) ?? '')) return false;
  const f = unwrap(init.expression);
  const id = ts.isIdentifier(f) ? f : ts.isPropertyAccessExpression(f) && ts.isIdentifier(unwrap(f.expression)) ? unwrap(f.expression) as ts.Identifier : undefined;
  return !!id && importOf(ctx, id)?.module === 'mathjs';
}

/** Whether a value is certainly a string (so a timer would evaluate it), following local constants. */
function isStringish(ctx: RuleContext, expr: ts.Expression, depth = 0): boolean {
  const e = unwrap(expr);
  if (ts.isStringLiteralLike(e) || ts.isTemplateExpression(e)) return true;
  if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.PlusToken) return isStringish(ctx, e.left, depth + 1) || isStringish(ctx, e.right, depth + 1);
  if (ts.isIdentifier(e) && depth < 4) {
    const b = ctx.taint.scopes.resolve(e);
    if (b && ts.isVariableDeclaration(b) && b.initializer && ts.isIdentifier(b.name)) return isStringish(ctx, b.initializer, depth + 1);
  }
  return false;
}

function sinkOf(ctx: RuleContext, node: ts.CallExpression | ts.NewExpression): Sink | undefined {
  const args = node.arguments ?? ts.factory.createNodeArray<ts.Expression>();
  if (isGlobal(ctx, node.expression, 'eval')) return args[0] ? { kind: 'eval', label: 'eval', code: [args[0]] } : undefined;
  if (isGlobal(ctx, node.expression, 'Function')) return args.length ? { kind: 'Function', label: 'new Function', code: [...args] } : undefined;
  const vm = vmFunction(ctx, node.expression);
  if (vm) return args[0] ? { kind: 'vm', label: ts.isNewExpression(node) ? `new ${shortText(ctx, node.expression, 30)}` : shortText(ctx, node.expression, 30), code: [args[0]] } : undefined;
  if (ts.isCallExpression(node)) {
    if (isVm2Run(ctx, node) && args[0]) return { kind: 'vm2', label: shortText(ctx, node.expression, 30), code: [args[0]] };
    if (args[0] && isMathjs(ctx, node.expression)) return { kind: 'mathjs', label: shortText(ctx, node.expression, 30), code: [args[0]] };
    for (const t of ['setTimeout', 'setInterval']) {
      if (isGlobal(ctx, node.expression, t) && args[0] && isStringish(ctx, args[0])) return { kind: 'timer', label: t, code: [args[0]] };
    }
  }
  return undefined;
}

function advice(kind: SinkKind): string {
  switch (kind) {
    case 'eval': return 'Use `JSON.parse` for data, or map the allowed inputs to functions you wrote instead of building code.';
    case 'Function': return 'Write the function in your code and pass data to it as arguments, instead of building its body from strings.';
    case 'vm': return 'Node\'s `vm` module is not a sandbox: keep user input out of the code, or run it in a separate locked-down process.';
    case 'vm2': return 'vm2 is discontinued and has known sandbox escapes: do not run user-supplied code with it; use `isolated-vm` or a separate locked-down process.';
    case 'timer': return 'Pass a function instead: `setTimeout(() => doWork(), ms)`.';
    case 'mathjs': return 'Parse the numbers yourself, or, if users must write formulas, use a mathjs instance with `import`, `createUnit`, `evaluate`, `parse` and `compile` disabled (mathjs\'s security page shows how) and a length limit.';
  }
}

export default defineRule({
  meta: {
    id: 'code-injection',
    title: 'Strings run as code',
    category: 'injection',
    severity: 'error',
    confidence: 'medium',
    cwe: [94, 95],
    owasp: 'A03:2021 Injection',
    description: 'Finds strings evaluated as code: `eval`, `new Function`, Node\'s `vm` (`runInNewContext`, `runInThisContext`, `new vm.Script`…), vm2, and `setTimeout`/`setInterval` with a string. Confidence is high when request data reaches the code, medium for other changing values and low for fixed strings.',
    notReported: 'Fixed strings (low confidence) and `JSON.parse`, which parses data without running it.',
    why: 'Code built from a string runs with all of your app\'s permissions. If any part of that string comes from a user, they can run their own JavaScript on your server or in your users\' browsers: read secrets and files, change data, or take over the machine.',
    fix: 'Do not turn data into code. Parse data with `JSON.parse`, pick behaviour from a fixed map of functions, and pass functions (not strings) to `setTimeout`. If you truly must run untrusted code, do it in a separate, locked-down process, not with `eval` or `vm`.',
    bad: `app.post('/calc', (req, res) => {
  const result = eval(req.body.expression);
  res.json({ result });
});`,
    good: `const OPS = { add: (a, b) => a + b, mul: (a, b) => a * b };

app.post('/calc', (req, res) => {
  const op = OPS[req.body.op];
  if (!op) return res.status(400).json({ error: 'Unknown operation' });
  res.json({ result: op(Number(req.body.a), Number(req.body.b)) });
});`,
    fixSafety: 'none',
    languages: ALL_LANGUAGES,
    defaultEnabled: true,
    tags: ['code', 'eval', 'injection'],
  },
  create(ctx) {
    const check = (node: ts.CallExpression | ts.NewExpression) => {
      const sink = sinkOf(ctx, node);
      if (!sink) return;
      let worst: { kind: 'tainted' | 'dynamic'; part: ts.Expression; trace?: TaintTrace } | undefined;
      for (const part of sink.code) {
        if (ts.isSpreadElement(part)) continue;
        const c = ctx.taint.classify(part, 'code');
        if (c.kind === 'safe') continue;
        if (!worst || (c.kind === 'tainted' && worst.kind !== 'tainted')) worst = { kind: c.kind, part, trace: c.trace };
      }
      if (sink.kind === 'mathjs') {
        if (worst?.kind !== 'tainted' || !worst.trace) return;
        ctx.report({
          node: worst.part, confidence: 'medium',
          message: `\`${sink.label}\` runs a mathjs expression written by the client (\`${worst.trace.label}\`): mathjs expressions can call functions, define new ones and loop, old versions could escape to JavaScript, and even current ones let a client tie up the server with huge computations. ${advice(sink.kind)}`,
          related: [{ node: worst.trace.source, message: `Request data enters here (${worst.trace.label}) and becomes an expression.` }],
        });
        return;
      }
      const what = sink.kind === 'timer' ? `\`${sink.label}\` with a string runs it like \`eval\`` : `\`${sink.label}\` runs a string as JavaScript`;
      const anchor = worst?.part ?? sink.code[0] ?? node;
      if (worst?.kind === 'tainted' && worst.trace) {
        const fromPage = /^(window\.|document\.|location\.|self\.|postMessage|useSearchParams|useParams|useRouter)/.test(worst.trace.label) ||
          /^(window|document|location)\b/.test(worst.trace.source.getText(ctx.sourceFile));
        ctx.report({
          node: anchor, confidence: 'high',
          message: `${what}, and this one contains ${fromPage ? 'data from the page URL or another window' : 'request data'} (\`${worst.trace.label}\`): ${fromPage ? 'a crafted link can run its own script in your users\' browsers' : 'a client can run their own code with your app\'s permissions'}. ${advice(sink.kind)}`,
          related: [{ node: worst.trace.source, message: `${fromPage ? 'Untrusted data' : 'Request data'} enters here (${worst.trace.label}) and becomes code.` }],
        });
        return;
      }
      if (worst) {
        ctx.report({
          node: anchor,
          confidence: ctx.taint.inRequestContext(node) ? 'medium' : 'low',
          message: `${what}, here built from a changing value (\`${shortText(ctx, worst.part)}\`): if it can ever hold user input, they can run their own code on your server. ${advice(sink.kind)}`,
        });
        return;
      }
      ctx.report({
        node: anchor, confidence: 'low', severity: 'warning',
        message: `${what}; with a fixed string it is not injectable today, but it hides code from tools and invites user data later. ${advice(sink.kind)}`,
      });
    };
    // dispatch by callee name (cheap); aliases of vm functions are added by their local names, and
    // callees with no static name (`(0, eval)(…)`) still get the full check
    const locals: string[] = [];
    for (const [local, imp] of ctx.facts.imports) if (VM_MODULES.test(imp.module) || imp.module === 'mathjs') locals.push(local);
    return {
      calls: locals.length ? new NameTable(new Set([...SINK_CALLS, ...locals]), check) : sameVisitor(SINK_CALLS, check),
      CallExpression(node) { if (calleeName(node) === undefined) check(node); },
    };
  },
});
