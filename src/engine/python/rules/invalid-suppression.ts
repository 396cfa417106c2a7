import { definePythonRule } from '../rule';
import { parseSuppressions } from '../../suppress';

export default definePythonRule({
  id: 'invalid-suppression',
  docs: {
    description: 'In Python, the same check on `# shipsafe-ignore-next-line` and `# shipsafe-ignore-file` comments.',
    bad: '# file: app.py\n# shipsafe-ignore-next-line sql-injection\ncur.execute(query)\n',
    good: '# file: app.py\n# shipsafe-ignore-next-line sql-injection -- query is built from the fixed SORT_COLUMNS list above\ncur.execute(query)\n',
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
