"""Refunds as a MethodView; the claim on the capture is one raw SQL statement."""
from flask import Blueprint, g, jsonify, request
from flask.views import MethodView
from sqlalchemy import text

from idempotency import idempotent
from ledger import record_transaction
from models import Payment, db
from provider import ProviderUnavailable, create_refund

bp = Blueprint("refunds", __name__, url_prefix="/api")

CLAIM = text(
    "UPDATE payment SET refund_reserved = refund_reserved + :amount "
    "WHERE id = :id AND status IN ('succeeded', 'partially_refunded') "
    "AND refund_reserved + :amount <= :captured"
)
UNCLAIM = text("UPDATE payment SET refund_reserved = refund_reserved - :amount WHERE id = :id")


class RefundList(MethodView):
    decorators = [idempotent]

    def post(self, payment_id):
        payment = db.session.get(Payment, payment_id)
        if payment is None:
            return {"error": "payment not found"}, 404
        if request.get_data():
            body = request.get_json(silent=True)
            if not isinstance(body, dict):
                return {"error": "the body must be a JSON object"}, 400
        else:
            body = {}
        captured = payment.total("capture")
        left = captured - payment.refund_reserved
        amount = body.get("amount", left)
        if payment.status not in ("succeeded", "partially_refunded"):
            return {"error": f"cannot refund a {payment.status} payment"}, 409
        if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
            return {"error": "amount: a positive integer (cents)"}, 400
        params = {"amount": amount, "id": payment.id, "captured": captured}
        if amount > left or db.session.execute(CLAIM, params).rowcount != 1:
            db.session.rollback()
            return {"error": "that is more than is left to refund"}, 409
        db.session.commit()
        try:
            refund_id = create_refund(payment.provider_id, amount, "refund-" + g.idempotency.key)
        except ProviderUnavailable as e:
            db.session.execute(UNCLAIM, params)
            db.session.commit()
            db.session.expire_all()
            return {"error": str(e), "payment": db.session.get(Payment, payment_id).to_dict()}, 502
        db.session.expire_all()
        payment = db.session.get(Payment, payment_id)
        record_transaction(payment, "refund", "succeeded", amount, refund_id)
        db.session.flush()
        payment.status = "refunded" if payment.total("refund") == captured else "partially_refunded"
        db.session.commit()
        return jsonify(payment.to_dict()), 201


bp.add_url_rule("/payments/<int:payment_id>/refunds", view_func=RefundList.as_view("refunds"))
