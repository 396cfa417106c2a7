import { ts } from 'ts-morph';
import { ALL_LANGUAGES, defineRule, type RuleContext } from '../../model/rule';
import type { TaintTrace } from '../../taint/taint';
import { calleeName, getPropertyValue, literalText, unwrap } from '../../util/ast';
import { tryFixes } from '../../fixes/edits';
import { execFileFixes } from '../../fixes/command';
import { importOf, requiredModule, shortText } from '../../util/imports';
import { textPrefilter } from '../../util/text-words';

/** the pre-filter's expression, asked only of a text that holds one of these words (util/text-words.ts) */
const PROCESS_LIBS = textPrefilter(/child_process|execa|shelljs|cross-spawn/, ['child_process', 'execa', 'shelljs', 'cross-spawn']);

const CHILD_PROCESS = /^(node:)?child_process$/;
/** Functions that hand their first argument to a shell. */
const SHELL_FUNCTIONS = new Set(['exec', 'execSync']);
/** Functions that run a program with an argument array: safe unless `shell` is on or the program itself is chosen by the client. */
const ARGV_FUNCTIONS = new Set(['spawn', 'spawnSync', 'execFile', 'execFileSync']);
const SHELLS = /^(\/(usr\/)?bin\/)?(sh|bash|zsh|dash|ksh|cmd|cmd\.exe|powershell|powershell\.exe|pwsh)$/;

interface Target {
  module: string;
  fn: string;
}

type Sink =
  | { kind: 'shell'; fn: string; command: ts.Expression[] }
  | { kind: 'program'; fn: string; program: ts.Expression };




/** The library function a callee refers to: `exec`, `cp.exec`, `require('child_process').exec`, `promisify(exec)`, `shell.exec`. */
function resolveTarget(ctx: RuleContext, callee: ts.Expression, depth = 0): Target | undefined {
  if (depth > 4) return undefined;
  const c = unwrap(callee);
  if (ts.isIdentifier(c)) {
    const imp = importOf(ctx, c);
    if (imp) {
      if (imp.imported === '*' || imp.imported === 'default') {
        // default exports that are themselves the function: `import execa from 'execa'`, `import spawn from 'cross-spawn'`
        if (imp.module === 'execa') return { module: 'execa', fn: 'execa' };
        if (imp.module === 'cross-spawn') return { module: 'child_process', fn: 'spawn' };
        return undefined;
      }
      return { module: imp.module === 'cross-spawn' ? 'child_process' : imp.module, fn: imp.imported };
    }
    const b = ctx.taint.scopes.resolve(c);
    if (b && ts.isVariableDeclaration(b) && b.initializer) {
      const init = unwrap(b.initializer);
      // const execAsync = promisify(exec) / util.promisify(cp.exec)
      if (ts.isCallExpression(init) && calleeName(init) === 'promisify' && init.arguments[0]) return resolveTarget(ctx, init.arguments[0], depth + 1);
      if (ts.isIdentifier(init) || ts.isPropertyAccessExpression(init)) return resolveTarget(ctx, init, depth + 1);
    }
    return undefined;
  }
  if (ts.isPropertyAccessExpression(c)) {
    const fn = c.name.text;
    const obj = unwrap(c.expression);
    const direct = requiredModule(obj);
    if (direct) return { module: direct, fn };
    if (ts.isIdentifier(obj)) {
      const imp = importOf(ctx, obj);
      if (imp && (imp.imported === '*' || imp.imported === 'default')) return { module: imp.module, fn };
    }
  }
  return undefined;
}

/** The index of the options argument whose `shell` option is literally on, if any. */
function shellOptionIndex(ctx: RuleContext, args: readonly ts.Expression[]): number {
  for (let i = 1; i < args.length; i++) {
    let o = unwrap(args[i]);
    if (ts.isIdentifier(o)) {
      const b = ctx.taint.scopes.resolve(o);
      if (b && ts.isVariableDeclaration(b) && b.initializer) o = unwrap(b.initializer);
    }
    if (!ts.isObjectLiteralExpression(o)) continue;
    const v = getPropertyValue(o, 'shell');
    if (!v) continue;
    const u = unwrap(v);
    if (u.kind === ts.SyntaxKind.TrueKeyword || (ts.isStringLiteralLike(u) && u.text !== '')) return i;
  }
  return -1;
}

function arrayElements(ctx: RuleContext, expr: ts.Expression | undefined): ts.Expression[] | undefined {
  if (!expr) return undefined;
  let e = unwrap(expr);
  if (ts.isIdentifier(e)) {
    const b = ctx.taint.scopes.resolve(e);
    if (b && ts.isVariableDeclaration(b) && b.initializer) e = unwrap(b.initializer);
  }
  return ts.isArrayLiteralExpression(e) ? [...e.elements] : undefined;
}

function sinkOf(ctx: RuleContext, call: ts.CallExpression): Sink | undefined {
  const t = resolveTarget(ctx, call.expression);
  if (!t) return undefined;
  const args = call.arguments;
  if (!args[0]) return undefined;
  if (CHILD_PROCESS.test(t.module)) {
    if (SHELL_FUNCTIONS.has(t.fn)) return { kind: 'shell', fn: t.fn, command: [args[0]] };
    if (ARGV_FUNCTIONS.has(t.fn)) return argvSink(ctx, t.fn, args);
    return undefined;
  }
  if (t.module === 'execa') {
    if (t.fn === 'execaCommand' || t.fn === 'execaCommandSync') return { kind: 'shell', fn: t.fn, command: [args[0]] };
    if (t.fn === 'execa' || t.fn === 'execaSync' || t.fn === 'execaNode') return argvSink(ctx, t.fn, args);
    return undefined;
  }
  if (t.module === 'shelljs' && t.fn === 'exec') return { kind: 'shell', fn: 'shell.exec', command: [args[0]] };
  return undefined;
}

