/**
 * What a file analysed alone can hold, told before its project of one file is built (src/engine/util/lone-file.ts):
 * each answer must be yes wherever that project has what the rules look for, on every file of the fixtures, test
 * projects and examples, and on routes written in odd ways (escapes, chains, Fastify's route options, koa's del).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ts } from 'ts-morph';
import { parseForAnalysis, summarizeForAnalysis } from '../../src/engine/analyze';
import { DEFAULT_CONFIG } from '../../src/engine/config/config';
import { extractModuleFacts } from '../../src/engine/project-model/extract';
import { ProjectModel } from '../../src/engine/project-model/model';
import { calleeName, calleeObject, unwrap } from '../../src/engine/util/ast';
import { mayNameServiceReceiver } from '../../src/engine/rules/data/unvalidated-input-to-database';
import { mayCreateExpressOrHonoApp, mayMountStateRoute, mayStartAppWithoutCall, namesExpressOrHono, START_CALLS, STATE_ROUTE_CALLS } from '../../src/engine/util/lone-file';
import { sourceFilesUnder } from '../helpers/fixtures';

const root = join(__dirname, '..', '..');
const STATE_METHODS = new Set(['post', 'put', 'patch', 'delete', 'all']);

/** A file's project of one file, as analyze.ts builds it for a file analysed alone, and the gates' answers. */
function alone(file: string, text: string) {
  const sf = parseForAnalysis(file, text)!;
  const s = summarizeForAnalysis(sf, text, DEFAULT_CONFIG)!;
  const nodes = s.prepared.nodes;
  const project = new ProjectModel({ modules: [extractModuleFacts(s.prepared.sourceFile, file, { nodes, lazySession: true })], configs: [] });
  const names = new Set(STATE_ROUTE_CALLS);
  const mayRoute = nodes.some((n) => (ts.isCallExpression(n) || ts.isNewExpression(n)) && names.has(calleeName(n) ?? '') && mayMountStateRoute(n));
  const routes = project.routesIn(file);
  const starts = new Set(START_CALLS);
  const startCall = nodes.some((n) => (ts.isCallExpression(n) || ts.isNewExpression(n)) && starts.has(calleeName(n) ?? ''));
  return {
    started: project.apps().filter((a) => a.listenedIn.length > 0),
    mayStart: startCall || mayStartAppWithoutCall(s.prepared.sourceFile),
    stateRoutes: routes.filter((r) => STATE_METHODS.has(r.method) && r.framework !== 'next'),
    appRoutes: routes.filter((r) => (r.framework === 'express' || r.framework === 'hono') && r.app),
    apps: project.apps().filter((a) => a.fw === 'express' || a.fw === 'hono'),
    mayRoute,
    mayApp: mayCreateExpressOrHonoApp(text),
  };
}

