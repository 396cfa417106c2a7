import { ts } from 'ts-morph';
import { ALL_LANGUAGES, defineRule } from '../../model/rule';
import type { Confidence } from '../../model/types';
import { calleeName, isBooleanLiteral, propertyNameText, unwrap } from '../../util/ast';

/** Template engines whose escaping can be switched off by an option. */
const ENGINE_MODULES = /^(nunjucks|swig|swig-templates|free-swig|handlebars|hbs|express-handlebars|express-hbs|consolidate|express-nunjucks|twig)$/;
/** Engines made for HTML views of a web app: switching escaping off there is about HTML. */
const WEB_ENGINE_MODULES = /^(swig|swig-templates|free-swig|hbs|express-handlebars|express-hbs|express-nunjucks)$/;
const WEB_FRAMEWORKS = /^(express|koa|fastify|@hapi\/hapi|hapi|restify|@fastify\/view|point-of-view|koa-views)$/;
/** Calls that take the options object: engine setup and compile calls. */
const OPTION_CALLS = new Set(['setDefaults', 'configure', 'Environment', 'Swig', 'compile', 'precompile', 'create', 'engine',
  'exphbs', 'expressHandlebars', 'ExpressHandlebars', 'handlebars', 'hbs', 'register', 'setup', 'nunjucks']);

/** The call an options object is (directly, or through `compilerOptions`) an argument of. */
function optionCall(obj: ts.ObjectLiteralExpression): ts.CallExpression | ts.NewExpression | undefined {
  let o: ts.Node = obj;
  const parent = o.parent;
  // express-handlebars: engine({ compilerOptions: { noEscape: true } })
  if (parent && ts.isPropertyAssignment(parent) && propertyNameText(parent.name) === 'compilerOptions' && ts.isObjectLiteralExpression(parent.parent)) o = parent.parent;
  let p = o.parent;
  while (p && (ts.isParenthesizedExpression(p) || ts.isAsExpression(p))) p = p.parent;
  return p && (ts.isCallExpression(p) || ts.isNewExpression(p)) && p.arguments?.some((a) => unwrap(a) === o) ? p : undefined;
}

export default defineRule({
  meta: {
    id: 'template-autoescape-disabled',
    title: 'HTML escaping turned off in a template engine',
    category: 'xss',
    severity: 'error',
    confidence: 'medium',
    cwe: [79, 116],
    owasp: 'A03:2021 Injection',
    description: 'Finds template engines set up without HTML escaping: Nunjucks `configure(…, { autoescape: false })` or `new Environment(loader, { autoescape: false })`, Swig `setDefaults({ autoescape: false })`, Handlebars `compile(tpl, { noEscape: true })` and express-handlebars `compilerOptions: { noEscape: true }`. Medium confidence when the engine renders a web app\'s views (a web framework or an Express view engine in the same file, or a web-only engine such as Swig or express-handlebars); low when the engine may be producing text, e-mail or code.',
    notReported: 'Engines that render plain text, e-mails or generated code without a web framework in sight (low), `autoescape: true`, and `{% autoescape false %}` blocks inside templates (reported per printed value by template-unescaped-output).',
    why: 'With escaping off, every `{{ value }}` in every view prints markup as markup: one user-supplied name or comment holding `<script>` runs in the browsers of everyone who sees that page. It turns a single template slip into site-wide cross-site scripting.',
    fix: 'Leave escaping on (`autoescape: true` is the default in Nunjucks and Swig; drop `noEscape`), and mark only the values that are HTML you produced and sanitized with `| safe` or `{{{ }}}`.',
    bad: `// file: app.js
const express = require('express');
const nunjucks = require('nunjucks');

const app = express();
nunjucks.configure('views', { autoescape: false, express: app });`,
    good: `// file: app.js
const express = require('express');
const nunjucks = require('nunjucks');

const app = express();
nunjucks.configure('views', { autoescape: true, express: app });`,
    fixSafety: 'suggestion',
    languages: ALL_LANGUAGES,
    defaultEnabled: true,
    tags: ['xss', 'templates'],
  },
  create(ctx) {
    const engines = [...ctx.facts.modules].filter((m) => ENGINE_MODULES.test(m));
    if (!engines.length) return {};
    const web = engines.some((m) => WEB_ENGINE_MODULES.test(m)) || [...ctx.facts.modules].some((m) => WEB_FRAMEWORKS.test(m));
    const check = (prop: ts.PropertyAssignment | ts.ShorthandPropertyAssignment, off: boolean) => {
      if (!ts.isPropertyAssignment(prop) || !off) return;
      const obj = prop.parent;
      if (!ts.isObjectLiteralExpression(obj)) return;
      const call = optionCall(obj);
      if (!call) return;
      const name = calleeName(call);
      if (!name || !OPTION_CALLS.has(name)) return;
      // nunjucks.configure('views', { …, express: app }) renders Express views
      const expressKey = obj.properties.some((p) => propertyNameText(p.name) === 'express');
      const confidence: Confidence = web || expressKey ? 'medium' : 'low';
      const option = propertyNameText(prop.name)!;
      const value = option === 'noEscape' ? 'false' : 'true';
      ctx.report({
        node: prop, confidence,
        message: `\`${option}: ${prop.initializer.getText(ctx.sourceFile)}\` turns HTML escaping off for every template this ${name === 'compile' || name === 'precompile' ? 'compile call' : 'engine'} renders: any user-supplied value printed with \`{{ }}\` can inject markup and script into the page. Keep escaping on and mark only sanitized HTML as safe.`,
        fixes: [{
          title: `Turn escaping back on (${option}: ${value})`, safety: 'suggestion',
          edits: [{ file: ctx.path, textEdits: [{ start: prop.initializer.getStart(ctx.sourceFile), end: prop.initializer.getEnd(), newText: value }] }],
        }],
      });
    };
    return {
      properties: {
        autoescape: (p) => check(p, ts.isPropertyAssignment(p) && (isBooleanLiteral(p.initializer, false) || /^['"](false|off)['"]$/.test(p.initializer.getText(ctx.sourceFile)))),
        noEscape: (p) => check(p, ts.isPropertyAssignment(p) && isBooleanLiteral(p.initializer, true)),
      },
    };
  },
});
