/**
 * Builds the secure preamble: the security requirements an AI assistant should follow in this project, chosen
 * from the catalog by the detected stack, the open findings and the task the user is about to ask for, then a
 * short self-review list. Pure and deterministic (stable ordering, no dates), so regenerating with nothing
 * changed gives the same bytes. Findings contribute rule ids and counts only: never code, never values.
 */
import {
  CHECKLIST_ITEMS, REQUIREMENTS, RULE_HINTS, RULE_HOME, SECTION_ORDER, TASKS, type Phrase, type Requirement, type TaskDef, type When,
} from './catalog';
import { describeStack, stackHas, type DetectedStack } from './stack';

/** What the preamble needs to know about a finding: which rule, which file. Nothing else is read. */
export interface FindingSummary {
  ruleId: string;
  file: string;
}

export interface PreambleInput {
  stack: DetectedStack;
  findings?: readonly FindingSummary[];
  /** what the user is about to ask the assistant to build ("file upload endpoint") */
  task?: string;
  /** rule titles by id, for the findings section (default: the ids alone) */
  ruleTitles?: Readonly<Record<string, string>>;
}

export type RequirementReason = 'stack' | 'finding' | 'task';

export interface SelectedRequirement {
  id: string;
  title: string;
  text: string;
  /** the rule ids shown in the bullet */
  shown: string[];
  rules: string[];
  checklist: string[];
  reason: RequirementReason;
}

export interface FindingGroup {
  ruleId: string;
  title: string;
  count: number;
  files: number;
}

export interface Preamble {
  /** the preamble as Markdown (ends with a newline, no trailing spaces) */
  markdown: string;
  /** one line describing the stack ("Next.js (app router), Prisma, …"), empty when nothing was recognised */
  stackLine: string;
  requirements: SelectedRequirement[];
  findings: FindingGroup[];
  /** the task as shown (cleaned), and the task kinds it matched */
  task?: { text: string; matched: string[] };
  checks: string[];
  /** every rule id and checklist id the preamble traces to */
  traces: { rules: string[]; checklist: string[] };
}

/** Limits that keep the preamble well under a page (long instruction files get skimmed or ignored). */
export const LIMITS = { requirements: 9, findings: 4, tasks: 2, controlsPerTask: 4, checks: 4, ruleIdsPerBullet: 2 } as const;

/** Fewer stack requirements when a task or findings section takes room (forced ones always stay). */
function requirementCap(hasTask: boolean, hasFindings: boolean): number {
  return LIMITS.requirements - (hasTask ? 2 : 0) - (hasFindings ? 1 : 0);
}

/** Whether Shipsafe's analyzer reads this project's code: JavaScript/TypeScript and, since issue 18, Python. */
export function analyzable(_stack: DetectedStack): boolean {
  return true;
}

/** A Python project without JavaScript: only rule ids that cover Python are worth naming. */
function pythonOnly(stack: DetectedStack): boolean {
  return stackHas(stack, ['python']) && !stackHas(stack, ['javascript', 'typescript', 'static-site']);
}


export function priorityOf(req: Requirement, stack: DetectedStack): number {
  return req.priorityWhen?.find((p) => holds(p.when, stack))?.priority ?? req.priority;
}

export function checkOf(req: Requirement, stack: DetectedStack): string | undefined {
  if (req.check === undefined) return undefined;
  const text = typeof req.check === 'string' ? req.check : phraseFor(req.check, stack);
  return text === undefined ? undefined : fill(text, stack);
}

function shownRules(req: Requirement, stack: DetectedStack): string[] {
  if (!analyzable(stack)) return [];
  const phrase = req.text.find((p) => holds(p.when, stack));
  // the prompt builder is bundled into the extension without the rules: a Python project gets no rule ids
  if (pythonOnly(stack)) return [];
  return [...(phrase?.show ?? req.show ?? req.rules)].slice(0, LIMITS.ruleIdsPerBullet);
}

export function holds(when: When | undefined, stack: DetectedStack): boolean {
  if (!when) return true;
  if (when.any && !stackHas(stack, when.any)) return false;
  if (when.all && !when.all.every((id) => stackHas(stack, [id]))) return false;
  if (when.none && stackHas(stack, when.none)) return false;
  if (when.facts && !when.facts.every((f) => stack.facts[f])) return false;
  return true;
}

function fill(text: string, stack: DetectedStack): string {
  return text.replace(/(?<!\$)\{(\w+)\}/g, (whole, key: string) => {
    switch (key) {
      case 'validator': {
        const v = stack.items.find((i) => i.kind === 'validation');
        return v ? v.name : 'a schema';
      }
      case 'ratelimiter': {
        const r = stack.items.find((i) => i.id === 'rate-limit');
        return r?.package ?? 'rate limiting';
      }
      case 'auth': {
        const names = stack.items.filter((i) => ['nextauth', 'clerk', 'supabase-auth'].includes(i.id)).map((i) => i.name);
        return names.length ? names.join(', ') : 'your auth library';
      }
      default:
        return whole;
    }
  });
}

