/**
 * A file's analysis run ahead, in the project model's pre-pass, right after the file was parsed and summarised,
 * before the model of the whole project exists. The tree is then dropped at once instead of being kept (and
 * copied by the garbage collector as it ages) until every other file is parsed: on a 1,000-file front-end most
 * files ask the model nothing but their own facts.
 *
 * The analysis sees the model only through the ProjectModel object it is given (model-reads.ts says the same for the
 * result cache). Here that object knows one file and answers only what the finished model will answer alike:
 * - `withFile(facts)` with the file's own facts: the model itself (the finished model holds these very facts);
 * - `facts(file)` of the file itself: its facts;
 * - `routesIn(file)` of the file itself, when its facts declare no route (no `mounts`, no Next.js route handler or
 *   page): none. A route of the model belongs to the file whose facts hold its mount, route handler or page
 *   (ProjectModel.derive), whatever the other files say.
 * And with the facts of the configuration files (package.json, tsconfig: all read before any module is parsed):
 * - `dependencyVersion(file, name)`: read from the nearest package.json alone;
 * - `toolingScript(file)` of the file itself, when no script runs it as tooling (ProjectModel.toolingCandidate: the
 *   configuration files and the file's own facts tell it): none. Else whether some module imports it decides.
 * Anything else (another file's facts, the route table, apps, imports…) marks the run as missed and throws; the
 * result of a missed run is thrown away and the file is analysed again once the model is built.
 *
 * A result run ahead holds for the scan when, then, the file's text is the one analysed ahead, the model holds the
 * very facts it was given, no other module passes request data into the file (inter-procedural taint, known only
 * once every file is summarised), and the analysis runs with the very rules and configuration it ran with:
 * pool-scan.ts checks them all. test/cli/analysis-ahead.test.ts compares every answer with the whole model's.
 */
import type { ShipsafeConfig } from '../engine/config/config';
import type { ModelParse } from '../engine/analyze';
import type { Rule } from '../engine/model/rule';
import { ProjectModel } from '../engine/project-model/model';
import type { ConfigFacts, ModuleFacts } from '../engine/project-model/types';
import { analyseSource, type ScanOutput } from '../engine/project/scan';
import type { FileSummary } from '../engine/taint/summaries';

/** How the files are analysed ahead: as the scan's analysis will (pool-scan.ts, BudgetScanOptions). */
export interface AheadOptions { readonly rules: readonly Rule[]; readonly config: ShipsafeConfig; readonly reportSyntaxErrors: boolean }

/** What a file's analysis gave in the pre-pass. */
export interface AnalysedAhead {
  /** the text analysed */
  readonly text: string;
  /** the file's facts, as the model it asked held them */
  readonly facts: ModuleFacts;
  /** the analysis's options: a result is taken only by an analysis with the same (the very same rules and configuration) */
  readonly options: AheadOptions;
  readonly out: ScanOutput;
}

/**
 * Whether other modules could pass request data into the file of this summary, or it could pass request data to an
 * imported function that returns it (pool-scan.ts, dependsOnOtherModules): only into a function of its summary with
 * parameters (ProjectTaint's join), only by a call of its own with request data in an argument.
 */
export function mayTakeFromOtherModules(summary: FileSummary): boolean {
  for (const k in summary.functions) if (summary.functions[k].params > 0) return true;
  return passesRequestData(summary);
}

/** Whether the file of this summary passes request data to another module (a call with it in an argument). */
export function passesRequestData(summary: FileSummary): boolean {
  return summary.calls.some((c) => c.args.some((a) => a.source));
}

/**
 * Whether a file that may take data from other modules (mayTakeFromOtherModules) waits for the model, its tree kept,
 * as without analysis ahead, given how many of the files summarised so far pass request data to other modules (calls
 * with request data in an argument). In a back-end app, where many do, routes hand request data to services, and an
 * analysis of a service run ahead is often thrown away (then the file is parsed and analysed again): on Directus's
 * API, 124 of its 816 files take request data from other modules, out of the 621 that may; 49 files pass some. A
 * front-end passes little (Strapi's admin: 3 of 1,020 files pass some, 2 take some), an app with both in between
 * (Ghost: 24 of 1,719; 15).
 */
