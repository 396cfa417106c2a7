/**
 * The secure prompt's requirement catalog, as data. Each requirement says when it applies (which stack items or
 * facts), how it reads for each stack (the first matching phrase wins; matching extras are appended), and what
 * it traces to: rule ids (the analyzer checks them) and checklist ids (things no rule can see, such as rate
 * limits). A test checks that every linked rule exists and that every security rule is covered.
 *
 * Writing a phrase: one or two short sentences, imperative, naming the project's own tools. `{validator}` is
 * replaced by the project's validation library ("zod") or "a schema".
 */
import type { StackFacts } from './stack';

export type Section = 'secrets' | 'data' | 'input' | 'auth' | 'output' | 'config' | 'features';

export const SECTION_ORDER: readonly Section[] = ['secrets', 'data', 'input', 'auth', 'output', 'config', 'features'];

/** A condition on the stack: all given parts must hold. An empty condition always holds. */
export interface When {
  /** the stack has at least one of these items */
  any?: string[];
  /** the stack has every one of these items */
  all?: string[];
  /** the stack has none of these items */
  none?: string[];
  /** these facts are true */
  facts?: (keyof StackFacts)[];
}

export interface Phrase {
  when?: When;
  text: string;
  /** the rule ids shown after this phrase (default: the requirement's `show`) */
  show?: string[];
}

export interface Requirement {
  /** stable, kebab-case */
  id: string;
  section: Section;
  /** the bold lead of the bullet */
  title: string;
  /** rules that check (part of) this requirement */
  rules: string[];
  /** checklist items for what no rule can check */
  checklist: string[];
  /** when the requirement applies to a project at all */
  applies: When;
  /** 1 = always worth the space; higher numbers are dropped first when the preamble is full */
  priority: number;
  /** a different priority for some stacks (the first that holds) */
  priorityWhen?: { when: When; priority: number }[];
  /** the rule ids shown in the bullet (default: the first two of `rules`) */
  show?: string[];
  /** the first phrase whose `when` holds is the text */
  text: Phrase[];
  /** every matching extra is appended (tool-specific details) */
  extras?: Phrase[];
  /** the self-review line ("before you say done"): a text, or phrases of which the first that holds is used */
  check?: string | Phrase[];
}

/** Checklist items the prompt traces to (the pre-launch checklist uses the same ids). */
export const CHECKLIST_ITEMS: readonly { id: string; title: string }[] = [
  { id: 'secrets-out-of-repo', title: 'Secrets live in environment variables or a secret store, not in the repository' },
  { id: 'server-side-validation', title: 'Every input is validated on the server' },
  { id: 'authorization-per-resource', title: 'Every handler checks who may read or change the record it touches' },
  { id: 'rate-limit-auth', title: 'Login, signup, reset and costly endpoints are rate-limited' },
  { id: 'security-headers', title: 'Security headers (CSP, HSTS, frame and content-type options) are sent' },
  { id: 'supabase-rls', title: 'Row Level Security is on for every Supabase table' },
  { id: 'payment-webhook-verified', title: 'Payment webhooks verify their signature on the raw body' },
  { id: 'payment-idempotency', title: 'Payment events are processed once and amounts come from the server' },
  { id: 'upload-limits', title: 'Uploads have size, count and type limits and generated names' },
  { id: 'llm-quotas', title: 'AI endpoints require sign-in and have per-user quotas' },
  { id: 'llm-untrusted-output', title: 'Model output and prompt input are treated as untrusted' },
  { id: 'container-non-root', title: 'Containers run as a non-root user without secrets baked in' },
  { id: 'hosting-env', title: 'Secrets are set per environment in the hosting platform' },
  { id: 'production-debug-off', title: 'Debug modes and source maps are off in production' },
];

const NODE_SERVER = ['nextjs', 'nestjs', 'express', 'fastify', 'koa', 'hono'];
const PY_SERVER = ['django', 'flask', 'fastapi'];
const SQL = ['pg', 'mysql2', 'sqlite', 'prisma', 'drizzle', 'sequelize', 'knex', 'sqlalchemy', 'psycopg', 'django'];
const ANY_DB = [...SQL, 'mongoose', 'mongodb', 'supabase', 'pymongo'];
const UPLOADS = ['multer', 'formidable', 'busboy', 'python-multipart'];
const LLM = ['openai', 'anthropic', 'ai-sdk', 'langchain', 'gemini', 'llm-other'];
const SERVER: When = { facts: ['hasServer'] };

