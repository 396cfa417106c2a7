const express = require('express');
const helmet = require('helmet');
const usersRouter = require('./routes/users');
const productsRouter = require('./routes/products');
const filesRouter = require('./routes/files');

const app = express();
app.use(helmet());
app.use(express.json());
app.use('/users', usersRouter);
app.use('/products', productsRouter);
app.use('/files', filesRouter);

module.exports = app;
