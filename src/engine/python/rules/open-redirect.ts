import type { Node } from 'web-tree-sitter';
import { enclosingClass, enclosingFunction, positionalArgs, stringValue } from '../ast';
import { definePythonRule } from '../rule';
import { inTornadoHandler } from '../tornado';

/** URL checks, and `urlencode` (a query string appended after your own path cannot change where it goes) */
const CHECKS = new Set(['url_has_allowed_host_and_scheme', 'is_safe_url', 'url_for', 'reverse', 'resolve_url', 'urlencode']);

/** The request's own path or URL (Flask's `request.path/full_path/url`, Django's `request.path/path_info/get_full_path()`). */
const OWN_ADDRESS = /(^|\.)request\.(path|full_path|url|path_info|get_full_path|uri|full_url)$/;

export default definePythonRule({
  id: 'open-redirect',
  docs: {
    description: 'In Python, finds redirects to a URL taken from the request: Flask `redirect`, Django `redirect`/`HttpResponseRedirect`, FastAPI/Starlette `RedirectResponse`, Tornado `self.redirect`, Bottle `redirect`, aiohttp `HTTPFound`/`HTTPSeeOther`. A function that checks the URL with Django\'s `url_has_allowed_host_and_scheme` is not reported, nor a target that starts with a path of your own site (`f"{reverse(\'search\')}?{query}"`, `"/items/" + slug`) or puts request data only after a `?`, `&` or `#` that follows a fixed part (`"?".join([self._url, self.request.query])`), nor a redirect response whose status is then set to a code that is not 3xx.',
    bad: '# file: app.py\nfrom flask import Flask, redirect, request\n\napp = Flask(__name__)\n\n@app.post("/login")\ndef login():\n    next_url = request.args.get("next", "/")\n    return redirect(next_url)\n',
    good: '# file: app.py\nfrom flask import Flask, redirect, request, url_for\n\napp = Flask(__name__)\n\n@app.post("/login")\ndef login():\n    return redirect(url_for("dashboard"))\n',
  },
  create(ctx) {
    /**
     * Whether the target starts with a path of your own site, so nothing after it can change the host:
     * `f"{reverse('snapshots')}?{query}"`, `url_for("search") + "?q=" + q`, `f"/items/{slug}"` (one `/`, not `//` or `/\\`).
     */
    const ownPath = (n: Node | null | undefined, depth: number): boolean => {
      if (!n || depth > 6) return false;
      switch (n.type) {
        case 'parenthesized_expression': return ownPath(n.namedChildren[0], depth + 1);
        case 'string': {
          const first = n.namedChildren.find((c) => c?.type === 'string_content' || c?.type === 'interpolation');
          if (!first) return false;
          if (first.type === 'string_content') return /^\/[^/\\]/.test(first.text);
          return ownPath(first.childForFieldName('expression') ?? first.namedChildren[0], depth + 1);
        }
        case 'binary_operator': return n.childForFieldName('operator')?.text === '+' && ownPath(n.childForFieldName('left'), depth + 1);
        case 'call': {
          const fn = n.childForFieldName('function');
          const last = fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text : fn?.text;
          if (last && /^(reverse|url_for|resolve_url|reverse_lazy)$/.test(last)) return true;
          // "/items/{}".format(slug)
          return last === 'format' && fn?.type === 'attribute' && ownPath(fn.childForFieldName('object'), depth + 1);
        }
        case 'identifier': {
          const writes = ctx.taint.writesBefore(n.text, n);
          return writes.length > 0 && writes.every((w) => ownPath(w, depth + 1));
        }
      }
      return false;
    };
    /** The texts a separator can be: a literal, either branch of `"&" if … else "?"`, a local assigned those. */
    const textsOf = (n: Node | null | undefined, depth: number): string[] | undefined => {
      if (!n || depth > 4) return undefined;
      const v = stringValue(n);
      if (v !== undefined) return [v];
      if (n.type === 'parenthesized_expression') return textsOf(n.namedChildren[0], depth + 1);
      if (n.type === 'conditional_expression') {
        const a = textsOf(n.namedChildren[0], depth + 1), b = textsOf(n.namedChildren[2], depth + 1);
        return a && b ? [...a, ...b] : undefined;
      }
      if (n.type === 'identifier') {
        const writes = ctx.taint.writesBefore(n.text, n);
        const all = writes.map((w) => textsOf(w, depth + 1));
        return all.length && all.every((x) => !!x) ? all.flat() as string[] : undefined;
      }
      return undefined;
    };
    /**
     * Whether request data enters the target only after a `?`, `&` or `#` that follows a part with none:
     * `"?".join([self._url, self.request.query])`, `f"{base}?{query}"`. What comes before the query decides the host.
     */
    const onlyInQuery = (n: Node | null | undefined, depth: number): boolean => {
      if (!n || depth > 6) return false;
      switch (n.type) {
        case 'parenthesized_expression': return onlyInQuery(n.namedChildren[0], depth + 1);
        case 'identifier': {
          const writes = ctx.taint.writesBefore(n.text, n);
          return writes.length > 0 && writes.every((w) => onlyInQuery(w, depth + 1));
        }
        case 'string': {
          let query = false;
          for (const c of n.namedChildren) {
            if (c?.type === 'string_content' && /[?&#]/.test(c.text)) query = true;
            if (c?.type === 'interpolation' && !query && ctx.taint.trace(c.childForFieldName('expression') ?? c.namedChildren[0]!)) return false;
          }
          return query;
        }
        case 'call': {
          const fn = n.childForFieldName('function');
          if (fn?.type !== 'attribute' || fn.childForFieldName('attribute')?.text !== 'join') return false;
          const seps = textsOf(fn.childForFieldName('object'), 0);
          const list = positionalArgs(n)[0];
          const first = list && (list.type === 'list' || list.type === 'tuple') ? list.namedChildren[0] : undefined;
          return !!seps && seps.every((x) => /[?&#]/.test(x)) && !!first && !ctx.taint.trace(first);
        }
      }
      return false;
    };
    /**
     * `response = HttpResponseRedirect(url)` then `response.status_code = 200`: browsers follow a Location header only
     * on a 3xx answer, so this one does not send anyone anywhere.
     */
    const notARedirect = (call: Node): boolean => {
      const left = call.parent?.type === 'assignment' ? call.parent.childForFieldName('left') : undefined;
      if (left?.type !== 'identifier') return false;
      const fn = enclosingFunction(call);
      return !!fn && fn.descendantsOfType('assignment').some((a) => a?.childForFieldName('left')?.text === `${left.text}.status_code`
        && /^[124-9]\d\d$/.test(a.childForFieldName('right')?.text ?? ''));
    };
    const check = (call: Node) => {
      const q = ctx.facts.qualify(call.childForFieldName('function')) ?? '';
      // Tornado: `self.redirect(url)` in a request handler
      const tornado = q === 'self.redirect' && ctx.facts.tornado && inTornadoHandler(call, ctx.facts);
      if (!tornado && !/^(flask|django|fastapi|starlette|werkzeug|bottle)\b/.test(q) && !/^aiohttp(\.web)?(\.\w+)*\.HTTP(Found|SeeOther|TemporaryRedirect)$/.test(q)) return;
      const arg = positionalArgs(call)[0];
      if (!arg) return;
      if (ownPath(arg, 0) || onlyInQuery(arg, 0)) return;
      if (notARedirect(call)) return;
      // strict: a URL some function builds from request values (an OAuth authorize URL with a state) has a fixed host
      const t = ctx.taint.trace(arg, { stop: CHECKS, strict: true });
      // Django URL arguments reach redirects through record lookups (`obj.get_absolute_url()`), not as URLs
      if (!t || t.urlArgument) return;
      // passed to this helper by a call of the file: how the target was built there (`go("/items/" + slug)`)
      if (t.passed?.some((a) => ownPath(a, 0) || onlyInQuery(a, 0))) return;
      // the request's own address (`redirect(request.path)` after a form post, `request.path.replace(…)`): the view runs
      // only for a path its URL pattern matched, so the target is a page of this site
      if (OWN_ADDRESS.test(t.label)) return;
      // the function validates the target somewhere (Django's helper, a startswith("/") check on it)
      const fn = enclosingFunction(call);
      if (fn && /url_has_allowed_host_and_scheme|is_safe_url|urlparse\(|urlsplit\(|\.netloc/.test(fn.text)) return;
      // a posted target whose view class checks the target where it renders the form (`url_has_allowed_host_and_scheme`
      // on `request.GET["next"]` before it goes into a hidden field): the post, behind Django's CSRF check, brings back
      // what was checked
      const cls = enclosingClass(call);
      const checkedByClass = !!cls && /\.(POST|form)\b/.test(t.label) && /url_has_allowed_host_and_scheme|is_safe_url/.test(cls.text);
      ctx.report({
        node: arg, confidence: checkedByClass ? 'low' : 'high',
        message: `The redirect target comes from the request (\`${t.label}\`): a link to your site can send users on to a look-alike phishing page. Redirect only to paths on your own site (check with \`url_has_allowed_host_and_scheme\`, or accept only values that start with a single \`/\`).`,
        related: [{ node: t.source, message: `Request data enters here (${t.label}) and becomes the redirect target.` }],
      });
    };
    return { calls: { redirect: check, HttpResponseRedirect: check, RedirectResponse: check, HTTPFound: check, HTTPSeeOther: check, HTTPTemporaryRedirect: check } };
  },
});
