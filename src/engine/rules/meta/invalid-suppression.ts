import { defineRule, ALL_LANGUAGES } from '../../model/rule';
import { parseSuppressions } from '../../suppress';

export default defineRule({
  meta: {
    id: 'invalid-suppression',
    title: 'Suppression comment without a reason or rule id',
    category: 'meta',
    severity: 'warning',
    confidence: 'high',
    cwe: [],
    owasp: '',
    description: 'Reports `shipsafe-ignore-next-line` and `shipsafe-ignore-file` comments that give no reason after `--`, or that name no rule.',
    notReported: 'Suppressions that name a rule and give a reason after `--`.',
    why: 'A silenced warning with no reason is a decision nobody can review later. When the code around it changes, nobody knows whether the reason still holds, and a comment with no rule id hides every other problem on that line too.',
    fix: 'Name the rule the comment is meant for and say, after `--`, why the code is safe, e.g. `// shipsafe-ignore-next-line sql-injection -- the column comes from a fixed list`.',
    bad: `// shipsafe-ignore-next-line sql-injection
db.query(sql);`,
    good: `// shipsafe-ignore-next-line sql-injection -- sql is built from the fixed SORT_COLUMNS list above
db.query(sql);`,
    fixSafety: 'none',
    languages: ALL_LANGUAGES,
    defaultEnabled: true,
    tags: ['meta'],
  },
  create(ctx) {
    return {
      onFileEnd() {
        for (const s of parseSuppressions(ctx.text)) {
          const problems: string[] = [];
          if (s.ruleIds.length === 0) problems.push('it names no rule, so it hides every finding on that line: name the rule id it is meant for');
          if (!s.reason) problems.push('it gives no reason: add one after `--` so the next reader knows why the code is safe');
          if (problems.length) ctx.report({ range: { start: s.start, end: s.end }, message: `This Shipsafe suppression is incomplete: ${problems.join('; and ')}.` });
        }
      },
    };
  },
});
