import { isMap, isPair, isScalar, isSeq, parseAllDocuments, type Node as YamlNode } from 'yaml';
import { defineRule } from '../../model/rule';
import type { Confidence } from '../../model/types';
import { findSecrets, isPlaceholderSecret, isSecretName, secretValueStrength } from '../../secrets/providers';

const COMPOSE_FILE = /(^|\/)(docker-)?compose([.-][\w-]+)?\.ya?ml$/i;
/** compose files meant for production or a shared server, by name (`docker-compose.prod.yml`, `compose.production.yaml`) */
const PROD_FILE = /(^|[.-])(prod|production|live|release|deploy|staging)([.-]|$)/i;
/** values everyone types for a throwaway local database */
const DEV_VALUE = /^(postgres|postgresql|mysql|mariadb|root|admin|password|pass|secret|example|test|testing|dev|development|local|changeme|guest|mongo|redis|app|user|1234|12345|123456|12345678|rabbitmq|minio|minioadmin|keycloak)$/i;

interface Entry { key: string; value: string; start: number; end: number }

function environmentEntries(text: string): Entry[] {
  const out: Entry[] = [];
  for (const doc of parseAllDocuments(text) as unknown as { contents: YamlNode | null }[]) {
    const root = doc.contents;
    if (!root || !isMap(root)) continue;
    const services = root.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === 'services')?.value as YamlNode | undefined;
    if (!services || !isMap(services)) continue;
    for (const svc of services.items) {
      const def = svc.value as YamlNode | undefined;
      if (!def || !isMap(def)) continue;
      const env = def.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === 'environment')?.value as YamlNode | undefined;
      if (!env) continue;
      const push = (key: string, n: YamlNode | null | undefined) => {
        if (!n || !isScalar(n) || (typeof n.value !== 'string' && typeof n.value !== 'number')) return;
        const r = (n as { range?: [number, number, number] }).range;
        if (!r) return;
        let [s, e] = r;
        if ((text[s] === '"' || text[s] === "'") && text[e - 1] === text[s]) { s++; e--; }
        out.push({ key, value: String(n.value), start: s, end: e });
      };
      if (isMap(env)) {
        for (const p of env.items) if (isPair(p) && isScalar(p.key)) push(String(p.key.value), p.value as YamlNode);
      } else if (isSeq(env)) {
        for (const item of env.items) {
          if (!isScalar(item) || typeof item.value !== 'string') continue;
          const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.+)$/s.exec(item.value);
          const r = (item as { range?: [number, number, number] }).range;
          if (!m || !r) continue;
          const at = text.indexOf(m[2], r[0]);
          if (at >= 0 && at < r[1]) out.push({ key: m[1], value: m[2], start: at, end: at + m[2].length });
        }
      }
    }
  }
  return out;
}

export default defineRule({
  meta: {
    id: 'compose-inline-secret',
    title: 'Password written inline in docker-compose',
    category: 'config',
    severity: 'warning',
    confidence: 'medium',
    cwe: [798, 260],
    owasp: 'A05:2021 Security Misconfiguration',
    description: 'Finds passwords, tokens and keys written as literal values in the `environment:` of a docker-compose service meant for production or a shared server (`docker-compose.prod.yml`, `compose.production.yaml`, `…deploy…`, `…staging…`), where they are committed with the file. In other compose files (usually local development) only random-looking values are reported at default confidence; values everyone types for a throwaway database (`postgres`, `root`, `example`) are low confidence everywhere. Provider keys are reported by `secret-in-file` instead; `${VAR}` references and `*_FILE` paths are fine.',
    notReported: '`${VAR}` references and `*_FILE` paths; provider keys (left to `secret-in-file`); in development compose files, values that are not random-looking (low); throwaway database values such as `postgres`, `root` or `example` (low everywhere).',
    why: 'A compose file is committed, copied to servers and pasted into tickets. A password written in it is shared with everyone who sees the file, is the same on every server, and is rarely changed once the stack runs.',
    fix: 'Reference a variable (`POSTGRES_PASSWORD: ${POSTGRES_PASSWORD}`) kept in an untracked `.env` next to the compose file, or use compose `secrets:` (`POSTGRES_PASSWORD_FILE: /run/secrets/db_password`).',
    bad: `# file: docker-compose.prod.yml
services:
  db:
    image: postgres:16
    environment:
      POSTGRES_PASSWORD: Shop2024!`,
    good: `# file: docker-compose.prod.yml
services:
  db:
    image: postgres:16
    environment:
      POSTGRES_PASSWORD: \${POSTGRES_PASSWORD}`,
    fixSafety: 'none',
    languages: [],
    defaultEnabled: true,
    tags: ['docker', 'config', 'secrets'],
  },
  create() {
    return {};
  },
  checkFile(ctx) {
    if (ctx.kind !== 'yaml') return;
    const path = ctx.path.replace(/\\/g, '/');
    if (!COMPOSE_FILE.test(path)) return;
    const name = path.split('/').pop() ?? '';
    const prod = PROD_FILE.test(name.replace(/\.ya?ml$/i, ''));
    let entries: Entry[];
    try { entries = environmentEntries(ctx.text); } catch { return; }
    for (const e of entries) {
      const v = e.value.trim();
      if (!v || !isSecretName(e.key) || /^\$|\{\{/.test(v) || /_FILE$/i.test(e.key)) continue;
      if (isPlaceholderSecret(v) && !DEV_VALUE.test(v)) continue;
      // provider keys are secret-in-file's findings (one finding per value); the other literals are this rule's
      if (findSecrets(v, { names: e.key, modules: '', bound: true }).some((m) => !m.provider.publishable)) continue;
      const confidence: Confidence = DEV_VALUE.test(v) ? 'low' : prod || secretValueStrength(v, e.key) === 'medium' ? 'medium' : 'low';
      ctx.report({
        range: { start: e.start, end: e.end },
        message: `\`${e.key}\` is written inline in \`${name}\`: everyone who can read the file has it, and it is the same on every server. Reference a variable (\`\${${e.key}}\`) from an untracked \`.env\`, or use compose \`secrets:\`.`,
        confidence,
      });
    }
  },
});
