/**
 * The pre-deploy checklist's items, as data. Ids are stable (answers are stored under them). Items whose id is a
 * checklist id of the secure-prompt catalog (`CHECKLIST_ITEMS`) take their title from it, so the prompt and the
 * checklist name the same thing the same way; the rest are the rule-backed items (`rules`). A test checks that
 * every catalog checklist id is an item and every security rule belongs to one.
 *
 * `check` says how the status is settled (see evaluate.ts):
 *  - `rules`: the findings of `rules` fail it; no finding from rules that ran passes it;
 *  - `facts`: project facts (files, package.json, git) settle it, with an evaluator of the same id;
 *  - `manual`: no code check can settle it: a person ticks it (or marks it not applicable), with a note.
 */
import { CHECKLIST_ITEMS } from '../prompt/catalog';

export type ChecklistGroup = 'secrets' | 'configuration' | 'auth' | 'input-output' | 'transport' | 'errors-logs' | 'dependencies' | 'abuse';

export const GROUPS: readonly { id: ChecklistGroup; title: string }[] = [
  { id: 'secrets', title: 'Secrets' },
  { id: 'configuration', title: 'Configuration' },
  { id: 'auth', title: 'Authentication and authorization' },
  { id: 'input-output', title: 'Input and output' },
  { id: 'transport', title: 'Transport and headers' },
  { id: 'errors-logs', title: 'Errors and logs' },
  { id: 'dependencies', title: 'Dependencies' },
  { id: 'abuse', title: 'Abuse' },
];

export type CheckKind = 'rules' | 'facts' | 'manual';

export interface ChecklistItemDef {
  /** stable, kebab-case; catalog ids where the catalog has one */
  id: string;
  group: ChecklistGroup;
  title: string;
  /** one line: why it matters */
  why: string;
  /** a failure of this item fails `shipsafe checklist` (exit 1) */
  blocking: boolean;
  check: CheckKind;
  /** rules whose findings are evidence against this item */
  rules: string[];
  /** what a person should look at when the code cannot settle it */
  review: string;
  /** the item only applies when the stack has one of these items (or a finding of its rules exists) */
  appliesTo?: string[];
}

const catalogTitle = (id: string): string => {
  const c = CHECKLIST_ITEMS.find((i) => i.id === id);
  if (!c) throw new Error(`checklist id ${id} is not in the secure-prompt catalog`);
  return c.title;
};

