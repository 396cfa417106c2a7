/**
 * The checklist panel, in the webview (browser). Renders the engine's checklist model sent by the host; posts
 * user actions back (open evidence, answer an item, export, run a check). Built by src/tools/build.ts into
 * dist/webview/checklist.js. The DOM is built with createElement/textContent only: no data ever goes through
 * innerHTML. Keyboard: Tab between controls, ↑/↓/Home/End between items, Enter/Space opens an item.
 * The filter, the open items and the focused item survive hiding the panel (getState/setState).
 */
import type { Checklist, ChecklistItem, Evidence, ItemStatus } from '../engine/checklist/evaluate';
import type { Filter, HostMessage, PanelContext, PanelState, WebviewMessage } from './protocol';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): PanelState | undefined;
  setState(state: PanelState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const app = document.getElementById('app')!;

const saved = vscode.getState();
const state: PanelState = { filter: saved?.filter ?? 'all', expanded: saved?.expanded ?? [], ...(saved?.focused ? { focused: saved.focused } : {}) };
let current: { checklist: Checklist; context: PanelContext } | undefined;

const STATUS: Record<ItemStatus, { label: string; icon: string }> = {
  fail: { label: 'Fail', icon: 'error' },
  review: { label: 'Needs review', icon: 'eye' },
  pass: { label: 'Pass', icon: 'pass' },
  na: { label: 'Not applicable', icon: 'circle-slash' },
};
const FILTERS: { id: Filter; label: string }[] = [
  { id: 'all', label: 'All' },
  { id: 'fail', label: 'Fail' },
  { id: 'review', label: 'Needs review' },
  { id: 'pass', label: 'Pass' },
  { id: 'na', label: 'Not applicable' },
];

function save(): void {
  vscode.setState(state);
}

function post(m: WebviewMessage): void {
  vscode.postMessage(m);
}

/** createElement with classes, attributes and text (never HTML). */
function el<K extends keyof HTMLElementTagNameMap>(tag: K, opts: { cls?: string; text?: string; attrs?: Record<string, string> } = {}, ...children: (Node | undefined)[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (opts.cls) e.className = opts.cls;
  if (opts.text !== undefined) e.textContent = opts.text;
  for (const [k, v] of Object.entries(opts.attrs ?? {})) e.setAttribute(k, v);
  for (const c of children) if (c) e.append(c);
  return e;
}

function icon(name: string, extra = ''): HTMLElement {
  return el('span', { cls: `codicon codicon-${name}${extra ? ` ${extra}` : ''}`, attrs: { 'aria-hidden': 'true' } });
}

function button(label: string, iconName: string | undefined, onClick: () => void, opts: { cls?: string; attrs?: Record<string, string> } = {}): HTMLButtonElement {
  const b = el('button', { cls: opts.cls ?? 'action', attrs: { type: 'button', ...(opts.attrs ?? {}) } });
  if (iconName) b.append(icon(iconName));
  b.append(el('span', { text: label }));
  b.addEventListener('click', onClick);
  return b;
}

/** Text with `code` spans, built as text nodes and <code> elements (never parsed as HTML). */
function richText(tag: 'p' | 'span', cls: string, text: string): HTMLElement {
  const out = el(tag, { cls });
  text.split(/`([^`\n]+)`/).forEach((part, i) => {
    if (!part) return;
    out.append(i % 2 ? el('code', { text: part }) : document.createTextNode(part));
  });
  return out;
}

function location(e: Evidence): string {
  if (e.url) return e.url;
  if (!e.file) return '';
  return e.line ? `${e.file}:${e.line}${e.column ? `:${e.column}` : ''}` : e.file;
}

function evidenceList(item: ChecklistItem): HTMLElement | undefined {
  if (!item.evidence.length) return undefined;
  const heading = item.status === 'fail' ? 'Evidence' : item.status === 'review' ? 'Where to look' : 'Seen';
  const list = el('ul', { cls: 'evidence', attrs: { 'aria-label': `${heading} for ${item.title}` } });
  for (const e of item.evidence) {
    const li = el('li');
    if (e.file) {
      const link = el('button', { cls: 'link', text: location(e), attrs: { type: 'button', title: `Open ${location(e)}`, 'data-file': e.file } });
      link.addEventListener('click', () => post({ type: 'open', file: e.file!, ...(e.line ? { line: e.line } : {}), ...(e.column ? { column: e.column } : {}) }));
      li.append(link);
    } else if (e.url) {
      li.append(el('code', { cls: 'url', text: e.url }));
    }
    li.append(richText('span', 'message', ` ${e.message}`));
    if (e.ruleId) li.append(el('span', { cls: 'rule', text: ` ${e.ruleId}` }));
    list.append(li);
  }
  return el('div', { cls: 'evidence-block' }, el('h4', { text: heading }), list);
}

function answerControls(item: ChecklistItem): HTMLElement | undefined {
  if (!item.answerable) return undefined;
  const value = item.answer?.value ?? 'open';
  const box = el('fieldset', { cls: 'answer' }, el('legend', { text: 'Your answer' }));
  const name = `answer-${item.id}`;
  const note = el('input', { cls: 'note', attrs: { type: 'text', 'aria-label': `Note for ${item.title}`, placeholder: 'Optional note (who checked, what, where)', maxlength: '500' } });
  note.value = item.answer?.note ?? '';
  const send = (v: 'done' | 'n/a' | 'open') => post({ type: 'answer', id: item.id, value: v, ...(note.value.trim() ? { note: note.value.trim() } : {}) });
  const choices: { v: 'done' | 'n/a' | 'open'; label: string }[] = [
    { v: 'done', label: 'Checked' },
    { v: 'n/a', label: 'Not applicable' },
    { v: 'open', label: 'Open' },
  ];
  const row = el('div', { cls: 'choices', attrs: { role: 'radiogroup', 'aria-label': `Answer for ${item.title}` } });
  for (const c of choices) {
    const input = el('input', { attrs: { type: 'radio', name, value: c.v, 'data-answer': c.v } });
    input.checked = value === c.v;
    input.addEventListener('change', () => { if (input.checked) send(c.v); });
    row.append(el('label', {}, input, el('span', { text: c.label })));
  }
  note.addEventListener('change', () => {
    const checked = box.querySelector<HTMLInputElement>('input[type=radio]:checked');
    send((checked?.value ?? 'open') as 'done' | 'n/a' | 'open');
  });
  box.append(row, note);
  return box;
}

function renderItem(item: ChecklistItem): HTMLElement {
  const s = STATUS[item.status];
  const expanded = state.expanded.includes(item.id);
  const detailsId = `details-${item.id}`;
  const li = el('li', { cls: `item status-${item.status}`, attrs: { 'data-id': item.id, 'data-status': item.status } });
  const head = el('button', {
    cls: 'item-head',
    attrs: { type: 'button', 'aria-expanded': String(expanded), 'aria-controls': detailsId, 'data-item': item.id, tabindex: '-1' },
  });
  head.append(
    icon(s.icon, `status-icon status-${item.status}`),
    el('span', { cls: 'title', text: item.title }),
    el('span', { cls: `badge status-${item.status}`, text: s.label }),
  );
  if (item.blocking && item.status === 'fail') head.append(el('span', { cls: 'badge blocking', text: 'Blocking' }));
  head.addEventListener('click', () => toggle(item.id));
  head.addEventListener('focus', () => { state.focused = item.id; save(); });
  const details = el('div', { cls: 'details', attrs: { id: detailsId } },
    el('p', { cls: 'why', text: item.why }),
    richText('p', 'detail', item.detail),
    item.status === 'review' ? el('p', { cls: 'review' }, el('strong', { text: 'To check: ' }), richText('span', 'review-text', item.review)) : undefined,
    evidenceList(item),
    answerControls(item),
  );
  details.hidden = !expanded;
  li.append(head, details);
  return li;
}

function toggle(id: string): void {
  const i = state.expanded.indexOf(id);
  if (i >= 0) state.expanded.splice(i, 1); else state.expanded.push(id);
  state.focused = id;
  save();
  const head = app.querySelector<HTMLButtonElement>(`button.item-head[data-item="${CSS.escape(id)}"]`);
  const details = document.getElementById(`details-${id}`);
  if (head && details) {
    head.setAttribute('aria-expanded', String(i < 0));
    details.hidden = i >= 0;
  }
}

function heads(): HTMLButtonElement[] {
  return [...app.querySelectorAll<HTMLButtonElement>('button.item-head')];
}

/** Roving focus among the item headers: exactly one is in the Tab order. */
function setRoving(target?: HTMLButtonElement): void {
  const all = heads();
  const active = target ?? all.find((h) => h.dataset.item === state.focused) ?? all[0];
  for (const h of all) h.tabIndex = h === active ? 0 : -1;
}

function onListKey(ev: KeyboardEvent): void {
  const all = heads();
  const at = all.indexOf(document.activeElement as HTMLButtonElement);
  if (at < 0) return;
  let next = -1;
  if (ev.key === 'ArrowDown') next = Math.min(all.length - 1, at + 1);
  else if (ev.key === 'ArrowUp') next = Math.max(0, at - 1);
  else if (ev.key === 'Home') next = 0;
  else if (ev.key === 'End') next = all.length - 1;
  if (next < 0) return;
  ev.preventDefault();
  setRoving(all[next]);
  all[next].focus();
}

function render(): void {
  if (!current) return;
  const { checklist: c, context } = current;
  const hadFocus = document.activeElement instanceof HTMLElement && app.contains(document.activeElement) ? document.activeElement : undefined;
  const focusKey = hadFocus?.dataset.item ?? hadFocus?.dataset.filter ?? hadFocus?.dataset.action;
  app.replaceChildren();
  app.setAttribute('aria-busy', context.busy ? 'true' : 'false');

  const header = el('header', { cls: 'top' },
    el('h1', { text: `Pre-deploy checklist · ${c.project}` }),
    el('p', { cls: 'summary', text: c.summary.line, attrs: { role: 'status', 'aria-live': 'polite', id: 'summary' } }),
  );
  if (c.summary.blockingFail) header.append(el('p', { cls: 'blocking-note', text: `${c.summary.blockingFail} blocking item${c.summary.blockingFail === 1 ? '' : 's'} fail: fix before deploying.` }));
  if (context.busy) header.append(el('p', { cls: 'busy' }, icon('loading', 'codicon-modifier-spin'), el('span', { text: ` ${context.busy}` })));
  if (context.error) header.append(el('p', { cls: 'error', text: context.error, attrs: { role: 'alert' } }));

  const toolbar = el('div', { cls: 'toolbar', attrs: { role: 'toolbar', 'aria-label': 'Checklist actions' } });
  const act = (label: string, ic: string, action: WebviewMessage['type'], title: string, disabled = false) => {
    const b = button(label, ic, () => post({ type: action } as WebviewMessage), { attrs: { 'data-action': action, title } });
    b.disabled = disabled;
    toolbar.append(b);
  };
  act('Refresh', 'refresh', 'refresh', 'Scan again and recompute every item', !!context.busy);
  act('Check running app', 'globe', 'checkApp', context.trusted ? 'Request the running app\'s page and a few well-known paths' : 'Only in trusted workspaces', !context.trusted || !!context.busy);
  act('Dependency check', 'package', 'audit', context.trusted ? 'Run npm audit (sends the dependency list to the npm registry)' : 'Only in trusted workspaces', !context.trusted || !!context.busy);
  act('Export report', 'export', 'export', 'Save the checklist as Markdown');
  header.append(toolbar);

  const counts: Record<Filter, number> = { all: c.items.length, fail: 0, review: 0, pass: 0, na: 0 };
  for (const i of c.items) counts[i.status]++;
  const filters = el('div', { cls: 'filters', attrs: { role: 'group', 'aria-label': 'Show items' } });
  for (const f of FILTERS) {
    const b = button(`${f.label} (${counts[f.id]})`, undefined, () => { state.filter = f.id; save(); render(); }, {
      cls: `filter${state.filter === f.id ? ' selected' : ''}`, attrs: { 'aria-pressed': String(state.filter === f.id), 'data-filter': f.id },
    });
    filters.append(b);
  }
  header.append(filters);
  app.append(header);

  const list = el('div', { cls: 'groups' });
  for (const g of c.groups) {
    const items = c.items.filter((i) => i.group === g.id && (state.filter === 'all' || i.status === state.filter));
    if (!items.length) continue;
    const ul = el('ul', { cls: 'items', attrs: { 'aria-labelledby': `group-${g.id}` } });
    for (const i of items) ul.append(renderItem(i));
    list.append(el('section', { cls: 'group' }, el('h2', { text: g.title, attrs: { id: `group-${g.id}` } }), ul));
  }
  if (!list.childElementCount) list.append(el('p', { cls: 'empty', text: 'No item has this status.' }));
  list.addEventListener('keydown', onListKey);
  app.append(list);

  if (c.app) {
    const req = el('ul', { cls: 'requests' });
    for (const r of c.app.requested) req.append(el('li', { text: r }));
    if (c.app.incomplete) req.append(el('li', { text: `Not finished: ${c.app.incomplete}` }));
    app.append(el('section', { cls: 'app-check' }, el('h2', { text: `Running app check: ${c.app.base}` }), el('p', { text: 'Shipsafe requested exactly these URLs:' }), req));
  }
  if (c.notes.length) {
    const notes = el('ul', { cls: 'notes' });
    for (const n of c.notes) notes.append(el('li', { text: n }));
    app.append(el('section', {}, el('h2', { text: 'Notes' }), notes));
  }
  setRoving();
  // keep the keyboard where it was across re-renders (live updates must not steal or drop focus)
  if (focusKey) {
    const again = app.querySelector<HTMLElement>(`[data-item="${CSS.escape(focusKey)}"], [data-filter="${CSS.escape(focusKey)}"], [data-action="${CSS.escape(focusKey)}"]`);
    if (again) { if (again.classList.contains('item-head')) setRoving(again as HTMLButtonElement); again.focus(); }
  }
}

window.addEventListener('message', (ev: MessageEvent<HostMessage>) => {
  const m = ev.data;
  if (!m || m.type !== 'update') return;
  current = { checklist: m.checklist, context: m.context };
  render();
});

post({ type: 'ready' });
