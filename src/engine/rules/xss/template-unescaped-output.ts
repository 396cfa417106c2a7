import { defineRule } from '../../model/rule';
import type { Confidence, Fix } from '../../model/types';
import { templateEngineOf, templateOutputs, type TemplateEngine, type TemplateOutput } from '../../templates/scan';
import { judgePrinted } from '../../templates/values';

const ENGINE_NAME: Record<TemplateEngine, string> = { ejs: 'EJS', pug: 'Pug', handlebars: 'Handlebars', nunjucks: 'Nunjucks' };

/** The escaped form of a raw tag, when the engine has one written in place. */
function escapedForm(text: string, o: TemplateOutput): { start: number; end: number; newText: string; label: string } | undefined {
  const tag = text.slice(o.start, o.end);
  switch (o.how) {
    case '<%-': return { start: o.start, end: o.start + tag.indexOf('-') + 1, newText: tag.slice(0, tag.indexOf('-')) + '=', label: '`<%-` with `<%=`' };
    case '!{}': return { start: o.start, end: o.start + 1, newText: '#', label: '`!{…}` with `#{…}`' };
    case '!=': {
      const at = tag.indexOf('!=');
      return at === -1 ? undefined : { start: o.start + at, end: o.start + at + 2, newText: '=', label: '`!=` with `=`' };
    }
    case '{{{': return { start: o.start, end: o.end, newText: `{{${tag.slice(3, -3)}}}`, label: '`{{{…}}}` with `{{…}}`' };
    case '| safe': {
      const m = /\|\s{0,20}safe\b/.exec(tag);
      if (!m) return undefined;
      let s = m.index;
      while (s > 0 && /\s/.test(tag[s - 1])) s--;
      return { start: o.start + s, end: o.start + m.index + m[0].length, newText: '', label: 'removing `| safe`' };
    }
    default: return undefined;
  }
}

