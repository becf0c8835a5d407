"""The shopping cart: a guest's cart lives in the session, a logged-in user's in the database."""

from flask import Blueprint, session  # noqa: F401  (you will need them)

from auth import current_user, json_body  # noqa: F401
from models import Product, db  # noqa: F401

bp = Blueprint("cart", __name__, url_prefix="/api/cart")

# TODO: a CartItem model in models.py (user_id, product_id, quantity; one line per user and product)
# TODO: register this blueprint in app.py
# TODO: GET    /api/cart                    -> 200 {"items": [...], "total_cents": ...}
# TODO: PUT    /api/cart/items/<product_id> -> 200 the cart; 400 bad quantity; 404 no product;
#                                              409 more than the stock
# TODO: DELETE /api/cart/items/<product_id> -> 204
# TODO: in auth.py's login: merge the guest's session cart into the user's cart in the database
#       (quantities added, capped at the stock) -- read it before session.clear()
