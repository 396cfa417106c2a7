/**
 * The project model's data: plain, serializable facts per module (computed from one file alone, so they can be
 * cached by content and recomputed when that file changes) and the shapes the model derives from them (the
 * import graph, what each export is, the route table). Nothing here holds a parser object.
 */

/** Database libraries a module's export can be a client of. */
import type { SessionFacts } from './sessions';

export type DbDriver = 'pg' | 'mysql' | 'sqlite' | 'knex' | 'sequelize' | 'prisma' | 'drizzle' | 'postgres' | 'mongodb' | 'mongoose';

/** Offsets and 1-based line of a piece of code (`col`, `endLine`, `endCol`: 1-based, where a finding may point at it). */
export interface Span { start: number; end: number; line: number; col?: number; endLine?: number; endCol?: number }

export type WebFramework = 'express' | 'fastify' | 'koa' | 'hono';

/**
 * What an expression evaluates to, as far as one file can tell. `ref` points at another module's export and is
 * resolved by the model; `local` at a top-level binding of the same file.
 */
export type ValueFact =
  | { k: 'db'; driver: DbDriver; lib: string }
  | { k: 'app'; fw: WebFramework; at?: Span }
  /** `prefix`: a path the router itself puts before its routes (koa-router's `new Router({ prefix: '/api' })`) */
  | { k: 'router'; fw: WebFramework; at?: Span; prefix?: string }
  /** an instance of a known middleware library: `helmet()`, `rateLimit({…})`, `cors({…})`, `csurf()` */
  | { k: 'mw'; lib: string; call?: string }
  /** a function written here: its name (if any) and where it starts (offset, 1-based line) */
  | {
    k: 'fn'; name?: string; start: number; end: number; line: number; /** its first parameter's name (a Fastify plugin's instance) */ param0?: string;
    /** a CORS `origin` function (an `origin` property, or named for origins/CORS): whether it accepts every origin or checks it */
    origin?: 'any' | 'checked';
    /** 1-based column, end line and end column, kept for origin functions (a finding in another file points at them) */
    col?: number; endLine?: number; endCol?: number;
    /**
     * every `error` it returns is a code written in it (`return { error: 'invalid-password' }`), or one passed on from
     * the functions in `codesVia` (util/error-codes.ts), which must answer with codes too
     */
    codes?: true; codesVia?: ValueFact[];
  }
  | { k: 'ref'; spec: string; imported: string }
  | { k: 'local'; name: string }
  /** `require('./x')(app)`, `makeRouter()` from elsewhere: a call whose result the model does not follow */
  | { k: 'call'; callee: string; spec?: string; imported?: string }
  /** `auth.required`, `passport.authenticate('jwt')`: a member of something, by its dotted name */
  | { k: 'member'; chain: string; spec?: string; imported?: string }
  /**
   * `spread`: the object also spreads something in (a property it lacks may come from there); `at`: where it is
   * written; `alt`: it is one side of a ternary or a fallback, so the value may be another one
   */
  | { k: 'object'; props: Record<string, ValueFact>; spread?: true; at?: Span; alt?: true }
  /**
   * a literal written as a property's value of a shallow object (see extract.ts): `origin: true`,
   * `credentials: 'true'`, `origin: /.*\/` (booleans, null, strings up to 100 characters, regular expressions)
   */
  | { k: 'lit'; value: string | boolean | null; regex?: true }
  /** an array written as such a property's value, with the literals among its first 10 elements */
  | { k: 'array'; items: ValueFact[] };

export interface ImportFact {
  spec: string;
  /** local name → imported name ('default', '*' for a namespace or a whole `require`, or the export's name) */
  names: Record<string, string>;
}

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete' | 'all' | 'head' | 'options';

/** One argument of a `use`/route call: the value plus where it is written. */
export interface ArgFact { value: ValueFact; start: number; end: number; line: number; text: string }

