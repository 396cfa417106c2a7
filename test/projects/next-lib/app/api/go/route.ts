import type { NextRequest } from 'next/server';
import goTo from '../../../lib/nav';

export async function GET(request: NextRequest) {
  goTo(request.nextUrl.searchParams.get('to') ?? '/');
}
