/**
 * The editor's architecture and its analysis worker, without VS Code (the real-VS-Code suites are in
 * test/integration): only src/extension imports `vscode`; the extension bundle carries no analysis code;
 * the worker answers the protocol the way the CLI reads a project (.shipsafe.json, excludes, .gitignore,
 * paths relative to the workspace folder).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, readFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Worker } from 'node:worker_threads';
import { bundleMetafile, findVscodeImports, readSources, vscodeInMetafile } from '../helpers/engine-purity';
import type { AnalyzeResponse, DiscoverResponse, EditorOverrides, ForgottenResponse, WorkerRequest, WorkerResponse } from '../../src/worker/protocol';

const root = join(__dirname, '..', '..');
type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

describe('extension layout', () => {
  it('only src/extension imports vscode', () => {
    const outside = readSources(join(root, 'src'), root).filter((f) => !f.path.startsWith('src/extension/'));
    assert.deepEqual(findVscodeImports(outside), []);
  });

  it('the worker imports only the engine, its own files and Node built-ins', () => {
    for (const f of readSources(join(root, 'src', 'worker'), root)) {
      for (const m of f.text.matchAll(/^(?:import|export)\b[^\n]*?\bfrom\s+'([^']+)'/gm)) {
        assert.ok(/^(\.\.\/engine(\/|$)|\.\/|node:)/.test(m[1]), `${f.path} imports ${m[1]}`);
      }
    }
  });

  it('the extension bundle holds no parser or analysis code (it loads in milliseconds; the worker loads those)', async () => {
    const meta = await bundleMetafile(join(root, 'src', 'extension', 'extension.ts'));
    const heavy = Object.keys(meta.inputs).filter((p) =>
      /node_modules[/\\](ts-morph|typescript|@ts-morph)[/\\]|src[/\\]engine[/\\](analyze|facts|rules|taint)\b/.test(p));
    assert.deepEqual(heavy, []);
  });

  it('the worker bundle does not pull in vscode', async () => {
    assert.deepEqual(vscodeInMetafile(await bundleMetafile(join(root, 'src', 'worker', 'worker.ts'))), []);
  });
});

describe('analysis worker', () => {
  let ws: string;
  let worker: Worker;
  let ready: Promise<WorkerResponse>;
  let nextId = 1;
  const pending = new Map<number, (m: WorkerResponse) => void>();
  const projectReady: string[] = [];
  const none: EditorOverrides = { rules: {}, exclude: [] };

  before(() => {
    ws = mkdtempSync(join(tmpdir(), 'shipsafe-worker-test-'));
    cpSync(join(root, 'test', 'integration', 'workspaces'), ws, { recursive: true });
    // the worker runs from source, through tsx
    const entry = join(root, 'src', 'worker', 'worker.ts');
    worker = new Worker(`require('tsx/cjs'); require(${JSON.stringify(entry)});`, { eval: true });
    ready = new Promise((res, rej) => {
      worker.on('error', rej);
      worker.on('message', (m: WorkerResponse) => {
        if (m.type === 'ready') { res(m); return; }
        if (m.type === 'projectReady') { projectReady.push(m.root); return; }
        pending.get(m.id)?.(m);
      });
    });
  });

  after(async () => {
    await worker.terminate();
    rmSync(ws, { recursive: true, force: true });
  });

  async function ask<T extends WorkerResponse>(req: WithoutId<WorkerRequest>): Promise<T> {
    await ready;
    const id = nextId++;
    return new Promise((res) => {
      pending.set(id, (m) => res(m as T));
      worker.postMessage({ ...req, id });
    });
  }

  const app = () => join(ws, 'app');

  it('says ready with the rule metadata', async () => {
    const m = await ready;
    assert.equal(m.type, 'ready');
    assert.ok(m.type === 'ready' && m.rules.some((r) => r.id === 'sql-injection'));
  });

  it('analyses editor text with the path relative to the workspace folder, as the CLI reports it', async () => {
    const path = join(app(), 'src', 'routes', 'users.js');
    const r = await ask<AnalyzeResponse>({ type: 'analyze', path, root: app(), overrides: none, timings: true, text: 'const express = require("express");\nconst { pool } = require("../db");\nconst router = express.Router();\nrouter.get("/u", async (req, res) => {\n  res.json(await pool.query("SELECT * FROM users WHERE id = " + req.query.id));\n});\n' });
    assert.equal(r.type, 'analyzed');
    assert.equal(r.enginePath, 'src/routes/users.js');
    const f = r.findings.find((x) => x.ruleId === 'sql-injection');
    assert.ok(f, 'the SQL finding');
    assert.equal(f.file, 'src/routes/users.js');
    assert.equal(f.related?.[0]?.file, 'src/routes/users.js');
    assert.ok(r.timings && r.timings.parseMs >= 0);
  });

  it('builds the folder\'s project model in the background, says so, then uses it: the driver of a pool from another file gives "Parameterize the query"', async () => {
    const fixes = join(ws, 'fixes');
    const path = join(fixes, 'src', 'routes', 'orders.js');
    const text = readFileSync(path, 'utf8');
    const req = { type: 'analyze' as const, path, root: fixes, overrides: none, timings: false, text, fixes: { ignore: false } };
    const first = await ask<AnalyzeResponse>(req);
    assert.equal(first.projectPending, true, 'the first analysis of a folder does not wait for its model');
    for (let i = 0; i < 200 && !projectReady.includes(fixes); i++) await new Promise((r) => setTimeout(r, 25));
    assert.ok(projectReady.includes(fixes), 'the worker says when the model is built');
    const second = await ask<AnalyzeResponse>(req);
    assert.equal(second.projectPending, undefined);
    const f = second.findings.find((x) => x.ruleId === 'sql-injection');
    assert.match(f?.fixes?.[0]?.title ?? '', /Parameterize the query \(\$1 placeholders/);
    // an edit in db.js reaches the model: a mysql pool now, so ? placeholders
    const db = join(fixes, 'src', 'db.js');
    await ask<AnalyzeResponse>({ type: 'analyze', path: db, root: fixes, overrides: none, timings: false, text: "const mysql = require('mysql2');\nmodule.exports = mysql.createPool({});\n" });
    const third = await ask<AnalyzeResponse>(req);
    assert.match(third.findings.find((x) => x.ruleId === 'sql-injection')?.fixes?.[0]?.title ?? '', /\? placeholders/);
  });

  it('reads files from disk when no text is given', async () => {
    const r = await ask<AnalyzeResponse>({ type: 'analyze', path: join(app(), 'src', 'routes', 'products.js'), root: app(), overrides: none, timings: false });
    assert.deepEqual(r.findings.map((f) => f.ruleId), ['sql-injection']);
  });

  it('honours exclude in .shipsafe.json (relative to the file) and in the settings (relative to the folder)', async () => {
    const legacy = await ask<AnalyzeResponse>({ type: 'analyze', path: join(app(), 'legacy', 'admin.js'), root: app(), overrides: none, timings: false });
    assert.equal(legacy.excluded, true);
    const bySetting = await ask<AnalyzeResponse>({ type: 'analyze', path: join(app(), 'src', 'routes', 'products.js'), root: app(), overrides: { rules: {}, exclude: ['src/routes/**'] }, timings: false });
    assert.equal(bySetting.excluded, true);
  });

  it('applies per-rule settings on top of .shipsafe.json', async () => {
    const path = join(app(), 'src', 'routes', 'products.js');
    const warn = await ask<AnalyzeResponse>({ type: 'analyze', path, root: app(), overrides: { rules: { 'sql-injection': 'warning' }, exclude: [] }, timings: false });
    assert.equal(warn.findings[0]?.severity, 'warning');
    const off = await ask<AnalyzeResponse>({ type: 'analyze', path, root: app(), overrides: { rules: { 'sql-injection': 'off' }, exclude: [] }, timings: false });
    assert.equal(off.findings.length, 0);
  });

  it('skips a file over the size limit with a reason', async () => {
    const r = await ask<AnalyzeResponse>({ type: 'analyze', path: join(app(), 'src', 'routes', 'big.js'), root: app(), overrides: { rules: {}, exclude: [], maxFileSizeKb: 1 }, timings: false, text: `// ${'x'.repeat(3000)}\nconst a = 1;\n` });
    assert.equal(r.skipped?.reason, 'too-large');
    assert.match(r.skipped?.detail ?? '', /KiB/);
  });

  it('lists the files of a folder honouring .gitignore, .shipsafe.json and the settings', async () => {
    const r = await ask<DiscoverResponse>({ type: 'discover', root: app(), overrides: { rules: {}, exclude: ['src/config/**'] }, respectGitignore: true });
    const rel = r.files.map((f) => relative(app(), f).split('\\').join('/')).sort();
    // config and text files too (the secret checks read them); legacy/ and src/config/ stay excluded
    assert.deepEqual(rel, ['.gitignore', '.shipsafe.json', 'package.json', 'src/db.js', 'src/routes/account.js', 'src/routes/orders.js', 'src/routes/products.js', 'src/routes/reports.js', 'src/routes/users.js']);
  });

  it('reports a broken .shipsafe.json and carries on with the defaults', async () => {
    writeFileSync(join(app(), '.shipsafe.json'), '{ "rulez": {} }');
    try {
      const r = await ask<AnalyzeResponse>({ type: 'analyze', path: join(app(), 'src', 'routes', 'products.js'), root: app(), overrides: none, timings: false });
      assert.match(r.configError ?? '', /unknown key "rulez"/);
      assert.equal(r.findings.length, 1);
    } finally {
      writeFileSync(join(app(), '.shipsafe.json'), '{ "exclude": ["legacy/**"] }');
    }
  });

  it('follows request data into other modules as files are analysed, and names the files to re-check', async () => {
    const layered = join(ws, 'layered');
    cpSync(join(root, 'test', 'projects', 'express-layered'), layered, { recursive: true });
    const dao = join(layered, 'dao', 'userDao.js');
    const daoSql = (r: AnalyzeResponse) => r.findings.filter((f) => f.ruleId === 'sql-injection' && f.confidence !== 'low').map((f) => f.range.startPos.line);
    // the DAO alone: its parameters come from nowhere it knows, so nothing at the default confidence
    assert.deepEqual(daoSql(await ask<AnalyzeResponse>({ type: 'analyze', path: dao, root: layered, overrides: none, timings: false })), []);
    // the route is opened: it passes request data to the DAO, which is named for a re-check
    const routes = join(layered, 'routes', 'users.js');
    const { readFileSync } = await import('node:fs');
    const text = readFileSync(routes, 'utf8');
    const r1 = await ask<AnalyzeResponse>({ type: 'analyze', path: routes, root: layered, overrides: none, timings: false, text });
    assert.ok(r1.dependents?.includes(dao), JSON.stringify(r1.dependents));
    const again = await ask<AnalyzeResponse>({ type: 'analyze', path: dao, root: layered, overrides: none, timings: false });
    assert.deepEqual(daoSql(again), [13]);
    const f = again.findings.find((x) => x.range.startPos.line === 13)!;
    assert.deepEqual(f.related?.filter((x) => x.flow).map((x) => `${x.file}:${x.range.startPos.line}`), ['routes/users.js:14', 'routes/users.js:14', 'dao/userDao.js:10']);
    // the same text again changes nothing: no re-check asked
    const r2 = await ask<AnalyzeResponse>({ type: 'analyze', path: routes, root: layered, overrides: none, timings: false, text });
    assert.equal(r2.dependents, undefined);
    // the route stops passing request data: the DAO is named again, and its finding goes
    const r3 = await ask<AnalyzeResponse>({ type: 'analyze', path: routes, root: layered, overrides: none, timings: false, text: text.replace('userDao.search(req.query.q, 20)', "userDao.search('all', 20)") });
    assert.ok(r3.dependents?.includes(dao));
    assert.deepEqual(daoSql(await ask<AnalyzeResponse>({ type: 'analyze', path: dao, root: layered, overrides: none, timings: false })), []);
  });

  it('takes an edited OpenAPI spec into the model and names its handlers for a re-check', async () => {
    const dir = join(ws, 'openapi');
    cpSync(join(root, 'test', 'fixtures', 'mass-assignment', 'openapi-workflows'), dir, { recursive: true });
    const handler = join(dir, 'handlers', 'workflows.js');
    const spec = join(dir, 'openapi.yml');
    const specText = readFileSync(spec, 'utf8');
    const massAssignments = async () => (await ask<AnalyzeResponse>({ type: 'analyze', path: handler, root: dir, overrides: none, timings: false }))
      .findings.filter((f) => f.ruleId === 'mass-assignment').map((f) => f.range.startPos.line);
    await massAssignments();
    for (let i = 0; i < 200 && !projectReady.includes(dir); i++) await new Promise((r) => setTimeout(r, 25));
    assert.ok(projectReady.includes(dir));
    // updateWorkflow's schema is closed (additionalProperties: false), createWorkflow's is open
    assert.deepEqual(await massAssignments(), [17]);
    // the spec is edited in the editor: updateWorkflow's schema opened up
    const opened = specText.replace(/(    workflow:\n      type: object\n)      additionalProperties: false\n/, '$1');
    assert.notEqual(opened, specText);
    const r = await ask<AnalyzeResponse>({ type: 'analyze', path: spec, root: dir, overrides: none, timings: false, text: opened });
    assert.deepEqual(r.dependents, [handler]);
    assert.deepEqual(await massAssignments(), [8, 17]);
    // the same text again changes nothing; closed again, the finding goes
    assert.equal((await ask<AnalyzeResponse>({ type: 'analyze', path: spec, root: dir, overrides: none, timings: false, text: opened })).dependents, undefined);
    await ask<AnalyzeResponse>({ type: 'analyze', path: spec, root: dir, overrides: none, timings: false, text: specText });
    assert.deepEqual(await massAssignments(), [17]);
  });

  it('forgets a deleted file or folder: the files it passed request data to are named, and lose what it passed', async () => {
    const layered = join(ws, 'layered');
    const dao = join(layered, 'dao', 'userDao.js');
    const routes = join(layered, 'routes', 'users.js');
    const daoSql = (r: AnalyzeResponse) => r.findings.filter((f) => f.ruleId === 'sql-injection' && f.confidence !== 'low').map((f) => f.range.startPos.line);
    await ask<AnalyzeResponse>({ type: 'analyze', path: routes, root: layered, overrides: none, timings: false });
    assert.deepEqual(daoSql(await ask<AnalyzeResponse>({ type: 'analyze', path: dao, root: layered, overrides: none, timings: false })), [13]);
    // the routes folder is deleted (one event for the folder, as file watchers report it)
    rmSync(join(layered, 'routes'), { recursive: true, force: true });
    const gone = await ask<ForgottenResponse>({ type: 'forget', path: join(layered, 'routes'), root: layered });
    assert.equal(gone.type, 'forgotten');
    assert.ok(gone.removed >= 1, JSON.stringify(gone));
    assert.ok(gone.dependents?.includes(dao), JSON.stringify(gone.dependents));
    assert.deepEqual(daoSql(await ask<AnalyzeResponse>({ type: 'analyze', path: dao, root: layered, overrides: none, timings: false })), []);
    // forgetting it again, or a path the worker never saw, changes nothing
    assert.equal((await ask<ForgottenResponse>({ type: 'forget', path: join(layered, 'routes'), root: layered })).removed, 0);
    assert.equal((await ask<ForgottenResponse>({ type: 'forget', path: join(layered, 'nothing-here.js'), root: layered })).removed, 0);
  });
});