function argvSink(ctx: RuleContext, fn: string, args: readonly ts.Expression[]): Sink | undefined {
  const list = arrayElements(ctx, args[1]);
  const shellAt = shellOptionIndex(ctx, args);
  // spawn(cmd, { shell: true }) has no argument array; spawn(cmd, args, { shell: true }) joins the arguments into the command
  if (shellAt > 0) return { kind: 'shell', fn, command: [args[0], ...(shellAt === 1 ? [] : list ?? [args[1]])] };
  // spawn('sh', ['-c', command])
  const program = literalText(args[0]);
  if (program && SHELLS.test(program) && list) {
    const i = list.findIndex((a) => /^[-/]c$/i.test(literalText(a) ?? '') || literalText(a) === '-Command');
    if (i >= 0 && list[i + 1]) return { kind: 'shell', fn, command: list.slice(i + 1) };
  }
  return { kind: 'program', fn, program: args[0] };
}

export default defineRule({
  meta: {
    id: 'command-injection',
    title: 'Shell command built from changing values',
    category: 'injection',
    severity: 'error',
    confidence: 'medium',
    cwe: [78],
    owasp: 'A03:2021 Injection',
    description: 'Finds commands run through a shell (`child_process.exec`/`execSync`, `spawn`/`execFile` with `shell: true` or `sh -c`, execa `execaCommand`, `shelljs.exec`) whose text is built from non-constant values, and programs chosen by request data. Confidence is high when request data provably reaches the command.',
    notReported: 'Commands run without a shell (`execFile`, `spawn` with an argument list) and fixed command strings.',
    why: 'A shell reads characters such as `;`, `|`, `&&` and `$(…)` as instructions. If a value pasted into the command comes from a user, they can add their own commands and run anything your server can: read secrets, delete files, or take over the machine.',
    fix: 'Run the program directly with an argument array and no shell: `execFile(\'convert\', [input, output])` or `spawn(\'git\', [\'log\', ref])`. Check values against an allowlist or a strict pattern first, and put `--` before user-supplied file names so they cannot be read as options.',
    bad: `import { exec } from 'node:child_process';

app.post('/thumbnail', (req, res) => {
  exec(\`convert uploads/\${req.body.file} -resize 200x200 thumbs/out.png\`, (err) => {
    res.json({ ok: !err });
  });
});`,
    good: `import { execFile } from 'node:child_process';

app.post('/thumbnail', (req, res) => {
  execFile('convert', ['uploads/' + req.body.file, '-resize', '200x200', 'thumbs/out.png'], (err) => {
    res.json({ ok: !err });
  });
});`,
    fixSafety: 'suggestion',
    languages: ALL_LANGUAGES,
    defaultEnabled: true,
    tags: ['command', 'shell', 'injection', 'validation'],
  },
  create(ctx) {
    // every sink comes from one of these modules: a file that never names them has nothing to check
    if (!PROCESS_LIBS.test(ctx.text)) return {};
    return {
      CallExpression(call) {
        const found = sinkOf(ctx, call);
        if (!found) return;
        const sink = { ...found, fn: shortText(ctx, call.expression, 30) };
        if (sink.kind === 'program') {
          // without a shell, only a client-chosen program is an injection; dynamic arguments are fine
          const c = ctx.taint.classify(sink.program, 'command');
          if (c.kind !== 'tainted' || !c.trace) return;
          ctx.report({
            node: sink.program, confidence: 'high',
            message: `The program that \`${sink.fn}\` starts comes from request data (\`${c.trace.label}\`): a client can run any program on your server. Choose the program from a fixed list and pass user values only as arguments.`,
            related: [{ node: c.trace.source, message: `Request data enters here (${c.trace.label}) and picks the program to run.` }],
          });
          return;
        }
        let worst: { kind: 'tainted' | 'dynamic'; part: ts.Expression; trace?: TaintTrace } | undefined;
        for (const part of sink.command) {
          const c = ctx.taint.classify(part, 'command');
          if (c.kind === 'safe') continue;
          if (!worst || (c.kind === 'tainted' && worst.kind !== 'tainted')) worst = { kind: c.kind, part, trace: c.trace };
        }
        if (!worst) return;
        const w = worst;
        const how = `Use \`execFile\`/\`spawn\` with an argument array and no shell (e.g. \`execFile('git', ['log', ref])\`), and check values against an allowlist.`;
        const fixes = () => (found.kind === 'shell' && found.command.length === 1 && found.command[0] === call.arguments[0] ? tryFixes(() => execFileFixes(ctx, call, found.fn)) : undefined);
        if (w.kind === 'tainted' && w.trace) {
          ctx.report({
            node: w.part, confidence: 'high',
            message: `Shell command run by \`${sink.fn}\` is built from request data (\`${w.trace.label}\`): characters like \`;\`, \`|\` or \`$(…)\` let a client run any command on your server. ${how}`,
            related: [{ node: w.trace.source, message: `Request data enters here (${w.trace.label}) and reaches the shell command.` }],
            fixes: fixes(),
          });
          return;
        }
        ctx.report({
          node: w.part,
          confidence: ctx.taint.inRequestContext(call) ? 'medium' : 'low',
          message: `Shell command run by \`${sink.fn}\` is built from a changing value (\`${shortText(ctx, w.part)}\`): if it can ever contain user input, characters like \`;\` or \`$(…)\` run extra commands. ${how}`,
          fixes: fixes(),
        });
      },
    };
  },
});
