import { NextRequest, NextResponse } from 'next/server';
import { prisma } from '@/lib/db';

export async function GET(request: NextRequest) {
  const q = request.nextUrl.searchParams.get('q') ?? '';
  const notes = await prisma.$queryRawUnsafe(
    `SELECT id, title, body FROM "Note" WHERE title ILIKE '%${q}%' ORDER BY "createdAt" DESC`,
  );
  return NextResponse.json(notes);
}

export async function POST(request: NextRequest) {
  const body = await request.json();
  console.log('new note', body);
  try {
    const note = await prisma.note.create({ data: body });
    return NextResponse.json(note, { status: 201 });
  } catch (e) {
    return NextResponse.json({ error: String(e), stack: (e as Error).stack }, { status: 500 });
  }
}
