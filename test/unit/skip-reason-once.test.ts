/**
 * Whether the analysis parses a text (analysisSkipReason: binary, too large, minified, third-party) is asked once per
 * file, and after that only its size limit (sizeSkipReason): for the texts the project model hands the CLI's pre-pass
 * (buildProjectModelWith's factsOf) and for a tree the pre-pass prepared (analyzeText with `prepared`). Each must
 * give the full answer, under size limits below, around and above the files' sizes.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { analysisSkipReason, analyzeText, parseForAnalysis, sizeSkipReason, summarizeForAnalysis } from '../../src/engine/analyze';
import { allRules } from '../../src/engine/rules';
import { DEFAULT_CONFIG } from '../../src/engine/config/config';
import { buildProjectModelWith } from '../../src/engine/project-model/build';
import { sourceFilesUnder } from '../helpers/fixtures';

const root = join(__dirname, '..', '..');
const sources = ['test/fixtures', 'test/projects', 'examples'].flatMap((d) => sourceFilesUnder(join(root, d)));
const LIMITS_KB = [1, 2, 8, 64, 512, 1024];
const config = (kb: number) => ({ ...DEFAULT_CONFIG, maxFileSizeKb: kb });

/** texts each kind of skip is for, under names that are and are not third-party */
function oddFiles(): Record<string, string> {
  const line = 'export const handler = (req, res) => res.json({ ok: true });\n';
  return {
    'src/plain.js': line,
    'src/medium.js': line.repeat(60),
    'src/big.js': line.repeat(3000),
    'src/huge.js': line.repeat(9000),
    'src/minified.js': `var a=${'1+'.repeat(15_000)}1;\n`,
    'src/binary.js': `const x = 1;\u0000${line}`,
    'src/vendor/lib.js': line,
    'src/app.min.js': line,
    'src/jquery.js': line,
    'src/header.js': `/*! mylib v1.2.3 | MIT */\n${line}`,
    'src/types.ts': 'export type Id = string;\n',
  };
}

describe('skip reason asked once', () => {
  it('the texts the model hands factsOf: the size limit alone gives analysisSkipReason', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shipsafe-skip-'));
    try {
      const files: string[] = [];
      const add = (rel: string, text: string) => {
        const abs = join(dir, rel);
        mkdirSync(dirname(abs), { recursive: true });
        writeFileSync(abs, text);
        files.push(abs);
      };
      for (const [rel, text] of Object.entries(oddFiles())) add(rel, text);
      sources.forEach((f, i) => add(`fx/${i}/${f.slice(root.length + 1)}`, readFileSync(f, 'utf8')));
      const handed: { rel: string; text: string }[] = [];
      await buildProjectModelWith(files, dir, (rel, text) => { handed.push({ rel, text }); return undefined; });
      const rels = new Set(handed.map((h) => h.rel));
      // the model leaves out what the analysis does not parse, whatever its limit
      for (const rel of ['src/minified.js', 'src/binary.js', 'src/vendor/lib.js', 'src/app.min.js', 'src/jquery.js', 'src/header.js']) assert.ok(!rels.has(rel), rel);
      let tooLarge = 0, parsed = 0;
      for (const { rel, text } of handed) {
        for (const kb of LIMITS_KB) {
          const full = analysisSkipReason(rel, text, config(kb));
          assert.equal(sizeSkipReason(text, config(kb)), full, `${rel} under ${kb} KiB`);
          if (full) tooLarge++; else parsed++;
        }
      }
      assert.ok(handed.length > 100 && tooLarge > 100 && parsed > 100, `${handed.length} texts, ${tooLarge} too large, ${parsed} parsed`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a prepared tree exists only for a text analysisSkipReason leaves in', () => {
    let made = 0;
    for (const [rel, text] of Object.entries(oddFiles())) {
      for (const kb of LIMITS_KB) {
        const sf = parseForAnalysis(rel, text)!;
        const s = summarizeForAnalysis(sf, text, config(kb));
        if (s) made++;
        assert.equal(!!s, !analysisSkipReason(rel, text, config(kb)), `${rel} under ${kb} KiB`);
      }
    }
    assert.ok(made > 10, `${made} prepared`);
  });

  it('analyzeText given a prepared tree finds and skips what it does without one', () => {
    const shape = (r: ReturnType<typeof analyzeText>) => JSON.stringify({ findings: r.findings, skipped: r.skipped, errors: r.ruleErrors.map((e) => e.ruleId) });
    let skipped = 0, analysed = 0;
    const texts: [string, string][] = [...Object.entries(oddFiles()), ...sources.map((f) => [f, readFileSync(f, 'utf8')] as [string, string])];
    for (const [path, text] of texts) {
      const sf = parseForAnalysis(path, text);
      // prepared under the default limit, analysed under a limit many files are over (the others are analysed)
      const s = sf && summarizeForAnalysis(sf, text, DEFAULT_CONFIG);
      if (!s) continue;
      for (const kb of [2]) {
        const cfg = { ...config(kb), minConfidence: 'low' as const };
        const alone = analyzeText({ path, text }, { rules: allRules, config: cfg });
        // a fresh tree each time: the analysis sets what it needs on the one it is given
        const sf2 = parseForAnalysis(path, text)!;
        const prepared = summarizeForAnalysis(sf2, text, DEFAULT_CONFIG)!.prepared;
        const withTree = analyzeText({ path, text, sourceFile: sf2, prepared }, { rules: allRules, config: cfg });
        assert.equal(shape(withTree), shape(alone), `${path} under ${kb} KiB`);
        if (alone.skipped) skipped++; else analysed++;
      }
    }
    assert.ok(skipped > 50 && analysed > 100, `${skipped} skipped, ${analysed} analysed`);
  });
});
