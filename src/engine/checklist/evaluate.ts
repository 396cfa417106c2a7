/**
 * The checklist model: every item with its status (pass / fail / not applicable / needs review), a one-line
 * detail saying why, and evidence (file:line, or the URL the running-app check requested). Pure: computed from
 * the findings of a workspace scan, project facts (facts.ts), the stack, the manual answers, and — when the user
 * ran them — the running-app check and the dependency check. The CLI and the extension both build it with this.
 */
import type { DetectedStack } from '../prompt/stack';
import type { Answer, Answers } from './answers';
import { appFindings, type AppCheckResult } from './app';
import type { AuditResult } from './audit';
import type { ProjectFacts } from './facts';
import { CHECKLIST, GROUPS, type ChecklistGroup, type CheckKind } from './items';

export type ItemStatus = 'pass' | 'fail' | 'na' | 'review';

export const STATUS_LABEL: Record<ItemStatus, string> = { pass: 'pass', fail: 'fail', na: 'not applicable', review: 'needs review' };

/** What the checklist needs of a finding (the CLI has engine findings, the extension has diagnostics). */
export interface ChecklistFinding {
  ruleId: string;
  /** relative to the project root, forward slashes */
  file: string;
  line: number;
  column: number;
  message: string;
  severity: 'error' | 'warning' | 'info';
}

export interface Evidence {
  /** relative to the project root; absent for evidence from a URL */
  file?: string;
  line?: number;
  column?: number;
  url?: string;
  ruleId?: string;
  message: string;
}

export interface ChecklistItem {
  id: string;
  group: ChecklistGroup;
  title: string;
  why: string;
  blocking: boolean;
  check: CheckKind;
  status: ItemStatus;
  /** one line: why it has this status */
  detail: string;
  evidence: Evidence[];
  /** what to look at (shown while it needs review) */
  review: string;
  /** the manual answer, when there is one */
  answer?: Answer;
  /** a person can tick it (it needs review, or was settled by hand) */
  answerable: boolean;
}

export interface ChecklistSummary {
  total: number;
  pass: number;
  fail: number;
  blockingFail: number;
  review: number;
  na: number;
  /** "12 of 20 pass, 3 fail, 5 need review" (not-applicable items are left out of the count) */
  line: string;
}

export interface Checklist {
  project: string;
  groups: { id: ChecklistGroup; title: string }[];
  items: ChecklistItem[];
  summary: ChecklistSummary;
  /** what the running-app check requested, when it ran */
  app?: { base: string; requested: string[]; incomplete?: string };
  /** the dependency check, when it ran */
  audit?: AuditResult;
  /** notes about the inputs (scan not done, git not run, answers file problems) */
  notes: string[];
}

export interface ChecklistInput {
  project: string;
  findings: readonly ChecklistFinding[];
  /** rules that ran over the project; undefined when the project was not scanned */
  rulesRun?: readonly string[];
  facts: ProjectFacts;
  stack: DetectedStack;
  answers?: Answers;
  app?: AppCheckResult;
  audit?: AuditResult;
  notes?: string[];
}

type Partial = { status: ItemStatus; detail: string; evidence?: Evidence[] } | undefined;

const MAX_EVIDENCE = 50;
const firstSentence = (s: string) => {
  const m = /^(.+?[.!?])(\s|$)/.exec(s);
  return (m ? m[1] : s).slice(0, 240);
};
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const fileEv = (e: { file: string; line?: number; message: string }): Evidence => ({ file: e.file, ...(e.line ? { line: e.line } : {}), message: e.message });
const hasDep = (facts: ProjectFacts, names: readonly string[]) => names.filter((n) => facts.packageJson?.dependencies.includes(n));

const RATE_LIMIT_PACKAGES = ['express-rate-limit', '@fastify/rate-limit', 'rate-limiter-flexible', '@upstash/ratelimit', 'koa-ratelimit', '@nestjs/throttler', 'hono-rate-limiter', 'express-slow-down'];
const VALIDATORS = ['zod', 'joi', 'yup', 'class-validator', 'valibot', 'express-validator', 'ajv', '@sinclair/typebox', 'superstruct'];

