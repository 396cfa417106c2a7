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

// --- deterministic fake material ------------------------------------------------------------------------
let seed = 0x5eed;
function rnd(): number {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed / 0x7fffffff;
}
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const HEX = '0123456789abcdef';
const UPPER_DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const B64 = ALNUM + '+/';
const URLSAFE = ALNUM + '_-';
const BECH32 = 'QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L';
function r(alphabet: string, n: number): string {
  let s = '';
  while (s.length < n) {
    const c = alphabet[Math.floor(rnd() * alphabet.length)];
    if (s.length && s[s.length - 1] === c) continue; // no runs: they read as placeholders
    s += c;
  }
  return s;
}
/** a visible "fixture" marker where the alphabet allows it, then random characters */
function fx(alphabet: string, n: number): string {
  const marker = [...'ShipsafeFixture'].every((c) => alphabet.includes(c)) ? 'ShipsafeFixture' : '';
  return (marker + r(alphabet, n)).slice(0, n);
}
const b64url = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
const jwt = (payload: object) => `${b64url({ alg: 'HS256', typ: 'JWT' })}.${b64url(payload)}.${r(URLSAFE, 43)}`;
const uuid = () => `${r(HEX, 8)}-${r(HEX, 4)}-4${r(HEX, 3)}-a${r(HEX, 3)}-${r(HEX, 12)}`;

interface Example { value: string; opts?: MatchOptions }
const ctx = (names: string, modules = ''): MatchOptions => ({ names, modules, bound: true });

