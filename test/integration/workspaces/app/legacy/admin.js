const express = require('express');
const { pool } = require('../src/db');

const router = express.Router();

router.get('/admin/users', async (req, res) => {
  const { rows } = await pool.query(`SELECT * FROM users WHERE role = '${req.query.role}'`);
  res.json(rows);
});

module.exports = router;
