const express = require('express');
const pool = require('../db');

const router = express.Router();

router.get('/orders', async (req, res) => {
  const status = req.query.status;
  const { rows } = await pool.query(`SELECT id, total FROM orders WHERE status = '${status}'`);
  res.json(rows);
});

module.exports = router;
