const express = require('express');
const productDao = require('../dao/productDao');

const router = express.Router();

router.get('/', async (req, res) => {
  const products = req.query.name
    ? await productDao.findByName(req.query.name)
    : await productDao.findByCategory(req.query.category);
  res.json(products);
});

module.exports = router;
