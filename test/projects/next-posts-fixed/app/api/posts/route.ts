import { NextResponse } from 'next/server';
import { currentUser } from '@/lib/auth';
import { createPost, saveDraft } from '@/lib/posts';
import { PostInput } from '@/lib/validation';

export async function POST(request: Request) {
  const user = await currentUser();
  if (!user) return NextResponse.json({ error: 'Sign in first' }, { status: 401 });
  const parsed = PostInput.safeParse(await request.json());
  if (!parsed.success) return NextResponse.json({ errors: parsed.error.flatten().fieldErrors }, { status: 400 });
  const post = await createPost(user.id, parsed.data);
  return NextResponse.json(post, { status: 201 });
}

export async function PUT(request: Request) {
  const user = await currentUser();
  if (!user) return NextResponse.json({ error: 'Sign in first' }, { status: 401 });
  await saveDraft(user.id, await request.json());
  return NextResponse.json({ ok: true });
}
