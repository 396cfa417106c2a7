/**
 * SARIF 2.1.0 output, valid against the OASIS schema and within GitHub code scanning's rules:
 * - every location is a URI relative to `%SRCROOT%` (the scan root; `originalUriBaseIds` gives its absolute
 *   file: URI), percent-encoded per path segment;
 * - regions are 1-based lines and columns counted in UTF-16 code units (`columnKind: utf16CodeUnits`),
 *   `endColumn` is the column after the last character, as SARIF defines it;
 * - `partialFingerprints['shipsafe/v1']` is the engine's fingerprint (rule + normalised flagged line +
 *   ordinal): stable when unrelated lines are added or removed, and free of source text;
 * - the rule catalog (`tool.driver.rules`) comes from `toSarifRule`; every result's ruleId/ruleIndex points into it;
 * - `helpUri` is kept only when absolute (the schema's `uri` format); a relative doc path is dropped;
 * - no snippets: a report never carries source text, so it cannot leak a secret.
 *
 * Fixes: SARIF expresses a fix as artifact changes made of replacements (a deleted region + inserted text).
 * SARIF has no "create this file" operation; an edit that creates a file (`FileEdit.create`) is written as
 * one insertion at the empty start region of that artifact (the whole new content, which is what applying
 * it to an empty file gives) and marked `properties.createsArtifact: true`, so a consumer that knows can create
 * the file first. Regions of other edits get line/column when the file text is available (`readText`),
 * and always `charOffset`/`charLength`.
 */
import { pathToFileURL } from 'node:url';
import { isAbsolute, resolve } from 'node:path';
import type * as Sarif from 'sarif';
import type { Fix, Finding, Range, SkippedFile } from '../model/types';
import { LineMap } from '../util/text';
import { SARIF_LEVEL, sarifRuleCatalog, type SarifRuleOptions } from './sarif-rules';
import { TOOL_INFORMATION_URI, TOOL_NAME, TOOL_VERSION, type ReportInput } from './types';

export const SARIF_SCHEMA_URI = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';
export const SRCROOT = '%SRCROOT%';
export const FINGERPRINT_KEY = 'shipsafe/v1';

export interface SarifOptions extends SarifRuleOptions {
  /** the text of a file (relative path as in findings), to give fix regions line/column; optional */
  readText?: (file: string) => string | undefined;
  /** the command line, for `invocations[0].commandLine` */
  commandLine?: string;
  /** when a baseline was used: mark reported results `baselineState: "new"` */
  markNew?: boolean;
}

/** A relative path as a URI reference: each segment percent-encoded (spaces, brackets, `:` in Next.js paths). */
export function relativeUri(path: string): string {
  return path.split('/').map((seg) => encodeURIComponent(seg).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)).join('/');
}

