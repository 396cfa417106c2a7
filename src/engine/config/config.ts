import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser';
import type { Confidence, Severity } from '../model/types';
import { MAX_GLOB_LENGTH } from '../project/glob';

/** A rule's setting in `.shipsafe.json` and in VS Code's `shipsafe.rules`. */
export type RuleSetting = 'off' | Severity;

/** `.shipsafe.json`, shared by the CLI and the extension. */
export interface ShipsafeConfig {
  /** per-rule: "off" or a severity that replaces the rule's default */
  rules: Record<string, RuleSetting>;
  /** minimatch globs, relative to the config file's folder, of files not to analyse */
  exclude: string[];
  /** findings below this confidence are not reported (default: medium) */
  minConfidence: Confidence;
  /** files larger than this are not parsed; only the text checks run on them (default 1024 KiB) */
  maxFileSizeKb: number;
}

export const DEFAULT_CONFIG: ShipsafeConfig = {
  rules: {},
  exclude: [],
  minConfidence: 'medium',
  maxFileSizeKb: 1024,
};

export const CONFIG_FILE_NAME = '.shipsafe.json';

export class ConfigError extends Error {
  constructor(readonly source: string, readonly problems: string[]) {
    super(`${source}: invalid Shipsafe configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const SEVERITIES = ['error', 'warning', 'info'];
const RULE_SETTINGS = ['off', ...SEVERITIES];
const CONFIDENCES = ['low', 'medium', 'high'];
const KNOWN_KEYS = ['$schema', 'rules', 'exclude', 'minConfidence', 'maxFileSizeKb'];
/** More exclude globs than anyone writes by hand; a cap keeps a hostile config from slowing every path test. */
export const MAX_EXCLUDES = 1000;
/** Largest `.shipsafe.json` read. */
export const MAX_CONFIG_BYTES = 1024 * 1024;

function closest(word: string, options: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const o of options) {
    const d = editDistance(word, o);
    if (d < bestD) { bestD = d; best = o; }
  }
  return bestD <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  const dp = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array(b.length).fill(0)] as number[]);
  for (let j = 1; j <= b.length; j++) dp[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      dp[i][j] = Math.min(dp[i - 1][j] + 1, dp[i][j - 1] + 1, dp[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
  }
  return dp[a.length][b.length];
}

/**
 * Validates a parsed config object. Every problem is listed with where it is and what is allowed,
 * so the user can fix all of them at once. Throws ConfigError.
 */
export function validateConfig(raw: unknown, source: string, knownRuleIds: readonly string[]): ShipsafeConfig {
  const problems: string[] = [];
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ConfigError(source, ['the file must hold a JSON object, like { "rules": { "sql-injection": "error" } }']);
  }
  const obj = raw as Record<string, unknown>;
  for (const k of Object.keys(obj)) {
    if (!KNOWN_KEYS.includes(k)) {
      const hint = closest(k, KNOWN_KEYS);
      problems.push(`unknown key "${k}"${hint ? ` (did you mean "${hint}"?)` : ''}; allowed: ${KNOWN_KEYS.slice(1).join(', ')}`);
    }
  }
  const config: ShipsafeConfig = { ...DEFAULT_CONFIG, rules: {}, exclude: [] };
  if (obj.rules !== undefined) {
    if (typeof obj.rules !== 'object' || obj.rules === null || Array.isArray(obj.rules)) {
      problems.push('"rules" must be an object mapping rule ids to "off", "error", "warning" or "info"');
    } else {
      for (const [id, value] of Object.entries(obj.rules as Record<string, unknown>)) {
        if (!knownRuleIds.includes(id)) {
          const hint = closest(id, knownRuleIds);
          problems.push(`rules: unknown rule id "${id}"${hint ? ` (did you mean "${hint}"?)` : ''}`);
          continue;
        }
        if (typeof value !== 'string' || !RULE_SETTINGS.includes(value)) {
          problems.push(`rules.${id}: expected one of ${RULE_SETTINGS.map((s) => `"${s}"`).join(', ')}, got ${JSON.stringify(value)}`);
          continue;
        }
        config.rules[id] = value as RuleSetting;
      }
    }
  }
  if (obj.exclude !== undefined) {
    if (!Array.isArray(obj.exclude) || obj.exclude.some((g) => typeof g !== 'string' || g.trim() === '')) {
      problems.push('"exclude" must be an array of non-empty glob strings, like ["**/generated/**"]');
    } else if (obj.exclude.length > MAX_EXCLUDES) {
      problems.push(`"exclude" has ${obj.exclude.length} globs; at most ${MAX_EXCLUDES} are accepted`);
    } else if (obj.exclude.some((g: string) => g.length > MAX_GLOB_LENGTH)) {
      const i = obj.exclude.findIndex((g: string) => g.length > MAX_GLOB_LENGTH);
      problems.push(`exclude[${i}] is ${(obj.exclude[i] as string).length} characters long; a glob may have at most ${MAX_GLOB_LENGTH}`);
    } else {
      config.exclude = obj.exclude as string[];
    }
  }
  if (obj.minConfidence !== undefined) {
    if (typeof obj.minConfidence !== 'string' || !CONFIDENCES.includes(obj.minConfidence)) {
      problems.push(`"minConfidence" must be "low", "medium" or "high", got ${JSON.stringify(obj.minConfidence)}`);
    } else {
      config.minConfidence = obj.minConfidence as Confidence;
    }
  }
  if (obj.maxFileSizeKb !== undefined) {
    if (typeof obj.maxFileSizeKb !== 'number' || !Number.isFinite(obj.maxFileSizeKb) || obj.maxFileSizeKb <= 0) {
      problems.push(`"maxFileSizeKb" must be a positive number, got ${JSON.stringify(obj.maxFileSizeKb)}`);
    } else {
      config.maxFileSizeKb = obj.maxFileSizeKb;
    }
  }
  if (problems.length) throw new ConfigError(source, problems);
  return config;
}

/** Parses `.shipsafe.json` text (JSON with comments and trailing commas allowed) and validates it. Throws ConfigError. */
export function parseConfig(text: string, source: string, knownRuleIds: readonly string[]): ShipsafeConfig {
  return validateConfig(parseJsoncStrict(text, (problem) => new ConfigError(source, [problem])), source, knownRuleIds);
}

/**
 * JSON with comments (jsonc-parser), strict otherwise: the first syntax error is reported by line and column and
 * error kind only — never with the text around it, since the file may be a symlink to something secret.
 */
export function parseJsoncStrict(text: string, fail: (problem: string) => Error): unknown {
  const errors: ParseError[] = [];
  const raw = parseJsonc(text, errors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: false });
  if (errors.length) {
    const e = errors[0];
    let line = 1;
    let col = 1;
    for (let i = 0; i < e.offset && i < text.length; i++) {
      if (text.charCodeAt(i) === 10) { line++; col = 1; } else col++;
    }
    throw fail(`not valid JSON: ${printParseErrorCode(e.error)} at line ${line}, column ${col}`);
  }
  return raw;
}

/** Merges settings from a lower layer (e.g. .shipsafe.json) with a higher one (e.g. VS Code settings). */
export function mergeConfig(base: ShipsafeConfig, over: Partial<ShipsafeConfig>): ShipsafeConfig {
  return {
    rules: { ...base.rules, ...(over.rules ?? {}) },
    exclude: [...base.exclude, ...(over.exclude ?? [])],
    minConfidence: over.minConfidence ?? base.minConfidence,
    maxFileSizeKb: over.maxFileSizeKb ?? base.maxFileSizeKb,
  };
}
