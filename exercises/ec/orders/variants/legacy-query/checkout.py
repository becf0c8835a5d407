"""Checkout: an order from the cart, paid through the payment provider's API.

The card never reaches this API: the provider creates a payment intent and gives back a
client secret, with which the customer's browser pays the provider directly."""

import json
import urllib.error
import urllib.request

from flask import Blueprint, abort, current_app, request

from auth import current_user, login_required
from models import CartItem, Order, OrderItem, db

bp = Blueprint("checkout", __name__, url_prefix="/api")

CARD_FIELDS = {"card", "card_number", "cvc"}


class ProviderError(Exception):
    """The provider failed: answer 502 Bad Gateway."""

    status = 502


class ProviderTimeout(ProviderError):
    """The provider did not answer in time: answer 504 Gateway Timeout."""

    status = 504


def create_payment_intent(order):
    """POST the order's amount to the provider; its answer {"id", "client_secret", ...}."""
    config = current_app.config
    body = json.dumps({"amount": order.total_cents, "currency": "eur", "order_id": order.id}).encode()
    outgoing = urllib.request.Request(
        config["PAYMENT_PROVIDER_URL"].rstrip("/") + "/v1/payment_intents",
        data=body,
        method="POST",
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {config['PAYMENT_API_KEY']}"},
    )
    try:
        # Always a timeout: a provider that never answers must not hold this request forever.
        with urllib.request.urlopen(outgoing, timeout=config["PAYMENT_TIMEOUT"]) as answer:
            intent = json.loads(answer.read())
    except urllib.error.HTTPError as e:  # a 4xx or 5xx answer
        raise ProviderError(f"The payment provider answered {e.code}") from e
    except urllib.error.URLError as e:  # no connection (a connect timeout is wrapped here too)
        if isinstance(e.reason, TimeoutError):
            raise ProviderTimeout("The payment provider did not answer in time") from e
        raise ProviderError("The payment provider cannot be reached") from e
    except TimeoutError as e:  # connected, but no answer in time
        raise ProviderTimeout("The payment provider did not answer in time") from e
    except (OSError, ValueError) as e:  # a dropped connection, an answer that is not JSON
        raise ProviderError("The payment provider's answer was unusable") from e
    if not isinstance(intent, dict) or not isinstance(intent.get("id"), str) or not isinstance(intent.get("client_secret"), str):
        raise ProviderError("The payment provider's answer was unusable")
    return intent


@bp.post("/checkout")
@login_required
def checkout():
    if request.get_data():
        data = request.get_json(silent=True)
        if not isinstance(data, dict):
            return {"error": "The request body must be a JSON object"}, 400
        if CARD_FIELDS & set(data):
            return {"error": "Never send card data to this API: the card is paid at the provider"}, 400

    user = current_user()
    lines = db.session.execute(db.select(CartItem).filter_by(user_id=user.id).order_by(CartItem.product_id)).scalars().all()
    if not lines:
        return {"error": "Your cart is empty"}, 400
    for line in lines:
        if line.quantity > line.product.stock:
            return {"error": f"Only {line.product.stock} of {line.product.name} in stock"}, 409

    order = Order(user_id=user.id, status="pending", total_cents=sum(l.product.price_cents * l.quantity for l in lines))
    order.items = [
        OrderItem(product_id=l.product_id, name=l.product.name, price_cents=l.product.price_cents, quantity=l.quantity)
        for l in lines
    ]
    db.session.add(order)
    db.session.commit()  # the order exists (pending) before any money moves

    try:
        intent = create_payment_intent(order)
    except ProviderError as e:
        current_app.logger.warning("payment intent for order %s failed: %s", order.id, e)
        return {"error": str(e), "order_id": order.id}, e.status  # the order stays pending, the cart full

    order.payment_id = intent["id"]
    for line in lines:
        db.session.delete(line)
    db.session.commit()
    return {"order": order.to_dict(), "client_secret": intent["client_secret"]}, 201


@bp.get("/orders/<int:order_id>")
@login_required
def get_order(order_id):
    order = db.session.execute(db.select(Order).filter_by(id=order_id, user_id=current_user().id)).scalar_one_or_none()
    if order is None:  # another user's order is as invisible as a missing one
        abort(404, description="No such order")
    return order.to_dict()
