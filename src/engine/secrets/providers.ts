/**
 * Catalog of secret shapes by provider. Pure data plus a few small judges; used by the secrets rules
 * (`hardcoded-secret`, `client-exposed-secret`), by the text scan of minified bundles, and later by the
 * "move secret to env" fix (`envVar`).
 *
 * Design rules for an entry:
 * - The pattern is anchored on what is distinctive about the provider's format (a fixed prefix, a checksum-ish
 *   marker, a fixed length and alphabet). Shapes without a prefix (a bare UUID, 32 hex chars…) are only used
 *   with `context`: the value must sit next to a name or import that names the provider.
 * - `publishable: true` marks keys that are meant to be shipped to browsers or are identifiers, not
 *   credentials. They are in the catalog so that the rules can recognise them and stay quiet.
 * - `textScan: true` marks patterns precise enough to run over raw text (minified bundles, huge files).
 */
import { entropy, maskSecret, ownCopy } from '../util/text';
import { KeywordSet } from './keyword-scan';
import { FIRST_PROVIDERS, hasSecretWord, MORE_PROVIDERS, NAMED_CONTEXTS } from './providers-more';

export interface SecretProvider {
  /** stable id of the entry */
  id: string;
  /** provider name shown to users: "Stripe" */
  provider: string;
  /** what the value is: "live secret key" */
  label: string;
  /** the shape; no flags except `i` when the provider's format is case-insensitive */
  pattern: RegExp;
  /** lower-case substrings, one of which must be present (cheap prefilter); empty = always try */
  keywords: string[];
  /** suggested environment variable name for the "move to env" fix */
  envVar: string;
  /** shipped to browsers by design, or an identifier rather than a credential: no finding */
  publishable: boolean;
  /** a test-mode credential (cannot move real money / data): reported at low confidence only */
  testMode?: boolean;
  /**
   * the shape alone is too generic: the match counts only when the names around the value (variable,
   * property, callee) or the file's imports mention the provider. Gets `names` (space-joined) and `modules`.
   */
  context?: (c: { names: string; modules: string; bound: boolean }) => boolean;
  /** with `context`: the value must also be bound to a secret-looking name or be a direct call argument */
  bound?: boolean;
  /** extra judgement on a match: 'skip' (not a secret), 'low' (likely a local/dev value), 'report' */
  judge?: (m: RegExpExecArray) => 'skip' | 'low' | 'report';
  /** which capture group holds the secret part to check for placeholders (default: the whole match) */
  secretGroup?: number;
  /** how to show the value masked (default: maskSecret of the match) */
  mask?: (m: RegExpExecArray) => string;
  /** precise enough to run over raw text of bundles without a syntax tree */
  textScan: boolean;
  /** structured value (PEM, JWT, connection string) whose body legitimately has runs like `AAAAAA`:
   *  only explicit placeholder words make it a placeholder */
  structured?: boolean;
}

// ---------------------------------------------------------------------------------------------------------
// helpers used by judges

/** Decodes the payload of a JWT without verifying it (no network, no key). */
export function decodeJwtPayload(jwt: string): Record<string, unknown> | undefined {
  const parts = jwt.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const json = Buffer.from(parts[1].replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8');
    const v = JSON.parse(json) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? v as Record<string, unknown> : undefined;
  } catch {
    return undefined;
  }
}

const JWT_SHAPE = /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{20,}/;

function supabaseRole(m: RegExpExecArray): string | undefined {
  const p = decodeJwtPayload(m[0]);
  if (!p) return undefined;
  const role = typeof p.role === 'string' ? p.role : undefined;
  // Supabase keys carry `iss: 'supabase'` (or the project URL) and a `ref`; other JWTs with a role claim exist
  const iss = typeof p.iss === 'string' ? p.iss : '';
  if (!/supabase/i.test(iss) && typeof p.ref !== 'string') return undefined;
  return role;
}

/** Passwords that only ever appear in local development setups and docs. */
const DEV_PASSWORDS = new Set(['password', 'pass', 'passwd', 'pwd', 'postgres', 'postgresql', 'mysql', 'root', 'admin',
  'secret', 'test', 'testing', 'dev', 'development', 'local', 'example', 'changeme', 'mypassword', 'mysecretpassword',
  'docker', 'prisma', 'user', 'guest', 'redis', 'mongo', 'mongodb', 'rabbitmq', 'default', 'toor', 'sa', 'demo',
  '1234', '12345', '123456', '1234567', '12345678', '123456789', 'qwerty', 'letmein', 'pa55word', 'p@ssw0rd', 'passw0rd',
  'supersecret', 'secretpassword', 'yourpassword', 'your_password', 'dbpassword', 'db_password', 'app', 'keycloak']);

/** Hosts a leaked password cannot be used against from outside the developer's machine or compose network. */
function isLocalHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h.endsWith('.localhost') || /^127\./.test(h) || h === '0.0.0.0' || h === '::1' ||
    h === 'host.docker.internal' || !h.includes('.');
}

