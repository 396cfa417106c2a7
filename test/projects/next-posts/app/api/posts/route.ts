import { NextResponse } from 'next/server';
import { currentUser } from '@/lib/auth';
import { createPost, saveDraft } from '@/lib/posts';

export async function POST(request: Request) {
  const user = await currentUser();
  if (!user) return NextResponse.json({ error: 'Sign in first' }, { status: 401 });
  const body = await request.json();
  const post = await createPost(user.id, body);
  return NextResponse.json(post, { status: 201 });
}

export async function PUT(request: Request) {
  const user = await currentUser();
  if (!user) return NextResponse.json({ error: 'Sign in first' }, { status: 401 });
  await saveDraft(user.id, await request.json());
  return NextResponse.json({ ok: true });
}
