/**
 * The project model: every module's facts (see extract.ts) joined into the import graph, what each export is
 * (followed through re-exports and local modules), the apps of the project and their route table with the
 * middleware chain of each route. Built from plain per-file facts, so it is updated one file at a time (the
 * editor) or built once per scan and sent to analysis threads as data (the CLI); what it derives is computed
 * lazily and dropped when a file changes.
 */
import { middlewareMatches, middlewareProtects } from './next-middleware';
import { Resolver } from './resolve';
import { isHandlerModule } from './openapi';
import type {
  AppInfo, ArgFact, ChainEntry, ConfigFacts, OpenApiOperation, DbDriver, HttpMethod, ModuleFacts, MountFact, NextMiddlewareFacts, ProjectData, RouteInfo, ValueFact, WebFramework,
} from './types';

/** A value followed to where it is defined: the file, and the node id (`file#name`) of an app or router. */
export interface Resolved { file: string; value: ValueFact; node?: string }

interface Derived {
  routes: RouteInfo[];
  apps: AppInfo[];
  /** file → ids of the apps that serve routes declared in it */
  appsByFile: Map<string, Set<string>>;
  /** passedOut answers, by node id */
  passed: Map<string, boolean>;
}

const APP_NAMES = /^(app|router|api|routes?|server)$/i;

function joinRoute(prefix: string, path: string): string {
  if (!prefix || prefix === '/') return path || '/';
  if (!path || path === '/') return prefix;
  return `${prefix.replace(/\/$/, '')}/${path.replace(/^\//, '')}`;
}

interface NestSummary {
  boots: boolean; globalGuard: boolean; guards: boolean; prefix?: string;
  /** files that boot an app (`NestFactory.create`) */
  bootFiles: string[];
  /** middleware applied in modules (`consumer.apply(…).forRoutes(…)`), with the file that applies it */
  applies: { file: string; text: string; all: boolean; routes?: string }[];
  /** guards registered for every route, with the file that registers them */
  globalGuards: { file: string; text: string }[];
}

export class ProjectModel {
  private readonly modules: Map<string, ModuleFacts>;
  private readonly keys: Map<string, string>;
  private configs: ConfigFacts[];
  private resolver?: Resolver;
  private derived?: Derived;
  /** nest(), once per version of the model: every controller file asks */
  private nestSummary?: NestSummary;
  /** files some module imports (for {@link toolingScript}); reset with the derived data */
  private imported?: Set<string>;
  /** module → the modules that import or re-export it (for {@link toolingScript} and {@link nextPagesUsing}); reset with the derived data */
  private importers?: Map<string, string[]>;
  /** the Next.js middleware of each package root (for {@link nextMiddlewareFor}); reset with the derived data */
  private middlewareCache?: Map<string, { file: string; facts: NextMiddlewareFacts } | undefined>;
  private readonly importCache = new Map<string, string | null>();

  constructor(data?: ProjectData) {
    this.modules = new Map();
    this.keys = new Map();
    this.configs = data?.configs ?? [];
    for (const m of data?.modules ?? []) { this.modules.set(m.file, m); }
  }

  /** The model as plain data (to send to another thread). */
  toData(): ProjectData {
    return { modules: [...this.modules.values()], configs: this.configs };
  }

  get size(): number { return this.modules.size; }

  has(file: string): boolean { return this.modules.has(file); }

  facts(file: string): ModuleFacts | undefined { return this.modules.get(file); }

  files(): string[] { return [...this.modules.keys()]; }

  configFacts(): readonly ConfigFacts[] { return this.configs; }

  /** Replaces one file's facts (the editor calls this when a file changes); a no-op when they did not change. */
  update(facts: ModuleFacts): void {
    const had = this.modules.has(facts.file);
    if (had && this.key(facts.file) === JSON.stringify(facts)) return;
    this.modules.set(facts.file, facts);
    this.keys.delete(facts.file);
    this.invalidate(!had);
  }

  remove(file: string): void {
    if (this.modules.delete(file)) { this.keys.delete(file); this.invalidate(true); }
  }

  setConfigs(configs: ConfigFacts[]): void {
    this.configs = configs;
    this.invalidate(true);
  }

