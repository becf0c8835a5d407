"""POST /api/payments/<id>/refunds: full and partial refunds, at the provider, never more than
was captured, even when two refunds arrive at the same moment."""
from flask import g, jsonify, request
from flask import Blueprint
from sqlalchemy import update

from idempotency import idempotent
from ledger import record_transaction
from models import Payment, db
from provider import ProviderUnavailable, create_refund

bp = Blueprint("refunds", __name__, url_prefix="/api")

REFUNDABLE = ("succeeded", "partially_refunded")


def _reserve(payment, amount):
    """Claim `amount` cents of the capture in one conditional UPDATE: the database checks and
    raises the counter atomically, so of two refunds racing for the same cents one gets 0 rows."""
    captured = payment.total("capture")
    claimed = db.session.execute(
        update(Payment)
        .where(Payment.id == payment.id, Payment.refund_reserved + amount <= captured)
        .values(refund_reserved=Payment.refund_reserved + amount)
        .execution_options(synchronize_session=False)  # the session's copy is refreshed later
    ).rowcount
    db.session.commit()
    return claimed == 1


def _release(payment, amount):
    db.session.execute(update(Payment).where(Payment.id == payment.id)
                       .values(refund_reserved=Payment.refund_reserved - amount)
                       .execution_options(synchronize_session=False))
    db.session.commit()


@bp.post("/payments/<int:payment_id>/refunds")
@idempotent
def refund_payment(payment_id):
    payment = db.session.get(Payment, payment_id)
    if payment is None:
        return jsonify(error=f"No payment {payment_id}"), 404
    body = request.get_json(silent=True) if request.get_data() else {}
    if not isinstance(body, dict):
        return jsonify(error='Send a JSON object, {"amount": <cents>}, or no body for a full refund'), 400
    if payment.status not in REFUNDABLE:
        return jsonify(error=f"A payment that is {payment.status} cannot be refunded"), 409
    left = payment.total("capture") - payment.refund_reserved
    amount = body.get("amount", left)
    if type(amount) is not int or amount < 1:
        return jsonify(error="amount must be a positive integer number of cents"), 400
    if amount > left or not _reserve(payment, amount):
        return jsonify(error=f"Only {max(left, 0)} cents are left to refund"), 409

    try:
        refund_id = create_refund(payment.provider_id, amount, f"refund-{g.idempotency.key}")
    except ProviderUnavailable as e:
        _release(payment, amount)
        db.session.refresh(payment)
        return jsonify(error=f"Refund not made: {e}. Retry with the same Idempotency-Key.",
                       payment=payment.to_dict()), 502
    db.session.refresh(payment)
    record_transaction(payment, "refund", "succeeded", amount, refund_id)
    db.session.flush()
    payment.status = "refunded" if payment.total("refund") >= payment.total("capture") else "partially_refunded"
    db.session.commit()
    return jsonify(payment.to_dict()), 201
