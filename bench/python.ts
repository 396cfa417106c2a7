/**
 * Python per-file benchmark (`npm run bench:python`). Prints medians measured in one run:
 *
 * - the bare tree-sitter parse of a 2,000-line Flask app (generated below: routes with queries, forms, files,
 *   templates and outbound calls, the code the Python rules look at);
 * - the full analysis of that file from scratch (parse + facts + one walk + every rule that covers Python);
 * - the re-analysis after a one-character edit, as in the editor (incremental parse from the previous tree);
 * - each rule's share, so a slow rule is visible by name;
 * - when Debian's python3-django is installed, the same for the largest Django modules (real, well-written code).
 *
 *   npm run bench:python [-- --quick]
 */
import { existsSync, readFileSync } from 'node:fs';
import { analyzeText, allRules, DEFAULT_CONFIG, loadPythonParser } from '../src/engine';
import { parsePython } from '../src/engine/python/parser';

const quick = process.argv.includes('--quick');
const rounds = quick ? 5 : 25;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** A Flask app of about `lines` lines, made of varied route blocks. */
export function flaskApp(lines: number): string {
  const head = [
    'import os', 'import sqlite3', 'import subprocess', '', 'import requests', 'import yaml',
    'from flask import Flask, jsonify, redirect, render_template, request, send_from_directory, url_for', '',
    'app = Flask(__name__)', 'app.secret_key = os.environ["SECRET_KEY"]', '', '',
    'def db():', '    return sqlite3.connect("app.db")', '', '',
  ];
  const blocks = [
    (i: number) => [
      `@app.get("/items${i}")`, `def list_items${i}():`, '    category = request.args.get("category", "")',
      '    page = request.args.get("page", 1, type=int)',
      `    rows = db().execute("SELECT id, name FROM items${i} WHERE category = ? LIMIT 20 OFFSET ?", (category, page * 20)).fetchall()`,
      '    return jsonify([{"id": r[0], "name": r[1]} for r in rows])', '', '',
    ],
    (i: number) => [
      `@app.post("/items${i}")`, `def create_item${i}():`, '    data = request.get_json() or {}', '    name = str(data.get("name", "")).strip()',
      '    if not name or len(name) > 200:', '        return jsonify({"error": "invalid name"}), 400',
      `    db().execute("INSERT INTO items${i} (name) VALUES (?)", (name,))`, `    return redirect(url_for("list_items${i}"))`, '', '',
    ],
    (i: number) => [
      `@app.get("/files${i}/<path:name>")`, `def download${i}(name):`, `    return send_from_directory("files${i}", name)`, '', '',
      `@app.get("/status${i}")`, `def status${i}():`, '    r = requests.get("https://status.example.com/api.json", timeout=5)',
      '    config = yaml.safe_load(open("config.yaml"))', '    return render_template("status.html", status=r.json(), config=config)', '', '',
    ],
    (i: number) => [
      `@app.post("/report${i}")`, `def report${i}():`, '    kind = request.form.get("kind", "daily")', '    if kind not in {"daily", "weekly"}:',
      '        return "bad kind", 400', '    out = subprocess.run(["make-report", "--kind", kind], capture_output=True, text=True, check=False)',
      '    return jsonify({"ok": out.returncode == 0, "lines": out.stdout.splitlines()[:50]})', '', '',
    ],
  ];
  const out = [...head];
  for (let i = 0; out.length < lines; i++) out.push(...blocks[i % blocks.length](i));
  return out.slice(0, lines).join('\n') + '\n';
}

function measure(label: string, text: string) {
  const parse: number[] = [];
  const full: number[] = [];
  const edit: number[] = [];
  const ruleMs: Record<string, number[]> = {};
  const stage = { parse: [] as number[], facts: [] as number[], walk: [] as number[] };
  let findings = 0;
  for (let i = 0; i < rounds + 2; i++) {
    let t = performance.now();
    parsePython(`bench-parse-${label}-${i}.py`, text);
    const p = performance.now() - t;
    t = performance.now();
    const r = analyzeText({ path: `bench-${label}-${i}.py`, text }, { rules: allRules, config: DEFAULT_CONFIG, timings: true });
    const f = performance.now() - t;
    findings = r.findings.length;
    // the editor's case: the same path, one character typed in the middle
    const mid = text.indexOf('\n', text.length >> 1) + 1;
    const edited = text.slice(0, mid) + '#' + text.slice(mid);
    t = performance.now();
    analyzeText({ path: `bench-${label}-${i}.py`, text: edited }, { rules: allRules, config: DEFAULT_CONFIG });
    const e = performance.now() - t;
    if (i < 2) continue; // warm-up
    parse.push(p); full.push(f); edit.push(e);
    for (const [id, ms] of Object.entries(r.timings?.rulesMs ?? {})) (ruleMs[id] ??= []).push(ms);
    if (r.timings) { stage.parse.push(r.timings.parseMs); stage.facts.push(r.timings.factsMs); stage.walk.push(r.timings.walkMs); }
  }
  const lines = text.split('\n').length - 1;
  console.log(`\n${label}: ${lines} lines, ${(text.length / 1024).toFixed(0)} KiB, ${findings} findings (${rounds} rounds, medians)`);
  console.log(`| step | median |\n|---|---:|`);
  console.log(`| bare tree-sitter parse | ${median(parse).toFixed(2)} ms |`);
  console.log(`| full analysis from scratch | ${median(full).toFixed(2)} ms (${(median(full) / median(parse)).toFixed(2)}× the parse) |`);
  console.log(`| re-analysis after a one-character edit | ${median(edit).toFixed(2)} ms |`);
  console.log(`stages of the full analysis: parse ${median(stage.parse).toFixed(2)} ms, facts ${median(stage.facts).toFixed(2)} ms, walk + rules ${median(stage.walk).toFixed(2)} ms`);
  const slow = Object.entries(ruleMs).map(([id, xs]) => [id, median(xs)] as const).sort((a, b) => b[1] - a[1]).slice(0, 5);
  console.log(`slowest rules: ${slow.map(([id, ms]) => `${id} ${ms.toFixed(2)} ms`).join(', ')}`);
}

async function main() {
  await loadPythonParser();
  measure('generated Flask app', flaskApp(2000));
  for (const f of ['/usr/lib/python3/dist-packages/django/db/models/query.py', '/usr/lib/python3/dist-packages/django/contrib/admin/options.py']) {
    if (existsSync(f)) measure(f.replace('/usr/lib/python3/dist-packages/', ''), readFileSync(f, 'utf8'));
  }
}

if (require.main === module) main().catch((e) => { console.error(e); process.exit(1); });
