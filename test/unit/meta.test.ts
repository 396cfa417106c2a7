/**
 * Keeps the rule metadata honest: every rule has complete metadata, fixtures, a doc page, and examples
 * that behave as they claim; secret rules never echo a secret; the engine never imports vscode; and
 * the files generated from the metadata are up to date.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeText, allRules, DEFAULT_CONFIG, loadPythonParser, type Finding, type Rule, type ShipsafeConfig } from '../../src/engine';
import { exampleFile, ruleDocPath, sarifRuleCatalog, toSarifRule } from '../../src/engine/report/sarif-rules';
import { listRuleFiles } from '../../src/tools/rules-index';
import { listFixtureFiles, parseAnnotations, readFixture } from '../helpers/fixtures';
import { bundleMetafile, findVscodeImports, readSources, vscodeInMetafile } from '../helpers/engine-purity';

// the Python grammar is WebAssembly, loaded once per process before any .py file is analysed
before(() => loadPythonParser());

const root = join(__dirname, '..', '..');
const fixturesRoot = join(root, 'test', 'fixtures');

const SEVERITIES = ['error', 'warning', 'info'];
const CONFIDENCES = ['high', 'medium', 'low'];
const FIX_SAFETY = ['safe', 'suggestion', 'none'];
const LANGUAGES = ['javascript', 'typescript', 'javascriptreact', 'typescriptreact', 'python'];
const OWASP = /^A(0[1-9]|10):2021 .+/;

/** Runs one rule with everything shown (low confidence included, the rule on even if off by default). */
function run(rule: Rule, path: string, text: string) {
  const config: ShipsafeConfig = { ...DEFAULT_CONFIG, minConfidence: 'low', rules: { [rule.meta.id]: rule.meta.severity } };
  return analyzeText({ path, text }, { rules: [rule], config });
}

function describeFindings(fs: Finding[]): string {
  return fs.map((f) => `  line ${f.range.startPos.line}: ${f.message}`).join('\n');
}

const ruleFiles = listRuleFiles(root);

it('rule ids are unique', () => {
  const seen = new Set<string>();
  for (const r of allRules) {
    assert.ok(!seen.has(r.meta.id), `duplicate rule id ${r.meta.id}`);
    seen.add(r.meta.id);
  }
});

