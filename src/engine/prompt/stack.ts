/**
 * What a project is built with, read from its manifest and config files: package.json dependencies,
 * requirements.txt / pyproject.toml / Pipfile, vercel.json, netlify.toml, Dockerfile, next.config.*, and the
 * shape of the file tree (Next.js `app/` vs `pages/`, HTML files, Python sources). Pure: the caller lists the
 * files and gives the text of those `isStackFile` asks for (see project-files.ts for the node host).
 *
 * Python projects are detected from their files even though the analyzer does not parse Python yet: the secure
 * prompt is still worth having there.
 */

export type StackKind =
  | 'language' | 'framework' | 'frontend' | 'database' | 'auth' | 'validation' | 'payments' | 'hosting'
  | 'uploads' | 'llm' | 'security';

export interface StackItemDef {
  id: string;
  kind: StackKind;
  /** how people write it: "Next.js", "express-rate-limit" */
  name: string;
  /** npm package names (exact, or a prefix ending in `/` or `*`) */
  npm?: string[];
  /** PyPI distribution names (normalized: lower case, `_` → `-`) */
  pypi?: string[];
  /** other items this one implies (FastAPI → pydantic) */
  implies?: string[];
}

/** The things Shipsafe knows how to tailor the prompt to, in display order within each kind. */
export const STACK_ITEMS: readonly StackItemDef[] = [
  { id: 'typescript', kind: 'language', name: 'TypeScript', npm: ['typescript'] },
  { id: 'javascript', kind: 'language', name: 'JavaScript' },
  { id: 'python', kind: 'language', name: 'Python' },

  { id: 'nextjs', kind: 'framework', name: 'Next.js', npm: ['next'], implies: ['react'] },
  { id: 'nestjs', kind: 'framework', name: 'NestJS', npm: ['@nestjs/core'] },
  { id: 'express', kind: 'framework', name: 'Express', npm: ['express'] },
  { id: 'fastify', kind: 'framework', name: 'Fastify', npm: ['fastify'] },
  { id: 'koa', kind: 'framework', name: 'Koa', npm: ['koa'] },
  { id: 'hono', kind: 'framework', name: 'Hono', npm: ['hono'] },
  { id: 'django', kind: 'framework', name: 'Django', pypi: ['django'] },
  { id: 'flask', kind: 'framework', name: 'Flask', pypi: ['flask'] },
  { id: 'fastapi', kind: 'framework', name: 'FastAPI', pypi: ['fastapi'], implies: ['pydantic'] },
  { id: 'static-site', kind: 'framework', name: 'static site (HTML/JS, no server code)' },

  { id: 'react', kind: 'frontend', name: 'React', npm: ['react'] },
  { id: 'vite', kind: 'frontend', name: 'Vite', npm: ['vite'] },

  { id: 'prisma', kind: 'database', name: 'Prisma', npm: ['@prisma/client', 'prisma'] },
  { id: 'drizzle', kind: 'database', name: 'Drizzle', npm: ['drizzle-orm'] },
  { id: 'sequelize', kind: 'database', name: 'Sequelize', npm: ['sequelize'] },
  { id: 'knex', kind: 'database', name: 'knex', npm: ['knex'] },
  { id: 'pg', kind: 'database', name: 'pg (node-postgres)', npm: ['pg', 'postgres', '@neondatabase/serverless', '@vercel/postgres'] },
  { id: 'mysql2', kind: 'database', name: 'mysql2', npm: ['mysql2', 'mysql'] },
  { id: 'sqlite', kind: 'database', name: 'SQLite', npm: ['better-sqlite3', 'sqlite3', 'sqlite', '@libsql/client'] },
  { id: 'mongoose', kind: 'database', name: 'Mongoose', npm: ['mongoose'] },
  { id: 'mongodb', kind: 'database', name: 'MongoDB driver', npm: ['mongodb'] },
  { id: 'supabase', kind: 'database', name: 'Supabase', npm: ['@supabase/supabase-js', '@supabase/ssr', '@supabase/auth-helpers-*'], pypi: ['supabase'] },
  { id: 'sqlalchemy', kind: 'database', name: 'SQLAlchemy', pypi: ['sqlalchemy', 'flask-sqlalchemy', 'sqlmodel'] },
  { id: 'psycopg', kind: 'database', name: 'psycopg', pypi: ['psycopg', 'psycopg2', 'psycopg2-binary', 'asyncpg'] },
  { id: 'pymongo', kind: 'database', name: 'PyMongo', pypi: ['pymongo', 'motor', 'mongoengine'] },

  { id: 'nextauth', kind: 'auth', name: 'Auth.js (NextAuth)', npm: ['next-auth', '@auth/core', '@auth/nextjs', '@auth/express', '@auth/sveltekit'] },
  { id: 'clerk', kind: 'auth', name: 'Clerk', npm: ['@clerk/*'] },
  { id: 'supabase-auth', kind: 'auth', name: 'Supabase Auth', npm: ['@supabase/ssr', '@supabase/auth-helpers-*', '@supabase/auth-ui-react'] },
  { id: 'passport', kind: 'auth', name: 'Passport', npm: ['passport', 'passport-local', 'passport-jwt'] },
  { id: 'jwt', kind: 'auth', name: 'JWT', npm: ['jsonwebtoken', 'jose', '@fastify/jwt', 'express-jwt', 'koa-jwt', '@nestjs/jwt'], pypi: ['pyjwt', 'python-jose', 'flask-jwt-extended', 'djangorestframework-simplejwt'] },
  { id: 'sessions', kind: 'auth', name: 'server sessions', npm: ['express-session', 'cookie-session', 'iron-session', '@fastify/session', '@fastify/secure-session', 'koa-session'], pypi: ['flask-login', 'flask-session'] },
  { id: 'bcrypt', kind: 'auth', name: 'bcrypt', npm: ['bcrypt', 'bcryptjs', '@node-rs/bcrypt'], pypi: ['bcrypt', 'passlib', 'flask-bcrypt'] },
  { id: 'argon2', kind: 'auth', name: 'argon2', npm: ['argon2', '@node-rs/argon2'], pypi: ['argon2-cffi'] },

  { id: 'zod', kind: 'validation', name: 'zod', npm: ['zod'] },
  { id: 'joi', kind: 'validation', name: 'joi', npm: ['joi'] },
  { id: 'yup', kind: 'validation', name: 'yup', npm: ['yup'] },
  { id: 'class-validator', kind: 'validation', name: 'class-validator', npm: ['class-validator'] },
  { id: 'valibot', kind: 'validation', name: 'valibot', npm: ['valibot'] },
  { id: 'express-validator', kind: 'validation', name: 'express-validator', npm: ['express-validator'] },
  { id: 'pydantic', kind: 'validation', name: 'pydantic', pypi: ['pydantic'] },
  { id: 'marshmallow', kind: 'validation', name: 'marshmallow', pypi: ['marshmallow', 'flask-marshmallow'] },

  { id: 'stripe', kind: 'payments', name: 'Stripe', npm: ['stripe', '@stripe/stripe-js', '@stripe/react-stripe-js'], pypi: ['stripe', 'dj-stripe'] },

  { id: 'vercel', kind: 'hosting', name: 'Vercel', npm: ['vercel', '@vercel/*'] },
  { id: 'netlify', kind: 'hosting', name: 'Netlify', npm: ['netlify-cli', '@netlify/*'] },
  { id: 'docker', kind: 'hosting', name: 'Docker' },

  { id: 'multer', kind: 'uploads', name: 'multer', npm: ['multer'] },
  { id: 'formidable', kind: 'uploads', name: 'formidable', npm: ['formidable'] },
  { id: 'busboy', kind: 'uploads', name: 'busboy', npm: ['busboy', '@fastify/multipart', 'express-fileupload', 'koa-body', 'uploadthing'] },
  { id: 'python-multipart', kind: 'uploads', name: 'python-multipart', pypi: ['python-multipart', 'flask-uploads', 'flask-reuploaded'] },

  { id: 'openai', kind: 'llm', name: 'OpenAI API', npm: ['openai'], pypi: ['openai'] },
  { id: 'anthropic', kind: 'llm', name: 'Anthropic API', npm: ['@anthropic-ai/sdk'], pypi: ['anthropic'] },
  { id: 'ai-sdk', kind: 'llm', name: 'Vercel AI SDK', npm: ['ai', '@ai-sdk/*'] },
  { id: 'langchain', kind: 'llm', name: 'LangChain', npm: ['langchain', '@langchain/*'], pypi: ['langchain', 'langchain-core', 'langchain-openai', 'llama-index'] },
  { id: 'gemini', kind: 'llm', name: 'Google Gemini API', npm: ['@google/generative-ai', '@google/genai'], pypi: ['google-generativeai', 'google-genai'] },
  { id: 'llm-other', kind: 'llm', name: 'an LLM API', npm: ['groq-sdk', '@mistralai/mistralai', 'cohere-ai', 'ollama', 'replicate'], pypi: ['groq', 'mistralai', 'cohere', 'ollama', 'litellm', 'replicate'] },

  { id: 'helmet', kind: 'security', name: 'helmet', npm: ['helmet', '@fastify/helmet', 'koa-helmet'], pypi: ['flask-talisman', 'secure'] },
  { id: 'cors', kind: 'security', name: 'CORS middleware', npm: ['cors', '@fastify/cors', '@koa/cors', 'koa2-cors'], pypi: ['flask-cors', 'django-cors-headers'] },
  { id: 'rate-limit', kind: 'security', name: 'rate limiting', npm: ['express-rate-limit', '@fastify/rate-limit', 'rate-limiter-flexible', '@upstash/ratelimit', 'koa-ratelimit', '@nestjs/throttler', 'hono-rate-limiter'], pypi: ['flask-limiter', 'slowapi', 'django-ratelimit'] },
  { id: 'pino', kind: 'security', name: 'pino', npm: ['pino', 'pino-http', 'fastify'] },
  { id: 'dompurify', kind: 'security', name: 'DOMPurify', npm: ['dompurify', 'isomorphic-dompurify', 'sanitize-html'], pypi: ['bleach', 'nh3'] },
];

