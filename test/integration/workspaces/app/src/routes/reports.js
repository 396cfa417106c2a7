const express = require('express');
const { pool } = require('../db');

const router = express.Router();

router.get('/reports/:year', async (req, res) => {
  const { rows } = await pool.query(`SELECT month, total FROM sales WHERE year = ${req.params.year}`);
  res.json(rows);
});

module.exports = router;
