/**
 * "Move secret to .env" on real folders with real git repositories: what lands in .env, .env.example and
 * .gitignore, idempotence, name conflicts, CRLF files, git tracking warnings, browser code, and that the value
 * never appears anywhere but .env.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { allRules, analyzeText, loadPythonParser, type Finding, type Fix } from '../../src/engine';
import { applyTextEdits, parseDotenv, prepareFixes, resolveProjectFixes } from '../../src/engine/fixes';
import { pyDotenvLine, pyLiteralValue } from '../../src/engine/fixes/env';
import { nodeFixHost } from '../../src/engine/project/fix-host';

const STRIPE = 'sk_live_51NqLr2Kx9vTm4WbQzY7pHcD3fJ8sA6gE0uRtV1nM5yXkP2';
const OTHER_STRIPE = 'sk_live_51PzQw8Yt3vRb6NcX2mKd9LhF4sG7aJ0eUiT5oW1nZ8yVxC4';

function git(cwd: string, ...args: string[]): void {
  const r = spawnSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', '-c', 'commit.gpgsign=false', ...args], { cwd, encoding: 'utf8' });
  assert.equal(r.status, 0, `git ${args.join(' ')}: ${r.stderr}`);
}

interface Project { root: string; write(rel: string, text: string): void; read(rel: string): string | undefined; cleanup(): void }

function project(files: Record<string, string>, opts: { git?: boolean } = {}): Project {
  const root = mkdtempSync(join(tmpdir(), 'shipsafe-env-'));
  const p: Project = {
    root,
    write(rel, text) { mkdirSync(dirname(join(root, rel)), { recursive: true }); writeFileSync(join(root, rel), text); },
    read(rel) { return existsSync(join(root, rel)) ? readFileSync(join(root, rel), 'utf8') : undefined; },
    cleanup() { rmSync(root, { recursive: true, force: true }); },
  };
  for (const [rel, text] of Object.entries(files)) p.write(rel, text);
  if (opts.git) git(root, 'init', '-q');
  return p;
}

const RULES = allRules.filter((r) => r.meta.id === 'hardcoded-secret' || r.meta.id === 'hardcoded-session-secret');

/** The move-to-env fix for the first secret finding of `rel`, resolved against the folder on disk. */
function moveFix(p: Project, rel: string, opts: { git?: boolean } = {}): { fix: Fix; finding: Finding; text: string } {
  const text = p.read(rel)!;
  const r = analyzeText({ path: rel, text }, { rules: RULES });
  const finding = r.findings.find((f) => f.fixData);
  assert.ok(finding, `no finding with fix data in ${rel}: ${r.findings.map((f) => f.ruleId).join(', ')}`);
  const fixes = resolveProjectFixes(finding, text, nodeFixHost({ git: !!opts.git }), { absPath: join(p.root, rel), root: p.root });
  assert.equal(fixes.length, 1);
  return { fix: fixes[0], finding, text };
}

/** Writes a fix's edits to disk the way the editor applies a workspace edit. */
function applyToDisk(p: Project, rel: string, fix: Fix): void {
  for (const e of fix.edits) {
    const abs = e.file === rel ? join(p.root, rel) : e.file;
    const before = e.create ? '' : readFileSync(abs, 'utf8');
    if (e.create) assert.ok(!existsSync(abs), `${e.file} is marked create but exists`);
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, applyTextEdits(before, e.textEdits));
  }
}

/** Asserts the secret is nowhere in the fix but in the .env edit. */
function assertValueOnlyInEnv(fix: Fix, value: string): void {
  assert.ok(!fix.title.includes(value.slice(8, 24)), `the title shows the secret: ${fix.title}`);
  assert.ok(!(fix.note ?? '').includes(value.slice(8, 24)), 'the note shows the secret');
  for (const e of fix.edits) {
    const text = e.textEdits.map((t) => t.newText).join('');
    if (/[\\/]\.env$/.test(e.file)) continue;
    assert.ok(!text.includes(value.slice(8, 24)), `${e.file} would receive the secret`);
  }
}

const PKG = JSON.stringify({ name: 'shop', version: '1.0.0', dependencies: { express: '^4.19.2', stripe: '^14.0.0' } }, null, 2);

