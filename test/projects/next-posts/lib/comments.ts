import { db } from './db';
import { comments } from './schema';

export async function addComment(authorId: number, postId: number, text: string) {
  // ruleid: unvalidated-input-to-database
  await db.insert(comments).values({ postId, authorId, text });
}
