/**
 * Shortcuts the rules take instead of walking the tree again: each must give what the full computation gives, on
 * every file of the fixtures, test projects and examples.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ts } from 'ts-morph';
import { analyzeText, parseForAnalysis, summarizeForAnalysis } from '../../src/engine/analyze';
import { allRules } from '../../src/engine/rules';
import { NameTable, type Rule } from '../../src/engine/model/rule';
import { DEFAULT_CONFIG } from '../../src/engine/config/config';
import { mayNameRequestType, REQUEST_TYPE, TaintAnalyzer } from '../../src/engine/taint/taint';
import { forEachNodeBelow, isFunctionLike } from '../../src/engine/util/ast';
import { sourceFilesUnder } from '../helpers/fixtures';
import { isPasswordName, isPasswordNameByWords } from '../../src/engine/rules/crypto/weak-password-hash';
import { onOneLine } from '../../src/engine/rules/injection/regex-dos';
import { mayCallModuleItself } from '../../src/engine/rules/config/missing-security-headers';
import { assignedName } from '../../src/engine/rules/crypto/predictable-token';
import { gadgetOf } from '../../src/engine/rules/injection/prototype-pollution';
import { memberChain } from '../../src/engine/util/ast';
import { calledFunction } from '../../src/engine/util/resolve-values';
import { collectFacts } from '../../src/engine/facts';
import type { RuleContext } from '../../src/engine/model/rule';
import { isPasswordKey, isPasswordKeyByWords } from '../../src/engine/rules/auth/weak-password-policy';

const root = join(__dirname, '..', '..');

/** Every fixture, project and example file the analysis parses: its tree (parent pointers set) and the walk's nodes. */
function analysedFiles(): { file: string; text: string; sf: ts.SourceFile; nodes: readonly ts.Node[] }[] {
  const out: { file: string; text: string; sf: ts.SourceFile; nodes: readonly ts.Node[] }[] = [];
  for (const file of ['test/fixtures', 'test/projects', 'examples'].flatMap((d) => sourceFilesUnder(join(root, d)))) {
    const text = readFileSync(file, 'utf8');
    const sf = parseForAnalysis(file, text);
    const s = sf && summarizeForAnalysis(sf, text, DEFAULT_CONFIG);
    if (s) out.push({ file, text, sf: s.prepared.sourceFile, nodes: s.prepared.nodes });
  }
  return out;
}

const files = analysedFiles();

/** Every name and string of the files (identifiers, property names, string literals), and names made to hold the words in odd ways. */
function names(): string[] {
  const out = new Set<string>();
  for (const { sf, nodes } of files) {
    for (const n of nodes) {
      const visit = (c: ts.Node): void => {
        if (ts.isIdentifier(c) || ts.isPrivateIdentifier(c) || ts.isStringLiteralLike(c)) out.add(c.text);
        ts.forEachChild(c, visit);
      };
      if (n.parent === sf) visit(n);
    }
  }
  for (const w of ['pass', 'pw', 'pwd', 'password', 'passwd', 'passphrase', 'passcode', 'pword', 'hash', 'confirm', 'new', 'old']) {
    for (const t of [w, w.toUpperCase(), `${w[0].toUpperCase()}${w.slice(1)}`, `user_${w}`, `${w}Hash`, `new${w}`, `my-${w}-2`, `x${w}y`, `\u212a${w}`, `${w}\u00e9`, `P${w.slice(1)}`, `${w}_${w}`]) out.add(t);
  }
  return [...out];
}

const isAssignment = (n: ts.Node) => ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken;

const where = (sf: ts.SourceFile, n: ts.Node) => `${ts.SyntaxKind[n.kind]}@${n.getStart(sf)}`;