/** Evaluators for the `facts` items and extra conditions of some `rules` items (no finding does not always mean pass). */
const FACTS: Record<string, (input: ChecklistInput) => Partial> = {
  'secrets-out-of-repo': ({ facts }) => {
    const ev: Evidence[] = [];
    const g = facts.git;
    if (g.checked) {
      for (const f of g.trackedEnv) ev.push({ file: f, message: 'tracked by git: everyone with the repository has these secrets' });
      for (const c of g.committedEnv) if (!g.trackedEnv.includes(c.file)) ev.push({ file: c.file, message: `was committed in ${c.commit}: it stays in the history; rotate its secrets` });
    }
    const covered = facts.gitignoreCoversEnv.length > 0;
    if (!covered && facts.envFiles.length) for (const f of facts.envFiles) ev.push({ file: f, message: 'not ignored by .gitignore: the next `git add .` commits it' });
    if (ev.length) return { status: 'fail', detail: '.env files are, or were, in git, or are not ignored', evidence: ev };
    if (!covered) return { status: 'review', detail: `.gitignore does not list .env${facts.gitignores.length ? '' : ' (there is no .gitignore)'}; add it before creating one` };
    const ignored = { file: facts.gitignoreCoversEnv[0], message: 'ignores .env' };
    if (!g.checked) return { status: 'review', detail: `.gitignore ignores .env; the git history was not checked: ${g.reason}`, evidence: [ignored] };
    return { status: 'pass', detail: '.gitignore ignores .env and no .env file is or was committed', evidence: [ignored] };
  },
  'env-example-names-only': ({ facts }) => {
    if (!facts.envExamples.length) return { status: 'na', detail: 'no .env.example file' };
    if (facts.envExampleValues.length) return { status: 'fail', detail: 'an example env file holds values that look real', evidence: facts.envExampleValues.map(fileEv) };
    return { status: 'pass', detail: `${facts.envExamples.join(', ')} ${facts.envExamples.length === 1 ? 'holds' : 'hold'} names and harmless defaults only` };
  },
  'production-debug-off': ({ facts }) => {
    if (facts.debugSettings.length) return { status: 'fail', detail: 'the build publishes source maps or runs in debug mode', evidence: facts.debugSettings.map(fileEv) };
    return { status: 'review', detail: facts.buildConfigs.length ? `no source map or debug setting in ${facts.buildConfigs.join(', ')}; the host's NODE_ENV and build flags are not in the code` : 'no build config to check; the host\'s NODE_ENV and build flags are not in the code' };
  },
  'no-public-leftovers': ({ facts }) => {
    if (facts.publicLeftovers.length) return { status: 'fail', detail: 'public folders hold files that should not be served', evidence: facts.publicLeftovers.map(fileEv) };
    if (!facts.publicFolders.length) return { status: 'na', detail: 'no public folder' };
    return { status: 'pass', detail: `nothing to leave out in ${facts.publicFolders.join(', ')}` };
  },
  'container-non-root': ({ facts }) => {
    if (!facts.dockerfiles.length) return { status: 'na', detail: 'no Dockerfile' };
    if (facts.dockerProblems.length) return { status: 'fail', detail: 'the image runs as root or has secrets baked in', evidence: facts.dockerProblems.map(fileEv) };
    return { status: 'pass', detail: `${facts.dockerfiles.join(', ')} switch${facts.dockerfiles.length === 1 ? 'es' : ''} to a non-root user and bake${facts.dockerfiles.length === 1 ? 's' : ''} in no secrets` };
  },
  'https-hsts': ({ facts }) => {
    const helmet = hasDep(facts, ['helmet']);
    const hsts = facts.headerSettings.filter((h) => h.message.includes('Strict-Transport-Security'));
    const hint = helmet.length ? 'helmet sends HSTS by default; ' : hsts.length ? 'HSTS is set in the config; ' : '';
    return { status: 'review', detail: `${hint}whether the site is served only over HTTPS is up to the host: check the https URL with "Check running app"`, evidence: hsts.map(fileEv) };
  },
  'lockfile-committed': ({ facts }) => {
    if (!facts.packageJson) return { status: 'na', detail: 'no package.json' };
    if (!facts.lockfiles.length) return { status: 'fail', detail: 'no lockfile next to package.json', evidence: [{ file: 'package.json', message: 'run npm install and commit package-lock.json' }] };
    const g = facts.git;
    if (!g.checked) return { status: 'review', detail: `${facts.lockfiles.join(', ')} is present; whether it is committed was not checked: ${g.reason}` };
    const untracked = facts.lockfiles.filter((l) => !g.trackedLockfiles.includes(l));
    if (untracked.length === facts.lockfiles.length) return { status: 'fail', detail: 'the lockfile is not committed', evidence: untracked.map((file) => ({ file, message: 'not tracked by git' })) };
    return { status: 'pass', detail: `${g.trackedLockfiles.join(', ')} is committed` };
  },
  'dependency-audit': ({ facts, audit }) => {
    if (!facts.packageJson) return { status: 'na', detail: 'no package.json' };
    if (!audit) return { status: 'review', detail: 'not checked yet: run the dependency check (npm audit; it needs the network and runs only when asked)' };
    if (!audit.ok) return { status: 'review', detail: `could not check: ${audit.reason}` };
    const bad = audit.packages.filter((p) => p.severity === 'high' || p.severity === 'critical');
    const c = audit.counts;
    const counts = `${c.critical} critical, ${c.high} high, ${c.moderate} moderate, ${c.low} low`;
    if (bad.length) {
      return { status: 'fail', detail: `npm audit: ${counts}`, evidence: bad.map((p) => ({ file: 'package.json', message: `${p.name} (${p.severity}): ${p.title}${p.url ? ` ${p.url}` : ''}` })) };
    }
    return { status: 'pass', detail: `npm audit: ${counts}` };
  },
  'rate-limit-auth': ({ facts }) => {
    const libs = hasDep(facts, RATE_LIMIT_PACKAGES);
    if (libs.length) return undefined; // the rule decides
    return { status: 'review', detail: 'no rate-limit package in package.json: check login, signup and reset are limited (in the code, the host or a proxy)' };
  },
  'security-headers': ({ facts }) => {
    if (hasDep(facts, ['helmet', '@fastify/helmet', 'koa-helmet']).length) return undefined;
    const csp = facts.headerSettings.filter((h) => h.message.includes('Content-Security-Policy'));
    if (csp.length) return { status: 'pass', detail: 'security headers are set in the config', evidence: facts.headerSettings.map(fileEv) };
    return { status: 'review', detail: 'no helmet and no header config found: the host may set them; check with "Check running app"', evidence: facts.headerSettings.map(fileEv) };
  },
  'server-side-validation': ({ facts }) => {
    const libs = hasDep(facts, VALIDATORS);
    return { status: 'review', detail: libs.length ? `${libs.join(', ')} is installed; whether every route parses its body with it needs a look` : 'no validation library in package.json; check every route checks its body' };
  },
  'authorization-per-resource': ({ facts }) => ({
    status: 'review',
    detail: facts.routesWithIds.length ? `${plural(facts.routesWithIds.length, 'route')} ${facts.routesWithIds.length === 1 ? 'takes' : 'take'} an id: check each loads only what the signed-in user may see` : 'no route with an id parameter found; check handlers that load records',
    evidence: facts.routesWithIds.map(fileEv),
  }),
};

