import { cookies } from 'next/headers';
import { db } from './db';
import { sessions } from './sessions';
import { eq } from 'drizzle-orm';

export async function currentUser(): Promise<{ id: number } | null> {
  const token = cookies().get('session')?.value;
  if (!token) return null;
  const [row] = await db.select().from(sessions).where(eq(sessions.token, token));
  return row ? { id: row.userId } : null;
}
