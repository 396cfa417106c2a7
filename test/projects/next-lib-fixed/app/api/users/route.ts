import { NextRequest, NextResponse } from 'next/server';
import { findUsers, getUser } from '../../../lib/users';
import { clean, toInt } from '../../../lib/text';

export async function GET(request: NextRequest) {
  const { searchParams } = request.nextUrl;
  if (searchParams.has('id')) {
    return NextResponse.json(await getUser(toInt(searchParams.get('id'))));
  }
  return NextResponse.json(await findUsers(clean(searchParams.get('name') ?? '')));
}