export const REQUIREMENTS: readonly Requirement[] = [
  // ---- secrets ------------------------------------------------------------------------------------------
  {
    id: 'secrets-server-env', section: 'secrets', title: 'Secrets',
    rules: ['hardcoded-secret', 'hardcoded-session-secret', 'client-exposed-secret', 'secret-in-file', 'secret-file-in-git', 'secret-in-git-history', 'env-file-not-ignored'], checklist: ['secrets-out-of-repo'],
    applies: {}, priority: 1,
    text: [
      { when: { any: ['nextjs'] }, text: 'Read API keys, database URLs and signing secrets from `process.env` in server code only (route handlers, server actions, server components); never hard-code them, never name them `NEXT_PUBLIC_*`, never import them into `\'use client\'` files.' },
      { when: { any: ['vite'], none: NODE_SERVER }, text: 'Keep API keys and tokens out of the frontend: `VITE_*` variables are inlined into the browser bundle, so only publishable keys may use that prefix; call private APIs from a server.' },
      { when: { any: ['static-site'] }, text: 'Everything in this site reaches the browser: put no API keys, tokens or passwords in its HTML or JavaScript; call private APIs through a server function that holds the key.' },
      { when: { any: ['python'], none: NODE_SERVER }, show: [], text: 'Read secrets from environment variables (`os.environ["…"]`) or the platform\'s secret store; never hard-code keys, passwords or `SECRET_KEY`, and never commit `.env`.' },
      { text: 'Read secrets from `process.env` in server code only; never hard-code keys, tokens, passwords or signing secrets, never send them to the browser, and never commit `.env`.' },
    ],
    show: ['hardcoded-secret', 'client-exposed-secret'],
    check: [
      { when: { any: ['static-site'], none: ['vite', 'react'] }, text: 'No key, token or password in any HTML or JavaScript file.' },
      { text: 'No key, token or password literal in the diff; secrets come from the environment and never reach client code.' },
    ],
  },
  // ---- data ---------------------------------------------------------------------------------------------
  {
    id: 'sql-parameterized', section: 'data', title: 'SQL',
    rules: ['sql-injection'], checklist: [],
    applies: { any: SQL }, priority: 1,
    text: [{ text: 'Never paste values into SQL text; pick table and column names (sorting, filters) from a fixed allowlist.' }],
    extras: [
      { when: { any: ['pg'] }, text: 'With pg pass values separately: `pool.query(\'SELECT … WHERE id = $1\', [id])`.' },
      { when: { any: ['mysql2'] }, text: 'With mysql2 use placeholders: `db.execute(\'SELECT … WHERE id = ?\', [id])`.' },
      { when: { any: ['sqlite'] }, text: 'With SQLite use prepared statements: `db.prepare(\'SELECT … WHERE id = ?\').get(id)`.' },
      { when: { any: ['prisma'] }, text: 'With Prisma use the query API or the tagged `` prisma.$queryRaw`…${id}` ``, never `$queryRawUnsafe`/`$executeRawUnsafe` with a built string.' },
      { when: { any: ['drizzle'] }, text: 'With Drizzle use the query builder or `` sql`…${id}` ``, never `sql.raw()` on input.' },
      { when: { any: ['sequelize'] }, text: 'With Sequelize use model methods or `sequelize.query(sql, { replacements })`.' },
      { when: { any: ['knex'] }, text: 'With knex use the builder or `knex.raw(sql, bindings)`.' },
      { when: { any: ['sqlalchemy'] }, text: 'With SQLAlchemy use the ORM or `text("… WHERE id = :id")` with bound parameters, never f-strings in `execute()`.' },
      { when: { any: ['psycopg'] }, text: 'With psycopg pass parameters: `cur.execute("… WHERE id = %s", (id,))`.' },
      { when: { any: ['django'] }, text: 'With Django use the ORM; in `raw()` and `cursor.execute()` pass `params`.' },
    ],
    check: 'Every query passes values as parameters; no request data inside SQL strings.',
  },
  {
    id: 'nosql-filters', section: 'data', title: 'MongoDB filters',
    rules: ['nosql-injection'], checklist: [],
    applies: { any: ['mongoose', 'mongodb', 'pymongo'] }, priority: 2,
    text: [{ text: 'Never pass request objects into MongoDB filters: cast each field to the type you expect (`String(req.body.email)`) or parse it with {validator}; never use `$where`, and escape text before building a `RegExp`.' }],
    check: 'No request object reaches a MongoDB filter without a cast or schema.',
  },
  {
    id: 'no-mass-assignment', section: 'data', title: 'Writes',
    rules: ['mass-assignment', 'unencrypted-sensitive-data'], checklist: ['authorization-per-resource'],
    applies: { any: ANY_DB }, priority: 2,
    text: [
      { when: { any: ['prisma'] }, text: 'Never pass a request body straight to `prisma.*.create/update({ data })`: parse it with {validator} and copy only the fields users may set (never `role`, `isAdmin`, ownership or prices).' },
      { when: { any: ['supabase'] }, text: 'Never `.insert()`/`.update()` a whole request body: copy only the columns users may set (never `role`, ownership or prices).' },
      { when: { any: ['mongoose'] }, text: 'Never `Model.create(req.body)` or `findByIdAndUpdate(id, req.body)`: copy only the fields users may set (never `role`, `isAdmin`, ownership or prices).' },
      { when: { any: ['sqlalchemy', 'django'] }, text: 'Never build a model from a whole request (`Model(**request.json)`): copy only the fields users may set (never `role`, `is_staff`, ownership or prices).' },
      { text: 'Never write a whole request body to the database: copy only the fields users may set (never `role`, `isAdmin`, ownership or prices).' },
    ],
    check: 'Creates and updates copy named fields; no request body is spread into the database.',
  },
  {
    id: 'supabase-rls', section: 'data', title: 'Supabase',
    rules: ['client-exposed-secret', 'mass-assignment'], checklist: ['supabase-rls'],
    applies: { any: ['supabase'] }, priority: 1,
    text: [
      { when: { any: ['supabase-auth'] }, text: 'Keep Row Level Security on for every table with a policy per operation; the browser gets only the anon key, the `service_role` key is used only in server code; on the server trust `supabase.auth.getUser()`, not `getSession()`.' },
      { text: 'Keep Row Level Security on for every table with a policy per operation; the browser gets only the anon key, and the `service_role` key is used only in server code.' },
    ],
    check: 'New tables have RLS policies; no `service_role` key in client code.',
  },
  // ---- input --------------------------------------------------------------------------------------------
  {
    id: 'validate-input', section: 'input', title: 'Input',
    rules: ['mass-assignment', 'unvalidated-input-to-database', 'nosql-injection', 'command-injection', 'path-traversal', 'prototype-pollution', 'regex-dos'], checklist: ['server-side-validation'],
    applies: SERVER, priority: 1, show: [],
    text: [
      { when: { any: ['nestjs'] }, text: 'Accept input only through DTO classes with class-validator decorators and a global `ValidationPipe({ whitelist: true, forbidNonWhitelisted: true })`.' },
      { when: { any: ['fastapi'] }, text: 'Declare every request body and query as a pydantic model with constraints (`Field(max_length=…)`, enums), never a bare `dict` or `await request.json()`.' },
      { when: { any: ['django'] }, text: 'Validate every input with Django forms or DRF serializers before use; never read `request.POST`/`request.GET` values unchecked.' },
      { when: { any: ['nextjs'], facts: ['nextAppRouter'] }, text: 'Validate every route handler and server action input with {validator} (`safeParse`) on the server and use only the parsed value; client-side checks do not count.' },
      { when: { any: ['fastify'], none: ['zod', 'joi', 'yup', 'valibot', 'class-validator'] }, text: 'Give every Fastify route a JSON `schema` for body, querystring and params (with `additionalProperties: false`).' },
      { when: { any: ['zod', 'joi', 'yup', 'valibot', 'express-validator', 'pydantic', 'marshmallow'] }, text: 'Validate every request body, query and param with {validator} at the route boundary and use only the parsed value; client-side checks do not count.' },
      { text: 'Validate every request body, query and param on the server against a schema (types, lengths, allowed values) and use only the validated value; add zod if the project has no validation library.' },
    ],
    check: 'Each new endpoint validates its input on the server with {validator}.',
  },
  {
    id: 'file-paths', section: 'input', title: 'File paths',
    rules: ['path-traversal', 'zip-slip'], checklist: ['upload-limits'],
    applies: SERVER, priority: 4,
    text: [
      { when: { any: PY_SERVER, none: NODE_SERVER }, text: 'Never build file paths from request data: store files under generated names, and pass any user-chosen name through `werkzeug.utils.secure_filename` and a check that the resolved path stays inside the base folder.' },
      { text: 'Never build file paths from request data: store files under generated names (`crypto.randomUUID()`), and check that `path.resolve(base, name)` stays inside `base` before any `fs` call.' },
    ],
    extras: [{ when: { any: ['express'] }, text: 'Serve files with `res.sendFile(name, { root })`.' }],
  },
  {
    id: 'no-shell-eval', section: 'input', title: 'Commands and code',
    rules: ['command-injection', 'code-injection', 'unsafe-deserialization', 'template-injection', 'xxe', 'render-options-from-request'], checklist: [],
    applies: SERVER, priority: 5,
    text: [
      { when: { any: PY_SERVER, none: NODE_SERVER }, text: 'Never pass input to a shell or to `eval`/`exec`: use `subprocess.run([...])` with an argument list and no `shell=True`.' },
      { text: 'Never pass input to a shell or to `eval`, `new Function` or `vm`: run a fixed program with `execFile`/`spawn` and an argument array.' },
    ],
  },
  {
    id: 'outbound-urls', section: 'input', title: 'Outbound requests',
    rules: ['ssrf', 'open-redirect', 'incomplete-url-check'], checklist: [],
    applies: SERVER, priority: 5,
    text: [{ text: 'Do not fetch or redirect to URLs taken from a request; when a feature needs it (webhooks, link previews, `?next=`), allow only https and known hosts (or relative paths for redirects) and block private addresses.' }],
  },
  // ---- auth ---------------------------------------------------------------------------------------------
  {
    id: 'authz-every-handler', section: 'auth', title: 'Authorization',
    rules: ['broken-access-control', 'mass-assignment'], checklist: ['authorization-per-resource'],
    applies: SERVER, priority: 1, show: [],
    text: [
      { when: { any: ['nextauth'] }, text: 'In every route handler and server action, get the session with `auth()` (or `getServerSession()`) and scope queries to it (`where: { id, userId: session.user.id }`); middleware alone is not enough, and a signed-in user must never reach another user\'s records.' },
      { when: { any: ['clerk'] }, text: 'In every route handler and server action, read `userId` from Clerk\'s `auth()` and scope queries to it; middleware alone is not enough, and a signed-in user must never reach another user\'s records.' },
      { when: { any: ['supabase-auth'] }, text: 'In every route handler and server action, get the user with `supabase.auth.getUser()` and scope queries to it (RLS as the backstop); a signed-in user must never reach another user\'s rows.' },
      { when: { any: ['nestjs'] }, text: 'Protect every controller with guards (`@UseGuards`) and check in the service that the record belongs to the caller; a signed-in user must never reach another user\'s records.' },
      { when: { any: ['django'] }, text: 'Require login on every view (`@login_required`, DRF permissions) and fetch records through the owner (`get_object_or_404(Model, pk=pk, owner=request.user)`).' },
      { when: { any: ['flask'] }, text: 'Require login on every view that changes or reads private data and load records filtered by the current user\'s id, so no one can reach another user\'s rows by changing an id.' },
      { when: { any: ['passport'] }, text: 'Require `req.isAuthenticated()` (or your auth middleware) on every private route and load records with the caller\'s id (`WHERE id = $1 AND user_id = $2`), so no one can reach another user\'s data by changing an id.' },
      { text: 'Check authentication and then authorization on every private route: load records with the caller\'s id as part of the query, so no one can reach another user\'s data by changing an id.' },
    ],
    check: 'Every new handler checks the session and scopes the record to the caller.',
  },
  {
    id: 'jwt-verify', section: 'auth', title: 'JWT',
    rules: ['jwt-missing-algorithms', 'jwt-no-expiry', 'jwt-decode-without-verify', 'hardcoded-session-secret'], checklist: [],
    applies: { any: ['jwt'] }, priority: 2,
    text: [
      { when: { any: ['python'], none: NODE_SERVER }, text: 'Decode tokens only with verification and a pinned algorithm (`jwt.decode(token, key, algorithms=["HS256"])`), give every token an `exp`, and read the key from the environment.' },
      { text: 'Verify tokens with a pinned algorithm (`jwt.verify(token, secret, { algorithms: [\'HS256\'] })` or jose `jwtVerify` with `algorithms`), never trust `jwt.decode()`, sign with an expiry (`expiresIn: \'15m\'`), and read the key from `process.env`.' },
    ],
    check: 'Tokens are verified with pinned algorithms and expire.',
  },
  {
    id: 'session-cookies', section: 'auth', title: 'Cookies',
    rules: ['insecure-cookie', 'hardcoded-session-secret', 'session-fixation'], checklist: [],
    applies: { any: ['sessions', 'passport', 'jwt', 'nextauth', 'django', 'flask'] }, priority: 3,
    text: [
      { when: { any: ['django'] }, text: 'Set `SESSION_COOKIE_SECURE`, `CSRF_COOKIE_SECURE` and `SESSION_COOKIE_HTTPONLY`, keep `CsrfViewMiddleware` on, and read `SECRET_KEY` from the environment.' },
      { when: { any: ['flask'] }, text: 'Set `SESSION_COOKIE_SECURE`, `SESSION_COOKIE_HTTPONLY` and `SESSION_COOKIE_SAMESITE="Lax"`, and read `SECRET_KEY` from the environment.' },
      { when: { any: ['sessions'], none: ['nextjs'] }, text: 'Session and auth cookies get `httpOnly: true`, `secure: true` and `sameSite: \'lax\'`; sign them with a long random secret from `process.env` (e.g. `session({ secret: process.env.SESSION_SECRET, cookie: { … } })`).' },
      { text: 'Cookies that carry a session or token get `httpOnly`, `secure` and `sameSite: \'lax\'` (or `\'strict\'`); never keep tokens in `localStorage`.' },
    ],
  },
  {
    id: 'csrf-protection', section: 'auth', title: 'CSRF',
    rules: ['missing-csrf-protection'], checklist: [],
    applies: { any: ['sessions', 'passport'], none: ['django', 'flask', 'fastapi'] }, priority: 3,
    text: [
      { when: { any: ['koa'] }, text: 'Put koa-csrf after the session middleware so every POST/PUT/PATCH/DELETE behind the session cookie checks a token (hidden `_csrf` field or `x-csrf-token` header), and give the session cookie `sameSite: \'lax\'`.' },
      { when: { any: ['fastify'] }, text: 'Register @fastify/csrf-protection and add `onRequest: fastify.csrfProtection` to every POST/PUT/PATCH/DELETE route behind the session cookie, and give the cookie `sameSite: \'lax\'`.' },
      { text: 'Every POST/PUT/PATCH/DELETE route behind the session cookie checks a CSRF token (csrf-csrf or csrf-sync mounted after the session, the token in a hidden `_csrf` field or an `x-csrf-token` header), and the session cookie is `sameSite: \'lax\'`; APIs authenticated only by an `Authorization: Bearer` header need none.' },
    ],
  },
  {
    id: 'passwords-tokens', section: 'auth', title: 'Passwords and tokens',
    rules: ['weak-password-hash', 'insecure-randomness', 'cleartext-password', 'predictable-token', 'weak-password-policy', 'password-hash-exposed'], checklist: [],
    applies: { any: ['bcrypt', 'argon2', 'passport', 'sessions', 'django', 'flask', 'jwt'] }, priority: 3,
    text: [
      { when: { any: ['python'], none: NODE_SERVER }, text: 'Hash passwords with argon2 or bcrypt (passlib, `argon2-cffi`, Django\'s hashers), never SHA/MD5; make reset codes and tokens with `secrets.token_urlsafe()`.' },
      { when: { any: ['argon2'] }, text: 'Hash passwords with argon2 (`argon2.hash`), never SHA/MD5; make tokens, reset codes and ids with `crypto.randomBytes()`/`randomUUID()`, never `Math.random()`.' },
      { when: { any: ['bcrypt'] }, text: 'Hash passwords with bcrypt at cost 12 or more, never SHA/MD5; make tokens, reset codes and ids with `crypto.randomBytes()`/`randomUUID()`, never `Math.random()`.' },
      { text: 'Hash passwords with argon2id or bcrypt (cost ≥ 12), never SHA/MD5; make tokens, reset codes and ids with `crypto.randomBytes()`/`randomUUID()`, never `Math.random()`.' },
    ],
  },
  {
    id: 'rate-limits', section: 'auth', title: 'Rate limits',
    rules: ['missing-rate-limit', 'spoofable-rate-limit-key'], checklist: ['rate-limit-auth'],
    applies: { any: ['nextauth', 'clerk', 'supabase-auth', 'passport', 'jwt', 'sessions', 'bcrypt', 'argon2', 'django', 'flask', 'fastapi', ...LLM] }, priority: 2,
    text: [
      { when: { any: ['rate-limit'] }, text: 'Put the project\'s rate limiter ({ratelimiter}) on login, signup, password reset and other costly endpoints (e.g. 5 attempts per 15 minutes per account and IP, answering 429 with `Retry-After`).' },
      { when: { any: ['nextjs'] }, text: 'Rate-limit login, signup, password reset and other costly endpoints (e.g. 5 attempts per 15 minutes per account and IP, 429 with `Retry-After`); on serverless use a shared store such as `@upstash/ratelimit`, not memory.' },
      { text: 'Rate-limit login, signup, password reset and other costly endpoints (e.g. 5 attempts per 15 minutes per account and IP, answering 429 with `Retry-After`).' },
    ],
  },
  // ---- output -------------------------------------------------------------------------------------------
  {
    id: 'html-output', section: 'output', title: 'HTML',
    rules: ['reflected-xss', 'dom-xss', 'react-dangerous-html', 'angular-bypass-security', 'template-unescaped-output', 'template-autoescape-disabled'], checklist: [],
    applies: {}, priority: 3,
    priorityWhen: [{ when: { any: ['react', 'static-site', 'django', 'flask', 'vite'] }, priority: 2 }],
    text: [
      { when: { any: ['react'] }, show: ['react-dangerous-html', 'dom-xss'], text: 'Render user content as JSX text; use `dangerouslySetInnerHTML` only with HTML cleaned by DOMPurify, and never put URL or API data into `innerHTML`.' },
      { when: { any: ['static-site'] }, show: ['dom-xss'], text: 'Insert untrusted text with `textContent` or `setAttribute`, never `innerHTML`, `insertAdjacentHTML` or `document.write`; sanitize with DOMPurify if HTML is truly needed.' },
      { when: { any: ['django', 'flask'], none: NODE_SERVER }, show: [], text: 'Keep template autoescaping on; never mark user input safe (`|safe`, `Markup()`, `mark_safe`) and return JSON from APIs.' },
      { show: ['reflected-xss'], text: 'Send JSON from APIs (`res.json`); when returning HTML, escape request data with an auto-escaping template engine, never string concatenation.' },
    ],
    extras: [{ when: { any: ['express'] }, show: ['template-unescaped-output', 'template-autoescape-disabled'], text: 'In views, print values with the escaping tag (`<%= %>`, `#{}`, `{{ }}`), keep autoescape on, and use raw output (`<%- %>`, `!{}`, `{{{ }}}`, `| safe`) only for HTML the server sanitized.' }],
  },
  {
    id: 'errors-generic', section: 'output', title: 'Errors',
    rules: ['verbose-error', 'debug-mode'], checklist: ['production-debug-off'],
    applies: SERVER, priority: 2,
    text: [
      { when: { any: ['django'] }, text: 'Return generic error messages and keep details in server logs; `DEBUG = False` in production.' },
      { when: { any: ['flask'] }, text: 'Return generic error messages and keep details in server logs; never run with `debug=True` in production.' },
      { text: 'Answer unexpected errors with a generic message and a 500 (`{ error: \'Something went wrong\' }`); log the details on the server, never send `err.message`, stacks or database errors to the client.' },
    ],
    check: 'Error responses are generic; details only go to server logs.',
  },
  {
    id: 'logs-no-secrets', section: 'output', title: 'Logs',
    rules: ['sensitive-data-in-log', 'log-injection'], checklist: [],
    applies: SERVER, priority: 3,
    text: [
      { when: { any: ['pino'], none: PY_SERVER }, text: 'Never log passwords, tokens, keys, cookies, authorization headers or whole request bodies; configure pino `redact` for them and log ids and outcomes instead.' },
      { text: 'Never log passwords, tokens, keys, cookies, authorization headers or whole request bodies; log ids and outcomes instead.' },
    ],
  },
  // ---- config -------------------------------------------------------------------------------------------
  {
    id: 'cors-allowlist', section: 'config', title: 'CORS',
    rules: ['cors-misconfiguration'], checklist: [],
    applies: { any: ['cors', 'express', 'fastify', 'koa', 'hono', 'nestjs', 'fastapi', 'flask', 'django'] }, priority: 3,
    text: [
      { when: { any: ['fastapi'] }, text: 'Configure `CORSMiddleware` with your exact origins; never `allow_origins=["*"]` together with `allow_credentials=True`.' },
      { when: { any: ['flask', 'django'], none: NODE_SERVER }, text: 'Allow only your own origins in CORS (flask-cors / django-cors-headers); never `*` or a reflected origin with credentials.' },
      { text: 'Allow only your own origins (`cors({ origin: [\'https://app.example.com\'], credentials: true })`); never reflect the request\'s origin or combine `*` with credentials.' },
    ],
  },
  {
    id: 'tls-strict', section: 'config', title: 'TLS',
    rules: ['tls-verification-disabled', 'weak-tls-version', 'weak-cipher'], checklist: [],
    applies: SERVER, priority: 4,
    text: [
      { when: { any: ['pg'] }, text: 'Never turn certificate checks off (`rejectUnauthorized: false`, `NODE_TLS_REJECT_UNAUTHORIZED=0`): for pg pass the provider\'s CA (`ssl: { ca }`); require TLS 1.2+ and AES-GCM with random IVs when encrypting.' },
      { when: { any: PY_SERVER, none: NODE_SERVER }, text: 'Never turn certificate checks off (`verify=False`); require TLS 1.2+, and encrypt with AES-GCM and random nonces (the `cryptography` package).' },
      { text: 'Never turn certificate checks off (`rejectUnauthorized: false`, `NODE_TLS_REJECT_UNAUTHORIZED=0`); require TLS 1.2+, and encrypt with AES-256-GCM and a random IV, never DES/RC4/ECB.' },
    ],
  },
  {
    id: 'security-headers', section: 'config', title: 'Headers',
    rules: ['missing-security-headers'], checklist: ['security-headers'],
    applies: {}, priority: 3, show: [],
    text: [
      { when: { any: ['static-site'] }, text: 'Send a Content-Security-Policy (host headers file or `<meta http-equiv>`), load third-party scripts with `integrity` hashes, and serve only over HTTPS.' },
      { when: { any: ['nextjs'] }, text: 'Send a Content-Security-Policy, HSTS, `X-Content-Type-Options` and `frame-ancestors` from `headers()` in next.config or middleware; do not ship production source maps.' },
      { when: { any: ['helmet'], none: PY_SERVER }, show: ['missing-security-headers'], text: 'Keep `app.use(helmet())` before the routes and tighten its Content-Security-Policy rather than turning it off.' },
      { when: { any: ['express', 'koa', 'fastify', 'nestjs'] }, show: ['missing-security-headers'], text: 'Add security headers with helmet (`app.use(helmet())`, `@fastify/helmet`) before the routes, including a Content-Security-Policy.' },
      { when: { any: ['django'] }, text: 'Keep `SecurityMiddleware` on with `SECURE_HSTS_SECONDS`, `SECURE_CONTENT_TYPE_NOSNIFF` and a Content-Security-Policy.' },
      { when: { any: ['flask'] }, text: 'Send security headers (flask-talisman: CSP, HSTS, frame options).' },
      { text: 'Send security headers: Content-Security-Policy, HSTS, `X-Content-Type-Options: nosniff` and frame protection.' },
    ],
  },
  {
    id: 'hosting', section: 'config', title: 'Hosting',
    rules: ['client-exposed-secret', 'dockerfile-runs-as-root', 'production-source-maps', 'public-sensitive-file', 'compose-inline-secret', 'directory-listing', 'http-without-tls', 'dockerfile-secret-build-arg'], checklist: ['hosting-env', 'container-non-root'],
    applies: { any: ['vercel', 'netlify', 'docker'] }, priority: 3, show: [],
    priorityWhen: [{ when: { facts: ['dockerRunsAsRoot'] }, priority: 2 }],
    text: [
      { when: { any: ['docker'], facts: ['dockerRunsAsRoot'] }, text: 'The Dockerfile has no `USER` line: run the app as a non-root user, keep `.env` out of the image (`.dockerignore`) and pass secrets at run time.' },
      { when: { any: ['docker'] }, text: 'Keep the container non-root, keep `.env` and keys out of the image (`.dockerignore`), and pass secrets at run time.' },
      { when: { any: ['vercel'] }, text: 'Set secrets as Vercel environment variables per environment, never in `vercel.json` or the repo; `NEXT_PUBLIC_*` values are baked into the client at build time.' },
      { when: { any: ['netlify'] }, text: 'Set secrets as Netlify environment variables, never in `netlify.toml`; every function in `netlify/functions` is a public endpoint and must check auth itself.' },
    ],
    extras: [
      { when: { all: ['docker', 'vercel'] }, text: 'On Vercel, set secrets per environment in the project settings, never in `vercel.json`.' },
      { when: { all: ['docker', 'netlify'] }, text: 'On Netlify, set secrets as environment variables, never in `netlify.toml`.' },
      { when: { all: ['vercel', 'netlify'], none: ['docker'] }, text: 'On Netlify, set secrets as environment variables, never in `netlify.toml`.' },
    ],
  },
  // ---- features -----------------------------------------------------------------------------------------
  {
    id: 'nextjs-boundaries', section: 'features', title: 'Next.js',
    rules: ['client-exposed-secret', 'mass-assignment'], checklist: ['authorization-per-resource'],
    applies: { any: ['nextjs'] }, priority: 3,
    text: [
      { when: { facts: ['nextAppRouter', 'nextPagesRouter'] }, text: 'Server actions, route handlers and `pages/api` routes are public endpoints: authenticate and validate inside each; import `\'server-only\'` in modules that hold secrets, and return only the fields a page needs from `getServerSideProps`.' },
      { when: { facts: ['nextAppRouter'] }, text: 'Every server action and route handler is a public endpoint: authenticate and validate inside each one; add `import \'server-only\'` to modules that hold secrets or database clients.' },
      { text: '`pages/api` routes are public endpoints: authenticate and validate inside each; everything `getServerSideProps` returns is sent to the browser, so return only the fields the page needs.' },
    ],
  },
  {
    id: 'stripe-webhooks', section: 'features', title: 'Stripe',
    rules: ['hardcoded-secret', 'client-exposed-secret'], checklist: ['payment-webhook-verified', 'payment-idempotency'],
    applies: { any: ['stripe'] }, priority: 1,
    text: [
      { when: { any: ['nextjs'] }, text: 'Verify every webhook with `stripe.webhooks.constructEvent(await req.text(), signature, process.env.STRIPE_WEBHOOK_SECRET)`, process each event id once, take prices from Stripe Price ids on the server (never the client), and fulfil orders from the webhook, not the success redirect.' },
      { when: { any: ['express'] }, text: 'Verify every webhook with `stripe.webhooks.constructEvent(req.body, signature, process.env.STRIPE_WEBHOOK_SECRET)` behind `express.raw({ type: \'application/json\' })`, process each event id once, take prices from Stripe Price ids on the server, and fulfil from the webhook, not the redirect.' },
      { when: { any: ['python'], none: NODE_SERVER }, text: 'Verify every webhook with `stripe.Webhook.construct_event(raw_body, signature, endpoint_secret)`, process each event id once, take prices from Stripe Price ids on the server, and fulfil from the webhook, not the redirect.' },
      { text: 'Verify every webhook signature with `stripe.webhooks.constructEvent` on the raw body, process each event id once, take prices from Stripe Price ids on the server, and fulfil from the webhook, not the redirect.' },
    ],
    check: 'Webhook handlers verify the signature on the raw body and are idempotent.',
  },
  {
    id: 'uploads', section: 'features', title: 'Uploads',
    rules: ['path-traversal'], checklist: ['upload-limits'],
    applies: { any: UPLOADS }, priority: 2,
    text: [
      { when: { any: ['multer'] }, text: 'Configure multer with `limits: { fileSize, files }` and a `fileFilter` allowlist, keep its generated file names, check the real type from the content, and serve uploads with `Content-Disposition: attachment` (or from object storage), never as HTML from your origin.' },
      { when: { any: ['python-multipart'], none: NODE_SERVER }, text: 'Limit upload size and count, allow only expected types checked from the content, store under generated names (never `file.filename`), and serve uploads as attachments or from object storage.' },
      { text: 'Limit upload size and count, allow only expected types checked from the content, store under generated names (never the client\'s file name), and serve uploads as attachments or from object storage.' },
    ],
  },
  {
    id: 'llm-endpoints', section: 'features', title: 'AI features',
    rules: ['client-exposed-secret', 'code-injection', 'sensitive-data-in-log', 'ssrf', 'llm-tool-overreach'], checklist: ['llm-quotas', 'llm-untrusted-output'],
    applies: { any: LLM }, priority: 1,
    text: [{ text: 'Call the model API only from the server with the key from the environment (never `dangerouslyAllowBrowser`); require sign-in and per-user quotas on AI endpoints (requests and `max_tokens`); treat model output and retrieved text as untrusted: never `eval` it, render it as raw HTML, or let it pick URLs, SQL or tool actions unchecked.' }],
    check: 'AI endpoints check the session, cap usage, and treat model output as untrusted.',
  },
];

