/**
 * Settings, always resolved for one resource at the moment they are needed (a multi-root workspace can set
 * them per folder); nothing here is cached.
 */
import * as vscode from 'vscode';
import type { RuleSetting } from '../engine';
import type { EditorOverrides } from '../worker/protocol';

export type RunMode = 'onType' | 'onSave' | 'off';

export interface ResourceSettings {
  enable: boolean;
  run: RunMode;
  timeBudgetMs: number;
  overrides: EditorOverrides;
}

const RULE_SETTINGS = new Set(['off', 'error', 'warning', 'info']);
const RUN_MODES = new Set(['onType', 'onSave', 'off']);

/** The value of a setting only when someone set it (user, workspace, folder or language scope). */
function explicit<T>(cfg: vscode.WorkspaceConfiguration, key: string): T | undefined {
  const i = cfg.inspect<T>(key);
  if (!i) return undefined;
  return i.workspaceFolderLanguageValue ?? i.workspaceLanguageValue ?? i.globalLanguageValue
    ?? i.workspaceFolderValue ?? i.workspaceValue ?? i.globalValue;
}

export function settingsFor(resource: vscode.Uri | undefined): ResourceSettings {
  const cfg = vscode.workspace.getConfiguration('shipsafe', resource);
  const rules: Record<string, RuleSetting> = {};
  // only what someone set: the schema's per-rule defaults are documentation, the engine owns the defaults
  const i = cfg.inspect<Record<string, unknown>>('rules');
  const rawRules: Record<string, unknown> = {
    ...i?.globalValue, ...i?.workspaceValue, ...i?.workspaceFolderValue,
    ...i?.globalLanguageValue, ...i?.workspaceLanguageValue, ...i?.workspaceFolderLanguageValue,
  };
  for (const [id, v] of Object.entries(rawRules)) {
    if (typeof v === 'string' && RULE_SETTINGS.has(v)) rules[id] = v as RuleSetting;
  }
  const exclude = (cfg.get<unknown[]>('exclude') ?? []).filter((g): g is string => typeof g === 'string' && g.trim() !== '');
  const maxKb = explicit<number>(cfg, 'maxFileSizeKb');
  const run = cfg.get<string>('run', 'onType');
  const budget = cfg.get<number>('timeBudgetMs', 2000);
  return {
    enable: cfg.get<boolean>('enable', true) !== false,
    run: RUN_MODES.has(run) ? (run as RunMode) : 'onType',
    timeBudgetMs: Number.isFinite(budget) && budget >= 100 ? budget : 2000,
    overrides: {
      rules,
      exclude,
      ...(typeof maxKb === 'number' && Number.isFinite(maxKb) && maxKb > 0 ? { maxFileSizeKb: maxKb } : {}),
    },
  };
}
