/**
 * Fuzz / property tests of the analysis (issue 15): sources generated and mutated from our rule fixtures — deep
 * nesting, token soup, huge literals, minified bundles, binary, invalid UTF-8 — through the same entry the CLI,
 * the editor and the MCP server use. For every input: no exception escapes, the file is analysed within the
 * per-file budget, and a file that was not fully analysed says so (it is `skipped` with a reason) instead of
 * passing for clean.
 *
 * `npm test` runs SHIPSAFE_FUZZ_RUNS inputs (default 1,000, about 25 s); `npm run test:fuzz` (run by .ci/run)
 * runs 10,000. The seed is printed, and SHIPSAFE_FUZZ_SEED replays a run. The worst per-file time is printed too.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { analyzeText, languageOf } from '../../src/engine/analyze';
import { allRules } from '../../src/engine/rules';
import { DEFAULT_FILE_BUDGET_MS } from '../../src/cli/pool';

const RUNS = Number(process.env.SHIPSAFE_FUZZ_RUNS ?? 1000);
const SEED = process.env.SHIPSAFE_FUZZ_SEED ? Number(process.env.SHIPSAFE_FUZZ_SEED) : Date.now() % 2_147_483_647;
/** what counts as "over budget" here: the CLI's per-file budget */
const BUDGET_MS = DEFAULT_FILE_BUDGET_MS;

function fixtureSources(): { path: string; text: string }[] {
  const out: { path: string; text: string }[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (languageOf(e.name)) out.push({ path: p, text: readFileSync(p, 'utf8') });
    }
  };
  walk(join(__dirname, '..', 'fixtures'));
  return out;
}

const SOURCES = fixtureSources();
const TOKENS = ['(', ')', '{', '}', '[', ']', '`', '${', "'", '"', '/', '/*', '*/', '//', '=>', '+', '=', ';', ',', '.', '?.', '...',
  '<div>', '</div>', '<', '>', 'function', 'async', 'await', 'const', 'x', 'req.query.id', 'db.query', "'SELECT * FROM t WHERE id = '",
  'jwt.verify', 'res.send', 'eval', 'new', 'class', 'import', 'export', 'from', "'express'", 'require', '\n', ' ', '\\', '#', '@', '0x', '1e9',
  'sk_live_', 'AKIA', 'process.env.', "'use client'", '// shipsafe-ignore-next-line', '--', '\u2028', '\uFEFF'];

const tokenSoup = fc.array(fc.constantFrom(...TOKENS), { maxLength: 400 }).map((ts) => ts.join(' '));
const nesting = fc.tuple(fc.constantFrom(['(', ')'], ['[', ']'], ['{', '}'], ['f(', ')'], ['a + (', ')'], ['`${', '}`'], ['<a>', '</a>']), fc.integer({ min: 1, max: 4000 }))
  .map(([[open, close], n]) => `const x = ${open.repeat(n)}1${close.repeat(n)};\n`);
const longSum = fc.integer({ min: 100, max: 6000 }).map((n) => `const s = ${Array.from({ length: n }, (_, i) => `a${i}`).join(' +\n')};\n`);
const hugeLiteral = fc.tuple(fc.constantFrom('x', '[q-W', '\t', ' ', '\\', 'eyJa-', 'sk_test_xxxx', '0', '`'), fc.integer({ min: 1000, max: 60_000 }), fc.constantFrom('apiSecret', 'password', 'expiresIn', 'query', 'x'))
  .map(([unit, n, name]) => `const ${name} = '${unit.repeat(Math.ceil(n / unit.length)).replace(/'/g, '"').replace(/\n/g, ' ')}';\nconst t = jwt.sign(p, k, { expiresIn: ${name} });\n`);
const bundle = fc.array(fc.constantFrom(...SOURCES.map((s) => s.text)), { minLength: 1, maxLength: 8 })
  .map((texts) => texts.join(';').replace(/\n\s*/g, ' '));