/** The requirement a finding of each rule brings into the preamble (a test checks it lists the rule). */
export const RULE_HOME: Readonly<Record<string, string>> = {
  'insecure-cookie': 'session-cookies',
  'jwt-decode-without-verify': 'jwt-verify',
  'jwt-missing-algorithms': 'jwt-verify',
  'jwt-no-expiry': 'jwt-verify',
  'missing-rate-limit': 'rate-limits',
  'cors-misconfiguration': 'cors-allowlist',
  'missing-security-headers': 'security-headers',
  'tls-verification-disabled': 'tls-strict',
  'weak-tls-version': 'tls-strict',
  'weak-cipher': 'tls-strict',
  'insecure-randomness': 'passwords-tokens',
  'weak-password-hash': 'passwords-tokens',
  'mass-assignment': 'no-mass-assignment',
  'broken-access-control': 'authz-every-handler',
  'sensitive-data-in-log': 'logs-no-secrets',
  'verbose-error': 'errors-generic',
  'debug-mode': 'errors-generic',
  'unsafe-deserialization': 'no-shell-eval',
  'template-injection': 'no-shell-eval',
  'render-options-from-request': 'no-shell-eval',
  'template-unescaped-output': 'html-output',
  'template-autoescape-disabled': 'html-output',
  'code-injection': 'no-shell-eval',
  'command-injection': 'no-shell-eval',
  'nosql-injection': 'nosql-filters',
  'path-traversal': 'file-paths',
  'sql-injection': 'sql-parameterized',
  'client-exposed-secret': 'secrets-server-env',
  'hardcoded-secret': 'secrets-server-env',
  'hardcoded-session-secret': 'secrets-server-env',
  'secret-in-file': 'secrets-server-env',
  'dockerfile-runs-as-root': 'hosting',
  'production-source-maps': 'hosting',
  'public-sensitive-file': 'hosting',
  'compose-inline-secret': 'hosting',
  'dockerfile-secret-build-arg': 'hosting',
  'secret-file-in-git': 'secrets-server-env',
  'secret-in-git-history': 'secrets-server-env',
  'env-file-not-ignored': 'secrets-server-env',
  'open-redirect': 'outbound-urls',
  ssrf: 'outbound-urls',
  'dom-xss': 'html-output',
  'react-dangerous-html': 'html-output',
  'reflected-xss': 'html-output',
  'angular-bypass-security': 'html-output',
  'prototype-pollution': 'validate-input',
  'regex-dos': 'validate-input',
  'unvalidated-input-to-database': 'validate-input',
  'zip-slip': 'file-paths',
  xxe: 'no-shell-eval',
  'incomplete-url-check': 'outbound-urls',
  'log-injection': 'logs-no-secrets',
  'directory-listing': 'hosting',
  'cleartext-password': 'passwords-tokens',
  'predictable-token': 'passwords-tokens',
  'http-without-tls': 'hosting',
  'unencrypted-sensitive-data': 'no-mass-assignment',
  'llm-tool-overreach': 'llm-endpoints',
  'session-fixation': 'session-cookies',
  'weak-password-policy': 'passwords-tokens',
  'spoofable-rate-limit-key': 'rate-limits',
  'password-hash-exposed': 'passwords-tokens',
  'missing-csrf-protection': 'csrf-protection',
};