/** `recv.use(path?, …args)` or `recv.METHOD(path, …args)` (also `recv.route(path).METHOD(…)`). */
export interface MountFact {
  /** the receiver's local name (`app`, `router`) */
  recv: string;
  method: HttpMethod | 'use';
  path?: string;
  args: ArgFact[];
  start: number;
  end: number;
  line: number;
  /**
   * The receiver is the first parameter of the function written at this offset, not a binding of the file
   * (`async function routes(fastify) { fastify.get(…) }`): it is the app or plugin instance that function is
   * registered on, known only when something registers it.
   */
  recvParamOf?: number;
  /** Fastify's `register(plugin, { prefix })`: the argument is a plugin function whose routes mount here */
  register?: true;
  /** Fastify route options with a `schema` that describes the body or query: Fastify validates them */
  schema?: true;
}

export interface ModuleFacts {
  /** the path the engine uses for the file (relative to the scan root, forward slashes) */
  file: string;
  imports: ImportFact[];
  /** export name ('default' for `export default` and CommonJS `module.exports =`) → value */
  exports: Record<string, ValueFact>;
  /** `export * from './x'` / `export { a as b } from './x'` */
  reexports: { spec: string; names?: Record<string, string> }[];
  /** CommonJS `module.exports = …` was assigned (its value is exports.default) */
  cjs?: boolean;
  /** top-level bindings whose value is something the model cares about */
  locals: Record<string, ValueFact>;
  mounts: MountFact[];
  /** `app.listen(…)` / `createServer(app)`: the receiver or argument's local name */
  listens: string[];
  /** local names (apps, imports) passed to a call the model does not follow (`setupSecurity(app)`) */
  passes?: string[];
  /** the file sets a security header by hand (`res.setHeader('X-Frame-Options', …)`) */
  headersByHand?: boolean;
  /** the file renders pages or sends files or HTML (views, static folders, `sendFile`, HTML strings) */
  servesPages?: boolean;
  /** Next.js route handler exports (GET, POST…) of app/…/route.ts or a pages/api file */
  nextRoute?: { path: string; methods: string[]; pagesApi: boolean };
  /** a Next.js app-router page or layout (app/admin/page.tsx): its path, and whether it asks who is signed in */
  nextPage?: { path: string; layout?: true; checksUser?: true; client?: true };
  /** a file named middleware.ts: what it checks (the app's own middleware.ts, or a helper like utils/supabase/middleware.ts) */
  nextMiddleware?: NextMiddlewareFacts;
  /** session middleware, auth cookies and CSRF protection written here (see sessions.ts) */
  session?: SessionFacts;
  /**
   * NestJS: the file boots an app (`NestFactory.create`), registers a guard for every route
   * (`app.useGlobalGuards(…)`, an `APP_GUARD` provider), or puts guards on controllers (`@UseGuards(…)`)
   */
  nest?: {
    boots?: true; globalGuard?: true; guards?: true; /** `app.setGlobalPrefix('api')` */ prefix?: string;
    /** the file declares controllers (`@Controller(…)`) */
    controllers?: true;
    /** middleware applied in a module (`consumer.apply(…).forRoutes(…)`): the arguments as written, and whether `forRoutes` covers every route (`'*'`) */
    applies?: { text: string; all: boolean; /** when not all: `forRoutes` arguments as written (controller classes, paths) */ routes?: string }[];
    /** guards registered for every route (`app.useGlobalGuards(…)` arguments, an `APP_GUARD` provider's class), as written */
    globalGuards?: string[];
  };
}

/** What a Next.js `middleware.ts` (or a helper it calls) does, from its text. */
export interface NextMiddlewareFacts {
  /** `config.matcher` sources as written; absent: every path; `unknown`: written but not readable here */
  matcher?: string[] | 'unknown';
  /** it checks the signed-in user and turns others away (`next-auth`, `clerk`, `supabase`, `token`, `cookie`…) */
  auth?: string;
  /** Clerk's `createRouteMatcher([...])` lists: which paths it protects (or which are public), when written */
  protects?: string[];
  publicPaths?: string[];
  /** the rate limiter it uses (`@upstash/ratelimit`, `@/lib/rate-limit`…) */
  limiter?: string;
  /** its CSRF protection: a library (`@edge-csrf/nextjs`) or `origin check` (an Origin / Sec-Fetch-Site header check that answers 403) */
  csrf?: string;
  /** modules whose functions it calls (`updateSession` from utils/supabase/middleware): their checks are its checks */
  calls?: string[];
  /** where its `middleware` export (or the file's first statement) is */
  at: Span;
}

