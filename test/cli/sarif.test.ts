/**
 * SARIF output: valid against the official SARIF 2.1.0 JSON schema (draft-04, shipped in @microsoft/jest-sarif),
 * and within GitHub code scanning's rules (relative URIs under %SRCROOT%, rule catalog, fingerprints).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertValid, SCHEME } from '../helpers/sarif-schema';
import type { Log, Result } from 'sarif';
import { allRules, type Finding } from '../../src/engine';
import { relativeUri, toSarif } from '../../src/engine/report/sarif';
import { LineMap } from '../../src/engine/util/text';
import { cleanup, cli, gitInit, REDIRECT_FLAW, SQL_FLAW, tempDir, writeFiles } from './_util';

/** What GitHub code scanning requires of an upload, as far as a file can show it. */
function assertGitHubReady(log: Log): void {
  assert.equal(log.version, '2.1.0');
  assert.equal(log.runs.length, 1);
  const run = log.runs[0];
  const base = run.originalUriBaseIds?.['%SRCROOT%']?.uri;
  assert.ok(base && base.startsWith('file:///') && base.endsWith('/'), `%SRCROOT% must be an absolute file URI ending in "/": ${base}`);
  const rules = run.tool.driver.rules ?? [];
  assert.equal(run.tool.driver.name, 'Shipsafe');
  assert.match(run.tool.driver.version ?? '', /^\d+\.\d+\.\d+/);
  const ids = rules.map((r) => r.id);
  assert.equal(new Set(ids).size, ids.length, 'rule ids are unique');
  assert.ok(rules.length <= 25000 && (run.results?.length ?? 0) <= 25000);
  for (const r of rules) {
    assert.ok(r.shortDescription?.text, `${r.id}: shortDescription`);
    assert.ok(r.fullDescription?.text, `${r.id}: fullDescription`);
    assert.ok(r.help?.text && r.help.markdown, `${r.id}: help text and markdown`);
    const tags = (r.properties?.tags ?? []) as string[];
    assert.ok(tags.length <= 20, `${r.id}: GitHub reads at most 20 tags`);
    const sev = r.properties?.['security-severity'];
    if (sev !== undefined) assert.ok(/^\d+(\.\d)?$/.test(String(sev)) && Number(sev) > 0 && Number(sev) <= 10, `${r.id}: security-severity ${sev}`);
    if (r.helpUri) assert.match(r.helpUri, SCHEME, `${r.id}: helpUri must be absolute`);
  }
  const locs = (res: Result) => [...(res.locations ?? []), ...(res.relatedLocations ?? [])];
  for (const res of run.results ?? []) {
    assert.ok(res.ruleId && ids.includes(res.ruleId), `result ruleId ${res.ruleId} is in the catalog`);
    assert.equal(ids[res.ruleIndex!], res.ruleId, 'ruleIndex points at the rule');
    assert.ok(['error', 'warning', 'note'].includes(res.level!));
    assert.ok(res.message.text);
    assert.match(res.partialFingerprints?.['shipsafe/v1'] ?? '', /^[0-9a-f]{32}$/);
    assert.ok(res.locations?.length === 1);
    for (const l of locs(res)) {
      const a = l.physicalLocation!.artifactLocation!;
      assert.equal(a.uriBaseId, '%SRCROOT%');
      assert.ok(!SCHEME.test(a.uri!) && !a.uri!.startsWith('/') && !a.uri!.startsWith('./') && !a.uri!.includes('..'), `relative URI: ${a.uri}`);
      const reg = l.physicalLocation!.region!;
      assert.ok(reg.startLine! >= 1 && reg.startColumn! >= 1 && reg.endLine! >= reg.startLine!);
    }
  }
}

