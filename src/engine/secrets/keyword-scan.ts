/**
 * Which of a set of keywords occur in a text, in one pass over it: an Aho–Corasick automaton with every transition
 * in a table. The secret scan asks this of every big text (a bundle of several megabytes): one alternation of the
 * catalog's ~300 keywords, run with a restart after every match, tried each alternative at each position and was a
 * third of a second on a real app's built assets; the automaton reads each character once.
 *
 * Keywords are matched as they are given, against the text as it is given (the caller lowercases both), or with
 * `foldCase` in any ASCII case: the keywords are lowercased and `A`–`Z` in the text are read as `a`–`z` (the answer of
 * a regular expression with the `i` flag and no `u`, where no character outside ASCII matches an ASCII letter).
 * Characters outside ASCII take the automaton back to its start: a keyword with such a character is refused when the
 * set is made.
 */
/**
 * The trie of keywords: each state's children by character code (state 0 is the root), and the keywords (by index)
 * that end at each state.
 */
export function keywordTrie(keywords: readonly string[]): { goto: Map<number, number>[]; own: number[][] } {
  const goto: Map<number, number>[] = [new Map()];
  const own: number[][] = [[]];
  keywords.forEach((k, index) => {
    let s = 0;
    for (let i = 0; i < k.length; i++) {
      const c = k.charCodeAt(i);
      let t = goto[s].get(c);
      if (t === undefined) { t = goto.length; goto.push(new Map()); own.push([]); goto[s].set(c, t); }
      s = t;
    }
    own[s].push(index);
  });
  return { goto, own };
}

export class KeywordSet {
  private readonly keywords: readonly string[];
  /** next state by state × character (7 bits); `~state` (negative) for a state where keywords end (see `outputs`) */
  private readonly delta: Int32Array;
  /** the keywords that end at a state, its own and those of its suffixes (by failure link), or none */
  private readonly outputs: (readonly number[] | undefined)[];
  /** states whose outputs were taken in the current text (stamped with a generation number: no clearing) */
  private readonly stamp: Uint32Array;
  private generation = 0;

  constructor(keywords: Iterable<string>, options: { foldCase?: boolean } = {}) {
    const given = [...keywords].filter((k) => k.length > 0);
    for (const k of given) {
      if (!/^[\x00-\x7f]+$/.test(k)) throw new Error(`KeywordSet: keyword outside ASCII: ${JSON.stringify(k)}`);
    }
    this.keywords = [...new Set(options.foldCase ? given.map((k) => k.toLowerCase()) : given)];
    const { goto, own } = keywordTrie(this.keywords);
    // failure links, breadth first, and the full transition table. A transition into a state where keywords end
    // is marked in the table itself (`~state`): the scan reads one number per character and looks at `outputs` only
    // there. A state's row is its failure state's row (a copy: the failure state is shallower, its row is complete
    // and marked) with its own children written over it, then (foldCase) its uppercase letters made to go where the
    // lowercase ones go. A state's children, not 128 lookups per state: building the table is on the start-up path
    // of every scan (~15 ms the other way on a cold start)
    const n = goto.length;
    const delta = new Int32Array(n * 128);
    const fail = new Int32Array(n);
    const ends = new Uint8Array(n);
    const outputs: (number[] | undefined)[] = new Array(n);
    outputs[0] = own[0].length ? own[0] : undefined;
    const queue: number[] = [];
    const fold = (row: number) => { if (options.foldCase) delta.copyWithin(row + 65, row + 97, row + 123); };
    for (const [c, t] of goto[0]) {
      ends[t] = own[t].length ? 1 : 0;
      delta[c] = ends[t] ? ~t : t;
      queue.push(t);
    }
    fold(0);
    for (let q = 0; q < queue.length; q++) {
      const s = queue[q];
      const inherited = outputs[fail[s]];
      outputs[s] = own[s].length || inherited ? [...own[s], ...(inherited ?? [])] : undefined;
      const f = fail[s] * 128, row = s * 128;
      delta.copyWithin(row, f, f + 128);
      for (const [c, t] of goto[s]) {
        const v = delta[f + c];
        fail[t] = v < 0 ? ~v : v;
        ends[t] = own[t].length || ends[fail[t]] ? 1 : 0;
        delta[row + c] = ends[t] ? ~t : t;
        queue.push(t);
      }
      fold(row);
    }
    this.delta = delta;
    this.outputs = outputs;
    this.stamp = new Uint32Array(n);
  }

  /** The keywords, each once (lowercased with `foldCase`): indicesIn answers by index in this list. */
  list(): readonly string[] {
    return this.keywords;
  }

  /**
   * The keywords that occur in `text`, as `in` finds them, by index in `list()` (a keyword possibly more than once),
   * written into `out` (emptied first): no set made, for callers that ask of many short texts.
   */
  indicesIn(text: string, out: number[]): void {
    out.length = 0;
    if (++this.generation === 0xffffffff) { this.stamp.fill(0); this.generation = 1; }
    const g = this.generation;
    const { delta, outputs, stamp } = this;
    let s = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c >= 128) { s = 0; continue; }
      s = delta[(s << 7) | c];
      if (s < 0) {
        s = ~s;
        if (stamp[s] !== g) {
          stamp[s] = g;
          const found = outputs[s]!;
          for (let j = 0; j < found.length; j++) out.push(found[j]);
        }
      }
    }
  }

  /**
   * Whether any keyword occurs in `text` (indicesIn would find one), stopping at the first: a transition into a state
   * where a keyword ends is marked in the table, so this reads one number per character and nothing else.
   */
  hasAny(text: string): boolean {
    const delta = this.delta;
    let s = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c >= 128) { s = 0; continue; }
      s = delta[(s << 7) | c];
      if (s < 0) return true;
    }
    return false;
  }

  /** indicesIn's answer for `in` (reused: `in` is asked of every file of a scan) */
  private readonly hits: number[] = [];

  /** The keywords that occur in `text` (anywhere, overlapping or inside one another). */
  in(text: string): Set<string> {
    const hits = this.hits;
    this.indicesIn(text, hits);
    const found = new Set<string>();
    for (let j = 0; j < hits.length; j++) found.add(this.keywords[hits[j]]);
    return found;
  }
}
