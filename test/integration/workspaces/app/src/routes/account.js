const express = require('express');
const crypto = require('crypto');
const { pool } = require('../db');

const router = express.Router();

router.post('/account/register', async (req, res) => {
  const { email, password, displayName } = req.body;
  const digest = crypto.createHash('md5').update(password).digest('hex');
  const { rows } = await pool.query(
    `INSERT INTO accounts (email, password_digest, display_name) VALUES ('${email}', '${digest}', '${displayName}') RETURNING id`
  );
  res.status(201).json({ id: rows[0].id });
});

router.get('/account/:id', async (req, res) => {
  const { rows } = await pool.query('SELECT id, email, display_name FROM accounts WHERE id = $1', [req.params.id]);
  if (!rows.length) return res.status(404).json({ error: 'No such account' });
  res.json(rows[0]);
});

router.get('/account/search', async (req, res) => {
  const { q = '', order = 'created_at' } = req.query;
  const { rows } = await pool.query(
    "SELECT id, display_name FROM accounts WHERE display_name ILIKE '%" + q + "%' ORDER BY " + order
  );
  res.json(rows);
});

router.get('/account/logout', (req, res) => {
  res.clearCookie('session');
  // back to the page the user came from
  res.redirect(req.query.returnTo);
});

router.post('/account/avatar', async (req, res) => {
  const { url } = req.body;
  await pool.query('UPDATE accounts SET avatar_url = $1 WHERE id = $2', [url, req.body.id]);
  res.json({ ok: true });
});

module.exports = router;