function phraseFor(phrases: readonly Phrase[], stack: DetectedStack): string | undefined {
  return phrases.find((p) => holds(p.when, stack))?.text;
}

export function requirementText(req: Requirement, stack: DetectedStack): string {
  const parts = [phraseFor(req.text, stack) ?? req.text[req.text.length - 1].text];
  for (const e of req.extras ?? []) if (holds(e.when, stack)) parts.push(e.text);
  return fill(parts.join(' '), stack);
}

/** Cleans the user's task text for display: one line, no Markdown or HTML, at most 100 characters. */
export function cleanTask(task: string): string {
  let t = task.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/[`*_#<>[\]|\\]/g, '').replace(/\s+/g, ' ').trim();
  if (t.length > 100) t = `${t.slice(0, 99).trimEnd()}…`;
  return t;
}

export function matchTasks(task: string): TaskDef[] {
  const lower = task.toLowerCase();
  return TASKS.filter((t) => t.match.test(lower)).slice(0, LIMITS.tasks);
}

const REQ_INDEX = new Map(REQUIREMENTS.map((r, i) => [r.id, i]));

/** Groups findings by rule, most frequent first (ties: more files, then rule id). */
export function groupFindings(findings: readonly FindingSummary[], ruleTitles: Readonly<Record<string, string>> = {}): FindingGroup[] {
  const by = new Map<string, { count: number; files: Set<string> }>();
  for (const f of findings) {
    const g = by.get(f.ruleId) ?? { count: 0, files: new Set<string>() };
    g.count++;
    g.files.add(f.file);
    by.set(f.ruleId, g);
  }
  return [...by].map(([ruleId, g]) => ({ ruleId, title: ruleTitles[ruleId] ?? ruleId, count: g.count, files: g.files.size }))
    .sort((a, b) => b.count - a.count || b.files - a.files || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0));
}

/** The requirement a finding of this rule pulls in: its home (RULE_HOME), else the first that lists it. */
function requirementForRule(ruleId: string): Requirement | undefined {
  const home = RULE_HOME[ruleId];
  return (home !== undefined ? REQUIREMENTS[REQ_INDEX.get(home) ?? -1] : undefined) ?? REQUIREMENTS.find((r) => r.rules.includes(ruleId));
}

const GENERIC_TASK_CONTROLS: readonly Phrase[] = [
  { text: 'Validate every input of the new code on the server and check, in each handler, that the caller may read or change the records it touches.' },
  { text: 'Keep secrets on the server and out of logs; return generic errors.' },
];

export function buildPreamble(input: PreambleInput): Preamble {
  const { stack } = input;
  const applicable = new Set(REQUIREMENTS.filter((r) => holds(r.applies, stack)).map((r) => r.id));

  const groups = groupFindings(input.findings ?? [], input.ruleTitles);
  const shownGroups = groups.slice(0, LIMITS.findings);

  const taskText = input.task ? cleanTask(input.task) : '';
  const tasks = taskText ? matchTasks(taskText) : [];

  // rank: findings first, then the task's, then by priority; ties in catalog order
  const rank = new Map<string, { score: number; reason: RequirementReason }>();
  const consider = (id: string, score: number, reason: RequirementReason) => {
    const cur = rank.get(id);
    if (!cur || score < cur.score) rank.set(id, { score, reason });
  };
  for (const id of applicable) consider(id, priorityOf(REQUIREMENTS[REQ_INDEX.get(id)!], stack), 'stack');
  for (const t of tasks) for (const id of t.requirements) if (applicable.has(id)) consider(id, 0.5, 'task');
  // the task's controls cover these
  const replaced = new Set(tasks.flatMap((t) => t.replaces));
  for (const id of replaced) if (rank.get(id)?.reason !== 'finding') rank.delete(id);
  for (const g of shownGroups) {
    const req = requirementForRule(g.ruleId);
    if (req) consider(req.id, 0, 'finding');
  }
  const cap = Math.max(requirementCap(!!taskText, shownGroups.length > 0), [...rank.values()].filter((r) => r.reason !== 'stack').length);
  const chosen = [...rank].sort((a, b) => a[1].score - b[1].score || REQ_INDEX.get(a[0])! - REQ_INDEX.get(b[0])!)
    .slice(0, cap)
    .map(([id, r]) => ({ req: REQUIREMENTS[REQ_INDEX.get(id)!], ...r }));
  const inOrder = [...chosen].sort((a, b) =>
    SECTION_ORDER.indexOf(a.req.section) - SECTION_ORDER.indexOf(b.req.section) || REQ_INDEX.get(a.req.id)! - REQ_INDEX.get(b.req.id)!);

  const requirements: SelectedRequirement[] = inOrder.map(({ req, reason }) => ({
    id: req.id, title: req.title, text: requirementText(req, stack), shown: shownRules(req, stack), rules: [...req.rules], checklist: [...req.checklist], reason,
  }));

  // the self-review list: the task's checks, then the most important requirements' checks
  const checks: string[] = [];
  for (const t of tasks) checks.push(t.check);
  for (const { req } of chosen) {
    const check = checkOf(req, stack);
    if (check && checks.length < LIMITS.checks) checks.push(check);
  }
  const finalCheck = analyzable(stack)
    ? `Run Shipsafe on the files you changed (\`npx shipsafe scan <files>\` or the \`shipsafe_check\` tool) and fix what it reports; a suppression needs a rule id and a reason${pythonOnly(stack) ? ' (`# shipsafe-ignore-next-line <id> -- <reason>`)' : ''}.`
    : 'Re-read each handler you changed against the requirements above (Shipsafe\'s scanner does not read Python code yet).';

  // traces
  const ruleSet = new Set<string>();
  const checklistSet = new Set<string>();
  for (const r of requirements) { r.rules.forEach((x) => ruleSet.add(x)); r.checklist.forEach((x) => checklistSet.add(x)); }
  for (const t of tasks) { t.rules.forEach((x) => ruleSet.add(x)); t.checklist.forEach((x) => checklistSet.add(x)); }
  for (const g of shownGroups) ruleSet.add(g.ruleId);
  ruleSet.add('invalid-suppression');

  // markdown
  const stackLine = describeStack(stack);
  const lines: string[] = [];
  lines.push('## Security requirements for this project');
  lines.push('');
  const basis = [stackLine ? `Stack: ${stackLine}.` : 'No framework was recognised, so these are the general rules.'];
  if (groups.length) basis.push(`Open Shipsafe findings: ${groups.reduce((n, g) => n + g.count, 0)}.`);
  lines.push(`_Generated by Shipsafe from this project. ${basis.join(' ')}_`);
  lines.push('');
  lines.push(analyzable(stack)
    ? 'Follow these in all code you write or change here. They match the checks Shipsafe runs on this project.'
    : 'Follow these in all code you write or change here.');
  lines.push('');
  for (const r of requirements) {
    const ids = r.shown.length ? ` (${r.shown.map((id) => `\`${id}\``).join(', ')})` : '';
    lines.push(`- **${r.title}.** ${r.text}${ids}`);
  }
  if (shownGroups.length) {
    lines.push('');
    lines.push('### Open findings: do not repeat these');
    lines.push('');
    for (const g of shownGroups) {
      const hint = RULE_HINTS[g.ruleId];
      lines.push(`- ${g.title} (\`${g.ruleId}\`): ${plural(g.count, 'finding')} in ${plural(g.files, 'file')}${hint ? `. Instead, ${hint}.` : '.'}`);
    }
    if (groups.length > shownGroups.length) {
      const rest = groups.slice(shownGroups.length).reduce((n, g) => n + g.count, 0);
      lines.push(`- …and ${plural(rest, 'more finding')} of ${plural(groups.length - shownGroups.length, 'other kind')}.`);
    }
  }
  if (taskText) {
    lines.push('');
    lines.push(`### For this task: ${taskText}`);
    lines.push('');
    const controls: string[] = [];
    const perTask = tasks.length > 1 ? LIMITS.controlsPerTask - 1 : LIMITS.controlsPerTask;
    for (const t of tasks) {
      const texts = t.controls.map((c) => (typeof c === 'string' ? c : phraseFor(c, stack))).filter((c): c is string => !!c);
      controls.push(...texts.slice(0, perTask).map((c) => fill(c, stack)));
    }
    if (!tasks.length) controls.push(...GENERIC_TASK_CONTROLS.map((c) => c.text));
    for (const c of controls) lines.push(`- ${c}`);
  }
  lines.push('');
  lines.push('### Before you say done, check');
  lines.push('');
  for (const c of [...checks, finalCheck]) lines.push(`- [ ] ${c}`);
  const markdown = `${lines.map((l) => l.trimEnd()).join('\n')}\n`;

  return {
    markdown,
    stackLine,
    requirements,
    findings: shownGroups,
    ...(taskText ? { task: { text: taskText, matched: tasks.map((t) => t.id) } } : {}),
    checks: [...checks, finalCheck],
    traces: { rules: [...ruleSet].sort(), checklist: [...checklistSet].sort() },
  };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Every checklist id the catalog may use (for tests and for the checklist feature). */
export const CHECKLIST_IDS: readonly string[] = CHECKLIST_ITEMS.map((c) => c.id);
