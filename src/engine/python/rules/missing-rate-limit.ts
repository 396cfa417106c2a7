import type { Node } from 'web-tree-sitter';
import { decoratorsOf, positionalArgs, stringValue } from '../ast';
import { definePythonRule } from '../rule';

const AUTH_PATH = /(^|\/)(log-?in|sign-?in|auth\/token|token|otp|verify-?otp|mfa|2fa|forgot-?password|reset-?password|password\/reset|password-reset)\/?$/i;
const LIMITERS = /^(flask_limiter|slowapi|fastapi_limiter|django_ratelimit|ratelimit|limits)$/;

export default definePythonRule({
  id: 'missing-rate-limit',
  docs: {
    description: 'In Python, finds Flask and FastAPI login, token, one-time-code and password-reset routes in files that set up no rate limiter (flask-limiter, slowapi, fastapi-limiter, django-ratelimit) and whose route has no limit decorator.',
    bad: '# file: auth.py\nfrom flask import Flask, request\n\napp = Flask(__name__)\n\n@app.post("/login")\ndef login():\n    return check_credentials(request.form["email"], request.form["password"])\n',
    good: '# file: auth.py\nfrom flask import Flask, request\nfrom flask_limiter import Limiter\nfrom flask_limiter.util import get_remote_address\n\napp = Flask(__name__)\nlimiter = Limiter(get_remote_address, app=app)\n\n@app.post("/login")\n@limiter.limit("5 per minute")\ndef login():\n    return check_credentials(request.form["email"], request.form["password"])\n',
  },
  create(ctx) {
    const limiterInFile = [...ctx.facts.modules].some((m) => LIMITERS.test(m));
    return {
      nodes: {
        function_definition(fn: Node) {
          if (limiterInFile || !(ctx.facts.flask || ctx.facts.fastapi)) return;
          const decos = decoratorsOf(fn);
          if (decos.some((d) => /limit|throttle/i.test(d.text))) return;
          for (const d of decos) {
            if (d.type !== 'call') continue;
            const method = d.childForFieldName('function')?.childForFieldName('attribute')?.text;
            if (!method || !/^(route|post|put|get|api_route)$/.test(method)) continue;
            const path = stringValue(positionalArgs(d)[0]);
            if (path === undefined || !AUTH_PATH.test(path)) continue;
            // a plain GET page that only shows the form is not the endpoint that checks passwords
            if (method === 'get' || (method === 'route' && !/POST/.test(d.text))) continue;
            ctx.report({
              node: d,
              message: `\`${path}\` checks credentials or codes with no rate limit: anyone can try passwords or one-time codes as fast as your server answers. Add a limit per IP and per account (${ctx.facts.fastapi ? 'slowapi: `@limiter.limit("5/minute")`' : 'flask-limiter: `@limiter.limit("5 per minute")`'}).`,
            });
            return;
          }
        },
      },
    };
  },
});