  private invalidate(filesChanged: boolean): void {
    this.derived = undefined;
    this.imported = undefined;
    this.importers = undefined;
    this.middlewareCache = undefined;
    this.nestSummary = undefined;
    if (filesChanged) { this.resolver = undefined; this.importCache.clear(); }
  }

  private key(file: string): string | undefined {
    let k = this.keys.get(file);
    if (k === undefined) {
      const m = this.modules.get(file);
      if (!m) return undefined;
      k = JSON.stringify(m);
      this.keys.set(file, k);
    }
    return k;
  }

  /**
   * The model as seen with one file's current facts: the model itself when they are what it holds (a CLI scan,
   * or an editor that already updated it), otherwise a copy with that file replaced (a fix being checked).
   */
  withFile(facts: ModuleFacts): ProjectModel {
    // the very object the model holds (a CLI scan): no need to compare them as text
    if (this.modules.get(facts.file) === facts || this.key(facts.file) === JSON.stringify(facts)) return this;
    const copy = new ProjectModel({ modules: [], configs: this.configs });
    for (const [f, m] of this.modules) copy.modules.set(f, m);
    copy.modules.set(facts.file, facts);
    return copy;
  }

  /** The project file an import specifier names, from `fromFile`; undefined for packages and unknown files. */
  resolveImport(fromFile: string, spec: string): string | undefined {
    const ck = `${fromFile}\u0000${spec}`;
    const hit = this.importCache.get(ck);
    if (hit !== undefined) return hit ?? undefined;
    this.resolver ??= new Resolver(this.configs, (f) => this.modules.has(f));
    const r = this.resolver.resolve(fromFile, spec);
    this.importCache.set(ck, r ?? null);
    return r;
  }

  /** What a value of a file is, followed through local bindings, imports and re-exports. */
  resolveValue(file: string, v: ValueFact, depth = 0): Resolved | undefined {
    if (depth > 12) return undefined;
    if (v.k === 'local') {
      const lv = this.modules.get(file)?.locals[v.name];
      if (!lv) return undefined;
      if (lv.k === 'app' || lv.k === 'router') return { file, value: lv, node: `${file}#${v.name}` };
      return this.resolveValue(file, lv, depth + 1);
    }
    if (v.k === 'ref') {
      const target = this.resolveImport(file, v.spec);
      if (!target) return { file, value: v };
      return this.exportOf(target, v.imported, depth + 1);
    }
    if (v.k === 'member' && v.spec !== undefined && v.imported !== undefined) {
      // `accountApp.handlers` of `import * as accountApp from './app-account'` (or of `require('./app-account')`):
      // the module's export of that name, or the property of an object it exports
      const dot = v.chain.indexOf('.');
      const prop = dot > 0 && v.chain.indexOf('.', dot + 1) < 0 ? v.chain.slice(dot + 1) : undefined;
      const target = prop ? this.resolveImport(file, v.spec) : undefined;
      const base = target ? this.exportOf(target, v.imported, depth + 1) : undefined;
      if (prop && base?.value.k === 'object' && Object.hasOwn(base.value.props, prop)) {
        return this.resolveValue(base.file, base.value.props[prop], depth + 1) ?? { file, value: v };
      }
    }
    return { file, value: v };
  }

  /**
   * Whether a function of a file answers only with error codes: every `error` it returns is a code written in it, or
   * one passed on from functions that do the same (util/error-codes.ts).
   */
  givesErrorCodes(file: string, fn: ValueFact, depth = 0): boolean {
    if (fn.k !== 'fn' || !fn.codes || depth > 6) return false;
    return (fn.codesVia ?? []).every((via) => {
      const r = this.resolveValue(file, via);
      return !!r && this.givesErrorCodes(r.file, r.value, depth + 1);
    });
  }