describe('SARIF output', () => {
  let dir: string;
  let log: Log;
  const pageText = `// file: a Next.js dynamic route
import { NextRequest } from 'next/server';
import { prisma } from '@/lib/db';

export async function GET(request: NextRequest) {
  const q = request.nextUrl.searchParams.get('q');
  const label = '🚀 héllo'; const rows = await prisma.$queryRawUnsafe(\`SELECT * FROM notes WHERE title = '\${q}'\`);
  return Response.json({ label, rows });
}
`;
  before(async () => {
    dir = tempDir();
    gitInit(dir);
    writeFiles(dir, {
      'src/app.js': SQL_FLAW,
      'src/my routes/login.js': REDIRECT_FLAW,
      'app/api/[slug]/route.ts': pageText,
      'src/bin.js': Buffer.from([0, 1, 2, 3, 0, 0, 0x41]),
    });
    const r = await cli(dir, ['scan', '--format', 'sarif']);
    assert.equal(r.code, 1, r.stderr);
    log = JSON.parse(r.stdout);
  });
  after(() => cleanup(dir));

  it('is valid against the SARIF 2.1.0 schema', () => {
    assertValid(log);
  });

  it('meets GitHub code scanning constraints', () => {
    assertGitHubReady(log);
    const uris = log.runs[0].results!.map((r) => r.locations![0].physicalLocation!.artifactLocation!.uri);
    assert.ok(uris.includes('src/app.js'));
    assert.ok(uris.includes('src/my%20routes/login.js'), uris.join(', '));
    assert.ok(uris.includes('app/api/%5Bslug%5D/route.ts'), uris.join(', '));
    assert.equal(log.runs[0].originalUriBaseIds!['%SRCROOT%'].uri, `file://${dir}/`);
    assert.equal(log.runs[0].columnKind, 'utf16CodeUnits');
  });

  it('carries the rule catalog with help text and CWE tags for every rule that ran', () => {
    const rules = log.runs[0].tool.driver.rules!;
    const enabled = allRules.filter((r) => r.meta.defaultEnabled).map((r) => r.meta.id).sort();
    assert.deepEqual(rules.map((r) => r.id).sort(), enabled);
    const sql = rules.find((r) => r.id === 'sql-injection')!;
    assert.ok((sql.properties!.tags as string[]).includes('external/cwe/cwe-89'));
    assert.ok((sql.properties!.tags as string[]).includes('security'));
    assert.match(sql.help!.markdown!, /How to fix/);
    assert.equal(sql.defaultConfiguration!.level, 'error');
  });

  it('regions are 1-based, with UTF-16 columns and an exclusive end column', () => {
    const res = log.runs[0].results!.find((r) => r.locations![0].physicalLocation!.artifactLocation!.uri === 'app/api/%5Bslug%5D/route.ts' && r.ruleId === 'sql-injection');
    assert.ok(res, JSON.stringify(log.runs[0].results!.map((r) => [r.ruleId, r.locations![0].physicalLocation!.artifactLocation!.uri])));
    const reg = res.locations![0].physicalLocation!.region!;
    const lines = new LineMap(pageText);
    const line = lines.lineText(reg.startLine!);
    assert.equal(reg.startLine, 7);
    // the flagged text starts after an emoji (2 UTF-16 units) and an accented letter (1 unit)
    // JS string indexes are UTF-16 code units: SARIF columns must be those + 1
    const expected = [line.indexOf('prisma.$queryRawUnsafe'), line.indexOf('`SELECT')].map((i) => i + 1);
    assert.ok(expected.includes(reg.startColumn!), `column ${reg.startColumn} is one of ${expected}`);
    assert.ok(reg.startColumn! > [...line.slice(0, reg.startColumn! - 1)].length, 'counted in UTF-16 units, not code points');
    const flagged = line.slice(reg.startColumn! - 1, reg.endLine === reg.startLine ? reg.endColumn! - 1 : undefined);
    assert.ok(flagged.endsWith(')') || flagged.endsWith('`'), `the end column is exclusive: ${flagged}`);
    assert.ok(res.relatedLocations?.length, 'the taint source is a related location');
  });

  it('lists skipped files as tool execution notifications, and executionSuccessful', () => {
    const inv = log.runs[0].invocations![0];
    assert.equal(inv.executionSuccessful, true);
    const n = inv.toolExecutionNotifications!.find((x) => x.descriptor?.id === 'skipped/binary');
    assert.ok(n);
    assert.equal(n.locations![0].physicalLocation!.artifactLocation!.uri, 'src/bin.js');
  });

  it('partialFingerprints stay the same when unrelated lines are inserted above', async () => {
    const before = new Map(log.runs[0].results!.map((r) => [r.partialFingerprints!['shipsafe/v1'], r.locations![0].physicalLocation!.region!.startLine]));
    const file = join(dir, 'src/app.js');
    writeFileSync(file, `/* eslint-disable */\n// Products API\n\n'use strict';\n${readFileSync(file, 'utf8')}`);
    const r = await cli(dir, ['scan', '--format', 'sarif']);
    const after: Log = JSON.parse(r.stdout);
    assertValid(after);
    const now = new Map(after.runs[0].results!.map((x) => [x.partialFingerprints!['shipsafe/v1'], x.locations![0].physicalLocation!]));
    assert.deepEqual([...now.keys()].sort(), [...before.keys()].sort());
    let moved = 0;
    for (const [fp, loc] of now) {
      if (loc.artifactLocation!.uri === 'src/app.js') {
        assert.equal(loc.region!.startLine, before.get(fp)! + 4);
        moved++;
      }
    }
    assert.ok(moved >= 1);
  });
});

