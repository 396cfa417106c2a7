const express = require('express');
const { pool } = require('../lib/db');
const { requireAdmin } = require('../middleware/auth');

const router = express.Router();

router.get('/', async (req, res) => {
  const { search = '', sort = 'created_at' } = req.query;
  const { rows } = await pool.query(
    `SELECT id, title, price FROM products WHERE title ILIKE '%${search}%' ORDER BY ${sort}`
  );
  res.json(rows);
});

router.get('/:id', async (req, res) => {
  const { rows } = await pool.query('SELECT * FROM products WHERE id = $1', [req.params.id]);
  if (!rows.length) return res.status(404).send(`<h1>No product ${req.params.id}</h1>`);
  res.json(rows[0]);
});

router.post('/preview', (req, res) => {
  // price formula typed by the admin, e.g. "price * 0.9"
  const price = eval(req.body.formula);
  res.json({ price });
});

router.put('/:id', requireAdmin, async (req, res) => {
  const { rows } = await pool.query('SELECT * FROM products WHERE id = $1', [req.params.id]);
  const product = Object.assign(rows[0], req.body);
  await pool.query('UPDATE products SET title = $1, price = $2 WHERE id = $3', [product.title, product.price, product.id]);
  res.json(product);
});

module.exports = router;
