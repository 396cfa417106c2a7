import { readFileSync } from 'node:fs';
import { analyzeText, allRules, DEFAULT_CONFIG, loadPythonParser } from '/work/wt-py-xss/src/engine';
(async () => {
  await loadPythonParser();
  const rule = allRules.find((r) => r.meta.id === 'reflected-xss')!;
  for (const f of process.argv.slice(2)) {
    const r = analyzeText({ path: f.replace(/.*\//, ''), text: readFileSync(f, 'utf8') }, { rules: [rule], only: ['reflected-xss'], config: { ...DEFAULT_CONFIG, minConfidence: 'low' } });
    for (const x of r.findings) console.log(f.split('/').pop(), x.range.startPos.line, x.confidence, x.message);
  }
})();
