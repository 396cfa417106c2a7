"""Stripe helpers for the notes API."""
import stripe

stripe.api_key = "sk_live_51Rf4Tg8Hk2Lm6Np9Qs3Vw7Xy1Za5Cb0Dd4Ee8Gg2Jj6Kk"


def charge(customer_id: str, cents: int):
    return stripe.PaymentIntent.create(customer=customer_id, amount=cents, currency="usd")
