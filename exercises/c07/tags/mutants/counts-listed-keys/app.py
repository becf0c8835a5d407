"""Products API with a Redis cache and tag-based invalidation to build (see README.md)."""
import hmac
import json
import logging
import os

from flask import Flask, current_app, jsonify, request
from redis.exceptions import RedisError

import tags
from redis_conn import get_redis
from store import ProductStore

log = logging.getLogger(__name__)


def create_app(test_config=None):
    app = Flask(__name__)
    app.config.from_mapping(
        REDIS_URL=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
        CACHE_TTL=300,
        STORE_DELAY=0.2,
        ADMIN_TOKEN=os.environ.get("ADMIN_TOKEN"),  # required by POST /api/cache/invalidate
    )
    if test_config:
        app.config.update(test_config)
    app.extensions["store"] = ProductStore(delay=app.config["STORE_DELAY"])

    def cached(key, load):
        """Read-through: (value, "HIT" | "MISS"); a None from load() is not cached."""
        try:
            text = get_redis().get(key)
        except RedisError as e:
            log.warning("Redis unavailable: %s", e)
            text = None
        if text is not None:
            return json.loads(text), "HIT"
        value = load()
        if value is None:
            return None, "MISS"
        try:
            tags.set_tagged(key, value)
        except RedisError as e:
            log.warning("Redis unavailable: %s", e)
        return value, "MISS"

    @app.get("/api/products")
    def list_products():
        store = current_app.extensions["store"]
        products, source = cached("products:all", store.list)
        return jsonify(products), 200, {"X-Cache": source}

    @app.get("/api/products/<int:product_id>")
    def get_product(product_id):
        store = current_app.extensions["store"]
        product, source = cached(f"product:{product_id}", lambda: store.get(product_id))
        if product is None:
            return jsonify(error="product not found"), 404
        return jsonify(product), 200, {"X-Cache": source}

    @app.get("/api/categories/<category>/products")
    def list_category(category):
        store = current_app.extensions["store"]
        products, source = cached(f"category:{category}", lambda: store.list(category))
        return jsonify(products), 200, {"X-Cache": source}

    @app.put("/api/products/<int:product_id>")
    def update_product(product_id):
        fields = request.get_json(silent=True)
        problem = validate_update(fields)
        if problem:
            return jsonify(error=problem), 400
        store = current_app.extensions["store"]
        before = store.get(product_id)
        if before is None:
            return jsonify(error="product not found"), 404
        product = store.update(product_id, fields)
        stale = [f"product:{product_id}", f"category:{before['category']}", f"category:{product['category']}"]
        try:
            tags.invalidate(stale)
        except RedisError as e:
            log.error("Redis unavailable, cached copies of product %s stay until they expire: %s", product_id, e)
        return jsonify(product)

    @app.post("/api/cache/invalidate")
    def invalidate_tags():
        expected = current_app.config.get("ADMIN_TOKEN")
        given = request.headers.get("X-Admin-Token", "")
        if not expected or not hmac.compare_digest(given.encode(), expected.encode()):
            return jsonify(error="a valid X-Admin-Token header is required"), 401
        body = request.get_json(silent=True)
        wanted = body.get("tags") if isinstance(body, dict) and set(body) == {"tags"} else None
        if (
            not isinstance(wanted, list)
            or not 1 <= len(wanted) <= 100
            or not all(isinstance(t, str) and t.strip() and len(t) <= 200 for t in wanted)
        ):
            return jsonify(error='send {"tags": [1 to 100 non-empty strings]}'), 400
        try:
            return jsonify(invalidated=tags.invalidate(wanted))
        except RedisError as e:
            log.error("invalidation failed: %s", e)
            return jsonify(error="cache unavailable"), 503

    return app


def validate_update(fields):
    """None when `fields` is a valid update, else what is wrong."""
    if not isinstance(fields, dict) or not fields:
        return "send a JSON object with name, price_cents and/or category"
    unknown = sorted(set(fields) - {"name", "price_cents", "category"})
    if unknown:
        return "unknown field(s): %s" % ", ".join(unknown)
    for text_field in ("name", "category"):
        if text_field in fields and (not isinstance(fields[text_field], str) or not fields[text_field].strip()):
            return "%s must be a non-empty string" % text_field
    price = fields.get("price_cents", 0)
    if isinstance(price, bool) or not isinstance(price, int) or price < 0:
        return "price_cents must be an integer >= 0"
    return None
