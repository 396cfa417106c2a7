const Stripe = require('stripe');

const billing = Stripe('sk_live_51QbY7Vn4wKo6Sm1Ua8Qj3Gr5Ic0Ef9Xd4Tb7Lp1Mv6Ws');

module.exports = { billing };
