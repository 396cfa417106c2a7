/**
 * Writes every file derived from rule metadata. With --check, writes nothing and exits 1 when a
 * generated file is stale (CI runs this). Run: `npm run generate` / `npm run generate -- --check`.
 */
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { renderRulesIndex } from './rules-index';

const root = join(__dirname, '..', '..');
const check = process.argv.includes('--check');

interface Output { path: string; render: () => string | Promise<string> }

const outputs: Output[] = [
  { path: 'src/engine/rules/index.ts', render: () => renderRulesIndex(root) },
];

async function main() {
  const stale: string[] = [];
  for (const o of outputs) {
    const file = join(root, o.path);
    const next = await o.render();
    const cur = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
    if (cur === next) continue;
    if (check) stale.push(o.path);
    else { writeFileSync(file, next); console.log(`wrote ${o.path}`); }
  }
  if (check && stale.length) {
    console.error(`Generated files are stale: ${stale.join(', ')}\nRun \`npm run generate\` and commit the result.`);
    process.exit(1);
  }
}
main().catch((e) => { console.error(e); process.exit(1); });
