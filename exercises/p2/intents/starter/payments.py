"""/api/payments: payment intents at the provider, behind an Idempotency-Key."""
from flask import Blueprint

bp = Blueprint("payments", __name__, url_prefix="/api")

# TODO (see the brief's numbered requirements):
# - refuse any body holding a card number (13-19 digits passing the Luhn check): 422, "use a token"
# - POST /payments: Idempotency-Key required (400), a replay answers the stored answer, the same
#   key with another body 422
# - validate amount (integer cents), currency, payment_method (pm_...), customer: 400
# - save the payment (requires_confirmation), then POST PROVIDER_URL/v1/payment_intents with
#   Authorization: Bearer PROVIDER_API_KEY, an Idempotency-Key and timeout=PROVIDER_TIMEOUT
# - the provider fails (timeout, 5xx, not JSON): 502 {"error", "payment"}, kept for a retry
# - GET /payments/<id>: the payment, or 404
