/**
 * isSecretName answers "no" at once for a name whose text holds no secret word and no `key` (its shortcut): the
 * answer must be the full test's, on every identifier, property name and string of the fixtures, the test projects
 * and Shipsafe's sources, and on names that hide the words in other cases.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isSecretName, isSecretNameUngated } from '../../src/engine/secrets/providers';
import { namesInSources } from '../helpers/fixtures';

describe('secrets: the secret-name shortcut', () => {
  it('gives the full test\'s answer on every name of the fixtures, test projects and sources', () => {
    const names = namesInSources();
    let secret = 0;
    for (const name of names) {
      const full = isSecretNameUngated(name);
      assert.equal(isSecretName(name), full, name);
      if (full) secret++;
    }
    assert.ok(names.size > 10_000 && secret > 100, `${names.size} names, ${secret} secret names`);
  });

  it('sees the words in any case and spelling', () => {
    for (const name of ['DB_PASSWORD', 'apiKey', 'x-api-key', 'APIKEY', 'clientSecret', 'Authorization', 'dbPass', 'PRIVATE_KEY', 'BearerToken', 'smtp_pwd']) {
      assert.equal(isSecretName(name), isSecretNameUngated(name), name);
      assert.equal(isSecretName(name), true, name);
    }
    for (const name of ['passwordLabel', 'keyboard', 'monkey', 'publicKey', 'tokenUrl', 'pass']) assert.equal(isSecretName(name), isSecretNameUngated(name), name);
  });
});
