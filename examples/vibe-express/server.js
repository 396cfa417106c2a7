const express = require('express');
const path = require('path');
const cors = require('cors');
const session = require('express-session');
const cookieParser = require('cookie-parser');

const authRoutes = require('./routes/auth');
const productRoutes = require('./routes/products');
const orderRoutes = require('./routes/orders');
const fileRoutes = require('./routes/files');

const app = express();

app.use(cors({ origin: '*', credentials: true }));
app.use(express.json());
app.use(cookieParser());
app.use(session({
  secret: 'keyboard cat',
  resave: false,
  saveUninitialized: true,
  cookie: { secure: false, httpOnly: false },
}));

// the shop's pages (storefront and checkout) are served from public/
app.use(express.static(path.join(__dirname, 'public')));

app.use('/api/auth', authRoutes);
app.use('/api/products', productRoutes);
app.use('/api/orders', orderRoutes);
app.use('/api/files', fileRoutes);

app.use((err, req, res, next) => {
  console.error(err);
  res.status(500).json({ message: err.message, stack: err.stack });
});

const port = process.env.PORT || 3000;
app.listen(port, () => console.log(`Shop API listening on ${port}`));
