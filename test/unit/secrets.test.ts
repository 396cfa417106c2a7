/**
 * The secret catalog: every provider matches a fake but well-formed example of its format and none of the
 * usual placeholders; masking never shows more than a short prefix; names and env var classification.
 *
 * Examples are generated here from a fixed seed (fake by construction, never a real key) so that no
 * key-shaped literal sits in the repository for secret scanners to trip on.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText, DEFAULT_CONFIG, allRules } from '../../src/engine';
import {
  decodeJwtPayload, findSecrets, isPlaceholderSecret, isSecretName, PROVIDERS, secretValueStrength, type MatchOptions,
} from '../../src/engine/secrets/providers';
import { classifyEnvName, publicPrefixOf } from '../../src/engine/secrets/env-names';
import { maskSecret } from '../../src/engine/util/text';
import { ALNUM, ctx, EXAMPLES, fx, HEX, jwt, PLACEHOLDERS, r, URLSAFE, uuid } from '../helpers/secret-samples';

describe('secret catalog', () => {
  it('has at least 40 providers and unique ids', () => {
    const providers = new Set(PROVIDERS.map((p) => p.provider.replace(/ \(.*\)$/, '')));
    assert.ok(providers.size >= 40, `only ${providers.size} providers`);
    assert.equal(new Set(PROVIDERS.map((p) => p.id)).size, PROVIDERS.length);
  });

  it('has an example for every entry', () => {
    assert.deepEqual(PROVIDERS.map((p) => p.id).filter((id) => !EXAMPLES[id]), []);
  });

  for (const p of PROVIDERS) {
    it(`${p.id}: matches its example, as the first match`, () => {
      const ex = EXAMPLES[p.id];
      const found = findSecrets(ex.value, ex.opts ?? {});
      assert.ok(found.length > 0, `${p.id}: no match for its example`);
      assert.equal(found[0].provider.id, p.id, `${p.id}: example matched ${found[0].provider.id} instead`);
      assert.ok(p.envVar && /^[A-Z][A-Z0-9_]+$/.test(p.envVar), `${p.id}: env var name`);
    });
    if (p.textScan) {
      it(`${p.id}: found by the raw-text scan inside a minified line`, () => {
        const ex = EXAMPLES[p.id];
        const bundle = `!function(){var e={a:1};e.k=${JSON.stringify(ex.value)};fetch("/x",{headers:{a:e.k}})}();`;
        assert.ok(findSecrets(bundle, { textScan: true }).some((m) => m.provider.id === p.id), `${p.id}: not found in bundle text`);
      });
    }
  }

  it('the raw-text scan of a big bundle finds every text-scan entry at once', () => {
    const filler = 'function n(e){return e&&e.__esModule?e:{default:e}}var o=n(require("react"));'.repeat(120);
    const entries = PROVIDERS.filter((p) => p.textScan);
    const bundle = filler + entries.map((p, i) => `var k${i}=${JSON.stringify(EXAMPLES[p.id].value)};`).join(filler.slice(0, 300)) + filler;
    assert.ok(bundle.length > 4096);
    const ids = new Set(findSecrets(bundle, { textScan: true }).map((m) => m.provider.id));
    assert.deepEqual(entries.map((p) => p.id).filter((id) => !ids.has(id)), []);
  });

  it('context-only shapes need their context', () => {
    for (const p of PROVIDERS.filter((x) => x.context)) {
      const found = findSecrets(EXAMPLES[p.id].value, {}).filter((m) => m.provider.id === p.id);
      assert.deepEqual(found, [], `${p.id} matched without context`);
    }
    // a random 32-hex value next to an unrelated name is not Datadog/Algolia/Twilio
    assert.deepEqual(findSecrets(r(HEX, 32), ctx('cacheKey')).filter((m) => !m.provider.publishable), []);
  });

  it('reports no placeholder', () => {
    for (const v of PLACEHOLDERS) {
      const found = findSecrets(v, { names: 'apiKey', modules: '', bound: true }).filter((m) => !m.provider.publishable && m.level === 'report');
      assert.deepEqual(found.map((m) => m.provider.id), [], `placeholder reported: ${v}`);
    }
  });

  it('placeholder detection', () => {
    for (const v of ['your-api-key', '<YOUR_KEY>', 'changeme', 'xxxx-xxxx', '****', 'sk_test_xxx', 'aaaaaaaaaaaaaaaaaaaa', 'REPLACE_ME', '${API_KEY}', '{{ secret }}']) {
      assert.ok(isPlaceholderSecret(v), v);
    }
    for (const v of [EXAMPLES['stripe-secret-key'].value, EXAMPLES['github-pat'].value, 'Zq8vN3xL0pR7sT2w']) assert.ok(!isPlaceholderSecret(v), v);
  });

  it('Supabase keys are told apart by the role claim', () => {
    assert.equal(decodeJwtPayload(EXAMPLES['supabase-service-role-key'].value)?.role, 'service_role');
    const anon = findSecrets(EXAMPLES['supabase-anon-key'].value);
    assert.equal(anon[0].provider.id, 'supabase-anon-key');
    assert.ok(anon[0].provider.publishable);
    // a JWT that is not a Supabase key matches neither
    assert.deepEqual(findSecrets(jwt({ sub: '42', role: 'service_role' })), []);
  });

  it('local development database URLs are low, not reported', () => {
    const m = findSecrets(`postgres://app:${fx(ALNUM, 20)}@localhost:5432/app`);
    assert.equal(m[0]?.level, 'low');
    assert.equal(findSecrets(EXAMPLES['database-url-postgres'].value)[0].level, 'report');
  });
});

describe('masking', () => {
  it('maskSecret never shows more than a short prefix', () => {
    for (const [id, ex] of Object.entries(EXAMPLES)) {
      const masked = maskSecret(ex.value);
      const visible = masked.split('…')[0].replace(/•/g, '');
      assert.ok(visible.length <= 8, `${id}: shows ${visible.length} chars`);
      assert.ok(visible.length <= Math.ceil(ex.value.length / 4), `${id}: shows too much of a short value`);
      assert.ok(ex.value.startsWith(visible), `${id}: mask is not a prefix`);
    }
  });

  it('catalog masks hide the secret part', () => {
    for (const [id, ex] of Object.entries(EXAMPLES)) {
      if (id.startsWith('database-url')) continue; // the host is shown on purpose; the password test is below
      for (const m of findSecrets(ex.value, ex.opts ?? {})) {
        // no run of 12+ characters of the match may appear in the masked form
        for (let i = 0; i + 12 <= m.value.length; i += 4) {
          const piece = m.value.slice(i, i + 12);
          if (/^[a-z0-9.:/_@-]+$/i.test(piece) && /[.:/@]/.test(piece)) continue; // URL scheme/host parts are not secret
          assert.ok(!m.masked.includes(piece), `${id}: masked form shows "${piece}"`);
        }
      }
    }
  });

  it('database URL masks keep the host and hide the password', () => {
    const pw = fx(ALNUM, 24);
    const m = findSecrets(`postgres://app_user:${pw}@db.shipsafe-fixture.internal:5432/app`)[0];
    assert.ok(!m.masked.includes(pw.slice(4)));
    assert.match(m.masked, /^postgres:\/\/app_user:.*@db\.shipsafe-fixture\.internal$/);
  });

  it('rule messages never contain more than the mask', () => {
    const rule = allRules.find((x) => x.meta.id === 'hardcoded-secret')!;
    const lines = Object.entries(EXAMPLES).filter(([id]) => !PROVIDERS.find((p) => p.id === id)!.publishable && !id.startsWith('database-url'))
      .map(([id, ex], i) => `const ${id.replace(/-/g, '_')}_${i} = ${JSON.stringify(ex.value)};`);
    const text = lines.join('\n');
    const res = analyzeText({ path: 'src/config.ts', text }, { rules: [rule], config: { ...DEFAULT_CONFIG, minConfidence: 'low' } });
    assert.ok(res.findings.length > 40, `only ${res.findings.length} findings`);
    for (const f of res.findings) {
      const value = JSON.parse(lines[f.range.startPos.line - 1].replace(/^const \w+ = /, '').replace(/;$/, '')) as string;
      for (let i = 8; i + 10 <= value.length; i += 5) {
        const piece = value.slice(i, i + 10);
        if (/[.:/@]/.test(piece)) continue;
        assert.ok(!f.message.includes(piece), `message shows "${piece}": ${f.message}`);
      }
    }
  });
});

describe('secret names', () => {
  it('recognises credential names', () => {
    for (const n of ['apiKey', 'API_KEY', 'x-api-key', 'clientSecret', 'dbPassword', 'accessToken', 'Authorization',
      'privateKey', 'STRIPE_SECRET_KEY', 'smtpPass', 'webhookSecret', 'secret', 'authToken', 'apikey', 'jwtSecret']) {
      assert.ok(isSecretName(n), n);
    }
  });
  it('ignores names about secrets', () => {
    for (const n of ['passwordLabel', 'tokenUrl', 'secretName', 'publicKey', 'keyId', 'key', 'passwordField', 'tokenType',
      'apiKeyHeader', 'secretId', 'passwordMinLength', 'tokenEndpoint', 'publishableKey', 'anonKey', 'pass', 'passwordRegex',
      'cacheKey', 'primaryKey', 'storageKey', 'tokenExpiresIn']) {
      assert.ok(!isSecretName(n), n);
    }
  });
  it('judges values bound to secret names', () => {
    assert.equal(secretValueStrength('Password', 'password'), undefined);
    assert.equal(secretValueStrength('Enter your password', 'passwordPlaceholder'), undefined);
    assert.equal(secretValueStrength('STRIPE_SECRET_KEY', 'secretEnvVar'), undefined);
    assert.equal(secretValueStrength('x-api-key', 'apiKeyHeader'), undefined);
    assert.equal(secretValueStrength('https://example.com/oauth/token', 'token'), undefined);
    assert.equal(secretValueStrength('sha384-oqVuAfXRKap7fdgcCY5uykM6+R9GqQ8K/uxy9rx7HNQlGYl1kPzQho1wx4JwY8wC', 'secret'), undefined);
    assert.equal(secretValueStrength('$2b$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy', 'password'), undefined);
    assert.equal(secretValueStrength('dev-secret', 'jwtSecret'), undefined);
    assert.equal(secretValueStrength('9f8a7c6b5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a', 'secret'), 'medium');
    assert.equal(secretValueStrength('Tr0ub4dor&3xK!', 'dbPassword'), 'medium');
    assert.equal(secretValueStrength('Bearer ' + fx(URLSAFE, 40), 'Authorization'), 'medium');
    assert.equal(secretValueStrength(uuid(), 'apiKey'), 'low');
  });
});

describe('env var names', () => {
  it('public prefixes by framework and access', () => {
    assert.equal(publicPrefixOf('NEXT_PUBLIC_X', 'process.env')?.framework, 'Next.js');
    assert.equal(publicPrefixOf('VITE_X', 'import.meta.env')?.framework, 'Vite');
    assert.equal(publicPrefixOf('PUBLIC_X', 'process.env'), undefined);
    assert.equal(publicPrefixOf('PUBLIC_X', 'import.meta.env')?.prefix, 'PUBLIC_');
    assert.equal(publicPrefixOf('STRIPE_SECRET_KEY', 'process.env'), undefined);
  });
  it('classifies names', () => {
    const cases: [string, string][] = [
      ['STRIPE_SECRET_KEY', 'secret'], ['SUPABASE_SERVICE_ROLE_KEY', 'secret'], ['OPENAI_API_KEY', 'secret'],
      ['GEMINI_API_KEY', 'secret'], ['DATABASE_URL', 'secret'], ['GITHUB_TOKEN', 'secret'], ['ADMIN_API_KEY', 'secret'],
      ['SUPABASE_ANON_KEY', 'none'], ['STRIPE_PUBLISHABLE_KEY', 'none'], ['MAPBOX_TOKEN', 'none'], ['SUPABASE_URL', 'none'],
      ['FIREBASE_API_KEY', 'none'], ['GOOGLE_MAPS_API_KEY', 'none'], ['RECAPTCHA_SITE_KEY', 'none'], ['GITHUB_CLIENT_ID', 'none'],
      ['SENTRY_DSN', 'none'], ['ALGOLIA_SEARCH_KEY', 'none'], ['POSTHOG_KEY', 'none'], ['API_URL', 'none'],
      ['PASSWORD_MIN_LENGTH', 'none'], ['JWT_SECRET_EXPIRES_IN', 'none'], ['WEBHOOK_SECRET_HEADER', 'none'], ['POSTGRES_URL', 'secret'],
      ['API_KEY', 'maybe'], ['ACCESS_TOKEN', 'maybe'], ['SENTRY_AUTH_TOKEN', 'secret'], ['CONTENTFUL_MANAGEMENT_TOKEN', 'secret'],
    ];
    for (const [n, level] of cases) assert.equal(classifyEnvName(n).level, level, n);
  });
});
