import { ts } from 'ts-morph';
import { ALL_LANGUAGES, defineRule } from '../../model/rule';
import { literalText, propertyNameText, unwrap } from '../../util/ast';

const NEXT_CONFIG = /(^|\/)next\.config\.[cm]?[jt]s$/;
const VITE_CONFIG = /(^|\/)vite\.config(\.[\w-]+)?\.[cm]?[jt]s$/;
const WEBPACK_CONFIG = /(^|\/)webpack(\.[\w-]+)*\.config\.[cm]?[jt]s$|(^|\/)webpack\.(prod|production)(\.[\w-]+)*\.[cm]?[jt]s$/;
/** webpack devtools that emit no map a browser can fetch, or no source in it */
const SAFE_DEVTOOL = /^(hidden-|nosources-)/;

const WHY = 'Public source maps hand every visitor your original source: comments, internal API routes, feature flags and any key that slipped into client code.';

function isTrue(e: ts.Expression | undefined): boolean {
  return !!e && unwrap(e).kind === ts.SyntaxKind.TrueKeyword;
}

/** The property `name` of the object literal `obj`, if written there. */
function prop(obj: ts.ObjectLiteralExpression, name: string): ts.Expression | undefined {
  for (const p of obj.properties) if (ts.isPropertyAssignment(p) && propertyNameText(p.name) === name) return p.initializer;
  return undefined;
}

export default defineRule({
  meta: {
    id: 'production-source-maps',
    title: 'Source maps published with the production build',
    category: 'config',
    severity: 'warning',
    confidence: 'medium',
    cwe: [540, 200],
    owasp: 'A05:2021 Security Misconfiguration',
    description: 'Finds build settings that publish browser source maps in production: Next.js `productionBrowserSourceMaps: true`, Vite `build.sourcemap: true` or `\'inline\'`, a webpack production config with a `devtool` that emits public maps (not `hidden-*` or `nosources-*`), and `GENERATE_SOURCEMAP=true` in a Create React App `.env` / `.env.production`.',
    notReported: '`hidden-*` and `nosources-*` webpack devtools (maps not linked from the bundle), development configs, and source maps turned off or left at the framework default.',
    why: `${WHY} Attackers read them to find unprotected endpoints and logic flaws far faster than from minified code.`,
    fix: 'Turn them off for production, or build them as hidden maps (`sourcemap: \'hidden\'`, `devtool: \'hidden-source-map\'`) and upload them to your error tracker instead of serving them.',
    bad: `// file: next.config.js
module.exports = {
  productionBrowserSourceMaps: true,
};`,
    good: `// file: next.config.js
module.exports = {
  // maps go to Sentry at build time, not to browsers
  productionBrowserSourceMaps: false,
};`,
    fixSafety: 'none',
    languages: ALL_LANGUAGES,
    defaultEnabled: true,
    tags: ['config', 'build'],
  },
  create(ctx) {
    const path = ctx.path.replace(/\\/g, '/');
    const next = NEXT_CONFIG.test(path);
    const vite = VITE_CONFIG.test(path);
    const webpack = WEBPACK_CONFIG.test(path);
    if (!next && !vite && !webpack) return {};
    return {
      properties: {
        productionBrowserSourceMaps(node) {
          if (!next || !ts.isPropertyAssignment(node) || !isTrue(node.initializer)) return;
          ctx.report({ node, message: `\`productionBrowserSourceMaps: true\` publishes the original source of every page next to the bundles. ${WHY} Remove it, or upload maps to your error tracker at build time instead.` });
        },
        sourcemap(node) {
          if (!vite || !ts.isPropertyAssignment(node)) return;
          const owner = node.parent;
          const build = owner?.parent;
          if (!build || !ts.isPropertyAssignment(build) || propertyNameText(build.name) !== 'build') return;
          const v = unwrap(node.initializer);
          const inline = literalText(v) === 'inline';
          if (!isTrue(v) && !inline) return;
          ctx.report({ node, message: `\`build.sourcemap: ${inline ? "'inline'" : 'true'}\` ships source maps with the production build. ${WHY} Use \`'hidden'\` (maps for your error tracker, not linked from the bundles) or leave it off.` });
        },
        devtool(node) {
          if (!webpack || !ts.isPropertyAssignment(node)) return;
          const value = literalText(node.initializer);
          if (!value || SAFE_DEVTOOL.test(value) || !/source-map/.test(value)) return;
          const obj = node.parent;
          const mode = ts.isObjectLiteralExpression(obj) ? literalText(prop(obj, 'mode')) : undefined;
          const prodFile = /(^|[./-])(prod|production)([./-]|$)/.test(path.split('/').pop() ?? '');
          if (mode !== 'production' && !prodFile) return;
          ctx.report({ node, message: `\`devtool: '${value}'\` in a production webpack config emits public source maps. ${WHY} Use \`'hidden-source-map'\` or \`'nosources-source-map'\`, or turn maps off.` });
        },
      },
    };
  },
  checkFile(ctx) {
    if (ctx.kind !== 'dotenv') return;
    const name = ctx.path.replace(/\\/g, '/').split('/').pop() ?? '';
    // Create React App reads GENERATE_SOURCEMAP at build time; .env and .env.production apply to `npm run build`
    if (!/^\.env(\.production)?$/.test(name)) return;
    const m = /^[ \t]*GENERATE_SOURCEMAP[ \t]*=[ \t]*["']?true["']?[ \t]*$/m.exec(ctx.text);
    if (!m) return;
    ctx.report({ range: { start: m.index + m[0].indexOf('G'), end: m.index + m[0].trimEnd().length }, message: `\`GENERATE_SOURCEMAP=true\` makes \`npm run build\` publish source maps. ${WHY} Set it to \`false\` for production builds.` });
  },
});