function artifactLocation(file: string): Sarif.ArtifactLocation {
  // outside the scan root (should not happen for files found by discovery): an absolute file: URI
  if (isAbsolute(file)) return { uri: pathToFileURL(file).href };
  return { uri: relativeUri(file.replace(/^\.\//, '')), uriBaseId: SRCROOT };
}

function region(range: Range): Sarif.Region {
  return {
    startLine: range.startPos.line,
    startColumn: range.startPos.column,
    endLine: range.endPos.line,
    endColumn: range.endPos.column,
  };
}

function absoluteUriOrUndefined(uri: string | undefined): string | undefined {
  if (!uri) return undefined;
  return /^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(uri) ? uri : undefined;
}

function toSarifFix(fix: Fix, finding: Finding, root: string, options: SarifOptions, texts: Map<string, LineMap | null>): Sarif.Fix | undefined {
  const changes: Sarif.ArtifactChange[] = [];
  for (const edit of fix.edits) {
    if (!edit.textEdits.length) continue;
    // the engine gives the analysed file's own path or an absolute path; report paths are relative to root
    const file = edit.file === finding.file || !isAbsolute(edit.file) ? edit.file : relPath(root, edit.file);
    const location = artifactLocation(file);
    if (edit.create) {
      // edits apply to an empty text: apply them in offset order to get the new file's content
      const sorted = [...edit.textEdits].sort((a, b) => a.start - b.start);
      let content = '';
      for (const te of sorted) content = content.slice(0, te.start) + te.newText + content.slice(te.end);
      changes.push({
        artifactLocation: location,
        replacements: [{ deletedRegion: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 1, charOffset: 0, charLength: 0 }, insertedContent: { text: content } }],
        properties: { createsArtifact: true },
      });
      continue;
    }
    let lines = texts.get(file);
    if (lines === undefined) {
      const text = options.readText?.(file);
      lines = text === undefined ? null : new LineMap(text);
      texts.set(file, lines);
    }
    const replacements: Sarif.Replacement[] = [...edit.textEdits].sort((a, b) => a.start - b.start).map((te) => {
      const deletedRegion: Sarif.Region = { charOffset: te.start, charLength: Math.max(0, te.end - te.start) };
      if (lines) Object.assign(deletedRegion, region(lines.range(te.start, te.end)));
      return { deletedRegion, ...(te.newText ? { insertedContent: { text: te.newText } } : {}) };
    });
    changes.push({ artifactLocation: location, replacements });
  }
  if (!changes.length) return undefined;
  return {
    description: { text: fix.note ? `${fix.title}. ${fix.note}` : fix.title },
    artifactChanges: changes,
    properties: { safety: fix.safety },
  };
}

function relPath(root: string, file: string): string {
  const abs = resolve(file);
  const r = resolve(root);
  if (abs.startsWith(r + '/')) return abs.slice(r.length + 1);
  if (abs.startsWith(r + '\\')) return abs.slice(r.length + 1).split('\\').join('/');
  return abs;
}

const NOTIFICATION_LEVEL: Record<SkippedFile['reason'], Sarif.Notification.level> = {
  'too-large': 'note', minified: 'note', 'third-party': 'note', excluded: 'note', binary: 'note',
  'parse-error': 'warning', timeout: 'warning', unreadable: 'warning',
};

/** The SARIF log of one scan. */
export function toSarif(report: ReportInput, options: SarifOptions = {}): Sarif.Log {
  const root = resolve(report.root);
  const catalog = sarifRuleCatalog(report.rules, options).map((d) => {
    const helpUri = absoluteUriOrUndefined(d.helpUri);
    const { helpUri: _drop, ...rest } = d;
    void _drop;
    return helpUri ? { ...rest, helpUri } : rest;
  });
  const index = new Map<string, number>();
  catalog.forEach((d, i) => index.set(d.id, i));
  // a finding from a rule missing from the catalog (should not happen) still gets a descriptor
  for (const f of report.findings) {
    if (index.has(f.ruleId)) continue;
    index.set(f.ruleId, catalog.length);
    catalog.push({ id: f.ruleId, shortDescription: { text: f.ruleId }, defaultConfiguration: { level: SARIF_LEVEL[f.severity] }, properties: { tags: ['security'] } });
  }

  const texts = new Map<string, LineMap | null>();
  const results: Sarif.Result[] = report.findings.map((f) => {
    const descriptor = catalog[index.get(f.ruleId)!];
    const securitySeverity = descriptor.properties?.['security-severity'] as string | undefined;
    const result: Sarif.Result = {
      ruleId: f.ruleId,
      ruleIndex: index.get(f.ruleId)!,
      level: SARIF_LEVEL[f.severity],
      message: { text: f.message },
      locations: [{ physicalLocation: { artifactLocation: artifactLocation(f.file), region: region(f.range) } }],
      partialFingerprints: { [FINGERPRINT_KEY]: f.fingerprint },
    };
    if (f.related?.length) {
      result.relatedLocations = f.related.map((r, i) => ({
        id: i + 1,
        physicalLocation: { artifactLocation: artifactLocation(r.file === f.file || !isAbsolute(r.file) ? r.file : relPath(root, r.file)), region: region(r.range) },
        message: { text: r.message },
      }));
    }
    // the path request data took across functions and files (route → service → query): one thread flow, ending at the sink
    const flow = f.related?.filter((r) => r.flow) ?? [];
    if (flow.length) {
      const step = (file: string, range: Finding['range'], text: string): Sarif.ThreadFlowLocation => ({
        location: { physicalLocation: { artifactLocation: artifactLocation(file === f.file || !isAbsolute(file) ? file : relPath(root, file)), region: region(range) }, message: { text } },
      });
      result.codeFlows = [{
        message: { text: `Request data reaches the ${f.ruleId} finding through ${flow.length} step${flow.length === 1 ? '' : 's'}.` },
        threadFlows: [{ locations: [...flow.map((r) => step(r.file, r.range, r.message)), step(f.file, f.range, 'The data is used here.')] }],
      }];
    }
    const fixes = (f.fixes ?? []).map((x) => toSarifFix(x, f, root, options, texts)).filter((x): x is Sarif.Fix => !!x);
    if (fixes.length) result.fixes = fixes;
    if (options.markNew) result.baselineState = 'new';
    result.properties = {
      confidence: f.confidence,
      ...(securitySeverity ? { 'security-severity': securitySeverity } : {}),
      ...(f.cwe.length ? { cwe: f.cwe.map((n) => `CWE-${n}`) } : {}),
      ...(f.owasp ? { owasp: f.owasp } : {}),
    };
    return result;
  });

  const notifications: Sarif.Notification[] = [];
  for (const s of report.skipped) {
    notifications.push({
      level: NOTIFICATION_LEVEL[s.reason] ?? 'note',
      message: { text: `${s.file}: ${s.detail}` },
      descriptor: { id: `skipped/${s.reason}` },
      locations: [{ physicalLocation: { artifactLocation: artifactLocation(s.file) } }],
      properties: { reason: s.reason },
    });
  }
  for (const e of report.ruleErrors) {
    const ruleIndex = index.get(e.ruleId);
    notifications.push({
      level: 'error',
      message: { text: `The rule ${e.ruleId} failed on ${e.file}, so that file may have findings it did not report: ${e.error.split('\n')[0]}` },
      descriptor: { id: 'rule-error' },
      associatedRule: ruleIndex === undefined ? { id: e.ruleId } : { id: e.ruleId, index: ruleIndex },
      locations: [{ physicalLocation: { artifactLocation: artifactLocation(e.file) } }],
    });
  }

  const invocation: Sarif.Invocation = {
    executionSuccessful: true,
    ...(options.commandLine ? { commandLine: options.commandLine } : {}),
    ...(notifications.length ? { toolExecutionNotifications: notifications } : {}),
  };

  const driver: Sarif.ToolComponent = {
    name: TOOL_NAME,
    version: TOOL_VERSION,
    semanticVersion: TOOL_VERSION,
    ...(TOOL_INFORMATION_URI ? { informationUri: TOOL_INFORMATION_URI } : {}),
    rules: catalog,
  };

  const run: Sarif.Run = {
    tool: { driver },
    originalUriBaseIds: { [SRCROOT]: { uri: directoryUri(root) } },
    columnKind: 'utf16CodeUnits',
    results,
    invocations: [invocation],
    properties: {
      filesAnalyzed: report.filesAnalyzed,
      ...(report.baseline ? { baseline: { file: report.baseline.file, matchedFindings: report.baseline.matched } } : {}),
    },
  };
  return { $schema: SARIF_SCHEMA_URI, version: '2.1.0', runs: [run] };
}

/** The absolute file: URI of a folder, ending with "/" as SARIF requires for a base URI. */
export function directoryUri(dir: string): string {
  const href = pathToFileURL(resolve(dir)).href;
  return href.endsWith('/') ? href : `${href}/`;
}

export function formatSarif(report: ReportInput, options: SarifOptions = {}): string {
  return `${JSON.stringify(toSarif(report, options), null, 2)}\n`;
}