const EXAMPLES: Record<string, Example> = {
  'aws-access-key-id': { value: 'AKIA' + r(UPPER_DIGITS, 16) },
  'aws-secret-access-key': { value: r(B64, 40), opts: ctx('secretAccessKey credentials') },
  'gcp-service-account': { value: `"private_key": "-----BEGIN PRIVATE KEY-----\\n${r(B64, 120)}\\n-----END PRIVATE KEY-----\\n"` },
  'google-gemini-api-key': { value: 'AIza' + fx(URLSAFE, 35), opts: ctx('GEMINI_API_KEY') },
  'google-api-key': { value: 'AIza' + fx(URLSAFE, 35) },
  'google-oauth-client-secret': { value: 'GOCSPX-' + fx(URLSAFE, 28) },
  'azure-storage-connection-string': { value: `DefaultEndpointsProtocol=https;AccountName=shipsafefixture;AccountKey=${r(B64, 86)}==;EndpointSuffix=core.windows.net` },
  'azure-service-bus-connection-string': { value: `Endpoint=sb://shipsafe-fixture.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=${r(B64, 43)}=` },
  'azure-ad-client-secret': { value: `${r(ALNUM, 3)}8Q~${r(URLSAFE, 34)}` },
  'digitalocean-token': { value: 'dop_v1_' + r(HEX, 64) },
  'heroku-api-key-v2': { value: 'HRKU-' + fx(URLSAFE, 60) },
  'heroku-api-key': { value: uuid(), opts: ctx('HEROKU_API_KEY') },
  'cloudflare-origin-ca-key': { value: `v1.0-${r(HEX, 24)}-${r(HEX, 146)}` },
  'cloudflare-global-api-key': { value: r(HEX, 37), opts: ctx('CLOUDFLARE_API_KEY') },
  'cloudflare-api-token': { value: fx(URLSAFE, 40), opts: ctx('cloudflareApiToken') },
  'vercel-blob-token': { value: `vercel_blob_rw_${r(ALNUM, 16)}_${fx(ALNUM, 30)}` },
  'vercel-token': { value: fx(ALNUM, 24), opts: ctx('VERCEL_TOKEN') },
  'netlify-token': { value: 'nfp_' + fx(ALNUM, 36) },
  'fly-token': { value: 'fo1_' + fx(URLSAFE, 43) },
  'render-api-key': { value: 'rnd_' + fx(ALNUM, 32) },
  'hashicorp-vault-token': { value: 'hvs.' + fx(URLSAFE, 95) },
  'doppler-token': { value: 'dp.pt.' + fx(ALNUM, 43) },
  'clerk-secret-key': { value: 'sk_live_' + fx(ALNUM, 40), opts: ctx('CLERK_SECRET_KEY') },
  'stripe-secret-key': { value: 'sk_live_51' + fx(ALNUM, 97) },
  'stripe-restricted-key': { value: 'rk_live_51' + fx(ALNUM, 97) },
  'stripe-test-key': { value: 'sk_test_51' + fx(ALNUM, 97) },
  'stripe-webhook-secret': { value: 'whsec_' + fx(ALNUM, 32) },
  'stripe-publishable-key': { value: 'pk_live_51' + fx(ALNUM, 97) },
  'square-access-token': { value: 'EAAA' + fx(URLSAFE, 60) },
  'square-oauth-secret': { value: 'sq0csp-' + fx(URLSAFE, 43) },
  'braintree-access-token': { value: `access_token$production$${r('abcdefghijklmnopqrstuvwxyz0123456789', 16)}$${r(HEX, 32)}` },
  'paypal-client-secret': { value: 'E' + fx(URLSAFE, 79), opts: ctx('PAYPAL_CLIENT_SECRET') },
  'shopify-access-token': { value: 'shpat_' + r(HEX, 32) },
  'shopify-shared-secret': { value: 'shpss_' + r(HEX, 32) },
  'shippo-live-token': { value: 'shippo_live_' + r(HEX, 40) },
  'github-pat': { value: 'ghp_' + fx(ALNUM, 36) },
  'github-oauth-token': { value: 'gho_' + fx(ALNUM, 36) },
  'github-user-token': { value: 'ghu_' + fx(ALNUM, 36) },
  'github-app-token': { value: 'ghs_' + fx(ALNUM, 36) },
  'github-refresh-token': { value: 'ghr_' + fx(ALNUM, 76) },
  'github-fine-grained-pat': { value: `github_pat_${fx(ALNUM, 22)}_${r(ALNUM, 59)}` },
  'gitlab-pat': { value: 'glpat-' + fx(URLSAFE, 20) },
  'gitlab-runner-token': { value: 'glrt-' + fx(URLSAFE, 20) },
  'npm-token': { value: 'npm_' + fx(ALNUM, 36) },
  'pypi-token': { value: 'pypi-AgEIcHlwaS5vcmc' + fx(URLSAFE, 70) },
  'atlassian-api-token': { value: 'ATATT3' + fx(URLSAFE, 186) },
  'postman-api-key': { value: `PMAK-${r(HEX, 24)}-${r(HEX, 34)}` },
  'pulumi-token': { value: 'pul-' + r(HEX, 40) },
  'slack-bot-token': { value: `xoxb-${r('123456789', 11)}-${r('123456789', 13)}-${fx(ALNUM, 24)}` },
  'slack-user-token': { value: `xoxp-${r('123456789', 11)}-${r('123456789', 12)}-${r('123456789', 13)}-${r(HEX, 32)}` },
  'slack-workspace-token': { value: `xoxe-1-${fx(ALNUM, 40)}` },
  'slack-app-token': { value: `xapp-1-A${r('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', 10)}-${r('123456789', 13)}-${r(HEX, 64)}` },
  'slack-webhook-url': { value: `https://hooks.slack.com/services/T${r('ABCDEFGHJKLMNPQRSTUVWXYZ23456789', 8)}/B${r('ABCDEFGHJKLMNPQRSTUVWXYZ23456789', 10)}/${fx(ALNUM, 24)}` },
  'discord-webhook-url': { value: `https://discord.com/api/webhooks/${r('123456789', 18)}/${fx(URLSAFE, 68)}` },
  'discord-bot-token': { value: `MT${r(URLSAFE, 24)}.${r(URLSAFE, 6)}.${fx(URLSAFE, 38)}`, opts: ctx('DISCORD_BOT_TOKEN') },
  'telegram-bot-token': { value: `${r('123456789', 10)}:AA${fx(URLSAFE, 33)}` },
  'twilio-account-sid': { value: 'AC' + r(HEX, 32) },
  'twilio-api-key-sid': { value: 'SK' + r(HEX, 32) },
  'twilio-auth-token': { value: r(HEX, 32), opts: ctx('TWILIO_AUTH_TOKEN', 'twilio') },
  'sendgrid-api-key': { value: `SG.${fx(URLSAFE, 22)}.${r(URLSAFE, 43)}` },
  'mailgun-api-key': { value: 'key-' + r(HEX, 32) },
  'mailgun-api-key-v2': { value: `${r(HEX, 32)}-${r(HEX, 8)}-${r(HEX, 8)}`, opts: ctx('MAILGUN_API_KEY', 'mailgun.js') },
  'mailchimp-api-key': { value: r(HEX, 32) + '-us21' },
  'postmark-server-token': { value: uuid(), opts: ctx('postmarkServerToken', 'postmark') },
  'resend-api-key': { value: `re_${fx(ALNUM, 8)}_${r(ALNUM, 24)}1A` },
  'brevo-api-key': { value: `xkeysib-${r(HEX, 64)}-${fx(ALNUM, 16)}` },
  'openai-api-key': { value: 'sk-proj-' + fx(URLSAFE, 156) },
  'anthropic-api-key': { value: `sk-ant-api03-${fx(URLSAFE, 93)}AA` },
  'openrouter-api-key': { value: 'sk-or-v1-' + r(HEX, 64) },
  'huggingface-token': { value: 'hf_' + fx(LETTERS, 34) },
  'replicate-api-token': { value: 'r8_' + fx(ALNUM, 37) },
  'groq-api-key': { value: 'gsk_' + fx(ALNUM, 52) },
  'perplexity-api-key': { value: 'pplx-' + fx(ALNUM, 48) },
  'xai-api-key': { value: 'xai-' + fx(ALNUM, 80) },
  'langsmith-api-key': { value: `lsv2_pt_${r(HEX, 32)}_${r(HEX, 10)}` },
  'pinecone-api-key': { value: `pcsk_${r(ALNUM, 6)}_${fx(ALNUM, 64)}` },
  'supabase-service-role-key': { value: jwt({ iss: 'supabase', ref: 'shipsafefixture', role: 'service_role', iat: 1700000000, exp: 2000000000 }) },
  'supabase-anon-key': { value: jwt({ iss: 'supabase', ref: 'shipsafefixture', role: 'anon', iat: 1700000000, exp: 2000000000 }) },
  'supabase-secret-key': { value: 'sb_secret_' + fx(URLSAFE, 32) },
  'supabase-publishable-key': { value: 'sb_publishable_' + fx(URLSAFE, 32) },
  'firebase-fcm-server-key': { value: `AAAA${r(URLSAFE, 7)}:APA91b${fx(URLSAFE, 134)}` },
  'planetscale-token': { value: 'pscale_tkn_' + fx(URLSAFE, 43) },
  'neon-api-key': { value: 'napi_' + r('abcdefghijklmnopqrstuvwxyz0123456789', 64) },
  'databricks-token': { value: 'dapi' + r(HEX, 32) },
  'airtable-pat': { value: `pat${fx(ALNUM, 14)}.${r(HEX, 64)}` },
  'algolia-admin-key': { value: r(HEX, 32), opts: ctx('ALGOLIA_ADMIN_KEY', 'algoliasearch') },
  'database-url-postgres': { value: `postgres://app_user:${fx(ALNUM, 24)}@db.shipsafe-fixture.internal:5432/app` },
  'database-url-mysql': { value: `mysql://admin:${fx(ALNUM, 20)}@mysql.shipsafe-fixture.cloud:3306/shop` },
  'database-url-mongodb': { value: `mongodb+srv://api:${fx(ALNUM, 20)}@cluster0.shipsafe.mongodb.net/prod?retryWrites=true` },
  'database-url-redis': { value: `rediss://default:${fx(ALNUM, 32)}@eu1-shipsafe-fixture.upstash.io:6379` },
  'private-key': { value: `-----BEGIN RSA PRIVATE KEY-----\n${r(B64, 64)}\n${r(B64, 64)}\n-----END RSA PRIVATE KEY-----` },
  'age-secret-key': { value: 'AGE-SECRET-KEY-1' + r(BECH32, 58) },
  'linear-api-key': { value: 'lin_api_' + fx(ALNUM, 40) },
  'notion-token': { value: 'ntn_' + fx(ALNUM, 46) },
  'figma-token': { value: 'figd_' + fx(URLSAFE, 40) },
  'contentful-management-token': { value: 'CFPAT-' + fx(URLSAFE, 43) },
  'typeform-token': { value: 'tfp_' + fx(URLSAFE, 44) },
  'mapbox-secret-token': { value: `sk.${b64url({ u: 'shipsafe', a: 'fixture' })}.${fx(URLSAFE, 22)}` },
  'mapbox-public-token': { value: `pk.${b64url({ u: 'shipsafe', a: 'fixture' })}.${fx(URLSAFE, 22)}` },
  'posthog-personal-key': { value: 'phx_' + fx(ALNUM, 43) },
  'posthog-project-key': { value: 'phc_' + fx(ALNUM, 43) },
  'sentry-auth-token': { value: 'sntrys_' + b64url({ iat: 1, url: 'https://sentry.io', org: 'shipsafe-fixture' }) + '_' + fx(ALNUM, 43) },
  'sentry-dsn': { value: `https://${r(HEX, 32)}@o123456.ingest.sentry.io/4505` },
  'datadog-api-key': { value: r(HEX, 32), opts: ctx('DD_API_KEY') },
  'new-relic-key': { value: 'NRAK-' + r('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', 27) },
  'grafana-token': { value: `glsa_${fx(ALNUM, 32)}_${r(HEX, 8)}` },
};

