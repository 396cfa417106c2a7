/**
 * What a file's analysis asked the project model, so that its cached result (`scan --cache`) is reused only while
 * the model still gives the same answers, and not only while the whole model is unchanged.
 *
 * A file's analysis is a deterministic function of its path, its text, the configuration, the rules, the build,
 * what other modules pass into it (inter-procedural taint, keyed apart) and the project model. The analysis sees
 * the model only through the methods and properties of the ProjectModel object it is given (the rules' `ctx.project`,
 * analyze.ts's `withFile` and `toolingScript`, the fix verification). Here that object is a recording proxy: each call
 * is stored with its arguments and a digest of its answer. Later, against the current model, every stored call is
 * asked again: when every answer is the same, the analysis would take the same steps and give the same result (by
 * induction over its calls), so the cached result is that result. Any answer that differs, or a call that cannot be
 * asked again (arguments or answers that are not plain data), and the file is analysed again.
 *
 * So editing the body of a function in one file does not invalidate the results of files that never asked about it;
 * a file that asked for the whole route table depends on every route (as it should).
 *
 * `withFile(facts)`: the model seen with the analysed file's own facts. When the model already holds them (a CLI scan)
 * the call is recorded as a `facts(file)` read: the same answer later means `withFile` again returns the model itself.
 * Otherwise (a fix being verified: the fixed text's facts) the copy is a *scope* of its own, stored with those facts
 * and rebuilt from the current model when the reads are checked.
 */
import { ProjectModel } from '../engine/project-model/model';
import type { ModuleFacts } from '../engine/project-model/types';

/** [scope, member, arguments (null: a property read), digest of the answer] */
export type ModelRead = [number, string, unknown[] | null, string];
/** scope n + 1 is `scopes[n].p`'s model `.withFile(scopes[n].f)`; scope 0 is the model given */
export interface ModelReads { reads: ModelRead[]; scopes: { p: number; f: ModuleFacts }[] }
/** what a cached result depends on: nothing of the model, the reads it made, or the whole model (by digest) */
export type ModelDep = { none: true } | ModelReads | { all: string };

class NotPlain extends Error {}

/**
 * A canonical text for plain data (JSON plus `undefined`, Map and Set; object keys in their own order, which code can
 * observe). Throws NotPlain for functions, class instances other than those, symbols and cycles.
 */
function serialize(v: unknown, stack: unknown[] = []): string {
  if (v === undefined) return 'u';
  if (v === null || typeof v === 'boolean') return String(v);
  if (typeof v === 'number') return Number.isFinite(v) ? `n${v}` : `n${String(v)}`;
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'bigint') return `b${v}`;
  if (typeof v !== 'object') throw new NotPlain(typeof v);
  if (stack.includes(v)) throw new NotPlain('cycle');
  stack.push(v);
  try {
    if (Array.isArray(v)) return `[${v.map((x) => serialize(x, stack)).join(',')}]`;
    if (v instanceof Map) return `M[${[...v].map(([k, x]) => `${serialize(k, stack)}:${serialize(x, stack)}`).join(',')}]`;
    if (v instanceof Set) return `S[${[...v].map((x) => serialize(x, stack)).join(',')}]`;
    if (v instanceof RegExp) return `R${JSON.stringify(String(v))}`;
    const proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) throw new NotPlain('instance');
    return `{${Object.keys(v).map((k) => `${JSON.stringify(k)}:${serialize((v as Record<string, unknown>)[k], stack)}`).join(',')}}`;
  } finally {
    stack.pop();
  }
}

// node:crypto is loaded on first use (--cache), not at every start of the CLI
const digest = (s: string) => (require('node:crypto') as typeof import('node:crypto')).createHash('sha256').update(s).digest('base64').slice(0, 32);

/** Arguments that survive JSON as they are (so a call can be asked again from the cache file). */
function jsonArgs(args: unknown[]): string | undefined {
  try {
    const json = JSON.stringify(args);
    return serialize(JSON.parse(json)) === serialize(args) ? json : undefined;
  } catch {
    return undefined;
  }
}

