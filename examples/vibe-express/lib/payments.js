const Stripe = require('stripe');

// TODO: move to env before launch
const stripe = new Stripe('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');

async function createCheckout(items, customerEmail) {
  return stripe.checkout.sessions.create({
    mode: 'payment',
    customer_email: customerEmail,
    line_items: items.map((i) => ({ price: i.priceId, quantity: i.quantity })),
    success_url: 'https://shop.example.com/success',
    cancel_url: 'https://shop.example.com/cart',
  });
}

module.exports = { createCheckout };
