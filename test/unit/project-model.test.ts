import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { analyzeText, allRules } from '../../src/engine';
import { DEFAULT_CONFIG } from '../../src/engine/config/config';
import { applyFixToText, verifyFix } from '../../src/engine/fixes';
import { buildProjectModel, configFactsOf, moduleFactsOf, ProjectModel } from '../../src/engine/project-model';
import { TABLE_PROPS } from '../../src/engine/project-model/extract';

/** A project model of files given as text (engine paths as keys). */
function modelOf(files: Record<string, string>): ProjectModel {
  const modules = [];
  const configs = [];
  for (const [f, text] of Object.entries(files)) {
    const c = configFactsOf(f, text);
    if (c) configs.push(c);
    else modules.push(moduleFactsOf(f, text));
  }
  return new ProjectModel({ modules, configs });
}

const EXPRESS_APP = {
  'package.json': '{ "name": "shop", "dependencies": { "express": "4.19.2" } }',
  'src/db.js': "const { Pool } = require('pg');\nconst pool = new Pool();\nmodule.exports = pool;\n",
  'src/middleware/auth.js': "function requireAuth(req, res, next) { if (!req.user) return res.sendStatus(401); next(); }\nmodule.exports = { requireAuth };\n",
  'src/routes/users.js': [
    "const express = require('express');",
    "const { requireAuth } = require('../middleware/auth');",
    "const router = express.Router();",
    "router.get('/:id', requireAuth, async (req, res) => res.json({}));",
    "router.route('/').get(listUsers).post(createUser);",
    'function listUsers(req, res) { res.json([]); }',
    'function createUser(req, res) { res.sendStatus(201); }',
    'module.exports = router;',
  ].join('\n'),
  'src/app.js': [
    "const express = require('express');",
    "const helmet = require('helmet');",
    "const rateLimit = require('express-rate-limit');",
    "const users = require('./routes/users');",
    'const app = express();',
    'app.use(helmet());',
    "app.use('/api', rateLimit({ windowMs: 60000, max: 100 }));",
    "app.use('/api/users', users);",
    "app.get('/health', (req, res) => res.send('ok'));",
    'module.exports = app;',
  ].join('\n'),
  'src/server.js': "const app = require('./app');\napp.listen(3000);\n",
};