type Def = Omit<ChecklistItemDef, 'title'> & { title?: string };
const defs: Def[] = [
  // ---- secrets ------------------------------------------------------------------------------------------
  {
    id: 'no-hardcoded-secrets', group: 'secrets', title: 'No secret is written in the code',
    why: 'Anyone who can read the repository, a fork or the built app can use a key that sits in the code.',
    blocking: true, check: 'rules', rules: ['hardcoded-secret', 'hardcoded-session-secret', 'secret-in-file', 'compose-inline-secret', 'dockerfile-secret-build-arg'],
    review: 'Search the code for API keys, tokens and passwords; read them from the environment instead.',
  },
  {
    id: 'secrets-out-of-repo', group: 'secrets',
    why: 'A committed .env stays in the git history for good, even after it is deleted.',
    blocking: true, check: 'facts', rules: ['secret-file-in-git', 'secret-in-git-history', 'env-file-not-ignored'],
    review: 'Check that .gitignore lists .env and that `git log --all -- .env` shows no commit.',
  },
  {
    id: 'client-secrets', group: 'secrets', title: 'No secret in browser code or in NEXT_PUBLIC_ / VITE_ variables',
    why: 'Everything shipped to the browser, including public-prefixed variables, can be read by every visitor.',
    blocking: true, check: 'rules', rules: ['client-exposed-secret'],
    review: 'Check client components and public-prefixed variables for private keys.',
  },
  {
    id: 'env-example-names-only', group: 'secrets', title: '.env.example holds variable names, not values',
    why: 'The example file is committed on purpose; a real value in it is a leaked secret.',
    blocking: true, check: 'facts', rules: [],
    review: 'Open .env.example and keep only names (and harmless defaults such as a port).',
  },
  {
    id: 'hosting-env', group: 'secrets',
    why: 'Production needs its own keys, set in the hosting platform, so a leaked development key is not a production key.',
    blocking: false, check: 'manual', rules: [],
    review: 'In the hosting dashboard, check that production has its own secrets and development keys are not reused.',
  },
  // ---- configuration -------------------------------------------------------------------------------------
  {
    id: 'production-debug-off', group: 'configuration',
    why: 'Source maps and debug modes hand visitors your source code and internal details.',
    blocking: false, check: 'facts', rules: ['production-source-maps', 'debug-mode'],
    review: 'Check the production build settings (next.config, vite.config, webpack) and that NODE_ENV is production.',
  },
  {
    id: 'no-public-leftovers', group: 'configuration', title: 'No backup, dump or map files in public folders',
    why: 'Files in public folders are served to anyone who guesses the name: database dumps, backups and .env copies included.',
    blocking: true, check: 'facts', rules: ['public-sensitive-file', 'directory-listing'],
    review: 'List the public folders and remove files that are not meant to be downloaded.',
  },
  {
    id: 'container-non-root', group: 'configuration',
    why: 'A process running as root turns any code execution bug into control of the whole container.',
    blocking: false, check: 'facts', rules: ['dockerfile-runs-as-root'],
    review: 'Add a USER instruction with a non-root user to the Dockerfile and pass secrets at run time.',
  },
  // ---- authentication and authorization -------------------------------------------------------------------
  {
    id: 'rate-limit-auth', group: 'auth',
    why: 'Without a limit, passwords and reset codes can be guessed by trying millions of times.',
    blocking: true, check: 'rules', rules: ['missing-rate-limit', 'spoofable-rate-limit-key'],
    review: 'Check that login, signup and password-reset routes have a rate limiter (in the code or at the host).',
  },
  {
    id: 'authorization-per-resource', group: 'auth',
    why: 'Checking only that a user is signed in lets them read and change other users\' records by changing an id.',
    blocking: true, check: 'manual', rules: ['broken-access-control'],
    review: 'For each route that takes an id, check that it loads the record for the signed-in user (or checks the owner).',
  },
  {
    id: 'jwt-verified', group: 'auth', title: 'JWTs are verified with pinned algorithms and expire',
    why: 'A token that is decoded without verification, accepts any algorithm or never expires can be forged or replayed.',
    blocking: true, check: 'rules', rules: ['jwt-decode-without-verify', 'jwt-missing-algorithms', 'jwt-no-expiry'],
    review: 'Check every jwt.verify call passes `algorithms` and every token is signed with `expiresIn`.',
    appliesTo: ['jwt'],
  },
  {
    id: 'cookies-flagged', group: 'auth', title: 'Session cookies are httpOnly, secure and sameSite',
    why: 'Without these flags a session cookie can be read by injected scripts, sent over plain HTTP or used by other sites.',
    blocking: false, check: 'rules', rules: ['insecure-cookie', 'session-fixation'],
    review: 'Check the options of every cookie that holds a session or token.',
  },
  {
    id: 'csrf-protection', group: 'auth', title: 'Routes behind a session cookie are protected against CSRF',
    why: 'Browsers add the session cookie to requests other sites make them send, so a hidden form elsewhere can act as a signed-in user.',
    blocking: false, check: 'rules', rules: ['missing-csrf-protection'],
    review: 'Check that every POST/PUT/PATCH/DELETE route behind the session has CSRF middleware (or an Origin check) and that the session cookie is sameSite lax or strict.',
    appliesTo: ['sessions', 'passport'],
  },
  {
    id: 'passwords-and-tokens', group: 'auth', title: 'Passwords use a slow hash; tokens come from a secure random source',
    why: 'Fast hashes are cracked in bulk after a leak, and Math.random() tokens can be predicted.',
    blocking: true, check: 'rules', rules: ['weak-password-hash', 'insecure-randomness', 'weak-cipher', 'cleartext-password', 'predictable-token', 'weak-password-policy', 'password-hash-exposed'],
    review: 'Check that passwords go through bcrypt or argon2 and tokens through crypto.randomBytes.',
  },
  {
    id: 'sensitive-data-protected', group: 'auth', title: 'Card data and ID numbers are never stored as plain text',
    why: 'Leaked card numbers, CVVs and social security numbers are used for fraud and identity theft at once, and cannot be changed.',
    blocking: false, check: 'rules', rules: ['unencrypted-sensitive-data'],
    review: 'Check that card details stay with the payment provider and that ID numbers you must keep are encrypted.',
  },
  {
    id: 'supabase-rls', group: 'auth',
    why: 'The anon key is public: without Row Level Security, anyone can read and write every table with it.',
    blocking: true, check: 'manual', rules: [],
    review: 'In the Supabase dashboard, check that RLS is enabled with policies on every table.',
    appliesTo: ['supabase'],
  },
  // ---- input and output ----------------------------------------------------------------------------------
  {
    id: 'server-side-validation', group: 'input-output',
    why: 'The browser is not in your control: every request body can hold any field and any type.',
    blocking: true, check: 'rules', rules: ['mass-assignment', 'unvalidated-input-to-database', 'prototype-pollution', 'regex-dos'],
    review: 'Check that every route parses its body with a schema before using it.',
  },
  {
    id: 'parameterized-queries', group: 'input-output', title: 'Database queries are parameterized',
    why: 'A value pasted into a query lets a visitor read or delete the whole database.',
    blocking: true, check: 'rules', rules: ['sql-injection', 'nosql-injection'],
    review: 'Check that no query text is built from request data.',
  },
  {
    id: 'no-raw-html', group: 'input-output', title: 'No raw HTML from user data',
    why: 'User data written as HTML runs scripts in other users\' sessions (cross-site scripting).',
    blocking: true, check: 'rules', rules: ['reflected-xss', 'dom-xss', 'react-dangerous-html', 'angular-bypass-security', 'template-unescaped-output', 'template-autoescape-disabled'],
    review: 'Check every place that writes HTML: innerHTML, dangerouslySetInnerHTML, res.send of strings, raw template tags (<%- %>, {{{ }}}, | safe).',
  },
  {
    id: 'no-path-traversal', group: 'input-output', title: 'No file path is built from request data',
    why: '`../` in a file name reads or overwrites files outside the folder you meant.',
    blocking: true, check: 'rules', rules: ['path-traversal', 'zip-slip'],
    review: 'Check that file names from requests go through path.basename and a prefix check.',
  },
  {
    id: 'no-code-execution', group: 'input-output', title: 'No shell command or code is built from input',
    why: 'Input reaching a shell or eval lets a visitor run commands on your server.',
    blocking: true, check: 'rules', rules: ['command-injection', 'code-injection', 'template-injection', 'unsafe-deserialization', 'xxe', 'render-options-from-request'],
    review: 'Check every exec, spawn with a shell, eval and new Function.',
  },
  {
    id: 'outbound-urls', group: 'input-output', title: 'Server requests and redirects do not go where the request says',
    why: 'A URL taken from the request makes your server fetch internal addresses or send users to a phishing site.',
    blocking: true, check: 'rules', rules: ['ssrf', 'open-redirect', 'incomplete-url-check'],
    review: 'Check that outgoing fetches and redirects use an allowlist of hosts or relative paths.',
  },
  {
    id: 'payment-webhook-verified', group: 'input-output',
    why: 'An unverified webhook lets anyone mark orders as paid.',
    blocking: true, check: 'manual', rules: [],
    review: 'Check that the webhook route calls stripe.webhooks.constructEvent on the raw body with the endpoint secret.',
    appliesTo: ['stripe'],
  },
  {
    id: 'llm-untrusted-output', group: 'input-output',
    why: 'Prompt injection turns model output into attacker input: it must not reach HTML, SQL, shells or tools unchecked.',
    blocking: false, check: 'manual', rules: ['llm-tool-overreach'],
    review: 'Check where model output goes: escape it in HTML, never run it, and limit which tools the model can call.',
    appliesTo: ['openai', 'anthropic', 'ai-sdk', 'langchain', 'gemini', 'llm-other'],
  },
  // ---- transport and headers -----------------------------------------------------------------------------
  {
    id: 'https-hsts', group: 'transport', title: 'HTTPS everywhere, with HSTS',
    why: 'Plain HTTP can be read and changed on the way; HSTS stops browsers from ever using it for your site.',
    blocking: false, check: 'facts', rules: ['http-without-tls'],
    review: 'Check the host serves only HTTPS and sends Strict-Transport-Security (use "Check running app" on the https URL).',
  },
  {
    id: 'security-headers', group: 'transport',
    why: 'Headers such as CSP and frame options stop whole classes of attacks in the browser for free.',
    blocking: false, check: 'rules', rules: ['missing-security-headers'],
    review: 'Check the responses carry Content-Security-Policy, X-Frame-Options, X-Content-Type-Options and Referrer-Policy.',
  },
  {
    id: 'cors-allowlist', group: 'transport', title: 'CORS allows only your own origins',
    why: 'A CORS policy that reflects any origin with credentials lets any website act as the signed-in user.',
    blocking: true, check: 'rules', rules: ['cors-misconfiguration'],
    review: 'Check the CORS origin is a fixed list.',
  },
  {
    id: 'tls-verification', group: 'transport', title: 'TLS certificate checks are on',
    why: 'With verification off, anyone on the network path can read and change your server\'s outgoing traffic.',
    blocking: false, check: 'rules', rules: ['tls-verification-disabled', 'weak-tls-version'],
    review: 'Check for rejectUnauthorized: false and NODE_TLS_REJECT_UNAUTHORIZED.',
  },
  // ---- errors and logs -----------------------------------------------------------------------------------
  {
    id: 'no-stack-traces', group: 'errors-logs', title: 'No stack traces or error details are sent to clients',
    why: 'Error details reveal file paths, library versions and queries that help an attacker.',
    blocking: false, check: 'rules', rules: ['verbose-error'],
    review: 'Check the error handlers send a generic message and log the details on the server.',
  },
  {
    id: 'no-secrets-in-logs', group: 'errors-logs', title: 'No secrets or personal data in logs',
    why: 'Logs are kept long and read by many people and services; passwords and tokens do not belong there.',
    blocking: false, check: 'rules', rules: ['sensitive-data-in-log', 'log-injection'],
    review: 'Check what request handlers log.',
  },
  // ---- dependencies --------------------------------------------------------------------------------------
  {
    id: 'lockfile-committed', group: 'dependencies', title: 'A lockfile is present and committed',
    why: 'Without a committed lockfile each install can pull different (possibly compromised) versions.',
    blocking: true, check: 'facts', rules: [],
    review: 'Run npm install and commit package-lock.json (or your package manager\'s lockfile).',
  },
  {
    id: 'dependency-audit', group: 'dependencies', title: 'No dependency with a known high or critical vulnerability',
    why: 'Known vulnerabilities in dependencies are the first thing automated attacks try.',
    blocking: true, check: 'facts', rules: [],
    review: 'Run the dependency check (npm audit); it needs the network and runs only when you ask.',
  },
  // ---- abuse ---------------------------------------------------------------------------------------------
  {
    id: 'upload-limits', group: 'abuse',
    why: 'Unlimited uploads fill the disk and the bill, and a user-chosen name can overwrite files.',
    blocking: false, check: 'manual', rules: [],
    review: 'Check the upload middleware sets a file size, a count and allowed types, and generates the stored names.',
    appliesTo: ['multer', 'formidable', 'busboy', 'python-multipart'],
  },
  {
    id: 'llm-quotas', group: 'abuse',
    why: 'An open AI endpoint lets anyone spend your API budget.',
    blocking: false, check: 'manual', rules: [],
    review: 'Check AI routes require sign-in and count requests per user.',
    appliesTo: ['openai', 'anthropic', 'ai-sdk', 'langchain', 'gemini', 'llm-other'],
  },
  {
    id: 'payment-idempotency', group: 'abuse',
    why: 'Webhooks are retried: processing one twice ships twice; an amount from the client lets users set their price.',
    blocking: false, check: 'manual', rules: [],
    review: 'Check webhook handlers store processed event ids and prices come from the server.',
    appliesTo: ['stripe'],
  },
];

export const CHECKLIST: readonly ChecklistItemDef[] = defs.map((d) => ({ ...d, title: d.title ?? catalogTitle(d.id) }));

export const CHECKLIST_BY_ID: ReadonlyMap<string, ChecklistItemDef> = new Map(CHECKLIST.map((d) => [d.id, d]));
