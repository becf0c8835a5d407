"""The provider's callback, in its own blueprint: verify, parse, then record the event FIRST
(its primary key refuses a second copy) and apply it in the same transaction."""

import hashlib
import hmac
import json
import secrets

from flask import Blueprint, current_app, request
from sqlalchemy.exc import IntegrityError

from models import Order, OrderItem, PaymentEvent, Product, db
from orders import IllegalTransition, move

bp = Blueprint("webhooks", __name__, url_prefix="/api/payments")

ACTIONS = {"payment_intent.succeeded": "pay", "payment_intent.payment_failed": "fail"}


def _verified_body():
    raw = request.get_data()
    key = current_app.config.get("PAYMENT_WEBHOOK_SECRET") or ""
    given = request.headers.get("X-Signature") or ""
    mine = "sha256=" + hmac.new(key.encode("utf-8"), raw, hashlib.sha256).hexdigest()
    if not key or not secrets.compare_digest(mine.encode(), given.encode()):
        return None
    return raw


@bp.route("/webhook", methods=["POST"])
def webhook():
    raw = _verified_body()
    if raw is None:
        return {"error": "signature mismatch"}, 401
    try:
        event = json.loads(raw)
        event_id, action = event["id"], ACTIONS[event["type"]]
        payment_id = event["data"]["payment_id"]
        if not (isinstance(event_id, str) and isinstance(payment_id, str)):
            raise TypeError
    except (ValueError, KeyError, TypeError):
        return {"error": "bad event"}, 400
    order = db.session.scalar(db.select(Order).where(Order.payment_id == payment_id))
    if order is None:
        return {"error": "unknown payment"}, 404
    db.session.add(PaymentEvent(id=event_id, type=event["type"], order_id=order.id))
    try:
        db.session.flush()  # a duplicate id fails here, before any effect
    except IntegrityError:
        db.session.rollback()
        return {"status": "duplicate"}
    try:
        move(order, action)
    except IllegalTransition as e:
        db.session.rollback()  # forget the event too: it had no effect
        return {"error": str(e)}, 409
    if action == "pay":
        for item in db.session.scalars(db.select(OrderItem).where(OrderItem.order_id == order.id)):
            done = db.session.execute(
                db.update(Product)
                .where(Product.id == item.product_id, Product.stock >= item.quantity)
                .values(stock=Product.stock - item.quantity)
            )
            if done.rowcount != 1:
                db.session.rollback()
                return {"error": "out of stock"}, 409
    db.session.commit()
    return {"status": "processed"}
