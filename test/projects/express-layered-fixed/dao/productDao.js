const Product = require('../models/product');

exports.findByName = async (name) => {
  // ok: nosql-injection
  return Product.find({ name: String(name) });
};

exports.findByCategory = async (category) => {
  // ok: nosql-injection
  return Product.find({ category: String(category) });
};
