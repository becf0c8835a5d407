"""Order management: the payment provider's signed callback (webhook) and the order's states
pending -> paid -> shipped, or pending -> cancelled."""

import hashlib
import hmac
import json

from flask import Blueprint, abort, current_app, request
from sqlalchemy.exc import IntegrityError

from auth import admin_required, current_user, login_required
from models import Order, PaymentEvent, Product, db

bp = Blueprint("orders", __name__, url_prefix="/api")

# The event types this shop handles, and the status each one moves a pending order to.
EVENT_STATUS = {"payment_intent.succeeded": "paid", "payment_intent.payment_failed": "cancelled"}


def signature_is_valid(body, header):
    """The header is "sha256=" + the hex HMAC-SHA256 of the exact body bytes."""
    secret = current_app.config.get("PAYMENT_WEBHOOK_SECRET")
    if not secret or not header:
        return False
    expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, header)  # constant time: no timing leak


def parse_event(body):
    """(event id, type, payment id), or None when the event is malformed."""
    try:
        event = json.loads(body)
    except ValueError:
        return None
    if not isinstance(event, dict) or not isinstance(event.get("id"), str) or event.get("type") not in EVENT_STATUS:
        return None
    data = event.get("data")
    if not isinstance(data, dict) or not isinstance(data.get("payment_id"), str):
        return None
    return event["id"], event["type"], data["payment_id"]


@bp.post("/payments/webhook")
def payment_webhook():
    body = request.get_data()  # the exact bytes that were signed: never re-serialise them
    parsed = parse_event(body)
    if parsed is None:
        return {"error": "Malformed event"}, 400
    event_id, event_type, payment_id = parsed

    if db.session.get(PaymentEvent, event_id) is not None:
        return {"status": "duplicate"}  # the provider delivers at least once: process once
    order = db.session.execute(db.select(Order).filter_by(payment_id=payment_id)).scalar_one_or_none()
    if order is None:
        return {"error": "No order for this payment"}, 404
    if order.status != "pending":
        return {"error": f"The order is {order.status}, not pending"}, 409

    order.status = EVENT_STATUS[event_type]
    if order.status == "paid":
        for item in order.items:
            product = db.session.get(Product, item.product_id)
            if product.stock < item.quantity:  # sold out since the checkout: a refund is needed
                db.session.rollback()
                current_app.logger.error("order %s paid but %s is sold out", order.id, product.name)
                return {"error": f"{product.name} is out of stock"}, 409
            product.stock -= item.quantity
    db.session.add(PaymentEvent(id=event_id, type=event_type, order_id=order.id))
    try:
        db.session.commit()  # the event, the status and the stock: all or nothing
    except IntegrityError:  # the same event, processed by a concurrent delivery
        db.session.rollback()
        return {"status": "duplicate"}
    return {"status": "processed"}


def _transition(order, allowed_from, to):
    if order.status != allowed_from:
        return {"error": f"Cannot go from {order.status} to {to}"}, 409
    order.status = to
    db.session.commit()
    return order.to_dict()


@bp.post("/orders/<int:order_id>/cancel")
@login_required
def cancel_order(order_id):
    order = db.session.execute(db.select(Order).filter_by(id=order_id, user_id=current_user().id)).scalar_one_or_none()
    if order is None:
        abort(404, description="No such order")
    return _transition(order, "pending", "cancelled")


@bp.post("/orders/<int:order_id>/ship")
@admin_required
def ship_order(order_id):
    order = db.get_or_404(Order, order_id, description="No such order")
    return _transition(order, "paid", "shipped")
