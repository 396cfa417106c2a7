/** What every report format (text, JSON, SARIF) is made from. Plain data. */
import type { Rule } from '../model/rule';
import type { Finding, SkippedFile } from '../model/types';
import type { RuleError } from '../project/scan';
import pkg from '../../../package.json';

export const TOOL_NAME = 'Shipsafe';
export const TOOL_VERSION: string = pkg.version;
/** Where users learn about the tool: package.json `homepage`, else `repository`, else none. */
export const TOOL_INFORMATION_URI: string | undefined = (() => {
  const p = pkg as { homepage?: string; repository?: string | { url?: string } };
  const raw = p.homepage ?? (typeof p.repository === 'string' ? p.repository : p.repository?.url);
  if (!raw) return undefined;
  const url = raw.replace(/^git\+/, '').replace(/\.git$/, '');
  return /^https?:\/\//.test(url) ? url : undefined;
})();

export interface ReportInput {
  /** absolute path of the folder paths are relative to (SARIF's %SRCROOT%) */
  root: string;
  /** the findings to report (after the baseline, if any), paths relative to root */
  findings: Finding[];
  /** files not analysed (fully), relative paths */
  skipped: SkippedFile[];
  ruleErrors: RuleError[];
  /** the rules that ran: the SARIF rule catalog */
  rules: readonly Rule[];
  filesAnalyzed: number;
  /** set when a baseline was used: its path as given and how many findings it already held */
  baseline?: { file: string; matched: number };
}
