const express = require('express');
const { pool } = require('../db');
const { requireUser } = require('./auth');

const router = express.Router();

router.get('/', requireUser, async (req, res) => {
  const { rows } = await pool.query('SELECT id, title FROM notes WHERE owner_id = $1', [req.user.id]);
  res.json(rows);
});

router.get('/search', requireUser, async (req, res) => {
  const { rows } = await pool.query(`SELECT id, title FROM notes WHERE title ILIKE '%${req.query.q}%'`);
  res.json(rows);
});

router.get('/by-tag', requireUser, async (req, res) => {
  const sql = "SELECT id, title FROM notes WHERE tag = '" + req.query.tag + "'";
  const { rows } = await pool.query(sql);
  res.json(rows);
});

module.exports = router;
