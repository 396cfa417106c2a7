/**
 * One pre-pass per Python file: what it imports (local name → dotted module path) and which web frameworks
 * it uses. Rules resolve callees through {@link PyFacts.qualify} so `from subprocess import run as r; r(…)`
 * and `import subprocess as sp; sp.run(…)` both read as `subprocess.run`.
 */
import type { Node } from 'web-tree-sitter';
import { dottedName } from './ast';

export interface PyFacts {
  /** local name → what it stands for (`request` → `flask.request`, `sp` → `subprocess`) */
  imports: Map<string, string>;
  /** top-level modules imported anywhere in the file (`flask`, `django`, `sqlalchemy`…) */
  modules: Set<string>;
  flask: boolean;
  django: boolean;
  fastapi: boolean;
  /** Pecan (OpenStack's APIs): `pecan.request` is WebOb's request */
  pecan: boolean;
  /** Falcon: responders `on_get(self, req, resp)` read `req.params`, `req.media`, `req.get_param(…)` */
  falcon: boolean;
  /** Tornado: handlers read `self.get_argument(…)` and `self.request`, and write with `self.write(…)` (python/tornado.ts) */
  tornado: boolean;
  /** Bottle: `bottle.request.query/forms/json…`, routes `@route("/hello/<name>")` whose wildcards are text */
  bottle: boolean;
  /** aiohttp's server: handlers read `request.query`, `request.match_info`, `await request.post()` */
  aiohttp: boolean;
  /** classes defined in the file: name → base class names as written */
  classes: Map<string, { node: Node; bases: string[] }>;
  /** the dotted callee with its first name resolved through the imports */
  qualify(n: Node | null | undefined): string | undefined;
}

export function collectPyFacts(root: Node): PyFacts {
  const imports = new Map<string, string>();
  const modules = new Set<string>();
  const classes = new Map<string, { node: Node; bases: string[] }>();
  const visit = (n: Node, depth: number): void => {
    for (const c of n.namedChildren) {
      if (!c) continue;
      switch (c.type) {
        case 'import_statement':
          for (const name of c.namedChildren) {
            if (!name) continue;
            if (name.type === 'dotted_name') {
              imports.set(name.text.split('.')[0], name.text.split('.')[0]);
              modules.add(name.text.split('.')[0]);
            } else if (name.type === 'aliased_import') {
              const mod = name.childForFieldName('name')?.text, alias = name.childForFieldName('alias')?.text;
              if (mod && alias) { imports.set(alias, mod); modules.add(mod.split('.')[0]); }
            }
          }
          break;
        case 'import_from_statement': {
          const mod = c.childForFieldName('module_name')?.text;
          if (!mod || mod.startsWith('.')) break;
          modules.add(mod.split('.')[0]);
          for (const name of c.childrenForFieldName('name')) {
            if (!name) continue;
            if (name.type === 'dotted_name') imports.set(name.text, `${mod}.${name.text}`);
            else if (name.type === 'aliased_import') {
              const n2 = name.childForFieldName('name')?.text, alias = name.childForFieldName('alias')?.text;
              if (n2 && alias) imports.set(alias, `${mod}.${n2}`);
            }
          }
          break;
        }
        case 'class_definition': {
          const name = c.childForFieldName('name')?.text;
          const sup = c.childForFieldName('superclasses');
          if (name) classes.set(name, { node: c, bases: sup ? sup.namedChildren.filter((b): b is Node => !!b).map((b) => b.text) : [] });
          break;
        }
        default:
          // imports inside functions, try/except and if blocks count too; expressions hold no imports
          if (depth < 6 && (c.type.endsWith('_statement') || c.type.endsWith('_clause') || c.type === 'block' || c.type === 'function_definition' || c.type === 'decorated_definition' || c.type === 'class_definition')) visit(c, depth + 1);
      }
    }
  };
  visit(root, 0);
  const qualify = (n: Node | null | undefined): string | undefined => {
    const d = dottedName(n);
    if (d === undefined) return undefined;
    const dot = d.indexOf('.');
    const first = dot < 0 ? d : d.slice(0, dot);
    const mapped = imports.get(first);
    return mapped ? mapped + (dot < 0 ? '' : d.slice(dot)) : d;
  };
  return {
    imports, modules, classes, qualify,
    flask: modules.has('flask') || modules.has('flask_restful') || modules.has('flask_login'),
    django: modules.has('django') || modules.has('rest_framework'),
    fastapi: modules.has('fastapi') || modules.has('starlette'),
    pecan: modules.has('pecan'),
    falcon: modules.has('falcon'),
    tornado: modules.has('tornado'),
    bottle: modules.has('bottle'),
    // the server side (`from aiohttp import web`): a client-only file names its responses `req` or `resp` too
    aiohttp: modules.has('aiohttp') && [...imports.values()].some((v) => /^aiohttp\.web\b/.test(v)),
  };
}