/** Answers' digests per model, per (member, arguments): the same question asked by many files is digested once. */
const answerMemo = new WeakMap<ProjectModel, Map<string, string>>();

function answerDigest(model: ProjectModel, memoize: boolean, member: string, argsJson: string | null, answer: () => unknown): string {
  const key = `${member}\u0000${argsJson ?? ''}`;
  let memo = memoize ? answerMemo.get(model) : undefined;
  if (memoize && !memo) answerMemo.set(model, (memo = new Map()));
  const hit = memo?.get(key);
  if (hit !== undefined) return hit;
  const d = digest(serialize(answer()));
  memo?.set(key, d);
  return d;
}

/** Records what one file's analysis asks the model (one recorder per analysis; merge() adds a thread's reads). */
export class ModelRecorder {
  private readonly reads = new Map<string, ModelRead>();
  private readonly scopes: { p: number; f: ModuleFacts }[] = [];
  /** something was asked that cannot be asked again: the result depends on the whole model */
  private unreplayable = false;

  /** The model to hand to the analysis in place of `model`. */
  wrap(model: ProjectModel): ProjectModel {
    return this.proxy(model, 0);
  }

  private record(scope: number, member: string, argsJson: string | null, args: unknown[] | null, model: ProjectModel, answer: unknown): void {
    if (this.unreplayable) return;
    const key = `${scope}\u0000${member}\u0000${argsJson ?? ''}`;
    if (this.reads.has(key)) return;
    try {
      this.reads.set(key, [scope, member, args, answerDigest(model, scope === 0, member, argsJson, () => answer)]);
    } catch {
      this.unreplayable = true;
    }
  }

  private proxy(model: ProjectModel, scope: number): ProjectModel {
    const self = this;
    let wrapper: ProjectModel;
    const fns = new Map<PropertyKey, unknown>();
    wrapper = new Proxy(model, {
      get(target, prop) {
        const value: unknown = Reflect.get(target, prop, target);
        if (typeof prop === 'symbol') { self.unreplayable = true; return value; }
        if (typeof value !== 'function') {
          self.record(scope, prop, null, null, target, value);
          return value;
        }
        let fn = fns.get(prop);
        if (!fn) {
          fn = (...args: unknown[]) => {
            if (prop === 'withFile') return self.withFile(target, scope, wrapper, args[0] as ModuleFacts);
            const answer = (value as (...a: unknown[]) => unknown).apply(target, args);
            const argsJson = jsonArgs(args);
            if (argsJson === undefined || answer instanceof ProjectModel) self.unreplayable = true;
            else self.record(scope, prop, argsJson, JSON.parse(argsJson) as unknown[], target, answer);
            return answer;
          };
          fns.set(prop, fn);
        }
        return fn;
      },
      // anything else done to the model is done to it as usual, but cannot be asked again: the whole model counts
      set(target, prop, value) { self.unreplayable = true; return Reflect.set(target, prop, value, target); },
      has(target, prop) { self.unreplayable = true; return Reflect.has(target, prop); },
      ownKeys(target) { self.unreplayable = true; return Reflect.ownKeys(target); },
      getOwnPropertyDescriptor(target, prop) { self.unreplayable = true; return Reflect.getOwnPropertyDescriptor(target, prop); },
      defineProperty(target, prop, d) { self.unreplayable = true; return Reflect.defineProperty(target, prop, d); },
      deleteProperty(target, prop) { self.unreplayable = true; return Reflect.deleteProperty(target, prop); },
    });
    return wrapper;
  }

