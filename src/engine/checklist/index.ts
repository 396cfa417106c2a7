/** The pre-deploy checklist: items, project facts, manual answers, evaluation and reports. */
export * from './items';
export * from './facts';
export * from './answers';
export * from './app';
export * from './audit';
export * from './evaluate';
export * from './report';

import type { Finding } from '../model/types';
import type { ChecklistFinding } from './evaluate';

/** An engine finding as the checklist needs it. */
export function toChecklistFinding(f: Finding): ChecklistFinding {
  return { ruleId: f.ruleId, file: f.file, line: f.range.startPos.line, column: f.range.startPos.column, message: f.message, severity: f.severity };
}
