/**
 * `shipsafe scan --fix`: applies the fixes marked safe (they cannot change behaviour for legitimate input), one
 * at a time with re-analysis in between, and writes the files that changed. Suggestions and fixes that touch other
 * files (move a secret to .env) are never applied in bulk; the editor offers them one by one.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { ShipsafeConfig } from '../engine/config/config';
import { fixAll } from '../engine/fixes';
import type { Rule } from '../engine/model/rule';
import { relativePath } from '../engine/project/scan';
import { languageOf } from '../engine/analyze';

export function applySafeFixes(files: readonly string[], root: string, config: ShipsafeConfig, rules: readonly Rule[]): { files: number; fixes: number } {
  let nFiles = 0;
  let nFixes = 0;
  for (const file of files) {
    if (!languageOf(file)) continue;
    let text: string;
    try { text = readFileSync(file, 'utf8'); } catch { continue; }
    if (text.length > config.maxFileSizeKb * 1024 || text.includes('\u0000')) continue;
    const r = fixAll({ path: relativePath(root, file), text }, { rules, config });
    if (!r.applied.length || r.text === text) continue;
    writeFileSync(file, r.text);
    nFiles++;
    nFixes += r.applied.length;
  }
  return { files: nFiles, fixes: nFixes };
}
