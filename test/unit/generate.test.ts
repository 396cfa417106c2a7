/** The renderers behind `npm run generate` and the SARIF rule descriptors, on synthetic rules. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ALL_LANGUAGES, defineRule, type Rule } from '../../src/engine/model/rule';
import type { RuleMeta } from '../../src/engine/model/types';
import { exampleFile, fenced, pascalCase, toSarifRule } from '../../src/engine/report/sarif-rules';
import { derivedOutputs } from '../../src/tools/generate';
import { renderPackageJson, renderReadme, renderReadmeCli, renderRuleDoc, renderSarifCatalog, rulesSettingOf } from '../../src/tools/rule-docs';
import { allRules } from '../../src/engine';

function fakeRule(over: Partial<RuleMeta> = {}): Rule {
  return defineRule({
    meta: {
      id: 'fake-rule', title: 'Fake rule', category: 'injection', severity: 'error', confidence: 'high', cwe: [89, 564],
      owasp: 'A03:2021 Injection', description: 'Finds fakes.', notReported: 'Real things.', why: 'Fakes are bad.', fix: 'Use the real thing.',
      bad: 'db.query(`SELECT ${x}`);', good: "db.query('SELECT $1', [x]);", fixSafety: 'none', languages: ALL_LANGUAGES,
      defaultEnabled: true, tags: ['sql'], ...over,
    },
    create: () => ({}),
  });
}

describe('toSarifRule', () => {
  it('maps the metadata to what GitHub code scanning reads', () => {
    const d = toSarifRule(fakeRule().meta);
    assert.equal(d.id, 'fake-rule');
    assert.equal(d.name, 'FakeRule');
    assert.equal(d.shortDescription?.text, 'Fake rule');
    assert.equal(d.fullDescription?.text, 'Finds fakes.');
    assert.equal(d.helpUri, 'media/docs/rules/fake-rule.md');
    assert.equal(d.defaultConfiguration?.level, 'error');
    assert.match(d.help?.markdown ?? '', /## Why is this bad\?\n\nFakes are bad\.[\s\S]*```tsx\ndb\.query\(`SELECT \$\{x\}`\);\n```/);
    assert.deepEqual(d.properties?.tags, ['security', 'external/cwe/cwe-89', 'external/cwe/cwe-564', 'owasp-2021/A03', 'sql']);
    assert.equal(d.properties?.precision, 'high');
    assert.equal(d.properties?.['security-severity'], '8.8');
  });

  it('scores by severity, then by confidence', () => {
    const score = (severity: RuleMeta['severity'], confidence: RuleMeta['confidence']) => Number(toSarifRule(fakeRule({ severity, confidence }).meta).properties?.['security-severity']);
    assert.ok(score('error', 'low') >= 7 && score('error', 'high') < 9);
    assert.ok(score('warning', 'low') >= 4 && score('warning', 'high') < 7);
    assert.ok(score('info', 'low') > 0 && score('info', 'high') < 4);
    assert.ok(score('error', 'high') > score('error', 'medium') && score('error', 'medium') > score('error', 'low'));
    assert.equal(toSarifRule(fakeRule({ severity: 'info' }).meta).defaultConfiguration?.level, 'note');
    assert.equal(toSarifRule(fakeRule({ confidence: 'low' }).meta).properties?.precision, 'low');
  });

  it('takes an absolute docs base when given one', () => {
    assert.equal(toSarifRule(fakeRule().meta, { docsBaseUri: 'https://example.org/shipsafe/v1/' }).helpUri, 'https://example.org/shipsafe/v1/media/docs/rules/fake-rule.md');
  });

  it('does not file meta rules as security alerts', () => {
    const d = toSarifRule(fakeRule({ category: 'meta', cwe: [], owasp: '', tags: ['meta'] }).meta);
    assert.deepEqual(d.properties?.tags, ['meta']);
    assert.equal(d.properties?.['security-severity'], undefined);
  });

  it('helpers', () => {
    assert.equal(pascalCase('jwt-no-expiry'), 'JwtNoExpiry');
    assert.deepEqual(exampleFile('// file: app/api/x/route.ts\nexport {}'), { path: 'app/api/x/route.ts', code: 'export {}' });
    assert.deepEqual(exampleFile('const a = 1;'), { path: 'example.tsx', code: 'const a = 1;' });
    assert.equal(fenced('a ``` b', 'js'), '````js\na ``` b\n````');
  });
});

describe('renderPackageJson', () => {
  const rules = [fakeRule(), fakeRule({ id: 'other-rule', severity: 'warning', defaultEnabled: false })];

  it('replaces only shipsafe.rules, keeping every other key and their order', () => {
    const before = {
      name: 'x', scripts: { test: 't' },
      contributes: {
        commands: [{ command: 'shipsafe.scan', title: 'Scan' }],
        configuration: { title: 'Shipsafe', properties: { 'shipsafe.enable': { type: 'boolean' }, 'shipsafe.rules': { old: true }, 'shipsafe.z': { type: 'string' } } },
      },
      devDependencies: { a: '1' },
    };
    const out = renderPackageJson(JSON.stringify(before, null, 4), rules);
    assert.ok(out.endsWith('}\n') && out.includes('\n  "name"'), 'two-space indent and a trailing newline');
    const after = JSON.parse(out);
    assert.deepEqual(Object.keys(after), ['name', 'scripts', 'contributes', 'devDependencies']);
    assert.deepEqual(Object.keys(after.contributes), ['commands', 'configuration']);
    assert.deepEqual(Object.keys(after.contributes.configuration.properties), ['shipsafe.enable', 'shipsafe.rules', 'shipsafe.z']);
    const setting = after.contributes.configuration.properties['shipsafe.rules'];
    assert.deepEqual(Object.keys(setting.properties), ['fake-rule', 'other-rule']);
    assert.equal(setting.properties['fake-rule'].default, 'error');
    assert.equal(setting.properties['other-rule'].default, 'off');
    assert.deepEqual(setting.properties['fake-rule'].enum, ['off', 'error', 'warning', 'info']);
    assert.equal(setting.properties['fake-rule'].enumDescriptions.length, 4);
    assert.deepEqual(setting.default, {});
    assert.equal(renderPackageJson(out, rules), out, 'idempotent');
  });

  it('handles configuration given as an array of sections, or missing', () => {
    const arr = JSON.parse(renderPackageJson(JSON.stringify({ contributes: { configuration: [{ title: 'A', properties: { 'shipsafe.a': {} } }, { title: 'B', properties: { 'shipsafe.rules': {} } }] } }), rules));
    assert.deepEqual(Object.keys(arr.contributes.configuration[0].properties), ['shipsafe.a']);
    assert.ok(arr.contributes.configuration[1].properties['shipsafe.rules'].properties['fake-rule']);
    const none = renderPackageJson('{"name":"x"}', rules);
    assert.ok(rulesSettingOf(none));
  });
});

describe('README and docs', () => {
  it('replaces the table between the markers only', () => {
    const out = renderReadme('# Title\n\nintro\n<!-- rules:start -->\nold\n<!-- rules:end -->\n\nafter\n', [fakeRule()]);
    assert.ok(out.startsWith('# Title\n\nintro\n<!-- rules:start -->'));
    assert.ok(out.endsWith('<!-- rules:end -->\n\nafter\n'));
    assert.ok(!out.includes('\nold\n'));
    assert.match(out, /\| \[`fake-rule`\]\(media\/docs\/rules\/fake-rule\.md\) \| Fake rule \| injection \| error \| high \|/);
    assert.throws(() => renderReadme('# no markers', [fakeRule()]), /rules:start/);
  });

  it('puts the CLI usage between its markers', () => {
    const out = renderReadmeCli('a\n<!-- cli:start -->\nold\n<!-- cli:end -->\nb', 'Usage: shipsafe scan\n');
    assert.match(out, /^a\n<!-- cli:start -->\n[^\n]*\n\n```text\nUsage: shipsafe scan\n```\n<!-- cli:end -->\nb$/);
    assert.equal(renderReadmeCli('no markers', 'x'), 'no markers');
  });

  it('a rule doc has the sections users look for, and the exact suppression syntax', () => {
    const doc = renderRuleDoc(fakeRule());
    for (const h of ['What it does', 'Why is this bad?', 'How to fix', 'Example (bad)', 'Use instead (good)', 'Fix safety', 'Confidence', 'CWE / OWASP', 'Suppress it']) {
      assert.ok(doc.includes(`\n## ${h}\n`), h);
    }
    assert.ok(doc.includes('// shipsafe-ignore-next-line fake-rule -- '));
    assert.ok(doc.includes('// shipsafe-ignore-file fake-rule -- '));
    assert.ok(doc.includes('https://cwe.mitre.org/data/definitions/89.html'));
    assert.ok(doc.includes('https://owasp.org/Top10/A03_2021-Injection/'));
  });

  it('docs of removed rules are marked for deletion', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shipsafe-gen-'));
    try {
      mkdirSync(join(dir, 'media/docs/rules'), { recursive: true });
      writeFileSync(join(dir, 'media/docs/rules/gone-rule.md'), '# gone');
      writeFileSync(join(dir, 'media/docs/rules/fake-rule.md'), '# old');
      const outs = derivedOutputs(dir, [{ rule: fakeRule(), file: 'src/engine/rules/injection/fake-rule.ts' }], () => '{}');
      const gone = outs.find((o) => o.path === 'media/docs/rules/gone-rule.md');
      assert.ok(gone && (await gone.render()) === null);
      const kept = outs.find((o) => o.path === 'media/docs/rules/fake-rule.md');
      assert.ok(kept && typeof (await kept.render()) === 'string');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

it('the SARIF rule catalog is valid SARIF 2.1.0 (schema, with formats checked)', async () => {
  const { default: Ajv } = await import('ajv-draft-04');
  const schema = JSON.parse(readFileSync(join(__dirname, '..', '..', 'node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'));
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  ajv.addFormat('uri', /^[a-z][a-z0-9+.-]*:[^\s]*$/i);
  ajv.addFormat('uri-reference', /^[^\s]*$/);
  ajv.addFormat('date-time', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/);
  const validate = ajv.compile(schema);
  for (const rules of [[fakeRule()], allRules]) {
    const log = JSON.parse(renderSarifCatalog(rules, '1.2.3'));
    assert.ok(validate(log), JSON.stringify(validate.errors, null, 2));
  }
  // the check has teeth: a relative helpUri is not a `uri`
  const bad = JSON.parse(renderSarifCatalog([fakeRule()], '1.2.3'));
  bad.runs[0].tool.driver.rules[0].helpUri = 'media/docs/rules/fake-rule.md';
  assert.equal(validate(bad), false);
});
