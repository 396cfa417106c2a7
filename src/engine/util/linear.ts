/**
 * Small string helpers written as loops where the obvious regular expression backtracks super-linearly on
 * hostile input (a long run of spaces with no comment after it, say). test/hardening/regex-safety.test.ts checks
 * every regex in src/; these keep the same meaning without one.
 */

const isBlank = (c: string) => c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v';

/**
 * Cuts a trailing comment: the first run of whitespace followed by one of `markers`, and everything after it
 * (`value  # note` → `value`). The same as `s.replace(/\s+#.*$/, '')` (or `/[ \t]+[#;].*$/` with
 * `blanks: ' \t'`), in one pass.
 */
export function stripTrailingComment(s: string, markers = '#', blanks?: string): string {
  const blank = blanks ? (c: string) => blanks.includes(c) : isBlank;
  let i = 0;
  while (i < s.length) {
    if (!blank(s[i])) { i++; continue; }
    const start = i;
    while (i < s.length && blank(s[i])) i++;
    if (i < s.length && markers.includes(s[i])) {
      // `.*$` without the s flag stops at a line break: keep what follows the comment's line
      const nl = s.slice(i).search(/[\n\r\u2028\u2029]/);
      return nl < 0 ? s.slice(0, start) : s.slice(0, start) + s.slice(i + nl);
    }
  }
  return s;
}

/** Spaces and tabs cut from both ends (what `/^[ \t]*(.*?)[ \t]*$/` captures), in one pass. */
export function trimBlanks(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && (s[a] === ' ' || s[a] === '\t')) a++;
  while (b > a && (s[b - 1] === ' ' || s[b - 1] === '\t')) b--;
  return s.slice(a, b);
}