describe('project model', () => {
  it('resolves relative imports with extensions and index files, tsconfig paths and workspace packages', () => {
    const m = modelOf({
      'tsconfig.json': '{ "compilerOptions": { "baseUrl": ".", "paths": { "@/*": ["src/*"] } } }',
      'src/lib/db.ts': 'export const db = 1;',
      'src/lib/index.ts': "export * from './db';",
      'src/app/page.tsx': "import { db } from '@/lib/db';",
      'packages/core/package.json': '{ "name": "@acme/core", "main": "src/main.ts" }',
      'packages/core/src/main.ts': 'export const x = 1;',
      'src/esm.ts': "import { db } from './lib/db.js';",
    });
    assert.equal(m.resolveImport('src/app/page.tsx', '@/lib/db'), 'src/lib/db.ts');
    assert.equal(m.resolveImport('src/app/page.tsx', '../lib'), 'src/lib/index.ts');
    assert.equal(m.resolveImport('src/esm.ts', './lib/db.js'), 'src/lib/db.ts');
    assert.equal(m.resolveImport('src/app/page.tsx', 'src/lib/db'), 'src/lib/db.ts', 'baseUrl');
    assert.equal(m.resolveImport('src/app/page.tsx', '@acme/core'), 'packages/core/src/main.ts');
    assert.equal(m.resolveImport('src/app/page.tsx', 'express'), undefined);
    assert.equal(m.resolveImport('src/app/page.tsx', './missing'), undefined);
  });

  it('resolves workspace packages through their package.json `exports` (subpaths, patterns, conditions, built paths)', () => {
    const m = modelOf({
      // a TypeScript-first internal package (create-t3-turbo style): exports point at sources
      'packages/db/package.json': JSON.stringify({ name: '@acme/db', exports: { '.': './src/index.ts', './client': './src/pg/pool.ts', './schema/*': './src/tables/*.ts' } }),
      'packages/db/src/index.ts': "export * from './pg/pool';",
      'packages/db/src/pg/pool.ts': "import { Pool } from 'pg';\nexport const pool = new Pool();\n",
      'packages/db/src/tables/user.ts': 'export const user = {};',
      // a built package whose dist/ is not in the workspace: conditions with types first, then import/require
      'packages/api/package.json': JSON.stringify({ name: '@acme/api', exports: { '.': { types: './dist/index.d.ts', import: './dist/index.mjs', require: './dist/index.cjs' }, './package.json': './package.json' } }),
      'packages/api/src/index.ts': 'export const router = 1;',
      // bare conditions are the "." subpath
      'packages/auth/package.json': JSON.stringify({ name: '@acme/auth', exports: { import: './lib/auth.js', default: './lib/auth.js' } }),
      'packages/auth/lib/auth.js': 'export const auth = 1;',
      'apps/web/src/route.ts': "import { pool } from '@acme/db/client';\nimport { user } from '@acme/db/schema/user';\n",
    });
    const from = 'apps/web/src/route.ts';
    assert.equal(m.resolveImport(from, '@acme/db'), 'packages/db/src/index.ts');
    assert.equal(m.resolveImport(from, '@acme/db/client'), 'packages/db/src/pg/pool.ts', 'a subpath the exports list');
    assert.equal(m.resolveImport(from, '@acme/db/schema/user'), 'packages/db/src/tables/user.ts', 'a ./schema/* pattern');
    assert.equal(m.resolveImport(from, '@acme/api'), 'packages/api/src/index.ts', 'dist/index.mjs is built from src/index.ts');
    assert.equal(m.resolveImport(from, '@acme/auth'), 'packages/auth/lib/auth.js');
    assert.equal(m.dbDriverOf(from, 'pool'), 'pg', 'the driver behind a workspace package subpath');
  });

  it('builds the route table of a Fastify app: registered plugins with prefixes, hooks, route options, fastify-plugin', () => {
    const m = modelOf({
      'src/app.ts': [
        "import Fastify from 'fastify';",
        "import rateLimit from '@fastify/rate-limit';",
        "import userRoutes from './routes/users';",
        'const app = Fastify({ logger: true });',
        'app.register(rateLimit, { max: 100 });',
        "app.register(userRoutes, { prefix: '/api/users' });",
        "app.register(import('./routes/admin'), { prefix: '/admin' });",
        "app.register(async (v1) => { v1.get('/ping', async () => 'pong'); }, { prefix: '/v1' });",
        "app.get('/health', async () => ({ ok: true }));",
        'app.listen({ port: 3000 });',
      ].join('\n'),
      'src/routes/users.ts': [
        "import fp from 'fastify-plugin';",
        'export default async function userRoutes(fastify, opts) {',
        "  fastify.get('/:id', { preHandler: [fastify.authenticate] }, async (request) => request.params.id);",
        "  fastify.route({ method: ['PUT', 'PATCH'], url: '/:id', onRequest: fastify.authenticate, preHandler: checkOwner, handler: async () => ({}) });",
        "  fastify.post('/', { schema: { body: {} } }, async () => ({}));",
        '}',
        'function checkOwner() {}',
      ].join('\n'),
      'src/routes/admin.ts': [
        "import fp from 'fastify-plugin';",
        'export default fp(async (instance) => {',
        "  instance.addHook('onRequest', instance.verifyAdmin);",
        "  instance.delete('/users/:id', async () => ({}));",
        '});',
      ].join('\n'),
      // a helper whose first parameter is a cache, not an app: never registered, so no routes
      'src/cache.ts': "export function warm(cache) { cache.get('/home', () => {}); }",
    });
    const routes = m.routes().map((r) => `${r.method.toUpperCase()} ${r.path} [${r.chain.map((c) => c.lib ?? c.name).join(', ')}] ${r.framework}`);
    assert.deepEqual(routes.sort(), [
      'DELETE /admin/users/:id [@fastify/rate-limit, instance.verifyAdmin] fastify',
      'GET /api/users/:id [@fastify/rate-limit, fastify.authenticate] fastify',
      'GET /health [@fastify/rate-limit] fastify',
      'GET /v1/ping [@fastify/rate-limit] fastify',
      'PATCH /api/users/:id [@fastify/rate-limit, fastify.authenticate, checkOwner] fastify',
      'POST /api/users [@fastify/rate-limit] fastify',
      'PUT /api/users/:id [@fastify/rate-limit, fastify.authenticate, checkOwner] fastify',
    ]);
    assert.deepEqual(m.appsServing('src/routes/users.ts').map((a) => a.id), ['src/app.ts#app']);
    // route options with a body or query `schema`: Fastify validates the request before the handler
    assert.deepEqual(m.routes().filter((r) => r.schema).map((r) => `${r.method.toUpperCase()} ${r.path}`), ['POST /api/users']);
  });

  it('builds the route table of a Koa app: router prefixes, named routes, `router.routes()` mounts', () => {
    const m = modelOf({
      'app.js': [
        "const Koa = require('koa');",
        "const helmet = require('koa-helmet');",
        "const api = require('./routes/api');",
        'const app = new Koa();',
        'app.use(helmet());',
        'app.use(api.routes()).use(api.allowedMethods());',
        'app.listen(3000);',
      ].join('\n'),
      'routes/api.js': [
        "const Router = require('@koa/router');",
        "const posts = require('./posts');",
        "const router = new Router({ prefix: '/api' });",
        "router.get('user', '/users/:id', async (ctx) => { ctx.body = {}; });",
        "router.use('/posts', posts.routes());",
        'module.exports = router;',
      ].join('\n'),
      'routes/posts.js': [
        "const Router = require('@koa/router');",
        'const router = new Router();',
        "router.post('/', requireLogin, async (ctx) => { ctx.status = 201; });",
        'function requireLogin(ctx, next) { return next(); }',
        'module.exports = router;',
      ].join('\n'),
    });
    const routes = m.routes().map((r) => `${r.method.toUpperCase()} ${r.path} [${r.chain.map((c) => c.lib ?? c.name).join(', ')}] ${r.app ?? '-'}`);
    assert.deepEqual(routes.sort(), [
      'GET /api/users/:id [koa-helmet] app.js#app',
      'POST /api/posts [koa-helmet, requireLogin] app.js#app',
    ]);
  });

  it('records session middleware with its cookie\'s sameSite, auth cookies set by hand and CSRF protection', () => {
    const m = modelOf({
      'app.js': [
        "const Koa = require('koa');",
        "const session = require('koa-session');",
        "const shop = require('./shop');",
        'const app = new Koa();',
        "app.use(session({ key: 'sess', sameSite: 'lax' }, app));",
        'app.use(shop.routes());',
        'app.listen(3000);',
      ].join('\n'),
      'shop.js': [
        "const Router = require('@koa/router');",
        'const router = new Router();',
        "router.del('/cart/:id', async (ctx) => { ctx.status = 204; });",
        'module.exports = router;',
      ].join('\n'),
      'express.js': [
        "import session from 'express-session';",
        "const opts = { secret: process.env.S, cookie: { sameSite: process.env.X ? 'none' : 'strict' } };",
        'export const a = session(opts);',
        'export const b = session({ secret: process.env.S, cookie: { ...base } });',
        'export const c = session({ secret: process.env.S });',
        "export function login(req, res) { res.cookie('session_token', t, { sameSite: 'strict' }); res.cookie('theme', 'dark'); }",
      ].join('\n'),
      'origin.js': [
        'export function checkOrigin(req, res, next) {',
        "  if (req.headers.origin !== process.env.ORIGIN) return res.status(403).end();",
        '  next();',
        '}',
      ].join('\n'),
      'cors.js': "export function cors(req, res, next) { res.setHeader('Access-Control-Allow-Origin', req.headers.origin); next(); }",
      'bearer.js': "export function auth(req) { return req.headers.authorization; }",
      'xhr.js': "export function onlyXhr(req, res, next) { if (!req.xhr) return res.sendStatus(403); next(); }",
      'config/session.js': "module.exports = { secret: process.env.S, cookie: { sameSite: 'lax' } };",
      'server.js': "const session = require('express-session');\nconst cfg = require('./config/session');\nmodule.exports = session(cfg);",
      'csrf.js': "import { doubleCsrf } from 'csrf-csrf';\nexport const { doubleCsrfProtection } = doubleCsrf({});",
    });
    const s = (f: string) => m.facts(f)?.session;
    assert.deepEqual(s('app.js')?.cookies?.map((c) => `${c.lib} ${c.sameSite}`), ['koa-session lax']);
    // koa-session takes the app to sign its cookies: that does not hand the app to code the model cannot follow
    assert.equal(m.passedOut('app.js#app'), false);
    assert.deepEqual(m.routes().map((r) => `${r.method} ${r.path} ${r.app}`), ['delete /cart/:id app.js#app']);
    assert.deepEqual(s('express.js')?.cookies?.map((c) => `${c.kind} ${c.lib ?? c.name} ${c.sameSite}`), [
      'session express-session none', 'session express-session unknown', 'session express-session unset', 'cookie session_token strict',
    ]);
    assert.equal(s('origin.js')?.csrf, 'origin check');
    assert.equal(s('cors.js')?.csrf, undefined);
    assert.equal(s('xhr.js')?.csrf, 'origin check');
    assert.deepEqual(s('bearer.js'), { readsBearer: true });
    assert.equal(s('csrf.js')?.csrf, 'csrf-csrf');
    // options from another module: where they come from, and what that module's exported options set
    assert.deepEqual(s('server.js')?.cookies?.map((c) => [c.sameSite, c.optsFrom]), [['unknown', { spec: './config/session', imported: '*' }]]);
    assert.deepEqual(s('config/session.js')?.options, { default: 'lax' });
  });

  it('builds the route table of a Hono app: sub-apps mounted with route(), wildcard middleware, served by its runtime', () => {
    const m = modelOf({
      'src/index.ts': [
        "import { Hono } from 'hono';",
        "import { serve } from '@hono/node-server';",
        "import { secureHeaders } from 'hono/secure-headers';",
        "import posts from './posts';",
        'const app = new Hono();',
        "app.use('*', secureHeaders());",
        "app.use('/api/*', requireUser);",
        "app.route('/api/posts', posts);",
        "app.get('/health', (c) => c.text('ok'));",
        'async function requireUser(c, next) { await next(); }',
        'serve({ fetch: app.fetch, port: 3000 });',
      ].join('\n'),
      'src/posts.ts': [
        "import { Hono } from 'hono';",
        'const posts = new Hono();',
        "posts.delete('/:id', (c) => c.body(null, 204));",
        'export default posts;',
      ].join('\n'),
      'worker/index.ts': [
        "import { Hono } from 'hono';",
        'const app = new Hono();',
        "app.get('/', (c) => c.text('hi'));",
        'export default app;',
      ].join('\n'),
    });
    const routes = m.routes().map((r) => `${r.method.toUpperCase()} ${r.path} [${r.chain.map((c) => c.lib ?? c.name).join(', ')}] ${r.app ?? '-'}`);
    assert.deepEqual(routes.sort(), [
      'DELETE /api/posts/:id [hono/secure-headers, requireUser] src/index.ts#app',
      'GET / [] worker/index.ts#app',
      'GET /health [hono/secure-headers] src/index.ts#app',
    ]);
    // the sub-app is not an app of its own; both roots are served (node-server, a worker's default export)
    assert.deepEqual(m.apps().map((a) => `${a.id} ${a.listenedIn.join(',')}`).sort(), ['src/index.ts#app src/index.ts', 'worker/index.ts#app worker/index.ts']);
  });

  it('knows the database driver behind a local module, through re-exports and CommonJS objects', () => {
    const m = modelOf({
      'lib/prisma.ts': "import { PrismaClient } from '@prisma/client';\nconst g = globalThis as any;\nexport const prisma = g.prisma ?? new PrismaClient();\nexport default prisma;\n",
      'lib/index.ts': "export { prisma as client } from './prisma';",
      'db/knex.js': "const knex = require('knex')({ client: 'pg' });\nmodule.exports = { knex, close: () => knex.destroy() };\n",
      'db/mysql.js': "const mysql = require('mysql2');\nexports.pool = mysql.createPool({}).promise();\n",
      'routes/a.ts': "import prisma from '../lib/prisma';\nimport { client } from '../lib';\nconst { knex } = require('../db/knex');\nconst db = require('../db/knex');\nconst { pool } = require('../db/mysql');\n",
    });
    assert.equal(m.dbDriverOf('routes/a.ts', 'prisma'), 'prisma');
    assert.equal(m.dbDriverOf('routes/a.ts', 'client'), 'prisma');
    assert.equal(m.dbDriverOf('routes/a.ts', 'knex'), 'knex');
    assert.equal(m.dbDriverOf('routes/a.ts', 'db'), 'knex', 'the module object holds one client');
    assert.equal(m.dbDriverOf('routes/a.ts', 'pool'), 'mysql');
    assert.equal(m.dbDriverOf('routes/a.ts', 'nothing'), undefined);
  });

  it('builds the route table across files: prefixes, router mounts, middleware chains in order, where the app starts', () => {
    const m = modelOf(EXPRESS_APP);
    const routes = m.routes().map((r) => `${r.method.toUpperCase()} ${r.path} ${r.file}:${r.line} [${r.chain.map((c) => c.lib ?? c.name).join(', ')}]`);
    assert.deepEqual(routes.sort(), [
      'GET /api/users src/routes/users.js:5 [helmet, express-rate-limit]',
      'GET /api/users/:id src/routes/users.js:4 [helmet, express-rate-limit, requireAuth]',
      'GET /health src/app.js:9 [helmet]',
      'POST /api/users src/routes/users.js:5 [helmet, express-rate-limit]',
    ]);
    const [app] = m.apps();
    assert.equal(app.id, 'src/app.js#app');
    assert.deepEqual(app.listenedIn, ['src/server.js']);
    assert.deepEqual(app.middleware.map((e) => e.lib), ['helmet']);
    assert.deepEqual(m.appsServing('src/routes/users.js').map((a) => a.id), ['src/app.js#app']);
    const byId = m.routes().find((r) => r.path === '/api/users' && r.method === 'get')!;
    assert.equal(byId.handler?.name, 'listUsers');
  });

  it('updates one file at a time, and survives a round trip as plain data', () => {
    const m = modelOf(EXPRESS_APP);
    const copy = new ProjectModel(JSON.parse(JSON.stringify(m.toData())));
    assert.deepEqual(copy.routes(), m.routes());
    // helmet removed from app.js: the routes lose it, nothing else is rebuilt by hand
    m.update(moduleFactsOf('src/app.js', EXPRESS_APP['src/app.js'].replace('app.use(helmet());', '')));
    assert.ok(m.routes().every((r) => !r.chain.some((c) => c.lib === 'helmet')));
    m.remove('src/routes/users.js');
    assert.deepEqual(m.routes().map((r) => r.path), ['/health']);
  });

  it('gives rules the model through the rule context, with this file\'s current text', () => {
    const m = modelOf(EXPRESS_APP);
    const text = "const pool = require('./db');\nexports.find = (req, res) => pool.query(`SELECT * FROM users WHERE id = ${req.params.id}`);\n";
    const alone = analyzeText({ path: 'src/find.js', text }, { rules: allRules, only: ['sql-injection'] });
    const within = analyzeText({ path: 'src/find.js', text, project: m }, { rules: allRules, only: ['sql-injection'] });
    assert.equal(alone.findings.length, 1);
    assert.equal(alone.findings[0].fixes, undefined, 'alone, the driver is unknown');
    assert.match(within.findings[0].fixes?.[0].title ?? '', /\$1 placeholders/);
    assert.equal(within.moduleFacts?.file, 'src/find.js');
    assert.equal(m.has('src/find.js'), false, 'analysis does not change the model it was given');
  });

  it('judges CORS options another module exports where they are used, pointing at the module (cors-misconfiguration)', () => {
    const app = [
      "const cors = require('cors');",
      "const { corsOptions } = require('./config/cors');",
      "const { corsOrigin } = require('./util/cors');",
      "const app = require('express')();",
      'app.use(cors(corsOptions));',
      "app.use('/p', cors({ origin: corsOrigin, credentials: true }));",
      'app.listen(3000);',
    ].join('\n');
    const modelWith = (options: string, origin: string) => modelOf({
      'src/app.js': app,
      'src/config/cors.js': `module.exports = { corsOptions: ${options} };`,
      'src/util/cors.ts': `export function corsOrigin(origin: string, cb: (e: Error | null, ok?: boolean) => void) { ${origin} }`,
    });
    const run = (m: ProjectModel) => analyzeText({ path: 'src/app.js', text: app, project: m }, { rules: allRules, only: ['cors-misconfiguration'], config: { ...DEFAULT_CONFIG, minConfidence: 'low' } }).findings;
    const open = run(modelWith('{ origin: true, credentials: true }', 'cb(null, true);'));
    assert.deepEqual(open.map((f) => [f.range.startPos.line, f.confidence]), [[5, 'high'], [6, 'high']]);
    assert.equal(open[0].related?.[0].file, 'src/config/cors.js');
    assert.equal(open[0].related?.[0].range.startPos.line, 1);
    assert.equal(open[1].related?.[0].file, 'src/util/cors.ts');
    assert.equal(open[0].fixes, undefined, 'no fix: it would edit the other file');
    // allow-lists, checks, credentials off, options a spread may change: quiet (or low for `*` without credentials)
    assert.deepEqual(run(modelWith("{ origin: ['https://app.example.com'], credentials: true }", 'cb(null, ALLOWED.includes(origin));')), []);
    assert.deepEqual(run(modelWith('{ ...base, credentials: true }', 'if (origin === SITE) cb(null, true); else cb(null, false);')), []);
    assert.deepEqual(run(modelWith('{ origin: process.env.CORS_ORIGIN, credentials: true }', 'cb(null, false);')), []);
    assert.deepEqual(run(modelWith("{ origin: '*' }", 'cb(null, false);')).map((f) => f.confidence), ['low']);
    assert.deepEqual(run(modelWith("process.env.NODE_ENV === 'development' ? { origin: true, credentials: true } : { origin: ['https://app.example.com'], credentials: true }", 'cb(null, false);')), [], 'development-only options');
    // alone, nothing is known of the imported options
    assert.deepEqual(analyzeText({ path: 'src/app.js', text: app }, { rules: allRules, only: ['cors-misconfiguration'] }).findings, []);
  });

  it('puts the rate-limit fix on the routes where the router is created, and the route table then has it as mounted', () => {
    for (const esm of [false, true]) {
      const routes = esm ? [
        "import { Router } from 'express';",
        'const router = Router();',
        "router.post('/login', async (req, res) => res.json(await signIn(req.body.email, req.body.password)));",
        'export default router;',
      ].join('\n') : [
        "const express = require('express');",
        'const router = express.Router();',
        "router.post('/login', async (req, res) => res.json(await signIn(req.body.email, req.body.password)));",
        'module.exports = router;',
      ].join('\n');
      const m = modelOf({
        'src/routes/auth.js': routes,
        'src/app.js': esm
          ? "import express from 'express';\nimport auth from './routes/auth';\nconst app = express();\napp.use('/auth', auth);\napp.listen(3000);"
          : "const express = require('express');\nconst app = express();\napp.use('/auth', require('./routes/auth'));\napp.listen(3000);",
      });
      const opts = { rules: allRules, only: ['missing-rate-limit'], config: { ...DEFAULT_CONFIG, minConfidence: 'low' as const } };
      const [f] = analyzeText({ path: 'src/routes/auth.js', text: routes, project: m }, opts).findings;
      assert.equal(f?.confidence, 'medium', 'the router is mounted on an app that is started');
      const fix = f.fixes![0];
      assert.ok(verifyFix({ path: 'src/routes/auth.js', text: routes, project: m }, f, fix, { rules: allRules }).ok);
      const fixed = applyFixToText(routes, 'src/routes/auth.js', fix);
      assert.match(fixed, esm ? /^import rateLimit from 'express-rate-limit';$/m : /^const rateLimit = require\('express-rate-limit'\);$/m);
      assert.ok(fixed.indexOf('const authLimiter') > fixed.indexOf('Router()'), 'after the router is created');
      // as mounted in app.js: the route's chain now holds the limiter, from express-rate-limit
      m.update(moduleFactsOf('src/routes/auth.js', fixed));
      const login = m.routes().find((r) => r.path === '/auth/login');
      assert.deepEqual(login?.chain.map((c) => [c.name, c.lib, c.level]), [['authLimiter', 'express-rate-limit', 'route']]);
    }
  });

  it('reads Next.js middleware.ts: matchers, sign-in checks and rate limits become the chain of the routes it matches', () => {
    const route = "export async function POST(req: Request) { return Response.json({}); }";
    const chainOf = (files: Record<string, string>, path = '/api/admin/users') => {
      const m = modelOf({ 'package.json': '{ "name": "web" }', 'app/api/admin/users/route.ts': route, 'app/api/auth/login/route.ts': route, 'app/api/admin/users/[id]/route.ts': route, ...files });
      return m.routes().find((r) => r.path === path)!.chain.map((c) => c.checks?.join('+'));
    };
    // next-auth v5 and v4, getToken with a redirect, Supabase's helper, Clerk with protect(): sign-in checks
    assert.deepEqual(chainOf({ 'middleware.ts': "export { auth as middleware } from './auth';\nexport const config = { matcher: ['/api/admin/:path*'] };" }), ['auth']);
    assert.deepEqual(chainOf({ 'src/middleware.ts': "export { default } from 'next-auth/middleware';" }), ['auth']);
    assert.deepEqual(chainOf({ 'proxy.ts': "export { auth as proxy } from './auth';\nexport const config = { matcher: ['/api/admin/:path*'] };" }), ['auth'], 'Next.js 16 proxy.ts');
    assert.deepEqual(chainOf({ 'middleware.ts': "import { getToken } from 'next-auth/jwt';\nimport { NextResponse } from 'next/server';\nexport async function middleware(req) { if (!(await getToken({ req }))) return NextResponse.redirect(new URL('/login', req.url)); }" }), ['auth']);
    assert.deepEqual(chainOf({
      'middleware.ts': "import { updateSession } from '@/utils/supabase/middleware';\nexport async function middleware(request) { return await updateSession(request); }",
      'tsconfig.json': '{ "compilerOptions": { "paths": { "@/*": ["./*"] } } }',
      'utils/supabase/middleware.ts': "export async function updateSession(request) { const { data: { user } } = await supabase.auth.getUser(); if (!user) return NextResponse.redirect(new URL('/login', request.url)); }",
    }), ['auth']);
    const clerk = (body: string) => ({ 'middleware.ts': `import { clerkMiddleware, createRouteMatcher } from '@clerk/nextjs/server';\n${body}` });
    assert.deepEqual(chainOf(clerk("const isAdmin = createRouteMatcher(['/api/admin(.*)']);\nexport default clerkMiddleware(async (auth, req) => { if (isAdmin(req)) await auth.protect(); });")), ['auth']);
    assert.deepEqual(chainOf(clerk("const isAdmin = createRouteMatcher(['/admin(.*)']);\nexport default clerkMiddleware(async (auth, req) => { if (isAdmin(req)) await auth.protect(); });")), [''], 'Clerk protects other paths only');
    assert.deepEqual(chainOf(clerk("const isPublicRoute = createRouteMatcher(['/', '/api/auth(.*)']);\nexport default clerkMiddleware(async (auth, req) => { if (!isPublicRoute(req)) await auth.protect(); });"), '/api/auth/login'), [''], 'a public route');
    assert.deepEqual(chainOf(clerk('export default clerkMiddleware();')), [''], 'clerkMiddleware() alone protects nothing');
    // matchers: outside them the middleware does not run; the usual negative lookahead covers the API
    assert.deepEqual(chainOf({ 'middleware.ts': "export { auth as middleware } from './auth';\nexport const config = { matcher: ['/dashboard/:path*'] };" }), []);
    assert.deepEqual(chainOf({ 'middleware.ts': "export { auth as middleware } from './auth';\nexport const config = { matcher: ['/((?!api|_next/static|_next/image|favicon.ico).*)'] };" }), []);
    assert.deepEqual(chainOf({ 'middleware.ts': "export { auth as middleware } from './auth';\nexport const config = { matcher: ['/((?!_next/static|_next/image|favicon.ico).*)'] };" }, '/api/admin/users/[id]'), ['auth']);
    assert.deepEqual(chainOf({ 'middleware.ts': "export { auth as middleware } from './auth';\nexport const config = { matcher: [{ source: '/api/admin/:id' }] };" }, '/api/admin/users/[id]'), []);
    // a rate limit
    assert.deepEqual(chainOf({ 'middleware.ts': "import { Ratelimit } from '@upstash/ratelimit';\nconst ratelimit = new Ratelimit({});\nexport async function middleware(req) { await ratelimit.limit(req.ip); }\nexport const config = { matcher: '/api/auth/:path*' };" }, '/api/auth/login'), ['rate-limit']);
  });

  it('finds the Next.js pages whose import graph holds a module (where a server action defined there is posted)', () => {
    const m = modelOf({
      'package.json': '{ "name": "notes", "dependencies": { "next": "15.1.0" } }',
      'tsconfig.json': '{ "compilerOptions": { "baseUrl": ".", "paths": { "@/*": ["./*"] } } }',
      'app/notes/actions.ts': "'use server';\nexport async function deleteNote(id) {}",
      'app/notes/page.tsx': "import { deleteNote } from './actions';\nexport default function Page() { return null; }",
      'components/Editor.tsx': "'use client';\nimport { deleteNote } from '@/app/notes/actions';\nexport function Editor() { return null; }",
      'components/index.ts': "export * from './Editor';",
      'app/share/[id]/page.tsx': "import { Editor } from '@/components';\nexport default function Page() { return null; }",
      'app/(team)/layout.tsx': "import { deleteNote } from '@/app/notes/actions';\nexport default function Layout({ children }) { return children; }",
      'app/(team)/members/page.tsx': 'export default function Page() { return null; }',
      'app/about/page.tsx': 'export default function Page() { return null; }',
      'lib/unused-actions.ts': "'use server';\nexport async function pin(id) {}",
    });
    // directly, through a client component and a barrel file, and every page below a layout that imports it
    assert.deepEqual(m.nextPagesUsing('app/notes/actions.ts').map((r) => r.path).sort(), ['/members', '/notes', '/share/[id]']);
    assert.deepEqual(m.nextPagesUsing('lib/unused-actions.ts'), []);
  });

  it('lets rules judge a Fastify plugin\'s routes as registered: a rate limiter registered on the app covers them', () => {
    const login = [
      'export default async function authRoutes(fastify) {',
      "  fastify.post('/login', async (request, reply) => {",
      '    const user = await fastify.db.findUser(request.body.email);',
      '    if (!user || !(await verifyPassword(user.hash, request.body.password))) return reply.code(401).send();',
      '    return { token: fastify.jwt.sign({ sub: user.id }) };',
      '  });',
      '}',
      'async function verifyPassword(h, p) { return h === p; }',
    ].join('\n');
    const appWith = (limited: boolean) => modelOf({
      'src/routes/auth.ts': login,
      'src/app.ts': [
        "import Fastify from 'fastify';",
        "import rateLimit from '@fastify/rate-limit';",
        "import authRoutes from './routes/auth';",
        'const app = Fastify();',
        ...(limited ? ['app.register(rateLimit, { max: 5, timeWindow: 60000 });'] : []),
        "app.register(authRoutes, { prefix: '/auth' });",
        'app.listen({ port: 3000 });',
      ].join('\n'),
    });
    const run = (m: ProjectModel) => analyzeText({ path: 'src/routes/auth.ts', text: login, project: m }, { rules: allRules, only: ['missing-rate-limit'], config: { ...DEFAULT_CONFIG, minConfidence: 'low' } }).findings;
    const open = run(appWith(false));
    assert.equal(open.length, 1);
    assert.equal(open[0].confidence, 'medium', 'the whole app is seen: registered and started');
    assert.match(open[0].message, /POST \/auth\/login/, 'named as mounted, with the prefix');
    assert.deepEqual(run(appWith(true)), [], '@fastify/rate-limit registered on the app');
  });

  it('tells the project\'s own tooling (started only by a package.json script) from the app', () => {
    const broker = [
      "const aedes = require('aedes')();",
      "const mqttPassword = 'Qx7!pLm2@wZ9';",
      "aedes.authenticate = function (client, username, password, callback) {",
      "  console.log(password.toString('utf-8'));",
      "  callback(null, password.toString('utf-8') === mqttPassword);",
      '};',
      "require('net').createServer(aedes.handle).listen(1883);",
      "const AWS_KEY = 'AKIAZ7QW3ERTY5UIOP2A';",
    ].join('\n');
    const files = {
      ...EXPRESS_APP,
      'package.json': JSON.stringify({
        name: 'shop', main: 'src/server.js', bin: { shop: './bin/shop.js' },
        scripts: { start: 'node src/server.js', dev: 'nodemon src/app.js', 'mqtt-broker': 'node ./tools/broker.js', seed: 'tsx scripts/seed',
          cli: 'node bin/shop.js', 'start:worker': 'node src/worker.js', docs: 'cd docs && node build.js', lib: 'node src/lib.js' },
      }),
      'tools/broker.js': broker,
      'scripts/seed.ts': "const adminPassword = 'Qx7!pLm2@wZ9';\nexport {};\n",
      'bin/shop.js': broker,
      'src/worker.js': broker,
      'docs/build.js': broker,
      'src/lib.js': 'module.exports = 1;',
      'src/uses-lib.js': "require('./lib');",
    };
    const m = modelOf(files);
    assert.equal(m.toolingScript('tools/broker.js'), 'mqtt-broker');
    assert.equal(m.toolingScript('scripts/seed.ts'), 'seed', 'a path written without its extension');
    assert.equal(m.toolingScript('bin/shop.js'), undefined, 'a bin command is what users run');
    assert.equal(m.toolingScript('src/server.js'), undefined, 'the start script runs the app');
    assert.equal(m.toolingScript('src/app.js'), undefined, 'it creates the app (here run by `dev`)');
    assert.equal(m.toolingScript('src/worker.js'), undefined, 'start:* scripts run the app');
    assert.equal(m.toolingScript('docs/build.js'), undefined, 'a script that changes folder first is not followed');
    assert.equal(m.toolingScript('src/lib.js'), undefined, 'a module other modules import');
    assert.equal(m.toolingScript('src/routes/users.js'), undefined, 'run by no script');

    const scan = (path: string) => analyzeText({ path, text: files[path as keyof typeof files] as string, project: m }, { rules: allRules, config: { ...DEFAULT_CONFIG, minConfidence: 'low' } }).findings;
    const conf = (fs: ReturnType<typeof scan>, id: string) => fs.filter((f) => f.ruleId === id).map((f) => f.confidence).sort();
    // the same code run by a start script keeps its confidence; as a local tool, only the AWS key stays high
    assert.deepEqual(conf(scan('src/worker.js'), 'hardcoded-secret'), ['high', 'medium']);
    assert.deepEqual(conf(scan('src/worker.js'), 'sensitive-data-in-log'), ['medium']);
    assert.deepEqual(conf(scan('tools/broker.js'), 'hardcoded-secret'), ['high', 'low']);
    assert.deepEqual(conf(scan('tools/broker.js'), 'sensitive-data-in-log'), ['low']);
  });

  it('is built from files on disk', () => {
    const dir = mkdtempSync(join(tmpdir(), 'shipsafe-model-'));
    try {
      for (const [f, text] of Object.entries(EXPRESS_APP)) { mkdirSync(dirname(join(dir, f)), { recursive: true }); writeFileSync(join(dir, f), text); }
      const { model, stats } = buildProjectModel(Object.keys(EXPRESS_APP).map((f) => join(dir, f)), dir);
      assert.equal(stats.parsed, 5);
      assert.equal(model.routes().length, 4);
    } finally { rmSync(dir, { recursive: true, force: true }); }
  });
});

