'use server';

import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { currentUser } from '@/lib/auth';
import { addComment } from '@/lib/comments';
import { CommentForm } from '@/lib/validation';

export async function addCommentAction(formData: FormData) {
  const user = await currentUser();
  if (!user) redirect('/login');
  const parsed = CommentForm.safeParse({ postId: formData.get('postId'), text: formData.get('text') });
  if (!parsed.success) return { errors: parsed.error.flatten().fieldErrors };
  await addComment(user.id, parsed.data.postId, parsed.data.text);
  revalidatePath(`/posts/${parsed.data.postId}`);
}
