import { and, eq } from 'drizzle-orm';
import { db } from './db';
import { posts } from './schema';
import { PostInput } from './validation';

export async function createPost(authorId: number, input: { title: string; content: string }) {
  // ok: unvalidated-input-to-database
  const [post] = await db.insert(posts).values({ title: input.title, content: input.content, authorId }).returning();
  return post;
}

export async function renamePost(authorId: number, id: number, title: string) {
  // ok: unvalidated-input-to-database
  await db.update(posts).set({ title }).where(and(eq(posts.id, id), eq(posts.authorId, authorId)));
}

export async function saveDraft(authorId: number, raw: unknown) {
  const data = PostInput.parse(raw);
  // ok: unvalidated-input-to-database
  await db.insert(posts).values({ title: data.title, content: data.content, authorId, published: false });
}

export async function publish(authorId: number, id: number) {
  // ok: unvalidated-input-to-database
  await db.update(posts).set({ published: true }).where(and(eq(posts.id, id), eq(posts.authorId, authorId)));
}