export const STACK_ITEM_BY_ID: ReadonlyMap<string, StackItemDef> = new Map(STACK_ITEMS.map((i) => [i.id, i]));

const KIND_ORDER: readonly StackKind[] = ['framework', 'frontend', 'database', 'auth', 'validation', 'payments', 'uploads', 'llm', 'hosting', 'security', 'language'];

/** One thing detected, with where it was seen (a package name and file, or a config file). */
export interface StackItem {
  id: string;
  kind: StackKind;
  name: string;
  /** e.g. "package.json: express", "vercel.json", "app/ (Next.js app router)" */
  evidence: string;
  /** the package that revealed it, when a dependency did ("express-rate-limit") */
  package?: string;
}

/** Facts about the project beyond "uses X", for requirements that depend on them. */
export interface StackFacts {
  /** Next.js routers in use */
  nextAppRouter: boolean;
  nextPagesRouter: boolean;
  /** a Dockerfile exists and none of them has a USER instruction */
  dockerRunsAsRoot: boolean;
  /** a Dockerfile exists and no .dockerignore does */
  dockerignoreMissing: boolean;
  /** any server-side code (a backend framework, Next.js, serverless functions, Python web app) */
  hasServer: boolean;
}

export interface DetectedStack {
  /** sorted by kind, then catalog order */
  items: StackItem[];
  facts: StackFacts;
}

