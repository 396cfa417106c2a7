/**
 * Environment variable names: which framework prefixes expose a variable to the browser, and whether the
 * rest of the name says it holds a secret.
 */

export interface PublicPrefix {
  prefix: string;
  framework: string;
  /** how the variable is read for the prefix to matter */
  access: 'process.env' | 'import.meta.env' | 'both';
}

/** Longest first: `PLASMO_PUBLIC_` before `PUBLIC_`. */
export const PUBLIC_ENV_PREFIXES: readonly PublicPrefix[] = [
  { prefix: 'NEXT_PUBLIC_', framework: 'Next.js', access: 'both' },
  { prefix: 'EXPO_PUBLIC_', framework: 'Expo', access: 'both' },
  { prefix: 'NUXT_PUBLIC_', framework: 'Nuxt', access: 'both' },
  { prefix: 'PLASMO_PUBLIC_', framework: 'Plasmo', access: 'both' },
  { prefix: 'REACT_APP_', framework: 'Create React App', access: 'both' },
  { prefix: 'VUE_APP_', framework: 'Vue CLI', access: 'both' },
  { prefix: 'GATSBY_', framework: 'Gatsby', access: 'both' },
  { prefix: 'VITE_', framework: 'Vite', access: 'both' },
  // SvelteKit's $env/static/public and Astro's import.meta.env; a plain `process.env.PUBLIC_X` in Node is not exposed
  { prefix: 'PUBLIC_', framework: 'SvelteKit/Astro', access: 'import.meta.env' },
];

export function publicPrefixOf(name: string, access: 'process.env' | 'import.meta.env' | 'sveltekit'): PublicPrefix | undefined {
  for (const p of PUBLIC_ENV_PREFIXES) {
    if (!name.startsWith(p.prefix) || name.length === p.prefix.length) continue;
    if (access === 'sveltekit') return p.prefix === 'PUBLIC_' ? p : undefined;
    if (p.access === 'both' || p.access === access) return p;
  }
  return undefined;
}

/** Providers whose every API key / token is server-only: exposing it lets anyone use the account. */
const SECRET_PROVIDERS = new Set(['OPENAI', 'ANTHROPIC', 'CLAUDE', 'GROQ', 'MISTRAL', 'COHERE', 'REPLICATE', 'HUGGINGFACE',
  'HF', 'PERPLEXITY', 'PPLX', 'DEEPSEEK', 'XAI', 'GROK', 'OPENROUTER', 'TOGETHER', 'FIREWORKS', 'ELEVENLABS', 'DEEPGRAM',
  'ASSEMBLYAI', 'PINECONE', 'TAVILY', 'SERPAPI', 'SERPER', 'FIRECRAWL', 'GEMINI', 'GENAI', 'LANGCHAIN', 'LANGSMITH', 'VOYAGE',
  'RESEND', 'SENDGRID', 'MAILGUN', 'POSTMARK', 'MAILCHIMP', 'BREVO', 'SENDINBLUE', 'LOOPS', 'TWILIO', 'VONAGE', 'GITHUB',
  'GITLAB', 'SLACK', 'DISCORD', 'TELEGRAM', 'NOTION', 'LINEAR', 'AIRTABLE', 'VERCEL', 'NETLIFY', 'HEROKU', 'DIGITALOCEAN',
  'CLOUDFLARE', 'DATADOG', 'DD', 'NPM', 'SHOPIFY', 'SQUARE', 'UPSTASH', 'TURSO', 'NEON', 'PLANETSCALE', 'AWS', 'AZURE',
  'SANITY', 'STRAPI', 'PAYSTACK', 'FLUTTERWAVE', 'RAZORPAY', 'LEMONSQUEEZY', 'LEMON', 'PADDLE', 'SHIPPO', 'EASYPOST', 'PLAID',
  'DOPPLER', 'UPLOADTHING', 'MUX', 'DAILY']);

/** Providers whose browser keys/tokens are public by design (they are restricted by domain or are ingest-only). */
const PUBLIC_PROVIDERS = new Set(['MAPBOX', 'MIXPANEL', 'CONTENTFUL', 'STORYBLOK', 'DATOCMS', 'AMPLITUDE', 'SEGMENT',
  'POSTHOG', 'ROLLBAR', 'LOGROCKET', 'BUGSNAG', 'HONEYBADGER', 'LAUNCHDARKLY', 'GROWTHBOOK', 'STATSIG', 'PUSHER',
  'LIVEBLOCKS', 'RECAPTCHA', 'HCAPTCHA', 'TURNSTILE', 'FIREBASE', 'MAPS', 'GA', 'GTM', 'SENTRY', 'ALGOLIA', 'INTERCOM',
  'CRISP', 'HOTJAR', 'PLAUSIBLE', 'UMAMI', 'FATHOM', 'CLERK', 'STRIPE', 'PAYPAL', 'SUPABASE', 'MAPTILER', 'HERE', 'TOMTOM']);

export interface EnvSecretClass {
  level: 'secret' | 'maybe' | 'none';
  /** a short reason: 'SECRET in the name', 'OpenAI keys are server-only' */
  reason: string;
}

const ABOUT_WORDS = new Set(['LENGTH', 'LEN', 'MIN', 'MAX', 'URL', 'URI', 'PATH', 'ROUTE', 'PAGE', 'ENABLED', 'DISABLED',
  'POLICY', 'REGEX', 'PATTERN', 'HINT', 'LABEL', 'FIELD', 'ID', 'IDS', 'NAME', 'COUNT', 'TTL', 'EXPIRY', 'EXPIRES', 'IN',
  'TIMEOUT', 'MODE', 'PROVIDER', 'VERSION', 'TYPE', 'HEADER', 'PREFIX', 'ALGORITHM', 'ALG', 'FILE', 'LOCATION', 'REGION']);