describe('move secret to .env', () => {
  it('creates .env, .env.example and .gitignore next to package.json and reads the key from process.env', () => {
    const p = project({ 'package.json': PKG, 'src/billing/stripe.ts': `import Stripe from 'stripe';\n\nexport const stripe = new Stripe('${STRIPE}');\n` }, { git: true });
    try {
      const { fix } = moveFix(p, 'src/billing/stripe.ts', { git: true });
      assert.equal(fix.safety, 'suggestion');
      assert.match(fix.title, /^Move the secret \(sk_live_…\(\d+ chars\)\) to \.\.\/\.\.\/\.env as STRIPE_SECRET_KEY$/);
      assertValueOnlyInEnv(fix, STRIPE);
      assert.match(fix.note ?? '', /--env-file=\.env|dotenv/, 'says how .env gets loaded when nothing loads it');
      applyToDisk(p, 'src/billing/stripe.ts', fix);
      assert.equal(p.read('src/billing/stripe.ts'), "import Stripe from 'stripe';\n\nexport const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);\n");
      assert.equal(p.read('.env'), `STRIPE_SECRET_KEY=${STRIPE}\n`);
      assert.equal(p.read('.env.example'), 'STRIPE_SECRET_KEY=\n');
      assert.equal(p.read('.gitignore'), '.env\n');
      // git agrees that .env is ignored now
      assert.equal(spawnSync('git', ['check-ignore', '-q', '.env'], { cwd: p.root }).status, 0);
      // the fixed file has no finding left
      const after = analyzeText({ path: 'src/billing/stripe.ts', text: p.read('src/billing/stripe.ts')! }, { rules: RULES });
      assert.equal(after.findings.length, 0);
    } finally { p.cleanup(); }
  });

  it('keeps existing .env content and CRLF line endings, and adds a missing final line break', () => {
    const env = '# local settings\r\nPORT=3000\r\nDATABASE_URL=postgres://localhost/shop';
    const p = project({ 'package.json': PKG, '.env': env, '.env.example': 'PORT=\r\n', '.gitignore': 'node_modules\r\n.env*\r\n', 'server.js': `const Stripe = require('stripe');\r\nconst stripe = Stripe('${STRIPE}');\r\nmodule.exports = stripe;\r\n` });
    try {
      const { fix } = moveFix(p, 'server.js');
      assert.deepEqual(fix.edits.map((e) => relative(p.root, e.file === 'server.js' ? join(p.root, 'server.js') : e.file)).sort(), ['.env', '.env.example', 'server.js'], '.gitignore already covers .env');
      applyToDisk(p, 'server.js', fix);
      assert.equal(p.read('.env'), `${env}\r\nSTRIPE_SECRET_KEY=${STRIPE}\r\n`);
      assert.equal(p.read('.env.example'), 'PORT=\r\nSTRIPE_SECRET_KEY=\r\n');
      assert.equal(p.read('.gitignore'), 'node_modules\r\n.env*\r\n');
      assert.equal(p.read('server.js'), "const Stripe = require('stripe');\r\nconst stripe = Stripe(process.env.STRIPE_SECRET_KEY);\r\nmodule.exports = stripe;\r\n");
    } finally { p.cleanup(); }
  });

  it('never overwrites a variable with another value: it picks another name', () => {
    const p = project({ 'package.json': PKG, '.env': `STRIPE_SECRET_KEY=${OTHER_STRIPE}\n`, '.gitignore': '.env\n', 'pay.js': `const stripe = require('stripe')('${STRIPE}');\n` });
    try {
      const { fix } = moveFix(p, 'pay.js');
      assert.match(fix.title, /as STRIPE_SECRET_KEY_2$/);
      applyToDisk(p, 'pay.js', fix);
      const env = parseDotenv(p.read('.env')!);
      assert.equal(env.get('STRIPE_SECRET_KEY'), OTHER_STRIPE, 'the existing value is untouched');
      assert.equal(env.get('STRIPE_SECRET_KEY_2'), STRIPE);
      assert.equal(p.read('pay.js'), "const stripe = require('stripe')(process.env.STRIPE_SECRET_KEY_2);\n");
    } finally { p.cleanup(); }
  });

  it('reuses a variable that already holds the same value (no .env edit)', () => {
    const p = project({ 'package.json': PKG, '.env': `STRIPE_SECRET_KEY=${STRIPE}\n`, '.env.example': 'STRIPE_SECRET_KEY=\n', '.gitignore': '.env\n', 'pay.js': `const stripe = require('stripe')('${STRIPE}');\n` });
    try {
      const { fix } = moveFix(p, 'pay.js');
      assert.deepEqual(fix.edits.map((e) => e.file), ['pay.js'], 'only the source changes');
      assert.match(fix.title, /as STRIPE_SECRET_KEY$/);
    } finally { p.cleanup(); }
  });

  it('is idempotent: applying it again against the moved files changes nothing more', () => {
    const src = `import Stripe from 'stripe';\nexport const stripe = new Stripe('${STRIPE}');\n`;
    const p = project({ 'package.json': PKG, 'lib/stripe.ts': src }, { git: true });
    try {
      const first = moveFix(p, 'lib/stripe.ts');
      applyToDisk(p, 'lib/stripe.ts', first.fix);
      const snapshot = ['.env', '.env.example', '.gitignore', 'lib/stripe.ts'].map((f) => p.read(f));
      // the same literal again (undo of the source only, or a second copy of the code): nothing is added twice
      p.write('lib/stripe.ts', src);
      const second = moveFix(p, 'lib/stripe.ts');
      assert.deepEqual(second.fix.edits.map((e) => e.file), ['lib/stripe.ts']);
      applyToDisk(p, 'lib/stripe.ts', second.fix);
      assert.deepEqual(['.env', '.env.example', '.gitignore', 'lib/stripe.ts'].map((f) => p.read(f)), snapshot);
    } finally { p.cleanup(); }
  });

  it('respects a .gitignore higher up in the repository', () => {
    const p = project({ '.gitignore': '**/.env\n', 'apps/api/package.json': PKG, 'apps/api/src/pay.ts': `export const key = '${STRIPE}';\n` }, { git: true });
    try {
      const { fix } = moveFix(p, 'apps/api/src/pay.ts', { git: true });
      assert.ok(!fix.edits.some((e) => e.file.endsWith('.gitignore')), 'no .gitignore edit: **/.env already ignores it');
      applyToDisk(p, 'apps/api/src/pay.ts', fix);
      assert.equal(p.read('apps/api/.env'), `STRIPE_SECRET_KEY=${STRIPE}\n`);
      assert.equal(p.read('.env'), undefined);
    } finally { p.cleanup(); }
  });

  it('warns when .env is tracked by git or was committed before: the key must be rotated', () => {
    const p = project({ 'package.json': PKG, '.env': 'PORT=3000\n', 'pay.js': `module.exports = '${STRIPE}';\n` }, { git: true });
    try {
      git(p.root, 'add', '.env', 'package.json');
      git(p.root, 'commit', '-q', '-m', 'init');
      const tracked = moveFix(p, 'pay.js', { git: true }).fix;
      assert.match(tracked.title, /\.env is tracked by git: rotate the key/);
      assert.match(tracked.note ?? '', /git rm --cached \.env/);
      assert.match(tracked.note ?? '', /rotate/);
      git(p.root, 'rm', '-q', '--cached', '.env');
      git(p.root, 'commit', '-q', '-m', 'untrack .env');
      const history = moveFix(p, 'pay.js', { git: true }).fix;
      assert.match(history.title, /in git history: rotate the key/);
      assert.ok(history.edits.some((e) => e.file.endsWith('.gitignore')), '.env is not ignored yet');
      // without git (untrusted workspace) nothing is claimed about history
      const noGit = moveFix(p, 'pay.js').fix;
      assert.doesNotMatch(noGit.title, /rotate/);
    } finally { p.cleanup(); }
  });

  it('warns that a key in a committed source file stays in its history', () => {
    const p = project({ 'package.json': PKG, 'pay.js': `module.exports = '${STRIPE}';\n` }, { git: true });
    try {
      git(p.root, 'add', 'pay.js');
      git(p.root, 'commit', '-q', '-m', 'add payments');
      const { fix } = moveFix(p, 'pay.js', { git: true });
      assert.match(fix.title, /rotate it/);
      assert.match(fix.note ?? '', /pay\.js is in git/);
    } finally { p.cleanup(); }
  });

  it('does not generate a NEXT_PUBLIC_ variable for browser code: it says to move the call to the server', () => {
    const p = project({ 'package.json': JSON.stringify({ dependencies: { next: '14.2.0' } }), 'app/checkout/Pay.tsx': `'use client';\nimport Stripe from 'stripe';\nexport const stripe = new Stripe('${STRIPE}');\n` });
    try {
      const { fix } = moveFix(p, 'app/checkout/Pay.tsx');
      assert.equal(fix.edits.length, 0);
      assert.match(fix.disabled ?? '', /browser/);
      assert.match(fix.disabled ?? '', /server/);
      assert.doesNotMatch(JSON.stringify(fix), /NEXT_PUBLIC_STRIPE|sk_live_51NqLr2Kx9vT/);
    } finally { p.cleanup(); }
  });

  it('drops a literal fallback and moves its value to the variable the code already reads', () => {
    const src = `const Stripe = require('stripe');\nconst stripe = Stripe(process.env.STRIPE_SECRET_KEY || '${STRIPE}');\n`;
    const p = project({ 'package.json': PKG, '.gitignore': '.env\n', 'pay.js': src });
    try {
      const { fix } = moveFix(p, 'pay.js');
      assert.match(fix.title, /Drop the fallback: keep STRIPE_SECRET_KEY/);
      applyToDisk(p, 'pay.js', fix);
      assert.equal(p.read('pay.js'), "const Stripe = require('stripe');\nconst stripe = Stripe(process.env.STRIPE_SECRET_KEY);\n");
      assert.equal(p.read('.env'), `STRIPE_SECRET_KEY=${STRIPE}\n`);
      // a different value already in .env: no silent choice between the two
      p.write('pay.js', src);
      p.write('.env', `STRIPE_SECRET_KEY=${OTHER_STRIPE}\n`);
      const conflict = moveFix(p, 'pay.js').fix;
      assert.equal(conflict.edits.length, 0);
      assert.match(conflict.disabled ?? '', /different value/);
    } finally { p.cleanup(); }
  });

  it('keeps multi-line keys intact (escaped newlines become real ones, quoted in .env)', () => {
    const pem = '-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj\\nMzEfYyjiWA4R4/M2bS1GB4t7NXp98C3SC6dVMvDuictGeurT8jNbvJZHtCSuYEvu\\n-----END PRIVATE KEY-----\\n';
    const p = project({ 'package.json': PKG, '.gitignore': '.env\n', 'google.js': `const credentials = {\n  type: 'service_account',\n  client_email: 'app@demo-project.iam.gserviceaccount.com',\n  private_key: '${pem}',\n};\nmodule.exports = credentials;\n` });
    try {
      const { fix } = moveFix(p, 'google.js');
      applyToDisk(p, 'google.js', fix);
      const env = parseDotenv(p.read('.env')!);
      const name = [...env.keys()][0];
      assert.equal(name, 'GOOGLE_PRIVATE_KEY');
      assert.equal(env.get(name), pem.replace(/\\n/g, '\n'), 'dotenv reads back the exact key');
      assert.match(p.read('google.js')!, /private_key: process\.env\.GOOGLE_PRIVATE_KEY,/);
    } finally { p.cleanup(); }
  });

  it('moves only the key out of a longer string, and escapes $ for loaders that expand variables', () => {
    const p = project({
      'package.json': JSON.stringify({ dependencies: { next: '14.2.0' } }),
      '.gitignore': '.env\n',
      'app/api/pay/route.ts': `export async function POST() {\n  const res = await fetch('https://api.stripe.com/v1/charges', { headers: { Authorization: 'Bearer ${STRIPE}' } });\n  return Response.json(await res.json());\n}\n`,
      'lib/db.ts': "export const dbPassword = 'Tr0ub4dor$3xpandMe!9';\n",
    });
    try {
      const { fix } = moveFix(p, 'app/api/pay/route.ts');
      applyToDisk(p, 'app/api/pay/route.ts', fix);
      assert.match(p.read('app/api/pay/route.ts')!, /Authorization: `Bearer \$\{process\.env\.STRIPE_SECRET_KEY\}`/);
      assert.doesNotMatch(fix.note ?? '', /dotenv/, 'Next.js loads .env itself');
      const db = moveFix(p, 'lib/db.ts').fix;
      applyToDisk(p, 'lib/db.ts', db);
      const line = p.read('.env')!.split('\n').find((l) => l.startsWith('DB_PASSWORD='))!;
      assert.equal(line, 'DB_PASSWORD=Tr0ub4dor\\$3xpandMe!9');
      assert.equal(parseDotenv(p.read('.env')!, true).get('DB_PASSWORD'), 'Tr0ub4dor$3xpandMe!9');
    } finally { p.cleanup(); }
  });

  it('moves a session signing secret, and the fixed file passes the engine guard', () => {
    const src = "import express from 'express';\nimport session from 'express-session';\nconst app = express();\napp.use(session({ secret: 'q8Zr!v3Lp0Xw7Ty2Nc5Bm9Hd', resave: false, saveUninitialized: false }));\n";
    const p = project({ 'package.json': JSON.stringify({ dependencies: { express: '4', 'express-session': '1', dotenv: '16' } }), 'src/app.ts': src });
    try {
      const r = analyzeText({ path: 'src/app.ts', text: src }, { rules: RULES });
      const [prepared] = prepareFixes({ path: 'src/app.ts', text: src }, r.findings, { rules: allRules, host: nodeFixHost({ git: false }), project: { absPath: join(p.root, 'src/app.ts'), root: p.root } });
      const fix = prepared.fixes?.find((f) => /\.env/.test(f.title));
      assert.ok(fix, `no verified move-to-env fix: ${JSON.stringify(prepared.fixes?.map((f) => f.title))}`);
      assert.match(fix.title, /as SESSION_SECRET$/);
      assert.doesNotMatch(fix.note ?? '', /dotenv\/config/, 'dotenv is a dependency');
      applyToDisk(p, 'src/app.ts', fix);
      assert.match(p.read('src/app.ts')!, /session\(\{ secret: process\.env\.SESSION_SECRET!, resave/);
      assert.equal(parseDotenv(p.read('.env')!).get('SESSION_SECRET'), 'q8Zr!v3Lp0Xw7Ty2Nc5Bm9Hd');
    } finally { p.cleanup(); }
  });
});

describe('move secret to .env (Python)', () => {
  before(() => loadPythonParser());

  /** The verified fixes of the first secret finding of a .py file, as the CLI and the editor prepare them. */
  function prepared(p: Project, rel: string): Fix[] {
    const text = p.read(rel)!;
    const r = analyzeText({ path: rel, text }, { rules: RULES });
    const finding = r.findings.find((f) => f.fixData);
    assert.ok(finding, `no finding with fix data in ${rel}: ${r.findings.map((f) => f.ruleId).join(', ')}`);
    const [f] = prepareFixes({ path: rel, text }, [finding], { rules: allRules, host: nodeFixHost({ git: false }), project: { absPath: join(p.root, rel), root: p.root } });
    return f.fixes ?? [];
  }

  it('reads a provider key from os.environ, imports os, and writes .env, .env.example and .gitignore next to requirements.txt', () => {
    const p = project({
      'requirements.txt': 'flask==3.0.3\nstripe==9.9.0\n',
      'app/payments.py': `"""Billing."""\nimport stripe\n\nstripe.api_key = "${STRIPE}"\n`,
    });
    try {
      const fixes = prepared(p, 'app/payments.py');
      assert.equal(fixes.length, 1, `the project fix replaces the inline one: ${fixes.map((f) => f.title).join(' | ')}`);
      const [fix] = fixes;
      assert.match(fix.title, /^Move the secret \(.*\) to \.\.\/\.env as STRIPE_SECRET_KEY$/);
      assertValueOnlyInEnv(fix, STRIPE);
      assert.match(fix.note ?? '', /pip install python-dotenv/);
      applyToDisk(p, 'app/payments.py', fix);
      assert.equal(p.read('app/payments.py'), '"""Billing."""\nimport os\nimport stripe\n\nstripe.api_key = os.environ["STRIPE_SECRET_KEY"]\n');
      assert.equal(p.read('.env'), `STRIPE_SECRET_KEY=${STRIPE}\n`);
      assert.equal(p.read('.env.example'), 'STRIPE_SECRET_KEY=\n');
      assert.equal(p.read('.gitignore'), '.env\n');
      const again = analyzeText({ path: 'app/payments.py', text: p.read('app/payments.py')! }, { rules: RULES });
      assert.deepEqual(again.findings, []);
    } finally { p.cleanup(); }
  });

  it('turns an os.environ.get fallback into os.environ["X"] and moves the literal to X in .env; no note when python-dotenv is installed', () => {
    const p = project({
      'requirements.txt': 'Django==5.0.6\npython-dotenv==1.0.1\n',
      'shop/settings.py': "import os\n\nSECRET_KEY = os.environ.get('DJANGO_SECRET_KEY', 'dj-9f$Kq2!vLw8#Zr4pXt7Nc1Bm6Hd0Sy')\nDEBUG = False\n",
      '.gitignore': '.env\n',
    });
    try {
      const [fix] = prepared(p, 'shop/settings.py');
      assert.ok(fix, 'no fix');
      assert.match(fix.title, /^Drop the fallback: keep DJANGO_SECRET_KEY/);
      assert.equal(fix.note, undefined);
      applyToDisk(p, 'shop/settings.py', fix);
      assert.equal(p.read('shop/settings.py'), 'import os\n\nSECRET_KEY = os.environ["DJANGO_SECRET_KEY"]\nDEBUG = False\n');
      assert.equal(p.read('.env'), "DJANGO_SECRET_KEY='dj-9f$Kq2!vLw8#Zr4pXt7Nc1Bm6Hd0Sy'\n");
      assert.equal(p.read('.gitignore'), '.env\n', '.env was already ignored');
    } finally { p.cleanup(); }
  });

  it('picks another name when .env holds a different value under the usual one', () => {
    const p = project({
      'pyproject.toml': '[project]\nname = "api"\ndependencies = ["fastapi", "pydantic-settings"]\n',
      '.env': `STRIPE_SECRET_KEY=${OTHER_STRIPE}\n`,
      'api/billing.py': `import os\nimport stripe\n\nclient = stripe.StripeClient("${STRIPE}")\n`,
    });
    try {
      const [fix] = prepared(p, 'api/billing.py');
      assert.match(fix.title, /as STRIPE_SECRET_KEY_2$/);
      applyToDisk(p, 'api/billing.py', fix);
      assert.equal(p.read('api/billing.py'), 'import os\nimport stripe\n\nclient = stripe.StripeClient(os.environ["STRIPE_SECRET_KEY_2"])\n');
      const env = parseDotenv(p.read('.env')!);
      assert.equal(env.get('STRIPE_SECRET_KEY'), OTHER_STRIPE, 'the other value is kept');
      assert.equal(env.get('STRIPE_SECRET_KEY_2'), STRIPE);
    } finally { p.cleanup(); }
  });

  it('reads Python literals exactly, and refuses what it cannot read', () => {
    assert.equal(pyLiteralValue(String.raw`"a\nb\x41\u00e9\\\'"`), "a\nbAé\\'");
    assert.equal(pyLiteralValue(String.raw`r'C:\new'`), String.raw`C:\new`);
    assert.equal(pyLiteralValue("'''x'y'''"), "x'y");
    assert.equal(pyLiteralValue('u"k"'), 'k');
    assert.equal(pyLiteralValue('b"bytes"'), undefined);
    assert.equal(pyLiteralValue('f"{x}"'), undefined);
    assert.equal(pyLiteralValue(String.raw`"\d+"`), undefined, 'an unknown escape is kept by Python with a warning: not guessed');
  });

  it('writes .env lines python-dotenv reads back as the same value', () => {
    assert.equal(pyDotenvLine('K', 'abc-123_x.y/z+='), 'K=abc-123_x.y/z+=');
    assert.equal(pyDotenvLine('K', String.raw`a b#c'd\e`), String.raw`K='a b#c\'d\\e'`);
    assert.equal(pyDotenvLine('K', 'line1\nline2"'), String.raw`K="line1\nline2\""`);
    assert.equal(pyDotenvLine('K', 'pre${HOME}'), undefined, 'python-dotenv would expand it');
  });
});
