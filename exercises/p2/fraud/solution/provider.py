"""The payment provider's HTTP API (Stripe-like), seen from our side.

Every call has a timeout and an Idempotency-Key, so a retry after a timeout never charges twice.
"""
import requests
from flask import current_app


class ProviderUnavailable(Exception):
    """The provider did not answer in time, could not be reached or answered 5xx/garbage."""


def create_payment_intent(amount, currency, payment_method, idempotency_key):
    """Create and confirm a payment intent. Answers (provider id, status, failure code):
    ("pi_...", "succeeded", None), or ("pi_..." or None, "failed", "card_declined") for a declined card."""
    config = current_app.config
    try:
        answer = requests.post(
            config["PROVIDER_URL"].rstrip("/") + "/v1/payment_intents",
            json={"amount": amount, "currency": currency, "payment_method": payment_method, "confirm": True},
            headers={"Authorization": f"Bearer {config['PROVIDER_API_KEY']}", "Idempotency-Key": idempotency_key},
            timeout=config["PROVIDER_TIMEOUT"],
        )
        body = answer.json()
    except (requests.RequestException, ValueError) as e:
        raise ProviderUnavailable(f"the payment provider did not answer properly ({type(e).__name__})") from e
    if answer.status_code == 402 and isinstance(body, dict) and isinstance(body.get("error"), dict):
        intent = body["error"].get("payment_intent") or {}
        return intent.get("id"), "failed", body["error"].get("code") or "card_declined"
    if answer.status_code != 200 or not isinstance(body, dict) or not isinstance(body.get("id"), str):
        raise ProviderUnavailable(f"the payment provider answered {answer.status_code}")
    status = "succeeded" if body.get("status") == "succeeded" else "failed"
    return body["id"], status, None if status == "succeeded" else body.get("status")


def create_refund(payment_intent, amount, idempotency_key):
    """Refund part or all of a captured payment intent; answers the refund's id (re_...)."""
    config = current_app.config
    try:
        answer = requests.post(
            config["PROVIDER_URL"].rstrip("/") + "/v1/refunds",
            json={"payment_intent": payment_intent, "amount": amount},
            headers={"Authorization": f"Bearer {config['PROVIDER_API_KEY']}", "Idempotency-Key": idempotency_key},
            timeout=config["PROVIDER_TIMEOUT"],
        )
        body = answer.json()
    except (requests.RequestException, ValueError) as e:
        raise ProviderUnavailable(f"the payment provider did not answer properly ({type(e).__name__})") from e
    if answer.status_code != 200 or not isinstance(body, dict) or body.get("status") != "succeeded":
        raise ProviderUnavailable(f"the payment provider answered {answer.status_code} to the refund")
    return body.get("id")
