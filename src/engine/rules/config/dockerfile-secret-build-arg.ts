import { defineRule } from '../../model/rule';
import type { Confidence } from '../../model/types';
import { isSecretName } from '../../secrets/providers';
import { stripTrailingComment } from '../../util/linear';

/** Names that say the value is where a secret is, or about it, not the secret itself. */
const NOT_A_SECRET = /(_FILE|_PATH|_DIR|_URL|_URI|_ENDPOINT|_HEADER|_NAME|_ID|_TYPE|_LENGTH|_EXPIRY|_EXPIRES_IN|_EXPIRES|_TTL|_ALGORITHM|_ISSUER|_AUDIENCE|_COOKIE_NAME)$/i;
/** Variables a build inlines into public browser code on purpose. */
const PUBLIC_PREFIX = /^(NEXT_PUBLIC_|VITE_|REACT_APP_|PUBLIC_|NUXT_PUBLIC_|EXPO_PUBLIC_|GATSBY_)/i;

interface Decl { instr: 'ARG' | 'ENV'; name: string; value?: string; at: number; end: number; stage: number }

function declarations(text: string): { decls: Decl[]; stages: { alias?: string; from: string }[] } {
  const decls: Decl[] = [];
  const stages: { alias?: string; from: string }[] = [];
  const LINE = /^[ \t]*(FROM|ARG|ENV)[ \t]([^\r\n]*)$/gim;
  for (let m; (m = LINE.exec(text));) {
    const instr = m[1].toUpperCase();
    const body = stripTrailingComment(m[2]).trim();
    if (!body) continue;
    if (instr === 'FROM') {
      const parts = body.split(/\s+/).filter((p) => !p.startsWith('--'));
      const as = parts.findIndex((p) => p.toLowerCase() === 'as');
      stages.push({ from: (parts[0] ?? '').toLowerCase(), alias: as > 0 ? parts[as + 1]?.toLowerCase() : undefined });
      continue;
    }
    const bodyAt = m.index + m[0].indexOf(body, m[1].length + 1);
    const stage = stages.length - 1;
    // `ENV A=1 B=2`, `ARG A=1`, `ARG A`, legacy `ENV A value`
    if (instr === 'ENV' && !/^[A-Za-z_][A-Za-z0-9_]*=/.test(body)) {
      const sp = body.search(/\s/);
      if (sp > 0) decls.push({ instr, name: body.slice(0, sp), value: body.slice(sp).trim(), at: bodyAt, end: bodyAt + sp, stage });
      continue;
    }
    const PAIR = /(?<![^\s])([A-Za-z_][A-Za-z0-9_]*)(=("(?:[^"\\\n]|\\.){0,2000}"|'[^'\n]{0,2000}'|\S{0,2000}))?/g;
    for (let p; (p = PAIR.exec(body));) {
      const raw = p[3];
      const value = raw === undefined ? undefined : raw.replace(/^(["'])([\s\S]*)\1$/, '$2');
      decls.push({ instr: instr as 'ARG' | 'ENV', name: p[1], value, at: bodyAt + p.index, end: bodyAt + p.index + p[1].length, stage });
    }
  }
  return { decls, stages };
}

export default defineRule({
  meta: {
    id: 'dockerfile-secret-build-arg',
    title: 'Secret passed through a Dockerfile ARG or ENV',
    category: 'config',
    severity: 'warning',
    confidence: 'medium',
    cwe: [538, 214],
    owasp: 'A05:2021 Security Misconfiguration',
    description: 'Finds Dockerfile `ENV` and `ARG` instructions whose name says they hold a secret (`JWT_SECRET`, `DB_PASSWORD`, `NPM_TOKEN`, `STRIPE_SECRET_KEY`): an `ENV` with any value (a literal or `${BUILD_ARG}`) and an `ARG` with a default, in the final image. A secret-named `ARG` without a default, and anything in a build stage the final image does not come from, are low confidence. The value itself, when it looks like a real key, is reported by secret-in-file.',
    notReported: 'Names that point to a secret rather than hold it (`DB_PASSWORD_FILE`, `JWT_SECRET_PATH`, `TOKEN_URL`, `API_KEY_ID`), public build variables (`NEXT_PUBLIC_…`, `VITE_…`), empty values, and `RUN --mount=type=secret`.',
    why: '`ENV` values are part of the image: anyone who can pull it reads them with `docker inspect`, and every container started from it has them in its environment. Build arguments are recorded in the image history and build provenance, and a default value is also committed to the repository. A secret handled this way outlives its rotation in every copy of the image.',
    fix: 'Pass runtime secrets when the container starts (`docker run -e`, the orchestrator\'s secret store, `env_file:` kept out of git). For secrets a build needs (a private registry token), use a BuildKit secret mount: `RUN --mount=type=secret,id=npm_token NPM_TOKEN=$(cat /run/secrets/npm_token) npm ci`.',
    bad: `# file: Dockerfile
FROM node:20-alpine
WORKDIR /app
ARG NPM_TOKEN=npm_live_build_token
ENV JWT_SECRET=\${JWT_SECRET}
COPY . .
RUN npm ci --omit=dev
USER node
CMD ["node", "server.js"]`,
    good: `# file: Dockerfile
# syntax=docker/dockerfile:1
FROM node:20-alpine
WORKDIR /app
COPY . .
RUN --mount=type=secret,id=npm_token NPM_TOKEN=$(cat /run/secrets/npm_token) npm ci --omit=dev
USER node
CMD ["node", "server.js"]`,
    fixSafety: 'none',
    languages: [],
    defaultEnabled: true,
    tags: ['docker', 'secrets', 'config'],
  },
  create() {
    return {};
  },
  checkFile(ctx) {
    if (ctx.kind !== 'dockerfile') return;
    const { decls, stages } = declarations(ctx.text);
    if (!stages.length) return;
    // the stages the final image is built from (FROM <alias> chains)
    const inFinal = new Set<number>();
    for (let i: number | undefined = stages.length - 1, n = 0; i !== undefined && i >= 0 && n < 20; n++) {
      inFinal.add(i);
      const from = stages[i].from;
      const parent: number = stages.findIndex((s, k) => k < i! && s.alias === from);
      i = parent >= 0 ? parent : undefined;
    }
    const path = ctx.path.replace(/\\/g, '/');
    const dev = /(^|[./_-])(dev|development|local|test|ci|debug)([./_-]|$)/i.test(path.split('/').pop() ?? '') || /(^|\/)(\.devcontainer|dev|test|tests|examples?)\//.test(path);
    for (const d of decls) {
      if (d.stage < 0 || !isSecretName(d.name) || NOT_A_SECRET.test(d.name) || PUBLIC_PREFIX.test(d.name)) continue;
      const value = d.value?.trim();
      if (d.instr === 'ENV' && !value) continue;
      // a literal that looks like a real key is secret-in-file's finding (with the key masked): one finding a line
      if (value && !value.startsWith('$') && value.length >= 12 && /\d/.test(value) && /[A-Za-z]/.test(value) && !/[\s-]/.test(value)) continue;
      const final = inFinal.has(d.stage);
      let confidence: Confidence = final && (d.instr === 'ENV' || !!value) ? 'medium' : 'low';
      if (dev) confidence = 'low';
      const message = d.instr === 'ENV'
        ? `\`ENV ${d.name}\` bakes a secret into the image${value && /^\$\{?\w+\}?$/.test(value) ? ` (copied from the build argument \`${value}\`)` : ''}: anyone who can pull the image reads it with \`docker inspect\`, and it stays there after you rotate it. Pass it when the container starts (\`docker run -e\`, your platform's secret settings) instead.`
        : value
          ? `\`ARG ${d.name}\` has a default value: the secret is committed with the Dockerfile and recorded in the image history. Remove the default and pass it with a BuildKit secret mount (\`RUN --mount=type=secret,id=…\`).`
          : `\`ARG ${d.name}\` passes a secret as a build argument: build arguments are recorded in the image history and build provenance. Use a BuildKit secret mount (\`RUN --mount=type=secret,id=…\`) instead.`;
      ctx.report({ range: { start: d.at, end: d.end }, message, confidence });
    }
  },
});
