import type { Node } from 'web-tree-sitter';
import { decoratorsOf, enclosingFunction, keywordArg, positionalArgs, stringValue } from '../ast';
import { definePythonRule } from '../rule';
import { decomposeString, isHarmlessPart, type BuiltString } from '../strings';
import type { PyTrace } from '../taint';
import { inTornadoHandler } from '../tornado';

/**
 * Calls whose result is safe in HTML: escaping (`escape`, `html.escape`, `markupsafe.escape`, Django's `escape`,
 * `conditional_escape`, `format_html`, which escapes its arguments), sanitizers (`bleach.clean`, `nh3.clean`), URL
 * encoding (`quote`, `urlencode`, `url_for`: `<`, `>` and quotes come out percent-encoded) and templates.
 */
const STOP = new Set([
  'escape', 'escape_silent', 'conditional_escape', 'format_html', 'format_html_join', 'escapejs', 'html.escape', 'cgi.escape', 'xhtml_escape', 'render_string', 'html_escape', 'template',
  'bleach.clean', 'nh3.clean', 'bleach.linkify', 'quote', 'quote_plus', 'urlencode', 'url_for', 'reverse',
  'render_template', 'render_to_string', 'render', 'jsonify', 'dumps_json',
]);

/** A tag in the fixed part of the text: `<h1>`, `</p>`, `<a href=…`, `<br/>`, `<!DOCTYPE`, a comment. */
const HTML_TAG = /<\/?[a-zA-Z][\w:-]*(?=[\s>/])|<!--|<!doctype/i;

/** Django's responses that send their content as the page (text/html unless told otherwise). */
const DJANGO_RESPONSES = /^django\.http\.(?:response\.)?(HttpResponse|HttpResponseBadRequest|HttpResponseNotFound|HttpResponseForbidden|HttpResponseServerError|HttpResponseGone)$/;

/** A label in backticks, unless it already holds some (`the route parameter `name``). */
const quoted = (label: string) => (label.includes('`') ? label : `\`${label}\``);

/** `%` conversions that take only numbers */
const NUMERIC_CONVERSION = /^[diouxXeEfFgG]$/;

/** A translation of a fixed text (`_("…")`, `gettext("…")`, `gettext_lazy("…")`): that text. */
function translated(n: Node | null | undefined): string | undefined {
  if (n?.type !== 'call') return undefined;
  const name = n.childForFieldName('function')?.text ?? '';
  if (!/^(_|gettext|ugettext|gettext_lazy|ugettext_lazy|pgettext|lazy_gettext|_l)$/.test(name.split('.').pop() ?? '')) return undefined;
  const args = positionalArgs(n);
  return args.length === 1 ? stringValue(args[0]) : undefined;
}

type Declared = 'html' | 'other' | undefined;

function typeOf(text: string): Declared {
  return /html/i.test(text) ? 'html' : 'other';
}

/** A `{"Content-Type": …}` dict literal: the type it declares; a download (`Content-Disposition: attachment`) is not shown. */
function headersType(d: Node | undefined): Declared {
  if (d?.type !== 'dictionary') return undefined;
  let out: Declared;
  for (const p of d.namedChildren) {
    if (p?.type !== 'pair') continue;
    const k = stringValue(p.childForFieldName('key'))?.toLowerCase();
    const v = p.childForFieldName('value');
    if (k === 'content-type') out = typeOf(stringValue(v) ?? v?.text ?? '');
    if (k === 'content-disposition' && /attachment/i.test(v?.text ?? '')) return 'other';
  }
  return out;
}

