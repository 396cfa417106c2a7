const express = require('express');
const { pool } = require('../lib/db');
const { requireUser } = require('../middleware/auth');
const { createCheckout } = require('../lib/payments');

const router = express.Router();

router.post('/checkout', requireUser, async (req, res) => {
  try {
    const session = await createCheckout(req.body.items, req.user.email);
    res.json({ url: session.url });
  } catch (err) {
    res.status(500).send(err);
  }
});

router.get('/receipt', requireUser, async (req, res) => {
  const receipt = await fetch(req.query.receiptUrl);
  res.send(await receipt.text());
});

router.get('/mine', requireUser, async (req, res) => {
  const { rows } = await pool.query('SELECT * FROM orders WHERE user_id = $1', [req.user.sub]);
  res.json(rows);
});

module.exports = router;