const PLACEHOLDER_HOST_END = /(^|\.)(example\.(com|org|net)|host(name)?|server|cluster0\.xxxxx?\.mongodb\.net)$|xxx|<|\{|\$/i;
/**
 * `example.com`, `your-host.db.net`, `<host>`, `cluster0.xxxxx.mongodb.net`… As one regex, `your-host[\w.-]*$` is
 * quadratic on a host repeating `yourhost`; the "rest of the host is name characters" part is checked after the
 * last `your…` instead (if it holds after an earlier one, it holds after the last).
 */
const PLACEHOLDER_HOST = {
  test(host: string): boolean {
    if (PLACEHOLDER_HOST_END.test(host)) return true;
    const re = /(^|\.)your[-_]?(host|domain|server|cluster)/gi;
    let last = -1;
    for (let m = re.exec(host); m; m = re.exec(host)) { last = m.index + m[0].length; re.lastIndex = m.index + 1; }
    return last >= 0 && /^[\w.-]*$/.test(host.slice(last));
  },
};

function judgeDbUrl(m: RegExpExecArray): 'skip' | 'low' | 'report' {
  const user = m[1];
  let pass = m[2];
  const host = m[3];
  try { pass = decodeURIComponent(pass); } catch { /* keep raw */ }
  const lower = pass.toLowerCase();
  if (!pass || DEV_PASSWORDS.has(lower) || lower === user.toLowerCase() || isPlaceholderSecret(pass) ||
      /^[$%{<[:*]/.test(pass) || /^(user|username|usr)$/i.test(user) && /^(pass|password|pwd)$/i.test(pass)) return 'skip';
  if (PLACEHOLDER_HOST.test(host)) return 'skip';
  if (isLocalHost(host)) return 'low';
  return 'report';
}

/** Base64 characters in a PEM match, not counting whitespace or escaped line breaks (`\\n`). Linear. */
function base64Chars(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if ((c === 'r' || c === 'n') && s[i - 1] === '\\') continue;
    if (/[A-Za-z0-9+/=]/.test(c)) n++;
  }
  return n;
}

function maskDbUrl(m: RegExpExecArray): string {
  const scheme = /^[^:]+/.exec(m[0])?.[0] ?? '';
  return `${scheme}://${m[1]}:${maskSecret(m[2])}@${m[3]}`;
}

/** The Azure storage emulator's well-known key and account: public by design. */
function judgeAzure(m: RegExpExecArray): 'skip' | 'report' {
  return /devstoreaccount1|Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/.test(m[0]) ? 'skip' : 'report';
}

const words = (s: string, re: RegExp) => re.test(s);
const SECRETISH_NAME = /secret|token|pass|pwd|key|auth|credential/i;
/**
 * Whether the names or the modules mention a provider: asked of each, not of the two joined by a space (a string
 * made for every literal, as long as the file's imports). The words asked this way cannot match a space, so no match
 * of the joined text spans both, and `\b` reads the space as it reads either end (secrets-unbound-shortcut test).
 */
const inNamesOrModules = (re: RegExp, names: string, modules: string) => re.test(names) || re.test(modules);
const CLOUDFLARE = /cloudflare|\bcf[_-]?(api|auth)|\bcf(Api|Auth)/i;

// ---------------------------------------------------------------------------------------------------------
// the catalog (order matters: the first entry that matches a value wins, so context-specific entries come
// before the generic ones that share their shape)

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

const CORE_PROVIDERS: readonly SecretProvider[] = [
  // ---- cloud ----
  {
    id: 'aws-access-key-id', provider: 'AWS', label: 'access key ID',
    // AKIA = long-term user key, ASIA = temporary STS key. The ID alone cannot sign requests, but it is
    // almost always committed together with its secret key, and it identifies the account: treat as secret.
    pattern: /\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b/, keywords: ['akia', 'asia', 'abia', 'acca'],
    envVar: 'AWS_ACCESS_KEY_ID', publishable: false, textScan: true,
  },
  {
    id: 'aws-secret-access-key', provider: 'AWS', label: 'secret access key',
    pattern: /(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/, keywords: [],
    context: ({ names, modules }) => /secret.?access.?key/i.test(names) || (inNamesOrModules(/aws/i, names, modules) && /secret/i.test(names)),
    bound: true, envVar: 'AWS_SECRET_ACCESS_KEY', publishable: false, textScan: false,
  },
  {
    id: 'gcp-service-account', provider: 'Google Cloud', label: 'service-account private key',
    // JSON key files pasted into code or bundled; in JS objects the rule recognises the surrounding object
    pattern: /\\?["']?private_key\\?["']?\s*:\s*\\?["']-----BEGIN (?:RSA )?PRIVATE KEY-----(?:\\+n|\s)*[A-Za-z0-9+/=]{64,}/, keywords: ['private_key'],
    envVar: 'GOOGLE_APPLICATION_CREDENTIALS', publishable: false, structured: true, textScan: true,
  },
  {
    id: 'google-gemini-api-key', provider: 'Google AI (Gemini)', label: 'API key',
    // Same `AIza` shape as browser keys, but a Gemini / AI Studio key is billed per call and must stay server-side.
    pattern: /\bAIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])/, keywords: ['aiza'],
    // by name anywhere; by import only when the key is bound to a secret name or passed to a call, and not inside
    // a Firebase/Maps config (a file may use both)
    context: ({ names, modules, bound }) => /gemini|genai|generative|google.?ai|palm|vertex/i.test(names) ||
      (bound && /@google\/(generative-ai|genai)|@ai-sdk\/google|@langchain\/google-genai/.test(modules) && !/firebase|initializeApp|maps|authDomain/i.test(names)),
    envVar: 'GEMINI_API_KEY', publishable: false, textScan: false,
  },
  {
    id: 'google-api-key', provider: 'Google', label: 'API key',
    // Publishable by design: Maps JavaScript and Firebase web keys are embedded in every page that uses them and
    // are protected by HTTP-referrer / API restrictions in the Cloud console, not by secrecy.
    pattern: /\bAIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])/, keywords: ['aiza'],
    envVar: 'GOOGLE_API_KEY', publishable: true, textScan: false,
  },
  {
    id: 'google-oauth-client-secret', provider: 'Google', label: 'OAuth client secret',
    pattern: /\bGOCSPX-[A-Za-z0-9_-]{28}(?![A-Za-z0-9_-])/, keywords: ['gocspx-'],
    envVar: 'GOOGLE_CLIENT_SECRET', publishable: false, textScan: true,
  },
  {
    id: 'azure-storage-connection-string', provider: 'Azure', label: 'storage account connection string',
    pattern: /DefaultEndpointsProtocol=https?;AccountName=[a-z0-9]{3,24};AccountKey=[A-Za-z0-9+/]{86}==/, keywords: ['accountkey='],
    judge: judgeAzure, envVar: 'AZURE_STORAGE_CONNECTION_STRING', publishable: false, structured: true, textScan: true,
  },
  {
    id: 'azure-service-bus-connection-string', provider: 'Azure', label: 'Service Bus / Event Hubs connection string',
    pattern: /Endpoint=sb:\/\/[a-z0-9-]+\.servicebus\.windows\.net\/?;SharedAccessKeyName=[^;"'`\s]+;SharedAccessKey=[A-Za-z0-9+/]{43}=/, keywords: ['sharedaccesskey='],
    envVar: 'AZURE_SERVICEBUS_CONNECTION_STRING', publishable: false, structured: true, textScan: true,
  },
  {
    id: 'azure-ad-client-secret', provider: 'Azure (Entra ID)', label: 'client secret',
    // current Entra ID secrets carry a `<digit>Q~` marker at position 4
    pattern: /(?<![A-Za-z0-9_~.-])[A-Za-z0-9_~.]{3}\dQ~[A-Za-z0-9_~.-]{31,34}(?![A-Za-z0-9_~.-])/, keywords: ['q~'],
    envVar: 'AZURE_CLIENT_SECRET', publishable: false, textScan: true,
  },
  {
    id: 'digitalocean-token', provider: 'DigitalOcean', label: 'API token',
    pattern: /\bdo[opr]_v1_[a-f0-9]{64}\b/, keywords: ['_v1_'],
    envVar: 'DIGITALOCEAN_TOKEN', publishable: false, textScan: true,
  },
  {
    id: 'heroku-api-key-v2', provider: 'Heroku', label: 'API key',
    pattern: /(?<![A-Za-z0-9_-])HRKU-[A-Za-z0-9_-]{60}(?![A-Za-z0-9_-])/, keywords: ['hrku-'],
    envVar: 'HEROKU_API_KEY', publishable: false, textScan: true,
  },
  {
    id: 'heroku-api-key', provider: 'Heroku', label: 'API key',
    pattern: new RegExp(`\\b${UUID}\\b`, 'i'), keywords: [],
    context: ({ names, modules }) => inNamesOrModules(/heroku/i, names, modules), bound: true,
    envVar: 'HEROKU_API_KEY', publishable: false, textScan: false,
  },
  {
    id: 'cloudflare-origin-ca-key', provider: 'Cloudflare', label: 'Origin CA key',
    pattern: /\bv1\.0-[a-f0-9]{24}-[a-f0-9]{146}\b/, keywords: ['v1.0-'],
    envVar: 'CLOUDFLARE_ORIGIN_CA_KEY', publishable: false, textScan: true,
  },
  {
    id: 'cloudflare-global-api-key', provider: 'Cloudflare', label: 'global API key',
    pattern: /\b[a-f0-9]{37}\b/, keywords: [],
    context: ({ names, modules }) => inNamesOrModules(CLOUDFLARE, names, modules), bound: true,
    envVar: 'CLOUDFLARE_API_KEY', publishable: false, textScan: false,
  },
  {
    id: 'cloudflare-api-token', provider: 'Cloudflare', label: 'API token',
    pattern: /(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{40}(?![A-Za-z0-9_-])/, keywords: [],
    context: ({ names, modules }) => inNamesOrModules(CLOUDFLARE, names, modules), bound: true,
    envVar: 'CLOUDFLARE_API_TOKEN', publishable: false, textScan: false,
  },
  {
    id: 'vercel-blob-token', provider: 'Vercel', label: 'Blob read-write token',
    pattern: /\bvercel_blob_rw_[A-Za-z0-9]{16}_[A-Za-z0-9]{30}\b/, keywords: ['vercel_blob_rw_'],
    envVar: 'BLOB_READ_WRITE_TOKEN', publishable: false, textScan: true,
  },
  {
    id: 'vercel-token', provider: 'Vercel', label: 'access token',
    pattern: /(?<![A-Za-z0-9])[A-Za-z0-9]{24}(?![A-Za-z0-9])/, keywords: [],
    context: ({ names }) => /vercel/i.test(names), bound: true,
    envVar: 'VERCEL_TOKEN', publishable: false, textScan: false,
  },
  {
    id: 'netlify-token', provider: 'Netlify', label: 'personal access token',
    pattern: /\bnfp_[A-Za-z0-9]{36}\b/, keywords: ['nfp_'],
    envVar: 'NETLIFY_AUTH_TOKEN', publishable: false, textScan: true,
  },
  {
    id: 'fly-token', provider: 'Fly.io', label: 'access token',
    pattern: /\b(?:FlyV1 )?fm[12][ar]?_[A-Za-z0-9+/=_-]{100,}|\bfo1_[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/, keywords: ['fm1', 'fm2', 'fo1_'],
    envVar: 'FLY_API_TOKEN', publishable: false, structured: true, textScan: true,
  },
  {
    id: 'render-api-key', provider: 'Render', label: 'API key',
    pattern: /\brnd_[A-Za-z0-9]{32}\b/, keywords: ['rnd_'],
    envVar: 'RENDER_API_KEY', publishable: false, textScan: true,
  },
  {
    id: 'hashicorp-vault-token', provider: 'HashiCorp Vault', label: 'service token',
    pattern: /\bhvs\.[A-Za-z0-9_-]{90,}/, keywords: ['hvs.'],
    envVar: 'VAULT_TOKEN', publishable: false, structured: true, textScan: true,
  },
  {
    id: 'doppler-token', provider: 'Doppler', label: 'token',
    pattern: /\bdp\.(?:pt|st|sa|ct|scim|audit)\.[A-Za-z0-9]{40,44}\b/, keywords: ['dp.'],
    envVar: 'DOPPLER_TOKEN', publishable: false, textScan: true,
  },

  // ---- payments ----
  {
    id: 'clerk-secret-key', provider: 'Clerk', label: 'secret key',
    // Clerk secret keys share Stripe's `sk_live_` prefix; the names or imports around them tell them apart
    pattern: /\bsk_live_[0-9a-zA-Z]{24,247}\b/, keywords: ['sk_live_'],
    context: ({ names, modules }) => /clerk/i.test(names) || /@clerk\//.test(modules),
    envVar: 'CLERK_SECRET_KEY', publishable: false, textScan: false,
  },
  {
    id: 'stripe-secret-key', provider: 'Stripe', label: 'live secret key',
    pattern: /\bsk_live_[0-9a-zA-Z]{24,247}\b/, keywords: ['sk_live_'],
    envVar: 'STRIPE_SECRET_KEY', publishable: false, textScan: true,
  },
  {
    id: 'stripe-restricted-key', provider: 'Stripe', label: 'live restricted key',
    pattern: /\brk_live_[0-9a-zA-Z]{24,247}\b/, keywords: ['rk_live_'],
    envVar: 'STRIPE_RESTRICTED_KEY', publishable: false, textScan: true,
  },
  {
    id: 'stripe-test-key', provider: 'Stripe', label: 'test-mode secret key',
    // test mode cannot move money or reach live customer data: reported at low confidence only
    pattern: /\b[sr]k_test_[0-9a-zA-Z]{24,247}\b/, keywords: ['k_test_'],
    envVar: 'STRIPE_SECRET_KEY', publishable: false, testMode: true, textScan: true,
  },
  {
    id: 'stripe-webhook-secret', provider: 'Stripe', label: 'webhook signing secret',
    // Svix (and Clerk/Resend webhooks built on it) use the same `whsec_` prefix; the advice is the same
    pattern: /\bwhsec_[0-9a-zA-Z+/=]{32,}/, keywords: ['whsec_'],
    envVar: 'STRIPE_WEBHOOK_SECRET', publishable: false, textScan: true,
  },
  {
    id: 'stripe-publishable-key', provider: 'Stripe', label: 'publishable key',
    // Publishable by design: Stripe.js needs it in the browser; it can only create tokens, not read data.
    pattern: /\bpk_(?:live|test)_[0-9a-zA-Z]{24,247}\b/, keywords: ['pk_live_', 'pk_test_'],
    envVar: 'NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY', publishable: true, textScan: true,
  },
  {
    id: 'square-access-token', provider: 'Square', label: 'access token',
    pattern: /\b(?:sq0atp-[0-9A-Za-z_-]{22}|EAAA[0-9A-Za-z_-]{60})(?![0-9A-Za-z_-])/, keywords: ['sq0atp-', 'eaaa'],
    envVar: 'SQUARE_ACCESS_TOKEN', publishable: false, textScan: true,
  },
  {
    id: 'square-oauth-secret', provider: 'Square', label: 'OAuth application secret',
    pattern: /\bsq0csp-[0-9A-Za-z_-]{43}(?![0-9A-Za-z_-])/, keywords: ['sq0csp-'],
    envVar: 'SQUARE_APPLICATION_SECRET', publishable: false, textScan: true,
  },
  {
    id: 'braintree-access-token', provider: 'PayPal (Braintree)', label: 'live access token',
    pattern: /\baccess_token\$production\$[0-9a-z]{16}\$[0-9a-f]{32}\b/, keywords: ['access_token$production$'],
    envVar: 'BRAINTREE_ACCESS_TOKEN', publishable: false, textScan: true,
  },
  {
    id: 'paypal-client-secret', provider: 'PayPal', label: 'REST client secret',
    pattern: /(?<![A-Za-z0-9_-])E[A-Za-z0-9_-]{79}(?![A-Za-z0-9_-])/, keywords: [],
    context: ({ names, modules }) => inNamesOrModules(/paypal/i, names, modules) && /secret/i.test(names), bound: true,
    envVar: 'PAYPAL_CLIENT_SECRET', publishable: false, textScan: false,
  },
  {
    id: 'shopify-access-token', provider: 'Shopify', label: 'Admin API access token',
    pattern: /\bshp(?:at|ca|pa)_[a-fA-F0-9]{32}\b/, keywords: ['shpat_', 'shpca_', 'shppa_'],
    envVar: 'SHOPIFY_ADMIN_ACCESS_TOKEN', publishable: false, textScan: true,
  },
  {
    id: 'shopify-shared-secret', provider: 'Shopify', label: 'app shared secret',
    pattern: /\bshpss_[a-fA-F0-9]{32}\b/, keywords: ['shpss_'],
    envVar: 'SHOPIFY_API_SECRET', publishable: false, textScan: true,
  },
  {
    id: 'shippo-live-token', provider: 'Shippo', label: 'live API token',
    pattern: /\bshippo_live_[a-f0-9]{40}\b/, keywords: ['shippo_live_'],
    envVar: 'SHIPPO_API_TOKEN', publishable: false, textScan: true,
  },

  // ---- source control, packages, CI ----
  {
    id: 'github-pat', provider: 'GitHub', label: 'personal access token',
    pattern: /\bghp_[A-Za-z0-9]{36}\b/, keywords: ['ghp_'], envVar: 'GITHUB_TOKEN', publishable: false, textScan: true,
  },
  {
    id: 'github-oauth-token', provider: 'GitHub', label: 'OAuth access token',
    pattern: /\bgho_[A-Za-z0-9]{36}\b/, keywords: ['gho_'], envVar: 'GITHUB_TOKEN', publishable: false, textScan: true,
  },
  {
    id: 'github-user-token', provider: 'GitHub', label: 'app user-to-server token',
    pattern: /\bghu_[A-Za-z0-9]{36}\b/, keywords: ['ghu_'], envVar: 'GITHUB_TOKEN', publishable: false, textScan: true,
  },
  {
    id: 'github-app-token', provider: 'GitHub', label: 'app installation token',
    pattern: /\bghs_[A-Za-z0-9]{36}\b/, keywords: ['ghs_'], envVar: 'GITHUB_TOKEN', publishable: false, textScan: true,
  },
  {
    id: 'github-refresh-token', provider: 'GitHub', label: 'refresh token',
    pattern: /\bghr_[A-Za-z0-9]{36,76}\b/, keywords: ['ghr_'], envVar: 'GITHUB_REFRESH_TOKEN', publishable: false, textScan: true,
  },
  {
    id: 'github-fine-grained-pat', provider: 'GitHub', label: 'fine-grained personal access token',
    pattern: /\bgithub_pat_[0-9A-Za-z]{22}_[0-9A-Za-z]{59}\b/, keywords: ['github_pat_'], envVar: 'GITHUB_TOKEN', publishable: false, textScan: true,
  },
  {
    id: 'gitlab-pat', provider: 'GitLab', label: 'personal access token',
    pattern: /\bglpat-[0-9A-Za-z_-]{20,}(?![0-9A-Za-z_-])/, keywords: ['glpat-'], envVar: 'GITLAB_TOKEN', publishable: false, textScan: true,
  },
  {
    id: 'gitlab-runner-token', provider: 'GitLab', label: 'runner authentication token',
    pattern: /\bglrt-[0-9A-Za-z_-]{20,}(?![0-9A-Za-z_-])/, keywords: ['glrt-'], envVar: 'GITLAB_RUNNER_TOKEN', publishable: false, textScan: true,
  },
  {
    id: 'npm-token', provider: 'npm', label: 'access token',
    pattern: /\bnpm_[A-Za-z0-9]{36}\b/, keywords: ['npm_'], envVar: 'NPM_TOKEN', publishable: false, textScan: true,
  },
  {
    id: 'pypi-token', provider: 'PyPI', label: 'upload token',
    pattern: /\bpypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,}/, keywords: ['pypi-ageichlwas5vcmc'], envVar: 'PYPI_TOKEN', publishable: false, structured: true, textScan: true,
  },
  {
    id: 'atlassian-api-token', provider: 'Atlassian', label: 'API token',
    pattern: /\bATATT3[A-Za-z0-9_=-]{180,}/, keywords: ['atatt3'], envVar: 'ATLASSIAN_API_TOKEN', publishable: false, structured: true, textScan: true,
  },
  {
    id: 'postman-api-key', provider: 'Postman', label: 'API key',
    pattern: /\bPMAK-[a-f0-9]{24}-[a-f0-9]{34}\b/, keywords: ['pmak-'], envVar: 'POSTMAN_API_KEY', publishable: false, textScan: true,
  },
  {
    id: 'pulumi-token', provider: 'Pulumi', label: 'access token',
    pattern: /\bpul-[a-f0-9]{40}\b/, keywords: ['pul-'], envVar: 'PULUMI_ACCESS_TOKEN', publishable: false, textScan: true,
  },

  // ---- messaging, email ----
  {
    id: 'slack-bot-token', provider: 'Slack', label: 'bot token',
    pattern: /\bxoxb-\d{10,13}-\d{10,13}-[0-9A-Za-z]{24,34}\b/, keywords: ['xoxb-'], envVar: 'SLACK_BOT_TOKEN', publishable: false, textScan: true,
  },
  {
    id: 'slack-user-token', provider: 'Slack', label: 'user token',
    pattern: /\bxoxp-\d{10,13}-\d{10,13}-\d{10,13}-[0-9a-f]{32}\b/, keywords: ['xoxp-'], envVar: 'SLACK_USER_TOKEN', publishable: false, textScan: true,
  },
  {
    id: 'slack-workspace-token', provider: 'Slack', label: 'workspace / refresh token',
    pattern: /\bxox[aer]-(?:\d-)?[0-9A-Za-z-]{30,}/, keywords: ['xoxa-', 'xoxe-', 'xoxr-'], envVar: 'SLACK_TOKEN', publishable: false, textScan: true,
  },
  {
    id: 'slack-app-token', provider: 'Slack', label: 'app-level token',
    pattern: /\bxapp-\d-[A-Z0-9]{9,12}-\d{10,14}-[a-f0-9]{64}\b/, keywords: ['xapp-'], envVar: 'SLACK_APP_TOKEN', publishable: false, textScan: true,
  },
  {
    id: 'slack-webhook-url', provider: 'Slack', label: 'incoming webhook URL',
    pattern: /https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/T[A-Z0-9]{6,}\/[A-Z0-9]{6,}\/[A-Za-z0-9]{20,}/, keywords: ['hooks.slack.com'],
    envVar: 'SLACK_WEBHOOK_URL', publishable: false, textScan: true,
  },
  {
    id: 'discord-webhook-url', provider: 'Discord', label: 'webhook URL',
    pattern: /https:\/\/(?:ptb\.|canary\.)?discord(?:app)?\.com\/api\/webhooks\/\d{17,20}\/[A-Za-z0-9_-]{60,68}/, keywords: ['discord'],
    envVar: 'DISCORD_WEBHOOK_URL', publishable: false, textScan: true,
  },
  {
    id: 'discord-bot-token', provider: 'Discord', label: 'bot token',
    // base64 user id . timestamp . HMAC: the shape is specific but has no fixed prefix, so it must sit next to a
    // secret-looking name or be passed straight to a call such as `client.login('…')`
    pattern: /(?<![A-Za-z0-9_.-])[MNO][A-Za-z0-9_-]{23,25}\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{27,38}(?![A-Za-z0-9_.-])/, keywords: [],
    context: () => true, bound: true, envVar: 'DISCORD_BOT_TOKEN', publishable: false, textScan: false,
  },
  {
    id: 'telegram-bot-token', provider: 'Telegram', label: 'bot token',
    pattern: /\b\d{8,10}:AA[0-9A-Za-z_-]{33}(?![0-9A-Za-z_-])/, keywords: [':aa'], envVar: 'TELEGRAM_BOT_TOKEN', publishable: false, textScan: true,
  },
  {
    id: 'twilio-account-sid', provider: 'Twilio', label: 'Account SID',
    // An identifier (like a username), not a credential: recognised so that it is not mistaken for a secret.
    pattern: /\bAC[a-f0-9]{32}\b/, keywords: ['ac'], envVar: 'TWILIO_ACCOUNT_SID', publishable: true, textScan: false,
  },
  {
    id: 'twilio-api-key-sid', provider: 'Twilio', label: 'API key SID',
    // The SID of an API key is an identifier too; its secret is a separate 32-character value (next entry).
    pattern: /\bSK[a-f0-9]{32}\b/, keywords: ['sk'], envVar: 'TWILIO_API_KEY', publishable: true, textScan: false,
  },
  {
    id: 'twilio-auth-token', provider: 'Twilio', label: 'auth token / API key secret',
    pattern: /(?<![A-Za-z0-9])[A-Za-z0-9]{32}(?![A-Za-z0-9])/, keywords: [],
    context: ({ names, modules }) => inNamesOrModules(/twilio/i, names, modules) && /token|secret/i.test(names), bound: true,
    envVar: 'TWILIO_AUTH_TOKEN', publishable: false, textScan: false,
  },
  {
    id: 'sendgrid-api-key', provider: 'SendGrid', label: 'API key',
    pattern: /\bSG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/, keywords: ['sg.'], envVar: 'SENDGRID_API_KEY', publishable: false, textScan: true,
  },
  {
    id: 'mailgun-api-key', provider: 'Mailgun', label: 'private API key',
    pattern: /\bkey-[0-9a-f]{32}\b/, keywords: ['key-'], envVar: 'MAILGUN_API_KEY', publishable: false, textScan: true,
  },
  {
    id: 'mailgun-api-key-v2', provider: 'Mailgun', label: 'private API key',
    // the current format has no prefix (32 hex - 8 hex - 8 hex): only next to a Mailgun name or import
    pattern: /\b[0-9a-f]{32}-[0-9a-f]{8}-[0-9a-f]{8}\b/, keywords: [],
    context: ({ names, modules }) => inNamesOrModules(/mailgun/i, names, modules), bound: true,
    envVar: 'MAILGUN_API_KEY', publishable: false, textScan: false,
  },
  {
    id: 'mailchimp-api-key', provider: 'Mailchimp', label: 'API key',
    pattern: /\b[0-9a-f]{32}-us\d{1,2}\b/, keywords: ['-us'], envVar: 'MAILCHIMP_API_KEY', publishable: false, textScan: true,
  },
  {
    id: 'postmark-server-token', provider: 'Postmark', label: 'server token',
    pattern: new RegExp(`\\b${UUID}\\b`, 'i'), keywords: [],
    context: ({ names, modules }) => inNamesOrModules(/postmark/i, names, modules) && (SECRETISH_NAME.test(names) || /ServerClient|AccountClient/.test(names)), bound: true,
    envVar: 'POSTMARK_SERVER_TOKEN', publishable: false, textScan: false,
  },
  {
    id: 'resend-api-key', provider: 'Resend', label: 'API key',
    pattern: /\bre_[A-Za-z0-9]{8,12}_[A-Za-z0-9]{20,32}\b/, keywords: ['re_'],
    judge: (m) => /\d/.test(m[0].slice(3)) && /[A-Z]/.test(m[0]) && /[a-z]/.test(m[0].slice(3)) ? 'report' : 'skip',
    envVar: 'RESEND_API_KEY', publishable: false, textScan: true,
  },
  {
    id: 'brevo-api-key', provider: 'Brevo (Sendinblue)', label: 'API key',
    pattern: /\bxkeysib-[a-f0-9]{64}-[A-Za-z0-9]{16}\b/, keywords: ['xkeysib-'], envVar: 'BREVO_API_KEY', publishable: false, textScan: true,
  },

  // ---- AI ----
  {
    id: 'openai-api-key', provider: 'OpenAI', label: 'API key',
    pattern: /\bsk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{40,}|\bsk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}\b/, keywords: ['sk-proj-', 'sk-svcacct-', 'sk-admin-', 't3blbkfj'],
    envVar: 'OPENAI_API_KEY', publishable: false, textScan: true,
  },
  {
    id: 'anthropic-api-key', provider: 'Anthropic', label: 'API key',
    pattern: /\bsk-ant-(?:api|admin)\d{2}-[A-Za-z0-9_-]{80,}/, keywords: ['sk-ant-'], envVar: 'ANTHROPIC_API_KEY', publishable: false, textScan: true,
  },
  {
    id: 'openrouter-api-key', provider: 'OpenRouter', label: 'API key',
    pattern: /\bsk-or-v1-[a-f0-9]{64}\b/, keywords: ['sk-or-v1-'], envVar: 'OPENROUTER_API_KEY', publishable: false, textScan: true,
  },
  {
    id: 'huggingface-token', provider: 'Hugging Face', label: 'access token',
    pattern: /\bhf_[A-Za-z]{34}\b/, keywords: ['hf_'],
    judge: (m) => /[A-Z]/.test(m[0].slice(3)) && /[a-z]/.test(m[0].slice(3)) ? 'report' : 'skip',
    envVar: 'HF_TOKEN', publishable: false, textScan: true,
  },
  {
    id: 'replicate-api-token', provider: 'Replicate', label: 'API token',
    pattern: /\br8_[A-Za-z0-9]{37}\b/, keywords: ['r8_'], envVar: 'REPLICATE_API_TOKEN', publishable: false, textScan: true,
  },
  {
    id: 'groq-api-key', provider: 'Groq', label: 'API key',
    pattern: /\bgsk_[A-Za-z0-9]{52}\b/, keywords: ['gsk_'], envVar: 'GROQ_API_KEY', publishable: false, textScan: true,
  },
  {
    id: 'perplexity-api-key', provider: 'Perplexity', label: 'API key',
    pattern: /\bpplx-[A-Za-z0-9]{48}\b/, keywords: ['pplx-'], envVar: 'PERPLEXITY_API_KEY', publishable: false, textScan: true,
  },
  {
    id: 'xai-api-key', provider: 'xAI', label: 'API key',
    pattern: /\bxai-[A-Za-z0-9]{80}\b/, keywords: ['xai-'], envVar: 'XAI_API_KEY', publishable: false, textScan: true,
  },
  {
    id: 'langsmith-api-key', provider: 'LangSmith', label: 'API key',
    pattern: /\blsv2_(?:pt|sk)_[a-f0-9]{32}_[a-f0-9]{10}\b/, keywords: ['lsv2_'], envVar: 'LANGSMITH_API_KEY', publishable: false, textScan: true,
  },
  {
    id: 'pinecone-api-key', provider: 'Pinecone', label: 'API key',
    pattern: /\bpcsk_[A-Za-z0-9]{4,8}_[A-Za-z0-9]{40,}\b/, keywords: ['pcsk_'], envVar: 'PINECONE_API_KEY', publishable: false, textScan: true,
  },

  // ---- databases and backends ----
  {
    id: 'supabase-service-role-key', provider: 'Supabase', label: 'service_role key',
    // the payload's `role` claim says what the key can do; decoded locally, never sent anywhere
    pattern: JWT_SHAPE, keywords: ['eyj'],
    judge: (m) => supabaseRole(m) === 'service_role' ? 'report' : 'skip',
    envVar: 'SUPABASE_SERVICE_ROLE_KEY', publishable: false, structured: true, textScan: true,
  },
  {
    id: 'supabase-anon-key', provider: 'Supabase', label: 'anon key',
    // Publishable by design: the anon key goes to browsers; row-level security is what protects the data.
    pattern: JWT_SHAPE, keywords: ['eyj'],
    judge: (m) => supabaseRole(m) === 'anon' ? 'report' : 'skip',
    envVar: 'NEXT_PUBLIC_SUPABASE_ANON_KEY', publishable: true, structured: true, textScan: false,
  },
  {
    id: 'supabase-secret-key', provider: 'Supabase', label: 'secret API key',
    pattern: /\bsb_secret_[A-Za-z0-9_-]{20,}/, keywords: ['sb_secret_'], envVar: 'SUPABASE_SECRET_KEY', publishable: false, textScan: true,
  },
  {
    id: 'supabase-publishable-key', provider: 'Supabase', label: 'publishable key',
    // Publishable by design (the new-style replacement of the anon key).
    pattern: /\bsb_publishable_[A-Za-z0-9_-]{20,}/, keywords: ['sb_publishable_'], envVar: 'NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY', publishable: true, textScan: false,
  },
  {
    id: 'firebase-fcm-server-key', provider: 'Firebase', label: 'Cloud Messaging server key',
    pattern: /\bAAAA[A-Za-z0-9_-]{7}:APA91b[A-Za-z0-9_-]{100,}/, keywords: [':apa91b'], envVar: 'FCM_SERVER_KEY', publishable: false, structured: true, textScan: true,
  },
  {
    id: 'planetscale-token', provider: 'PlanetScale', label: 'password / service token',
    pattern: /\bpscale_(?:tkn|pw|oauth)_[A-Za-z0-9_.-]{32,64}/, keywords: ['pscale_'], envVar: 'DATABASE_PASSWORD', publishable: false, textScan: true,
  },
  {
    id: 'neon-api-key', provider: 'Neon', label: 'API key',
    pattern: /\bnapi_[a-z0-9]{64}\b/, keywords: ['napi_'], envVar: 'NEON_API_KEY', publishable: false, textScan: true,
  },
  {
    id: 'databricks-token', provider: 'Databricks', label: 'access token',
    pattern: /\bdapi[a-f0-9]{32}(?:-\d)?\b/, keywords: ['dapi'], envVar: 'DATABRICKS_TOKEN', publishable: false, textScan: true,
  },
  {
    id: 'airtable-pat', provider: 'Airtable', label: 'personal access token',
    pattern: /\bpat[A-Za-z0-9]{14}\.[a-f0-9]{64}\b/, keywords: ['pat'], envVar: 'AIRTABLE_API_KEY', publishable: false, textScan: true,
  },
  {
    id: 'algolia-admin-key', provider: 'Algolia', label: 'admin / write API key',
    // search-only keys are publishable by design; only keys named admin/write/secret are reported
    pattern: /\b[a-f0-9]{32}\b/, keywords: [],
    context: ({ names, modules }) => inNamesOrModules(/algolia/i, names, modules) && /admin|write|secret|master/i.test(names), bound: true,
    envVar: 'ALGOLIA_ADMIN_KEY', publishable: false, textScan: false,
  },
  {
    id: 'database-url-postgres', provider: 'PostgreSQL', label: 'connection URL with a password',
    pattern: /\b(?:postgres(?:ql)?|cockroachdb)(?:\+[a-z0-9]+)?:\/\/([^:@/\s'"`]+):([^@/\s'"`]+)@([^/\s:?'"`,;]+)/i, keywords: ['postgres', 'cockroachdb'],
    judge: judgeDbUrl, secretGroup: 2, mask: maskDbUrl, envVar: 'DATABASE_URL', publishable: false, textScan: true,
  },
  {
    id: 'database-url-mysql', provider: 'MySQL', label: 'connection URL with a password',
    pattern: /\b(?:mysql2?|mariadb|mssql|sqlserver)(?:\+[a-z0-9]+)?:\/\/([^:@/\s'"`]+):([^@/\s'"`]+)@([^/\s:?'"`,;]+)/i, keywords: ['mysql', 'mariadb', 'mssql', 'sqlserver'],
    judge: judgeDbUrl, secretGroup: 2, mask: maskDbUrl, envVar: 'DATABASE_URL', publishable: false, textScan: true,
  },
  {
    id: 'database-url-mongodb', provider: 'MongoDB', label: 'connection URL with a password',
    pattern: /\bmongodb(?:\+srv)?:\/\/([^:@/\s'"`]+):([^@/\s'"`]+)@([^/\s:?'"`,;]+)/i, keywords: ['mongodb'],
    judge: judgeDbUrl, secretGroup: 2, mask: maskDbUrl, envVar: 'MONGODB_URI', publishable: false, textScan: true,
  },
  {
    id: 'database-url-redis', provider: 'Redis', label: 'connection URL with a password',
    pattern: /\b(?:rediss?|amqps?)(?:\+[a-z0-9]+)?:\/\/([^:@/\s'"`]*):([^@/\s'"`]+)@([^/\s:?'"`,;]+)/i, keywords: ['redis', 'amqp'],
    judge: (m) => judgeDbUrl([m[0], m[1] || 'default', m[2], m[3]] as unknown as RegExpExecArray), secretGroup: 2, mask: maskDbUrl,
    envVar: 'REDIS_URL', publishable: false, textScan: true,
  },
  {
    id: 'service-url-password', provider: 'SSH / FTP / SMTP / LDAP', label: 'URL with a password',
    pattern: /\b(?:s?ftp|ssh|smb|ldaps?|smtps?|imaps?|nats|mqtts?|kafka)(?:\+[a-z0-9]+)?:\/\/([^:@/\s'"`]+):([^@/\s'"`]+)@([^/\s:?'"`,;]+)/i,
    keywords: ['ftp://', 'ssh://', 'smb://', 'ldap', 'smtp', 'imap', 'nats://', 'mqtt', 'kafka://'],
    judge: judgeDbUrl, secretGroup: 2, mask: maskDbUrl, envVar: 'SMTP_URL', publishable: false, textScan: true,
  },
  {
    id: 'private-key', provider: 'PEM', label: 'private key',
    // the header alone (used by parsing code) is not a key: a body of base64 must follow
    pattern: /-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?-----(?:\\+[rn]|\s)*(?:[A-Za-z0-9+/=]|\\+[rn]|\s){64,}/, keywords: ['private key'],
    judge: (m) => base64Chars(m[0]) >= 64 ? 'report' : 'skip',
    envVar: 'PRIVATE_KEY', publishable: false, structured: true, textScan: true,
  },
  {
    id: 'age-secret-key', provider: 'age', label: 'secret key',
    pattern: /\bAGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}\b/, keywords: ['age-secret-key-1'], envVar: 'AGE_SECRET_KEY', publishable: false, textScan: true,
  },

  // ---- productivity, SaaS ----
  {
    id: 'linear-api-key', provider: 'Linear', label: 'API key',
    pattern: /\blin_(?:api|oauth)_[A-Za-z0-9]{40}\b/, keywords: ['lin_api_', 'lin_oauth_'], envVar: 'LINEAR_API_KEY', publishable: false, textScan: true,
  },
  {
    id: 'notion-token', provider: 'Notion', label: 'integration token',
    pattern: /\bsecret_[A-Za-z0-9]{43}\b|\bntn_[A-Za-z0-9]{46}\b/, keywords: ['secret_', 'ntn_'], envVar: 'NOTION_TOKEN', publishable: false, textScan: true,
  },
  {
    id: 'figma-token', provider: 'Figma', label: 'personal access token',
    pattern: /\bfigd_[A-Za-z0-9_-]{40,}/, keywords: ['figd_'], envVar: 'FIGMA_TOKEN', publishable: false, textScan: true,
  },
  {
    id: 'contentful-management-token', provider: 'Contentful', label: 'management token',
    pattern: /\bCFPAT-[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/, keywords: ['cfpat-'], envVar: 'CONTENTFUL_MANAGEMENT_TOKEN', publishable: false, textScan: true,
  },
  {
    id: 'typeform-token', provider: 'Typeform', label: 'personal access token',
    pattern: /\btfp_[A-Za-z0-9_.-]{40,60}/, keywords: ['tfp_'], envVar: 'TYPEFORM_TOKEN', publishable: false, textScan: true,
  },
  {
    id: 'mapbox-secret-token', provider: 'Mapbox', label: 'secret access token',
    pattern: /\bsk\.eyJ[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{20,}/, keywords: ['sk.eyj'], envVar: 'MAPBOX_SECRET_TOKEN', publishable: false, structured: true, textScan: true,
  },
  {
    id: 'mapbox-public-token', provider: 'Mapbox', label: 'public access token',
    // Publishable by design: `pk.` tokens are meant for map rendering in browsers (restrict them by URL).
    pattern: /\bpk\.eyJ[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{20,}/, keywords: ['pk.eyj'], envVar: 'NEXT_PUBLIC_MAPBOX_TOKEN', publishable: true, structured: true, textScan: false,
  },
  {
    id: 'posthog-personal-key', provider: 'PostHog', label: 'personal API key',
    pattern: /\bphx_[A-Za-z0-9]{40,}\b/, keywords: ['phx_'], envVar: 'POSTHOG_PERSONAL_API_KEY', publishable: false, textScan: true,
  },
  {
    id: 'posthog-project-key', provider: 'PostHog', label: 'project API key',
    // Publishable by design: the project key only ingests events from browsers.
    pattern: /\bphc_[A-Za-z0-9]{40,}\b/, keywords: ['phc_'], envVar: 'NEXT_PUBLIC_POSTHOG_KEY', publishable: true, textScan: false,
  },

  // ---- observability ----
  {
    id: 'sentry-auth-token', provider: 'Sentry', label: 'auth token',
    pattern: /\bsntrys_[A-Za-z0-9+/=_-]{50,}|\bsntryu_[a-f0-9]{64}\b/, keywords: ['sntrys_', 'sntryu_'], envVar: 'SENTRY_AUTH_TOKEN', publishable: false, structured: true, textScan: true,
  },
  {
    id: 'sentry-dsn', provider: 'Sentry', label: 'DSN',
    // Publishable by design: the DSN's key only lets clients send events; browsers need it.
    pattern: /https:\/\/[a-f0-9]{32}@[a-z0-9.-]*sentry\.io\/\d+/, keywords: ['sentry.io'], envVar: 'NEXT_PUBLIC_SENTRY_DSN', publishable: true, textScan: false,
  },
  {
    id: 'datadog-api-key', provider: 'Datadog', label: 'API / application key',
    // the browser RUM "client token" (`pub…`) is publishable and has its own prefix, so it does not match
    pattern: /\b(?:[a-f0-9]{32}|[a-f0-9]{40})\b/, keywords: [],
    context: ({ names, modules }) => /datadog|\bdd[_-]?(api|app)|\bdd(Api|App)/i.test(names) || (/datadog/.test(modules) && /api.?key|app.?key|application.?key/i.test(names)),
    bound: true, envVar: 'DD_API_KEY', publishable: false, textScan: false,
  },
  {
    id: 'new-relic-key', provider: 'New Relic', label: 'user API key',
    pattern: /\bNRAK-[A-Z0-9]{27}\b/, keywords: ['nrak-'], envVar: 'NEW_RELIC_API_KEY', publishable: false, textScan: true,
  },
  {
    id: 'grafana-token', provider: 'Grafana', label: 'service-account / cloud token',
    pattern: /\bglsa_[A-Za-z0-9]{32}_[a-f0-9]{8}\b|\bglc_[A-Za-z0-9+/]{32,}={0,2}/, keywords: ['glsa_', 'glc_'], envVar: 'GRAFANA_TOKEN', publishable: false, textScan: true,
  },
];

/** The whole catalog: the entries of providers-more.ts that must come first, the entries above, then the rest of providers-more.ts (first match wins). */
export const PROVIDERS: readonly SecretProvider[] = [...FIRST_PROVIDERS, ...CORE_PROVIDERS, ...MORE_PROVIDERS];

// ---------------------------------------------------------------------------------------------------------
// placeholders

/** Words that only appear in values someone typed as a stand-in for a real secret. */
// in three parts: as one regex, recheck cannot build its automaton and its fuzzer reports (falsely) a quadratic case
const PLACEHOLDER_SHAPES = /x{4,}|(^|[_-])x{3,}($|[_-])|\*{3,}|•{2,}|\.{3}|…|\{\{|\$\{|%s/i;
/** `<token>` anywhere; a whole value that is one bracketed name (`[token]`, `{api_key}`, `(YOUR KEY)`) */
const PLACEHOLDER_TAG = /<[^<>]*>|^\[\s*[A-Za-z][A-Za-z_ .-]*\]$|^\{\s*[A-Za-z][A-Za-z_ .-]*\}$|^\(\s*[A-Za-z][A-Za-z_ .-]*\)$/;
const PLACEHOLDER_WORDS = /\byour|your[_-]|example|sample|placeholder|changeme|change[_-]?me|replace[_-]?(me|with|this)|dummy|redacted|insert[_-]|lorem|\btodo\b|_here\b|-here\b|here$|notarealkey|not[_-]a[_-]real/i;
const PLACEHOLDER_MARKERS = { test: (v: string) => PLACEHOLDER_SHAPES.test(v) || PLACEHOLDER_TAG.test(v) || PLACEHOLDER_WORDS.test(v) };
const SEQUENCES = /0123456789|123456789|abcdefghij|qwertyuiop|asdfghjkl|zyxwvu|9876543210/i;

/**
 * True when a value is evidently not a real secret: `sk_test_xxx`, `your-api-key`, `<YOUR_KEY>`, `changeme`,
 * `****`, `…EXAMPLE`, runs of one character, keyboard sequences, very few distinct characters.
 */
export function hasPlaceholderMarker(value: string): boolean {
  return PLACEHOLDER_MARKERS.test(value);
}

export function isPlaceholderSecret(value: string): boolean {
  const v = value.trim();
  if (!v) return true;
  if (PLACEHOLDER_MARKERS.test(v)) return true;
  if (SEQUENCES.test(v)) return true;
  if (/(.)\1{5,}/.test(v)) return true;
  // a body of 16+ chars from fewer than 6 distinct characters (`aaaabbbbaaaabbbb`, `0101…`)
  const body = v.replace(/^[a-z]{2,8}[_-](?:live_|test_|v1_|api\d\d-)?/i, '');
  if (body.length >= 16 && new Set(body).size < 6) return true;
  return false;
}

// ---------------------------------------------------------------------------------------------------------
// matching

export interface SecretMatch {
  provider: SecretProvider;
  /** the matched text */
  value: string;
  /** offsets of the match inside the scanned text */
  start: number;
  end: number;
  /** 'low' when the provider's judge says it is probably a local/dev value */
  level: 'report' | 'low';
  /** masked form for messages */
  masked: string;
}

export interface MatchOptions {
  /** names around the value (binding, property path, callee), space-joined; enables `context` entries */
  names?: string;
  /** imported modules of the file, space-joined */
  modules?: string;
  /** the value is bound to a secret-looking name or passed straight to a call */
  bound?: boolean;
  /** only entries that are safe on raw text */
  textScan?: boolean;
  /** stop at the first accepted match */
  first?: boolean;
  /** (for tests) ask every entry its keyword test, without the index of candidate entries nor the latest text scan kept: the same answers, slower */
  unindexed?: boolean;
}

/** the catalog's keywords, for big texts: which occur, in one pass (an automaton made on first use) */
let catalogKeywords: KeywordSet | undefined;
function catalogAutomaton(): KeywordSet {
  return (catalogKeywords ??= new KeywordSet(PROVIDERS.flatMap((p) => p.keywords)));
}
function keywordsIn(lower: string): Set<string> {
  return catalogAutomaton().in(lower);
}

/**
 * Which catalog entries have a keyword in the latest text given to markCandidates (at most 4096 characters; the
 * catalog's automaton, in one pass over it), stamped with a generation number (no clearing between texts), and
 * listed in the order they were found. An entry that is not a candidate fails its keyword test: findSecrets skips it
 * without asking, and a candidate passes it (catalog-index.test.ts compares both with asking every entry on every
 * fixture).
 */
let candidateGeneration = 0;
const candidateStamp = new Uint32Array(PROVIDERS.length);
/** the candidates of the latest text, each once, in the order they were found */
const candidateList: number[] = [];
/** by keyword (as the automaton lists them), the entries with it */
let entriesByKeyword: (readonly number[])[] | undefined;
/** the keywords found in the latest text (by index, possibly more than once) */
const foundKeywords: number[] = [];
function markCandidates(lower: string, automaton = catalogAutomaton()): void {
  if (++candidateGeneration === 0xffffffff) { candidateStamp.fill(0); allowedStamp?.fill(0); candidateGeneration = 1; }
  if (!entriesByKeyword) {
    const index = new Map(automaton.list().map((k, i) => [k, i]));
    const byKeyword: number[][] = automaton.list().map(() => []);
    PROVIDERS.forEach((p, i) => {
      for (const k of p.keywords) {
        const list = byKeyword[index.get(k)!];
        if (list[list.length - 1] !== i) list.push(i);
      }
    });
    entriesByKeyword = byKeyword;
  }
  const g = candidateGeneration;
  const byKeyword = entriesByKeyword;
  candidateList.length = 0;
  automaton.indicesIn(lower, foundKeywords);
  for (let j = 0; j < foundKeywords.length; j++) {
    const list = byKeyword[foundKeywords[j]];
    for (let k = 0; k < list.length; k++) {
      const e = list[k];
      if (candidateStamp[e] !== g) { candidateStamp[e] = g; candidateList.push(e); }
    }
  }
}

/**
 * markCandidates of the lowercase form of `text`, without making it: the catalog's keywords are lowercase ASCII, so
 * the same keywords read in any ASCII case (`foldCase`) on the text itself find the same ones, in the same places,
 * unless the text holds one of the two characters outside ASCII whose lowercase is ASCII (`İ` → `i̇`, the Kelvin sign
 * → `k`): every other character keeps its length and stays outside ASCII (the automata go back to their start on
 * it). Then the lowercase text is made. (secrets-unbound-shortcut test: every code point's lowercase, and the
 * candidates of both ways on many texts.)
 */
function markCandidatesOf(text: string): void {
  const folded = foldedAutomaton();
  if (folded && !LOWERS_TO_ASCII.test(text)) markCandidates(text, folded);
  else markCandidates(text.toLowerCase());
}
export const LOWERS_TO_ASCII = /[\u0130\u212a]/;
/** the catalog's keywords read in any ASCII case, when they are the same list as the catalog automaton's (null: not) */
let catalogFolded: KeywordSet | null | undefined;
function foldedAutomaton(): KeywordSet | null {
  if (catalogFolded === undefined) {
    const exact = catalogAutomaton().list();
    const folded = new KeywordSet(exact, { foldCase: true });
    const same = folded.list().length === exact.length && folded.list().every((k, i) => k === exact[i]);
    catalogFolded = same ? folded : null;
  }
  return catalogFolded;
}
/** (for the test) the candidates markCandidatesOf finds, and those of the lowercase text */
export function candidatesBothWays(text: string): [number[], number[]] {
  markCandidatesOf(text);
  const a = [...candidateList];
  markCandidates(text.toLowerCase());
  return [a, [...candidateList]];
}

/** Each entry's pattern with the `g` flag, by index in PROVIDERS. */
const globalPatterns: (RegExp | undefined)[] = new Array<RegExp | undefined>(PROVIDERS.length).fill(undefined);
function globalPattern(i: number): RegExp {
  let g = globalPatterns[i];
  if (!g) {
    const p = PROVIDERS[i];
    g = new RegExp(p.pattern.source, p.pattern.flags.includes('g') ? p.pattern.flags : p.pattern.flags + 'g');
    globalPatterns[i] = g;
  }
  g.lastIndex = 0;
  return g;
}

/**
 * What findSecrets and contextsAllowed ask of every entry before trying it, as bits by index in PROVIDERS: the
 * entries come in many shapes, and reading these fields from each in turn (for every literal) costs more than the
 * patterns do. The catalog is constant: read once.
 */
const TEXT_SCAN = 1, HAS_KEYWORDS = 2, HAS_CONTEXT = 4, NEEDS_BOUND = 8;
let entryBits: Uint8Array | undefined;
function entryFlags(): Uint8Array {
  if (!entryBits) {
    const bits = new Uint8Array(PROVIDERS.length);
    PROVIDERS.forEach((p, i) => {
      bits[i] = (p.textScan ? TEXT_SCAN : 0) | (p.keywords.length ? HAS_KEYWORDS : 0) | (p.context ? HAS_CONTEXT : 0) | (p.bound ? NEEDS_BOUND : 0);
    });
    entryBits = bits;
  }
  return entryBits;
}
/**
 * The entries with a `context`, in catalog order: their indices, whether they need a bound value, their tests, and
 * for the contexts made by providers-more's `named` (a secret word, then the provider's name or its module) their
 * parts, with one expression that matches where any of their names does (`anyName`): names that mention no
 * provider (most) are answered for all of them by that one test.
 */
interface ContextTests {
  index: number[]; needsBound: boolean[]; test: NonNullable<SecretProvider['context']>[];
  named: ({ byName: RegExp; module?: RegExp } | undefined)[]; anyName: RegExp | undefined;
}
let contextEntries: ContextTests | undefined;
function contextTests(): ContextTests {
  if (!contextEntries) {
    const flags = entryFlags();
    const e: ContextTests = { index: [], needsBound: [], test: [], named: [], anyName: undefined };
    const words: string[] = [];
    PROVIDERS.forEach((p, i) => {
      if (!(flags[i] & HAS_CONTEXT)) return;
      e.index.push(i); e.needsBound.push(!!(flags[i] & NEEDS_BOUND)); e.test.push(p.context!);
      // (the names go into one alternation, each in a group of its own: it matches where one of them does. A
      // back-reference or a named group would change meaning or clash there: such an entry is asked on its own)
      const parts = NAMED_CONTEXTS.get(p.context!);
      const joins = !!parts && !/\\[1-9]|\\k<|\(\?<(?![=!])/.test(parts.word);
      e.named.push(joins ? parts : undefined);
      if (joins) words.push(parts!.word);
    });
    e.anyName = new RegExp(words.map((w) => `(?:${w})`).join('|'), 'i');
    contextEntries = e;
  }
  return contextEntries;
}
/** Each entry's keywords, by index in PROVIDERS (read once: see entryFlags). */
let keywordsByEntry: readonly (readonly string[])[] | undefined;
function entryKeywords(): readonly (readonly string[])[] {
  return (keywordsByEntry ??= PROVIDERS.map((p) => p.keywords));
}
/** The indices of the entries with neither keywords nor a context. */
let plainEntries: readonly number[] | undefined;

/**
 * Ranges already claimed by a match, kept sorted by start and non-overlapping, so a bundle with 50,000
 * placeholder keys costs a binary search per match instead of a scan of every earlier one.
 */
function firstEndingAfter(taken: [number, number][], pos: number): number {
  let lo = 0;
  let hi = taken.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (taken[mid][1] <= pos) lo = mid + 1; else hi = mid;
  }
  return lo;
}
function overlapsTaken(taken: [number, number][], start: number, end: number): boolean {
  const i = firstEndingAfter(taken, start);
  return i < taken.length && taken[i][0] < end;
}
function addTaken(taken: [number, number][], start: number, end: number): void {
  taken.splice(firstEndingAfter(taken, start), 0, [start, end]);
}

/**
 * The catalog entries with a `context` that these names, modules and binding allow (their indices, in catalog order,
 * usually none or a few), kept for the last few hundred combinations: a file's literals mostly sit under the same few
 * names.
 */
// by modules (one string per file, long: not copied into a key per literal), then by binding (two maps: no key made
// per literal) and names
const contextCache = new Map<string, [Map<string, readonly number[]>, Map<string, readonly number[]>]>();
let contextCacheSize = 0;
export function contextsAllowed(names: string, modules: string, bound: boolean): readonly number[] {
  let byBinding = contextCache.get(modules);
  let v = byBinding?.[bound ? 1 : 0].get(names);
  if (!v) {
    const c = { names, modules, bound };
    const entries = contextTests();
    const list: number[] = [];
    // (named contexts: `secretWord && (byName || module)`; the secret word and whether any provider is named,
    // asked once for all of them)
    const secretWord = hasSecretWord(names);
    let anyName: boolean | undefined;
    for (let k = 0; k < entries.index.length; k++) {
      if (!bound && entries.needsBound[k]) continue;
      const parts = entries.named[k];
      let allowed: boolean;
      if (parts) {
        if (!secretWord) continue;
        anyName ??= entries.anyName!.test(names);
        allowed = (anyName && parts.byName.test(names)) || (!!parts.module && parts.module.test(modules));
      } else allowed = entries.test[k](c);
      if (allowed) list.push(entries.index[k]);
    }
    v = list;
    if (contextCacheSize >= 500) { contextCache.clear(); contextCacheSize = 0; byBinding = undefined; }
    if (!byBinding) contextCache.set(modules, byBinding = [new Map(), new Map()]);
    byBinding[bound ? 1 : 0].set(names, v);
    contextCacheSize++;
  }
  return v;
}

/**
 * The entries findSecrets tries on a text of at most 4096 characters, in catalog order: the keyword candidates of the
 * text (markCandidates), the context entries the names allow, the entries with neither. Every other entry
 * fails its keyword or context test. Written into `orderBuffer` (made once: findSecrets does not call itself); gives
 * their count.
 */
let orderBuffer: Int32Array | undefined;
function candidateOrder(allowed: readonly number[] | undefined): number {
  plainEntries ??= PROVIDERS.flatMap((p, i) => (!p.keywords.length && !p.context ? [i] : []));
  const order = (orderBuffer ??= new Int32Array(PROVIDERS.length));
  const g = candidateGeneration;
  const extra = (allowed ? allowed.length : 0) + plainEntries.length;
  if (candidateList.length + extra > 32) {
    // many: every entry in turn, in catalog order (each once, though an entry with keywords and a context can be
    // in two lists)
    allowedStamp ??= new Uint32Array(PROVIDERS.length);
    if (allowed) for (let k = 0; k < allowed.length; k++) allowedStamp[allowed[k]] = g;
    for (let k = 0; k < plainEntries.length; k++) allowedStamp[plainEntries[k]] = g;
    let n = 0;
    for (let i = 0; i < order.length; i++) if (candidateStamp[i] === g || allowedStamp[i] === g) order[n++] = i;
    return n;
  }
  // few (usually): insertion into a sorted run, dropping an entry already there
  let n = 0;
  const lists = [candidateList, allowed, plainEntries];
  for (let l = 0; l < 3; l++) {
    const list = lists[l];
    if (!list) continue;
    for (let k = 0; k < list.length; k++) {
      const e = list[k];
      let j = n;
      while (j > 0 && order[j - 1] > e) j--;
      if (j > 0 && order[j - 1] === e) continue;
      for (let m = n; m > j; m--) order[m] = order[m - 1];
      order[j] = e;
      n++;
    }
  }
  return n;
}
/** the entries candidateOrder takes besides the keyword candidates, stamped with the pair generation (many-entries path) */
let allowedStamp: Uint32Array | undefined;

/**
 * Finds catalog secrets in a text (a literal's value or a whole bundle). Placeholders and values the
 * provider's judge rejects are dropped. Overlapping matches keep the earliest catalog entry (context-specific
 * entries come first), so a Gemini key is not also reported as a Google browser key.
 */
export function findSecrets(text: string, opts: MatchOptions = {}): SecretMatch[] {
  if (opts.textScan && !opts.first && !opts.unindexed && opts.names === undefined && opts.modules === undefined && !opts.bound) {
    if (lastTextScan?.text !== text) lastTextScan = { text, matches: findSecretsUncached(text, opts) };
    return lastTextScan.matches.map((m) => ({ ...m }));
  }
  if (!opts.textScan && !opts.first && !opts.unindexed && opts.names !== undefined && text.length <= NAMED_MEMO_MAX_CHARS) {
    return namedScan(text, opts.names, opts.modules ?? '', !!opts.bound);
  }
  return findSecretsUncached(text, opts);
}

/**
 * Whether findSecrets finds nothing in `text` whatever the names and modules around it, for a value that is not bound
 * (`bound` false: not under a secret-looking name, not a call argument), decided from the text alone. For such a
 * value the only entries tried are those with a keyword in the text (the entries without keywords all need a bound
 * value: checked here, from the catalog), and an entry finds nothing when its pattern has no match in the text:
 * so the text's keyword candidates (the catalog's automaton, as findSecrets finds them), each pattern run once, with
 * no match, answer for every names and modules (their contexts only take entries away). Most literals (labels,
 * messages, translation tables) stop here without their names being gathered or the catalog asked with them.
 * (secrets-unbound-shortcut test: never true where findSecrets finds something, under many names, modules and options.)
 */
export function noSecretUnbound(text: string): boolean {
  if (text.length < 16) return true;
  if (unkeyedUnbound ??= PROVIDERS.some((p) => !p.keywords.length && !(p.context && p.bound))) return false;
  if (text.length > 4096) return false; // (long texts: findSecrets finds their keywords another way)
  markCandidatesOf(text);
  for (let k = 0; k < candidateList.length; k++) {
    const re = globalPattern(candidateList[k]);
    const found = re.exec(text) !== null;
    re.lastIndex = 0;
    if (found) return false;
  }
  return true;
}
/** whether some catalog entry is tried on an unbound value without any keyword of it in the text (none today) */
let unkeyedUnbound: boolean | undefined;

/**
 * The answers for literals with their names (what hardcoded-secret asks of every string literal), by the text, then
 * the names, the file's modules and the binding: the same literal under the same names comes back within a file and
 * across the files of a build shipped twice (`index.js` and `index.mjs`). At most NAMED_MEMO_MAX answers, then
 * forgotten; the matches are given as copies.
 */
const NAMED_MEMO_MAX = 20_000;
const NAMED_MEMO_MAX_CHARS = 4096;
const NAMED_MEMO_PER_TEXT = 8;
interface NamedAnswer { names: string; modules: string; bound: boolean; matches: readonly SecretMatch[] }
const namedMemo = new Map<string, NamedAnswer[]>();
let namedMemoSize = 0;
const NO_MATCHES: readonly SecretMatch[] = [];
function namedScan(text: string, names: string, modules: string, bound: boolean): SecretMatch[] {
  let answers = namedMemo.get(text);
  if (answers) {
    for (let i = 0; i < answers.length; i++) {
      const a = answers[i];
      if (a.names === names && a.bound === bound && a.modules === modules) return a.matches.length ? a.matches.map((m) => ({ ...m })) : [];
    }
  }
  const found = findSecretsUncached(text, { names, modules, bound });
  if (namedMemoSize >= NAMED_MEMO_MAX) { namedMemo.clear(); namedMemoSize = 0; answers = undefined; }
  const answer: NamedAnswer = { names: ownCopy(names), modules: ownCopy(modules), bound, matches: found.length ? found.map((m) => ({ ...m })) : NO_MATCHES };
  // (a few answers per text: a text under many names is asked again under each, not looked for in a long list)
  if (!answers) { namedMemo.set(ownCopy(text), [answer]); namedMemoSize++; }
  else if (answers.length < NAMED_MEMO_PER_TEXT) { answers.push(answer); namedMemoSize++; }
  return found;
}

/**
 * The latest text scanned with `{ textScan: true }` alone, and what was found: two rules' text checks
 * (hardcoded-secret, client-exposed-secret) scan the same file, a built bundle of up to megabytes, one after the
 * other. The matches are given as copies.
 */
let lastTextScan: { text: string; matches: readonly SecretMatch[] } | undefined;

function findSecretsUncached(text: string, opts: MatchOptions): SecretMatch[] {
  if (text.length < 16) return [];
  // (the lowercase text is made only where the keywords are looked for in it: markCandidatesOf reads the text as is)
  const lower = text.length > 4096 || opts.unindexed ? text.toLowerCase() : undefined;
  // big texts (bundles): find which keywords occur in one pass instead of one scan per keyword
  const present = text.length > 4096 ? keywordsIn(lower!) : undefined;
  // smaller ones: the entries with a keyword in the text, by the same automaton (markCandidates)
  const indexed = !present && !opts.unindexed;
  if (indexed) markCandidatesOf(text);
  const generation = candidateGeneration;
  const hasKeyword = (k: string) => (present ? present.has(k) : lower!.includes(k));
  const keywords = entryKeywords();
  const out: SecretMatch[] = [];
  const taken: [number, number][] = [];
  // which context entries the surrounding names allow (the same names come back for many literals of a file)
  const allowed = !opts.textScan && opts.names !== undefined ? contextsAllowed(opts.names, opts.modules ?? '', !!opts.bound) : undefined;
  const flags = entryFlags();
  const textScan = !!opts.textScan, bound = !!opts.bound, named = opts.names !== undefined;
  // a short text: only the entries that can pass the tests below, not all 310
  const count = indexed ? candidateOrder(allowed) : flags.length;
  const order = orderBuffer!;
  for (let k = 0; k < count; k++) {
    const i = indexed ? order[k] : k;
    const f = flags[i];
    if (textScan && !(f & TEXT_SCAN)) continue;
    // (the cheap keyword test first: every test here is pure, their order changes nothing)
    if (f & HAS_KEYWORDS) {
      // (a candidate has one of its keywords in the text)
      if (indexed ? candidateStamp[i] !== generation : !keywords[i].some(hasKeyword)) continue;
    }
    if (f & HAS_CONTEXT) {
      if (textScan || !named) continue;
      if (f & NEEDS_BOUND && !bound) continue;
      if (!allowed!.includes(i)) continue;
    }
    const p = PROVIDERS[i];
    const re = globalPattern(i);
    let m: RegExpExecArray | null;
    while ((m = re.exec(text))) {
      if (m[0].length === 0) { re.lastIndex++; continue; }
      const start = m.index;
      const end = start + m[0].length;
      if (overlapsTaken(taken, start, end)) continue;
      const secretPart = m[p.secretGroup ?? 0] ?? m[0];
      if (!p.secretGroup && (p.structured ? hasPlaceholderMarker(secretPart) : isPlaceholderSecret(secretPart))) { addTaken(taken, start, end); continue; }
      const verdict = p.judge ? p.judge(m) : 'report';
      if (verdict === 'skip') continue;
      addTaken(taken, start, end);
      out.push({ provider: p, value: m[0], start, end, level: verdict, masked: p.mask ? p.mask(m) : maskSecret(m[0]) });
      if (opts.first && !p.publishable) return out;
    }
  }
  return out.length > 1 ? out.sort((a, b) => a.start - b.start) : out;
}

/** The catalog entry by id. */
export function providerById(id: string): SecretProvider | undefined {
  return PROVIDERS.find((p) => p.id === id);
}

// ---------------------------------------------------------------------------------------------------------
// secret-looking names and values (entropy-based detection)

const SECRET_WORDS = new Set(['secret', 'secrets', 'password', 'passwd', 'passphrase', 'pwd', 'pass', 'token', 'apikey',
  'credential', 'credentials', 'privatekey', 'clientsecret', 'bearer', 'authorization', 'accesskey', 'secretkey', 'authtoken']);
/** words that, right before `key`, make it a credential (`apiKey`, `privateKey`, `signingKey`…) */
const KEY_QUALIFIERS = new Set(['api', 'access', 'private', 'secret', 'auth', 'signing', 'sign', 'encryption', 'encrypt',
  'client', 'master', 'service', 'admin', 'hmac', 'jwt', 'session', 'cookie', 'webhook', 'server', 'rest', 'live',
  'license', 'write', 'crypto', 'cipher', 'aes', 'subscription', 'app', 'account', 'root']);
/** words that make a name about the secret, not the secret itself (labels, lengths, URLs, env var names…) */
const NOT_SECRET_WORDS = new Set(['public', 'publishable', 'anon', 'name', 'names', 'label', 'placeholder', 'field', 'fields',
  'type', 'types', 'url', 'uri', 'urls', 'endpoint', 'path', 'header', 'headers', 'prefix', 'suffix', 'length', 'len', 'min', 'max',
  'expires', 'expiry', 'expiration', 'expire', 'ttl', 'age', 'regex', 'regexp', 'pattern', 'env', 'var', 'message', 'msg',
  'error', 'errors', 'hint', 'text', 'title', 'description', 'desc', 'storage', 'event', 'events', 'count', 'mode',
  'method', 'algorithm', 'alg', 'algo', 'strategy', 'policy', 'version', 'format', 'scope', 'scopes', 'audience', 'issuer',
  'query', 'selector', 'route', 'file', 'filename', 'dir', 'column', 'table', 'attribute', 'attr', 'input', 'reset',
  'forgot', 'id', 'ids', 'arn', 'kind', 'location', 'source', 'help', 'tooltip', 'aria', 'class', 'classname', 'style',
  'icon', 'param', 'params', 'rule', 'rules', 'template', 'validation', 'validator', 'schema', 'status', 'state',
  'strength', 'hash', 'hashed', 'digest', 'encoding', 'char', 'chars', 'charset', 'required', 'missing', 'invalid',
  'expired', 'lifetime', 'duration', 'timeout', 'interval', 'key_id', 'kid', 'cache', 'generator', 'generate', 'policy',
  'provider', 'providers', 'property', 'prop', 'key', 'keys', 'confirm', 'confirmation', 'visible', 'show', 'toggle', 'mask',
  'masked', 'redacted', 'redact', 'sample', 'example', 'demo', 'default', 'i18n', 'locale', 'translation', 'option',
  'options', 'enabled', 'disabled', 'required', 'length', 'file', 'path', 'location', 'store', 'cookie_name', 'param',
  'parameter', 'response', 'request', 'payload', 'body', 'usage', 'endpoint', 'service', 'client', 'manager', 'handler',
  'fn', 'func', 'callback', 'component', 'page', 'modal', 'dialog', 'form', 'button', 'link', 'route', 'handler']);

/**
 * Does a binding name (variable, property, header) say it holds a credential?
 * `apiKey`, `API_KEY`, `x-api-key`, `clientSecret`, `dbPassword`, `accessToken`, `Authorization` → true;
 * `passwordLabel`, `tokenUrl`, `secretName`, `publicKey`, `keyId`, `key` → false.
 */
/**
 * isSecretNameUngated's answers by name (at most 20,000, then forgotten). An object, not a Map: its keys are copies
 * (the engine's own strings for property names), where a Map would keep the name itself, often a slice of a file's
 * text that keeps the whole text alive.
 */
let secretNames: Record<string, boolean> = Object.create(null) as Record<string, boolean>;
let secretNamesCount = 0;
export function isSecretName(name: string): boolean {
  if (!SECRET_HINT.test(name)) return false;
  // the full test splits the name into words (strings and arrays made): its answer is kept by name, as the same
  // names come back in every file (a table of translations, every language of it)
  let v = secretNames[name];
  if (v === undefined) {
    v = isSecretNameUngated(name);
    if (secretNamesCount >= 20_000) { secretNames = Object.create(null) as Record<string, boolean>; secretNamesCount = 0; }
    secretNames[name] = v;
    secretNamesCount++;
  }
  return v;
}

/**
 * The words of a name are runs of ASCII letters and digits of it, so a name whose text holds no secret word and no
 * `key` (in any case) has none: isSecretName answers it without splitting it into words.
 */
const SECRET_HINT = new RegExp([...SECRET_WORDS, 'key'].join('|'), 'i');

/** isSecretName without its shortcut (exported for the test that compares them) */
export function isSecretNameUngated(name: string): boolean {
  const ws = nameWordsLocal(name);
  if (!ws.length) return false;
  let hit = false;
  for (let i = 0; i < ws.length; i++) {
    const w = ws[i];
    if (SECRET_WORDS.has(w)) hit = true;
    else if (w === 'key' && i > 0 && KEY_QUALIFIERS.has(ws[i - 1])) hit = true;
  }
  if (!hit) return false;
  // `tokenEndpoint`, `passwordField`, `secretId`, `apiKeyHeader`, `tokenExpiresIn`… name something about the secret
  let lastSecret = -1;
  ws.forEach((w, i) => { if (SECRET_WORDS.has(w) || w === 'key' || w === 'pass') lastSecret = i; });
  if (ws.slice(lastSecret + 1).some((w) => NOT_SECRET_WORDS.has(w) || w === 'in' || w === 'at')) return false;
  // search-only keys (Algolia, Typesense, Meilisearch) are public by design
  if (ws.some((w) => w === 'public' || w === 'publishable' || w === 'anon' || w === 'search' || w === 'placeholder' || w === 'label' || w === 'regex' || w === 'pattern')) return false;
  // `tokens`, `passwords` as collections of config are rarely single literals; `pass` alone is too short a signal
  // unless it is part of a longer name (`dbPass`, `smtp_pass`)
  if (ws.length === 1 && ws[0] === 'pass') return false;
  return true;
}

function nameWordsLocal(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z])(?=[A-Z][a-z])/g, '$1 ')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase())
    // `apikey`, `secretkey`, `accesskey` written as one word stay one word: they are in SECRET_WORDS
    ;
}

/**
 * Whether the text holds a character class with a range (`[A-Za-z0-9._-]`): a `[`, later a `]`, and `x-y` between
 * them. One pass over the text: the regex `\[[^\]]*\w-\w[^\]]*\]` is cubic on bracket-heavy values (`[q-W[f-S…`).
 */
export function hasCharacterRange(v: string): boolean {
  let open = -1;
  for (let i = 0; i < v.length; i++) {
    const ch = v.charCodeAt(i);
    if (ch === 0x5b /* [ */ && open < 0) open = i;
    else if (ch === 0x5d /* ] */) {
      if (open >= 0 && /\w-\w/.test(v.slice(open + 1, i))) return true;
      open = -1;
    }
  }
  return false;
}

const HASH_LIKE = /^(sha(1|256|384|512)|md5)-[A-Za-z0-9+/=]+$/i;
const UUID_ONLY = new RegExp(`^${UUID}$`, 'i');

/**
 * Does a literal bound to a secret-looking name look like a real credential (not a label, a placeholder,
 * a URL, an env var name)? Returns 'medium', 'low' (UUIDs, which are often ids) or undefined.
 */
export function secretValueStrength(raw: string, name: string): 'medium' | 'low' | undefined {
  let v = raw.trim();
  const ws = nameWordsLocal(name);
  const isAuthHeader = ws.includes('authorization') || ws.includes('bearer');
  const m = /^(Bearer|Token|Basic|Bot)\s+(\S+)$/i.exec(v);
  if (m) v = m[2];
  else if (isAuthHeader) return undefined;
  if (!v || /\s/.test(v)) return undefined; // labels, sentences, i18n text
  if (isPlaceholderSecret(v)) return undefined;
  if (/^(https?|wss?|file):\/\//i.test(v) || v.includes('://') || /^[./~]/.test(v) || /\.(pem|key|json|txt|p12|pfx|crt|env)$/i.test(v)) return undefined;
  if (HASH_LIKE.test(v)) return undefined;
  if (/^(urn|mailto|data|tel|arn|blob|javascript):/i.test(v)) return undefined;
  // a regular expression source: character classes, escapes, groups, anchors (`[A-Za-z0-9._~+/-]+=*`)
  if (hasCharacterRange(v) || /\\[dwsbDWSpu]|\(\?[:=!<]|^\^.*\$$|[\])][*+?]|\{\d+(?:,\d*)?\}/.test(v)) return undefined;
  if (/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)+$/.test(v)) return undefined; // an env var name: 'STRIPE_SECRET_KEY'
  // made of words, like the name it is bound to or any other identifier (`token_sha256_to_refresh`, `x-api-key-v2`)
  const segs = v.split(/[-_.:/]+/).filter(Boolean);
  if (segs.length >= 2 && segs.every((g) => /^[a-z]+\d{0,3}$/i.test(g) || /^\d{1,4}$/.test(g)) && segs.filter((g) => /^[a-z]{3,}/i.test(g)).length >= 2) return undefined;
  const nameSet = new Set(ws);
  if (nameWordsLocal(v).every((w) => nameSet.has(w))) return undefined;
  if (/^[a-z]+([A-Z][a-z0-9]*)+$/.test(v) || /^[a-z]+([-_.:][a-z0-9]+)+$/i.test(v) && !/\d/.test(v)) return undefined; // identifiers, kebab/dotted words
  if (/^\$[0-9a-z]+\$/.test(v)) return undefined; // a password hash ($2b$…, $argon2id$…) is not the password
  const isPassword = ws.some((w) => w === 'password' || w === 'passwd' || w === 'pwd' || w === 'pass' || w === 'passphrase');
  const lower = v.toLowerCase();
  if (DEV_PASSWORDS.has(lower) || /^(password|secret|admin|test|token|dev|local|default)[\W_]*\d*$/i.test(v)) return undefined;
  const classes = (/[a-z]/.test(v) ? 1 : 0) + (/[A-Z]/.test(v) ? 1 : 0) + (/\d/.test(v) ? 1 : 0) + (/[^A-Za-z0-9]/.test(v) ? 1 : 0);
  if (UUID_ONLY.test(v)) return 'low';
  // a password that spells out "password"/"secret" is a demo value (`S0meVeryHardPassword`, `real-secret-6-levels`)
  if (isPassword && /passw|secret/i.test(v)) return undefined;
  if (isPassword) {
    // a real password: 8+ chars mixing letters with digits or symbols
    if (v.length >= 8 && classes >= 3 && /[A-Za-z]/.test(v)) return 'medium';
    if (v.length >= 12 && classes >= 2 && /\d/.test(v) && /[A-Za-z]/.test(v) && entropy(v) >= 3) return 'medium';
    return undefined;
  }
  if (v.length < 16) return undefined;
  const h = entropy(v);
  if (/^[a-f0-9]+$/i.test(v)) return v.length >= 32 && h >= 3 ? 'medium' : undefined; // `openssl rand -hex 32`
  if (!/\d/.test(v) && v.length < 32) return undefined;
  if (classes < 2) return undefined;
  return h >= 3.5 ? 'medium' : undefined;
}

/**
 * A literal that a secret-named value is compared with (`password === '…'`, `req.headers['x-api-key'] !== '…'`):
 * a hard-coded credential check. Weaker values count here than for plain assignments, because the comparison
 * itself shows the value is a credential; words like 'undefined' or 'Bearer' do not.
 */
export function comparedSecretStrength(raw: string, name: string): 'medium' | undefined {
  const v = raw.trim();
  if (v.length < 6 || /\s/.test(v) || isPlaceholderSecret(v)) return undefined;
  if (/^(undefined|null|none|bearer|basic|string|object|function|number|boolean|true|false|unknown|invalid|expired|missing|revoked|pending)$/i.test(v)) return undefined;
  if (/^(https?|wss?):\/\//i.test(v) || /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)+$/.test(v) || /^[a-z]+(_[a-z]+)+$/.test(v)) return undefined;
  const strength = secretValueStrength(v, name);
  if (strength === 'medium') return 'medium';
  const ws = nameWordsLocal(name);
  const isPassword = ws.some((w) => w === 'password' || w === 'passwd' || w === 'pwd' || w === 'pass' || w === 'passphrase');
  if (isPassword || ws.includes('secret') || ws.includes('token') || (ws.includes('key') && ws.length > 1)) {
    if (DEV_PASSWORDS.has(v.toLowerCase()) || /^[a-z]+$/i.test(v) && v.length < 10) return undefined;
    if (/\d|[^A-Za-z0-9]/.test(v) || v.length >= 10) return 'medium';
  }
  return undefined;
}

/** `stripeSecretKey` → `STRIPE_SECRET_KEY`; used when no catalog entry names the variable. */
export function envNameFor(name: string): string {
  if (/^(authorization|bearer|proxy-authorization)$/i.test(name)) return 'API_TOKEN';
  const ws = nameWordsLocal(name).filter((w) => w !== 'this' && w !== 'config' && w !== 'process' && w !== 'env');
  const s = ws.join('_').toUpperCase();
  return s || 'API_SECRET';
}
