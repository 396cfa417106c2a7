/**
 * findSecrets skips the catalog entries none of whose keywords can occur in a text (the index of entries by the
 * pairs of characters their keywords start with): the answers must be those of asking every entry its keyword test
 * (`unindexed`), on every string literal and every line of the fixtures and test projects, bare and with the names
 * and modules around the literal.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { literalContext } from '../../src/engine/secrets/context';
import { findSecrets, type MatchOptions, type SecretMatch } from '../../src/engine/secrets/providers';
import { allFilesUnder, stringLiteralsOf } from '../helpers/fixtures';

const root = join(__dirname, '..', '..');

const shape = (ms: SecretMatch[]) => ms.map((m) => `${m.provider.id} ${m.start}-${m.end} ${m.level} ${m.masked}`).join('\n');

function same(text: string, opts: MatchOptions, where: string): number {
  const indexed = findSecrets(text, opts);
  const full = findSecrets(text, { ...opts, unindexed: true });
  assert.equal(shape(indexed), shape(full), where);
  return full.length;
}

describe('secrets catalog: the keyword index', () => {
  it('finds what asking every entry finds, on every literal and line of the fixtures and test projects', () => {
    let texts = 0;
    let found = 0;
    for (const file of [...allFilesUnder(join(root, 'test', 'fixtures')), ...allFilesUnder(join(root, 'test', 'projects'))]) {
      const text = readFileSync(file, 'utf8');
      if (text.includes('\u0000')) continue;
      // every line, as a bare value and as a text scan (provider formats only)
      for (const line of text.split('\n')) {
        if (line.length < 16) continue;
        texts++;
        found += same(line, {}, `${file}: ${line.slice(0, 80)}`);
        same(line, { textScan: true }, `${file} (text scan): ${line.slice(0, 80)}`);
      }
      if (text.length <= 4096) same(text, { textScan: true }, `${file} (whole text)`);
      const of = stringLiteralsOf(file, text);
      for (const n of of?.literals ?? []) {
        const lc = literalContext(n, of!.facts);
        texts++;
        found += same(n.text, { names: lc.names, modules: lc.modules, bound: lc.bound }, `${file}: ${n.text.slice(0, 80)} (${lc.names})`);
        same(n.text, {}, `${file}: ${n.text.slice(0, 80)}`);
      }
    }
    // the comparison saw real keys, not only texts where nothing matches
    assert.ok(texts > 10_000, `only ${texts} texts`);
    assert.ok(found > 100, `only ${found} catalog matches`);
  });

  it('answers a literal asked again under the same names and modules (the kept answers) as a fresh scan, as copies', () => {
    // every literal of the fixtures and test projects with its names, asked twice in a row and again after all the
    // others (the same literal under the same names in several files), each time compared with asking every entry
    const asked: { text: string; opts: MatchOptions; where: string }[] = [];
    for (const file of [...allFilesUnder(join(root, 'test', 'fixtures')), ...allFilesUnder(join(root, 'test', 'projects'))]) {
      const of = stringLiteralsOf(file, readFileSync(file, 'utf8'));
      for (const n of of?.literals ?? []) {
        const lc = literalContext(n, of!.facts);
        asked.push({ text: n.text, opts: { names: lc.names, modules: lc.modules, bound: lc.bound }, where: `${file}: ${n.text.slice(0, 80)} (${lc.names})` });
      }
    }
    const fullShape = (text: string, opts: MatchOptions) => shape(findSecrets(text, { ...opts, unindexed: true }));
    let found = 0;
    for (const { text, opts, where } of asked) {
      const fresh = fullShape(text, opts);
      const first = findSecrets(text, opts);
      assert.equal(shape(first), fresh, where);
      found += first.length;
      // a caller changing its copy changes nothing for the next one
      for (const m of first) { m.start = -1; m.masked = 'x'; m.level = 'low'; }
      first.length = 0;
      assert.equal(shape(findSecrets(text, opts)), fresh, `${where} (again)`);
      // the same text under other names or another binding is its own question
      assert.equal(shape(findSecrets(text, { ...opts, bound: !opts.bound })), fullShape(text, { ...opts, bound: !opts.bound }), `${where} (other binding)`);
      assert.equal(shape(findSecrets(text, { ...opts, names: '' })), fullShape(text, { ...opts, names: '' }), `${where} (no names)`);
    }
    for (const { text, opts, where } of asked) assert.equal(shape(findSecrets(text, opts)), fullShape(text, opts), `${where} (after the others)`);
    assert.ok(asked.length > 5_000, `only ${asked.length} literals`);
    assert.ok(found > 50, `only ${found} catalog matches`);
  });

  it('tries an entry whose keyword is one character on any text (Asana: `:`), and an entry by its first pair', () => {
    const asana = '1/1204958372615049:9f3a7c1e5b2d4f6a8c0e1b3d5f7a9c2e';
    for (const text of [asana, `asana ${asana}`]) {
      assert.deepEqual(findSecrets(text).map((m) => m.provider.id), ['asana-pat'], text);
      same(text, {}, text);
    }
    const github = 'ghp_' + 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8';
    assert.deepEqual(findSecrets(`token=${github}`).map((m) => m.provider.id), findSecrets(github).map((m) => m.provider.id));
    assert.equal(same(`token=${github}`, {}, github), 1);
  });
});
