import { defineRule, type FileContext } from '../../model/rule';
import type { Confidence, Severity } from '../../model/types';
import { isExampleFile } from '../../files/kinds';
import { namedValues, type NamedValue } from '../../files/values';
import { TEST_PATH } from '../../secrets/context';
import { findSecrets, isPlaceholderSecret, PROVIDERS, isSecretName, secretValueStrength, type SecretMatch } from '../../secrets/providers';
import { maskSecret } from '../../util/text';

const KIND_NAMES: Record<string, string> = {
  dotenv: 'environment file', yaml: 'YAML file', json: 'JSON file', toml: 'TOML file', ini: 'config file',
  properties: 'properties file', xml: 'XML config', dockerfile: 'Dockerfile', shell: 'shell script', npmrc: 'credentials file',
  key: 'key file', text: 'file',
};

/** Values that point at a secret kept elsewhere, never the secret: `${VAR}`, `$VAR`, `op://…`, `vault:…`, `{{ secrets.X }}`. */
const REFERENCE = /^(\$\{?[A-Za-z_][\w]*(:?-[^}]*)?\}?|%\(?[\w.]+\)?s?|%[A-Z_]+%|\$\(.*\)|`.*`|\{\{.*\}\}|<%.*%>|op:\/\/|vault:|secret:|ssm:|arn:|sm:\/\/|gcp:|azurekeyvault:|env\(|ENC\[|!vault|#\{)/;

/**
 * A name that ends in a checksum's: `sha256`, `md5`, `checksum`, `integrity` (`app.tar.gz.sha256 = …`, and each line
 * `pkg/change_pass.html,sha256=…,2053` of a Python wheel's `*.dist-info/RECORD`). The value is a file's hash, not a
 * secret, whatever secret word the file's name before it holds.
 */
const CHECKSUM_KEY = /(^|[^A-Za-z0-9])(sha(1|224|256|384|512)?|md5|hash|digest|checksum|integrity)$/i;

/** The first line of a script in a programming language: `#!/usr/bin/python3`, `#!/usr/bin/env -S node`, `#!/usr/bin/perl -w`. */
const SCRIPT_SHEBANG = /^#![ \t]*\S*\/(env[ \t]+(-\S+[ \t]+)*)?(python|perl|ruby|node|nodejs|php|deno|bun|lua|tclsh|groovy)[\w.-]*(?=[ \t\r\n]|$)/;

/**
 * A value that reads as an expression of code, not as a literal: member reads with a subscript or a call
 * (`options.createconnection[7],`, `os.environ["DB_PASSWORD"]`, `get_password()`), or dotted names made of words
 * (`args.password`, `settings.DB_PASSWORD`). A random value with a dot in it (`Xk9vR2m.Pq8Lw`) is not one.
 */
function isCodeExpression(v: string): boolean {
  const m = /^([A-Za-z_$][\w$]*(?:\??\.[A-Za-z_$][\w$]*)*)((?:\[[^\]\n]*\]|\([^)\n]*\))(?:\[[^\]\n]*\]|\([^)\n]*\)|\??\.[A-Za-z_$][\w$]*)*)?[,;)]*$/.exec(v);
  if (!m) return false;
  if (m[2]) return true;
  // no subscript or call right after the names: each name a word (`args`, `db_password`, `DB_PASSWORD`, `dbPassword`)
  const names = m[1].split(/\??\./);
  return names.length > 1 && names.every((n) => /^([a-z_][a-z_]*|[A-Z_][A-Z_]*|[a-z]+([A-Z][a-z]+)+)\d?$/.test(n));
}

function where(ctx: FileContext): string {
  const base = ctx.path.replace(/\\/g, '/').split('/').pop() ?? ctx.path;
  return ctx.kind === 'dotenv' ? `\`${base}\`` : `this ${KIND_NAMES[ctx.kind] ?? 'file'}`;
}

