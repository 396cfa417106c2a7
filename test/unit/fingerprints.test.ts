/**
 * Findings' fingerprints (analyze.ts, finalize): the rule, the flagged line's normalised text and the ordinal among
 * identical lines, so that a baseline survives edits elsewhere in the file. A very long line (minified code, a one-line
 * template) is stood for by the finding's surroundings instead of the whole line: hashing the whole line for each of
 * its findings made a minified view with hundreds of outputs take seconds.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText, allRules, DEFAULT_CONFIG } from '../../src/engine';

const findings = (path: string, text: string) => analyzeText({ path, text }, { rules: allRules, config: { ...DEFAULT_CONFIG, minConfidence: 'low' } }).findings
  .filter((f) => f.ruleId === 'template-unescaped-output');

it('on an ordinary line, the fingerprint survives edits on other lines and changes with the line', () => {
  const view = '<h1>{{ title }}</h1>\n<div>{{{ bio }}}</div>\n';
  const [a] = findings('views/profile.hbs', view);
  assert.ok(a, 'the raw output is found');
  const [b] = findings('views/profile.hbs', `<p>intro</p>\n${view}`);
  assert.equal(b.fingerprint, a.fingerprint);
  const [c] = findings('views/profile.hbs', view.replace('<div>', '<div class="bio">'));
  assert.notEqual(c.fingerprint, a.fingerprint);
});

it('on a minified line, each finding keeps its fingerprint when the line changes far from it, and two findings differ', () => {
  const filler = (n: number) => '<span class="x">text</span>'.repeat(n);
  const line = `<div>{{{ bio }}}</div>${filler(200)}<section>{{{ notes }}}</section>${filler(200)}`;
  assert.ok(line.length > 10_000);
  const [bio, notes] = findings('views/profile-min.hbs', `${line}\n`);
  assert.ok(bio && notes);
  assert.notEqual(bio.fingerprint, notes.fingerprint);
  // an edit at the end of the line, far from `bio` but not from nothing else
  const edited = findings('views/profile-min.hbs', `${line.replace(/<\/span>$/, '</span><b>new</b>')}\n`);
  assert.equal(edited[0].fingerprint, bio.fingerprint);
  assert.equal(edited[1].fingerprint, notes.fingerprint);
  // an edit right next to `bio` changes its fingerprint only
  const near = findings('views/profile-min.hbs', `${line.replace('<div>{{{ bio }}}', '<div class="b">{{{ bio }}}')}\n`);
  assert.notEqual(near[0].fingerprint, bio.fingerprint);
  assert.equal(near[1].fingerprint, notes.fingerprint);
});
