const express = require('express');
const posts = require('../services/posts');
const validateBody = require('../middleware/validate');
const { PostInput } = require('../lib/schemas');

const router = express.Router();

router.post('/', validateBody(PostInput), async (req, res) => {
  const { title, body, tags } = req.body;
  const post = await posts.createPost(req.user.id, { title, body, tags });
  res.status(201).json(post);
});

router.patch('/:id', async (req, res) => {
  const check = PostInput.pick({ title: true }).safeParse(req.body);
  if (!check.success) return res.status(400).json({ errors: check.error.flatten().fieldErrors });
  await posts.renamePost(req.user.id, Number(req.params.id), req.body.title);
  res.status(204).end();
});

router.post('/drafts', async (req, res) => {
  const parsed = PostInput.safeParse(req.body);
  if (!parsed.success) return res.status(400).json({ errors: parsed.error.flatten().fieldErrors });
  const draft = await posts.saveDraft(req.user.id, parsed.data);
  res.status(201).json(draft);
});

router.post('/import', async (req, res) => {
  const post = await posts.importPost(req.user.id, req.body);
  res.status(201).json(post);
});

router.put('/:id/body', async (req, res) => {
  await posts.rewrite(req.user.id, Number(req.params.id), req.body);
  res.status(204).end();
});

module.exports = router;
