import { ts } from 'ts-morph';
import { ALL_LANGUAGES, defineRule, type RuleContext, sameVisitor } from '../../model/rule';
import { calleeName, calleeObject, getProperty, isBooleanLiteral, unwrap } from '../../util/ast';
import { importOf } from '../../util/imports';
import { EditSet, makeFix, tryFixes } from '../../fixes/edits';
import { resolveValue } from '../../util/web';

/** libxml2 bindings: the only common Node XML parsers that can load external entities. */
const LIBXML = /^(libxmljs|libxmljs2|libxmljs-mt)$/;
const PARSE_FUNCTIONS = new Set(['parseXml', 'parseXmlString', 'parseXmlAsync', 'parseXmlStringAsync']);
/** Options that make libxml2 substitute entities (`noent`) or fetch external DTDs (`dtdload`, `dtdvalid`). */
const DANGEROUS = ['noent', 'dtdload', 'dtdvalid', 'dtdattr'];

function isLibxmlParse(ctx: RuleContext, call: ts.CallExpression): boolean {
  const c = unwrap(call.expression);
  if (ts.isIdentifier(c)) {
    const imp = importOf(ctx, c);
    return !!imp && LIBXML.test(imp.module) && PARSE_FUNCTIONS.has(imp.imported);
  }
  const recv = calleeObject(call);
  const r = recv && unwrap(recv);
  if (!r || !ts.isIdentifier(r)) return false;
  const imp = importOf(ctx, r);
  if (imp) return LIBXML.test(imp.module);
  // `const libxml = require('libxmljs')` resolves through importOf; a bare `libxmljs` global is the same module
  return /^libxml(js2?)?$/.test(r.text) && !ctx.taint.scopes.resolve(r);
}

export default defineRule({
  meta: {
    id: 'xxe',
    title: 'XML parsed with external entities turned on (XXE)',
    category: 'injection',
    severity: 'error',
    confidence: 'medium',
    cwe: [611, 776],
    owasp: 'A05:2021 Security Misconfiguration',
    description: 'Finds libxmljs/libxmljs2 `parseXml`/`parseXmlString` called with `noent: true` (entity substitution) or `dtdload`/`dtdvalid` (fetching external DTDs). High confidence when the document comes from the request, medium for other changing values, low for fixed strings.',
    notReported: 'libxmljs without those options (libxml2 leaves external entities alone by default), and xml2js, fast-xml-parser and @xmldom/xmldom, which never fetch external entities.',
    why: 'An XML document can declare an entity that points to a file or URL (`<!ENTITY x SYSTEM "file:///etc/passwd">`). With `noent: true` libxml2 replaces `&x;` with that file\'s contents, so an uploaded or posted document can read files from your server, reach internal URLs, or blow up memory with nested entities.',
    fix: 'Drop `noent`, `dtdload` and `dtdvalid` (or set them to `false`) when parsing documents you did not write. If you need entities, expand only the built-in ones, or reject documents that contain a `<!DOCTYPE`.',
    bad: `const libxmljs = require('libxmljs');

app.post('/import', express.text({ type: 'application/xml' }), (req, res) => {
  const doc = libxmljs.parseXml(req.body, { noent: true });
  res.json({ items: doc.find('//item').length });
});`,
    good: `const libxmljs = require('libxmljs');

app.post('/import', express.text({ type: 'application/xml' }), (req, res) => {
  const doc = libxmljs.parseXml(req.body, { noent: false, nonet: true });
  res.json({ items: doc.find('//item').length });
});`,
    fixSafety: 'suggestion',
    languages: ALL_LANGUAGES,
    defaultEnabled: true,
    tags: ['xxe', 'xml', 'injection'],
  },
  create(ctx) {
    if (![...ctx.facts.modules].some((m) => LIBXML.test(m)) && !(ctx.text.includes('libxml') && /\blibxml/.test(ctx.text))) return {};
    const check = (node: ts.CallExpression | ts.NewExpression) => {
      if (!ts.isCallExpression(node) || !isLibxmlParse(ctx, node)) return;
      const input = node.arguments[0];
      const optsArg = node.arguments[1];
      if (!input || !optsArg) return;
      const opts = resolveValue(ctx, optsArg);
      if (!ts.isObjectLiteralExpression(opts)) return;
      const on = DANGEROUS.map((k) => getProperty(opts, k)).filter((p): p is ts.PropertyAssignment => !!p && ts.isPropertyAssignment(p) && isBooleanLiteral(p.initializer, true));
      if (!on.length) return;
      const names = on.map((p) => `\`${p.name.getText(ctx.sourceFile)}: true\``).join(' and ');
      const c = ctx.taint.classify(input, 'code');
      const fixes = opts.getSourceFile() === ctx.sourceFile
        ? tryFixes(() => {
          const edit = new EditSet(ctx.path, ctx.text);
          for (const p of on) edit.replaceNode(p.initializer, 'false', ctx.sourceFile);
          return makeFix(`Turn off ${on.map((p) => p.name.getText(ctx.sourceFile)).join(' and ')}`, 'suggestion', edit);
        })
        : undefined;
      const label = `\`${calleeName(node)}\``;
      // options in a shared constant: underline the call's argument, where the reader sees the parse
      const at = opts === unwrap(optsArg) ? on[0] : optsArg;
      if (c.kind === 'tainted' && c.trace) {
        ctx.report({
          node: at, confidence: 'high',
          message: `${label} parses request data (\`${c.trace.label}\`) with ${names}: a posted document can declare \`<!ENTITY x SYSTEM "file:///etc/passwd">\` and get the file's contents back, or make your server fetch internal URLs (XXE). Set ${on.map((p) => `\`${p.name.getText(ctx.sourceFile)}\``).join(' and ')} to \`false\`.`,
          related: [{ node: c.trace.source, message: `The XML document enters here (${c.trace.label}).` }],
          fixes,
        });
        return;
      }
      ctx.report({
        node: at, confidence: c.kind === 'dynamic' ? 'medium' : 'low',
        message: `${label} runs with ${names}, which makes libxml2 load external entities: if the document can come from a user (an upload, an API, a feed), it can read files on your server or reach internal URLs (XXE). Set ${on.map((p) => `\`${p.name.getText(ctx.sourceFile)}\``).join(' and ')} to \`false\` unless the XML is your own.`,
        fixes,
      });
    };
    return { calls: sameVisitor(PARSE_FUNCTIONS, check) };
  },
});
