/**
 * Two questions the module facts ask of every file's whole text: whether it serves HTML pages (SERVES_PAGES) and
 * whether it mentions sessions, cookies, CSRF or the Origin header (SESSION_MENTIONS, sessions.ts). Each was a
 * case-insensitive regular expression run over the text, most often finding nothing in a whole bundle. Both now read
 * the words of both in the rules' shared pass over the text (util/text-words, any ASCII case): an alternative of an
 * expression that is a word as written answers by the word alone; the expression runs only on a text that holds none
 * of those but holds the word every other alternative starts with (`.html` of `\.html\b`). The answers are the
 * expressions' (test/unit/model-text-signs.test.ts, on every file and line of the fixtures, test projects and
 * examples, and on texts with each word in odd cases).
 */
import { sharedWords, wordsIn } from '../util/text-words';

/** Signs that a file serves HTML pages or files (kept in step with missing-security-headers). */
export const SERVES_PAGES = /\.render\(|view engine|express\.static\(|serve-static|sendFile\(|\.html\b|text\/html|\.type\(\s*['"]html|\.send\(\s*[`'"]\s*<|<!DOCTYPE|res\.write\(\s*[`'"]\s*</i;
/** Files that mention none of these have no session facts (sessions.ts). */
export const SESSION_MENTIONS = /session|cookie|csrf|xsrf|origin|referer|sec-fetch|authorization|requested-with|\.xhr\b|next-auth|@auth\/|supabase|clerk|lucia|better-auth|auth0|kinde/i;

interface Sign {
  readonly pattern: RegExp;
  /** alternatives that are words as written (lowercase): one in the text is a match */
  readonly whole: readonly string[];
  /** the words the other alternatives start with (lowercase): without one of them or of `whole`, no match */
  readonly starts: readonly string[];
}

export const SIGNS = {
  servesPages: {
    pattern: SERVES_PAGES,
    whole: ['.render(', 'view engine', 'express.static(', 'serve-static', 'sendfile(', 'text/html', '<!doctype'],
    starts: ['.html', '.type(', '.send(', 'res.write('],
  },
  sessions: {
    pattern: SESSION_MENTIONS,
    whole: ['session', 'cookie', 'csrf', 'xsrf', 'origin', 'referer', 'sec-fetch', 'authorization', 'requested-with', 'next-auth', '@auth/', 'supabase', 'clerk', 'lucia', 'better-auth', 'auth0', 'kinde'],
    starts: ['.xhr'],
  },
} satisfies Record<string, Sign>;

// the words of both signs join the rules' shared pass over each text (util/text-words), read once for all of them
sharedWords(Object.values(SIGNS).flatMap((s) => [...s.whole, ...s.starts]));

function holdsAny(found: ReadonlySet<string>, words: readonly string[]): boolean {
  for (let i = 0; i < words.length; i++) if (found.has(words[i])) return true;
  return false;
}

/** `SIGNS[name].pattern.test(text)`, from the shared pass over the text. */
export function textSign(text: string, name: keyof typeof SIGNS): boolean {
  const found = wordsIn(text);
  const sign: Sign = SIGNS[name];
  if (holdsAny(found, sign.whole)) return true;
  return holdsAny(found, sign.starts) && sign.pattern.test(text);
}
