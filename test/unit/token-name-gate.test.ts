/**
 * predictable-token answers "not a token name" at once for a name whose text holds none of the words that make one
 * (isTokenName's shortcut): the answer must be the full test's, on every identifier, property name and string of the
 * fixtures, the test projects and Shipsafe's sources, and on names that hide the words in other cases.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ts } from 'ts-morph';
import { languageOf, parse } from '../../src/engine/analyze';
import { isTokenName, tokenNameUncached } from '../../src/engine/rules/crypto/predictable-token';
import { sourceFilesUnder } from '../helpers/fixtures';

const root = join(__dirname, '..', '..');

describe('predictable-token: the token-name shortcut', () => {
  it('gives the full test\'s answer on every name of the fixtures, test projects and sources', () => {
    const names = new Set<string>();
    for (const file of [...sourceFilesUnder(join(root, 'test', 'fixtures')), ...sourceFilesUnder(join(root, 'test', 'projects')), ...sourceFilesUnder(join(root, 'src'))]) {
      const lang = languageOf(file);
      if (!lang || lang === 'python') continue;
      const visit = (n: ts.Node): void => {
        if (ts.isIdentifier(n) || ts.isPrivateIdentifier(n) || ts.isStringLiteral(n)) names.add(n.text);
        ts.forEachChild(n, visit);
      };
      visit(parse(file, readFileSync(file, 'utf8'), lang));
    }
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
