/**
 * predictable-token answers "not a token name" at once for a name whose text holds none of the words that make one
 * (isTokenName's shortcut): the answer must be the full test's, on every identifier, property name and string of the
 * fixtures, the test projects and Shipsafe's sources, and on names that hide the words in other cases.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isTokenName, tokenNameUncached } from '../../src/engine/rules/crypto/predictable-token';
import { namesInSources } from '../helpers/fixtures';

describe('predictable-token: the token-name shortcut', () => {
  it('gives the full test\'s answer on every name of the fixtures, test projects and sources', () => {
    const names = namesInSources();
    let tokens = 0;
    for (const name of names) {
      const full = tokenNameUncached(name);
      assert.equal(isTokenName(name), full, name);
      if (full) tokens++;
    }
    assert.ok(names.size > 10_000 && tokens > 50, `${names.size} names, ${tokens} token names`);
  });

  it('sees the words in any case and spelling', () => {
    for (const name of ['RESET_TOKEN', 'resetToken', 'x-api-key', 'APIKEY', 'magicLINK', 'verification_code', 'OTP', 'Nonce', 'invitePin', 'passcode', 'sessionSecret']) {
      assert.equal(isTokenName(name), tokenNameUncached(name), name);
      assert.equal(isTokenName(name), true, name);
    }
    for (const name of ['resetTokenExpires', 'userName', 'keyboard', 'pinnedAt', 'tokenizer', 'passCode']) assert.equal(isTokenName(name), tokenNameUncached(name), name);
  });
});
