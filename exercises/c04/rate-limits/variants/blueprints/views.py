"""The API's blueprints: health (exempt from limits), auth (its own limit), items (the default)."""
from flask import Blueprint, abort, current_app, jsonify, request, session
from werkzeug.security import check_password_hash

from extensions import limiter

ITEMS = {1: "keyboard", 2: "mouse", 3: "monitor"}

health_bp = Blueprint("health", __name__)
auth_bp = Blueprint("auth", __name__, url_prefix="/auth")
items_bp = Blueprint("items", __name__, url_prefix="/api/items")

limiter.exempt(health_bp)


@health_bp.get("/health")
def health():
    return {"status": "ok"}


@auth_bp.post("/login")
@limiter.limit("5 per minute", error_message="Too many login attempts: wait a minute.")
def login():
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        abort(400, "Send a JSON object.")
    username, password = data.get("username"), data.get("password")
    stored = current_app.config["USERS"].get(username) if isinstance(username, str) else None
    if stored is None or not isinstance(password, str) or not check_password_hash(stored, password):
        abort(401, "Wrong username or password.")
    session.clear()
    session["user"] = username
    return {"username": username}


@items_bp.get("")
def list_items():
    return jsonify([{"id": i, "name": n} for i, n in ITEMS.items()])


@items_bp.get("/<int:item_id>")
def get_item(item_id):
    if item_id not in ITEMS:
        abort(404, f"No item {item_id}.")
    return {"id": item_id, "name": ITEMS[item_id]}
