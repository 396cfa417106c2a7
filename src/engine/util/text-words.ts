/**
 * The rules' cheap pre-filters on a file's whole text, in one pass: each rule used to run its own regular expression
 * over the text (`/rejectUnauthorized|strictSSL|…/`, `/cvv|cvc|card|…/i`), some twenty passes over every file of a
 * scan, most finding nothing. A rule now names words that every match of its expression holds (in any ASCII case),
 * and runs the expression only on a text that holds one of them: the answer is the expression's, the passes over a
 * text that holds none of the words are one automaton pass shared by all the rules (KeywordSet with `foldCase`).
 *
 * The words must be necessary: a match of the expression that held none of them would be missed. Every use is
 * checked against its expression on every fixture, test project and example (test/unit/text-words.test.ts).
 */
import { KeywordSet } from '../secrets/keyword-scan';
import { includesAny } from './text';

/** every word a pre-filter declared, lowercased */
const declared = new Set<string>();
let automaton: KeywordSet | undefined;
/** the latest text asked about, and the declared words it holds */
let lastText: string | undefined;
let lastFound: Set<string> = new Set();
/** how many times words were declared after a pass: a kept answer from an earlier list of words is not taken */
let generation = 0;

/** Declares words (ASCII; matched in any case) for mentionsAny and gives them back lowercased, as it takes them. */
function textWords(words: readonly string[]): readonly string[] {
  const lower = words.map((w) => {
    if (!/^[\x00-\x7f]+$/.test(w) || !w) throw new Error(`textWords: not an ASCII word: ${JSON.stringify(w)}`);
    return w.toLowerCase();
  });
  let added = false;
  for (const w of lower) if (!declared.has(w)) { declared.add(w); added = true; }
  if (added) { automaton = undefined; lastText = undefined; generation++; }
  return lower;
}

/** The shared pass's answer for a text, kept to be handed back for the same text later (primeWords). */
export interface KeptWords { readonly generation: number; readonly found: ReadonlySet<string> }

/**
 * The shared pass's answer for `text` when it is the latest text asked about (undefined otherwise): a file's pre-pass
 * (the summary, in the model's pass over the files) keeps it for the file's analysis, which comes after every other
 * file's pre-pass and would otherwise read the whole text again.
 */
export function keptWords(text: string): KeptWords | undefined {
  return text === lastText ? { generation, found: lastFound } : undefined;
}

/** Takes back the answer keptWords gave for this text, unless words were declared since. */
export function primeWords(text: string, kept: KeptWords): void {
  if (kept.generation !== generation || text === lastText) return;
  lastText = text;
  lastFound = kept.found as Set<string>;
}

/**
 * Declares words for the shared pass outside a pre-filter (project-model/text-signs) and gives them back lowercased;
 * wordsIn tells which of them a text holds.
 */
export function sharedWords(words: readonly string[]): readonly string[] {
  return textWords(words);
}

/** The declared words (lowercased) that the text holds in some ASCII case: the shared pass's answer for the text. */
export function wordsIn(text: string): ReadonlySet<string> {
  if (text !== lastText) {
    automaton ??= new KeywordSet(declared, { foldCase: true });
    lastFound = automaton.in(text);
    lastText = text;
  }
  return lastFound;
}

/**
 * Whether the text holds one of the words (as textWords gave them), in any ASCII case. The declared words are looked
 * for in one pass, on the first question about a text; the answer is kept for that text.
 */
function mentionsAny(text: string, words: readonly string[]): boolean {
  const found = wordsIn(text);
  for (let i = 0; i < words.length; i++) if (found.has(words[i])) return true;
  return false;
}

/** A rule's pre-filter: its expression (or words looked for with `includes`), and words every match of it holds. */
export interface TextPrefilter {
  /** the full test: a regular expression (no `g` or `y` flag), or words of which one must occur as given */
  readonly pattern: RegExp | readonly string[];
  /** lowercased: one of them occurs, in some case, in every text the pattern matches */
  readonly words: readonly string[];
  /** the pattern's answer on the text, asked only when the text holds one of the words */
  test(text: string): boolean;
  /** the words alone give the pattern's answer (exactWords): the pattern is not run */
  readonly exact: boolean;
  /**
   * `test` for a text other than the file's (its escapes cooked): its words looked for by an automaton of the
   * pre-filter's own, so that the shared pass keeps its answer for the file's text
   */
  other(text: string): boolean;
}

/**
 * Whether holding one of the words (in any ASCII case) already means that the pattern matches: the pattern is an
 * alternation of plain ASCII letters, digits, spaces, `_` and `-` (`/cookie|session/i`), matched with the `i` flag
 * and without `u` or `v` (without them, `i` never folds a character outside ASCII into one inside it, as the
 * automaton's case folding does not), and each word holds one of the alternatives. Then a text holding a word holds
 * an alternative, and (the words being necessary) the converse holds too.
 */
export function exactWords(pattern: RegExp | readonly string[], words: readonly string[]): boolean {
  if (!(pattern instanceof RegExp) || !/^[ims]*$/.test(pattern.flags) || !pattern.flags.includes('i')) return false;
  const alternatives = pattern.source.split('|');
  if (!alternatives.every((a) => /^[A-Za-z0-9 _-]+$/.test(a))) return false;
  const lower = alternatives.map((a) => a.toLowerCase());
  return words.length > 0 && words.every((w) => lower.some((a) => w.toLowerCase().includes(a)));
}

/** every pre-filter made, for the test that compares each with its pattern alone */
export const textPrefilters: TextPrefilter[] = [];

/**
 * A pre-filter, made once per rule when its module loads (see the top of this file). `same`, when given, answers as
 * the pattern does, faster (util/text.ts: boundedWordIn, memberCallIn): it runs instead of the pattern, told which of
 * the pre-filter's words (lowercased) the text holds in some case (`found`; undefined: not known, any of them may),
 * so that it looks only for what can be there; the test of this file checks that it answers as the pattern.
 */
export function textPrefilter(pattern: RegExp | readonly string[], words: readonly string[],
  same?: (text: string, found: ReadonlySet<string> | undefined) => boolean): TextPrefilter {
  if (pattern instanceof RegExp && (pattern.global || pattern.sticky)) throw new Error(`textPrefilter: ${pattern} keeps a position between calls`);
  const lower = textWords(words);
  const full = same ? (text: string) => same(text, text === lastText ? lastFound : undefined)
    : pattern instanceof RegExp ? (text: string) => pattern.test(text) : (text: string) => includesAny(text, pattern);
  const exact = exactWords(pattern, lower);
  let own: KeywordSet | undefined;
  const ownHits: number[] = [];
  const p: TextPrefilter = {
    pattern, words: lower, exact,
    test: exact ? (text) => mentionsAny(text, lower) : (text) => mentionsAny(text, lower) && full(text),
    other: (text) => {
      (own ??= new KeywordSet(lower, { foldCase: true })).indicesIn(text, ownHits);
      return ownHits.length > 0 && (exact || full(text));
    },
  };
  textPrefilters.push(p);
  return p;
}