const binary = fc.uint8Array({ minLength: 1, maxLength: 20_000 }).map((b) => new TextDecoder('utf-8').decode(b));
const invalidUtf8 = fc.tuple(fc.constantFrom(...SOURCES.map((s) => s.text)), fc.uint8Array({ minLength: 1, maxLength: 64 }), fc.nat())
  .map(([text, bad, at]) => {
    const bytes = Buffer.from(text, 'utf8');
    const i = at % (bytes.length + 1);
    const noNul = Buffer.from(bad).map((x) => (x === 0 ? 0xc0 : x | 0x80));
    return new TextDecoder('utf-8').decode(Buffer.concat([bytes.subarray(0, i), noNul, bytes.subarray(i)]));
  });

/** A fixture with edits: a slice cut, duplicated, or replaced by one of the generators above. */
const mutated = fc.tuple(
  fc.constantFrom(...SOURCES),
  fc.array(fc.tuple(fc.nat(), fc.nat({ max: 400 }), fc.oneof(fc.constant(''), tokenSoup, nesting, hugeLiteral, fc.string({ maxLength: 200 }), fc.constant('DUP'))), { minLength: 1, maxLength: 5 }),
).map(([src, edits]) => {
  let t = src.text;
  for (const [at, len, insert] of edits) {
    const i = at % (t.length + 1);
    const cut = t.slice(i, i + len);
    t = t.slice(0, i) + (insert === 'DUP' ? cut + cut : insert) + t.slice(i + len);
  }
  return t;
});

const input = fc.record({
  text: fc.oneof(
    { weight: 6, arbitrary: mutated },
    { weight: 2, arbitrary: tokenSoup },
    { weight: 1, arbitrary: nesting },
    { weight: 1, arbitrary: longSum },
    { weight: 1, arbitrary: hugeLiteral },
    { weight: 1, arbitrary: bundle },
    { weight: 1, arbitrary: binary },
    { weight: 1, arbitrary: invalidUtf8 },
  ),
  path: fc.constantFrom('src/app.js', 'src/app.ts', 'app/page.tsx', 'components/x.jsx', 'lib/db.mjs', 'dist/assets/index-1a2b3c4d.js', 'app/api/route.ts'),
});

describe(`fuzz: ${RUNS} generated and mutated sources (seed ${SEED})`, () => {
  it('no exception, every file within the budget, nothing unanalysed passes for clean', { timeout: 60 * 60 * 1000 }, () => {
    let worst = { ms: 0, path: '', size: 0 };
    let worstCpu = { ms: 0, path: '', size: 0 };
    let partial = 0;
    let n = 0;
    fc.assert(fc.property(input, ({ text, path }) => {
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      const r = analyzeText({ path, text }, { rules: allRules });
      const ms = performance.now() - t0;
      const cpu = process.cpuUsage(c0);
      const cpuMs = (cpu.user + cpu.system) / 1000;
      n++;
      if (ms > worst.ms) worst = { ms, path, size: text.length };
      if (cpuMs > worstCpu.ms) worstCpu = { ms: cpuMs, path, size: text.length };
      assert.ok(ms < BUDGET_MS, `${path} (${text.length} chars) took ${ms.toFixed(0)} ms`);
      if (r.skipped) {
        partial++;
        assert.ok(r.skipped.reason && r.skipped.detail, 'a skipped file says why');
      }
      for (const f of r.findings) assert.ok(f.range.start >= 0 && f.range.end <= text.length && f.range.start <= f.range.end, 'finding range inside the file');
    }), { numRuns: RUNS, seed: SEED, endOnFailure: true });
    console.log(`fuzz: ${n} inputs, ${partial} not fully analysed (listed as skipped); worst per-file time ${worst.ms.toFixed(0)} ms wall (${worst.path}, ${worst.size} chars), ${worstCpu.ms.toFixed(0)} ms CPU (${worstCpu.path}, ${worstCpu.size} chars); seed ${SEED}`);
  });
});