describe('SARIF writer: fixes, notifications, odd paths', () => {
  const text = `const a = 1;\nconst q = 'SELECT ' + id;\n`;
  const lines = new LineMap(text);
  const start = text.indexOf("'SELECT");
  const end = text.indexOf(';', start);
  const finding: Finding = {
    ruleId: 'sql-injection', severity: 'error', confidence: 'medium', message: 'SQL built from a value.',
    file: 'src/q.js', range: lines.range(start, end), cwe: [89], owasp: 'A03:2021 Injection', fingerprint: '0123456789abcdef0123456789abcdef',
    fixes: [
      {
        title: 'Use a parameter', safety: 'suggestion', note: 'Check the call site.',
        edits: [
          { file: 'src/q.js', textEdits: [{ start, end, newText: "'SELECT $1'" }, { start: 0, end: 6, newText: '' }] },
          { file: '/abs/root/src/db-helpers.js', create: true, textEdits: [{ start: 0, end: 0, newText: 'export const x = 1;\n' }] },
        ],
      },
    ],
  };

  it('writes fixes as artifact changes with deleted regions and inserted content; file creation as an insertion into an empty artifact', () => {
    const log = toSarif(
      { root: '/abs/root', findings: [finding], skipped: [], ruleErrors: [{ file: 'src/q.js', ruleId: 'sql-injection', error: 'TypeError: boom\n    at x' }], rules: allRules, filesAnalyzed: 1 },
      { readText: (f) => (f === 'src/q.js' ? text : undefined) },
    );
    assertValid(log);
    assertGitHubReady(log);
    const fix = log.runs[0].results![0].fixes![0];
    assert.equal(fix.description!.text, 'Use a parameter. Check the call site.');
    const [same, created] = fix.artifactChanges;
    assert.equal(same.artifactLocation.uri, 'src/q.js');
    assert.deepEqual(same.replacements[0].deletedRegion, { charOffset: 0, charLength: 6, startLine: 1, startColumn: 1, endLine: 1, endColumn: 7 });
    assert.equal(same.replacements[0].insertedContent, undefined, 'a pure deletion has no inserted content');
    assert.deepEqual(same.replacements[1].deletedRegion, { charOffset: start, charLength: end - start, startLine: 2, startColumn: 11, endLine: 2, endColumn: 25 });
    assert.equal(same.replacements[1].insertedContent!.text, "'SELECT $1'");
    assert.equal(created.artifactLocation.uri, 'src/db-helpers.js');
    assert.equal(created.artifactLocation.uriBaseId, '%SRCROOT%');
    assert.equal(created.properties!.createsArtifact, true);
    assert.deepEqual(created.replacements, [{ deletedRegion: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 1, charOffset: 0, charLength: 0 }, insertedContent: { text: 'export const x = 1;\n' } }]);
    const note = log.runs[0].invocations![0].toolExecutionNotifications![0];
    assert.equal(note.level, 'error');
    assert.equal(note.associatedRule!.id, 'sql-injection');
    assert.doesNotMatch(note.message.text ?? '', /at x/, 'only the first line of a stack');
  });

  it('without the file text, fix regions fall back to character offsets', () => {
    const log = toSarif({ root: '/abs/root', findings: [finding], skipped: [], ruleErrors: [], rules: allRules, filesAnalyzed: 1 });
    assertValid(log);
    assert.deepEqual(log.runs[0].results![0].fixes![0].artifactChanges[0].replacements[0].deletedRegion, { charOffset: 0, charLength: 6 });
  });

  it('percent-encodes path segments into valid relative URI references', () => {
    assert.equal(relativeUri('app/(marketing)/[...slug]/page.tsx'), 'app/%28marketing%29/%5B...slug%5D/page.tsx');
    assert.equal(relativeUri('a b/c#d?.js'), 'a%20b/c%23d%3F.js');
    assert.equal(relativeUri('weird:name.js'), 'weird%3Aname.js');
    assert.equal(relativeUri('ünï/cödé.ts'), '%C3%BCn%C3%AF/c%C3%B6d%C3%A9.ts');
  });

  it('an empty scan is still a valid log', () => {
    const log = toSarif({ root: '/x', findings: [], skipped: [], ruleErrors: [], rules: [], filesAnalyzed: 0 });
    assertValid(log);
    assert.deepEqual(log.runs[0].results, []);
  });
});

describe('SARIF code flows (request data followed across modules)', () => {
  let dir: string;
  let log: Log;
  before(async () => {
    dir = tempDir();
    cpSync(join(__dirname, '..', 'projects', 'express-layered'), dir, { recursive: true });
    const r = await cli(dir, ['scan', '--format', 'sarif']);
    assert.equal(r.code, 1, r.stderr);
    log = JSON.parse(r.stdout);
  });
  after(() => cleanup(dir));

  it('is valid against the schema and GitHub constraints, with codeFlows', () => {
    assertValid(log);
    assertGitHubReady(log);
  });

  it('gives the route → service → DAO path as one thread flow ending at the query', () => {
    const res = log.runs[0].results!.find((r) => r.ruleId === 'sql-injection' && r.locations![0].physicalLocation!.artifactLocation!.uri === 'dao/userDao.js' && r.locations![0].physicalLocation!.region!.startLine === 6);
    assert.ok(res, 'the injection in the DAO is reported');
    assert.equal(res.properties?.confidence, 'high');
    const steps = res.codeFlows?.[0]?.threadFlows[0].locations ?? [];
    const where = steps.map((s) => `${s.location!.physicalLocation!.artifactLocation!.uri}:${s.location!.physicalLocation!.region!.startLine}`);
    assert.deepEqual(where, ['routes/users.js:9', 'routes/users.js:9', 'services/userService.js:5', 'dao/userDao.js:4', 'dao/userDao.js:6']);
    for (const s of steps) assert.equal(s.location!.physicalLocation!.artifactLocation!.uriBaseId, '%SRCROOT%');
  });
});