function advice(ctx: FileContext, env: string): string {
  if (ctx.kind === 'dotenv') {
    return `Keep \`.env\` files out of git (add them to \`.gitignore\`); if this one was ever committed or shared, rotate the key in the provider's dashboard.`;
  }
  if (ctx.kind === 'dockerfile') return 'Values in `ENV`/`ARG` stay in the image and its history: rotate the key and pass it at run time (`docker run -e`, a secret store) or with a BuildKit secret mount (`RUN --mount=type=secret`).';
  if (ctx.kind === 'key') return 'Rotate the key, delete the file from the repository (and its history) and load it from a secret store or a path outside the project.';
  return `Rotate it in the provider's dashboard and load it from the environment (\`${env}\`) or a secret store instead of this file.`;
}

/** The value has the shape of a prefixed catalog entry (whatever the entry's judge said about it). */
function hasCatalogShape(v: string): boolean {
  const lower = v.toLowerCase();
  return PROVIDERS.some((p) => !p.context && p.keywords.length > 0 && p.keywords.some((k) => lower.includes(k)) && p.pattern.test(v));
}

export default defineRule({
  meta: {
    id: 'secret-in-file',
    title: 'Secret in a config, deploy or text file',
    category: 'secrets',
    severity: 'error',
    confidence: 'high',
    cwe: [798, 312],
    owasp: 'A07:2021 Identification and Authentication Failures',
    description: 'Finds API keys, tokens, private keys and passwords in every text file that is not JavaScript: `.env` files, YAML, JSON, TOML, INI and properties files, XML config, shell scripts, Dockerfile `ENV`/`ARG`, `.npmrc` `_authToken`, key files, connection URLs with a password and `curl -H \'Authorization: …\'` in notes. Values are read with each format\'s own parser and matched against the formats of 250+ providers, or judged by the name they are bound to and how random they look. Placeholders (`your-key-here`, `xxx`, `<token>`, `${VAR}`, `changeme`) stay quiet; a real-looking key in `.env.example` does not.',
    notReported: 'Placeholders and references (`your-key-here`, `xxx`, `<token>`, `${VAR}`, `changeme`, `op://…`), publishable keys meant for browsers, checksums (a value under a name ending in `sha256`, `md5`, `checksum`…: `app.tar.gz.sha256 = …`, each line of a Python wheel\'s `RECORD`), labels in translation files, values that read as code in other languages\' sources and in scripts that name their interpreter (`password=options.db[7],` under `#!/usr/bin/python3`), and random values under a secret name in `.env.example` (low); JavaScript and TypeScript files, which `hardcoded-secret` reads.',
    why: 'Config files are copied, committed, attached to tickets, baked into images and pasted into chats far more often than code. A live key in one of them works for whoever finds it, and deleting the line later does not help: it stays in git history and in every image and copy until the key is rotated.',
    fix: 'Rotate the key in the provider\'s dashboard, keep real values only in untracked `.env` files or the host\'s secret settings, and leave placeholders in the files you commit (`STRIPE_SECRET_KEY=` or `STRIPE_SECRET_KEY=sk_live_your_key_here` in `.env.example`).',
    bad: `# file: config/production.yml
stripe:
  secret_key: sk_live_51NqShipsafeDemo0Key4Docs9vRtW2xLmP8aQz`,
    good: `# file: config/production.yml
stripe:
  secret_key: \${STRIPE_SECRET_KEY}`,
    fixSafety: 'none',
    languages: [],
    defaultEnabled: true,
    tags: ['secrets', 'credentials', 'config'],
  },
  create() {
    return {};
  },
  checkFile(ctx) {
    const path = ctx.path.replace(/\\/g, '/');
    const testFile = TEST_PATH.test(path) || /(^|\/)(testdata|test-data|__snapshots__|docs?|examples?)\//.test(path);
    const example = isExampleFile(path);
    const compose = ctx.kind === 'yaml' && /(^|\/)(docker-)?compose([.-][\w-]+)?\.ya?ml$/i.test(path);
    // translations name the password field in every language ("Contraseña", "••••••••"): names say nothing there
    const translations = /(^|\/)(locales?|lang|langs|languages?|i18n|l10n|translations?|messages)\//i.test(path);
    // source files of other languages read as text (.vue, .py, .php…): `token: this.$store…` is code, not a value
    const code = ctx.kind === 'text' && !/\.(md|markdown|txt|rst|adoc|log|cfg|conf|env|secret|secrets|credentials)$/i.test(path) && /\.[a-z0-9]+$/i.test(path);
    // a script without an extension that names its interpreter (`#!/usr/bin/python3` in `bin/server`): a value that
    // reads as code there is an expression (`password=options.createconnection[7],`), while a quoted literal is still
    // judged, whatever characters it holds (shell scripts keep their reading)
    const script = ctx.kind === 'text' && !code && SCRIPT_SHEBANG.test(ctx.text);
    const taken: [number, number][] = [];
    let count = 0;
    const report = (start: number, end: number, message: string, confidence: Confidence, severity?: Severity) => {
      if (taken.some(([s, e]) => start < e && s < end)) return;
      if (++count > 50) return;
      taken.push([start, end]);
      ctx.report({ range: { start, end }, message, confidence: testFile && confidence !== 'low' ? 'low' : confidence, severity });
    };
    const catalog = (m: SecretMatch, offset: number, names?: string) => {
      const p = m.provider;
      const conf: Confidence = p.testMode || m.level === 'low' ? 'low' : 'high';
      const who = `${p.provider} ${p.label}`;
      const whereText = where(ctx);
      const lead = example
        ? `${whereText} is an example file, yet it holds what looks like a real ${who} (\`${m.masked}\`): example files are committed and shared.`
        : p.testMode ? `${who} (\`${m.masked}\`) in ${whereText}; test mode cannot touch live data, but keep keys out of files you commit.`
        : `${who} (\`${m.masked}\`) in ${whereText}${names ? ` (\`${names.split(' ').pop()}\`)` : ''}: anyone who can read the file, its copies or its git history can use it.`;
      report(offset + m.start, offset + m.end, `${lead} ${advice(ctx, p.envVar)}`, conf, p.testMode ? 'info' : undefined);
    };

    // 1. named values, read with the format's parser
    const values: NamedValue[] = ctx.kind === 'key' ? [] : namedValues(ctx.text, ctx.kind);
    for (const nv of values) {
      const v = nv.value.trim();
      if (v.length < 6 || REFERENCE.test(v)) continue;
      const secretName = !CHECKSUM_KEY.test(nv.key) && isSecretName(nv.key) || /(^|[_.-])(pat|dsn)$/i.test(nv.key);
      const found = findSecrets(nv.value, { names: nv.names, modules: '', bound: secretName || nv.via === 'header' });
      const hit = found.find((m) => !m.provider.publishable);
      if (hit) { catalog(hit, nv.start, nv.names); continue; }
      if (found.length) continue; // a publishable key: a Stripe pk_, a Firebase web key, a Sentry DSN
      if (!secretName && nv.via !== 'header') continue;
      if (translations || /[^\x20-\x7e]/.test(v)) continue;
      // docker-compose `environment:` literals are compose-inline-secret's (with compose advice)
      if (compose && /(^|\s)environment\s/.test(` ${nv.names} `)) continue;
      if (code && !/^[A-Za-z0-9+/=_.~:-]+$/.test(v)) continue;
      if (script && isCodeExpression(v)) continue;
      // a known shape its provider's judge turned down (the storage emulator's key, a local database URL)
      if (hasCatalogShape(v)) continue;
      if (isPlaceholderSecret(v)) continue;
      const strength = secretValueStrength(v, nv.key);
      if (!strength) continue;
      // an example file documents names: a random-looking value bound to a secret name may still be a sample
      const conf: Confidence = strength === 'low' || example ? 'low' : 'medium';
      report(nv.start, nv.end, `\`${nv.key}\` in ${where(ctx)} is set to what looks like a real secret (\`${maskSecret(v)}\`). ${advice(ctx, nv.key.toUpperCase())}`, conf, 'warning');
    }

    // 2. the whole text, for what has no name: PEM blocks, connection URLs, prefixed tokens in notes and scripts
    for (const m of findSecrets(ctx.text, { textScan: true })) {
      if (m.provider.publishable) continue;
      catalog(m, 0);
    }
  },
});