describe('module facts of an object literal', () => {
  it('leave out the strings of a table (over TABLE_PROPS properties), not its other values, nor those of a smaller object', () => {
    const entries = (n: number) => Array.from({ length: n }, (_, i) => `  'page.label.${i}': 'Label ${i}',`).join('\n');
    const facts = moduleFactsOf('src/translations/en.json.js', [
      'function format(s) { return s; }',
      `const en = {\n${entries(TABLE_PROPS)}\n  format,\n  origin: 'https://app.example.com',\n};`,
      `const options = {\n${entries(TABLE_PROPS - 1)}\n  format,\n};`,
      'module.exports = { en, options };',
    ].join('\n'));
    const table = facts.locals.en, small = facts.locals.options;
    assert.equal(table?.k, 'object');
    assert.equal(small?.k, 'object');
    if (table?.k !== 'object' || small?.k !== 'object') return;
    // the table (TABLE_PROPS + 2 properties): its function kept, its strings left out
    assert.deepEqual(Object.keys(table.props), ['format']);
    // an object of TABLE_PROPS properties: every string kept
    assert.equal(Object.keys(small.props).length, TABLE_PROPS);
    assert.deepEqual(small.props['page.label.7'], { k: 'lit', value: 'Label 7' });
  });

  it('take a member from the literal\'s own properties only, not from Object.prototype', () => {
    const facts = moduleFactsOf('src/config.ts', [
      "export const options = { origin: 'https://app.example.com', credentials: true };",
      'export const made = options.constructor;',
      'export const shown = options.toString;',
      'export const origin = options.origin;',
    ].join('\n'));
    // every value is plain data: the facts survive the result cache's JSON round trip unchanged
    assert.deepEqual(JSON.parse(JSON.stringify(facts)), facts);
    assert.notEqual(typeof facts.locals.made, 'function');
    assert.notEqual(typeof facts.locals.shown, 'function');
    assert.deepEqual(facts.locals.origin, { k: 'lit', value: 'https://app.example.com' });
  });
});

