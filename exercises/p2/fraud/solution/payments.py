"""/api/payments: payment intents at the provider, behind an Idempotency-Key."""
import re

from flask import Blueprint, g, jsonify, request

from idempotency import idempotent
from fraud import assess, now
from ledger import record_transaction
from models import Payment, RiskAssessment, db
from pci import holds_card_number
from provider import ProviderUnavailable, create_payment_intent

bp = Blueprint("payments", __name__, url_prefix="/api")

CURRENCIES = {"eur", "usd", "gbp"}
MAX_AMOUNT = 99_999_999  # cents
TOKEN = re.compile(r"pm_[A-Za-z0-9_]{1,60}")


@bp.before_request
def refuse_card_numbers():
    """Card numbers never enter this service, not even in a refused request's fingerprint."""
    body = request.get_json(silent=True)
    if body is not None and holds_card_number(body):
        return jsonify(error="Card numbers are not accepted: tokenize the card at the provider "
                             "and send its token as payment_method (for example pm_card_visa)"), 422
    return None


def _validate(body):
    if not isinstance(body, dict):
        return "Send a JSON object"
    amount = body.get("amount")
    if type(amount) is not int or not 0 < amount <= MAX_AMOUNT:
        return f"amount must be an integer number of cents between 1 and {MAX_AMOUNT}"
    if body.get("currency") not in CURRENCIES:
        return f"currency must be one of {sorted(CURRENCIES)}"
    if not isinstance(body.get("payment_method"), str) or not TOKEN.fullmatch(body["payment_method"]):
        return "payment_method must be a card token from the provider (pm_...), never a card number"
    customer = body.get("customer")
    if not isinstance(customer, str) or not 1 <= len(customer.strip()) <= 64:
        return "customer must be a string of 1 to 64 characters"
    country = body.get("billing_country")
    if country is not None and not (isinstance(country, str) and re.fullmatch(r"[A-Z]{2}", country)):
        return "billing_country must be a two-letter ISO code such as FR"
    return None


def _confirm(payment):
    """Create and confirm the payment's intent at the provider; a failure leaves it to retry."""
    try:
        provider_id, status, failure_code = create_payment_intent(
            payment.amount, payment.currency, payment.payment_method, f"payment-{payment.id}"
        )
    except ProviderUnavailable as e:
        return jsonify(error=f"Payment not confirmed: {e}. Retry with the same Idempotency-Key.",
                       payment=payment.to_dict()), 502
    payment.provider_id, payment.status, payment.failure_code = provider_id, status, failure_code
    if status == "succeeded":  # confirm=true: authorized and captured at once
        record_transaction(payment, "authorization", "succeeded", payment.amount, provider_id)
        record_transaction(payment, "capture", "succeeded", payment.amount, provider_id)
    else:
        record_transaction(payment, "authorization", "failed", payment.amount, provider_id)
    db.session.commit()  # the payment's new status and its transactions together, or neither
    return jsonify(payment.to_dict()), 201


@bp.post("/payments")
@idempotent
def create_payment():
    payment = db.session.get(Payment, g.idempotency.payment_id) if g.idempotency.payment_id else None
    if payment is None:
        body = request.get_json(silent=True)
        problem = _validate(body)
        if problem:
            return jsonify(error=problem), 400
        customer = body["customer"].strip()
        score, decision, reasons = assess(customer, body["amount"], body.get("billing_country"), request.remote_addr)
        payment = Payment(customer=customer, amount=body["amount"], currency=body["currency"],
                          payment_method=body["payment_method"], billing_country=body.get("billing_country"),
                          created_at=now(), status="blocked" if decision == "block" else "requires_confirmation")
        db.session.add(payment)
        db.session.flush()
        db.session.add(RiskAssessment(payment_id=payment.id, score=score, decision=decision, reasons=reasons))
        g.idempotency.payment_id = payment.id
        db.session.commit()  # saved before calling out: a failure leaves a payment to retry
    if payment.status == "blocked":  # never sent to the provider
        return jsonify(error="Payment blocked by the fraud rules", payment=payment.to_dict()), 402
    if payment.status != "requires_confirmation":
        return jsonify(payment.to_dict()), 201
    return _confirm(payment)


@bp.get("/payments/<int:payment_id>")
def get_payment(payment_id):
    payment = db.session.get(Payment, payment_id)
    if payment is None:
        return jsonify(error=f"No payment {payment_id}"), 404
    return jsonify(payment.to_dict())