for (const rule of allRules) {
  const m = rule.meta;
  describe(`rule ${m.id} metadata`, () => {
    it('has complete, valid metadata', () => {
      const problems: string[] = [];
      if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(m.id)) problems.push(`id "${m.id}" is not kebab-case`);
      const file = ruleFiles.find((f) => f.endsWith(`/${m.id}.ts`));
      if (!file) problems.push(`no file src/engine/rules/<category>/${m.id}.ts (the file name must be the rule id)`);
      else if (file.split('/')[0] !== m.category) problems.push(`category "${m.category}" differs from its folder "${file.split('/')[0]}"`);
      for (const k of ['title', 'description', 'why', 'fix', 'bad', 'good'] as const) {
        if (typeof m[k] !== 'string' || m[k].trim() === '') problems.push(`${k} is empty`);
      }
      if (!Array.isArray(m.cwe) || m.cwe.some((n) => !Number.isInteger(n) || n <= 0)) problems.push(`cwe must be positive integers, got ${JSON.stringify(m.cwe)}`);
      if (m.category !== 'meta') {
        if (!OWASP.test(m.owasp ?? '')) problems.push(`owasp "${m.owasp}" is not like "A03:2021 Injection"`);
        if (!m.cwe?.length) problems.push('cwe is empty');
      }
      if (!SEVERITIES.includes(m.severity)) problems.push(`severity "${m.severity}"`);
      if (!CONFIDENCES.includes(m.confidence)) problems.push(`confidence "${m.confidence}"`);
      if (!FIX_SAFETY.includes(m.fixSafety)) problems.push(`fixSafety "${m.fixSafety}"`);
      if (!Array.isArray(m.languages) || (m.languages.length === 0 && !rule.checkFile && m.scope !== 'project') || m.languages.some((l) => !LANGUAGES.includes(l))) problems.push(`languages ${JSON.stringify(m.languages)}`);
      if (typeof m.defaultEnabled !== 'boolean') problems.push('defaultEnabled must be a boolean');
      if (!Array.isArray(m.tags) || m.tags.length === 0 || m.tags.some((t) => typeof t !== 'string' || !t.trim())) problems.push('needs at least one tag');
      assert.deepEqual(problems, [], `${m.id}:\n  ${problems.join('\n  ')}`);
    });

    it('has fixtures with at least 4 ruleid and 4 ok cases', () => {
      if (m.scope === 'project') return; // tested on real git repositories (test/cli/git-findings.test.ts)
      const dir = join(fixturesRoot, m.id);
      assert.ok(existsSync(dir), `missing test/fixtures/${m.id}/`);
      let ruleid = 0, ok = 0;
      for (const file of listFixtureFiles(dir)) {
        for (const a of parseAnnotations(readFixture(file, dir).text)) {
          if (a.ruleId !== m.id) continue;
          if (a.kind === 'ruleid') ruleid++;
          if (a.kind === 'ok') ok++;
        }
      }
      assert.ok(ruleid >= 4 && ok >= 4, `${m.id}: ${ruleid} ruleid and ${ok} ok annotations; need at least 4 of each`);
    });

    it('has a generated doc page', () => {
      assert.ok(existsSync(join(root, ruleDocPath(m.id))), `missing ${ruleDocPath(m.id)}: run npm run generate`);
    });

    it('flags its bad example and not its good one', () => {
      if (m.scope === 'project') return; // its examples are git commands; test/cli/git-findings.test.ts runs them
      const bad = exampleFile(m.bad);
      const badResult = run(rule, bad.path, m.bad);
      assert.deepEqual(badResult.ruleErrors, [], 'the rule threw on its bad example');
      assert.ok(badResult.findings.some((f) => f.ruleId === m.id), `${m.id}: the bad example (analysed as ${bad.path}) gives no finding`);
      const good = exampleFile(m.good);
      const goodResult = run(rule, good.path, m.good);
      assert.deepEqual(goodResult.ruleErrors, [], 'the rule threw on its good example');
      const fps = goodResult.findings.filter((f) => f.ruleId === m.id);
      assert.equal(fps.length, 0, `${m.id}: the good example (analysed as ${good.path}) is flagged:\n${describeFindings(fps)}`);
    });

    if (m.python) {
      it('flags its Python bad example and not its Python good one', () => {
        const py = m.python!;
        assert.ok(py.description.trim() && py.bad.trim() && py.good.trim(), 'the Python docs section is incomplete');
        const bad = exampleFile(py.bad, 'example.py');
        const badResult = run(rule, bad.path, py.bad);
        assert.deepEqual(badResult.ruleErrors, [], 'the rule threw on its Python bad example');
        assert.ok(badResult.findings.some((f) => f.ruleId === m.id), `${m.id}: the Python bad example (analysed as ${bad.path}) gives no finding`);
        const good = exampleFile(py.good, 'example.py');
        const fps = run(rule, good.path, py.good).findings.filter((f) => f.ruleId === m.id);
        assert.equal(fps.length, 0, `${m.id}: the Python good example is flagged:\n${describeFindings(fps)}`);
      });
    }

    it('has a SARIF descriptor GitHub understands', () => {
      const d = toSarifRule(m);
      assert.equal(d.id, m.id);
      assert.match(d.name ?? '', /^[A-Z][A-Za-z0-9]*$/);
      assert.ok(['error', 'warning', 'note'].includes(d.defaultConfiguration?.level ?? ''));
      const p = d.properties as Record<string, unknown>;
      assert.ok(['very-high', 'high', 'medium', 'low'].includes(p.precision as string));
      if (m.category !== 'meta') {
        assert.ok((p.tags as string[]).includes('security'));
        const score = Number(p['security-severity']);
        assert.ok(score > 0 && score < 10, `security-severity ${p['security-severity']}`);
      }
      for (const n of m.cwe) assert.ok((p.tags as string[]).includes(`external/cwe/cwe-${n}`));
    });
  });
}

it('the SARIF catalog lists every rule once', () => {
  assert.deepEqual(sarifRuleCatalog(allRules).map((d) => d.id), allRules.map((r) => r.meta.id).sort());
});

/** String literal contents of a line, at least `min` characters long. */
function longLiterals(line: string, min = 16): string[] {
  const out: string[] = [];
  const re = /'((?:[^'\\\n]|\\.)*)'|"((?:[^"\\\n]|\\.)*)"|`((?:[^`\\]|\\.)*)`/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(line))) {
    const body = m[1] ?? m[2] ?? m[3] ?? '';
    // template literals: each static piece separately
    for (const piece of body.split(/\$\{[^}]*\}/)) if (piece.length >= min) out.push(piece);
  }
  return out;
}

