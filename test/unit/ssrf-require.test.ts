/**
 * ssrf reads `require('axios')` (and the other HTTP clients) from the text by looking at each `require(` instead of
 * running its expression: requiresClient must answer as REQUIRE_CLIENT on the corpus and on crafted requires.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { REQUIRE_CLIENT, requiresClient } from '../../src/engine/rules/web/ssrf';
import { corpusTexts } from '../helpers/fixtures';

describe('ssrf: HTTP clients required in the text', () => {
  it('answer as the expression on the corpus and on crafted requires', () => {
    const texts: string[] = [];
    const names = ['axios', 'got', 'ky', 'needle', 'superagent', 'undici', 'node-fetch', 'http', 'https', 'node:http', 'node:https',
      'gotcha', 'k', 'httpss', 'node:', 'node:ky', 'axios/lib', 'Axios', 'node-fetch2', 'superagents', ''];
    const quotes = ["'", '"', '`', '', ' '];
    const spaces = ['', ' ', '\n\t', '\u00a0', '\u2029', '\u200b', 'x'];
    for (const n of names) for (const a of quotes) for (const b of quotes) for (const s of spaces) {
      texts.push(`const c = require(${s}${a}${n}${b});`, `require(${s}${a}${n}${b}`, `xrequire(${a}${n}${b})`);
    }
    texts.push(...corpusTexts(undefined, { lines: true }));
    let matched = 0;
    for (const t of texts) {
      const want = REQUIRE_CLIENT.test(t);
      if (want) matched++;
      assert.equal(requiresClient(t), want, JSON.stringify(t.slice(0, 200)));
    }
    assert.ok(matched > 100, `${matched} texts require a client`);
  });
});
