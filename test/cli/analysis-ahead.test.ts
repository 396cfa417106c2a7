/**
 * A file's analysis run ahead, in the project model's pre-pass, with a model that knows only the file's own facts
 * (src/cli/analysis-ahead.ts): the scan's results must be those of the analysis run after the model is built.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { analyseAhead, declaresRoutes, mayTakeFromOtherModules, ownFactsModel, waitsForModel } from '../../src/cli/analysis-ahead';
import { batchInThisThread, buildScanModel, dependsOnOtherModules, scanFilesWithBudget, type ParsedForModel } from '../../src/cli/pool-scan';
import { projectTaintOf } from '../../src/engine/project/taint-prepass';
import { parseForModel } from '../../src/engine/analyze';
import { DEFAULT_CONFIG } from '../../src/engine/config/config';
import { discover } from '../../src/engine/project/discover';
import { buildProjectModel, moduleFactsOf } from '../../src/engine/project-model/build';
import { ProjectModel } from '../../src/engine/project-model/model';
import { allRules } from '../../src/engine/rules';
import { noiseCorpusList } from '../helpers/fixtures';
import { cleanup, tempDir, writeFiles } from './_util';

const REPO = join(__dirname, '..', '..');

/** The multi-file apps of the tests: test/projects/* and the fixture apps (a folder of test/fixtures/<rule>/ with a package.json). */
function testApps(): string[] {
  const projects = readdirSync(join(REPO, 'test', 'projects')).map((d) => join(REPO, 'test', 'projects', d));
  const fixtures = readdirSync(join(REPO, 'test', 'fixtures')).flatMap((rule) => {
    const dir = join(REPO, 'test', 'fixtures', rule);
    return statSync(dir).isDirectory() ? readdirSync(dir).map((d) => join(dir, d)).filter((d) => existsSync(join(d, 'package.json'))) : [];
  });
  return [...projects, ...fixtures].filter((d) => statSync(d).isDirectory());
}

/**
 * A small app whose files analysed ahead have findings (an HTML sink in a component; a weak hash, a guessable token
 * and a hard-coded signing secret in a helper module), and a file the parser stumbles on; written to a temp folder.
 */
function notesApp(): string {
  const dir = tempDir('shipsafe-ahead-');
  writeFiles(dir, {
    'package.json': JSON.stringify({ name: 'notes', private: true, dependencies: { express: '^4.19.2', jsonwebtoken: '^9.0.2', react: '^18.3.1' } }),
    'src/lib/tokens.js': [
      "const crypto = require('crypto');",
      "const jwt = require('jsonwebtoken');",
      'function resetToken() {',
      '  return Math.random().toString(36).slice(2);',
      '}',
      'function passwordDigest(password) {',
      "  return crypto.createHash('md5').update(password).digest('hex');",
      '}',
      'function sessionToken(user) {',
      "  return jwt.sign({ sub: user.id }, 'notes-app-secret-2024');",
      '}',
      'module.exports = { resetToken, passwordDigest, sessionToken };',
    ].join('\n'),
    'src/components/Bio.jsx': 'export function Bio({ profile }) {\n  return <section className="bio" dangerouslySetInnerHTML={{ __html: profile.bio }} />;\n}\n',
    'src/lib/half.ts': 'export function half(a: number {\n  return a / 2;\n}\n',
    'src/server.js': [
      "const express = require('express');",
      "const { resetToken } = require('./lib/tokens');",
      'const app = express();',
      "app.post('/reset', (req, res) => res.json({ token: resetToken() }));",
      'app.listen(3000);',
    ].join('\n'),
  });
  return dir;
}