  /** What a module exports under a name ('default', '*' for the whole module, or a named export). */
  exportOf(file: string, name: string, depth = 0): Resolved | undefined {
    if (depth > 12) return undefined;
    const m = this.modules.get(file);
    if (!m) return undefined;
    if (name === '*') {
      if (m.cjs && m.exports.default) return this.resolveValue(file, m.exports.default, depth + 1);
      return { file, value: { k: 'object', props: m.exports } };
    }
    const direct = m.exports[name];
    if (direct) return this.resolveValue(file, direct, depth + 1);
    if (name === 'default' && m.cjs === undefined && m.exports.default === undefined) {
      // `import db from './db'` of a module with only named exports: nothing to follow
    }
    for (const r of m.reexports) {
      if (r.names) {
        const inner = r.names[name];
        if (inner === undefined) continue;
        const t = this.resolveImport(file, r.spec);
        if (t) return this.exportOf(t, inner, depth + 1);
      } else if (name !== 'default') {
        const t = this.resolveImport(file, r.spec);
        const found = t ? this.exportOf(t, name, depth + 1) : undefined;
        if (found) return found;
      }
    }
    return undefined;
  }

  /** What a file's local name (an import, or a top-level binding) is. */
  valueOfName(file: string, localName: string): Resolved | undefined {
    const m = this.modules.get(file);
    if (!m) return undefined;
    for (const imp of m.imports) {
      const imported = imp.names[localName];
      if (imported === undefined) continue;
      return this.resolveValue(file, { k: 'ref', spec: imp.spec, imported });
    }
    if (m.locals[localName]) return this.resolveValue(file, { k: 'local', name: localName });
    return undefined;
  }

  /**
   * The database driver behind a local name of a file, when the name is (or comes from a project module that
   * exports) a client of a known library: `const pool = require('./db')` where db.js exports `new Pool()`.
   */
  dbDriverOf(file: string, localName: string): DbDriver | undefined {
    const r = this.valueOfName(file, localName);
    if (!r) return undefined;
    const v = r.value;
    if (v.k === 'db') return v.driver;
    if (v.k === 'object') {
      // `module.exports = { pool, query }`: the namespace holds one client
      const drivers = new Set<DbDriver>();
      for (const p of Object.values(v.props)) {
        const pr = this.resolveValue(r.file, p);
        if (pr?.value.k === 'db') drivers.add(pr.value.driver);
      }
      if (drivers.size === 1) return [...drivers][0];
    }
    return undefined;
  }

  /**
   * Whether an app or router is handed to code the model does not follow (`require('./security')(app)`,
   * `setupRoutes(app)`): middleware may be mounted there, so absences are not proven.
   */
  passedOut(id: string): boolean {
    const d = this.derive();
    let v = d.passed.get(id);
    if (v === undefined) { v = this.computePassedOut(id); d.passed.set(id, v); }
    return v;
  }

  private computePassedOut(id: string): boolean {
    for (const m of this.modules.values()) {
      for (const name of m.passes ?? []) if (this.valueOfName(m.file, name)?.node === id) return true;
    }
    return false;
  }

  /**
   * NestJS across the project: whether some file boots an app, registers a guard for every route (then a
   * controller without `@UseGuards` is still guarded), or guards some controller (then the app has auth, and a
   * controller without it is an omission).
   */
  nest(): NestSummary {
    if (this.nestSummary) return this.nestSummary;
    const r: NestSummary = { boots: false, globalGuard: false, guards: false, bootFiles: [], applies: [], globalGuards: [] };
    this.nestSummary = r;
    for (const m of this.modules.values()) {
      if (!m.nest) continue;
      if (m.nest.boots) { r.boots = true; r.bootFiles.push(m.file); }
      for (const a of m.nest.applies ?? []) r.applies.push({ file: m.file, ...a });
      for (const g of m.nest.globalGuards ?? []) r.globalGuards.push({ file: m.file, text: g });
      if (m.nest.globalGuard) r.globalGuard = true;
      if (m.nest.guards) r.guards = true;
      if (m.nest.prefix !== undefined) r.prefix = m.nest.prefix;
    }
    return r;
  }

  /** The app created by the call at `start` in a file (`const app = express()`), if the model knows it. */
  appAt(file: string, start: number): AppInfo | undefined {
    return this.derive().apps.find((a) => a.file === file && a.start === start);
  }

  /** The route declared by the call at `start` in a file. */
  routeAt(file: string, start: number): RouteInfo | undefined {
    return this.derive().routes.find((r) => r.file === file && r.start === start);
  }

