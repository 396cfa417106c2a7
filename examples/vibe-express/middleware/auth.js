const jwt = require('jsonwebtoken');

const JWT_SECRET = process.env.JWT_SECRET || 'supersecret123';

function requireUser(req, res, next) {
  const token = req.cookies.token || (req.headers.authorization || '').replace('Bearer ', '');
  if (!token) return res.status(401).json({ error: 'Not signed in' });
  try {
    req.user = jwt.verify(token, JWT_SECRET);
    next();
  } catch {
    res.status(401).json({ error: 'Invalid token' });
  }
}

function requireAdmin(req, res, next) {
  const claims = jwt.decode(req.cookies.token);
  if (claims && claims.role === 'admin') return next();
  res.status(403).json({ error: 'Admins only' });
}

module.exports = { requireUser, requireAdmin, JWT_SECRET };
