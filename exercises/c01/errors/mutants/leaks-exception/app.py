"""An inventory API whose every error is a JSON problem details object (RFC 9457)."""

import logging

from flask import Flask, jsonify, request
from werkzeug.exceptions import BadRequest, HTTPException, abort

PROBLEM_JSON = "application/problem+json"
log = logging.getLogger(__name__)


class OutOfStock(Exception):
    """Raised when a reservation asks for more than is in stock."""

    status = 409
    type = "https://api.example.com/problems/out-of-stock"
    title = "Out of stock"

    def __init__(self, item_id, requested, available):
        super().__init__(f"item {item_id}: {requested} requested, {available} available")
        self.item_id = item_id
        self.requested = requested
        self.available = available


def problem(status, title, detail, type_="about:blank", headers=None, **extensions):
    """A problem details response: type, title, status, detail (+ extension members)."""
    body = {"type": type_, "title": title, "status": status, "detail": detail, **extensions}
    response = jsonify(body)
    response.status_code = status
    response.content_type = PROBLEM_JSON
    if headers:
        response.headers.extend(headers)
    return response


def register_error_handlers(app):
    @app.errorhandler(HTTPException)
    def http_problem(error):
        # Keep the exception's own headers (Allow on a 405, WWW-Authenticate on a 401...).
        headers = [(k, v) for k, v in error.get_headers() if k.lower() != "content-type"]
        return problem(error.code, error.name, error.description, headers=headers)

    @app.errorhandler(OutOfStock)
    def out_of_stock(error):
        return problem(
            error.status, error.title,
            f"Only {error.available} left of item {error.item_id}; {error.requested} requested.",
            type_=error.type, available=error.available,
        )

    @app.errorhandler(Exception)
    def unexpected(error):
        # The details go to the log, never to the client.
        log.exception("unhandled exception on %s %s", request.method, request.path)
        return problem(500, "Internal Server Error", f"{type(error).__name__}: {error}")


def create_app(test_config=None):
    app = Flask(__name__)
    if test_config:
        app.config.from_mapping(test_config)
    register_error_handlers(app)
    items = {1: {"id": 1, "name": "keyboard", "stock": 3}}

    def find(item_id):
        item = items.get(item_id)
        if item is None:
            abort(404, description=f"item {item_id} not found")
        return item

    @app.get("/api/items/<int:item_id>")
    def get_item(item_id):
        return jsonify(find(item_id))

    @app.post("/api/items")
    def create_item():
        data = request.get_json(silent=True)
        if not isinstance(data, dict):
            raise BadRequest("the body must be a JSON object")
        name = data.get("name")
        if not isinstance(name, str) or not name.strip():
            raise BadRequest("'name' is required and must be a non-empty string")
        item = {"id": max(items) + 1, "name": name.strip(), "stock": 0}
        items[item["id"]] = item
        return jsonify(item), 201

    @app.post("/api/items/<int:item_id>/reserve")
    def reserve(item_id):
        item = find(item_id)
        quantity = (request.get_json(silent=True) or {}).get("quantity", 1)
        if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity < 1:
            raise BadRequest("'quantity' must be a positive integer")
        if quantity > item["stock"]:
            raise OutOfStock(item_id, quantity, item["stock"])
        item["stock"] -= quantity
        return jsonify(item)

    @app.get("/api/boom")
    def boom():
        # Deliberately broken, to see what a 500 looks like. The message holds a "secret".
        raise RuntimeError("database password is hunter2")

    return app


if __name__ == "__main__":
    create_app().run(debug=True)
