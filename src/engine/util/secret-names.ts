/**
 * Names that say a value is a secret (`resetToken`, `otp_code`, `api_key`) or a setting around one (`tokenExpiry`,
 * `password_length`), for the insecure-randomness rule in JavaScript and Python (words are split from camelCase
 * and snake_case alike).
 */
import { nameWords } from './name-words';

/** Words that on their own make a name a secret: `resetToken`, `otp`, `csrfSecret`, `sessionId`, `salt`. */
export const SECRET_WORDS = new Set(['token', 'tokens', 'secret', 'secrets', 'password', 'passwd', 'pwd', 'passphrase', 'otp', 'totp',
  'hotp', 'nonce', 'salt', 'csrf', 'xsrf', 'credential', 'credentials', 'session', 'sessionid', 'sid', 'apikey', 'jwt', 'pin',
  'passcode', 'mfa', '2fa', 'twofa', 'captcha', 'verifier', 'bearer']);
/** `key` counts only with a qualifier: `apiKey`, `secretKey` (React `key`s, cache keys do not). */
const KEY_QUALIFIERS = new Set(['api', 'secret', 'access', 'private', 'encryption', 'signing', 'auth', 'license', 'licence',
  'client', 'master', 'crypto', 'hmac', 'session', 'invite', 'recovery', 'activation']);
/** `code` counts only with a qualifier: `verificationCode`, `resetCode`, `inviteCode` (not `colorCode`, `couponCode`). */
const CODE_QUALIFIERS = new Set(['verification', 'verify', 'reset', 'otp', 'auth', 'authorization', 'login', 'signin', 'confirm',
  'confirmation', 'invite', 'invitation', 'sms', 'mfa', 'twofa', '2fa', 'security', 'activation', 'access', 'recovery',
  'backup', 'magic', 'email', 'phone', 'one', 'pairing', 'unlock']);
/** `id`/`link`/`url` count with: `sessionId` (covered by session), `resetLink`, `magicLink`, `inviteLink`. */
const LINK_QUALIFIERS = new Set(['reset', 'magic', 'invite', 'invitation', 'verification', 'verify', 'activation', 'confirm', 'confirmation', 'login']);
/** Words that make a name a number or a setting around a secret, not the secret: `tokenExpiry`, `otpLength`. */
export const NOT_SECRET = new Set(['length', 'len', 'count', 'size', 'expiry', 'expires', 'expiration', 'exp', 'ttl', 'timeout', 'delay',
  'interval', 'rounds', 'index', 'idx', 'attempts', 'attempt', 'retry', 'retries', 'jitter', 'at', 'duration', 'ms', 'seconds',
  'age', 'position', 'width', 'height', 'color', 'colour', 'offset', 'limit', 'max', 'min', 'chance', 'probability', 'rate',
  'percent', 'ratio', 'threshold', 'sample', 'sampling', 'weight', 'score', 'type', 'name', 'label', 'placeholder', 'field',
  'input', 'visible', 'show', 'hidden', 'loading', 'animation', 'key']);
/** Generic names that say nothing: look at the enclosing function (`function createSession() { const id = … }`). */
const GENERIC = new Set(['id', 'value', 'val', 'result', 'res', 'str', 's', 'out', 'output', 'random', 'rand', 'r', 'rnd', 'text',
  'string', 'chars', 'code', 'default', 'ret', 'tmp', 'temp', 'x', 'n', 'num', 'hex', 'buf', 'data', 'uid', 'uuid', 'suffix',
  'part', 'parts', 'char', 'c', 'ch', 'i', 'digits', 'key', 'k', 'state', 'bytes', 'hash', 'seed']);

/** Whether a name denotes a security value; `key`-, `code`- and `link`-words need a qualifier. */
export function isSecretName(name: string): boolean {
  const words = nameWords(name);
  if (!words.length) return false;
  const last = words[words.length - 1];
  if (NOT_SECRET.has(last) && last !== 'key') return false;
  if (words.some((w) => SECRET_WORDS.has(w))) return true;
  if (last === 'key' || last === 'keys') return words.slice(0, -1).some((w) => KEY_QUALIFIERS.has(w));
  if (last === 'code' || last === 'codes') return words.slice(0, -1).some((w) => CODE_QUALIFIERS.has(w));
  if (last === 'link' || last === 'url' || last === 'id') return words.slice(0, -1).some((w) => LINK_QUALIFIERS.has(w));
  return false;
}

/** Words that make a name secret-looking but are also used for harmless things (dev-server or analytics sessions). */
const WEAK_WORDS = new Set(['session', 'sessionid', 'sid']);
export function isReplayNonce(name: string): boolean {
  const words = nameWords(name);
  return words.includes('nonce') && words.some((w) => w === 'signature' || w === 'request' || w === 'api' || w === 'sign') &&
    !words.some((w) => w === 'csp' || w === 'script' || w === 'style' || w === 'oauth' || w === 'oidc' || w === 'openid' || w === 'auth');
}

export function onlyWeakWords(name: string): boolean {
  if (name.startsWith('/')) return false;
  const words = nameWords(name);
  return words.some((w) => WEAK_WORDS.has(w)) && !words.some((w) => SECRET_WORDS.has(w) && !WEAK_WORDS.has(w)) &&
    !(words[words.length - 1] === 'key' && words.slice(0, -1).some((w) => KEY_QUALIFIERS.has(w) && w !== 'session'));
}

export function isGeneric(name: string): boolean {
  return GENERIC.has(name.toLowerCase()) || /^(generate|gen|make|create|random|get|new)?(id|string|str|hex|chars|random|code|key|suffix|uid)$/i.test(name);
}

