"""Products API with a Redis cache, and cache analytics to build (see README.md)."""
import json
import logging
import os

from flask import Flask, current_app, jsonify
from redis.exceptions import RedisError

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
            # TODO: count a hit for `name` and a read of `key`
            return json.loads(text), "HIT"
        value = load()
        if value is None:
            return None, "MISS"
        try:
            get_redis().set(key, json.dumps(value), ex=current_app.config["CACHE_TTL"])
        except RedisError as e:
            log.warning("Redis unavailable: %s", e)
        # TODO: count a miss for `name` and a read of `key`
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
    def cache_stats():
        # TODO: the admin token, then the counters
        return jsonify(error="not implemented yet"), 501

    # TODO: DELETE /api/cache/stats

    return app
