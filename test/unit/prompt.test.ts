/**
 * The secure prompt on example projects of our own (test/prompt/projects): stack detection from real files,
 * golden preambles (set SHIPSAFE_UPDATE_GOLDEN=1 to rewrite them after a deliberate change, then read the diff),
 * tailoring that differs where the stacks differ, findings shown as counts only, task focus, determinism, length.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allRules } from '../../src/engine';
import { scanFiles } from '../../src/engine/project/scan';
import { discoverFiles } from '../../src/engine/project/discover';
import { DEFAULT_CONFIG } from '../../src/engine/config/config';
import {
  buildPreamble, cleanTask, detectStack, pythonDependencies, type DetectedStack, type FindingSummary,
} from '../../src/engine/prompt';
import { collectProjectFiles, detectProjectStack } from '../../src/engine/prompt/project-files';

const projects = join(__dirname, '..', 'prompt', 'projects');
const goldenDir = join(__dirname, '..', 'prompt', 'golden');
const UPDATE = process.env.SHIPSAFE_UPDATE_GOLDEN === '1';
const ruleTitles = Object.fromEntries(allRules.map((r) => [r.meta.id, r.meta.title]));

const stacks = new Map<string, Promise<DetectedStack>>();
function stack(name: string): Promise<DetectedStack> {
  if (!stacks.has(name)) stacks.set(name, detectProjectStack(join(projects, name)));
  return stacks.get(name)!;
}
const ids = (s: DetectedStack) => s.items.map((i) => i.id);

function golden(name: string, actual: string): void {
  const file = join(goldenDir, `${name}.md`);
  if (UPDATE || !existsSync(file)) {
    mkdirSync(goldenDir, { recursive: true });
    writeFileSync(file, actual);
    if (!UPDATE) assert.fail(`wrote the missing golden file ${file}; check it and run again`);
    return;
  }
  assert.equal(actual, readFileSync(file, 'utf8'), `preamble differs from ${file} (SHIPSAFE_UPDATE_GOLDEN=1 rewrites it)`);
}

// the findings a scan of the example projects gives (pinned here so the goldens do not move with rule tuning;
// a separate test scans for real)
const EXPRESS_FINDINGS: FindingSummary[] = [
  { ruleId: 'sql-injection', file: 'src/routes/notes.js' },
  { ruleId: 'sql-injection', file: 'src/routes/notes.js' },
  { ruleId: 'jwt-no-expiry', file: 'src/routes/auth.js' },
];
const NEXT_FINDINGS: FindingSummary[] = [
  { ruleId: 'mass-assignment', file: 'app/api/invoices/route.ts' },
  { ruleId: 'verbose-error', file: 'app/api/invoices/route.ts' },
];

function words(md: string): number {
  return md.replace(/`[^`]*`/g, 'x').split(/\s+/).filter(Boolean).length;
}

describe('stack detection on the example projects', () => {
  it('Express + pg', async () => {
    const s = await stack('express-pg');
    assert.deepEqual(ids(s), ['express', 'pg', 'jwt', 'bcrypt', 'zod', 'multer', 'docker', 'cors', 'rate-limit', 'javascript']);
    assert.equal(s.facts.dockerRunsAsRoot, true, 'the Dockerfile has no USER line');
    assert.equal(s.facts.hasServer, true);
    assert.equal(s.items.find((i) => i.id === 'rate-limit')!.package, 'express-rate-limit');
  });

  it('Next.js + Prisma + Supabase + Stripe', async () => {
    const s = await stack('next-saas');
    assert.deepEqual(ids(s), ['nextjs', 'react', 'prisma', 'supabase', 'supabase-auth', 'zod', 'stripe', 'vercel', 'typescript']);
    assert.equal(s.facts.nextAppRouter, true);
    assert.equal(s.facts.nextPagesRouter, false);
  });

  it('Flask + SQLAlchemy (Python, from requirements.txt)', async () => {
    const s = await stack('flask-shop');
    assert.deepEqual(ids(s), ['flask', 'sqlalchemy', 'psycopg', 'sessions', 'marshmallow', 'docker', 'python']);
    assert.equal(s.facts.dockerRunsAsRoot, false, 'the Dockerfile switches to a USER');
    assert.equal(s.facts.dockerignoreMissing, false);
  });

  it('a bare static site', async () => {
    const s = await stack('static-site');
    assert.deepEqual(ids(s), ['static-site', 'javascript']);
    assert.equal(s.facts.hasServer, false);
  });

  it('is independent of file order', async () => {
    const files = await collectProjectFiles(join(projects, 'next-saas'));
    assert.deepEqual(detectStack([...files].reverse()), detectStack(files));
  });

  it('reads pyproject.toml (PEP 621 and Poetry), Pipfile and requirements with comments and extras', () => {
    assert.deepEqual(pythonDependencies('pyproject.toml', [
      '[project]', 'name = "api"', 'dependencies = [', '  "FastAPI>=0.110",', '  "SQLAlchemy[asyncio]~=2.0",  # orm', ']',
      '[project.optional-dependencies]', 'dev = ["pytest"]',
      '[tool.poetry.dependencies]', 'python = "^3.12"', 'stripe = "^9"', 'Flask_Login = { version = "*" }',
    ].join('\n')), ['fastapi', 'flask-login', 'pytest', 'sqlalchemy', 'stripe']);
    assert.deepEqual(pythonDependencies('requirements-dev.txt', '# tools\n-r requirements.txt\nDjango>=5 # web\npsycopg[binary]==3.2\n\n'), ['django', 'psycopg']);
    assert.deepEqual(pythonDependencies('Pipfile', '[packages]\nflask = "*"\n[dev-packages]\nblack = "*"\n'), ['black', 'flask']);
  });

  it('detects routers, FastAPI implying pydantic, monorepo packages and compose files from paths and texts', () => {
    const s = detectStack([
      { path: 'apps/web/package.json', text: JSON.stringify({ dependencies: { next: '15', 'next-auth': '5' } }) },
      { path: 'apps/web/pages/api/hello.ts' },
      { path: 'apps/web/src/app/settings/page.tsx' },
      { path: 'services/api/pyproject.toml', text: '[project]\ndependencies = ["fastapi", "openai"]\n' },
      { path: 'services/api/main.py' },
      { path: 'compose.yaml', text: 'services: {}' },
    ]);
    assert.deepEqual(ids(s), ['nextjs', 'fastapi', 'react', 'nextauth', 'pydantic', 'openai', 'docker', 'typescript', 'python']);
    assert.equal(s.facts.nextAppRouter, true);
    assert.equal(s.facts.nextPagesRouter, true);
  });

  it('never reads .env files (only their names are listed)', async () => {
    const dir = join(tmpdir(), `shipsafe-prompt-env-${process.pid}`);
    mkdirSync(dir, { recursive: true });
    try {
      writeFileSync(join(dir, '.env'), 'STRIPE_SECRET_KEY=sk_live_dontreadme\n');
      writeFileSync(join(dir, 'package.json'), '{"dependencies":{"express":"4"}}');
      const files = await collectProjectFiles(dir);
      const env = files.find((f) => f.path === '.env');
      assert.ok(env, '.env is listed');
      assert.equal(env.text, undefined, '.env content is not read');
      assert.ok(!JSON.stringify(files).includes('dontreadme'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('golden preambles', () => {
  it('Express + pg, with its open findings', async () => {
    golden('express-pg', buildPreamble({ stack: await stack('express-pg'), findings: EXPRESS_FINDINGS, ruleTitles }).markdown);
  });
  it('Express + pg, task "file upload endpoint"', async () => {
    golden('express-pg.upload', buildPreamble({ stack: await stack('express-pg'), findings: EXPRESS_FINDINGS, task: 'file upload endpoint', ruleTitles }).markdown);
  });
  it('Next.js + Prisma + Supabase + Stripe, with its open findings', async () => {
    golden('next-saas', buildPreamble({ stack: await stack('next-saas'), findings: NEXT_FINDINGS, ruleTitles }).markdown);
  });
  it('Next.js + Prisma + Supabase + Stripe, task "Stripe checkout"', async () => {
    golden('next-saas.checkout', buildPreamble({ stack: await stack('next-saas'), task: 'Stripe checkout', ruleTitles }).markdown);
  });
  it('Flask + SQLAlchemy', async () => {
    golden('flask-shop', buildPreamble({ stack: await stack('flask-shop'), ruleTitles }).markdown);
  });
  it('Flask + SQLAlchemy, task "login"', async () => {
    golden('flask-shop.login', buildPreamble({ stack: await stack('flask-shop'), task: 'login', ruleTitles }).markdown);
  });
  it('bare static site', async () => {
    golden('static-site', buildPreamble({ stack: await stack('static-site'), ruleTitles }).markdown);
  });
  it('bare static site, task "AI chat endpoint"', async () => {
    golden('static-site.ai', buildPreamble({ stack: await stack('static-site'), task: 'AI chat endpoint', ruleTitles }).markdown);
  });
});

describe('tailoring', () => {
  it('differs where the stacks differ: each names its own tools and leaves out the others\'', async () => {
    const md = async (name: string) => buildPreamble({ stack: await stack(name) }).markdown;
    const express = await md('express-pg');
    const next = await md('next-saas');
    const flask = await md('flask-shop');
    const site = await md('static-site');

    assert.match(express, /pool\.query\('SELECT … WHERE id = \$1', \[id\]\)/);
    assert.match(express, /zod at the route boundary/);
    assert.match(express, /jwt\.verify\(token, secret, \{ algorithms: \['HS256'\] \}\)/);
    assert.match(express, /express-rate-limit/);
    assert.match(express, /The Dockerfile has no `USER` line/);
    assert.doesNotMatch(express, /Prisma|Supabase|NEXT_PUBLIC|SQLAlchemy/);

    assert.match(next, /NEXT_PUBLIC_\*/);
    assert.match(next, /\$queryRawUnsafe/);
    assert.match(next, /Row Level Security/);
    assert.match(next, /supabase\.auth\.getUser\(\)/);
    assert.match(next, /constructEvent\(await req\.text\(\)/);
    assert.match(next, /route handler and server action/);
    assert.doesNotMatch(next, /pool\.query|express|SQLAlchemy|Dockerfile/i);

    assert.match(flask, /SQLAlchemy use the ORM or `text\(/);
    assert.match(flask, /SESSION_COOKIE_SECURE/);
    assert.match(flask, /os\.environ/);
    assert.doesNotMatch(flask, /does not read Python/);
    assert.match(flask, /Run Shipsafe on the files you changed/);
    assert.doesNotMatch(flask, /process\.env|zod|Prisma|`missing-security-headers`/, 'no Node tools and no rule ids the analyzer cannot check on Python');

    assert.match(site, /textContent/);
    assert.match(site, /Content-Security-Policy/);
    assert.doesNotMatch(site, /SQL|Authorization|Rate limits|process\.env/);

    // the requirement sets differ too
    const reqs = async (name: string) => buildPreamble({ stack: await stack(name) }).requirements.map((r) => r.id);
    assert.ok((await reqs('next-saas')).includes('supabase-rls'));
    assert.ok(!(await reqs('express-pg')).includes('supabase-rls'));
    assert.deepEqual(await reqs('static-site'), ['secrets-server-env', 'html-output', 'security-headers']);
  });

  it('every requirement traces to rules or checklist items, and the trace lists them', async () => {
    for (const name of ['express-pg', 'next-saas', 'flask-shop', 'static-site']) {
      const p = buildPreamble({ stack: await stack(name), task: 'login', findings: name === 'next-saas' ? NEXT_FINDINGS : [] });
      for (const r of p.requirements) {
        assert.ok(r.rules.length + r.checklist.length > 0, `${name}: ${r.id}`);
        for (const id of r.rules) assert.ok(p.traces.rules.includes(id));
        for (const id of r.checklist) assert.ok(p.traces.checklist.includes(id));
      }
    }
  });

  it('stays well under a page: at most 650 words and 40 lines, even with a task and findings', async () => {
    for (const name of ['express-pg', 'next-saas', 'flask-shop', 'static-site']) {
      for (const task of [undefined, 'file upload endpoint', 'login and Stripe checkout', 'AI chat endpoint', 'admin dashboard']) {
        const md = buildPreamble({ stack: await stack(name), findings: [...EXPRESS_FINDINGS, ...NEXT_FINDINGS], task, ruleTitles }).markdown;
        assert.ok(words(md) <= 650, `${name} / ${task}: ${words(md)} words`);
        assert.ok(md.split('\n').length <= 40, `${name} / ${task}: ${md.split('\n').length} lines`);
      }
    }
  });

  it('is deterministic and has no trailing spaces', async () => {
    const s = await stack('next-saas');
    const a = buildPreamble({ stack: s, findings: NEXT_FINDINGS, task: 'admin dashboard' }).markdown;
    const b = buildPreamble({ stack: s, findings: [...NEXT_FINDINGS].reverse(), task: 'admin dashboard' }).markdown;
    assert.equal(a, b);
    assert.doesNotMatch(a, / +\n/);
    assert.ok(a.endsWith('\n') && !a.endsWith('\n\n'));
  });
});

describe('findings and task focus', () => {
  it('the most frequent open rules become "do not repeat" lines with counts, from a real scan, never code', async () => {
    const root = join(projects, 'express-pg');
    const files = await discoverFiles(root, { respectGitignore: false });
    const out = await scanFiles(files, { config: DEFAULT_CONFIG, rules: allRules, root });
    const findings = out.results.flatMap((r) => r.findings);
    assert.ok(findings.some((f) => f.ruleId === 'sql-injection'), 'the example has SQL injections');
    const p = buildPreamble({ stack: await stack('express-pg'), findings, ruleTitles });
    const sql = p.findings.find((g) => g.ruleId === 'sql-injection')!;
    assert.equal(sql.count, 2);
    assert.equal(sql.files, 1);
    assert.equal(p.findings[0].ruleId, 'sql-injection', 'most frequent first');
    assert.match(p.markdown, /### Open findings: do not repeat these\n\n- SQL query built from strings \(`sql-injection`\): 2 findings in 1 file\. Instead, pass values as query parameters\./);
    // no code and no file names from the findings
    assert.doesNotMatch(p.markdown, /req\.query|ILIKE|notes\.js|auth\.js/);
    // a rule with findings pulls its requirement in
    assert.ok(p.requirements.some((r) => r.id === 'sql-parameterized' && r.reason === 'finding'));
  });

  it('a finding pulls in its requirement even when the stack alone would not', async () => {
    const p = buildPreamble({ stack: await stack('static-site'), findings: [{ ruleId: 'sql-injection', file: 'x.js' }], ruleTitles });
    assert.ok(p.requirements.some((r) => r.id === 'sql-parameterized' && r.reason === 'finding'));
    assert.match(p.markdown, /Never paste values into SQL text/);
  });

  it('shows at most four finding kinds and summarises the rest', async () => {
    const rules = ['sql-injection', 'ssrf', 'open-redirect', 'verbose-error', 'jwt-no-expiry', 'weak-cipher'];
    const findings = rules.flatMap((id, i) => Array.from({ length: 6 - i }, (_, k) => ({ ruleId: id, file: `f${k}.js` })));
    const p = buildPreamble({ stack: await stack('express-pg'), findings, ruleTitles });
    assert.deepEqual(p.findings.map((g) => g.ruleId), rules.slice(0, 4));
    assert.match(p.markdown, /…and 3 more findings of 2 other kinds\./);
  });

  it('task controls for each kind of task from the issue', async () => {
    const s = await stack('express-pg');
    const section = (task: string) => buildPreamble({ stack: s, task }).markdown.split('### For this task: ')[1].split('###')[0];
    assert.match(section('file upload endpoint'), /multer with `limits: \{ fileSize, files \}`/);
    assert.match(section('file upload endpoint'), /never `file\.originalname` in a path/);
    assert.match(section('login'), /Throttle attempts with express-rate-limit/);
    assert.match(section('login'), /lockout/);
    assert.match(section('login'), /bcrypt hashes/);
    assert.match(section('Stripe checkout'), /express\.raw\(\{ type: 'application\/json' \}\)/);
    assert.match(section('Stripe checkout'), /idempotent/);
    assert.match(section('admin dashboard'), /Check per resource/);
    assert.match(section('AI chat endpoint'), /quotas/);
    assert.match(section('AI chat endpoint'), /override instructions/);
    assert.match(section('something unusual'), /Validate every input of the new code/);
  });

  it('the task text is shown cleaned: one line, no Markdown or HTML', () => {
    assert.equal(cleanTask('  `rm -rf`\n## <script>alert(1)</script> **upload**  '), 'rm -rf scriptalert(1)/script upload');
    assert.equal(cleanTask('x'.repeat(300)).length, 100);
  });
});