/** A project-level config file's facts (tsconfig/jsconfig paths, package.json name and workspaces). */
export interface ConfigFacts {
  file: string;
  kind: 'tsconfig' | 'package' | 'openapi';
  /** tsconfig: baseUrl relative to the project root, and `paths` with targets relative to the project root */
  baseUrl?: string;
  paths?: Record<string, string[]>;
  extends?: string;
  /** package.json */
  name?: string;
  main?: string;
  /**
   * package.json `exports`, flattened: each subpath (`.`, `./client`, `./utils/*`) with its targets in the order
   * the model tries them (source-like conditions first, type declarations dropped)
   */
  exports?: Record<string, string[]>;
  /** package.json `bin`: the files installed as commands */
  bin?: string[];
  dependencies?: Record<string, string>;
  scripts?: Record<string, string>;
  /** an OpenAPI spec: the operations it routes to handler modules for express-openapi-validator */
  operations?: OpenApiOperation[];
}

/**
 * One operation of an OpenAPI spec that express-openapi-validator routes to a handler (`x-eov-operation-handler`):
 * the validator checks each request against the spec before the handler runs.
 */
export interface OpenApiOperation {
  /** `x-eov-operation-handler`: the handler module, relative to the validator's `operationHandlers` folder, no extension */
  handler: string;
  /** `x-eov-operation-id`, else `operationId`: the export of that module that handles the operation */
  id: string;
  method: string;
  path: string;
  /** the operation has a JSON request body schema (the validator refuses a body that does not match it) */
  bodySchema: boolean;
  /**
   * every JSON request body schema is an object that refuses properties it does not list (`additionalProperties:
   * false`), followed through local `$ref`s: a client cannot add fields the spec does not name
   */
  closedBody: boolean;
}

/** The whole model as plain data, to send to analysis threads. */
export interface ProjectData {
  modules: ModuleFacts[];
  configs: ConfigFacts[];
}

/** A middleware in a route's chain, in the order requests go through it. */
export interface ChainEntry {
  file: string;
  line: number;
  start: number;
  end: number;
  /** source text of the argument, shortened */
  text: string;
  /** the library it is an instance of (`helmet`, `express-rate-limit`…), when known */
  lib?: string;
  /** a name for it (`requireAuth`, `auth.required`, `limiter`) */
  name?: string;
  /** mounted with `app.use` (true) or listed on the route itself */
  level: 'app' | 'router' | 'route';
  /** what the entry is known to do (a Next.js middleware.ts: `auth`, `rate-limit`); absent: judged by name and library */
  checks?: ('auth' | 'rate-limit')[];
}

export interface RouteInfo {
  method: HttpMethod;
  /** the full path as mounted (`/api/users/:id`), or the path in its own file when its router is not mounted */
  path: string;
  /** where the route is declared */
  file: string;
  line: number;
  start: number;
  end: number;
  /** the handler (the last argument), when it is a function or a reference the model followed */
  handler?: { file: string; start: number; end: number; line: number; name?: string };
  chain: ChainEntry[];
  /** the app it is mounted on (`file#name`), when the model saw the mount */
  app?: string;
  framework: WebFramework | 'next';
  /** a Next.js page (app/…/page.tsx), not a route handler: its chain also holds the layouts above it that check sign-in */
  page?: true;
  /** Fastify route options with a `schema` for the body or query */
  schema?: true;
}

export interface AppInfo {
  id: string;
  file: string;
  name: string;
  fw: WebFramework;
  /** where it is created */
  start: number;
  end: number;
  line: number;
  /** files where it is started (`listen`, `createServer`) */
  listenedIn: string[];
  /** middleware mounted on the app itself (not under a path), in order */
  middleware: ChainEntry[];
  /** files whose routes or routers are mounted on it (its own file included) */
  files: string[];
}
