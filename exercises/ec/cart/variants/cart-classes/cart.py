"""The shopping cart as two classes with one interface: SessionCart (guests) and DatabaseCart
(users); the views never ask which one they hold. Items are a MethodView."""

from flask import Blueprint, abort, request, session
from flask.views import MethodView

from auth import current_user
from models import CartItem, Product, db

bp = Blueprint("cart", __name__, url_prefix="/api/cart")


class SessionCart:
    KEY = "cart"

    def quantities(self):
        return {int(k): v for k, v in session.get(self.KEY, {}).items()}

    def set(self, product_id, quantity):
        cart = self.quantities()
        if quantity:
            cart[product_id] = quantity
        else:
            cart.pop(product_id, None)
        session[self.KEY] = {str(k): v for k, v in cart.items()}


class DatabaseCart:
    def __init__(self, user):
        self.user = user

    def _line(self, product_id):
        return db.session.scalar(db.select(CartItem).where(CartItem.user_id == self.user.id, CartItem.product_id == product_id))

    def quantities(self):
        rows = db.session.scalars(db.select(CartItem).where(CartItem.user_id == self.user.id))
        return {row.product_id: row.quantity for row in rows}

    def set(self, product_id, quantity, commit=True):
        line = self._line(product_id)
        if quantity <= 0:
            if line is not None:
                db.session.delete(line)
        elif line is None:
            db.session.add(CartItem(user_id=self.user.id, product_id=product_id, quantity=quantity))
        else:
            line.quantity = quantity
        if commit:
            db.session.commit()

    def merge(self, guest):
        saved = self.quantities()
        for key, quantity in guest.items():
            product = db.session.get(Product, int(key))
            if product is not None:
                self.set(product.id, min(saved.get(product.id, 0) + quantity, product.stock), commit=False)
        db.session.commit()


def open_cart():
    user = current_user()
    return SessionCart() if user is None else DatabaseCart(user)


def answer(cart):
    quantities = cart.quantities()
    items = []
    for product in db.session.scalars(db.select(Product).where(Product.id.in_(quantities.keys())).order_by(Product.id)):
        quantity = quantities[product.id]
        items.append({"product_id": product.id, "name": product.name, "price_cents": product.price_cents,
                      "quantity": quantity, "subtotal_cents": quantity * product.price_cents})
    return {"items": items, "total_cents": sum(i["subtotal_cents"] for i in items)}


@bp.get("")
def show():
    return answer(open_cart())


class CartItemView(MethodView):
    def put(self, product_id):
        product = db.get_or_404(Product, product_id, description="Unknown product")
        body = request.get_json(silent=True)
        quantity = body.get("quantity") if isinstance(body, dict) else None
        if type(quantity) is not int or quantity < 1:
            return {"error": "quantity must be a whole number, 1 or more"}, 400
        if quantity > product.stock:
            return {"error": "Not enough stock", "stock": product.stock}, 409
        cart = open_cart()
        cart.set(product_id, quantity)
        return answer(cart)

    def delete(self, product_id):
        open_cart().set(product_id, 0)
        return "", 204


bp.add_url_rule("/items/<int:product_id>", view_func=CartItemView.as_view("item"))