  /**
   * The version range a file's nearest package.json declares for a dependency (`^8.5.1`), if any. Dependencies,
   * devDependencies and peerDependencies count; a package.json with no entry for it ends the search.
   */
  dependencyVersion(file: string, name: string): string | undefined {
    return this.packageOf(file)?.dependencies?.[name];
  }

  /**
   * The package.json script that runs a file when the file is the project's own tooling rather than part of the
   * app: it is started by a script (`"simple-mqtt-server": "node extra/simple-mqtt-server.js"`), no module imports
   * it, it is neither the package's `main` nor a `bin` command, no `start`/`serve`/`prod` script runs it, and it
   * creates no web app or router and declares no route. Undefined otherwise (most files).
   */
  toolingScript(file: string): string | undefined {
    const script = this.toolingCandidate(file);
    if (script === undefined) return undefined;
    this.imported ??= new Set(this.importersIndex().keys());
    return this.imported.has(file) ? undefined : script;
  }

  /**
   * toolingScript as far as the configuration files and the file's own facts tell (no other module is read): undefined
   * when that is already toolingScript's answer, else the script that runs the file (toolingScript's answer unless a
   * module imports the file).
   */
  toolingCandidate(file: string): string | undefined {
    const pkg = this.packageOf(file);
    if (!pkg?.scripts) return undefined;
    const dir = pkg.file.includes('/') ? pkg.file.slice(0, pkg.file.lastIndexOf('/') + 1) : '';
    const rel = file.slice(dir.length);
    const runs = Object.entries(pkg.scripts).filter(([, cmd]) => scriptRuns(cmd, rel)).map(([name]) => name);
    if (!runs.length || runs.some((n) => APP_SCRIPT.test(n))) return undefined;
    if ([pkg.main, ...(pkg.bin ?? [])].some((p) => p !== undefined && sameScriptPath(p, rel))) return undefined;
    const m = this.modules.get(file);
    if (!m || m.mounts.length || m.listens.length || m.nextRoute) return undefined;
    const isApp = (v: ValueFact) => v.k === 'app' || v.k === 'router';
    if (Object.values(m.locals).some(isApp) || Object.values(m.exports).some(isApp)) return undefined;
    return runs[0];
  }

  /** module → the modules that import or re-export it, built once per version of the model. */
  private importersIndex(): Map<string, string[]> {
    if (this.importers) return this.importers;
    const index = new Map<string, string[]>();
    const add = (from: string, spec: string) => {
      const r = this.resolveImport(from, spec);
      if (!r || r === from) return;
      const list = index.get(r);
      if (!list) index.set(r, [from]);
      else if (list[list.length - 1] !== from) list.push(from);
    };
    for (const mod of this.modules.values()) {
      for (const imp of mod.imports) add(mod.file, imp.spec);
      for (const re of mod.reexports) add(mod.file, re.spec);
    }
    this.importers = index;
    return index;
  }

  /**
   * The Next.js app-router pages whose module graph holds `file`: the pages and layouts that import it, directly or
   * through other modules (a client component, a barrel file), or that are the file; a layout stands for every page
   * below it. A server action defined in `file` runs on a POST to one of these pages, after the middleware that
   * matches that page's path (the page routes carry it first in their chain). Empty when no page is found (the
   * action is used from code the model does not see, or through an import it cannot resolve).
   */
  nextPagesUsing(file: string): RouteInfo[] {
    const index = this.importersIndex();
    const pages = new Set<string>();
    const layoutDirs: string[] = [];
    const seen = new Set<string>([file]);
    let frontier = [file];
    for (let depth = 0; depth <= 12 && frontier.length && seen.size <= 5000; depth++) {
      const next: string[] = [];
      for (const f of frontier) {
        const page = this.modules.get(f)?.nextPage;
        if (page && !page.layout) { pages.add(f); continue; }
        if (page?.layout) { layoutDirs.push(f.slice(0, f.lastIndexOf('/') + 1)); continue; }
        for (const by of index.get(f) ?? []) if (!seen.has(by)) { seen.add(by); next.push(by); }
      }
      frontier = next;
    }
    return this.routes().filter((r) => r.page && (pages.has(r.file) || layoutDirs.some((d) => r.file.startsWith(d))));
  }

