"""Products API with a two-level read-through cache (see README.md)."""
import os

from flask import Flask, current_app, jsonify, request

import cache
from store import ProductStore


def create_app(test_config=None):
    app = Flask(__name__)
    app.config.from_mapping(
        REDIS_URL=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
        L1_MAX_ITEMS=100,  # products kept in this process
        L1_TTL=5,  # seconds a product stays in this process
        L2_TTL=60,  # seconds a product stays in Redis
        STORE_DELAY=0.2,  # the store is slow
    )
    if test_config:
        app.config.update(test_config)
    app.extensions["store"] = ProductStore(delay=app.config["STORE_DELAY"])
    cache.init_app(app)

    @app.get("/api/products/<int:product_id>")
    def get_product(product_id):
        product, source = cache.get_product(product_id)
        if product is None:
            return jsonify(error="product not found"), 404
        response = jsonify(product)
        response.headers["X-Cache"] = source
        return response

    @app.put("/api/products/<int:product_id>")
    def update_product(product_id):
        fields = request.get_json(silent=True)
        problem = validate_update(fields)
        if problem:
            return jsonify(error=problem), 400
        product = current_app.extensions["store"].update(product_id, fields)
        if product is None:
            return jsonify(error="product not found"), 404
        cache.invalidate_product(product_id)
        return jsonify(product)

    return app


def validate_update(fields):
    """None when `fields` is a valid update, else what is wrong."""
    if not isinstance(fields, dict) or not fields:
        return "send a JSON object with name and/or price_cents"
    unknown = sorted(set(fields) - {"name", "price_cents"})
    if unknown:
        return "unknown field(s): %s" % ", ".join(unknown)
    if "name" in fields and (not isinstance(fields["name"], str) or not fields["name"].strip()):
        return "name must be a non-empty string"
    price = fields.get("price_cents", 0)
    if isinstance(price, bool) or not isinstance(price, int) or price < 0:
        return "price_cents must be an integer >= 0"
    return None
