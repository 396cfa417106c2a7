const userDao = require('../dao/userDao');

async function lookup(email) {
  const normalized = email.trim().toLowerCase();
  return userDao.findByEmail(normalized);
}

async function promote(userId, role) {
  return userDao.updateRole(userId, role);
}

module.exports = { lookup, promote };
