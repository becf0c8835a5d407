"""Products API with a Redis cache and cache analytics (see README.md)."""
import hmac
import json
import logging
import os
from functools import wraps

from flask import Flask, current_app, jsonify, request
from redis.exceptions import RedisError

import analytics
from redis_conn import get_redis
from store import ProductStore

log = logging.getLogger(__name__)


def create_app(test_config=None):
    app = Flask(__name__)
    app.config.from_mapping(
        REDIS_URL=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
        CACHE_TTL=300,
        STORE_DELAY=0.2,
        ADMIN_TOKEN=os.environ.get("ADMIN_TOKEN"),  # required by /api/cache/stats
    )
    if test_config:
        app.config.update(test_config)
    app.extensions["store"] = ProductStore(delay=app.config["STORE_DELAY"])

    def cached(name, key, load):
        """Read-through: (value, "HIT" | "MISS"); value None (never cached) when load() finds nothing.
        `name` is the cache's name: "product" or "category"."""
        try:
            text = get_redis().get(key)
        except RedisError as e:
            log.warning("Redis unavailable: %s", e)
            text = None
        if text is not None:
            count(name, key, hit=True)
            return json.loads(text), "HIT"
        value = load()
        if value is None:
            return None, "MISS"
        try:
            get_redis().set(key, json.dumps(value), ex=current_app.config["CACHE_TTL"])
        except RedisError as e:
            log.warning("Redis unavailable: %s", e)
        count(name, key, hit=False)
        return value, "MISS"

    @app.get("/api/products/<int:product_id>")
    def get_product(product_id):
        store = current_app.extensions["store"]
        product, source = cached("product", f"product:{product_id}", lambda: store.get(product_id))
        if product is None:
            return jsonify(error="product not found"), 404
        return jsonify(product), 200, {"X-Cache": source}

    @app.get("/api/categories/<category>/products")
    def list_category(category):
        store = current_app.extensions["store"]
        products, source = cached("category", f"category:{category}", lambda: store.list(category))
        return jsonify(products), 200, {"X-Cache": source}

    @app.get("/api/cache/stats")
    @admin_only
    def cache_stats():
        try:
            return jsonify(analytics.report())
        except RedisError as e:
            log.error("cache stats unavailable: %s", e)
            return jsonify(error="cache unavailable"), 503

    @app.delete("/api/cache/stats")
    @admin_only
    def reset_cache_stats():
        try:
            analytics.reset()
        except RedisError as e:
            log.error("cache stats not reset: %s", e)
            return jsonify(error="cache unavailable"), 503
        return "", 204

    return app


def count(name, key, hit):
    try:
        analytics.record(name, key, hit)
    except RedisError as e:  # analytics must never break a read
        log.warning("cache read not counted: %s", e)


def admin_only(view):
    @wraps(view)
    def guarded(*args, **kwargs):
        expected = current_app.config.get("ADMIN_TOKEN")
        given = request.headers.get("X-Admin-Token", "")
        if not expected or not hmac.compare_digest(given.encode(), expected.encode()):
            return jsonify(error="a valid X-Admin-Token header is required"), 401
        return view(*args, **kwargs)

    return guarded
