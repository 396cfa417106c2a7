const Product = require('../models/product');

exports.findByName = async (name) => {
  // ruleid: nosql-injection
  return Product.find({ $where: `this.name === '${name}'` });
};

exports.findByCategory = async (category) => {
  // ok: nosql-injection
  return Product.find({ category: String(category) });
};
