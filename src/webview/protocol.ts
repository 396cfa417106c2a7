/**
 * Messages between the checklist panel's webview (src/webview/main.ts, in the browser) and its host in the
 * extension (src/extension/checklistPanel.ts). Plain data only; the checklist itself is the engine's model.
 */
import type { AnswerValue } from '../engine/checklist/answers';
import type { Checklist } from '../engine/checklist/evaluate';

export interface PanelContext {
  /** the workspace folder's name */
  folder: string;
  trusted: boolean;
  /** what the host is doing right now ("Scanning the workspace…"), if anything */
  busy?: string;
  /** a problem to show (answers file unreadable, check failed) */
  error?: string;
}

export type HostMessage = { type: 'update'; checklist: Checklist; context: PanelContext };

export type WebviewMessage =
  | { type: 'ready' }
  | { type: 'refresh' }
  | { type: 'open'; file: string; line?: number; column?: number }
  | { type: 'answer'; id: string; value: AnswerValue; note?: string }
  | { type: 'export' }
  | { type: 'checkApp' }
  | { type: 'audit' };

/** What the webview keeps across hide/show (vscode.setState). */
export interface PanelState {
  filter: Filter;
  expanded: string[];
  focused?: string;
}

export type Filter = 'all' | 'fail' | 'review' | 'pass' | 'na';