describe('a file analysed alone', () => {
  it('has a route that changes state only if one of its calls may mount one, and an Express or Hono app only if it names the module (every fixture, project and example file)', () => {
    const files = ['test/fixtures', 'test/projects', 'examples'].flatMap((d) => sourceFilesUnder(join(root, d)));
    let analysed = 0, withStateRoutes = 0, withApps = 0, gatedRoutes = 0, gatedApps = 0, withStarted = 0, gatedStarts = 0;
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      const sf = parseForAnalysis(file, text);
      if (!sf || !summarizeForAnalysis(sf, text, DEFAULT_CONFIG)) continue;
      analysed++;
      const a = alone(file, text);
      if (a.stateRoutes.length) { withStateRoutes++; assert.ok(a.mayRoute, `${file}: routes ${a.stateRoutes.map((r) => `${r.method} ${r.path}`).join(', ')}`); }
      if (a.apps.length || a.appRoutes.length) { withApps++; assert.ok(a.mayApp, `${file}: apps ${a.apps.map((x) => x.name).join(', ')}`); }
      if (a.started.length) { withStarted++; assert.ok(a.mayStart, `${file}: apps started ${a.started.map((x) => x.name).join(', ')}`); }
      if (!a.mayStart) gatedStarts++;
      if (!a.mayRoute) gatedRoutes++;
      if (!a.mayApp) gatedApps++;
    }
    assert.ok(analysed > 100, `${analysed} files`);
    // the comparison is not empty, and the gates do say no somewhere
    assert.ok(withStateRoutes > 20 && withApps > 20, `${withStateRoutes} files with routes that change state, ${withApps} with apps`);
    assert.ok(gatedRoutes > 20 && gatedApps > 20, `${gatedRoutes} files without, ${gatedApps} without an app`);
    assert.ok(withStarted > 20 && gatedStarts > 20, `${withStarted} files that start an app, ${gatedStarts} that cannot`);
  });

  it('routes and apps written in odd ways are seen', () => {
    const cases: { text: string; route?: boolean; app?: boolean }[] = [
      { text: `const express = require('express');\nconst app = express();\napp.post('/x', (req, res) => res.send('ok'));\napp.listen(3000);`, route: true, app: true },
      { text: `const express = require('expr\\u0065ss');\nconst app = express();\napp.p\\u006fst('/x', (req, res) => res.send('ok'));\napp.listen(3000);`, route: true, app: true },
      { text: `import e from "\\x65xpress";\nconst app = e();\napp.route('/x').get((req, res) => res.send('a')).post((req, res) => res.send('b'));\napp.listen(3000);`, route: true, app: true },
      { text: 'const express = require(`express`);\nconst app = express();\n(app.delete)(\'/x/:id\', (req, res) => res.end());\napp.listen(3000);', route: true, app: true },
      { text: `import { Hono } from 'hono';\nconst app = new Hono();\napp.put('/x', (c) => c.text('ok'));\nexport default app;`, route: true, app: true },
      { text: `import Router from '@koa/router';\nconst router = new Router();\nrouter.del('/x/:id', async (ctx) => { ctx.body = 'ok'; });\nexport default router;`, route: true },
      { text: `export default async function (app) {\n  app.route({ method: 'POST', url: '/x', handler: async () => 'ok' });\n}`, route: true },
      { text: `module.exports = (app) => { app.all('/x', (req, res) => res.end()); };`, route: true },
      { text: `import { Hono } from 'hono';\nimport { serve } from '@hono/node-server';\nconst app = new Hono();\napp.delete('/x/:id', (c) => c.text('ok'));\nserve({ fetch: app.fetch, port: 3000 });`, route: true, app: true },
      { text: `import { Hono } from 'hono';\nconst app = new Hono();\napp.post('/x', (c) => c.text('ok'));\nexport default { fetch: app.fetch };`, route: true, app: true },
      { text: `import { Hono } from 'hono';\nconst app = new Hono();\napp.post('/x', (c) => c.text('ok'));\nBun.serve(app);`, route: true, app: true },
      { text: `const http = require('http');\nconst app = require('express')();\napp.post('/x', h);\nhttp.createServer(app).listen(3000);`, route: true, app: true },
      { text: `const express = require('express');\nconst app = express();\napp.post('/x', h);\nrequire('http').createServer(app);`, route: true, app: true },
      { text: `const r = require('express').Router();\nr.patch('/x', h);\nmodule.exports = r;`, route: true, app: true },
    ];
    for (const c of cases) {
      const a = alone('/app/src/server.js', c.text);
      if (c.route) assert.ok(a.stateRoutes.length > 0, `the project finds a route in: ${c.text}`);
      if (c.app) assert.ok(a.apps.length > 0 || c.text.includes('Router()'), `the project finds an app in: ${c.text}`);
      assert.ok(!a.stateRoutes.length || a.mayRoute, c.text);
      assert.ok(!(a.apps.length || a.appRoutes.length) || a.mayApp, c.text);
      assert.ok(!a.started.length || a.mayStart, c.text);
    }
    // calls that mount nothing
    for (const t of ['Promise.all([a, b]);', 'map.delete(key);', 'cache.put(k);', 'post(x, y);', 'this._hooks.post(\'exec\', fn);', 'this.route(path);', 'a.b.delete(x, y);', 'app.route(\'/api\', users);']) {
      const sf = parseForAnalysis('/app/a.js', t)!;
      const call = (sf.statements[0] as ts.ExpressionStatement).expression as ts.CallExpression;
      assert.equal(mayMountStateRoute(call), false, t);
    }
    for (const t of ['app.post(\'/x\', h);', 'this.put(\'/x\', h);', 'r.route(\'/x\').all(h);', '(app).route({ url: \'/x\' });']) {
      const sf = parseForAnalysis('/app/a.js', t)!;
      const call = (sf.statements[0] as ts.ExpressionStatement).expression as ts.CallExpression;
      assert.equal(mayMountStateRoute(call), true, t);
    }
  });
});

