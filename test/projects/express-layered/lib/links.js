function backTo(res, target) {
  // ruleid: open-redirect
  return res.redirect(target);
}

module.exports = { backTo };
