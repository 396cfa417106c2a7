/**
 * Reads the per-analysis timings out of the extension's debug log (the lines src/extension/analysis.ts writes),
 * for the integration run's metrics (run.ts). Issue 13 asks what typing costs: a re-analysis after an edit,
 * reported apart from the first (cold) analysis of each file.
 */

/** The value at quantile `q` of sorted numbers (median: q = 0.5), as the summary has always taken it. */
export function quantile(sorted: readonly number[], q: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))] : NaN;
}

/** The file the typing test edits (suites/main.ts), as the log names it. */
export const TYPING_FILE = 'app/src/routes/account.js';

export interface Timed { label: string; kind: 'first' | 'edit' | 'again'; ms: number; cpuMs?: number }

/**
 * The per-analysis lines of the extension's debug log (src/extension/analysis.ts), e.g.
 * `app/src/routes/account.js v12 re-analysed after an edit: 4.1 ms in the worker (CPU 3.0, parse …), 7.0 ms round trip, …`.
 * `v<n>` alone is a document's first analysis, `disk` a file read from disk (workspace scan): both count as cold.
 */
export function timedAnalyses(text: string): Timed[] {
  const out: Timed[] = [];
  for (const line of text.split('\n')) {
    const m = / (v\d+( re-analysed after an edit| re-analysed)?|disk): (\d+(?:\.\d+)?) ms in the worker(?: \(CPU (\d+(?:\.\d+)?))?/.exec(line);
    if (!m) continue;
    // the label follows the log's `[debug] ` prefix
    const start = line.indexOf('] ');
    out.push({
      label: line.slice(start >= 0 && start < m.index ? start + 2 : 0, m.index),
      kind: m[2] === ' re-analysed after an edit' ? 'edit' : m[2] ? 'again' : 'first',
      ms: Number(m[3]), ...(m[4] !== undefined ? { cpuMs: Number(m[4]) } : {}),
    });
  }
  return out;
}

const SOURCE = /\.(?:[cm]?[jt]sx?|py)$/;

/**
 * The cold analyses: the first one of each source file (JavaScript, TypeScript, Python) in the log, from the editor
 * or from disk: the worker meets the file. Later analyses from disk (a dependent re-checked, a file changed on
 * disk) and config files (package.json, .env: a millisecond) would make "cold" look cheaper than it is.
 */
export function coldAnalyses(timed: readonly Timed[]): Timed[] {
  const seen = new Set<string>();
  return timed.filter((t) => SOURCE.test(t.label) && !seen.has(t.label) && !!seen.add(t.label));
}

