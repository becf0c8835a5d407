"""The shopping cart: a guest's cart lives in the session, a logged-in user's in the database."""

from flask import Blueprint, abort, session

from auth import current_user, json_body
from models import CartItem, Product, db

bp = Blueprint("cart", __name__, url_prefix="/api/cart")


def _quantities():
    """The cart as {product id: quantity}, from the session (guest) or the database (user)."""
    user = current_user()
    if user is None:
        return {int(key): quantity for key, quantity in (session.get("cart") or {}).items()}
    items = db.session.execute(db.select(CartItem).filter_by(user_id=user.id)).scalars()
    return {item.product_id: item.quantity for item in items}


def cart_answer():
    """The cart as the API answers it; every amount in integer cents."""
    quantities = _quantities()
    products = db.session.execute(db.select(Product).where(Product.id.in_(list(quantities))).order_by(Product.id)).scalars()
    items = [
        {
            "product_id": product.id,
            "name": product.name,
            "price_cents": product.price_cents,
            "quantity": quantities[product.id],
            "subtotal_cents": product.price_cents * quantities[product.id],
        }
        for product in products
    ]
    return {"items": items, "total_cents": sum(item["subtotal_cents"] for item in items)}


def _set_quantity(product_id, quantity):
    """Set one line (quantity 0 removes it), in the session or in the database."""
    user = current_user()
    if user is None:
        cart = dict(session.get("cart") or {})  # JSON keys are strings
        if quantity:
            cart[str(product_id)] = quantity
        else:
            cart.pop(str(product_id), None)
        session["cart"] = cart  # assigning marks the session as modified
        return
    item = db.session.execute(db.select(CartItem).filter_by(user_id=user.id, product_id=product_id)).scalar_one_or_none()
    if quantity and item is None:
        db.session.add(CartItem(user_id=user.id, product_id=product_id, quantity=quantity))
    elif quantity:
        item.quantity = quantity
    elif item is not None:
        db.session.delete(item)
    db.session.commit()


@bp.get("")
def get_cart():
    return cart_answer()


@bp.put("/items/<int:product_id>")
def put_item(product_id):
    product = db.session.get(Product, product_id)
    if product is None:
        abort(404, description="No such product")
    data = json_body()
    quantity = data.get("quantity") if data is not None else None
    if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity < 1:
        return {"error": "quantity: an integer of at least 1"}, 400
    if quantity > product.stock:
        return {"error": f"Only {product.stock} in stock"}, 409
    _set_quantity(product_id, quantity)
    return cart_answer()


@bp.delete("/items/<int:product_id>")
def delete_item(product_id):
    _set_quantity(product_id, 0)
    return "", 204
