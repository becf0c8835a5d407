"""The cart with the legacy Model.query API; a guest's cart is a list of [product_id, quantity]
pairs in session["cart_lines"]; a user's lines are the dynamic relationship user.cart_items."""

from flask import Blueprint, jsonify, request, session

from auth import current_user
from models import CartItem, Product, db

bp = Blueprint("cart", __name__, url_prefix="/api/cart")


def _lines():
    user = current_user()
    if user is None:
        return [(pid, qty) for pid, qty in session.get("cart_lines", [])]
    return [(line.product_id, line.quantity) for line in user.cart_items]


def _as_json():
    items = []
    for product_id, quantity in sorted(_lines()):
        product = Product.query.get(product_id)
        if product is not None:
            items.append(dict(product_id=product.id, name=product.name, price_cents=product.price_cents,
                              quantity=quantity, subtotal_cents=product.price_cents * quantity))
    return jsonify(items=items, total_cents=sum(item["subtotal_cents"] for item in items))


def _store(product_id, quantity):
    user = current_user()
    if user is None:
        lines = [[pid, qty] for pid, qty in session.get("cart_lines", []) if pid != product_id]
        if quantity:
            lines.append([product_id, quantity])
        session["cart_lines"] = lines
        return
    line = user.cart_items.filter_by(product_id=product_id).first()
    if line is not None:
        db.session.delete(line)
        db.session.flush()
    if quantity:
        db.session.add(CartItem(user_id=user.id, product_id=product_id, quantity=quantity))
    db.session.commit()


@bp.route("", methods=["GET"])
def cart():
    return _as_json()


@bp.route("/items/<int:product_id>", methods=["PUT"])
def put_item(product_id):
    product = Product.query.get(product_id)
    if product is None:
        return jsonify(error="Product not found"), 404
    payload = request.get_json(silent=True)
    quantity = payload.get("quantity") if isinstance(payload, dict) else None
    if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity <= 0:
        return jsonify(error="quantity must be a positive integer"), 400
    if quantity > product.stock:
        return jsonify(error=f"only {product.stock} left"), 409
    _store(product_id, quantity)
    return _as_json()


@bp.route("/items/<int:product_id>", methods=["DELETE"])
def delete_item(product_id):
    _store(product_id, 0)
    return "", 204
