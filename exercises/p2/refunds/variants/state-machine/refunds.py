"""Refunds through a small state machine: the allowed status changes are data, not if-chains."""
from flask import Blueprint, g, jsonify, request

from idempotency import idempotent
from ledger import record_transaction
from models import Payment, db
from provider import ProviderUnavailable, create_refund

bp = Blueprint("refunds", __name__, url_prefix="/api")

TRANSITIONS = {
    "succeeded": {"partially_refunded", "refunded"},
    "partially_refunded": {"partially_refunded", "refunded"},
}


class RefundRefused(Exception):
    def __init__(self, status, message):
        super().__init__(message)
        self.status = status


def move(payment, new_status):
    if new_status not in TRANSITIONS.get(payment.status, ()):
        raise RefundRefused(409, f"a {payment.status} payment cannot become {new_status}")
    payment.status = new_status


def claim(payment, amount):
    """Raise refund_reserved only while it still fits under the capture: one UPDATE ... WHERE."""
    changed = (Payment.query.filter(Payment.id == payment.id,
                                    Payment.refund_reserved + amount <= payment.total("capture"))
               .update({Payment.refund_reserved: Payment.refund_reserved + amount}, synchronize_session=False))
    db.session.commit()
    if changed != 1:
        raise RefundRefused(409, "the amount is more than is left to refund")


def unclaim(payment, amount):
    Payment.query.filter(Payment.id == payment.id).update(
        {Payment.refund_reserved: Payment.refund_reserved - amount}, synchronize_session=False)
    db.session.commit()


@bp.errorhandler(RefundRefused)
def refused(e):
    return jsonify(error=str(e)), e.status


@bp.post("/payments/<int:payment_id>/refunds")
@idempotent
def refund(payment_id):
    payment = db.get_or_404(Payment, payment_id, description="no such payment") if hasattr(db, "get_or_404") else Payment.query.get_or_404(payment_id)
    body = request.get_json(silent=True) if request.content_length else {}
    if not isinstance(body, dict):
        raise RefundRefused(400, "send a JSON object or nothing")
    if payment.status not in TRANSITIONS:
        raise RefundRefused(409, f"a {payment.status} payment cannot be refunded")
    amount = body.get("amount", payment.total("capture") - payment.refund_reserved)
    if type(amount) is not int or amount < 1:
        raise RefundRefused(400, "amount must be a whole number of cents, at least 1")
    claim(payment, amount)
    try:
        refund_id = create_refund(payment.provider_id, amount, f"refund-{g.idempotency.key}")
    except ProviderUnavailable as e:
        unclaim(payment, amount)
        db.session.refresh(payment)
        return jsonify(error=str(e), payment=payment.to_dict()), 502
    db.session.refresh(payment)
    record_transaction(payment, "refund", "succeeded", amount, refund_id)
    db.session.flush()
    move(payment, "refunded" if payment.total("refund") == payment.total("capture") else "partially_refunded")
    db.session.commit()
    return jsonify(payment.to_dict()), 201