/** Placeholders people write instead of a key: none may be reported by any provider. */
const PLACEHOLDERS = [
  'sk_live_xxxxxxxxxxxxxxxxxxxxxxxxxxxx', 'sk_live_your_stripe_secret_key_here', 'sk_live_<YOUR_KEY>', 'sk_test_xxx',
  'AKIAIOSFODNN7EXAMPLE', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
  'ghp_000000000000000000000000000000000000', 'ghp_123456789012345678901234567890123456', 'xoxb-your-bot-token',
  'https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX', 'sk-proj-****************************************',
  'sk-ant-api03-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', 'hf_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
  'postgres://postgres:postgres@localhost:5432/app', 'postgresql://user:password@localhost/mydb', 'mongodb://root:example@mongo:27017',
  'mysql://root:root@127.0.0.1:3306/test', 'postgres://USER:PASSWORD@HOST:5432/DB', 'mongodb+srv://<username>:<password>@cluster0.xxxxx.mongodb.net',
  'redis://:changeme@redis:6379', 'postgres://app:${DB_PASSWORD}@db.example.com/app', 'SG.xxxxxxxxxxxxxxxxxxxxxx.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
  '-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----', '-----BEGIN RSA PRIVATE KEY-----', 'npm_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX',
  'glpat-xxxxxxxxxxxxxxxxxxxx', 'whsec_your_webhook_signing_secret', 'dop_v1_' + '0'.repeat(64), 'AIzaSyXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX',
  'DefaultEndpointsProtocol=https;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==',
  'lin_api_abcdefghijklmnopqrstuvwxyzabcdefghijklmn', 're_123456789_abcdefghijklmnopqrstuvwx',
];

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
