"""Session shopping cart: a per-visitor cart kept in Flask's signed session cookie."""
import os

from flask import Flask, request, session  # noqa: F401


def get_cart():
    """The cart of the current client as {product_id (str): quantity (int)}."""
    # TODO: read it from the session (a new client has no cart yet).
    return {}


def cart_json(cart):
    """The JSON answer for a cart: {"items": [{"product_id": int, "quantity": int}], "count": int}."""
    # TODO: build the items list (product_id back to an int) and the total count.
    return {"items": [], "count": 0}


def create_app(test_config=None):
    app = Flask(__name__)
    # The session cookie is signed with this key: without it, Flask refuses to use the session.
    app.config.from_mapping(SECRET_KEY=os.environ.get("SECRET_KEY", "dev"))
    if test_config is not None:
        app.config.from_mapping(test_config)

    @app.get("/cart")
    def show_cart():
        # TODO: answer 200 with cart_json(get_cart()).
        return {"error": "not implemented yet"}, 501

    @app.post("/cart/items")
    def add_item():
        # TODO: validate {"product_id": int >= 1, "quantity": int >= 1} (else 400),
        # TODO: add the quantity to the cart, store the cart in the session, answer 201.
        return {"error": "not implemented yet"}, 501

    @app.delete("/cart/items/<int:product_id>")
    def remove_item(product_id):
        # TODO: 404 if the product is not in the cart; otherwise remove it and answer 200.
        return {"error": "not implemented yet"}, 501

    return app


if __name__ == "__main__":
    create_app().run(debug=True)
