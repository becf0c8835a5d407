"""Problem details with the custom error as a werkzeug HTTPException subclass: one handler for all
HTTP errors, a Blueprint for the routes, a module-level app made by the factory."""

import json

from flask import Blueprint, Flask, Response, current_app, jsonify, request
from werkzeug.exceptions import HTTPException, InternalServerError


class OutOfStock(HTTPException):
    code = 409
    problem_type = "https://api.example.com/problems/out-of-stock"
    title = "Out of stock"

    def __init__(self, item_id, requested, available):
        super().__init__(f"Only {available} left of item {item_id}; {requested} requested.")
        self.available = available


ITEMS = {}
bp = Blueprint("items", __name__, url_prefix="/api")


def _item_or_404(item_id):
    if item_id not in ITEMS:
        from flask import abort
        abort(404, f"item {item_id} not found")
    return ITEMS[item_id]


@bp.get("/items/<int:item_id>")
def get_item(item_id):
    return jsonify(_item_or_404(item_id))


@bp.post("/items")
def create_item():
    data = request.get_json(silent=True)
    name = data.get("name") if isinstance(data, dict) else None
    if not isinstance(name, str) or not name.strip():
        from werkzeug.exceptions import BadRequest
        raise BadRequest("a JSON object with a non-empty string 'name' is required")
    item = {"id": max(ITEMS, default=0) + 1, "name": name, "stock": 0}
    ITEMS[item["id"]] = item
    return jsonify(item), 201


@bp.post("/items/<int:item_id>/reserve")
def reserve(item_id):
    item = _item_or_404(item_id)
    quantity = (request.get_json(silent=True) or {}).get("quantity", 1)
    if quantity > item["stock"]:
        raise OutOfStock(item_id, quantity, item["stock"])
    item["stock"] -= quantity
    return jsonify(item)


@bp.get("/boom")
def boom():
    raise RuntimeError("database password is hunter2")


def to_problem(error):
    if not isinstance(error, HTTPException):
        current_app.logger.error("unhandled error", exc_info=error)
        error = InternalServerError("The server could not complete the request.")
    body = {
        "type": getattr(error, "problem_type", "about:blank"),
        "title": getattr(error, "title", error.name),
        "status": error.code,
        "detail": error.description,
    }
    if isinstance(error, OutOfStock):
        body["available"] = error.available
    response = Response(json.dumps(body), status=error.code, mimetype="application/problem+json")
    for key, value in error.get_headers():
        if key.lower() != "content-type":
            response.headers[key] = value
    return response


def create_app(test_config=None):
    app = Flask(__name__)
    app.config.update(test_config or {})
    ITEMS.clear()
    ITEMS[1] = {"id": 1, "name": "keyboard", "stock": 3}
    app.register_blueprint(bp)
    app.register_error_handler(Exception, to_problem)
    return app
