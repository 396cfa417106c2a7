const express = require('express');
const path = require('path');
const fs = require('fs');
const { exec } = require('child_process');
const { requireUser } = require('../middleware/auth');

const router = express.Router();
const UPLOADS = path.join(__dirname, '..', 'uploads');

router.get('/download', requireUser, (req, res) => {
  const file = path.join(UPLOADS, req.query.name);
  fs.createReadStream(file).pipe(res);
});

router.post('/thumbnail', requireUser, (req, res) => {
  exec(`convert ${path.join(UPLOADS, req.body.file)} -resize 200x200 thumb.png`, (err) => {
    if (err) return res.status(500).json({ error: err.message });
    res.json({ ok: true });
  });
});

module.exports = router;
