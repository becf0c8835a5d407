"""The payment provider's HTTP API, called with the standard library's urllib (a timeout on
every call; an Idempotency-Key so that a retry never charges twice)."""
import json
import urllib.error
import urllib.request

from flask import current_app


class ProviderUnavailable(Exception):
    pass


class Declined(Exception):
    def __init__(self, code, intent_id):
        super().__init__(code)
        self.code, self.intent_id = code, intent_id


def _post(path, payload, idempotency_key):
    config = current_app.config
    outgoing = urllib.request.Request(
        config["PROVIDER_URL"].rstrip("/") + path,
        data=json.dumps(payload).encode(),
        method="POST",
        headers={"Authorization": f"Bearer {config['PROVIDER_API_KEY']}", "Content-Type": "application/json",
                 "Idempotency-Key": idempotency_key},
    )
    try:
        with urllib.request.urlopen(outgoing, timeout=config["PROVIDER_TIMEOUT"]) as answer:
            return json.loads(answer.read())
    except urllib.error.HTTPError as e:  # 4xx/5xx; before URLError, its base class
        if e.code == 402:
            error = json.loads(e.read()).get("error", {})
            raise Declined(error.get("code", "card_declined"), (error.get("payment_intent") or {}).get("id")) from e
        raise ProviderUnavailable(f"the provider answered {e.code}") from e
    except (urllib.error.URLError, TimeoutError, OSError, ValueError) as e:
        raise ProviderUnavailable(f"the provider cannot be reached or answered garbage ({type(e).__name__})") from e


def confirm_intent(amount, currency, payment_method, idempotency_key):
    intent = _post("/v1/payment_intents",
                   {"amount": amount, "currency": currency, "payment_method": payment_method, "confirm": True},
                   idempotency_key)
    if not isinstance(intent, dict) or not isinstance(intent.get("id"), str):
        raise ProviderUnavailable("the provider answered an unexpected body")
    return intent
