/**
 * Every regular expression written in the source tree: regex literals and `new RegExp('literal', 'flags')` /
 * `RegExp(`…`)` with constant arguments, found by parsing the files (not by grepping), with where each one is.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ts } from 'ts-morph';

export interface FoundRegex {
  source: string;
  flags: string;
  file: string;
  line: number;
}

function walkFiles(dir: string, out: string[]): void {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walkFiles(p, out);
    else if (/\.tsx?$/.test(e.name)) out.push(p);
  }
}

function constantString(n: ts.Expression | undefined): string | undefined {
  if (!n) return undefined;
  if (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n)) return n.text;
  return undefined;
}

export function regexesIn(root: string, folder = 'src'): FoundRegex[] {
  const files: string[] = [];
  walkFiles(join(root, folder), files);
  const out: FoundRegex[] = [];
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
    const stack: ts.Node[] = [sf];
    while (stack.length) {
      const node = stack.pop()!;
      const where = () => ({ file: relative(root, file), line: sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1 });
      if (node.kind === ts.SyntaxKind.RegularExpressionLiteral) {
        const t = node.getText(sf);
        const end = t.lastIndexOf('/');
        out.push({ source: t.slice(1, end), flags: t.slice(end + 1), ...where() });
      } else if ((ts.isNewExpression(node) || ts.isCallExpression(node)) && ts.isIdentifier(node.expression) && node.expression.text === 'RegExp') {
        const src = constantString(node.arguments?.[0]);
        if (src !== undefined) out.push({ source: src, flags: constantString(node.arguments?.[1]) ?? '', ...where() });
      }
      ts.forEachChild(node, (c) => { stack.push(c); });
    }
  }
  return out;
}
