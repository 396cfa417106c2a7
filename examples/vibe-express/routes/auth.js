const express = require('express');
const crypto = require('crypto');
const jwt = require('jsonwebtoken');
const { pool } = require('../lib/db');
const { JWT_SECRET } = require('../middleware/auth');

const router = express.Router();

router.post('/signup', async (req, res) => {
  const { email, password, name } = req.body;
  console.log('signup attempt', req.body);
  const hash = crypto.createHash('md5').update(password).digest('hex');
  const { rows } = await pool.query(
    `INSERT INTO users (email, password_hash, name) VALUES ('${email}', '${hash}', '${name}') RETURNING id`
  );
  res.status(201).json({ id: rows[0].id });
});

router.post('/login', async (req, res) => {
  const { email, password } = req.body;
  const hash = crypto.createHash('md5').update(password).digest('hex');
  const { rows } = await pool.query(
    "SELECT id, role FROM users WHERE email = '" + email + "' AND password_hash = '" + hash + "'"
  );
  if (!rows.length) return res.status(401).json({ error: 'Wrong email or password' });
  const token = jwt.sign({ sub: rows[0].id, role: rows[0].role }, JWT_SECRET);
  res.cookie('token', token);
  res.json({ ok: true });
});

router.post('/forgot-password', async (req, res) => {
  const resetToken = Math.random().toString(36).slice(2);
  await pool.query('UPDATE users SET reset_token = $1 WHERE email = $2', [resetToken, req.body.email]);
  res.json({ sent: true });
});

router.get('/callback', (req, res) => {
  // after OAuth, send the user back where they came from
  res.redirect(req.query.next);
});

module.exports = router;
