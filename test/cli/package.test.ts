/**
 * The npm package, as a user gets it: the CLI built for production, packed with `npm pack` from the manifest's
 * `files` allowlist, installed from the tarball into an empty project with no registry and no cache, and run
 * with `npx shipsafe scan`. The package must hold the bundles and their data (the WebAssembly Python parser, the
 * shared TypeScript compiler, the scan threads) and nothing else: no sources, tests, maps or dependencies.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { buildAll } from '../../src/tools/build';
import { cleanup, SQL_FLAW, tempDir, writeFiles } from './_util';

const root = resolve(__dirname, '..', '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  files: string[]; bin: Record<string, string>; scripts: Record<string, string>; dependencies?: Record<string, string>; license: string;
};
const MAX_PACKED = 3 * 1024 * 1024;

/** A Flask view with a SQL injection: proves the Python parser (WebAssembly) loads from the package. */
const PY_FLAW = `import sqlite3
from flask import Flask, request

app = Flask(__name__)

@app.route("/users")
def users():
    db = sqlite3.connect("app.db")
    rows = db.execute(f"SELECT * FROM users WHERE name = '{request.args['name']}'").fetchall()
    return {"users": rows}
`;

interface PackResult { filename: string; size: number; unpackedSize: number; entryCount: number; files: { path: string; size: number }[] }

/** npm with no registry (an address nothing listens on) and an empty cache: everything must come from the tarball. */
function npm(args: string[], cwd: string, cache: string) {
  const env: NodeJS.ProcessEnv = { ...process.env, npm_config_registry: 'http://127.0.0.1:9/', npm_config_cache: cache, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };
  for (const k of Object.keys(env)) if (/^npm_(lifecycle|package)_/.test(k)) delete env[k];
  return spawnSync('npm', args, { cwd, env, encoding: 'utf8', timeout: 180_000 });
}

describe('npm package (npm pack → offline install → npx shipsafe scan)', () => {
  let work: string;
  let pack: PackResult;
  let tarball: string;
  let built: string[];

  before(async () => {
    work = tempDir('shipsafe-pack-');
    // a copy of the package's own files, plus what a working checkout's dist/ also holds (maps, the extension's
    // bundles), which the allowlist must leave out
    const stage = join(work, 'stage');
    mkdirSync(stage);
    for (const f of ['package.json', 'README.md', 'CHANGELOG.md', 'LICENSE', 'media/docs/rules']) cpSync(join(root, f), join(stage, f), { recursive: true });
    built = await buildAll({ outdir: join(stage, 'dist'), production: true, only: ['cli'], quiet: true });
    writeFiles(stage, { 'dist/cli.js.map': '{}', 'dist/extension.js': '// the extension', 'src/cli/main.ts': '', 'test/x.test.ts': '' });
    const r = npm(['pack', '--ignore-scripts', '--json', '--pack-destination', work], stage, join(work, 'cache'));
    assert.equal(r.status, 0, r.stderr);
    [pack] = JSON.parse(r.stdout) as PackResult[];
    tarball = join(work, pack.filename);
  });
  after(() => cleanup(work));

  it('installs nothing but itself: no runtime dependencies; a git install builds the CLI (prepare)', () => {
    assert.deepEqual(Object.keys(manifest.dependencies ?? {}), [], 'the CLI is a self-contained bundle: dependencies belong in devDependencies');
    assert.match(manifest.scripts.prepare ?? '', /src\/tools\/build\.ts --production --only cli\b/);
    assert.equal(manifest.bin.shipsafe, 'dist/cli.js');
    assert.match(readFileSync(join(root, 'LICENSE'), 'utf8'), new RegExp(`^${manifest.license} License`), 'LICENSE matches the manifest');
  });

  it('holds the bundles and their data, nothing else, in at most 3 MB', () => {
    const paths = pack.files.map((f) => f.path).sort();
    const stageDist = join(work, 'stage', 'dist');
    for (const f of built) assert.ok(paths.includes(`dist/${relative(stageDist, f)}`), `the built ${basename(f)} is in the package`);
    for (const p of paths) {
      assert.match(p, /^(dist\/[\w-]+\.(js|wasm)|dist\/package\.json|media\/docs\/rules\/[\w-]+\.md|package\.json|README\.md|CHANGELOG\.md|LICENSE)$/, `unexpected file ${p}`);
    }
    assert.ok(!paths.some((p) => p.endsWith('.map') || p === 'dist/extension.js'), 'no source maps, no extension bundle');
    assert.ok(pack.size <= MAX_PACKED, `packed ${pack.size} bytes > 3 MB`);
  });

  it('installs offline from the tarball and `npx shipsafe scan` finds the flaws (JavaScript and Python)', () => {
    const app = join(work, 'app');
    writeFiles(app, {
      'package.json': JSON.stringify({ name: 'demo-app', version: '1.0.0', private: true }),
      'server.js': SQL_FLAW,
      'app.py': PY_FLAW,
    });
    const i = npm(['install', '--offline', '--save-dev', tarball], app, join(work, 'cache-empty'));
    assert.equal(i.status, 0, i.stderr);
    const installed = readdirSync(join(app, 'node_modules')).filter((n) => !n.startsWith('.'));
    assert.deepEqual(installed, ['shipsafe'], 'the package pulls in no other package');
    assert.ok(existsSync(join(app, 'node_modules', '.bin', 'shipsafe')));

    const r = npm(['exec', '--offline', '--', 'shipsafe', 'scan', '--no-color', '--format', 'json'], app, join(work, 'cache-empty'));
    assert.equal(r.status, 1, `exit 1 on error findings\n${r.stderr}`);
    const report = JSON.parse(r.stdout) as { findings: { file: string; ruleId: string; range: { startPos: { line: number } } }[]; skipped: unknown[] };
    const got = report.findings.map((f) => `${f.file}:${f.range.startPos.line} ${f.ruleId}`);
    assert.ok(got.includes('server.js:8 sql-injection'), got.join('\n'));
    assert.ok(got.includes('app.py:9 sql-injection'), `the Python parser loads from the package\n${got.join('\n')}`);
    const v = npm(['exec', '--offline', '--', 'shipsafe', '--version'], app, join(work, 'cache-empty'));
    assert.equal(v.stdout.trim(), JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version);
  });
});