describe('secret rules never echo a secret', () => {
  const secretRules = allRules.filter((r) => r.meta.category === 'secrets' || r.meta.tags.includes('secrets'));
  it('the literal extractor finds long literals', () => {
    assert.deepEqual(longLiterals(`const k = 'sk_live_abcdefghijklmnop1234'; const s = "short";`), ['sk_live_abcdefghijklmnop1234']);
    assert.deepEqual(longLiterals('const u = `pg://app:${pw}@db.internal.example:5432/app`;'), ['@db.internal.example:5432/app']);
  });
  for (const rule of secretRules) {
    it(`${rule.meta.id}: messages on its fixtures hold no literal of 16+ characters from the flagged line`, () => {
      const dir = join(fixturesRoot, rule.meta.id);
      if (!existsSync(dir)) return; // reported by the fixture-presence test
      const leaks: string[] = [];
      let findings = 0;
      for (const file of listFixtureFiles(dir)) {
        const { text, rel } = readFixture(file, dir);
        const lines = text.split(/\r?\n/);
        for (const f of run(rule, rel, text).findings) {
          findings++;
          const flagged = lines.slice(f.range.startPos.line - 1, f.range.endPos.line).join('\n');
          const said = [f.message, ...(f.related ?? []).map((r) => r.message), ...(f.fixes ?? []).flatMap((x) => [x.title, x.note ?? ''])].join('\n');
          for (const lit of longLiterals(flagged)) if (said.includes(lit)) leaks.push(`${rel}:${f.range.startPos.line} message shows "${lit}"`);
        }
      }
      assert.ok(findings > 0, `${rule.meta.id}: no findings on its fixtures, nothing was checked`);
      assert.deepEqual(leaks, []);
    });
  }
});

describe('the engine never imports vscode', () => {
  it('the import scan catches every way of importing vscode', () => {
    const bad = [
      "import * as vscode from 'vscode';",
      'import { window } from "vscode";',
      "import type { Uri } from 'vscode';",
      "const vscode = require('vscode');",
      "const v = await import('vscode');",
      "import 'vscode';",
      "import vscode = require('vscode');",
      "export { Range } from 'vscode';",
      "import { x } from 'vscode/lib/thing';",
    ];
    for (const line of bad) assert.equal(findVscodeImports([{ path: 'a.ts', text: line }]).length, 1, line);
    const fine = ["import { ts } from 'ts-morph';", "// the engine must not import 'vscode-like' things", "const name = 'vscode-languageserver';", "import x from './vscode-helpers';"];
    for (const line of fine) assert.equal(findVscodeImports([{ path: 'a.ts', text: line }]).length, 0, line);
  });

  it('no file under src/engine imports vscode', () => {
    const found = findVscodeImports(readSources(join(root, 'src', 'engine'), root));
    assert.deepEqual(found, [], found.map((v) => `${v.file}:${v.line}: ${v.text}`).join('\n'));
  });

  it('the bundle check catches a vscode import (a throwaway engine-like entry)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shipsafe-purity-'));
    try {
      mkdirSync(join(dir, 'util'));
      writeFileSync(join(dir, 'util', 'helper.ts'), "import { window } from 'vscode';\nexport const show = (m: string) => window.showInformationMessage(m);\n");
      writeFileSync(join(dir, 'index.ts'), "export { show } from './util/helper';\nexport const x = 1;\n");
      const meta = await bundleMetafile(join(dir, 'index.ts'));
      assert.ok(vscodeInMetafile(meta).length > 0, 'a vscode import in a nested file was not seen');
      writeFileSync(join(dir, 'util', 'helper.ts'), 'export const show = (m: string) => m;\n');
      assert.deepEqual(vscodeInMetafile(await bundleMetafile(join(dir, 'index.ts'))), []);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('bundling src/engine/index.ts pulls in no vscode', async () => {
    const meta = await bundleMetafile(join(root, 'src', 'engine', 'index.ts'));
    assert.ok(Object.keys(meta.inputs).some((p) => p.includes('src/engine/analyze.ts')), 'the bundle did not include the engine');
    assert.deepEqual(vscodeInMetafile(meta), []);
  });
});

it('generated files are up to date (npm run generate -- --check)', () => {
  try {
    execFileSync(process.execPath, ['--import', 'tsx', join(root, 'src', 'tools', 'generate.ts'), '--check'], { cwd: root, encoding: 'utf8', stdio: 'pipe' });
  } catch (e) {
    const err = e as { stderr?: string; stdout?: string };
    assert.fail(`${err.stderr ?? ''}${err.stdout ?? ''}`);
  }
});
