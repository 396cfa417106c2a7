const express = require('express');
const { readUpload } = require('../lib/storage');

const router = express.Router();

router.get('/:name', async (req, res) => {
  const data = await readUpload(req.params.name);
  res.type('application/octet-stream').send(data);
});

module.exports = router;
