import { defineRule } from '../../model/rule';
import { stripTrailingComment } from '../../util/linear';
import type { Confidence } from '../../model/types';

/** Base images whose default user is not root (the image's documentation says so). */
const NON_ROOT_BASE = /(:|-)nonroot\b|^gcr\.io\/distroless\/.*:nonroot|^cgr\.dev\/|^chainguard\/|^bitnami\/|^nginxinc\/nginx-unprivileged|^docker\.io\/bitnami\/|unprivileged|^mcr\.microsoft\.com\/mssql\/server(?!:2017)/i;

interface Stage { from: string; alias?: string; fromAt: number; fromEnd: number; user?: { name: string; at: number; end: number } }

function stagesOf(text: string): Stage[] {
  const stages: Stage[] = [];
  // instructions with their line continuations joined; offsets of the first line kept
  const LINE = /^[ \t]*(FROM|USER)[ \t]([^\n]*)$/gim;
  for (let m; (m = LINE.exec(text));) {
    const instr = m[1].toUpperCase();
    const args = stripTrailingComment(m[2]).trim();
    if (!args) continue;
    const end = m.index + m[0].length;
    if (instr === 'FROM') {
      const parts = args.split(/\s+/).filter((p) => !p.startsWith('--'));
      const as = parts.findIndex((p) => p.toLowerCase() === 'as');
      stages.push({ from: parts[0] ?? '', alias: as > 0 ? parts[as + 1]?.toLowerCase() : undefined, fromAt: m.index + m[0].indexOf(m[1]), fromEnd: end });
    } else if (stages.length) {
      stages[stages.length - 1].user = { name: args, at: m.index + m[0].indexOf(m[1]), end };
    }
  }
  return stages;
}

const isRoot = (user: string) => /^(root|0)(:(root|0))?$/i.test(user.trim());

export default defineRule({
  meta: {
    id: 'dockerfile-runs-as-root',
    title: 'Container runs as root',
    category: 'config',
    severity: 'warning',
    confidence: 'medium',
    cwe: [250],
    owasp: 'A05:2021 Security Misconfiguration',
    description: 'Finds Dockerfiles whose final stage never switches to a non-root `USER` (or switches back to `root`), so the app runs as root inside the container. Base images that default to a non-root user (distroless `:nonroot`, Chainguard, Bitnami, nginx-unprivileged, SQL Server 2019 and later) and stages built `FROM` a stage that already set a user are left alone; `Dockerfile.dev` and other development files are reported at low confidence.',
    notReported: 'Base images that already run as a non-root user (distroless `:nonroot`, Chainguard, Bitnami, nginx-unprivileged, SQL Server 2019 and later), stages built from a stage that set a user, and development Dockerfiles (low).',
    why: 'A process running as root in a container can change everything in the image, read every mounted secret and, with one kernel or runtime bug or a careless `--privileged`/volume mount, take over the host. An injection or path traversal bug in the app becomes much worse when the app is root.',
    fix: 'Create or use an unprivileged user and switch to it before `CMD`: `USER node` on the official Node images, or `RUN adduser -D app` then `USER app`. Give that user ownership only of what it must write (`COPY --chown=node:node`).',
    bad: `# file: Dockerfile
FROM node:20-alpine
WORKDIR /app
COPY . .
RUN npm ci --omit=dev
CMD ["node", "server.js"]`,
    good: `# file: Dockerfile
FROM node:20-alpine
WORKDIR /app
COPY --chown=node:node . .
RUN npm ci --omit=dev
USER node
CMD ["node", "server.js"]`,
    fixSafety: 'none',
    languages: [],
    defaultEnabled: true,
    tags: ['docker', 'config'],
  },
  create() {
    return {};
  },
  checkFile(ctx) {
    if (ctx.kind !== 'dockerfile') return;
    const stages = stagesOf(ctx.text);
    if (!stages.length) return;
    const byAlias = new Map<string, Stage>();
    for (const s of stages) if (s.alias) byAlias.set(s.alias, s);
    // the user a stage ends with, following `FROM <earlier stage>`
    const userOf = (s: Stage, depth = 0): string | undefined => {
      if (s.user) return s.user.name;
      const parent = byAlias.get(s.from.toLowerCase());
      return parent && parent !== s && depth < 20 ? userOf(parent, depth + 1) : undefined;
    };
    const last = stages[stages.length - 1];
    const path = ctx.path.replace(/\\/g, '/');
    const dev = /(^|[./_-])(dev|development|local|test|ci|debug)([./_-]|$)/i.test(path.split('/').pop() ?? '') || /(^|\/)(\.devcontainer|dev|test|tests|examples?)\//.test(path);
    const confidence: Confidence = dev ? 'low' : 'medium';
    const user = userOf(last);
    if (user === undefined) {
      let base = last.from;
      for (let s = byAlias.get(base.toLowerCase()), i = 0; s && i < 20; s = byAlias.get(s.from.toLowerCase()), i++) base = s.from;
      if (NON_ROOT_BASE.test(base) || base.toLowerCase() === 'scratch') return;
      ctx.report({
        range: { start: last.fromAt, end: last.fromEnd },
        message: `The final stage (\`FROM ${last.from}\`) never sets a non-root \`USER\`, so the app runs as root in the container: a bug in it can then change the image, read every mounted secret and more easily reach the host. Add \`USER node\` (official Node images) or create a user, before \`CMD\`.`,
        confidence,
      });
    } else if (isRoot(user) && last.user) {
      ctx.report({
        range: { start: last.user.at, end: last.user.end },
        message: `\`USER ${user}\` is the last user of the final stage, so the app runs as root in the container. Switch back to an unprivileged user (\`USER node\` or one you create) before \`CMD\`.`,
        confidence,
      });
    }
  },
});
