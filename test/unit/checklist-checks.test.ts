/**
 * The checks that run only on request: "Check running app" against two real HTTP servers the test starts on
 * 127.0.0.1 (one hardened, one not), and the dependency check running the real `npm audit` against a local
 * server speaking the registry's bulk-advisory API, and offline.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { projectChecklist } from '../../src/cli/checklist';
import { appFindings, NOT_FOUND_PATH, type Checklist } from '../../src/engine/checklist';
import { runNpmAudit } from '../../src/probe/npm-audit';
import { probeRunningApp } from '../../src/probe/running-app';
import { cleanup, cli, tempDir } from '../cli/_util';

const fixtures = join(__dirname, '..', 'checklist', 'fixtures');
const PAGE = '<!doctype html><html><head><title>Shop</title><script src="/assets/app.js"></script><script src="https://cdn.example.com/x.js"></script></head><body>Shop</body></html>';

function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ server: Server; url: string; requests: string[] }> {
  const requests: string[] = [];
  const server = createServer((req, res) => { requests.push(`${req.method} ${req.url}`); handler(req, res); });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests })));
}

const hardened = (req: IncomingMessage, res: ServerResponse) => {
  const security = {
    'content-security-policy': "default-src 'self'; frame-ancestors 'none'",
    'x-frame-options': 'DENY', 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer',
  };
  if (req.url === '/') {
    res.writeHead(200, { ...security, 'content-type': 'text/html', 'set-cookie': 'sid=s%3Aabc; Path=/; HttpOnly; SameSite=Lax' });
    res.end(PAGE);
    return;
  }
  res.writeHead(404, { ...security, 'content-type': 'text/plain' });
  res.end('Not found');
};

const leaky = (req: IncomingMessage, res: ServerResponse) => {
  const h = { 'x-powered-by': 'Express' };
  switch (req.url) {
    case '/': res.writeHead(200, { ...h, 'content-type': 'text/html', 'set-cookie': 'sid=abc123; Path=/' }); res.end(PAGE); return;
    case '/.env': res.writeHead(200, { ...h, 'content-type': 'application/octet-stream' }); res.end('DATABASE_URL=postgres://app@db/app\nSESSION_SECRET=keyboard cat\n'); return;
    case '/.git/config': res.writeHead(200, { ...h, 'content-type': 'text/plain' }); res.end('[core]\n\trepositoryformatversion = 0\n'); return;
    case '/assets/app.js.map': res.writeHead(200, { ...h, 'content-type': 'application/json' }); res.end('{"version":3,"sources":["../src/app.ts"],"mappings":"AAAA"}'); return;
    default:
      res.writeHead(404, { ...h, 'content-type': 'text/html' });
      res.end(`<pre>Error: Not Found\n    at /srv/shop/server.js:42:11\n    at Layer.handle [as handle_request] (/srv/shop/node_modules/express/lib/router/layer.js:95:5)</pre>`);
  }
};

describe('Check running app (real servers on 127.0.0.1)', () => {
  let good: Awaited<ReturnType<typeof listen>>;
  let bad: Awaited<ReturnType<typeof listen>>;
  let silent: Awaited<ReturnType<typeof listen>>;
  let redirecting: Awaited<ReturnType<typeof listen>>;
  before(async () => {
    good = await listen(hardened);
    bad = await listen(leaky);
    silent = await listen(() => { /* never answers */ });
    redirecting = await listen((_req, res) => { res.writeHead(302, { location: 'http://example.invalid/login' }); res.end(); });
  });
  after(() => {
    for (const s of [good, bad, silent, redirecting]) { s.server.closeAllConnections(); s.server.close(); }
  });
  const item = (c: Checklist, id: string) => c.items.find((i) => i.id === id)!;

  it('the hardened app: headers and cookie flags pass; only the announced URLs are requested (same-origin maps only)', async () => {
    const r = await probeRunningApp(good.url);
    assert.equal(r.incomplete, undefined);
    assert.deepEqual(good.requests, ['GET /', 'GET /.env', 'GET /.git/config', `GET ${NOT_FOUND_PATH}`, 'GET /assets/app.js.map']);
    assert.deepEqual(r.responses.map((x) => x.url), [good.url, `${good.url}/.env`, `${good.url}/.git/config`, `${good.url}${NOT_FOUND_PATH}`, `${good.url}/assets/app.js.map`]);
    const f = appFindings(r);
    assert.deepEqual(f.fail, {});
    assert.equal(f.pass['security-headers'].length, 4);
    assert.match(f.pass['cookies-flagged'][0].message, /cookie sid has HttpOnly and SameSite/);
    const c = await projectChecklist(join(fixtures, 'hardened'), { git: false, app: r });
    assert.equal(item(c, 'security-headers').status, 'pass');
    assert.equal(item(c, 'no-stack-traces').status, 'pass');
    assert.deepEqual(c.app?.requested[0], `GET ${good.url} → 200`);
  });

  it('the leaky app: missing headers, X-Powered-By, an unflagged cookie, /.env, /.git/config, a served map and a stack trace become evidence', async () => {
    const r = await probeRunningApp(`${bad.url}/`);
    const c = await projectChecklist(join(fixtures, 'hardened'), { git: false, app: r });
    const ev = (id: string) => item(c, id).evidence.map((e) => `${e.url} ${e.message}`);
    assert.equal(item(c, 'security-headers').status, 'fail');
    assert.ok(ev('security-headers').includes(`${bad.url} no Content-Security-Policy header`), ev('security-headers').join('\n'));
    assert.ok(ev('security-headers').some((e) => /X-Powered-By: Express/.test(e)));
    assert.equal(item(c, 'cookies-flagged').status, 'fail');
    assert.deepEqual(ev('cookies-flagged'), [`${bad.url} cookie sid is set without HttpOnly, SameSite`]);
    assert.equal(item(c, 'no-public-leftovers').status, 'fail');
    assert.deepEqual(ev('no-public-leftovers'), [`${bad.url}/.env /.env is served (200) with variables in it`, `${bad.url}/.git/config /.git/config is served (200): the repository can be downloaded`]);
    assert.ok(ev('no-public-leftovers').every((e) => !e.includes('keyboard cat')), 'the .env content is not copied into the report');
    assert.equal(item(c, 'production-debug-off').status, 'fail');
    assert.deepEqual(ev('production-debug-off'), [`${bad.url}/assets/app.js.map a source map is served next to the script`]);
    assert.equal(item(c, 'no-stack-traces').status, 'fail');
    assert.match(ev('no-stack-traces')[0], /the 404 page shows a stack trace/);
    assert.ok(!bad.requests.some((x) => x.includes('cdn.example.com')));
  });

  it('`shipsafe checklist --url` reports what it requested and fails on the leaky app', async () => {
    const r = await cli(fixtures, ['checklist', 'hardened', '--no-git', '--url', bad.url]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, new RegExp(`checklist: GET ${bad.url}/\\.git/config`));
    assert.match(r.stdout, /## Running app check\n\nRequested from http:\/\/127\.0\.0\.1:\d+:\n\n- GET http:\/\/127\.0\.0\.1:\d+ → 200\n- GET http:\/\/127\.0\.0\.1:\d+\/\.env → 200/);
  });

  it('redirects are not followed; a silent server times out; cancelling stops it; bad URLs are refused', async () => {
    const red = await probeRunningApp(redirecting.url);
    assert.equal(red.responses[0].status, 302);
    assert.equal(redirecting.requests.length, 4, 'the four fixed paths, no redirect followed');
    const t0 = Date.now();
    const slow = await probeRunningApp(silent.url, { requestTimeoutMs: 300, timeoutMs: 2000 });
    assert.ok(Date.now() - t0 < 2000);
    assert.match(slow.incomplete ?? '', /did not answer/);
    assert.equal(slow.responses.length, 1);
    const ac = new AbortController();
    setTimeout(() => ac.abort(new Error('cancelled')), 100);
    const cancelled = await probeRunningApp(silent.url, { signal: ac.signal, requestTimeoutMs: 5000 });
    assert.match(cancelled.responses[0].error ?? '', /cancelled/);
    await assert.rejects(probeRunningApp('file:///etc/passwd'), /only http and https/);
    await assert.rejects(probeRunningApp('http://user:pw@127.0.0.1:1'), /user name and password/);
  });

  it('on https, a missing HSTS header fails and a present one passes (pure evidence rules)', () => {
    const page = (headers: Record<string, string>) => ({ base: 'https://shop.example', responses: [{ url: 'https://shop.example', purpose: 'page', status: 200, headers, setCookie: ['sid=1; HttpOnly; SameSite=Lax'] }] });
    assert.match(appFindings(page({})).fail['https-hsts'][0].message, /no Strict-Transport-Security/);
    assert.match(appFindings(page({ 'strict-transport-security': 'max-age=63072000' })).pass['https-hsts'][0].message, /max-age=63072000/);
    assert.match(appFindings(page({})).fail['cookies-flagged'][0].message, /without Secure/);
  });
});

