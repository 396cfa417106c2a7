import { integer, pgTable, text } from 'drizzle-orm/pg-core';

export const sessions = pgTable('sessions', {
  token: text('token').primaryKey(),
  userId: integer('user_id').notNull(),
});
