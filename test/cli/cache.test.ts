/**
 * `shipsafe scan --cache` (issue 17): the same report with and without the cache, cold and warm, after an edit,
 * after a configuration or min-confidence change; a damaged or foreign cache file is ignored with a note.
 * Run on a copy of the demo apps (examples/: Express, Next.js, Flask, Django, FastAPI).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { CACHE_FILE, ContentKeys, defaultCacheDir, ModelFactsCache } from '../../src/cli/result-cache';
import { cleanup, cli, tempDir } from './_util';

const EXAMPLES = join(__dirname, '..', '..', 'examples');

describe('scan --cache', () => {
  let dir: string;
  let cacheDir: string;
  const scan = (...extra: string[]) => cli(dir, ['scan', '.', '--format', 'json', '--fail-on', 'none', ...extra]);
  const cached = (...extra: string[]) => scan('--cache-location', cacheDir, ...extra);

  before(() => {
    dir = tempDir();
    cpSync(EXAMPLES, dir, { recursive: true });
    cacheDir = join(tempDir('shipsafe-cache-'), 'c');
  });
  after(() => { cleanup(dir); cleanup(join(cacheDir, '..')); });

  it('cold and warm runs give the report an uncached run gives', async () => {
    const plain = await scan();
    assert.equal(plain.code, 0, plain.stderr);
    assert.ok(JSON.parse(plain.stdout).findings.length > 20, 'the demo apps have findings');
    const cold = await cached();
    assert.equal(cold.stdout, plain.stdout);
    assert.ok(existsSync(join(cacheDir, CACHE_FILE)));
    assert.match(readFileSync(join(cacheDir, '.gitignore'), 'utf8'), /^\*$/m, 'the cache folder ignores itself');
    const warm = await cached();
    assert.equal(warm.stdout, plain.stdout);
    assert.doesNotMatch(warm.stderr, /note:/);
  });

  it('a warm run really uses the cache: a stored result comes back for an unchanged file', async () => {
    await cached();
    const file = join(cacheDir, CACHE_FILE);
    const saved = readFileSync(file, 'utf8');
    const data = JSON.parse(saved);
    const [rel] = Object.entries(data.entries as Record<string, { out: { results: { findings: { message: string }[] }[] } }>)
      .find(([, e]) => e.out.results[0]?.findings.length) ?? [];
    assert.ok(rel, 'some cached file has findings');
    data.entries[rel].out.results[0].findings[0].message = 'SERVED FROM THE CACHE';
    writeFileSync(file, JSON.stringify(data));
    assert.match((await cached()).stdout, /SERVED FROM THE CACHE/);
    writeFileSync(file, saved);
  });

  it('after editing a file, the cached report is the uncached one (the edit is seen)', async () => {
    await cached();
    const target = join(dir, 'vibe-express', 'routes', 'auth.js');
    appendFileSync(target, "\nrouter.get('/go', (req, res) => res.redirect(req.query.next));\n");
    const plain = await scan();
    const warm = await cached();
    assert.equal(warm.stdout, plain.stdout);
    assert.ok(JSON.parse(warm.stdout).findings.some((f: { file: string; ruleId: string }) => f.file === 'vibe-express/routes/auth.js' && f.ruleId === 'open-redirect'));
  });

  it('a configuration change or another --min-confidence invalidates it', async () => {
    await cached();
    const before = JSON.parse((await cached()).stdout).findings.length;
    writeFileSync(join(dir, '.shipsafe.json'), JSON.stringify({ rules: { 'sql-injection': 'off', 'hardcoded-secret': 'off' } }));
    try {
      const plain = await scan();
      const warm = await cached();
      assert.equal(warm.stdout, plain.stdout);
      assert.ok(JSON.parse(warm.stdout).findings.length < before, 'the rules turned off are gone');
    } finally {
      writeFileSync(join(dir, '.shipsafe.json'), '{}');
    }
    const low = await scan('--min-confidence', 'low');
    assert.equal((await cached('--min-confidence', 'low')).stdout, low.stdout);
    assert.ok(JSON.parse(low.stdout).findings.length >= before);
  });

  it('a damaged or foreign cache file is ignored with a note, and replaced', async () => {
    const plain = await scan();
    for (const junk of ['{"entries": [1, 2', '{"hello": "world"}', '\u0000\u0001binary']) {
      writeFileSync(join(cacheDir, CACHE_FILE), junk);
      const r = await cached();
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, plain.stdout);
      assert.match(r.stderr, /note: ignored .*results\.json: not a Shipsafe result cache/);
      assert.equal(JSON.parse(readFileSync(join(cacheDir, CACHE_FILE), 'utf8')).format, 'shipsafe-result-cache');
    }
    // an entry of the wrong shape is dropped, not trusted
    const data = JSON.parse(readFileSync(join(cacheDir, CACHE_FILE), 'utf8'));
    for (const k of Object.keys(data.entries)) data.entries[k].out = { results: 'nope' };
    writeFileSync(join(cacheDir, CACHE_FILE), JSON.stringify(data));
    assert.equal((await cached()).stdout, plain.stdout);
  });

  it('default place: node_modules/.cache/shipsafe when there is node_modules, else .shipsafe-cache, never scanned', async () => {
    assert.equal(defaultCacheDir(dir), join(dir, '.shipsafe-cache'));
    const plain = await scan();
    const r = await scan('--cache');
    assert.equal(r.stdout, plain.stdout);
    assert.ok(existsSync(join(dir, '.shipsafe-cache', CACHE_FILE)));
    // the cache holds messages about the code: the next scan must not read it as a project file
    const again = await scan('--cache', '--no-gitignore');
    assert.equal(again.stdout, (await scan('--no-gitignore', '--exclude', '.shipsafe-cache/**')).stdout);
    cleanup(join(dir, '.shipsafe-cache'));
  });
});

describe('ContentKeys: a file\'s key in both caches, computed once', () => {
  const sha = (rel: string, text: string) => createHash('sha256').update(`${rel}\u0000${text}`).digest('hex');

  it('is the SHA-256 of the path and the text, again after an edit, a forget or past its bound', () => {
    const keys = new ContentKeys(30);
    assert.equal(keys.of('a.js', 'const a = 1;'), sha('a.js', 'const a = 1;'));
    assert.equal(keys.of('a.js', 'const a = 1;'), sha('a.js', 'const a = 1;'));
    // the same text under another path, another text under the same path
    assert.equal(keys.of('b.js', 'const a = 1;'), sha('b.js', 'const a = 1;'));
    assert.equal(keys.of('a.js', 'const a = 2;'), sha('a.js', 'const a = 2;'));
    keys.forget('a.js');
    assert.equal(keys.of('a.js', 'const a = 2;'), sha('a.js', 'const a = 2;'));
    // over the bound (30 characters held): not kept, still right
    const long = 'x'.repeat(40);
    assert.equal(keys.of('c.js', long), sha('c.js', long));
    assert.equal(keys.of('c.js', long), sha('c.js', long));
    assert.equal(new ContentKeys(0).of('d.js', ''), sha('d.js', ''));
  });
});

describe('ModelFactsCache.identity: the model of a scan named without serialising it', () => {
  it('is the same for the same files and texts, and changes with a text, a file, the configuration or the root', () => {
    const dir = tempDir();
    try {
      const facts = (file: string) => ({ file, imports: [], exports: {}, locals: {}, apps: [], routes: [], mounts: [], uses: [] }) as never;
      const scanOf = (root: string, files: Record<string, string>) => {
        const c = ModelFactsCache.open(join(dir, 'cache'), root);
        for (const [rel, text] of Object.entries(files)) if (!c.get(rel, text)) c.set(rel, text, facts(rel));
        return c;
      };
      const files = { 'a.js': 'const a = 1;', 'b.js': 'module.exports = 2;' };
      const first = scanOf(dir, files);
      const id = first.identity([]);
      assert.ok(id);
      first.save();
      // a warm scan (every entry found), in another order
      const warm = scanOf(dir, { 'b.js': files['b.js'], 'a.js': files['a.js'] });
      assert.equal(warm.identity([]), id);
      assert.notEqual(warm.identity([{ file: 'package.json' }]), id);
      assert.notEqual(scanOf(dir, { ...files, 'a.js': 'const a = 2;' }).identity([]), id);
      assert.notEqual(scanOf(dir, { ...files, 'c.js': '' }).identity([]), id);
      assert.notEqual(scanOf(join(dir, 'x'), files).identity([]), id);
      // a file read but whose facts were not stored: no identity
      const partial = ModelFactsCache.open(join(dir, 'other'), dir);
      partial.get('a.js', files['a.js']);
      assert.equal(partial.identity([]), undefined);
    } finally {
      cleanup(dir);
    }
  });
});

