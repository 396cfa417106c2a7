const Stripe = require('stripe');

const stripe = new Stripe('sk_live_51QaZ8Wm3xLp7Tn2Vb9Rk4Hs6Jd1Fg0Ye5Uc8Mq2Nw7Xt');

module.exports = { stripe };