  private withFile(target: ProjectModel, scope: number, wrapper: ProjectModel, facts: ModuleFacts): ProjectModel {
    const copy = target.withFile(facts);
    if (copy === target) {
      // the model holds exactly these facts: the same `facts(file)` answer later means the same model is seen
      this.record(scope, 'facts', JSON.stringify([facts.file]), [facts.file], target, target.facts(facts.file));
      return wrapper;
    }
    let plain: ModuleFacts;
    try {
      plain = JSON.parse(JSON.stringify(facts)) as ModuleFacts;
      if (serialize(plain) !== serialize(facts)) throw new NotPlain('facts');
    } catch {
      this.unreplayable = true;
      return copy;
    }
    this.scopes.push({ p: scope, f: plain });
    return this.proxy(copy, this.scopes.length);
  }

  /** Adds the reads another thread recorded for the same analysis (on the same model, as data). */
  merge(other: ModelReads | 'all'): void {
    if (other === 'all') { this.unreplayable = true; return; }
    const base = this.scopes.length;
    this.scopes.push(...other.scopes.map((s) => ({ p: s.p === 0 ? 0 : s.p + base, f: s.f })));
    for (const [s, m, a, h] of other.reads) {
      const scope = s === 0 ? 0 : s + base;
      const key = `${scope}\u0000${m}\u0000${a === null ? '' : JSON.stringify(a)}`;
      if (!this.reads.has(key)) this.reads.set(key, [scope, m, a, h]);
    }
  }

  /** The reads, as plain data (for the cache file, or a thread's reply), or 'all' when they cannot be asked again. */
  result(): ModelReads | 'all' {
    return this.unreplayable ? 'all' : { reads: [...this.reads.values()], scopes: [...this.scopes] };
  }
}

/**
 * Checks stored dependencies against the model of the current scan (undefined: a scan without one), with the
 * answers of scope 0 digested once per question.
 */
export class ModelCheck {
  private whole?: string;

  /**
   * `identity`: what identifies the model without serialising it (ModelFactsCache.identity), when known: the same
   * identity is the same model (the converse need not hold)
   */
  constructor(private readonly model: ProjectModel | undefined, private readonly identity?: string) {}

  /** the digest of the whole model (for results that depend on it all) */
  wholeDigest(): string {
    return (this.whole ??= !this.model ? 'no-model' : this.identity !== undefined ? `id:${this.identity}` : digest(JSON.stringify(this.model.toData())));
  }

  /** What to store with a result whose analysis made these reads (undefined reads: it was given no model). */
  depOf(reads: ModelReads | 'all' | undefined): ModelDep {
    if (!this.model || reads === undefined) return this.model ? { all: this.wholeDigest() } : { none: true };
    if (reads === 'all') return { all: this.wholeDigest() };
    return reads;
  }

  /** Whether the model of this scan answers every stored read as it was answered when the result was stored. */
  holds(dep: ModelDep | undefined): boolean {
    if (!dep || typeof dep !== 'object') return false;
    if ('none' in dep) return !this.model;
    if ('all' in dep) return dep.all === this.wholeDigest();
    if (!this.model || !Array.isArray(dep.reads) || !Array.isArray(dep.scopes)) return false;
    try {
      const scopes: (ProjectModel | undefined)[] = [this.model];
      const scopeAt = (i: number): ProjectModel => {
        let m = scopes[i];
        if (!m) {
          const s = dep.scopes[i - 1];
          if (!s || s.p >= i) throw new Error('bad scope');
          m = scopeAt(s.p).withFile(s.f);
          scopes[i] = m;
        }
        return m;
      };
      for (const [s, member, args, h] of dep.reads) {
        const m = scopeAt(s);
        const argsJson = args === null ? null : JSON.stringify(args);
        const got = answerDigest(m, s === 0, member, argsJson, () => {
          const value: unknown = Reflect.get(m, member, m);
          if (args === null) return value;
          if (typeof value !== 'function') throw new Error('not a method');
          return (value as (...a: unknown[]) => unknown).apply(m, args);
        });
        if (got !== h) return false;
      }
      return true;
    } catch {
      return false;
    }
  }
}
