import type { Node } from 'web-tree-sitter';
import { enclosingFunction, keywordArg, positionalArgs } from '../ast';
import { definePythonRule } from '../rule';
import { decomposeString } from '../strings';

const CLIENT = /^(requests|httpx|urllib\.request|urllib3|aiohttp)\b/;
const METHODS = /^(get|post|put|patch|delete|head|options|request|urlopen|stream)$/;

export default definePythonRule({
  id: 'ssrf',
  docs: {
    description: 'In Python, finds server-side HTTP requests (`requests`, `httpx`, `urllib.request.urlopen`, `aiohttp`) whose URL comes from request data. A request value after a fixed origin (`f"https://api.example.com/users/{id}"`, or an origin from your settings then a path: `base + "/users/" + id`) is not reported; a URL whose HMAC signature is checked first (an image proxy that fetches only URLs the server signed) is low.',
    bad: '# file: app.py\nimport requests\nfrom flask import Flask, request\n\napp = Flask(__name__)\n\n@app.post("/preview")\ndef preview():\n    url = request.json["url"]\n    return {"html": requests.get(url, timeout=5).text}\n',
    good: '# file: app.py\nimport requests\nfrom flask import Flask, request\n\napp = Flask(__name__)\n\n@app.post("/preview")\ndef preview():\n    slug = request.json["slug"]\n    return {"html": requests.get(f"https://docs.example.com/pages/{slug}", timeout=5).text}\n',
  },
  create(ctx) {
    const clientFile = [...ctx.facts.modules].some((m) => CLIENT.test(m));
    /**
     * An image proxy's guard: the URL's HMAC computed with the server's key and compared with the request's before the
     * fetch (`h = new_hmac(secret, url)`, `if h != request.args.get("h"): return "", 400`). Gives the check's text.
     */
    const signedBefore = (call: Node, arg: Node): string | undefined => {
      const fn = enclosingFunction(call);
      if (!fn) return undefined;
      const name = arg.type === 'identifier' ? arg.text : undefined;
      for (const c of fn.descendantsOfType('call')) {
        if (!c || c.startIndex >= call.startIndex) continue;
        const callee = c.childForFieldName('function');
        const last = callee?.type === 'attribute' ? callee.childForFieldName('attribute')?.text : callee?.text;
        if (!last || !/hmac|signature/i.test(last)) continue;
        // the signature is of this URL
        if (name && !(c.childForFieldName('arguments')?.namedChildren ?? []).some((a) => !!a && new RegExp(`\\b${name}\\b`).test(a.text))) continue;
        // and compared: in an `if` test, directly or through the variable it was kept in
        const keptIn = c.parent?.type === 'assignment' ? c.parent.childForFieldName('left') : undefined;
        const kept = keptIn?.type === 'identifier' ? keptIn.text : undefined;
        const compared = fn.descendantsOfType('if_statement').some((i) => {
          const cond = i?.childForFieldName('condition');
          return !!cond && i!.startIndex < call.startIndex && (cond.text.includes(c.text) || (!!kept && new RegExp(`\\b${kept}\\b`).test(cond.text)));
        });
        if (compared) return c.text.length > 60 ? `${c.text.slice(0, 57)}…` : c.text;
      }
      return undefined;
    };
    /** A URL built from a fixed origin then request values (`f"https://api.example.com/users/{id}"`, `base + "/users/" + id`). */
    const fixedOrigin = (arg: Node): boolean => {
      const built = decomposeString(arg, ctx.taint);
      if (built && /^\s*https?:\/\/[^/\s{]+\//i.test(built.staticText) && built.dynamic.length && !/^\s*https?:\/\/[^/]*\s/.test(built.staticText)) {
        const firstDynamicAt = built.staticText.indexOf(' ');
        if (firstDynamicAt < 0 || /^\s*https?:\/\/[^/\s]+\//i.test(built.staticText.slice(0, firstDynamicAt + 1))) return true;
      }
      // an origin the server chose (`proxy = endpoint_from(config)`) then a fixed path: the client picks a path there
      return !!built && built.dynamic.length > 1 && built.staticText.startsWith(' /') && !built.staticText.startsWith(' //')
        && !ctx.taint.trace(built.dynamic[0]!);
    };
    const check = (call: Node) => {
      if (!clientFile && !ctx.facts.imports.has('urlopen')) return;
      const fn = call.childForFieldName('function');
      // most `get` calls are dict and query lookups: judge by the callee's text before resolving it
      const ftext = fn?.text ?? '';
      const mapped = ctx.facts.imports.get(ftext.split('.')[0]);
      if (!(mapped && CLIENT.test(mapped)) && !/session|client|http/i.test(ftext)) return;
      const q = ctx.facts.qualify(fn) ?? '';
      const last = q.split('.').pop() ?? '';
      if (!METHODS.test(last)) return;
      // module-level functions, or a client/session object in a file that imports an HTTP client
      if (!CLIENT.test(q) && !(clientFile && fn?.type === 'attribute' && /(session|client|http)/i.test(fn.childForFieldName('object')?.text ?? ''))) return;
      const pos = positionalArgs(call);
      const arg = last === 'request' ? pos[1] ?? keywordArg(call, 'url') : pos[0] ?? keywordArg(call, 'url');
      if (!arg) return;
      // a fixed origin before the request data: the client chooses a path, not the server
      if (fixedOrigin(arg)) return;
      const t = ctx.taint.trace(arg);
      if (!t) return;
      // passed to this helper by a call of the file: how the URL was built there (`api_get(f"https://api.example.com/{id}")`)
      if (t.passed?.some((a) => fixedOrigin(a))) return;
      const signed = signedBefore(call, arg);
      ctx.report({
        node: arg, confidence: signed ? 'low' : 'high',
        ...(signed ? {
          message: `The server fetches a URL taken from the request (\`${t.label}\`), after checking its HMAC signature (\`${signed}\`): only URLs your server signed get through, as in an image proxy. Keep the key secret and compare with \`hmac.compare_digest\`.`,
        } : {}),
        message: `The server fetches a URL taken from the request (\`${t.label}\`): a client can make it call internal services, cloud metadata (\`169.254.169.254\`) or localhost admin ports and read the answer. Fetch only from a fixed list of hosts, or build the URL from a fixed origin and a validated path.`,
        related: [{ node: t.source, message: `Request data enters here (${t.label}) and becomes the URL.` }],
      });
    };
    const calls: Record<string, (n: Node) => void> = {};
    for (const m of ['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'request', 'urlopen', 'stream']) calls[m] = check;
    return { calls };
  },
});