describe('rule shortcuts', () => {
  it('the calls and binary expressions below a node, read from the walk\'s nodes, are those a walk of the subtree finds', () => {
    assert.ok(files.length > 100, `${files.length} files`);
    let roots = 0, found = 0;
    for (const { file, sf, nodes } of files) {
      const facts = { } as never;
      const fromNodes = new TaintAnalyzer(sf, facts, undefined, { nodes });
      const walked = new TaintAnalyzer(sf, facts);
      const calls = nodes.filter(ts.isCallExpression);
      const assignments = nodes.filter(isAssignment);
      const compare = (r: ts.Node, withRoot: boolean) => {
        const a: ts.Node[] = [], b: ts.Node[] = [];
        fromNodes.eachCallOrBinary(r, withRoot, (n) => a.push(n));
        walked.eachCallOrBinary(r, withRoot, (n) => b.push(n));
        assert.deepEqual(a.map((n) => where(sf, n)), b.map((n) => where(sf, n)), `${file}: below ${where(sf, r)}`);
        assert.ok(a.every((n, i) => n === b[i]), `${file}: below ${where(sf, r)}, the same nodes`);
        // and from a list of one kind of them (prototype-pollution keeps the file's assignments and calls as its
        // visitors are given them): the nodes of that kind, in the same order
        for (const [list, keep] of [[calls, ts.isCallExpression], [assignments, isAssignment]] as const) {
          const c: ts.Node[] = [];
          if (withRoot && keep(r)) c.push(r);
          forEachNodeBelow(list, r, (n) => c.push(n));
          assert.deepEqual(c.map((n) => where(sf, n)), b.filter((n) => keep(n)).map((n) => where(sf, n)), `${file}: below ${where(sf, r)}, one kind`);
        }
        roots++; found += a.length;
      };
      compare(sf, false);
      // every function's body with itself (an arrow's expression body may be one), and every node of the walk
      for (const n of nodes) {
        if (isFunctionLike(n) && n.body) compare(n.body, true);
        compare(n, false);
      }
    }
    assert.ok(roots > 10_000 && found > 10_000, `${roots} roots, ${found} nodes found`);
  });

  it('a password name is told from its letters before its words: the same answer as by the words alone', () => {
    const all = names();
    assert.ok(all.length > 2000, `${all.length} names`);
    let yes = 0;
    for (const n of all) {
      assert.equal(isPasswordName(n), isPasswordNameByWords(n), JSON.stringify(n));
      assert.equal(isPasswordKey(n), isPasswordKeyByWords(n), JSON.stringify(n));
      if (isPasswordName(n)) yes++;
    }
    assert.ok(yes > 50, `${yes} password names`);
  });

  it('a visitor given by name (sameVisitor, as a table or a kind\'s visitor) finds what it finds when it is given every node of its kinds', () => {
    // the full computation: each table's one visitor on every call and `new`, every property, every member access,
    // after the rule's own visitor of that kind (the order the engine runs them in)
    const TABLE_KINDS: Record<string, string[]> = {
      calls: ['CallExpression', 'NewExpression'],
      properties: ['PropertyAssignment', 'ShorthandPropertyAssignment'],
      members: ['PropertyAccessExpression'],
    };
    let tables = 0;
    const full: Rule[] = allRules.map((rule) => !rule.create ? rule : {
      ...rule,
      create(ctx) {
        const v = rule.create!(ctx) as Record<string, unknown>;
        const out: Record<string, unknown> = {};
        // a kind's visitor for some names (`CallExpression: sameVisitor(…)`) on every node of the kind
        for (const [key, fn] of Object.entries(v)) {
          if (key in TABLE_KINDS) continue;
          if (fn instanceof NameTable) tables++;
          out[key] = fn instanceof NameTable ? fn.visitor : fn;
        }
        // and the tables' visitors after the kind's own, on every node of their kinds
        for (const [key, fn] of Object.entries(v)) {
          if (!(key in TABLE_KINDS)) continue;
          if (!(fn instanceof NameTable)) { out[key] = fn; continue; }
          tables++;
          const visit = fn.visitor as (n: ts.Node) => void;
          for (const kind of TABLE_KINDS[key]) {
            const own = out[kind] as ((n: ts.Node) => void) | undefined;
            out[kind] = own ? (n: ts.Node) => { own(n); visit(n); } : visit;
          }
        }
        return out as never;
      },
    });
    const shape = (r: ReturnType<typeof analyzeText>) => JSON.stringify({ findings: r.findings, errors: r.ruleErrors.map((e) => e.ruleId) });
    let findings = 0;
    // every finding (files under fixtures/ are test files: their findings are low)
    const config = { ...DEFAULT_CONFIG, minConfidence: 'low' as const };
    for (const { file, text } of files) {
      const a = analyzeText({ path: file, text }, { rules: allRules, config });
      const b = analyzeText({ path: file, text }, { rules: full, config });
      assert.equal(shape(b), shape(a), file);
      findings += a.findings.length;
    }
    assert.ok(tables > 100 && findings > 500, `${tables} tables, ${findings} findings`);
  });

  it('two offsets are on one line, read from the text between them, as TypeScript\'s line table says', () => {
    const line = (sf: ts.SourceFile, at: number) => sf.getLineAndCharacterOfPosition(at).line;
    // every offset pair of texts with each kind of line break (CRLF, lone CR, LF, U+2028, U+2029, at the edges too)
    for (const text of ['a\r\nb\rc\nd\u2028e\u2029f', '\r\n\r\r\n\n', 'x\r', '\ny\r\n', 'no break at all', '']) {
      const sf = ts.createSourceFile('t.js', text, ts.ScriptTarget.Latest);
      for (let a = 0; a <= text.length; a++) for (let b = 0; b <= text.length; b++) {
        assert.equal(onOneLine(text, a, b), line(sf, a) === line(sf, b), `${JSON.stringify(text)} ${a} ${b}`);
      }
    }
    // and the starts of the nodes of every file, each with the ones near it and a few far away
    let pairs = 0;
    for (const { file, text, sf, nodes } of files) {
      const starts = nodes.map((n) => n.getStart(sf));
      for (let i = 0; i < starts.length; i++) {
        for (const j of [i + 1, i + 2, i + 5, i + 17, starts.length - 1 - i]) {
          if (j < 0 || j >= starts.length) continue;
          assert.equal(onOneLine(text, starts[i], starts[j]), line(sf, starts[i]) === line(sf, starts[j]), `${file} ${starts[i]} ${starts[j]}`);
          pairs++;
        }
      }
    }
    assert.ok(pairs > 50_000, `${pairs} pairs`);
  });

  it('a call that is not to a name or a `default` member is never found to call a module itself or its default export', () => {
    let gated = 0, itself = 0;
    for (const { file, sf, nodes } of files) {
      const facts = collectFacts(sf, file);
      const ctx = { facts, taint: new TaintAnalyzer(sf, facts, undefined, { nodes }) } as unknown as RuleContext;
      for (const n of nodes) {
        if (!ts.isCallExpression(n)) continue;
        const ref = calledFunction(ctx, n);
        const whole = !!ref && (ref.imported === 'default' || ref.imported === '*');
        if (whole) itself++;
        if (mayCallModuleItself(n)) continue;
        gated++;
        assert.ok(!whole, `${file}: ${n.getText(sf).slice(0, 80)} calls ${JSON.stringify(ref)}`);
      }
    }
    assert.ok(gated > 5000 && itself > 100, `${gated} calls answered first, ${itself} calls of a module itself`);
  });

  it('the last name of an assignment\'s target, read without its chain, is the chain\'s last when it has one', () => {
    let named = 0;
    for (const { file, sf, nodes } of files) {
      for (const n of nodes) {
        // every expression a member chain is built of: assignment targets, and every member access and call's callee
        const targets = isAssignment(n) ? [(n as ts.BinaryExpression).left] : ts.isPropertyAccessExpression(n) ? [n] : ts.isCallExpression(n) ? [n.expression] : [];
        for (const t of targets) {
          const last = assignedName(t);
          const chain = memberChain(t);
          if (last === undefined) continue;
          named++;
          if (chain) assert.equal(last, chain[chain.length - 1], `${file}: ${t.getText(sf).slice(0, 80)}`);
        }
      }
    }
    assert.ok(named > 10_000, `${named} names`);
  });

  it('predictable-token finds nothing in a constant, a function or an array, whatever it holds: check asks the kind before the name', () => {
    const run = (code: string) => analyzeText({ path: '/app/src/tokens.ts', text: code }, { rules: allRules, only: ['predictable-token'] }).findings;
    const made = ['Date.now()', 'new Date().getTime()', `crypto.createHash('md5').update(email).digest('hex')`, 'Buffer.from(email).toString(\'base64\')'];
    const values = [`'abc'`, '`token`', '123', 'true', 'false', 'null', ...made.map((m) => `() => ${m}`),
      ...made.map((m) => `function () { return ${m}; }`), ...made.map((m) => `[${m}]`), ...made.map((m) => JSON.stringify(m)), '"Date.now()"'];
    const kinds = new Set<ts.SyntaxKind>();
    for (const v of values) {
      const expr = ts.createSourceFile('x.ts', `(${v})`, ts.ScriptTarget.Latest).statements[0] as ts.ExpressionStatement;
      kinds.add((expr.expression as ts.ParenthesizedExpression).expression.kind);
    }
    assert.ok(kinds.size >= 8, `${kinds.size} kinds of values`);
    for (const name of ['resetToken', 'verificationCode', 'apiKey', 'inviteLink', 'otp']) {
      for (const v of values) {
        const code = `import crypto from 'node:crypto';\nexport function f(email: string) {\n  const ${name} = ${v};\n  const o = { ${name}: ${v} };\n  o.${name} = ${v};\n  return [${name}, o];\n}\n`;
        assert.deepEqual(run(code), [], code);
      }
      // (the same places with a made value are reported: the test can fail)
      const code = `import crypto from 'node:crypto';\nexport function f(email: string) {\n  const ${name} = ${made[0]};\n  const o = { ${name}: ${made[2]} };\n  return [${name}, o];\n}\n`;
      assert.equal(run(code).length, 2, code);
    }
  });

  it('a merge or set-by-path function is found without reading its calls when its body does not spell its name', () => {
    let fns = 0, gadgets = 0;
    // the fixtures' few, and merges written every way: recursive by name, by `this.name`, walking a key path,
    // with the name escaped in the body or in the declaration, and a merge of a different name inside
    const merge = (decl: string, call: string) => `${decl} {
  for (const key in source) {
    if (typeof source[key] === 'object') { if (!target[key]) target[key] = {}; ${call}(target[key], source[key]); }
    else target[key] = source[key];
  }
  return target;
}`;
    const written = [
      merge('function deepMerge(target, source)', 'deepMerge'),
      merge('const deepMerge = (target, source) =>', 'deepMerge'),
      merge('function deepMerge(target, source)', 'deep\\u004Derge'),
      merge('function deep\\u004Derge(target, source)', 'deepMerge'),
      merge('function deepMerge(target, source)', 'otherMerge'),
      `class Store { ${merge('assign(target, source)', 'this.assign')} }`,
      `const o = { ${merge('assign(target, source)', 'this.assign')} };`,
      `function setPath(obj, path, value) { const parts = path.split('.'); let cur = obj; for (let i = 0; i < parts.length - 1; i++) { const k = parts[i]; cur = cur[k] || (cur[k] = {}); } cur[parts[parts.length - 1]] = value; }`,
      `function outer(a, b) { ${merge('function deepMerge(target, source)', 'deepMerge')} return deepMerge(a, b); }`,
    ].map((text, i) => {
      const file = `/app/src/merge-${i}.js`;
      const s = summarizeForAnalysis(parseForAnalysis(file, text)!, text, DEFAULT_CONFIG)!;
      return { file, text, sf: s.prepared.sourceFile, nodes: s.prepared.nodes };
    });
    for (const { file, sf, nodes } of [...files, ...written]) {
      const facts = collectFacts(sf, file);
      const ctx = { sourceFile: sf, facts, taint: new TaintAnalyzer(sf, facts, undefined, { nodes }) } as unknown as RuleContext;
      const seen = { assignments: nodes.filter(isAssignment) as ts.BinaryExpression[], calls: nodes.filter(ts.isCallExpression), dataKeys: new Map() };
      for (const n of nodes) {
        if (!isFunctionLike(n)) continue;
        fns++;
        const quick = gadgetOf(ctx, n, seen);
        const full = gadgetOf(ctx, n, seen, true);
        assert.equal(quick?.write, full?.write, `${file}: ${where(sf, n)}`);
        assert.equal(quick?.kind, full?.kind, `${file}: ${where(sf, n)}`);
        if (full) gadgets++;
      }
    }
    assert.ok(fns > 1000 && gadgets >= 10, `${fns} functions, ${gadgets} merge or set-by-path functions`);
  });

  it('a text that names a request type holds `Request` or `IncomingMessage`', () => {
    let named = 0;
    const texts = files.flatMap((f) => [f.text, ...f.text.split('\n')]);
    for (const t of [...texts, 'NextRequest', 'x: IncomingMessage', 'HonoRequest', 'request', 'REQUEST', 'Requests']) {
      const full = REQUEST_TYPE.test(t);
      if (full) named++;
      if (!mayNameRequestType(t)) assert.ok(!full, JSON.stringify(t.slice(0, 100)));
    }
    assert.ok(named > 100, `${named} texts naming one`);
  });

  it('client-exposed-secret, given only the visitors that can act in the file, finds what it finds with every visitor on every node', () => {
    const rule = allRules.find((r) => r.meta.id === 'client-exposed-secret')!;
    const create = rule.create as (ctx: RuleContext, every?: boolean) => ReturnType<NonNullable<Rule['create']>>;
    const every: Rule = { ...rule, create: (ctx) => create(ctx, true) };
    let given = 0, all = 0;
    const counting = (r: Rule, add: (n: number) => void): Rule => ({ ...r, create(ctx) {
      const v = r.create!(ctx);
      add(Object.values(v).filter(Boolean).length);
      return v;
    } });
    const config = { ...DEFAULT_CONFIG, minConfidence: 'low' as const };
    let findings = 0;
    for (const { file, text } of files) {
      const a = analyzeText({ path: file, text }, { rules: [counting(rule, (n) => { given += n; })], config });
      const b = analyzeText({ path: file, text }, { rules: [counting(every, (n) => { all += n; })], config });
      assert.equal(JSON.stringify(a.findings), JSON.stringify(b.findings), file);
      assert.deepEqual(a.ruleErrors, b.ruleErrors, file);
      findings += a.findings.length;
    }
    assert.ok(findings >= 25 && given < all, `${findings} findings, ${given} visitors given, ${all} with every visitor`);
  });
});
