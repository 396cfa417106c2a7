const express = require('express');
const { pool } = require('../db');

const router = express.Router();

router.get('/products', async (req, res) => {
  const { rows } = await pool.query('SELECT * FROM products WHERE category = ' + req.query.category);
  res.json(rows);
});

module.exports = router;
