/**
 * Plain, serializable data that crosses every boundary: worker ↔ extension host, engine ↔ CLI,
 * engine ↔ webview, engine ↔ tests. Nothing here may hold a parser object.
 */

export type Severity = 'error' | 'warning' | 'info';
export type Confidence = 'high' | 'medium' | 'low';
/** `safe`: cannot change what the program does for legitimate input; applied by fix-all.
 *  `suggestion`: may change behaviour; offered in the lightbulb only, never applied in bulk. */
export type FixSafety = 'safe' | 'suggestion';

export type Language = 'javascript' | 'typescript' | 'javascriptreact' | 'typescriptreact' | 'python';

/** The Python part of a rule's docs, for rules that cover JavaScript and Python under one id. */
export interface PythonDocs {
  /** what it finds in Python code, one or two plain sentences */
  description: string;
  /** Python examples; the first line may be `# file: path.py` */
  bad: string;
  good: string;
}

export const SEVERITY_ORDER: Record<Severity, number> = { info: 1, warning: 2, error: 3 };
export const CONFIDENCE_ORDER: Record<Confidence, number> = { low: 1, medium: 2, high: 3 };

export interface Position {
  /** 1-based line */
  line: number;
  /** 1-based column, in UTF-16 code units (what VS Code and SARIF count) */
  column: number;
}

export interface Range {
  /** 0-based offset of the first character */
  start: number;
  /** 0-based offset one past the last character */
  end: number;
  startPos: Position;
  endPos: Position;
}

export interface RelatedLocation {
  file: string;
  range: Range;
  message: string;
  /** a step of the data flow that reaches the finding (where request data entered, a call that carried it) */
  flow?: boolean;
}

export interface TextEdit {
  /** offsets in the file's current text */
  start: number;
  end: number;
  newText: string;
}

export interface FileEdit {
  /** absolute path, or the analysed file's path for edits to the same file */
  file: string;
  /** the file does not exist yet and is created with the edits applied to an empty text */
  create?: boolean;
  textEdits: TextEdit[];
}

export interface Fix {
  /** plain words for the lightbulb menu; a secret only ever appears masked */
  title: string;
  safety: FixSafety;
  edits: FileEdit[];
  /** a line for the user about what else to do (e.g. "run npm install helmet", "rotate the key") */
  note?: string;
  /**
   * set when the usual fix does not apply here and the reason is worth showing (the editor lists the fix greyed
   * out with this reason); such a fix has no edits. Example: a key in browser code must move to the server.
   */
  disabled?: string;
}

/**
 * What a fix that needs the project around the file (its `.env`, `.gitignore`, git state) must know about a
 * finding; the engine's `resolveProjectFixes` turns it into a {@link Fix} through a host that reads files.
 * Plain offsets only: never the secret itself (findings end up in reports).
 */
export type FixData = {
  kind: 'move-to-env';
  /** the expression replaced by `process.env.NAME`: the literal, or `process.env.X || '…'` */
  replace: { start: number; end: number };
  /** the string literal holding the secret (file offsets, quotes included) */
  literal: { start: number; end: number };
  /** when the secret is only part of the literal's value (`'Bearer sk_…'`): its offsets in that value */
  part?: { start: number; end: number };
  /** the variable name derived from the provider and the names around the value (`STRIPE_SECRET_KEY`) */
  envName: string;
  /** `process.env.X || '…'`: the code already reads this variable; the literal becomes its value in `.env` */
  existingEnv?: boolean;
  /** the literal is a JSX attribute value (`apiKey="…"`): the replacement needs braces */
  jsx?: boolean;
  /** the file runs in the browser ('use client', a built bundle): the key has to move to server code instead */
  browser?: boolean;
  /** a Python file: the replacement is `os.environ["NAME"]`, and `.env` is written next to the Python project */
  python?: {
    /** the `import os` line to insert when the file does not import os yet */
    importOs?: { at: number; text: string };
  };
  /**
   * the rule's first fix is this same change without the project's files (used where the project cannot be
   * read); when the project fix resolves, it takes that fix's place
   */
  inlineFallback?: boolean;
};

export interface Finding {
  ruleId: string;
  severity: Severity;
  confidence: Confidence;
  /** what is wrong, why it matters, how to fix it; secret values are always masked */
  message: string;
  file: string;
  range: Range;
  cwe: number[];
  owasp: string;
  related?: RelatedLocation[];
  fixes?: Fix[];
  /** input for fixes that need the project around the file (see `resolveProjectFixes`); plain offsets, no secrets */
  fixData?: FixData;
  /** stable across unrelated edits of the file; does not contain source text */
  fingerprint: string;
}

export type FixtureCase = { code: string; language?: Language; note?: string };

export interface RuleMeta {
  /** stable, kebab-case; never renamed (see rules/redirects.ts) */
  id: string;
  title: string;
  /** the folder the rule lives in: injection, secrets, auth, config, crypto, errors-logging, data */
  category: string;
  severity: Severity;
  /** the confidence of a finding when no stronger evidence is found; taint can raise it */
  confidence: Confidence;
  cwe: number[];
  /** OWASP Top 10 2021 category, e.g. "A03:2021 Injection" */
  owasp: string;
  /** "What it does": one or two plain sentences */
  description: string;
  /** "What it does not report": the look-alikes it deliberately stays quiet on (or keeps at low confidence), so a reader knows where its edges are */
  notReported: string;
  /** "Why is this bad?" in plain words for a non-expert */
  why: string;
  /** how to fix it, in plain words */
  fix: string;
  bad: string;
  good: string;
  /** the safety of the fixes this rule offers, or 'none' when it offers none */
  fixSafety: FixSafety | 'none';
  languages: Language[];
  /** set when the rule also covers Python under the same id (the Python docs section) */
  python?: PythonDocs;
  defaultEnabled: boolean;
  /** short tags for the prompt and checklist (e.g. "sql", "secrets") */
  tags: string[];
  /**
   * 'project': the rule judges the repository, not a file's text (git history, tracked files); it has no visitors
   * or file checks, its findings come from the project checks (project/git-findings.ts). Default 'file'.
   */
  scope?: 'file' | 'project';
}

export interface SkippedFile {
  file: string;
  reason: 'too-large' | 'binary' | 'minified' | 'third-party' | 'parse-error' | 'timeout' | 'unreadable' | 'excluded';
  detail: string;
}

/**
 * A finding that is below the reporting threshold on its own but becomes a real one when the project shows more:
 * a raw template output whose variable a route fills from request data (see templates/link.ts).
 */
export interface LinkCandidate {
  finding: Finding;
  /** the view variable names the printed expression reads */
  names: string[];
}

/** `res.render('<view>', { name: value })` where some values carry request data. */
export interface RenderFact {
  view: string;
  file: string;
  names: { name: string; label: string; range: Range }[];
}

export interface AnalysisResult {
  file: string;
  findings: Finding[];
  /** cross-file facts for the project scan: template findings waiting for a route, and routes rendering request data */
  templateLinks?: { candidates?: LinkCandidate[]; renders?: RenderFact[] };
  /** set when the file was not analysed (too big, binary, …): the caller tells the user */
  skipped?: SkippedFile;
  /** problems with suppression comments and the like, reported as findings of the pseudo-rule */
  timings?: { parseMs: number; factsMs: number; walkMs: number; rulesMs: Record<string, number> };
}
