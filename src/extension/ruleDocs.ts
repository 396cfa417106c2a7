/**
 * Rule documentation, bundled and offline: the generated pages in media/docs/rules/<id>.md, opened in the
 * Markdown preview. Diagnostics link to them through their `code`. A rule without a page (a build that
 * skipped `npm run generate`) gets one rendered from the metadata the worker's engine carries.
 */
import * as vscode from 'vscode';
import type { RuleMeta } from '../engine';
import type { WorkerClient } from './workerClient';

export const RULE_DOC_SCHEME = 'shipsafe-rule';
export const SHOW_RULE_DOCS_COMMAND = 'shipsafe.showRuleDocumentation';

/** The link a diagnostic's code carries: a command link, so a click opens the rendered page. */
export function ruleDocUri(ruleId: string): vscode.Uri {
  return vscode.Uri.parse(`command:${SHOW_RULE_DOCS_COMMAND}?${encodeURIComponent(JSON.stringify([ruleId]))}`);
}

export function ruleDocDocumentUri(ruleId: string): vscode.Uri {
  return vscode.Uri.from({ scheme: RULE_DOC_SCHEME, path: `/${ruleId}.md` });
}

function fence(code: string): string {
  const lang = /interface |: string/.test(code) || code.split('\n').some((l) => /^\s*(import|export)\s/.test(l) && / :\s/.test(l)) ? 'ts' : 'js';
  return '```' + lang + '\n' + code.trim() + '\n```';
}

export function renderRuleDoc(meta: RuleMeta): string {
  const t = vscode.l10n.t;
  const lines = [
    `# ${meta.title}`,
    '',
    `\`${meta.id}\` · ${t('severity')}: ${meta.severity} · ${t('category')}: ${meta.category}`
      + (meta.cwe.length ? ` · ${meta.cwe.map((c) => `CWE-${c}`).join(', ')}` : '')
      + (meta.owasp ? ` · OWASP ${meta.owasp}` : ''),
    '',
    `## ${t('What it does')}`, '', meta.description, '',
    `## ${t('Why is this bad?')}`, '', meta.why, '',
    `## ${t('How to fix it')}`, '', meta.fix, '',
    `## ${t('Example')}`, '', t('Flagged:'), '', fence(meta.bad), '', t('Fixed:'), '', fence(meta.good), '',
    `## ${t('Configuration')}`, '',
    t('Turn the rule off or change its severity in the setting {0} or in {1}:', '`shipsafe.rules`', '`.shipsafe.json`'), '',
    '```json\n' + JSON.stringify({ rules: { [meta.id]: 'warning' } }, null, 2) + '\n```', '',
    t('To silence one finding, put {0} on the line above it.', `\`// shipsafe-ignore-next-line ${meta.id} -- <reason>\``),
    '',
  ];
  return lines.join('\n');
}

export function registerRuleDocs(context: vscode.ExtensionContext, worker: WorkerClient): void {
  const provider: vscode.TextDocumentContentProvider = {
    async provideTextDocumentContent(uri) {
      const id = uri.path.replace(/^\//, '').replace(/\.md$/, '');
      const meta = (await worker.ruleMetas()).find((r) => r.id === id);
      return meta ? renderRuleDoc(meta) : vscode.l10n.t('Shipsafe has no rule named "{0}".', id);
    },
  };
  context.subscriptions.push(
    vscode.workspace.registerTextDocumentContentProvider(RULE_DOC_SCHEME, provider),
    vscode.commands.registerCommand(SHOW_RULE_DOCS_COMMAND, async (ruleId?: unknown) => {
      let id = typeof ruleId === 'string' ? ruleId : undefined;
      if (!id) {
        const metas = await worker.ruleMetas();
        const pick = await vscode.window.showQuickPick(
          metas.map((m) => ({ label: m.title, description: m.id, id: m.id })),
          { placeHolder: vscode.l10n.t('Which rule?') });
        id = pick?.id;
      }
      if (!id || !/^[a-z0-9-]+$/.test(id)) return;
      let uri = vscode.Uri.joinPath(context.extensionUri, 'media', 'docs', 'rules', `${id}.md`);
      try { await vscode.workspace.fs.stat(uri); } catch { uri = ruleDocDocumentUri(id); }
      try {
        await vscode.commands.executeCommand('markdown.showPreview', uri);
      } catch {
        await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: true });
      }
    }),
  );
}
