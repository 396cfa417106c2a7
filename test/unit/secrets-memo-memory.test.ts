/**
 * The secret check keeps its answers for literals by their text (providers.ts, namedScan). A literal's text is a
 * slice of its file's text; a kept slice keeps the whole file in memory, so the memo keeps copies of its own. In the
 * editor's worker, file version after file version would otherwise stay in memory.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { findSecrets } from '../../src/engine/secrets/providers';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

describe('secret answers kept by literal', () => {
  it('do not keep the texts the literals were cut from', () => {
    gc();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < 100; i++) {
      // a 1 MB "file" and a literal of it, asked under a name (the memo's path)
      const file = `${'a'.repeat(1_000_000)}const apiKey = "value-${String(i).padStart(6, '0')}-not-a-secret";`;
      const start = file.indexOf('"') + 1;
      const literal = file.substring(start, file.indexOf('"', start));
      findSecrets(literal, { names: `apiKey${i}`, modules: '' });
      findSecrets(literal, { names: 'token', modules: 'express', bound: true });
    }
    gc();
    const grown = (process.memoryUsage().heapUsed - before) / 1048576;
    assert.ok(grown < 20, `${grown.toFixed(1)} MB kept after 100 literals of 1 MB files`);
  });
});
