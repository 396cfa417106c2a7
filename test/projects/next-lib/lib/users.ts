import { db } from './db';

export async function findUsers(name: string) {
  // ruleid: sql-injection
  const { rows } = await db.query(`SELECT id, name FROM users WHERE name = '${name}'`);
  return rows;
}

export async function getUser(id: number) {
  // ok: sql-injection
  const { rows } = await db.query(`SELECT id, name FROM users WHERE id = ${id}`);
  return rows[0];
}
