/**
 * Secret detection, Shipsafe versus secretlint (with @secretlint/secretlint-rule-preset-recommend), on the same
 * samples in the same run.
 *
 *   npm run bench:secrets
 *
 * Samples: a fake, well-formed key of every catalog entry that is a credential (test/helpers/secret-samples.ts,
 * generated from a fixed seed: never a real key), each written into every file type people keep secrets in:
 * `.env`, YAML, JSON, TOML, INI, properties, XML appSettings, a shell script, a Dockerfile and a Markdown note,
 * one sample per file, under the name the provider's docs use. Look-alikes (hashes, commit ids, UUIDs, public
 * keys and certificates, publishable keys, placeholders under secret names) are written the same way.
 *
 * Detection = positive files with at least one finding / positive files. Precision = flagged positive files /
 * all flagged files. Shipsafe counts findings at its default confidence (medium and up), as users see them.
 */
import { analyzeText, allRules, DEFAULT_CONFIG } from '../src/engine';
import { PROVIDERS } from '../src/engine/secrets/providers';
import { B64, EXAMPLES, HEX, PLACEHOLDERS, r, reseed, uuid } from '../test/helpers/secret-samples';

interface Sample { file: string; content: string; positive: boolean; id: string }

const FORMATS: Record<string, { file: string; render: (k: string, v: string) => string | undefined }> = {
  dotenv: { file: '.env', render: (k, v) => `# service settings\n${k}=${v.includes('\n') ? JSON.stringify(v) : v}\n` },
  yaml: { file: 'config/production.yml', render: (k, v) => v.includes('\n') ? `app:\n  ${k}: |\n${v.split('\n').map((l) => `    ${l}`).join('\n')}\n` : `app:\n  ${k}: "${v}"\n` },
  json: { file: 'appsettings.json', render: (k, v) => `{\n  "App": {\n    ${JSON.stringify(k)}: ${JSON.stringify(v)}\n  }\n}\n` },
  toml: { file: 'config.toml', render: (k, v) => v.includes('\n') ? undefined : `[app]\n${k} = ${JSON.stringify(v)}\n` },
  ini: { file: 'settings.ini', render: (k, v) => v.includes('\n') ? undefined : `[app]\n${k} = ${v}\n` },
  properties: { file: 'application.properties', render: (k, v) => v.includes('\n') ? undefined : `app.name=shop\n${k}=${v}\n` },
  xml: { file: 'web.config', render: (k, v) => v.includes('\n') ? undefined : `<configuration>\n  <appSettings>\n    <add key="${k}" value="${v.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}" />\n  </appSettings>\n</configuration>\n` },
  shell: { file: 'deploy.sh', render: (k, v) => v.includes('\n') ? undefined : `#!/bin/sh\nexport ${k}='${v}'\n./release.sh\n` },
  dockerfile: { file: 'Dockerfile', render: (k, v) => v.includes('\n') ? undefined : `FROM node:20-alpine\nENV ${k}="${v}"\nCMD ["node", "server.js"]\n` },
  markdown: { file: 'NOTES.md', render: (k, v) => `# Staging\n\nUse these settings:\n\n\`\`\`\n${k}=${v}\n\`\`\`\n` },
};

/** The name a sample is written under: the one its example was checked with, else the provider's env var. */
function keyName(id: string): string {
  const names = EXAMPLES[id].opts?.names;
  const first = names?.split(' ')[0];
  return first && /^[A-Za-z_][\w]*$/.test(first) ? first : PROVIDERS.find((p) => p.id === id)!.envVar;
}