export function waitsForModel(sourceFiles: number, files: number): boolean {
  return sourceFiles >= 8 && sourceFiles * 33 >= files;
}

/** The analysis asked the model something only the finished model can answer. */
class AskedTooEarly extends Error {}

/** Whether the routes of the finished model in the file of these facts can be other than none. */
export function declaresRoutes(facts: ModuleFacts): boolean {
  return facts.mounts.length > 0 || !!facts.nextRoute || !!facts.nextPage;
}

/**
 * A model that knows one file's facts (and the configuration files', when given: `configs`, the finished model's)
 * and answers what the finished model will answer alike (see above); `missed()` tells whether anything else was asked.
 */
export function ownFactsModel(facts: ModuleFacts, configs?: readonly ConfigFacts[]): { model: ProjectModel; missed(): boolean } {
  let missed = false;
  const miss = (what: PropertyKey): never => {
    missed = true;
    throw new AskedTooEarly(`the project model was asked ${String(what)} before it was built`);
  };
  const own = (file: unknown) => file === facts.file;
  let model: ProjectModel;
  // the model of this file and the configuration files (made when first asked): asked only what they alone decide
  let made: ProjectModel | undefined;
  const known = () => (configs ? (made ??= new ProjectModel({ modules: [facts], configs: [...configs] })) : undefined);
  const members: Record<string, (...args: unknown[]) => unknown> = {
    withFile: (f) => (f === facts ? model : miss('withFile')),
    facts: (file) => (own(file) ? facts : miss('facts')),
    routesIn: (file) => (own(file) && !declaresRoutes(facts) ? [] : miss('routesIn')),
    dependencyVersion: (file, name) => {
      const m = known();
      return m && typeof file === 'string' && typeof name === 'string' ? m.dependencyVersion(file, name) : miss('dependencyVersion');
    },
    toolingScript: (file) => {
      const m = known();
      return m && own(file) && m.toolingCandidate(facts.file) === undefined ? undefined : miss('toolingScript');
    },
  };
  // a ProjectModel underneath, so that `instanceof` still holds; it is never read
  model = new Proxy(new ProjectModel(), {
    get(_target, prop) {
      if (typeof prop === 'string' && Object.hasOwn(members, prop)) return members[prop];
      return miss(prop);
    },
    set: (_t, prop) => miss(prop),
    has: (_t, prop) => miss(prop),
    ownKeys: () => miss('its keys'),
    getOwnPropertyDescriptor: (_t, prop) => miss(prop),
    defineProperty: (_t, prop) => miss(prop),
    deleteProperty: (_t, prop) => miss(prop),
  });
  return { model, missed: () => missed };
}

/**
 * The analysis of a file the pre-pass just parsed (`parse`: parseForModel's), with the model as ownFactsModel has
 * it: `ran: false` when the file declares routes (its analysis asks the route table: it waits for the model);
 * `result` undefined when the analysis asked the model anything else (the run is thrown away).
 */
export function analyseAhead(rel: string, text: string, parse: ModelParse,
  o: AheadOptions, configs?: readonly ConfigFacts[]): { ran: false } | { ran: true; result?: AnalysedAhead } {
  const facts = parse.moduleFacts;
  if (declaresRoutes(facts)) return { ran: false };
  const own = ownFactsModel(facts, configs);
  let out: ScanOutput;
  try {
    out = analyseSource(rel, text, { rules: o.rules, config: o.config, project: own.model, ...parse }, o.reportSyntaxErrors);
  } catch {
    return { ran: true };
  }
  return own.missed() ? { ran: true } : { ran: true, result: { text, facts, options: o, out } };
}
