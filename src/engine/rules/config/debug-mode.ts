import type { Node } from 'web-tree-sitter';
import { ts } from 'ts-morph';
import { ALL_LANGUAGES, defineRule } from '../../model/rule';
import type { Confidence } from '../../model/types';
import { calleeObject, literalText, unwrap } from '../../util/ast';
import { stripTrailingComment } from '../../util/linear';
import { DEV_SETTINGS_PATH } from '../../util/paths';
import { isTrue, keywordArg, stringValue } from '../../python/ast';

export default defineRule({
  meta: {
    id: 'debug-mode',
    title: 'Web framework debug mode turned on',
    category: 'config',
    severity: 'warning',
    confidence: 'medium',
    cwe: [489, 215],
    owasp: 'A05:2021 Security Misconfiguration',
    description: 'Finds debug mode switched on in code that serves requests: Flask `app.run(debug=True)` and `app.debug = True`, `DEBUG = True` in Django settings, and `FastAPI(debug=True)` / `Starlette(debug=True)`. Confidence is high when the debug server also listens on every interface (`host="0.0.0.0"`). Node: Express `app.set(\'env\', \'development\')` in app code, and `ENV NODE_ENV=development` in the final stage of a production Dockerfile (one that does not start a dev server).',
    notReported: 'Debug settings read from the environment or guarded by a development check, `DEBUG = False`, settings files for local development or tests and example settings under `docs/` or `examples/`, `Dockerfile.dev` and images that start a dev server (`npm run dev`, nodemon, `next dev`, vite), and build stages the final image does not come from.',
    why: 'In debug mode an error page shows your source code, settings and environment to whoever triggers the error, and Flask\'s debugger lets anyone who reaches it run Python code on the server. Debug mode left on in a deployed app is one of the quickest ways to lose a server.',
    fix: 'Read the setting from the environment and default to off: `app.run(debug=os.environ.get("FLASK_DEBUG") == "1")`, `DEBUG = os.environ.get("DJANGO_DEBUG") == "1"`. Run production with a real server (gunicorn, uvicorn) rather than the development server.',
    bad: '# file: app.py\nfrom flask import Flask\n\napp = Flask(__name__)\n\nif __name__ == "__main__":\n    app.run(host="0.0.0.0", debug=True)\n',
    good: '# file: app.py\nimport os\nfrom flask import Flask\n\napp = Flask(__name__)\n\nif __name__ == "__main__":\n    app.run(debug=os.environ.get("FLASK_DEBUG") == "1")\n',
    fixSafety: 'none',
    languages: [...ALL_LANGUAGES, 'python'],
    defaultEnabled: true,
    tags: ['config', 'debug', 'python'],
  },
  create(ctx) {
    return {
      calls: {
        // Express: app.set('env', 'development') — full stack traces in error pages, no view cache
        set(call) {
          if (!ts.isCallExpression(call) || call.arguments.length !== 2) return;
          if (literalText(call.arguments[0]) !== 'env' || literalText(call.arguments[1]) !== 'development') return;
          const recv = calleeObject(call);
          if (!recv || !ts.isIdentifier(unwrap(recv))) return;
          if (!ctx.facts.modules.has('express')) return;
          ctx.report({
            node: call,
            message: '`app.set(\'env\', \'development\')` runs Express in development mode whatever NODE_ENV says: its error handler sends stack traces with file paths to every client, and views are not cached. Remove the line and set `NODE_ENV=production` where the app is deployed.',
          });
        },
      },
    };
  },
  checkFile(ctx) {
    if (ctx.kind !== 'dockerfile') return;
    const path = ctx.path.replace(/\\/g, '/');
    if (/(^|[./_-])(dev|development|local|test|ci|debug)([./_-]|$)/i.test(path.split('/').pop() ?? '') || /(^|\/)(\.devcontainer|dev|test|tests|examples?)\//.test(path)) return;
    // the final stage: from its FROM to the end
    const lower = ctx.text;
    const FROM = /^[ \t]*FROM[ \t]/gim;
    let last = -1;
    for (let m; (m = FROM.exec(lower));) last = m.index;
    if (last === -1) return;
    const stage = ctx.text.slice(last);
    // an image that starts a dev server is a development image whatever its name
    if (/^[ \t]*(CMD|ENTRYPOINT)[ \t][^\n]{0,300}(run["',\s]{1,5}dev\b|nodemon|next["',\s]{1,5}dev\b|vite\b|ts-node-dev|--watch)/im.test(stage)) return;
    const ENV = /^[ \t]*ENV[ \t]([^\r\n]*)$/gim;
    for (let m; (m = ENV.exec(stage));) {
      const body = stripTrailingComment(m[1]);
      const hit = /(?:^|\s)NODE_ENV(?:=|\s+)["']?development["']?(?:\s|$)/.exec(body);
      if (!hit) continue;
      const at = last + m.index + m[0].indexOf(m[1]) + hit.index + (hit[0].startsWith(' ') || hit[0].startsWith('\t') ? 1 : 0);
      const confidence: Confidence = 'medium';
      ctx.report({
        range: { start: at, end: at + hit[0].trim().length },
        confidence,
        message: '`NODE_ENV=development` in the final image runs the app in development mode: Express error pages send stack traces with file paths to clients, views and templates are not cached, and libraries turn on debug output. Set `NODE_ENV=production` in the image (and keep development settings for `Dockerfile.dev`).',
      });
    }
  },
  python: {
    create(ctx) {
      const devFile = DEV_SETTINGS_PATH.test(ctx.path);
      return {
        calls: {
          run(call: Node) {
            if (!ctx.facts.flask) return;
            const fn = call.childForFieldName('function');
            if (fn?.type !== 'attribute') return;
            const debug = keywordArg(call, 'debug');
            if (!isTrue(debug)) return;
            const host = stringValue(keywordArg(call, 'host'));
            const open = host === '0.0.0.0' || host === '::';
            ctx.report({
              node: debug!.parent ?? call, confidence: open ? 'high' : devFile ? 'low' : 'medium',
              message: `\`${fn.text}(debug=True)\` starts Flask's debugger${open ? ' on every network interface' : ''}: anyone who can reach it and trigger an error gets an interactive Python console on your server, and error pages show your code. Read the flag from the environment (\`debug=os.environ.get("FLASK_DEBUG") == "1"\`) and serve production with gunicorn or uvicorn.`,
            });
          },
          FastAPI: (call: Node) => framework(call),
          Starlette: (call: Node) => framework(call),
        },
        nodes: {
          assignment(n: Node) {
            const left = n.childForFieldName('left');
            const right = n.childForFieldName('right');
            if (!left || !isTrue(right ?? undefined)) return;
            if (left.type === 'identifier' && left.text === 'DEBUG' && n.parent?.parent?.type === 'module') {
              // Django settings: a module-level DEBUG in a settings file (or a file that configures Django)
              if (!/settings/.test(ctx.path) && !ctx.facts.django) return;
              ctx.report({
                node: n, confidence: devFile ? 'low' : 'medium',
                message: '`DEBUG = True` makes Django show detailed error pages with your code, settings and SQL to anyone who triggers an error, and keeps every query in memory. Read it from the environment and default to off: `DEBUG = os.environ.get("DJANGO_DEBUG") == "1"`.',
              });
            } else if (left.type === 'attribute' && left.childForFieldName('attribute')?.text === 'debug' && ctx.facts.flask) {
              ctx.report({
                node: n, confidence: devFile ? 'low' : 'medium',
                message: `\`${left.text} = True\` turns on Flask's debugger: an error page becomes an interactive Python console on your server. Read the flag from the environment and default to off.`,
              });
            }
          },
        },
      };
      function framework(call: Node) {
        const debug = keywordArg(call, 'debug');
        if (!isTrue(debug)) return;
        const q = ctx.facts.qualify(call.childForFieldName('function')) ?? '';
        if (!/^(fastapi|starlette)/.test(q)) return;
        ctx.report({
          node: debug!.parent ?? call, confidence: devFile ? 'low' : 'medium',
          message: `\`${call.childForFieldName('function')!.text}(debug=True)\` returns full tracebacks with your code to any client that triggers an error. Read the flag from the environment and default to off.`,
        });
      }
    },
  },
});
