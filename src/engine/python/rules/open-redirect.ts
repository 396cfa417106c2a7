import type { Node } from 'web-tree-sitter';
import { positionalArgs } from '../ast';
import { definePythonRule } from '../rule';

/** URL checks, and `urlencode` (a query string appended after your own path cannot change where it goes) */
const CHECKS = new Set(['url_has_allowed_host_and_scheme', 'is_safe_url', 'url_for', 'reverse', 'resolve_url', 'urlencode']);

export default definePythonRule({
  id: 'open-redirect',
  docs: {
    description: 'In Python, finds redirects to a URL taken from the request: Flask `redirect`, Django `redirect`/`HttpResponseRedirect`, FastAPI/Starlette `RedirectResponse`. A function that checks the URL with Django\'s `url_has_allowed_host_and_scheme` is not reported.',
    bad: '# file: app.py\nfrom flask import Flask, redirect, request\n\napp = Flask(__name__)\n\n@app.post("/login")\ndef login():\n    next_url = request.args.get("next", "/")\n    return redirect(next_url)\n',
    good: '# file: app.py\nfrom flask import Flask, redirect, request, url_for\n\napp = Flask(__name__)\n\n@app.post("/login")\ndef login():\n    return redirect(url_for("dashboard"))\n',
  },
  create(ctx) {
    const check = (call: Node) => {
      const q = ctx.facts.qualify(call.childForFieldName('function')) ?? '';
      if (!/^(flask|django|fastapi|starlette|werkzeug)\b/.test(q)) return;
      const arg = positionalArgs(call)[0];
      if (!arg) return;
      // strict: a URL some function builds from request values (an OAuth authorize URL with a state) has a fixed host
      const t = ctx.taint.trace(arg, { stop: CHECKS, strict: true });
      // Django URL arguments reach redirects through record lookups (`obj.get_absolute_url()`), not as URLs
      if (!t || t.urlArgument) return;
      // the function validates the target somewhere (Django's helper, a startswith("/") check on it)
      let fn: Node | null = call.parent;
      while (fn && fn.type !== 'function_definition') fn = fn.parent;
      if (fn && /url_has_allowed_host_and_scheme|is_safe_url|urlparse\(|urlsplit\(|\.netloc/.test(fn.text)) return;
      ctx.report({
        node: arg, confidence: 'high',
        message: `The redirect target comes from the request (\`${t.label}\`): a link to your site can send users on to a look-alike phishing page. Redirect only to paths on your own site (check with \`url_has_allowed_host_and_scheme\`, or accept only values that start with a single \`/\`).`,
        related: [{ node: t.source, message: `Request data enters here (${t.label}) and becomes the redirect target.` }],
      });
    };
    return { calls: { redirect: check, HttpResponseRedirect: check, RedirectResponse: check } };
  },
});
