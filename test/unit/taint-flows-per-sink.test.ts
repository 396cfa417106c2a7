/**
 * The summary asks, for each exported function, which parameters reach its return value without a sink and for each
 * sink kind. `TaintAnalyzer.helperParamFlowsPerSink` evaluates a sink again only when the evaluation without a sink
 * met something that sink could change (a sanitizer's name, `replace`, an object literal, a guard, a helper or an
 * import's returns that do): its answers must be those of `helperParamFlows` asked for each sink, in the same order,
 * on the same kind of analyzer. Compared on every fixture and test project file and on generated helpers that mix
 * sanitizers, guards, object literals, `replace`, helpers calling helpers and recursion.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ts } from 'ts-morph';
import { sourceFilesUnder } from '../helpers/fixtures';
import { languageOf, parse } from '../../src/engine/analyze';
import { collectFacts } from '../../src/engine/facts';
import { TaintAnalyzer, type SinkKind } from '../../src/engine/taint/taint';

const root = join(__dirname, '..', '..');
const SINKS: SinkKind[] = ['sql', 'nosql', 'html', 'path', 'url', 'command', 'code', 'log', 'object'];

const analyzer = (sf: ts.SourceFile, path: string) => new TaintAnalyzer(sf, collectFacts(sf, path), { assumeReturns: true }, { quickNone: true });

/** The functions the summary would ask about (keyed, with a body and parameters), in the order given. */
function askable(t: TaintAnalyzer, order: 'forward' | 'backward' | 'odd'): ts.FunctionLikeDeclaration[] {
  const fns = t.functions.allKeyed().map(([fn]) => fn).filter((fn) => fn.body && fn.parameters.length);
  if (order === 'backward') return fns.reverse();
  if (order === 'odd') return fns.filter((_, i) => i % 2 === 1);
  return fns;
}

const plain = (s: Set<number>) => [...s].sort((a, b) => a - b);

/**
 * Both ways on one tree, each with its own analyzer; returns how many (function, sink) pairs the shortcut answered
 * without evaluating and how many functions it was asked about with some parameter flowing.
 */
function compare(path: string, text: string, order: 'forward' | 'backward' | 'odd'): { skipped: number; asked: number; flowing: number; differing: number } {
  const sf = parse(path, text, languageOf(path) as 'typescript');
  const full = analyzer(sf, path), fast = analyzer(sf, path);
  const a = askable(full, order), b = askable(fast, order);
  assert.equal(a.length, b.length, path);
  let skipped = 0, asked = 0, flowing = 0, differing = 0;
  for (let i = 0; i < a.length; i++) {
    const any = full.helperParamFlows(a[i]);
    const perSink = any.size ? SINKS.map((k) => full.helperParamFlows(a[i], k)) : [];
    const got = fast.helperParamFlowsPerSink(b[i], SINKS);
    const where = `${path}: ${full.functions.keyOf(a[i])}`;
    assert.deepEqual(plain(got.any), plain(any), where);
    assert.deepEqual(got.bySink.map(plain), perSink.map(plain), where);
    differing += perSink.filter((s) => plain(s).join() !== plain(any).join()).length;
    if (any.size) {
      flowing++;
      asked += SINKS.length;
      const mask = (fast as unknown as { sinksChanging(fn: ts.FunctionLikeDeclaration): number }).sinksChanging(b[i]);
      skipped += SINKS.filter((_, j) => !(mask & (1 << j))).length;
    }
  }
  return { skipped, asked, flowing, differing };
}

/** A small deterministic generator (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A module of helpers that call each other (forwards and backwards, so some recursion), each returning a mix of its
 * parameters through sanitizers of one sink or another, `replace`, object literals, templates, guards, callbacks
 * and methods on `this`.
 */
