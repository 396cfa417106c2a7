import { db } from './db';

export async function findUsers(name: string) {
  // ok: sql-injection
  const { rows } = await db.query('SELECT id, name FROM users WHERE name = $1', [name]);
  return rows;
}

export async function getUser(id: number) {
  // ok: sql-injection
  const { rows } = await db.query('SELECT id, name FROM users WHERE id = $1', [id]);
  return rows[0];
}