  /**
   * The Next.js middleware of the app a file belongs to: `middleware.ts` or `proxy.ts` (or in `src/`) at the root of the
   * nearest package, with the checks of the helpers it calls (`updateSession` from utils/supabase/middleware.ts).
   */
  nextMiddlewareFor(file: string): { file: string; facts: NextMiddlewareFacts } | undefined {
    const pkg = this.packageOf(file);
    const root = pkg?.file.includes('/') ? pkg.file.slice(0, pkg.file.lastIndexOf('/') + 1) : '';
    this.middlewareCache ??= new Map();
    if (this.middlewareCache.has(root)) return this.middlewareCache.get(root);
    const found = this.findNextMiddleware(root);
    this.middlewareCache.set(root, found);
    return found;
  }

  private findNextMiddleware(root: string): { file: string; facts: NextMiddlewareFacts } | undefined {
    for (const dir of [root, `${root}src/`]) {
      for (const f of NEXT_MIDDLEWARE_NAMES.map((n) => dir + n)) {
        const facts = this.modules.get(f)?.nextMiddleware;
        if (!facts) continue;
        let merged = facts;
        for (const spec of facts.calls ?? []) {
          const t = this.resolveImport(f, spec);
          const h = t ? this.modules.get(t)?.nextMiddleware : undefined;
          if (!h) continue;
          merged = { ...merged, ...(!merged.auth && h.auth ? { auth: h.auth } : {}), ...(!merged.limiter && h.limiter ? { limiter: h.limiter } : {}), ...(!merged.csrf && h.csrf ? { csrf: h.csrf } : {}) };
        }
        return { file: f, facts: merged };
      }
    }
    return undefined;
  }

  /**
   * The operations of the project's OpenAPI specs that express-openapi-validator hands to the export `name` of the
   * module `file` (isHandlerModule). The validator checks their requests against the spec before the handler runs.
   */
  openApiOperations(file: string, name: string): OpenApiOperation[] {
    const out: OpenApiOperation[] = [];
    for (const c of this.configs) {
      if (c.kind !== 'openapi' || !c.operations) continue;
      for (const op of c.operations) if (op.id === name && isHandlerModule(file, op.handler)) out.push(op);
    }
    return out;
  }

  /** The package.json nearest above a file. */
  private packageOf(file: string): ConfigFacts | undefined {
    let best: ConfigFacts | undefined;
    for (const c of this.configs) {
      if (c.kind !== 'package') continue;
      const dir = c.file.includes('/') ? c.file.slice(0, c.file.lastIndexOf('/')) : '';
      if (dir && !file.startsWith(`${dir}/`)) continue;
      if (!best || c.file.length > best.file.length) best = c;
    }
    return best;
  }

  /** Every route of the project, with the full path and middleware chain as mounted. */
  routes(): RouteInfo[] { return this.derive().routes; }

  /** Every app (Express/Fastify/Koa/Hono instance) of the project. */
  apps(): AppInfo[] { return this.derive().apps; }

  /** The routes declared in a file. */
  routesIn(file: string): RouteInfo[] { return this.derive().routes.filter((r) => r.file === file); }

  /** The apps that serve routes declared in a file (directly or through routers mounted on them). */
  appsServing(file: string): AppInfo[] {
    const d = this.derive();
    const ids = d.appsByFile.get(file);
    return ids ? d.apps.filter((a) => ids.has(a.id)) : [];
  }

