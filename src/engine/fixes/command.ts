/**
 * command-injection fix: `exec(\`convert ${input} out.png\`, cb)` → `execFile('convert', [String(input), 'out.png'], cb)`.
 * Runs the program directly, so nothing in a value is read as shell syntax. **suggestion**: offered only when the
 * command's static text is plain words (no pipes, redirects, `$VAR`, globs, `&&`…), because execFile has no shell to
 * interpret those; an interpolated value that contains spaces stays one argument instead of being split.
 */
import { ts } from 'ts-morph';
import type { RuleContext } from '../model/rule';
import type { Fix } from '../model/types';
import { unwrap } from '../util/ast';
import { EditSet, ensureImport, escapeTemplateText, makeFix, preferredQuote, quoteString } from './edits';

type Seg = { text: string } | { expr: ts.Expression };

function flatten(e0: ts.Expression): Seg[] | undefined {
  const e = unwrap(e0);
  if (ts.isStringLiteralLike(e)) return [{ text: e.text }];
  if (ts.isTemplateExpression(e)) {
    const out: Seg[] = [{ text: e.head.text }];
    for (const s of e.templateSpans) out.push({ expr: s.expression }, { text: s.literal.text });
    return out;
  }
  if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const l = flatten(e.left);
    const r = flatten(e.right) ?? [{ expr: e.right }];
    if (!l) return undefined;
    return [...l, ...r];
  }
  return undefined;
}

/** Splits a command into words of text and values, the way sh would; undefined when it needs a shell. */
function words(segs: Seg[]): Seg[][] | undefined {
  const out: Seg[][] = [];
  let cur: Seg[] | undefined;
  let quote: "'" | '"' | undefined;
  const push = (s: Seg) => {
    cur ??= [];
    const last = cur[cur.length - 1];
    if ('text' in s && last && 'text' in last) last.text += s.text;
    else cur.push('text' in s ? { text: s.text } : s);
  };
  for (const seg of segs) {
    if ('expr' in seg) { push(seg); continue; }
    const t = seg.text;
    for (let i = 0; i < t.length; i++) {
      const c = t[i];
      if (quote === "'") { if (c === "'") quote = undefined; else push({ text: c }); continue; }
      if (quote === '"') {
        if (c === '"') { quote = undefined; continue; }
        if (c === '$' || c === '`' || c === '\\') return undefined;
        push({ text: c });
        continue;
      }
      if (c === "'" || c === '"') { quote = c; cur ??= []; continue; }
      if (c === ' ' || c === '\t') { if (cur) { out.push(cur); cur = undefined; } continue; }
      if (/[|&;<>()$`\\*?[\]{}~#!\n\r]/.test(c)) return undefined;
      push({ text: c });
    }
  }
  if (quote) return undefined;
  if (cur) out.push(cur);
  return out;
}

function wordExpr(w: Seg[], sf: ts.SourceFile, q: "'" | '"'): string {
  if (w.length === 1 && 'text' in w[0]) return quoteString(w[0].text, q);
  if (w.length === 1 && 'expr' in w[0]) {
    const e = unwrap(w[0].expr);
    return ts.isStringLiteralLike(e) ? w[0].expr.getText(sf) : `String(${w[0].expr.getText(sf)})`;
  }
  return '`' + w.map((s) => ('text' in s ? escapeTemplateText(s.text) : `\${${s.expr.getText(sf)}}`)).join('') + '`';
}

const SHELLS = /^(sh|bash|zsh|dash|ksh|cmd|cmd\.exe|powershell|pwsh)$/;

/** `fn`: the child_process function the call runs (exec or execSync). */
export function execFileFixes(ctx: RuleContext, call: ts.CallExpression, fn: string): Fix[] | undefined {
  if (fn !== 'exec' && fn !== 'execSync') return undefined;
  const sf = ctx.sourceFile;
  const command = call.arguments[0];
  if (!command) return undefined;
  const segs = flatten(command);
  if (!segs) return undefined;
  const ws = words(segs);
  if (!ws || ws.length < 1) return undefined;
  const program = ws[0];
  if (program.length !== 1 || !('text' in program[0]) || SHELLS.test(program[0].text) || !program[0].text) return undefined;
  // exec(cmd, { shell: … }): the caller wants a particular shell
  for (const a of call.arguments.slice(1)) {
    const u = unwrap(a);
    if (ts.isObjectLiteralExpression(u) && u.properties.some((p) => p.name && p.name.getText(sf) === 'shell')) return undefined;
  }
  const q = preferredQuote(sf);
  const target = fn === 'exec' ? 'execFile' : 'execFileSync';
  const es = new EditSet(ctx.path, ctx.text);
  // the callee: exec(…) → execFile(…), cp.exec(…) → cp.execFile(…)
  const callee = unwrap(call.expression);
  if (ts.isIdentifier(callee)) {
    const local = ensureImport(es, sf, ctx.facts, ctx.path, { module: 'node:child_process', aliases: ['child_process'], named: target });
    es.replaceNode(callee, local, sf);
  } else if (ts.isPropertyAccessExpression(callee)) {
    es.replaceNode(callee.name, target, sf);
  } else {
    return undefined;
  }
  const args = ws.slice(1).map((w) => wordExpr(w, sf, q));
  es.replaceNode(command, `${quoteString(program[0].text, q)}, [${args.join(', ')}]`, sf);
  return [makeFix(`Run ${program[0].text} without a shell (${target} with an argument list)`, 'suggestion', es,
    'Each value is now passed as one argument and never read as shell syntax. Put `--` before user-supplied file names if the program accepts options.')];
}
