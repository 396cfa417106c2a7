import type { Node } from 'web-tree-sitter';
import { keywordArg, positionalArgs, stringValue } from '../ast';
import { definePythonRule } from '../rule';

const COOKIE_SETTINGS = /^(SESSION_COOKIE_SECURE|SESSION_COOKIE_HTTPONLY|CSRF_COOKIE_SECURE|REMEMBER_COOKIE_SECURE|REMEMBER_COOKIE_HTTPONLY)$/;
const AUTH_COOKIE = /sess|token|auth|jwt|sid|remember|refresh|access/i;

export default definePythonRule({
  id: 'insecure-cookie',
  docs: {
    description: 'In Python, finds session cookie protections turned off in Django and Flask settings (`SESSION_COOKIE_HTTPONLY = False`, `SESSION_COOKIE_SAMESITE = None`; `SESSION_COOKIE_SECURE = False` and `CSRF_COOKIE_SECURE = False` at low confidence, since that is the frameworks\' default for local HTTP), and auth cookies set with `response.set_cookie(…)` without `httponly=True` and `secure=True`.',
    bad: '# file: app.py\nfrom flask import Flask, make_response\n\napp = Flask(__name__)\n\n@app.post("/login")\ndef login():\n    resp = make_response({"ok": True})\n    resp.set_cookie("session_token", issue_token())\n    return resp\n',
    good: '# file: app.py\nfrom flask import Flask, make_response\n\napp = Flask(__name__)\n\n@app.post("/login")\ndef login():\n    resp = make_response({"ok": True})\n    resp.set_cookie("session_token", issue_token(), httponly=True, secure=True, samesite="Lax")\n    return resp\n',
  },
  create(ctx) {
    const setting = (n: Node, name: string, value: Node) => {
      if (COOKIE_SETTINGS.test(name) && value.type === 'false') {
        // `*_SECURE = False` is Django's and Flask's own default (for local HTTP): a guess about deployment, so low
        ctx.report({ node: n, confidence: /SECURE/.test(name) ? 'low' : 'medium', message: `\`${name} = False\` ${/HTTPONLY/.test(name) ? 'lets any script on your pages read the session cookie, so one XSS bug hands over every session' : 'sends the cookie over plain HTTP too, where anyone on the network can copy it'}. Leave it \`True\`.` });
      } else if (name === 'SESSION_COOKIE_SAMESITE' && value.type === 'none') {
        ctx.report({ node: n, message: '`SESSION_COOKIE_SAMESITE = None` sends the session cookie with requests from every other site, which opens the door to CSRF. Use "Lax" (the default).' });
      }
    };
    return {
      nodes: {
        assignment(n: Node) {
          const left = n.childForFieldName('left'), right = n.childForFieldName('right');
          if (!left || !right) return;
          if (left.type === 'identifier' && n.parent?.parent?.type === 'module') setting(n, left.text, right);
          else if (left.type === 'subscript' && /config$/.test(left.childForFieldName('value')?.text ?? '')) {
            const key = stringValue(left.childForFieldName('subscript'));
            if (key) setting(n, key, right);
          }
        },
      },
      calls: {
        set_cookie(call: Node) {
          const name = stringValue(positionalArgs(call)[0] ?? keywordArg(call, 'key'));
          if (!name || !AUTH_COOKIE.test(name)) return;
          const missing = ['httponly', 'secure'].filter((k) => keywordArg(call, k)?.type !== 'true' && !(keywordArg(call, k) && keywordArg(call, k)!.type !== 'false'));
          if (!missing.length) return;
          ctx.report({
            node: call,
            message: `The \`${name}\` cookie is set without ${missing.map((m) => `\`${m}=True\``).join(' and ')}: ${missing.includes('httponly') ? 'any script on the page can read it (one XSS bug hands it over)' : ''}${missing.length === 2 ? ', and ' : ''}${missing.includes('secure') ? 'it is also sent over plain HTTP' : ''}. Pass \`httponly=True, secure=True, samesite="Lax"\`.`,
          });
        },
      },
    };
  },
});