  private derive(): Derived {
    if (this.derived) return this.derived;
    // which node (app or router) each `use`/route call is on
    const entries = new Map<string, { file: string; mount: MountFact }[]>();
    // `param`: the first parameter of a function (a Fastify plugin's instance), walked only where it is registered
    // unless its name says app or router
    const nodes = new Map<string, { file: string; name: string; value: Extract<ValueFact, { k: 'app' | 'router' }>; param?: boolean }>();
    const listens = new Map<string, Set<string>>();
    const nodeOf = (file: string, name: string): string | undefined => {
      const r = this.valueOfName(file, name);
      if (r?.node && (r.value.k === 'app' || r.value.k === 'router')) {
        if (!nodes.has(r.node)) nodes.set(r.node, { file: r.file, name: r.node.slice(r.node.lastIndexOf('#') + 1), value: r.value });
        return r.node;
      }
      return undefined;
    };
    for (const m of this.modules.values()) {
      for (const mount of m.mounts) {
        let id = nodeOf(m.file, mount.recv);
        // `export default async function (fastify) { fastify.get(…) }`: the instance the function is registered on
        if (!id && mount.recvParamOf !== undefined) {
          id = `${m.file}#${mount.recv}@${mount.recvParamOf}?`;
          if (!nodes.has(id)) nodes.set(id, { file: m.file, name: mount.recv, value: { k: 'router', fw: 'express' }, param: !APP_NAMES.test(mount.recv) });
        }
        // `module.exports = (app) => { app.get(…) }`: a receiver the model cannot follow, by a telling name
        if (!id && mount.method !== 'use' && APP_NAMES.test(mount.recv) && !m.locals[mount.recv]) {
          id = `${m.file}#${mount.recv}?`;
          if (!nodes.has(id)) nodes.set(id, { file: m.file, name: mount.recv, value: { k: 'router', fw: 'express' } });
        }
        if (!id) continue;
        const list = entries.get(id) ?? [];
        list.push({ file: m.file, mount });
        entries.set(id, list);
      }
      for (const l of m.listens) {
        const id = nodeOf(m.file, l);
        if (id) { const s = listens.get(id) ?? new Set(); s.add(m.file); listens.set(id, s); }
      }
      // apps created but never used in a call still count as apps
      for (const [name, v] of Object.entries(m.locals)) if (v.k === 'app') nodeOf(m.file, name);
    }
    for (const [id, list] of entries) {
      const home = nodes.get(id)!.file;
      list.sort((a, b) => (a.file === home ? 0 : 1) - (b.file === home ? 0 : 1) || (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.mount.start - b.mount.start);
    }

    const routes: RouteInfo[] = [];
    const apps: AppInfo[] = [];
    const appsByFile = new Map<string, Set<string>>();
    const mounted = new Set<string>();
    const entryOf = (file: string, a: ArgFact, level: ChainEntry['level']): ChainEntry => {
      const r = this.resolveValue(file, a.value);
      const v = r?.value;
      const name = a.value.k === 'local' ? a.value.name : a.value.k === 'ref' ? (a.value.imported === '*' || a.value.imported === 'default' ? a.text : a.value.imported)
        : a.value.k === 'member' ? a.value.chain : a.value.k === 'call' ? a.value.callee : a.value.k === 'fn' ? a.value.name : undefined;
      return {
        file, line: a.line, start: a.start, end: a.end, text: a.text, level,
        ...(v?.k === 'mw' ? { lib: v.lib } : (v?.k === 'member' || v?.k === 'ref') && v.spec && !v.spec.startsWith('.') ? { lib: v.spec } : {}),
        ...(name ? { name } : {}),
      };
    };
    const walk = (id: string, prefix: string, chain: (ChainEntry & { scope?: string })[], app: AppInfo | undefined, fw: WebFramework, seen: Set<string>) => {
      if (seen.has(id)) return;
      seen.add(id);
      mounted.add(id);
      const own = nodes.get(id)?.value;
      if (own?.k === 'router' && own.prefix) prefix = joinRoute(prefix, own.prefix);
      let local = [...chain];
      for (const { file, mount } of entries.get(id) ?? []) {
        if (app) { let s = appsByFile.get(file); if (!s) appsByFile.set(file, s = new Set()); s.add(app.id); if (!app.files.includes(file)) app.files.push(file); }
        if (mount.method === 'use') {
          // `app.use('/api/*', auth)` (Hono, Express 4 wildcards): everything under /api
          const scope = mount.path !== undefined ? joinRoute(prefix, mount.path.replace(/\/?\*$/, '')) : undefined;
          for (const a of mount.args) {
            let r = this.resolveValue(file, a.value);
            // Fastify's `register(plugin, { prefix })`: the plugin's routes, under the prefix, after what came before
            if (mount.register && r?.value.k === 'object' && r.value.props.default) r = this.resolveValue(r.file, r.value.props.default);
            if (mount.register && r?.value.k === 'fn' && r.value.param0) {
              const plugin = `${r.file}#${r.value.param0}@${r.value.start}?`;
              if (nodes.has(plugin)) {
                const at = joinRoute(prefix, mount.path ?? '');
                walk(plugin, at, local.filter((c) => !c.scope || at.startsWith(c.scope)), app, fw, seen);
                continue;
              }
            }
            if (r?.node && (r.value.k === 'router' || r.value.k === 'app')) {
              // what came before it in this call is already in `local`, scoped to the mount path
              const at = joinRoute(prefix, mount.path ?? '');
              walk(r.node, at, local.filter((c) => !c.scope || at.startsWith(c.scope)), app, fw, seen);
              continue;
            }
            const e = entryOf(file, a, id.endsWith('?') || nodes.get(id)?.value.k === 'router' ? 'router' : 'app');
            local = [...local, scope ? { ...e, scope } : e];
            if (app && !scope && e.level === 'app') app.middleware.push(e);
          }
          continue;
        }
        const full = joinRoute(prefix, mount.path ?? '');
        const args = mount.args;
        const last = args[args.length - 1];
        const h = last ? this.resolveValue(file, last.value) : undefined;
        const handler = last ? (h?.value.k === 'fn'
          ? { file: h.file, start: h.value.start, end: h.value.end, line: h.value.line, ...(h.value.name ? { name: h.value.name } : {}) }
          : { file, start: last.start, end: last.end, line: last.line, name: last.text }) : undefined;
        routes.push({
          method: mount.method as HttpMethod, path: full, file, line: mount.line, start: mount.start, end: mount.end,
          ...(handler ? { handler } : {}),
          chain: [
            ...local.filter((c) => !c.scope || full.startsWith(c.scope)).map(({ scope: _s, ...c }) => c),
            ...args.slice(0, -1).map((a) => entryOf(file, a, 'route')),
          ],
          ...(app ? { app: app.id } : {}),
          framework: fw,
          ...(mount.schema ? { schema: true as const } : {}),
        });
      }
    };
    // an app mounted into another one (`app.route('/api', notes)`, `app.use('/admin', adminApp)`) serves only
    // there: it is walked as part of the app that mounts it, not as an app of its own
    const subApps = new Set<string>();
    for (const [id, list] of entries) {
      for (const { file, mount } of list) {
        if (mount.method !== 'use' || mount.register) continue;
        for (const a of mount.args) {
          const r = this.resolveValue(file, a.value);
          if (r?.node && r.node !== id && r.value.k === 'app') subApps.add(r.node);
        }
      }
    }
    for (const [id, n] of nodes) {
      if (n.value.k !== 'app' || subApps.has(id)) continue;
      const at = n.value.at ?? { start: 0, end: 0, line: 1 };
      const app: AppInfo = {
        id, file: n.file, name: n.name, fw: n.value.fw, start: at.start, end: at.end, line: at.line,
        listenedIn: [...listens.get(id) ?? []], middleware: [], files: [n.file],
      };
      apps.push(app);
      walk(id, '', [], app, n.value.fw, new Set());
    }
    // routers no app mounts (or mounted by code the model cannot follow): their routes, in their own paths
    for (const [id, n] of nodes) if (!mounted.has(id) && !n.param && n.value.k !== 'app') walk(id, '', [], undefined, n.value.fw, new Set());
    // sub-apps whose parent is not an app the model walked (a cycle, say): apps of their own after all
    for (const [id, n] of nodes) {
      if (n.value.k !== 'app' || mounted.has(id)) continue;
      const at = n.value.at ?? { start: 0, end: 0, line: 1 };
      const app: AppInfo = { id, file: n.file, name: n.name, fw: n.value.fw, start: at.start, end: at.end, line: at.line, listenedIn: [...listens.get(id) ?? []], middleware: [], files: [n.file] };
      apps.push(app);
      walk(id, '', [], app, n.value.fw, new Set());
    }
    for (const m of this.modules.values()) {
      if (!m.nextRoute) continue;
      const methods = m.nextRoute.methods.length ? m.nextRoute.methods : [];
      // the app's middleware.ts runs before the handler on the paths its matcher names
      const mw = this.nextMiddlewareFor(m.file);
      const chain = mw && middlewareMatches(mw.facts.matcher, m.nextRoute.path) ? [middlewareEntry(mw, m.nextRoute.path)] : [];
      for (const meth of methods) {
        routes.push({ method: meth.toLowerCase() as HttpMethod, path: m.nextRoute.path, file: m.file, line: 1, start: 0, end: 0, chain, framework: 'next' });
      }
    }
    // Next.js pages: the middleware that matches them, then the layouts above them that ask who is signed in
    const layouts = [...this.modules.values()].filter((m) => m.nextPage?.layout && m.nextPage.checksUser);
    for (const m of this.modules.values()) {
      if (!m.nextPage || m.nextPage.layout) continue;
      const dir = m.file.slice(0, m.file.lastIndexOf('/') + 1);
      const mw = this.nextMiddlewareFor(m.file);
      const chain: ChainEntry[] = mw && middlewareMatches(mw.facts.matcher, m.nextPage.path) ? [middlewareEntry(mw, m.nextPage.path)] : [];
      for (const l of layouts) {
        if (!dir.startsWith(l.file.slice(0, l.file.lastIndexOf('/') + 1))) continue; // a few layouts ask who is signed in: a short list
        chain.push({ file: l.file, line: 1, start: 0, end: 0, text: `${l.file}: asks who is signed in`, name: 'layout', level: 'router', checks: ['auth'] });
      }
      routes.push({ method: 'get', path: m.nextPage.path, file: m.file, line: 1, start: 0, end: 0, chain, framework: 'next', page: true });
    }
    this.derived = { routes, apps, appsByFile, passed: new Map() };
    return this.derived;
  }
}

/** The names Next.js runs as middleware (`proxy.ts` since Next.js 16). */
const NEXT_MIDDLEWARE_NAMES = ['middleware', 'proxy'].flatMap((n) => ['ts', 'js', 'mjs', 'tsx', 'jsx', 'mts'].map((e) => `${n}.${e}`));

/** A Next.js middleware as the first entry of a route's chain: what it checks on that path. */
function middlewareEntry(mw: { file: string; facts: NextMiddlewareFacts }, routePath: string): ChainEntry {
  const f = mw.facts;
  // Clerk's route matchers say which of the matched paths it protects
  const protectedHere = middlewareProtects({ ...f, matcher: undefined }, routePath);
  const checks: ('auth' | 'rate-limit')[] = [];
  if (protectedHere) checks.push('auth');
  if (f.limiter) checks.push('rate-limit');
  const what = [protectedHere ? `sign-in check (${f.auth})` : '', f.limiter ? `rate limit (${f.limiter})` : ''].filter(Boolean).join(', ');
  return {
    file: mw.file, line: f.at.line, start: f.at.start, end: f.at.end, level: 'app', name: 'middleware',
    text: `${mw.file}${what ? `: ${what}` : ''}`, checks,
  };
}

/** Scripts that run the app itself (`start`, `serve`, `start:prod`, `production`), not tooling. */
const APP_SCRIPT = /^(start|serve|server|prod|production)(\b|$)/i;
const SCRIPT_EXT = ['', '.js', '.cjs', '.mjs', '.ts', '.cts', '.mts'];

/** Whether a path written in package.json (`./extra/cli.js`, `server`) names the file `rel`. */
function sameScriptPath(written: string, rel: string): boolean {
  const p = written.replace(/^["']|["']$/g, '').replace(/^\.\//, '');
  return SCRIPT_EXT.some((e) => p + e === rel);
}

/**
 * Whether a script command runs the file `rel` (relative to the package.json): a word of the command names it.
 * A command that changes folder first (`cd tools && node x.js`) is not followed: such a script is not matched.
 */
function scriptRuns(cmd: string, rel: string): boolean {
  if (/(^|[\s;&|(])cd\s/.test(cmd)) return false;
  return cmd.split(/[\s;&|()=]+/).some((w) => w.length > 1 && sameScriptPath(w, rel));
}

