const express = require('express');
const posts = require('../services/posts');

const router = express.Router();

router.patch('/posts/:id/title', async (req, res) => {
  const { title } = req.body;
  if (typeof title !== 'string' || title.length > 200) return res.status(400).json({ error: 'title must be a short text' });
  await posts.renamePost(req.user.id, Number(req.params.id), title);
  res.status(204).end();
});

module.exports = router;
