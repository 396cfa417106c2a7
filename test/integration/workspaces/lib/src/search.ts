import express, { type Request, type Response } from 'express';
import { Pool } from 'pg';

const pool = new Pool({ connectionString: process.env.DATABASE_URL });
export const search = express.Router();

search.get('/search', async (req: Request, res: Response) => {
  const term = String(req.query.q ?? '');
  const { rows } = await pool.query(`SELECT id, title FROM articles WHERE title ILIKE '%${term}%'`);
  res.json(rows);
});
