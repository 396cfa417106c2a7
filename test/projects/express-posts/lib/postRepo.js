const prisma = require('./prisma');

async function updateBody(id, authorId, body) {
  // ok: unvalidated-input-to-database
  return prisma.post.updateMany({ where: { id, authorId }, data: { body } });
}

module.exports = { updateBody };
