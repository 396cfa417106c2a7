/**
 * The views a Python file renders and the names it fills from request data, for the link with the templates' raw
 * outputs (templates/link.ts): `render_template("profile.html", bio=request.form["bio"])` (Flask),
 * `render(request, "blog/post.html", {"body": request.POST["body"]})` (Django, also `render_to_string` and
 * `TemplateResponse`), `self.render("search.html", q=self.get_argument("q"))` (Tornado). A template that prints
 * one of those names raw (`{{ bio|safe }}`, `{% autoescape off %}`) then gets a finding with the view as related
 * location; on its own, such an output is only a hidden low candidate.
 */
import type { Node } from 'web-tree-sitter';
import type { RenderDraft } from '../templates/link';
import { keywordArg, positionalArgs, stringValue } from './ast';
import type { PyFacts } from './facts';
import type { PyTaint } from './taint';
import { inTornadoHandler } from './tornado';

/** Django's renderers: the view's position among the positional arguments, and where the context goes. */
const DJANGO = /^django\.(shortcuts\.render|template\.loader\.render_to_string|template\.response\.TemplateResponse|shortcuts\.render_to_response)$/;

export function pythonRenderFacts(root: Node, facts: PyFacts, taint: PyTaint): RenderDraft[] {
  const out: RenderDraft[] = [];
  for (const call of root.descendantsOfType('call')) {
    if (!call) continue;
    const fn = call.childForFieldName('function');
    const q = facts.qualify(fn) ?? '';
    const last = q.slice(q.lastIndexOf('.') + 1);
    if (last !== 'render_template' && last !== 'render' && last !== 'render_to_string' && last !== 'TemplateResponse' && last !== 'render_to_response') continue;
    const args = positionalArgs(call);
    let view: string | undefined;
    const names: RenderDraft['names'] = [];
    const add = (name: string, value: Node | null | undefined, at: Node) => {
      if (!value || taint.isNumeric(value)) return;
      const t = taint.trace(value);
      // a Django URL argument is mostly a slug or an id its URL pattern restricts (reflected-xss says the same)
      if (t && !t.urlArgument) names.push({ name, label: t.label, start: at.startIndex, end: at.endIndex });
    };
    const keywords = () => {
      for (const a of call.childForFieldName('arguments')?.namedChildren ?? []) {
        const name = a?.type === 'keyword_argument' ? a.childForFieldName('name')?.text : undefined;
        if (name) add(name, a!.childForFieldName('value'), a!);
      }
    };
    if (q === 'flask.render_template' || (last === 'render_template' && facts.flask)) {
      view = stringValue(args[0]);
      keywords();
    } else if (q === 'self.render' && facts.tornado && inTornadoHandler(call, facts)) {
      view = stringValue(args[0]);
      keywords();
    } else if (DJANGO.test(q)) {
      // render(request, view, context) / TemplateResponse(request, view, context); render_to_string(view, context)
      const at = last === 'render_to_string' || last === 'render_to_response' ? 0 : 1;
      view = stringValue(args[at]) ?? stringValue(keywordArg(call, 'template_name'));
      const ctx = dictOf(args[at + 1] ?? keywordArg(call, 'context'), taint);
      for (const p of ctx?.namedChildren ?? []) {
        const key = p?.type === 'pair' ? stringValue(p.childForFieldName('key')) : undefined;
        if (key) add(key, p!.childForFieldName('value'), p!);
      }
    } else continue;
    if (view && names.length) out.push({ view: view.replace(/^\/+/, '').replace(/\.[a-z0-9]+$/i, ''), names });
  }
  return out;
}

/** A dict literal, or the dict literal a local was last assigned (`context = {…}` before `render(…, context)`). */
function dictOf(n: Node | null | undefined, taint: PyTaint): Node | undefined {
  if (!n) return undefined;
  if (n.type === 'dictionary') return n;
  if (n.type !== 'identifier') return undefined;
  const writes = taint.writesBefore(n.text, n);
  const last = writes[writes.length - 1];
  return last?.type === 'dictionary' ? last : undefined;
}