function lookalikes(): { id: string; key: string; value: string }[] {
  reseed(0x10ca1);
  const sshPub = `ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI${r(B64, 43)} deploy@shipsafe`;
  const certBody = Array.from({ length: 6 }, () => r(B64, 64)).join('\n');
  const out = [
    { id: 'git-commit', key: 'GIT_COMMIT_SHA', value: r(HEX, 40) },
    { id: 'sha256', key: 'ASSET_SHA256', value: r(HEX, 64) },
    { id: 'md5', key: 'CHECKSUM_MD5', value: r(HEX, 32) },
    { id: 'integrity', key: 'SCRIPT_INTEGRITY', value: `sha384-${r(B64, 64)}` },
    { id: 'uuid-id', key: 'TENANT_ID', value: uuid() },
    { id: 'uuid-client', key: 'AZURE_CLIENT_ID', value: uuid() },
    { id: 'ssh-public-key', key: 'DEPLOY_PUBLIC_KEY', value: sshPub },
    { id: 'pem-public-key', key: 'JWT_PUBLIC_KEY', value: `-----BEGIN PUBLIC KEY-----\n${certBody}\n-----END PUBLIC KEY-----` },
    { id: 'certificate', key: 'TLS_CERT', value: `-----BEGIN CERTIFICATE-----\n${certBody}\n-----END CERTIFICATE-----` },
    { id: 'stripe-publishable', key: 'STRIPE_PUBLISHABLE_KEY', value: EXAMPLES['stripe-publishable-key'].value },
    { id: 'firebase-web', key: 'FIREBASE_API_KEY', value: EXAMPLES['google-api-key'].value },
    { id: 'supabase-anon', key: 'SUPABASE_ANON_KEY', value: EXAMPLES['supabase-anon-key'].value },
    { id: 'sentry-dsn', key: 'SENTRY_DSN', value: EXAMPLES['sentry-dsn'].value },
    { id: 'twilio-sid', key: 'TWILIO_ACCOUNT_SID', value: EXAMPLES['twilio-account-sid'].value },
    { id: 'posthog-project', key: 'POSTHOG_KEY', value: EXAMPLES['posthog-project-key'].value },
    { id: 'local-db', key: 'DATABASE_URL', value: 'postgres://postgres:postgres@localhost:5432/app' },
    { id: 'env-ref', key: 'STRIPE_SECRET_KEY', value: '${STRIPE_SECRET_KEY}' },
    { id: 'vault-ref', key: 'DB_PASSWORD', value: 'op://Production/db/password' },
    { id: 'env-name', key: 'SECRET_ENV_VAR', value: 'STRIPE_SECRET_KEY' },
    { id: 'url', key: 'TOKEN_URL', value: 'https://oauth2.googleapis.com/token' },
    { id: 'version', key: 'API_VERSION', value: '2024-06-20.acacia' },
    { id: 'image-digest', key: 'IMAGE_DIGEST', value: `sha256:${r(HEX, 64)}` },
    { id: 'bcrypt-hash', key: 'ADMIN_PASSWORD_HASH', value: `$2b$12$${r(B64.replace(/[+]/g, '.'), 53)}` },
    { id: 'build-id', key: 'BUILD_ID', value: r('abcdefghijklmnopqrstuvwxyz0123456789', 21) },
  ];
  PLACEHOLDERS.forEach((v, i) => out.push({ id: `placeholder-${i}`, key: /^postgres|^mysql|^mongo|^redis/.test(v) ? 'DATABASE_URL' : 'API_SECRET_KEY', value: v }));
  return out;
}

function samples(): Sample[] {
  const out: Sample[] = [];
  for (const p of PROVIDERS) {
    if (p.publishable || p.testMode) continue;
    const ex = EXAMPLES[p.id];
    if (!ex) continue;
    for (const [fmt, f] of Object.entries(FORMATS)) {
      const content = f.render(keyName(p.id), ex.value);
      if (content) out.push({ file: `${p.id}/${fmt}/${f.file}`, content, positive: true, id: p.id });
    }
  }
  for (const l of lookalikes()) {
    for (const [fmt, f] of Object.entries(FORMATS)) {
      const content = f.render(l.key, l.value);
      if (content) out.push({ file: `lookalike-${l.id}/${fmt}/${f.file}`, content, positive: false, id: l.id });
    }
  }
  return out;
}

interface Score { tp: number; fn: number; fp: number; tn: number; ms: number; missed: Map<string, number>; falseAlarms: Map<string, number> }

