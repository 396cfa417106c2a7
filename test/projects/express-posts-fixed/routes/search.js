const express = require('express');
const analytics = require('../services/analytics');

const router = express.Router();

router.get('/', async (req, res) => {
  const { q } = req.query;
  if (typeof q !== 'string' || q.length > 100) return res.status(400).json({ error: 'q must be a short text' });
  const results = await analytics.search(q);
  res.json(results);
});

module.exports = router;