function stackHasAny(stack: DetectedStack, ids: readonly string[]): boolean {
  return stack.items.some((i) => ids.includes(i.id));
}

export function evaluateChecklist(input: ChecklistInput): Checklist {
  const app = input.app ? appFindings(input.app) : undefined;
  const items: ChecklistItem[] = [];
  for (const def of CHECKLIST) {
    const findings = input.findings.filter((f) => def.rules.includes(f.ruleId));
    const evidence: Evidence[] = [];
    let status: ItemStatus;
    let detail: string;
    const appFail = app?.fail[def.id] ?? [];
    const appPass = app?.pass[def.id] ?? [];
    if (def.appliesTo && !stackHasAny(input.stack, def.appliesTo) && !findings.length && !appFail.length) {
      status = 'na';
      detail = 'not used in this project';
    } else if (findings.length) {
      status = 'fail';
      const rules = [...new Set(findings.map((f) => f.ruleId))];
      detail = `${plural(findings.length, 'finding')} of ${rules.map((r) => `\`${r}\``).join(', ')}`;
      const sorted = [...findings].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
      for (const f of sorted) evidence.push({ file: f.file, line: f.line, column: f.column, ruleId: f.ruleId, message: firstSentence(f.message) });
      for (const e of appFail) evidence.push({ url: e.url, message: e.message });
    } else if (appFail.length) {
      status = 'fail';
      detail = `the running app (${input.app!.base}) shows the problem`;
      for (const e of appFail) evidence.push({ url: e.url, message: e.message });
    } else {
      const fact = FACTS[def.id]?.(input);
      if (def.check === 'rules' && !(fact && fact.status !== 'review')) {
        // rule items: no finding passes only when the rules ran; a facts opinion of "review" is kept as the detail
        const off = input.rulesRun ? def.rules.filter((r) => !input.rulesRun!.includes(r)) : def.rules;
        if (!input.rulesRun) { status = 'review'; detail = 'the project has not been scanned yet'; }
        else if (off.length) { status = 'review'; detail = `${off.map((r) => `\`${r}\``).join(', ')} ${off.length === 1 ? 'is' : 'are'} turned off, so this was not checked`; }
        else if (fact) { status = fact.status; detail = `no finding of ${def.rules.map((r) => `\`${r}\``).join(', ')}; ${fact.detail}`; evidence.push(...(fact.evidence ?? [])); }
        else { status = 'pass'; detail = `no finding of ${def.rules.map((r) => `\`${r}\``).join(', ')}`; }
      } else if (fact) {
        status = fact.status; detail = fact.detail; evidence.push(...(fact.evidence ?? []));
      } else {
        status = 'review'; detail = 'no code check can settle this: check it and tick it';
      }
      if (appPass.length && status === 'review' && (def.id === 'https-hsts' || def.id === 'security-headers' || def.id === 'no-stack-traces')) {
        status = 'pass';
        detail = `the running app (${input.app!.base}) sends them`;
      }
      for (const e of appPass) evidence.push({ url: e.url, message: e.message });
    }
    const answer = input.answers?.[def.id];
    const answerable = def.check === 'manual' || status === 'review' || (!!answer && status !== 'fail');
    if (answer && status === 'review') {
      if (answer.value === 'done') { status = 'pass'; detail = `checked by hand${answer.note ? `: ${answer.note}` : ''}`; }
      else if (answer.value === 'n/a') { status = 'na'; detail = `marked not applicable${answer.note ? `: ${answer.note}` : ''}`; }
    } else if (answer && status === 'fail' && answer.value !== 'open') {
      detail += ` (marked ${answer.value} by hand, but the code shows the problem)`;
    }
    items.push({
      id: def.id, group: def.group, title: def.title, why: def.why, blocking: def.blocking, check: def.check,
      status, detail, evidence: evidence.slice(0, MAX_EVIDENCE), review: def.review,
      ...(answer ? { answer } : {}), answerable,
    });
  }
  const summary = summarize(items);
  return {
    project: input.project,
    groups: GROUPS.map((g) => ({ ...g })),
    items,
    summary,
    ...(input.app ? { app: { base: input.app.base, requested: input.app.responses.map((r) => `GET ${r.url} → ${r.status ?? r.error}`), ...(input.app.incomplete ? { incomplete: input.app.incomplete } : {}) } } : {}),
    ...(input.audit ? { audit: input.audit } : {}),
    notes: [...(input.notes ?? [])],
  };
}

export function summarize(items: readonly ChecklistItem[]): ChecklistSummary {
  const count = (s: ItemStatus) => items.filter((i) => i.status === s).length;
  const pass = count('pass'); const fail = count('fail'); const review = count('review'); const na = count('na');
  const blockingFail = items.filter((i) => i.status === 'fail' && i.blocking).length;
  const total = items.length - na;
  const parts = [`${pass} of ${total} pass`];
  if (fail) parts.push(`${fail} fail${blockingFail ? ` (${blockingFail} blocking)` : ''}`);
  if (review) parts.push(`${review} need${review === 1 ? 's' : ''} review`);
  return { total, pass, fail, blockingFail, review, na, line: parts.join(', ') };
}