describe('dependency check (real npm audit)', () => {
  let registry: Awaited<ReturnType<typeof listen>>;
  let dir: string;
  before(async () => {
    registry = await listen((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => { chunks.push(c); });
      req.on('end', () => {
        if (req.method === 'POST' && req.url?.includes('/-/npm/v1/security/advisories/bulk')) {
          // npm sends the package list gzip-compressed
          const raw = Buffer.concat(chunks);
          const wanted = JSON.parse(String(req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw)) as Record<string, string[]>;
          const out: Record<string, unknown[]> = {};
          if (wanted.lodash) out.lodash = [{ id: 1106913, url: 'https://github.com/advisories/GHSA-35jh-r3h4-6jhm', title: 'Command Injection in lodash', severity: 'high', vulnerable_versions: '<4.17.21', cwe: ['CWE-77'], cvss: { score: 7.2 } }];
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify(out));
          return;
        }
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end('{}');
      });
    });
    dir = tempDir('shipsafe-audit-');
    cpSync(join(fixtures, 'hardened'), dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'orders-api', version: '1.0.0', dependencies: { lodash: '4.17.20' } }, null, 2));
    writeFileSync(join(dir, 'package-lock.json'), JSON.stringify({
      name: 'orders-api', version: '1.0.0', lockfileVersion: 3, requires: true,
      packages: {
        '': { name: 'orders-api', version: '1.0.0', dependencies: { lodash: '4.17.20' } },
        'node_modules/lodash': { version: '4.17.20', resolved: 'https://registry.npmjs.org/lodash/-/lodash-4.17.20.tgz', integrity: 'sha512-PlhdFcillOINfeV7Ni6oF1TAEayyZBoZ8bcshTHqOYJYlrqzRK5hagpagky5o4HfCzzd1TRkXPMFq6cKk9rGmA==' },
      },
    }, null, 2));
  });
  after(() => { registry.server.closeAllConnections(); registry.server.close(); cleanup(dir); });
  const env = (registryUrl: string) => ({ ...process.env, npm_config_registry: `${registryUrl}/`, npm_config_fetch_retries: '0', npm_config_audit_level: 'none', npm_config_cache: join(dir, '.npm-cache'), npm_config_offline: 'false' });

  it('a known-vulnerable dependency fails the item with the advisory as evidence', async () => {
    const audit = await runNpmAudit(dir, { env: env(registry.url) });
    assert.ok(audit.ok, JSON.stringify(audit));
    assert.equal(audit.counts.high, 1);
    assert.deepEqual(audit.packages.map((p) => `${p.name} ${p.severity} ${p.title}`), ['lodash high Command Injection in lodash']);
    const c = await projectChecklist(dir, { git: false, audit });
    const i = c.items.find((x) => x.id === 'dependency-audit')!;
    assert.equal(i.status, 'fail');
    assert.match(i.evidence[0].message, /^lodash \(high\): Command Injection in lodash https:\/\/github\.com\/advisories\//);
  });

  it('offline, it says it could not check instead of passing', async () => {
    const closed = await listen(() => undefined);
    const port = (closed.server.address() as AddressInfo).port;
    await new Promise((r) => closed.server.close(r));
    const audit = await runNpmAudit(dir, { env: env(`http://127.0.0.1:${port}`), timeoutMs: 30_000 });
    assert.equal(audit.ok, false);
    const c = await projectChecklist(dir, { git: false, audit });
    const i = c.items.find((x) => x.id === 'dependency-audit')!;
    assert.equal(i.status, 'review');
    assert.match(i.detail, /^could not check: /);
  });

  it('without a lockfile it does not run npm at all', async () => {
    const bare = tempDir('shipsafe-audit-');
    try {
      writeFileSync(join(bare, 'package.json'), '{"name":"x"}');
      assert.deepEqual(await runNpmAudit(bare), { ok: false, reason: 'npm audit needs package-lock.json (run npm install first)' });
    } finally { cleanup(bare); }
  });
});
