/** "Ignore with reason": a suppression comment above the finding's line, with a reason to fill in. */
import { ts } from 'ts-morph';
import { languageOf, parse } from '../analyze';
import type { Finding, Fix } from '../model/types';
import { eolOf, indentAt, lineStartOf } from './edits';

/** The reason text the comment starts with; the editor selects it so the user types over it. */
export const REASON_PLACEHOLDER = 'explain why this is safe';

/** Whether the line starting at `offset` begins inside JSX children, where comments are written `{/* … *\/}`. */
function inJsxChildren(sf: ts.SourceFile, offset: number): boolean {
  let found: ts.Node | undefined;
  const visit = (n: ts.Node) => {
    if (offset < n.getStart(sf) || offset >= n.getEnd()) return;
    found = n;
    ts.forEachChild(n, visit);
  };
  visit(sf);
  for (let n = found; n; n = n.parent) {
    const p = n.parent;
    if (!p) break;
    if ((ts.isJsxElement(p) || ts.isJsxFragment(p)) && (ts.isJsxText(n) || ts.isJsxElement(n) || ts.isJsxSelfClosingElement(n) || ts.isJsxExpression(n) || ts.isJsxFragment(n))) {
      return n.getStart(sf) === offset || ts.isJsxText(n);
    }
    if (ts.isJsxOpeningElement(p) || ts.isJsxSelfClosingElement(p) || ts.isJsxAttributes(p)) return false;
    if (ts.isJsxExpression(n)) return false;
  }
  return false;
}

export function suppressionFix(finding: Finding, text: string, path: string): Fix | undefined {
  const start = finding.range.start;
  const ls = lineStartOf(text, start);
  const indent = indentAt(text, start);
  const first = ls + indent.length;
  const lang = languageOf(path);
  let jsx = false;
  if (lang === 'javascriptreact' || lang === 'typescriptreact' || (lang === 'javascript' && /<\/?[A-Za-z]/.test(text))) {
    try { jsx = inJsxChildren(parse(path, text, lang), first); } catch { jsx = false; }
  }
  const body = `shipsafe-ignore-next-line ${finding.ruleId} -- ${REASON_PLACEHOLDER}`;
  const comment = jsx ? `{/* ${body} */}` : lang === 'python' ? `# ${body}` : `// ${body}`;
  return {
    title: `Ignore this ${finding.ruleId} finding (with a reason)`,
    safety: 'suggestion',
    edits: [{ file: finding.file, textEdits: [{ start: ls, end: ls, newText: `${indent}${comment}${eolOf(text)}` }] }],
    note: 'Say in the comment why the code is safe, so the next reader can check it.',
  };
}
