/**
 * What a printed template expression holds, judged from its text: request data the template reads itself,
 * HTML the app builds on purpose (partials, layout bodies, rendered markdown, pre-sanitized HTML), or a value
 * whose origin the template alone does not tell.
 */
import { rootNames } from './scan';

/** Root names under which Express-style apps hand request data to a view (`res.render('x', { query: req.query })`). */
const REQUEST_ROOTS = new Set(['req', 'request', 'query', 'params', 'reqBody', 'reqQuery', 'reqParams', 'searchQuery',
  'searchTerm', 'searchString', 'search', 'q', 'term', 'keyword', 'keywords', 'userInput', 'input', 'queryString', 'qs']);

/** Names of values that are HTML the app itself produced: partials, layout bodies, helpers that render markup. */
const APP_HTML_ROOTS = new Set([
  'include', 'includes', 'partial', 'partials', 'block', 'blocks', 'body', 'layoutBody', 'defineContent', 'contentFor',
  'yield', 'render', 'renderBody', 'renderSection', 'renderPartial', 'renderFile', 'template', 'templates', 'layout',
  'script', 'scripts', 'style', 'styles', 'stylesheet', 'stylesheets', 'css', 'js', 'head', 'header', 'footer', 'nav',
  'navbar', 'menu', 'sidebar', 'breadcrumb', 'breadcrumbs', 'pagination', 'paginate', 'paginator', 'pager', 'widget',
  'widgets', 'livereload', 'assets', 'asset', 'analytics', 'gtm', 'csrf', 'csrfToken', '_csrf', 'csrfField', 'nonce', 'meta',
  'metaTags', 'seo', 'icon', 'icons', 'svg', 'sprite', 'inlineSvg', 'embed', 'env', 'config', 'settings', 'site',
  'i18n', 't', '__', '__n', 'translate', 'gettext', '_', 'lang', 'moment', 'dateFormat', 'formatDate', 'url', 'urlFor',
  'asset_path', 'assetPath', 'static', 'super', 'caller', 'loop', 'self', 'this',
]);

/** A name that says the value is already HTML the app rendered, or data serialized for a script. */
const HTML_WORD = /html|markup|markdown|marked|rendered|sanitiz|purif|clean|svg|icon|partial|widget|snippet|embed|editor|content_?for/i;

export type PrintedValue =
  | { kind: 'request'; root: string }
  | { kind: 'app-html' }
  | { kind: 'json' }
  | { kind: 'literal' }
  | { kind: 'unknown'; roots: string[] };

export function judgePrinted(expr: string): PrintedValue {
  // EJS `locals.x` and Handlebars `this.x` / `@root.x` name the same value as `x`
  const e = expr.trim().replace(/^(locals|this|@root)\s*\./, '');
  if (!e || /^(["'`][^\n]*["'`]|[\d.]+|true|false|null|undefined)$/.test(e)) return { kind: 'literal' };
  // EJS 2 `include file`, Handlebars helpers with a partial name, Pug `block`
  if (/^(include|partial|block)\b/.test(e)) return { kind: 'app-html' };
  const roots = rootNames(e);
  if (!roots.length) return { kind: 'literal' };
  // a view helper called by name (`url_for(post.path)`, `feed_tag()`, Handlebars `{{{helper arg}}}`) returns the
  // markup it was written to build
  if (/^[A-Za-z_$][\w$]{0,100}\s{0,3}\(/.test(e) || /^[A-Za-z_$][\w$-]{0,100}\s+[^\s=|&+*/<>!?:-]/.test(e)) {
    for (const r of roots) if (REQUEST_ROOTS.has(r)) return { kind: 'request', root: r };
    return { kind: 'app-html' };
  }
  // `body.comment` (a view given `body: req.body`); a bare `body` is a layout's content
  if (/^body\s*[.[]/.test(e)) return { kind: 'request', root: 'body' };
  if (APP_HTML_ROOTS.has(roots[0])) return { kind: 'app-html' };
  if (/\bJSON\.stringify\b|\b(json|toJSON|serialize|jsesc|stringify|dump|tojson)\b/.test(e)) return { kind: 'json' };
  // any member or helper name that says "already HTML": `post.contentHtml`, `renderedBody`, `markdown post.body`
  const words = e.match(/[A-Za-z_$][\w$]{0,100}/g) ?? [];
  if (words.some((w) => HTML_WORD.test(w))) return { kind: 'app-html' };
  for (const r of roots) if (REQUEST_ROOTS.has(r)) return { kind: 'request', root: r };
  return { kind: 'unknown', roots };
}
