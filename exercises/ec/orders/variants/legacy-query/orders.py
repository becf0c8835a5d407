"""Orders with the legacy Model.query API; compare_digest imported by name."""

import hashlib
import hmac
import json
from hmac import compare_digest

from flask import Blueprint, current_app, jsonify, request

from auth import admin_required, current_user, login_required
from models import Order, ProcessedEvent, Product, db

bp = Blueprint("orders", __name__)


def _signed():
    secret = current_app.config.get("PAYMENT_WEBHOOK_SECRET")
    header = request.headers.get("X-Signature")
    if not secret or header is None or not header.startswith("sha256="):
        return False
    digest = hmac.new(secret.encode(), request.get_data(), hashlib.sha256).hexdigest()
    return compare_digest(digest, header[len("sha256="):])


@bp.route("/api/payments/webhook", methods=["POST"])
def webhook():
    if not _signed():
        return jsonify(error="bad signature"), 401
    try:
        event = json.loads(request.get_data())
    except ValueError:
        event = None
    ok = (
        isinstance(event, dict)
        and isinstance(event.get("id"), str)
        and event.get("type") in ("payment_intent.succeeded", "payment_intent.payment_failed")
        and isinstance(event.get("data"), dict)
        and isinstance(event["data"].get("payment_id"), str)
    )
    if not ok:
        return jsonify(error="malformed event"), 400
    if ProcessedEvent.query.filter_by(event_id=event["id"]).first():
        return jsonify(status="duplicate")
    order = Order.query.filter_by(payment_id=event["data"]["payment_id"]).first()
    if order is None:
        return jsonify(error="payment not found"), 404
    if order.status != "pending":
        return jsonify(error="order already " + order.status), 409
    if event["type"] == "payment_intent.succeeded":
        order.status = "paid"
        for item in order.items:
            Product.query.get(item.product_id).stock -= item.quantity
    else:
        order.status = "cancelled"
    db.session.add(ProcessedEvent(event_id=event["id"]))
    db.session.commit()
    return jsonify(status="processed")


@bp.route("/api/orders/<int:order_id>/cancel", methods=["POST"])
@login_required
def cancel(order_id):
    order = Order.query.filter_by(id=order_id, user_id=current_user().id).first_or_404()
    if order.status != "pending":
        return jsonify(error="only pending orders can be cancelled"), 409
    order.status = "cancelled"
    db.session.commit()
    return jsonify(order.to_dict())


@bp.route("/api/orders/<int:order_id>/ship", methods=["POST"])
@admin_required
def ship(order_id):
    order = Order.query.get_or_404(order_id)
    if order.status != "paid":
        return jsonify(error="only paid orders can be shipped"), 409
    order.status = "shipped"
    db.session.commit()
    return jsonify(order.to_dict())
