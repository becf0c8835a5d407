"""The checkout's business rules, free of HTTP: each failure is an exception with its status."""

import json
import socket
import urllib.error
import urllib.request

from models import CartItem, Order, OrderItem, db


class CheckoutError(Exception):
    def __init__(self, status, message, order_id=None):
        super().__init__(message)
        self.status, self.message, self.order_id = status, message, order_id

    def body(self):
        body = {"error": self.message}
        if self.order_id is not None:
            body["order_id"] = self.order_id
        return body


def place_order(user):
    """A pending order from the user's cart (committed), and the cart lines it came from."""
    lines = db.session.scalars(db.select(CartItem).filter_by(user_id=user.id).order_by(CartItem.product_id)).all()
    if not lines:
        raise CheckoutError(400, "The cart is empty")
    for line in lines:
        if line.quantity > line.product.stock:
            raise CheckoutError(409, f"{line.product.name}: {line.product.stock} left")
    order = Order(user_id=user.id, status="pending", total_cents=0)
    for line in lines:
        order.items.append(OrderItem(product_id=line.product_id, name=line.product.name,
                                     price_cents=line.product.price_cents, quantity=line.quantity))
    order.total_cents = sum(item.price_cents * item.quantity for item in order.items)
    db.session.add(order)
    db.session.commit()
    return order, lines


def request_payment(order, base_url, api_key, timeout):
    """The provider's payment intent for the order, or CheckoutError 502/504 (order id included)."""
    opener = urllib.request.build_opener()
    outgoing = urllib.request.Request(
        f"{base_url.rstrip('/')}/v1/payment_intents",
        data=json.dumps({"amount": order.total_cents, "currency": "eur", "order_id": order.id}).encode("utf-8"),
        headers={"Authorization": "Bearer " + api_key, "Content-Type": "application/json"},
    )  # a Request with data is a POST
    try:
        with opener.open(outgoing, timeout=timeout) as answer:
            intent = json.load(answer)
    except urllib.error.HTTPError as e:
        raise CheckoutError(502, f"provider status {e.code}", order.id) from e
    except (socket.timeout, urllib.error.URLError) as e:
        slow = isinstance(e, socket.timeout) or isinstance(getattr(e, "reason", None), socket.timeout)
        raise CheckoutError(504 if slow else 502, "provider too slow" if slow else "provider unreachable", order.id) from e
    except (OSError, ValueError) as e:
        raise CheckoutError(502, "provider answer unusable", order.id) from e
    if not isinstance(intent, dict) or not isinstance(intent.get("id"), str) or not isinstance(intent.get("client_secret"), str):
        raise CheckoutError(502, "provider answer unusable", order.id)
    return intent


def confirm(order, intent, lines):
    order.payment_id = intent["id"]
    for line in lines:
        db.session.delete(line)
    db.session.commit()
