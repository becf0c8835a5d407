"""Order management: the payment provider's signed callback (webhook) and the order's states
pending -> paid -> shipped, or pending -> cancelled."""

import hashlib  # noqa: F401  (you will need them)
import hmac  # noqa: F401

from flask import Blueprint, current_app, request  # noqa: F401

from auth import admin_required, current_user, login_required  # noqa: F401
from models import Order, Product, db  # noqa: F401

bp = Blueprint("orders", __name__, url_prefix="/api")

# TODO: register this blueprint in app.py; PAYMENT_WEBHOOK_SECRET in the config, from the environment
# TODO: a model in models.py that remembers the ids of the events already processed
# TODO: POST /api/payments/webhook -> 401 bad signature (hmac.compare_digest); 400 bad event;
#       404 unknown payment; 200 {"status": "processed"} or {"status": "duplicate"}; 409 not pending
# TODO: POST /api/orders/<id>/cancel -> the owner cancels a pending order; 409 otherwise
# TODO: POST /api/orders/<id>/ship   -> an administrator ships a paid order; 409 otherwise
