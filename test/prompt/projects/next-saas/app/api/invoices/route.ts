import { NextResponse } from 'next/server';
import { prisma } from '@/lib/db';
import { supabaseServer } from '@/lib/supabase-server';

export async function POST(req: Request) {
  const { data } = await supabaseServer().auth.getUser();
  if (!data.user) return NextResponse.json({ error: 'Sign in first' }, { status: 401 });
  try {
    const body = await req.json();
    const invoice = await prisma.invoice.create({ data: body });
    return NextResponse.json(invoice, { status: 201 });
  } catch (e) {
    return NextResponse.json({ error: String(e) }, { status: 500 });
  }
}
