/**
 * The Python demo apps in examples/: every deliberate flaw is found (rule and line), and the fixed variants are
 * clean, with the default configuration, exactly as `npm run scan:demo` scans them.
 */
import { before, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { allRules, DEFAULT_CONFIG, loadPythonParser } from '../../src/engine';
import { scanFiles } from '../../src/engine/project/scan';

const root = join(__dirname, '..', '..', 'examples');

const EXPECTED: Record<string, string[]> = {
  'vibe-flask/app.py': ['9 hardcoded-session-secret', '19 sql-injection', '32 command-injection', '33 path-traversal', '38 unsafe-deserialization',
    '45 template-injection', '48 missing-rate-limit', '50 open-redirect', '54 debug-mode'],
  'vibe-flask/app_fixed.py': [],
  'vibe-django/shop/settings.py': ['2 hardcoded-session-secret', '3 debug-mode'],
  'vibe-django/shop/settings_fixed.py': [],
  'vibe-django/shop/views.py': ['12 sql-injection', '19 sql-injection', '24 unsafe-deserialization', '29 open-redirect'],
  'vibe-django/shop/views_fixed.py': [],
  'vibe-fastapi/main.py': ['10 debug-mode', '22 ssrf', '22 tls-verification-disabled', '24 sql-injection', '31 sql-injection', '44 ssrf', '50 command-injection'],
  'vibe-fastapi/main_fixed.py': [],
};

before(() => loadPythonParser());

it('the Python demo apps: each flaw found, the fixed variants clean', async () => {
  const files = Object.keys(EXPECTED).map((f) => join(root, f));
  const out = await scanFiles(files, { config: DEFAULT_CONFIG, rules: allRules, root });
  assert.deepEqual(out.skipped, []);
  assert.deepEqual(out.ruleErrors, []);
  const got: Record<string, string[]> = {};
  for (const f of Object.keys(EXPECTED)) got[f] = [];
  for (const r of out.results) got[r.file] = r.findings.map((x) => `${x.range.startPos.line} ${x.ruleId}`).sort((a, b) => parseInt(a) - parseInt(b) || a.localeCompare(b));
  assert.deepEqual(got, EXPECTED);
});
