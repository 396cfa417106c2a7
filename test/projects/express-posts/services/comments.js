const prisma = require('../lib/prisma');

async function addComment(authorId, postId, text) {
  // ok: unvalidated-input-to-database
  return prisma.comment.create({ data: { postId, text, authorId } });
}

module.exports = { addComment };
