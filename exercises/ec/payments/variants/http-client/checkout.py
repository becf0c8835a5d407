"""Checkout with a provider client object (provider.py, on http.client); provider failures are
turned into 502/504 by a blueprint error handler."""

from flask import Blueprint, current_app, g, request

from auth import current_user, login_required
from models import CartItem, Order, OrderItem, db
from provider import PaymentProvider, ProviderFailed

bp = Blueprint("checkout", __name__, url_prefix="/api")


def provider():
    c = current_app.config
    return PaymentProvider(c["PAYMENT_PROVIDER_URL"], c["PAYMENT_API_KEY"], c["PAYMENT_TIMEOUT"])


@bp.errorhandler(ProviderFailed)
def provider_failed(error):
    return {"error": str(error), "order_id": g.get("order_id")}, error.status


@bp.route("/checkout", methods=["POST"])
@login_required
def checkout():
    payload = request.get_json(silent=True) if request.content_length else {}
    if not isinstance(payload, dict):
        return {"error": "expected a JSON object"}, 400
    if any(key in payload for key in ("card", "card_number", "cvc")):
        return {"error": "card details are not accepted here"}, 400
    user = current_user()
    lines = db.session.scalars(db.select(CartItem).where(CartItem.user_id == user.id).order_by(CartItem.product_id)).all()
    if not lines:
        return {"error": "nothing to check out"}, 400
    short = [line.product.name for line in lines if line.quantity > line.product.stock]
    if short:
        return {"error": "not enough stock", "products": short}, 409
    order = Order(user_id=user.id, total_cents=0)
    for line in lines:
        order.items.append(OrderItem(product_id=line.product_id, name=line.product.name,
                                     price_cents=line.product.price_cents, quantity=line.quantity))
        order.total_cents += line.product.price_cents * line.quantity
    db.session.add(order)
    db.session.commit()
    g.order_id = order.id
    intent = provider().create_intent(order.total_cents, order.id)  # may raise ProviderFailed
    order.payment_id = intent["id"]
    db.session.execute(db.delete(CartItem).where(CartItem.user_id == user.id))
    db.session.commit()
    return {"order": order.to_dict(), "client_secret": intent["client_secret"]}, 201


@bp.route("/orders/<int:order_id>", methods=["GET"])
@login_required
def order_detail(order_id):
    order = db.session.get(Order, order_id)
    if order is None or order.user_id != current_user().id:
        return {"error": "order not found"}, 404
    return order.to_dict()
