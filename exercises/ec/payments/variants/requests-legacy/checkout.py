"""Checkout with requests and the legacy Model.query API."""

import requests
from flask import Blueprint, current_app, jsonify, request

from auth import current_user, login_required
from models import CartItem, Order, OrderItem, db

bp = Blueprint("checkout", __name__, url_prefix="/api")


def _pay(order):
    cfg = current_app.config
    try:
        answer = requests.post(
            f"{cfg['PAYMENT_PROVIDER_URL'].rstrip('/')}/v1/payment_intents",
            json={"amount": order.total_cents, "currency": "eur", "order_id": order.id},
            headers={"Authorization": f"Bearer {cfg['PAYMENT_API_KEY']}"},
            timeout=cfg["PAYMENT_TIMEOUT"],
        )
        answer.raise_for_status()
        intent = answer.json()
    except requests.Timeout:
        return None, 504
    except (requests.RequestException, ValueError):
        return None, 502
    if not isinstance(intent, dict) or not all(isinstance(intent.get(k), str) for k in ("id", "client_secret")):
        return None, 502
    return intent, None


@bp.route("/checkout", methods=["POST"])
@login_required
def checkout():
    data = {}
    if request.get_data():
        data = request.get_json(silent=True)
        if not isinstance(data, dict):
            return jsonify(error="JSON object expected"), 400
    if {"card", "card_number", "cvc"}.intersection(data):
        return jsonify(error="We never handle card details"), 400
    user = current_user()
    lines = CartItem.query.filter_by(user_id=user.id).order_by(CartItem.product_id).all()
    if not lines:
        return jsonify(error="The cart is empty"), 400
    if any(line.quantity > line.product.stock for line in lines):
        return jsonify(error="Not enough stock"), 409
    order = Order(
        user_id=user.id,
        status="pending",
        total_cents=sum(line.quantity * line.product.price_cents for line in lines),
        items=[OrderItem(product_id=line.product_id, name=line.product.name, price_cents=line.product.price_cents,
                         quantity=line.quantity) for line in lines],
    )
    db.session.add(order)
    db.session.commit()
    intent, failure = _pay(order)
    if failure:
        return jsonify(error="The payment provider failed", order_id=order.id), failure
    order.payment_id = intent["id"]
    CartItem.query.filter_by(user_id=user.id).delete()
    db.session.commit()
    return jsonify(order=order.to_dict(), client_secret=intent["client_secret"]), 201


@bp.route("/orders/<int:order_id>")
@login_required
def order(order_id):
    found = Order.query.filter_by(id=order_id, user_id=current_user().id).first_or_404(description="No such order")
    return jsonify(found.to_dict())
