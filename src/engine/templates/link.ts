/**
 * The link between routes and views: `res.render('profile', { bio: req.body.bio })` in a route, `<%- bio %>` in
 * `views/profile.ejs`. Each file is analysed alone (in parallel threads), so each side leaves a fact in its
 * result: the route the view names it fills from request data (`renders`), the template its raw outputs of
 * unknown origin (`candidates`, below the threshold on their own). `linkTemplates` joins them after the scan.
 */
import { ts } from 'ts-morph';
import type { TaintAnalyzer } from '../taint/taint';
import { calleeName, calleeObject, literalText, propertyNameText, unwrap } from '../util/ast';
import type { AnalysisResult, Finding, RenderFact } from '../model/types';

/** The rule whose candidates are linked. */
export const LINKED_RULE = 'template-unescaped-output';

export interface RenderDraft {
  view: string;
  names: { name: string; label: string; start: number; end: number }[];
}

const RECEIVER = /^(res|resp|response|reply|ctx|context)$/;

/** The object literal a locals argument is, following one local constant. */
function localsObject(taint: TaintAnalyzer, arg: ts.Expression): ts.ObjectLiteralExpression | undefined {
  const e = unwrap(arg);
  if (ts.isObjectLiteralExpression(e)) return e;
  if (ts.isIdentifier(e)) {
    const b = taint.scopes.resolve(e);
    if (b && ts.isVariableDeclaration(b) && b.initializer && ts.isObjectLiteralExpression(unwrap(b.initializer))) return unwrap(b.initializer) as ts.ObjectLiteralExpression;
  }
  return undefined;
}

/** `res.render('<view>', { name: <request data> })` calls of a file, with the names that carry request data. */
export function renderFacts(sf: ts.SourceFile, taint: TaintAnalyzer, _path: string): RenderDraft[] {
  const out: RenderDraft[] = [];
  const stack: ts.Node[] = [sf];
  while (stack.length) {
    const node = stack.pop()!;
    ts.forEachChild(node, (c) => { stack.push(c); });
    if (!ts.isCallExpression(node) || node.arguments.length < 2) continue;
    const name = calleeName(node);
    if (name !== 'render' && name !== 'view') continue;
    const recv = calleeObject(node);
    const r = recv && unwrap(recv);
    const recvName = r && (ts.isIdentifier(r) ? r.text : ts.isPropertyAccessExpression(r) ? r.name.text : '');
    if (!recvName || !RECEIVER.test(recvName)) continue;
    const view = literalText(node.arguments[0]);
    const obj = localsObject(taint, node.arguments[1]);
    if (!view || !obj) continue;
    const names: RenderDraft['names'] = [];
    for (const p of obj.properties) {
      let key: string | undefined;
      let value: ts.Expression | undefined;
      if (ts.isPropertyAssignment(p)) { key = propertyNameText(p.name); value = p.initializer; }
      else if (ts.isShorthandPropertyAssignment(p)) { key = p.name.text; value = p.name; }
      if (!key || !value) continue;
      const t = taint.taintOf(value, 'html');
      if (t) names.push({ name: key, label: t.label, start: p.getStart(sf), end: p.getEnd() });
    }
    if (names.length) out.push({ view: view.replace(/^\/+/, '').replace(/\.[a-z0-9]+$/i, ''), names });
  }
  return out;
}

function dirOf(p: string): string {
  const i = p.lastIndexOf('/');
  return i === -1 ? '' : p.slice(0, i);
}

function commonDirLength(a: string, b: string): number {
  const x = dirOf(a).split('/'), y = dirOf(b).split('/');
  let n = 0;
  while (n < x.length && n < y.length && x[n] === y[n]) n++;
  return n;
}

/**
 * Joins the renders of all routes with the template candidates: a raw output of a variable that a route rendering
 * this view fills from request data becomes a medium-confidence finding, with the route as a related location.
 * Of several templates that match a view name, the ones closest to the route (longest shared folder) are linked.
 * Returns the results with those findings added to the templates' own results.
 */
export function linkTemplates(results: readonly AnalysisResult[]): AnalysisResult[] {
  const renders: RenderFact[] = results.flatMap((r) => r.templateLinks?.renders ?? []);
  const templates = results.filter((r) => r.templateLinks?.candidates?.length);
  if (!renders.length || !templates.length) return results.map(strip);
  const added = new Map<string, Finding[]>();
  for (const render of renders) {
    const matching = templates.filter((t) => {
      const noExt = t.file.replace(/\.[a-z0-9]+$/i, '');
      return noExt === render.view || noExt.endsWith(`/${render.view}`);
    });
    if (!matching.length) continue;
    const best = Math.max(...matching.map((t) => commonDirLength(t.file, render.file)));
    for (const t of matching.filter((m) => commonDirLength(m.file, render.file) === best)) {
      for (const c of t.templateLinks!.candidates!) {
        const hit = render.names.find((n) => c.names.includes(n.name));
        if (!hit) continue;
        const list = added.get(t.file) ?? [];
        if (list.some((f) => f.range.start === c.finding.range.start)) continue;
        list.push({
          ...c.finding,
          confidence: 'medium',
          message: `${c.finding.message} The route in ${render.file}:${hit.range.startPos.line} fills \`${hit.name}\` from request data (\`${hit.label}\`).`,
          related: [...(c.finding.related ?? []), { file: render.file, range: hit.range, message: `This route renders the view with \`${hit.name}\` taken from request data (${hit.label}).` }],
        });
        added.set(t.file, list);
      }
    }
  }
  return results.map((r) => {
    const extra = added.get(r.file);
    const s = strip(r);
    if (!extra) return s;
    // a linked finding replaces the same finding at low confidence (shown when the threshold is low)
    const linked = new Set(extra.map((f) => f.range.start));
    const findings = [...s.findings.filter((f) => f.ruleId !== LINKED_RULE || !linked.has(f.range.start)), ...extra];
    findings.sort((a, b) => a.range.start - b.range.start || a.ruleId.localeCompare(b.ruleId));
    return { ...s, findings };
  });
}

/** The result without its link facts (they are for this join only). */
function strip(r: AnalysisResult): AnalysisResult {
  if (!r.templateLinks) return r;
  const { templateLinks: _t, ...rest } = r;
  void _t;
  return rest;
}
