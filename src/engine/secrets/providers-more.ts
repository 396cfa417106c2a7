/**
 * More catalog entries (see providers.ts for the design rules of an entry). Each pattern follows the token
 * format the provider documents (a fixed prefix, length and alphabet); providers whose keys have no
 * distinctive shape are `context` entries: the value must sit next to a name or import naming the provider
 * (`MISTRAL_API_KEY=…`, `mistral: { apiKey: … }`).
 *
 * Type-only import: providers.ts imports this file, so nothing here may need providers.ts at load time.
 */
import type { SecretProvider } from './providers';

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

/** An entry with a distinctive prefix: safe on raw text. */
function prefixed(id: string, provider: string, label: string, pattern: RegExp, keywords: string[], envVar: string,
  extra: Partial<SecretProvider> = {}): SecretProvider {
  return { id, provider, label, pattern, keywords, envVar, publishable: false, textScan: true, ...extra };
}

const SECRET_WORD = /secret|token|key|pass|auth|credential|pat\b/i;
let lastNames: string | undefined;
let lastHasWord = false;
/** Whether names hold a secret-looking word; findSecrets asks it of the same names for every `named` entry. */
function secretWordIn(names: string): boolean {
  if (names !== lastNames) { lastHasWord = SECRET_WORD.test(names); lastNames = names; }
  return lastHasWord;
}

/** Whether names hold a secret-looking word (what every `named` entry's context asks first). */
export function hasSecretWord(names: string): boolean {
  return secretWordIn(names);
}

/**
 * The parts of the contexts `named` makes, by the context function (the entries whose `extra` gives a context of
 * their own are not here): `secretWordIn(names) && (byName.test(names) || (!!module && module.test(modules)))`.
 * findSecrets asks them of many names at once (providers.ts, contextsAllowed), with the same answers.
 */
export const NAMED_CONTEXTS = new Map<NonNullable<SecretProvider['context']>, { word: string; byName: RegExp; module?: RegExp }>();

/**
 * An entry whose shape is generic (hex, base62, UUID): only counted next to a name that mentions the provider
 * (`word` is a case-insensitive regex source) and a secret-looking word, or the provider's module.
 */
function named(id: string, provider: string, label: string, pattern: RegExp, word: string, envVar: string,
  extra: Partial<SecretProvider> & { module?: RegExp } = {}): SecretProvider {
  const byName = new RegExp(word, 'i');
  const { module, ...rest } = extra;
  // the secret word first: the same test for every such entry, answered once per literal (secretWordIn)
  const context = ({ names, modules }: { names: string; modules: string }) => secretWordIn(names) && (byName.test(names) || (!!module && module.test(modules)));
  NAMED_CONTEXTS.set(context, { word, byName, ...(module ? { module } : {}) });
  return {
    id, provider, label, pattern, keywords: [], envVar, publishable: false, textScan: false, bound: true,
    context,
    ...rest,
  };
}

const hex = (n: number) => `[a-f0-9]{${n}}`;
const b = (body: string) => new RegExp(`(?<![A-Za-z0-9_-])(?:${body})(?![A-Za-z0-9_-])`);
const bi = (body: string) => new RegExp(`(?<![A-Za-z0-9_-])(?:${body})(?![A-Za-z0-9_-])`, 'i');

/**
 * Entries that must be tried before the core catalog: their values contain or share the shape of a core entry
 * (a Google Chat webhook URL embeds a Google API key; UploadThing secrets use Stripe's `sk_live_` prefix).
 */
export const FIRST_PROVIDERS: readonly SecretProvider[] = [
  prefixed('google-chat-webhook', 'Google Chat', 'webhook URL', /https:\/\/chat\.googleapis\.com\/v1\/spaces\/[A-Za-z0-9_-]+\/messages\?key=[A-Za-z0-9_-]{39}&token=[A-Za-z0-9_%=-]{40,}/, ['chat.googleapis.com'], 'GOOGLE_CHAT_WEBHOOK_URL'),
  named('uploadthing-secret', 'UploadThing', 'secret / token', b('sk_live_[a-f0-9]{64}|eyJ[A-Za-z0-9+/=]{60,}'), 'uploadthing', 'UPLOADTHING_TOKEN', { structured: true }),
];

