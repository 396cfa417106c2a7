const express = require('express');
const jwt = require('jsonwebtoken');
const bcrypt = require('bcrypt');
const { pool } = require('../db');

const router = express.Router();

router.post('/login', async (req, res) => {
  const { rows } = await pool.query('SELECT id, password_hash FROM users WHERE email = $1', [String(req.body.email)]);
  const user = rows[0];
  if (!user || !(await bcrypt.compare(String(req.body.password), user.password_hash))) {
    return res.status(401).json({ error: 'Invalid email or password' });
  }
  const token = jwt.sign({ sub: user.id }, process.env.JWT_SECRET);
  res.json({ token });
});

function requireUser(req, res, next) {
  try {
    req.user = { id: jwt.verify(String(req.headers.authorization).replace('Bearer ', ''), process.env.JWT_SECRET).sub };
    next();
  } catch {
    res.status(401).end();
  }
}

module.exports = router;
module.exports.requireUser = requireUser;