/** The HTML sink an inline script hands a printed value to, looking back along its line. */
function scriptSink(text: string, at: number): string | undefined {
  const lineStart = text.lastIndexOf('\n', at - 1) + 1;
  const before = text.slice(Math.max(lineStart, at - 300), at);
  const m = /\.(innerHTML|outerHTML)\s{0,5}\+?=|(insertAdjacentHTML)\s{0,5}\(|(document\.write(?:ln)?)\s{0,5}\(|\.(html|append|prepend)\s{0,5}\(/.exec(before);
  return m ? (m[1] ?? m[2] ?? m[3] ?? `.${m[4]}()`) : undefined;
}

export default defineRule({
  meta: {
    id: 'template-unescaped-output',
    title: 'Template prints data without HTML escaping',
    category: 'xss',
    severity: 'error',
    confidence: 'medium',
    cwe: [79, 116],
    owasp: 'A03:2021 Injection',
    description: 'Finds server-side templates (EJS, Pug, Handlebars, Nunjucks/Swig) that print a value without HTML escaping — `<%- x %>`, Pug `!{x}` and `!= x`, `{{{x}}}` and `{{& x}}`, Nunjucks/Swig `{{ x | safe }}` or `{% autoescape false %}` — and inline `<script>` code that hands a printed value to `innerHTML`, `insertAdjacentHTML`, `document.write` or jQuery `.html()`. Medium confidence when the template prints request data it was given (`query.q`, `params.id`, `body.comment`), or when a route fills that view variable from the request (`res.render(\'profile\', { bio: req.body.bio })`; in Python, Flask `render_template(\'profile.html\', bio=request.form[\'bio\'])`, Django `render(request, \'profile.html\', {\'bio\': …})` and Tornado `self.render(…)` into Jinja or Django templates, whose `|safe` and `{% autoescape off %}` are read as Nunjucks\'; linked across files by the project scan); other raw values are low confidence.',
    notReported: 'Partials and layout bodies (`<%- include(…) %>`, `{{{body}}}`, `<%- body %>`), values named as HTML the app built (`contentHtml`, `renderedMarkdown`, `markdown post.body`, sanitized output), serialized JSON (low), literals, and escaped output outside scripts. A raw value whose origin the template does not show is low confidence unless a route in the project fills it from the request.',
    why: 'Template engines escape what they print so that a `<` in a user\'s name stays text. The raw forms skip that: a comment, bio or search term holding `<script>` or `<img onerror=…>` then runs in every visitor\'s browser, with their session. Inside an inline script, HTML escaping does not help either: `\\u003c` in a JavaScript string becomes `<` again before `innerHTML` parses it.',
    fix: 'Print values with the escaping form (`<%= x %>`, `#{x}`, `= x`, `{{x}}`, no `| safe`). If the value must contain markup, sanitize it on the server with DOMPurify or sanitize-html and name it for what it is (`bioHtml`). In inline scripts, pass data as JSON in a data attribute or a `<script type="application/json">` block and set `textContent`, not `innerHTML`.',
    bad: `# file: views/search.ejs
<%# the route: res.render('search', { query: req.query, results }) %>
<h1>Results for "<%- query.q %>"</h1>`,
    good: `# file: views/search.ejs
<%# the route: res.render('search', { query: req.query, results }) %>
<h1>Results for "<%= query.q %>"</h1>`,
    fixSafety: 'suggestion',
    languages: [],
    defaultEnabled: true,
    tags: ['xss', 'templates'],
  },
  create() {
    return {};
  },
  checkFile(ctx) {
    if (ctx.kind !== 'text') return;
    const engine = templateEngineOf(ctx.path, ctx.text);
    if (!engine) return;
    const name = ENGINE_NAME[engine];
    for (const o of templateOutputs(ctx.text, engine)) {
      const value = judgePrinted(o.expr);
      if (value.kind === 'literal') continue;
      const sink = o.inScript ? scriptSink(ctx.text, o.start) : undefined;
      const shown = o.expr.length > 40 ? o.expr.slice(0, 39) + '…' : o.expr;
      if (sink) {
        if (value.kind === 'app-html') continue;
        ctx.report({
          range: { start: o.start, end: o.end },
          confidence: value.kind === 'request' || o.raw ? 'medium' : 'low',
          ...(value.kind === 'unknown' ? { link: value.roots } : {}),
          message: `This inline script puts \`${shown}\` into \`${sink}\`: ${o.raw ? 'it is printed without escaping, and' : 'the template escapes it for HTML, not for JavaScript, and'} ${sink} parses it as markup, so a value holding \`<img src=x onerror=…>\` (or \`\\u003c\` escapes) runs script in the visitor's browser. Pass the value as JSON in a data attribute and set \`textContent\` instead.`,
        });
        continue;
      }
      if (!o.raw || value.kind === 'app-html') continue;
      let confidence: Confidence = 'low';
      let what = `\`${shown}\``;
      if (value.kind === 'request') { confidence = 'medium'; what = `request data (\`${shown}\`)`; }
      else if (value.kind === 'json') what = `serialized data (\`${shown}\`)`;
      const fixes: Fix[] = [];
      // HTML escaping inside a script would turn quotes into entities and break the code: no fix there
      const esc = value.kind === 'json' || o.inScript ? undefined : escapedForm(ctx.text, o);
      if (esc) fixes.push({ title: `Escape the output (replace ${esc.label})`, safety: 'suggestion', edits: [{ file: ctx.path, textEdits: [{ start: esc.start, end: esc.end, newText: esc.newText }] }] });
      ctx.report({
        range: { start: o.start, end: o.end },
        confidence,
        ...(value.kind === 'unknown' ? { link: value.roots } : {}),
        message: value.kind === 'json'
          ? `${name} prints ${what} unescaped${o.inScript ? ' inside a <script>' : ''}: a string in it holding \`</script><script>…\` closes the script and runs its own. Escape \`<\` as \`\\u003c\` after JSON.stringify (or use serialize-javascript).`
          : `${name} prints ${what} without HTML escaping (\`${o.how}\`): markup in it, such as \`<img src=x onerror=…>\`, runs in the visitor's browser. Print it escaped, or sanitize it on the server (DOMPurify, sanitize-html) if it must hold HTML.`,
        fixes,
      });
    }
  },
});
