const { z } = require('zod');

const PostInput = z.object({
  title: z.string().trim().min(1).max(200),
  body: z.string().max(20000),
  tags: z.array(z.string().max(30)).max(10).default([]),
});

const CommentInput = z.object({
  postId: z.number().int().positive(),
  text: z.string().trim().min(1).max(2000),
});

module.exports = { PostInput, CommentInput };