/** Short "how to avoid it" lines for the findings section, one per rule (the meta test checks coverage). */
export const RULE_HINTS: Readonly<Record<string, string>> = {
  'insecure-cookie': 'set `httpOnly`, `secure` and `sameSite` on auth cookies',
  'jwt-decode-without-verify': 'verify tokens, never trust `decode()`',
  'jwt-missing-algorithms': 'pin `algorithms` when verifying',
  'jwt-no-expiry': 'sign tokens with an expiry',
  'cors-misconfiguration': 'allow only known origins',
  'tls-verification-disabled': 'keep certificate checks on',
  'weak-tls-version': 'require TLS 1.2 or later',
  'insecure-randomness': 'use `crypto.randomBytes()`/`randomUUID()` for secrets',
  'weak-cipher': 'use AES-GCM with a random IV',
  'weak-password-hash': 'hash passwords with argon2id or bcrypt',
  'mass-assignment': 'copy allowed fields, never the whole body',
  'unvalidated-input-to-database': 'parse request input with a schema before writing it',
  'sensitive-data-in-log': 'keep secrets and bodies out of logs',
  'verbose-error': 'send generic errors, log details',
  'debug-mode': 'read debug flags from the environment, default off',
  'unsafe-deserialization': 'use `yaml.safe_load`/JSON, never unpickle outside data',
  'template-injection': 'keep templates fixed, pass values as variables',
  'render-options-from-request': 'pass views the fields they need, never `req.query`/`req.body` whole',
  'template-unescaped-output': 'print with the escaping tag (`<%= %>`, `{{ }}`), raw only for sanitized HTML',
  'template-autoescape-disabled': 'keep template autoescaping on',
  'code-injection': 'never run strings as code',
  'command-injection': 'use `execFile`/`spawn` with an argument array',
  'nosql-injection': 'cast or validate values before filtering',
  'path-traversal': 'use generated names and check paths stay in their folder',
  'sql-injection': 'pass values as query parameters',
  'invalid-suppression': 'give every suppression a rule id and a reason',
  'missing-rate-limit': 'put a rate limiter on login, signup and reset routes',
  'broken-access-control': 'put auth middleware before id and admin routes, scope queries to the user',
  'missing-csrf-protection': 'put CSRF protection on cookie-session routes that change data',
  'missing-security-headers': 'add helmet() (or set the headers) before the routes',
  'client-exposed-secret': 'keep secrets in server-only code',
  'hardcoded-secret': 'read keys from the environment',
  'hardcoded-session-secret': 'read signing secrets from the environment',
  'secret-in-file': 'keep real keys out of committed config files',
  'dockerfile-runs-as-root': 'run the container as a non-root USER',
  'production-source-maps': 'keep source maps out of production builds',
  'public-sensitive-file': 'keep dumps, backups and keys out of public/',
  'compose-inline-secret': 'reference ${VARS} in docker-compose, not literal passwords',
  'dockerfile-secret-build-arg': 'pass secrets at run time or with a BuildKit secret mount, not ENV/ARG',
  'secret-file-in-git': 'untrack .env and key files, then rotate what they held',
  'secret-in-git-history': 'rotate keys that were ever committed',
  'env-file-not-ignored': 'list .env in .gitignore',
  'open-redirect': 'redirect only to relative paths or known hosts',
  ssrf: 'fetch only allowlisted hosts',
  'dom-xss': 'write untrusted text with `textContent`',
  'react-dangerous-html': 'sanitize with DOMPurify or render as text',
  'reflected-xss': 'escape request data or send JSON',
  'angular-bypass-security': 'let Angular sanitize; never `bypassSecurityTrust*` outside data',
  'prototype-pollution': 'reject `__proto__`/`constructor`/`prototype` keys, or parse with a schema',
  'regex-dos': 'keep regexes run on input linear; escape text before `new RegExp`',
  'zip-slip': 'check each archive entry resolves inside the target folder',
  xxe: 'parse XML without `noent`/`dtdload`',
  'incomplete-url-check': 'compare the parsed `hostname`/`origin` exactly',
  'log-injection': 'log request values as fields, or strip line breaks',
  'directory-listing': 'serve only a public folder, never listings, logs or .git',
  'cleartext-password': 'store only bcrypt/argon2 hashes and check them with `compare`',
  'predictable-token': 'make tokens with `crypto.randomBytes(32)`',
  'http-without-tls': 'terminate TLS in front of the app and redirect HTTP to HTTPS',
  'unencrypted-sensitive-data': 'keep card data with the payment provider and encrypt ID numbers',
  'llm-tool-overreach': 'give LLM tools narrow inputs, fixed queries and allowlists',
  'session-fixation': 'call `req.session.regenerate()` at login',
  'weak-password-policy': 'require 8+ characters and allow 64+, no composition rules',
  'spoofable-rate-limit-key': 'key limiters on `req.ip` with a bounded `trust proxy`',
  'password-hash-exposed': 'return picked fields, never whole user rows',
};

