/**
 * The project model's module facts read from the analysis's walk (the nodes in document order, parent pointers set)
 * are the facts extracted by walking the tree itself, on every file of the fixtures, test projects and examples;
 * so are the session facts when they are read on first use.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sourceFilesUnder } from '../helpers/fixtures';
import { ts } from 'ts-morph';
import { parseForAnalysis, parseForModel } from '../../src/engine/analyze';
import { DEFAULT_CONFIG } from '../../src/engine/config/config';
import { extractModuleFacts } from '../../src/engine/project-model/extract';

const root = join(__dirname, '..', '..');

/** Every node below the file in document order, with parent pointers set (as the analysis walks). */
function walk(sf: ts.SourceFile): ts.Node[] {
  const out: ts.Node[] = [];
  const visit = (n: ts.Node): void => {
    ts.forEachChild(n, (c) => { (c as { parent: ts.Node }).parent = n; out.push(c); visit(c); });
  };
  visit(sf);
  return out;
}

describe('module facts from the walk', () => {
  it('equal the facts of a walk of their own', () => {
    let files = 0, mounts = 0, params = 0, sessions = 0;
    for (const file of ['test/fixtures', 'test/projects', 'examples'].flatMap((d) => sourceFilesUnder(join(root, d)))) {
      const text = readFileSync(file, 'utf8');
      const own = parseForAnalysis(file, text);
      const walked = parseForAnalysis(file, text);
      if (!own || !walked) continue;
      files++;
      const a = extractModuleFacts(own, file);
      const b = extractModuleFacts(walked, file, { nodes: walk(walked) });
      assert.deepEqual(b, a, file);
      // session facts read on first use: the same values
      const again = parseForAnalysis(file, text)!;
      const lazy = extractModuleFacts(again, file, { nodes: walk(again), lazySession: true });
      assert.deepEqual(lazy.session, a.session, file);
      assert.deepEqual(JSON.parse(JSON.stringify(lazy)), JSON.parse(JSON.stringify(a)), file);
      if (a.session) sessions++;
      mounts += a.mounts.length;
      params += a.mounts.filter((m) => m.recvParamOf !== undefined).length;
    }
    assert.ok(files > 100 && mounts > 50 && params > 0 && sessions > 20, `${files} files, ${mounts} mounts, ${params} on a parameter, ${sessions} with session facts`);
  });

  it('equal the facts of a walk of their own when read from the calls the summary listed (parseForModel)', () => {
    let files = 0, summarised = 0, calls = 0;
    for (const file of ['test/fixtures', 'test/projects', 'examples'].flatMap((d) => sourceFilesUnder(join(root, d)))) {
      const text = readFileSync(file, 'utf8');
      const own = parseForAnalysis(file, text);
      const model = parseForModel(file, text, DEFAULT_CONFIG);
      if (!own || !model) continue;
      files++;
      const a = extractModuleFacts(own, file);
      assert.deepEqual(model.parse.moduleFacts, a, file);
      const prepared = model.parse.prepared;
      if (!prepared) continue;
      summarised++;
      // the summary's list of calls is the walk's calls, in its order
      const listed = prepared.functions.allCalls();
      const walked = prepared.nodes.filter(ts.isCallExpression);
      assert.equal(listed.length, walked.length, file);
      listed.forEach((c, i) => assert.equal(c, walked[i], file));
      calls += listed.length;
    }
    assert.ok(files > 100 && summarised > 100 && calls > 1000, `${files} files, ${summarised} summarised, ${calls} calls`);
  });

  it('find a refusal (403) however it is written, where the walk\'s nodes do not hold numbers', () => {
    const origin = (status: string) => `import express from 'express';
const app = express();
app.use((req, res, next) => {
  if (req.headers.origin !== 'https://app.example.com') { ${status}; return; }
  next();
});
`;
    const cases: [string, boolean][] = [
      ['res.status(403).end()', true], ['res.sendStatus(0x193)', true], ['res.status(4_03).end()', true],
      ['res.status(403.0).end()', true], ['res.status(4.03e2).end()', true], ['res.status(0b110010011).end()', true],
      ['res.status(0o623).end()', true], ['res.status(0623).end()', true], ['res.status(40.3E1).end()', true],
      ['res.status(401).end()', false], ['res.status(0x191).end()', false], ['res.end()', false],
    ];
    for (const [status, csrf] of cases) {
      const text = origin(status);
      const own = parseForAnalysis('app.js', text)!;
      const walked = parseForAnalysis('app.js', text)!;
      const a = extractModuleFacts(own, 'app.js');
      const b = extractModuleFacts(walked, 'app.js', { nodes: walk(walked) });
      assert.deepEqual(b, a, status);
      assert.equal(a.session?.csrf, csrf ? 'origin check' : undefined, status);
    }
  });
});
