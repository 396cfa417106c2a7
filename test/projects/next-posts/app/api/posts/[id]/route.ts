import { NextResponse } from 'next/server';
import { currentUser } from '@/lib/auth';
import { publish, renamePost } from '@/lib/posts';

export async function PATCH(request: Request, { params }: { params: { id: string } }) {
  const user = await currentUser();
  if (!user) return NextResponse.json({ error: 'Sign in first' }, { status: 401 });
  const { title } = await request.json();
  await renamePost(user.id, Number(params.id), title);
  return NextResponse.json({ ok: true });
}

export async function POST(_request: Request, { params }: { params: { id: string } }) {
  const user = await currentUser();
  if (!user) return NextResponse.json({ error: 'Sign in first' }, { status: 401 });
  await publish(user.id, Number(params.id));
  return NextResponse.json({ ok: true });
}
