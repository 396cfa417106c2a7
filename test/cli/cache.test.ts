/**
 * `shipsafe scan --cache` (issue 17): the same report with and without the cache, cold and warm, after an edit,
 * after a configuration or min-confidence change; a damaged or foreign cache file is ignored with a note.
 * Run on a copy of the demo apps (examples/: Express, Next.js, Flask, Django, FastAPI). The content cache is tested
 * with `--cache-strategy content` (every file read and hashed); the default strategy's shortcut for a tree where no
 * file changed (scan-snapshot.ts) has tests of its own below.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, cpSync, existsSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { CACHE_FILE, ContentKeys, defaultCacheDir, ModelFactsCache } from '../../src/cli/result-cache';
import { metadataOf, RACY_MARGIN_MS, readSnapshot, SNAPSHOT_FILE, snapshotScope, writeSnapshot } from '../../src/cli/scan-snapshot';
import { cleanup, cli, tempDir } from './_util';

const EXAMPLES = join(__dirname, '..', '..', 'examples');

describe('scan --cache', () => {
  let dir: string;
  let cacheDir: string;
  const scan = (...extra: string[]) => cli(dir, ['scan', '.', '--format', 'json', '--fail-on', 'none', ...extra]);
  const cached = (...extra: string[]) => scan('--cache-location', cacheDir, '--cache-strategy', 'content', ...extra);

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


/** Waits until every file written so far is older than the snapshot's margin (a file's change time cannot be set back). */
const pastTheMargin = () => new Promise((r) => setTimeout(r, RACY_MARGIN_MS + 300));
/** a modification time that utimes sets exactly (seconds since the epoch) */
const WHOLE_SECOND = 1_700_000_000;

