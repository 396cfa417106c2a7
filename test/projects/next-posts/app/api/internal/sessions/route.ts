import { NextRequest, NextResponse } from 'next/server';
import { moveSession } from '@/lib/session-store';

// The auth service (another runtime) calls this with the shared server secret; browsers never do.
export async function POST(req: NextRequest) {
  if (req.headers.get('authorization') !== `Bearer ${process.env.INTERNAL_API_SECRET}`) {
    return NextResponse.json({ error: 'Unauthorized' }, { status: 401 });
  }
  const { token, userId } = await req.json();
  await moveSession(token, userId);
  return NextResponse.json({ ok: true });
}
