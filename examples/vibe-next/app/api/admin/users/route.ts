import { NextRequest, NextResponse } from 'next/server';
import { prisma } from '@/lib/db';

export async function PATCH(request: NextRequest) {
  const { id, ...changes } = await request.json();
  const user = await prisma.user.update({ where: { id }, data: changes });
  return NextResponse.json(user);
}

export async function GET(request: NextRequest) {
  const avatarUrl = request.nextUrl.searchParams.get('avatar');
  const res = await fetch(avatarUrl!);
  return new NextResponse(res.body, { headers: { 'Content-Type': res.headers.get('content-type') ?? 'image/png' } });
}
