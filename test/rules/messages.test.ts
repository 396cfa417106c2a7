/**
 * Messages say what is really at stake and name the real source: contracts the fixture harness (which checks
 * lines and confidence) does not see.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText, allRules, DEFAULT_CONFIG } from '../../src/engine';

function findings(path: string, text: string, ruleId: string) {
  const rule = allRules.find((r) => r.meta.id === ruleId)!;
  return analyzeText({ path, text }, { rules: [rule], config: { ...DEFAULT_CONFIG, minConfidence: 'low' } }).findings;
}

describe('hardcoded-session-secret states the impact of each kind of secret', () => {
  it('express-session: a warning that says the session data stays on the server', () => {
    const [f] = findings('server.js', `const session = require('express-session');\napp.use(session({ secret: 'k3yb0ard-cat-8f2a9c', resave: false }));`, 'hardcoded-session-secret');
    assert.equal(f.severity, 'warning');
    assert.match(f.message, /does not hand out sessions/);
    assert.doesNotMatch(f.message, /forge session cookies for any user/);
  });
  it('cookie-parser with no signed cookies: a note', () => {
    const [f] = findings('server.js', `const cookieParser = require('cookie-parser');\napp.use(cookieParser('s3cr3t-value-9f8e7d'));`, 'hardcoded-session-secret');
    assert.equal(f.severity, 'info');
    assert.match(f.message, /none are set in this file/);
  });
  it('cookie-parser with signed cookies: a warning', () => {
    const [f] = findings('server.js', `const cookieParser = require('cookie-parser');\napp.use(cookieParser('s3cr3t-value-9f8e7d'));\napp.get('/', (req, res) => res.cookie('cart', '1', { signed: true }).end());`, 'hardcoded-session-secret');
    assert.equal(f.severity, 'warning');
    assert.match(f.message, /signed: true/);
  });
  it('a JWT secret: an error, tokens can be forged for any user', () => {
    const [f] = findings('auth.js', `const jwt = require('jsonwebtoken');\nexport const t = (u) => jwt.sign({ sub: u.id }, 'sup3r-s3cret-jwt-k3y', { expiresIn: '1h' });`, 'hardcoded-session-secret');
    assert.equal(f.severity, 'error');
    assert.match(f.message, /forge tokens for any user/);
  });
});

describe('dom-xss names where the data comes from', () => {
  it('a fetch response, with the place it enters as a related location', () => {
    const text = `async function load() {\n  const res = await fetch('/api/comments');\n  const items = await res.json();\n  document.querySelector('#list').innerHTML = items.map((c) => \`<li>\${c.body}</li>\`).join('');\n}`;
    const [f] = findings('public/app.js', text, 'dom-xss');
    assert.equal(f.confidence, 'medium');
    assert.match(f.message, /comes from a fetch response/);
    assert.equal(f.related?.[0].range.startPos.line, 2);
  });
  it('a value of unknown origin stays low', () => {
    const [f] = findings('public/app.js', `export function show(html) { document.querySelector('#x').innerHTML = html; }`, 'dom-xss');
    assert.equal(f.confidence, 'low');
  });
});

describe('tls-verification-disabled names the server it is about', () => {
  it('a Kafka client is not "the database connection"', () => {
    const [f] = findings('src/kafka.ts', `import { Kafka } from 'kafkajs';\nexport const kafka = new Kafka({ clientId: 'app', brokers: ['b:9093'], ssl: { rejectUnauthorized: false } });`, 'tls-verification-disabled');
    assert.match(f.message, /Kafka broker/);
    assert.doesNotMatch(f.message, /database/);
  });
  it('a Postgres pool is', () => {
    const [f] = findings('src/db.ts', `import { Pool } from 'pg';\nexport const pool = new Pool({ connectionString: process.env.DATABASE_URL, ssl: { rejectUnauthorized: false } });`, 'tls-verification-disabled');
    assert.match(f.message, /database connection/);
  });
});

describe('taint labels name the value read, not the hook', () => {
  it('router.query.returnTo, not useRouter()', () => {
    const text = `import { useRouter } from 'next/router';\nexport default function P() {\n  const router = useRouter();\n  const go = () => { window.location.href = router.query.returnTo as string; };\n  return <button onClick={go} />;\n}`;
    const [f] = findings('pages/login.tsx', text, 'open-redirect');
    assert.match(f.message, /`router\.query\.returnTo`/);
    assert.doesNotMatch(f.message, /useRouter\(\)/);
  });
});

describe('missing-csrf-protection says why its confidence is what it is', () => {
  const app = (cookie: string, route = "app.post('/email', (req, res) => { setEmail(req.session.userId, req.body.email); res.redirect('/'); });") => [
    "const express = require('express');",
    "const session = require('express-session');",
    'const app = express();',
    'app.use(express.urlencoded({ extended: false }));',
    `app.use(session({ secret: process.env.S${cookie} }));`,
    route,
    'app.listen(3000);',
  ].join('\n');
  it('no sameSite: medium, because Firefox and Safari send the cookie with cross-site form posts', () => {
    const [f] = findings('app.js', app(''), 'missing-csrf-protection');
    assert.equal(f.confidence, 'medium');
    assert.match(f.message, /POST \/email/);
    assert.match(f.message, /Firefox and Safari/);
    assert.match(f.message, /csrf-sync/);
    // the session middleware whose cookie decides it, as a related location
    assert.equal(f.related?.[0].file, 'app.js');
    assert.deepEqual(f.related?.[0].range.startPos, { line: 5, column: 9 });
    assert.match(f.related?.[0].message ?? '', /sets no sameSite/);
  });
  it('sameSite none: high; lax: low, saying what lax leaves open; strict: quiet', () => {
    assert.equal(findings('app.js', app(", cookie: { sameSite: 'none' }"), 'missing-csrf-protection')[0].confidence, 'high');
    const [lax] = findings('app.js', app(", cookie: { sameSite: 'lax' }"), 'missing-csrf-protection');
    assert.equal(lax.confidence, 'low');
    assert.match(lax.message, /other subdomains/);
    assert.deepEqual(findings('app.js', app(", cookie: { sameSite: 'strict' }"), 'missing-csrf-protection'), []);
  });
  it('routes authenticated by a bearer token are quiet even when a session is mounted (not even low)', () => {
    const text = [
      "const express = require('express');",
      "const session = require('express-session');",
      'const app = express();',
      'app.use(express.urlencoded({ extended: false }));',
      'app.use(session({ secret: process.env.S }));',
      "function requireToken(req, res, next) { const h = req.headers.authorization || ''; if (!h.startsWith('Bearer ')) return res.sendStatus(401); req.user = verify(h.slice(7)); next(); }",
      "app.post('/api/tasks', requireToken, (req, res) => { createTask(req.user.id, req.body.title); res.sendStatus(201); });",
      'app.listen(3000);',
    ].join('\n');
    assert.deepEqual(findings('app.js', text, 'missing-csrf-protection'), []);
    // the same route behind a middleware that reads the session is reported
    assert.equal(findings('app.js', text.replace("const h = req.headers.authorization || ''; if (!h.startsWith('Bearer ')) return res.sendStatus(401); req.user = verify(h.slice(7));", 'if (!req.session.userId) return res.sendStatus(401);'), 'missing-csrf-protection')[0]?.confidence, 'medium');
  });
  it('a PUT route: low, and the message says forms cannot send it', () => {
    const [f] = findings('app.js', app('', "app.put('/email', (req, res) => { setEmail(req.session.userId, req.body.email); res.end(); });"), 'missing-csrf-protection');
    assert.equal(f.confidence, 'low');
    assert.match(f.message, /HTML forms cannot send PUT/);
  });
});
