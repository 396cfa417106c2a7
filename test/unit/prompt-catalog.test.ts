/**
 * The secure prompt's catalog agrees with the analyzer: every rule it links exists, every security rule is
 * covered by a requirement, every checklist id is declared, every stack id a condition names is known, and every
 * requirement traces to something.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { allRules } from '../../src/engine';
import {
  buildPreamble, CHECKLIST_ITEMS, REQUIREMENTS, RULE_HINTS, RULE_HOME, STACK_ITEM_BY_ID, STACK_ITEMS, TASKS, requirementText,
  type DetectedStack, type Phrase, type When,
} from '../../src/engine/prompt';

const ruleIds = new Set(allRules.map((r) => r.meta.id));
const checklistIds = new Set(CHECKLIST_ITEMS.map((c) => c.id));

function whens(): { where: string; when: When }[] {
  const out: { where: string; when: When }[] = [];
  const phrases = (where: string, ps: readonly Phrase[] | undefined) => ps?.forEach((p, i) => { if (p.when) out.push({ where: `${where}[${i}]`, when: p.when }); });
  for (const r of REQUIREMENTS) {
    out.push({ where: `${r.id}.applies`, when: r.applies });
    phrases(`${r.id}.text`, r.text);
    phrases(`${r.id}.extras`, r.extras);
    if (Array.isArray(r.check)) phrases(`${r.id}.check`, r.check);
    r.priorityWhen?.forEach((p, i) => out.push({ where: `${r.id}.priorityWhen[${i}]`, when: p.when }));
  }
  for (const t of TASKS) t.controls.forEach((c, i) => { if (typeof c !== 'string') phrases(`task ${t.id}.controls[${i}]`, c); });
  return out;
}

function stackOf(ids: string[], facts: Partial<DetectedStack['facts']> = {}): DetectedStack {
  return {
    items: ids.map((id) => ({ id, kind: STACK_ITEM_BY_ID.get(id)!.kind, name: STACK_ITEM_BY_ID.get(id)!.name, evidence: 'test' })),
    facts: { nextAppRouter: false, nextPagesRouter: false, dockerRunsAsRoot: false, dockerignoreMissing: false, hasServer: true, ...facts },
  };
}

describe('secure prompt catalog', () => {
  it('requirement ids are unique and kebab-case; every requirement has a default text', () => {
    const seen = new Set<string>();
    for (const r of REQUIREMENTS) {
      assert.match(r.id, /^[a-z0-9]+(-[a-z0-9]+)*$/, r.id);
      assert.ok(!seen.has(r.id), `duplicate requirement id ${r.id}`);
      seen.add(r.id);
      assert.ok(r.text.length > 0, `${r.id} has no text`);
    }
  });

  it('every linked rule id exists and every linked checklist id is declared', () => {
    for (const r of REQUIREMENTS) {
      for (const id of [...r.rules, ...(r.show ?? []), ...r.text.flatMap((p) => p.show ?? [])]) assert.ok(ruleIds.has(id), `${r.id} links unknown rule ${id}`);
      for (const id of r.checklist) assert.ok(checklistIds.has(id), `${r.id} links unknown checklist item ${id}`);
      for (const id of r.show ?? []) assert.ok(r.rules.includes(id), `${r.id} shows ${id} without linking it`);
    }
    for (const t of TASKS) {
      for (const id of t.rules) assert.ok(ruleIds.has(id), `task ${t.id} links unknown rule ${id}`);
      for (const id of t.checklist) assert.ok(checklistIds.has(id), `task ${t.id} links unknown checklist item ${id}`);
      for (const id of [...t.requirements, ...t.replaces]) assert.ok(REQUIREMENTS.some((r) => r.id === id), `task ${t.id} names unknown requirement ${id}`);
    }
  });

  it('every requirement traces to at least one rule or checklist item', () => {
    for (const r of REQUIREMENTS) assert.ok(r.rules.length + r.checklist.length > 0, `${r.id} traces to nothing`);
    for (const t of TASKS) assert.ok(t.rules.length + t.checklist.length > 0, `task ${t.id} traces to nothing`);
  });

  it('every security rule is covered by at least one requirement, and has a findings hint', () => {
    const covered = new Set(REQUIREMENTS.flatMap((r) => r.rules));
    const missing = allRules.filter((r) => r.meta.category !== 'meta' && !covered.has(r.meta.id)).map((r) => r.meta.id);
    assert.deepEqual(missing, [], `rules no requirement covers: ${missing.join(', ')}`);
    const noHint = allRules.filter((r) => !RULE_HINTS[r.meta.id]).map((r) => r.meta.id);
    assert.deepEqual(noHint, [], `rules without a hint in RULE_HINTS: ${noHint.join(', ')}`);
    for (const id of Object.keys(RULE_HINTS)) assert.ok(ruleIds.has(id), `RULE_HINTS names unknown rule ${id}`);
  });

  it('every rule has a home requirement that lists it (where its findings point)', () => {
    for (const r of allRules) {
      if (r.meta.category === 'meta') continue;
      const home = REQUIREMENTS.find((q) => q.id === RULE_HOME[r.meta.id]);
      assert.ok(home, `RULE_HOME has no requirement for ${r.meta.id}`);
      assert.ok(home.rules.includes(r.meta.id), `${home.id} (home of ${r.meta.id}) does not list it`);
    }
  });

  it('every checklist item is used by a requirement or a task', () => {
    const used = new Set([...REQUIREMENTS.flatMap((r) => r.checklist), ...TASKS.flatMap((t) => t.checklist)]);
    for (const c of CHECKLIST_ITEMS) assert.ok(used.has(c.id), `checklist item ${c.id} is not used`);
  });

  it('conditions name only known stack items', () => {
    for (const { where, when } of whens()) {
      for (const id of [...(when.any ?? []), ...(when.all ?? []), ...(when.none ?? [])]) {
        assert.ok(STACK_ITEM_BY_ID.has(id), `${where} names unknown stack item ${id}`);
      }
    }
  });

  it('placeholders are filled for every stack item on its own', () => {
    for (const item of STACK_ITEMS) {
      const stack = stackOf([item.id], { hasServer: item.kind === 'framework' && item.id !== 'static-site' });
      for (const r of REQUIREMENTS) assert.doesNotMatch(requirementText(r, stack), /(?<!\$)\{\w+\}/, `${r.id} with ${item.id}`);
      const md = buildPreamble({ stack, task: 'login with password reset, file upload, Stripe checkout, admin roles, AI chat' }).markdown;
      assert.doesNotMatch(md, /(?<!\$)\{\w+\}/, `placeholder left with ${item.id}`);
    }
  });

  it('task patterns match the examples from the issue', () => {
    const cases: [string, string][] = [
      ['file upload endpoint', 'upload'], ['login', 'login'], ['Stripe checkout', 'payments'], ['admin dashboard', 'admin'],
      ['AI chat endpoint', 'ai'], ['profile picture avatar upload', 'upload'], ['password reset flow', 'login'],
      ['subscription billing webhook', 'payments'], ['search with filters and sorting', 'search'], ['link preview fetcher', 'url-fetch'],
    ];
    for (const [text, id] of cases) {
      assert.ok(TASKS.find((t) => t.id === id)!.match.test(text.toLowerCase()), `"${text}" should match task ${id}`);
    }
  });
});
