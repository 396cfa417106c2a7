/**
 * Code a project carries but did not write: vendored libraries (`vendor/jquery.js`, `lib/mocha.js`), minified or
 * bundled files and hashed build output (`assets/index-Dp43j18M.js`). Their findings belong to the library's
 * authors and tell the app's builder nothing they can act on, so such files get only the secret scan (a key
 * inlined into a bundle still ships to every browser).
 */

const VENDOR_DIR = /(^|\/)(vendor|vendors|third[-_]?party|bower_components|jspm_packages|web_modules|built|externals?)\//i;
const BUNDLE_NAME = /[.-]min\.[cm]?js$|\.(bundle|chunk|prod|production|umd)\.[cm]?js$/i;
/** `index-Dp43j18M.js`, `main.3f9a2c1b.js`, `chunk-BXwhMTuc.mjs`: a content hash in the name. */
const HASHED_NAME = /[.-]([A-Za-z0-9_]{8,20})\.[cm]?js$/;
const BUILD_DIR = /(^|\/)(assets|static|chunks|_next|build|dist|out|public\/js)\//;
/** Well-known browser libraries and test runners copied into a project as single files. */
const LIBRARY_NAME = /(^|\/)(jquery([.-][\w.-]*)?|mocha|chai|expect|underscore|lodash|sinon|require|bootstrap|moment|d3|backbone|handlebars(\.runtime)?|mustache|socket\.io|zepto|knockout|raphael|highlight|prism|codemirror|tinymce|ckeditor|dompurify|purify|popper|swiper|photoswipe([\w.-]*)?)\.js$/i;
/** A banner such as `/*! jQuery v3.0.0 | (c) …` or a browserify/webpack/UMD prelude at the top of the file. */
const LIBRARY_HEAD = /^\s*\/\*![^]{0,300}?\bv?\d+\.\d+\.\d+\b|^\s*\(function\(\)\{function r\(e,n,t\)|^\s*require=\(function|^\s*\/\*{6}\//;
/** …or webpack's runtime anywhere in the head (a plain search: in the pattern above it made every position a start) */
const WEBPACK_RUNTIME = '__webpack_require__';

/** `Dp43j18M`, `3f9a2c1b`, `CzGU4sus`, not `settings` or `Settings`. */
function looksLikeHash(s: string): boolean {
  if (/\d/.test(s) && /[a-zA-Z]/.test(s)) return !/^[a-z]+\d{1,2}$/i.test(s);
  return /[A-Z]/.test(s) && /[a-z]/.test(s) && !/^[A-Z]?[a-z]+([A-Z][a-z]+)*$/.test(s);
}

export function thirdPartyReason(path: string, text: string): string | undefined {
  const p = path.replace(/\\/g, '/');
  if (!/\.[cm]?[jt]sx?$/.test(p)) return undefined;
  if (BUNDLE_NAME.test(p)) return 'a minified or bundled file (by its name)';
  if (VENDOR_DIR.test(p)) return 'a vendored or built file (by its folder)';
  if (LIBRARY_NAME.test(p)) return 'a copy of a well-known library';
  const h = HASHED_NAME.exec(p);
  if (h && BUILD_DIR.test(p) && looksLikeHash(h[1])) return 'build output (content-hashed file name)';
  const head = text.length > 2048 ? text.slice(0, 2048) : text;
  if (LIBRARY_HEAD.test(head) || head.includes(WEBPACK_RUNTIME)) return 'a library or bundle (by its header)';
  return undefined;
}