export interface ProjectFile {
  /** relative to the project root, forward slashes */
  path: string;
  /** the text, for the files `isStackFile` selects; absent otherwise */
  text?: string;
}

const STACK_FILE = /(^|\/)(package\.json|requirements[^/]*\.txt|pyproject\.toml|Pipfile|vercel\.json|netlify\.toml|(Docker|Container)file(\.[^/]*)?|[^/]*\.dockerfile|(docker-)?compose(\.[^/]*)?\.ya?ml|next\.config\.[cm]?[jt]s)$/;

/** Whether the host should pass this file's text to `detectStack` (manifests and config files; never .env). */
export function isStackFile(path: string): boolean {
  return STACK_FILE.test(path);
}

function baseName(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

/** Matches a package name against a catalog entry (`@clerk/*`, `@ai-sdk/*`). */
function nameMatches(pattern: string, name: string): boolean {
  if (pattern.endsWith('*')) return name.startsWith(pattern.slice(0, -1));
  return pattern === name;
}

function normalizePy(name: string): string {
  return name.trim().toLowerCase().replace(/[_.]+/g, '-');
}

/** Dependency names from a package.json text (all dependency fields). */
export function npmDependencies(text: string): string[] {
  let json: unknown;
  try { json = JSON.parse(text.replace(/^\uFEFF/, '')); } catch { return []; }
  if (!json || typeof json !== 'object') return [];
  const out = new Set<string>();
  for (const field of ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies']) {
    const deps = (json as Record<string, unknown>)[field];
    if (deps && typeof deps === 'object' && !Array.isArray(deps)) for (const k of Object.keys(deps)) out.add(k);
  }
  return [...out].sort();
}

/** Distribution names from requirements.txt, pyproject.toml (PEP 621 and Poetry) or a Pipfile. */
export function pythonDependencies(path: string, text: string): string[] {
  const out = new Set<string>();
  const add = (spec: string) => {
    const m = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(spec);
    if (m) out.add(normalizePy(m[1]));
  };
  const base = baseName(path);
  if (/^requirements/.test(base)) {
    for (const raw of text.split(/\r?\n/)) {
      const line = cutComment(raw, false).trim();
      if (!line || line.startsWith('#') || line.startsWith('-')) continue;
      add(line);
    }
  } else if (base === 'pyproject.toml' || base === 'Pipfile') {
    let section = '';
    let inArray = false;
    for (const raw of text.split(/\r?\n/)) {
      const line = cutComment(raw, true).trim();
      if (!line) continue;
      const header = /^\[([^\]]+)\]$/.exec(line);
      if (header) { section = header[1].trim(); inArray = false; continue; }
      if (inArray) {
        for (const m of line.matchAll(/["']([^"']+)["']/g)) add(m[1]);
        if (line.includes(']')) inArray = false;
        continue;
      }
      if (section === 'project' || section.startsWith('project.optional-dependencies') || section === 'dependency-groups') {
        const arr = /^[\w-]+\s*=\s*\[(.*)$/.exec(line);
        if (arr && (section !== 'project' || /^dependencies\s*=/.test(line))) {
          for (const m of arr[1].matchAll(/["']([^"']+)["']/g)) add(m[1]);
          inArray = !arr[1].includes(']');
        }
      } else if (/^tool\.poetry(\.group\.[^.]+)?\.(dev-)?dependencies$/.test(section) || section === 'packages' || section === 'dev-packages') {
        const kv = /^["']?([A-Za-z0-9][A-Za-z0-9._-]*)["']?\s*=/.exec(line);
        if (kv && kv[1].toLowerCase() !== 'python') add(kv[1]);
      }
    }
  }
  return [...out].sort();
}

// tested segment by segment: as one regex (`app/` then any folders then the file) they are quadratic on long paths
/** A line without its `#` comment: from the first `#` that follows whitespace (or starts the line, when `atStart`). */
function cutComment(line: string, atStart: boolean): string {
  for (let i = line.indexOf('#'); i >= 0; i = line.indexOf('#', i + 1)) {
    if (i === 0 ? atStart : /\s/.test(line[i - 1])) return line.slice(0, i === 0 ? 0 : i - 1);
  }
  return line;
}

const NEXT_APP_FILE = { test: (p: string) => { const s = p.split('/'); return s.slice(0, -1).includes('app') && /^(page|route|layout)\.[cm]?[jt]sx?$/.test(s[s.length - 1]); } };
const NEXT_PAGES_FILE = { test: (p: string) => { const s = p.split('/'); return s.slice(0, -1).includes('pages') && /^.+\.[cm]?[jt]sx?$/.test(s[s.length - 1]); } };
const PY_WEB = /(^|\/)(manage\.py|wsgi\.py|asgi\.py|app\.py|main\.py)$/;

/**
 * Detects the stack from a project's files. Deterministic: the same files in any order give the same result.
 */
export function detectStack(files: readonly ProjectFile[]): DetectedStack {
  const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const found = new Map<string, string>();
  const packages = new Map<string, string>();
  const see = (id: string, evidence: string, pkg?: string) => {
    if (!found.has(id) && STACK_ITEM_BY_ID.has(id)) {
      found.set(id, evidence);
      if (pkg) packages.set(id, pkg);
    }
  };

  let dockerfiles = 0;
  let dockerUser = false;
  let dockerignore = false;
  let htmlFiles = 0;
  let jsFiles = 0;
  let tsFiles = 0;
  let pyFiles = 0;
  let pyWeb = false;
  let functionsDir = false;

  for (const f of sorted) {
    const base = baseName(f.path);
    if (/\.(html?)$/i.test(base)) htmlFiles++;
    if (/\.[cm]?jsx?$/.test(base)) jsFiles++;
    if (/\.[cm]?tsx?$/.test(base) && !/\.d\.[cm]?ts$/.test(base)) tsFiles++;
    if (/\.py$/.test(base)) pyFiles++;
    if (PY_WEB.test(f.path)) pyWeb = true;
    if (base === '.dockerignore') dockerignore = true;
    if (/(^|\/)(netlify\/functions|api)\/[^/]+\.[cm]?[jt]s$/.test(f.path) && !/(^|\/)(src\/)?(app|pages)\//.test(f.path)) functionsDir = true;
    if (base === 'manage.py') see('django', 'manage.py');
    if (base === 'vercel.json' || /(^|\/)\.vercel\/project\.json$/.test(f.path)) see('vercel', f.path);
    if (base === 'netlify.toml' || /(^|\/)netlify\/functions\//.test(f.path)) see('netlify', base === 'netlify.toml' ? f.path : 'netlify/functions/');
    if (/^next\.config\./.test(base)) see('nextjs', f.path);
    if (/^((Docker|Container)file(\..*)?|.*\.dockerfile)$/.test(base)) {
      dockerfiles++;
      see('docker', f.path);
      if (f.text !== undefined && f.text.split('\n').some((l) => /^[ \t]*USER[ \t]+(?!root\b|0\b)\S/i.test(l))) dockerUser = true;
    }
    if (/^(docker-)?compose(\..*)?\.ya?ml$/.test(base)) see('docker', f.path);
    if (f.text === undefined) continue;
    if (base === 'package.json') {
      for (const dep of npmDependencies(f.text)) {
        for (const item of STACK_ITEMS) {
          if (item.npm?.some((p) => nameMatches(p, dep))) see(item.id, `${f.path}: ${dep}`, dep);
        }
      }
    } else if (/^requirements|^pyproject\.toml$|^Pipfile$/.test(base)) {
      for (const dep of pythonDependencies(f.path, f.text)) {
        for (const item of STACK_ITEMS) {
          if (item.pypi?.some((p) => nameMatches(p, dep))) see(item.id, `${f.path}: ${dep}`, dep);
        }
      }
    }
  }

  // implied items (FastAPI brings pydantic, Next.js brings React)
  for (const [id, evidence] of [...found]) {
    for (const implied of STACK_ITEM_BY_ID.get(id)?.implies ?? []) see(implied, `${evidence} (implies ${STACK_ITEM_BY_ID.get(implied)!.name})`);
  }

  const nextjs = found.has('nextjs');
  const nextAppFile = nextjs ? sorted.find((f) => NEXT_APP_FILE.test(f.path)) : undefined;
  const nextPagesFile = nextjs ? sorted.find((f) => NEXT_PAGES_FILE.test(f.path)) : undefined;

  if (tsFiles || found.has('typescript')) see('typescript', found.get('typescript') ?? `${tsFiles} .ts/.tsx files`);
  if (jsFiles && !tsFiles) see('javascript', `${jsFiles} .js files`);
  if (pyFiles || [...found.keys()].some((id) => STACK_ITEM_BY_ID.get(id)?.pypi && !STACK_ITEM_BY_ID.get(id)?.npm)) see('python', pyFiles ? `${pyFiles} .py files` : 'Python dependencies');

  const serverFrameworks = ['nextjs', 'nestjs', 'express', 'fastify', 'koa', 'hono', 'django', 'flask', 'fastapi'];
  const hasServer = serverFrameworks.some((id) => found.has(id)) || functionsDir || (pyFiles > 0 && pyWeb);
  if (!hasServer && htmlFiles > 0 && !found.has('react') && !found.has('vite')) see('static-site', `${htmlFiles} HTML file${htmlFiles === 1 ? '' : 's'}, no server code`);
  else if (!hasServer && htmlFiles > 0) see('static-site', `${htmlFiles} HTML file${htmlFiles === 1 ? '' : 's'} built by ${found.has('vite') ? 'Vite' : 'React'}, no server code`);

  const items: StackItem[] = [];
  for (const kind of KIND_ORDER) {
    for (const def of STACK_ITEMS) {
      if (def.kind !== kind) continue;
      const evidence = found.get(def.id);
      if (evidence !== undefined) {
        let ev = evidence;
        if (def.id === 'nextjs') {
          const routers = [nextAppFile ? 'app router' : '', nextPagesFile ? 'pages router' : ''].filter(Boolean).join(' + ');
          if (routers) ev = `${evidence}; ${routers}`;
        }
        const pkg = packages.get(def.id);
        items.push({ id: def.id, kind: def.kind, name: def.name, evidence: ev, ...(pkg ? { package: pkg } : {}) });
      }
    }
  }
  return {
    items,
    facts: {
      nextAppRouter: !!nextAppFile,
      nextPagesRouter: !!nextPagesFile,
      dockerRunsAsRoot: dockerfiles > 0 && !dockerUser,
      dockerignoreMissing: dockerfiles > 0 && !dockerignore,
      hasServer,
    },
  };
}

/** Whether the stack holds any of these item ids. */
export function stackHas(stack: DetectedStack, ids: readonly string[]): boolean {
  return stack.items.some((i) => ids.includes(i.id));
}

/** "Next.js (app router), Prisma, Supabase, …": the stack in one line, for the preamble. */
export function describeStack(stack: DetectedStack): string {
  const parts: string[] = [];
  for (const item of stack.items) {
    if (item.kind === 'language' || item.kind === 'security') continue;
    if (item.id === 'react' && stackHas(stack, ['nextjs'])) continue;
    if (item.id === 'supabase-auth' && stackHas(stack, ['supabase'])) continue;
    if (item.id === 'nextjs') {
      const r = [stack.facts.nextAppRouter ? 'app router' : '', stack.facts.nextPagesRouter ? 'pages router' : ''].filter(Boolean).join(' + ');
      parts.push(r ? `Next.js (${r})` : 'Next.js');
      continue;
    }
    parts.push(item.id === 'sessions' && item.package ? `${item.name} (${item.package})` : item.name);
  }
  const lang = stack.items.filter((i) => i.kind === 'language').map((i) => i.name);
  if (lang.length) parts.push(lang.join(' + '));
  return parts.join(', ');
}