describe('project model: OpenAPI specs of express-openapi-validator', () => {
  const SPEC_YAML = [
    'openapi: 3.0.3',
    'info: { title: t, version: "1" }',
    'paths:',
    '  /users/{id}:',
    '    patch:',
    '      x-eov-operation-id: updateUser',
    '      x-eov-operation-handler: ./handlers/users.js',
    '      requestBody: { $ref: "#/components/requestBodies/user" }',
    '    put:',
    '      operationId: replaceUser',
    '      x-eov-operation-handler: handlers/users',
    '      requestBody:',
    '        content:',
    '          application/json: { schema: { $ref: "./schemas/user.yml" } }',
    '    delete:',
    '      operationId: deleteUser',
    '      responses: { "204": { description: gone } }',
    'components:',
    '  requestBodies:',
    '    user: { content: { application/json: { schema: { $ref: "#/components/schemas/User" } } } }',
    '  schemas:',
    '    User: { type: object, additionalProperties: false, properties: { name: { type: string } } }',
  ].join('\n');

  it('lists the operations routed to handlers, with whether their body schema is closed', () => {
    const c = configFactsOf('api/openapi.yml', SPEC_YAML);
    assert.equal(c?.kind, 'openapi');
    assert.deepEqual(c?.operations, [
      // a schema in another file is not followed: not known to be closed
      { handler: 'handlers/users', id: 'replaceUser', method: 'PUT', path: '/users/{id}', bodySchema: true, closedBody: false },
      // a shared requestBodies entry and a schema, both through local $refs: closed
      { handler: 'handlers/users', id: 'updateUser', method: 'PATCH', path: '/users/{id}', bodySchema: true, closedBody: true },
    ]);
  });

  it('reads JSON specs and Swagger 2 body parameters', () => {
    const spec = JSON.stringify({
      swagger: '2.0', info: { title: 't', version: '1' },
      paths: { '/notes': { post: { operationId: 'createNote', 'x-eov-operation-handler': 'notes', parameters: [{ in: 'body', name: 'b', schema: { type: 'object', properties: {} } }] } } },
    });
    assert.deepEqual(configFactsOf('swagger.json', spec)?.operations, [{ handler: 'notes', id: 'createNote', method: 'POST', path: '/notes', bodySchema: true, closedBody: false }]);
  });

  it('leaves out specs without operation handlers, broken specs and other YAML files', () => {
    assert.equal(configFactsOf('openapi.yml', SPEC_YAML.replace(/x-eov-operation-handler/g, 'x-handler')), undefined);
    assert.equal(configFactsOf('openapi.yml', 'openapi: 3.0.0\npaths: [x-eov-operation-handler\n  : :'), undefined);
    assert.equal(configFactsOf('docker-compose.yml', SPEC_YAML), undefined);
  });

  it('answers which operations a module export handles, by the end of the module path', () => {
    const model = modelOf({ 'src/api/openapi.yml': SPEC_YAML, 'src/api/handlers/users.ts': 'export const updateUser = [];\n' });
    assert.deepEqual(model.openApiOperations('src/api/handlers/users.ts', 'updateUser').map((o) => o.method), ['PATCH']);
    assert.deepEqual(model.openApiOperations('src/api/handlers/users.ts', 'deleteUser'), []);
    assert.deepEqual(model.openApiOperations('src/api/handlers/other-users.ts', 'updateUser'), []);
  });
});