function score(list: Sample[], flagged: (s: Sample) => boolean, ms: number): Score {
  const s: Score = { tp: 0, fn: 0, fp: 0, tn: 0, ms, missed: new Map(), falseAlarms: new Map() };
  for (const x of list) {
    const f = flagged(x);
    if (x.positive && f) s.tp++;
    else if (x.positive) { s.fn++; s.missed.set(x.id, (s.missed.get(x.id) ?? 0) + 1); }
    else if (f) { s.fp++; s.falseAlarms.set(x.id, (s.falseAlarms.get(x.id) ?? 0) + 1); }
    else s.tn++;
  }
  return s;
}

async function main() {
  const list = samples();
  const positives = list.filter((s) => s.positive).length;
  console.log(`${positives} positive files (${new Set(list.filter((s) => s.positive).map((s) => s.id)).size} credential formats × up to ${Object.keys(FORMATS).length} file types), ${list.length - positives} look-alike files`);

  const rules = allRules.filter((r) => r.meta.id === 'secret-in-file');
  let t0 = performance.now();
  const ship = new Set<string>();
  for (const s of list) {
    const res = analyzeText({ path: s.file, text: s.content }, { rules, config: DEFAULT_CONFIG });
    if (res.findings.length) ship.add(s.file);
  }
  const shipScore = score(list, (s) => ship.has(s.file), performance.now() - t0);

  const { createEngine } = await import('@secretlint/node');
  const engine = await createEngine({
    formatter: 'json', color: false, maskSecrets: true,
    configFileJSON: { rules: [{ id: '@secretlint/secretlint-rule-preset-recommend' }] },
  });
  t0 = performance.now();
  const lint = new Set<string>();
  for (const s of list) {
    const r = await engine.executeOnContent({ content: s.content, filePath: s.file });
    const parsed = JSON.parse(r.output || '[]') as { messages?: unknown[] }[];
    if (parsed.some((x) => (x.messages ?? []).length)) lint.add(s.file);
  }
  const lintScore = score(list, (s) => lint.has(s.file), performance.now() - t0);

  // the same comparison restricted to the formats secretlint's preset knows (it found them in some file type)
  const known = new Set(list.filter((s) => s.positive && lint.has(s.file)).map((s) => s.id));
  const shared = list.filter((s) => !s.positive || known.has(s.id));
  const shipShared = score(shared, (s) => ship.has(s.file), 0);
  const lintShared = score(shared, (s) => lint.has(s.file), 0);
  const pct = (a: number, b: number) => (b ? (100 * a / b).toFixed(1) : '—') + ' %';
  const row = (name: string, s: Score) =>
    `| ${name} | ${pct(s.tp, s.tp + s.fn)} (${s.tp}/${s.tp + s.fn}) | ${pct(s.tp, s.tp + s.fp)} (${s.fp} false alarms on ${s.fp + s.tn} look-alike files) | ${s.ms.toFixed(0)} ms |`;
  console.log('\n| Scanner | Detection | Precision | Time |\n|---|---|---|---|');
  console.log(row('Shipsafe (secret-in-file, default confidence)', shipScore));
  console.log(row('secretlint 10 + preset-recommend', lintScore));
  console.log(`\nOnly the ${known.size} credential formats secretlint's preset recognises (in at least one file type):\n\n| Scanner | Detection | Precision |\n|---|---|---|`);
  console.log(`| Shipsafe | ${pct(shipShared.tp, shipShared.tp + shipShared.fn)} (${shipShared.tp}/${shipShared.tp + shipShared.fn}) | ${pct(shipShared.tp, shipShared.tp + shipShared.fp)} |`);
  console.log(`| secretlint | ${pct(lintShared.tp, lintShared.tp + lintShared.fn)} (${lintShared.tp}/${lintShared.tp + lintShared.fn}) | ${pct(lintShared.tp, lintShared.tp + lintShared.fp)} |`);
  const top = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).slice(0, 12).map(([k, n]) => `${k}×${n}`).join(', ') || 'none';
  console.log(`\nShipsafe misses: ${top(shipScore.missed)}\nShipsafe false alarms: ${top(shipScore.falseAlarms)}`);
  console.log(`secretlint false alarms: ${top(lintScore.falseAlarms)}`);
}

main().catch((e) => { console.error(e); process.exit(1); });