describe('the model a file sees before the model is built', () => {
  const facts = moduleFactsOf('src/util.js', "import { db } from './db';\nexport function find(id) { return db.query('select 1', [id]); }\n");

  it('answers the file\'s own facts, itself for those facts, and no routes for a file that declares none', () => {
    const own = ownFactsModel(facts);
    assert.ok(own.model instanceof ProjectModel);
    assert.equal(own.model.withFile(facts), own.model);
    assert.equal(own.model.facts('src/util.js'), facts);
    assert.deepEqual(own.model.routesIn('src/util.js'), []);
    assert.equal(own.missed(), false);
  });

  it('marks the run as missed for anything only the whole model knows', () => {
    const asks: [string, (m: ProjectModel) => unknown][] = [
      ['another file\'s facts', (m) => m.facts('src/db.js')],
      ['the model with other facts', (m) => m.withFile({ ...facts })],
      ['another file\'s routes', (m) => m.routesIn('src/db.js')],
      ['the route table', (m) => m.routes()],
      ['the apps', (m) => m.apps()],
      ['an import', (m) => m.resolveImport('src/util.js', './db')],
      ['a tooling script (no configuration files given)', (m) => m.toolingScript('src/util.js')],
      ['whether it holds a file', (m) => m.has('src/db.js')],
      ['its files', (m) => m.files()],
      ['its keys', (m) => Object.keys(m)],
      ['a member by `in`', (m) => 'routes' in m],
      ['a property written', (m) => { (m as unknown as Record<string, unknown>).x = 1; }],
    ];
    for (const [what, ask] of asks) {
      const own = ownFactsModel(facts);
      assert.throws(() => ask(own.model), /before it was built/, what);
      assert.equal(own.missed(), true, what);
    }
  });

  it('misses the routes of a file that declares some', () => {
    const routes = moduleFactsOf('routes/users.js', "const router = require('express').Router();\nrouter.get('/users/:id', (req, res) => res.json({}));\nmodule.exports = router;\n");
    assert.ok(declaresRoutes(routes));
    const own = ownFactsModel(routes);
    assert.throws(() => own.model.routesIn('routes/users.js'));
    assert.equal(own.missed(), true);
    // and such a file is not analysed ahead at all: its analysis waits for the model
    const text = "const router = require('express').Router();\nrouter.get('/users/:id', (req, res) => res.json({}));\nmodule.exports = router;\n";
    const parse = parseForModel('routes/users.js', text, DEFAULT_CONFIG, true)!.parse;
    assert.deepEqual(analyseAhead('routes/users.js', text, parse, { rules: allRules, config: DEFAULT_CONFIG, reportSyntaxErrors: true }), { ran: false });
  });

  it('answers what the whole model answers alike, for every file of the test apps (and of the noise corpus when downloaded)', () => {
    let files = 0, withRoutes = 0, answered = 0, scripts = 0;
    const check = (model: ProjectModel, app: string) => {
      const configs = model.configFacts();
      for (const file of model.files()) {
        const m = model.facts(file)!;
        files++;
        if (model.routesIn(file).length) withRoutes++;
        if (model.toolingCandidate(file) !== undefined) scripts++;
        // each question to a fresh model: a miss throws
        const ask = (q: (x: ProjectModel) => unknown, what: string) => {
          const own = ownFactsModel(m, configs);
          let got: unknown;
          try { got = q(own.model); } catch { assert.ok(own.missed(), `${app}: ${file}: ${what} threw without a miss`); return; }
          answered++;
          assert.deepEqual(got, q(model), `${app}: ${file}: ${what}`);
        };
        ask((x) => x.routesIn(file), 'routesIn');
        ask((x) => x.toolingScript(file), 'toolingScript');
        ask((x) => x.dependencyVersion(file, 'express'), 'dependencyVersion');
        ask((x) => x.withFile(m) === x, 'withFile');
        ask((x) => x.facts(file), 'facts');
        // a file that declares no route has none in the whole model (ProjectModel.derive)
        if (!declaresRoutes(m)) assert.deepEqual(model.routesIn(file), [], `${app}: ${file}`);
      }
    };
    for (const app of testApps()) {
      const found = readdirSync(app, { recursive: true }).map(String).filter((f) => /\.[cm]?[jt]sx?$|package\.json$|tsconfig\.json$/.test(f) && !f.includes('node_modules'));
      check(buildProjectModel(found.map((f) => join(app, f)), app).model, app);
    }
    // an app with tooling: scripts that run a broker (no module imports it) and a library (one does)
    const dir = tempDir('shipsafe-ahead-');
    try {
      const files: Record<string, string> = {
        'package.json': JSON.stringify({ name: 'shop', main: 'src/server.js', scripts: { start: 'node src/server.js', broker: 'node ./tools/broker.js', lib: 'node src/lib.js' }, dependencies: { express: '^4.19.0' } }),
        'src/server.js': "const app = require('express')();\nrequire('./uses-lib');\napp.listen(3000);\n",
        'src/uses-lib.js': "require('./lib');\n",
        'src/lib.js': 'module.exports = 1;\n',
        'tools/broker.js': "require('net').createServer(() => {}).listen(1883);\n",
      };
      writeFiles(dir, files);
      const { model } = buildProjectModel(Object.keys(files).map((f) => join(dir, f)), dir);
      assert.equal(model.toolingScript('tools/broker.js'), 'broker');
      assert.equal(model.toolingScript('src/lib.js'), undefined);
      check(model, 'tooling app');
    } finally {
      cleanup(dir);
    }
    for (const id of ['nodebb@1.4.0', 'ghost@6.65.0', 'directus-api@39.2.1']) {
      const list = noiseCorpusList(id);
      if (!list) continue;
      const all = readFileSync(list, 'utf8').split('\n').filter(Boolean);
      const root = join(dirname(list), 'apps', id);
      const { model } = buildProjectModel([...all, ...readdirSync(root, { recursive: true }).map(String).filter((f) => /(^|\/)package\.json$/.test(f) && !f.includes('node_modules')).map((f) => join(root, f))], root);
      check(model, id);
    }
    assert.ok(files > 300 && withRoutes > 40 && answered > 4 * files && scripts > 0, `${files} files, ${withRoutes} with routes, ${answered} answers, ${scripts} run by scripts`);
  });

  it('answers tooling scripts and dependencies from the configuration files', () => {
    const pkg = { file: 'package.json', kind: 'package' as const, dependencies: { express: '^4.19.0' }, scripts: { seed: 'node scripts/seed.js', start: 'node server.js' } };
    const seed = moduleFactsOf('scripts/seed.js', "const { Pool } = require('pg');\nnew Pool().query('delete from users');\n");
    const util = moduleFactsOf('src/util.js', 'export const two = 2;\n');
    const own = ownFactsModel(util, [pkg]);
    assert.equal(own.model.toolingScript('src/util.js'), undefined);
    assert.equal(own.model.dependencyVersion('src/util.js', 'express'), '^4.19.0');
    assert.equal(own.missed(), false);
    // a script runs seed.js: whether a module imports it decides, which only the whole model knows
    const seeded = ownFactsModel(seed, [pkg]);
    assert.throws(() => seeded.model.toolingScript('scripts/seed.js'), /before it was built/);
    assert.equal(seeded.missed(), true);
    // without the configuration files, neither is answered
    const bare = ownFactsModel(util);
    assert.throws(() => bare.model.dependencyVersion('src/util.js', 'express'), /before it was built/);
  });
});

