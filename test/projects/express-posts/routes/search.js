const express = require('express');
const analytics = require('../services/analytics');

const router = express.Router();

router.get('/', async (req, res) => {
  const results = await analytics.search(req.query.q);
  res.json(results);
});

module.exports = router;