/** What the user is about to ask the assistant to build: each task adds its own controls. */
export interface TaskDef {
  id: string;
  /** what the section is called when the user's words are not shown */
  name: string;
  /** matched against the user's task text, lower-cased */
  match: RegExp;
  /** requirements moved up for this task when they apply to the stack */
  requirements: string[];
  /** requirements whose bullet the task's controls already cover (dropped while the task section is shown) */
  replaces: string[];
  rules: string[];
  checklist: string[];
  /**
   * The task's controls, in order: each is a text, or alternatives of which the first whose `when` holds is used
   * (none holding: the control is left out).
   */
  controls: (string | Phrase[])[];
  /** the self-review line for the task */
  check: string;
}

const STATIC_NO_SERVER: When = { any: ['static-site'], none: ['vite', 'react'] };

export const TASKS: readonly TaskDef[] = [
  {
    id: 'upload', name: 'file uploads',
    match: /\b(upload|uploads|uploader|file|files|image|images|avatar|photo|photos|attachment|attachments|media|pdf|csv import)\b/,
    requirements: ['file-paths'], replaces: ['uploads'], rules: ['path-traversal'], checklist: ['upload-limits'],
    check: 'Uploads are size- and type-limited, stored under generated names and served as attachments.',
    controls: [
      [
        { when: { any: ['multer'] }, text: 'Configure multer with `limits: { fileSize, files }` and a `fileFilter` allowlist; accept only the types the feature needs, checked from the file\'s content, not its name or `Content-Type`.' },
        { when: { any: ['nextjs'] }, text: 'Check `file.size` and the count before reading `await req.formData()` files into memory, and accept only the types the feature needs, checked from the content, not the name or `Content-Type`.' },
        { text: 'Cap the size and number of files (reject before reading the whole body) and accept only the types the feature needs, checked from the file\'s content, not its name or `Content-Type`.' },
      ],
      [
        { when: { any: ['multer'] }, text: 'Keep multer\'s generated file names (never `file.originalname` in a path) and store uploads outside the app\'s code and static folders; object storage is best.' },
        { when: { any: ['python'], none: ['javascript', 'typescript'] }, text: 'Store each file under a name you generate (never `file.filename` in a path; `secure_filename` at the least) outside the app\'s code and static folders; object storage is best.' },
        { text: 'Store each file under a name you generate and never join the client\'s file name into a path; keep uploads outside the app\'s code and static folders (object storage is best).' },
      ],
      'Serve uploads with `Content-Disposition: attachment` and the stored type, or from a separate domain, so an uploaded HTML or SVG file cannot run scripts on your origin.',
      'Require sign-in to upload and check that the user may attach files to that record.',
    ],
  },
  {
    id: 'login', name: 'sign-in',
    match: /\b(login|log in|log-in|signin|sign in|sign-in|signup|sign up|sign-up|register|registration|auth|authentication|password|passwords|session|sessions|logout|reset|2fa|mfa|otp|magic link)\b/,
    requirements: ['session-cookies', 'authz-every-handler'], replaces: ['rate-limits', 'passwords-tokens'],
    rules: ['missing-rate-limit', 'weak-password-hash', 'insecure-randomness', 'insecure-cookie', 'jwt-no-expiry', 'open-redirect'], checklist: ['rate-limit-auth'],
    check: 'Sign-in is throttled, passwords are hashed with argon2id or bcrypt, and failures do not reveal which accounts exist.',
    controls: [
      [
        { when: STATIC_NO_SERVER, text: 'This site has no server code: use a hosted auth provider and keep every check that protects data on a server or in database policies, never only in the page\'s JavaScript.' },
        { when: { any: ['nextauth', 'clerk', 'supabase-auth'] }, text: 'Use the project\'s auth provider ({auth}) for sign-in and sessions rather than writing your own password or session code.' },
      ],
      [
        { when: { any: ['rate-limit'] }, text: 'Throttle attempts with {ratelimiter} per account and per IP (e.g. 5 per 15 minutes, then 429 with `Retry-After`) and add increasing delays or a temporary lockout after repeated failures.' },
        { text: 'Throttle attempts per account and per IP (e.g. 5 per 15 minutes, then 429 with `Retry-After`) and add increasing delays or a temporary lockout after repeated failures.' },
      ],
      [
        { when: { any: ['argon2'] }, text: 'Store passwords only as argon2 hashes; answer every failure with the same message ("Invalid email or password") so accounts cannot be enumerated.' },
        { when: { any: ['bcrypt'] }, text: 'Store passwords only as bcrypt hashes (cost 12 or more); answer every failure with the same message ("Invalid email or password") so accounts cannot be enumerated.' },
        { text: 'Store passwords only as argon2id or bcrypt hashes; answer every failure with the same message ("Invalid email or password") so accounts cannot be enumerated.' },
      ],
      [
        { when: { any: ['python'], none: ['javascript', 'typescript'] }, text: 'Start a new session on login and clear it on logout; make reset and magic-link tokens with `secrets.token_urlsafe()`, single-use, expiring within an hour; after login redirect only to relative paths.' },
        { text: 'Start a new session on login and clear it on logout; make reset and magic-link tokens with `crypto.randomBytes()`, single-use, expiring within an hour; after login redirect only to relative paths.' },
      ],
    ],
  },
  {
    id: 'payments', name: 'payments',
    match: /\b(stripe|checkout|payment|payments|pay|billing|subscription|subscriptions|invoice|invoices|refund|refunds|pricing|webhook|webhooks)\b/,
    requirements: [], replaces: ['stripe-webhooks'], rules: ['hardcoded-secret', 'client-exposed-secret'], checklist: ['payment-webhook-verified', 'payment-idempotency'],
    check: 'Amounts come from the server; the webhook verifies its signature and skips event ids it has seen.',
    controls: [
      [
        { when: STATIC_NO_SERVER, text: 'This site has no server code: use Stripe Payment Links or create checkout sessions in a serverless function; the secret key must never be in the page.' },
        { text: 'Create the checkout session on the server from Price ids and quantities you look up; never accept an amount, price or currency from the client.' },
      ],
      [
        { when: { any: ['nextjs'] }, text: 'In the webhook route handler verify `stripe.webhooks.constructEvent(await req.text(), req.headers.get(\'stripe-signature\'), process.env.STRIPE_WEBHOOK_SECRET)` before anything else.' },
        { when: { any: ['express'] }, text: 'Mount the webhook route with `express.raw({ type: \'application/json\' })` before `express.json()` and verify `stripe.webhooks.constructEvent(req.body, signature, process.env.STRIPE_WEBHOOK_SECRET)` before anything else.' },
        { when: { any: ['python'], none: ['javascript', 'typescript'] }, text: 'Verify `stripe.Webhook.construct_event(raw_body, signature, endpoint_secret)` on the raw request body before anything else.' },
        { text: 'Verify the webhook signature on the raw, unparsed body with the webhook secret from the environment before anything else.' },
      ],
      'Make webhook handling idempotent: record each event id and skip ones already processed; grant access from the webhook event, not from the success page redirect.',
      'Keep the secret key (`sk_…`) and webhook secret on the server; only the publishable key (`pk_…`) may reach the browser.',
    ],
  },
  {
    id: 'admin', name: 'admin features',
    match: /\b(admin|admins|dashboard|back ?office|backoffice|moderation|moderator|roles?|permissions?|staff|internal tool|manage users)\b/,
    requirements: ['authz-every-handler', 'no-mass-assignment'], replaces: [], rules: ['mass-assignment'], checklist: ['authorization-per-resource'],
    check: 'Every admin action checks the role and the record on the server.',
    controls: [
      'Check the role on the server in every admin handler and server action, not only by hiding buttons or routes in the UI.',
      'Check per resource: load each record and confirm the caller may act on it (tenant, owner, role), also for bulk and export actions.',
      'Let roles and permissions change only through a dedicated, admin-only action; never accept `role` or `isAdmin` from a general update body.',
      'Log who changed what (ids, not personal data) and require re-authentication for destructive actions.',
    ],
  },
  {
    id: 'ai', name: 'AI features',
    match: /\b(ai|llm|llms|chat|chatbot|gpt|openai|claude|anthropic|gemini|assistant|prompt|prompts|agent|agents|embedding|embeddings|rag|completion|completions)\b/,
    requirements: ['rate-limits'], replaces: ['llm-endpoints'], rules: ['client-exposed-secret', 'code-injection', 'ssrf'], checklist: ['llm-quotas', 'llm-untrusted-output'],
    check: 'The AI endpoint needs sign-in, has quotas, and never executes or renders model output unchecked.',
    controls: [
      [
        { when: STATIC_NO_SERVER, text: 'This site has no server code: call the model from a serverless function that holds the key; a key in the page is public.' },
        { when: { any: ['openai'] }, text: 'Call the model from the server only (`new OpenAI()` reads `OPENAI_API_KEY`; never `dangerouslyAllowBrowser`); require sign-in and per-user quotas (requests per minute, tokens per day), with `max_tokens` and a timeout.' },
        { text: 'Call the model from the server with the key from the environment; require sign-in and per-user quotas (requests per minute, tokens per day), with `max_tokens` and a timeout.' },
      ],
      'Keep instructions in the system message and user text in user messages; treat user input, retrieved documents and tool results as data that may try to override instructions.',
      'Treat model output as untrusted: validate it against a schema before acting, render it as text or sanitized Markdown, and never pass it to `eval`, SQL, shell commands or `fetch` unchecked.',
      'Give tools the least access they need and confirm destructive actions with the user; keep secrets and other users\' data out of prompts and logs.',
    ],
  },
  {
    id: 'search', name: 'search and filters',
    match: /\b(search|filter|filters|sort|sorting|query|report|reports|export|pagination)\b/,
    requirements: ['sql-parameterized', 'nosql-filters'], replaces: [], rules: ['sql-injection', 'nosql-injection'], checklist: [],
    check: 'Search terms are parameters; sort and filter fields come from an allowlist.',
    controls: [
      'Pass search terms as query parameters; map sort and filter fields through a fixed allowlist of column names and directions.',
      'Cap page sizes and result counts, and scope every query to the records the caller may see.',
    ],
  },
  {
    id: 'url-fetch', name: 'fetching URLs',
    match: /\b(url|urls|link preview|link previews|proxy|scrape|scraper|crawl|crawler|fetch|import from|rss|oembed)\b/,
    requirements: [], replaces: ['outbound-urls'], rules: ['ssrf', 'open-redirect'], checklist: [],
    check: 'Only allowlisted https hosts are fetched, with private addresses refused.',
    controls: [
      'Allow only `https:` URLs to hosts on an allowlist; resolve the host and refuse private, loopback and link-local addresses (including after redirects).',
      'Set a short timeout and a response size limit, and never return the raw response or internal errors to the caller.',
    ],
  },
];