describe('which files wait for the model', () => {
  it('a file that takes data from other modules is one that may (test apps, and Directus\'s API when downloaded)', async () => {
    let files = 0, depend = 0, may = 0;
    const check = async (paths: string[], root: string, name: string) => {
      const { model, parsed } = await buildScanModel(paths, root, { inProcess: true, summarize: DEFAULT_CONFIG });
      const project = projectTaintOf(parsed.summaries!, paths, root, (from, spec) => model.resolveImport(from, spec) ?? undefined);
      for (const s of parsed.summaries!) {
        files++;
        const m = mayTakeFromOtherModules(s);
        if (m) may++;
        if (dependsOnOtherModules(project, s.file)) { depend++; assert.ok(m, `${name}: ${s.file}`); }
      }
    };
    for (const app of testApps()) await check((await discover(app, { projectRoot: app })).files.sort(), app, app);
    const list = noiseCorpusList('directus-api@39.2.1');
    if (list) await check(readFileSync(list, 'utf8').split('\n').filter(Boolean), join(dirname(list), 'apps', 'directus-api@39.2.1'), 'directus');
    assert.ok(depend >= 10 && may < files, `${depend} of ${files} files take data from other modules, ${may} may`);
  });

  it('waits in an app where many files pass request data to other modules, not in a front-end', () => {
    assert.equal(waitsForModel(3, 1020), false, 'Strapi\'s admin');
    assert.equal(waitsForModel(24, 1719), false, 'Ghost');
    assert.equal(waitsForModel(49, 816), true, 'Directus\'s API');
    assert.equal(waitsForModel(7, 20), false, 'too few to tell');
  });
});

