/** The status bar item: Shipsafe's findings by severity, a spinner while scanning; a click opens Problems. */
import * as vscode from 'vscode';
import type { Analysis } from './analysis';
import { countDiagnostics } from './diagnostics';

export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('shipsafe.status', vscode.StatusBarAlignment.Right, 100);
  private readonly disposables: vscode.Disposable[] = [];
  private scanning?: { done: number; total: number };
  private timer?: NodeJS.Timeout;

  constructor(private readonly analysis: Analysis) {
    this.item.name = vscode.l10n.t('Shipsafe');
    this.item.command = { command: 'workbench.actions.view.problems', title: vscode.l10n.t('Open the Problems panel') };
    this.disposables.push(
      this.item,
      analysis.onDidChange(() => this.schedule()),
      vscode.window.onDidChangeActiveTextEditor(() => this.schedule()),
    );
    this.render();
    this.item.show();
  }

  setScanning(progress: { done: number; total: number } | undefined): void {
    this.scanning = progress;
    this.schedule();
  }

  get text(): string {
    return this.item.text;
  }

  get tooltipText(): string {
    const t = this.item.tooltip;
    return typeof t === 'string' ? t : t?.value ?? '';
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const d of this.disposables) d.dispose();
  }

  /** Diagnostics change in bursts during a scan: redraw at most ten times a second. */
  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => { this.timer = undefined; this.render(); }, 100);
  }

  private render(): void {
    const t = vscode.l10n.t;
    const c = countDiagnostics(this.analysis.collection);
    const parts: string[] = [];
    if (this.scanning) {
      parts.push(`$(sync~spin) ${t('Shipsafe')} ${this.scanning.done}/${this.scanning.total}`);
    } else {
      parts.push(`$(shield) ${t('Shipsafe')}`);
      if (c.error + c.warning + c.info === 0) parts.push('$(check)');
    }
    if (c.error) parts.push(`$(error) ${c.error}`);
    if (c.warning) parts.push(`$(warning) ${c.warning}`);
    if (c.info) parts.push(`$(info) ${c.info}`);

    const summary = t('Shipsafe: {0} error(s), {1} warning(s), {2} info', c.error, c.warning, c.info);
    const lines = [summary];
    if (this.scanning) lines.push(t('Scanning the workspace: {0} of {1} files', this.scanning.done, this.scanning.total));
    const editor = vscode.window.activeTextEditor;
    const notice = editor ? this.analysis.skipNotice(editor.document.uri) : undefined;
    if (notice) {
      parts.push('$(circle-slash)');
      lines.push(t('This file was not fully analysed: {0}.', notice.detail));
    }
    const configError = this.analysis.configError();
    if (configError) {
      parts.push('$(alert)');
      lines.push(t('.shipsafe.json has problems, so defaults apply; see the Shipsafe output.'));
    }
    lines.push(t('Click to open the Problems panel.'));
    this.item.text = parts.join(' ');
    this.item.tooltip = lines.join('\n');
    this.item.accessibilityInformation = { label: lines.slice(0, -1).join(' '), role: 'button' };
  }
}
