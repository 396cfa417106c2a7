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


describe('template links in Python apps (view ↔ Jinja or Django template)', () => {
  let dir: string;
  before(() => {
    dir = tempDir();
    writeFiles(dir, {
      'blog/app.py': `from flask import Flask, render_template, request

app = Flask(__name__)


@app.post("/preview")
def preview():
    return render_template("preview.html", comment=request.form["comment"], title=request.form.get("title"), count=len(request.form))


@app.get("/about")
def about():
    return render_template("about.html", intro=load_intro())
`,
      'blog/templates/preview.html': `{% extends "base.html" %}
{% block content %}
<h1>{{ title }}</h1>
<article>{{ comment|safe }}</article>
<p>{{ count|safe }} fields</p>
{% endblock %}
`,
      'blog/templates/about.html': '{% block content %}<section>{{ intro|safe }}</section>{% endblock %}\n',
      'shop/reviews/views.py': `from django.shortcuts import render


def preview_review(request, slug):
    context = {"text": request.POST.get("text", ""), "product": slug}
    return render(request, "reviews/preview.html", context)
`,
      'shop/reviews/templates/reviews/preview.html': `<h2>{{ product|safe }}</h2>
{% autoescape off %}<div class="review">{{ text }}</div>{% endautoescape %}
`,
    });
  });
  after(() => cleanup(dir));

  it('reports a raw output the view fills from request data, with the view as related location; others stay low', async () => {
    const r = await cli(dir, ['scan', '--format', 'json', '--fail-on', 'none']);
    assert.equal(r.code, 0, r.stderr);
    const found = (JSON.parse(r.stdout).findings as JsonFinding[]).filter((f) => f.ruleId === 'template-unescaped-output');
    assert.deepEqual(found.map((f) => `${f.file}:${f.range.startPos.line}:${f.confidence}`).sort(), [
      'blog/templates/preview.html:4:medium', 'shop/reviews/templates/reviews/preview.html:2:medium',
    ]);
    const flask = found.find((f) => f.file === 'blog/templates/preview.html')!;
    assert.match(flask.message, /blog\/app\.py:8 fills `comment` from request data \(`request\.form`\)/);
    assert.deepEqual(flask.related?.map((x) => x.file), ['blog/app.py']);
    const django = found.find((f) => f.file.startsWith('shop/'))!;
    assert.match(django.message, /shop\/reviews\/views\.py:\d+ fills `text` from request data/);
    // a Django URL argument (`product` from `slug`) and a number (`count`) are not linked
    const low = (JSON.parse((await cli(dir, ['scan', '--format', 'json', '--fail-on', 'none', '--min-confidence', 'low'])).stdout).findings as JsonFinding[])
      .filter((f) => f.ruleId === 'template-unescaped-output').map((f) => `${f.file}:${f.range.startPos.line}:${f.confidence}`).sort();
    assert.ok(low.includes('shop/reviews/templates/reviews/preview.html:1:low'), low.join(', '));
    assert.ok(low.includes('blog/templates/about.html:1:low'), low.join(', '));
  });
});