/** A Tornado handler that declares a Content-Type other than HTML: `self.set_header("Content-Type", "application/json")`. */
const TORNADO_OTHER_TYPE = /set_header\(\s*['"]content-type['"]\s*,\s*['"](?!text\/html)/i;

export default definePythonRule({
  id: 'reflected-xss',
  docs: {
    description: 'In Python, finds HTML answers built from request data without escaping: a Flask or Bottle view returning an f-string, `%`, `format` or `+` text with a tag in it, `make_response(…)`/`Response(…)` of such text, Django `HttpResponse(…)`, FastAPI/Starlette `HTMLResponse(…)` (and a FastAPI endpoint with `response_class=HTMLResponse`), Tornado `self.write(…)`/`self.finish(…)` of such text (unless the handler sets another Content-Type), and request data wrapped in `Markup(…)`, `mark_safe(…)` or `SafeString(…)`, which tell the template not to escape it. Values passed through `escape`, `html.escape`, `format_html`, `bleach.clean` or `nh3.clean`, numbers, responses declared as plain text or JSON, `render_template` and `jsonify` are not reported. A value that reaches the text only through another call of your app, or from a header, a cookie or a Django URL argument, is low.',
    bad: '# file: app.py\nfrom flask import Flask, request\n\napp = Flask(__name__)\n\n@app.get("/search")\ndef search():\n    q = request.args.get("q", "")\n    return f"<h1>Results for {q}</h1>"\n',
    good: '# file: app.py\nfrom flask import Flask, request\nfrom markupsafe import escape\n\napp = Flask(__name__)\n\n@app.get("/search")\ndef search():\n    q = request.args.get("q", "")\n    return f"<h1>Results for {escape(q)}</h1>"\n',
  },
  create(ctx) {
    const q = (call: Node) => ctx.facts.qualify(call.childForFieldName('function')) ?? '';

    /** The request data among the values spliced into the text: high when the value itself gets there, else low. */
    const judge = (parts: Node[]): { trace: PyTrace; part: Node; direct: boolean } | undefined => {
      let indirect: { trace: PyTrace; part: Node; direct: boolean } | undefined;
      for (const p of parts) {
        if (isHarmlessPart(p) || ctx.taint.isNumeric(p)) continue;
        const t = ctx.taint.trace(p, { stop: STOP, strict: true });
        // a field of a Django view argument (`page.title`) is a record's, not URL text: the argument is an object there
        if (t?.urlArgument && p.type === 'attribute') continue;
        if (t) return { trace: t, part: p, direct: true };
        if (!indirect) {
          const w = ctx.taint.trace(p, { stop: STOP });
          if (w) indirect = { trace: w, part: p, direct: false };
        }
      }
      return indirect;
    };

    /** A response kept in a variable whose type is changed afterwards (`resp.mimetype = "text/plain"`, `resp["Content-Type"] = …`). */
    const retyped = (call: Node): Declared => {
      const left = call.parent?.type === 'assignment' ? call.parent.childForFieldName('left') : undefined;
      const fn = enclosingFunction(call);
      if (left?.type !== 'identifier' || !fn) return undefined;
      const v = left.text;
      let out: Declared;
      for (const a of fn.descendantsOfType('assignment')) {
        if (!a || a.startIndex < call.startIndex) continue;
        const l = a.childForFieldName('left'), r = a.childForFieldName('right');
        if (!l || !r) continue;
        const lt = l.text.replace(/\s+/g, '');
        if (lt === `${v}.mimetype` || lt === `${v}.content_type` || lt === `${v}.media_type`) out = typeOf(stringValue(r) ?? r.text);
        else if (new RegExp(`^${v}(\\.headers)?\\[['"]content-type['"]\\]$`, 'i').test(lt)) out = typeOf(stringValue(r) ?? r.text);
        else if (new RegExp(`^${v}(\\.headers)?\\[['"]content-disposition['"]\\]$`, 'i').test(lt) && /attachment/i.test(r.text)) return 'other';
      }
      return out;
    };

    /** The content type a response call declares: keywords, a headers dict, a mime type among its positional arguments. */
    const declaredBy = (call: Node): Declared => {
      for (const k of ['mimetype', 'content_type', 'media_type']) {
        const v = keywordArg(call, k);
        if (v && v.type !== 'none') return typeOf(stringValue(v) ?? v.text);
      }
      const h = headersType(keywordArg(call, 'headers'));
      if (h) return h;
      for (const a of positionalArgs(call).slice(1)) {
        const s = stringValue(a);
        if (s && /^[a-z]+\/[\w.+-]+/i.test(s)) return typeOf(s);
        const d = headersType(a);
        if (d) return d;
      }
      return retyped(call);
    };

    /**
     * How the text is built, like {@link decomposeString}, and also from a translated format
     * (`_("<p>%d sessions</p>") % n`, `gettext("<b>{}</b>").format(x)`); values bound to a numeric `%` conversion
     * (`%d`, `%i`, `%f`) are left out: Python refuses anything but a number there.
     */
    const decompose = (body: Node): BuiltString | undefined => {
      let fmt: string | undefined, values: Node[] | undefined, how = '';
      if (body.type === 'binary_operator' && body.childForFieldName('operator')?.text === '%') {
        const left = body.childForFieldName('left'), right = body.childForFieldName('right');
        fmt = stringValue(left) ?? translated(left);
        if (fmt !== undefined && right) {
          how = '%';
          values = right.type === 'tuple' ? right.namedChildren.filter((c): c is Node => !!c) : [right];
          if (right.type === 'dictionary') {
            const out: Node[] = [];
            for (const p of right.namedChildren) {
              const key = stringValue(p?.childForFieldName('key')), v = p?.childForFieldName('value');
              if (!v) continue;
              const conv = key !== undefined ? new RegExp(`%\\(${key.replace(/\W/g, '')}\\)[#0\\- +]*(?:[1-9]\\d*)?(?:\\.\\d+)?[hlL]?([a-zA-Z])`).exec(fmt)?.[1] : undefined;
              if (!conv || !NUMERIC_CONVERSION.test(conv)) out.push(v);
            }
            return { staticText: fmt, dynamic: out, how };
          }
          // positional: pair each value with its conversion
          const convs = [...fmt.matchAll(/%[#0\- +]*(?:\*|[1-9]\d*)?(?:\.(?:\*|\d+))?[hlL]?([a-zA-Z%])/g)].map((m) => m[1]).filter((c) => c !== '%');
          if (convs.length === values.length) values = values.filter((_, i) => !NUMERIC_CONVERSION.test(convs[i]!));
          return { staticText: fmt, dynamic: values, how };
        }
      }
      if (body.type === 'call') {
        const fn = body.childForFieldName('function');
        const f = fn?.type === 'attribute' && fn.childForFieldName('attribute')?.text === 'format' ? translated(fn.childForFieldName('object')) : undefined;
        if (f !== undefined) {
          const args = body.childForFieldName('arguments')?.namedChildren.filter((c): c is Node => !!c) ?? [];
          return { staticText: f, dynamic: args.map((a) => (a.type === 'keyword_argument' ? a.childForFieldName('value') ?? a : a)), how: 'format' };
        }
      }
      return decomposeString(body, ctx.taint);
    };

    const describe = (b: BuiltString): string =>
      b.how === 'f-string' ? 'an f-string' : b.how === '+' ? 'string concatenation' : b.how === '%' ? '`%` formatting' : '`str.format`';

    /**
     * @param html the answer is HTML whatever its text (`HTMLResponse`, a declared text/html); else it is HTML only
     *   when its fixed text has a tag (Flask and Django send text as text/html by default)
     */
    const check = (body: Node, at: Node, what: string, html: boolean) => {
      const built = decompose(body);
      let parts: Node[];
      let how = '';
      if (built) {
        if (!html && !HTML_TAG.test(built.staticText)) return;
        parts = built.dynamic;
        how = `, built with ${describe(built)},`;
      } else {
        if (!html || stringValue(body) !== undefined) return;
        parts = [body];
      }
      const j = judge(parts);
      if (!j) return;
      const t = j.trace;
      const label = quoted(t.label);
      // a link or a cross-site form cannot set a header or a cookie; a Django URL argument is mostly a slug or an id
      const unlinkable = /\b(headers|cookies|COOKIES|META|files|FILES)\b/.test(t.label);
      const fix = 'Escape the value (`markupsafe.escape(value)`, `html.escape(value)`) or render a template (`render_template`, Django\'s `render`), which escapes by default.';
      const lead = j.direct
        ? `${what}${how} puts request data (${label}) into an HTML page without escaping`
        : `${what}${how} puts \`${j.part.text.length > 40 ? j.part.text.slice(0, 37) + '…' : j.part.text}\`, computed from request data (${label}), into an HTML page without escaping`;
      ctx.report({
        node: at,
        confidence: j.direct && !unlinkable && !t.urlArgument ? 'high' : 'low',
        message: !j.direct
          ? `${lead}. If that value keeps the text the client sent, script in it runs in your users' browsers. ${fix}`
          : unlinkable
            ? `${lead}. A link cannot set this value, but anything that can (a proxy, a script, the name of an uploaded file) puts script into your page. ${fix}`
            : t.urlArgument
              ? `${lead}. A Django URL argument is usually an id or a slug its URL pattern restricts; if the pattern accepts any text (\`<str:…>\`, \`<path:…>\`), a crafted link can run script in your site. ${fix}`
              : `${lead}: a crafted link carrying \`<script>…</script>\` makes your site run the attacker's script, with your users' session, for whoever opens it. ${fix}`,
        related: [{ node: t.source, message: `Request data enters here (${t.label}).` }],
      });
    };

    /** Flask views, and FastAPI endpoints declared with `response_class=HTMLResponse`, send a returned string as the page. */
    const returnsHtml = (r: Node): boolean | undefined => {
      const fn = enclosingFunction(r);
      if (!fn) return undefined;
      if (ctx.facts.fastapi) {
        return decoratorsOf(fn).some((d) => d.type === 'call' && /HTMLResponse$/.test(keywordArg(d, 'response_class')?.text ?? '')) ? true : undefined;
      }
      // Bottle sends a returned string as text/html, as Flask does
      if (ctx.facts.bottle && ctx.taint.inHandler(r)) return false;
      if (!ctx.facts.flask) return undefined;
      if (ctx.taint.inHandler(r)) return false;
      // error pages: @app.errorhandler(404)
      return decoratorsOf(fn).some((d) => /(^|\.)(errorhandler|app_errorhandler)$/.test((d.type === 'call' ? d.childForFieldName('function') : d)?.text ?? '')) ? false : undefined;
    };

    const safeWrapper = (call: Node, what: string, fix: string) => {
      const arg = positionalArgs(call)[0];
      if (!arg || stringValue(arg) !== undefined) return;
      const built = decompose(arg);
      const j = judge(built ? built.dynamic : [arg]);
      if (!j) return;
      const t = j.trace;
      ctx.report({
        node: arg,
        confidence: j.direct && !t.urlArgument && !/\b(headers|cookies|COOKIES|META|files|FILES)\b/.test(t.label) ? 'high' : 'low',
        message: `\`${what}(…)\` marks text built from request data (${quoted(t.label)}) as safe HTML, so the template prints it without escaping: a crafted link can put script into your page. ${fix}`,
        related: [{ node: t.source, message: `Request data enters here (${t.label}).` }],
      });
    };

    const response = (call: Node) => {
      const qn = q(call);
      const last = qn.split('.').pop() ?? '';
      let html: boolean;
      if (/^(fastapi|starlette)(\.\w+)*\.HTMLResponse$/.test(qn)) html = true;
      else if (/^(flask|werkzeug|fastapi|starlette|aiohttp)(\.\w+)*\.Response$/.test(qn) || /^flask\.make_response$/.test(qn) || DJANGO_RESPONSES.test(qn)) html = false;
      else return;
      const declared = declaredBy(call);
      if (declared === 'other') return;
      if (declared === 'html') html = true;
      // (aiohttp: `web.Response(text=…, content_type="text/html")`, text/plain unless declared)
      const aiohttp = /^aiohttp/.test(qn);
      if (aiohttp && declared !== 'html') return;
      const body = positionalArgs(call)[0] ?? keywordArg(call, 'content') ?? keywordArg(call, 'response') ?? keywordArg(call, 'text') ?? keywordArg(call, 'body');
      if (!body) return;
      check(body, body, `The HTML given to \`${last}(…)\``, html);
    };

    /** Tornado: `self.write(text)`/`self.finish(text)` send a string as text/html unless the handler sets another type. */
    const tornadoWrite = (call: Node) => {
      const fn = call.childForFieldName('function');
      if (!ctx.facts.tornado || fn?.type !== 'attribute' || fn.childForFieldName('object')?.text !== 'self' || !inTornadoHandler(call, ctx.facts)) return;
      const body = positionalArgs(call)[0];
      if (!body) return;
      const method = enclosingFunction(call);
      if (method && TORNADO_OTHER_TYPE.test(method.text)) return;
      check(body, body, `The HTML this handler writes with \`self.${fn.childForFieldName('attribute')?.text}(…)\``, false);
    };

    return {
      nodes: {
        return_statement(r: Node) {
          const v = r.namedChildren[0];
          if (!v) return;
          // return body, 200, {"Content-Type": "text/plain"}
          const items = v.type === 'expression_list' || v.type === 'tuple' ? v.namedChildren.filter((c): c is Node => !!c) : [v];
          const body = items[0];
          // most views return a call (`render_template`, `jsonify`) or a name: judged before asking about the function
          if (!body || body.type === 'call' && !/\.format$/.test(body.childForFieldName('function')?.text ?? '')) return;
          const mode = returnsHtml(r);
          if (mode === undefined) return;
          let html = mode;
          for (const h of items.slice(1)) {
            const d = headersType(h);
            if (d === 'other') return;
            if (d === 'html') html = true;
          }
          check(body, body, 'The HTML this view returns', html);
        },
      },
      calls: {
        write: tornadoWrite,
        finish: tornadoWrite,
        make_response: response,
        Response: response,
        HTMLResponse: response,
        HttpResponse: response,
        HttpResponseBadRequest: response,
        HttpResponseNotFound: response,
        HttpResponseForbidden: response,
        HttpResponseServerError: response,
        HttpResponseGone: response,
        Markup: (call) => {
          if (/^(markupsafe|flask|jinja2)(\.\w+)*\.Markup$/.test(q(call))) {
            safeWrapper(call, 'Markup', 'Escape it first (`markupsafe.escape(value)`), or let Markup escape it: `Markup("<b>%s</b>") % value`.');
          }
        },
        mark_safe: (call) => {
          if (/^django\.utils\.safestring\.mark_safe$/.test(q(call))) {
            safeWrapper(call, 'mark_safe', 'Build it with `format_html("<b>{}</b>", value)`, which escapes the value, or escape it first with `django.utils.html.escape`.');
          }
        },
        SafeString: (call) => {
          if (/^django\.utils\.safestring\.SafeString$/.test(q(call))) {
            safeWrapper(call, 'SafeString', 'Build it with `format_html("<b>{}</b>", value)`, which escapes the value, or escape it first with `django.utils.html.escape`.');
          }
        },
      },
    };
  },
});
