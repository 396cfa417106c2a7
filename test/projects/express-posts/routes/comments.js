const express = require('express');
const validateBody = require('../middleware/validate');
const { CommentInput } = require('../lib/schemas');
const comments = require('../services/comments');

const router = express.Router();

router.post('/', validateBody(CommentInput), async (req, res) => {
  const comment = await comments.addComment(req.user.id, req.body.postId, req.body.text);
  res.status(201).json(comment);
});

module.exports = router;