describe('scan --cache on a tree where no file changed (the default metadata strategy)', () => {
  let dir: string;
  let cacheDir: string;
  const scan = (...extra: string[]) => cli(dir, ['scan', '.', '--format', 'json', '--fail-on', 'none', ...extra]);
  const cached = (...extra: string[]) => scan('--cache-location', cacheDir, ...extra);
  const snapshot = () => join(cacheDir, SNAPSHOT_FILE);
  /** marks the snapshot's report, so that a scan that gives it back shows it */
  const mark = () => {
    const data = JSON.parse(readFileSync(snapshot(), 'utf8'));
    const withFindings = data.out.results.find((r: { findings: unknown[] }) => r.findings.length);
    withFindings.findings[0].message = 'SERVED FROM THE SNAPSHOT';
    writeFileSync(snapshot(), JSON.stringify(data));
  };

  before(async () => {
    dir = tempDir();
    cpSync(EXAMPLES, dir, { recursive: true });
    cacheDir = join(tempDir('shipsafe-cache-'), 'c');
    utimesSync(join(dir, 'vibe-express', 'routes', 'auth.js'), WHOLE_SECOND, WHOLE_SECOND);
    await pastTheMargin();
  });
  after(() => { cleanup(dir); cleanup(join(cacheDir, '..')); });

  it('gives the last report again without reading the files, and the same report as an uncached scan', async () => {
    const plain = await scan();
    const cold = await cached();
    assert.equal(cold.stdout, plain.stdout);
    assert.ok(existsSync(snapshot()), 'a scan of files older than the margin leaves a snapshot');
    const warm = await cached('--verbose');
    assert.equal(warm.stdout, plain.stdout);
    assert.match(warm.stderr, /cache: (\d+) of \1 files from the cache: none changed since the last scan/);
    mark();
    assert.match((await cached()).stdout, /SERVED FROM THE SNAPSHOT/, 'the report came from the snapshot');
    // --cache-strategy content reads and hashes every file: the content cache's report, not the snapshot's
    assert.equal((await cached('--cache-strategy', 'content')).stdout, plain.stdout);
  });

  it('on a terminal, clears its progress line before the report', async () => {
    await cached();
    assert.ok(existsSync(snapshot()));
    const r = await cli(dir, ['scan', '.', '--fail-on', 'none', '--cache-location', cacheDir, '--verbose'], { tty: true });
    assert.match(r.stderr, /none changed since the last scan/);
    // every progress line written ("Finding files…") is cleared again: the last one is followed by a clear
    const lastProgress = r.stderr.lastIndexOf('Finding files');
    assert.ok(lastProgress >= 0, 'a terminal shows progress');
    assert.ok(r.stderr.indexOf('\r\u001b[2K', lastProgress) > lastProgress, 'the progress line is cleared');
  });

  it('sees an edit, a touch, a new or deleted file, a configuration change, and no snapshot is kept for a file changed just now', async () => {
    const plain = () => scan().then((r) => r.stdout);
    const target = join(dir, 'vibe-express', 'routes', 'auth.js');
    const original = readFileSync(target, 'utf8');
    const changes: [string, () => void, () => void][] = [
      // the same size and modification time (a whole second, set in before(), so that it is put back exactly), another
      // text: the change time still moves
      ['an edit that keeps size and modification time', () => {
        const st = statSync(target);
        writeFileSync(target, original.replace('const', 'let  '));
        utimesSync(target, WHOLE_SECOND, WHOLE_SECOND);
        assert.equal(statSync(target).mtimeMs, st.mtimeMs);
        assert.equal(statSync(target).size, st.size);
      }, () => writeFileSync(target, original)],
      ['an edit', () => appendFileSync(target, "\nrouter.get('/go', (req, res) => res.redirect(req.query.next));\n"), () => writeFileSync(target, original)],
      ['a touch', () => { const t = new Date(); utimesSync(target, t, t); }, () => undefined],
      ['a new file', () => writeFileSync(join(dir, 'vibe-express', 'extra.js'), "const key = 'sk_live_' + 'x';\n"), () => rmSync(join(dir, 'vibe-express', 'extra.js'))],
      ['a configuration change', () => writeFileSync(join(dir, '.shipsafe.json'), JSON.stringify({ rules: { 'sql-injection': 'off' } })), () => rmSync(join(dir, '.shipsafe.json'))],
      ['a root package.json', () => writeFileSync(join(dir, 'package.json'), JSON.stringify({ dependencies: { express: '^4.19.0' } })), () => rmSync(join(dir, 'package.json'))],
    ];
    for (const [what, change, undo] of changes) {
      await cached();
      assert.ok(existsSync(snapshot()), `${what}: a snapshot before the change`);
      mark();
      change();
      try {
        const r = await cached();
        assert.doesNotMatch(r.stdout, /SERVED FROM THE SNAPSHOT/, `${what}: seen`);
        assert.equal(r.stdout, await plain(), what);
        assert.ok(!existsSync(snapshot()), `${what}: a file changed within the margin of the scan's start leaves no snapshot`);
      } finally {
        undo();
      }
      await pastTheMargin();
    }
    // a file deleted
    await cached();
    mark();
    const gone = join(dir, 'vibe-express', 'routes', 'auth.js');
    const text = readFileSync(gone, 'utf8');
    rmSync(gone);
    try {
      const r = await cached();
      assert.doesNotMatch(r.stdout, /SERVED FROM THE SNAPSHOT/);
      assert.equal(r.stdout, await plain());
    } finally {
      writeFileSync(gone, text);
    }
  });

  it('ignores a damaged snapshot, and is not used with --fix', async () => {
    await pastTheMargin();
    const plain = (await scan()).stdout;
    for (const junk of ['{"out": [1, 2', '{"format":"shipsafe-scan-snapshot"}', '\u0000binary']) {
      writeFileSync(snapshot(), junk);
      const r = await cached();
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, plain);
      assert.equal(JSON.parse(readFileSync(snapshot(), 'utf8')).format, 'shipsafe-scan-snapshot', 'replaced');
    }
    mark();
    const fixed = await cli(dir, ['scan', '.', '--format', 'json', '--fail-on', 'none', '--fix', '--cache-location', cacheDir, '--exclude', '**']);
    assert.doesNotMatch(fixed.stdout, /SERVED FROM THE SNAPSHOT/);
  });
});

