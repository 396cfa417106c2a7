const express = require('express');
const db = require('../db');

const router = express.Router();

router.get('/search', async (req, res) => {
  const { rows } = await db.query(`SELECT id, body FROM notes WHERE body ILIKE '%${req.query.q}%'`);
  res.json(rows);
});

router.get('/:id', async (req, res) => {
  const { rows } = await db.query('SELECT id, body FROM notes WHERE id = $1', [req.params.id]);
  res.json(rows[0] ?? null);
});

module.exports = router;
