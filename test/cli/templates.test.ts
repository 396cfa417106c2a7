/**
 * Server-side templates through the whole CLI: a route renders a view with request data, the view prints that
 * variable raw. Each file is analysed alone (in analysis threads); the scan links them afterwards.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cleanup, cli, tempDir, writeFiles } from './_util';

interface JsonFinding { ruleId: string; file: string; confidence: string; message: string; range: { startPos: { line: number } }; related?: { file: string }[] }

describe('template links (route ↔ view)', () => {
  let dir: string;
  before(() => {
    dir = tempDir();
    writeFiles(dir, {
      'package.json': JSON.stringify({ name: 'shop', dependencies: { express: '^4.19.0', ejs: '^3.1.10' } }),
      'src/routes/profile.js': `const express = require('express');
const router = express.Router();

router.post('/profile', async (req, res) => {
  await db.users.update(req.user.id, { bio: req.body.bio });
  res.render('profile', { bio: req.body.bio, name: req.user.name, footerHtml: renderFooter() });
});

router.get('/about', (req, res) => {
  res.render('about', { intro: loadIntro() });
});

module.exports = router;
`,
      'src/views/profile.ejs': `<%- include('partials/header') %>
<h1><%- name %></h1>
<section class="bio"><%- bio %></section>
<%- footerHtml %>
`,
      'src/views/about.ejs': `<section><%- intro %></section>
<section><%- bio %></section>
`,
      'src/views/partials/header.ejs': '<header><%= title %></header>\n',
    });
  });
  after(() => cleanup(dir));

  it('reports the raw output of a variable the route fills from request data, with the route as related location', async () => {
    const r = await cli(dir, ['scan', '--format', 'json', '--fail-on', 'none']);
    assert.equal(r.code, 0, r.stderr);
    const found = (JSON.parse(r.stdout).findings as JsonFinding[]).filter((f) => f.ruleId === 'template-unescaped-output');
    assert.deepEqual(found.map((f) => `${f.file}:${f.range.startPos.line}:${f.confidence}`), ['src/views/profile.ejs:3:medium']);
    assert.match(found[0].message, /src\/routes\/profile\.js:6 fills `bio` from request data \(`req\.body\.bio`\)/);
    assert.deepEqual(found[0].related?.map((x) => x.file), ['src/routes/profile.js']);
  });

  it('the unlinked raw outputs stay low (shown with --min-confidence low), the linked one is medium, partials and named HTML not reported', async () => {
    const r = await cli(dir, ['scan', '--format', 'json', '--fail-on', 'none', '--min-confidence', 'low']);
    const found = (JSON.parse(r.stdout).findings as JsonFinding[]).filter((f) => f.ruleId === 'template-unescaped-output');
    assert.deepEqual(found.map((f) => `${f.file}:${f.range.startPos.line}:${f.confidence}`).sort(), [
      'src/views/about.ejs:1:low', 'src/views/about.ejs:2:low', 'src/views/profile.ejs:2:low', 'src/views/profile.ejs:3:medium',
    ]);
  });
});
