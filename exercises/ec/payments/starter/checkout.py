"""Checkout: an order from the cart, paid through the payment provider's API."""

import json  # noqa: F401  (you will need them)
import urllib.error  # noqa: F401
import urllib.request  # noqa: F401

from flask import Blueprint, current_app, request  # noqa: F401

from auth import current_user, login_required  # noqa: F401
from models import CartItem, db  # noqa: F401

bp = Blueprint("checkout", __name__, url_prefix="/api")

# TODO: Order and OrderItem models in models.py (status "pending", total_cents, payment_id;
#       each item copies the product's name and price at checkout)
# TODO: register this blueprint in app.py; PAYMENT_PROVIDER_URL, PAYMENT_API_KEY and
#       PAYMENT_TIMEOUT in the config (from the environment, never written in the code)
# TODO: POST /api/checkout   -> 201 {"order": ..., "client_secret": ...}; 400 empty cart or card
#                               data; 409 not enough stock; 502/504 when the provider fails
# TODO: GET  /api/orders/<id> -> 200 the user's order; 404 for anybody else's
