"""Session shopping cart: a per-visitor cart kept in Flask's signed session cookie."""
import os

from flask import Flask, request, session


def get_cart():
    """The cart of the current client as {product_id (str): quantity (int)}.

    The session is serialized as JSON, and JSON object keys are always strings,
    so we store product ids as strings and convert them back for the answers.
    """
    return dict(session.get("cart", {}))  # a copy: we save changes explicitly


def save_cart(cart):
    # Assigning to session marks it modified, so Flask sends the updated cookie.
    # (Changing the dict in place would need `session.modified = True`.)
    session["cart"] = cart


def cart_json(cart):
    items = [{"product_id": pid, "quantity": qty} for pid, qty in cart.items()]
    return {"items": items, "count": sum(cart.values())}


def _positive_int(value):
    # bool is a subclass of int in Python: true/false are not quantities.
    return isinstance(value, int) and not isinstance(value, bool) and value >= 1


def create_app(test_config=None):
    app = Flask(__name__)
    # The session cookie is signed with this key; set SECRET_KEY in production.
    app.config.from_mapping(SECRET_KEY=os.environ.get("SECRET_KEY", "dev"))
    if test_config is not None:
        app.config.from_mapping(test_config)

    @app.get("/cart")
    def show_cart():
        return cart_json(get_cart())

    @app.post("/cart/items")
    def add_item():
        data = request.get_json(silent=True)
        if not isinstance(data, dict):
            return {"error": "send a JSON object like {\"product_id\": 7, \"quantity\": 2}"}, 400
        product_id, quantity = data.get("product_id"), data.get("quantity")
        if not _positive_int(product_id):
            return {"error": "product_id must be a whole number of at least 1"}, 400
        if not _positive_int(quantity):
            return {"error": "quantity must be a whole number of at least 1"}, 400

        cart = get_cart()
        key = str(product_id)
        cart[key] = cart.get(key, 0) + quantity
        save_cart(cart)
        return cart_json(cart), 201

    @app.delete("/cart/items/<int:product_id>")
    def remove_item(product_id):
        cart = get_cart()
        if cart.pop(str(product_id), None) is None:
            return {"error": "product %d is not in the cart" % product_id}, 404
        save_cart(cart)
        return cart_json(cart)

    return app


if __name__ == "__main__":
    create_app().run(debug=True)