describe('whole-text gates of visitors', () => {
  it('namesExpressOrHono answers as /[\'"`](?:express|hono)[\'"`]/ on every fixture, project and example file and line, and on odd texts', () => {
    const RE = /['"`](?:express|hono)['"`]/;
    const texts: string[] = [];
    for (const file of ['test/fixtures', 'test/projects', 'examples'].flatMap((d) => sourceFilesUnder(join(root, d)))) {
      const text = readFileSync(file, 'utf8');
      texts.push(text, ...text.split('\n'));
    }
    for (const w of ['express', 'hono']) {
      for (const [a, b] of [['\'', '\''], ['"', '"'], ['`', '`'], ['\'', '"'], ['(', ')'], ['', ''], ['\'', ''], ['', '\'']]) texts.push(`${a}${w}${b}`, `x${a}${w}${b}y`, `${a}${w}s${b}`, `${a}${w}${w}${b}`, `${a}p${w}${b}`);
    }
    let yes = 0;
    for (const t of texts) { const want = RE.test(t); assert.equal(namesExpressOrHono(t), want, JSON.stringify(t.slice(0, 80))); if (want) yes++; }
    assert.ok(yes > 50, `${yes} texts name them`);
  });

  it('a text whose calls have a service receiver (unvalidated-input-to-database) is one mayNameServiceReceiver lets through (every fixture, project and example file; escaped names)', () => {
    const files = ['test/fixtures', 'test/projects', 'examples'].flatMap((d) => sourceFilesUnder(join(root, d)));
    const RECEIVER = /(service|services|svc|manager|usecase|interactor)$/i;
    let withService = 0, gated = 0;
    const check = (file: string, text: string) => {
      const sf = parseForAnalysis(file, text);
      const s = sf && summarizeForAnalysis(sf, text, DEFAULT_CONFIG);
      if (!s) return;
      const has = s.prepared.nodes.some((n) => {
        if (!ts.isCallExpression(n)) return false;
        const recv = calleeObject(n);
        const u = recv && unwrap(recv);
        const name = u && (ts.isIdentifier(u) ? u.text : ts.isPropertyAccessExpression(u) ? u.name.text : undefined);
        return !!name && RECEIVER.test(name);
      });
      const may = mayNameServiceReceiver(text);
      if (has) { withService++; assert.ok(may, file); }
      if (!may) gated++;
    };
    for (const file of files) check(file, readFileSync(file, 'utf8'));
    assert.ok(withService > 5 && gated > 100, `${withService} files with a service receiver, ${gated} without`);
    const before = withService;
    for (const t of ['postsS\\u0065rvice.create({ title: req.body.title });', 'this.user\\u{4D}anager.save(x);', 'this.#svc.create(x);', 'a.b.ordersUseCase.add(x);']) check('/app/src/x.ts', t);
    assert.equal(withService, before + 4);
  });
});
