'use server';

import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { currentUser } from '@/lib/auth';
import { addComment } from '@/lib/comments';

export async function addCommentAction(formData: FormData) {
  const user = await currentUser();
  if (!user) redirect('/login');
  const postId = Number(formData.get('postId'));
  const text = formData.get('text') as string;
  await addComment(user.id, postId, text);
  revalidatePath(`/posts/${postId}`);
}
