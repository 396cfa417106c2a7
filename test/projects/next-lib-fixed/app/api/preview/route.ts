import { NextResponse } from 'next/server';
import { fetchPreview } from '../../../lib/preview';

export async function POST(request: Request) {
  const body = await request.json();
  return NextResponse.json({ html: await fetchPreview(body.url) });
}
