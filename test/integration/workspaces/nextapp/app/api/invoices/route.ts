import { NextResponse } from 'next/server';
import { prisma } from '../../../lib/db';

export async function POST(req: Request) {
  const body = await req.json();
  const invoice = await prisma.invoice.create({ data: body });
  return NextResponse.json(invoice, { status: 201 });
}
