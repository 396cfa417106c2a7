/** The engine's public surface: what the CLI, the worker, the extension and the tests use. */
export * from './model/types';
export type { Rule, RuleContext, Visitors, ReportDescriptor, TextContext } from './model/rule';
export { analyzeText, languageOf, parse, parseErrorCount, syntaxErrorCount, classifyText, type AnalyzeInput, type AnalyzeOptions } from './analyze';
export { allRules } from './rules';
export * from './config/config';
export { parseSuppressions } from './suppress';
export { maskSecret, LineMap } from './util/text';
export { loadPythonParser, pythonParserReady } from './python/parser';
