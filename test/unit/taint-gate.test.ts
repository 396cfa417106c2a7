/**
 * The taint analysis answers at once for a file where no request data can enter (TaintAnalyzer's `quickNone`,
 * `requestDataPossible`): the answer must be the one the full evaluation gives, on every file of the fixtures and
 * on spellings that hide a source behind escapes.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sourceFilesUnder } from '../helpers/fixtures';
import { ts } from 'ts-morph';
import { collectFacts } from '../../src/engine/facts';
import { TaintAnalyzer } from '../../src/engine/taint/taint';
import { parse, languageOf } from '../../src/engine/analyze';
import { summarizeTree } from '../../src/engine/taint/summaries';

const root = join(__dirname, '..', '..');

function analyzers(path: string, text: string) {
  const lang = languageOf(path);
  if (!lang || lang === 'python') return undefined;
  const sf = parse(path, text, lang);
  const facts = collectFacts(sf, path);
  return { sf, quick: new TaintAnalyzer(sf, facts, undefined, { quickNone: true }), full: new TaintAnalyzer(sf, facts) };
}

/** Every expression that is an argument of a call or the initializer of a declaration: what rules ask about. */
function asked(sf: ts.SourceFile): ts.Expression[] {
  const out: ts.Expression[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isCallExpression(n) || ts.isNewExpression(n)) out.push(...(n.arguments ?? []));
    if (ts.isVariableDeclaration(n) && n.initializer) out.push(n.initializer);
    if (ts.isReturnStatement(n) && n.expression) out.push(n.expression);
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

describe('taint: files where no request data can enter', () => {
  it('gives the answers of the full evaluation on every fixture and test project file', () => {
    let gated = 0;
    for (const file of [...sourceFilesUnder(join(root, 'test', 'fixtures')), ...sourceFilesUnder(join(root, 'test', 'projects'))]) {
      const a = analyzers(file, readFileSync(file, 'utf8'));
      if (!a) continue;
      if (!a.quick.requestDataPossible()) gated++;
      for (const e of asked(a.sf)) {
        for (const sink of [undefined, 'sql', 'log', 'html'] as const) {
          const q = a.quick.taintOf(e, sink);
          const f = a.full.taintOf(e, sink);
          assert.equal(q?.label, f?.label, `${file}: ${e.getText(a.sf).slice(0, 80)} (${sink ?? 'any'})`);
        }
      }
    }
    // the fixtures hold library-style files too: the shortcut is taken on some of them
    assert.ok(gated > 0, 'no fixture file without a request source');
  });

  it('summaries (inter-procedural taint) are the same with the shortcut as without, on every fixture and test project file', () => {
    let files = 0;
    for (const file of [...sourceFilesUnder(join(root, 'test', 'fixtures')), ...sourceFilesUnder(join(root, 'test', 'projects'))]) {
      const text = readFileSync(file, 'utf8');
      const lang = languageOf(file);
      if (!lang || lang === 'python') continue;
      const summary = (quickNone: boolean) => {
        const sf = parse(file, text, lang);
        const facts = collectFacts(sf, file);
        return summarizeTree(sf, file, text, new TaintAnalyzer(sf, facts, { assumeReturns: true }, { quickNone }));
      };
      assert.deepEqual(summary(true), summary(false), file);
      files++;
    }
    assert.ok(files > 100, `${files} files`);
  });

  it('says no only for text that names no source', () => {
    const possible = (text: string, path = 'src/lib/util.js') => analyzers(path, text)!.quick.requestDataPossible();
    assert.equal(possible('function add(a, b) { return a + b; }\nconsole.log(add(1, 2));'), false);
    assert.equal(possible('const x = require("lodash");\nmodule.exports = (list) => x.uniq(list);'), false);
    // a parameter named like a request, or typed as one
    assert.equal(possible('module.exports = (req, res) => res.send(req.query.q);'), true);
    assert.equal(possible('export function h(r: NextRequest) { return r.nextUrl; }', 'src/h.ts'), true);
    assert.equal(possible('module.exports = (ctx) => ctx.query;'), true);
    // escapes: the names the analysis reads are the cooked ones
    assert.equal(possible('module.exports = (\\u0072eq, res) => res.send(\\u0072eq.query.q);'), true);
    assert.equal(possible('module.exports = (\\u{72}eq, res) => res.send(\\u{72}eq.query.q);'), true);
    assert.equal(possible('const h = window["loc\\x61tion"].hash; module.exports = h;'), true);
    assert.equal(possible('const h = window["loc\\141tion"].hash; module.exports = h;'), true);
    assert.equal(possible('const h = window["lo\\\ncation"].hash; module.exports = h;'), true);
    assert.equal(possible('const h = document["\\u0055RL"]; module.exports = h;'), true);
    assert.equal(possible('export async function save(id) { "use\\x20server"; await db.delete(id); }'), true);
    // a control escape is a separator, not a letter: `\n` before `req` keeps `req` a word of its own
    assert.equal(possible('const s = "a\\nreq";'), true);
    // browser sources and hooks
    assert.equal(possible('const n = window.name; module.exports = n;'), true);
    assert.equal(possible('addEventListener("message", (e) => run(e.data));'), true);
    assert.equal(possible('const p = useSearchParams();', 'src/c.tsx'), true);
    // Next.js files, server actions, Hono and NestJS are never skipped
    assert.equal(possible('export async function GET(r) { return r; }', 'app/api/x/route.js'), true);
    assert.equal(possible('"use server";\nexport async function a(x) { return x; }', 'src/actions.js'), true);
    assert.equal(possible('import { Hono } from "hono";\nconst app = new Hono();\napp.get("/", (c) => c.text(c.req.query("q")));'), true);
  });

  it('reads the scans of a scope (writes, guards, checked members) from the walk\'s nodes as from a walk of its own', () => {
    let scopes = 0;
    for (const file of [...sourceFilesUnder(join(root, 'test', 'fixtures')), ...sourceFilesUnder(join(root, 'test', 'projects'))]) {
      const lang = languageOf(file);
      if (!lang || lang === 'python') continue;
      const text = readFileSync(file, 'utf8');
      const sf = parse(file, text, lang);
      const facts = collectFacts(sf, file);
      // a walk's nodes in document order (every node: the analyzer picks the kinds it reads)
      const nodes: ts.Node[] = [];
      const visit = (n: ts.Node): void => { if (n !== sf) nodes.push(n); ts.forEachChild(n, visit); };
      visit(sf);
      const walked = new TaintAnalyzer(sf, facts, undefined, { nodes });
      const own = new TaintAnalyzer(sf, facts);
      const roots: ts.Node[] = [sf];
      const collect = (n: ts.Node): void => { if (ts.isFunctionLike(n) || ts.isBlock(n)) roots.push(n); ts.forEachChild(n, collect); };
      collect(sf);
      for (const r of roots) {
        scopes++;
        const a = walked.writesIn(r), b = own.writesIn(r);
        assert.deepEqual([...a.assignments].map(([k, v]) => [k, v.map((x) => x.pos)]), [...b.assignments].map(([k, v]) => [k, v.map((x) => x.pos)]), file);
        assert.deepEqual([...a.values].map(([k, v]) => [k, v.map((x) => x.pos)]), [...b.values].map(([k, v]) => [k, v.map((x) => x.pos)]), file);
      }
      for (const e of asked(sf)) {
        for (const sink of [undefined, 'path', 'nosql', 'html'] as const) {
          assert.equal(walked.taintOf(e, sink)?.label, own.taintOf(e, sink)?.label, `${file}: ${e.getText(sf).slice(0, 80)} (${sink ?? 'any'})`);
          assert.equal(walked.isSafeValue(e, sink, 0), own.isSafeValue(e, sink, 0), `${file}: ${e.getText(sf).slice(0, 80)} (${sink ?? 'any'})`);
        }
      }
    }
    assert.ok(scopes > 1000, `${scopes} scopes`);
  });

  it('is not taken when other modules pass request data in', () => {
    const sf = parse('src/lib/util.js', 'function run(q) { return db.query(q); }\nmodule.exports = { run };', 'javascript');
    const t = new TaintAnalyzer(sf, collectFacts(sf, 'src/lib/util.js'), { incoming: { run: { 0: { label: 'req.body.q', hops: [] } } } }, { quickNone: true });
    assert.equal(t.requestDataPossible(), true);
  });
});
