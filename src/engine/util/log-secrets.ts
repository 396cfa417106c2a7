/**
 * Which names in a log line are secrets, shared by the JavaScript and Python sides of `sensitive-data-in-log`: pure
 * functions of a name (or a file's path), no syntax tree. A name is split into words (`apiKey`, `api_key`,
 * `API_KEY` → api, key); secret words and pairs make it a secret, words about a secret (`passwordLength`,
 * `token_count`, `hasToken`, `token_id`) make it not one.
 */
import { nameWords } from './name-words';

/** Words that make a name a secret or credential. */
export const SECRET_WORDS = new Set(['password', 'passwords', 'passwd', 'pwd', 'passphrase', 'passcode', 'secret', 'secrets', 'token', 'tokens',
  'apikey', 'authorization', 'cookie', 'cookies', 'ssn', 'cvv', 'cvc', 'cvv2', 'jwt', 'bearer', 'otp', 'pin', 'credentials', 'credential',
  'privatekey', 'mnemonic']);
/** LLM and parser token counts: `totalTokens`, `promptTokens`, `usage.tokens`. */
const TOKEN_COUNT = new Set(['total', 'prompt', 'completion', 'used', 'remaining', 'max', 'num', 'input', 'output', 'usage', 'context', 'estimated', 'cached', 'reasoning']);
/** Two-word secrets: `apiKey`, `creditCard`, `cardNumber`, `privateKey`, `authHeader`, `sessionId`, `accountNumber`. */
const SECRET_PAIRS = [['api', 'key'], ['credit', 'card'], ['card', 'number'], ['private', 'key'], ['secret', 'key'], ['access', 'key'],
  ['auth', 'header'], ['session', 'id'], ['account', 'number'], ['social', 'security'], ['client', 'secret'], ['signing', 'key'],
  ['encryption', 'key'], ['set', 'cookie'], ['routing', 'number'], ['iban'], ['auth', 'code']];
/** Words that make a name a property *about* a secret, not the secret: `passwordLength`, `tokenType`, `hasPassword`. */
const NOT_SECRET = new Set(['length', 'len', 'count', 'size', 'has', 'is', 'valid', 'invalid', 'expires', 'expiry', 'expired', 'exp',
  'expiration', 'type', 'name', 'names', 'id', 'ids', 'at', 'changed', 'updated', 'hash', 'hashed', 'required', 'policy', 'strength',
  'match', 'matches', 'url', 'uri', 'endpoint', 'path', 'field', 'fields', 'prefix', 'suffix', 'masked', 'redacted', 'preview',
  'present', 'provided', 'exists', 'missing', 'status', 'error', 'errors', 'message', 'limit', 'ttl', 'version', 'format', 'source',
  'strategy', 'mode', 'fingerprint', 'last4', 'hint', 'label', 'key', 'env', 'var', 'header', 'headers', 'count', 'usage', 'cost',
  'method', 'methods', 'scheme', 'algorithm',
  'budget', 'estimate', 'tokenizer', 'index', 'set', 'enabled', 'reset', 'sent', 'option', 'options', 'config', 'rotation', 'scope', 'scopes',
  'lifetime', 'max', 'min', 'age', 'domain', 'parser', 'store', 'jar', 'consent', 'banner', 'placeholder']);
export const SENSITIVE_HEADERS = /^(authorization|cookie|set-cookie|x-api-key|api-key|x-auth-token|proxy-authorization|x-access-token|x-csrf-token|x-xsrf-token)$/i;
export const ENV_SECRET = /SECRET|PASSWORD|PASSWD|TOKEN|PRIVATE|CREDENTIAL|(^|_)(API_?)?KEY($|_)|DATABASE_URL|DB_URL|MONGO(DB)?_URI|MONGO(DB)?_URL|REDIS_URL|POSTGRES_URL|CONNECTION_STRING|DSN$/;
export const ENV_PUBLIC = /^(NEXT_PUBLIC_|VITE_|REACT_APP_|PUBLIC_|EXPO_PUBLIC_|NUXT_PUBLIC_)|PUBLISHABLE|PUBLIC_KEY/;
/** Whether a name (identifier, property, dict key) names a secret value: a password, a token, an API key, a card number. */
export function isLoggedSecretName(name: string): boolean {
  const words = nameWords(name);
  if (!words.length) return false;
  const last = words[words.length - 1];
  if (words.some((w) => w === 'has' || w === 'is' || w === 'should' || w === 'show' || w === 'needs')) return false;
  if (NOT_SECRET.has(last) && !(last === 'key' && words.length > 1) && !(last === 'id' && words.includes('session')) && !(last === 'header' && words.includes('auth'))) return false;
  if (words.some((w) => w === 'token' || w === 'tokens') && words.some((w) => TOKEN_COUNT.has(w))) return false;
  if (words.some((w) => SECRET_WORDS.has(w))) return true;
  return SECRET_PAIRS.some((pair) => pair.every((w) => words.includes(w)));
}

/**
 * Words of the things an AI app runs conversations with: `{ agentId, sessionId }` or `{ chatId, sessionId }` logs the
 * session of an agent's or a chat's conversation (the key its messages are kept under), not a sign-in session.
 */
export const CONVERSATION_WORDS = new Set(['agent', 'agents', 'chat', 'chats', 'conversation', 'thread', 'chatflow', 'chatbot', 'assistant', 'bot']);

/** `sessionId`, `chatSessionId`: the id of a session, secret by the pair of words alone (no secret word of its own). */
export function isSessionIdName(name: string): boolean {
  const words = nameWords(name);
  return words.length > 1 && words[words.length - 1] === 'id' && words.includes('session') && !words.some((w) => SECRET_WORDS.has(w));
}

/**
 * A file about chats or AI agents, by its name or its folder's (`chat-hub/chat-stream-state.service.js`,
 * `ai/agentLogs/indexQueue.ts`): the sessions it speaks of are conversations.
 */
export function conversationFile(path: string): boolean {
  const parts = path.replace(/\\/g, '/').split('/').slice(-2);
  return parts.some((p) => nameWords(p.replace(/\.[^.]*$/, '')).some((w) => CONVERSATION_WORDS.has(w)));
}