describe('scan-snapshot: a scan whose report depends on the machine', () => {
  it('leaves no snapshot when a file ran out of its time budget', async () => {
    const dir = tempDir();
    try {
      // ~850 KB of routes (under the 1 MB size limit): far more than 100 ms to parse and analyse
      let big = "const express = require('express');\nconst app = express();\n";
      for (let i = 0; i < 9_000; i++) big += `app.get('/x${i}', (req, res) => { const q = req.query.a + ${i}; res.send('<p>' + q + '</p>'); });\n`;
      writeFileSync(join(dir, 'big.js'), big);
      writeFileSync(join(dir, 'small.js'), "module.exports = { ok: true };\n");
      await pastTheMargin();
      const cacheDir = join(dir, '.cache-here');
      const r = await cli(dir, ['scan', '.', '--format', 'json', '--fail-on', 'none', '--time-budget', '100', '--cache-location', cacheDir]);
      assert.ok(JSON.parse(r.stdout).skipped.some((x: { file: string; reason: string }) => x.file === 'big.js' && x.reason === 'timeout'), r.stdout);
      assert.ok(existsSync(join(cacheDir, CACHE_FILE)), 'the other results are stored');
      assert.ok(!existsSync(join(cacheDir, SNAPSHOT_FILE)), 'no snapshot: the next scan must try big.js again');
    } finally {
      cleanup(dir);
    }
  });
});

describe('scan-snapshot: what tells that no file changed', () => {
  it('a file\'s metadata changes with its text even when its size and modification time are put back', async () => {
    const dir = tempDir();
    try {
      const f = join(dir, 'a.js');
      writeFileSync(f, 'const a = 1;\n');
      utimesSync(f, WHOLE_SECOND, WHOLE_SECOND);
      const before = metadataOf([f, join(dir, 'missing.js')])!;
      assert.equal(before.sigs[1], '-', 'a missing file is recorded as missing');
      const st = statSync(f);
      await new Promise((r) => setTimeout(r, 20));
      writeFileSync(f, 'const b = 1;\n');
      utimesSync(f, WHOLE_SECOND, WHOLE_SECOND);
      assert.equal(statSync(f).size, st.size);
      assert.equal(statSync(f).mtimeMs, st.mtimeMs);
      assert.notEqual(metadataOf([f, join(dir, 'missing.js')])!.sigs[0], before.sigs[0]);
    } finally {
      cleanup(dir);
    }
  });

  it('is written only for files older than the margin, and read back only for the same scan and metadata', () => {
    const dir = tempDir();
    try {
      const f = join(dir, 'a.js');
      writeFileSync(f, 'x');
      const scope = snapshotScope('salt', dir, [f]);
      const meta = metadataOf(scope.paths)!;
      const out = { results: [], skipped: [], ruleErrors: [], filesAnalyzed: 1 };
      // the file was written just now: a scan starting now must not record it
      assert.equal(writeSnapshot(dir, scope, meta, Date.now(), out), false);
      assert.ok(!existsSync(join(dir, SNAPSHOT_FILE)));
      // as if the scan started well after the file was written
      assert.equal(writeSnapshot(dir, scope, meta, meta.newestMs + RACY_MARGIN_MS + 1, out), true);
      assert.deepEqual(readSnapshot(dir, scope, meta.sigs), out);
      assert.equal(readSnapshot(dir, snapshotScope('other salt', dir, [f]), meta.sigs), undefined);
      assert.equal(readSnapshot(dir, snapshotScope('salt', dir, [f, join(dir, 'b.js')]), [...meta.sigs, '-']), undefined);
      assert.equal(readSnapshot(dir, scope, meta.sigs.map((s, i) => (i === 0 ? `${s}x` : s))), undefined);
    } finally {
      cleanup(dir);
    }
  });
});