export const MORE_PROVIDERS: readonly SecretProvider[] = [
  // ---- cloud and infrastructure ----
  prefixed('aws-bedrock-api-key', 'AWS', 'Bedrock API key', /\bABSK[A-Za-z0-9+/]{100,}={0,2}/, ['absk'], 'AWS_BEARER_TOKEN_BEDROCK', { structured: true }),
  prefixed('aws-mws-key', 'Amazon MWS', 'auth token', bi(`amzn\\.mws\\.${UUID}`), ['amzn.mws.'], 'MWS_AUTH_TOKEN'),
  prefixed('google-oauth-refresh-token', 'Google', 'OAuth refresh token', /\b1\/\/0[A-Za-z0-9_-]{60,}/, ['1//0'], 'GOOGLE_REFRESH_TOKEN'),
  prefixed('google-oauth-access-token', 'Google', 'OAuth access token', /\bya29\.[A-Za-z0-9_-]{60,}/, ['ya29.'], 'GOOGLE_ACCESS_TOKEN'),
  prefixed('alibaba-access-key', 'Alibaba Cloud', 'AccessKey ID', b('LTAI[A-Za-z0-9]{12,20}'), ['ltai'], 'ALIBABA_CLOUD_ACCESS_KEY_ID'),
  prefixed('tencent-secret-id', 'Tencent Cloud', 'SecretId', b('AKID[A-Za-z0-9]{32}'), ['akid'], 'TENCENTCLOUD_SECRET_ID'),
  prefixed('scaleway-access-key', 'Scaleway', 'access key', b('SCW[A-Z0-9]{17}'), ['scw'], 'SCW_ACCESS_KEY'),
  named('scaleway-secret-key', 'Scaleway', 'secret key', bi(UUID), 'scaleway|\\bscw', 'SCW_SECRET_KEY'),
  prefixed('azure-cosmosdb-connection-string', 'Azure', 'Cosmos DB connection string',
    /AccountEndpoint=https:\/\/[a-z0-9-]+\.documents\.azure\.com(?::\d+)?\/?;AccountKey=[A-Za-z0-9+/]{86}==/, ['documents.azure.com'], 'COSMOS_CONNECTION_STRING', { structured: true }),
  prefixed('azure-sas-token', 'Azure', 'shared access signature (SAS) URL',
    /\bhttps:\/\/[a-z0-9-]+\.(?:blob|queue|table|file|dfs)\.core\.windows\.net\/[^\s"'`]*[?&]sig=[A-Za-z0-9%+/]{40,}(?:%3D|=){0,2}/, ['sig='], 'AZURE_STORAGE_SAS_URL', { structured: true }),
  prefixed('azure-devops-pat', 'Azure DevOps', 'personal access token', b('[A-Za-z0-9]{52}AZDO[A-Za-z0-9]{28}'), ['azdo'], 'AZURE_DEVOPS_PAT'),
  named('azure-openai-key', 'Azure OpenAI', 'API key', b('[a-f0-9]{32}|[A-Za-z0-9]{84}'), 'azure.?openai|aoai', 'AZURE_OPENAI_API_KEY'),
  prefixed('cloudflare-tunnel-token', 'Cloudflare', 'Tunnel token', /\beyJhIjoi[A-Za-z0-9+/]{100,}={0,2}/, ['eyjhijoi'], 'TUNNEL_TOKEN', { structured: true }),
  named('linode-token', 'Akamai (Linode)', 'personal access token', b(hex(64)), 'linode', 'LINODE_TOKEN'),
  named('hetzner-token', 'Hetzner', 'API token', b('[A-Za-z0-9]{64}'), 'hetzner|hcloud', 'HCLOUD_TOKEN'),
  named('vultr-api-key', 'Vultr', 'API key', b('[A-Z0-9]{36}'), 'vultr', 'VULTR_API_KEY'),
  named('railway-token', 'Railway', 'API token', bi(UUID), 'railway', 'RAILWAY_TOKEN'),
  named('koyeb-token', 'Koyeb', 'API token', b('[A-Za-z0-9]{64}'), 'koyeb', 'KOYEB_TOKEN'),
  named('fastly-api-token', 'Fastly', 'API token', b('[A-Za-z0-9_-]{32}'), 'fastly', 'FASTLY_API_TOKEN'),
  prefixed('akamai-client-token', 'Akamai', 'EdgeGrid client token', b('akab-[a-z0-9]{16}-[a-z0-9]{16}'), ['akab-'], 'AKAMAI_CLIENT_TOKEN'),
  named('bunny-api-key', 'Bunny.net', 'API key', bi(`${UUID}(?:-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)})?`), 'bunny', 'BUNNY_API_KEY'),
  prefixed('hashicorp-vault-batch-token', 'HashiCorp Vault', 'batch token', /\bhvb\.[A-Za-z0-9_-]{90,}/, ['hvb.'], 'VAULT_TOKEN', { structured: true }),
  prefixed('terraform-cloud-token', 'HashiCorp Terraform Cloud', 'API token', b('[A-Za-z0-9]{14}\\.atlasv1\\.[A-Za-z0-9_=-]{60,70}'), ['.atlasv1.'], 'TFE_TOKEN'),
  prefixed('infisical-token', 'Infisical', 'service token', b(`st\\.${UUID}\\.${hex(32)}\\.${hex(32)}`), ['st.'], 'INFISICAL_TOKEN'),
  prefixed('onepassword-service-token', '1Password', 'service account token', /\bops_eyJ[A-Za-z0-9+/=_-]{200,}/, ['ops_eyj'], 'OP_SERVICE_ACCOUNT_TOKEN', { structured: true }),
  prefixed('onepassword-secret-key', '1Password', 'account Secret Key', b('A3-[A-Z0-9]{6}-(?:[A-Z0-9]{11}|[A-Z0-9]{6}-[A-Z0-9]{5})-[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5}'), ['a3-'], 'OP_SECRET_KEY'),
  prefixed('tailscale-key', 'Tailscale', 'API / auth key', b('tskey-(?:api|auth|client|webhook|scim)-[A-Za-z0-9]{9,20}-[A-Za-z0-9]{20,40}'), ['tskey-'], 'TS_AUTHKEY'),
  named('ngrok-authtoken', 'ngrok', 'authtoken / API key', b('[0-9][A-Za-z0-9]{26}_[A-Za-z0-9]{20,22}'), 'ngrok', 'NGROK_AUTHTOKEN'),
  prefixed('defined-networking-key', 'Defined Networking', 'API token', b('dnkey-[a-z0-9=_-]{26}-[a-z0-9=_-]{52}'), ['dnkey-'], 'DN_API_KEY'),
  prefixed('dynatrace-token', 'Dynatrace', 'API token', b('dt0c01\\.[A-Z0-9]{24}\\.[A-Z0-9]{64}'), ['dt0c01.'], 'DT_API_TOKEN'),
  prefixed('octopus-deploy-key', 'Octopus Deploy', 'API key', b('API-[A-Z0-9]{26,32}'), ['api-'], 'OCTOPUS_API_KEY',
    { judge: (m) => /\d/.test(m[0].slice(4)) && /[A-Z]/.test(m[0].slice(4)) ? 'report' : 'skip' }),
  prefixed('prefect-api-key', 'Prefect', 'API key', b('pnu_[A-Za-z0-9]{36}'), ['pnu_'], 'PREFECT_API_KEY'),
  prefixed('scalingo-token', 'Scalingo', 'API token', b('tk-us-[A-Za-z0-9_-]{48}'), ['tk-us-'], 'SCALINGO_API_TOKEN'),
  prefixed('convex-deploy-key', 'Convex', 'deploy key', /\b(?:prod|dev|preview):[a-z0-9-]{3,60}\|[A-Za-z0-9+/=]{40,}/, ['prod:', 'dev:', 'preview:'], 'CONVEX_DEPLOY_KEY', { structured: true }),

  // ---- source control, packages, CI ----
  prefixed('gitlab-deploy-token', 'GitLab', 'deploy / trigger / feed token', b('gl(?:dt|ptt|cbt|ft|soat|imt|oas)-[0-9A-Za-z_-]{20,}'), ['gldt-', 'glptt-', 'glcbt-', 'glft-', 'glsoat-', 'glimt-', 'gloas-'], 'GITLAB_TOKEN'),
  prefixed('gitlab-runner-registration', 'GitLab', 'runner registration token', b('GR1348941[0-9A-Za-z_-]{20}'), ['gr1348941'], 'GITLAB_RUNNER_REGISTRATION_TOKEN'),
  prefixed('bitbucket-app-password', 'Bitbucket', 'app password / API token', b('ATBB[A-Za-z0-9_=.-]{32}'), ['atbb'], 'BITBUCKET_APP_PASSWORD'),
  named('gitea-token', 'Gitea', 'access token', b(hex(40)), 'gitea|forgejo|codeberg', 'GITEA_TOKEN'),
  prefixed('sourcegraph-token', 'Sourcegraph', 'access token', b(`sgp_(?:local_|${hex(16)}_)?${hex(40)}`), ['sgp_'], 'SRC_ACCESS_TOKEN'),
  prefixed('buildkite-token', 'Buildkite', 'API access token', b('bkua_[a-f0-9]{40}'), ['bkua_'], 'BUILDKITE_API_TOKEN'),
  prefixed('circleci-token', 'CircleCI', 'personal API token', b('CCIPAT_[A-Za-z0-9]{22}_[a-f0-9]{40}'), ['ccipat_'], 'CIRCLECI_TOKEN'),
  named('travis-token', 'Travis CI', 'API token', b('[A-Za-z0-9_-]{22}'), 'travis', 'TRAVIS_TOKEN'),
  named('jenkins-api-token', 'Jenkins', 'API token', b('11[a-f0-9]{32}'), 'jenkins', 'JENKINS_API_TOKEN'),
  prefixed('docker-hub-token', 'Docker Hub', 'personal / organization access token', b('dckr_(?:pat|oat)_[A-Za-z0-9_-]{27,32}'), ['dckr_pat_', 'dckr_oat_'], 'DOCKERHUB_TOKEN'),
  prefixed('jfrog-api-key', 'JFrog', 'API key / identity token', b('(?:AKCp[A-Za-z0-9]{69}|cmVmdGtuOjAxOj[A-Za-z0-9]{50,})'), ['akcp', 'cmvmdgtuojaxoj'], 'JFROG_ACCESS_TOKEN'),
  prefixed('rubygems-key', 'RubyGems', 'API key', b('rubygems_[a-f0-9]{48}'), ['rubygems_'], 'GEM_HOST_API_KEY'),
  prefixed('nuget-api-key', 'NuGet', 'API key', b('oy2[a-z0-9]{43}'), ['oy2'], 'NUGET_API_KEY'),
  prefixed('clojars-token', 'Clojars', 'deploy token', b('CLOJARS_[a-z0-9]{60}'), ['clojars_'], 'CLOJARS_TOKEN'),
  prefixed('crates-io-token', 'crates.io', 'API token', b('cio[A-Za-z0-9]{32}'), ['cio'], 'CARGO_REGISTRY_TOKEN',
    { judge: (m) => /\d/.test(m[0]) && /[A-Z]/.test(m[0].slice(3)) && /[a-z]/.test(m[0].slice(3)) ? 'report' : 'skip' }),
  prefixed('sonar-token', 'SonarQube / SonarCloud', 'token', b('sq[apu]_[a-f0-9]{40}'), ['sqa_', 'sqp_', 'squ_'], 'SONAR_TOKEN'),
  named('snyk-token', 'Snyk', 'API token', bi(UUID), 'snyk', 'SNYK_TOKEN'),
  named('codecov-token', 'Codecov', 'upload token', bi(UUID), 'codecov', 'CODECOV_TOKEN'),
  prefixed('infracost-key', 'Infracost', 'API key', b('ico-[A-Za-z0-9]{32}'), ['ico-'], 'INFRACOST_API_KEY'),
  prefixed('readme-api-key', 'ReadMe', 'API key', b('rdme_[a-z0-9]{70}'), ['rdme_'], 'README_API_KEY'),
  prefixed('harness-pat', 'Harness', 'access token', b('(?:pat|sat)\\.[A-Za-z0-9_-]{22}\\.[0-9a-f]{24}\\.[A-Za-z0-9]{20}'), ['pat.', 'sat.'], 'HARNESS_API_KEY'),

  // ---- payments, commerce ----
  prefixed('paddle-api-key', 'Paddle', 'API key', b('pdl_(?:live|sdbx)_apikey_[a-z0-9]{26}_[A-Za-z0-9]{22}_[A-Za-z0-9]{3}'), ['pdl_'], 'PADDLE_API_KEY'),
  prefixed('flutterwave-secret-key', 'Flutterwave', 'secret key', b('FLWSECK(?:_TEST)?-[a-f0-9]{32}-X'), ['flwseck'], 'FLW_SECRET_KEY'),
  prefixed('razorpay-key-id', 'Razorpay', 'key id', b('rzp_(?:live|test)_[A-Za-z0-9]{14}'), ['rzp_'], 'NEXT_PUBLIC_RAZORPAY_KEY_ID', { publishable: true, textScan: false }),
  named('razorpay-key-secret', 'Razorpay', 'key secret', b('[A-Za-z0-9]{24}'), 'razorpay', 'RAZORPAY_KEY_SECRET'),
  named('mollie-api-key', 'Mollie', 'API key', b('live_[A-Za-z0-9]{30}'), 'mollie', 'MOLLIE_API_KEY'),
  named('plaid-secret', 'Plaid', 'secret', b('[a-f0-9]{30}'), 'plaid', 'PLAID_SECRET'),
  prefixed('plaid-access-token', 'Plaid', 'access token', bi(`access-(?:sandbox|development|production)-${UUID}`), ['access-sandbox-', 'access-development-', 'access-production-'], 'PLAID_ACCESS_TOKEN'),
  prefixed('duffel-token', 'Duffel', 'access token', b('duffel_(?:test|live)_[A-Za-z0-9_=-]{43}'), ['duffel_'], 'DUFFEL_ACCESS_TOKEN'),
  prefixed('easypost-api-key', 'EasyPost', 'API key', b('EZ[AT]K[A-Za-z0-9]{54}'), ['ezak', 'eztk'], 'EASYPOST_API_KEY'),
  prefixed('woocommerce-secret', 'WooCommerce', 'REST API consumer secret', b('cs_[a-f0-9]{40}'), ['cs_'], 'WOOCOMMERCE_CONSUMER_SECRET'),
  named('lemonsqueezy-api-key', 'Lemon Squeezy', 'API key', /\beyJ[A-Za-z0-9_-]{20,}\.eyJ[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{20,}/, 'lemon.?squeezy', 'LEMONSQUEEZY_API_KEY', { structured: true }),
  named('gumroad-token', 'Gumroad', 'access token', b('[A-Za-z0-9_-]{43}'), 'gumroad', 'GUMROAD_ACCESS_TOKEN'),
  named('coinbase-commerce-key', 'Coinbase', 'API key', bi(UUID), 'coinbase', 'COINBASE_COMMERCE_API_KEY'),
  named('checkout-secret-key', 'Checkout.com', 'secret key', b('sk_(?:sbox_)?[a-z0-9]{26}[a-z0-9*#$=]?'), 'checkout|\\bcko', 'CKO_SECRET_KEY'),

  // ---- messaging, email, communication ----
  prefixed('microsoft-teams-webhook', 'Microsoft Teams', 'incoming webhook URL',
    new RegExp(`https://[a-z0-9-]+\\.webhook\\.office\\.com/webhookb2/${UUID}@${UUID}/IncomingWebhook/[a-z0-9]{32}/${UUID}(?:/[A-Za-z0-9_-]{20,})?`, 'i'), ['webhook.office.com'], 'TEAMS_WEBHOOK_URL'),
  prefixed('zapier-webhook', 'Zapier', 'catch hook URL', /https:\/\/hooks\.zapier\.com\/hooks\/catch\/\d+\/[a-z0-9]{5,}\/?/, ['hooks.zapier.com'], 'ZAPIER_WEBHOOK_URL'),
  named('mattermost-webhook', 'Mattermost', 'incoming webhook URL', /https:\/\/[a-z0-9.-]+\/hooks\/[a-z0-9]{26}/, 'mattermost', 'MATTERMOST_WEBHOOK_URL'),
  prefixed('mailersend-token', 'MailerSend', 'API token', b('mlsn\\.[a-f0-9]{64}'), ['mlsn.'], 'MAILERSEND_API_TOKEN'),
  prefixed('mandrill-api-key', 'Mailchimp Transactional (Mandrill)', 'API key', b('md-[A-Za-z0-9_-]{22}'), ['md-'], 'MANDRILL_API_KEY',
    { judge: (m) => /\d/.test(m[0]) && /[A-Z]/.test(m[0]) && /[a-z]/.test(m[0].slice(3)) ? 'report' : 'skip' }),
  named('mailtrap-token', 'Mailtrap', 'API token', b(hex(32)), 'mailtrap', 'MAILTRAP_TOKEN'),
  named('sparkpost-key', 'SparkPost', 'API key', b(hex(40)), 'sparkpost', 'SPARKPOST_API_KEY'),
  named('loops-api-key', 'Loops', 'API key', b(hex(32)), '\\bloops', 'LOOPS_API_KEY'),
  named('convertkit-secret', 'Kit (ConvertKit)', 'API secret', b('[A-Za-z0-9_-]{43}'), 'convertkit|\\bkit_', 'CONVERTKIT_API_SECRET'),
  prefixed('klaviyo-private-key', 'Klaviyo', 'private API key', b('pk_[a-f0-9]{34}'), ['pk_'], 'KLAVIYO_PRIVATE_KEY'),
  named('customerio-key', 'Customer.io', 'API key', b(hex(20,) + '|' + hex(32)), 'customer.?io|\\bcio_', 'CUSTOMERIO_API_KEY'),
  prefixed('telnyx-api-key', 'Telnyx', 'API key', b('KEY[0-9A-F]{32}_[A-Za-z0-9]{22}'), ['key'], 'TELNYX_API_KEY'),
  named('vonage-api-secret', 'Vonage (Nexmo)', 'API secret', b('[A-Za-z0-9]{16}'), 'vonage|nexmo', 'VONAGE_API_SECRET'),
  named('plivo-auth-token', 'Plivo', 'auth token', b('[A-Za-z0-9]{40}'), 'plivo', 'PLIVO_AUTH_TOKEN'),
  named('messagebird-key', 'MessageBird (Bird)', 'access key', b('[A-Za-z0-9]{25}'), 'messagebird|\\bbird', 'MESSAGEBIRD_ACCESS_KEY'),
  named('pusher-secret', 'Pusher', 'app secret', b(hex(20)), 'pusher', 'PUSHER_APP_SECRET'),
  named('ably-api-key', 'Ably', 'API key', b('[A-Za-z0-9_-]{5,6}\\.[A-Za-z0-9_-]{6}:[A-Za-z0-9_=+/-]{40,44}'), 'ably', 'ABLY_API_KEY'),
  named('stream-api-secret', 'Stream', 'API secret', b('[a-z0-9]{64}'), 'getstream|\\bstream', 'STREAM_API_SECRET'),
  prefixed('intercom-token', 'Intercom', 'access token', /\bdG9rO[A-Za-z0-9+/]{50,}={0,2}/, ['dg9ro'], 'INTERCOM_ACCESS_TOKEN', { structured: true }),
  named('zendesk-token', 'Zendesk', 'API token', b('[A-Za-z0-9]{40}'), 'zendesk', 'ZENDESK_API_TOKEN'),
  prefixed('facebook-access-token', 'Meta (Facebook, WhatsApp)', 'access token', b('EAA[BCDGIJ][A-Za-z0-9]{80,}'), ['eaab', 'eaac', 'eaad', 'eaag', 'eaai', 'eaaj'], 'META_ACCESS_TOKEN'),
  named('facebook-app-secret', 'Meta (Facebook, WhatsApp)', 'app secret', b(hex(32)), 'facebook|\\bfb_|\\bmeta_app|whatsapp|instagram', 'FACEBOOK_APP_SECRET'),
  prefixed('instagram-token', 'Instagram', 'access token', b('IG(?:QV|AA)[A-Za-z0-9_-]{100,}'), ['igqv', 'igaa'], 'INSTAGRAM_ACCESS_TOKEN'),
  prefixed('twitter-bearer-token', 'X (Twitter)', 'bearer token', /\bAAAAAAAAAAAAAAAAAAAAA[A-Za-z0-9%]{40,}/, ['aaaaaaaaaaaaaaaaaaaaa'], 'TWITTER_BEARER_TOKEN', { structured: true }),
  named('twitter-api-secret', 'X (Twitter)', 'API / access token secret', b('[A-Za-z0-9]{45,50}'), 'twitter|\\bx_api|\\btwtr', 'TWITTER_API_SECRET'),
  prefixed('pinterest-token', 'Pinterest', 'access token', b('pina_[A-Z0-9]{96}'), ['pina_'], 'PINTEREST_ACCESS_TOKEN'),
  named('linkedin-client-secret', 'LinkedIn', 'client secret', b('(?:WPL_AP1\\.[A-Za-z0-9]{16}\\.[A-Za-z0-9=/+]{8}|[A-Za-z0-9]{16})'), 'linkedin', 'LINKEDIN_CLIENT_SECRET'),
  named('reddit-secret', 'Reddit', 'client secret', b('[A-Za-z0-9_-]{27,30}'), 'reddit', 'REDDIT_CLIENT_SECRET'),
  named('twitch-secret', 'Twitch', 'client secret', b('[a-z0-9]{30}'), 'twitch', 'TWITCH_CLIENT_SECRET'),
  named('spotify-secret', 'Spotify', 'client secret', b(hex(32)), 'spotify', 'SPOTIFY_CLIENT_SECRET'),
  named('tiktok-secret', 'TikTok', 'client secret', b('[A-Za-z0-9]{32}'), 'tiktok', 'TIKTOK_CLIENT_SECRET'),
  named('zoom-secret', 'Zoom', 'client / webhook secret', b('[A-Za-z0-9_-]{22,32}'), 'zoom', 'ZOOM_CLIENT_SECRET'),
  named('line-channel-secret', 'LINE', 'channel secret / access token', b('[a-f0-9]{32}|[A-Za-z0-9+/=]{170,180}'), '\\bline_|\\bline.?channel', 'LINE_CHANNEL_SECRET'),

  // ---- AI ----
  prefixed('nvidia-api-key', 'NVIDIA (NIM)', 'API key', b('nvapi-[A-Za-z0-9_-]{64}'), ['nvapi-'], 'NVIDIA_API_KEY'),
  prefixed('cerebras-api-key', 'Cerebras', 'API key', b('csk-[a-z0-9]{48}'), ['csk-'], 'CEREBRAS_API_KEY'),
  prefixed('fireworks-api-key', 'Fireworks AI', 'API key', b('fw_[A-Za-z0-9]{24}'), ['fw_'], 'FIREWORKS_API_KEY',
    { judge: (m) => /\d/.test(m[0].slice(3)) && /[A-Z]/.test(m[0]) && /[a-z]/.test(m[0].slice(3)) ? 'report' : 'skip' }),
  prefixed('elevenlabs-api-key', 'ElevenLabs', 'API key', b('sk_[a-f0-9]{48}'), ['sk_'], 'ELEVENLABS_API_KEY'),
  prefixed('langfuse-secret-key', 'Langfuse', 'secret key', bi(`sk-lf-${UUID}`), ['sk-lf-'], 'LANGFUSE_SECRET_KEY'),
  prefixed('langfuse-public-key', 'Langfuse', 'public key', bi(`pk-lf-${UUID}`), ['pk-lf-'], 'LANGFUSE_PUBLIC_KEY', { publishable: true, textScan: false }),
  prefixed('helicone-api-key', 'Helicone', 'API key', b('sk-helicone-(?:eu-)?[a-z0-9]{7}-[a-z0-9]{7}-[a-z0-9]{7}-[a-z0-9]{7}'), ['sk-helicone-'], 'HELICONE_API_KEY'),
  prefixed('firecrawl-api-key', 'Firecrawl', 'API key', b('fc-[a-f0-9]{32}'), ['fc-'], 'FIRECRAWL_API_KEY'),
  prefixed('tavily-api-key', 'Tavily', 'API key', b('tvly-(?:dev-|prod-)?[A-Za-z0-9]{32}'), ['tvly-'], 'TAVILY_API_KEY'),
  prefixed('browserbase-api-key', 'Browserbase', 'API key', b('bb_live_[A-Za-z0-9_-]{27}'), ['bb_live_'], 'BROWSERBASE_API_KEY'),
  prefixed('e2b-api-key', 'E2B', 'API key', b('e2b_[a-f0-9]{40}'), ['e2b_'], 'E2B_API_KEY'),
  prefixed('anyscale-api-key', 'Anyscale', 'API key', b('esecret_[a-z0-9]{26}'), ['esecret_'], 'ANYSCALE_API_KEY'),
  named('mistral-api-key', 'Mistral AI', 'API key', b('[A-Za-z0-9]{32}'), 'mistral', 'MISTRAL_API_KEY', { module: /@mistralai\// }),
  named('cohere-api-key', 'Cohere', 'API key', b('[A-Za-z0-9]{40}'), 'cohere|\\bco_api', 'COHERE_API_KEY', { module: /cohere-ai/ }),
  named('deepseek-api-key', 'DeepSeek', 'API key', b('sk-[a-f0-9]{32}'), 'deepseek', 'DEEPSEEK_API_KEY'),
  named('dashscope-api-key', 'Alibaba (DashScope / Qwen)', 'API key', b('sk-[a-f0-9]{32}'), 'dashscope|qwen', 'DASHSCOPE_API_KEY'),
  named('moonshot-api-key', 'Moonshot (Kimi)', 'API key', b('sk-[A-Za-z0-9]{48}'), 'moonshot|kimi', 'MOONSHOT_API_KEY'),
  named('stability-api-key', 'Stability AI', 'API key', b('sk-[A-Za-z0-9]{48}'), 'stability', 'STABILITY_API_KEY'),
  named('together-api-key', 'Together AI', 'API key', b('(?:tgp_v1_[A-Za-z0-9_-]{43}|[a-f0-9]{64})'), 'together', 'TOGETHER_API_KEY'),
  named('deepinfra-api-key', 'DeepInfra', 'API key', b('[A-Za-z0-9]{32}'), 'deepinfra', 'DEEPINFRA_API_KEY'),
  named('ai21-api-key', 'AI21 Labs', 'API key', b('[A-Za-z0-9]{32}'), 'ai21', 'AI21_API_KEY'),
  named('assemblyai-api-key', 'AssemblyAI', 'API key', b(hex(32)), 'assembly.?ai', 'ASSEMBLYAI_API_KEY'),
  named('deepgram-api-key', 'Deepgram', 'API key', b(hex(40)), 'deepgram', 'DEEPGRAM_API_KEY'),
  named('wandb-api-key', 'Weights & Biases', 'API key', b(`(?:local-)?${hex(40)}`), 'wandb|weights.?(and|&).?biases', 'WANDB_API_KEY'),
  named('serpapi-key', 'SerpApi', 'API key', b(hex(64)), 'serp.?api', 'SERPAPI_API_KEY'),
  named('serper-key', 'Serper', 'API key', b(hex(40)), 'serper', 'SERPER_API_KEY'),
  named('exa-api-key', 'Exa', 'API key', bi(UUID), '\\bexa', 'EXA_API_KEY'),
  named('portkey-api-key', 'Portkey', 'API key', b('[A-Za-z0-9+/]{28,32}'), 'portkey', 'PORTKEY_API_KEY'),
  named('weaviate-api-key', 'Weaviate', 'API key', b('[A-Za-z0-9]{32,48}'), 'weaviate', 'WEAVIATE_API_KEY'),
  named('qdrant-api-key', 'Qdrant', 'API key', b('[A-Za-z0-9_|-]{32,64}'), 'qdrant', 'QDRANT_API_KEY'),
  named('clarifai-pat', 'Clarifai', 'personal access token', b(hex(32)), 'clarifai', 'CLARIFAI_PAT'),

  // ---- databases, backends, auth ----
  prefixed('xata-api-key', 'Xata', 'API key', b('xau_[A-Za-z0-9]{32,}'), ['xau_'], 'XATA_API_KEY'),
  prefixed('cockroach-cloud-key', 'CockroachDB Cloud', 'API key', b('CCDB1_[A-Za-z0-9]{22}_[A-Za-z0-9]{40}'), ['ccdb1_'], 'COCKROACH_API_KEY'),
  prefixed('prisma-accelerate-url', 'Prisma', 'Accelerate / Postgres connection URL with API key',
    /\bprisma(?:\+postgres)?:\/\/[a-z0-9.-]+\/?\?api_key=eyJ[A-Za-z0-9_.-]{40,}/, ['api_key=eyj'], 'DATABASE_URL', { structured: true }),
  named('turso-token', 'Turso', 'database auth token', /\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{20,}/, 'turso|libsql', 'TURSO_AUTH_TOKEN', { structured: true }),
  named('upstash-token', 'Upstash', 'REST token', b('A[A-Za-z0-9]{40,90}='), 'upstash|kv_rest', 'UPSTASH_REDIS_REST_TOKEN'),
  named('fauna-secret', 'Fauna', 'secret', b('fn[A-Za-z0-9_-]{38}'), 'fauna', 'FAUNA_SECRET'),
  named('mongodb-atlas-key', 'MongoDB Atlas', 'API private key', bi(UUID), 'atlas', 'MONGODB_ATLAS_PRIVATE_KEY'),
  named('elastic-api-key', 'Elastic', 'API key', b('[A-Za-z0-9_-]{20}:[A-Za-z0-9_-]{22}|[A-Za-z0-9+/]{54,80}={0,2}'), 'elastic', 'ELASTIC_API_KEY'),
  named('meilisearch-master-key', 'Meilisearch', 'master / admin key', b('[A-Za-z0-9_-]{16,64}'), 'meili', 'MEILI_MASTER_KEY',
    { context: ({ names }) => /meili/i.test(names) && /master|admin/i.test(names) }),
  named('typesense-admin-key', 'Typesense', 'admin API key', b('[A-Za-z0-9]{32}'), 'typesense', 'TYPESENSE_ADMIN_API_KEY',
    { context: ({ names }) => /typesense/i.test(names) && /admin|master/i.test(names) }),
  named('snowflake-password', 'Snowflake', 'password', b('[^\\s\'"]{12,64}'), 'snowflake', 'SNOWFLAKE_PASSWORD',
    { context: ({ names }) => /snowflake/i.test(names) && /pass/i.test(names), judge: (m) => /\d/.test(m[0]) && /[A-Za-z]/.test(m[0]) ? 'report' : 'skip' }),
  prefixed('stytch-secret', 'Stytch', 'secret', b('secret-(?:live|test)-[A-Za-z0-9_=-]{36}'), ['secret-live-', 'secret-test-'], 'STYTCH_SECRET'),
  named('auth0-client-secret', 'Auth0', 'client secret', b('[A-Za-z0-9_-]{64}'), 'auth0', 'AUTH0_CLIENT_SECRET'),
  named('okta-api-token', 'Okta', 'API token', b('00[A-Za-z0-9_-]{40}'), 'okta', 'OKTA_API_TOKEN'),
  named('kinde-secret', 'Kinde', 'client secret', b('[A-Za-z0-9]{40,60}'), 'kinde', 'KINDE_CLIENT_SECRET'),
  named('magic-secret-key', 'Magic', 'secret key', b('sk_live_[A-F0-9]{16}'), '\\bmagic', 'MAGIC_SECRET_KEY'),
  named('privy-app-secret', 'Privy', 'app secret', b('[A-Za-z0-9]{80,100}'), 'privy', 'PRIVY_APP_SECRET'),
  named('nextauth-secret', 'Auth.js (NextAuth)', 'secret', b('[A-Za-z0-9+/=_-]{32,}'), 'nextauth|\\bauth_secret', 'AUTH_SECRET',
    { context: ({ names }) => /nextauth.?secret|^auth.?secret$|\bauth_secret\b/i.test(names) }),
  named('firebase-service-secret', 'Firebase', 'database secret', b('[A-Za-z0-9]{40}'), 'firebase', 'FIREBASE_DATABASE_SECRET',
    { context: ({ names }) => /firebase/i.test(names) && /secret|legacy.?token|db.?token/i.test(names) }),

  // ---- SaaS, CMS, productivity ----
  prefixed('hubspot-private-app-token', 'HubSpot', 'private app access token', bi(`pat-(?:na|eu|ap)\\d-${UUID}`), ['pat-na', 'pat-eu', 'pat-ap'], 'HUBSPOT_ACCESS_TOKEN'),
  prefixed('salesforce-access-token', 'Salesforce', 'access token', b('00D[A-Za-z0-9]{12,15}![A-Za-z0-9._]{90,100}'), ['00d'], 'SALESFORCE_ACCESS_TOKEN'),
  prefixed('asana-pat', 'Asana', 'personal access token', /\b[12]\/\d{13,20}(?:\/\d{13,20})?:[a-f0-9]{32}\b/, [':'], 'ASANA_ACCESS_TOKEN'),
  prefixed('trello-token', 'Trello', 'API token', b('ATTA[A-Za-z0-9]{64,72}'), ['atta'], 'TRELLO_TOKEN'),
  prefixed('clickup-token', 'ClickUp', 'personal API token', b('pk_\\d{6,10}_[A-Z0-9]{32}'), ['pk_'], 'CLICKUP_API_TOKEN'),
  named('monday-token', 'monday.com', 'API token', /\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{20,}/, 'monday', 'MONDAY_API_TOKEN', { structured: true }),
  named('todoist-token', 'Todoist', 'API token', b(hex(40)), 'todoist', 'TODOIST_API_TOKEN'),
  named('shortcut-token', 'Shortcut', 'API token', bi(UUID), 'shortcut|clubhouse', 'SHORTCUT_API_TOKEN'),
  named('pipedrive-token', 'Pipedrive', 'API token', b(hex(40)), 'pipedrive', 'PIPEDRIVE_API_TOKEN'),
  named('freshdesk-key', 'Freshworks', 'API key', b('[A-Za-z0-9]{20}'), 'freshdesk|freshworks|freshsales', 'FRESHDESK_API_KEY'),
  prefixed('dropbox-token', 'Dropbox', 'access token', b('sl\\.(?:u\\.)?[A-Za-z0-9_=-]{130,}'), ['sl.'], 'DROPBOX_ACCESS_TOKEN', { structured: true }),
  named('box-client-secret', 'Box', 'client secret', b('[A-Za-z0-9]{32}'), '\\bbox_', 'BOX_CLIENT_SECRET'),
  prefixed('frameio-token', 'Frame.io', 'developer token', b('fio-u-[A-Za-z0-9_=-]{64}'), ['fio-u-'], 'FRAMEIO_TOKEN'),
  prefixed('adobe-client-secret', 'Adobe', 'client secret', b('p8e-[A-Za-z0-9_-]{32}'), ['p8e-'], 'ADOBE_CLIENT_SECRET'),
  named('sanity-token', 'Sanity', 'API token', b('sk[A-Za-z0-9]{78,190}'), 'sanity', 'SANITY_API_TOKEN'),
  named('storyblok-token', 'Storyblok', 'management token', b('[A-Za-z0-9]{22,24}-\\d{5,7}-[A-Za-z0-9_-]{20}|[A-Za-z0-9]{22}tt'), 'storyblok', 'STORYBLOK_TOKEN'),
  named('strapi-token', 'Strapi', 'API token', b(hex(256)), 'strapi', 'STRAPI_API_TOKEN'),
  named('datocms-token', 'DatoCMS', 'API token', b('[a-f0-9]{30}'), 'dato', 'DATOCMS_API_TOKEN'),
  named('prismic-token', 'Prismic', 'access token', /\bMC5[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_*%-]{20,}/, 'prismic', 'PRISMIC_ACCESS_TOKEN'),
  named('webflow-token', 'Webflow', 'API token', b(hex(64)), 'webflow', 'WEBFLOW_API_TOKEN'),
  named('shopify-storefront-private', 'Shopify', 'private Storefront token', b(hex(32)), 'shopify', 'SHOPIFY_STOREFRONT_PRIVATE_TOKEN',
    { context: ({ names }) => /shopify/i.test(names) && /private|admin|secret|password/i.test(names) }),
  named('bigcommerce-token', 'BigCommerce', 'API token', b('[a-z0-9]{31}'), 'bigcommerce', 'BIGCOMMERCE_ACCESS_TOKEN'),
  prefixed('cloudinary-url', 'Cloudinary', 'URL with API secret', /\bcloudinary:\/\/\d{10,16}:([A-Za-z0-9_-]{20,40})@[a-z0-9_-]+/, ['cloudinary://'], 'CLOUDINARY_URL',
    { secretGroup: 1, judge: (m) => /x{4,}|your|secret|<|\$\{/i.test(m[1]) ? 'skip' : 'report' }),
  named('mux-token-secret', 'Mux', 'token secret', b('[A-Za-z0-9+/]{60,80}'), '\\bmux', 'MUX_TOKEN_SECRET'),
  named('imagekit-private-key', 'ImageKit', 'private key', b('private_[A-Za-z0-9+/=]{28}'), 'imagekit', 'IMAGEKIT_PRIVATE_KEY'),
  named('openweather-key', 'OpenWeather', 'API key', b(hex(32)), 'openweather|\\bowm', 'OPENWEATHER_API_KEY'),
  named('here-api-key', 'HERE', 'API key', b('[A-Za-z0-9_-]{43}'), '\\bhere_', 'HERE_API_KEY'),

  // ---- observability, analytics, feature flags ----
  prefixed('new-relic-license-key', 'New Relic', 'license / ingest key', b('(?:[a-f0-9]{36}NRAL|NRII-[A-Za-z0-9_-]{32})'), ['nral', 'nrii-'], 'NEW_RELIC_LICENSE_KEY'),
  prefixed('honeybadger-key', 'Honeybadger', 'personal auth token', b('hbp_[A-Za-z0-9]{36}'), ['hbp_'], 'HONEYBADGER_API_KEY'),
  named('rollbar-token', 'Rollbar', 'server access token', b(hex(32)), 'rollbar', 'ROLLBAR_ACCESS_TOKEN',
    { context: ({ names }) => /rollbar/i.test(names) && !/client|browser|public/i.test(names) && /token|key/i.test(names) }),
  named('bugsnag-key', 'Bugsnag', 'API key', b(hex(32)), 'bugsnag', 'BUGSNAG_API_KEY'),
  named('honeycomb-key', 'Honeycomb', 'API key', b('hc[a-z]{2}[ck]_[a-z0-9]{58}|[A-Za-z0-9]{22}|[a-f0-9]{32}'), 'honeycomb', 'HONEYCOMB_API_KEY'),
  named('logtail-token', 'Better Stack (Logtail)', 'source token', b('[A-Za-z0-9]{24}'), 'logtail|betterstack|better_stack', 'LOGTAIL_SOURCE_TOKEN'),
  named('splunk-hec-token', 'Splunk', 'HEC token', bi(UUID), 'splunk', 'SPLUNK_HEC_TOKEN'),
  named('pagerduty-key', 'PagerDuty', 'API key', b('[A-Za-z0-9_+-]{20}|u\\+[A-Za-z0-9_-]{18}'), 'pagerduty', 'PAGERDUTY_API_KEY'),
  named('opsgenie-key', 'Opsgenie', 'API key', bi(UUID), 'opsgenie', 'OPSGENIE_API_KEY'),
  named('mixpanel-secret', 'Mixpanel', 'API secret', b(hex(32)), 'mixpanel', 'MIXPANEL_API_SECRET',
    { context: ({ names }) => /mixpanel/i.test(names) && /secret|service.?account|password/i.test(names) }),
  named('amplitude-secret', 'Amplitude', 'secret key', b(hex(32)), 'amplitude', 'AMPLITUDE_SECRET_KEY',
    { context: ({ names }) => /amplitude/i.test(names) && /secret/i.test(names) }),
  named('segment-write-key', 'Segment', 'write key (server)', b('[A-Za-z0-9]{32}'), 'segment', 'SEGMENT_WRITE_KEY',
    { context: ({ names }) => /segment/i.test(names) && /write.?key|secret|token/i.test(names) && !/public|next_public|vite_/i.test(names) }),
  prefixed('launchdarkly-sdk-key', 'LaunchDarkly', 'SDK / API key', bi(`(?:sdk|api)-${UUID}`), ['sdk-', 'api-'], 'LAUNCHDARKLY_SDK_KEY'),
  prefixed('statsig-server-secret', 'Statsig', 'server secret key', b('secret-[A-Za-z0-9]{43}'), ['secret-'], 'STATSIG_SERVER_SECRET'),
  named('split-api-key', 'Split', 'server-side API key', b('[a-z0-9]{36}'), '\\bsplit', 'SPLIT_API_KEY'),
  // the legacy DSN form carried the project's secret key after the public one
  prefixed('sentry-dsn-secret', 'Sentry', 'legacy DSN with secret key', /https:\/\/[a-f0-9]{32}:[a-f0-9]{32}@[a-z0-9.-]*sentry\.io\/\d+/, ['sentry.io'], 'SENTRY_DSN'),

  // ---- web3 ----
  named('alchemy-api-key', 'Alchemy', 'API key', b('[A-Za-z0-9_-]{32}'), 'alchemy', 'ALCHEMY_API_KEY'),
  named('infura-secret', 'Infura', 'API key secret', b(hex(32)), 'infura', 'INFURA_API_KEY_SECRET'),
  named('etherscan-key', 'Etherscan', 'API key', b('[A-Z0-9]{34}'), 'etherscan|bscscan|polygonscan', 'ETHERSCAN_API_KEY'),
  named('moralis-key', 'Moralis', 'API key', /\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{20,}/, 'moralis', 'MORALIS_API_KEY', { structured: true }),
  named('ethereum-private-key', 'Ethereum', 'wallet private key', b('(?:0x)?[a-f0-9]{64}'), '(wallet|deployer|signer|eth|evm|owner|account|mnemonic).{0,12}private.?key|^private.?key$|\\bprivate_key\\b', 'DEPLOYER_PRIVATE_KEY',
    { context: ({ names, modules }) => /(wallet|deployer|signer|eth|evm|owner|account|hardhat|foundry).{0,12}private.?key/i.test(names) || (/ethers|viem|web3|hardhat/.test(modules) && /private.?key/i.test(names)) }),

  // ---- key files ----
  // `\\n` too: the file pasted into a string literal or a JSON value
  prefixed('putty-private-key', 'PuTTY', 'private key file', /PuTTY-User-Key-File-\d: [a-z0-9-]+(?:\s|\\n)+Encryption: [a-z0-9-]+[\s\S]{0,400}?Private-Lines: \d+(?:\s|\\n)+(?:[A-Za-z0-9+/=\s]|\\n){64,}/, ['putty-user-key-file'], 'SSH_PRIVATE_KEY', { structured: true }),
];
