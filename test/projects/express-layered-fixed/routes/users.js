const express = require('express');
const userService = require('../services/userService');
const userDao = require('../dao/userDao');
const { backTo } = require('../lib/links');

const router = express.Router();

router.get('/by-email', async (req, res) => {
  const user = await userService.lookup(req.query.email);
  res.json(user);
});

router.get('/search', async (req, res) => {
  const users = await userDao.search(req.query.q, 20);
  res.json(users);
});

router.get('/:id', async (req, res) => {
  const user = await userDao.byId(Number.parseInt(req.params.id, 10));
  res.json(user);
});

const ROLES = ['member', 'editor'];

router.post('/:id/role', async (req, res) => {
  if (!ROLES.includes(req.body.role)) return res.status(400).json({ error: 'unknown role' });
  await userService.promote(req.params.id, req.body.role);
  backTo(res, req.query.next);
});

module.exports = router;