function generated(seed: number): string {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const n = 3 + Math.floor(r() * 6);
  // helpers named as sanitizers of one sink or another: without a sink they pass their argument on
  const lines: string[] = ["import { helper } from './other';", "const LIST = ['a', 'b'];",
    'function purifySvg(s) { return s; }', 'function escapeHtmlText(s) { return `${s}`; }', 'const quote = (s) => s;',
    'function redact(s) { return s.trim(); }', 'function sanitizeFilename(s) { return s; }', 'function escapeId(s) { return s; }'];
  const expr = (self: number, params: string[], depth: number): string => {
    const p = () => pick(params);
    const call = () => { const j = Math.floor(r() * n); return `f${j}(${params.map(() => (r() < 0.7 ? p() : `'k'`)).join(', ')})`; };
    if (depth > 2) return pick([p(), `'const'`, call()]);
    const sub = () => expr(self, params, depth + 1);
    return pick([
      () => p(),
      () => call(),
      () => `escape(${sub()})`,
      () => `encodeURIComponent(${sub()})`,
      () => `sanitizeHtml(${sub()})`,
      () => `purifySvg(${sub()})`,
      () => `String(${sub()})`,
      () => `path.basename(${sub()})`,
      () => `sqlstring.escape(${sub()})`,
      () => `parseInt(${sub()}, 10)`,
      () => `{ value: ${sub()} }`,
      () => `\`x\${${sub()}}\``,
      () => `${sub()}.replace(/[^a-z0-9]/g, '')`,
      () => `${sub()}.replace(/\\.\\.\\//g, '')`,
      () => `${sub()} || ${sub()}`,
      () => `${p()} ? ${sub()} : ${sub()}`,
      () => `[${sub()}, ${sub()}].join(',')`,
      () => `helper(${sub()})`,
      () => `${sub()}.trim()`,
      () => `${p()}.map((x) => ${sub()})`,
      () => `quote(${sub()})`,
      () => `redact(${sub()})`,
      () => `escapeHtmlText(${sub()})`,
      () => `sanitizeFilename(${sub()})`,
      () => `escapeId(${sub()})`,
      () => `format('%s', ${sub()})`,
      () => `${sub()}.toString()`,
      () => `pick(${sub()}, ['a'])`,
    ])();
  };
  for (let i = 0; i < n; i++) {
    const params = ['a', 'b', 'c'].slice(0, 1 + Math.floor(r() * 3));
    const body: string[] = [];
    if (r() < 0.3) body.push(`  if (LIST.includes(${pick(params)})) { return ${pick(params)}; }`);
    if (r() < 0.2) body.push(`  if (${pick(params)}.startsWith('/safe/')) { return ${pick(params)}; }`);
    if (r() < 0.2) body.push(`  if (typeof ${pick(params)} === 'string') { return ${pick(params)}; }`);
    if (r() < 0.3) body.push(`  let v = ${expr(i, params, 1)};`, `  v += ${expr(i, params, 2)};`, '  return v;');
    else body.push(`  return ${expr(i, params, 0)};`);
    lines.push(`export function f${i}(${params.join(', ')}) {`, ...body, '}');
  }
  lines.push('export class Service {',
    `  run(a, b) { return this.wrap(f0(a, b), b); }`,
    `  wrap(a, b) { return ${r() < 0.5 ? 'escape(a)' : '{ a, b }'}; }`,
    '}');
  return lines.join('\n') + '\n';
}

describe('helperParamFlowsPerSink: the flows of helperParamFlows for each sink', () => {
  it('on every fixture and test project file, in three orders', () => {
    const files = [...sourceFilesUnder(join(root, 'test', 'fixtures')), ...sourceFilesUnder(join(root, 'test', 'projects'))]
      .filter((f) => { const l = languageOf(f); return !!l && l !== 'python'; });
    let skipped = 0, asked = 0, flowing = 0;
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      for (const order of ['forward', 'backward', 'odd'] as const) {
        const c = compare(file, text, order);
        skipped += c.skipped; asked += c.asked; flowing += c.flowing;
      }
    }
    assert.ok(files.length > 500, `${files.length} files`);
    // the shortcut is taken, and not always
    assert.ok(flowing > 200, `${flowing} functions with flows`);
    assert.ok(skipped > asked / 4 && skipped < asked, `${skipped} of ${asked} answered without evaluating`);
  });

  it('on generated helpers that sanitize, guard, build objects and call each other', () => {
    let skipped = 0, asked = 0, differing = 0;
    for (let seed = 1; seed <= 400; seed++) {
      const text = generated(seed);
      for (const order of ['forward', 'backward', 'odd'] as const) {
        const c = compare(`gen/${seed}.ts`, text, order);
        skipped += c.skipped; asked += c.asked; differing += c.differing;
      }
    }
    assert.ok(skipped > asked / 10 && skipped < asked, `${skipped} of ${asked} answered without evaluating`);
    // and a sink often finds other flows than none does
    assert.ok(differing > asked / 10, `${differing} of ${asked} differ from the flows without a sink`);
  });
});
