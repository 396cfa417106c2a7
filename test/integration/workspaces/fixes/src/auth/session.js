const jwt = require('jsonwebtoken');

function startSession(res, user) {
  const token = jwt.sign({ sub: user.id }, process.env.JWT_SECRET);
  res.cookie('session', token, { httpOnly: true, secure: true });
  return token;
}

module.exports = { startSession };
