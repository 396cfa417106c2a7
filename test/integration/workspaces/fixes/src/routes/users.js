const express = require('express');
const { Pool } = require('pg');

const pool = new Pool({ connectionString: process.env.DATABASE_URL });
const router = express.Router();

router.get('/users', async (req, res) => {
  const team = req.query.team;
  const { rows } = await pool.query(`SELECT id, name FROM users WHERE team = '${team}'`);
  res.json(rows);
});

module.exports = router;
