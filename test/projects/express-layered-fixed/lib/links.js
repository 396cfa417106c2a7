const SAFE_TARGETS = ['/', '/account', '/users'];

function backTo(res, target) {
  const destination = SAFE_TARGETS.includes(target) ? target : '/';
  // ok: open-redirect
  return res.redirect(destination);
}

module.exports = { backTo };