describe('a scan with the analyses run ahead', () => {
  it('gives the results of the scan without them, on every multi-file test app', async () => {
    let ahead = 0, total = 0, findingsAhead = 0;
    const notes = notesApp();
    try {
      for (const app of [...testApps(), notes]) {
        const files = (await discover(app, { projectRoot: app })).files.sort();
        const scan = async (analyse: boolean) => {
          const { model, parsed } = await buildScanModel(files, app, {
            inProcess: true, summarize: DEFAULT_CONFIG,
            ...(analyse ? { analyse: { rules: allRules, config: DEFAULT_CONFIG, reportSyntaxErrors: true } } : {}),
          });
          let taken = 0;
          const offered = new Set<string>();
          const counted: ParsedForModel = { ...parsed, analysed: (rel) => { const a = parsed.analysed?.(rel); if (a) { taken++; offered.add(rel); } return a; } };
          const out = await scanFilesWithBudget(files, { config: DEFAULT_CONFIG, rules: allRules, root: app, budgetMs: 20_000, inProcessUpTo: Infinity, project: model, parsed: counted });
          return { out, taken, offered };
        };
        const before = await scan(false);
        const now = await scan(true);
        assert.equal(before.taken, 0);
        assert.deepEqual(now.out, before.out, app);
        ahead += now.taken;
        total += files.length;
        findingsAhead += now.out.results.filter((r) => now.offered.has(r.file)).reduce((n, r) => n + r.findings.length, 0);
      }
    } finally {
      cleanup(notes);
    }
    // most files of these small apps declare routes or receive request data from another module: still, many are
    // analysed ahead, some with findings
    assert.ok(ahead > 100 && findingsAhead >= 5, `${ahead} of ${total} files analysed ahead, with ${findingsAhead} findings`);
  });

  it('takes no result run ahead with other rules or another configuration than its own', async () => {
    const app = notesApp();
    try {
      const files = (await discover(app, { projectRoot: app })).files.sort();
      const aheadWith = { rules: allRules, config: DEFAULT_CONFIG, reportSyntaxErrors: true };
      const cases = [
        ['without a rule', allRules.filter((r) => r.meta.id !== 'react-dangerous-html'), DEFAULT_CONFIG, true],
        ['a rule turned off', allRules, { ...DEFAULT_CONFIG, rules: { ...DEFAULT_CONFIG.rules, 'insecure-randomness': 'off' as const } }, true],
        ['another confidence', allRules, { ...DEFAULT_CONFIG, minConfidence: 'high' as const }, true],
        ['without syntax errors', allRules, DEFAULT_CONFIG, false],
      ] as const;
      for (const [what, rules, config, reportSyntaxErrors] of cases) {
        const { model, parsed } = await buildScanModel(files, app, { inProcess: true, summarize: DEFAULT_CONFIG, analyse: aheadWith });
        let offered = 0;
        const counted: ParsedForModel = { ...parsed, analysed: (rel) => { const a = parsed.analysed?.(rel); if (a) offered++; return a; } };
        const out = await scanFilesWithBudget(files, { config, rules, root: app, budgetMs: 20_000, inProcessUpTo: Infinity, project: model, parsed: counted, reportSyntaxErrors });
        const plain = await buildScanModel(files, app, { inProcess: true, summarize: DEFAULT_CONFIG });
        const expected = await scanFilesWithBudget(files, { config, rules, root: app, budgetMs: 20_000, inProcessUpTo: Infinity, project: plain.model, parsed: plain.parsed, reportSyntaxErrors });
        assert.ok(offered >= 3, what);
        assert.deepEqual(out, expected, what);
      }
    } finally {
      cleanup(app);
    }
  });
});

describe('the per-file time budget, with analyses run ahead', () => {
  it('a job of a batched call is told whether a step it starts now still has the whole budget', () => {
    // budget 100 ms: a call starts another job only in its first 10 ms (its slack), and so may a job's own step
    const seen: boolean[] = [];
    const attempts = batchInThisThread([
      (fresh) => { seen.push(fresh()); const t = performance.now(); while (performance.now() - t < 30) { /* busy */ } seen.push(fresh()); return 1; },
      (fresh) => { seen.push(fresh()); return 2; },
    ], 100);
    assert.deepEqual(attempts.map((a) => a.kind === 'done' && a.value), [1, 2]);
    // the first job: fresh at its start, not after 30 ms; the second ran in a call of its own, fresh again
    assert.deepEqual(seen, [true, false, true]);
  });

  it('a file whose pre-pass used up the slack of its call is analysed after the model, with its own budget', async () => {
    const dir = tempDir();
    try {
      // a plain module (no routes, no request data): analysed ahead when time allows
      const body = Array.from({ length: 1500 }, (_, i) => `export function f${i}(a, b) { const m = new Map([[a, b]]); return m.get(a) ?? \`\${a}-\${b}-${i}\`; }`).join('\n');
      writeFiles(dir, { 'src/util.js': body, 'src/other.js': "export const x = 1;\n" });
      const files = [join(dir, 'src/other.js'), join(dir, 'src/util.js')];
      // the pre-pass of util.js alone, at its quickest (JIT warm): the budget is five times that, so its slack (a
      // tenth of the budget) is half of it
      for (let i = 0; i < 3; i++) parseForModel('src/util.js', body, DEFAULT_CONFIG, true);
      let quickest = Infinity;
      for (let i = 0; i < 5; i++) { const t = performance.now(); parseForModel('src/util.js', body, DEFAULT_CONFIG, true); quickest = Math.min(quickest, performance.now() - t); }
      const run = async (budgetMs: number) => {
        const { parsed } = await buildScanModel(files, dir, { inProcess: true, budgetMs, summarize: DEFAULT_CONFIG, analyse: { rules: allRules, config: DEFAULT_CONFIG, reportSyntaxErrors: true } });
        return { ahead: !!parsed.analysed?.('src/util.js'), kept: !!parsed.take('src/util.js'), interrupted: !!parsed.interrupted };
      };
      assert.deepEqual(await run(20_000), { ahead: true, kept: false, interrupted: false });
      const tight = await run(Math.max(5, Math.round(quickest * 5)));
      // (a machine stalled for several times the pre-pass runs out of the budget itself: nothing to say then)
      if (!tight.interrupted) assert.deepEqual(tight, { ahead: false, kept: true, interrupted: false }, `budget ${Math.round(quickest * 5)} ms`);
    } finally {
      cleanup(dir);
    }
  });
});
