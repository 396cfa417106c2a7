const Stripe = require('stripe');

// TODO: move to the environment before launch
const stripe = new Stripe('sk_live_51NqLr2Kx9vTm4WbQzY7pHcD3fJ8sA6gE0uRtV1nM5yXkP2');

module.exports = { stripe };