const DB_WORDS = new Set(['DATABASE', 'DB', 'POSTGRES', 'POSTGRESQL', 'PG', 'MONGO', 'MONGODB', 'MYSQL', 'REDIS', 'KV']);

/**
 * Classifies the part of an env var name after any public prefix. `STRIPE_SECRET_KEY` → secret,
 * `SUPABASE_SERVICE_ROLE_KEY` → secret, `OPENAI_API_KEY` → secret, `SUPABASE_ANON_KEY` → none,
 * `STRIPE_PUBLISHABLE_KEY` → none, `MAPBOX_TOKEN` → none, `API_KEY` → maybe.
 */
export function classifyEnvName(rest: string): EnvSecretClass {
  const t = rest.toUpperCase().split(/_+/).filter(Boolean);
  const has = (w: string) => t.includes(w);
  const seq = (a: string, b: string) => t.some((w, i) => w === a && t[i + 1] === b);
  const last = t[t.length - 1];

  if (t.some((w) => DB_WORDS.has(w)) && (has('URL') || has('URI') || has('CONNECTION') || has('DSN'))) {
    return { level: 'secret', reason: 'a database URL carries its password' };
  }
  // names about a secret, not holding one: PASSWORD_MIN_LENGTH, JWT_SECRET_EXPIRES_IN, WEBHOOK_SECRET_HEADER
  if (ABOUT_WORDS.has(last)) return { level: 'none', reason: '' };
  if (has('SECRET') || has('SECRETS')) return { level: 'secret', reason: 'the name says SECRET' };
  if (has('PRIVATE')) return { level: 'secret', reason: 'the name says PRIVATE' };
  if (seq('SERVICE', 'ROLE')) return { level: 'secret', reason: 'a service_role key bypasses row-level security' };
  if (seq('SERVICE', 'KEY') || seq('SERVICE', 'ACCOUNT')) return { level: 'secret', reason: 'service credentials are server-only' };
  if (has('PASSWORD') || has('PASSWD') || has('PWD') || has('PASSPHRASE') || last === 'PASS') return { level: 'secret', reason: 'the name says it is a password' };
  if (has('CREDENTIALS') || has('CREDENTIAL')) return { level: 'secret', reason: 'the name says it holds credentials' };
  if (has('ADMIN') && (has('KEY') || has('TOKEN') || has('API'))) return { level: 'secret', reason: 'admin keys are server-only' };
  if (has('MASTER') && has('KEY')) return { level: 'secret', reason: 'master keys are server-only' };
  if (has('SIGNING') || seq('WEBHOOK', 'SECRET')) return { level: 'secret', reason: 'signing keys are server-only' };
  if (has('MANAGEMENT') && (has('TOKEN') || has('KEY'))) return { level: 'secret', reason: 'management tokens can change content' };
  if (seq('AUTH', 'TOKEN')) return { level: 'secret', reason: 'auth tokens are server-only' };
  if (t.some((w) => DB_WORDS.has(w)) && (has('URL') || has('URI') || has('CONNECTION') || has('DSN'))) {
    return { level: 'secret', reason: 'a database URL carries its password' };
  }
  if (seq('CONNECTION', 'STRING')) return { level: 'secret', reason: 'a connection string carries its password' };

  if (has('PUBLISHABLE') || has('ANON') || has('PUBLIC') || has('SITE') || has('DSN') || has('MEASUREMENT') ||
      has('SEARCH') || seq('CLIENT', 'TOKEN') || seq('CLIENT', 'KEY') || has('URL') || has('URI') || has('HOST') ||
      has('DOMAIN') || last === 'ID' || last === 'IDS' || has('NAME') || has('REGION') || has('ENV') || has('ENVIRONMENT') ||
      has('VERSION') || has('PORT') || has('MODE') || has('ENABLED') || has('BUCKET')) {
    return { level: 'none', reason: 'a public value by design' };
  }
  const credentialWord = has('KEY') || has('TOKEN') || has('APIKEY') || has('API');
  const joined = t.join('_');
  const secretProvider = t.find((w) => SECRET_PROVIDERS.has(w)) ?? (joined.includes('SUPABASE_SERVICE') ? 'SUPABASE' : undefined);
  if (secretProvider && credentialWord) {
    return { level: 'secret', reason: `${providerDisplay(secretProvider)} keys are server-only` };
  }
  if (t.some((w) => PUBLIC_PROVIDERS.has(w)) || (has('GOOGLE') && (has('MAPS') || has('MAP')))) {
    return { level: 'none', reason: 'this provider\'s browser keys are public by design' };
  }
  if (has('KEY') || has('TOKEN') || has('APIKEY')) return { level: 'maybe', reason: 'the name says it is a key or token' };
  return { level: 'none', reason: '' };
}

function providerDisplay(w: string): string {
  const map: Record<string, string> = { OPENAI: 'OpenAI', HF: 'Hugging Face', HUGGINGFACE: 'Hugging Face', DD: 'Datadog',
    GITHUB: 'GitHub', GITLAB: 'GitLab', XAI: 'xAI', AWS: 'AWS', NPM: 'npm', PPLX: 'Perplexity', DIGITALOCEAN: 'DigitalOcean',
    ELEVENLABS: 'ElevenLabs', OPENROUTER: 'OpenRouter', SENDGRID: 'SendGrid', DEEPSEEK: 'DeepSeek', ASSEMBLYAI: 'AssemblyAI' };
  return map[w] ?? w.charAt(0) + w.slice(1).toLowerCase();
}
